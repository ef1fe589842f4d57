//! The micro-kernels: `c[rows x width] += alpha · A[R x kc] · B[kc x width]`
//! for one register tile, shared by the blocked products ([`super::blocked`],
//! `A` packed) and the packed-`U` products ([`super::packed`], `A` read in
//! place). One definition per instruction set:
//!
//! - [`avx2_tile`]: `R <= 6` rows by one 16-column panel (12 accumulators of
//!   8 lanes);
//! - [`avx512_tile`]: `R <= 12` rows by `P <= 2` panels (24 accumulators of 16
//!   lanes), partial panels by masked loads and stores;
//! - [`bf16_tile`]: the same tile on bf16 pairs with `vdpbf16ps` (f32
//!   accumulation), AVX512_BF16.
//!
//! `A`'s element `(r, p)` is at `a + r * rsa + p * csa`: `rsa = 1, csa = MR`
//! for a packed tile, `rsa = lda, csa = 1` for a row-major matrix. `B` is a
//! sliver of a 16-column panel (`kc x 16`, row after row); the second panel
//! of an AVX-512 tile starts `b_next` elements after the first.
//!
//! Every f32 kernel accumulates each output element over `p` in order, one
//! fused multiply-add at a time, then adds `alpha · acc` to `c` with one more
//! fused multiply-add: the AVX2 and AVX-512 kernels give bit-identical results.

/// Columns of a panel (two AVX registers, one AVX-512 register).
pub const PANEL: usize = 16;
/// Rows of the AVX2 tile.
pub const AVX2_MR: usize = 6;
/// Rows of the AVX-512 tile: 12 x 2 accumulators, two panel registers and a
/// broadcast use 27 of the 32 registers.
pub const AVX512_MR: usize = 12;

