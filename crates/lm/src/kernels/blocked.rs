//! General f32 products `c = alpha · op(a) · op(b) + beta · c` in the
//! layout of BLIS/GotoBLAS: the right operand is packed in blocks of
//! [`KC`] x [`NC`] (kept in L3, read in `KC x 16` slivers that stay in L1),
//! the left operand in blocks of `MC x KC` (kept in L2, read `MR` rows at a
//! time), and the micro-kernels of [`super::micro`] (the same ones as the
//! recurrent step's) run over both packs: 6 x 16 tiles with AVX2, 12 x 32
//! with AVX-512, and 12 x 32 on bf16 pairs with AVX512_BF16. Packing also
//! absorbs transposes, so `Xᵀ·dG` (the weight gradients) runs as fast as `X·W`.
//!
//! Used for the large products of training (input projections of all time
//! steps, weight and input gradients); `matrixmultiply` does the rest (f64,
//! processors without AVX2).

use super::bf16_pack;
use super::cpu::{self, Isa, Large, Precision};
use super::micro::{AVX2_MR, AVX512_MR, PANEL};
use std::cell::RefCell;

/// Columns of `b` per panel.
pub const NR: usize = PANEL;
/// Depth of one pass: a `KC x NR` sliver of `b` is 16 KiB, in L1. Every
/// kernel adds its sums to `c` once per pass, so the f32 kernels agree to
/// the bit only with the same `KC`: keep it the same for all of them.
pub const KC: usize = 256;
/// Depth of one pass of the bf16 kernel: its sliver (`KC_BF16 / 2` pair rows
/// of two panels) is as many bytes as the f32 kernels' one, and `c` is read
/// and written half as often. (bf16 results need not match f32 ones.)
pub const KC_BF16: usize = 512;
/// Rows of `a` per packed block for the AVX2 kernel: `MC x KC` is 144 KiB.
pub const MC_AVX2: usize = 144;
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

/// A micro-kernel of the blocked product.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    Avx2,
    Avx512,
    /// bf16 operands, f32 sums (AVX512_BF16).
    Bf16,
}

impl Kernel {
    /// Whether the processor has this kernel's instructions.
    pub fn available(self) -> bool {
        let f = cpu::Features::here();
        match self {
            Kernel::Avx2 => f.avx2_fma,
            Kernel::Avx512 => f.avx512f,
            Kernel::Bf16 => f.avx512_bf16,
        }
    }

    /// Rows per tile of `a`.
    fn mr(self) -> usize {
        match self {
            Kernel::Avx2 => AVX2_MR,
            Kernel::Avx512 | Kernel::Bf16 => AVX512_MR,
        }
    }

    /// Rows of `a` per packed block: 144 for AVX2 (as tuned on Zen 3), a
    /// quarter of this core's L2 for the AVX-512 kernels (a row of the
    /// block is `4 KC` bytes in f32 and `2 KC_BF16`, the same, in bf16).
    fn mc(self) -> usize {
        match self {
            Kernel::Avx2 => MC_AVX2,
            Kernel::Avx512 | Kernel::Bf16 => {
                let l2 = cpu::l2_bytes().unwrap_or(1 << 20).clamp(256 << 10, 4 << 20);
                ((l2 / 4) / (4 * KC) / AVX512_MR * AVX512_MR).max(AVX512_MR)
            }
        }
    }
}

/// The blocked kernel this process uses for large products (`None`: they
/// run on `matrixmultiply`): bf16 when the precision is bf16, otherwise the
/// one [`cpu::choice`] picked.
pub fn chosen() -> Option<Kernel> {
    if cpu::precision() == Precision::Bf16 {
        return Some(Kernel::Bf16);
    }
    match cpu::choice().large {
        Large::Blocked(Isa::Avx512) => Some(Kernel::Avx512),
        Large::Blocked(Isa::Avx2) => Some(Kernel::Avx2),
        Large::Blocked(Isa::Portable) | Large::Matrixmultiply => None,
    }
}

/// Whether [`sgemm`] has a vector kernel here (AVX2 at least).
pub fn available() -> bool {
    Kernel::Avx2.available()
}

