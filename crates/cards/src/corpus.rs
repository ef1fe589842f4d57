//! Building a corpus from inputs, and the corpus directory on disk.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::encode::encode_filtered;
use crate::error::{Error, Result};
use crate::faces::{FaceJoiner, Joined};
use crate::field_order::FieldOrder;
use crate::full::{check_full_card, encode_full, FullOptions};
use crate::input::{read_input_limited, InputLimits, Record};
use crate::markers::{COST, END, START};
use crate::stats::{LengthStats, Stats};
use crate::text_rule;
use crate::vocab::{build_vocab, ranked_characters};

pub use cardlm_files::layout::{CORPUS_FILES, STATS_FILE, TRAIN_FILE, VALID_FILE, VOCAB_FILE};
use cardlm_files::{write_dir_atomically_streamed, StreamedFile};

/// How `prepare` turns cards into a corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct PrepareOptions {
    /// Keep every printing (the seed did); otherwise identical lines are kept once.
    pub keep_reprints: bool,
    /// Share of distinct card names that go to the validation file, in `[0, 1)`.
    pub valid_fraction: f64,
    /// Chooses the validation names; the same seed gives the same split.
    pub seed: u64,
    /// Rarity word for cards whose source has none (MTGJSON AtomicCards never has
    /// one); such cards are dropped when this is `None`.
    pub default_rarity: Option<String>,
    /// Which cards and how they are written.
    pub encoding: Encoding,
    /// Full encoding only: write flavor text.
    pub flavor: bool,
    /// The order of each face's fields in the written lines
    /// ([`crate::field_order`]; text-first only with the full encoding).
    pub field_order: FieldOrder,
}

/// The one-line card encodings `prepare` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// The seed's cards and encoding, byte for byte (`docs/card-encoding.md`).
    Seed,
    /// Every real card, a strict extension of the seed's encoding (`docs/encoding.md`).
    #[default]
    Full,
}

impl Default for PrepareOptions {
    fn default() -> Self {
        PrepareOptions {
            keep_reprints: false,
            valid_fraction: 0.05,
            seed: 0,
            default_rarity: None,
            encoding: Encoding::default(),
            flavor: false,
            field_order: FieldOrder::Printed,
        }
    }
}

impl PrepareOptions {
    /// The options are usable; errors name `input`.
    pub fn check(&self, input: impl AsRef<Path>) -> Result<()> {
        if !(0.0..1.0).contains(&self.valid_fraction) {
            return Err(Error::new(
                input,
                format!(
                    "--valid-fraction must be in [0, 1), got {}",
                    self.valid_fraction
                ),
            ));
        }
        if self.field_order != FieldOrder::Printed && self.encoding == Encoding::Seed {
            return Err(Error::new(
                input,
                "--field-order text-first needs --encoding full (the seed's lines are written byte for byte)",
            ));
        }
        Ok(())
    }
}

/// A corpus: encoded lines (each from `Ⓢ` to `Ⓔ`) and the vocabulary, index → character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corpus {
    pub train: Vec<String>,
    pub valid: Vec<String>,
    pub vocab: Vec<char>,
}

impl Corpus {
    /// The order its lines write the fields in ([`crate::field_order`]).
    pub fn field_order(&self) -> FieldOrder {
        FieldOrder::for_vocabulary(&self.vocab)
    }

    /// The training lines in the printed order, as the decoder and the judges
    /// read them ([`FieldOrder::lines_in_printed_order`]).
    pub fn printed_train(&self) -> Vec<String> {
        FieldOrder::lines_in_printed_order(self.train.clone())
    }
}

/// Reads, filters and encodes every input (in order), then removes reprints and splits.
pub fn prepare_corpus(inputs: &[PathBuf], options: &PrepareOptions) -> Result<(Corpus, Stats)> {
    prepare_corpus_limited(inputs, options, &InputLimits::default())
}

