//! Packing sequences of different lengths into one batch without padding.
//!
//! Sequences are sorted longest first and laid out time-major: step `t`
//! holds the `sizes[t]` sequences still running, in rows
//! `offsets[t]..offsets[t] + sizes[t]`. Row `r` of step `t` and row `r` of
//! step `t - 1` are the same sequence, so the recurrent input of a step is a
//! contiguous block of the previous step. Every row is a real position: the
//! masked loss of a padded batch is computed without computing the padding.

/// The step structure of a packed batch.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Steps {
    /// Number of active sequences at each step, non-increasing.
    pub sizes: Vec<usize>,
    /// First row of each step; `offsets[T]` is the number of rows.
    pub offsets: Vec<usize>,
}

impl Steps {
    /// Steps for sequences of the given lengths, sorted longest first.
    pub fn from_sorted_lengths(lengths: &[usize]) -> Steps {
        debug_assert!(lengths.windows(2).all(|w| w[0] >= w[1]));
        let max = lengths.first().copied().unwrap_or(0);
        let mut sizes = Vec::with_capacity(max);
        let mut offsets = Vec::with_capacity(max + 1);
        offsets.push(0);
        for t in 0..max {
            let n = lengths.iter().take_while(|&&len| len > t).count();
            sizes.push(n);
            offsets.push(offsets[t] + n);
        }
        Steps { sizes, offsets }
    }

    /// Number of time steps.
    pub fn len(&self) -> usize {
        self.sizes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sizes.is_empty()
    }

    /// Number of rows (real positions) in the batch.
    pub fn rows(&self) -> usize {
        *self.offsets.last().unwrap_or(&0)
    }

    /// Number of sequences (active at the first step).
    pub fn sequences(&self) -> usize {
        self.sizes.first().copied().unwrap_or(0)
    }
}

/// Inputs and next-character targets of a batch, packed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PackedBatch {
    pub steps: Steps,
    /// `[N]` input token at each row.
    pub inputs: Vec<u32>,
    /// `[N]` token to predict at each row.
    pub targets: Vec<u32>,
}

impl PackedBatch {
    /// Packs token sequences: each of length `n` gives `n - 1` positions
    /// (input `s[t]`, target `s[t + 1]`). Sequences shorter than 2 tokens
    /// have nothing to predict and are left out.
    pub fn pack(sequences: &[&[u32]]) -> PackedBatch {
        let mut seqs: Vec<&[u32]> = sequences.iter().copied().filter(|s| s.len() >= 2).collect();
        // Stable sort: equal lengths keep their order, so packing is deterministic.
        seqs.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let lengths: Vec<usize> = seqs.iter().map(|s| s.len() - 1).collect();
        let steps = Steps::from_sorted_lengths(&lengths);
        let mut inputs = Vec::with_capacity(steps.rows());
        let mut targets = Vec::with_capacity(steps.rows());
        for (t, &n) in steps.sizes.iter().enumerate() {
            for s in &seqs[..n] {
                inputs.push(s[t]);
                targets.push(s[t + 1]);
            }
        }
        PackedBatch {
            steps,
            inputs,
            targets,
        }
    }

    pub fn rows(&self) -> usize {
        self.inputs.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_skips_padding_and_keeps_each_sequence_in_its_row() {
        let a = [1, 2, 3, 4];
        let b = [5, 6];
        let c = [7, 8, 9];
        let batch = PackedBatch::pack(&[&b, &a, &c, &[3]]);
        assert_eq!(batch.steps.sizes, [3, 2, 1]);
        assert_eq!(batch.steps.offsets, [0, 3, 5, 6]);
        assert_eq!(batch.inputs, [1, 7, 5, 2, 8, 3]);
        assert_eq!(batch.targets, [2, 8, 6, 3, 9, 4]);
        assert_eq!(batch.rows(), 3 + 2 + 1);
    }
}
