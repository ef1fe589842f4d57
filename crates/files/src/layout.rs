//! The corpus directory, as `cardlm prepare` writes it (the cards crate) and
//! the trainer reads it (the lm crate): named here once.

/// One encoded card a line, for training.
pub const TRAIN_FILE: &str = "train.txt";
/// One encoded card a line, held out for the validation loss; may be absent.
pub const VALID_FILE: &str = "valid.txt";
/// Index → character, a JSON array of one-character strings.
pub const VOCAB_FILE: &str = "vocab.json";
/// What went into the corpus and what was left out.
pub const STATS_FILE: &str = "stats.json";
/// Every file of a corpus directory.
pub const CORPUS_FILES: [&str; 4] = [TRAIN_FILE, VALID_FILE, VOCAB_FILE, STATS_FILE];
/// The files whose bytes identify a corpus for training (its recorded SHA-256).
pub const HASHED_CORPUS_FILES: [&str; 3] = [VOCAB_FILE, TRAIN_FILE, VALID_FILE];

/// A model directory's novelty index: its training cards, for the verdicts
/// of `generate` and `eval` without the corpus (written by `train`, `ship`
/// and `novelty-index`).
pub const NOVELTY_FILE: &str = "novelty.json.xz";
/// A model directory's realness judge: a discriminator of its training cards
/// against its own candidates, which the curator weighs (written by
/// `fit-realness`; optional).
pub const REALNESS_FILE: &str = "realness.json.xz";
