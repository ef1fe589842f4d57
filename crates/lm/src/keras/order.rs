//! Step 1 of an import, ordering: the weights file's layers with weights, in
//! the model's order, each paired with what the architecture JSON says of it.

use super::h5::{Layer, WeightFile};
use crate::error::{LmError, Result};
use serde_json::Value;
use std::path::Path;

/// What the architecture JSON says about one layer.
#[derive(Clone, Debug)]
pub(super) struct ArchLayer {
    pub name: String,
    pub class: String,
    pub config: Value,
}

/// The architecture JSON of `model.to_json()` and where it was read from.
pub(super) struct Arch<'a> {
    pub path: &'a Path,
    /// Every layer of the model, with or without weights (dropout too).
    pub layers: Vec<ArchLayer>,
}

impl<'a> Arch<'a> {
    /// The layer list of `json` (`config.layers`).
    pub fn parse(path: &'a Path, json: &Value) -> Result<Self> {
        let layers = json
            .pointer("/config/layers")
            .and_then(Value::as_array)
            .ok_or_else(|| LmError::corrupt(path, "not a Keras model JSON (no config.layers)"))?;
        let layers = layers
            .iter()
            .map(|l| {
                let class = l
                    .get("class_name")
                    .and_then(Value::as_str)
                    .ok_or_else(|| LmError::corrupt(path, "a layer without class_name"))?;
                let config = l.get("config").cloned().unwrap_or(Value::Null);
                let name = l
                    .get("name")
                    .or_else(|| config.get("name"))
                    .and_then(Value::as_str)
                    .ok_or_else(|| LmError::corrupt(path, "a layer without a name"))?;
                Ok(ArchLayer {
                    name: name.to_string(),
                    class: class.to_string(),
                    config,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Arch { path, layers })
    }

    /// The layers that hold weights.
    fn weighted(&self) -> Vec<&ArchLayer> {
        self.layers
            .iter()
            .filter(|a| matches!(a.class.as_str(), "Embedding" | "LSTM" | "Dense"))
            .collect()
    }
}

/// The file's layers with weights in the model's order, and for each the
/// architecture's description (all `None` without a JSON).
pub(super) struct Ordered<'f, 'a> {
    pub layers: Vec<&'f Layer>,
    pub arch: Vec<Option<&'a ArchLayer>>,
}

/// Orders the layers: the JSON's order when it names the file's layers, else
/// the file's own (`layer_names`, the model's order too), pairing the two by
/// position when their names differ.
pub(super) fn order<'f, 'a>(
    file: &'f WeightFile,
    arch: Option<&'a Arch>,
    weights_name: &str,
) -> Result<Ordered<'f, 'a>> {
    let mut layers: Vec<&Layer> = file
        .layers
        .iter()
        .filter(|l| !l.weights.is_empty())
        .collect();
    let Some(arch) = arch else {
        let n = layers.len();
        return Ok(Ordered {
            layers,
            arch: vec![None; n],
        });
    };
    let described = arch.weighted();
    let list = |names: Vec<&str>| names.join(", ");
    if described.len() != layers.len() {
        return Err(LmError::corrupt(
            weights_name,
            format!(
                "{} layers with weights ({}), but {} describes {} ({})",
                layers.len(),
                list(layers.iter().map(|l| l.name.as_str()).collect()),
                arch.path.display(),
                described.len(),
                list(described.iter().map(|a| a.name.as_str()).collect()),
            ),
        ));
    }
    if described
        .iter()
        .all(|a| layers.iter().any(|l| l.name == a.name))
    {
        // The JSON names the file's layers: its order.
        layers = described
            .iter()
            .map(|a| *layers.iter().find(|l| l.name == a.name).expect("checked"))
            .collect();
    }
    Ok(Ordered {
        layers,
        arch: described.into_iter().map(Some).collect(),
    })
}
