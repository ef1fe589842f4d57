//! The whole network: embedding → dropout → (LSTM → dropout) × L →
//! dense relu → dropout → logits (tied to the embedding or dense) →
//! softmax cross-entropy, forward and backward over a packed batch.

use crate::config::ModelConfig;
use crate::kernels::Scalar;
use crate::layers::dense::{dense_relu_backward, dense_relu_forward, DenseWeights};
use crate::layers::dropout::{apply_mask, dropout_masks, masked_copy};
use crate::layers::embedding::{embedding_backward, embedding_forward};
use crate::layers::lstm::{
    lstm_backward, lstm_backward_packed, lstm_backward_team, lstm_forward, lstm_forward_packed,
    lstm_forward_team, LstmActivations, LstmGrads, LstmScratch, LstmWeights, PackedRecurrent,
};
use crate::layers::output::{
    logits_backward, logits_forward, softmax_cross_entropy, OutputWeights,
};
use crate::packed_batch::PackedBatch;
use crate::params::{init_params, ParamLayout};
use crate::rng::{stream_seed, Rng};
use crate::team::Seat;

/// A model: its architecture and one flat parameter block.
#[derive(Clone, Debug)]
pub struct Model<T> {
    pub config: ModelConfig,
    pub layout: ParamLayout,
    pub params: Vec<T>,
}

/// Loss figures of a batch: sums, so that halves and batches add up.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LossStats {
    /// Sum over positions of `-ln p(target)`, in nats.
    pub loss_sum: f64,
    /// Positions where the most likely character was the target.
    pub correct: usize,
    /// Positions counted.
    pub positions: usize,
}

impl LossStats {
    pub fn add(&mut self, other: LossStats) {
        self.loss_sum += other.loss_sum;
        self.correct += other.correct;
        self.positions += other.positions;
    }
    /// Mean loss per position, in nats.
    pub fn mean_loss(&self) -> f64 {
        self.loss_sum / self.positions.max(1) as f64
    }
    pub fn accuracy(&self) -> f64 {
        self.correct as f64 / self.positions.max(1) as f64
    }
}

/// Activations of one LSTM layer, sized for the workspace's row capacity.
#[derive(Clone, Debug)]
struct LstmBuffers<T> {
    gates: Vec<T>,
    cell: Vec<T>,
    cell_tanh: Vec<T>,
    h: Vec<T>,
    /// Output after dropout: the next layer's input.
    dropped: Vec<T>,
    mask: Vec<T>,
}

impl<T> LstmBuffers<T> {
    fn activations(&mut self) -> LstmActivations<'_, T> {
        LstmActivations {
            gates: &mut self.gates,
            cell: &mut self.cell,
            cell_tanh: &mut self.cell_tanh,
            h: &mut self.h,
        }
    }
}

/// Every activation and scratch buffer of a forward-backward pass, allocated
/// once for at most `capacity` rows and `max_sequences` sequences.
#[derive(Clone, Debug)]
pub struct Workspace<T> {
    capacity: usize,
    max_sequences: usize,
    /// `[N, H]` embedded input after dropout, and its mask.
    embedded: Vec<T>,
    embedded_mask: Vec<T>,
    lstm: Vec<LstmBuffers<T>>,
    /// `[N, H]` dense output, after dropout, and the mask.
    dense: Vec<T>,
    dense_dropped: Vec<T>,
    dense_mask: Vec<T>,
    /// `[N, V]`.
    logits: Vec<T>,
    /// `[N, H]` gradient ping-pong buffers and the LSTM's scratch.
    grad_a: Vec<T>,
    grad_b: Vec<T>,
    h_prev: Vec<T>,
    dc_carry: Vec<T>,
    packed: Vec<PackedRecurrent<T>>,
}

impl<T: Scalar> Workspace<T> {
    pub fn new(config: &ModelConfig, capacity: usize, max_sequences: usize) -> Self {
        let (h, v) = (config.hidden, config.vocab_size);
        let z = |n: usize| vec![T::zero(); n];
        Workspace {
            capacity,
            max_sequences,
            embedded: z(capacity * h),
            embedded_mask: z(capacity * h),
            lstm: (0..config.layers)
                .map(|_| LstmBuffers {
                    gates: z(capacity * 4 * h),
                    cell: z(capacity * h),
                    cell_tanh: z(capacity * h),
                    h: z(capacity * h),
                    dropped: z(capacity * h),
                    mask: z(capacity * h),
                })
                .collect(),
            dense: z(capacity * h),
            dense_dropped: z(capacity * h),
            dense_mask: z(capacity * h),
            logits: z(capacity * v),
            grad_a: z(capacity * h),
            grad_b: z(capacity * h),
            h_prev: z(capacity * h),
            dc_carry: z(max_sequences * h),
            packed: vec![PackedRecurrent::default(); config.layers],
        }
    }