/// [`prepare_corpus`] with explicit limits on what reading each input may cost.
pub fn prepare_corpus_limited(
    inputs: &[PathBuf],
    options: &PrepareOptions,
    limits: &InputLimits,
) -> Result<(Corpus, Stats)> {
    let described = inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    options.check(&described)?;
    let mut stats = Stats {
        encoding: Some(options.encoding),
        ..Stats::default()
    };
    let mut lines = Vec::new();
    // Reprints are removed as they arrive, so that memory follows the corpus written
    // rather than the input read (a file of one line repeated is one line).
    let mut reprints = Reprints::new(options.keep_reprints);
    let mut dropped: BTreeMap<String, usize> = BTreeMap::new();
    let full_options = FullOptions {
        flavor: options.flavor,
    };
    let mut joiner = FaceJoiner::new();
    for path in inputs {
        let summary = read_input_limited(path, limits, &mut |record| match record {
            Record::Card(mut card) => {
                if card.rarity.is_none() {
                    card.rarity.clone_from(&options.default_rarity);
                }
                // The text rule first: a card with a NUL in its name is corrupt data
                // whatever the seed's filter would say of it.
                if let Err(violation) = text_rule::check_card(&card) {
                    *dropped.entry(violation.key.to_owned()).or_default() += 1;
                    return;
                }
                match options.encoding {
                    Encoding::Seed => match encode_filtered(&card) {
                        Ok(line) => reprints.push(&mut lines, line),
                        Err(reason) => *dropped.entry(reason.key().to_owned()).or_default() += 1,
                    },
                    Encoding::Full => joiner.push(*card, &mut |j| {
                        take_joined(j, &full_options, &mut reprints, &mut lines, &mut dropped)
                    }),
                }
            }
            Record::Line(line) => match text_rule::check_line(&line) {
                Ok(()) => reprints.push(&mut lines, line),
                Err(violation) => *dropped.entry(violation.key.to_owned()).or_default() += 1,
            },
        })?;
        stats.records_read += summary.records;
        stats.inputs.push(summary);
    }
    stats.faces_joined = joiner
        .finish(&mut |j| take_joined(j, &full_options, &mut reprints, &mut lines, &mut dropped));
    stats.cards_kept = lines.len() + reprints.removed;
    stats.dropped = dropped;
    if lines.is_empty() {
        let reasons = stats
            .dropped
            .iter()
            .map(|(reason, count)| format!("{count} {reason}"))
            .collect::<Vec<_>>()
            .join(", ");
        let hint = if stats.dropped.contains_key("missing_rarity") {
            " (MTGJSON AtomicCards has no rarities: pass --default-rarity, or use AllPrintings)"
        } else {
            ""
        };
        return Err(Error::new(
            &described,
            format!(
                "empty result after filtering: {} records read, none kept ({}){hint}",
                stats.records_read,
                if reasons.is_empty() {
                    "no cards".to_owned()
                } else {
                    reasons
                }
            ),
        ));
    }
    // The reprint index is done with: freed before the split allocates its own.
    let reprints_removed = reprints.removed;
    drop(reprints);
    lines.shrink_to_fit();
    let corpus = corpus_from_lines(lines, options, &mut stats);
    stats.reprints_removed += reprints_removed;
    Ok((corpus, stats))
}

/// Drops a line identical to an earlier one as it arrives, keeping a hash and an index
/// per distinct line rather than a second copy of the text.
struct Reprints {
    keep: bool,
    first: HashMap<u64, usize>,
    removed: usize,
}

impl Reprints {
    fn new(keep: bool) -> Self {
        Reprints {
            keep,
            first: HashMap::new(),
            removed: 0,
        }
    }

    fn push(&mut self, lines: &mut Vec<String>, mut line: String) {
        // The encoder reserves room for the markers; a kept line gives the slack back
        // (in place), so the corpus costs its text and little more.
        line.shrink_to_fit();
        if self.keep {
            lines.push(line);
            return;
        }
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        let hash = BuildHasherDefault::<DefaultHasher>::default().hash_one(line.as_str());
        match self.first.get(&hash) {
            Some(&index) if lines[index] == line => self.removed += 1,
            // A different line with the same 64-bit hash: kept (at worst a later copy
            // of it is kept too).
            Some(_) => lines.push(line),
            None => {
                self.first.insert(hash, lines.len());
                lines.push(line);
            }
        }
    }
}

