//! The training policy every front end follows: which run directory may be
//! written, what a new run is made of, what a resumed run keeps (its options,
//! its vocabulary's numbering, its optimizer state or a fresh one), and
//! whether it fits in memory. `cardlm train` asks [`start_run`] for a
//! [`StartedRun`], prints its notes, then runs [`cardlm_lm::train::train`].

use crate::error::{Error, Result};
use cardlm_lm::budget;
use cardlm_lm::checkpoint::load_block;
use cardlm_lm::kernels::cpu;
use cardlm_lm::lock::{RunLock, LOCK_FILE};
use cardlm_lm::params::ParamLayout;
use cardlm_lm::resume::{remap_corpus, resumed_options, GivenOptions};
use cardlm_lm::run::{
    corpus_hash, load_run, CorpusInfo, RunConfig, TrainOptions, CONFIG_FILE, MODEL_FILE,
    RUN_FORMAT, STATE_FILE,
};
use cardlm_lm::step::Stepper;
use cardlm_lm::token_corpus::TokenCorpus;
use cardlm_lm::train::{fresh_adam, stepper_for};
use cardlm_lm::warm_start::warm_start;
use cardlm_lm::{LmError, ModelConfig, RecurrentActivation};
use std::path::{Path, PathBuf};

/// The seed notebook's epochs: a new run's default.
pub const DEFAULT_EPOCHS: usize = 10;

/// The options a new run starts from before any is given: the seed
/// notebook's, with products in bf16 where the processor has AVX512_BF16
/// ([`cpu::default_precision`]).
pub fn fresh_defaults() -> TrainOptions {
    TrainOptions {
        epochs: DEFAULT_EPOCHS,
        precision: cpu::default_precision(),
        ..TrainOptions::default()
    }
}

/// Architecture options as given (`None`: the seed's).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArchitectureOptions {
    pub hidden: Option<usize>,
    pub layers: Option<usize>,
    pub dropout: Option<f32>,
    pub untied: bool,
    pub recurrent_activation: Option<RecurrentActivation>,
}

impl ArchitectureOptions {
    /// The seed's model for `vocab_size` characters with the options given.
    pub fn config(&self, vocab_size: usize) -> Result<ModelConfig, LmError> {
        let seed = ModelConfig::seed(vocab_size);
        let cfg = ModelConfig {
            vocab_size,
            hidden: self.hidden.unwrap_or(seed.hidden),
            layers: self.layers.unwrap_or(seed.layers),
            dropout: self.dropout.unwrap_or(seed.dropout),
            tied: !self.untied,
            recurrent_activation: self
                .recurrent_activation
                .unwrap_or(seed.recurrent_activation),
        };
        cfg.validate()?;
        Ok(cfg)
    }

    /// The options that contradict an existing model's architecture, as
    /// `--hidden (the model has 500)`; empty when none does.
    pub fn conflicts(&self, cfg: &ModelConfig) -> Vec<String> {
        let mut conflicts = Vec::new();
        if self.hidden.is_some_and(|h| h != cfg.hidden) {
            conflicts.push(format!("--hidden (the model has {})", cfg.hidden));
        }
        if self.layers.is_some_and(|l| l != cfg.layers) {
            conflicts.push(format!("--layers (the model has {})", cfg.layers));
        }
        if self.dropout.is_some_and(|d| d != cfg.dropout) {
            conflicts.push(format!("--dropout (the model has {})", cfg.dropout));
        }
        if self.untied && cfg.tied {
            conflicts.push("--untied (the model is tied)".into());
        }
        if self
            .recurrent_activation
            .is_some_and(|a| a != cfg.recurrent_activation)
        {
            conflicts.push(format!(
                "--recurrent-activation (the model has {:?})",
                cfg.recurrent_activation
            ));
        }
        conflicts
    }
}

