//! Batched incremental inference and sampling, in three jobs:
//!
//! - [`inference`]: the [`Sampler`], which keeps the LSTM state of up to
//!   `capacity` sequences and advances all of them by one token per step,
//!   each row's logits independent of the other rows;
//! - [`policy`]: how the next token is drawn from the logits (temperature,
//!   top-k, top-p);
//! - [`schedule`]: which sequence runs in which row: a [`Batch`] admits
//!   sequences into free rows and frees a row as soon as its sequence ends
//!   (continuous batching), and [`generate`] runs a list of requests
//!   through it.

pub mod inference;
pub mod policy;
pub mod schedule;

pub use inference::{InitState, Sampler, PARTS};
pub use policy::{sample_token, SampleOptions};
pub use schedule::{generate, Batch, Free, GenerateOptions, Generated, Request, Steer};

/// A small model with every weight nonzero, for the tests of this module.
#[cfg(test)]
pub(crate) fn test_model(tied: bool, hidden: usize, layers: usize) -> crate::model::Model<f32> {
    use crate::config::{ModelConfig, RecurrentActivation};
    use crate::model::Model;
    use crate::rng::Rng;
    let cfg = ModelConfig {
        vocab_size: 11,
        hidden,
        layers,
        dropout: 0.3,
        tied,
        recurrent_activation: RecurrentActivation::Sigmoid,
    };
    let mut m = Model::<f32>::new(cfg, 5);
    // Give the biases and the untied output some weight too.
    let mut rng = Rng::new(9);
    for x in m.params.iter_mut() {
        *x += (rng.uniform_f32() - 0.5) * 0.2;
    }
    m
}
