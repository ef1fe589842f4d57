//! Importing the seed's Keras weights (and writing them back).
//!
//! The seed notebook saved `model.save_weights('weights_tiedfinal.h5')`, its
//! architecture `model.to_json()`, and the vocabulary as pickled dicts
//! `c2i.npy` / `i2c.npy`. [`import_weights`] turns the first two into a
//! [`Model`]; [`seed_vocab`] turns the dicts into cardlm's index → character
//! list; [`export_weights`] writes a model as a file that Keras's
//! `model.load_weights` reads into the seed's network.
//!
//! Which layer is which: the layers with weights are taken in the model's
//! order: the architecture JSON's layer list when it names the file's
//! layers, else the file's `layer_names` attribute (which is the model's
//! order too). So the seed's names (`lm_emb`, `lm_lstm1`, `lm_lstm2`,
//! `lm_dns_1`) and Keras's automatic ones (`embedding_1`, `lstm_1`, ...) both
//! work. The expected sequence is: one embedding (`embeddings`), one or more
//! LSTMs (`kernel`, `recurrent_kernel`, `bias`), a dense relu layer
//! (`kernel`, `bias`, `H x H`) and, for an untied model only, a dense output
//! layer (`H x V`). Weights are matched by their own name, whatever their
//! scope (`lm_lstm1/kernel:0` in Keras 2.0-2.2, `lm_lstm1/lstm_cell/kernel:0`
//! in tf.keras). Keras's tensor layouts are cardlm's (see [`crate::params`]):
//! nothing is transposed.
//!
//! The recurrent activation comes from the JSON. Without it, from the file's
//! `cardlm_recurrent_activation` attribute (files written by `export-keras`, so that
//! a model comes back as it left), else from its `keras_version`: `hard_sigmoid` for
//! Keras before 2.3 (its default), `sigmoid` otherwise, and `sigmoid` when the file
//! has no version.

//! The import runs in four steps, one file each: [`order`] (the layers with
//! weights in the model's order, paired with the JSON's), [`roles`] (which is
//! the embedding, the LSTMs, the dense and output layers), [`validate`]
//! (shapes, the JSON's sizes and activations) and [`assemble`] (the
//! parameter block).

mod assemble;
mod export;
mod h5;
mod order;
mod roles;
mod seed_vocab;
mod validate;

pub use export::{export_weights, SEED_LAYERS};
pub use h5::{
    looks_like_hdf5, read_weight_file, write_weight_file, Layer, Weight, WeightFile,
    ACTIVATION_ATTR,
};
pub use seed_vocab::{seed_vocab, SeedVocabError, VocabFile, PLACEHOLDER};

use crate::config::{ModelConfig, RecurrentActivation};
use crate::error::{LmError, Result};
use crate::model::Model;
use order::Arch;
use serde_json::Value;
use std::path::Path;

/// A Keras model turned into a cardlm model.
#[derive(Clone, Debug)]
pub struct KerasImport {
    pub model: Model<f32>,
    /// The file's layers used as embedding, LSTMs, dense (and output), in order.
    pub layers: Vec<String>,
    pub keras_version: Option<String>,
    /// Where the recurrent activation came from, for the user.
    pub activation_source: String,
}

/// Reads a Keras weights file and, optionally, its architecture JSON.
/// Errors are one line and name the file at fault.
pub fn import_weights(weights: &Path, arch: Option<&Path>) -> Result<KerasImport> {
    let bytes = std::fs::read(weights).map_err(|e| LmError::io(weights, e))?;
    let arch_json = match arch {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| LmError::io(p, e))?;
            let json = serde_json::from_str::<Value>(&text)
                .map_err(|e| LmError::corrupt(p, format!("not JSON ({e})")))?;
            Some((p, json))
        }
        None => None,
    };
    let file = read_weight_file(bytes).map_err(|e| e.in_file(weights))?;
    import_weight_file(
        &file,
        arch_json.as_ref().map(|(p, v)| (*p, v)),
        &weights.display().to_string(),
    )
}

/// [`import_weights`] on a file already read. `weights_name` names the
/// weights file in messages.
pub fn import_weight_file(
    file: &WeightFile,
    arch: Option<(&Path, &Value)>,
    weights_name: &str,
) -> Result<KerasImport> {
    let arch = arch.map(|(p, json)| Arch::parse(p, json)).transpose()?;
    let ordered = order::order(file, arch.as_ref(), weights_name)?;
    let stack = roles::assign(&ordered, weights_name)?;
    if let Some(arch) = &arch {
        validate::check_classes(&ordered, arch)?;
    }
    let (v, h) = validate::sizes(&stack, weights_name)?;
    let settings = match &arch {
        Some(arch) => validate::arch_settings(&ordered, &stack, arch, (v, h), weights_name)?,
        None => validate::assumed_settings(file, weights_name)?,
    };
    let config = ModelConfig {
        vocab_size: v,
        hidden: h,
        layers: stack.lstms.len(),
        dropout: settings.dropout,
        tied: stack.output.is_none(),
        recurrent_activation: settings.activation.unwrap_or(RecurrentActivation::Sigmoid),
    };
    let model = assemble::assemble(&stack, config, weights_name)?;
    Ok(KerasImport {
        model,
        layers: ordered.layers.iter().map(|l| l.name.clone()).collect(),
        keras_version: file.keras_version.clone(),
        activation_source: settings.activation_source,
    })
}

