//! Batched incremental inference and sampling.
//!
//! A [`Sampler`] keeps the LSTM state (`h`, `c` of every layer) of up to
//! `capacity` sequences and advances all of them by one token per
//! [`Sampler::step`]. Every weight matrix is packed once, at construction,
//! and the per-step products use [`gemm_packed`], whose result for a row does
//! not depend on the other rows: a sequence gets bit-identical logits whatever
//! batch it runs in, so a seed gives the same sample at any batch size.
//!
//! The work of a step is split by output columns into [`PARTS`] parts (the
//! hidden units of each LSTM layer, the dense layer's units, the vocabulary),
//! run in parallel: each core reads half of the weights, which is what bounds
//! the speed of small batches.
//!
//! The first layer's input projection is a table lookup: `E · W₀` for every
//! character is computed once. Dropout is off (inference).

use std::collections::VecDeque;

use rayon::prelude::*;

use crate::config::RecurrentActivation;
use crate::kernels::packed::{gemm_packed, PackedB};
use crate::kernels::{gemm, Mat};
use crate::layers::lstm::forward_cells;
use crate::model::Model;
use crate::rng::Rng;

/// Number of column parts a step is split into (one per core of the
/// target machine). Fixed, so that results do not depend on the thread count.
pub const PARTS: usize = 2;

/// How a sequence's LSTM state starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum InitState {
    /// Zeros, as in training.
    #[default]
    Zeros,
    /// Uniform in `[0, 1)`, as the seed's decoder did.
    Random,
}

impl std::str::FromStr for InitState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "zeros" => Ok(InitState::Zeros),
            "random" => Ok(InitState::Random),
            other => Err(format!(
                "unknown initial state {other:?} (expected zeros or random)"
            )),
        }
    }
}

/// The weights one part needs: columns `units` of every layer.
struct PartWeights {
    /// Hidden units `[u0, u1)` of this part.
    units: (usize, usize),
    /// Per LSTM layer: `[x; h] · [W; U]` packed for this part's gate
    /// columns (`i f c o` blocks of `units`). Layer 0 packs `U` only.
    layers: Vec<PackedB<f32>>,
    /// Per layer, the bias of this part's gates `[4 Hp]`.
    bias: Vec<Vec<f32>>,
    /// `E · W₀ + b₀` for this part: `[V, 4 Hp]`.
    table: Vec<f32>,
    dense: PackedB<f32>,
    dense_bias: Vec<f32>,
    /// Vocabulary columns `[v0, v1)` of this part.
    vocab: (usize, usize),
    out: PackedB<f32>,
    out_bias: Vec<f32>,
}

/// One part's state and scratch, for `capacity` rows.
struct PartState {
    /// Per layer `[capacity, Hp]`.
    h: Vec<Vec<f32>>,
    c: Vec<Vec<f32>>,
    gates: Vec<f32>,
    /// `[capacity, Hp]` dense output of this part's units.
    z: Vec<f32>,
    /// `[capacity, Vp]`.
    logits: Vec<f32>,
    c_new: Vec<f32>,
    c_tanh: Vec<f32>,
}

/// Incremental inference for a batch of sequences.
pub struct Sampler {
    hidden: usize,
    layers: usize,
    vocab: usize,
    activation: RecurrentActivation,
    capacity: usize,
    rows: usize,
    weights: Vec<PartWeights>,
    parts: Vec<PartState>,
    /// `[capacity, 2H]` the input of a layer: `[x | h_prev]`.
    xh: Vec<f32>,
    /// `[capacity, H]` the top layer's output, then the dense output.
    z: Vec<f32>,
    /// `[capacity, V]`.
    logits: Vec<f32>,
}

fn split(n: usize, parts: usize, p: usize) -> (usize, usize) {
    (n * p / parts, n * (p + 1) / parts)
}

/// Columns `[u0, u1)` of each of the four gate blocks of a `[k, 4H]` matrix.
fn gate_columns(m: &[f32], k: usize, hid: usize, (u0, u1): (usize, usize)) -> Vec<f32> {
    let hp = u1 - u0;
    let mut out = Vec::with_capacity(k * 4 * hp);
    for r in 0..k {
        let row = &m[r * 4 * hid..(r + 1) * 4 * hid];
        for g in 0..4 {
            out.extend_from_slice(&row[g * hid + u0..g * hid + u1]);
        }
    }
    out
}

