//! f32 operands rounded to bf16 pairs in the layouts the bf16 tile reads
//! ([`super::micro::bf16_tile`]): rows of pairs for the recurrent step
//! ([`pair_rows`]), and the blocked product's `a` tiles ([`pack_a`]) and `b`
//! panels ([`pack_b`]).
//!
//! Each has a scalar definition (`*_scalar`, rounding by [`bf16_bits`]), the
//! reference, and on processors with AVX512_BF16 (the only ones that run bf16
//! products) a vector version that rounds 16 elements per `vcvtneps2bf16` and
//! makes the same pack to the bit (tested). Rounding one element at a time
//! with strided reads and read-modify-writes cost 16% of bf16 training
//! (`perf`, docs/benchmarks.md), a quarter as much as the tiles themselves.

use super::blocked::View;
use super::micro::{bf16_bits, PANEL as NR};

/// `a[m x k]` (leading dimension `lda`) as bf16 pairs along `k`: row `r`,
/// pair `pp` holds `(r, 2pp)` in the low half and `(r, 2pp + 1)` (zero past
/// `k`) in the high half, `k.div_ceil(2)` pairs per row, in `out` (`[m x
/// k.div_ceil(2)]`).
pub fn pair_rows(a: &[f32], lda: usize, m: usize, k: usize, out: &mut Vec<u32>) {
    if m > 0 && k > 0 {
        assert!(
            (m - 1) * lda + k <= a.len() && k <= lda,
            "pair_rows: a too short"
        );
    }
    #[cfg(target_arch = "x86_64")]
    if super::cpu::Features::here().avx512_bf16 {
        // SAFETY: the processor has the instructions; bounds checked above.
        unsafe { x86::pair_rows(a.as_ptr(), lda, m, k, out) };
        return;
    }
    pair_rows_scalar(a, lda, m, k, out)
}

/// [`pair_rows`] one element at a time (the reference).
pub fn pair_rows_scalar(a: &[f32], lda: usize, m: usize, k: usize, out: &mut Vec<u32>) {
    let kp = k.div_ceil(2);
    out.clear();
    out.reserve(m * kp);
    for r in 0..m {
        let row = &a[r * lda..r * lda + k];
        let mut pairs = row.chunks_exact(2);
        for p in &mut pairs {
            out.push(bf16_bits(p[0]) as u32 | (bf16_bits(p[1]) as u32) << 16);
        }
        if let [last] = pairs.remainder() {
            out.push(bf16_bits(*last) as u32);
        }
    }
}

/// Packs `a[ic.., pc..]` (`mc x kc`) in bf16 as tiles of `mr` rows (`mr <=
/// 16`), each `kc.div_ceil(2)` pair columns of `mr` pairs (`(r, 2pp)` low,
/// `(r, 2pp + 1)` high), zero-padded: `mc.div_ceil(mr) * kc.div_ceil(2) * mr`
/// words in `buf`.
///
/// # Safety
/// `a` addresses the block inside a live allocation.
pub unsafe fn pack_a(
    buf: &mut Vec<u32>,
    a: View,
    ic: usize,
    mc: usize,
    pc: usize,
    kc: usize,
    mr: usize,
) {
    assert!(mr <= 16, "tiles of at most 16 rows");
    #[cfg(target_arch = "x86_64")]
    if super::cpu::Features::here().avx512_bf16 {
        return x86::pack_a(buf, a, ic, mc, pc, kc, mr);
    }
    pack_a_scalar(buf, a, ic, mc, pc, kc, mr)
}

/// [`pack_a`] one element at a time (the reference).
///
/// # Safety
/// As for [`pack_a`].
pub unsafe fn pack_a_scalar(
    buf: &mut Vec<u32>,
    a: View,
    ic: usize,
    mc: usize,
    pc: usize,
    kc: usize,
    mr: usize,
) {
    let (tiles, kp) = (mc.div_ceil(mr), kc.div_ceil(2));
    buf.clear();
    buf.resize(tiles * kp * mr, 0);
    for tile in 0..tiles {
        let rows = mr.min(mc - tile * mr);
        let dst = &mut buf[tile * kp * mr..(tile + 1) * kp * mr];
        let src = a
            .ptr
            .offset((ic + tile * mr) as isize * a.rs + pc as isize * a.cs);
        for p in 0..kc {
            let at = src.offset(p as isize * a.cs);
            let shift = 16 * (p % 2);
            for r in 0..rows {
                dst[(p / 2) * mr + r] |= (bf16_bits(*at.offset(r as isize * a.rs)) as u32) << shift;
            }
        }
    }
}

