//! The part of a Keras 2 weights file (`model.save_weights(path.h5)`) that
//! the importer reads, and the file `export` writes. HDF5 itself is read and
//! written by `hdf5-pure` (pure Rust, no libhdf5).
//!
//! Layout written by Keras 2 (`keras/engine/saving.py`,
//! `save_weights_to_hdf5_group`; tf-keras `hdf5_format.py`):
//!
//! ```text
//! /                      attrs: layer_names (strings), keras_version, backend
//! /<layer>/              attrs: weight_names (strings, empty for layers without weights)
//! /<layer>/<weight name> float32 dataset, e.g. lm_lstm1/lm_lstm1/kernel:0 (Keras 2.0-2.2)
//!                        or lm_lstm1/lm_lstm1/lstm_cell/kernel:0 (tf.keras)
//! ```
//!
//! h5py writes the string lists as fixed-length byte strings (Keras 2.0-2.2)
//! or variable-length strings (tf-keras), and an empty list as an empty
//! float64 array. A whole-model file (`model.save`) keeps the same tree under
//! `/model_weights`.

use hdf5_pure::{AttrValue, DType, File, FileBuilder};
use std::collections::HashMap;

/// One weight tensor of a layer.
#[derive(Clone, Debug, PartialEq)]
pub struct Weight {
    /// As listed in `weight_names`, e.g. `lm_lstm1/lstm_cell/kernel:0`.
    pub name: String,
    pub shape: Vec<usize>,
    pub data: Vec<f32>,
}

impl Weight {
    /// The weight's own name without scopes and the `:0` suffix: `kernel`.
    pub fn base_name(&self) -> &str {
        let last = self.name.rsplit('/').next().unwrap_or(&self.name);
        last.split(':').next().unwrap_or(last)
    }
}

/// A layer of the file, in `layer_names` order.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    pub name: String,
    pub weights: Vec<Weight>,
}

/// What a Keras weights file holds.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightFile {
    pub layers: Vec<Layer>,
    pub keras_version: Option<String>,
    pub backend: Option<String>,
    /// The LSTMs' recurrent activation (`sigmoid`, `hard_sigmoid`) in cardlm's own
    /// root attribute `cardlm_recurrent_activation`, written by `export-keras` so
    /// that importing the file gives back the same model. Keras ignores it.
    pub recurrent_activation: Option<String>,
}

/// The root attribute holding [`WeightFile::recurrent_activation`].
pub const ACTIVATION_ATTR: &str = "cardlm_recurrent_activation";

/// The HDF5 signature (HDF5 spec, section II.A "Disk Format: Level 0A -
/// Format Signature and Superblock").
const SIGNATURE: &[u8; 8] = b"\x89HDF\r\n\x1a\n";

/// Whether `bytes` start like an HDF5 file (at offset 0 or a user block of
/// 512, 1024, ... bytes).
pub fn looks_like_hdf5(bytes: &[u8]) -> bool {
    let mut at = 0usize;
    while at + 8 <= bytes.len() {
        if &bytes[at..at + 8] == SIGNATURE {
            return true;
        }
        at = if at == 0 { 512 } else { at * 2 };
    }
    false
}

/// The strings of an attribute holding a list of names (any string encoding
/// h5py uses; an empty numeric array is an empty list).
fn attr_strings(value: &AttrValue) -> Option<Vec<String>> {
    let trim = |s: &str| s.trim_end_matches('\0').to_string();
    Some(match value {
        AttrValue::String(s)
        | AttrValue::AsciiString(s)
        | AttrValue::VarLenString(s)
        | AttrValue::VarLenAsciiString(s) => vec![trim(s)],
        AttrValue::StringArray(v)
        | AttrValue::AsciiStringArray(v)
        | AttrValue::VarLenStringArray(v)
        | AttrValue::VarLenAsciiStringArray(v)
        | AttrValue::VarLenAsciiCharArray(v) => v.iter().map(|s| trim(s)).collect(),
        AttrValue::StringSized { value, .. } | AttrValue::AsciiStringSized { value, .. } => {
            vec![trim(value)]
        }
        AttrValue::AsciiStringArraySized { values, .. } => values.iter().map(|s| trim(s)).collect(),
        AttrValue::F64Array(v) if v.is_empty() => Vec::new(),
        AttrValue::F32Array(v) if v.is_empty() => Vec::new(),
        AttrValue::I64Array(v) if v.is_empty() => Vec::new(),
        _ => return None,
    })
}

