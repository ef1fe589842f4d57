//! A corpus directory as the trainer reads it: `vocab.json` and one
//! sequence per line in `train.txt` and `valid.txt` (see the cards crate,
//! which writes it). Nothing here knows what the lines mean.

use crate::char_vocab::Vocab;
use crate::error::{LmError, Result};
use cardlm_files::layout::{TRAIN_FILE, VALID_FILE, VOCAB_FILE};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct TokenCorpus {
    pub dir: PathBuf,
    pub vocab: Vocab,
    pub train: Vec<Vec<u32>>,
    pub valid: Vec<Vec<u32>>,
}

fn read_lines(path: &Path, vocab: &Vocab, required: bool) -> Result<Vec<Vec<u32>>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(LmError::io(path, e)),
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, line)| {
            vocab.encode(line).map_err(|unknown| LmError::Corrupt {
                path: Some(PathBuf::from(format!("{}:{}", path.display(), i + 1))),
                reason: format!(
                    "characters not in {VOCAB_FILE}: {:?}",
                    unknown.iter().collect::<String>()
                ),
            })
        })
        .collect()
}

impl TokenCorpus {
    pub fn load(dir: &Path) -> Result<Self> {
        if !dir.is_dir() {
            return Err(LmError::corrupt(
                dir,
                "not a corpus directory (run `cardlm prepare` first)",
            ));
        }
        let vocab = Vocab::load(&dir.join(VOCAB_FILE))?;
        let train = read_lines(&dir.join(TRAIN_FILE), &vocab, true)?;
        if train.is_empty() {
            return Err(LmError::corrupt(dir.join(TRAIN_FILE), "no training lines"));
        }
        let valid = read_lines(&dir.join(VALID_FILE), &vocab, false)?;
        Ok(TokenCorpus {
            dir: dir.to_path_buf(),
            vocab,
            train,
            valid,
        })
    }

    /// The sequences cut to at most `max_len` tokens.
    pub fn cut(sequences: &[Vec<u32>], max_len: usize) -> Vec<Vec<u32>> {
        sequences
            .iter()
            .map(|s| s[..s.len().min(max_len)].to_vec())
            .collect()
    }
}
