//! `cardlm train`: train the seed's network on a corpus directory.

use crate::commands::model_args::ModelArgs;
use anyhow::{anyhow, bail, Context, Result};
use cardlm_lm::adam::AdamConfig;
use cardlm_lm::batch_schedule::Batching;
use cardlm_lm::checkpoint::load_block;
use cardlm_lm::params::ParamLayout;
use cardlm_lm::run::{
    corpus_hash, CorpusInfo, EpochMetrics, RunConfig, TrainOptions, MODEL_FILE, RUN_FORMAT,
    STATE_FILE,
};
use cardlm_lm::token_corpus::TokenCorpus;
use cardlm_lm::train::{fresh_adam, stepper_for, train, Observer, Outcome};
use cardlm_lm::Vocab;
use clap::Args as ClapArgs;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

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
    #[command(flatten)]
    model: ModelArgs,
    /// Epochs in all [default: 10; with --resume, the run's own].
    #[arg(long)]
    epochs: Option<usize>,
    #[arg(long, default_value_t = 32)]
    batch_size: usize,
    /// Cut cards to this many characters (the seed: 256).
    #[arg(long, default_value_t = 256)]
    max_len: usize,
    /// Seed of initialisation, shuffling and dropout.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// `bucket` groups cards of similar length (faster, same loss); `random`
    /// batches as the seed did.
    #[arg(long, default_value = "bucket")]
    batching: Batching,
    #[arg(long, default_value_t = 1e-3)]
    learning_rate: f32,
    /// Rescale the gradient when its norm exceeds this.
    #[arg(long)]
    clip_norm: Option<f32>,
    /// Keep a checkpoint every N epochs when the training loss improved.
    #[arg(long, default_value_t = 2)]
    checkpoint_every: usize,
    /// Save the resumable state every N batches.
    #[arg(long, default_value_t = 100)]
    state_every: usize,
    /// Worker threads (a resumed run is bit-identical with the same count).
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// No progress bar, one line per epoch.
    #[arg(long)]
    quiet: bool,
}

struct Bar {
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl Observer for Bar {
    fn epoch_start(&mut self, epoch: usize, epochs: usize, batches: usize, done: usize) {
        if self.quiet {
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
    }
    fn epoch_end(&mut self, m: &EpochMetrics) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
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

/// The corpus with its token ids translated into `vocab`'s numbering; every
/// character must be in `vocab`.
fn remap(corpus: TokenCorpus, vocab: &Vocab) -> TokenCorpus {
    let table: Vec<u32> = corpus
        .vocab
        .chars()
        .iter()
        .map(|c| vocab.id(*c).expect("checked by the caller"))
        .collect();
    let translate = |seqs: Vec<Vec<u32>>| -> Vec<Vec<u32>> {
        seqs.into_iter()
            .map(|s| s.into_iter().map(|t| table[t as usize]).collect())
            .collect()
    };
    TokenCorpus {
        train: translate(corpus.train),
        valid: translate(corpus.valid),
        vocab: vocab.clone(),
        dir: corpus.dir,
    }
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false)
}

pub fn run(args: Args) -> Result<()> {
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
    let options = TrainOptions {
        epochs: args.epochs.unwrap_or(DEFAULT_EPOCHS),
        batch_size: args.batch_size,
        max_len: args.max_len,
        seed: args.seed,
        batching: args.batching,
        adam: AdamConfig {
            learning_rate: args.learning_rate,
            ..AdamConfig::default()
        },
        clip_norm: args.clip_norm,
        checkpoint_every: args.checkpoint_every,
        state_every: args.state_every,
        threads: args.threads,
    };
    options.validate().map_err(|e| anyhow!(e))?;
    let vocab_chars: Vec<String> = corpus.vocab.chars().iter().map(|c| c.to_string()).collect();

    let (run, mut stepper, resume_state) = if args.resume {
        let mut run = RunConfig::load(&args.out).map_err(|e| anyhow!(e))?;
        args.model
            .check_matches(&run.model)
            .with_context(|| format!("{}: cannot resume", args.out.display()))?;
        let run_vocab = run.vocab().map_err(|e| anyhow!(e))?;
        if run_vocab.chars() != corpus.vocab.chars() {
            // An imported seed model numbers the characters its own way (and
            // lists its start symbol once more than it has rows): train on
            // the corpus re-encoded in the model's numbering.
            let missing: String = corpus
                .vocab
                .chars()
                .iter()
                .filter(|c| run_vocab.id(**c).is_none())
                .collect();
            if !missing.is_empty() {
                bail!(
                    "{}: the corpus {} has characters the model does not know: {missing:?}; train a new run instead",
                    args.out.display(),
                    args.corpus.display()
                );
            }
            eprintln!("note: the corpus is re-encoded in the model's own character numbering");
            corpus = remap(corpus, &run_vocab);
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
        let mut resumed = options.clone();
        let had_state = args.out.join(STATE_FILE).exists();
        if had_state {
            // Everything but the number of epochs (and how often to save) must stay as it was.
            let old = &run.training;
            if options.threads != old.threads {
                eprintln!("note: resuming with {} threads instead of {}: the run stays correct but not bit-identical", options.threads, old.threads);
            }
            resumed = TrainOptions {
                epochs: args.epochs.unwrap_or(old.epochs),
                state_every: options.state_every,
                threads: options.threads,
                ..old.clone()
            };
        }
        run.training = resumed;
        run.corpus = Some(corpus_info);
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
        if args.out.exists() && !is_empty_dir(&args.out) {
            bail!("{}: already exists and is not empty (use --resume to continue it, or choose another --out)", args.out.display());
        }
        let model = args
            .model
            .config(corpus.vocab.len())
            .map_err(|e| anyhow!(e))?;
        let run = RunConfig {
            format: RUN_FORMAT.to_string(),
            model,
            vocab: vocab_chars,
            training: options,
            corpus: Some(corpus_info),
            origin: None,
        };
        let stepper = stepper_for(&run, None).map_err(|e| anyhow!(e))?;
        std::fs::create_dir_all(&args.out)
            .with_context(|| format!("{}: cannot create", args.out.display()))?;
        (run, stepper, false)
    };
    run.save(&args.out).map_err(|e| anyhow!(e))?;
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
        "training {} parameters on {} cards ({} for validation), {} epochs, batches of {}, {} threads",
        stepper.model.layout.total,
        corpus.train.len(),
        corpus.valid.len(),
        run.training.epochs,
        run.training.batch_size,
        run.training.threads
    );
    let mut bar = Bar {
        bar: None,
        quiet: args.quiet,
    };
    match train(
        &args.out,
        &run,
        &corpus,
        &mut stepper,
        resume_state,
        &stop,
        &mut bar,
    )
    .map_err(|e| anyhow!(e))?
    {
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
