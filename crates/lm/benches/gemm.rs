//! Matrix-product rates of the candidate GEMM crates for the shapes the
//! model uses, single-threaded (the trainer runs one product per core).
//! Run: `cargo bench -p cardlm-lm --bench gemm`. Prints medians of 15 runs,
//! timed in CPU seconds of this (single-threaded) process, so that other
//! load on the machine changes the figures less than wall-clock time would.

use cardlm_lm::bench::process_cpu_seconds;
use cardlm_lm::kernels::blocked::{sgemm, View};

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
/// forward and backward evict each other).
fn packed_rates() {
    use cardlm_lm::kernels::packed::{gemm_packed_f32, PackedB};
    use cardlm_lm::kernels::Mat;
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
                p
            })
            .collect();
        let mut c = vec![0.0f32; m * n];
        let flops = 2.0 * (m * k * n) as f64;
        let warm = median_seconds(|| gemm_packed_f32(&a, k, m, &bs[0], &mut c, n));
        let cold = median_seconds(|| {
            for b in &bs {
                gemm_packed_f32(&a, k, m, b, &mut c, n)
            }
        }) / 4.0;
        println!(
            "| packed recurrent [{m},{k}]x[{k},{n}] | warm {:.1} | rotating 4 matrices {:.1} |",
            flops / warm / 1e9,
            flops / cold / 1e9
        );
    }
}

/// The ceiling: independent AVX2 FMAs with no memory traffic, GFLOP per
/// CPU-second of one core.
#[cfg(target_arch = "x86_64")]
fn peak_fma_rate() {
    use std::arch::x86_64::*;
    #[target_feature(enable = "avx2,fma")]
    unsafe fn chains(n: u64) -> f32 {
        let mut acc = [_mm256_set1_ps(1.0); 12];
        let (b, c) = (_mm256_set1_ps(0.999_999), _mm256_set1_ps(1e-7));
        for _ in 0..n {
            for a in acc.iter_mut() {
                *a = _mm256_fmadd_ps(*a, b, c);
            }
        }
        let mut out = [0f32; 8];
        _mm256_storeu_ps(out.as_mut_ptr(), acc[0]);
        out[0]
    }
    if !cardlm_lm::kernels::packed::avx2_available() {
        return;
    }
    let n = 20_000_000u64;
    let t = median_seconds(|| {
        std::hint::black_box(unsafe { chains(std::hint::black_box(n)) });
    });
    println!(
        "| peak: 12 independent AVX2 FMA chains | {:.1} GFLOP per CPU-second |",
        (n * 12 * 16) as f64 / t / 1e9
    );
}

#[cfg(not(target_arch = "x86_64"))]
fn peak_fma_rate() {}

fn main() {
    peak_fma_rate();
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
    println!("| shape | matrixmultiply GFLOP/s | gemm 0.18 GFLOP/s | cardlm blocked GFLOP/s |");
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
        let gm = median_seconds(|| unsafe {
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
        });
        let blocked = if cardlm_lm::kernels::blocked::available() {
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
            let t =
                median_seconds(|| unsafe { sgemm(m, k, n, 1.0, va, vb, 0.0, c.as_mut_ptr(), n) });
            format!("{:.1}", flops / t / 1e9)
        } else {
            "(no AVX2)".to_owned()
        };
        println!(
            "| {what} | {:.1} | {:.1} | {blocked} |",
            flops / mm / 1e9,
            flops / gm / 1e9
        );
    }
}