/// Columns `[c0, c1)` of a `[k, n]` matrix.
fn columns(m: &[f32], k: usize, n: usize, (c0, c1): (usize, usize)) -> Vec<f32> {
    let mut out = Vec::with_capacity(k * (c1 - c0));
    for r in 0..k {
        out.extend_from_slice(&m[r * n + c0..r * n + c1]);
    }
    out
}

fn packed(m: &[f32], k: usize, n: usize) -> PackedB<f32> {
    let mut p = PackedB::new();
    p.pack(Mat::new(m, k, n));
    p
}

impl Sampler {
    /// Packs the model's weights and allocates state for `capacity` sequences.
    pub fn new(model: &Model<f32>, capacity: usize) -> Self {
        let cfg = &model.config;
        let (hid, v, layers) = (cfg.hidden, cfg.vocab_size, cfg.layers);
        let p = &model.params;
        let lay = &model.layout;
        let capacity = capacity.max(1);
        let emb = &p[lay.embedding..lay.embedding + v * hid];
        // Output weights as [H, V].
        let (out_w, out_b): (Vec<f32>, Vec<f32>) = match lay.output {
            None => {
                let mut t = vec![0.0; hid * v];
                for r in 0..v {
                    for c in 0..hid {
                        t[c * v + r] = emb[r * hid + c];
                    }
                }
                (t, vec![0.0; v])
            }
            Some((k, b)) => (p[k..k + hid * v].to_vec(), p[b..b + v].to_vec()),
        };
        let weights: Vec<PartWeights> = (0..PARTS)
            .map(|part| {
                let units = split(hid, PARTS, part);
                let hp = units.1 - units.0;
                let mut packs = Vec::with_capacity(layers);
                let mut biases = Vec::with_capacity(layers);
                let mut table = Vec::new();
                for (l, o) in lay.lstm.iter().enumerate() {
                    let kernel = &p[o.kernel..o.kernel + o.input * 4 * hid];
                    let rec = &p[o.recurrent..o.recurrent + hid * 4 * hid];
                    let bias = gate_columns(&p[o.bias..o.bias + 4 * hid], 1, hid, units);
                    let rec_cols = gate_columns(rec, hid, hid, units);
                    if l == 0 {
                        // table = E · W₀[:, part] + b.
                        let k_cols = gate_columns(kernel, o.input, hid, units);
                        table = vec![0.0; v * 4 * hp];
                        for row in table.chunks_exact_mut(4 * hp) {
                            row.copy_from_slice(&bias);
                        }
                        gemm(
                            1.0,
                            Mat::new(emb, v, hid),
                            Mat::new(&k_cols, o.input, 4 * hp),
                            1.0,
                            &mut table,
                            4 * hp,
                        );
                        packs.push(packed(&rec_cols, hid, 4 * hp));
                    } else {
                        let mut stacked = gate_columns(kernel, o.input, hid, units);
                        stacked.extend_from_slice(&rec_cols);
                        packs.push(packed(&stacked, o.input + hid, 4 * hp));
                    }
                    biases.push(bias);
                }
                let dk = &p[lay.dense_kernel..lay.dense_kernel + hid * hid];
                let dense = packed(&columns(dk, hid, hid, units), hid, hp);
                let dense_bias = p[lay.dense_bias + units.0..lay.dense_bias + units.1].to_vec();
                let vocab = split(v, PARTS, part);
                let out = packed(&columns(&out_w, hid, v, vocab), hid, vocab.1 - vocab.0);
                PartWeights {
                    units,
                    layers: packs,
                    bias: biases,
                    table,
                    dense,
                    dense_bias,
                    vocab,
                    out,
                    out_bias: out_b[vocab.0..vocab.1].to_vec(),
                }
            })
            .collect();
        let parts = weights
            .iter()
            .map(|w| {
                let hp = w.units.1 - w.units.0;
                let vp = w.vocab.1 - w.vocab.0;
                PartState {
                    h: vec![vec![0.0; capacity * hp]; layers],
                    c: vec![vec![0.0; capacity * hp]; layers],
                    gates: vec![0.0; capacity * 4 * hp],
                    z: vec![0.0; capacity * hp],
                    logits: vec![0.0; capacity * vp],
                    c_new: vec![0.0; capacity * hp],
                    c_tanh: vec![0.0; capacity * hp],
                }
            })
            .collect();
        Sampler {
            hidden: hid,
            layers,
            vocab: v,
            activation: cfg.recurrent_activation,
            capacity,
            rows: 0,
            weights,
            parts,
            xh: vec![0.0; capacity * 2 * hid],
            z: vec![0.0; capacity * hid],
            logits: vec![0.0; capacity * v],
        }
    }

