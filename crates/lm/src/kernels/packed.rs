//! Products with a right-hand matrix packed once and used many times: the
//! recurrent kernel `U` is the same for every time step of a batch, while a
//! general GEMM repacks it on every call. For the recurrent step's shape
//! (16-32 rows by 500 by 2000) that repacking cost more than the arithmetic.
//!
//! Layout: `B[k x n]` is cut into passes of [`KC`] rows and panels of [`NR`]
//! columns; pass after pass, each pass holds its slivers (`KC x NR`, row
//! after row, the last panel zero-padded) panel after panel. A product reads
//! the whole matrix front to back, so the hardware prefetcher streams it
//! from L3 or memory without a jump at each panel.

use super::{Mat, Scalar, Trans};

/// Columns per panel: two 8-lane AVX registers.
pub const NR: usize = 16;
/// Rows per pass: a sliver (`KC x NR`, 16 KiB) stays in L1 while every row
/// tile uses it.
pub const KC: usize = 256;

/// A `k x n` matrix packed in column panels.
#[derive(Clone, Debug, Default)]
pub struct PackedB<T> {
    k: usize,
    n: usize,
    data: Vec<T>,
}

impl<T: Scalar> PackedB<T> {
    pub fn new() -> Self {
        PackedB {
            k: 0,
            n: 0,
            data: Vec::new(),
        }
    }

    /// Packs `op(b)`, reusing the allocation.
    pub fn pack(&mut self, b: Mat<T>) {
        let (k, n) = match b.trans {
            Trans::No => (b.rows, b.cols),
            Trans::Yes => (b.cols, b.rows),
        };
        let panels = n.div_ceil(NR);
        self.k = k;
        self.n = n;
        self.data.clear();
        self.data.resize(panels * k * NR, T::zero());
        for p0 in (0..k).step_by(KC) {
            let kc = KC.min(k - p0);
            for panel in 0..panels {
                let base = self.sliver_offset(p0, panel);
                let width = NR.min(n - panel * NR);
                let out = &mut self.data[base..base + kc * NR];
                match b.trans {
                    Trans::No => {
                        for p in 0..kc {
                            let row = &b.data[(p0 + p) * b.ld + panel * NR..][..width];
                            out[p * NR..p * NR + width].copy_from_slice(row);
                        }
                    }
                    Trans::Yes => {
                        // Read the stored rows (columns of B) contiguously.
                        for j in 0..width {
                            let col = &b.data[(panel * NR + j) * b.ld + p0..][..kc];
                            for (p, &v) in col.iter().enumerate() {
                                out[p * NR + j] = v;
                            }
                        }
                    }
                }
            }
        }
    }

    /// Where the sliver of rows `p0..p0 + KC` of a panel starts.
    #[inline(always)]
    fn sliver_offset(&self, p0: usize, panel: usize) -> usize {
        let kc = KC.min(self.k - p0);
        p0 * self.n.div_ceil(NR) * NR + panel * kc * NR
    }

    pub fn k(&self) -> usize {
        self.k
    }

    pub fn n(&self) -> usize {
        self.n
    }
}

/// `c[m x n] += a[m x k] · B` (row-major `a` with leading dimension `lda`),
/// portable version: the reference for the vector kernels and the f64 path.
pub fn gemm_packed_portable<T: Scalar>(
    a: &[T],
    lda: usize,
    m: usize,
    b: &PackedB<T>,
    c: &mut [T],
    ldc: usize,
) {
    let k = b.k;
    for p0 in (0..k).step_by(KC) {
        let kc = KC.min(k - p0);
        for panel in 0..b.n.div_ceil(NR) {
            let off = b.sliver_offset(p0, panel);
            let bp = &b.data[off..off + kc * NR];
            let width = NR.min(b.n - panel * NR);
            for r in 0..m {
                let mut acc = [T::zero(); NR];
                let arow = &a[r * lda + p0..r * lda + p0 + kc];
                for (p, &av) in arow.iter().enumerate() {
                    let brow = &bp[p * NR..(p + 1) * NR];
                    for j in 0..NR {
                        acc[j] += av * brow[j];
                    }
                }
                let crow = &mut c[r * ldc + panel * NR..r * ldc + panel * NR + width];
                for j in 0..width {
                    crow[j] += acc[j];
                }
            }
        }
    }
}

