//! cardlm as a library: what every front end (the `cardlm` binary, the
//! HTTP server) calls, so that none of them holds sampling, steering,
//! judging or training policy of its own. It joins the cards crate (Magic,
//! no tensors) and the lm crate (tensors, no Magic).
//!
//! - [`model`]: finding and loading a model directory, and its novelty index.
//! - [`steer`]: the cards crate's field forcing as the lm crate's [`cardlm_lm::sample::Steer`].
//! - [`augment`]: the cards' training-time augmentations as a trainer's sequence transform.
//! - [`card`]: a generated card with its verdicts ([`JudgedCard`]).
//! - [`service`]: the generation service: one sampler loop, many requests,
//!   cards streamed as they finish.
//! - [`error`]: the crate's error type.

pub mod augment;
pub mod card;
pub mod error;
pub mod eval;
pub mod model;
pub mod service;
pub mod steer;

pub use card::JudgedCard;
pub use error::{Error, Result};
pub use model::CardModel;
pub use service::{CardRequest, CardStream, GenerationService, ServiceOptions};
