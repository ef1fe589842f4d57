//! The training loop: epochs of bucketed batches, validation, metrics,
//! checkpoints, and a resumable state that makes an interrupted run (even
//! one killed outright) end with the same weights as one that never stopped.
//!
//! Everything random is derived from `(seed, epoch, batch)`, so resuming
//! needs only the weights, Adam's moments and the position in the epoch.

use crate::adam::Adam;
use crate::batch_schedule::epoch_batches;
use crate::checkpoint::{load_block, read_metadata, save_blocks, Precision};
use crate::error::{LmError, Result};
use crate::model::{LossStats, Model};
use crate::rng::Rng;
use crate::run::{
    loss_svg, save_model, EpochMetrics, RunConfig, LOSS_PLOT_FILE, METRICS_FILE, MODEL_FILE,
    STATE_FILE,
};
use crate::step::Stepper;
use crate::token_corpus::TokenCorpus;
use cardlm_files::write_file_atomically;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Where a run stands; stored in the state file's metadata.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Progress {
    /// Current epoch, 0-based.
    pub epoch: usize,
    /// Next batch of the current epoch.
    pub batch: usize,
    pub adam_step: u64,
    /// Running figures of the current epoch.
    pub epoch_loss_sum: f64,
    pub epoch_correct: usize,
    pub epoch_positions: usize,
    pub epoch_chars: usize,
    pub epoch_seconds: f64,
    /// Lowest training loss at a checkpoint epoch (Keras's `save_best_only`).
    pub best_checkpoint_loss: Option<f64>,
    pub metrics: Vec<EpochMetrics>,
}

/// What the loop reports as it goes.
pub trait Observer {
    fn epoch_start(&mut self, _epoch: usize, _epochs: usize, _batches: usize, _done: usize) {}
    fn batch(&mut self, _batch: usize, _running_loss: f64, _chars_per_second: f64) {}
    fn epoch_end(&mut self, _metrics: &EpochMetrics) {}
    fn note(&mut self, _message: &str) {}
}

/// An observer that reports nothing.
pub struct Silent;
impl Observer for Silent {}

/// How a call to [`train`] ended.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    Finished,
    /// Stopped on request after saving the state.
    Interrupted {
        epoch: usize,
        batch: usize,
    },
}

/// Saves weights, Adam's moments and progress as `state.safetensors`.
fn save_state(dir: &Path, stepper: &Stepper, progress: &Progress) -> Result<()> {
    let mut meta = HashMap::new();
    meta.insert(
        "progress".to_string(),
        serde_json::to_string(progress).expect("progress serialises"),
    );
    save_blocks(
        &dir.join(STATE_FILE),
        &stepper.model.layout,
        &[
            ("params.", &stepper.model.params),
            ("adam.m.", &stepper.adam.m),
            ("adam.v.", &stepper.adam.v),
        ],
        Precision::F32,
        meta,
    )
}

/// Restores a state written by [`save_state`] into `stepper`.
pub fn load_state(dir: &Path, stepper: &mut Stepper) -> Result<Progress> {
    let path = dir.join(STATE_FILE);
    let meta = read_metadata(&path)?;
    let progress: Progress = meta
        .get("progress")
        .and_then(|p| serde_json::from_str(p).ok())
        .ok_or_else(|| LmError::corrupt(&path, "no training progress in this file"))?;
    let layout = stepper.model.layout.clone();
    stepper.model.params = load_block(&path, &layout, "params.")?;
    stepper.adam.m = load_block(&path, &layout, "adam.m.")?;
    stepper.adam.v = load_block(&path, &layout, "adam.v.")?;
    stepper.adam.step = progress.adam_step;
    Ok(progress)
}

fn write_metrics(dir: &Path, metrics: &[EpochMetrics]) -> Result<()> {
    let lines: String = metrics
        .iter()
        .map(|m| serde_json::to_string(m).expect("metrics serialise") + "\n")
        .collect();
    write_file_atomically(&dir.join(METRICS_FILE), lines.as_bytes())?;
    Ok(write_file_atomically(
        &dir.join(LOSS_PLOT_FILE),
        loss_svg(metrics).as_bytes(),
    )?)
}

