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

use super::bf16_pack;
use super::cpu::{self, Isa};
use super::micro::{bf16_bits, dpbf16_lane};
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
    /// The same matrix in bf16 for bf16 products (empty in f32): passes of
    /// [`KC`] rows, panels of [`NR`] columns, each sliver `kc.div_ceil(2)`
    /// pair rows of `2 * NR` (column `j` of rows `2pp`, `2pp + 1` side by
    /// side), the odd row past the end zero.
    bf16: Vec<u16>,
}

impl<T: Scalar> PackedB<T> {
    pub fn new() -> Self {
        PackedB {
            k: 0,
            n: 0,
            data: Vec::new(),
            bf16: Vec::new(),
        }
    }

    /// Packs `op(b)`, reusing the allocation: in bf16 only when the
    /// products are in bf16 ([`Scalar::bf16_products`]), else in `T`.
    pub fn pack(&mut self, b: Mat<T>) {
        if T::bf16_products() {
            // Only f32 has bf16 products.
            assert_eq!(std::any::TypeId::of::<T>(), std::any::TypeId::of::<f32>());
            // SAFETY: `T` is `f32` (checked above).
            let data =
                unsafe { std::slice::from_raw_parts(b.data.as_ptr() as *const f32, b.data.len()) };
            self.pack_bf16_only(Mat {
                data,
                rows: b.rows,
                cols: b.cols,
                ld: b.ld,
                trans: b.trans,
            });
        } else {
            self.bf16.clear();
            self.pack_f32_layout(b);
        }
    }

    /// Packs `op(b)` in bf16 alone, straight from `b` by
    /// [`bf16_pack::pack_b_into`], pass after pass (the layout of
    /// [`PackedB::pack_bf16`]). Packing in f32 first and rounding that
    /// element by element took 1.5% of bf16 training (`perf`), and nothing
    /// reads the f32 copy when the products are in bf16.
    fn pack_bf16_only(&mut self, b: Mat<f32>) {
        let (k, n) = match b.trans {
            Trans::No => (b.rows, b.cols),
            Trans::Yes => (b.cols, b.rows),
        };
        b.check();
        self.k = k;
        self.n = n;
        self.data.clear();
        let panels = n.div_ceil(NR);
        // Every element is written below: resized, not cleared first (a
        // memset of the whole pack at every step otherwise).
        self.bf16.resize(panels * k.div_ceil(2) * 2 * NR, 0);
        if n == 0 {
            return;
        }
        let (rs, cs) = b.op_strides();
        let view = super::blocked::View {
            ptr: b.data.as_ptr(),
            rs,
            cs,
        };
        for p0 in (0..k).step_by(KC) {
            let kc = KC.min(k - p0);
            let at = self.bf16_offset(p0, 0);
            let len = panels * kc.div_ceil(2) * 2 * NR;
            // SAFETY: `b` addresses `k x n` elements (checked above).
            unsafe { bf16_pack::pack_b_into(&mut self.bf16[at..at + len], view, p0, kc, 0, n) };
        }
    }

    /// Whether the matrix is packed in `T` for the f32 (and f64) kernels:
    /// not when [`PackedB::pack`] packed it in bf16 alone.
    fn has_t_layout(&self) -> bool {
        self.data.len() == self.n.div_ceil(NR) * self.k * NR
    }

    /// Adds the bf16 copy of the matrix packed in f32 (the layout
    /// [`PackedB::pack`] makes alone when the products are in bf16; public
    /// for tests and benchmarks, which time both kernels on one pack).
    pub fn pack_bf16(&mut self) {
        assert!(self.has_t_layout(), "not packed in f32");
        let (k, panels) = (self.k, self.n.div_ceil(NR));
        self.bf16.clear();
        self.bf16.resize(panels * k.div_ceil(2) * 2 * NR, 0);
        for p0 in (0..k).step_by(KC) {
            let kc = KC.min(k - p0);
            for panel in 0..panels {
                let src = self.sliver_offset(p0, panel);
                let dst = self.bf16_offset(p0, panel);
                for p in 0..kc {
                    for j in 0..NR {
                        let v = self.data[src + p * NR + j].to_f64() as f32;
                        self.bf16[dst + (p / 2) * 2 * NR + 2 * j + p % 2] = bf16_bits(v);
                    }
                }
            }
        }
    }

