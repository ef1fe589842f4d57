//! One optimisation step on several cores: the batch is split into one part
//! per worker (cards dealt round-robin by length, so the parts are equally
//! long), each worker runs single-threaded products on its part, and the
//! gradients are summed in a fixed order, so a given thread count always
//! gives the same result.

use crate::adam::{Adam, AdamConfig};
use crate::model::{LossStats, Mode, Model, Workspace};
use crate::packed_batch::PackedBatch;
use crate::rng::Rng;
use rayon::prelude::*;

struct Worker {
    workspace: Workspace<f32>,
    grads: Vec<f32>,
}

/// The model, its optimizer and every buffer a training step needs.
pub struct Stepper {
    pub model: Model<f32>,
    pub adam: Adam,
    pub clip_norm: Option<f32>,
    workers: Vec<Worker>,
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
            workers,
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
        let model = &self.model;
        let stats: Vec<LossStats> = self
            .workers
            .par_iter_mut()
            .zip(parts.par_iter())
            .enumerate()
            .map(|(k, (w, part))| {
                w.grads.fill(0.0);
                if part.rows() == 0 {
                    return LossStats::default();
                }
                let seed = Rng::for_stream(dropout_seed, &[k as u64]).next_u64();
                model.forward_backward(
                    part,
                    &mut w.workspace,
                    Mode::Train(seed),
                    scale,
                    &mut w.grads,
                )
            })
            .collect();
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