/// Packs `b[pc.., jc..]` (`kc x nc`) in bf16 as panels of `NR` columns, each
/// `kc.div_ceil(2)` pair rows of `2 NR` (column `j` of rows `2pp` and `2pp +
/// 1` side by side), zero-padded at the right and at the bottom.
///
/// # Safety
/// `b` addresses the block inside a live allocation.
pub unsafe fn pack_b(buf: &mut Vec<u16>, b: View, pc: usize, kc: usize, jc: usize, nc: usize) {
    let len = nc.div_ceil(NR) * kc.div_ceil(2) * 2 * NR;
    buf.clear();
    buf.reserve(len);
    pack_b_at(buf.as_mut_ptr(), b, pc, kc, jc, nc);
    buf.set_len(len);
}

/// [`pack_b`] into `out[..nc.div_ceil(NR) * kc.div_ceil(2) * 2 * NR]`:
/// the bf16 passes of [`super::packed::PackedB`] are this layout, one after
/// the other.
///
/// # Safety
/// As for [`pack_b`]; `out` is that long.
pub unsafe fn pack_b_into(out: &mut [u16], b: View, pc: usize, kc: usize, jc: usize, nc: usize) {
    assert_eq!(out.len(), nc.div_ceil(NR) * kc.div_ceil(2) * 2 * NR);
    pack_b_at(out.as_mut_ptr(), b, pc, kc, jc, nc)
}

/// [`pack_b`] through a pointer to room for the whole pack.
unsafe fn pack_b_at(out: *mut u16, b: View, pc: usize, kc: usize, jc: usize, nc: usize) {
    #[cfg(target_arch = "x86_64")]
    if super::cpu::Features::here().avx512_bf16 {
        return x86::pack_b(out as *mut u32, b, pc, kc, jc, nc);
    }
    let len = nc.div_ceil(NR) * kc.div_ceil(2) * 2 * NR;
    let mut buf = Vec::new();
    pack_b_scalar(&mut buf, b, pc, kc, jc, nc);
    std::ptr::copy_nonoverlapping(buf.as_ptr(), out, len);
}

