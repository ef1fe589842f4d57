//! Matrix-product rates of the candidate GEMM crates for the shapes the
//! model uses, single-threaded (the trainer runs one product per core).
//! Run: `cargo bench -p cardlm-lm --bench gemm` (add `--features gemm-crate` for
//! a column of the `gemm` crate too: it is heavy to compile, so the test
//! builds leave it out). Prints medians of 15 runs,
//! timed in CPU seconds of this (single-threaded) process, so that other
//! load on the machine changes the figures less than wall-clock time would.

use cardlm_lm::bench::process_cpu_seconds;
use cardlm_lm::kernels::blocked::{sgemm_with, Kernel, View};

const KERNELS: [Kernel; 3] = [Kernel::Avx2, Kernel::Avx512, Kernel::Bf16];

fn median_seconds(mut f: impl FnMut()) -> f64 {
    f();
    // Repeat small products so each sample lasts well above the clock's resolution.
    let s = process_cpu_seconds();
    f();
    let once = (process_cpu_seconds() - s).max(1e-5);
    let reps = ((0.02 / once).ceil() as usize).clamp(1, 1000);
    let mut t: Vec<f64> = (0..15)
        .map(|_| {
            let s = process_cpu_seconds();
            for _ in 0..reps {
                f();
            }
            (process_cpu_seconds() - s) / reps as f64
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

/// The recurrent step on a once-packed `U` (what the model uses), for one
/// packed matrix reused (cache-warm) and for four in turn (as two layers
/// forward and backward evict each other), on every kernel the processor has.
fn packed_rates() {
    use cardlm_lm::kernels::packed::{gemm_packed_on, PackedB};
    use cardlm_lm::kernels::Mat;
    println!("| packed product | kernel | warm GFLOP/s | rotating 4 matrices GFLOP/s |");
    println!("|---|---|---|---|");
    for (m, k, n) in [
        (16, 500, 2000),
        (32, 500, 2000),
        (16, 2000, 500),
        (2100, 500, 2000),
        (2100, 2000, 500),
        (500, 2100, 2000),
    ] {
        let a: Vec<f32> = (0..m * k).map(|i| ((i % 17) as f32 - 8.0) * 0.01).collect();
        let bs: Vec<PackedB<f32>> = (0..4)
            .map(|s| {
                let b: Vec<f32> = (0..k * n)
                    .map(|i| (((i + s) % 13) as f32 - 6.0) * 0.01)
                    .collect();
                let mut p = PackedB::new();
                p.pack(Mat::new(&b, k, n));
                p.pack_bf16();
                p
            })
            .collect();
        let mut c = vec![0.0f32; m * n];
        let flops = 2.0 * (m * k * n) as f64;
        for kernel in KERNELS.into_iter().filter(|k| k.available()) {
            let warm = median_seconds(|| {
                gemm_packed_on(kernel, &a, k, m, &bs[0], &mut c, n);
            });
            let cold = median_seconds(|| {
                for b in &bs {
                    gemm_packed_on(kernel, &a, k, m, b, &mut c, n);
                }
            }) / 4.0;
            println!(
                "| [{m},{k}]x[{k},{n}] | {kernel:?} | {:.1} | {:.1} |",
                flops / warm / 1e9,
                flops / cold / 1e9
            );
        }
    }
}

/// The ceilings: independent FMA chains (AVX2, AVX-512) and bf16 dot
/// products with no memory traffic, GFLOP per CPU-second of one core.
///
/// Each chain starts from its own value and every chain reaches the result:
/// with equal starts and only `acc[0]` returned, the compiler merged the
/// chains into one (identical values), and the line measured one FMA's
/// latency times the chain count, 1.5x the real ceiling on a Zen 3.
#[cfg(target_arch = "x86_64")]
fn peak_fma_rate() {
    use std::arch::x86_64::*;
    /// A distinct start for chain `i`.
    fn start(i: usize) -> f32 {
        1.0 + i as f32 / 1024.0
    }
    #[target_feature(enable = "avx2,fma")]
    unsafe fn chains(n: u64) -> f32 {
        let mut acc: [__m256; 12] = std::array::from_fn(|i| _mm256_set1_ps(start(i)));
        let (b, c) = (_mm256_set1_ps(0.999_999), _mm256_set1_ps(1e-7));
        for _ in 0..n {
            for a in acc.iter_mut() {
                *a = _mm256_fmadd_ps(*a, b, c);
            }
        }
        let sum = acc
            .iter()
            .fold(_mm256_setzero_ps(), |s, a| _mm256_add_ps(s, *a));
        let mut out = [0f32; 8];
        _mm256_storeu_ps(out.as_mut_ptr(), sum);
        out[0]
    }
    #[target_feature(enable = "avx512f")]
    unsafe fn chains512(n: u64) -> f32 {
        let mut acc: [__m512; 24] = std::array::from_fn(|i| _mm512_set1_ps(start(i)));
        let (b, c) = (_mm512_set1_ps(0.999_999), _mm512_set1_ps(1e-7));
        for _ in 0..n {
            for a in acc.iter_mut() {
                *a = _mm512_fmadd_ps(*a, b, c);
            }
        }
        _mm512_reduce_add_ps(
            acc.iter()
                .fold(_mm512_setzero_ps(), |s, a| _mm512_add_ps(s, *a)),
        )
    }
    #[target_feature(enable = "avx512f,avx512bf16")]
    unsafe fn dots(n: u64) -> f32 {
        let mut acc: [__m512; 24] = std::array::from_fn(|i| _mm512_set1_ps(start(i)));
        let b: __m512bh = std::mem::transmute(_mm512_set1_epi32(0x3f80_3f80));
        for _ in 0..n {
            for a in acc.iter_mut() {
                *a = _mm512_dpbf16_ps(*a, b, b);
            }
        }
        _mm512_reduce_add_ps(
            acc.iter()
                .fold(_mm512_setzero_ps(), |s, a| _mm512_add_ps(s, *a)),
        )
    }
    let f = cardlm_lm::kernels::cpu::Features::here();
    let n = 20_000_000u64;
    let rate = |flops_per_iter: u64, run: &dyn Fn(u64)| {
        let t = median_seconds(|| run(std::hint::black_box(n)));
        (n * flops_per_iter) as f64 / t / 1e9
    };
    if f.avx2_fma {
        let r = rate(12 * 16, &|n| {
            std::hint::black_box(unsafe { chains(n) });
        });
        println!("| peak: 12 independent AVX2 FMA chains | {r:.1} GFLOP per CPU-second |");
    }
    if f.avx512f {
        let r = rate(24 * 32, &|n| {
            std::hint::black_box(unsafe { chains512(n) });
        });
        println!("| peak: 24 independent AVX-512 FMA chains | {r:.1} GFLOP per CPU-second |");
    }
    if f.avx512_bf16 {
        let r = rate(24 * 64, &|n| {
            std::hint::black_box(unsafe { dots(n) });
        });
        println!("| peak: 24 independent vdpbf16ps chains | {r:.1} GFLOP per CPU-second |");
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn peak_fma_rate() {}

fn main() {
    peak_fma_rate();
    // `cargo bench --bench gemm -- peak`: the ceilings alone (run on every
    // core at once by scripts/bench-peak-share.sh).
    if std::env::args().any(|a| a == "peak") {
        return;
    }
    packed_rates();
    // (what, m, k, n, a transposed, b transposed)
    let shapes = [
        (
            "recurrent step, half batch: [16,500]x[500,2000]",
            16,
            500,
            2000,
            false,
            false,
        ),
        (
            "recurrent step, full batch: [32,500]x[500,2000]",
            32,
            500,
            2000,
            false,
            false,
        ),
        (
            "recurrent backward: [16,2000]x[2000,500]^T",
            16,
            2000,
            500,
            false,
            true,
        ),
        (
            "input projection: [2100,500]x[500,2000]",
            2100,
            500,
            2000,
            false,
            false,
        ),
        (
            "weight gradient: [2100,500]^T x [2100,2000]",
            500,
            2100,
            2000,
            true,
            false,
        ),
        (
            "input gradient: [2100,2000]x[500,2000]^T",
            2100,
            2000,
            500,
            false,
            true,
        ),
    ];
    println!("{}", cardlm_lm::kernels::cpu::describe());
    println!("| shape | matrixmultiply GFLOP/s | gemm 0.18 GFLOP/s (`--features gemm-crate`) | cardlm blocked AVX2 / AVX-512 / bf16 GFLOP/s |");
    println!("|---|---|---|---|");
    for (what, m, k, n, ta, tb) in shapes {
        let a: Vec<f32> = (0..m * k).map(|i| ((i % 17) as f32 - 8.0) * 0.01).collect();
        let b: Vec<f32> = (0..k * n).map(|i| ((i % 13) as f32 - 6.0) * 0.01).collect();
        let mut c = vec![0.0f32; m * n];
        // Row/column strides of op(A) [m x k] and op(B) [k x n], row-major storage.
        let (rsa, csa) = if ta { (1, m as isize) } else { (k as isize, 1) };
        let (rsb, csb) = if tb { (1, k as isize) } else { (n as isize, 1) };
        let flops = 2.0 * (m * k * n) as f64;
        let mm = median_seconds(|| unsafe {
            matrixmultiply::sgemm(
                m,
                k,
                n,
                1.0,
                a.as_ptr(),
                rsa,
                csa,
                b.as_ptr(),
                rsb,
                csb,
                0.0,
                c.as_mut_ptr(),
                n as isize,
                1,
            )
        });
        let gemm_crate = gemm_crate_seconds(m, k, n, &a, (rsa, csa), &b, (rsb, csb), &mut c)
            .map_or_else(|| "-".to_owned(), |t| format!("{:.1}", flops / t / 1e9));
        let va = View {
            ptr: a.as_ptr(),
            rs: rsa,
            cs: csa,
        };
        let vb = View {
            ptr: b.as_ptr(),
            rs: rsb,
            cs: csb,
        };
        let blocked: Vec<String> = KERNELS
            .into_iter()
            .map(|kernel| {
                if !kernel.available() {
                    return "-".to_owned();
                }
                let t = median_seconds(|| unsafe {
                    sgemm_with(kernel, m, k, n, 1.0, va, vb, 0.0, c.as_mut_ptr(), n)
                });
                format!("{:.1}", flops / t / 1e9)
            })
            .collect();
        let blocked = blocked.join(" / ");
        println!(
            "| {what} | {:.1} | {gemm_crate} | {blocked} |",
            flops / mm / 1e9
        );
    }
}

/// Seconds per product of the `gemm` crate, C = op(A) op(B) with the strides
/// of op(A) and op(B); `None` when the bench was built without it.
#[allow(clippy::too_many_arguments)]
fn gemm_crate_seconds(
    m: usize,
    k: usize,
    n: usize,
    a: &[f32],
    (rsa, csa): (isize, isize),
    b: &[f32],
    (rsb, csb): (isize, isize),
    c: &mut [f32],
) -> Option<f64> {
    #[cfg(feature = "gemm-crate")]
    {
        Some(median_seconds(|| unsafe {
            gemm::gemm(
                m,
                n,
                k,
                c.as_mut_ptr(),
                1,
                n as isize,
                false,
                a.as_ptr(),
                csa,
                rsa,
                b.as_ptr(),
                csb,
                rsb,
                0.0f32,
                1.0f32,
                false,
                false,
                false,
                gemm::Parallelism::None,
            )
        }))
    }
    #[cfg(not(feature = "gemm-crate"))]
    {
        let _ = (m, k, n, a, rsa, csa, b, rsb, csb, c);
        None
    }
}
