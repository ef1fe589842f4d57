//! One optimisation step on several cores: the batch is split into one part
//! per worker (cards dealt round-robin by length, so the parts are equally
//! long), each worker runs single-threaded products on its part, and the
//! gradients are summed in a fixed order, so a given thread count always
//! gives the same result.
//!
//! With [`RecurrentSplit::Columns`] the workers also share each recurrent
//! step by hidden units ([`crate::team`]), so each reads only its share of
//! `U` per step; the results are the same bits either way.

use crate::adam::{Adam, AdamConfig};
use crate::kernels::Mat;
use crate::layers::lstm::PackedRecurrent;
use crate::model::{LossStats, Mode, Model, Recurrent, Workspace};
use crate::packed_batch::PackedBatch;
use crate::rng::Rng;
use crate::team::{Seat, Team};
use rayon::prelude::*;

/// How the workers share the recurrent step of a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecurrentSplit {
    /// Each worker runs the steps of its own cards, reading all of `U`.
    Cards,
    /// The workers run every step together, each for its share of the
    /// hidden units of all cards, meeting at a barrier after each step.
    Columns,
}

impl RecurrentSplit {
    /// The split named by `CARDLM_RECURRENT_SPLIT` (`cards` or `columns`, for
    /// side-by-side benchmarks), else the default.
    pub fn from_env() -> Self {
        match std::env::var("CARDLM_RECURRENT_SPLIT").as_deref() {
            Ok("columns") => RecurrentSplit::Columns,
            Ok("cards") => RecurrentSplit::Cards,
            _ => RecurrentSplit::DEFAULT,
        }
    }

    /// What `bench train` measured faster (docs/benchmarks.md).
    pub const DEFAULT: RecurrentSplit = RecurrentSplit::Cards;
}

struct Worker {
    workspace: Workspace<f32>,
    grads: Vec<f32>,
}

/// Breaks the team's barrier if its worker panics, so that the others stop
/// waiting and the panic reaches the caller.
struct PoisonOnPanic<'a>(&'a Team<f32>);

impl Drop for PoisonOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.barrier().poison();
        }
    }
}

/// The model, its optimizer and every buffer a training step needs.
pub struct Stepper {
    pub model: Model<f32>,
    pub adam: Adam,
    pub clip_norm: Option<f32>,
    /// How the workers share the recurrent steps (same results either way).
    pub split: RecurrentSplit,
    workers: Vec<Worker>,
    /// With [`RecurrentSplit::Cards`] and several workers: each layer's `U`
    /// and `Uᵀ`, packed once per step for all of them. Each worker reads all
    /// of `U` at every time step; with a copy per worker the copies (4 MB
    /// each at H = 500) outgrew what a Zen 3 keeps in its L3 and were read
    /// from memory (docs/benchmarks.md, issue 16 on Zen 3).
    shared: Vec<PackedRecurrent<f32>>,
}

/// What one step did.
#[derive(Clone, Copy, Debug, Default)]
pub struct StepReport {
    pub loss: LossStats,
    /// Norm of the gradient of the mean loss, before clipping.
    pub grad_norm: f32,
}

impl Stepper {
    /// Buffers for batches of at most `max_batch` sequences of at most
    /// `max_len` tokens, split over `workers` parts.
    pub fn new(
        model: Model<f32>,
        adam: AdamConfig,
        workers: usize,
        max_batch: usize,
        max_len: usize,
    ) -> Self {
        let workers = workers.max(1);
        let per_worker = max_batch.div_ceil(workers);
        let adam = Adam::new(adam, model.params.len());
        let workers = (0..workers)
            .map(|_| Worker {
                workspace: model.workspace(per_worker * max_len, per_worker),
                grads: vec![0.0; model.params.len()],
            })
            .collect();
        Stepper {
            model,
            adam,
            clip_norm: None,
            split: RecurrentSplit::from_env(),
            workers,
            shared: Vec::new(),
        }
    }

    pub fn workers(&self) -> usize {
        self.workers.len()
    }

    /// Deals the sequences into one packed batch per worker.
    pub fn split(&self, sequences: &[&[u32]]) -> Vec<PackedBatch> {
        let mut sorted: Vec<&[u32]> = sequences.to_vec();
        sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let parts = self.workers.len();
        (0..parts)
            .map(|k| {
                let mine: Vec<&[u32]> = sorted.iter().skip(k).step_by(parts).copied().collect();
                PackedBatch::pack(&mine)
            })
            .collect()
    }

