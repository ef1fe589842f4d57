//! Architecture options shared by `train`, `summary` and `bench`.

use anyhow::{bail, Result};
use cardlm_app::training::ArchitectureOptions;
use cardlm_lm::{LmError, ModelConfig, RecurrentActivation};
use clap::Args;

#[derive(Args, Clone, Debug, Default)]
pub struct ModelArgs {
    /// Embedding, LSTM and dense width [default: 500].
    #[arg(long)]
    pub hidden: Option<usize>,
    /// Stacked LSTM layers [default: 2].
    #[arg(long)]
    pub layers: Option<usize>,
    /// Dropout rate after the embedding, each LSTM and the dense layer [default: 0.5].
    #[arg(long)]
    pub dropout: Option<f32>,
    /// A separate dense output layer instead of the tied embedding.
    #[arg(long)]
    pub untied: bool,
    /// LSTM gate activation: sigmoid, or hard_sigmoid as Keras 2.0-2.2 [default: sigmoid].
    #[arg(long)]
    pub recurrent_activation: Option<RecurrentActivation>,
}

impl ModelArgs {
    /// The options as the library takes them.
    pub fn options(&self) -> ArchitectureOptions {
        ArchitectureOptions {
            hidden: self.hidden,
            layers: self.layers,
            dropout: self.dropout,
            untied: self.untied,
            recurrent_activation: self.recurrent_activation,
        }
    }

    /// The seed's model with the options given.
    pub fn config(&self, vocab_size: usize) -> Result<ModelConfig, LmError> {
        self.options().config(vocab_size)
    }

    /// Refuses options that contradict an existing model's architecture.
    pub fn check_matches(&self, cfg: &ModelConfig) -> Result<()> {
        let conflicts = self.options().conflicts(cfg);
        if !conflicts.is_empty() {
            bail!(
                "architecture options differ from the model's: {}",
                conflicts.join(", ")
            );
        }
        Ok(())
    }
}