fn check_shapes<T>(a: &[T], lda: usize, m: usize, b: &PackedB<T>, c: &[T], ldc: usize) {
    if m == 0 {
        return;
    }
    assert!(
        lda >= b.k && (m - 1) * lda + b.k <= a.len(),
        "left operand too small"
    );
    assert!(
        ldc >= b.n && (m - 1) * ldc + b.n <= c.len(),
        "output too small"
    );
}

/// `c[m x n] += a[m x k] · B` in f32, with AVX2 and FMA when the processor has them.
pub fn gemm_packed_f32(
    a: &[f32],
    lda: usize,
    m: usize,
    b: &PackedB<f32>,
    c: &mut [f32],
    ldc: usize,
) {
    check_shapes(a, lda, m, b, c, ldc);
    #[cfg(target_arch = "x86_64")]
    {
        if avx2::available() {
            // SAFETY: the features were detected and the shapes checked above.
            unsafe { avx2::gemm_packed(a, lda, m, b, c, ldc) };
            return;
        }
    }
    gemm_packed_portable(a, lda, m, b, c, ldc)
}

/// `c += a · B` for any scalar: the vector kernel for f32, portable otherwise.
pub fn gemm_packed<T: Scalar>(
    a: &[T],
    lda: usize,
    m: usize,
    b: &PackedB<T>,
    c: &mut [T],
    ldc: usize,
) {
    T::gemm_packed(a, lda, m, b, c, ldc)
}

/// Whether the AVX2 and FMA kernels can run here (detected once).
#[cfg(target_arch = "x86_64")]
pub fn avx2_available() -> bool {
    avx2::available()
}

