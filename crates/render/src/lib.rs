//! Card images for cardlm, drawn by cardlm itself: [`svg`] lays each card out
//! as the HTML cards are and writes SVG; [`raster`] turns it into PNG with
//! resvg (tiny-skia) and the embedded DejaVu Serif ([`fonts`]), or into a
//! self-contained SVG whose text is outlines. No browser, no network.

pub mod fonts;
pub mod raster;
pub mod svg;

pub use raster::{card_png, card_svg_outlined, sheet_png, sheet_svg_outlined, RenderError};
pub use svg::{card_svg, sheet_svg};