fn attr_string(attrs: &HashMap<String, AttrValue>, name: &str) -> Option<String> {
    attrs
        .get(name)
        .and_then(attr_strings)
        .and_then(|v| v.into_iter().next())
}

/// Reads the layers and weights of a Keras weights file from its bytes.
/// Errors are messages without the file name.
pub fn read_weight_file(bytes: Vec<u8>) -> Result<WeightFile, String> {
    if !looks_like_hdf5(&bytes) {
        return Err("not an HDF5 file".into());
    }
    let file = File::from_bytes(bytes).map_err(|e| format!("unreadable HDF5 file: {e}"))?;
    let mut root = file.root();
    let mut prefix = "";
    let mut attrs = root
        .attrs()
        .map_err(|e| format!("unreadable root attributes: {e}"))?;
    if !attrs.contains_key("layer_names") {
        if let Ok(g) = file.group("model_weights") {
            root = g;
            prefix = "model_weights/";
            attrs = root
                .attrs()
                .map_err(|e| format!("unreadable attributes of /model_weights: {e}"))?;
        }
    }
    let layer_names = attrs
        .get("layer_names")
        .and_then(attr_strings)
        .ok_or("no layer_names attribute: not a Keras weights file (from model.save_weights)")?;
    let mut layers = Vec::with_capacity(layer_names.len());
    for name in layer_names {
        let group = file
            .group(&format!("{prefix}{name}"))
            .map_err(|e| format!("layer {name:?} is listed but has no group ({e})"))?;
        let gattrs = group
            .attrs()
            .map_err(|e| format!("layer {name:?}: unreadable attributes: {e}"))?;
        let weight_names = match gattrs.get("weight_names") {
            None => Vec::new(),
            Some(v) => attr_strings(v)
                .ok_or_else(|| format!("layer {name:?}: weight_names is not a list of names"))?,
        };
        let mut weights = Vec::with_capacity(weight_names.len());
        for wname in weight_names {
            let ds = group
                .dataset(&wname)
                .map_err(|e| format!("layer {name:?}: no dataset {wname:?} ({e})"))?;
            let shape: Vec<usize> = ds
                .shape()
                .map_err(|e| format!("{name}/{wname}: unreadable shape: {e}"))?
                .into_iter()
                .map(|d| d as usize)
                .collect();
            let dtype = ds
                .dtype()
                .map_err(|e| format!("{name}/{wname}: unreadable datatype: {e}"))?;
            let data = match dtype {
                DType::F32 => ds.read_f32(),
                DType::F64 => ds
                    .read_f64()
                    .map(|v| v.into_iter().map(|x| x as f32).collect()),
                other => {
                    return Err(format!(
                        "{name}/{wname}: datatype {other}, expected floating point"
                    ))
                }
            }
            .map_err(|e| format!("{name}/{wname}: unreadable data: {e}"))?;
            if data.len() != shape.iter().product::<usize>() {
                return Err(format!(
                    "{name}/{wname}: {} values for shape {shape:?}",
                    data.len()
                ));
            }
            weights.push(Weight {
                name: wname,
                shape,
                data,
            });
        }
        layers.push(Layer { name, weights });
    }
    Ok(WeightFile {
        layers,
        keras_version: attr_string(&attrs, "keras_version"),
        backend: attr_string(&attrs, "backend"),
        recurrent_activation: attr_string(&attrs, ACTIVATION_ATTR),
    })
}

