//! General f32 products `c = alpha · op(a) · op(b) + beta · c` in the
//! layout of BLIS/GotoBLAS: the right operand is packed in blocks of
//! [`KC`] x [`NC`] (kept in L3, read in `KC x 16` slivers that stay in L1),
//! the left operand in blocks of [`MC`] x [`KC`] (kept in L2, read six rows
//! at a time), and the same 6x16 AVX2/FMA micro-kernel as the recurrent
//! step runs over both packs. Packing also absorbs transposes, so `Xᵀ·dG`
//! (the weight gradients) runs as fast as `X·W`.
//!
//! Used for the large products of training (input projections of all time
//! steps, weight and input gradients); `matrixmultiply` does the rest (f64,
//! processors without AVX2).

use std::cell::RefCell;

/// Rows of `a` per micro-tile.
pub const MR: usize = 6;
/// Columns of `b` per micro-tile (two AVX registers).
pub const NR: usize = 16;
/// Depth of one pass: a `KC x NR` sliver of `b` is 16 KiB, in L1.
pub const KC: usize = 256;
/// Rows of `a` per packed block: `MC x KC` is 144 KiB, in L2.
pub const MC: usize = 144;
/// Columns of `b` per packed block: `KC x NC` is 4 MiB, in L3.
pub const NC: usize = 4096;

/// A strided matrix view, `rows x cols` with element `(i, j)` at
/// `ptr + i * rs + j * cs`.
#[derive(Clone, Copy)]
pub struct View {
    pub ptr: *const f32,
    pub rs: isize,
    pub cs: isize,
}

/// Whether [`sgemm`] has its vector kernel here.
pub fn available() -> bool {
    crate::kernels::packed::avx2_available()
}