/// What a front end asks to train.
#[derive(Clone, Debug)]
pub struct TrainRequest {
    /// A corpus directory written by `cardlm prepare`.
    pub corpus: PathBuf,
    /// The run directory: new (or empty), or an existing run with `resume`.
    pub out: PathBuf,
    pub resume: bool,
    /// A new run starts from this trained model's weights (its architecture;
    /// rows of characters it does not know start fresh).
    pub init_from: Option<PathBuf>,
    pub architecture: ArchitectureOptions,
    pub given: GivenOptions,
}

impl TrainRequest {
    /// Checks the options given, before the corpus or a run is touched; a
    /// resumed run's options are checked again once its saved ones are known.
    pub fn check(&self) -> Result<()> {
        self.given.apply(&fresh_defaults()).0.validate()?;
        Ok(())
    }
}

/// Empty but for the lock file this process may already have put there.
pub fn is_empty_run_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .all(|e| e.file_name() == std::ffi::OsStr::new(LOCK_FILE))
        })
        .unwrap_or(false)
}

fn not_empty(out: &Path) -> Error {
    Error::OutputExists {
        path: out.to_path_buf(),
        hint: "it is not empty (use --resume to continue it, or choose another --out)",
    }
}

/// Takes the run directory's lock, creating the directory for a new run; a
/// new run needs it empty, a resumed one needs it to be a run. Held for the
/// whole run, so that two processes never write the same run.
pub fn lock_run_dir(out: &Path, resume: bool) -> Result<RunLock> {
    if !resume {
        if out.exists() && !is_empty_run_dir(out) {
            return Err(not_empty(out));
        }
        std::fs::create_dir_all(out).map_err(|e| {
            cardlm_files::WriteError::new(
                out,
                format!("cannot create: {}", cardlm_files::atomic::io_message(&e)),
            )
        })?;
    } else if !out.join(CONFIG_FILE).exists() {
        // RunConfig::load says it better; no lock file is left in a non-run.
        RunConfig::load(out)?;
    }
    let lock = RunLock::acquire(out)?;
    if !resume && !is_empty_run_dir(out) {
        // Another process filled it between the check and the lock.
        return Err(not_empty(out));
    }
    Ok(lock)
}

/// Refuses a run whose model, batches and workers cannot fit in memory,
/// before any of it is allocated.
pub fn check_memory(run: &RunConfig) -> Result<()> {
    let t = &run.training;
    budget::check_fits(
        &format!(
            "training (batches of {} cards of up to {} characters, hidden size {}, {} threads)",
            t.batch_size, t.max_len, run.model.hidden, t.threads
        ),
        budget::training_bytes(&run.model, t.batch_size, t.max_len, t.threads),
        budget::memory_limit(),
        "--batch-size, --max-len, --hidden or --threads",
    )?;
    Ok(())
}

/// A run ready to train: its configuration (saved by the caller once the
/// precision is set), the corpus in the model's numbering, the stepper.
pub struct StartedRun {
    pub run: RunConfig,
    pub corpus: TokenCorpus,
    pub stepper: Stepper,
    /// Continue from `state.safetensors` (exactly where the run stopped).
    pub from_state: bool,
    /// What the user should know (`note: ...`), one line each.
    pub notes: Vec<String>,
}

/// `--init-from DIR: problem`.
fn init_from_error(dir: &Path, e: LmError) -> Error {
    Error::BadRequest(format!("--init-from {}: {e}", dir.display()))
}