/// Serialises layers in the layout Keras 2 writes: the root lists the layers,
/// each layer group lists its weights, and each weight `a/b:0` is the
/// dataset `<layer>/a/b:0` (nested groups for the `/`s).
pub fn write_weight_file(file: &WeightFile) -> Result<Vec<u8>, String> {
    let mut builder = FileBuilder::new();
    let names: Vec<String> = file.layers.iter().map(|l| l.name.clone()).collect();
    builder.set_attr("layer_names", AttrValue::StringArray(names));
    if let Some(v) = &file.keras_version {
        builder.set_attr("keras_version", AttrValue::String(v.clone()));
    }
    if let Some(b) = &file.backend {
        builder.set_attr("backend", AttrValue::String(b.clone()));
    }
    if let Some(a) = &file.recurrent_activation {
        builder.set_attr(ACTIVATION_ATTR, AttrValue::String(a.clone()));
    }
    for layer in &file.layers {
        if layer.weights.is_empty() {
            return Err(format!(
                "layer {:?} has no weights (the writer lists only layers with weights)",
                layer.name
            ));
        }
        let mut group = builder.create_group(&layer.name);
        let wnames: Vec<String> = layer.weights.iter().map(|w| w.name.clone()).collect();
        group.set_attr("weight_names", AttrValue::StringArray(wnames));
        // A tree of nested groups for the weight names' scopes.
        #[derive(Default)]
        struct Node {
            children: Vec<(String, Node)>,
            datasets: Vec<usize>,
        }
        let mut tree = Node::default();
        for (i, w) in layer.weights.iter().enumerate() {
            let parts: Vec<&str> = w.name.split('/').collect();
            let mut node = &mut tree;
            for scope in &parts[..parts.len() - 1] {
                let pos = match node.children.iter().position(|(n, _)| n == scope) {
                    Some(p) => p,
                    None => {
                        node.children.push((scope.to_string(), Node::default()));
                        node.children.len() - 1
                    }
                };
                node = &mut node.children[pos].1;
            }
            node.datasets.push(i);
        }
        fn fill(g: &mut hdf5_pure::GroupBuilder, node: &Node, weights: &[Weight]) {
            for &i in &node.datasets {
                let w = &weights[i];
                let base = w.name.rsplit('/').next().unwrap_or(&w.name);
                let shape: Vec<u64> = w.shape.iter().map(|&d| d as u64).collect();
                g.create_dataset(base)
                    .with_f32_data(&w.data)
                    .with_shape(&shape);
            }
            for (name, child) in &node.children {
                let mut sub = g.create_group(name);
                fill(&mut sub, child, weights);
                g.add_group(sub.finish());
            }
        }
        fill(&mut group, &tree, &layer.weights);
        builder.add_group(group.finish());
    }
    builder
        .finish()
        .map_err(|e| format!("cannot serialise the HDF5 file: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> WeightFile {
        WeightFile {
            layers: vec![
                Layer {
                    name: "lm_emb".into(),
                    weights: vec![Weight {
                        name: "lm_emb/embeddings:0".into(),
                        shape: vec![3, 2],
                        data: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.5],
                    }],
                },
                Layer {
                    name: "lm_lstm1".into(),
                    weights: vec![
                        Weight {
                            name: "lm_lstm1/lstm_cell/kernel:0".into(),
                            shape: vec![1, 4],
                            data: vec![0.5, -0.5, 0.25, 8.0],
                        },
                        Weight {
                            name: "lm_lstm1/lstm_cell/bias:0".into(),
                            shape: vec![4],
                            data: vec![1.0, 0.0, -1.0, 2.0],
                        },
                    ],
                },
            ],
            keras_version: Some("2.1.6".into()),
            backend: Some("tensorflow".into()),
            recurrent_activation: Some("hard_sigmoid".into()),
        }
    }

    #[test]
    fn written_files_read_back() {
        let f = sample();
        let bytes = write_weight_file(&f).unwrap();
        assert!(looks_like_hdf5(&bytes));
        assert_eq!(read_weight_file(bytes).unwrap(), f);
    }

    #[test]
    fn base_names_drop_scopes_and_the_output_index() {
        let w = &sample().layers[1].weights[0];
        assert_eq!(w.base_name(), "kernel");
    }

    #[test]
    fn rejects_what_is_not_hdf5() {
        assert_eq!(
            read_weight_file(b"PK\x03\x04 a zip file, not hdf5".to_vec()).unwrap_err(),
            "not an HDF5 file"
        );
        let mut truncated = write_weight_file(&sample()).unwrap();
        truncated.truncate(64);
        assert!(read_weight_file(truncated).is_err());
    }

    #[test]
    fn an_hdf5_file_without_layer_names_is_not_keras() {
        let mut b = FileBuilder::new();
        b.create_dataset("x").with_f32_data(&[1.0]);
        let err = read_weight_file(b.finish().unwrap()).unwrap_err();
        assert!(err.contains("no layer_names"), "{err}");
    }
}
