//! `cardlm ship`: a training run's model as a small directory to hand out
//! (f16 weights by default) — what `models/default` is made with.
//!
//! The directory holds `config.json`, `model.safetensors`, and the run's
//! `metrics.jsonl` and `loss.svg` when it has them; `generate` and `eval`
//! read it as any run directory, `train --resume` continues from it with a
//! fresh Adam.

use std::fs;
use std::path::PathBuf;

use anyhow::{anyhow, bail, Context, Result};
use cardlm_files::write_dir_atomically;
use cardlm_lm::checkpoint::{f16_rounding, load_block, Precision};
use cardlm_lm::model::Model;
use cardlm_lm::params::ParamLayout;
use cardlm_lm::run::{
    model_bytes, RunConfig, CONFIG_FILE, LOSS_PLOT_FILE, METRICS_FILE, MODEL_FILE,
};
use clap::Args as ClapArgs;

/// Files `ship` writes; a directory holding only these (and the evaluation
/// files the rebuild script adds) may be replaced.
const SHIPPED_FILES: &[&str] = &[
    CONFIG_FILE,
    MODEL_FILE,
    METRICS_FILE,
    LOSS_PLOT_FILE,
    "eval.json",
    "eval.txt",
];

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
    /// Training corpus path to record in config.json, relative to --out or absolute,
    /// so that `generate` finds the training cards where a rebuild puts them.
    #[arg(long)]
    pub corpus_path: Option<String>,
}

pub fn run(args: Args) -> Result<()> {
    let mut config = RunConfig::load(&args.run).map_err(|e| anyhow!(e))?;
    let weights = args
        .weights
        .clone()
        .unwrap_or_else(|| args.run.join(MODEL_FILE));
    if !weights.exists() {
        bail!("{}: no such weights file", weights.display());
    }
    let layout = ParamLayout::new(&config.model);
    let params = load_block(&weights, &layout, "").map_err(|e| anyhow!(e))?;
    if let Some(bad) = params.iter().position(|x| !x.is_finite()) {
        bail!(
            "{}: weight {bad} is not finite; refusing to ship it",
            weights.display()
        );
    }
    let (precision, rounding) = if args.f32 {
        (Precision::F32, 0.0)
    } else {
        let rounding = f16_rounding(&params)
            .map_err(|e| anyhow!("{}: {e}; ship with --f32", weights.display()))?;
        (Precision::F16, rounding)
    };
    let model = Model::from_params(config.model.clone(), params).map_err(|e| anyhow!(e))?;
    if let (Some(path), Some(corpus)) = (&args.corpus_path, config.corpus.as_mut()) {
        corpus.path = path.clone();
    }

    let mut files = vec![
        (CONFIG_FILE.to_string(), config.to_json().into_bytes()),
        (
            MODEL_FILE.to_string(),
            model_bytes(&model, precision).map_err(|e| anyhow!(e))?,
        ),
    ];
    for file in [METRICS_FILE, LOSS_PLOT_FILE] {
        let from = args.run.join(file);
        if from.exists() {
            let bytes = fs::read(&from).with_context(|| format!("{}", from.display()))?;
            files.push((file.to_string(), bytes));
        }
    }
    let size = files[1].1.len();
    write_dir_atomically(&args.out, &files, SHIPPED_FILES)?;

    println!(
        "shipped {} as {} ({} parameters, {}, {:.1} MB; largest rounding error {rounding:.2e})",
        weights.display(),
        args.out.display(),
        model.layout.total,
        match precision {
            Precision::F16 => "f16",
            Precision::F32 => "f32",
        },
        size as f64 / 1e6
    );
    Ok(())
}
