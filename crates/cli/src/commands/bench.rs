//! `cardlm bench`: throughput figures anyone can rerun.

use anyhow::Result;
use cardlm_lm::batch_schedule::Batching;
use cardlm_lm::bench::{
    bench_corpus, bench_generate, bench_train, check_generate_options, check_train_options,
};
use cardlm_lm::kernels::cpu::{self, Precision};
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
    /// Load on `cardlm serve` over loopback: chars/s, latency, errors, memory.
    Serve(super::bench_serve::Args),
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
    /// Precision of the matrix products: f32, or bf16 with f32 sums (needs
    /// AVX512_BF16) [default: as `train`'s, bf16 where the processor has
    /// AVX512_BF16, else f32].
    #[arg(long)]
    precision: Option<Precision>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<()> {
    match args.what {
        What::Train(a) => train(a),
        What::Generate(a) => generate(a),
        What::Serve(a) => super::bench_serve::run(a),
    }
}

fn train(a: TrainArgs) -> Result<()> {
    let (corpus, vocab, source) = bench_corpus(a.corpus.as_deref(), a.max_len)?;
    let config = ModelConfig {
        hidden: a.hidden,
        layers: a.layers,
        ..ModelConfig::seed(vocab)
    };
    // The same checks as training, before anything is sized from the options.
    check_train_options(&config, a.batch_size, a.batches, a.threads, a.max_len)?;
    cpu::set_precision(a.precision.unwrap_or_else(cpu::default_precision))?;
    rayon::ThreadPoolBuilder::new()
        .num_threads(a.threads)
        .build_global()
        .ok();
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
        println!("{}", r.kernels);
        println!(
            "corpus: {source}; V={vocab} H={} layers={} batch {} ({:?}), {} workers, recurrent steps split by {}",
            a.hidden, a.layers, a.batch_size, a.batching, r.workers, r.recurrent_split
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
        if a.corpus.is_some() {
            println!(
                "this corpus's epoch:   {:.2} min projected ({} characters)",
                r.projected_corpus_epoch_minutes, r.corpus_epoch_chars
            );
        }
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
    /// Precision of the matrix products: f32, or bf16 with f32 sums (needs AVX512_BF16).
    #[arg(long, default_value = "f32")]
    precision: Precision,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

fn generate(a: GenerateArgs) -> Result<()> {
    let config = ModelConfig {
        hidden: a.hidden,
        layers: a.layers,
        ..ModelConfig::seed(a.vocab)
    };
    check_generate_options(&config, &a.batch, a.card_len, a.repeats)?;
    cpu::set_precision(a.precision)?;
    if !a.json {
        println!("{}", cpu::describe());
    }
    let results = bench_generate(&config, &a.batch, a.card_len, a.repeats);
    if a.json {
        println!("{}", serde_json::to_string_pretty(&results)?);
    } else {
        println!("{}", cpu::describe());
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