    /// Where the bf16 sliver of rows `p0..p0 + KC` of a panel starts.
    #[inline(always)]
    fn bf16_offset(&self, p0: usize, panel: usize) -> usize {
        let kp = KC.min(self.k - p0).div_ceil(2);
        (p0 / 2) * self.n.div_ceil(NR) * 2 * NR + panel * kp * 2 * NR
    }

    fn pack_f32_layout(&mut self, b: Mat<T>) {
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
    check_shapes(a, lda, m, b, c.len(), ldc);
    // SAFETY: the shapes were checked against `c` above.
    unsafe { gemm_packed_portable_raw(a, lda, m, b, c.as_mut_ptr(), ldc) }
}

/// [`gemm_packed_portable`] writing through a pointer.
///
/// # Safety
/// `c` addresses `m` rows of `b.n()` elements, `ldc` apart, that nothing
/// else reads or writes during the call.
pub unsafe fn gemm_packed_portable_raw<T: Scalar>(
    a: &[T],
    lda: usize,
    m: usize,
    b: &PackedB<T>,
    c: *mut T,
    ldc: usize,
) {
    assert!(b.has_t_layout(), "B was packed in bf16 alone");
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
                let crow = c.add(r * ldc + panel * NR);
                for (j, v) in acc.iter().enumerate().take(width) {
                    *crow.add(j) += *v;
                }
            }
        }
    }
}

fn check_shapes<T>(a: &[T], lda: usize, m: usize, b: &PackedB<T>, c_len: usize, ldc: usize) {
    if m == 0 {
        return;
    }
    assert!(
        lda >= b.k && (m - 1) * lda + b.k <= a.len(),
        "left operand too small"
    );
    assert!(
        ldc >= b.n && (m - 1) * ldc + b.n <= c_len,
        "output too small"
    );
}

/// `c[m x n] += a[m x k] · B` in f32 on the kernel [`cpu::choice`] picked
/// for this processor, or in bf16 with f32 accumulation where the precision
/// is bf16 and `B` was packed for it.
pub fn gemm_packed_f32(
    a: &[f32],
    lda: usize,
    m: usize,
    b: &PackedB<f32>,
    c: &mut [f32],
    ldc: usize,
) {
    check_shapes(a, lda, m, b, c.len(), ldc);
    // SAFETY: the shapes were checked against `c` above.
    unsafe { gemm_packed_f32_raw(a, lda, m, b, c.as_mut_ptr(), ldc) }
}

/// [`gemm_packed_f32`] writing through a pointer, for callers whose output
/// rows interleave with other threads' columns.
///
/// # Safety
/// `c` addresses `m` rows of `b.n()` elements, `ldc` apart, that nothing
/// else reads or writes during the call.
pub unsafe fn gemm_packed_f32_raw(
    a: &[f32],
    lda: usize,
    m: usize,
    b: &PackedB<f32>,
    c: *mut f32,
    ldc: usize,
) {
    check_shapes(a, lda, m, b, usize::MAX, ldc);
    if m == 0 || b.n == 0 {
        return;
    }
    #[cfg(target_arch = "x86_64")]
    {
        if !b.bf16.is_empty() && cpu::Features::here().avx512_bf16 {
            // SAFETY: the features were detected and the shapes checked above.
            return x86::gemm_packed_bf16(a, lda, m, b, c, ldc);
        }
        assert!(b.has_t_layout(), "B was packed in bf16 alone");
        match cpu::choice().packed {
            // SAFETY: the choice only names instruction sets the processor
            // has; the shapes were checked above.
            Isa::Avx512 => return x86::gemm_packed_avx512(a, lda, m, b, c, ldc),
            Isa::Avx2 => return x86::gemm_packed_avx2(a, lda, m, b, c, ldc),
            Isa::Portable => {}
        }
    }
    gemm_packed_portable_raw(a, lda, m, b, c, ldc)
}