    /// Width of the output distribution (the model's vocabulary size).
    pub fn vocab_size(&self) -> usize {
        self.vocab
    }

    /// Sequences currently held.
    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Adds a sequence as the last row; its state starts as `init` says
    /// (random states are drawn from `rng`: layer by layer, `h` then `c`).
    pub fn push_row(&mut self, init: InitState, rng: &mut Rng) -> usize {
        assert!(self.rows < self.capacity, "sampler is full");
        let r = self.rows;
        self.rows += 1;
        for l in 0..self.layers {
            for which in 0..2 {
                for part in &mut self.parts {
                    let hp = part.h[l].len() / self.capacity;
                    let buf = if which == 0 {
                        &mut part.h[l]
                    } else {
                        &mut part.c[l]
                    };
                    for x in &mut buf[r * hp..(r + 1) * hp] {
                        *x = match init {
                            InitState::Zeros => 0.0,
                            InitState::Random => rng.uniform_f32(),
                        };
                    }
                }
            }
        }
        r
    }

    /// Removes row `r`; the last row takes its place (as `Vec::swap_remove`).
    pub fn swap_remove_row(&mut self, r: usize) {
        assert!(r < self.rows);
        let last = self.rows - 1;
        if r != last {
            for part in &mut self.parts {
                let hp = part.h[0].len() / self.capacity;
                for buf in part.h.iter_mut().chain(part.c.iter_mut()) {
                    buf.copy_within(last * hp..(last + 1) * hp, r * hp);
                }
            }
        }
        self.rows = last;
    }

    /// Removes every row.
    pub fn clear(&mut self) {
        self.rows = 0;
    }

    /// Feeds one token to every row and returns the next-token logits
    /// `[rows, V]`. A token past the embedding's rows embeds as zeros.
    pub fn step(&mut self, tokens: &[u32]) -> &[f32] {
        let m = self.rows;
        assert_eq!(tokens.len(), m, "one token per row");
        let (hid, v, cap, layers, act) = (
            self.hidden,
            self.vocab,
            self.capacity,
            self.layers,
            self.activation,
        );
        for l in 0..layers {
            // Layer input [x | h_prev] (layer 0: h_prev only).
            let k = if l == 0 { hid } else { 2 * hid };
            for r in 0..m {
                let row = &mut self.xh[r * k..(r + 1) * k];
                for (w, s) in self.weights.iter().zip(&self.parts) {
                    let (u0, u1) = w.units;
                    let hp = u1 - u0;
                    if l == 0 {
                        row[u0..u1].copy_from_slice(&s.h[0][r * hp..(r + 1) * hp]);
                    } else {
                        row[u0..u1].copy_from_slice(&s.h[l - 1][r * hp..(r + 1) * hp]);
                        row[hid + u0..hid + u1].copy_from_slice(&s.h[l][r * hp..(r + 1) * hp]);
                    }
                }
            }
            let xh = &self.xh[..m * k];
            self.parts
                .par_iter_mut()
                .zip(self.weights.par_iter())
                .for_each(|(s, w)| {
                    let hp = w.units.1 - w.units.0;
                    let g4 = 4 * hp;
                    let gates = &mut s.gates[..m * g4];
                    for (r, row) in gates.chunks_exact_mut(g4).enumerate() {
                        if l == 0 {
                            let t = tokens[r] as usize;
                            if t < v {
                                row.copy_from_slice(&w.table[t * g4..(t + 1) * g4]);
                            } else {
                                row.copy_from_slice(&w.bias[0]);
                            }
                        } else {
                            row.copy_from_slice(&w.bias[l]);
                        }
                    }
                    gemm_packed(xh, k, m, &w.layers[l], gates, g4);
                    forward_cells(
                        act,
                        hp,
                        gates,
                        Some(&s.c[l][..m * hp]),
                        &mut s.c_new[..m * hp],
                        &mut s.c_tanh[..m * hp],
                        &mut s.h[l][..m * hp],
                    );
                    // The new cell state becomes the state; rows past `m`
                    // are written before they are read (see `push_row`).
                    std::mem::swap(&mut s.c[l], &mut s.c_new);
                });
        }
        // Top layer's output, gathered.
        for r in 0..m {
            for (w, s) in self.weights.iter().zip(&self.parts) {
                let (u0, u1) = w.units;
                let hp = u1 - u0;
                self.z[r * hid + u0..r * hid + u1]
                    .copy_from_slice(&s.h[layers - 1][r * hp..(r + 1) * hp]);
            }
        }
        let top = &self.z[..m * hid];
        self.parts
            .par_iter_mut()
            .zip(self.weights.par_iter())
            .for_each(|(s, w)| {
                let hp = w.units.1 - w.units.0;
                let z = &mut s.z[..m * hp];
                for row in z.chunks_exact_mut(hp) {
                    row.copy_from_slice(&w.dense_bias);
                }
                gemm_packed(top, hid, m, &w.dense, z, hp);
                for x in z.iter_mut() {
                    *x = x.max(0.0);
                }
            });
        for r in 0..m {
            for (w, s) in self.weights.iter().zip(&self.parts) {
                let (u0, u1) = w.units;
                let hp = u1 - u0;
                self.z[r * hid + u0..r * hid + u1].copy_from_slice(&s.z[r * hp..(r + 1) * hp]);
            }
        }
        let dense = &self.z[..m * hid];
        self.parts
            .par_iter_mut()
            .zip(self.weights.par_iter())
            .for_each(|(s, w)| {
                let vp = w.vocab.1 - w.vocab.0;
                let out = &mut s.logits[..m * vp];
                for row in out.chunks_exact_mut(vp) {
                    row.copy_from_slice(&w.out_bias);
                }
                gemm_packed(dense, hid, m, &w.out, out, vp);
            });
        for r in 0..m {
            for (w, s) in self.weights.iter().zip(&self.parts) {
                let (v0, v1) = w.vocab;
                let vp = v1 - v0;
                self.logits[r * v + v0..r * v + v1]
                    .copy_from_slice(&s.logits[r * vp..(r + 1) * vp]);
            }
        }
        let _ = cap;
        &self.logits[..m * v]
    }
}

