//! `cardlm train`: train the seed's network on a corpus directory.

use crate::commands::model_args::ModelArgs;
use anyhow::{anyhow, bail, Context, Result};
use cardlm_app::augment::CardAugment;
use cardlm_app::model::{training_lines, write_novelty_index};
use cardlm_cards::augment::Augmentation;
use cardlm_lm::batch_schedule::Batching;
use cardlm_lm::budget;
use cardlm_lm::checkpoint::load_block;
use cardlm_lm::config::ModelConfig;
use cardlm_lm::kernels::cpu::{self, Precision};
use cardlm_lm::lock::{RunLock, LOCK_FILE};
use cardlm_lm::params::ParamLayout;
use cardlm_lm::resume::{remap_corpus, resumed_options, GivenOptions};
use cardlm_lm::run::{
    corpus_hash, load_run, CorpusInfo, EpochMetrics, RunConfig, TrainOptions, MODEL_FILE,
    RUN_FORMAT, STATE_FILE,
};
use cardlm_lm::token_corpus::TokenCorpus;
use cardlm_lm::train::{fresh_adam, stepper_for, train_with, Observer, Outcome, SequenceTransform};
use cardlm_lm::warm_start::warm_start;
use clap::Args as ClapArgs;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// The seed notebook's epochs.
const DEFAULT_EPOCHS: usize = 10;

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
    /// [default: f32; with --resume, the run's own].
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

/// Takes the run directory's lock, creating the directory for a new run; a new run
/// needs it empty, a resumed one needs it to be a run.
fn lock_run_dir(args: &Args) -> Result<RunLock> {
    if !args.resume {
        if args.out.exists() && !is_empty_dir(&args.out) {
            bail!("{}: already exists and is not empty (use --resume to continue it, or choose another --out)", args.out.display());
        }
        std::fs::create_dir_all(&args.out)
            .with_context(|| format!("{}: cannot create", args.out.display()))?;
    } else if !args.out.join(cardlm_lm::run::CONFIG_FILE).exists() {
        // RunConfig::load says it better; no lock file is left in a non-run.
        RunConfig::load(&args.out).map_err(|e| anyhow!(e))?;
    }
    let lock = RunLock::acquire(&args.out).map_err(|e| anyhow!(e))?;
    if !args.resume && !is_empty_dir(&args.out) {
        // Another process filled it between the check and the lock.
        bail!("{}: already exists and is not empty (use --resume to continue it, or choose another --out)", args.out.display());
    }
    Ok(lock)
}

/// Refuses a run whose model, batches and workers cannot fit in memory, before any
/// of it is allocated.
fn check_memory(run: &RunConfig) -> Result<()> {
    let t = &run.training;
    budget::check_fits(
        &format!(
            "training (batches of {} cards of up to {} characters, hidden size {}, {} threads)",
            t.batch_size, t.max_len, run.model.hidden, t.threads
        ),
        budget::training_bytes(&run.model, t.batch_size, t.max_len, t.threads),
        budget::memory_limit(),
        "--batch-size, --max-len, --hidden or --threads",
    )
    .map_err(|e| anyhow!(e))
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

/// Empty but for the lock file this process may already have put there.
fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .all(|e| e.file_name() == std::ffi::OsStr::new(LOCK_FILE))
        })
        .unwrap_or(false)
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

    /// `base` with every option given on the command line.
    fn given_options(&self, base: &TrainOptions) -> (TrainOptions, Vec<String>) {
        self.given().apply(base)
    }
}

pub fn run(args: Args) -> Result<()> {
    let fresh_defaults = TrainOptions {
        epochs: DEFAULT_EPOCHS,
        ..TrainOptions::default()
    };
    // Checked now, before the corpus or a run is touched; the run's own options are
    // checked again once the saved ones are known.
    args.given_options(&fresh_defaults)
        .0
        .validate()
        .map_err(|e| anyhow!(e))?;
    // The lock before anything in --out is read or written, held to the end of the run.
    let created = !args.resume && !args.out.exists();
    let lock = lock_run_dir(&args)?;
    let result = run_locked(&args, &fresh_defaults);
    if result.is_err() && created && is_empty_dir(&args.out) {
        // Nothing was written: leave no directory holding only the lock file behind.
        let _ = std::fs::remove_dir_all(&args.out);
    }
    drop(lock);
    result
}

