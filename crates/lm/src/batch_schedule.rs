//! Which sequences go into which batch, epoch by epoch.
//!
//! Packed batches cost what their real positions cost, but the recurrent
//! product of a step is only efficient when many sequences are still running:
//! grouping cards of similar length keeps every step full. The loss of each
//! batch is still the mean over its real positions, as the seed's masked loss.

use crate::error::LmError;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Batching {
    /// Shuffle, then sort windows of [`BUCKET_WINDOW`] batches by length and
    /// cut them into batches; batch order is shuffled again.
    #[default]
    Bucket,
    /// Plain shuffled batches, as the seed's `model.fit`.
    Random,
}

impl std::str::FromStr for Batching {
    type Err = LmError;
    fn from_str(s: &str) -> Result<Self, LmError> {
        match s {
            "bucket" => Ok(Batching::Bucket),
            "random" => Ok(Batching::Random),
            _ => Err(LmError::UnknownValue {
                what: "batching",
                value: s.to_string(),
                expected: "bucket or random",
            }),
        }
    }
}

/// Batches per length-sorted window.
pub const BUCKET_WINDOW: usize = 64;

/// The batches of one epoch, as indices into `lengths`. Depends only on
/// `(seed, epoch)`, so a resumed run sees the same batches.
pub fn epoch_batches(
    lengths: &[usize],
    batch_size: usize,
    batching: Batching,
    seed: u64,
    epoch: u64,
) -> Vec<Vec<usize>> {
    let mut rng = Rng::for_stream(seed, &[0xBA7C, epoch]);
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    rng.shuffle(&mut order);
    if batching == Batching::Bucket {
        for window in order.chunks_mut(batch_size * BUCKET_WINDOW) {
            window.sort_by_key(|&i| std::cmp::Reverse(lengths[i]));
        }
    }
    let mut batches: Vec<Vec<usize>> = order
        .chunks(batch_size.max(1))
        .map(|c| c.to_vec())
        .collect();
    if batching == Batching::Bucket {
        rng.shuffle(&mut batches);
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sequence_appears_once_per_epoch_and_buckets_are_tight() {
        let lengths: Vec<usize> = (0..1000).map(|i| 10 + (i * 7919) % 240).collect();
        for batching in [Batching::Bucket, Batching::Random] {
            let batches = epoch_batches(&lengths, 32, batching, 1, 0);
            let mut seen: Vec<usize> = batches.iter().flatten().copied().collect();
            seen.sort();
            assert_eq!(seen, (0..1000).collect::<Vec<_>>());
            assert_eq!(batches, epoch_batches(&lengths, 32, batching, 1, 0));
            assert_ne!(batches, epoch_batches(&lengths, 32, batching, 1, 1));
        }
        let spread = |b: &Vec<usize>| {
            let l: Vec<usize> = b.iter().map(|&i| lengths[i]).collect();
            l.iter().max().unwrap() - l.iter().min().unwrap()
        };
        let bucket = epoch_batches(&lengths, 32, Batching::Bucket, 1, 0);
        let random = epoch_batches(&lengths, 32, Batching::Random, 1, 0);
        let mean =
            |bs: &[Vec<usize>]| bs.iter().map(spread).sum::<usize>() as f64 / bs.len() as f64;
        assert!(
            mean(&bucket) * 4.0 < mean(&random),
            "{} vs {}",
            mean(&bucket),
            mean(&random)
        );
    }
}