#[cfg(test)]
mod tests {
    use super::validate::keras_before_2_3;
    use super::*;

    fn s(c: &str) -> String {
        c.to_string()
    }

    /// A seed-like vocabulary: Ⓔ, a, Ⓢ, b, then Ⓢ again.
    type Dicts = (Vec<(String, i64)>, Vec<(i64, String)>);

    fn seed_dicts() -> Dicts {
        let i2c: Vec<(i64, String)> = ["Ⓔ", "a", "Ⓢ", "b", "Ⓢ"]
            .iter()
            .enumerate()
            .map(|(i, c)| (i as i64, s(c)))
            .collect();
        let c2i = vec![(s("Ⓔ"), 0), (s("a"), 1), (s("Ⓢ"), 4), (s("b"), 3)];
        (c2i, i2c)
    }

    #[test]
    fn the_shadowed_start_symbol_becomes_the_placeholder() {
        let (c2i, i2c) = seed_dicts();
        let v = seed_vocab(&c2i, &i2c, 4).unwrap();
        assert_eq!(v, ["Ⓔ", "a", "\u{FFFD}", "b", "Ⓢ"]);
        // The start symbol is one past the embedding's last row.
        assert_eq!(v.iter().position(|c| c == "Ⓢ"), Some(4));
    }

    #[test]
    fn vocab_errors_name_the_file_at_fault() {
        let (c2i, i2c) = seed_dicts();
        let SeedVocabError { file: f, reason: m } = seed_vocab(&c2i, &i2c, 5).unwrap_err();
        assert_eq!(f, VocabFile::C2i);
        assert!(
            m.contains("has 4 characters but the weights' embedding has 5 rows"),
            "{m}"
        );
        let mut bad = c2i.clone();
        bad[2].1 = 2;
        assert_eq!(seed_vocab(&bad, &i2c, 4).unwrap_err().file, VocabFile::C2i);
        let mut gap = i2c.clone();
        gap[4].0 = 7;
        assert_eq!(seed_vocab(&c2i, &gap, 4).unwrap_err().file, VocabFile::I2c);
        let mut two = i2c.clone();
        two.push((5, s("a")));
        let c2i2 = vec![(s("Ⓔ"), 0), (s("a"), 5), (s("Ⓢ"), 4), (s("b"), 3)];
        let SeedVocabError { file: f, reason: m } = seed_vocab(&c2i2, &two, 4).unwrap_err();
        assert_eq!(f, VocabFile::I2c);
        assert!(m.contains("twice"), "{m}");
    }

    #[test]
    fn a_vocabulary_without_duplicates_is_kept_as_is() {
        let i2c = vec![(1, s("b")), (0, s("a"))];
        let c2i = vec![(s("a"), 0), (s("b"), 1)];
        assert_eq!(seed_vocab(&c2i, &i2c, 2).unwrap(), ["a", "b"]);
    }

    #[test]
    fn an_imported_vocabulary_with_a_control_character_is_refused() {
        let i2c = vec![(0, s("a")), (1, s("\n"))];
        let c2i = vec![(s("a"), 0), (s("\n"), 1)];
        let SeedVocabError {
            file,
            reason: message,
        } = seed_vocab(&c2i, &i2c, 2).unwrap_err();
        assert_eq!(file, VocabFile::I2c);
        assert!(message.contains(r#"control character "\n""#), "{message}");
        // And a run's vocabulary with one does not load either.
        assert!(crate::Vocab::new(vec!['a', '\u{1b}'])
            .unwrap_err()
            .to_string()
            .contains("control character"));
    }

    #[test]
    fn keras_versions_before_2_3_used_hard_sigmoid() {
        assert_eq!(keras_before_2_3("2.1.6"), Some(true));
        assert_eq!(keras_before_2_3("2.2.4-tf"), Some(true));
        assert_eq!(keras_before_2_3("2.3.1"), Some(false));
        assert_eq!(keras_before_2_3("2.21.0"), Some(false));
        assert_eq!(keras_before_2_3("1.2"), Some(true));
        assert_eq!(keras_before_2_3("x"), None);
    }

    #[test]
    fn exported_weights_import_to_the_same_model() {
        for tied in [true, false] {
            let cfg = ModelConfig {
                hidden: 3,
                tied,
                recurrent_activation: RecurrentActivation::HardSigmoid,
                ..ModelConfig::seed(6)
            };
            let model = Model::<f32>::new(cfg.clone(), 7);
            let bytes = write_weight_file(&export_weights(&model)).unwrap();
            let back = import_weight_file(&read_weight_file(bytes).unwrap(), None, "x.h5").unwrap();
            assert_eq!(back.model.config, cfg);
            assert_eq!(back.model.params, model.params);
        }
    }
}
