//! The errors of the library, each one line for the user.

use cardlm_lm::LmError;
use std::path::PathBuf;

/// What can go wrong when loading a model or generating cards.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: no such model directory", .0.display())]
    NoSuchModel(PathBuf),
    #[error("no model given and no models/default found (train one with `cardlm train` and pass --model DIR)")]
    NoDefaultModel,
    // The language model's errors are boxed: they carry shapes and paths, and
    // every `Result` of the library would otherwise be as large as the largest.
    #[error("cannot load the model: {0}")]
    LoadModel(Box<LmError>),
    /// A language-model error outside loading: an option out of range, a
    /// file of the model's that cannot be written. Shown as it is.
    #[error(transparent)]
    Lm(Box<LmError>),
    /// A card file (a corpus, the seed's `.npy` dicts) that cannot be read.
    #[error(transparent)]
    Cards(#[from] cardlm_cards::Error),
    /// A file or directory that could not be written (nothing half-written is left).
    #[error(transparent)]
    Write(#[from] cardlm_files::WriteError),
    /// An output directory that must be new (or empty) and is not.
    #[error("{}: already exists; {hint}", path.display())]
    OutputExists { path: PathBuf, hint: &'static str },
    /// The model's vocabulary lacks a marker every card needs.
    #[error("the model's vocabulary has no {what} symbol {symbol}")]
    MissingSymbol { what: &'static str, symbol: char },
    /// An option of a request is out of range or malformed.
    #[error("{0}")]
    BadRequest(String),
    /// Forced values with characters the model cannot write.
    #[error("{problems}: the model has never written these characters, so it cannot be steered to them (see `cardlm generate --help`)")]
    UnknownCharacters { problems: String },
    /// The training cards for the novelty verdicts could not be had.
    #[error("{0}")]
    Novelty(String),
    /// The model's realness file could not be read.
    #[error("{0}")]
    Realness(String),
    #[error("--novel-only needs the training cards: {0}")]
    NovelOnlyWithoutIndex(String),
    /// The request queue is full (a server answers 503).
    #[error("the generation queue is full ({0} requests waiting)")]
    QueueFull(usize),
    /// The request's deadline passed before its last card.
    #[error("the request's deadline passed after {delivered} of {requested} cards")]
    DeadlinePassed { delivered: usize, requested: usize },
    /// The service was shut down before the request finished.
    #[error("the generation service has stopped")]
    Stopped,
}

impl From<LmError> for Error {
    fn from(e: LmError) -> Self {
        Error::Lm(Box::new(e))
    }
}

impl Error {
    /// A model directory that could not be loaded.
    pub fn load_model(e: LmError) -> Self {
        Error::LoadModel(Box::new(e))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
