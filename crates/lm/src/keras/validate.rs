//! Step 3 of an import, validation: the layers' classes against the
//! architecture JSON, every tensor's shape against the embedding's, and the
//! JSON's own sizes and activations; what the JSON (or the file's Keras
//! version) says of the recurrent activation and dropout.

use super::h5::{Layer, WeightFile, ACTIVATION_ATTR};
use super::order::{Arch, ArchLayer, Ordered};
use super::roles::{role_of, weight, Stack};
use crate::config::RecurrentActivation;
use crate::error::{LmError, Result};
use serde_json::Value;

/// Each layer's class in the JSON must be the one its weights say it is.
pub(super) fn check_classes(ordered: &Ordered, arch: &Arch) -> Result<()> {
    for (l, a) in ordered.layers.iter().zip(&ordered.arch) {
        let a = a.expect("paired by order()");
        let want = role_of(l).expect("assigned a role").keras_class();
        if a.class != want {
            return Err(LmError::corrupt(
                arch.path,
                format!(
                    "layer {} is a {}, but the weights of {} are those of a {want}",
                    a.name, a.class, l.name
                ),
            ));
        }
    }
    Ok(())
}

fn check_shape(
    weights_name: &str,
    layer: &Layer,
    base: &str,
    want: &[usize],
    why: &str,
) -> Result<()> {
    let w = weight(layer, base);
    if w.shape != want {
        return Err(LmError::UnexpectedShape {
            path: Some(weights_name.into()),
            tensor: format!("layer {}: {}", layer.name, w.name),
            expected: want.to_vec(),
            got: w.shape.clone(),
            why: why.to_string(),
        });
    }
    Ok(())
}

/// The vocabulary size `V` and hidden size `H` from the embedding (`V x H`),
/// after checking every other tensor against them.
pub(super) fn sizes(stack: &Stack, weights_name: &str) -> Result<(usize, usize)> {
    let emb = weight(stack.embedding, "embeddings");
    if emb.shape.len() != 2 || emb.shape[0] < 2 || emb.shape[1] == 0 {
        return Err(LmError::corrupt(
            weights_name,
            format!(
                "layer {}: embedding of shape {:?}",
                stack.embedding.name, emb.shape
            ),
        ));
    }
    let (v, h) = (emb.shape[0], emb.shape[1]);
    let why = format!("hidden size {h} from the embedding {:?}", emb.shape);
    for l in &stack.lstms {
        check_shape(weights_name, l, "kernel", &[h, 4 * h], &why)?;
        check_shape(weights_name, l, "recurrent_kernel", &[h, 4 * h], &why)?;
        check_shape(weights_name, l, "bias", &[4 * h], &why)?;
    }
    check_shape(weights_name, stack.dense, "kernel", &[h, h], &why)?;
    check_shape(weights_name, stack.dense, "bias", &[h], &why)?;
    if let Some(o) = stack.output {
        let why = format!("{why} and {v} characters");
        check_shape(weights_name, o, "kernel", &[h, v], &why)?;
        check_shape(weights_name, o, "bias", &[v], &why)?;
    }
    Ok((v, h))
}

/// What an import takes from the architecture (or assumes without one).
pub(super) struct Settings {
    /// `None`: Keras's current default (sigmoid).
    pub activation: Option<RecurrentActivation>,
    pub dropout: f32,
    /// Where the recurrent activation came from, for the user.
    pub activation_source: String,
}

