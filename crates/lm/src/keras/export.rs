//! Writing a model as a Keras weights file with the seed's layer names.

use super::h5::{Layer, Weight, WeightFile};
use crate::config::RecurrentActivation;
use crate::model::Model;

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
