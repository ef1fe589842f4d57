//! `cardlm train`: train the seed's network on a corpus directory.

use crate::commands::model_args::ModelArgs;
use anyhow::{anyhow, Context, Result};
use cardlm_app::augment::CardAugment;
use cardlm_app::model::{training_lines, write_novelty_index};
use cardlm_app::training::{self, StartedRun, TrainRequest};
use cardlm_cards::augment::Augmentation;
use cardlm_lm::batch_schedule::Batching;
use cardlm_lm::kernels::cpu::{self, Precision};
use cardlm_lm::resume::GivenOptions;
use cardlm_lm::run::{EpochMetrics, MODEL_FILE};
use cardlm_lm::train::{train_with, Observer, Outcome, SequenceTransform};
use clap::Args as ClapArgs;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

#[derive(ClapArgs)]
pub struct Args {
    /// Corpus directory written by `cardlm prepare`.
    #[arg(long)]
    corpus: PathBuf,
    /// Run directory to create (or continue with --resume).
    #[arg(long)]
    out: PathBuf,
    /// Continue the run in --out: exactly where it stopped when it has a
    /// saved state, or from its weights with a fresh Adam (an imported model).
    #[arg(long)]
    resume: bool,
    /// Start a new run from a trained model's weights (its architecture; rows of
    /// characters it does not know are initialised fresh), e.g. a full-encoding
    /// run from a seed-encoding model.
    #[arg(long, value_name = "MODEL_DIR", conflicts_with = "resume")]
    init_from: Option<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
    /// Epochs in all [default: 10; with --resume, the run's own].
    #[arg(long)]
    epochs: Option<usize>,
    /// Sequences per batch [default: 32; with --resume, the run's own, as every
    /// option below].
    #[arg(long)]
    batch_size: Option<usize>,
    /// Cut cards to this many characters (the seed: 256) [default: from the
    /// corpus, the smallest of 256, 320, 384, 448 and 512 that cuts at most 0.5%
    /// of the training cards; with --resume, the run's own].
    #[arg(long)]
    max_len: Option<usize>,
    /// Seed of initialisation, shuffling and dropout [default: 0].
    #[arg(long)]
    seed: Option<u64>,
    /// `bucket` groups cards of similar length (faster, same loss); `random`
    /// batches as the seed did [default: bucket].
    #[arg(long)]
    batching: Option<Batching>,
    /// Adam's learning rate [default: 0.001].
    #[arg(long)]
    learning_rate: Option<f32>,
    /// Rescale the gradient when its norm exceeds this [default: none].
    #[arg(long)]
    clip_norm: Option<f32>,
    /// Keep a checkpoint every N epochs when the training loss improved [default: 2].
    #[arg(long)]
    checkpoint_every: Option<usize>,
    /// Save the resumable state every N batches [default: 100].
    #[arg(long)]
    state_every: Option<usize>,
    /// Worker threads (a resumed run is bit-identical with the same count) [default: 2].
    #[arg(long)]
    threads: Option<usize>,
    /// Precision of the matrix products: f32, or bf16 with f32 sums
    /// (needs AVX512_BF16; weights, cell state and Adam stay f32)
    /// [default: bf16 where the processor has AVX512_BF16, else f32; with
    /// --resume, the run's own].
    #[arg(long)]
    precision: Option<Precision>,
    /// Rewrite each training card afresh every epoch (drawn from --seed, so a
    /// resumed run stays bit-identical): `mana-order` shuffles the symbols of
    /// every mana cost, as mtgencode does; `none` trains on the lines as they
    /// are [default: none; with --resume, the run's own].
    #[arg(long)]
    augment: Option<AugmentArg>,
    /// No progress, one line per epoch. (Progress is a bar on a terminal, else a
    /// line every 30 seconds, for logs and `tee`.)
    #[arg(long)]
    quiet: bool,
}

/// The choices of `--augment`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum AugmentArg {
    None,
    ManaOrder,
}

impl AugmentArg {
    /// The name stored in the run's options (`None` for no augmentation).
    fn stored(self) -> Option<String> {
        match self {
            AugmentArg::None => None,
            AugmentArg::ManaOrder => Some(Augmentation::ManaOrder.name().to_owned()),
        }
    }
}

