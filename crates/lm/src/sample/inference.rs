//! Incremental inference for a batch of sequences.
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
//!
//! The weights come from the model's own views ([`Model::embedding`],
//! [`Model::lstm_weights`], [`Model::dense_weights`], [`Model::output_weights`]),
//! the accessors the training forward pass uses, never from offsets into the
//! parameter block: the two forward implementations cannot read different
//! tensors. `batched_steps_agree_with_the_training_forward_pass` checks they
//! compute the same logits.

use rayon::prelude::*;

use crate::config::RecurrentActivation;
use crate::kernels::packed::{gemm_packed, PackedB};
use crate::kernels::{gemm, Mat};
use crate::layers::lstm::forward_cells;
use crate::layers::output::OutputWeights;
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
    type Err = crate::LmError;
    fn from_str(s: &str) -> Result<Self, crate::LmError> {
        match s {
            "zeros" => Ok(InitState::Zeros),
            "random" => Ok(InitState::Random),
            other => Err(crate::LmError::UnknownValue {
                what: "initial state",
                value: other.to_string(),
                expected: "zeros or random",
            }),
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
        let capacity = capacity.max(1);
        // The model's own weight views, as the training forward pass reads them.
        let emb = model.embedding();
        let dense_w = model.dense_weights();
        // Output weights as [H, V].
        let (out_w, out_b): (Vec<f32>, Vec<f32>) = match model.output_weights() {
            OutputWeights::Tied { embedding } => {
                let mut t = vec![0.0; hid * v];
                for r in 0..v {
                    for c in 0..hid {
                        t[c * v + r] = embedding[r * hid + c];
                    }
                }
                (t, vec![0.0; v])
            }
            OutputWeights::Dense { kernel, bias } => (kernel.to_vec(), bias.to_vec()),
        };
        let weights: Vec<PartWeights> = (0..PARTS)
            .map(|part| {
                let units = split(hid, PARTS, part);
                let hp = units.1 - units.0;
                let mut packs = Vec::with_capacity(layers);
                let mut biases = Vec::with_capacity(layers);
                let mut table = Vec::new();
                for l in 0..layers {
                    let w = model.lstm_weights(l);
                    let bias = gate_columns(w.bias, 1, hid, units);
                    let rec_cols = gate_columns(w.recurrent, hid, hid, units);
                    if l == 0 {
                        // table = E · W₀[:, part] + b.
                        let k_cols = gate_columns(w.kernel, w.input, hid, units);
                        table = vec![0.0; v * 4 * hp];
                        for row in table.chunks_exact_mut(4 * hp) {
                            row.copy_from_slice(&bias);
                        }
                        gemm(
                            1.0,
                            Mat::new(emb, v, hid),
                            Mat::new(&k_cols, w.input, 4 * hp),
                            1.0,
                            &mut table,
                            4 * hp,
                        );
                        packs.push(packed(&rec_cols, hid, 4 * hp));
                    } else {
                        let mut stacked = gate_columns(w.kernel, w.input, hid, units);
                        stacked.extend_from_slice(&rec_cols);
                        packs.push(packed(&stacked, w.input + hid, 4 * hp));
                    }
                    biases.push(bias);
                }
                let dense = packed(&columns(dense_w.kernel, hid, hid, units), hid, hp);
                let dense_bias = dense_w.bias[units.0..units.1].to_vec();
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
        if rayon::current_thread_index().is_none() {
            // Called from outside the thread pool (the command line's main
            // thread, the server's batching thread): enter it once for the
            // whole step. Each of the step's four parallel sections entered
            // it on its own, and every entry costs two thread wake-ups (the
            // pool's, then the caller's), which at one card at a time cost
            // more than the products.
            return rayon::scope(|_| self.step_in_pool(tokens));
        }
        self.step_in_pool(tokens)
    }

    fn step_in_pool(&mut self, tokens: &[u32]) -> &[f32] {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packed_batch::PackedBatch;
    use crate::sample::test_model as model;

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
}