/// [`pack_b`] one element at a time (the reference).
///
/// # Safety
/// As for [`pack_b`].
pub unsafe fn pack_b_scalar(
    buf: &mut Vec<u16>,
    b: View,
    pc: usize,
    kc: usize,
    jc: usize,
    nc: usize,
) {
    let (panels, kp) = (nc.div_ceil(NR), kc.div_ceil(2));
    buf.clear();
    buf.resize(panels * kp * 2 * NR, 0);
    for panel in 0..panels {
        let width = NR.min(nc - panel * NR);
        let out = &mut buf[panel * kp * 2 * NR..(panel + 1) * kp * 2 * NR];
        let col0 = (jc + panel * NR) as isize;
        for j in 0..width {
            let col = b
                .ptr
                .offset(pc as isize * b.rs + (col0 + j as isize) * b.cs);
            for p in 0..kc {
                out[(p / 2) * 2 * NR + 2 * j + p % 2] = bf16_bits(*col.offset(p as isize * b.rs));
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{View, NR};
    use std::arch::x86_64::*;

    /// Lanes `0..n` set (`n <= 16`).
    #[inline(always)]
    fn lanes(n: usize) -> __mmask16 {
        if n >= 16 {
            0xffff
        } else {
            ((1u32 << n) - 1) as __mmask16
        }
    }

    /// The first `n` f32 at `x` (all sixteen when `n >= 16`), zeros after.
    /// Whole vectors go by plain loads: masked ones are slow on some
    /// processors (an AMD Zen 5), even with every lane set.
    #[inline(always)]
    unsafe fn load_first(n: usize, x: *const f32) -> __m512 {
        if n >= 16 {
            _mm512_loadu_ps(x)
        } else {
            _mm512_maskz_loadu_ps(lanes(n), x)
        }
    }

    /// Writes the first `n` lanes of `v` to `d` (all sixteen when `n >= 16`);
    /// as [`load_first`], whole vectors by plain stores.
    #[inline(always)]
    unsafe fn store_first(n: usize, d: *mut u32, v: __m512i) {
        if n >= 16 {
            _mm512_storeu_si512(d as *mut _, v)
        } else {
            _mm512_mask_storeu_epi32(d as *mut i32, lanes(n), v)
        }
    }

    /// Sixteen f32 rounded to bf16, each in the low half of a 32-bit lane.
    #[inline(always)]
    unsafe fn round16(x: __m512) -> __m512i {
        _mm512_cvtepu16_epi32(std::mem::transmute::<__m256bh, __m256i>(
            _mm512_cvtneps_pbh(x),
        ))
    }

    /// Lane `i`: `lo[i]` in bf16 in the low half, `hi[i]` in the high half.
    #[inline(always)]
    unsafe fn pairs_across(lo: __m512, hi: __m512) -> __m512i {
        _mm512_or_si512(round16(lo), _mm512_slli_epi32::<16>(round16(hi)))
    }

    /// Thirty-two consecutive f32 (`n <= 32` of them, zeros after) as sixteen
    /// pairs of neighbours: lane `i` holds elements `2i` (low) and `2i + 1`.
    #[inline(always)]
    unsafe fn pairs_along(x: *const f32, n: usize) -> __m512i {
        let lo = load_first(n, x);
        let hi = load_first(n.saturating_sub(16), x.add(16.min(n)));
        // vcvtne2ps2bf16 puts its second operand's 16 results first: the 32
        // results in memory order, i.e. the 16 pairs in order.
        std::mem::transmute::<__m512bh, __m512i>(_mm512_cvtne2ps_pbh(hi, lo))
    }

    /// [`pairs_along`] of `n <= 32` elements `stride` apart from `x`: a
    /// plain load when they are adjacent, else gathered by hand first.
    #[inline(always)]
    unsafe fn pairs_strided(x: *const f32, stride: isize, n: usize) -> __m512i {
        if stride == 1 {
            return pairs_along(x, n);
        }
        let mut gathered = [0f32; 32];
        for (q, v) in gathered.iter_mut().enumerate().take(n) {
            *v = *x.offset(q as isize * stride);
        }
        pairs_along(gathered.as_ptr(), 32)
    }

    /// The 16 x 16 matrix of 32-bit words whose row `r` is `m[r]`,
    /// transposed: lane `r` of result `c` is lane `c` of `m[r]`. Pairs of
    /// rows interleaved word by word, then by 64-bit halves, then 128-bit
    /// quarters gathered across registers (64 shuffles in all).
    #[inline(always)]
    unsafe fn transpose16(m: &[__m512i; 16]) -> [__m512i; 16] {
        // Plain loops (unrolled by the compiler), not closures: a closure
        // would not inherit the caller's target features, and the
        // intrinsics in it would stay calls.
        let mut t = [_mm512_setzero_si512(); 16];
        // t[2i] (t[2i + 1]): in quarter q, words 4q, 4q + 1 (4q + 2, 4q + 3)
        // of rows 2i and 2i + 1, alternating.
        for i in 0..8 {
            t[2 * i] = _mm512_unpacklo_epi32(m[2 * i], m[2 * i + 1]);
            t[2 * i + 1] = _mm512_unpackhi_epi32(m[2 * i], m[2 * i + 1]);
        }
        // u[4i + j]: in quarter q, word 4q + j of rows 4i..4i + 4.
        let mut u = [_mm512_setzero_si512(); 16];
        for i in 0..4 {
            u[4 * i] = _mm512_unpacklo_epi64(t[4 * i], t[4 * i + 2]);
            u[4 * i + 1] = _mm512_unpackhi_epi64(t[4 * i], t[4 * i + 2]);
            u[4 * i + 2] = _mm512_unpacklo_epi64(t[4 * i + 1], t[4 * i + 3]);
            u[4 * i + 3] = _mm512_unpackhi_epi64(t[4 * i + 1], t[4 * i + 3]);
        }
        // Result 4q + j: quarter q of u[j], u[4 + j], u[8 + j], u[12 + j].
        let mut c = [_mm512_setzero_si512(); 16];
        for j in 0..4 {
            let lo01 = _mm512_shuffle_i32x4::<0x44>(u[j], u[4 + j]);
            let hi01 = _mm512_shuffle_i32x4::<0x44>(u[8 + j], u[12 + j]);
            let lo23 = _mm512_shuffle_i32x4::<0xee>(u[j], u[4 + j]);
            let hi23 = _mm512_shuffle_i32x4::<0xee>(u[8 + j], u[12 + j]);
            c[j] = _mm512_shuffle_i32x4::<0x88>(lo01, hi01);
            c[4 + j] = _mm512_shuffle_i32x4::<0xdd>(lo01, hi01);
            c[8 + j] = _mm512_shuffle_i32x4::<0x88>(lo23, hi23);
            c[12 + j] = _mm512_shuffle_i32x4::<0xdd>(lo23, hi23);
        }
        c
    }

    /// See [`super::pair_rows`].
    #[target_feature(enable = "avx512f,avx512bf16")]
    pub unsafe fn pair_rows(a: *const f32, lda: usize, m: usize, k: usize, out: &mut Vec<u32>) {
        let kp = k.div_ceil(2);
        out.clear();
        out.reserve(m * kp);
        let dst = out.as_mut_ptr();
        for r in 0..m {
            let row = a.add(r * lda);
            let d = dst.add(r * kp);
            for pp in (0..kp).step_by(16) {
                let p = 2 * pp;
                let v = pairs_along(row.add(p), (k - p).min(32));
                store_first(kp - pp, d.add(pp), v);
            }
        }
        out.set_len(m * kp);
    }

    /// See [`super::pack_a`].
    #[target_feature(enable = "avx512f,avx512bf16")]
    pub unsafe fn pack_a(
        buf: &mut Vec<u32>,
        a: View,
        ic: usize,
        mc: usize,
        pc: usize,
        kc: usize,
        mr: usize,
    ) {
        let (tiles, kp) = (mc.div_ceil(mr), kc.div_ceil(2));
        debug_assert!(mr <= 16);
        buf.clear();
        buf.reserve(tiles * kp * mr + 16);
        let out = buf.as_mut_ptr();
        if a.rs == 1 {
            // Stored transposed (`Xᵀ`, `Hᵀ` of the weight gradients): at each
            // depth the block's rows are adjacent, a run of `mc` elements.
            // Depth pair after depth pair, both runs read front to back and
            // dealt out to the tiles (two depths make one pair column), as
            // the f32 `blocked::pack_a` does: tile after tile instead read
            // `mr` elements from each of `kc` runs in turn, and those reads
            // stalled (40% of this function). Sixteen lanes are loaded
            // plainly while they stay inside the run (masked loads are slow
            // here), the lanes past the tile's rows cleared in the register.
            for pp in 0..kp {
                let p = 2 * pp;
                let lo_run = a.ptr.offset(ic as isize + (pc + p) as isize * a.cs);
                // Past the block when `kc` is odd: not read then.
                let hi_run = a
                    .ptr
                    .wrapping_offset(ic as isize + (pc + p + 1) as isize * a.cs);
                for tile in 0..tiles {
                    let (t0, rows) = (tile * mr, mr.min(mc - tile * mr));
                    let lo = load_run(lo_run, t0, rows, mc);
                    let hi = if p + 1 < kc {
                        load_run(hi_run, t0, rows, mc)
                    } else {
                        _mm512_setzero_ps()
                    };
                    let v = _mm512_maskz_mov_epi32(lanes(rows), pairs_across(lo, hi));
                    let d = out.add(tile * kp * mr + pp * mr);
                    if pp * mr + 16 <= kp * mr {
                        // All sixteen lanes: the ones past `mr` (zeros) land
                        // on this tile's next pair columns, written later.
                        _mm512_storeu_si512(d as *mut _, v);
                    } else {
                        // The last pair columns: the next tile's first ones
                        // follow, already written.
                        _mm512_mask_storeu_epi32(d as *mut i32, lanes(mr), v);
                    }
                }
            }
            buf.set_len(tiles * kp * mr);
            return;
        }
        for tile in 0..tiles {
            let rows = mr.min(mc - tile * mr);
            let dst = out.add(tile * kp * mr);
            let src = a
                .ptr
                .offset((ic + tile * mr) as isize * a.rs + pc as isize * a.cs);
            // Row-major in storage (`dG` of an input gradient): each row's
            // pairs are neighbours. Sixteen pairs of every row of the tile,
            // transposed in registers into pair columns. Written out one
            // word at a time from a buffer instead, the transpose took 70%
            // of this function and 3% of bf16 training (`perf`).
            let mut block = [_mm512_setzero_si512(); 16];
            // Each row gives only `kc` elements (2 KiB) per block, too short
            // a run for the hardware prefetcher: the next tile's rows are
            // fetched while this one is packed, as in `blocked::pack_a`.
            let next = (tile + 1 < tiles).then(|| src.wrapping_offset(mr as isize * a.rs));
            let next_rows = mr.min(mc.saturating_sub((tile + 1) * mr));
            for pp0 in (0..kp).step_by(16) {
                let p0 = 2 * pp0;
                if let (Some(next), 1) = (next, a.cs) {
                    for r in 0..next_rows {
                        let at = next.wrapping_offset(r as isize * a.rs + p0 as isize);
                        _mm_prefetch::<_MM_HINT_T0>(at as *const i8);
                        _mm_prefetch::<_MM_HINT_T0>(at.wrapping_add(16) as *const i8);
                    }
                }
                for (r, line) in block.iter_mut().enumerate().take(mr) {
                    *line = if r < rows {
                        let at = src.offset(r as isize * a.rs + p0 as isize * a.cs);
                        pairs_strided(at, a.cs, (kc - p0).min(32))
                    } else {
                        _mm512_setzero_si512()
                    };
                }
                let columns = transpose16(&block);
                let n = (kp - pp0).min(16);
                let d = dst.add(pp0 * mr);
                // Pair column `i` is lane `r` of `columns[i]`. All sixteen
                // lanes are stored, in order: the ones past `mr` (zeros) are
                // overwritten by the next column, the next tile, or land in
                // the slack reserved past the end.
                for (i, column) in columns.iter().enumerate().take(n) {
                    _mm512_storeu_si512(d.add(i * mr) as *mut _, *column);
                }
            }
        }
        buf.set_len(tiles * kp * mr);
    }

    /// Rows `t0..t0 + rows` of a run of `len` f32 at `run`: sixteen lanes
    /// by a plain load where they all lie inside the run (the lanes past
    /// `rows` then hold the next rows), else the first `rows`, zeros after.
    #[inline(always)]
    unsafe fn load_run(run: *const f32, t0: usize, rows: usize, len: usize) -> __m512 {
        if t0 + 16 <= len {
            _mm512_loadu_ps(run.add(t0))
        } else {
            load_first(rows, run.add(t0))
        }
    }

    /// See [`super::pack_b`].
    #[target_feature(enable = "avx512f,avx512bf16")]
    pub unsafe fn pack_b(out: *mut u32, b: View, pc: usize, kc: usize, jc: usize, nc: usize) {
        let (panels, kp) = (nc.div_ceil(NR), kc.div_ceil(2));
        // A pair row of a panel is 16 words: column j's pair at word j.
        for panel in 0..panels {
            let width = NR.min(nc - panel * NR);
            let dst = out.add(panel * kp * NR);
            let col0 = (jc + panel * NR) as isize;
            let src = b.ptr.offset(pc as isize * b.rs + col0 * b.cs);
            if b.cs == 1 {
                // Row-major: two rows make one pair row. (Row pair after row
                // pair across all panels, as the f32 `blocked::pack_b` reads,
                // measured no faster here: the pack, larger than L2, was then
                // written a line per panel.)
                for pp in 0..kp {
                    let p = 2 * pp;
                    let lo = load_first(width, src.offset(p as isize * b.rs));
                    let hi = if p + 1 < kc {
                        load_first(width, src.offset((p + 1) as isize * b.rs))
                    } else {
                        _mm512_setzero_ps()
                    };
                    _mm512_storeu_si512(dst.add(pp * NR) as *mut _, pairs_across(lo, hi));
                }
                continue;
            }
            // Stored transposed (`Wᵀ` of an input gradient, `Uᵀ`): a
            // column's depth is contiguous when `rs == 1`; sixteen pairs
            // of every column, transposed in registers into pair rows
            // (as in `pack_a`: word by word from a buffer, the transpose
            // was most of this function's time).
            let mut block = [_mm512_setzero_si512(); NR];
            for pp0 in (0..kp).step_by(16) {
                let p0 = 2 * pp0;
                let depth = (kc - p0).min(32);
                for (j, line) in block.iter_mut().enumerate() {
                    let at = src.offset(j as isize * b.cs + p0 as isize * b.rs);
                    *line = if j < width {
                        pairs_strided(at, b.rs, depth)
                    } else {
                        _mm512_setzero_si512()
                    };
                }
                let rows = transpose16(&block);
                let n = (kp - pp0).min(16);
                let d = dst.add(pp0 * NR);
                for (i, row) in rows.iter().enumerate().take(n) {
                    _mm512_storeu_si512(d.add(i * NR) as *mut _, *row);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::cpu::Features;
    use crate::kernels::micro::bf16_value;

    /// Values that exercise the rounding: ties, NaN, infinities, zeros of
    /// both signs, subnormals (flushed), the largest finite (to infinity).
    fn awkward(n: usize, seed: u32) -> Vec<f32> {
        let special = [
            0.0,
            -0.0,
            1.0 + 1.0 / 256.0,
            1.0 + 3.0 / 256.0,
            f32::NAN,
            f32::INFINITY,
            -f32::INFINITY,
            f32::MAX,
            f32::MIN_POSITIVE / 3.0,
            -f32::from_bits(0x007f_ffff),
            f32::MIN_POSITIVE,
        ];
        let mut s = seed.wrapping_mul(0x9e37_79b9) | 1;
        (0..n)
            .map(|i| {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                if s.is_multiple_of(17) {
                    special[(s as usize / 17) % special.len()]
                } else {
                    (s % 20001) as f32 / 1000.0 - 10.0 + i as f32 * 1e-4
                }
            })
            .collect()
    }

    fn same_bits(x: &[u32], y: &[u32]) -> bool {
        x == y
    }

    #[test]
    fn scalar_packs_hold_the_rounded_elements_where_the_tile_reads_them() {
        let (m, k, n): (usize, usize, usize) = (14, 5, 19);
        let a: Vec<f32> = (0..m * k).map(|i| 1.0 + i as f32 / 1000.0).collect();
        let b: Vec<f32> = (0..k * n).map(|i| -1.0 - i as f32 / 999.0).collect();
        let round = |x: f32| bf16_value(bf16_bits(x));
        let (mr, kp) = (12, k.div_ceil(2));
        let (mut pa, mut pb, mut rows) = (Vec::new(), Vec::new(), Vec::new());
        unsafe {
            pack_a_scalar(
                &mut pa,
                View {
                    ptr: a.as_ptr(),
                    rs: k as isize,
                    cs: 1,
                },
                0,
                m,
                0,
                k,
                mr,
            );
            pack_b_scalar(
                &mut pb,
                View {
                    ptr: b.as_ptr(),
                    rs: n as isize,
                    cs: 1,
                },
                0,
                k,
                0,
                n,
            );
        }
        pair_rows_scalar(&a, k, m, k, &mut rows);
        for r in 0..m.div_ceil(mr) * mr {
            for p in 0..2 * kp {
                let word = pa[(r / mr) * kp * mr + (p / 2) * mr + r % mr];
                let got = bf16_value((word >> (16 * (p % 2))) as u16);
                let inside = r < m && p < k;
                assert_eq!(
                    got,
                    if inside { round(a[r * k + p]) } else { 0.0 },
                    "a ({r}, {p})"
                );
                if r < m {
                    let word = rows[r * kp + p / 2];
                    let got = bf16_value((word >> (16 * (p % 2))) as u16);
                    assert_eq!(got, if p < k { round(a[r * k + p]) } else { 0.0 });
                }
            }
        }
        for j in 0..n.div_ceil(NR) * NR {
            for p in 0..2 * kp {
                let got = bf16_value(
                    pb[(j / NR) * kp * 2 * NR + (p / 2) * 2 * NR + 2 * (j % NR) + p % 2],
                );
                let inside = j < n && p < k;
                assert_eq!(
                    got,
                    if inside { round(b[p * n + j]) } else { 0.0 },
                    "b ({p}, {j})"
                );
            }
        }
    }

    /// The dispatched packs (vector ones where the processor has
    /// AVX512_BF16) against the scalar ones, bit for bit, on blocks that
    /// start inside the matrix, odd depths, partial tiles and panels, and
    /// every storage order.
    #[test]
    fn packs_are_the_scalar_packs_to_the_bit() {
        if !Features::here().avx512_bf16 {
            eprintln!("note: no AVX512_BF16 here; the vector packs were not run");
        }
        let (m, k) = (41, 75);
        let a = awkward(m * k, 1);
        let at: Vec<f32> = (0..k * m).map(|i| a[(i % m) * k + i / m]).collect();
        // Strides that are neither 1 nor the row: every second element.
        let wide: Vec<f32> = a.iter().flat_map(|&x| [x, 9.0]).collect();
        let views = [
            View {
                ptr: a.as_ptr(),
                rs: k as isize,
                cs: 1,
            },
            View {
                ptr: at.as_ptr(),
                rs: 1,
                cs: m as isize,
            },
            View {
                ptr: wide.as_ptr(),
                rs: 2 * k as isize,
                cs: 2,
            },
        ];
        for (vi, v) in views.iter().enumerate() {
            // (rows from, rows, depth from, depth): a's blocks, b's the same
            // matrix read as `k x n` with the roles of the indices swapped.
            for (i0, mc, p0, kc) in [
                (0, 41, 0, 75),
                (3, 25, 7, 33),
                (40, 1, 74, 1),
                (5, 12, 0, 64),
                (1, 36, 2, 32),
            ] {
                for mr in [12, 6, 16] {
                    let (mut want, mut got) = (Vec::new(), vec![7u32; 3]);
                    unsafe {
                        pack_a_scalar(&mut want, *v, i0, mc, p0, kc, mr);
                        pack_a(&mut got, *v, i0, mc, p0, kc, mr);
                    }
                    assert!(
                        same_bits(&want, &got),
                        "a view {vi} {i0} {mc} {p0} {kc} mr {mr}"
                    );
                }
                // As b: element (p, j) of a `k x n` b is a's (j, p) here, so
                // the view's strides swap.
                let vb = View {
                    ptr: v.ptr,
                    rs: v.cs,
                    cs: v.rs,
                };
                let (mut want, mut got) = (Vec::new(), vec![7u16; 5]);
                unsafe {
                    pack_b_scalar(&mut want, vb, p0, kc, i0, mc);
                    pack_b(&mut got, vb, p0, kc, i0, mc);
                }
                assert_eq!(want, got, "b view {vi} {i0} {mc} {p0} {kc}");
            }
        }
        for (m, k) in [(41, 75), (3, 1), (2, 32), (5, 33), (1, 64)] {
            let lda = k + 3;
            let x = awkward(m * lda, 2);
            let (mut want, mut got) = (Vec::new(), vec![1u32]);
            pair_rows_scalar(&x, lda, m, k, &mut want);
            pair_rows(&x, lda, m, k, &mut got);
            assert_eq!(want, got, "pair_rows {m}x{k}");
        }
    }

    /// `bf16_bits` is the instruction's rounding, special values included.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn scalar_rounding_is_the_instructions_rounding() {
        if !Features::here().avx512_bf16 {
            eprintln!("note: no AVX512_BF16 here; vcvtneps2bf16 not run");
            return;
        }
        use std::arch::x86_64::*;
        #[target_feature(enable = "avx512f,avx512bf16")]
        unsafe fn hardware(x: &[f32; 16]) -> [u16; 16] {
            let v = _mm512_cvtneps_pbh(_mm512_loadu_ps(x.as_ptr()));
            std::mem::transmute::<__m256bh, [u16; 16]>(v)
        }
        let mut bits: Vec<u32> = vec![
            0,
            0x8000_0000,
            1,
            0x8000_0001,
            0x007f_ffff,
            0x807f_ffff,
            0x0080_0000,
            0x3f80_8000,
            0x3f81_8000,
            0x3f80_7fff,
            0x7f7f_ffff,
            0x7f80_0000,
            0xff80_0000,
            0x7f80_0001,
            0xffc0_1234,
            0x7fbf_ffff,
        ];
        let mut s = 0x2545_f491u32;
        for _ in 0..4096 {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            bits.push(s);
        }
        for chunk in bits.chunks_exact(16) {
            let x: [f32; 16] = std::array::from_fn(|i| f32::from_bits(chunk[i]));
            let got = unsafe { hardware(&x) };
            for i in 0..16 {
                assert_eq!(got[i], bf16_bits(x[i]), "{:#010x}", chunk[i]);
            }
        }
    }
}