/// Encodes a joined card, or counts why it (or its records) stayed out.
fn take_joined(
    joined: Joined,
    options: &FullOptions,
    reprints: &mut Reprints,
    lines: &mut Vec<String>,
    dropped: &mut BTreeMap<String, usize>,
) {
    match joined {
        Joined::Card(card) => match check_full_card(&card) {
            Ok(()) => reprints.push(lines, encode_full(&card, options)),
            Err(reason) => *dropped.entry(reason.key().to_owned()).or_default() += card.faces.len(),
        },
        Joined::Dropped { reason, count } => {
            *dropped.entry(reason.key().to_owned()).or_default() += count
        }
    }
}

/// The split key of a line: the card's name (text between `Ⓢ` and `⒞`), or the whole
/// record for lines that have no cost marker (plain-text corpora).
pub fn split_key(line: &str) -> &str {
    let inner = line.strip_prefix(START).unwrap_or(line);
    match inner.find(COST) {
        Some(end) => &inner[..end],
        None => inner.strip_suffix(END).unwrap_or(inner),
    }
}

/// SplitMix64: a well-mixed 64-bit hash step, enough to order names by `--seed`.
fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A name's place in the validation draw: FNV-1a of its bytes mixed with the seed.
fn name_rank(name: &str, seed: u64) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in name.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01B3);
    }
    splitmix64(hash ^ splitmix64(seed))
}

/// A corpus from the seed's `card_texts.npy` in `dir` (lines already
/// encoded): reprints removed unless kept, split as [`prepare_corpus`] does.
pub fn prepare_from_seed_npy(dir: &Path, options: &PrepareOptions) -> Result<(Corpus, Stats)> {
    options.check(dir)?;
    let read = crate::npy::read_seed_card_texts(dir)?;
    let records_read = read.len();
    // The text rule, as for every other input: lines with control characters or
    // `Ⓢ`/`Ⓔ` inside are dropped and counted.
    let mut dropped: BTreeMap<String, usize> = BTreeMap::new();
    let lines: Vec<String> = read
        .into_iter()
        .filter(|line| match text_rule::check_line(line) {
            Ok(()) => true,
            Err(violation) => {
                *dropped.entry(violation.key.to_owned()).or_default() += 1;
                false
            }
        })
        .collect();
    if lines.is_empty() {
        return Err(Error::new(
            dir.join(crate::npy::CARD_TEXTS_FILE),
            format!("empty result: every one of the {records_read} lines breaks the text rule (control characters or Ⓢ/Ⓔ inside)"),
        ));
    }
    let mut stats = Stats {
        records_read,
        cards_kept: lines.len(),
        dropped,
        ..Stats::default()
    };
    let corpus = corpus_from_lines(lines, options, &mut stats);
    Ok((corpus, stats))
}

