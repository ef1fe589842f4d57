//! `cardlm import-keras`: the seed's Keras weights and vocabulary into a run
//! directory that `generate`, `eval` and `train --resume` read.

use anyhow::Result;
use cardlm_app::keras_import::{self, SeedFiles};
use clap::Args as ClapArgs;
use std::path::PathBuf;

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

pub fn run(args: Args) -> Result<()> {
    let out = &args.out;
    keras_import::check_new_output(out)?;
    // Read and check everything before writing anything.
    let import = keras_import::import_seed(&SeedFiles {
        weights: args.weights.clone(),
        arch: args.arch.clone(),
        c2i: args.c2i.clone(),
        i2c: args.i2c.clone(),
    })?;
    keras_import::write_run(&import, out)?;

    let cfg = &import.model.config;
    let start = import.has_start_symbol();
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
        cfg.recurrent_activation, import.activation_source
    );
    println!("layers: {}", import.layers.join(", "));
    if start && import.has_placeholder() {
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