thread_local! {
    // Packing buffers, allocated once per thread and reused by every call.
    static PACKS: RefCell<(Vec<f32>, Vec<f32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// `c[m x n] = alpha · a[m x k] · b[k x n] + beta · c`; with `beta == 0`
/// the old `c` is not read (NaNs in it do not survive).
///
/// # Safety
/// The views and `c` (row stride `rsc`, column stride 1) must address
/// matrices of these shapes inside live allocations, `c` not overlapping
/// `a` or `b`, and [`available`] must be true.
#[allow(clippy::too_many_arguments)]
pub unsafe fn sgemm(
    m: usize,
    k: usize,
    n: usize,
    alpha: f32,
    a: View,
    b: View,
    beta: f32,
    c: *mut f32,
    rsc: usize,
) {
    if m == 0 || n == 0 {
        return;
    }
    if beta != 1.0 {
        for i in 0..m {
            let row = std::slice::from_raw_parts_mut(c.add(i * rsc), n);
            if beta == 0.0 {
                row.fill(0.0);
            } else {
                row.iter_mut().for_each(|x| *x *= beta);
            }
        }
    }
    if k == 0 || alpha == 0.0 {
        return;
    }
    PACKS.with(|packs| {
        let mut packs = packs.borrow_mut();
        let (pa, pb) = &mut *packs;
        for jc in (0..n).step_by(NC) {
            let nc = NC.min(n - jc);
            let panels = nc.div_ceil(NR);
            for pc in (0..k).step_by(KC) {
                let kc = KC.min(k - pc);
                pack_b(pb, b, pc, kc, jc, nc);
                for ic in (0..m).step_by(MC) {
                    let mc = MC.min(m - ic);
                    pack_a(pa, a, ic, mc, pc, kc);
                    for panel in 0..panels {
                        let width = NR.min(nc - panel * NR);
                        let bp = pb.as_ptr().add(panel * kc * NR);
                        for tile in 0..mc.div_ceil(MR) {
                            let rows = MR.min(mc - tile * MR);
                            let ap = pa.as_ptr().add(tile * kc * MR);
                            let cp = c.add((ic + tile * MR) * rsc + jc + panel * NR);
                            avx2::kernel(kc, ap, bp, alpha, cp, rsc, rows, width);
                        }
                    }
                }
            }
        }
    });
}

/// Packs `b[pc.., jc..]` (`kc x nc`) as panels of `NR` columns, each `kc x NR`
/// row after row, the last panel zero-padded.
unsafe fn pack_b(buf: &mut Vec<f32>, b: View, pc: usize, kc: usize, jc: usize, nc: usize) {
    let panels = nc.div_ceil(NR);
    // Every element is written below (padding with zeros), so the buffer is
    // only resized, not cleared first.
    buf.resize(panels * kc * NR, 0.0);
    for panel in 0..panels {
        let width = NR.min(nc - panel * NR);
        let out = &mut buf[panel * kc * NR..(panel + 1) * kc * NR];
        let col0 = (jc + panel * NR) as isize;
        for p in 0..kc {
            let src = b.ptr.offset((pc + p) as isize * b.rs + col0 * b.cs);
            out[p * NR + width..(p + 1) * NR].fill(0.0);
            let dst = &mut out[p * NR..p * NR + width];
            if b.cs == 1 && width == NR {
                // A fixed-size copy: inlined, where a call to memcpy per
                // 64 bytes cost more than the copy.
                let src = &*(src as *const [f32; NR]);
                dst.copy_from_slice(src);
            } else {
                for (j, d) in dst.iter_mut().enumerate() {
                    *d = *src.offset(j as isize * b.cs);
                }
            }
        }
    }
}

/// Packs `a[ic.., pc..]` (`mc x kc`) as tiles of `MR` rows, each stored
/// column after column (`kc x MR`), the last tile zero-padded.
unsafe fn pack_a(buf: &mut Vec<f32>, a: View, ic: usize, mc: usize, pc: usize, kc: usize) {
    let tiles = mc.div_ceil(MR);
    // Every element is written below (padding rows with zeros).
    buf.resize(tiles * kc * MR, 0.0);
    let out = buf.as_mut_ptr();
    for tile in 0..tiles {
        let rows = MR.min(mc - tile * MR);
        let dst = out.add(tile * kc * MR);
        let src = a
            .ptr
            .offset((ic + tile * MR) as isize * a.rs + pc as isize * a.cs);
        if rows < MR {
            for p in 0..kc {
                std::slice::from_raw_parts_mut(dst.add(p * MR + rows), MR - rows).fill(0.0);
            }
        }
        if a.rs == 1 {
            // A transposed in storage (`Xᵀ` of a weight gradient): the rows
            // of a tile are adjacent in memory at every depth.
            for p in 0..kc {
                let at = src.offset(p as isize * a.cs);
                for r in 0..rows {
                    *dst.add(p * MR + r) = *at.add(r);
                }
            }
        } else {
            // Six rows read side by side, the tile written in order.
            for p in 0..kc {
                let at = src.offset(p as isize * a.cs);
                for r in 0..rows {
                    *dst.add(p * MR + r) = *at.offset(r as isize * a.rs);
                }
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{MR, NR};
    use std::arch::x86_64::*;

    /// `c[rows x width] += alpha · A[MR x kc] · B[kc x NR]` on packed tiles.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn kernel(
        kc: usize,
        a: *const f32,
        b: *const f32,
        alpha: f32,
        c: *mut f32,
        rsc: usize,
        rows: usize,
        width: usize,
    ) {
        // The tile of `c` is touched once per pass, long after it left the
        // caches: fetch it while the products run instead of stalling at the end.
        for r in 0..rows {
            _mm_prefetch::<_MM_HINT_T0>(c.add(r * rsc) as *const i8);
            _mm_prefetch::<_MM_HINT_T0>(c.add(r * rsc + NR - 1) as *const i8);
        }
        let mut lo = [_mm256_setzero_ps(); MR];
        let mut hi = [_mm256_setzero_ps(); MR];
        for p in 0..kc {
            let b0 = _mm256_loadu_ps(b.add(p * NR));
            let b1 = _mm256_loadu_ps(b.add(p * NR + 8));
            let ap = a.add(p * MR);
            for r in 0..MR {
                let av = _mm256_broadcast_ss(&*ap.add(r));
                lo[r] = _mm256_fmadd_ps(av, b0, lo[r]);
                hi[r] = _mm256_fmadd_ps(av, b1, hi[r]);
            }
        }
        let alpha = _mm256_set1_ps(alpha);
        for r in 0..rows {
            let cr = c.add(r * rsc);
            if width == NR {
                let x0 = _mm256_fmadd_ps(alpha, lo[r], _mm256_loadu_ps(cr));
                let x1 = _mm256_fmadd_ps(alpha, hi[r], _mm256_loadu_ps(cr.add(8)));
                _mm256_storeu_ps(cr, x0);
                _mm256_storeu_ps(cr.add(8), x1);
            } else {
                let mut tmp = [0.0f32; NR];
                _mm256_storeu_ps(tmp.as_mut_ptr(), _mm256_mul_ps(alpha, lo[r]));
                _mm256_storeu_ps(tmp.as_mut_ptr().add(8), _mm256_mul_ps(alpha, hi[r]));
                for (j, t) in tmp.iter().enumerate().take(width) {
                    *cr.add(j) += t;
                }
            }
        }
    }
}

#[cfg(not(target_arch = "x86_64"))]
mod avx2 {
    #[allow(clippy::too_many_arguments)]
    pub unsafe fn kernel(
        _kc: usize,
        _a: *const f32,
        _b: *const f32,
        _alpha: f32,
        _c: *mut f32,
        _rsc: usize,
        _rows: usize,
        _width: usize,
    ) {
        unreachable!("sgemm is only called when available() is true")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(a: View, b: View, m: usize, k: usize, n: usize) -> Vec<f64> {
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k)
                    .map(|p| unsafe {
                        *a.ptr.offset(i as isize * a.rs + p as isize * a.cs) as f64
                            * *b.ptr.offset(p as isize * b.rs + j as isize * b.cs) as f64
                    })
                    .sum();
            }
        }
        c
    }

    #[test]
    fn blocked_products_agree_with_naive_ones_across_block_edges() {
        if !available() {
            return;
        }
        // Shapes straddle MR, NR, KC and MC; both operands in both orders.
        for (m, k, n) in [(1, 1, 1), (7, 300, 33), (150, 257, 17), (13, 520, 40)] {
            let a: Vec<f32> = (0..m * k)
                .map(|i| ((i * 7 % 23) as f32 - 11.0) * 0.1)
                .collect();
            let b: Vec<f32> = (0..k * n)
                .map(|i| ((i * 5 % 19) as f32 - 9.0) * 0.1)
                .collect();
            for (t_a, t_b) in [(false, false), (true, false), (false, true), (true, true)] {
                let sa: Vec<f32> = if t_a {
                    (0..k * m).map(|i| a[(i % m) * k + i / m]).collect()
                } else {
                    a.clone()
                };
                let sb: Vec<f32> = if t_b {
                    (0..n * k).map(|i| b[(i % k) * n + i / k]).collect()
                } else {
                    b.clone()
                };
                // Transposed storage: element (i, p) of a at p * m + i.
                let va = if t_a {
                    View {
                        ptr: sa.as_ptr(),
                        rs: 1,
                        cs: m as isize,
                    }
                } else {
                    View {
                        ptr: sa.as_ptr(),
                        rs: k as isize,
                        cs: 1,
                    }
                };
                let vb = if t_b {
                    View {
                        ptr: sb.as_ptr(),
                        rs: 1,
                        cs: k as isize,
                    }
                } else {
                    View {
                        ptr: sb.as_ptr(),
                        rs: n as isize,
                        cs: 1,
                    }
                };
                let want = naive(va, vb, m, k, n);
                let c0: Vec<f32> = (0..m * n).map(|i| (i % 5) as f32).collect();
                for (alpha, beta) in [(1.0f32, 0.0f32), (0.5, 1.0), (-1.0, 2.0)] {
                    let mut c = c0.clone();
                    unsafe { sgemm(m, k, n, alpha, va, vb, beta, c.as_mut_ptr(), n) };
                    for i in 0..m * n {
                        let w = alpha as f64 * want[i] + beta as f64 * c0[i] as f64;
                        assert!(
                            (c[i] as f64 - w).abs() < 1e-3 * (1.0 + w.abs()),
                            "{m}x{k}x{n} t_a={t_a} t_b={t_b} [{i}]: {} vs {w}",
                            c[i]
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn beta_zero_overwrites_nan() {
        if !available() {
            return;
        }
        let a = [1.0f32; 6];
        let b = [2.0f32; 6];
        let mut c = [f32::NAN; 4];
        let va = View {
            ptr: a.as_ptr(),
            rs: 3,
            cs: 1,
        };
        let vb = View {
            ptr: b.as_ptr(),
            rs: 2,
            cs: 1,
        };
        unsafe { sgemm(2, 3, 2, 1.0, va, vb, 0.0, c.as_mut_ptr(), 2) };
        assert_eq!(c, [6.0; 4]);
    }
}