/// How the next token is drawn from the logits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SampleOptions {
    /// `p^(1/T)`; 0 is greedy (the most likely token).
    pub temperature: f64,
    /// Keep only the `k` most likely tokens.
    pub top_k: Option<usize>,
    /// Keep the most likely tokens whose probabilities add up to `p`.
    pub top_p: Option<f64>,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            temperature: 1.0,
            top_k: None,
            top_p: None,
        }
    }
}

impl SampleOptions {
    pub fn validate(&self) -> Result<(), String> {
        if !(self.temperature >= 0.0 && self.temperature.is_finite()) {
            return Err(format!(
                "temperature must be a finite number >= 0 (0 is greedy), not {}",
                self.temperature
            ));
        }
        if self.top_k == Some(0) {
            return Err("top-k must be at least 1".into());
        }
        if let Some(p) = self.top_p {
            if !(p > 0.0 && p <= 1.0) {
                return Err(format!("top-p must be in (0, 1], not {p}"));
            }
        }
        Ok(())
    }
}

/// Draws a token from `logits` (entries of `-inf` are never drawn, unless
/// all are). Probabilities are `exp((l - max) / T)`, computed in log space, so
/// a temperature near 0 approaches greedy decoding without overflow.
pub fn sample_token(
    logits: &[f32],
    opts: &SampleOptions,
    rng: &mut Rng,
    scratch: &mut Vec<(f64, u32)>,
) -> u32 {
    let argmax = || {
        let mut best = 0;
        for (i, &x) in logits.iter().enumerate() {
            if x > logits[best] {
                best = i;
            }
        }
        best as u32
    };
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if opts.temperature == 0.0 || opts.top_k == Some(1) || max == f32::NEG_INFINITY {
        return argmax();
    }
    let t = opts.temperature;
    scratch.clear();
    for (i, &x) in logits.iter().enumerate() {
        let p = ((x as f64 - max as f64) / t).exp();
        if p > 0.0 {
            scratch.push((p, i as u32));
        }
    }
    if opts.top_k.is_some() || opts.top_p.is_some() {
        // Most likely first; ties by index, so the order is total.
        scratch.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        if let Some(k) = opts.top_k {
            scratch.truncate(k.max(1));
        }
        if let Some(p) = opts.top_p {
            let total: f64 = scratch.iter().map(|e| e.0).sum();
            let mut acc = 0.0;
            let mut keep = scratch.len();
            for (i, e) in scratch.iter().enumerate() {
                acc += e.0;
                if acc >= p * total {
                    keep = i + 1;
                    break;
                }
            }
            scratch.truncate(keep.max(1));
        }
    }
    let total: f64 = scratch.iter().map(|e| e.0).sum();
    let mut u = rng.uniform_f64() * total;
    for &(p, i) in scratch.iter() {
        if u < p {
            return i;
        }
        u -= p;
    }
    scratch.last().map_or_else(argmax, |e| e.1)
}

