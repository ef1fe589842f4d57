//! The architecture of a model: everything needed to rebuild its parameter
//! layout. Stored as `config.json` beside the weights.

use crate::error::{LmError, Result};
use serde::{Deserialize, Serialize};

/// The gate activation of the LSTM's input, forget and output gates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RecurrentActivation {
    /// `1 / (1 + e^-x)`: Keras 2.3 and later, PyTorch.
    #[default]
    Sigmoid,
    /// `clip(0.2 x + 0.5, 0, 1)`: Keras 2.0-2.2.
    HardSigmoid,
}

/// Keras's name: `sigmoid`, `hard_sigmoid` (what [`std::str::FromStr`] reads).
impl std::fmt::Display for RecurrentActivation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Sigmoid => "sigmoid",
            Self::HardSigmoid => "hard_sigmoid",
        })
    }
}

impl std::str::FromStr for RecurrentActivation {
    type Err = LmError;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "sigmoid" => Ok(Self::Sigmoid),
            "hard_sigmoid" => Ok(Self::HardSigmoid),
            other => Err(LmError::UnknownValue {
                what: "recurrent activation",
                value: other.to_string(),
                expected: "sigmoid or hard_sigmoid",
            }),
        }
    }
}

/// The seed's network, generalised: embedding `V x H`, `layers` LSTMs of
/// width `H`, a dense `H -> H` relu layer, and logits either tied to the
/// embedding (`h · Eᵀ`) or from a separate dense `H -> V` layer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelConfig {
    /// Rows of the embedding and width of the output distribution.
    pub vocab_size: usize,
    /// Embedding width and LSTM/dense width (equal, so the output can be tied).
    pub hidden: usize,
    /// Number of stacked LSTM layers.
    pub layers: usize,
    /// Dropout rate after the embedding, each LSTM and the dense layer.
    pub dropout: f32,
    /// Logits from the transposed embedding (the seed) or an own output layer.
    pub tied: bool,
    pub recurrent_activation: RecurrentActivation,
}

/// Most LSTM layers a model may have. Every layer gets its own tensors,
/// offsets and buffers before any weight is read, and the parameter count
/// alone does not bound them: a `config.json` of hidden size 1 and 2 x 10^11
/// layers has few enough parameters to pass, then asked for 6.4 TB of layer
/// bookkeeping and aborted (found by `fuzz_readers`' config target in session
/// 12). The seed has 2 layers; no character model needs a thousand.
pub const MAX_LAYERS: usize = 1024;

impl ModelConfig {
    /// The seed notebook's model for a vocabulary of `vocab_size` characters.
    pub fn seed(vocab_size: usize) -> Self {
        ModelConfig {
            vocab_size,
            hidden: 500,
            layers: 2,
            dropout: 0.5,
            tied: true,
            recurrent_activation: RecurrentActivation::Sigmoid,
        }
    }

    /// Checks that the configuration describes a buildable model.
    /// Errors name no file: [`LmError::in_file`] adds the one the numbers came from.
    pub fn validate(&self) -> Result<()> {
        if self.vocab_size < 2 {
            return Err(LmError::format(format!(
                "the vocabulary needs at least 2 characters, not {}",
                self.vocab_size
            )));
        }
        if self.hidden == 0 || self.layers == 0 {
            return Err(LmError::format(
                "hidden size and layer count must be at least 1",
            ));
        }
        if self.layers > MAX_LAYERS {
            return Err(LmError::format(format!(
                "{} layers is more than cardlm builds (at most {MAX_LAYERS})",
                self.layers
            )));
        }
        if !(0.0..1.0).contains(&self.dropout) {
            return Err(LmError::format(format!(
                "dropout must be in [0, 1), not {}",
                self.dropout
            )));
        }
        // Checked before any layout is sized from these numbers: a block of this many
        // f32 must be addressable (and its Adam moments too).
        let addressable = (isize::MAX as u64) / 16;
        match crate::budget::param_count(self) {
            Some(count) if count <= addressable => Ok(()),
            _ => Err(LmError::format(format!(
                "a model of vocabulary {}, hidden size {} and {} layers has more parameters \
                 than this machine can address",
                self.vocab_size, self.hidden, self.layers
            ))),
        }
    }

    /// Multiply-adds of one forward position, for throughput figures.
    pub fn forward_flops_per_position(&self) -> f64 {
        let h = self.hidden as f64;
        let v = self.vocab_size as f64;
        let lstm = self.layers as f64 * 2.0 * (2.0 * h * 4.0 * h);
        let dense = 2.0 * h * h;
        lstm + dense + 2.0 * h * v
    }
}
