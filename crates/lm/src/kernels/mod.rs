//! The hardware-specific part of the model: matrix products and the
//! element-wise functions of the gates. Everything above this module speaks in
//! row-major slices; a GPU or BLAS backend replaces only this file.
//!
//! Products are single-threaded on purpose: the trainer runs one half of each
//! batch per core, which scaled better here than threading one product.
//! Which micro-kernels run is decided per processor by [`cpu`].

pub mod bf16_pack;
pub mod blocked;
pub mod cpu;
pub mod math;
pub mod micro;
pub mod packed;

use num_traits::Float;
use packed::PackedB;
use std::fmt::Debug;
use std::iter::Sum;
use std::ops::{AddAssign, MulAssign, SubAssign};

/// The element type of the model: `f32` for training and inference, `f64`
/// for the finite-difference gradient checks.
pub trait Scalar:
    Float + AddAssign + SubAssign + MulAssign + Sum + Debug + Default + Send + Sync + 'static
{
    /// `c = alpha * a · b + beta * c` on strided matrices (see [`gemm`]).
    ///
    /// # Safety
    /// The pointers with their strides must address `m x k`, `k x n` and
    /// `m x n` matrices inside live allocations; [`gemm`] checks this.
    #[allow(clippy::too_many_arguments)]
    unsafe fn gemm_raw(
        m: usize,
        k: usize,
        n: usize,
        alpha: Self,
        a: *const Self,
        rsa: isize,
        csa: isize,
        b: *const Self,
        rsb: isize,
        csb: isize,
        beta: Self,
        c: *mut Self,
        rsc: isize,
        csc: isize,
    );

    /// `c[m x n] += a[m x k] · B` with `B` packed (see [`packed`]).
    ///
    /// # Safety
    /// `c` addresses `m` rows of `b.n()` elements, `ldc` apart, that nothing
    /// else reads or writes during the call; `a` is checked.
    unsafe fn gemm_packed_raw(
        a: &[Self],
        lda: usize,
        m: usize,
        b: &PackedB<Self>,
        c: *mut Self,
        ldc: usize,
    );

    fn from_f64(x: f64) -> Self;
    fn to_f64(self) -> f64;

    /// Whether products of this type run in bf16 ([`cpu::precision`]; only
    /// ever for f32).
    fn bf16_products() -> bool {
        false
    }

    /// The logistic function, vectorisable in f32 ([`math::sigmoid_f32`]),
    /// exact in f64 (for the gradient checks).
    fn sigmoid(self) -> Self;
    /// `tanh`, vectorisable in f32, exact in f64.
    fn tanh_fast(self) -> Self;
}

impl Scalar for f32 {
    unsafe fn gemm_raw(
        m: usize,
        k: usize,
        n: usize,
        alpha: f32,
        a: *const f32,
        rsa: isize,
        csa: isize,
        b: *const f32,
        rsb: isize,
        csb: isize,
        beta: f32,
        c: *mut f32,
        rsc: isize,
        csc: isize,
    ) {
        match blocked::chosen() {
            Some(kernel) if csc == 1 && rsc >= 0 => {
                let a = blocked::View {
                    ptr: a,
                    rs: rsa,
                    cs: csa,
                };
                let b = blocked::View {
                    ptr: b,
                    rs: rsb,
                    cs: csb,
                };
                blocked::sgemm_with(kernel, m, k, n, alpha, a, b, beta, c, rsc as usize)
            }
            _ => matrixmultiply::sgemm(m, k, n, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc),
        }
    }
    fn bf16_products() -> bool {
        cpu::precision() == cpu::Precision::Bf16
    }
    unsafe fn gemm_packed_raw(
        a: &[f32],
        lda: usize,
        m: usize,
        b: &PackedB<f32>,
        c: *mut f32,
        ldc: usize,
    ) {
        packed::gemm_packed_f32_raw(a, lda, m, b, c, ldc)
    }
    #[inline(always)]
    fn sigmoid(self) -> f32 {
        math::sigmoid_f32(self)
    }
    #[inline(always)]
    fn tanh_fast(self) -> f32 {
        math::tanh_f32(self)
    }
    fn from_f64(x: f64) -> f32 {
        x as f32
    }
    fn to_f64(self) -> f64 {
        self as f64
    }
}

