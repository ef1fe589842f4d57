//! Character embedding lookup.

use crate::kernels::Scalar;

/// `x[N, H] = table[tokens[n]]`. A token past the last row gives a zero
/// vector: the seed's start symbol is one past its embedding, and TensorFlow
/// on a GPU (where the seed trained) returns zeros for such an index.
pub fn embedding_forward<T: Scalar>(table: &[T], hidden: usize, tokens: &[u32], x: &mut [T]) {
    let rows = table.len() / hidden;
    for (out, &tok) in x.chunks_exact_mut(hidden).zip(tokens) {
        let tok = tok as usize;
        if tok < rows {
            out.copy_from_slice(&table[tok * hidden..(tok + 1) * hidden]);
        } else {
            out.fill(T::zero());
        }
    }
}

/// `dtable[tokens[n]] += dx[n]` for every row.
pub fn embedding_backward<T: Scalar>(dtable: &mut [T], hidden: usize, tokens: &[u32], dx: &[T]) {
    let rows = dtable.len() / hidden;
    for (d, &tok) in dx.chunks_exact(hidden).zip(tokens) {
        let tok = tok as usize;
        if tok < rows {
            for (g, v) in dtable[tok * hidden..(tok + 1) * hidden].iter_mut().zip(d) {
                *g += *v;
            }
        }
    }
}
