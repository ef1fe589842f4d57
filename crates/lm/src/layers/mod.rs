//! The layers of the model, each a forward and a backward function over
//! packed rows (`N` = rows of the batch, see [`crate::batch`]). Backward
//! functions accumulate (`+=`) into parameter gradients and overwrite input
//! gradients.

pub mod dense;
pub mod dropout;
pub mod embedding;
pub mod lstm;
pub mod output;