impl Scalar for f64 {
    unsafe fn gemm_raw(
        m: usize,
        k: usize,
        n: usize,
        alpha: f64,
        a: *const f64,
        rsa: isize,
        csa: isize,
        b: *const f64,
        rsb: isize,
        csb: isize,
        beta: f64,
        c: *mut f64,
        rsc: isize,
        csc: isize,
    ) {
        matrixmultiply::dgemm(m, k, n, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc)
    }
    unsafe fn gemm_packed_raw(
        a: &[f64],
        lda: usize,
        m: usize,
        b: &PackedB<f64>,
        c: *mut f64,
        ldc: usize,
    ) {
        packed::gemm_packed_portable_raw(a, lda, m, b, c, ldc)
    }
    #[inline(always)]
    fn sigmoid(self) -> f64 {
        1.0 / (1.0 + (-self).exp())
    }
    #[inline(always)]
    fn tanh_fast(self) -> f64 {
        self.tanh()
    }
    fn from_f64(x: f64) -> f64 {
        x
    }
    fn to_f64(self) -> f64 {
        self
    }
}

/// Whether f32 products run on [`blocked`] (the default where the processor
/// has AVX2 and FMA) or on `matrixmultiply` (`CARDLM_GEMM=matrixmultiply`,
/// for side-by-side benchmarks).
pub fn large_products_blocked() -> bool {
    blocked::chosen().is_some()
}

/// Whether a matrix operand is used as stored or transposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trans {
    No,
    Yes,
}

/// A row-major matrix operand: `data` holds `rows x cols` with leading
/// dimension `ld` (the distance between rows), used as `op(M)`.
#[derive(Clone, Copy)]
pub struct Mat<'a, T> {
    pub data: &'a [T],
    pub rows: usize,
    pub cols: usize,
    pub ld: usize,
    pub trans: Trans,
}

impl<'a, T> Mat<'a, T> {
    /// A dense row-major `rows x cols` matrix.
    pub fn new(data: &'a [T], rows: usize, cols: usize) -> Self {
        Mat {
            data,
            rows,
            cols,
            ld: cols,
            trans: Trans::No,
        }
    }
    /// The same storage used transposed.
    pub fn t(self) -> Self {
        Mat {
            trans: match self.trans {
                Trans::No => Trans::Yes,
                Trans::Yes => Trans::No,
            },
            ..self
        }
    }
    /// Shape of `op(M)`.
    fn op_shape(&self) -> (usize, usize) {
        match self.trans {
            Trans::No => (self.rows, self.cols),
            Trans::Yes => (self.cols, self.rows),
        }
    }
    /// Row and column strides of `op(M)`.
    fn op_strides(&self) -> (isize, isize) {
        match self.trans {
            Trans::No => (self.ld as isize, 1),
            Trans::Yes => (1, self.ld as isize),
        }
    }
    fn check(&self) {
        assert!(self.cols <= self.ld || self.rows <= 1, "leading dimension");
        if self.rows > 0 && self.cols > 0 {
            assert!(
                (self.rows - 1) * self.ld + self.cols <= self.data.len(),
                "matrix {}x{} (ld {}) exceeds its slice of {}",
                self.rows,
                self.cols,
                self.ld,
                self.data.len()
            );
        }
    }
}

