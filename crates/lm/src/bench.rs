//! Training throughput of a configuration, measured the way the trainer
//! runs: batches formed by [`crate::batching`], split over the workers.

use crate::adam::AdamConfig;
use crate::batch_schedule::{epoch_batches, Batching};
use crate::config::ModelConfig;
use crate::model::Model;
use crate::rng::Rng;
use crate::step::Stepper;
use std::time::Instant;

/// The seed corpus: 30,601 cards, 4,038,535 characters after cutting at
/// 256, 7,833,856 positions when padded to 256.
pub const SEED_EPOCH_CARDS: usize = 30_601;
pub const SEED_EPOCH_CHARS: usize = 4_038_535;
pub const SEED_EPOCH_PADDED: usize = 7_833_856;

/// Card lengths (characters, cut at 256) of the seed corpus at every 5th
/// percentile, for synthetic corpora with its length distribution.
pub const SEED_LENGTH_VENTILES: [usize; 21] = [
    31, 49, 58, 68, 77, 85, 93, 100, 108, 116, 123, 132, 140, 149, 159, 171, 184, 200, 224, 256,
    256,
];

/// `n` random sequences over `vocab` tokens with the seed corpus's lengths.
pub fn synthetic_corpus(n: usize, vocab: usize, seed: u64) -> Vec<Vec<u32>> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let q = rng.uniform_f64() * 20.0;
            let (i, frac) = (q as usize, q.fract());
            let len = SEED_LENGTH_VENTILES[i] as f64 * (1.0 - frac)
                + SEED_LENGTH_VENTILES[i + 1] as f64 * frac;
            (0..len.round() as usize)
                .map(|_| rng.below(vocab) as u32)
                .collect()
        })
        .collect()
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct TrainBench {
    pub batches: usize,
    pub batch_size: usize,
    pub workers: usize,
    /// Median seconds per batch.
    pub median_batch_seconds: f64,
    /// Real (unpadded) characters per second, counted as the seed counted
    /// them (every character of a card up to 256).
    pub chars_per_second: f64,
    /// The same rate in the seed's padded positions (256 per card).
    pub padded_positions_per_second: f64,
    pub projected_seed_epoch_minutes: f64,
    pub gflops: f64,
    /// Arithmetic per second of CPU time the process used: the kernels'
    /// efficiency, robust to other load on the machine (wall-clock figures
    /// are not).
    pub gflops_per_cpu_second: f64,
}

/// CPU time (user + system) used so far by this process, in seconds.
pub fn process_cpu_seconds() -> f64 {
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut u);
        u
    };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Times `batches` training steps after one warm-up step.
pub fn bench_train(
    config: &ModelConfig,
    corpus: &[Vec<u32>],
    batch_size: usize,
    batches: usize,
    workers: usize,
    batching: Batching,
) -> TrainBench {
    let max_len = corpus.iter().map(|s| s.len()).max().unwrap_or(2);
    let model: Model<f32> = Model::new(config.clone(), 1);
    let mut stepper = Stepper::new(model, AdamConfig::default(), workers, batch_size, max_len);
    let lengths: Vec<usize> = corpus.iter().map(|s| s.len()).collect();
    let plan = epoch_batches(&lengths, batch_size, batching, 7, 0);
    let mut times = Vec::new();
    let mut chars = 0usize;
    let mut positions = 0usize;
    let mut total = 0.0;
    let mut cpu = 0.0;
    for (i, batch) in plan.iter().take(batches + 1).enumerate() {
        let seqs: Vec<&[u32]> = batch.iter().map(|&j| corpus[j].as_slice()).collect();
        let (t, c) = (Instant::now(), process_cpu_seconds());
        let report = stepper.step(&seqs, i as u64).unwrap_or_else(|r| r);
        let dt = t.elapsed().as_secs_f64();
        if i > 0 {
            cpu += process_cpu_seconds() - c;
            times.push(dt);
            total += dt;
            chars += seqs.iter().map(|s| s.len()).sum::<usize>();
            positions += report.loss.positions;
        }
    }
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or(f64::NAN);
    let cps = chars as f64 / total;
    TrainBench {
        batches: times.len(),
        batch_size,
        workers: stepper.workers(),
        median_batch_seconds: median,
        chars_per_second: cps,
        padded_positions_per_second: cps * SEED_EPOCH_PADDED as f64 / SEED_EPOCH_CHARS as f64,
        projected_seed_epoch_minutes: SEED_EPOCH_CHARS as f64 / cps / 60.0,
        gflops: positions as f64 / total * 3.0 * config.forward_flops_per_position() / 1e9,
        gflops_per_cpu_second: positions as f64 / cpu * 3.0 * config.forward_flops_per_position()
            / 1e9,
    }
}
