//! `cardlm ship`: a training run's model as a small directory to hand out
//! (f16 weights by default) — what `models/default` is made with.
//!
//! The directory holds `config.json`, `model.safetensors`, the novelty
//! index of the training cards (`novelty.json.xz`), and the run's
//! `metrics.jsonl` and `loss.svg` when it has them; `generate` and `eval`
//! read it as any run directory, `train --resume` continues from it with a
//! fresh Adam.

use std::path::PathBuf;

use anyhow::Result;
use cardlm_app::ship::{ship, ShipRequest};
use cardlm_lm::checkpoint::Precision;
use clap::Args as ClapArgs;

#[derive(ClapArgs)]
pub struct Args {
    /// The training run directory.
    pub run: PathBuf,
    /// The directory to write (replaced when it holds only what `ship` writes).
    #[arg(long)]
    pub out: PathBuf,
    /// Weights to ship: a checkpoint file of the run [default: the run's model.safetensors].
    #[arg(long)]
    pub weights: Option<PathBuf>,
    /// Keep f32 weights instead of f16 (twice the size).
    #[arg(long)]
    pub f32: bool,
    /// The training corpus, for the novelty index shipped with the model
    /// [default: the run's novelty index, else the corpus its config.json records].
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Training corpus path to record in config.json, relative to --out or absolute,
    /// so that `generate` finds the training cards where a rebuild puts them.
    #[arg(long)]
    pub corpus_path: Option<String>,
}

pub fn run(args: Args) -> Result<()> {
    let shipped = ship(&ShipRequest {
        run: args.run.clone(),
        out: args.out.clone(),
        weights: args.weights.clone(),
        f32: args.f32,
        corpus: args.corpus.clone(),
        corpus_path: args.corpus_path.clone(),
    })?;
    if let Some(why) = &shipped.no_novelty {
        eprintln!("note: shipped without a novelty index: {why}");
    }
    println!(
        "shipped {} as {} ({} parameters, {}, {:.1} MB; largest rounding error {:.2e})",
        shipped.weights.display(),
        args.out.display(),
        shipped.parameters,
        match shipped.precision {
            Precision::F16 => "f16",
            Precision::F32 => "f32",
        },
        shipped.weights_bytes as f64 / 1e6,
        shipped.rounding
    );
    Ok(())
}
