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

mod h5;

pub use h5::{
    looks_like_hdf5, read_weight_file, write_weight_file, Layer, Weight, WeightFile,
    ACTIVATION_ATTR,
};

use crate::config::{ModelConfig, RecurrentActivation};
use crate::model::Model;
use crate::params::ParamLayout;
use serde_json::Value;
use std::path::Path;

/// The character cardlm gives to an index of i2c that c2i no longer maps to
/// (the seed's first `Ⓢ`, shadowed by the one appended last). It never occurs
/// in cards; generating it means the model chose that row.
pub const PLACEHOLDER: char = '\u{FFFD}';

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

/// The role of one layer with weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Embedding,
    Lstm,
    Dense,
}

/// What the architecture JSON says about one layer.
#[derive(Clone, Debug)]
struct ArchLayer {
    name: String,
    class: String,
    config: Value,
}

fn arch_layers(json: &Value) -> Result<Vec<ArchLayer>, String> {
    let layers = json
        .pointer("/config/layers")
        .and_then(Value::as_array)
        .ok_or("not a Keras model JSON (no config.layers)")?;
    layers
        .iter()
        .map(|l| {
            let class = l
                .get("class_name")
                .and_then(Value::as_str)
                .ok_or("a layer without class_name")?;
            let config = l.get("config").cloned().unwrap_or(Value::Null);
            let name = l
                .get("name")
                .or_else(|| config.get("name"))
                .and_then(Value::as_str)
                .ok_or("a layer without a name")?;
            Ok(ArchLayer {
                name: name.to_string(),
                class: class.to_string(),
                config,
            })
        })
        .collect()
}

fn role_of(layer: &Layer) -> Option<Role> {
    let mut names: Vec<&str> = layer.weights.iter().map(Weight::base_name).collect();
    names.sort_unstable();
    match names.as_slice() {
        ["embeddings"] => Some(Role::Embedding),
        ["bias", "kernel", "recurrent_kernel"] => Some(Role::Lstm),
        ["bias", "kernel"] => Some(Role::Dense),
        _ => None,
    }
}

fn weight<'a>(layer: &'a Layer, base: &str) -> &'a Weight {
    layer
        .weights
        .iter()
        .find(|w| w.base_name() == base)
        .expect("role_of checked the weight names")
}

fn check_shape(
    file: &str,
    layer: &Layer,
    base: &str,
    want: &[usize],
    why: &str,
) -> Result<(), String> {
    let w = weight(layer, base);
    if w.shape != want {
        return Err(format!(
            "{file}: layer {}: {} has shape {:?}, expected {want:?} ({why})",
            layer.name, w.name, w.shape
        ));
    }
    Ok(())
}

/// Keras versions before 2.3 defaulted to `hard_sigmoid`.
fn keras_before_2_3(version: &str) -> Option<bool> {
    let mut it = version.split('.').map(|p| {
        p.chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse::<u32>()
    });
    let major = it.next()?.ok()?;
    let minor = it.next().and_then(Result::ok).unwrap_or(0);
    Some(major < 2 || (major == 2 && minor < 3))
}