/// Loads the corpus and builds the run: a new one from the options, or the
/// run in `out` resumed (every saved option kept unless given again; the
/// corpus re-encoded in an imported model's numbering; the saved state, or
/// the weights with a fresh Adam when there is none). Writes nothing.
pub fn start_run(req: &TrainRequest) -> Result<StartedRun> {
    let mut corpus = TokenCorpus::load(&req.corpus)?;
    let corpus_info = CorpusInfo {
        path: std::fs::canonicalize(&req.corpus)
            .unwrap_or(req.corpus.clone())
            .display()
            .to_string(),
        sha256: corpus_hash(&req.corpus)?,
        train_sequences: corpus.train.len(),
        valid_sequences: corpus.valid.len(),
    };
    let mut notes = Vec::new();
    if !req.resume {
        let start = match &req.init_from {
            Some(dir) => Some(load_run(dir).map_err(|e| init_from_error(dir, e))?),
            None => None,
        };
        let model = match &start {
            Some(from) => {
                let conflicts = req.architecture.conflicts(&from.config.model);
                if !conflicts.is_empty() {
                    return Err(Error::BadRequest(format!(
                        "--init-from {}: architecture options differ from the model's: {}",
                        from.dir.display(),
                        conflicts.join(", ")
                    )));
                }
                ModelConfig {
                    vocab_size: corpus.vocab.len(),
                    ..from.config.model.clone()
                }
            }
            None => req.architecture.config(corpus.vocab.len())?,
        };
        let mut training = req.given.apply(&fresh_defaults()).0;
        if req.given.precision.is_none() && training.precision == cpu::Precision::Bf16 {
            notes.push(
                "note: --precision bf16: products in bf16 with f32 sums, this processor's default (about 1.6x f32's speed, validation loss within 1% after 2 epochs; --precision f32 for f32)"
                    .to_owned(),
            );
        }
        if req.given.max_len.is_none() {
            let (max_len, cut) = corpus.default_max_len();
            training.max_len = max_len;
            notes.push(format!(
                "note: --max-len {max_len}: cuts {:.2}% of the training cards (the smallest of 256, 320, 384, 448 and 512 that cuts at most 0.5%)",
                cut * 100.0
            ));
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
                .map_err(|e| init_from_error(&from.dir, e))?;
                notes.push(format!(
                    "note: starting from the weights of {} ({} characters shared, new: {:?})",
                    from.dir.display(),
                    ws.shared,
                    ws.new_chars.iter().collect::<String>()
                ));
                Some(ws.params)
            }
            None => None,
        };
        let run = RunConfig {
            format: RUN_FORMAT.to_string(),
            model,
            vocab: corpus.vocab.chars().iter().map(|c| c.to_string()).collect(),
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
        let stepper = stepper_for(&run, warm)?;
        return Ok(StartedRun {
            run,
            corpus,
            stepper,
            from_state: false,
            notes,
        });
    }

    let out = &req.out;
    let mut run = RunConfig::load(out)?;
    let conflicts = req.architecture.conflicts(&run.model);
    if !conflicts.is_empty() {
        return Err(Error::BadRequest(format!(
            "{}: cannot resume: architecture options differ from the model's: {}",
            out.display(),
            conflicts.join(", ")
        )));
    }
    let run_vocab = run.vocab()?;
    if run_vocab.chars() != corpus.vocab.chars() {
        // An imported seed model numbers the characters its own way (and
        // lists its start symbol once more than it has rows): train on the
        // corpus re-encoded in the model's numbering.
        corpus = remap_corpus(corpus, &run_vocab).map_err(|e| match e {
            LmError::MissingCharacters(missing) => Error::BadRequest(format!(
                "{}: the corpus {} has characters the model does not know: {missing:?}; train a new run instead",
                out.display(),
                req.corpus.display()
            )),
            other => other.into(),
        })?;
        notes.push("note: the corpus is re-encoded in the model's own character numbering".into());
    }
    if let Some(old) = &run.corpus {
        if old.sha256 != corpus_info.sha256 {
            notes.push(format!(
                "note: {} differs from the corpus this run was trained on ({})",
                req.corpus.display(),
                old.path
            ));
        }
    }
    let from_state = out.join(STATE_FILE).exists();
    let (resumed, changes) = resumed_options(&run.training, &req.given, from_state);
    resumed.validate()?;
    if req.given.precision.is_none() && !resumed.precision.supported() {
        // A run started where bf16 was the default, resumed on a processor without it.
        return Err(Error::BadRequest(format!(
            "{}: this run trains in bf16, which needs AVX512_BF16 (this processor lacks it); resume with --precision f32 (the run stays correct but is not bit-identical)",
            out.display()
        )));
    }
    notes.extend(changes);
    run.training = resumed;
    run.corpus = Some(corpus_info);
    check_memory(&run)?;
    let stepper = if from_state {
        stepper_for(&run, None)?
    } else {
        let weights = out.join(MODEL_FILE);
        let params = load_block(&weights, &ParamLayout::new(&run.model), "")?;
        notes.push(format!(
            "note: continuing from {} with a fresh Adam optimizer (no optimizer state was saved)",
            weights.display()
        ));
        let mut s = stepper_for(&run, Some(params))?;
        fresh_adam(&mut s);
        s
    };
    Ok(StartedRun {
        run,
        corpus,
        stepper,
        from_state,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A corpus directory of a few lines over `chars`.
    fn corpus(dir: &Path, chars: &str, lines: &[&str]) -> PathBuf {
        let c = dir.join("corpus");
        std::fs::create_dir_all(&c).unwrap();
        let vocab: Vec<String> = chars.chars().map(|c| c.to_string()).collect();
        std::fs::write(c.join("vocab.json"), serde_json::to_string(&vocab).unwrap()).unwrap();
        std::fs::write(c.join("train.txt"), lines.join("\n") + "\n").unwrap();
        c
    }

    fn request(corpus: PathBuf, out: PathBuf, resume: bool) -> TrainRequest {
        TrainRequest {
            corpus,
            out,
            resume,
            init_from: None,
            architecture: ArchitectureOptions {
                hidden: Some(4),
                layers: Some(1),
                ..Default::default()
            },
            given: GivenOptions {
                epochs: Some(1),
                batch_size: Some(2),
                ..Default::default()
            },
        }
    }

    #[test]
    fn a_new_run_takes_the_options_given_and_the_seeds_for_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let c = corpus(dir.path(), "ab", &["ab", "ba", "aab"]);
        let started = start_run(&request(c, dir.path().join("run"), false)).unwrap();
        assert_eq!(started.run.model.hidden, 4);
        assert_eq!(started.run.model.layers, 1);
        assert_eq!(started.run.model.dropout, 0.5);
        assert_eq!(started.run.training.epochs, 1);
        assert_eq!(started.run.training.max_len, 256);
        assert_eq!(started.run.vocab, ["a", "b"]);
        assert!(!started.from_state);
        // No --precision given: this processor's default, and where that is
        // bf16 a note that says so.
        let bf16 = cpu::default_precision() == cpu::Precision::Bf16;
        assert_eq!(started.run.training.precision, cpu::default_precision());
        // No --max-len given: the corpus's own, and a note that says so.
        assert_eq!(
            started.notes.len(),
            1 + bf16 as usize,
            "{:?}",
            started.notes
        );
        assert_eq!(
            started.notes[0].contains("--precision bf16"),
            bf16,
            "{:?}",
            started.notes
        );
        assert!(
            started.notes.last().unwrap().contains("--max-len 256"),
            "{:?}",
            started.notes
        );
    }

    #[test]
    fn a_given_precision_is_kept_and_needs_no_note() {
        let dir = tempfile::tempdir().unwrap();
        let c = corpus(dir.path(), "ab", &["ab", "ba", "aab"]);
        let mut req = request(c, dir.path().join("run"), false);
        req.given.precision = Some(cpu::Precision::F32);
        let started = start_run(&req).unwrap();
        assert_eq!(started.run.training.precision, cpu::Precision::F32);
        assert!(
            started.notes.iter().all(|n| !n.contains("--precision")),
            "{:?}",
            started.notes
        );
    }

    /// Writes a started run's config and weights into `out`, as a run that
    /// stopped before saving any optimizer state.
    fn save_run_and_weights(started: &StartedRun, out: &Path) {
        started.run.save(out).unwrap();
        cardlm_lm::run::save_model(
            out,
            MODEL_FILE,
            &started.stepper.model,
            cardlm_lm::checkpoint::Precision::F32,
        )
        .unwrap();
    }

    #[test]
    fn a_bf16_run_resumed_without_the_instruction_is_refused_naming_f32() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        std::fs::create_dir_all(&out).unwrap();
        let c = corpus(dir.path(), "ab", &["ab", "ba"]);
        let mut req = request(c.clone(), out.clone(), false);
        // Started in bf16 (here or on a processor where that was the default).
        req.given.precision = Some(cpu::Precision::Bf16);
        let run = start_run(&req).unwrap();
        save_run_and_weights(&run, &out);
        let resumed = start_run(&request(c.clone(), out.clone(), true));
        if cpu::Precision::Bf16.supported() {
            assert_eq!(
                resumed.unwrap().run.training.precision,
                cpu::Precision::Bf16
            );
        } else {
            let e = resumed.err().expect("refused").to_string();
            assert!(e.contains("--precision f32") && e.contains("bf16"), "{e}");
        }
        // With --precision f32 it resumes anywhere, saying what changed.
        let mut f32_req = request(c, out, true);
        f32_req.given.precision = Some(cpu::Precision::F32);
        let resumed = start_run(&f32_req).unwrap();
        assert_eq!(resumed.run.training.precision, cpu::Precision::F32);
        assert!(
            resumed.notes.iter().any(|n| n.contains("--precision F32")),
            "{:?}",
            resumed.notes
        );
    }

    #[test]
    fn a_resumed_run_keeps_its_numbering_and_says_it_starts_adam_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        std::fs::create_dir_all(&out).unwrap();
        // A model numbering its characters "ba", trained on nothing here.
        let mut run = start_run(&request(
            corpus(dir.path(), "ba", &["ab"]),
            out.clone(),
            false,
        ))
        .unwrap();
        run.run.corpus = None;
        save_run_and_weights(&run, &out);
        std::fs::remove_dir_all(dir.path().join("corpus")).unwrap();
        let c = corpus(dir.path(), "ab", &["ab", "ba"]);
        let resumed = start_run(&request(c.clone(), out.clone(), true)).unwrap();
        assert!(!resumed.from_state);
        // "ab" in the corpus's numbering is [0, 1]; in the model's, [1, 0].
        assert_eq!(resumed.corpus.train[0], [1, 0]);
        assert!(
            resumed.notes.iter().any(|n| n.contains("re-encoded")),
            "{:?}",
            resumed.notes
        );
        assert!(
            resumed.notes.iter().any(|n| n.contains("fresh Adam")),
            "{:?}",
            resumed.notes
        );
        assert_eq!(resumed.stepper.model.params, run.stepper.model.params);

        // A corpus with a character the model lacks is refused, naming both.
        std::fs::remove_dir_all(&c).unwrap();
        let c = corpus(dir.path(), "abz", &["abz"]);
        let err = start_run(&request(c, out.clone(), true))
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("does not know: \"z\""), "{err}");

        // Architecture options that contradict the model are refused.
        let mut req = request(dir.path().join("corpus"), out, true);
        req.architecture.hidden = Some(9);
        let err = start_run(&req).err().unwrap().to_string();
        assert!(err.contains("--hidden (the model has 4)"), "{err}");
    }

    #[test]
    fn a_new_run_needs_an_empty_directory_and_takes_its_lock() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        let lock = lock_run_dir(&out, false).unwrap();
        assert!(is_empty_run_dir(&out));
        drop(lock);
        std::fs::write(out.join("x"), "").unwrap();
        let err = lock_run_dir(&out, false).unwrap_err().to_string();
        assert!(err.contains("already exists"), "{err}");
        let err = lock_run_dir(&dir.path().join("none"), true)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a cardlm run directory"), "{err}");
    }

    #[test]
    fn options_out_of_range_are_refused_before_anything_is_read() {
        let mut req = request("nowhere".into(), "nowhere".into(), false);
        req.given.max_len = Some(1);
        assert!(req.check().unwrap_err().to_string().contains("--max-len"));
    }
}
