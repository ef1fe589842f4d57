//! cardlm as a library: what every front end (the `cardlm` binary, the
//! HTTP server) calls, so that none of them holds sampling, steering,
//! judging or training policy of its own. It joins the cards crate (Magic,
//! no tensors) and the lm crate (tensors, no Magic).
//!
//! - [`model`]: finding and loading a model directory, and its novelty index.
//! - [`steer`]: the cards crate's field forcing as the lm crate's [`cardlm_lm::sample::Steer`].
//! - [`augment`]: the cards' training-time augmentations as a trainer's sequence transform.
//! - [`card`]: a generated card with its verdicts ([`JudgedCard`]).
//! - [`export`]: judged cards in every output format (text, JSON, HTML, MSE,
//!   Cockatrice, Scryfall, PNG/SVG sheets) as bytes.
//! - [`service`]: the generation service: one sampler loop, many requests,
//!   cards streamed as they finish.
//! - [`realness`]: fitting a model's realness judge (its training cards
//!   against its own candidates), which the curator weighs.
//! - [`keras_import`]: the seed's Keras model as a run directory.
//! - [`ship`]: a run's model as a directory to hand out (f16, novelty index).
//! - [`training`]: the training policy (new and resumed runs, the run lock, memory).
//! - [`error`]: the crate's error type.

pub mod augment;
pub mod card;
pub mod error;
pub mod eval;
pub mod export;
pub mod keras_import;
pub mod model;
pub mod realness;
pub mod service;
pub mod ship;
pub mod steer;
pub mod training;

pub use card::JudgedCard;
pub use error::{Error, Result};
pub use model::CardModel;
pub use service::{CardRequest, CardStream, GenerationService, Load, ServiceOptions};