/// Removes reprints (unless kept), sends `valid_fraction` of the distinct names to
/// the validation side (all printings of a name on one side), builds the vocabulary
/// and fills in the corpus part of `stats`.
pub fn corpus_from_lines(
    lines: Vec<String>,
    options: &PrepareOptions,
    stats: &mut Stats,
) -> Corpus {
    let before = lines.len();
    // Borrowed lines and flags rather than clones: peak memory stays near one copy of
    // the corpus (the files written later are the second).
    let lines: Vec<String> = if options.keep_reprints {
        lines
    } else {
        let first: Vec<bool> = {
            let mut seen: HashSet<&str> = HashSet::with_capacity(lines.len());
            lines
                .iter()
                .map(|line| seen.insert(line.as_str()))
                .collect()
        };
        lines
            .into_iter()
            .zip(first)
            .filter_map(|(line, first)| first.then_some(line))
            .collect()
    };
    stats.reprints_removed = before - lines.len();

    // Distinct names in first-appearance order, then the draw: the names with the
    // smallest ranks are validation names. Exactly round(fraction × names) of them,
    // never all of them.
    let mut names: Vec<&str> = Vec::new();
    let mut name_seen = HashSet::new();
    for line in &lines {
        let key = split_key(line);
        if name_seen.insert(key) {
            names.push(key);
        }
    }
    let valid_count = ((options.valid_fraction * names.len() as f64).round() as usize)
        .min(names.len().saturating_sub(1));
    let mut drawn = names.clone();
    drawn.sort_by_key(|name| (name_rank(name, options.seed), *name));
    let valid_names: HashSet<&str> = drawn.into_iter().take(valid_count).collect();
    let is_valid: Vec<bool> = lines
        .iter()
        .map(|line| valid_names.contains(split_key(line)))
        .collect();
    let valid_name_count = valid_names.len();
    let name_count = names.len();
    drop(valid_names);
    drop(names);
    drop(name_seen);

    let valid_lines = is_valid.iter().filter(|&&v| v).count();
    let mut valid = Vec::with_capacity(valid_lines);
    let mut train = Vec::with_capacity(lines.len() - valid_lines);
    for (line, is_valid) in lines.into_iter().zip(is_valid) {
        if is_valid {
            valid.push(line);
        } else {
            train.push(line);
        }
    }
    let mut by_layout: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
    // Counted on the printed lines, before they are put in the asked order.
    for line in train.iter().chain(valid.iter()) {
        let card = crate::decode::decode(line);
        *by_layout.entry(card.layout.clone()).or_default() += 1;
        for t in &card.types {
            *by_type.entry(t.to_lowercase()).or_default() += 1;
        }
    }
    stats.cards_by_layout = by_layout;
    stats.cards_by_type = by_type;
    if options.field_order != FieldOrder::Printed {
        for line in train.iter_mut().chain(valid.iter_mut()) {
            *line = options.field_order.from_printed(line);
        }
        stats.field_order = Some(options.field_order.name().to_owned());
    }
    let vocab = build_vocab(train.iter().chain(valid.iter()).map(String::as_str));
    let counts: HashMap<char, usize> =
        ranked_characters(train.iter().chain(valid.iter()).map(String::as_str))
            .into_iter()
            .collect();

    stats.train_cards = train.len();
    stats.valid_cards = valid.len();
    stats.valid_names = valid_name_count;
    stats.train_names = name_count - valid_name_count;
    stats.valid_fraction = options.valid_fraction;
    stats.seed = options.seed;
    stats.train_length = LengthStats::of(train.iter().map(String::as_str));
    stats.valid_length = LengthStats::of(valid.iter().map(String::as_str));
    stats.characters = vocab
        .iter()
        .map(|c| {
            (
                c.to_string(),
                counts
                    .get(c)
                    .copied()
                    .unwrap_or_else(|| count_end(&train, &valid, *c)),
            )
        })
        .collect();
    stats.vocab_size = vocab.len();
    Corpus {
        train,
        valid,
        vocab,
    }
}

/// `ranked_characters` leaves `Ⓔ` out; count it directly.
fn count_end(train: &[String], valid: &[String], c: char) -> usize {
    train
        .iter()
        .chain(valid)
        .map(|line| line.chars().filter(|&x| x == c).count())
        .sum()
}

/// Writes the lines of a corpus file: one record a line, each ending in `\n`.
fn write_lines(out: &mut dyn Write, lines: &[String]) -> std::io::Result<()> {
    for line in lines {
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The files of a corpus directory, each written as it goes into the directory:
/// the lines are not copied into a second buffer, so writing costs no memory beyond
/// the corpus itself.
pub fn corpus_files<'a>(corpus: &'a Corpus, stats: &Stats) -> Vec<StreamedFile<'a>> {
    let vocab: Vec<String> = corpus.vocab.iter().map(|c| c.to_string()).collect();
    let mut vocab_json = serde_json::to_vec(&vocab).expect("strings serialise");
    vocab_json.push(b'\n');
    let mut stats_json = serde_json::to_vec_pretty(stats).expect("stats serialise");
    stats_json.push(b'\n');
    vec![
        StreamedFile::new(TRAIN_FILE, |w| write_lines(w, &corpus.train)),
        StreamedFile::new(VALID_FILE, |w| write_lines(w, &corpus.valid)),
        StreamedFile::new(VOCAB_FILE, move |w| w.write_all(&vocab_json)),
        StreamedFile::new(STATS_FILE, move |w| w.write_all(&stats_json)),
    ]
}