/// Steers one sequence: sees every token it emits and may force the next
/// ones or forbid some.
pub trait Steer {
    /// Called after `token` was appended (sampled or forced); tokens pushed
    /// onto `forced` are fed next instead of sampled, in order.
    fn after(&mut self, token: u32, forced: &mut VecDeque<u32>);
    /// May set logits to `-inf` before the next token is sampled.
    fn restrict(&self, _logits: &mut [f32]) {}
}

/// No steering.
pub struct Free;

impl Steer for Free {
    fn after(&mut self, _token: u32, _forced: &mut VecDeque<u32>) {}
}

/// One sequence to generate.
pub struct Request<S> {
    /// The first token (the start symbol).
    pub start: u32,
    /// Draws the random initial state, then every sampled token.
    pub rng: Rng,
    pub steer: S,
}

/// Options of a generation run.
#[derive(Clone, Copy, Debug)]
pub struct GenerateOptions {
    pub sampling: SampleOptions,
    /// Longest sequence, start token included.
    pub max_len: usize,
    /// Generation of a sequence ends after this token.
    pub stop: Option<u32>,
    pub init: InitState,
}

/// A generated sequence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// Start token, everything sampled or forced, and the stop token if reached.
    pub tokens: Vec<u32>,
    /// Whether it ended with the stop token (not by the length limit).
    pub stopped: bool,
    /// How many tokens were fed through the network.
    pub steps: usize,
}

struct Active<S> {
    index: usize,
    tokens: Vec<u32>,
    forced: VecDeque<u32>,
    rng: Rng,
    steer: S,
    steps: usize,
}