#[derive(Default)]
struct Packs {
    a: Vec<f32>,
    b: Vec<f32>,
    a16: Vec<u32>,
    b16: Vec<u16>,
}

thread_local! {
    // Packing buffers, allocated once per thread and reused by every call.
    static PACKS: RefCell<Packs> = RefCell::new(Packs::default());
}

/// `c[m x n] = alpha · a[m x k] · b[k x n] + beta · c` on the widest f32
/// kernel the processor has; with `beta == 0` the old `c` is not read (NaNs
/// in it do not survive).
///
/// # Safety
/// As for [`sgemm_with`], with [`available`] true.
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
    let kernel = if Kernel::Avx512.available() {
        Kernel::Avx512
    } else {
        Kernel::Avx2
    };
    sgemm_with(kernel, m, k, n, alpha, a, b, beta, c, rsc)
}

/// [`sgemm`] on the given kernel.
///
/// # Safety
/// The views and `c` (row stride `rsc`, column stride 1) must address
/// matrices of these shapes inside live allocations, `c` not overlapping
/// `a` or `b`, and the kernel must be [`Kernel::available`].
#[allow(clippy::too_many_arguments)]
pub unsafe fn sgemm_with(
    kernel: Kernel,
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
    debug_assert!(kernel.available());
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
    let (mr, mc) = (kernel.mr(), kernel.mc());
    PACKS.with(|packs| {
        let packs = &mut *packs.borrow_mut();
        for jc in (0..n).step_by(NC) {
            let nc = NC.min(n - jc);
            let panels = nc.div_ceil(NR);
            let kc_max = if kernel == Kernel::Bf16 { KC_BF16 } else { KC };
            for pc in (0..k).step_by(kc_max) {
                let kc = kc_max.min(k - pc);
                let kp = kc.div_ceil(2);
                match kernel {
                    Kernel::Bf16 => bf16_pack::pack_b(&mut packs.b16, b, pc, kc, jc, nc),
                    _ => pack_b(&mut packs.b, b, pc, kc, jc, nc),
                }
                for ic in (0..m).step_by(mc) {
                    let mcb = mc.min(m - ic);
                    match kernel {
                        Kernel::Bf16 => bf16_pack::pack_a(&mut packs.a16, a, ic, mcb, pc, kc, mr),
                        _ => pack_a(&mut packs.a, a, ic, mcb, pc, kc, mr),
                    }
                    let step = if kernel == Kernel::Avx2 { 1 } else { 2 };
                    for panel in (0..panels).step_by(step) {
                        let width = (step * NR).min(nc - panel * NR);
                        let two = panel + 1 < panels;
                        for tile in 0..mcb.div_ceil(mr) {
                            let rows = mr.min(mcb - tile * mr);
                            let cp = c.add((ic + tile * mr) * rsc + jc + panel * NR);
                            match kernel {
                                Kernel::Avx2 => {
                                    let ap = packs.a.as_ptr().add(tile * kc * mr);
                                    let bp = packs.b.as_ptr().add(panel * kc * NR);
                                    x86::avx2(kc, ap, bp, alpha, cp, rsc, rows, width)
                                }
                                Kernel::Avx512 => {
                                    let ap = packs.a.as_ptr().add(tile * kc * mr);
                                    let bp = packs.b.as_ptr().add(panel * kc * NR);
                                    x86::avx512(kc, ap, bp, two, alpha, cp, rsc, rows, width)
                                }
                                Kernel::Bf16 => {
                                    let ap = packs.a16.as_ptr().add(tile * kp * mr);
                                    let bp = packs.b16.as_ptr().add(panel * kp * 2 * NR);
                                    x86::bf16(kp, ap, bp, two, alpha, cp, rsc, rows, width)
                                }
                            }
                        }
                    }
                }
            }
        }
    });
}