/// Writes a corpus directory (`train.txt`, `valid.txt`, `vocab.json`, `stats.json`).
pub fn write_corpus(dir: &Path, corpus: &Corpus, stats: &Stats) -> Result<()> {
    Ok(write_dir_atomically_streamed(
        dir,
        corpus_files(corpus, stats),
        &CORPUS_FILES,
    )?)
}

fn read_lines_file(path: &Path) -> Result<Vec<String>> {
    let text = fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidData => Error::new(path, "not UTF-8 text"),
        _ => Error::io(path, &e),
    })?;
    Ok(text
        .lines()
        .map(|line| line.strip_suffix('\r').unwrap_or(line).to_owned())
        .filter(|line| !line.is_empty())
        .collect())
}

/// Reads a vocabulary file: a JSON array of one-character strings, `Ⓔ` first, each once.
pub fn read_vocab(path: &Path) -> Result<Vec<char>> {
    let bytes = fs::read(path).map_err(|e| Error::io(path, &e))?;
    let entries: Vec<String> = serde_json::from_slice(&bytes).map_err(|e| {
        Error::new(
            path,
            format!("not a JSON array of one-character strings: {e}"),
        )
    })?;
    let mut vocab = Vec::with_capacity(entries.len());
    let mut seen = HashSet::new();
    for (index, entry) in entries.iter().enumerate() {
        let mut chars = entry.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return Err(Error::new(
                path,
                format!("entry {index} is {entry:?}, not one character"),
            ));
        };
        if !seen.insert(c) {
            return Err(Error::new(path, format!("character {c:?} is listed twice")));
        }
        text_rule::check_vocab_character(c).map_err(|m| Error::new(path, m))?;
        vocab.push(c);
    }
    if vocab.first() != Some(&END) {
        return Err(Error::new(path, format!("the first entry must be {END:?}")));
    }
    Ok(vocab)
}

