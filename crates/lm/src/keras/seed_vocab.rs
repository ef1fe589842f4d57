//! The seed's vocabulary: its pickled dicts `c2i` / `i2c` into cardlm's
//! index → character list.

use crate::error::LmError;
use std::path::Path;

/// The character cardlm gives to an index of i2c that c2i no longer maps to
/// (the seed's first `Ⓢ`, shadowed by the one appended last). It never occurs
/// in cards; generating it means the model chose that row.
pub const PLACEHOLDER: char = '\u{FFFD}';

/// Which vocabulary file a [`seed_vocab`] error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VocabFile {
    C2i,
    I2c,
}

/// What is wrong with the seed's dicts, and in which of the two files.
/// [`SeedVocabError::in_files`] names the file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file:?}: {reason}")]
pub struct SeedVocabError {
    pub file: VocabFile,
    pub reason: String,
}

impl From<(VocabFile, String)> for SeedVocabError {
    fn from((file, reason): (VocabFile, String)) -> Self {
        SeedVocabError { file, reason }
    }
}

impl SeedVocabError {
    /// The error naming the file at fault, given where the two dicts were read from.
    pub fn in_files(self, c2i: &Path, i2c: &Path) -> LmError {
        let path = match self.file {
            VocabFile::C2i => c2i,
            VocabFile::I2c => i2c,
        };
        LmError::corrupt(path, self.reason)
    }
}

/// cardlm's vocabulary (index → character) from the seed's dicts.
///
/// The seed's i2c lists `Ⓢ` twice and c2i, built from it with the later
/// index winning, maps `Ⓢ` one past the embedding's last row
/// (`c2i['Ⓢ'] == len(c2i)`): that index embeds as zeros, as TensorFlow did on
/// the seed's GPU. The earlier index of `Ⓢ` keeps its embedding row but no
/// character maps to it; it becomes [`PLACEHOLDER`]. The result has
/// `len(i2c)` entries: `embedding_rows + 1` for a seed vocabulary.
///
/// Checks: i2c's indices are `0..n`, every key/value is one character,
/// c2i is exactly i2c inverted (later index wins), `len(c2i)` equals the
/// embedding's rows, and at most one index is shadowed.
pub fn seed_vocab(
    c2i: &[(String, i64)],
    i2c: &[(i64, String)],
    embedding_rows: usize,
) -> Result<Vec<String>, SeedVocabError> {
    use VocabFile::*;
    let one_char = |s: &str| {
        let mut it = s.chars();
        matches!((it.next(), it.next()), (Some(_), None))
    };
    let mut by_index: Vec<Option<&str>> = vec![None; i2c.len()];
    for (i, c) in i2c {
        let slot = usize::try_from(*i)
            .ok()
            .and_then(|i| by_index.get_mut(i))
            .ok_or_else(|| -> SeedVocabError {
                (
                    I2c,
                    format!(
                        "index {i} out of 0..{}: the indices are not 0..{}",
                        i2c.len(),
                        i2c.len()
                    ),
                )
                    .into()
            })?;
        if slot.is_some() {
            return Err((I2c, format!("index {i} is listed twice")).into());
        }
        if !one_char(c) {
            return Err((I2c, format!("entry {i}: {c:?} is not one character")).into());
        }
        if c.starts_with(PLACEHOLDER) {
            return Err((I2c, format!("lists {PLACEHOLDER:?}, which cardlm reserves")).into());
        }
        if c.chars().any(char::is_control) {
            // The same rule as a corpus: a model with `\n` in its vocabulary would
            // write card names with raw newlines.
            return Err((
                I2c,
                format!("entry {i} is the control character {c:?}, which no card may contain"),
            )
                .into());
        }
        *slot = Some(c);
    }
    let chars: Vec<&str> = by_index.into_iter().map(|c| c.expect("filled")).collect();
    // c2i as the seed built it from i2c.
    let mut want: std::collections::HashMap<&str, usize> = Default::default();
    for (i, c) in chars.iter().enumerate() {
        want.insert(c, i);
    }
    for (c, i) in c2i {
        if !one_char(c) {
            return Err((C2i, format!("key {c:?} is not one character")).into());
        }
        match want.get(c.as_str()) {
            None => return Err((C2i, format!("maps {c:?}, which i2c does not list")).into()),
            Some(&w) if w as i64 != *i => {
                return Err((
                    C2i,
                    format!("maps {c:?} to {i}, but i2c lists it last at {w}: the two files do not belong together"),
                ).into())
            }
            _ => {}
        }
    }
    if c2i.len() != want.len() {
        return Err((
            C2i,
            format!(
                "has {} characters but i2c {} distinct ones",
                c2i.len(),
                want.len()
            ),
        )
            .into());
    }
    if c2i.len() != embedding_rows {
        return Err((
            C2i,
            format!(
                "has {} characters but the weights' embedding has {embedding_rows} rows: not the vocabulary of these weights",
                c2i.len()
            ),
        ).into());
    }
    let shadowed: Vec<usize> = (0..chars.len()).filter(|&i| want[chars[i]] != i).collect();
    if shadowed.len() > 1 {
        return Err((
            I2c,
            format!(
                "lists {} characters twice (only the seed's start symbol may be)",
                shadowed.len()
            ),
        )
            .into());
    }
    Ok(chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if shadowed.contains(&i) {
                PLACEHOLDER.to_string()
            } else {
                c.to_string()
            }
        })
        .collect())
}
