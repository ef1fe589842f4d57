//! Scheduling: which sequence runs in which row of a [`Sampler`], what
//! each is fed (sampled, or forced by its [`Steer`]), and when it ends.

use std::collections::VecDeque;

use super::inference::{InitState, Sampler};
use super::policy::{sample_token, SampleOptions};
use crate::rng::Rng;

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
#[derive(Clone, Debug, PartialEq)]
pub struct Generated {
    /// Start token, everything sampled or forced, and the stop token if reached.
    pub tokens: Vec<u32>,
    /// Whether it ended with the stop token (not by the length limit).
    pub stopped: bool,
    /// How many tokens were fed through the network.
    pub steps: usize,
    /// Tokens sampled (not forced).
    pub sampled: usize,
    /// Sum over the sampled tokens of their natural log-probability under the
    /// model at temperature 1 (after the steer's restrictions): how likely the
    /// model itself finds what it wrote, whatever the sampling temperature.
    pub log_prob: f64,
    /// For each token after the start token, in order: its natural
    /// log-probability as in [`Generated::log_prob`] when it was sampled,
    /// `None` when it was forced. A caller weighs parts of a sequence by it
    /// (a card's rules text apart from its invented name).
    pub token_log_probs: Vec<Option<f32>>,
}

impl Generated {
    /// Mean log-probability per sampled token (0 when none was sampled).
    pub fn mean_log_prob(&self) -> f64 {
        if self.sampled == 0 {
            0.0
        } else {
            self.log_prob / self.sampled as f64
        }
    }
}

/// `ln softmax(logits)[t]`, in f64; `-inf` entries count as probability 0.
pub fn log_softmax_at(logits: &[f32], t: usize) -> f64 {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
    if !max.is_finite() {
        return f64::NEG_INFINITY;
    }
    let sum: f64 = logits.iter().map(|&x| (x as f64 - max).exp()).sum();
    logits[t] as f64 - max - sum.ln()
}

/// A sequence in a row of the sampler.
struct Active<K, S> {
    key: K,
    tokens: Vec<u32>,
    forced: VecDeque<u32>,
    rng: Rng,
    steer: S,
    steps: usize,
    sampled: usize,
    log_prob: f64,
    token_log_probs: Vec<Option<f32>>,
    opts: GenerateOptions,
}

/// The sequences in the rows of one [`Sampler`], row `r` of the sampler
/// holding the `r`-th sequence here. Sequences come and go between steps
/// (continuous batching): [`Batch::admit`] starts one in a free row,
/// [`Batch::step`] advances every row and frees the rows of the sequences
/// that ended, [`Batch::retain`] drops sequences nobody waits for any more.
/// Each sequence carries its own options and random stream, so what it
/// generates depends only on its request, not on its neighbours.
pub struct Batch<K, S> {
    active: Vec<Active<K, S>>,
    inputs: Vec<u32>,
    row: Vec<f32>,
    scratch: Vec<(f64, u32)>,
}

impl<K, S: Steer> Default for Batch<K, S> {
    fn default() -> Self {
        Batch {
            active: Vec::new(),
            inputs: Vec::new(),
            row: Vec::new(),
            scratch: Vec::new(),
        }
    }
}