/// `c[m x n] += a[m x k] · B` on the given kernel (for benchmarks and
/// tests); false, with `c` untouched, where the processor lacks it or `B`
/// was not packed for it: the bf16 kernel needs `B` packed for it
/// ([`PackedB::pack_bf16`]), the f32 ones a pack made in f32.
pub fn gemm_packed_on(
    kernel: super::blocked::Kernel,
    a: &[f32],
    lda: usize,
    m: usize,
    b: &PackedB<f32>,
    c: &mut [f32],
    ldc: usize,
) -> bool {
    use super::blocked::Kernel;
    check_shapes(a, lda, m, b, c.len(), ldc);
    if !kernel.available()
        || (kernel == Kernel::Bf16 && b.bf16.is_empty())
        || (kernel != Kernel::Bf16 && !b.has_t_layout())
    {
        return false;
    }
    #[cfg(target_arch = "x86_64")]
    // SAFETY: the features were detected and the shapes checked above.
    unsafe {
        let c = c.as_mut_ptr();
        match kernel {
            Kernel::Avx2 => x86::gemm_packed_avx2(a, lda, m, b, c, ldc),
            Kernel::Avx512 => x86::gemm_packed_avx512(a, lda, m, b, c, ldc),
            Kernel::Bf16 => x86::gemm_packed_bf16(a, lda, m, b, c, ldc),
        }
    }
    true
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
    check_shapes(a, lda, m, b, c.len(), ldc);
    // SAFETY: the shapes were checked against `c` above.
    unsafe { T::gemm_packed_raw(a, lda, m, b, c.as_mut_ptr(), ldc) }
}

/// [`gemm_packed`] writing through a pointer: for threads that each write
/// their own columns of the same rows (a `&mut` slice over those rows would
/// alias the other threads').
///
/// # Safety
/// `c` addresses `m` rows of `b.n()` elements, `ldc` apart, that nothing
/// else reads or writes during the call.
pub unsafe fn gemm_packed_raw<T: Scalar>(
    a: &[T],
    lda: usize,
    m: usize,
    b: &PackedB<T>,
    c: *mut T,
    ldc: usize,
) {
    T::gemm_packed_raw(a, lda, m, b, c, ldc)
}

/// Whether the AVX2 and FMA kernels can run here (detected once).
pub fn avx2_available() -> bool {
    cpu::Features::here().avx2_fma
}

/// Row tiles of at most `mr` rows of nearly equal height for `m` rows
/// (16 rows with `mr = 12` are two tiles of 8, not 12 and 4).
fn row_tiles(m: usize, mr: usize) -> impl Iterator<Item = (usize, usize)> {
    let tiles = m.div_ceil(mr).max(1);
    let (base, extra) = (m / tiles, m % tiles);
    (0..tiles).scan(0, move |r, t| {
        let rows = base + usize::from(t < extra);
        let start = *r;
        *r += rows;
        Some((start, rows))
    })
}

/// Rows per block whose `KC`-wide slice of `a` stays in half of L2 while the
/// panels stream past it.
fn row_block(mr: usize, bytes_per_row: usize) -> usize {
    let l2 = cpu::l2_bytes()
        .unwrap_or(512 << 10)
        .clamp(256 << 10, 4 << 20);
    ((l2 / 2 / bytes_per_row) / mr * mr).max(mr)
}