fn run_locked(args: &Args, fresh_defaults: &TrainOptions) -> Result<()> {
    if let Some(p) = args.precision {
        // Refused before anything is written (bf16 needs AVX512_BF16).
        cpu::set_precision(p).map_err(|e| anyhow!(e))?;
    }
    let mut corpus = TokenCorpus::load(&args.corpus).map_err(|e| anyhow!(e))?;
    let corpus_info = CorpusInfo {
        path: std::fs::canonicalize(&args.corpus)
            .unwrap_or(args.corpus.clone())
            .display()
            .to_string(),
        sha256: corpus_hash(&args.corpus).map_err(|e| anyhow!(e))?,
        train_sequences: corpus.train.len(),
        valid_sequences: corpus.valid.len(),
    };
    let vocab_chars: Vec<String> = corpus.vocab.chars().iter().map(|c| c.to_string()).collect();

    let (mut run, mut stepper, resume_state) = if args.resume {
        let mut run = RunConfig::load(&args.out).map_err(|e| anyhow!(e))?;
        args.model
            .check_matches(&run.model)
            .with_context(|| format!("{}: cannot resume", args.out.display()))?;
        let run_vocab = run.vocab().map_err(|e| anyhow!(e))?;
        if run_vocab.chars() != corpus.vocab.chars() {
            // An imported seed model numbers the characters its own way (and
            // lists its start symbol once more than it has rows): train on
            // the corpus re-encoded in the model's numbering.
            corpus = remap_corpus(corpus, &run_vocab).map_err(|missing| {
                anyhow!(
                    "{}: the corpus {} has characters the model does not know: {missing:?}; train a new run instead",
                    args.out.display(),
                    args.corpus.display()
                )
            })?;
            eprintln!("note: the corpus is re-encoded in the model's own character numbering");
        }
        if let Some(old) = &run.corpus {
            if old.sha256 != corpus_info.sha256 {
                eprintln!(
                    "note: {} differs from the corpus this run was trained on ({})",
                    args.corpus.display(),
                    old.path
                );
            }
        }
        let had_state = args.out.join(STATE_FILE).exists();
        // Every saved option stays unless given again; what changes is said.
        let (resumed, notes) = resumed_options(&run.training, &args.given(), had_state);
        resumed.validate().map_err(|e| anyhow!(e))?;
        for note in notes {
            eprintln!("{note}");
        }
        run.training = resumed;
        run.corpus = Some(corpus_info);
        check_memory(&run)?;
        let stepper = if had_state {
            stepper_for(&run, None).map_err(|e| anyhow!(e))?
        } else {
            let layout = ParamLayout::new(&run.model);
            let params =
                load_block(&args.out.join(MODEL_FILE), &layout, "").map_err(|e| anyhow!(e))?;
            eprintln!("note: continuing from {} with a fresh Adam optimizer (no optimizer state was saved)", args.out.join(MODEL_FILE).display());
            let mut s = stepper_for(&run, Some(params)).map_err(|e| anyhow!(e))?;
            fresh_adam(&mut s);
            s
        };
        (run, stepper, had_state)
    } else {
        let start = match &args.init_from {
            Some(dir) => {
                Some(load_run(dir).map_err(|e| anyhow!("--init-from {}: {e}", dir.display()))?)
            }
            None => None,
        };
        let model = match &start {
            Some(from) => {
                args.model
                    .check_matches(&from.config.model)
                    .with_context(|| format!("--init-from {}", from.dir.display()))?;
                ModelConfig {
                    vocab_size: corpus.vocab.len(),
                    ..from.config.model.clone()
                }
            }
            None => args
                .model
                .config(corpus.vocab.len())
                .map_err(|e| anyhow!(e))?,
        };
        let mut training = args.given_options(fresh_defaults).0;
        if args.max_len.is_none() {
            let (max_len, cut) = corpus.default_max_len();
            training.max_len = max_len;
            eprintln!(
                "note: --max-len {max_len}: cuts {:.2}% of the training cards (the smallest of 256, 320, 384, 448 and 512 that cuts at most 0.5%)",
                cut * 100.0
            );
        }
        let warm = match &start {
            Some(from) => {
                let ws = warm_start(
                    &from.model,
                    &from.vocab,
                    &model,
                    &corpus.vocab,
                    training.seed,
                )
                .map_err(|e| anyhow!("--init-from {}: {e}", from.dir.display()))?;
                eprintln!(
                    "note: starting from the weights of {} ({} characters shared, new: {:?})",
                    from.dir.display(),
                    ws.shared,
                    ws.new_chars.iter().collect::<String>()
                );
                Some(ws.params)
            }
            None => None,
        };
        let run = RunConfig {
            format: RUN_FORMAT.to_string(),
            model,
            vocab: vocab_chars,
            training,
            corpus: Some(corpus_info),
            origin: start.as_ref().map(|from| {
                format!(
                    "initialised from {} ({} epochs trained)",
                    from.dir.display(),
                    from.config
                        .epochs_trained
                        .map_or("unknown".to_owned(), |e| e.to_string())
                )
            }),
            epochs_trained: None,
        };
        check_memory(&run)?;
        let stepper = stepper_for(&run, warm).map_err(|e| anyhow!(e))?;
        (run, stepper, false)
    };
    cpu::set_precision(run.training.precision).map_err(|e| anyhow!(e))?;
    run.save(&args.out).map_err(|e| anyhow!(e))?;
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
        resume_state,
        &stop,
        &mut bar,
        augment.as_ref().map(|a| a as &dyn SequenceTransform),
    )
    .map_err(|e| anyhow!(e))?;
    // config.json records how far the weights got, not only what was asked.
    run.epochs_trained = Some(match outcome {
        Outcome::Finished => run.training.epochs,
        Outcome::Interrupted { epoch, .. } => epoch,
    });
    run.save(&args.out).map_err(|e| anyhow!(e))?;
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