#[cfg(target_arch = "x86_64")]
pub use x86::*;

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::PANEL;
    use std::arch::x86_64::*;

    /// Fetches the rows of a `c` tile: it is touched once per pass, long after
    /// it left the caches; the fetch overlaps the products.
    #[inline(always)]
    unsafe fn prefetch_c(c: *mut f32, ldc: usize, rows: usize, width: usize) {
        for r in 0..rows {
            _mm_prefetch::<_MM_HINT_T0>(c.add(r * ldc) as *const i8);
            _mm_prefetch::<_MM_HINT_T0>(c.add(r * ldc + width - 1) as *const i8);
        }
    }

    /// `c[rows x width] += alpha · A[R x kc] · B[kc x 16]`, AVX2 and FMA.
    ///
    /// # Safety
    /// The processor has AVX2 and FMA; `a` addresses `R x kc` (strides `rsa`,
    /// `csa`), `b` `kc x 16`, `c` `rows x width` (`rows <= R`, `width <= 16`).
    #[allow(clippy::too_many_arguments)]
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn avx2_tile<const R: usize>(
        kc: usize,
        a: *const f32,
        rsa: usize,
        csa: usize,
        b: *const f32,
        alpha: f32,
        c: *mut f32,
        ldc: usize,
        rows: usize,
        width: usize,
    ) {
        prefetch_c(c, ldc, rows, width);
        let mut lo = [_mm256_setzero_ps(); R];
        let mut hi = [_mm256_setzero_ps(); R];
        for p in 0..kc {
            let b0 = _mm256_loadu_ps(b.add(p * PANEL));
            let b1 = _mm256_loadu_ps(b.add(p * PANEL + 8));
            let ap = a.add(p * csa);
            for r in 0..R {
                let av = _mm256_broadcast_ss(&*ap.add(r * rsa));
                lo[r] = _mm256_fmadd_ps(av, b0, lo[r]);
                hi[r] = _mm256_fmadd_ps(av, b1, hi[r]);
            }
        }
        let alpha = _mm256_set1_ps(alpha);
        for r in 0..rows.min(R) {
            let cr = c.add(r * ldc);
            if width == PANEL {
                _mm256_storeu_ps(cr, _mm256_fmadd_ps(alpha, lo[r], _mm256_loadu_ps(cr)));
                let x1 = _mm256_fmadd_ps(alpha, hi[r], _mm256_loadu_ps(cr.add(8)));
                _mm256_storeu_ps(cr.add(8), x1);
            } else {
                // Through a full-width copy, with the same fused arithmetic.
                let mut tmp = [0.0f32; PANEL];
                std::ptr::copy_nonoverlapping(cr, tmp.as_mut_ptr(), width);
                let t = tmp.as_mut_ptr();
                _mm256_storeu_ps(t, _mm256_fmadd_ps(alpha, lo[r], _mm256_loadu_ps(t)));
                let x1 = _mm256_fmadd_ps(alpha, hi[r], _mm256_loadu_ps(t.add(8)));
                _mm256_storeu_ps(t.add(8), x1);
                std::ptr::copy_nonoverlapping(tmp.as_ptr(), cr, width);
            }
        }
    }

    /// Adds `alpha · acc` to up to `P` panels of one row of `c`, `width`
    /// columns in all: whole panels by plain loads and stores, a partial one
    /// by masked ones.
    ///
    /// Why not masked throughout: on an AMD Zen 5 a masked load and store of
    /// a whole panel cost the large products 10-15% of their time (the
    /// tile's end stalled on them; `cargo bench --bench gemm`, input
    /// projection 163-172 against 186-192 GFLOP/s), the same arithmetic.
    #[inline(always)]
    unsafe fn store_row<const P: usize>(
        acc: &[__m512; P],
        alpha: __m512,
        cr: *mut f32,
        width: usize,
    ) {
        for (q, v) in acc.iter().enumerate() {
            if width <= q * PANEL {
                break;
            }
            let cols = (width - q * PANEL).min(PANEL);
            let at = cr.add(q * PANEL);
            if cols == PANEL {
                let old = _mm512_loadu_ps(at);
                _mm512_storeu_ps(at, _mm512_fmadd_ps(alpha, *v, old));
            } else {
                let mask: __mmask16 = (1u16 << cols) - 1;
                let old = _mm512_maskz_loadu_ps(mask, at);
                _mm512_mask_storeu_ps(at, mask, _mm512_fmadd_ps(alpha, *v, old));
            }
        }
    }

    /// `c[rows x width] += alpha · A[R x kc] · B[kc x 16P]`, AVX-512F: `P`
    /// panels, the second `b_next` floats after the first.
    ///
    /// # Safety
    /// The processor has AVX-512F; operands as for [`avx2_tile`], with
    /// `width <= 16 P` and both panels' slivers `kc x 16` in bounds.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub unsafe fn avx512_tile<const R: usize, const P: usize>(
        kc: usize,
        a: *const f32,
        rsa: usize,
        csa: usize,
        b: *const f32,
        b_next: usize,
        alpha: f32,
        c: *mut f32,
        ldc: usize,
        rows: usize,
        width: usize,
    ) {
        prefetch_c(c, ldc, rows, width);
        let mut acc = [[_mm512_setzero_ps(); P]; R];
        for p in 0..kc {
            let mut bv = [_mm512_setzero_ps(); P];
            for (q, v) in bv.iter_mut().enumerate() {
                *v = _mm512_loadu_ps(b.add(q * b_next + p * PANEL));
            }
            let ap = a.add(p * csa);
            for (r, row) in acc.iter_mut().enumerate() {
                let av = _mm512_set1_ps(*ap.add(r * rsa));
                for q in 0..P {
                    row[q] = _mm512_fmadd_ps(av, bv[q], row[q]);
                }
            }
        }
        let alpha = _mm512_set1_ps(alpha);
        for (r, row) in acc.iter().enumerate().take(rows) {
            store_row(row, alpha, c.add(r * ldc), width);
        }
    }

    /// `c[rows x width] += alpha · A[R x 2kp] · B[2kp x 16P]` on bf16 with f32
    /// accumulation (`vdpbf16ps`). `a` holds pairs of bf16 (`(r, 2pp)` low,
    /// `(r, 2pp + 1)` high) as `u32` at `a + r * rsa + pp * csa`; `b` holds a
    /// panel's pair rows, 32 bf16 each (column `j` of rows `2pp`, `2pp + 1`
    /// at `pp * 32 + 2j` and `+ 1`); the second panel `b_next` bf16 later.
    ///
    /// # Safety
    /// The processor has AVX-512F and AVX512_BF16; operands in bounds.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    #[target_feature(enable = "avx512f,avx512bf16")]
    pub unsafe fn bf16_tile<const R: usize, const P: usize>(
        kp: usize,
        a: *const u32,
        rsa: usize,
        csa: usize,
        b: *const u16,
        b_next: usize,
        alpha: f32,
        c: *mut f32,
        ldc: usize,
        rows: usize,
        width: usize,
    ) {
        prefetch_c(c, ldc, rows, width);
        let mut acc = [[_mm512_setzero_ps(); P]; R];
        for pp in 0..kp {
            let mut bv = [_mm512_setzero_si512(); P];
            for (q, v) in bv.iter_mut().enumerate() {
                *v = _mm512_loadu_si512(b.add(q * b_next + pp * 2 * PANEL) as *const _);
            }
            let ap = a.add(pp * csa);
            for (r, row) in acc.iter_mut().enumerate() {
                let av: __m512bh = std::mem::transmute(_mm512_set1_epi32(*ap.add(r * rsa) as i32));
                for q in 0..P {
                    let bq: __m512bh = std::mem::transmute(bv[q]);
                    row[q] = _mm512_dpbf16_ps(row[q], av, bq);
                }
            }
        }
        let alpha = _mm512_set1_ps(alpha);
        for (r, row) in acc.iter().enumerate().take(rows) {
            store_row(row, alpha, c.add(r * ldc), width);
        }
    }
}

