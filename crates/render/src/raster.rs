//! SVG into pixels (resvg on tiny-skia) or into a self-contained SVG whose
//! text is drawn as outlines (usvg's writer), both with the embedded font
//! and no other: the result is the same on every machine.

use std::sync::{Arc, OnceLock};

use cardlm_cards::Card;
use resvg::{tiny_skia, usvg};

use crate::fonts;
use crate::svg::{card_svg, sheet_svg};

/// Why a drawing could not become an image; each one line for the user.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// usvg rejected the SVG (a bug of the layout, not of the card).
    #[error("cannot draw the card: {0}")]
    Svg(#[from] usvg::Error),
    #[error("scale {0} is not a positive number")]
    BadScale(f32),
    #[error("a {width} x {height} image is too large (over {MAX_PIXELS} pixels): draw fewer cards per sheet or one file per card")]
    TooLarge { width: u32, height: u32 },
    #[error("cannot allocate a {width} x {height} image")]
    Allocation { width: u32, height: u32 },
    #[error("cannot encode the PNG: {0}")]
    Png(String),
}

/// The most pixels one image may have (a sheet of about 250 cards at scale 2);
/// more would need gigabytes of memory.
pub const MAX_PIXELS: u64 = 120_000_000;

/// Parsing options holding only the embedded fonts.
fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(fonts::REGULAR.to_vec());
        db.load_font_data(fonts::BOLD.to_vec());
        db.set_serif_family(fonts::FAMILY);
        db.set_sans_serif_family(fonts::FAMILY);
        usvg::Options {
            font_family: fonts::FAMILY.to_owned(),
            fontdb: Arc::new(db),
            ..usvg::Options::default()
        }
    })
}

fn tree(svg: &str) -> Result<usvg::Tree, RenderError> {
    Ok(usvg::Tree::from_str(svg, options())?)
}

/// Renders SVG to PNG bytes, `scale` pixels per SVG unit (2 gives a
/// 480 × 672 card).
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, RenderError> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(RenderError::BadScale(scale));
    }
    let tree = tree(svg)?;
    let size = tree.size();
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(RenderError::TooLarge {
            width: w,
            height: h,
        });
    }
    let mut pixmap = tiny_skia::Pixmap::new(w.max(1), h.max(1)).ok_or(RenderError::Allocation {
        width: w,
        height: h,
    })?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| RenderError::Png(e.to_string()))
}

/// The same drawing as SVG with every text turned into outlines, so any SVG
/// viewer shows it as cardlm drew it, font or no font.
pub fn svg_outlined(svg: &str) -> Result<String, RenderError> {
    let tree = tree(svg)?;
    Ok(tree.to_string(&usvg::WriteOptions::default()))
}

pub fn card_png(card: &Card, scale: f32) -> Result<Vec<u8>, RenderError> {
    svg_to_png(&card_svg(card), scale)
}

pub fn card_svg_outlined(card: &Card) -> Result<String, RenderError> {
    svg_outlined(&card_svg(card))
}

pub fn sheet_png(cards: &[&Card], columns: usize, scale: f32) -> Result<Vec<u8>, RenderError> {
    svg_to_png(&sheet_svg(cards, columns), scale)
}

pub fn sheet_svg_outlined(cards: &[&Card], columns: usize) -> Result<String, RenderError> {
    svg_outlined(&sheet_svg(cards, columns))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cardlm_cards::decode;

    fn rgba(png: &[u8]) -> tiny_skia::Pixmap {
        tiny_skia::Pixmap::decode_png(png).unwrap()
    }

    #[test]
    fn a_card_becomes_a_png_of_its_size_with_ink_in_its_parts() {
        let card = decode("Ⓢangel of mercy⒞④Ⓦ⒭U⒯creature:angel⒫3/3⒜flying⒜when Ⓝ enters the battlefield, you gain 3 life.Ⓔ");
        let png = card_png(&card, 2.0).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        let pixmap = rgba(&png);
        assert_eq!((pixmap.width(), pixmap.height()), (480, 672));
        // Dark pixels (text) inside the name bar and the rules box: the font drew.
        let dark_in = |x0: u32, y0: u32, x1: u32, y1: u32| {
            (y0..y1)
                .flat_map(|y| (x0..x1).map(move |x| (x, y)))
                .filter(|&(x, y)| {
                    let p = pixmap.pixel(x, y).unwrap();
                    p.red() < 80 && p.green() < 80 && p.blue() < 80
                })
                .count()
        };
        assert!(dark_in(40, 36, 200, 72) > 100, "name");
        assert!(dark_in(40, 356, 400, 420) > 100, "rules text");
        // The frame's white tint at the border of the art box.
        let p = pixmap.pixel(26, 200).unwrap();
        assert_eq!((p.red(), p.green(), p.blue()), (0xf4, 0xef, 0xd9));
    }

    #[test]
    fn outlined_svg_has_no_text_left() {
        let card = decode("Ⓢshock⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ");
        let svg = card_svg_outlined(&card).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(!svg.contains("<text"));
        assert!(svg.contains("<path"));
    }

    #[test]
    fn a_sheet_too_large_is_refused_not_allocated() {
        let card = decode("Ⓢshock⒞Ⓡ⒭C⒯instant⒜xⒺ");
        let many: Vec<&Card> = std::iter::repeat_n(&card, 400).collect();
        let err = sheet_png(&many, 10, 2.0).unwrap_err();
        assert!(matches!(err, RenderError::TooLarge { .. }), "{err}");
        assert!(err.to_string().contains("too large"), "{err}");
        assert!(svg_to_png("<svg", 1.0).is_err());
    }
}