/// The JSON's sizes must be the weights' (`V` characters, `H` units), its
/// activations the seed's (tanh LSTMs with one recurrent activation, a relu
/// dense layer); its dropout rate is kept.
pub(super) fn arch_settings(
    ordered: &Ordered,
    stack: &Stack,
    arch: &Arch,
    (v, h): (usize, usize),
    weights_name: &str,
) -> Result<Settings> {
    let an = arch.path;
    let num = |a: &ArchLayer, key: &str| a.config.get(key).and_then(Value::as_u64);
    let text = |a: &ArchLayer, key: &str| {
        a.config
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let dense_index = 1 + stack.lstms.len();
    let mut activation = None;
    for (i, (l, a)) in ordered.layers.iter().zip(&ordered.arch).enumerate() {
        let a = a.expect("paired by order()");
        let mismatch = |what: &str, arch: u64, weights: usize| {
            LmError::corrupt(
                an,
                format!(
                    "layer {} has {what} {arch}, but the weights in {weights_name} ({}) have {weights}",
                    a.name, l.name
                ),
            )
        };
        match a.class.as_str() {
            "Embedding" => {
                if let Some(n) = num(a, "input_dim").filter(|&n| n as usize != v) {
                    return Err(mismatch("input_dim", n, v));
                }
                if let Some(n) = num(a, "output_dim").filter(|&n| n as usize != h) {
                    return Err(mismatch("output_dim", n, h));
                }
            }
            "LSTM" => {
                if let Some(n) = num(a, "units").filter(|&n| n as usize != h) {
                    return Err(mismatch("units", n, h));
                }
                let act = text(a, "activation").unwrap_or_else(|| "tanh".into());
                if act != "tanh" {
                    return Err(LmError::corrupt(
                        an,
                        format!(
                            "layer {}: activation {act:?} is not supported (only tanh)",
                            a.name
                        ),
                    ));
                }
                let rec = text(a, "recurrent_activation").unwrap_or_else(|| "hard_sigmoid".into());
                let rec: RecurrentActivation = rec
                    .parse()
                    .map_err(|e| LmError::corrupt(an, format!("layer {}: {e}", a.name)))?;
                if activation.is_some_and(|x| x != rec) {
                    return Err(LmError::corrupt(
                        an,
                        "the LSTM layers have different recurrent activations",
                    ));
                }
                activation = Some(rec);
            }
            _ => {
                let want = if i == dense_index { h } else { v };
                if let Some(n) = num(a, "units").filter(|&n| n as usize != want) {
                    return Err(mismatch("units", n, want));
                }
                if i == dense_index {
                    let act = text(a, "activation").unwrap_or_default();
                    if act != "relu" {
                        return Err(LmError::corrupt(
                            an,
                            format!(
                                "layer {}: activation {act:?} is not supported (the seed's dense layer is relu)",
                                a.name
                            ),
                        ));
                    }
                }
            }
        }
    }
    let dropout = arch
        .layers
        .iter()
        .find(|a| a.class == "Dropout")
        .and_then(|a| a.config.get("rate").and_then(Value::as_f64))
        .map_or(0.5, |d| d as f32);
    Ok(Settings {
        activation,
        dropout,
        activation_source: format!("recurrent activation from {}", an.display()),
    })
}

/// Without a JSON: the recurrent activation of the file's Keras version.
pub(super) fn assumed_settings(file: &WeightFile, weights_name: &str) -> Result<Settings> {
    let (activation, activation_source) = match (&file.recurrent_activation, file.keras_version.as_deref()) {
        // Written by `export-keras`: the model comes back as it left.
        (Some(written), _) => {
            let rec: RecurrentActivation = written.parse().map_err(|e: LmError| {
                LmError::corrupt(weights_name, format!("{ACTIVATION_ATTR}: {e}"))
            })?;
            (
                Some(rec),
                format!("recurrent activation {written} from the weights file ({ACTIVATION_ATTR}, written by cardlm export-keras)"),
            )
        }
        (None, Some(ver)) if keras_before_2_3(ver) == Some(true) => (
            Some(RecurrentActivation::HardSigmoid),
            format!("no architecture JSON: assumed hard_sigmoid, the default of Keras {ver} (keras_version in the weights file)"),
        ),
        (None, Some(ver)) => (None, format!("no architecture JSON: assumed sigmoid, the default of Keras {ver} (keras_version in the weights file)")),
        (None, None) => (None, "no architecture JSON and no keras_version in the weights file: assumed sigmoid (tf.keras's default; Keras 2.0-2.2 used hard_sigmoid: pass --arch)".into()),
    };
    Ok(Settings {
        activation,
        dropout: 0.5,
        activation_source,
    })
}

/// Keras versions before 2.3 defaulted to `hard_sigmoid`.
pub(super) fn keras_before_2_3(version: &str) -> Option<bool> {
    let mut it = version.split('.').map(|p| {
        p.chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse::<u32>()
    });
    let major = it.next()?.ok()?;
    let minor = it.next().and_then(std::result::Result::ok).unwrap_or(0);
    Some(major < 2 || (major == 2 && minor < 3))
}