/// Packs `b[pc.., jc..]` (`kc x nc`) as panels of `NR` columns, each `kc x NR`
/// row after row, the last panel zero-padded. (Not inlined, so that profiles
/// show packing apart from the product: once per block, the call costs nothing.)
#[inline(never)]
unsafe fn pack_b(buf: &mut Vec<f32>, b: View, pc: usize, kc: usize, jc: usize, nc: usize) {
    let panels = nc.div_ceil(NR);
    // Every element is written below (padding with zeros), so the buffer is
    // only resized, not cleared first.
    buf.resize(panels * kc * NR, 0.0);
    if b.cs == 1 {
        // Row-major `b` (`dG` of a weight gradient, 8 KB rows): each row read
        // front to back into every panel. Panel after panel instead read one
        // 64-byte line from each of `kc` rows in turn, a pattern the hardware
        // prefetcher does not follow (8% of the weight gradient's time).
        for p in 0..kc {
            let src = b.ptr.offset((pc + p) as isize * b.rs + jc as isize);
            for panel in 0..panels {
                let width = NR.min(nc - panel * NR);
                let out = &mut buf[panel * kc * NR + p * NR..][..NR];
                if width == NR {
                    // A fixed-size copy: inlined, where a call to memcpy per
                    // 64 bytes cost more than the copy.
                    out.copy_from_slice(&*(src.add(panel * NR) as *const [f32; NR]));
                } else {
                    let row = std::slice::from_raw_parts(src.add(panel * NR), width);
                    out[..width].copy_from_slice(row);
                    out[width..].fill(0.0);
                }
            }
        }
        return;
    }
    for panel in 0..panels {
        let width = NR.min(nc - panel * NR);
        let out = &mut buf[panel * kc * NR..(panel + 1) * kc * NR];
        let col0 = (jc + panel * NR) as isize;
        for p in 0..kc {
            let src = b.ptr.offset((pc + p) as isize * b.rs + col0 * b.cs);
            out[p * NR + width..(p + 1) * NR].fill(0.0);
            let dst = &mut out[p * NR..p * NR + width];
            for (j, d) in dst.iter_mut().enumerate() {
                *d = *src.offset(j as isize * b.cs);
            }
        }
    }
}

/// Packs `a[ic.., pc..]` (`mc x kc`) as tiles of `mr` rows, each stored
/// column after column (`kc x mr`), the last tile zero-padded. (Not inlined,
/// as [`pack_b`].)
#[inline(never)]
unsafe fn pack_a(
    buf: &mut Vec<f32>,
    a: View,
    ic: usize,
    mc: usize,
    pc: usize,
    kc: usize,
    mr: usize,
) {
    let tiles = mc.div_ceil(mr);
    // Every element is written below (padding rows with zeros).
    buf.resize(tiles * kc * mr, 0.0);
    let out = buf.as_mut_ptr();
    if a.rs == 1 {
        // A transposed in storage (`Xᵀ` of a weight gradient): at every depth
        // the block's rows are adjacent, a run of `mc` elements. Depth after
        // depth, each run read front to back and dealt out to the tiles: tile
        // after tile instead read `mr` elements from each of `kc` runs in
        // turn, and the reads stalled (a quarter of this function's time).
        for p in 0..kc {
            let run = a.ptr.offset(ic as isize + (pc + p) as isize * a.cs);
            for tile in 0..tiles {
                let rows = mr.min(mc - tile * mr);
                let dst = out.add(tile * kc * mr + p * mr);
                let src = run.add(tile * mr);
                if rows == AVX512_MR && mr == AVX512_MR {
                    // A fixed-size copy: inlined, where a call to memcpy per
                    // 48 bytes cost more than the copy.
                    *(dst as *mut [f32; AVX512_MR]) = *(src as *const [f32; AVX512_MR]);
                } else if rows == AVX2_MR && mr == AVX2_MR {
                    *(dst as *mut [f32; AVX2_MR]) = *(src as *const [f32; AVX2_MR]);
                } else {
                    for r in 0..mr {
                        *dst.add(r) = if r < rows { *src.add(r) } else { 0.0 };
                    }
                }
            }
        }
        return;
    }
    for tile in 0..tiles {
        let rows = mr.min(mc - tile * mr);
        let dst = out.add(tile * kc * mr);
        let src = a
            .ptr
            .offset((ic + tile * mr) as isize * a.rs + pc as isize * a.cs);
        if rows < mr {
            for p in 0..kc {
                std::slice::from_raw_parts_mut(dst.add(p * mr + rows), mr - rows).fill(0.0);
            }
        }
        // The tile's rows read side by side, the tile written in order.
        // Each row gives only `kc` elements (1 KiB) per pass, too short a
        // run for the hardware prefetcher: fetch the next tile's rows
        // while this one is copied (`dG·Wᵀ` spent 11% of its time here).
        let next = (tile + 1 < tiles).then(|| src.wrapping_offset(mr as isize * a.rs));
        let next_rows = mr.min(mc.saturating_sub((tile + 1) * mr));
        for p in 0..kc {
            let at = src.offset(p as isize * a.cs);
            if let Some(next) = next {
                if a.cs == 1 && p % LINE == 0 {
                    for r in 0..next_rows {
                        prefetch(next.wrapping_offset(r as isize * a.rs + p as isize));
                    }
                }
            }
            for r in 0..rows {
                *dst.add(p * mr + r) = *at.offset(r as isize * a.rs);
            }
        }
    }
}

