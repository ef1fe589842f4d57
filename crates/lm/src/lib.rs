//! A character-level LSTM language model (the seed's network) with explicit
//! forward and backward passes. Knows nothing of Magic.

pub mod batch;
pub mod config;
pub mod kernels;
pub mod layers;
pub mod model;
pub mod params;
pub mod rng;

pub use batch::{PackedBatch, Steps};
pub use config::{ModelConfig, RecurrentActivation};
pub use model::{LossStats, Mode, Model, Workspace};
pub use rng::Rng;
pub mod adam;
pub mod step;
pub mod vocab;

pub use adam::{Adam, AdamConfig};
pub use step::{StepReport, Stepper};
pub use vocab::Vocab;
pub mod batching;
pub mod bench;
pub mod budget;
pub mod checkpoint;
pub mod corpus;
pub mod keras;
pub mod lock;
pub mod run;
pub mod sample;
pub mod train;