/// Reads a Keras weights file and, optionally, its architecture JSON.
/// Errors are one line and name the file at fault.
pub fn import_weights(weights: &Path, arch: Option<&Path>) -> Result<KerasImport, String> {
    let bytes = std::fs::read(weights).map_err(|e| format!("{}: {e}", weights.display()))?;
    let arch_text = match arch {
        Some(p) => Some((
            p,
            std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?,
        )),
        None => None,
    };
    let file = read_weight_file(bytes).map_err(|e| format!("{}: {e}", weights.display()))?;
    let arch_json = match &arch_text {
        Some((p, text)) => Some((
            *p,
            serde_json::from_str::<Value>(text)
                .map_err(|e| format!("{}: not JSON ({e})", p.display()))?,
        )),
        None => None,
    };
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
) -> Result<KerasImport, String> {
    let werr = |m: String| format!("{weights_name}: {m}");
    let arch_layers = match arch {
        Some((p, json)) => Some(arch_layers(json).map_err(|e| format!("{}: {e}", p.display()))?),
        None => None,
    };
    let arch_name = arch.map(|(p, _)| p.display().to_string());

    // The layers with weights, in the model's order.
    let mut weighted: Vec<&Layer> = file
        .layers
        .iter()
        .filter(|l| !l.weights.is_empty())
        .collect();
    let mut arch_for: Vec<Option<&ArchLayer>> = vec![None; weighted.len()];
    if let Some(al) = &arch_layers {
        let with_weights: Vec<&ArchLayer> = al
            .iter()
            .filter(|a| matches!(a.class.as_str(), "Embedding" | "LSTM" | "Dense"))
            .collect();
        let list = |names: Vec<&str>| names.join(", ");
        if with_weights.len() != weighted.len() {
            return Err(format!(
                "{weights_name}: {} layers with weights ({}), but {} describes {} ({})",
                weighted.len(),
                list(weighted.iter().map(|l| l.name.as_str()).collect()),
                arch_name.as_deref().unwrap_or("the architecture"),
                with_weights.len(),
                list(with_weights.iter().map(|a| a.name.as_str()).collect()),
            ));
        }
        if with_weights
            .iter()
            .all(|a| weighted.iter().any(|l| l.name == a.name))
        {
            // The JSON names the file's layers: its order.
            weighted = with_weights
                .iter()
                .map(|a| *weighted.iter().find(|l| l.name == a.name).unwrap())
                .collect();
        }
        // Otherwise the names differ: pair by position (both are in the
        // model's order).
        arch_for = with_weights.into_iter().map(Some).collect();
    }

    let roles: Vec<Role> = weighted
        .iter()
        .map(|l| {
            role_of(l).ok_or_else(|| {
                werr(format!(
                    "layer {} has weights {} : not an embedding, LSTM or dense layer",
                    l.name,
                    l.weights
                        .iter()
                        .map(|w| w.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    let n_lstm = roles.iter().filter(|&&r| r == Role::Lstm).count();
    // Checked: a file of LSTMs only (or of nothing) has no embedding to subtract
    // (found by fuzzing: an overflow panic in debug builds).
    let n_dense = roles.len().saturating_sub(n_lstm + 1);
    let shape_ok = roles.first() == Some(&Role::Embedding)
        && n_lstm >= 1
        && roles[1..=n_lstm].iter().all(|&r| r == Role::Lstm)
        && (n_dense == 1 || n_dense == 2)
        && roles[1 + n_lstm..].iter().all(|&r| r == Role::Dense);
    if !shape_ok {
        let found = weighted
            .iter()
            .zip(&roles)
            .map(|(l, r)| format!("{} ({r:?})", l.name))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(werr(format!(
            "expected the seed's layers (an embedding, LSTMs, a dense layer), found {}",
            if found.is_empty() {
                "no layers with weights".to_string()
            } else {
                found
            }
        )));
    }
    if let (Some(an), true) = (&arch_name, arch_layers.is_some()) {
        for (l, a) in weighted.iter().zip(&arch_for) {
            let a = a.expect("paired above");
            let want = match role_of(l) {
                Some(Role::Embedding) => "Embedding",
                Some(Role::Lstm) => "LSTM",
                _ => "Dense",
            };
            if a.class != want {
                return Err(format!(
                    "{an}: layer {} is a {}, but the weights of {} are those of a {want}",
                    a.name, a.class, l.name
                ));
            }
        }
    }

    // Sizes from the embedding; every other tensor must agree.
    let emb = weight(weighted[0], "embeddings");
    if emb.shape.len() != 2 || emb.shape[0] < 2 || emb.shape[1] == 0 {
        return Err(werr(format!(
            "layer {}: embedding of shape {:?}",
            weighted[0].name, emb.shape
        )));
    }
    let (v, h) = (emb.shape[0], emb.shape[1]);
    let why = format!("hidden size {h} from the embedding {:?}", emb.shape);
    for l in &weighted[1..=n_lstm] {
        check_shape(weights_name, l, "kernel", &[h, 4 * h], &why)?;
        check_shape(weights_name, l, "recurrent_kernel", &[h, 4 * h], &why)?;
        check_shape(weights_name, l, "bias", &[4 * h], &why)?;
    }
    let dense = weighted[1 + n_lstm];
    check_shape(weights_name, dense, "kernel", &[h, h], &why)?;
    check_shape(weights_name, dense, "bias", &[h], &why)?;
    let output = weighted.get(2 + n_lstm).copied();
    if let Some(o) = output {
        let why = format!("{why} and {v} characters");
        check_shape(weights_name, o, "kernel", &[h, v], &why)?;
        check_shape(weights_name, o, "bias", &[v], &why)?;
    }

    // The architecture's own sizes and activations.
    let mut activation = None;
    let mut dropout = 0.5f32;
    let activation_source;
    if let (Some(an), Some(al)) = (&arch_name, &arch_layers) {
        let num = |a: &ArchLayer, key: &str| a.config.get(key).and_then(Value::as_u64);
        let text = |a: &ArchLayer, key: &str| {
            a.config
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        for (i, (l, a)) in weighted.iter().zip(&arch_for).enumerate() {
            let a = a.expect("paired above");
            let mismatch = |what: &str, arch: u64, weights: usize| {
                format!(
                    "{an}: layer {} has {what} {arch}, but the weights in {weights_name} ({}) have {weights}",
                    a.name, l.name
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
                        return Err(format!(
                            "{an}: layer {}: activation {act:?} is not supported (only tanh)",
                            a.name
                        ));
                    }
                    let rec =
                        text(a, "recurrent_activation").unwrap_or_else(|| "hard_sigmoid".into());
                    let rec: RecurrentActivation = rec
                        .parse()
                        .map_err(|e: String| format!("{an}: layer {}: {e}", a.name))?;
                    if activation.is_some_and(|x| x != rec) {
                        return Err(format!(
                            "{an}: the LSTM layers have different recurrent activations"
                        ));
                    }
                    activation = Some(rec);
                }
                _ => {
                    let want = if i == 1 + n_lstm { h } else { v };
                    if let Some(n) = num(a, "units").filter(|&n| n as usize != want) {
                        return Err(mismatch("units", n, want));
                    }
                    if i == 1 + n_lstm {
                        let act = text(a, "activation").unwrap_or_default();
                        if act != "relu" {
                            return Err(format!(
                                "{an}: layer {}: activation {act:?} is not supported (the seed's dense layer is relu)",
                                a.name
                            ));
                        }
                    }
                }
            }
        }
        if let Some(d) = al
            .iter()
            .find(|a| a.class == "Dropout")
            .and_then(|a| a.config.get("rate").and_then(Value::as_f64))
        {
            dropout = d as f32;
        }
        activation_source = format!("recurrent activation from {an}");
    } else {
        activation_source = match (&file.recurrent_activation, file.keras_version.as_deref()) {
            (Some(written), _) => {
                let rec: RecurrentActivation = written
                    .parse()
                    .map_err(|e: String| werr(format!("{ACTIVATION_ATTR}: {e}")))?;
                activation = Some(rec);
                format!("recurrent activation {written} from the weights file ({ACTIVATION_ATTR}, written by cardlm export-keras)")
            }
            (None, ver) => match ver {
            Some(ver) if keras_before_2_3(ver) == Some(true) => {
                activation = Some(RecurrentActivation::HardSigmoid);
                format!("no architecture JSON: assumed hard_sigmoid, the default of Keras {ver} (keras_version in the weights file)")
            }
            Some(ver) => format!("no architecture JSON: assumed sigmoid, the default of Keras {ver} (keras_version in the weights file)"),
            None => "no architecture JSON and no keras_version in the weights file: assumed sigmoid (tf.keras's default; Keras 2.0-2.2 used hard_sigmoid: pass --arch)".into(),
            },
        };
    }

    let config = ModelConfig {
        vocab_size: v,
        hidden: h,
        layers: n_lstm,
        dropout,
        tied: output.is_none(),
        recurrent_activation: activation.unwrap_or(RecurrentActivation::Sigmoid),
    };
    config.validate().map_err(&werr)?;
    let layout = ParamLayout::new(&config);
    let mut params = vec![0.0f32; layout.total];
    let mut put = |name: &str, w: &Weight| {
        let spec = layout.get(name).expect("layout has the tensor");
        params[spec.range()].copy_from_slice(&w.data);
    };
    put("embedding", emb);
    for (l, layer) in weighted[1..=n_lstm].iter().enumerate() {
        put(&format!("lstm.{l}.kernel"), weight(layer, "kernel"));
        put(
            &format!("lstm.{l}.recurrent_kernel"),
            weight(layer, "recurrent_kernel"),
        );
        put(&format!("lstm.{l}.bias"), weight(layer, "bias"));
    }
    put("dense.kernel", weight(dense, "kernel"));
    put("dense.bias", weight(dense, "bias"));
    if let Some(o) = output {
        put("output.kernel", weight(o, "kernel"));
        put("output.bias", weight(o, "bias"));
    }
    crate::checkpoint::check_finite(&params, &layout, "").map_err(&werr)?;
    let model = Model::from_params(config, params).map_err(&werr)?;
    Ok(KerasImport {
        model,
        layers: weighted.iter().map(|l| l.name.clone()).collect(),
        keras_version: file.keras_version.clone(),
        activation_source,
    })
}

/// Which vocabulary file a [`seed_vocab`] error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VocabFile {
    C2i,
    I2c,
}

/// cardlm's vocabulary (index → character) from the seed's dicts.
///
/// The seed's i2c lists `Ⓢ` twice and c2i, built from it with the later
/// index winning, maps `Ⓢ` one past the embedding's last row
/// (`c2i['Ⓢ'] == len(c2i)`): that index embeds as zeros, as TensorFlow did on
/// the seed's GPU. The earlier index of `Ⓢ` keeps its embedding row but no
/// character maps to it; it becomes [`PLACEHOLDER`]. The result has
/// `len(i2c)` entries: `embedding_rows + 1` for a seed vocabulary.
///
/// Checks: i2c's indices are `0..n`, every key/value is one character,
/// c2i is exactly i2c inverted (later index wins), `len(c2i)` equals the
/// embedding's rows, and at most one index is shadowed.
pub fn seed_vocab(
    c2i: &[(String, i64)],
    i2c: &[(i64, String)],
    embedding_rows: usize,
) -> Result<Vec<String>, (VocabFile, String)> {
    use VocabFile::*;
    let one_char = |s: &str| {
        let mut it = s.chars();
        matches!((it.next(), it.next()), (Some(_), None))
    };
    let mut by_index: Vec<Option<&str>> = vec![None; i2c.len()];
    for (i, c) in i2c {
        let slot = usize::try_from(*i)
            .ok()
            .and_then(|i| by_index.get_mut(i))
            .ok_or_else(|| {
                (
                    I2c,
                    format!(
                        "index {i} out of 0..{}: the indices are not 0..{}",
                        i2c.len(),
                        i2c.len()
                    ),
                )
            })?;
        if slot.is_some() {
            return Err((I2c, format!("index {i} is listed twice")));
        }
        if !one_char(c) {
            return Err((I2c, format!("entry {i}: {c:?} is not one character")));
        }
        if c.starts_with(PLACEHOLDER) {
            return Err((I2c, format!("lists {PLACEHOLDER:?}, which cardlm reserves")));
        }
        if c.chars().any(char::is_control) {
            // The same rule as a corpus: a model with `\n` in its vocabulary would
            // write card names with raw newlines.
            return Err((
                I2c,
                format!("entry {i} is the control character {c:?}, which no card may contain"),
            ));
        }
        *slot = Some(c);
    }
    let chars: Vec<&str> = by_index.into_iter().map(|c| c.expect("filled")).collect();
    // c2i as the seed built it from i2c.
    let mut want: std::collections::HashMap<&str, usize> = Default::default();
    for (i, c) in chars.iter().enumerate() {
        want.insert(c, i);
    }
    for (c, i) in c2i {
        if !one_char(c) {
            return Err((C2i, format!("key {c:?} is not one character")));
        }
        match want.get(c.as_str()) {
            None => return Err((C2i, format!("maps {c:?}, which i2c does not list"))),
            Some(&w) if w as i64 != *i => {
                return Err((
                    C2i,
                    format!("maps {c:?} to {i}, but i2c lists it last at {w}: the two files do not belong together"),
                ))
            }
            _ => {}
        }
    }
    if c2i.len() != want.len() {
        return Err((
            C2i,
            format!(
                "has {} characters but i2c {} distinct ones",
                c2i.len(),
                want.len()
            ),
        ));
    }
    if c2i.len() != embedding_rows {
        return Err((
            C2i,
            format!(
                "has {} characters but the weights' embedding has {embedding_rows} rows: not the vocabulary of these weights",
                c2i.len()
            ),
        ));
    }
    let shadowed: Vec<usize> = (0..chars.len()).filter(|&i| want[chars[i]] != i).collect();
    if shadowed.len() > 1 {
        return Err((
            I2c,
            format!(
                "lists {} characters twice (only the seed's start symbol may be)",
                shadowed.len()
            ),
        ));
    }
    Ok(chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if shadowed.contains(&i) {
                PLACEHOLDER.to_string()
            } else {
                c.to_string()
            }
        })
        .collect())
}

/// The seed notebook's layer names, in its order.
pub const SEED_LAYERS: [&str; 4] = ["lm_emb", "lm_lstm1", "lm_lstm2", "lm_dns_1"];

/// The layers of a Keras weights file for `model`, with the seed's layer
/// names (`lm_lstm3`, ... for more LSTMs; `lm_dns_final` for an untied
/// output layer) and Keras 2.0-2.2's weight names (`lm_lstm1/kernel:0`).
/// Only layers with weights are listed, which is all `model.load_weights`
/// reads (it pairs them with the model's layers that have weights, in order).
pub fn export_weights(model: &Model<f32>) -> WeightFile {
    let cfg = &model.config;
    let p = &model.params;
    let lay = &model.layout;
    let tensor = |layer: &str, base: &str, name: &str| {
        let spec = lay.get(name).expect("layout has the tensor");
        Weight {
            name: format!("{layer}/{base}:0"),
            shape: spec.shape.clone(),
            data: p[spec.range()].to_vec(),
        }
    };
    let mut layers = vec![Layer {
        name: "lm_emb".into(),
        weights: vec![tensor("lm_emb", "embeddings", "embedding")],
    }];
    for l in 0..cfg.layers {
        let name = format!("lm_lstm{}", l + 1);
        layers.push(Layer {
            weights: vec![
                tensor(&name, "kernel", &format!("lstm.{l}.kernel")),
                tensor(
                    &name,
                    "recurrent_kernel",
                    &format!("lstm.{l}.recurrent_kernel"),
                ),
                tensor(&name, "bias", &format!("lstm.{l}.bias")),
            ],
            name,
        });
    }
    layers.push(Layer {
        name: "lm_dns_1".into(),
        weights: vec![
            tensor("lm_dns_1", "kernel", "dense.kernel"),
            tensor("lm_dns_1", "bias", "dense.bias"),
        ],
    });
    if !cfg.tied {
        layers.push(Layer {
            name: "lm_dns_final".into(),
            weights: vec![
                tensor("lm_dns_final", "kernel", "output.kernel"),
                tensor("lm_dns_final", "bias", "output.bias"),
            ],
        });
    }
    WeightFile {
        layers,
        // The version whose default is the model's activation, for readers that go by
        // the version (cardlm before the attribute); the attribute says it outright.
        keras_version: Some(
            match cfg.recurrent_activation {
                RecurrentActivation::HardSigmoid => "2.2.4",
                RecurrentActivation::Sigmoid => "2.3.1",
            }
            .into(),
        ),
        backend: Some("tensorflow".into()),
        recurrent_activation: Some(cfg.recurrent_activation.to_string()),
    }
}

#[cfg(test)]
mod tests {
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
        let (f, m) = seed_vocab(&c2i, &i2c, 5).unwrap_err();
        assert_eq!(f, VocabFile::C2i);
        assert!(
            m.contains("has 4 characters but the weights' embedding has 5 rows"),
            "{m}"
        );
        let mut bad = c2i.clone();
        bad[2].1 = 2;
        assert_eq!(seed_vocab(&bad, &i2c, 4).unwrap_err().0, VocabFile::C2i);
        let mut gap = i2c.clone();
        gap[4].0 = 7;
        assert_eq!(seed_vocab(&c2i, &gap, 4).unwrap_err().0, VocabFile::I2c);
        let mut two = i2c.clone();
        two.push((5, s("a")));
        let c2i2 = vec![(s("Ⓔ"), 0), (s("a"), 5), (s("Ⓢ"), 4), (s("b"), 3)];
        let (f, m) = seed_vocab(&c2i2, &two, 4).unwrap_err();
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
        let (file, message) = seed_vocab(&c2i, &i2c, 2).unwrap_err();
        assert_eq!(file, VocabFile::I2c);
        assert!(message.contains(r#"control character "\n""#), "{message}");
        // And a run's vocabulary with one does not load either.
        assert!(crate::Vocab::new(vec!['a', '\u{1b}'])
            .unwrap_err()
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