impl<K, S: Steer> Batch<K, S> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sequences running.
    pub fn len(&self) -> usize {
        self.active.len()
    }

    pub fn is_empty(&self) -> bool {
        self.active.is_empty()
    }

    /// The keys of the sequences running, in row order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.active.iter().map(|a| &a.key)
    }

    /// Starts `req` in a new row of `sampler` (which must have one free). A
    /// request with nothing to generate (its start token is the stop token,
    /// or `max_len` is 1) finishes at once and is returned.
    pub fn admit(
        &mut self,
        sampler: &mut Sampler,
        key: K,
        req: Request<S>,
        opts: GenerateOptions,
    ) -> Option<(K, Generated)> {
        debug_assert_eq!(sampler.rows(), self.active.len());
        let mut rng = req.rng;
        sampler.push_row(opts.init, &mut rng);
        let mut a = Active {
            key,
            tokens: vec![req.start],
            forced: VecDeque::new(),
            rng,
            steer: req.steer,
            steps: 0,
            sampled: 0,
            log_prob: 0.0,
            token_log_probs: Vec::new(),
            opts,
        };
        a.steer.after(req.start, &mut a.forced);
        if opts.max_len.max(1) <= 1 || Some(req.start) == opts.stop {
            // Nothing to generate.
            sampler.swap_remove_row(sampler.rows() - 1);
            let generated = Generated {
                tokens: a.tokens,
                stopped: Some(req.start) == opts.stop,
                steps: 0,
                sampled: 0,
                log_prob: 0.0,
                token_log_probs: Vec::new(),
            };
            Some((a.key, generated))
        } else {
            self.active.push(a);
            None
        }
    }

    /// Feeds every row its next token and draws (or takes the forced) token
    /// after it; returns the sequences that ended, their rows freed.
    pub fn step(&mut self, sampler: &mut Sampler) -> Vec<(K, Generated)> {
        assert_eq!(
            sampler.rows(),
            self.active.len(),
            "rows and sequences agree"
        );
        if self.active.is_empty() {
            return Vec::new();
        }
        self.inputs.clear();
        self.inputs.extend(
            self.active
                .iter()
                .map(|a| *a.tokens.last().expect("start token")),
        );
        let v = sampler.vocab_size();
        let logits = sampler.step(&self.inputs);
        let mut finished = Vec::new();
        for (r, a) in self.active.iter_mut().enumerate() {
            a.steps += 1;
            let next = match a.forced.pop_front() {
                Some(t) => {
                    a.token_log_probs.push(None);
                    t
                }
                None => {
                    self.row.clear();
                    self.row.extend_from_slice(&logits[r * v..(r + 1) * v]);
                    a.steer.restrict(&mut self.row);
                    let t =
                        sample_token(&self.row, &a.opts.sampling, &mut a.rng, &mut self.scratch);
                    let log_prob = log_softmax_at(&self.row, t as usize);
                    a.sampled += 1;
                    a.log_prob += log_prob;
                    a.token_log_probs.push(Some(log_prob as f32));
                    t
                }
            };
            a.tokens.push(next);
            let stopped = Some(next) == a.opts.stop;
            if stopped || a.tokens.len() >= a.opts.max_len.max(1) {
                finished.push((r, stopped));
            } else {
                a.steer.after(next, &mut a.forced);
            }
        }
        // Remove from the back so that swapped-in rows are already done with.
        let mut out = Vec::with_capacity(finished.len());
        for &(r, stopped) in finished.iter().rev() {
            sampler.swap_remove_row(r);
            let a = self.active.swap_remove(r);
            out.push((
                a.key,
                Generated {
                    tokens: a.tokens,
                    stopped,
                    steps: a.steps,
                    sampled: a.sampled,
                    log_prob: a.log_prob,
                    token_log_probs: a.token_log_probs,
                },
            ));
        }
        out
    }

    /// Keeps only the sequences whose key passes `keep`; the others' rows
    /// are freed (a cancelled request, a passed deadline).
    pub fn retain(&mut self, sampler: &mut Sampler, mut keep: impl FnMut(&K) -> bool) {
        assert_eq!(
            sampler.rows(),
            self.active.len(),
            "rows and sequences agree"
        );
        // From the back: the row swapped into `r` has been looked at already.
        for r in (0..self.active.len()).rev() {
            if !keep(&self.active[r].key) {
                sampler.swap_remove_row(r);
                self.active.swap_remove(r);
            }
        }
    }
}

/// Generates one sequence per request, at most `sampler.capacity()` at a
/// time; a finished sequence's row is given to the next request. The result
/// for a request depends only on the request, not on the batch.
pub fn generate<S: Steer + Send>(
    sampler: &mut Sampler,
    requests: Vec<Request<S>>,
    opts: &GenerateOptions,
) -> Vec<Generated> {
    if rayon::current_thread_index().is_none() {
        // Entered once for the whole run rather than once per step (see
        // `Sampler::step`): the steps' parallel sections then start on a
        // thread of the pool and cost no wake-up of the caller.
        return rayon::scope(|_| generate_in_pool(sampler, requests, opts));
    }
    generate_in_pool(sampler, requests, opts)
}