    /// Whether a batch fits without reallocating.
    pub fn fits(&self, batch: &PackedBatch) -> bool {
        batch.rows() <= self.capacity && batch.steps.sequences() <= self.max_sequences
    }
}

/// Where a worker's recurrent steps get the recurrent kernels they multiply
/// by. Every choice gives the same bits.
#[derive(Clone, Copy)]
pub enum Recurrent<'a, T> {
    /// Packed into the worker's own workspace.
    Own,
    /// Packed once for all the workers of a step, one per layer
    /// ([`PackedRecurrent::pack`] of each layer's `recurrent`): one copy of
    /// each `U` in the shared cache instead of one per worker.
    Shared(&'a [PackedRecurrent<T>]),
    /// Each step shared with a team, by hidden units ([`crate::team`]).
    Team(Seat<'a, T>),
}

/// How a forward pass treats dropout.
#[derive(Clone, Copy, Debug)]
pub enum Mode {
    /// Dropout on, masks drawn from streams of this seed.
    Train(u64),
    /// Dropout off (evaluation, generation).
    Eval,
}

impl<T: Scalar> Model<T> {
    /// A freshly initialised model (Keras's initialisers).
    pub fn new(config: ModelConfig, seed: u64) -> Self {
        let layout = ParamLayout::new(&config);
        let params = init_params(&config, &layout, &mut Rng::for_stream(seed, &[u64::MAX]));
        Model {
            config,
            layout,
            params,
        }
    }

    /// A model with the given parameters, checked against the layout.
    pub fn from_params(config: ModelConfig, params: Vec<T>) -> Result<Self, crate::LmError> {
        config.validate()?;
        let layout = ParamLayout::new(&config);
        if params.len() != layout.total {
            return Err(crate::LmError::ParameterCount {
                given: params.len(),
                expected: layout.total,
            });
        }
        Ok(Model {
            config,
            layout,
            params,
        })
    }

    pub fn workspace(&self, capacity: usize, max_sequences: usize) -> Workspace<T> {
        Workspace::new(&self.config, capacity, max_sequences)
    }

    // The weight views: the one place that knows where each tensor lies in
    // the parameter block. The training forward pass and the sampler
    // (`sample::inference`) both read the weights through them.

    /// The embedding `E[V, H]`.
    pub fn embedding(&self) -> &[T] {
        let (h, v) = (self.config.hidden, self.config.vocab_size);
        &self.params[self.layout.embedding..self.layout.embedding + v * h]
    }

    /// LSTM layer `l`: `kernel[I, 4H]`, `recurrent[H, 4H]`, `bias[4H]`, gates `i f c o`.
    pub fn lstm_weights(&self, l: usize) -> LstmWeights<'_, T> {
        let o = self.layout.lstm[l];
        let h = self.config.hidden;
        LstmWeights {
            kernel: &self.params[o.kernel..o.kernel + o.input * 4 * h],
            recurrent: &self.params[o.recurrent..o.recurrent + h * 4 * h],
            bias: &self.params[o.bias..o.bias + 4 * h],
            input: o.input,
            hidden: h,
            activation: self.config.recurrent_activation,
        }
    }

    /// The dense relu layer: `kernel[H, H]`, `bias[H]`.
    pub fn dense_weights(&self) -> DenseWeights<'_, T> {
        let h = self.config.hidden;
        let (dk, db) = (self.layout.dense_kernel, self.layout.dense_bias);
        DenseWeights {
            kernel: &self.params[dk..dk + h * h],
            bias: &self.params[db..db + h],
        }
    }

    /// The output layer: the tied embedding `E[V, H]`, or `kernel[H, V]`, `bias[V]`.
    pub fn output_weights(&self) -> OutputWeights<'_, T> {
        let (h, v) = (self.config.hidden, self.config.vocab_size);
        match self.layout.output {
            None => OutputWeights::Tied {
                embedding: self.embedding(),
            },
            Some((k, b)) => OutputWeights::Dense {
                kernel: &self.params[k..k + h * v],
                bias: &self.params[b..b + v],
            },
        }
    }

    /// Forward pass; leaves the logits (or, when `loss_scale` is given, the
    /// gradient of `loss_scale * loss_sum` with respect to them) in the workspace.
    fn forward(
        &self,
        batch: &PackedBatch,
        ws: &mut Workspace<T>,
        mode: Mode,
        loss_scale: T,
        recurrent: Recurrent<T>,
    ) -> LossStats {
        assert!(ws.fits(batch), "batch larger than the workspace");
        let cfg = &self.config;
        let (h, v, n) = (cfg.hidden, cfg.vocab_size, batch.rows());
        // One generator per dropout site, so sites do not share draws
        // (`Rng::for_stream(seed, &[site])`). Every site's mask is `[N, H]`:
        // all drawn together, before they are needed (`dropout_masks`),
        // site 0 the embedding, `1 + l` LSTM `l`, `1 + L` the dense layer.
        let train = match mode {
            Mode::Train(seed) if cfg.dropout > 0.0 => Some(seed),
            _ => None,
        };
        if let Some(seed) = train {
            let mut masks: Vec<(&mut [T], u64)> = std::iter::once(&mut ws.embedded_mask)
                .chain(ws.lstm.iter_mut().map(|b| &mut b.mask))
                .chain(std::iter::once(&mut ws.dense_mask))
                .enumerate()
                .map(|(site, mask)| (&mut mask[..n * h], stream_seed(seed, &[site as u64])))
                .collect();
            dropout_masks(&mut masks, cfg.dropout);
        }
        // `out = x`, through its drawn mask when training: one pass.
        let drop_into = |out: &mut [T], x: &[T], mask: &[T]| {
            if train.is_some() {
                masked_copy(out, x, mask);
            } else {
                out.copy_from_slice(x);
            }
        };

        embedding_forward(
            self.embedding(),
            h,
            &batch.inputs,
            &mut ws.embedded[..n * h],
        );
        if train.is_some() {
            apply_mask(&mut ws.embedded[..n * h], &ws.embedded_mask[..n * h]);
        }
        for l in 0..cfg.layers {
            let (before, rest) = ws.lstm.split_at_mut(l);
            let input: &[T] = if l == 0 {
                &ws.embedded
            } else {
                &before[l - 1].dropped
            };
            let buf = &mut rest[0];
            let (steps, weights, packed) = (&batch.steps, self.lstm_weights(l), &mut ws.packed[l]);
            match recurrent {
                Recurrent::Own => lstm_forward(steps, weights, input, buf.activations(), packed),
                Recurrent::Shared(all) => {
                    lstm_forward_packed(steps, weights, input, buf.activations(), &all[l].forward)
                }
                Recurrent::Team(seat) => {
                    lstm_forward_team(seat, steps, weights, input, buf.activations(), packed)
                }
            }
            drop_into(
                &mut buf.dropped[..n * h],
                &buf.h[..n * h],
                &buf.mask[..n * h],
            );
        }
        let top = &ws.lstm[cfg.layers - 1].dropped[..n * h];
        let dense = self.dense_weights();
        dense_relu_forward(top, dense.kernel, dense.bias, h, &mut ws.dense[..n * h]);
        drop_into(
            &mut ws.dense_dropped[..n * h],
            &ws.dense[..n * h],
            &ws.dense_mask[..n * h],
        );
        logits_forward(
            self.output_weights(),
            &ws.dense_dropped[..n * h],
            h,
            v,
            &mut ws.logits[..n * v],
        );
        let (loss_sum, correct) =
            softmax_cross_entropy(&mut ws.logits[..n * v], v, &batch.targets, loss_scale);
        LossStats {
            loss_sum,
            correct,
            positions: n,
        }
    }

    /// Loss of a batch without dropout or gradients.
    pub fn evaluate(&self, batch: &PackedBatch, ws: &mut Workspace<T>) -> LossStats {
        self.forward(batch, ws, Mode::Eval, T::zero(), Recurrent::Own)
    }

    /// Forward and backward: accumulates the gradient of
    /// `loss_scale * Σ -ln p(target)` into `grads` (same layout as the
    /// parameters) and returns the batch's loss figures.
    pub fn forward_backward(
        &self,
        batch: &PackedBatch,
        ws: &mut Workspace<T>,
        mode: Mode,
        loss_scale: T,
        grads: &mut [T],
    ) -> LossStats {
        self.forward_backward_in(batch, ws, mode, loss_scale, grads, Recurrent::Own)
    }

    /// [`Model::forward_backward`] with the recurrent kernels packed once for
    /// all workers ([`Recurrent::Shared`]), or as one worker of a team that
    /// shares each recurrent step by hidden units ([`Recurrent::Team`],
    /// [`crate::team`]: every member must call this at the same time with
    /// its own batch and workspace). The results are the same bits as
    /// [`Model::forward_backward`]'s.
    pub fn forward_backward_in(
        &self,
        batch: &PackedBatch,
        ws: &mut Workspace<T>,
        mode: Mode,
        loss_scale: T,
        grads: &mut [T],
        recurrent: Recurrent<T>,
    ) -> LossStats {
        assert_eq!(grads.len(), self.params.len());
        let stats = self.forward(batch, ws, mode, loss_scale, recurrent);
        let cfg = &self.config;
        let train = matches!(mode, Mode::Train(_)) && cfg.dropout > 0.0;
        let (h, v, n) = (cfg.hidden, cfg.vocab_size, batch.rows());
        let layout = &self.layout;

        // Output layer: dlogits → d(dense_dropped) in grad_a.
        {
            let (dw, db) = match layout.output {
                None => (layout.embedding..layout.embedding + v * h, None),
                Some((k, b)) => (k..k + h * v, Some(b..b + v)),
            };
            let (dweights, dbias) = match db {
                None => (&mut grads[dw], None),
                Some(db) => {
                    // The output bias follows its kernel in the layout.
                    let (lo, hi) = grads.split_at_mut(db.start);
                    (&mut lo[dw], Some(&mut hi[..db.len()]))
                }
            };
            logits_backward(
                self.output_weights(),
                &ws.dense_dropped[..n * h],
                h,
                v,
                &ws.logits[..n * v],
                dweights,
                dbias,
                &mut ws.grad_a[..n * h],
            );
        }
        if train {
            apply_mask(&mut ws.grad_a[..n * h], &ws.dense_mask[..n * h]);
        }
        // Dense: grad_a → d(top LSTM dropped output) in grad_b.
        {
            let (dk, db) = (layout.dense_kernel, layout.dense_bias);
            let (lo, hi) = grads.split_at_mut(db);
            dense_relu_backward(
                &ws.lstm[cfg.layers - 1].dropped[..n * h],
                self.dense_weights().kernel,
                h,
                &ws.dense[..n * h],
                &mut ws.grad_a[..n * h],
                &mut lo[dk..dk + h * h],
                &mut hi[..h],
                &mut ws.grad_b[..n * h],
            );
        }
        std::mem::swap(&mut ws.grad_a, &mut ws.grad_b);
        // LSTMs, top down: grad_a holds d(dropped output of layer l).
        for l in (0..cfg.layers).rev() {
            let (before, rest) = ws.lstm.split_at_mut(l);
            let buf = &mut rest[0];
            if train {
                apply_mask(&mut ws.grad_a[..n * h], &buf.mask[..n * h]);
            }
            let input: &[T] = if l == 0 {
                &ws.embedded
            } else {
                &before[l - 1].dropped
            };
            let o = layout.lstm[l];
            let (lo, hi) = grads.split_at_mut(o.recurrent);
            let (rec, bias_part) = hi.split_at_mut(o.bias - o.recurrent);
            let grads_l = LstmGrads {
                kernel: &mut lo[o.kernel..o.kernel + o.input * 4 * h],
                recurrent: &mut rec[..h * 4 * h],
                bias: &mut bias_part[..4 * h],
            };
            let scratch = LstmScratch {
                h_prev: &mut ws.h_prev,
                dc_carry: &mut ws.dc_carry,
            };
            let (steps, weights, packed) = (&batch.steps, self.lstm_weights(l), &mut ws.packed[l]);
            let (dh, dx) = (&mut ws.grad_a[..n * h], &mut ws.grad_b[..n * o.input]);
            let acts = buf.activations();
            match recurrent {
                Recurrent::Own => lstm_backward(
                    steps, weights, input, acts, dh, dx, grads_l, scratch, packed,
                ),
                Recurrent::Shared(all) => lstm_backward_packed(
                    steps,
                    weights,
                    input,
                    acts,
                    dh,
                    dx,
                    grads_l,
                    scratch,
                    &all[l].backward,
                ),
                Recurrent::Team(seat) => lstm_backward_team(
                    seat, steps, weights, input, acts, dh, dx, grads_l, scratch, packed,
                ),
            }
            std::mem::swap(&mut ws.grad_a, &mut ws.grad_b);
        }
        if train {
            apply_mask(&mut ws.grad_a[..n * h], &ws.embedded_mask[..n * h]);
        }
        let e = layout.embedding;
        embedding_backward(
            &mut grads[e..e + v * h],
            h,
            &batch.inputs,
            &ws.grad_a[..n * h],
        );
        stats
    }
}
