//! `cardlm export-keras`: a run's weights as a Keras weights file that the
//! seed notebook's `model.load_weights` reads.

use anyhow::{anyhow, Result};
use cardlm_files::write_file_atomically;
use cardlm_lm::keras::{export_weights, write_weight_file};
use cardlm_lm::run::load_run;
use clap::Args as ClapArgs;
use std::path::PathBuf;

#[derive(ClapArgs)]
pub struct Args {
    /// The run directory (config.json and model.safetensors).
    pub run: PathBuf,
    /// The .h5 file to write (replaced if it exists).
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(args: Args) -> Result<()> {
    let loaded = load_run(&args.run).map_err(|e| anyhow!(e))?;
    let file = export_weights(&loaded.model);
    let bytes = write_weight_file(&file).map_err(|e| anyhow!("{}: {e}", args.out.display()))?;
    write_file_atomically(&args.out, &bytes)?;
    let cfg = &loaded.model.config;
    let layers: Vec<&str> = file.layers.iter().map(|l| l.name.as_str()).collect();
    println!(
        "wrote {} ({}; hidden size {}, {} characters)",
        args.out.display(),
        layers.join(", "),
        cfg.hidden,
        cfg.vocab_size
    );
    let act = cfg.recurrent_activation;
    println!(
        "build the Keras model with LSTM(..., recurrent_activation='{act}') (Keras 2.0-2.2 default to hard_sigmoid, later versions to sigmoid) and VOCAB_SIZE = {}, HIDDEN_SIZE = {}, then model.load_weights",
        cfg.vocab_size, cfg.hidden
    );
    if !cfg.tied {
        println!(
            "the model is untied: its output layer is lm_dns_final, a Dense(VOCAB_SIZE) in place of the seed's weight tying"
        );
    }
    Ok(())
}
