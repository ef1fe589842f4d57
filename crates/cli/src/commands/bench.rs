//! `cardlm bench`: throughput figures anyone can rerun.

use anyhow::{anyhow, Result};
use cardlm_lm::batch_schedule::Batching;
use cardlm_lm::bench::{bench_train, synthetic_corpus, SEED_EPOCH_CARDS};
use cardlm_lm::token_corpus::TokenCorpus;
use cardlm_lm::ModelConfig;
use clap::{Args as ClapArgs, Subcommand};
use std::path::PathBuf;

#[derive(ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand)]
enum What {
    /// Training speed of the seed configuration (or the one given).
    Train(TrainArgs),
    /// Sampling speed, one card at a time and batched (random weights).
    Generate(GenerateArgs),
}

#[derive(ClapArgs)]
struct TrainArgs {
    /// Corpus directory from `cardlm prepare`; a synthetic corpus with the
    /// seed corpus's length distribution when omitted.
    #[arg(long)]
    corpus: Option<PathBuf>,
    /// Timed batches (after one warm-up batch).
    #[arg(long, default_value_t = 20)]
    batches: usize,
    #[arg(long, default_value_t = 32)]
    batch_size: usize,
    /// Worker threads (each takes a share of every batch).
    #[arg(long, default_value_t = 2)]
    threads: usize,
    #[arg(long, default_value = "bucket")]
    batching: Batching,
    #[arg(long, default_value_t = 500)]
    hidden: usize,
    #[arg(long, default_value_t = 2)]
    layers: usize,
    /// Cut sequences at this many characters, as training does.
    #[arg(long, default_value_t = 256)]
    max_len: usize,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<()> {
    match args.what {
        What::Train(a) => train(a),
        What::Generate(a) => generate(a),
    }
}

fn train(a: TrainArgs) -> Result<()> {
    if a.batches == 0 || a.batch_size == 0 || a.threads == 0 {
        return Err(anyhow!(
            "--batches, --batch-size and --threads must be at least 1"
        ));
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(a.threads)
        .build_global()
        .ok();
    let (corpus, vocab, source) = match &a.corpus {
        Some(dir) => {
            let c = TokenCorpus::load(dir).map_err(|e| anyhow!(e))?;
            let n = c.vocab.len();
            (
                TokenCorpus::cut(&c.train, a.max_len),
                n,
                dir.display().to_string(),
            )
        }
        None => (
            synthetic_corpus(SEED_EPOCH_CARDS, 102, 1),
            102,
            "synthetic (seed lengths)".to_string(),
        ),
    };
    let config = ModelConfig {
        hidden: a.hidden,
        layers: a.layers,
        ..ModelConfig::seed(vocab)
    };
    let r = bench_train(
        &config,
        &corpus,
        a.batch_size,
        a.batches,
        a.threads,
        a.batching,
    );
    if a.json {
        println!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        println!(
            "corpus: {source}; V={vocab} H={} layers={} batch {} ({:?}), {} workers",
            a.hidden, a.layers, a.batch_size, a.batching, r.workers
        );
        println!(
            "median batch:          {:.3} s over {} batches",
            r.median_batch_seconds, r.batches
        );
        println!("real characters/s:     {:.0}", r.chars_per_second);
        println!(
            "padded-equivalent/s:   {:.0}",
            r.padded_positions_per_second
        );
        println!(
            "seed epoch (projected): {:.2} min",
            r.projected_seed_epoch_minutes
        );
        println!(
            "arithmetic:            {:.1} GFLOP/s ({:.1} per CPU-second)",
            r.gflops, r.gflops_per_cpu_second
        );
    }
    Ok(())
}

#[derive(ClapArgs)]
struct GenerateArgs {
    /// Batch sizes to time (cards sampled together).
    #[arg(long, value_delimiter = ',', default_value = "1,64")]
    batch: Vec<usize>,
    /// Characters per card (no end symbol is sampled, every card runs this long).
    #[arg(long, default_value_t = 256)]
    card_len: usize,
    /// Timed repetitions; the median is reported.
    #[arg(long, default_value_t = 3)]
    repeats: usize,
    #[arg(long, default_value_t = 500)]
    hidden: usize,
    #[arg(long, default_value_t = 2)]
    layers: usize,
    #[arg(long, default_value_t = 102)]
    vocab: usize,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(serde::Serialize)]
struct GenerateBench {
    batch: usize,
    cards: usize,
    chars: usize,
    median_seconds: f64,
    chars_per_second: f64,
    ms_per_card_of_130_chars: f64,
}

fn generate(a: GenerateArgs) -> Result<()> {
    use cardlm_lm::sample::{
        generate, Free, GenerateOptions, InitState, Request, SampleOptions, Sampler,
    };
    use cardlm_lm::{Model, Rng};
    if a.batch.contains(&0) || a.repeats == 0 || a.card_len < 2 {
        return Err(anyhow!(
            "--batch sizes and --repeats must be at least 1, --card-len at least 2"
        ));
    }
    let config = ModelConfig {
        hidden: a.hidden,
        layers: a.layers,
        ..ModelConfig::seed(a.vocab)
    };
    let model = Model::<f32>::new(config, 0);
    let opts = GenerateOptions {
        sampling: SampleOptions::default(),
        max_len: a.card_len,
        stop: None,
        init: InitState::Zeros,
    };
    let mut results = Vec::new();
    for &b in &a.batch {
        let mut sampler = Sampler::new(&model, b);
        // At least 4 cards at batch 1, one full batch otherwise.
        let cards = b.max(4);
        let mut times = Vec::new();
        let mut chars = 0;
        for rep in 0..=a.repeats {
            let requests: Vec<Request<Free>> = (0..cards)
                .map(|i| Request {
                    start: (a.vocab - 1) as u32,
                    rng: Rng::for_stream(rep as u64, &[i as u64]),
                    steer: Free,
                })
                .collect();
            let t = std::time::Instant::now();
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
    if a.json {
        println!("{}", serde_json::to_string_pretty(&results)?);
    } else {
        println!(
            "sampling, V={} H={} layers={}, random weights, {} chars a card, median of {}",
            a.vocab, a.hidden, a.layers, a.card_len, a.repeats
        );
        for r in &results {
            println!(
                "batch {:>3}: {:>8.0} chars/s ({} cards, {:.3} s; a 130-char card every {:.1} ms per sequence)",
                r.batch, r.chars_per_second, r.cards, r.median_seconds, r.ms_per_card_of_130_chars
            );
        }
    }
    Ok(())
}