/// The bf16 bits of `x` as `vcvtneps2bf16` makes them: rounded to nearest
/// even, NaN stays NaN (made quiet), subnormals become zero of the same sign
/// (the instruction's flush; `vdpbf16ps` reads subnormals as zero anyway).
#[inline(always)]
pub fn bf16_bits(x: f32) -> u16 {
    // Branch-free, so that packing loops vectorise.
    let b = x.to_bits();
    let rounded = b.wrapping_add(0x7fff + ((b >> 16) & 1)) >> 16;
    let nan = (b & 0x7fff_ffff) > 0x7f80_0000;
    let subnormal = b & 0x7f80_0000 == 0;
    (if nan {
        (b >> 16) | 0x40
    } else if subnormal {
        (b >> 16) & 0x8000
    } else {
        rounded
    }) as u16
}

/// The f32 value of bf16 bits (exact).
#[inline(always)]
pub fn bf16_value(bits: u16) -> f32 {
    f32::from_bits((bits as u32) << 16)
}

/// A scalar model of one lane of `vdpbf16ps`: the two products are exact in
/// f32 and are added to the accumulator one after the other, the odd element
/// first, each addition rounded to nearest even (Intel's definition; it also
/// treats denormal inputs as zero, which packing never relies on).
#[inline(always)]
pub fn dpbf16_lane(acc: f32, a_pair: u32, b_pair: u32) -> f32 {
    let daz = |x: f32| if x.is_subnormal() { 0.0 } else { x };
    let (a0, a1) = (
        daz(bf16_value(a_pair as u16)),
        daz(bf16_value((a_pair >> 16) as u16)),
    );
    let (b0, b1) = (
        daz(bf16_value(b_pair as u16)),
        daz(bf16_value((b_pair >> 16) as u16)),
    );
    let acc = acc + a1 * b1;
    acc + a0 * b0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bf16_rounding_is_to_nearest_even() {
        assert_eq!(bf16_bits(1.0), 0x3f80);
        // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties go to even (1).
        assert_eq!(bf16_bits(1.0 + 1.0 / 256.0), 0x3f80);
        // 1 + 3·2^-8 is halfway between 1 + 2^-7 and 1 + 2^-6: to even (1 + 2^-6).
        assert_eq!(bf16_bits(1.0 + 3.0 / 256.0), 0x3f82);
        assert_eq!(bf16_bits(1.0 + 1.5 / 256.0), 0x3f81);
        assert_eq!(bf16_value(bf16_bits(-2.5)), -2.5);
        assert!(bf16_value(bf16_bits(f32::NAN)).is_nan());
        assert_eq!(bf16_value(bf16_bits(f32::INFINITY)), f32::INFINITY);
        // Largest finite f32 rounds to infinity, as the instruction does.
        assert_eq!(bf16_value(bf16_bits(f32::MAX)), f32::INFINITY);
    }

    #[test]
    fn scalar_dot_pair_adds_odd_then_even_product() {
        let pair = |lo: f32, hi: f32| bf16_bits(lo) as u32 | (bf16_bits(hi) as u32) << 16;
        assert_eq!(
            dpbf16_lane(1.0, pair(2.0, 3.0), pair(4.0, 5.0)),
            1.0 + 15.0 + 8.0
        );
        // Order shows in rounding: 2^24 + 1 is lost, then 2^24 + 1 + 1 too.
        let big = 16_777_216.0f32;
        assert_eq!(dpbf16_lane(big, pair(1.0, 1.0), pair(1.0, 1.0)), big);
        assert_eq!(dpbf16_lane(-big, pair(1.0, big), pair(1.0, 1.0)), 1.0);
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn hardware_dot_pair_matches_the_scalar_model_where_the_processor_has_it() {
        if !(is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512bf16")) {
            eprintln!("note: no AVX512_BF16 here; vdpbf16ps not run");
            return;
        }
        // Random-ish pairs and accumulators; compare lane by lane.
        let mut state = 0x1234_5678_9abc_def0u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..200 {
            let mut a = [0u32; 16];
            let mut b = [0u16; 32];
            let mut acc = [0f32; 16];
            for j in 0..16 {
                let f = |x: u64| ((x % 2001) as f32 - 1000.0) / 97.0;
                a[j] = bf16_bits(f(next())) as u32 | (bf16_bits(f(next())) as u32) << 16;
                b[2 * j] = bf16_bits(f(next()));
                b[2 * j + 1] = bf16_bits(f(next()));
                acc[j] = f(next()) * 3.0;
            }
            let mut c = acc;
            // One row (R = 1), one pair: a's lane 0 pair is broadcast.
            unsafe {
                bf16_tile::<1, 1>(
                    1,
                    a.as_ptr(),
                    1,
                    1,
                    b.as_ptr(),
                    0,
                    1.0,
                    c.as_mut_ptr(),
                    16,
                    1,
                    16,
                )
            };
            for j in 0..16 {
                // The tile accumulates from zero and adds to c at the end.
                let b_pair = b[2 * j] as u32 | (b[2 * j + 1] as u32) << 16;
                let want = acc[j] + dpbf16_lane(0.0, a[0], b_pair);
                assert!(
                    (c[j] - want).abs() <= 1e-6 * (1.0 + want.abs()),
                    "{} vs {want}",
                    c[j]
                );
            }
        }
    }
}