/// f32 elements per cache line.
const LINE: usize = 16;

/// Asks for the cache line holding `at` (a hint: never faults).
#[inline(always)]
fn prefetch(at: *const f32) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint and never faults, whatever the address.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(at as *const i8)
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::NR;
    use crate::kernels::micro::{avx2_tile, avx512_tile, bf16_tile, AVX2_MR, AVX512_MR};

    /// One AVX2 tile on packed operands.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub unsafe fn avx2(
        kc: usize,
        a: *const f32,
        b: *const f32,
        alpha: f32,
        c: *mut f32,
        rsc: usize,
        rows: usize,
        width: usize,
    ) {
        avx2_tile::<AVX2_MR>(kc, a, 1, AVX2_MR, b, alpha, c, rsc, rows, width)
    }

    /// One AVX-512 tile (one or two panels) on packed operands.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub unsafe fn avx512(
        kc: usize,
        a: *const f32,
        b: *const f32,
        two: bool,
        alpha: f32,
        c: *mut f32,
        rsc: usize,
        rows: usize,
        width: usize,
    ) {
        if two {
            avx512_tile::<AVX512_MR, 2>(kc, a, 1, AVX512_MR, b, kc * NR, alpha, c, rsc, rows, width)
        } else {
            avx512_tile::<AVX512_MR, 1>(kc, a, 1, AVX512_MR, b, 0, alpha, c, rsc, rows, width)
        }
    }

    /// One bf16 tile (one or two panels) on packed pairs.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub unsafe fn bf16(
        kp: usize,
        a: *const u32,
        b: *const u16,
        two: bool,
        alpha: f32,
        c: *mut f32,
        rsc: usize,
        rows: usize,
        width: usize,
    ) {
        if two {
            bf16_tile::<AVX512_MR, 2>(
                kp,
                a,
                1,
                AVX512_MR,
                b,
                kp * 2 * NR,
                alpha,
                c,
                rsc,
                rows,
                width,
            )
        } else {
            bf16_tile::<AVX512_MR, 1>(kp, a, 1, AVX512_MR, b, 0, alpha, c, rsc, rows, width)
        }
    }
}

