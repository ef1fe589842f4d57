//! `cardlm import-keras`: the seed's Keras weights and vocabulary into a run
//! directory that `generate`, `eval` and `train --resume` read.

use anyhow::{anyhow, bail, Result};
use cardlm_cards::npy::{read_seed_dict, PickleValue};
use cardlm_files::write_dir_atomically;
use cardlm_lm::checkpoint::Precision;
use cardlm_lm::keras::{import_weights, seed_vocab, VocabFile};
use cardlm_lm::run::{self, RunConfig, TrainOptions, CONFIG_FILE, MODEL_FILE, RUN_FORMAT};
use clap::Args as ClapArgs;
use std::path::{Path, PathBuf};

#[derive(ClapArgs)]
pub struct Args {
    /// Weights saved by the seed's `model.save_weights` (e.g. model/weights_tiedfinal.h5).
    #[arg(long)]
    pub weights: PathBuf,
    /// The architecture from `model.to_json()` (e.g. model/weights_tiedfinal.json):
    /// the recurrent activation and layer order. Without it the activation is
    /// assumed from the file's keras_version (hard_sigmoid before Keras 2.3).
    #[arg(long)]
    pub arch: Option<PathBuf>,
    /// The seed's data/c2i.npy.
    #[arg(long)]
    pub c2i: PathBuf,
    /// The seed's data/i2c.npy.
    #[arg(long)]
    pub i2c: PathBuf,
    /// The run directory to create (must not exist, or be empty).
    #[arg(long)]
    pub out: PathBuf,
}

fn c2i_pairs(path: &Path) -> Result<Vec<(String, i64)>> {
    read_seed_dict(path)?
        .into_iter()
        .map(|kv| match kv {
            (PickleValue::Str(c), PickleValue::Int(i)) => Ok((c, i)),
            _ => Err(anyhow!(
                "{}: not the seed's c2i (a dict of characters to indices)",
                path.display()
            )),
        })
        .collect()
}

fn i2c_pairs(path: &Path) -> Result<Vec<(i64, String)>> {
    read_seed_dict(path)?
        .into_iter()
        .map(|kv| match kv {
            (PickleValue::Int(i), PickleValue::Str(c)) => Ok((i, c)),
            _ => Err(anyhow!(
                "{}: not the seed's i2c (a dict of indices to characters)",
                path.display()
            )),
        })
        .collect()
}

pub fn run(args: Args) -> Result<()> {
    let out = &args.out;
    if out.exists() {
        let empty = out.is_dir() && std::fs::read_dir(out)?.next().is_none();
        if !empty {
            bail!(
                "{}: already exists; import into a new directory",
                out.display()
            );
        }
    }
    // Read and check everything before writing anything.
    let imported = import_weights(&args.weights, args.arch.as_deref()).map_err(|e| anyhow!(e))?;
    let c2i = c2i_pairs(&args.c2i)?;
    let i2c = i2c_pairs(&args.i2c)?;
    let model = imported.model;
    let vocab = seed_vocab(&c2i, &i2c, model.config.vocab_size).map_err(|(file, m)| {
        let path = match file {
            VocabFile::C2i => &args.c2i,
            VocabFile::I2c => &args.i2c,
        };
        anyhow!("{}: {m}", path.display())
    })?;
    let origin = format!(
        "imported from {} (Keras {}); {}",
        args.weights.display(),
        imported
            .keras_version
            .as_deref()
            .unwrap_or("version unknown"),
        imported.activation_source
    );
    let config = RunConfig {
        format: RUN_FORMAT.to_string(),
        model: model.config.clone(),
        vocab,
        training: TrainOptions::default(),
        corpus: None,
        origin: Some(origin),
        epochs_trained: None,
    };

    // Written into a fresh directory beside the target, then renamed into
    // place (an empty target directory is replaced).
    let files = vec![
        (
            MODEL_FILE.to_string(),
            run::model_bytes(&model, Precision::F32).map_err(|e| anyhow!(e))?,
        ),
        (CONFIG_FILE.to_string(), config.to_json().into_bytes()),
    ];
    write_dir_atomically(out, &files, &[])?;

    let cfg = &model.config;
    let start = config.vocab.len() > cfg.vocab_size;
    println!(
        "imported {} into {}: {} characters{}, hidden size {}, {} LSTM layer(s), {} output",
        args.weights.display(),
        out.display(),
        cfg.vocab_size,
        if start {
            " + the start symbol (one past the embedding, embedded as zeros as on the seed's GPU)"
        } else {
            ""
        },
        cfg.hidden,
        cfg.layers,
        if cfg.tied { "tied" } else { "untied" },
    );
    println!(
        "recurrent activation: {} ({})",
        cfg.recurrent_activation, imported.activation_source
    );
    println!("layers: {}", imported.layers.join(", "));
    if start && config.vocab.contains(&"\u{FFFD}".to_string()) {
        println!(
            "the seed's first, shadowed index of the start symbol is listed as U+FFFD (no character maps to it)"
        );
    }
    println!(
        "continue training with: cardlm train --resume --corpus CORPUS --out {} (Adam starts fresh: the seed saved no optimizer state)",
        out.display()
    );
    Ok(())
}