/// Loads a corpus directory written by `cardlm prepare`. Every character of the lines
/// must be in the vocabulary.
pub fn load_corpus(dir: &Path) -> Result<Corpus> {
    let vocab = read_vocab(&dir.join(VOCAB_FILE))?;
    let train_path = dir.join(TRAIN_FILE);
    let train = read_lines_file(&train_path)?;
    let valid_path = dir.join(VALID_FILE);
    let valid = if valid_path.exists() {
        read_lines_file(&valid_path)?
    } else {
        Vec::new()
    };
    let known: HashSet<char> = vocab.iter().copied().collect();
    for (path, lines) in [(&train_path, &train), (&valid_path, &valid)] {
        for (number, line) in lines.iter().enumerate() {
            if let Some(c) = line.chars().find(|c| !known.contains(c)) {
                return Err(Error::new(
                    path,
                    format!(
                        "line {}: character {c:?} is not in {VOCAB_FILE}",
                        number + 1
                    ),
                ));
            }
        }
    }
    Ok(Corpus {
        train,
        valid,
        vocab,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(names: &[&str]) -> Vec<String> {
        names
            .iter()
            .map(|n| format!("Ⓢ{n}⒞①⒭C⒯instant⒜xⒺ"))
            .collect()
    }

    #[test]
    fn reprints_removed_unless_kept() {
        let input = lines(&["a", "b", "a"]);
        let mut stats = Stats::default();
        let options = PrepareOptions {
            valid_fraction: 0.0,
            ..PrepareOptions::default()
        };
        let corpus = corpus_from_lines(input.clone(), &options, &mut stats);
        assert_eq!(corpus.train, lines(&["a", "b"]));
        assert_eq!(stats.reprints_removed, 1);
        let options = PrepareOptions {
            keep_reprints: true,
            ..options
        };
        let corpus = corpus_from_lines(input, &options, &mut stats);
        assert_eq!(corpus.train.len(), 3);
    }

    #[test]
    fn split_is_by_name_deterministic_and_sized() {
        let names: Vec<String> = (0..200).map(|i| format!("card {i}")).collect();
        let mut input: Vec<String> = Vec::new();
        for name in &names {
            input.push(format!("Ⓢ{name}⒞①⒭C⒯instant⒜xⒺ"));
            input.push(format!("Ⓢ{name}⒞②⒭U⒯instant⒜yⒺ"));
        }
        let options = PrepareOptions {
            valid_fraction: 0.1,
            seed: 7,
            ..PrepareOptions::default()
        };
        let mut stats = Stats::default();
        let a = corpus_from_lines(input.clone(), &options, &mut stats);
        let b = corpus_from_lines(input.clone(), &options, &mut stats);
        assert_eq!(a, b);
        assert_eq!(stats.valid_names, 20);
        assert_eq!(a.valid.len(), 40);
        let valid_names: HashSet<&str> = a.valid.iter().map(|l| split_key(l)).collect();
        assert!(a.train.iter().all(|l| !valid_names.contains(split_key(l))));
        let other = corpus_from_lines(input, &PrepareOptions { seed: 8, ..options }, &mut stats);
        assert_ne!(a.valid, other.valid, "another seed draws other names");
    }

    #[test]
    fn a_text_first_corpus_splits_as_the_printed_one_and_reads_back_printed() {
        let names: Vec<String> = (0..50).map(|i| format!("card {i}")).collect();
        let input: Vec<String> = names
            .iter()
            .map(|name| format!("Ⓢ{name}⒞①Ⓖ⒭C⒯creature:elf⒫1/1⒜xⒺ"))
            .collect();
        let printed_options = PrepareOptions {
            valid_fraction: 0.2,
            ..PrepareOptions::default()
        };
        let options = PrepareOptions {
            field_order: FieldOrder::TextFirst,
            ..printed_options.clone()
        };
        let (mut stats, mut printed_stats) = (Stats::default(), Stats::default());
        let printed = corpus_from_lines(input.clone(), &printed_options, &mut printed_stats);
        let text_first = corpus_from_lines(input, &options, &mut stats);
        assert_eq!(text_first.train[0], "Ⓢ⒭C⒯creature:elf⒜x⒫1/1⒞①Ⓖ⒩card 0Ⓔ");
        assert_eq!(text_first.field_order(), FieldOrder::TextFirst);
        assert!(text_first.vocab.contains(&crate::markers::NAME_FIELD));
        assert_eq!(stats.field_order.as_deref(), Some("text-first"));
        assert_eq!(printed_stats.field_order, None);
        // The same cards on each side of the split, and the same counts by type.
        assert_eq!(text_first.printed_train(), printed.train);
        assert_eq!(stats.valid_cards, printed_stats.valid_cards);
        assert_eq!(stats.cards_by_type, printed_stats.cards_by_type);
        assert!(PrepareOptions {
            encoding: Encoding::Seed,
            ..options
        }
        .check("x")
        .is_err());
    }

    #[test]
    fn split_key_is_the_name() {
        assert_eq!(split_key("Ⓢangel⒞①Ⓔ"), "angel");
        assert_eq!(split_key("ⓈhelloⒺ"), "hello");
    }

    #[test]
    fn a_seed_npy_corpus_is_split_and_a_bad_fraction_names_the_input() {
        let dir = tempfile::tempdir().unwrap();
        let lines = lines(&["a", "b", "a", "c"]);
        for (name, bytes) in crate::npy::seed_npy_files(&lines) {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        let options = PrepareOptions {
            valid_fraction: 0.0,
            ..PrepareOptions::default()
        };
        let (corpus, stats) = prepare_from_seed_npy(dir.path(), &options).unwrap();
        assert_eq!(stats.records_read, 4);
        assert_eq!(corpus.train.len(), 3, "the reprint is removed");
        let bad = PrepareOptions {
            valid_fraction: 1.0,
            ..PrepareOptions::default()
        };
        let err = prepare_from_seed_npy(dir.path(), &bad)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("--valid-fraction") && err.contains(&dir.path().display().to_string()),
            "{err}"
        );
    }
}