#[cfg(not(target_arch = "x86_64"))]
mod x86 {
    #[allow(clippy::too_many_arguments)]
    pub unsafe fn avx2(
        _: usize,
        _: *const f32,
        _: *const f32,
        _: f32,
        _: *mut f32,
        _: usize,
        _: usize,
        _: usize,
    ) {
        unreachable!("no vector kernel off x86_64")
    }
    #[allow(clippy::too_many_arguments)]
    pub unsafe fn avx512(
        _: usize,
        _: *const f32,
        _: *const f32,
        _: bool,
        _: f32,
        _: *mut f32,
        _: usize,
        _: usize,
        _: usize,
    ) {
        unreachable!("no vector kernel off x86_64")
    }
    #[allow(clippy::too_many_arguments)]
    pub unsafe fn bf16(
        _: usize,
        _: *const u32,
        _: *const u16,
        _: bool,
        _: f32,
        _: *mut f32,
        _: usize,
        _: usize,
        _: usize,
    ) {
        unreachable!("no vector kernel off x86_64")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::micro::{bf16_bits, bf16_value};

    /// `a · b` in f64, the operands first rounded by `round`.
    fn naive(a: View, b: View, m: usize, k: usize, n: usize, round: fn(f32) -> f32) -> Vec<f64> {
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k)
                    .map(|p| unsafe {
                        round(*a.ptr.offset(i as isize * a.rs + p as isize * a.cs)) as f64
                            * round(*b.ptr.offset(p as isize * b.rs + j as isize * b.cs)) as f64
                    })
                    .sum();
            }
        }
        c
    }

    fn exact(x: f32) -> f32 {
        x
    }

    fn to_bf16(x: f32) -> f32 {
        bf16_value(bf16_bits(x))
    }

    /// Every kernel this processor has against the f64 product, on shapes
    /// that straddle every block edge (MR of both tile heights, NR, the
    /// panel pairs, KC, KC_BF16, MC), both operands in both orders, odd depths.
    /// Returns the results per kernel for cross-kernel comparisons.
    fn check_kernels(kernels: &[Kernel]) -> Vec<Vec<Vec<f32>>> {
        let mut all = vec![Vec::new(); kernels.len()];
        let mut mc_edge = Kernel::Avx512.mc() + 5;
        if !Kernel::Avx512.available() {
            mc_edge = MC_AVX2 + 7;
        }
        for (m, k, n) in [
            (1, 1, 1),
            (7, 300, 33),
            (150, 257, 17),
            (13, 520, 40),
            (5, 1030, 20),
            (25, 3, 50),
            (mc_edge, 31, 70),
        ] {
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
                let c0: Vec<f32> = (0..m * n).map(|i| (i % 5) as f32).collect();
                for (ki, &kernel) in kernels.iter().enumerate() {
                    let bf16 = kernel == Kernel::Bf16;
                    let want = naive(va, vb, m, k, n, if bf16 { to_bf16 } else { exact });
                    for (alpha, beta) in [(1.0f32, 0.0f32), (0.5, 1.0), (-1.0, 2.0)] {
                        let mut c = c0.clone();
                        unsafe {
                            sgemm_with(kernel, m, k, n, alpha, va, vb, beta, c.as_mut_ptr(), n)
                        };
                        for i in 0..m * n {
                            let w = alpha as f64 * want[i] + beta as f64 * c0[i] as f64;
                            assert!(
                                (c[i] as f64 - w).abs() < 1e-3 * (1.0 + w.abs()),
                                "{kernel:?} {m}x{k}x{n} t_a={t_a} t_b={t_b} [{i}]: {} vs {w}",
                                c[i]
                            );
                        }
                        all[ki].push(c);
                    }
                }
            }
        }
        all
    }

    #[test]
    fn every_kernel_here_agrees_with_the_f64_product_across_block_edges() {
        let kernels: Vec<Kernel> = [Kernel::Avx2, Kernel::Avx512, Kernel::Bf16]
            .into_iter()
            .filter(|k| {
                if !k.available() {
                    eprintln!("note: {k:?} kernel not run (the processor lacks it)");
                }
                k.available()
            })
            .collect();
        let results = check_kernels(&kernels);
        // The f32 kernels sum in the same order: identical bits.
        if let (Some(i2), Some(i5)) = (
            kernels.iter().position(|&k| k == Kernel::Avx2),
            kernels.iter().position(|&k| k == Kernel::Avx512),
        ) {
            assert!(
                results[i2] == results[i5],
                "AVX2 and AVX-512 results differ"
            );
        }
    }

    #[test]
    fn beta_zero_overwrites_nan() {
        for kernel in [Kernel::Avx2, Kernel::Avx512, Kernel::Bf16] {
            if !kernel.available() {
                continue;
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
            unsafe { sgemm_with(kernel, 2, 3, 2, 1.0, va, vb, 0.0, c.as_mut_ptr(), 2) };
            assert_eq!(c, [6.0; 4], "{kernel:?}");
        }
    }

    #[test]
    fn the_chosen_kernel_exists_here_and_bf16_only_when_asked() {
        match chosen() {
            Some(k) => {
                assert!(k.available());
                // Unit tests never switch the products to bf16.
                assert_ne!(k, Kernel::Bf16);
            }
            None => assert!(
                !Kernel::Avx2.available()
                    || std::env::var("CARDLM_GEMM").is_ok_and(|v| v != "auto")
            ),
        }
    }
}
