//! Logits, softmax and the cross-entropy of the next character.

use crate::kernels::{add_column_sums, fill_rows, gemm, Mat, Scalar};

/// Where the logits come from.
#[derive(Clone, Copy)]
pub enum OutputWeights<'a, T> {
    /// `logits = z · Eᵀ` with the embedding `E[V, H]` (the seed's weight tying).
    Tied { embedding: &'a [T] },
    /// `logits = z · W[H, V] + b[V]`.
    Dense { kernel: &'a [T], bias: &'a [T] },
}

/// `logits[N, V]` from `z[N, H]`.
pub fn logits_forward<T: Scalar>(
    w: OutputWeights<T>,
    z: &[T],
    hidden: usize,
    vocab: usize,
    logits: &mut [T],
) {
    let n = z.len() / hidden;
    match w {
        OutputWeights::Tied { embedding } => gemm(
            T::one(),
            Mat::new(z, n, hidden),
            Mat::new(embedding, vocab, hidden).t(),
            T::zero(),
            logits,
            vocab,
        ),
        OutputWeights::Dense { kernel, bias } => {
            fill_rows(logits, bias);
            gemm(
                T::one(),
                Mat::new(z, n, hidden),
                Mat::new(kernel, hidden, vocab),
                T::one(),
                logits,
                vocab,
            )
        }
    }
}

/// Sum over rows of `-log softmax(logits)[target]` and the number of rows
/// whose most likely character is the target. Replaces `logits` by
/// `scale * (softmax - onehot(target))`, the gradient of `scale * loss`.
pub fn softmax_cross_entropy<T: Scalar>(
    logits: &mut [T],
    vocab: usize,
    targets: &[u32],
    scale: T,
) -> (f64, usize) {
    let mut loss = 0.0f64;
    let mut correct = 0;
    for (row, &target) in logits.chunks_exact_mut(vocab).zip(targets) {
        let target = target as usize;
        let (mut argmax, mut max) = (0, row[0]);
        for (j, &v) in row.iter().enumerate() {
            if v > max {
                max = v;
                argmax = j;
            }
        }
        correct += (argmax == target) as usize;
        let mut sum = T::zero();
        for v in row.iter_mut() {
            *v = (*v - max).exp();
            sum += *v;
        }
        let target_p = row[target] / sum;
        loss -= target_p.to_f64().max(f64::MIN_POSITIVE).ln();
        let inv = scale / sum;
        for v in row.iter_mut() {
            *v *= inv;
        }
        row[target] -= scale;
    }
    (loss, correct)
}

/// Backward of [`logits_forward`]: `dz = dlogits · W`, weight gradients accumulated.
#[allow(clippy::too_many_arguments)]
pub fn logits_backward<T: Scalar>(
    w: OutputWeights<T>,
    z: &[T],
    hidden: usize,
    vocab: usize,
    dlogits: &[T],
    dweights: &mut [T],
    dbias: Option<&mut [T]>,
    dz: &mut [T],
) {
    let n = z.len() / hidden;
    match w {
        OutputWeights::Tied { embedding } => {
            gemm(
                T::one(),
                Mat::new(dlogits, n, vocab),
                Mat::new(embedding, vocab, hidden),
                T::zero(),
                dz,
                hidden,
            );
            gemm(
                T::one(),
                Mat::new(dlogits, n, vocab).t(),
                Mat::new(z, n, hidden),
                T::one(),
                dweights,
                hidden,
            );
        }
        OutputWeights::Dense { kernel, .. } => {
            gemm(
                T::one(),
                Mat::new(dlogits, n, vocab),
                Mat::new(kernel, hidden, vocab).t(),
                T::zero(),
                dz,
                hidden,
            );
            gemm(
                T::one(),
                Mat::new(z, n, hidden).t(),
                Mat::new(dlogits, n, vocab),
                T::one(),
                dweights,
                vocab,
            );
            if let Some(db) = dbias {
                add_column_sums(db, dlogits);
            }
        }
    }
}
