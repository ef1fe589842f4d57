//! `stats.json`: what went into a corpus and what was left out.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::input::InputSummary;

/// Line lengths in characters, markers included.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct LengthStats {
    pub min: usize,
    pub p50: usize,
    pub p90: usize,
    pub p95: usize,
    pub p99: usize,
    pub max: usize,
    pub mean: f64,
    /// Lines longer than the seed's 256 positions (cut in its arrays).
    pub over_256: usize,
    /// Lines longer than 320, 384, 448 and 512 characters (cut at such a `--max-len`).
    pub over_320: usize,
    pub over_384: usize,
    pub over_448: usize,
    pub over_512: usize,
}

impl LengthStats {
    /// Nearest-rank percentiles of the lines' character counts.
    pub fn of<'a>(lines: impl IntoIterator<Item = &'a str>) -> Self {
        let mut lengths: Vec<usize> = lines.into_iter().map(|l| l.chars().count()).collect();
        if lengths.is_empty() {
            return LengthStats::default();
        }
        lengths.sort_unstable();
        let rank = |p: f64| {
            let index = ((p / 100.0) * lengths.len() as f64).ceil() as usize;
            lengths[index.clamp(1, lengths.len()) - 1]
        };
        LengthStats {
            min: lengths[0],
            p50: rank(50.0),
            p90: rank(90.0),
            p95: rank(95.0),
            p99: rank(99.0),
            max: lengths[lengths.len() - 1],
            mean: lengths.iter().sum::<usize>() as f64 / lengths.len() as f64,
            over_256: lengths.iter().filter(|&&l| l > 256).count(),
            over_320: lengths.iter().filter(|&&l| l > 320).count(),
            over_384: lengths.iter().filter(|&&l| l > 384).count(),
            over_448: lengths.iter().filter(|&&l| l > 448).count(),
            over_512: lengths.iter().filter(|&&l| l > 512).count(),
        }
    }
}

/// Everything `stats.json` says about a corpus.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// The encoding written (`seed` or `full`); absent for a corpus read from lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<crate::corpus::Encoding>,
    /// `text-first` when the lines are written in that order
    /// ([`crate::field_order`]); absent for the printed order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_order: Option<String>,
    pub inputs: Vec<InputSummary>,
    /// Cards, faces or text lines read from all inputs.
    pub records_read: usize,
    /// Records that passed the filter (reprints still counted).
    pub cards_kept: usize,
    /// Records left out, by reason (see `DropReason::key`).
    pub dropped: BTreeMap<String, usize>,
    /// Full encoding: face records joined into a multi-part card after its first face.
    pub faces_joined: usize,
    /// Identical encoded lines removed after their first occurrence.
    pub reprints_removed: usize,
    pub train_cards: usize,
    pub valid_cards: usize,
    pub train_names: usize,
    pub valid_names: usize,
    pub valid_fraction: f64,
    pub seed: u64,
    pub train_length: LengthStats,
    pub valid_length: LengthStats,
    /// Characters of the corpus in vocabulary order, with their counts over train and valid.
    pub characters: Vec<(String, usize)>,
    pub vocab_size: usize,
    /// Cards of train and valid by layout (`normal`, `transform`, ...).
    pub cards_by_layout: BTreeMap<String, usize>,
    /// Cards of train and valid by card type of the front face (`creature`, `land`, ...).
    pub cards_by_type: BTreeMap<String, usize>,
}