/// Generates one sequence per request, at most `sampler.capacity()` at a
/// time; a finished sequence's row is given to the next request. The result
/// for a request depends only on the request, not on the batch.
pub fn generate<S: Steer>(
    sampler: &mut Sampler,
    requests: Vec<Request<S>>,
    opts: &GenerateOptions,
) -> Vec<Generated> {
    let n = requests.len();
    let mut results: Vec<Option<Generated>> = (0..n).map(|_| None).collect();
    let mut pending = requests.into_iter().enumerate();
    let mut active: Vec<Active<S>> = Vec::new();
    sampler.clear();
    let mut scratch = Vec::new();
    let mut inputs: Vec<u32> = Vec::new();
    let max_len = opts.max_len.max(1);
    loop {
        // Fill free rows.
        while active.len() < sampler.capacity() {
            let Some((index, req)) = pending.next() else {
                break;
            };
            let mut rng = req.rng;
            sampler.push_row(opts.init, &mut rng);
            let mut a = Active {
                index,
                tokens: vec![req.start],
                forced: VecDeque::new(),
                rng,
                steer: req.steer,
                steps: 0,
            };
            a.steer.after(req.start, &mut a.forced);
            if max_len <= 1 || Some(req.start) == opts.stop {
                // Nothing to generate.
                sampler.swap_remove_row(sampler.rows() - 1);
                results[index] = Some(Generated {
                    tokens: a.tokens,
                    stopped: Some(req.start) == opts.stop,
                    steps: 0,
                });
            } else {
                active.push(a);
            }
        }
        if active.is_empty() {
            break;
        }
        inputs.clear();
        inputs.extend(
            active
                .iter()
                .map(|a| *a.tokens.last().expect("start token")),
        );
        let v = sampler.vocab_size();
        let logits = sampler.step(&inputs).to_vec();
        let mut finished = Vec::new();
        for (r, a) in active.iter_mut().enumerate() {
            a.steps += 1;
            let next = match a.forced.pop_front() {
                Some(t) => t,
                None => {
                    let row = &mut logits[r * v..(r + 1) * v].to_vec();
                    a.steer.restrict(row);
                    sample_token(row, &opts.sampling, &mut a.rng, &mut scratch)
                }
            };
            a.tokens.push(next);
            let stopped = Some(next) == opts.stop;
            if stopped || a.tokens.len() >= max_len {
                finished.push((r, stopped));
            } else {
                a.steer.after(next, &mut a.forced);
            }
        }
        // Remove from the back so that swapped-in rows are already done with.
        for &(r, stopped) in finished.iter().rev() {
            sampler.swap_remove_row(r);
            let a = active.swap_remove(r);
            results[a.index] = Some(Generated {
                tokens: a.tokens,
                stopped,
                steps: a.steps,
            });
        }
    }
    results
        .into_iter()
        .map(|r| r.expect("every request finishes"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ModelConfig;
    use crate::packed_batch::PackedBatch;

    fn model(tied: bool, hidden: usize, layers: usize) -> Model<f32> {
        let cfg = ModelConfig {
            vocab_size: 11,
            hidden,
            layers,
            dropout: 0.3,
            tied,
            recurrent_activation: RecurrentActivation::Sigmoid,
        };
        let mut m = Model::<f32>::new(cfg, 5);
        // Give the biases and the untied output some weight too.
        let mut rng = Rng::new(9);
        for x in m.params.iter_mut() {
            *x += (rng.uniform_f32() - 0.5) * 0.2;
        }
        m
    }

    fn log_softmax_at(row: &[f32], t: usize) -> f64 {
        let max = row.iter().copied().fold(f32::MIN, f32::max) as f64;
        let s: f64 = row.iter().map(|&x| (x as f64 - max).exp()).sum();
        row[t] as f64 - max - s.ln()
    }

    #[test]
    fn batched_steps_agree_with_the_training_forward_pass() {
        for (tied, layers) in [(true, 2), (false, 1), (false, 3)] {
            let m = model(tied, 13, layers);
            let seqs: Vec<Vec<u32>> = vec![
                vec![10, 1, 2, 3, 4, 5, 6, 0],
                vec![10, 7, 7, 2, 0],
                vec![10, 3, 9, 8, 1, 1, 2, 5, 4, 0],
            ];
            let refs: Vec<&[u32]> = seqs.iter().map(|s| s.as_slice()).collect();
            let batch = PackedBatch::pack(&refs);
            let mut ws = m.workspace(batch.rows(), seqs.len());
            let want = m.evaluate(&batch, &mut ws);

            let mut s = Sampler::new(&m, 4);
            let mut rng = Rng::new(0);
            for _ in &seqs {
                s.push_row(InitState::Zeros, &mut rng);
            }
            let longest = seqs.iter().map(|q| q.len()).max().unwrap();
            let mut loss = 0.0;
            let mut positions = 0;
            for t in 0..longest - 1 {
                // Finished sequences keep being fed (padding), not counted.
                let toks: Vec<u32> = seqs.iter().map(|q| q[t.min(q.len() - 1)]).collect();
                let logits = s.step(&toks).to_vec();
                for (r, q) in seqs.iter().enumerate() {
                    if t + 1 < q.len() {
                        loss -= log_softmax_at(&logits[r * 11..(r + 1) * 11], q[t + 1] as usize);
                        positions += 1;
                    }
                }
            }
            assert_eq!(positions, want.positions);
            assert!(
                (loss - want.loss_sum).abs() < 1e-5 * positions as f64,
                "tied {tied} layers {layers}: {loss} vs {}",
                want.loss_sum
            );
        }
    }

    #[test]
    fn a_row_gives_the_same_logits_in_any_batch() {
        let m = model(true, 37, 2);
        let mut one = Sampler::new(&m, 1);
        let mut many = Sampler::new(&m, 9);
        let mut rng = Rng::new(1);
        one.push_row(InitState::Zeros, &mut rng);
        for _ in 0..9 {
            many.push_row(InitState::Zeros, &mut rng);
        }
        for t in 0..6u32 {
            let a = one.step(&[t % 11]).to_vec();
            let toks: Vec<u32> = (0..9).map(|r| if r == 4 { t % 11 } else { r }).collect();
            let b = many.step(&toks)[4 * 11..5 * 11].to_vec();
            assert_eq!(a, b, "step {t}");
        }
    }

    #[test]
    fn temperature_zero_is_greedy_and_tiny_temperatures_are_too() {
        let logits = [0.1f32, 2.0, 1.99, -3.0];
        let mut rng = Rng::new(3);
        let mut scratch = Vec::new();
        for t in [0.0, 1e-12, 1e-3] {
            let o = SampleOptions {
                temperature: t,
                ..SampleOptions::default()
            };
            for _ in 0..50 {
                assert_eq!(sample_token(&logits, &o, &mut rng, &mut scratch), 1);
            }
        }
        // A high temperature reaches every token.
        let o = SampleOptions {
            temperature: 100.0,
            ..SampleOptions::default()
        };
        let mut seen = [false; 4];
        for _ in 0..400 {
            seen[sample_token(&logits, &o, &mut rng, &mut scratch) as usize] = true;
        }
        assert_eq!(seen, [true; 4]);
        assert!(SampleOptions {
            temperature: -0.5,
            ..o
        }
        .validate()
        .is_err());
        assert!(SampleOptions {
            temperature: f64::NAN,
            ..o
        }
        .validate()
        .is_err());
    }

    #[test]
    fn top_k_and_top_p_cut_the_tail() {
        let logits = [3.0f32, 2.9, 0.0, -1.0, 2.8];
        let mut rng = Rng::new(4);
        let mut scratch = Vec::new();
        let o = SampleOptions {
            temperature: 1.0,
            top_k: Some(2),
            top_p: None,
        };
        let mut seen = [0; 5];
        for _ in 0..500 {
            seen[sample_token(&logits, &o, &mut rng, &mut scratch) as usize] += 1;
        }
        assert!(seen[0] > 0 && seen[1] > 0);
        assert_eq!(seen[2] + seen[3] + seen[4], 0);
        let o = SampleOptions {
            temperature: 1.0,
            top_k: None,
            top_p: Some(0.5),
        };
        let mut seen = [0; 5];
        for _ in 0..500 {
            seen[sample_token(&logits, &o, &mut rng, &mut scratch) as usize] += 1;
        }
        // p(0) ≈ 0.36, p(1) ≈ 0.33: two tokens reach 0.5.
        assert!(seen[0] > 0 && seen[1] > 0);
        assert_eq!(seen[2] + seen[3] + seen[4], 0);
        // Masked tokens are never drawn.
        let masked = [f32::NEG_INFINITY, 1.0, f32::NEG_INFINITY];
        for _ in 0..50 {
            assert_eq!(
                sample_token(&masked, &SampleOptions::default(), &mut rng, &mut scratch),
                1
            );
        }
    }

    struct ForceAfter {
        trigger: u32,
        value: Vec<u32>,
        done: bool,
    }

    impl Steer for ForceAfter {
        fn after(&mut self, token: u32, forced: &mut VecDeque<u32>) {
            if token == self.trigger && !self.done {
                self.done = true;
                forced.extend(&self.value);
            }
        }
        fn restrict(&self, logits: &mut [f32]) {
            logits[0] = f32::NEG_INFINITY;
        }
    }

    #[test]
    fn generation_is_the_same_in_any_batch_and_forcing_feeds_tokens() {
        let m = model(true, 24, 2);
        let opts = GenerateOptions {
            sampling: SampleOptions::default(),
            max_len: 40,
            stop: Some(3),
            init: InitState::Random,
        };
        let reqs = |n: usize| -> Vec<Request<ForceAfter>> {
            (0..n)
                .map(|i| Request {
                    start: 10,
                    rng: Rng::for_stream(7, &[i as u64]),
                    steer: ForceAfter {
                        trigger: 10,
                        value: vec![5, 6, 5],
                        done: false,
                    },
                })
                .collect()
        };
        let all = generate(&mut Sampler::new(&m, 8), reqs(11), &opts);
        let small = generate(&mut Sampler::new(&m, 3), reqs(11), &opts);
        let single = generate(&mut Sampler::new(&m, 1), reqs(1), &opts);
        assert_eq!(all, small);
        assert_eq!(all[0], single[0]);
        for g in &all {
            assert_eq!(&g.tokens[..4], &[10, 5, 6, 5]);
            assert!(g.tokens.len() <= 40);
            assert_eq!(g.stopped, g.tokens.last() == Some(&3));
            assert!(!g.tokens[1..].contains(&0), "restricted token drawn");
        }
        let distinct: std::collections::HashSet<_> = all.iter().map(|g| &g.tokens).collect();
        assert!(distinct.len() > 1, "streams differ between sequences");
    }
}