fn generate_in_pool<S: Steer>(
    sampler: &mut Sampler,
    requests: Vec<Request<S>>,
    opts: &GenerateOptions,
) -> Vec<Generated> {
    let n = requests.len();
    let mut results: Vec<Option<Generated>> = (0..n).map(|_| None).collect();
    let mut pending = requests.into_iter().enumerate();
    let mut batch = Batch::new();
    sampler.clear();
    loop {
        // Fill free rows.
        while batch.len() < sampler.capacity() {
            let Some((index, req)) = pending.next() else {
                break;
            };
            if let Some((index, g)) = batch.admit(sampler, index, req, *opts) {
                results[index] = Some(g);
            }
        }
        if batch.is_empty() {
            break;
        }
        for (index, g) in batch.step(sampler) {
            results[index] = Some(g);
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
    use crate::sample::test_model as model;

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
            assert_eq!(&g.token_log_probs[..3], &[None, None, None]);
            assert!(g.token_log_probs[3..].iter().all(Option::is_some));
            assert!(g.tokens.len() <= 40);
            assert_eq!(g.stopped, g.tokens.last() == Some(&3));
            assert!(!g.tokens[1..].contains(&0), "restricted token drawn");
        }
        let distinct: std::collections::HashSet<_> = all.iter().map(|g| &g.tokens).collect();
        assert!(distinct.len() > 1, "streams differ between sequences");
    }

    #[test]
    fn a_sequence_admitted_mid_run_or_beside_cancelled_ones_is_unchanged() {
        let m = model(false, 20, 2);
        let opts = GenerateOptions {
            sampling: SampleOptions::default(),
            max_len: 30,
            stop: Some(3),
            init: InitState::Zeros,
        };
        let req = |i: u64| Request {
            start: 10,
            rng: Rng::for_stream(11, &[i]),
            steer: Free,
        };
        let alone = generate(&mut Sampler::new(&m, 1), vec![req(0)], &opts);
        // Request 0 joins after two steps of three others; two of those are
        // dropped halfway through.
        let mut sampler = Sampler::new(&m, 4);
        let mut batch = Batch::new();
        for i in 1..4 {
            assert!(batch.admit(&mut sampler, i, req(i), opts).is_none());
        }
        let mut done = Vec::new();
        for _ in 0..2 {
            done.extend(batch.step(&mut sampler));
        }
        assert!(batch.admit(&mut sampler, 0, req(0), opts).is_none());
        done.extend(batch.step(&mut sampler));
        batch.retain(&mut sampler, |&k| k == 0 || k == 2);
        assert!(batch.keys().all(|&k| k == 0 || k == 2));
        assert_eq!(sampler.rows(), batch.len());
        while !batch.is_empty() {
            done.extend(batch.step(&mut sampler));
        }
        let zero = done.into_iter().find(|(k, _)| *k == 0).unwrap().1;
        assert_eq!(zero, alone[0]);
    }

    #[test]
    fn the_log_probability_is_the_models_own_at_temperature_one() {
        let m = model(true, 16, 2);
        let opts = GenerateOptions {
            sampling: SampleOptions {
                temperature: 0.7,
                ..SampleOptions::default()
            },
            max_len: 30,
            stop: Some(3),
            init: InitState::Zeros,
        };
        let req = Request {
            start: 10,
            rng: Rng::for_stream(5, &[0]),
            steer: Free,
        };
        let g = generate(&mut Sampler::new(&m, 2), vec![req], &opts).remove(0);
        assert_eq!(g.sampled, g.tokens.len() - 1);
        // Replayed one token at a time, teacher-forced: the same sum.
        let mut sampler = Sampler::new(&m, 1);
        sampler.push_row(InitState::Zeros, &mut Rng::for_stream(0, &[]));
        let mut expected = 0.0;
        for w in g.tokens.windows(2) {
            let logits = sampler.step(&[w[0]]).to_vec();
            expected += log_softmax_at(&logits, w[1] as usize);
        }
        assert!(
            (g.log_prob - expected).abs() < 1e-9,
            "{} {expected}",
            g.log_prob
        );
        assert!(g.log_prob < 0.0 && g.mean_log_prob() < 0.0);
        // One per token after the start, summing to the total.
        assert_eq!(g.token_log_probs.len(), g.tokens.len() - 1);
        let sum: f64 = g.token_log_probs.iter().map(|x| x.unwrap() as f64).sum();
        assert!((sum - g.log_prob).abs() < 1e-4, "{sum} {}", g.log_prob);
        assert!((log_softmax_at(&[0.0, 0.0], 1) - 0.5f64.ln()).abs() < 1e-12);
        assert_eq!(
            log_softmax_at(&[f32::NEG_INFINITY, 1.0], 0),
            f64::NEG_INFINITY
        );
    }
}