/// `c[m x n] = alpha * op(a)[m x k] · op(b)[k x n] + beta * c`, with `c`
/// dense row-major. When `beta` is zero `c` is not read.
pub fn gemm<T: Scalar>(alpha: T, a: Mat<T>, b: Mat<T>, beta: T, c: &mut [T], ldc: usize) {
    let (m, k) = a.op_shape();
    let (k2, n) = b.op_shape();
    assert_eq!(k, k2, "inner dimensions differ");
    a.check();
    b.check();
    if m == 0 || n == 0 {
        return;
    }
    assert!(n <= ldc && (m - 1) * ldc + n <= c.len(), "output too small");
    let (rsa, csa) = a.op_strides();
    let (rsb, csb) = b.op_strides();
    // SAFETY: the bounds of all three operands were checked above.
    unsafe {
        T::gemm_raw(
            m,
            k,
            n,
            alpha,
            a.data.as_ptr(),
            rsa,
            csa,
            b.data.as_ptr(),
            rsb,
            csb,
            beta,
            c.as_mut_ptr(),
            ldc as isize,
            1,
        )
    }
}

/// The logistic function `1 / (1 + e^-x)`.
#[inline(always)]
pub fn sigmoid<T: Scalar>(x: T) -> T {
    x.sigmoid()
}

/// Keras's `hard_sigmoid`: `clip(0.2 x + 0.5, 0, 1)`.
#[inline(always)]
pub fn hard_sigmoid<T: Scalar>(x: T) -> T {
    let y = T::from_f64(0.2) * x + T::from_f64(0.5);
    y.max(T::zero()).min(T::one())
}

/// Adds `bias[cols]` to every row of `x[rows x cols]`.
pub fn add_bias_rows<T: Scalar>(x: &mut [T], bias: &[T]) {
    for row in x.chunks_exact_mut(bias.len()) {
        for (v, b) in row.iter_mut().zip(bias) {
            *v += *b;
        }
    }
}

/// Broadcasts `bias[cols]` into every row of `x[rows x cols]`.
pub fn fill_rows<T: Scalar>(x: &mut [T], bias: &[T]) {
    for row in x.chunks_exact_mut(bias.len()) {
        row.copy_from_slice(bias);
    }
}

/// `acc[cols] += column sums of x[rows x cols]`.
pub fn add_column_sums<T: Scalar>(acc: &mut [T], x: &[T]) {
    for row in x.chunks_exact(acc.len()) {
        for (a, v) in acc.iter_mut().zip(row) {
            *a += *v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(a: &[f64], b: &[f64], m: usize, k: usize, n: usize) -> Vec<f64> {
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k).map(|p| a[i * k + p] * b[p * n + j]).sum();
            }
        }
        c
    }

    #[test]
    fn gemm_agrees_with_naive_product_in_every_transposition() {
        let (m, k, n) = (5, 7, 3);
        let a: Vec<f64> = (0..m * k).map(|i| (i as f64 * 0.37).sin()).collect();
        let b: Vec<f64> = (0..k * n).map(|i| (i as f64 * 0.91).cos()).collect();
        let want = naive(&a, &b, m, k, n);
        let at: Vec<f64> = (0..k * m).map(|i| a[(i % m) * k + i / m]).collect();
        let bt: Vec<f64> = (0..n * k).map(|i| b[(i % k) * n + i / k]).collect();
        for (ma, mb) in [
            (Mat::new(&a, m, k), Mat::new(&b, k, n)),
            (Mat::new(&at, k, m).t(), Mat::new(&b, k, n)),
            (Mat::new(&a, m, k), Mat::new(&bt, n, k).t()),
            (Mat::new(&at, k, m).t(), Mat::new(&bt, n, k).t()),
        ] {
            let mut c = vec![1.0; m * n];
            gemm(1.0, ma, mb, 0.0, &mut c, n);
            for (x, y) in c.iter().zip(&want) {
                assert!((x - y).abs() < 1e-12);
            }
            // beta = 1 accumulates.
            gemm(1.0, ma, mb, 1.0, &mut c, n);
            for (x, y) in c.iter().zip(&want) {
                assert!((x - 2.0 * y).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn hard_sigmoid_matches_keras_definition() {
        assert_eq!(hard_sigmoid(0.0f64), 0.5);
        assert_eq!(hard_sigmoid(3.0f64), 1.0);
        assert_eq!(hard_sigmoid(-3.0f64), 0.0);
        assert!((hard_sigmoid(1.0f64) - 0.7).abs() < 1e-12);
    }
}
