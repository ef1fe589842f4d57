//! Trading-card corpora: reading card data, the seed's one-line encoding,
//! decoding generated lines back into cards and judging them.
//! Knows nothing of neural networks.
//!
//! - [`input`]: MTGJSON (v3, v4, v5), Scryfall and plain text, compressed or not.
//! - [`filter`] and [`encode`]: the seed's choice of cards and its encoding.
//! - [`full`] and [`faces`]: the full encoding (every real card, multi-part cards joined).
//! - [`field_order`]: the printed order of a line's fields, and the text-first one.
//! - [`corpus`]: the corpus directory (`train.txt`, `valid.txt`, `vocab.json`, `stats.json`).
//! - [`vocab`]: cardlm's vocabulary and the seed's i2c/c2i.
//! - [`npy`]: the seed's `.npy` files.
//! - [`decode`]: an encoded line back into a card, with a well-formedness verdict.
//! - [`judge`]: the strict judge (would a player accept the card?) and its lexicon.
//! - [`augment`]: training-time rewrites of encoded lines that keep their meaning.

pub mod augment;
pub mod casing;
pub mod corpus;
pub mod decode;
pub mod encode;
pub mod error;
pub mod export;
pub mod faces;
pub mod field_forcing;
pub mod field_order;
pub mod filter;
pub mod full;
pub mod html;
pub mod input;
pub mod judge;
pub mod markers;
pub mod novelty;
pub mod novelty_file;
pub mod npy;
pub mod pickle;
pub mod source;
pub mod stats;
pub mod text_rule;
pub mod type_line_guide;
pub mod vocab;

pub use corpus::{load_corpus, prepare_corpus, write_corpus, Corpus, Encoding, PrepareOptions};
pub use decode::{decode, render_text, Card};
pub use encode::{encode_card, encode_mana_cost};
pub use error::{Error, Result};
pub use field_order::FieldOrder;
pub use filter::DropReason;
pub use source::SourceCard;
pub use stats::Stats;
