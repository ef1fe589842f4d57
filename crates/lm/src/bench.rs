//! Throughput of a configuration: training measured the way the trainer
//! runs (batches formed by [`crate::batch_schedule`], split over the
//! workers), sampling the way generation runs ([`crate::sample::generate`]).

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
    /// Characters of one epoch of the corpus timed (cut as training cuts).
    pub corpus_epoch_chars: usize,
    /// Minutes of one epoch of that corpus at this rate: what `cardlm train`
    /// should take per epoch on it (validation and saving not included).
    pub projected_corpus_epoch_minutes: f64,
    /// How the workers shared the recurrent steps ([`crate::step::RecurrentSplit`]).
    pub recurrent_split: String,
    pub gflops: f64,
    /// Arithmetic per second of CPU time the process used: the kernels'
    /// efficiency, robust to other load on the machine (wall-clock figures
    /// are not).
    pub gflops_per_cpu_second: f64,
    /// The processor, its features, the kernels and the precision
    /// ([`crate::kernels::cpu::describe`]).
    pub kernels: String,
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
    let corpus_epoch_chars: usize = corpus.iter().map(|s| s.len()).sum();
    TrainBench {
        batches: times.len(),
        batch_size,
        workers: stepper.workers(),
        median_batch_seconds: median,
        chars_per_second: cps,
        padded_positions_per_second: cps * SEED_EPOCH_PADDED as f64 / SEED_EPOCH_CHARS as f64,
        projected_seed_epoch_minutes: SEED_EPOCH_CHARS as f64 / cps / 60.0,
        corpus_epoch_chars,
        projected_corpus_epoch_minutes: corpus_epoch_chars as f64 / cps / 60.0,
        recurrent_split: if stepper.workers() > 1 {
            format!("{:?}", stepper.split).to_lowercase()
        } else {
            "none (one worker)".to_string()
        },
        gflops: positions as f64 / total * 3.0 * config.forward_flops_per_position() / 1e9,
        gflops_per_cpu_second: positions as f64 / cpu * 3.0 * config.forward_flops_per_position()
            / 1e9,
        kernels: crate::kernels::cpu::describe(),
    }
}

/// Sampling speed at one batch size.
#[derive(Clone, Debug, serde::Serialize)]
pub struct GenerateBench {
    pub batch: usize,
    pub cards: usize,
    pub chars: usize,
    pub median_seconds: f64,
    pub chars_per_second: f64,
    pub ms_per_card_of_130_chars: f64,
}

/// Samples `card_len` tokens a card (no stop token) from random weights of
/// `config` at each batch size: at least 4 cards at batch 1, one full batch
/// otherwise; the median of `repeats` timed runs after one warm-up.
pub fn bench_generate(
    config: &ModelConfig,
    batches: &[usize],
    card_len: usize,
    repeats: usize,
) -> Vec<GenerateBench> {
    use crate::sample::{
        generate, Free, GenerateOptions, InitState, Request, SampleOptions, Sampler,
    };
    let model = Model::<f32>::new(config.clone(), 0);
    let opts = GenerateOptions {
        sampling: SampleOptions::default(),
        max_len: card_len,
        stop: None,
        init: InitState::Zeros,
    };
    let mut results = Vec::new();
    for &b in batches {
        let mut sampler = Sampler::new(&model, b);
        let cards = b.max(4);
        let mut times = Vec::new();
        let mut chars = 0;
        for rep in 0..=repeats {
            let requests: Vec<Request<Free>> = (0..cards)
                .map(|i| Request {
                    start: (config.vocab_size - 1) as u32,
                    rng: Rng::for_stream(rep as u64, &[i as u64]),
                    steer: Free,
                })
                .collect();
            let t = Instant::now();
            let out = generate(&mut sampler, requests, &opts);
            let secs = t.elapsed().as_secs_f64();
            chars = out.iter().map(|g| g.tokens.len() - 1).sum();
            if rep > 0 {
                times.push(secs); // the first run warms up
            }
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let cps = chars as f64 / median;
        results.push(GenerateBench {
            batch: b,
            cards,
            chars,
            median_seconds: median,
            chars_per_second: cps,
            ms_per_card_of_130_chars: 130.0 / cps * 1000.0 * b as f64,
        });
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sampling_bench_counts_every_character() {
        let config = ModelConfig {
            hidden: 8,
            layers: 1,
            ..ModelConfig::seed(12)
        };
        let r = bench_generate(&config, &[1, 3], 10, 1);
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].batch, r[0].cards, r[0].chars), (1, 4, 4 * 9));
        assert_eq!((r[1].batch, r[1].cards, r[1].chars), (3, 4, 4 * 9));
        assert!(r
            .iter()
            .all(|x| x.chars_per_second > 0.0 && x.median_seconds > 0.0));
    }
}