/// Mean loss of `sequences` without dropout, batches spread over the workers.
pub fn evaluate(stepper: &mut Stepper, sequences: &[Vec<u32>], batch_size: usize) -> LossStats {
    let mut sorted: Vec<&[u32]> = sequences.iter().map(|s| s.as_slice()).collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut total = LossStats::default();
    for batch in sorted.chunks(batch_size.max(1)) {
        total.add(stepper.evaluate(batch));
    }
    total
}

/// A rewrite of each training sequence drawn afresh every epoch (data
/// augmentation). The trainer knows nothing of what the tokens mean: the
/// caller supplies the rewrite. It should keep the sequence's length (batches
/// are planned from the unrewritten lengths); the result is cut to `--max-len`.
pub trait SequenceTransform: Sync {
    /// `sequence` rewritten with randomness from `rng` (the same for the
    /// same seed, epoch and sequence, so a resumed run draws the same).
    fn apply(&self, sequence: &[u32], rng: &mut Rng) -> Vec<u32>;
}

/// The stream coordinate of the augmentation draws, apart from dropout's and the batch plan's.
const AUGMENT_STREAM: u64 = 0x6175_676d;

/// Trains (or continues training) the run in `dir`. `stepper` holds the
/// starting weights; when `resume` is set, the state file (if any) replaces
/// them. `stop` is polled after every batch.
pub fn train(
    dir: &Path,
    run: &RunConfig,
    corpus: &TokenCorpus,
    stepper: &mut Stepper,
    resume: bool,
    stop: &AtomicBool,
    observer: &mut dyn Observer,
) -> Result<Outcome> {
    train_with(dir, run, corpus, stepper, resume, stop, observer, None)
}

