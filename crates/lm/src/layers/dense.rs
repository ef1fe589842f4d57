//! The dense relu layer after the LSTMs.

use crate::kernels::{add_column_sums, fill_rows, gemm, Mat, Scalar};

/// The dense layer's weights: `kernel[I, O]`, `bias[O]` (for the seed's
/// network `I = O = H`).
#[derive(Clone, Copy, Debug)]
pub struct DenseWeights<'a, T> {
    pub kernel: &'a [T],
    pub bias: &'a [T],
}

/// `y[N, O] = relu(x[N, I] · kernel[I, O] + bias[O])`.
pub fn dense_relu_forward<T: Scalar>(x: &[T], kernel: &[T], bias: &[T], input: usize, y: &mut [T]) {
    let out = bias.len();
    let n = x.len() / input;
    fill_rows(y, bias);
    gemm(
        T::one(),
        Mat::new(x, n, input),
        Mat::new(kernel, input, out),
        T::one(),
        y,
        out,
    );
    for v in y.iter_mut() {
        *v = v.max(T::zero());
    }
}

/// Given `dy[N, O]` (overwritten with the pre-activation gradient) and the
/// forward output `y`: `dkernel += xᵀ·dy`, `dbias += Σ dy`, `dx = dy·kernelᵀ`.
#[allow(clippy::too_many_arguments)]
pub fn dense_relu_backward<T: Scalar>(
    x: &[T],
    kernel: &[T],
    input: usize,
    y: &[T],
    dy: &mut [T],
    dkernel: &mut [T],
    dbias: &mut [T],
    dx: &mut [T],
) {
    let out = dbias.len();
    let n = x.len() / input;
    // A store on every element, so that the loop vectorises: with the
    // store inside the `if` it stayed scalar (1.5% of bf16 training, `perf`).
    for (d, v) in dy.iter_mut().zip(y) {
        *d = if *v <= T::zero() { T::zero() } else { *d };
    }
    gemm(
        T::one(),
        Mat::new(x, n, input).t(),
        Mat::new(dy, n, out),
        T::one(),
        dkernel,
        out,
    );
    add_column_sums(dbias, dy);
    gemm(
        T::one(),
        Mat::new(dy, n, out),
        Mat::new(kernel, input, out).t(),
        T::zero(),
        dx,
        input,
    );
}
