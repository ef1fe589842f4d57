//! `cardlm ship`: a training run's model as a small directory to hand out
//! (f16 weights by default) — what `models/default` is made with.
//!
//! The directory holds `config.json`, `model.safetensors`, the novelty
//! index of the training cards (`novelty.json.xz`), and the run's
//! `metrics.jsonl` and `loss.svg` when it has them; `generate` and `eval`
//! read it as any run directory, `train --resume` continues from it with a
//! fresh Adam.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use cardlm_app::model::training_lines;
use cardlm_cards::novelty_file::novelty_file_bytes;
use cardlm_files::layout::NOVELTY_FILE;
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
    NOVELTY_FILE,
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
    let mut config = RunConfig::load(&args.run)?;
    let weights = args
        .weights
        .clone()
        .unwrap_or_else(|| args.run.join(MODEL_FILE));
    if !weights.exists() {
        bail!("{}: no such weights file", weights.display());
    }
    let layout = ParamLayout::new(&config.model);
    let params = load_block(&weights, &layout, "")?;
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
    let model = Model::from_params(config.model.clone(), params)?;
    // The training cards, for the novelty verdicts wherever the model goes
    // (read before config.json's corpus path is rewritten for --out).
    let novelty = match training_lines(&args.run, &config, args.corpus.as_deref()) {
        Ok(lines) => Some(lines),
        Err(e) if args.corpus.is_some() => bail!("--corpus: {e}"),
        Err(e) => {
            eprintln!("note: shipped without a novelty index: {e}");
            None
        }
    };
    if let (Some(path), Some(corpus)) = (&args.corpus_path, config.corpus.as_mut()) {
        corpus.path = path.clone();
    }

    // The epochs the shipped weights were trained for: a checkpoint's from its
    // name (`weights.0004-0.8181.safetensors`), else the run's log.
    let trained = match &args.weights {
        Some(w) => checkpoint_epoch(w),
        None => epochs_in_log(&args.run.join(METRICS_FILE)).or(config.epochs_trained),
    };
    if let Some(epochs) = trained {
        config.epochs_trained = Some(epochs);
        // A shipped model is not resumed: its `epochs` says what it was trained for.
        config.training.epochs = epochs;
    }

    let mut files = vec![
        (CONFIG_FILE.to_string(), config.to_json().into_bytes()),
        (MODEL_FILE.to_string(), model_bytes(&model, precision)?),
    ];
    for file in [METRICS_FILE, LOSS_PLOT_FILE] {
        let from = args.run.join(file);
        if from.exists() {
            let bytes = fs::read(&from).with_context(|| format!("{}", from.display()))?;
            files.push((file.to_string(), bytes));
        }
    }
    if let Some(lines) = &novelty {
        files.push((NOVELTY_FILE.to_string(), novelty_file_bytes(lines)));
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

/// The epoch in a checkpoint's name, `weights.{epoch:04}-{loss}.safetensors`.
fn checkpoint_epoch(path: &Path) -> Option<usize> {
    let name = path.file_name()?.to_str()?;
    let rest = name.strip_prefix("weights.")?;
    rest.split('-').next()?.parse().ok()
}

/// The last epoch in a run's `metrics.jsonl`.
fn epochs_in_log(path: &Path) -> Option<usize> {
    let text = fs::read_to_string(path).ok()?;
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("epoch")?.as_u64())
        .max()
        .map(|e| e as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epochs_from_checkpoint_names_and_logs() {
        assert_eq!(
            checkpoint_epoch(Path::new("runs/x/weights.0004-0.8181.safetensors")),
            Some(4)
        );
        assert_eq!(checkpoint_epoch(Path::new("model.safetensors")), None);
        let dir = std::env::temp_dir().join(format!("cardlm-ship-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let log = dir.join("metrics.jsonl");
        fs::write(&log, "{\"epoch\":1}\n{\"epoch\":2}\n").unwrap();
        assert_eq!(epochs_in_log(&log), Some(2));
        assert_eq!(epochs_in_log(&dir.join("none")), None);
        fs::remove_dir_all(&dir).unwrap();
    }
}