/// Seconds between progress lines when standard error is not a terminal.
const PLAIN_PROGRESS_EVERY_S: u64 = 30;

struct Bar {
    bar: Option<ProgressBar>,
    quiet: bool,
    /// Progress as plain lines (output piped to a file or `tee`, where a bar
    /// would not show): the epoch's position, when it started, the last line.
    last_line: Option<PlainProgress>,
}

struct PlainProgress {
    epoch: usize,
    epochs: usize,
    batches: usize,
    first_batch: usize,
    started: Instant,
    printed: Instant,
}

impl Observer for Bar {
    fn epoch_start(&mut self, epoch: usize, epochs: usize, batches: usize, done: usize) {
        if self.quiet {
            return;
        }
        if !std::io::stderr().is_terminal() {
            let now = Instant::now();
            self.last_line = Some(PlainProgress {
                epoch,
                epochs,
                batches,
                first_batch: done,
                started: now,
                printed: now,
            });
            return;
        }
        let bar = ProgressBar::new(batches as u64);
        bar.set_style(
            ProgressStyle::with_template(
                "epoch {prefix} [{bar:30}] {pos}/{len} batches, ETA {eta} | {msg}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.set_prefix(format!("{}/{}", epoch + 1, epochs));
        bar.set_position(done as u64);
        bar.reset_eta();
        self.bar = Some(bar);
    }
    fn batch(&mut self, batch: usize, loss: f64, cps: f64) {
        if let Some(bar) = &self.bar {
            bar.set_position(batch as u64);
            bar.set_message(format!("loss {loss:.4}, {cps:.0} chars/s"));
        }
        if let Some(p) = &mut self.last_line {
            if p.printed.elapsed().as_secs() >= PLAIN_PROGRESS_EVERY_S {
                p.printed = Instant::now();
                eprintln!("{}", plain_progress_line(p, batch, loss, cps));
            }
        }
    }
    fn epoch_end(&mut self, m: &EpochMetrics) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        self.last_line = None;
        let valid = match (m.valid_loss, m.valid_bits_per_char) {
            (Some(l), Some(b)) => format!(", valid loss {l:.4} ({b:.3} bits/char)"),
            _ => String::new(),
        };
        let ckpt = m
            .checkpoint
            .as_deref()
            .map(|c| format!(", saved {c}"))
            .unwrap_or_default();
        eprintln!(
            "epoch {}: loss {:.4}, accuracy {:.3}{valid}, {:.0} s ({:.0} chars/s){ckpt}",
            m.epoch, m.train_loss, m.train_accuracy, m.seconds, m.chars_per_second
        );
    }
    fn note(&mut self, message: &str) {
        eprintln!("{message}");
    }
}

/// One progress line: `epoch 2/7: 120/550 batches (22%), loss 1.2345, 1500 chars/s, ETA 8 min 12 s`.
fn plain_progress_line(p: &PlainProgress, batch: usize, loss: f64, cps: f64) -> String {
    let done = batch.saturating_sub(p.first_batch);
    let left = p.batches.saturating_sub(batch);
    let eta = if done == 0 {
        "unknown".to_owned()
    } else {
        let s = p.started.elapsed().as_secs_f64() / done as f64 * left as f64;
        format!("{} min {:02} s", (s / 60.0) as u64, (s % 60.0) as u64)
    };
    format!(
        "epoch {}/{}: {batch}/{} batches ({:.0}%), loss {loss:.4}, {cps:.0} chars/s, ETA {eta}",
        p.epoch + 1,
        p.epochs,
        p.batches,
        100.0 * batch as f64 / p.batches.max(1) as f64
    )
}

impl Args {
    /// The training options given on the command line.
    fn given(&self) -> GivenOptions {
        GivenOptions {
            epochs: self.epochs,
            batch_size: self.batch_size,
            max_len: self.max_len,
            seed: self.seed,
            batching: self.batching,
            learning_rate: self.learning_rate,
            clip_norm: self.clip_norm,
            checkpoint_every: self.checkpoint_every,
            state_every: self.state_every,
            threads: self.threads,
            precision: self.precision,
            augment: self.augment.map(AugmentArg::stored),
        }
    }
}

pub fn run(args: Args) -> Result<()> {
    let request = TrainRequest {
        corpus: args.corpus.clone(),
        out: args.out.clone(),
        resume: args.resume,
        init_from: args.init_from.clone(),
        architecture: args.model.options(),
        given: args.given(),
    };
    // Checked now, before the corpus or a run is touched.
    request.check()?;
    // The lock before anything in --out is read or written, held to the end of the run.
    let created = !args.resume && !args.out.exists();
    let lock = training::lock_run_dir(&args.out, args.resume)?;
    let result = run_locked(&args, &request);
    if result.is_err() && created && training::is_empty_run_dir(&args.out) {
        // Nothing was written: leave no directory holding only the lock file behind.
        let _ = std::fs::remove_dir_all(&args.out);
    }
    drop(lock);
    result
}

fn run_locked(args: &Args, request: &TrainRequest) -> Result<()> {
    if let Some(p) = args.precision {
        // Refused before anything is written (bf16 needs AVX512_BF16).
        cpu::set_precision(p)?;
    }
    let StartedRun {
        mut run,
        corpus,
        mut stepper,
        from_state,
        notes,
    } = training::start_run(request)?;
    for note in notes {
        eprintln!("{note}");
    }
    cpu::set_precision(run.training.precision)?;
    run.save(&args.out)?;
    // The training cards travel with the model, for the novelty verdicts.
    if let Err(e) = training_lines(&args.out, &run, Some(&args.corpus))
        .and_then(|lines| write_novelty_index(&args.out, &lines))
    {
        eprintln!("note: no novelty index written: {e}");
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(run.training.threads)
        .build_global()
        .ok();

    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                eprintln!("\ninterrupted twice: exiting without saving");
                std::process::exit(130);
            }
            eprintln!(
                "\ninterrupted: saving the state after this batch (Ctrl-C again to quit at once)"
            );
        })
        .context("cannot install the Ctrl-C handler")?;
    }
    eprintln!(
        "training {} parameters on {} cards ({} for validation), {} epochs, batches of {}, {} threads\n{}",
        stepper.model.layout.total,
        corpus.train.len(),
        corpus.valid.len(),
        run.training.epochs,
        run.training.batch_size,
        run.training.threads,
        cpu::describe()
    );
    let mut bar = Bar {
        bar: None,
        quiet: args.quiet,
        last_line: None,
    };
    // The vocabulary the corpus is numbered in (the model's, after a remap).
    let augment = match &run.training.augment {
        Some(name) => Some(
            CardAugment::named(name, &corpus.vocab)
                .map_err(|e| anyhow!("{}: {e}", args.out.join("config.json").display()))?,
        ),
        None => None,
    };
    let outcome = train_with(
        &args.out,
        &run,
        &corpus,
        &mut stepper,
        from_state,
        &stop,
        &mut bar,
        augment.as_ref().map(|a| a as &dyn SequenceTransform),
    )?;
    // config.json records how far the weights got, not only what was asked.
    run.epochs_trained = Some(match outcome {
        Outcome::Finished => run.training.epochs,
        Outcome::Interrupted { epoch, .. } => epoch,
    });
    run.save(&args.out)?;
    match outcome {
        Outcome::Finished => {
            eprintln!("done: weights in {}", args.out.join(MODEL_FILE).display());
            Ok(())
        }
        Outcome::Interrupted { epoch, batch } => {
            eprintln!(
                "stopped at epoch {}, batch {}; continue with: cardlm train --corpus {} --out {} --resume",
                epoch + 1,
                batch,
                args.corpus.display(),
                args.out.display()
            );
            std::process::exit(130);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_progress_lines_say_where_the_epoch_is() {
        let p = PlainProgress {
            epoch: 1,
            epochs: 7,
            batches: 550,
            first_batch: 100,
            started: Instant::now(),
            printed: Instant::now(),
        };
        let line = plain_progress_line(&p, 100, 1.25, 1500.0);
        assert_eq!(
            line,
            "epoch 2/7: 100/550 batches (18%), loss 1.2500, 1500 chars/s, ETA unknown"
        );
        let line = plain_progress_line(&p, 325, 1.0, 1500.0);
        assert!(
            line.starts_with("epoch 2/7: 325/550 batches (59%)"),
            "{line}"
        );
        assert!(line.contains("ETA 0 min 00 s"), "{line}");
    }
}
