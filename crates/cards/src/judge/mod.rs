//! Judging generated cards beyond their structure.
//!
//! - [`lexicon`]: the words, types, keywords and counters of real cards,
//!   gathered from a training corpus (storable beside a model).
//! - [`strict`]: the strict judge, which checks a decoded card against them
//!   and against how rules text is written, with a reason for each failure.
//! - [`flaws`]: what reads wrong in a card of real words (an undefined X,
//!   "enchanted creature" on a non-Aura, a stutter, a wall of text).
//! - [`phrasing`]: does the rules text read like real Magic phrasing (runs
//!   of words that real rules texts contain)?
//! - [`design`]: what a designer would reject in a card of real words and
//!   phrases: an off-colour activation, a noncreature acting as a creature,
//!   clauses with nothing to act on, a body far from real creatures' rates.
//! - [`sense`]: what cannot happen or means nothing though each phrase is
//!   real ("enters the battlefield with a creature card in your hand").
//! - [`names`]: a creature named for a creature type it does not have.
//! - `made_colours`: a token or mana of a colour the card is not.
//! - `every_turn`: a land doing every turn what real lands do only once, removal every turn at common or uncommon.
//! - [`rates`]: what real creatures and mana rocks pay for what they get.
//! - [`spell_rates`]: what real instants and sorceries pay for what they say.
//! - [`activation_rates`]: what real permanents pay to activate what they do.
//! - [`colour_pie`]: the colours real cards say each rules-text phrase in,
//!   and a card saying one almost none of its colours say.
//! - [`colour_fit`]: does a rules text, read as a whole, sound like its
//!   colours (a naive Bayes model of the colours over real word pairs)?
//! - [`rarity_fit`]: does a rules text read as its rarity's (a common
//!   saying what only rares say)?
//! - [`word_pairs`]: the naive Bayes model of classes of real cards over
//!   their rules texts' word pairs that both fits use.
//! - [`realness`]: does a card read like the training cards or like the
//!   model's own candidates (a discriminator over hashed features)?
//! - [`curate`]: the best of several candidates for one card.

pub mod activation_rates;
pub mod colour_fit;
pub mod colour_pie;
pub mod curate;
pub mod design;
mod every_turn;
pub mod flaws;
pub mod lexicon;
mod made_colours;
pub mod names;
pub mod phrasing;
pub mod rarity_fit;
pub mod rates;
pub mod realness;
mod references;
pub mod sense;
pub mod spell_rates;
pub mod strict;
pub mod word_pairs;

pub use colour_pie::ColourPie;
pub use curate::{
    best, best_in_drawn_band, clean_in_drawn_band, text_band, CandidateScore, ColourFitRank,
};
pub use design::{design, design_flaws, DesignFlaw};
pub use flaws::flaws;
pub use lexicon::Lexicon;
pub use phrasing::{Phrasebook, Phrasing};
pub use rates::RateTable;
pub use strict::{judge, StrictVerdict};
