//! A corpus directory as the trainer reads it: `vocab.json` and one
//! sequence per line in `train.txt` and `valid.txt` (see the cards crate,
//! which writes it). Nothing here knows what the lines mean.

use crate::char_vocab::Vocab;
use crate::error::{LmError, Result};
use cardlm_files::layout::{TRAIN_FILE, VALID_FILE, VOCAB_FILE};
use std::path::{Path, PathBuf};

/// The `--max-len` values a new run chooses from (the seed's 256 first).
pub const MAX_LEN_CHOICES: [usize; 5] = [256, 320, 384, 448, 512];
/// The largest share of training sequences a default `--max-len` may cut.
pub const MAX_CUT_SHARE: f64 = 0.005;

/// The smallest of `choices` (ascending) longer than all but `share` of the
/// `lengths`, or the last choice; with the share of lengths it cuts.
pub fn max_len_for(
    lengths: impl Iterator<Item = usize>,
    choices: &[usize],
    share: f64,
) -> (usize, f64) {
    let lengths: Vec<usize> = lengths.collect();
    let cut_share = |max_len: usize| {
        lengths.iter().filter(|&&l| l > max_len).count() as f64 / lengths.len().max(1) as f64
    };
    let chosen = choices
        .iter()
        .copied()
        .find(|&m| cut_share(m) <= share)
        .unwrap_or(*choices.last().expect("at least one choice"));
    (chosen, cut_share(chosen))
}

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

    /// The `--max-len` a new run takes when none is given: the smallest of
    /// [`MAX_LEN_CHOICES`] that cuts at most [`MAX_CUT_SHARE`] of the training
    /// sequences (the largest choice when none does), with the share it cuts.
    pub fn default_max_len(&self) -> (usize, f64) {
        max_len_for(
            self.train.iter().map(|s| s.len()),
            &MAX_LEN_CHOICES,
            MAX_CUT_SHARE,
        )
    }

    /// The sequences cut to at most `max_len` tokens.
    pub fn cut(sequences: &[Vec<u32>], max_len: usize) -> Vec<Vec<u32>> {
        sequences
            .iter()
            .map(|s| s[..s.len().min(max_len)].to_vec())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shortest_choice_that_cuts_at_most_the_share() {
        // 1000 lengths: 10 over 256, 4 over 320, none over 384.
        let lengths = || {
            (0..1000).map(|i| match i {
                0..=3 => 350,
                4..=9 => 300,
                _ => 100,
            })
        };
        assert_eq!(
            max_len_for(lengths(), &MAX_LEN_CHOICES, 0.005),
            (320, 0.004)
        );
        assert_eq!(max_len_for(lengths(), &MAX_LEN_CHOICES, 0.01), (256, 0.01));
        assert_eq!(max_len_for(lengths(), &MAX_LEN_CHOICES, 0.0), (384, 0.0));
        // Nothing cuts little enough: the longest choice.
        let long = (0..10).map(|_| 900);
        assert_eq!(max_len_for(long, &MAX_LEN_CHOICES, 0.005), (512, 1.0));
    }
}
