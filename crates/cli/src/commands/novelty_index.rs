//! `cardlm novelty-index`: writes a model directory's novelty index (its
//! training cards, for the verdicts of `generate` and `eval`) from the
//! corpus it was trained on, for models made before `train` and `ship`
//! wrote one.

use std::path::PathBuf;

use anyhow::{bail, Result};
use cardlm_app::model::{training_lines, write_novelty_index};
use cardlm_files::layout::NOVELTY_FILE;
use cardlm_lm::run::{corpus_hash, RunConfig};

#[derive(clap::Args)]
pub struct Args {
    /// The model directory to write the index into.
    #[arg(long)]
    pub model: PathBuf,
    /// The training corpus (from `cardlm prepare`); it must be the one the
    /// model's config.json records (same SHA-256).
    #[arg(long)]
    pub corpus: PathBuf,
}

pub fn run(args: Args) -> Result<()> {
    let config = RunConfig::load(&args.model)?;
    let recorded = config.corpus.as_ref().map(|c| c.sha256.clone());
    let found = corpus_hash(&args.corpus)?;
    match recorded {
        Some(sha) if sha != found => bail!(
            "{}: not the corpus the model was trained on (SHA-256 {found}, config.json records {sha}); \
             prepare it with the same input and options",
            args.corpus.display()
        ),
        None => bail!(
            "{}: config.json records no training corpus to check {} against",
            args.model.display(),
            args.corpus.display()
        ),
        Some(_) => {}
    }
    let lines = training_lines(&args.model, &config, Some(&args.corpus))?;
    write_novelty_index(&args.model, &lines)?;
    let path = args.model.join(NOVELTY_FILE);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "wrote {} ({} training cards, {:.2} MB)",
        path.display(),
        lines.len(),
        size as f64 / 1e6
    );
    Ok(())
}