#[cfg(not(target_arch = "x86_64"))]
pub fn avx2_available() -> bool {
    false
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{PackedB, KC, NR};
    use std::arch::x86_64::*;

    pub fn available() -> bool {
        use std::sync::OnceLock;
        static HAS: OnceLock<bool> = OnceLock::new();
        *HAS.get_or_init(|| is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"))
    }

    /// Rows per micro-tile: 6 rows x 16 columns is 12 accumulators, which
    /// with two panel registers and a broadcast fits the 16 AVX registers.
    const MR: usize = 6;

    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn gemm_packed(
        a: &[f32],
        lda: usize,
        m: usize,
        b: &PackedB<f32>,
        c: &mut [f32],
        ldc: usize,
    ) {
        let k = b.k;
        let panels = b.n.div_ceil(NR);
        // Depth in passes of KC: a pass's sliver of a panel (KC x 16, 16 KiB)
        // stays in L1 while every row tile of the block uses it, where a whole
        // panel (k x 16, up to 128 KiB for k = 2000) came again from L2 for
        // each tile. Rows in blocks whose KC-wide slice of `a` stays in L2.
        let block = (((256 << 10) / (4 * KC)) / MR * MR).max(MR);
        let mut r0 = 0;
        while r0 < m {
            let r1 = (r0 + block).min(m);
            for p0 in (0..k).step_by(KC) {
                let kc = KC.min(k - p0);
                for panel in 0..panels {
                    let bp = b.data.as_ptr().add(b.sliver_offset(p0, panel));
                    let width = NR.min(b.n - panel * NR);
                    let mut r = r0;
                    while r < r1 {
                        let rows = MR.min(r1 - r);
                        let ap = a.as_ptr().add(r * lda + p0);
                        let cp = c.as_mut_ptr().add(r * ldc + panel * NR);
                        match rows {
                            6 => tile::<6>(kc, ap, lda, bp, cp, ldc, width),
                            5 => tile::<5>(kc, ap, lda, bp, cp, ldc, width),
                            4 => tile::<4>(kc, ap, lda, bp, cp, ldc, width),
                            3 => tile::<3>(kc, ap, lda, bp, cp, ldc, width),
                            2 => tile::<2>(kc, ap, lda, bp, cp, ldc, width),
                            _ => tile::<1>(kc, ap, lda, bp, cp, ldc, width),
                        }
                        r += rows;
                    }
                }
            }
            r0 = r1;
        }
    }

    /// `c[R x width] += a[R x k] · panel[k x 16]` (`k` rows of the panel
    /// from `b`, row stride 16).
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn tile<const R: usize>(
        k: usize,
        a: *const f32,
        lda: usize,
        b: *const f32,
        c: *mut f32,
        ldc: usize,
        width: usize,
    ) {
        let mut lo = [_mm256_setzero_ps(); R];
        let mut hi = [_mm256_setzero_ps(); R];
        for p in 0..k {
            let b0 = _mm256_loadu_ps(b.add(p * NR));
            let b1 = _mm256_loadu_ps(b.add(p * NR + 8));
            for r in 0..R {
                let av = _mm256_broadcast_ss(&*a.add(r * lda + p));
                lo[r] = _mm256_fmadd_ps(av, b0, lo[r]);
                hi[r] = _mm256_fmadd_ps(av, b1, hi[r]);
            }
        }
        for r in 0..R {
            let cr = c.add(r * ldc);
            if width == NR {
                _mm256_storeu_ps(cr, _mm256_add_ps(lo[r], _mm256_loadu_ps(cr)));
                _mm256_storeu_ps(cr.add(8), _mm256_add_ps(hi[r], _mm256_loadu_ps(cr.add(8))));
            } else {
                let mut tmp = [0.0f32; NR];
                _mm256_storeu_ps(tmp.as_mut_ptr(), lo[r]);
                _mm256_storeu_ps(tmp.as_mut_ptr().add(8), hi[r]);
                for (j, t) in tmp.iter().enumerate().take(width) {
                    *cr.add(j) += t;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::gemm;

    #[test]
    fn packed_products_agree_with_gemm_for_every_edge_shape() {
        for (m, k, n) in [
            (16, 50, 64),
            (7, 13, 21),
            (1, 5, 16),
            (13, 40, 37),
            (32, 3, 8),
            // Depth past one pass, rows past one block.
            (9, 600, 40),
            (263, 300, 20),
        ] {
            let a: Vec<f32> = (0..m * k)
                .map(|i| ((i * 7 % 23) as f32 - 11.0) * 0.1)
                .collect();
            let b: Vec<f32> = (0..k * n)
                .map(|i| ((i * 5 % 19) as f32 - 9.0) * 0.1)
                .collect();
            let bt: Vec<f32> = (0..n * k).map(|i| b[(i % k) * n + i / k]).collect();
            let c0: Vec<f32> = (0..m * n).map(|i| i as f32 * 0.01).collect();
            let mut want = c0.clone();
            gemm(
                1.0,
                Mat::new(&a, m, k),
                Mat::new(&b, k, n),
                1.0,
                &mut want,
                n,
            );
            for packed_from in [Mat::new(&b, k, n), Mat::new(&bt, n, k).t()] {
                let mut pb = PackedB::new();
                pb.pack(packed_from);
                let mut fast = c0.clone();
                gemm_packed_f32(&a, k, m, &pb, &mut fast, n);
                let mut portable = c0.clone();
                gemm_packed_portable(&a, k, m, &pb, &mut portable, n);
                for i in 0..m * n {
                    assert!(
                        (fast[i] - want[i]).abs() < 1e-4,
                        "{m}x{k}x{n} [{i}]: {} vs {}",
                        fast[i],
                        want[i]
                    );
                    assert!((portable[i] - want[i]).abs() < 1e-4);
                }
            }
        }
    }
}