/// `c[m x n] += a[m x k] · B` computed as the bf16 kernel computes it (the
/// same packed layout, [`dpbf16_lane`] for `vdpbf16ps`), in plain Rust: it
/// tests the packing and the logic of the bf16 path on any processor.
pub fn gemm_packed_bf16_emulated(
    a: &[f32],
    lda: usize,
    m: usize,
    b: &PackedB<f32>,
    c: &mut [f32],
    ldc: usize,
) {
    check_shapes(a, lda, m, b, c.len(), ldc);
    assert!(
        !b.bf16.is_empty() || b.k == 0 || b.n == 0,
        "B was not packed for bf16"
    );
    let mut pairs = Vec::new();
    bf16_pack::pair_rows_scalar(a, lda, m, b.k, &mut pairs);
    let kp_all = b.k.div_ceil(2);
    for p0 in (0..b.k).step_by(KC) {
        let kp = KC.min(b.k - p0).div_ceil(2);
        for panel in 0..b.n.div_ceil(NR) {
            let bp = &b.bf16[b.bf16_offset(p0, panel)..][..kp * 2 * NR];
            let width = NR.min(b.n - panel * NR);
            for r in 0..m {
                let mut acc = [0.0f32; NR];
                for pp in 0..kp {
                    let ap = pairs[r * kp_all + p0 / 2 + pp];
                    for (j, x) in acc.iter_mut().enumerate() {
                        let bpair = bp[pp * 2 * NR + 2 * j] as u32
                            | (bp[pp * 2 * NR + 2 * j + 1] as u32) << 16;
                        *x = dpbf16_lane(*x, ap, bpair);
                    }
                }
                for j in 0..width {
                    c[r * ldc + panel * NR + j] += acc[j];
                }
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{row_block, row_tiles, PackedB, KC, NR};
    use crate::kernels::micro::{avx2_tile, avx512_tile, bf16_tile, AVX2_MR, AVX512_MR};
    use std::cell::RefCell;

    /// Calls `$tile::<R, ...>` with `R` the run-time row count (1 to 12).
    macro_rules! by_rows {
        ($rows:expr, $f:ident, [$($extra:tt)*], $($arg:expr),*) => {
            match $rows {
                12 => $f::<12, $($extra)*>($($arg),*),
                11 => $f::<11, $($extra)*>($($arg),*),
                10 => $f::<10, $($extra)*>($($arg),*),
                9 => $f::<9, $($extra)*>($($arg),*),
                8 => $f::<8, $($extra)*>($($arg),*),
                7 => $f::<7, $($extra)*>($($arg),*),
                6 => $f::<6, $($extra)*>($($arg),*),
                5 => $f::<5, $($extra)*>($($arg),*),
                4 => $f::<4, $($extra)*>($($arg),*),
                3 => $f::<3, $($extra)*>($($arg),*),
                2 => $f::<2, $($extra)*>($($arg),*),
                _ => $f::<1, $($extra)*>($($arg),*),
            }
        };
    }

    /// AVX2: tiles of up to 6 rows by one panel.
    ///
    /// # Safety
    /// AVX2 and FMA present; shapes checked by the caller.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn gemm_packed_avx2(
        a: &[f32],
        lda: usize,
        m: usize,
        b: &PackedB<f32>,
        c: *mut f32,
        ldc: usize,
    ) {
        let (k, panels) = (b.k, b.n.div_ceil(NR));
        // Depth in passes of KC: a pass's sliver of a panel (KC x 16, 16 KiB)
        // stays in L1 while every row tile of the block uses it; rows in
        // blocks whose KC-wide slice of `a` stays in L2.
        let block = row_block(AVX2_MR, 4 * KC);
        for r0 in (0..m).step_by(block) {
            let mb = block.min(m - r0);
            for p0 in (0..k).step_by(KC) {
                let kc = KC.min(k - p0);
                for panel in 0..panels {
                    let bp = b.data.as_ptr().add(b.sliver_offset(p0, panel));
                    let width = NR.min(b.n - panel * NR);
                    for (t0, rows) in row_tiles(mb, AVX2_MR) {
                        let r = r0 + t0;
                        let ap = a.as_ptr().add(r * lda + p0);
                        let cp = c.add(r * ldc + panel * NR);
                        match rows {
                            6 => avx2_tile::<6>(kc, ap, lda, 1, bp, 1.0, cp, ldc, rows, width),
                            5 => avx2_tile::<5>(kc, ap, lda, 1, bp, 1.0, cp, ldc, rows, width),
                            4 => avx2_tile::<4>(kc, ap, lda, 1, bp, 1.0, cp, ldc, rows, width),
                            3 => avx2_tile::<3>(kc, ap, lda, 1, bp, 1.0, cp, ldc, rows, width),
                            2 => avx2_tile::<2>(kc, ap, lda, 1, bp, 1.0, cp, ldc, rows, width),
                            _ => avx2_tile::<1>(kc, ap, lda, 1, bp, 1.0, cp, ldc, rows, width),
                        }
                    }
                }
            }
        }
    }

    /// AVX-512: tiles of up to 12 rows by two panels.
    ///
    /// # Safety
    /// AVX-512F present; shapes checked by the caller.
    #[target_feature(enable = "avx512f")]
    pub unsafe fn gemm_packed_avx512(
        a: &[f32],
        lda: usize,
        m: usize,
        b: &PackedB<f32>,
        c: *mut f32,
        ldc: usize,
    ) {
        let (k, panels) = (b.k, b.n.div_ceil(NR));
        let block = row_block(AVX512_MR, 4 * KC);
        for r0 in (0..m).step_by(block) {
            let mb = block.min(m - r0);
            for p0 in (0..k).step_by(KC) {
                let kc = KC.min(k - p0);
                for panel in (0..panels).step_by(2) {
                    let bp = b.data.as_ptr().add(b.sliver_offset(p0, panel));
                    let width = (2 * NR).min(b.n - panel * NR);
                    let two = panel + 1 < panels;
                    for (t0, rows) in row_tiles(mb, AVX512_MR) {
                        let r = r0 + t0;
                        let ap = a.as_ptr().add(r * lda + p0);
                        let cp = c.add(r * ldc + panel * NR);
                        if two {
                            by_rows!(
                                rows,
                                avx512_tile,
                                [2],
                                kc,
                                ap,
                                lda,
                                1,
                                bp,
                                kc * NR,
                                1.0,
                                cp,
                                ldc,
                                rows,
                                width
                            );
                        } else {
                            by_rows!(
                                rows,
                                avx512_tile,
                                [1],
                                kc,
                                ap,
                                lda,
                                1,
                                bp,
                                0,
                                1.0,
                                cp,
                                ldc,
                                rows,
                                width
                            );
                        }
                    }
                }
            }
        }
    }

    thread_local! {
        // `a` as bf16 pairs, reused by every call on this thread.
        static PAIRS: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
    }

    /// bf16 products: `a` rounded to bf16 pairs, `B`'s bf16 pack, f32 sums.
    ///
    /// # Safety
    /// AVX-512F and AVX512_BF16 present; `b` packed for bf16; shapes checked.
    #[target_feature(enable = "avx512f,avx512bf16")]
    pub unsafe fn gemm_packed_bf16(
        a: &[f32],
        lda: usize,
        m: usize,
        b: &PackedB<f32>,
        c: *mut f32,
        ldc: usize,
    ) {
        PAIRS.with(|pairs| {
            let mut pairs = pairs.borrow_mut();
            crate::kernels::bf16_pack::pair_rows(a, lda, m, b.k, &mut pairs);
            let (k, panels) = (b.k, b.n.div_ceil(NR));
            let kp_all = k.div_ceil(2);
            let block = row_block(AVX512_MR, 2 * KC);
            for r0 in (0..m).step_by(block) {
                let mb = block.min(m - r0);
                for p0 in (0..k).step_by(KC) {
                    let kp = KC.min(k - p0).div_ceil(2);
                    for panel in (0..panels).step_by(2) {
                        let bp = b.bf16.as_ptr().add(b.bf16_offset(p0, panel));
                        let width = (2 * NR).min(b.n - panel * NR);
                        let two = panel + 1 < panels;
                        for (t0, rows) in row_tiles(mb, AVX512_MR) {
                            let r = r0 + t0;
                            let ap = pairs.as_ptr().add(r * kp_all + p0 / 2);
                            let cp = c.add(r * ldc + panel * NR);
                            if two {
                                by_rows!(
                                    rows,
                                    bf16_tile,
                                    [2],
                                    kp,
                                    ap,
                                    kp_all,
                                    1,
                                    bp,
                                    kp * 2 * NR,
                                    1.0,
                                    cp,
                                    ldc,
                                    rows,
                                    width
                                );
                            } else {
                                by_rows!(
                                    rows,
                                    bf16_tile,
                                    [1],
                                    kp,
                                    ap,
                                    kp_all,
                                    1,
                                    bp,
                                    0,
                                    1.0,
                                    cp,
                                    ldc,
                                    rows,
                                    width
                                );
                            }
                        }
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::gemm;
    use crate::kernels::micro::bf16_value;

    /// Awkward shapes: tiles of every height, partial panels and panel
    /// pairs, depth past one pass and odd, rows past one block.
    const SHAPES: [(usize, usize, usize); 9] = [
        (16, 50, 64),
        (7, 13, 21),
        (1, 5, 16),
        (13, 40, 37),
        (32, 3, 8),
        (25, 257, 48),
        (9, 600, 40),
        (263, 300, 20),
        (1100, 33, 17),
    ];

    fn operands(m: usize, k: usize, n: usize) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
        let a = (0..m * k)
            .map(|i| ((i * 7 % 23) as f32 - 11.0) * 0.1)
            .collect();
        let b = (0..k * n)
            .map(|i| ((i * 5 % 19) as f32 - 9.0) * 0.1)
            .collect();
        let c0 = (0..m * n).map(|i| i as f32 * 0.01).collect();
        (a, b, c0)
    }

    /// Each f32 kernel the processor has, by name.
    #[allow(clippy::type_complexity)]
    fn f32_kernels() -> Vec<(
        &'static str,
        fn(&[f32], usize, usize, &PackedB<f32>, &mut [f32], usize),
    )> {
        let mut v: Vec<(
            &'static str,
            fn(&[f32], usize, usize, &PackedB<f32>, &mut [f32], usize),
        )> = vec![
            ("portable", gemm_packed_portable::<f32>),
            ("chosen", gemm_packed_f32),
        ];
        #[cfg(target_arch = "x86_64")]
        {
            let f = cpu::Features::here();
            if f.avx2_fma {
                v.push(("avx2", |a, lda, m, b, c, ldc| unsafe {
                    x86::gemm_packed_avx2(a, lda, m, b, c.as_mut_ptr(), ldc)
                }));
            } else {
                eprintln!("note: AVX2 packed kernel not run (the processor lacks it)");
            }
            if f.avx512f {
                v.push(("avx512", |a, lda, m, b, c, ldc| unsafe {
                    x86::gemm_packed_avx512(a, lda, m, b, c.as_mut_ptr(), ldc)
                }));
            } else {
                eprintln!("note: AVX-512 packed kernel not run (the processor lacks it)");
            }
        }
        v
    }

    #[test]
    fn packed_products_agree_with_gemm_for_every_kernel_and_edge_shape() {
        for (m, k, n) in SHAPES {
            let (a, b, c0) = operands(m, k, n);
            let bt: Vec<f32> = (0..n * k).map(|i| b[(i % k) * n + i / k]).collect();
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
                let mut by_kernel = Vec::new();
                for (name, kernel) in f32_kernels() {
                    let mut c = c0.clone();
                    kernel(&a, k, m, &pb, &mut c, n);
                    for i in 0..m * n {
                        assert!(
                            (c[i] - want[i]).abs() < 1e-4 * (1.0 + want[i].abs()),
                            "{name} {m}x{k}x{n} [{i}]: {} vs {}",
                            c[i],
                            want[i]
                        );
                    }
                    by_kernel.push((name, c));
                }
                // The vector kernels sum in the same order: identical bits.
                let vector: Vec<_> = by_kernel.iter().filter(|(n, _)| *n != "portable").collect();
                for w in vector.windows(2) {
                    assert!(
                        w[0].1 == w[1].1,
                        "{} and {} differ on {m}x{k}x{n}",
                        w[0].0,
                        w[1].0
                    );
                }
            }
        }
    }

    #[test]
    fn row_tiles_cover_the_rows_in_nearly_equal_heights() {
        for m in 1..60 {
            for mr in [6, 12] {
                let tiles: Vec<_> = row_tiles(m, mr).collect();
                assert_eq!(tiles.len(), m.div_ceil(mr));
                assert_eq!(tiles.iter().map(|t| t.1).sum::<usize>(), m);
                let (lo, hi) = (
                    tiles.iter().map(|t| t.1).min().unwrap(),
                    tiles.iter().map(|t| t.1).max().unwrap(),
                );
                assert!(hi <= mr && hi - lo <= 1, "{m} rows by {mr}: {tiles:?}");
                for w in tiles.windows(2) {
                    assert_eq!(w[0].0 + w[0].1, w[1].0);
                }
            }
        }
    }

    /// `a · b + c0` in f64 with both operands rounded to bf16 first.
    fn bf16_reference(a: &[f32], b: &[f32], c0: &[f32], m: usize, k: usize, n: usize) -> Vec<f64> {
        let r = |x: f32| bf16_value(bf16_bits(x)) as f64;
        (0..m * n)
            .map(|i| {
                c0[i] as f64
                    + (0..k)
                        .map(|p| r(a[(i / n) * k + p]) * r(b[p * n + i % n]))
                        .sum::<f64>()
            })
            .collect()
    }

    #[test]
    fn bf16_emulation_agrees_with_the_rounded_product_on_every_shape() {
        for (m, k, n) in SHAPES {
            let (a, b, c0) = operands(m, k, n);
            let want = bf16_reference(&a, &b, &c0, m, k, n);
            let mut pb = PackedB::new();
            pb.pack(Mat::new(&b, k, n));
            pb.pack_bf16();
            let mut c = c0.clone();
            gemm_packed_bf16_emulated(&a, k, m, &pb, &mut c, n);
            for i in 0..m * n {
                assert!(
                    (c[i] as f64 - want[i]).abs() < 1e-4 * (1.0 + want[i].abs()),
                    "{m}x{k}x{n} [{i}]"
                );
            }
        }
    }

    #[test]
    fn bf16_kernel_matches_its_emulation_where_the_processor_has_it() {
        if !cpu::Features::here().avx512_bf16 {
            eprintln!(
                "note: bf16 packed kernel not run (no AVX512_BF16); its emulation was tested"
            );
            return;
        }
        for (m, k, n) in SHAPES {
            let (a, b, c0) = operands(m, k, n);
            let bt: Vec<f32> = (0..n * k).map(|i| b[(i % k) * n + i / k]).collect();
            let mut pb = PackedB::new();
            pb.pack(Mat::new(&bt, n, k).t());
            pb.pack_bf16();
            let mut emulated = c0.clone();
            gemm_packed_bf16_emulated(&a, k, m, &pb, &mut emulated, n);
            let mut fast = c0.clone();
            // The public entry takes the bf16 path because B has a bf16 pack.
            gemm_packed_f32(&a, k, m, &pb, &mut fast, n);
            for i in 0..m * n {
                assert!(
                    (fast[i] - emulated[i]).abs() <= 2e-6 * (1.0 + emulated[i].abs()),
                    "{m}x{k}x{n} [{i}]: {} vs {}",
                    fast[i],
                    emulated[i]
                );
            }
        }
    }

    /// Packing in bf16 alone, straight from the matrix, gives the bits of
    /// packing in f32 and rounding that, whichever way the matrix is
    /// stored (the vector packs where the processor has AVX512_BF16).
    #[test]
    fn bf16_only_packing_is_the_rounded_f32_pack() {
        for (_, k, n) in SHAPES
            .into_iter()
            .chain([(0, 0, 5), (0, 7, 0), (0, 513, 33)])
        {
            let (_, b, _) = operands(0, k, n);
            let bt: Vec<f32> = (0..n * k).map(|i| b[(i % k) * n + i / k]).collect();
            for from in [Mat::new(&b, k, n), Mat::new(&bt, n, k).t()] {
                let mut want = PackedB::new();
                want.pack(from);
                want.pack_bf16();
                let mut got = PackedB::new();
                // Over an earlier pack, whose f32 layout must go.
                got.pack(Mat::new(&[1.0; 6], 3, 2));
                got.pack_bf16_only(from);
                assert_eq!((got.k(), got.n()), (k, n));
                assert!(got.bf16 == want.bf16, "{k}x{n} {:?}", from.trans);
                assert!(!got.has_t_layout() || k == 0 || n == 0);
                let c = &mut [0.0f32; 4];
                assert!(
                    !gemm_packed_on(super::super::blocked::Kernel::Avx512, &[], 1, 0, &got, c, 1)
                        || k == 0
                        || n == 0
                );
            }
        }
    }

    #[test]
    fn f32_packing_leaves_no_bf16_copy() {
        let b = vec![1.0f32; 40 * 20];
        let mut pb = PackedB::new();
        pb.pack(Mat::new(&b, 40, 20));
        // Unit tests keep the products in f32.
        assert!(pb.bf16.is_empty());
        pb.pack_bf16();
        assert_eq!(pb.bf16.len(), 2 * NR * 20 * 2);
        pb.pack(Mat::new(&b, 40, 20));
        assert!(pb.bf16.is_empty());
    }
}
