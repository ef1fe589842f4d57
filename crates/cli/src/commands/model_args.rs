//! Architecture options shared by `train`, `summary` and `bench`.

use anyhow::{bail, Result};
use cardlm_lm::{ModelConfig, RecurrentActivation};
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
    /// The seed's model with the options given.
    pub fn config(&self, vocab_size: usize) -> Result<ModelConfig, String> {
        let seed = ModelConfig::seed(vocab_size);
        let cfg = ModelConfig {
            vocab_size,
            hidden: self.hidden.unwrap_or(seed.hidden),
            layers: self.layers.unwrap_or(seed.layers),
            dropout: self.dropout.unwrap_or(seed.dropout),
            tied: !self.untied,
            recurrent_activation: self
                .recurrent_activation
                .unwrap_or(seed.recurrent_activation),
        };
        cfg.validate()?;
        Ok(cfg)
    }

    /// Refuses options that contradict an existing model's architecture.
    pub fn check_matches(&self, cfg: &ModelConfig) -> Result<()> {
        let mut conflicts = Vec::new();
        if self.hidden.is_some_and(|h| h != cfg.hidden) {
            conflicts.push(format!("--hidden (the model has {})", cfg.hidden));
        }
        if self.layers.is_some_and(|l| l != cfg.layers) {
            conflicts.push(format!("--layers (the model has {})", cfg.layers));
        }
        if self.dropout.is_some_and(|d| d != cfg.dropout) {
            conflicts.push(format!("--dropout (the model has {})", cfg.dropout));
        }
        if self.untied && cfg.tied {
            conflicts.push("--untied (the model is tied)".into());
        }
        if self
            .recurrent_activation
            .is_some_and(|a| a != cfg.recurrent_activation)
        {
            conflicts.push(format!(
                "--recurrent-activation (the model has {:?})",
                cfg.recurrent_activation
            ));
        }
        if !conflicts.is_empty() {
            bail!(
                "architecture options differ from the model's: {}",
                conflicts.join(", ")
            );
        }
        Ok(())
    }
}
