//! A character-level LSTM language model (the seed's network) with explicit
//! forward and backward passes. Knows nothing of Magic.

pub mod config;
pub mod kernels;
pub mod layers;
pub mod model;
pub mod packed_batch;
pub mod params;
pub mod rng;

pub use config::{ModelConfig, RecurrentActivation};
pub use model::{LossStats, Mode, Model, Workspace};
pub use packed_batch::{PackedBatch, Steps};
pub use rng::Rng;
pub mod adam;
pub mod char_vocab;
pub mod step;
pub mod team;

pub use adam::{Adam, AdamConfig};
pub use char_vocab::Vocab;
pub use step::{StepReport, Stepper};
pub mod batch_schedule;
pub mod bench;
pub mod budget;
pub mod checkpoint;
pub mod keras;
pub mod lock;
pub mod resume;
pub mod run;
pub mod sample;
pub mod token_corpus;
pub mod train;
pub mod warm_start;