/// [`train`], each training sequence rewritten by `transform` (when given)
/// each time a batch takes it: sequence `i` of epoch `e` draws from the
/// stream `(seed, AUGMENT_STREAM, e, i)`.
#[allow(clippy::too_many_arguments)]
pub fn train_with(
    dir: &Path,
    run: &RunConfig,
    corpus: &TokenCorpus,
    stepper: &mut Stepper,
    resume: bool,
    stop: &AtomicBool,
    observer: &mut dyn Observer,
    transform: Option<&dyn SequenceTransform>,
) -> Result<Outcome> {
    let opts = &run.training;
    let mut progress = if resume && dir.join(STATE_FILE).exists() {
        let p = load_state(dir, stepper)?;
        observer.note(&format!(
            "resuming at epoch {}, batch {}",
            p.epoch + 1,
            p.batch
        ));
        p
    } else {
        Progress::default()
    };
    stepper.clip_norm = opts.clip_norm;
    let train = TokenCorpus::cut(&corpus.train, opts.max_len);
    let valid = TokenCorpus::cut(&corpus.valid, opts.max_len);
    let lengths: Vec<usize> = train.iter().map(|s| s.len()).collect();

    while progress.epoch < opts.epochs {
        let epoch = progress.epoch;
        let plan = epoch_batches(
            &lengths,
            opts.batch_size,
            opts.batching,
            opts.seed,
            epoch as u64,
        );
        observer.epoch_start(epoch, opts.epochs, plan.len(), progress.batch);
        let mut since = Instant::now();
        while progress.batch < plan.len() {
            let b = progress.batch;
            let rewritten: Vec<Vec<u32>> = match transform {
                Some(t) => plan[b]
                    .iter()
                    .map(|&i| {
                        let mut rng =
                            Rng::for_stream(opts.seed, &[AUGMENT_STREAM, epoch as u64, i as u64]);
                        let mut s = t.apply(&corpus.train[i], &mut rng);
                        s.truncate(opts.max_len);
                        s
                    })
                    .collect(),
                None => Vec::new(),
            };
            let seqs: Vec<&[u32]> = match transform {
                Some(_) => rewritten.iter().map(|s| s.as_slice()).collect(),
                None => plan[b].iter().map(|&i| train[i].as_slice()).collect(),
            };
            let dropout_seed = Rng::for_stream(opts.seed, &[epoch as u64, b as u64]).next_u64();
            let report = stepper
                .step(&seqs, dropout_seed)
                .map_err(|r| LmError::Diverged {
                    loss: r.loss.mean_loss(),
                    grad_norm: r.grad_norm,
                    epoch: epoch + 1,
                    batch: b + 1,
                    dir: dir.to_path_buf(),
                })?;
            progress.batch += 1;
            progress.adam_step = stepper.adam.step;
            progress.epoch_loss_sum += report.loss.loss_sum;
            progress.epoch_correct += report.loss.correct;
            progress.epoch_positions += report.loss.positions;
            progress.epoch_chars += seqs.iter().map(|s| s.len()).sum::<usize>();
            let now = Instant::now();
            progress.epoch_seconds += now.duration_since(since).as_secs_f64();
            since = now;
            observer.batch(
                progress.batch,
                progress.epoch_loss_sum / progress.epoch_positions.max(1) as f64,
                progress.epoch_chars as f64 / progress.epoch_seconds.max(1e-9),
            );
            let stopping = stop.load(Ordering::SeqCst);
            if stopping || (progress.batch % opts.state_every == 0 && progress.batch < plan.len()) {
                save_state(dir, stepper, &progress)?;
                since = Instant::now();
            }
            if stopping {
                return Ok(Outcome::Interrupted {
                    epoch: progress.epoch,
                    batch: progress.batch,
                });
            }
        }

        // End of epoch: validation, metrics, weights, checkpoint, state.
        let train_loss = progress.epoch_loss_sum / progress.epoch_positions.max(1) as f64;
        let valid_stats = (!valid.is_empty()).then(|| evaluate(stepper, &valid, opts.batch_size));
        let mut metrics = EpochMetrics {
            epoch: epoch + 1,
            train_loss,
            train_accuracy: progress.epoch_correct as f64 / progress.epoch_positions.max(1) as f64,
            valid_loss: valid_stats.map(|s| s.mean_loss()),
            valid_bits_per_char: valid_stats.map(|s| s.mean_loss() / std::f64::consts::LN_2),
            valid_accuracy: valid_stats.map(|s| s.accuracy()),
            seconds: progress.epoch_seconds,
            chars_per_second: progress.epoch_chars as f64 / progress.epoch_seconds.max(1e-9),
            checkpoint: None,
        };
        if (epoch + 1) % opts.checkpoint_every == 0
            && progress
                .best_checkpoint_loss
                .is_none_or(|best| train_loss < best)
        {
            let name = format!("weights.{:04}-{:.4}.safetensors", epoch + 1, train_loss);
            save_model(dir, &name, &stepper.model, Precision::F32)?;
            progress.best_checkpoint_loss = Some(train_loss);
            metrics.checkpoint = Some(name);
        }
        save_model(dir, MODEL_FILE, &stepper.model, Precision::F32)?;
        progress.metrics.push(metrics.clone());
        write_metrics(dir, &progress.metrics)?;
        progress = Progress {
            epoch: epoch + 1,
            adam_step: stepper.adam.step,
            best_checkpoint_loss: progress.best_checkpoint_loss,
            metrics: std::mem::take(&mut progress.metrics),
            ..Progress::default()
        };
        save_state(dir, stepper, &progress)?;
        observer.epoch_end(&metrics);
        if stop.load(Ordering::SeqCst) && progress.epoch < opts.epochs {
            return Ok(Outcome::Interrupted {
                epoch: progress.epoch,
                batch: 0,
            });
        }
    }
    Ok(Outcome::Finished)
}

/// A fresh stepper for a run: new weights from the seed, or `params` given.
pub fn stepper_for(run: &RunConfig, params: Option<Vec<f32>>) -> Result<Stepper> {
    let model = match params {
        Some(p) => Model::from_params(run.model.clone(), p)?,
        None => Model::new(run.model.clone(), run.training.seed),
    };
    let opts = &run.training;
    Ok(Stepper::new(
        model,
        opts.adam,
        opts.threads,
        opts.batch_size,
        opts.max_len,
    ))
}

