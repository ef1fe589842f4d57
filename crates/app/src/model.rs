//! A model directory, loaded once for generation: weights, vocabulary, the
//! markers every card needs and, when they can be had, the training cards'
//! novelty index.

use std::path::{Path, PathBuf};

use cardlm_cards::judge::Lexicon;
use cardlm_cards::markers::{END, START};
use cardlm_cards::novelty::NoveltyIndex;
use cardlm_files::layout::TRAIN_FILE;
use cardlm_lm::run::{load_run, LoadedRun};

use crate::error::{Error, Result};

/// `model`, else `models/default` here, else the one beside the sources.
pub fn resolve_model(model: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(m) = model {
        return Ok(m);
    }
    let here = PathBuf::from("models/default");
    if here.is_dir() {
        return Ok(here);
    }
    let shipped = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/default"));
    if shipped.is_dir() {
        return Ok(shipped);
    }
    Err(Error::NoDefaultModel)
}

/// Loads a run directory's configuration and weights.
pub fn load_model(dir: &Path) -> Result<LoadedRun> {
    if !dir.exists() {
        return Err(Error::NoSuchModel(dir.to_path_buf()));
    }
    load_run(dir).map_err(Error::LoadModel)
}

/// The training cards of a run: from `corpus` when given, else from the
/// corpus its config.json records (a relative path is tried from here, then
/// from the run directory).
pub fn corpus_novelty_index(run: &LoadedRun, corpus: Option<&Path>) -> Result<NoveltyIndex> {
    Ok(corpus_judges(run, corpus)?.0)
}

/// What the training cards give the judges: the novelty index and the
/// strict judge's lexicon, from the same corpus as [`corpus_novelty_index`].
pub fn corpus_judges(run: &LoadedRun, corpus: Option<&Path>) -> Result<(NoveltyIndex, Lexicon)> {
    let dir = match corpus {
        Some(dir) => dir.to_path_buf(),
        None => {
            let Some(recorded) = &run.config.corpus else {
                return Err(Error::Novelty(
                    "the model's config.json records no training corpus (pass --corpus DIR)".into(),
                ));
            };
            let dir = Path::new(&recorded.path);
            if dir.is_relative() && !dir.exists() {
                run.dir.join(dir)
            } else {
                dir.to_path_buf()
            }
        }
    };
    if corpus.is_none() && !dir.join(TRAIN_FILE).exists() {
        return Err(Error::Novelty(format!(
            "the training corpus is not at {} (pass --corpus DIR; for models/default, \
             scripts/build-default-model.sh prepares it)",
            dir.display()
        )));
    }
    let c = cardlm_cards::load_corpus(&dir)
        .map_err(|e| Error::Novelty(format!("training corpus {}: {e}", dir.display())))?;
    Ok((NoveltyIndex::new(&c.train), Lexicon::from_lines(&c.train)))
}

/// The strict judge's lexicon stored beside a shipped model (`cardlm ship`
/// writes it), for when the training corpus is not at hand.
pub const LEXICON_FILE: &str = "lexicon.json";

/// The lexicon in a model directory: `None` when it has none.
pub fn model_lexicon(dir: &Path) -> Result<Option<Lexicon>> {
    let path = dir.join(LEXICON_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => Lexicon::from_json(&bytes)
            .map(Some)
            .map_err(|e| Error::Novelty(format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Novelty(format!("{}: {e}", path.display()))),
    }
}

/// A model ready to generate cards: loaded once, shared by every request.
pub struct CardModel {
    /// The run directory it was loaded from.
    pub dir: PathBuf,
    pub run: LoadedRun,
    /// The training cards, for the novelty verdicts; `None`: not judged.
    pub novelty: Option<NoveltyIndex>,
    /// The words of the training cards, for the strict verdicts; `None`: not judged.
    pub lexicon: Option<Lexicon>,
    /// The start symbol `Ⓢ`'s token.
    pub start: u32,
    /// The end symbol `Ⓔ`'s token.
    pub end: u32,
}

impl CardModel {
    /// A loaded run with its novelty index (if any). Fails when the
    /// vocabulary lacks the start or end symbol.
    pub fn new(run: LoadedRun, novelty: Option<NoveltyIndex>) -> Result<Self> {
        let start = run.vocab.id(START).ok_or(Error::MissingSymbol {
            what: "start",
            symbol: START,
        })?;
        let end = run.vocab.id(END).ok_or(Error::MissingSymbol {
            what: "end",
            symbol: END,
        })?;
        Ok(CardModel {
            dir: run.dir.clone(),
            run,
            novelty,
            lexicon: None,
            start,
            end,
        })
    }

    /// The same model, judging its cards strictly against `lexicon` too.
    pub fn with_lexicon(mut self, lexicon: Option<Lexicon>) -> Self {
        self.lexicon = lexicon;
        self
    }
}
