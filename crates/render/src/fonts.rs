//! The embedded font (DejaVu Serif, regular and bold, from Debian's
//! `fonts-dejavu-core`; licence in `fonts/LICENSE-DejaVu.txt`) and the text
//! widths the layout needs to wrap and shrink text before resvg draws it.

use std::sync::OnceLock;

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

pub const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSerif.ttf");
pub const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSerif-Bold.ttf");
/// The family name both files declare; every text element of the SVG uses it.
pub const FAMILY: &str = "DejaVu Serif";

/// Advance widths of one font at a size of 1 (multiply by the font size).
pub struct Widths {
    font: FontRef<'static>,
}

impl Widths {
    fn new(bytes: &'static [u8]) -> Self {
        Widths {
            font: FontRef::new(bytes).expect("the embedded font parses"),
        }
    }

    /// Whether the font has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.font.charmap().map(c).is_some()
    }

    /// Width of `text` at font size `size`, without kerning (a little wider
    /// than shaped text, so wrapped lines never overflow).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let charmap = self.font.charmap();
        let metrics = self
            .font
            .glyph_metrics(Size::new(1.0), LocationRef::default());
        let fallback = metrics
            .advance_width(charmap.map('n').unwrap_or_default())
            .unwrap_or(0.6);
        text.chars()
            .map(|c| {
                charmap
                    .map(c)
                    .and_then(|g| metrics.advance_width(g))
                    .unwrap_or(fallback)
            })
            .sum::<f32>()
            * size
    }
}

pub fn regular() -> &'static Widths {
    static W: OnceLock<Widths> = OnceLock::new();
    W.get_or_init(|| Widths::new(REGULAR))
}

pub fn bold() -> &'static Widths {
    static W: OnceLock<Widths> = OnceLock::new();
    W.get_or_init(|| Widths::new(BOLD))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_grow_with_text_and_size() {
        let w = regular().width("Flying", 10.0);
        assert!(w > 20.0 && w < 50.0, "{w}");
        assert!((regular().width("Flying", 20.0) - 2.0 * w).abs() < 1e-3);
        assert!(bold().width("mmmm", 10.0) > bold().width("iiii", 10.0));
        assert!(regular().covers('—') && regular().covers('A'));
    }
}