/// Adam's moments start from zero for weights that were not trained here.
pub fn fresh_adam(stepper: &mut Stepper) {
    stepper.adam = Adam::new(stepper.adam.config, stepper.model.params.len());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::char_vocab::Vocab;
    use crate::config::ModelConfig;
    use crate::run::TrainOptions;
    use std::sync::atomic::AtomicUsize;

    /// Swaps the second and third tokens of a sequence on a coin flip.
    struct CoinSwap;
    impl SequenceTransform for CoinSwap {
        fn apply(&self, sequence: &[u32], rng: &mut Rng) -> Vec<u32> {
            let mut s = sequence.to_vec();
            if s.len() > 2 && rng.below(2) == 1 {
                s.swap(1, 2);
            }
            s
        }
    }

    /// Asks the loop to stop after `at` batches in all.
    struct StopAfter<'a>(&'a AtomicBool, usize, AtomicUsize);
    impl Observer for StopAfter<'_> {
        fn batch(&mut self, _: usize, _: f64, _: f64) {
            if self.2.fetch_add(1, Ordering::SeqCst) + 1 == self.1 {
                self.0.store(true, Ordering::SeqCst);
            }
        }
    }

    fn setup() -> (RunConfig, TokenCorpus) {
        let vocab = Vocab::new("Ⓔabcd".chars().collect()).unwrap();
        let lines = [
            "abcd", "abdc", "dcba", "cab", "bbca", "adcb", "ccab", "dabc",
        ];
        let train: Vec<Vec<u32>> = lines.iter().map(|l| vocab.encode(l).unwrap()).collect();
        let model = ModelConfig {
            hidden: 8,
            layers: 1,
            dropout: 0.0,
            ..ModelConfig::seed(vocab.len())
        };
        let run = RunConfig {
            format: crate::run::RUN_FORMAT.to_owned(),
            model,
            vocab: vocab.chars().iter().map(|c| c.to_string()).collect(),
            training: TrainOptions {
                epochs: 3,
                batch_size: 3,
                threads: 1,
                state_every: 1,
                augment: Some("coin-swap".into()),
                ..TrainOptions::default()
            },
            corpus: None,
            origin: None,
            epochs_trained: None,
        };
        let corpus = TokenCorpus {
            dir: "c".into(),
            vocab,
            valid: train[..2].to_vec(),
            train,
        };
        (run, corpus)
    }

    fn weights(
        run: &RunConfig,
        corpus: &TokenCorpus,
        transform: Option<&dyn SequenceTransform>,
        stop_after: Option<usize>,
    ) -> Vec<f32> {
        let dir = tempfile::tempdir().unwrap();
        let mut stepper = stepper_for(run, None).unwrap();
        if let Some(at) = stop_after {
            let stop = AtomicBool::new(false);
            let mut observer = StopAfter(&stop, at, AtomicUsize::new(0));
            let outcome = train_with(
                dir.path(),
                run,
                corpus,
                &mut stepper,
                false,
                &stop,
                &mut observer,
                transform,
            )
            .unwrap();
            assert!(matches!(outcome, Outcome::Interrupted { .. }));
            stepper = stepper_for(run, None).unwrap();
        }
        let never = AtomicBool::new(false);
        let outcome = train_with(
            dir.path(),
            run,
            corpus,
            &mut stepper,
            true,
            &never,
            &mut Silent,
            transform,
        )
        .unwrap();
        assert_eq!(outcome, Outcome::Finished);
        stepper.model.params.clone()
    }

    #[test]
    fn augmented_training_resumes_bit_identically_and_differs_from_plain() {
        let (run, corpus) = setup();
        let whole = weights(&run, &corpus, Some(&CoinSwap), None);
        let resumed = weights(&run, &corpus, Some(&CoinSwap), Some(4));
        assert_eq!(whole, resumed);
        let plain = weights(&run, &corpus, None, None);
        assert_ne!(whole, plain);
    }
}