    /// Gradient of the mean loss over all positions of the batch, left summed
    /// in the first worker's buffer.
    pub fn gradients(&mut self, sequences: &[&[u32]], dropout_seed: u64) -> LossStats {
        let parts = self.split(sequences);
        let total: usize = parts.iter().map(|p| p.rows()).sum();
        let scale = 1.0 / total.max(1) as f32;
        let team_up = self.split == RecurrentSplit::Columns
            && self.workers.len() > 1
            && parts.iter().all(|p| p.rows() > 0);
        let share_packs = !team_up && self.workers.len() > 1;
        if share_packs {
            // Packed here in parallel instead of by every worker alone.
            let model = &self.model;
            self.shared
                .resize_with(model.config.layers, PackedRecurrent::default);
            self.shared
                .par_iter_mut()
                .enumerate()
                .for_each(|(l, packed)| {
                    let w = model.lstm_weights(l);
                    let u = Mat::new(w.recurrent, w.hidden, 4 * w.hidden);
                    let (forward, backward) = (&mut packed.forward, &mut packed.backward);
                    rayon::join(|| forward.pack(u), || backward.pack(u.t()));
                });
        }
        let model = &self.model;
        let shared = &self.shared;
        let work = |k: usize, w: &mut Worker, part: &PackedBatch, seat: Option<Seat<f32>>| {
            w.grads.fill(0.0);
            if part.rows() == 0 {
                return LossStats::default();
            }
            let seed = Rng::for_stream(dropout_seed, &[k as u64]).next_u64();
            model.forward_backward_in(
                part,
                &mut w.workspace,
                Mode::Train(seed),
                scale,
                &mut w.grads,
                match seat {
                    Some(seat) => Recurrent::Team(seat),
                    None if share_packs => Recurrent::Shared(shared),
                    None => Recurrent::Own,
                },
            )
        };
        let stats: Vec<LossStats> = if team_up {
            // One thread per worker for certain: a member that waited at the
            // barrier for a task not yet started would wait for ever.
            let team = Team::new(self.workers.len());
            let (first, rest) = self.workers.split_at_mut(1);
            std::thread::scope(|s| {
                let others: Vec<_> = rest
                    .iter_mut()
                    .zip(&parts[1..])
                    .enumerate()
                    .map(|(i, (w, part))| {
                        let (team, work) = (&team, &work);
                        s.spawn(move || {
                            let _guard = PoisonOnPanic(team);
                            work(i + 1, w, part, Some(Seat { team, index: i + 1 }))
                        })
                    })
                    .collect();
                let mine = {
                    let _guard = PoisonOnPanic(&team);
                    work(
                        0,
                        &mut first[0],
                        &parts[0],
                        Some(Seat {
                            team: &team,
                            index: 0,
                        }),
                    )
                };
                std::iter::once(mine)
                    .chain(others.into_iter().map(|h| match h.join() {
                        Ok(stats) => stats,
                        Err(panic) => std::panic::resume_unwind(panic),
                    }))
                    .collect()
            })
        } else {
            self.workers
                .par_iter_mut()
                .zip(parts.par_iter())
                .enumerate()
                .map(|(k, (w, part))| work(k, w, part, None))
                .collect()
        };
        let (first, rest) = self.workers.split_at_mut(1);
        let sum = &mut first[0].grads;
        const CHUNK: usize = 1 << 16;
        sum.par_chunks_mut(CHUNK).enumerate().for_each(|(c, out)| {
            for w in rest.iter() {
                for (o, g) in out.iter_mut().zip(&w.grads[c * CHUNK..]) {
                    *o += *g;
                }
            }
        });
        let mut loss = LossStats::default();
        for s in stats {
            loss.add(s);
        }
        loss
    }

    /// Loss of a batch without dropout or gradients, split over the workers.
    pub fn evaluate(&mut self, sequences: &[&[u32]]) -> LossStats {
        let parts = self.split(sequences);
        let model = &self.model;
        let stats: Vec<LossStats> = self
            .workers
            .par_iter_mut()
            .zip(parts.par_iter())
            .map(|(w, part)| {
                if part.rows() == 0 {
                    return LossStats::default();
                }
                model.evaluate(part, &mut w.workspace)
            })
            .collect();
        let mut total = LossStats::default();
        for s in stats {
            total.add(s);
        }
        total
    }

    /// The summed gradient of the last [`Stepper::gradients`] call.
    pub fn gradient(&self) -> &[f32] {
        &self.workers[0].grads
    }

    /// One training step. A non-finite loss or gradient leaves the
    /// parameters untouched and is returned as an error.
    pub fn step(
        &mut self,
        sequences: &[&[u32]],
        dropout_seed: u64,
    ) -> Result<StepReport, StepReport> {
        let loss = self.gradients(sequences, dropout_seed);
        let grads = &mut self.workers[0].grads;
        // Partial sums per fixed chunk, added in order: the same norm (and so
        // the same clipping) whatever the scheduling.
        let partial: Vec<f64> = grads
            .par_chunks(1 << 16)
            .map(|c| c.iter().map(|g| (*g as f64) * (*g as f64)).sum())
            .collect();
        let norm = partial.iter().sum::<f64>().sqrt() as f32;
        let report = StepReport {
            loss,
            grad_norm: norm,
        };
        if !loss.loss_sum.is_finite() || !norm.is_finite() {
            return Err(report);
        }
        if let Some(max) = self.clip_norm {
            if norm > max {
                let s = max / norm;
                grads.par_iter_mut().for_each(|g| *g *= s);
            }
        }
        self.adam.update(&mut self.model.params, grads);
        Ok(report)
    }
}
