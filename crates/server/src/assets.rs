//! The workshop page, embedded in the binary: nothing is fetched from the
//! network. The cards' own style sheet is the cards crate's
//! (`cardlm_cards::html::STYLE`), so that the page and `generate --format
//! html` draw the same cards.

pub const INDEX_HTML: &str = include_str!("assets/index.html");
pub const APP_JS: &str = include_str!("assets/app.js");
pub const APP_CSS: &str = include_str!("assets/app.css");
