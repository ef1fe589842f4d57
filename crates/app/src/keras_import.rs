//! The seed's Keras model as a cardlm run directory: its weights (and
//! architecture JSON) through [`cardlm_lm::keras`], its pickled vocabulary
//! dicts through [`cardlm_cards::npy`], joined into a [`RunConfig`] and
//! written atomically. `cardlm import-keras` only prints what this returns.

use crate::error::{Error, Result};
use cardlm_cards::npy::{read_seed_dict, PickleValue};
use cardlm_files::write_dir_atomically;
use cardlm_lm::checkpoint::Precision;
use cardlm_lm::keras::{import_weights, seed_vocab, PLACEHOLDER};
use cardlm_lm::model::Model;
use cardlm_lm::run::{self, RunConfig, TrainOptions, CONFIG_FILE, MODEL_FILE, RUN_FORMAT};
use std::path::{Path, PathBuf};

/// The seed's files: `model.save_weights`'s `.h5`, optionally `model.to_json()`,
/// and the vocabulary dicts `c2i.npy` / `i2c.npy`.
#[derive(Clone, Debug)]
pub struct SeedFiles {
    pub weights: PathBuf,
    pub arch: Option<PathBuf>,
    pub c2i: PathBuf,
    pub i2c: PathBuf,
}

/// An imported model, checked and ready to be written.
#[derive(Clone, Debug)]
pub struct SeedImport {
    pub model: Model<f32>,
    pub config: RunConfig,
    /// The file's layers used as embedding, LSTMs, dense (and output), in order.
    pub layers: Vec<String>,
    /// Where the recurrent activation came from, for the user.
    pub activation_source: String,
}

impl SeedImport {
    /// The vocabulary lists the seed's start symbol one past the embedding's rows.
    pub fn has_start_symbol(&self) -> bool {
        self.config.vocab.len() > self.model.config.vocab_size
    }

    /// The seed's first, shadowed index of the start symbol became [`PLACEHOLDER`].
    pub fn has_placeholder(&self) -> bool {
        self.config.vocab.contains(&PLACEHOLDER.to_string())
    }
}

/// Refuses an output directory that exists and is not empty.
pub fn check_new_output(out: &Path) -> Result<()> {
    if out.exists() {
        let empty = out.is_dir()
            && std::fs::read_dir(out)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
        if !empty {
            return Err(Error::OutputExists {
                path: out.to_path_buf(),
                hint: "import into a new directory",
            });
        }
    }
    Ok(())
}

/// The seed's `c2i`: characters to indices.
fn c2i_pairs(path: &Path) -> Result<Vec<(String, i64)>> {
    read_seed_dict(path)?
        .into_iter()
        .map(|kv| match kv {
            (PickleValue::Str(c), PickleValue::Int(i)) => Ok((c, i)),
            _ => Err(cardlm_cards::Error::new(
                path,
                "not the seed's c2i (a dict of characters to indices)",
            )
            .into()),
        })
        .collect()
}

/// The seed's `i2c`: indices to characters.
fn i2c_pairs(path: &Path) -> Result<Vec<(i64, String)>> {
    read_seed_dict(path)?
        .into_iter()
        .map(|kv| match kv {
            (PickleValue::Int(i), PickleValue::Str(c)) => Ok((i, c)),
            _ => Err(cardlm_cards::Error::new(
                path,
                "not the seed's i2c (a dict of indices to characters)",
            )
            .into()),
        })
        .collect()
}

/// Reads and checks every file; writes nothing.
pub fn import_seed(files: &SeedFiles) -> Result<SeedImport> {
    let imported = import_weights(&files.weights, files.arch.as_deref())?;
    let c2i = c2i_pairs(&files.c2i)?;
    let i2c = i2c_pairs(&files.i2c)?;
    let model = imported.model;
    let vocab = seed_vocab(&c2i, &i2c, model.config.vocab_size)
        .map_err(|e| e.in_files(&files.c2i, &files.i2c))?;
    let origin = format!(
        "imported from {} (Keras {}); {}",
        files.weights.display(),
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
    Ok(SeedImport {
        model,
        config,
        layers: imported.layers,
        activation_source: imported.activation_source,
    })
}

/// Writes the run directory `out` (weights in f32 and `config.json`) into a
/// fresh directory beside it, renamed into place (an empty `out` is replaced).
pub fn write_run(import: &SeedImport, out: &Path) -> Result<()> {
    let files = vec![
        (
            MODEL_FILE.to_string(),
            run::model_bytes(&import.model, Precision::F32)?,
        ),
        (
            CONFIG_FILE.to_string(),
            import.config.to_json().into_bytes(),
        ),
    ];
    write_dir_atomically(out, &files, &[])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cardlm_lm::keras::{export_weights, write_weight_file};
    use cardlm_lm::ModelConfig;

    /// A small model's weights and the seed-style dicts of its vocabulary,
    /// written into `dir`.
    fn seed_files(dir: &Path) -> (Model<f32>, SeedFiles) {
        // Ⓢ listed twice in i2c, as in the seed: 4 rows, 5 characters.
        let lines = ["Ⓢab⒞Ⓔ".to_string()];
        for (name, bytes) in cardlm_cards::npy::seed_npy_files(&lines) {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
        let c2i = dir.join(cardlm_cards::npy::C2I_FILE);
        let i2c = dir.join(cardlm_cards::npy::I2C_FILE);
        let rows = c2i_pairs(&c2i).unwrap().len();
        let model = Model::<f32>::new(
            ModelConfig {
                hidden: 3,
                ..ModelConfig::seed(rows)
            },
            1,
        );
        let weights = dir.join("w.h5");
        std::fs::write(
            &weights,
            write_weight_file(&export_weights(&model)).unwrap(),
        )
        .unwrap();
        (
            model,
            SeedFiles {
                weights,
                arch: None,
                c2i,
                i2c,
            },
        )
    }

    #[test]
    fn an_import_is_checked_then_written_as_a_run() {
        let dir = tempfile::tempdir().unwrap();
        let (model, files) = seed_files(dir.path());
        let import = import_seed(&files).unwrap();
        assert_eq!(import.model.params, model.params);
        assert!(import.config.origin.as_deref().unwrap().contains("w.h5"));
        let out = dir.path().join("run");
        check_new_output(&out).unwrap();
        write_run(&import, &out).unwrap();
        let back = cardlm_lm::run::load_run(&out).unwrap();
        assert_eq!(back.model.params, model.params);
        assert_eq!(back.config.vocab, import.config.vocab);
        let err = check_new_output(&out).unwrap_err().to_string();
        assert!(err.contains("already exists"), "{err}");
    }

    #[test]
    fn swapped_dicts_are_refused_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let (_, files) = seed_files(dir.path());
        let swapped = SeedFiles {
            c2i: files.i2c.clone(),
            i2c: files.c2i.clone(),
            ..files
        };
        let err = import_seed(&swapped).unwrap_err().to_string();
        assert!(err.starts_with(&swapped.c2i.display().to_string()), "{err}");
        assert!(err.contains("not the seed's c2i"), "{err}");
    }
}
