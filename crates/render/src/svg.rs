//! A card as SVG, laid out as the HTML cards are (`cardlm_cards::html`): the
//! same 240 × 336 box, frame colours, name bar with the cost's symbols, art
//! box, type bar with the rarity, rules text box and P/T (or loyalty) box.
//! Text is wrapped and shrunk here, with the embedded font's widths, because
//! SVG has no text wrapping; mana symbols are drawn circles with their letter.
//! Faces of a multi-part card stand side by side.

use cardlm_cards::export::{faces, Face};
use cardlm_cards::html::{escape, frame_fill};
use cardlm_cards::Card;

use crate::fonts::{self, Widths, FAMILY};

/// One card face's box, in SVG user units (the HTML card's pixels).
pub const CARD_W: f32 = 240.0;
pub const CARD_H: f32 = 336.0;
/// Space between the faces of a multi-part card, and between cards on a sheet.
pub const GAP: f32 = 12.0;

// The HTML card's geometry: a 10-unit black border, the frame with 6 units
// of padding inside it.
const INNER_X: f32 = 16.0;
const INNER_W: f32 = 208.0;
const NAME_Y: f32 = 16.0;
const BAR_H: f32 = 22.0;
const ART_Y: f32 = 44.0;
const ART_H: f32 = 92.0;
const TYPE_Y: f32 = 142.0;
const TEXT_Y: f32 = 170.0;
const TEXT_BOTTOM: f32 = 320.0;
const TEXT_PAD: f32 = 6.0;
/// The P/T box's bottom-right corner.
const PT_RIGHT: f32 = CARD_W - 14.0;
const PT_BOTTOM: f32 = CARD_H - 12.0;
const PT_SIZE: f32 = 14.0;

/// Rules text starts at the HTML's 11.5 and shrinks down to this to fit.
const TEXT_MAX: f32 = 11.5;
const TEXT_MIN: f32 = 4.5;

/// The colour of a mana symbol's disc (the HTML's `.ms-*`).
fn symbol_fill(symbol: &str) -> &'static str {
    match symbol {
        "W" => "#fffbd5",
        "U" => "#aae0fa",
        "B" => "#a69f9d",
        "R" => "#f9aa8f",
        "G" => "#9bd3ae",
        "C" => "#d6d0cd",
        _ => "#cbc3bd",
    }
}

fn rarity_fill(letter: char) -> &'static str {
    match letter {
        'U' => "#8a9aa8",
        'R' => "#c9a227",
        'M' => "#d2561b",
        'S' => "#7b3fa0",
        'B' => "#555",
        _ => "#222",
    }
}

/// A piece of text: words, or one mana symbol.
#[derive(Clone, Debug, PartialEq)]
enum Piece {
    Text(String),
    Symbol(String),
}

/// Splits text into words and `{…}` symbols (the HTML's rule: 1 to 6
/// characters between the braces).
fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        match rest[open..].find('}') {
            Some(close) if close > 1 && close < 8 => {
                if open > 0 {
                    out.push(Piece::Text(rest[..open].to_owned()));
                }
                out.push(Piece::Symbol(rest[open + 1..open + close].to_owned()));
                rest = &rest[open + close + 1..];
            }
            _ => {
                out.push(Piece::Text(rest[..=open].to_owned()));
                rest = &rest[open + 1..];
            }
        }
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_owned()));
    }
    out
}

/// A symbol's diameter and the room around it, for text of size `size`.
fn symbol_diameter(size: f32) -> f32 {
    size * 1.2
}
fn symbol_advance(size: f32) -> f32 {
    symbol_diameter(size) + size * 0.16
}

fn piece_width(piece: &Piece, size: f32) -> f32 {
    match piece {
        Piece::Text(t) => fonts::regular().width(t, size),
        Piece::Symbol(_) => symbol_advance(size),
    }
}

/// One laid-out line: pieces and their x offsets from the line's start.
type Line = Vec<(f32, Piece)>;

/// Text wrapped into a box at one size.
struct Wrapped {
    size: f32,
    /// Paragraphs of lines.
    paragraphs: Vec<Vec<Line>>,
    height: f32,
    /// A single word wider than the box.
    overflows: bool,
}

fn line_height(size: f32) -> f32 {
    size * 1.3
}
fn paragraph_gap(size: f32) -> f32 {
    size * 0.35
}

/// Greedy line breaking of each paragraph at `size` into `width`.
fn wrap(paragraphs: &[String], width: f32, size: f32) -> Wrapped {
    let space = fonts::regular().width(" ", size);
    let mut out = Vec::new();
    let mut overflows = false;
    for paragraph in paragraphs {
        let mut lines: Vec<Line> = Vec::new();
        let mut line: Line = Vec::new();
        let mut x = 0.0f32;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let parts = pieces(word);
            let w: f32 = parts.iter().map(|p| piece_width(p, size)).sum();
            if w > width {
                overflows = true;
            }
            let start = if line.is_empty() { 0.0 } else { x + space };
            if !line.is_empty() && start + w > width {
                lines.push(std::mem::take(&mut line));
                x = 0.0;
            } else {
                x = start;
            }
            for p in parts {
                let pw = piece_width(&p, size);
                line.push((x, p));
                x += pw;
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        out.push(lines);
    }
    let count: usize = out.iter().map(Vec::len).sum();
    let height =
        count as f32 * line_height(size) + out.len().saturating_sub(1) as f32 * paragraph_gap(size);
    Wrapped {
        size,
        paragraphs: out,
        height,
        overflows,
    }
}

/// The largest size from [`TEXT_MAX`] down (in quarter steps) at which the
/// paragraphs fit the box; the smallest when none does.
fn fit(paragraphs: &[String], width: f32, height: f32) -> (Wrapped, bool) {
    let mut size = TEXT_MAX;
    loop {
        let w = wrap(paragraphs, width, size);
        if (w.height <= height && !w.overflows) || size <= TEXT_MIN {
            let fits = w.height <= height && !w.overflows;
            return (w, fits);
        }
        size -= 0.25;
    }
}

/// The largest size up to `max` (down to `min`) at which one line of `text`
/// is at most `width` wide; the text is cut with `…` when even `min` is too big.
fn fit_line(font: &Widths, text: &str, max: f32, min: f32, width: f32) -> (String, f32) {
    let mut size = max;
    while size > min && font.width(text, size) > width {
        size -= 0.25;
    }
    if font.width(text, size) <= width {
        return (text.to_owned(), size);
    }
    let mut cut: String = text.to_owned();
    while !cut.is_empty() && font.width(&format!("{cut}…"), size) > width {
        cut.pop();
    }
    (format!("{}…", cut.trim_end()), size)
}

/// What a mana symbol is drawn as: one disc, or a disc split on the diagonal
/// (hybrid `W/U`, two-generic hybrid `2/W`), with Phyrexian symbols (`W/P`,
/// `W/U/P`) marked by a phi instead of their letters.
#[derive(Clone, Debug, PartialEq)]
enum SymbolShape {
    Whole {
        fill: &'static str,
        label: String,
    },
    Split {
        halves: [String; 2],
        phyrexian: bool,
    },
}

/// The Phyrexian mark: a capital phi where the font has one.
fn phi() -> String {
    if fonts::bold().covers('Φ') {
        "Φ"
    } else {
        "P"
    }
    .to_owned()
}

fn symbol_shape(symbol: &str) -> SymbolShape {
    let upper = symbol.to_ascii_uppercase();
    let (colors, phyrexian) = match upper.strip_suffix("/P") {
        Some(rest) if !rest.is_empty() => (rest.to_owned(), true),
        _ => (upper.clone(), false),
    };
    match colors.split_once('/') {
        Some((a, b)) => SymbolShape::Split {
            halves: [a.to_owned(), b.to_owned()],
            phyrexian,
        },
        None if phyrexian => SymbolShape::Whole {
            fill: symbol_fill(&colors),
            label: phi(),
        },
        None => SymbolShape::Whole {
            fill: symbol_fill(&colors),
            label: if upper == "T" && fonts::bold().covers('↷') {
                "↷".to_owned()
            } else if upper == "P" {
                phi()
            } else {
                symbol.to_owned()
            },
        },
    }
}

/// A bold label centred at (`cx`, `cy`), at most `max_w` wide.
fn symbol_label(out: &mut String, label: &str, cx: f32, cy: f32, size: f32, max_w: f32) {
    let mut size = size;
    let w = fonts::bold().width(label, size);
    if w > max_w {
        size *= max_w / w;
    }
    out.push_str(&format!(
        "<text x=\"{cx:.2}\" y=\"{:.2}\" font-family=\"{FAMILY}\" font-weight=\"bold\" font-size=\"{size:.2}\" text-anchor=\"middle\" fill=\"#111\">{}</text>",
        cy + size * 0.36,
        escape(label)
    ));
}

/// SVG for one symbol centred at (`cx`, `cy`).
fn draw_symbol(out: &mut String, symbol: &str, cx: f32, cy: f32, d: f32) {
    let r = d / 2.0;
    // The HTML's shadow: a black disc one unit down-left.
    let shadow = d / 15.0;
    out.push_str(&format!(
        "<circle cx=\"{:.2}\" cy=\"{:.2}\" r=\"{r:.2}\" fill=\"#000\"/>",
        cx - shadow,
        cy + shadow
    ));
    match symbol_shape(symbol) {
        SymbolShape::Split { halves, phyrexian } => {
            // Upper-left half in the first colour, lower-right in the second,
            // split on the diagonal as printed hybrid symbols are.
            let k = r * std::f32::consts::FRAC_1_SQRT_2;
            out.push_str(&format!(
                "<path d=\"M{x0:.2},{y0:.2} A{r:.2},{r:.2} 0 0 0 {x1:.2},{y1:.2} Z\" fill=\"{fa}\"/>\
<path d=\"M{x0:.2},{y0:.2} A{r:.2},{r:.2} 0 0 1 {x1:.2},{y1:.2} Z\" fill=\"{fb}\"/>",
                x0 = cx + k,
                y0 = cy - k,
                x1 = cx - k,
                y1 = cy + k,
                fa = symbol_fill(&halves[0]),
                fb = symbol_fill(&halves[1]),
            ));
            if phyrexian {
                symbol_label(out, &phi(), cx, cy, d * 0.62, d * 0.8);
            } else {
                // Each half's letter in its own half, smaller.
                let off = r * 0.32;
                symbol_label(out, &halves[0], cx - off, cy - off, d * 0.44, r * 0.9);
                symbol_label(out, &halves[1], cx + off, cy + off, d * 0.44, r * 0.9);
            }
        }
        SymbolShape::Whole { fill, label } => {
            out.push_str(&format!(
                "<circle cx=\"{cx:.2}\" cy=\"{cy:.2}\" r=\"{r:.2}\" fill=\"{fill}\"/>"
            ));
            let chars = label.chars().count();
            let size = d * if chars <= 1 { 0.68 } else { 0.55 };
            symbol_label(out, &label, cx, cy, size, d * 0.86);
        }
    }
}

fn text_element(out: &mut String, x: f32, y: f32, size: f32, bold: bool, fill: &str, text: &str) {
    let weight = if bold { " font-weight=\"bold\"" } else { "" };
    out.push_str(&format!(
        "<text x=\"{x:.2}\" y=\"{y:.2}\" font-family=\"{FAMILY}\"{weight} font-size=\"{size:.2}\" fill=\"{fill}\" xml:space=\"preserve\">{}</text>",
        escape(text)
    ));
}

/// How one face drew: whether its rules text fitted at a readable size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FaceLayout {
    /// The rules text's font size.
    pub text_size: f32,
    /// False when the text did not fit even at the smallest size (it is clipped).
    pub text_fits: bool,
}

/// One face, its top-left corner at (`x0`, 0).
fn draw_face(out: &mut String, face: &Face, rarity: char, x0: f32, id: &str) -> FaceLayout {
    let frame = frame_fill(&face.colors, &face.types);
    out.push_str(&format!(
        "<rect x=\"{x0}\" y=\"0\" width=\"{CARD_W}\" height=\"{CARD_H}\" rx=\"12\" fill=\"#111\"/>\
<rect x=\"{:.2}\" y=\"10\" width=\"220\" height=\"316\" rx=\"8\" fill=\"{frame}\"/>",
        x0 + 10.0
    ));
    // Name bar: cost symbols from the right, the name shrunk into what is left.
    let bar = |out: &mut String, y: f32| {
        out.push_str(&format!(
            "<rect x=\"{:.2}\" y=\"{y}\" width=\"{INNER_W}\" height=\"{BAR_H}\" rx=\"6\" fill=\"#fff\" fill-opacity=\"0.75\"/>",
            x0 + INNER_X
        ))
    };
    bar(out, NAME_Y);
    let d = 15.0;
    let step = d + 2.0;
    let cost_w = face.mana_symbols.len() as f32 * step;
    let right = x0 + INNER_X + INNER_W - 6.0;
    for (i, s) in face.mana_symbols.iter().enumerate() {
        let cx = right - cost_w + i as f32 * step + step / 2.0;
        draw_symbol(out, s, cx, NAME_Y + BAR_H / 2.0, d);
    }
    let name_room = INNER_W - 12.0 - cost_w - if cost_w > 0.0 { 4.0 } else { 0.0 };
    let (name, size) = fit_line(fonts::bold(), &face.name, 13.0, 7.0, name_room);
    text_element(
        out,
        x0 + INNER_X + 6.0,
        NAME_Y + BAR_H / 2.0 + size * 0.36,
        size,
        true,
        "#111",
        &name,
    );

    // Art box.
    out.push_str(&format!(
        "<rect x=\"{:.2}\" y=\"{ART_Y}\" width=\"{:.2}\" height=\"{ART_H}\" rx=\"4\" fill=\"url(#art)\"/>",
        x0 + INNER_X + 2.0,
        INNER_W - 4.0
    ));

    // Type bar with the rarity disc.
    bar(out, TYPE_Y);
    let rx = x0 + INNER_X + INNER_W - 6.0 - 8.0;
    let ry = TYPE_Y + BAR_H / 2.0;
    out.push_str(&format!(
        "<circle cx=\"{rx:.2}\" cy=\"{ry:.2}\" r=\"8\" fill=\"{}\"/>",
        rarity_fill(rarity)
    ));
    out.push_str(&format!(
        "<text x=\"{rx:.2}\" y=\"{:.2}\" font-family=\"{FAMILY}\" font-weight=\"bold\" font-size=\"11\" text-anchor=\"middle\" fill=\"#fff\">{rarity}</text>",
        ry + 11.0 * 0.36
    ));
    let (type_line, size) = fit_line(
        fonts::bold(),
        &face.type_line(),
        12.0,
        6.0,
        INNER_W - 12.0 - 20.0,
    );
    text_element(
        out,
        x0 + INNER_X + 6.0,
        ry + size * 0.36,
        size,
        true,
        "#111",
        &type_line,
    );

    // P/T, loyalty or defense box, measured first: the rules text stops above
    // it. Loyalty on a dark shield as printed planeswalkers have it, defense
    // on a red one.
    let corner = match (&face.power, &face.toughness, &face.loyalty, &face.defense) {
        (Some(p), Some(t), _, _) => Some((format!("{p}/{t}"), "#eee", "#555", "#111")),
        (_, _, Some(l), _) => Some((l.clone(), "#222", "#bbb", "#fff")),
        (_, _, _, Some(d)) => Some((d.clone(), "#8b1a1a", "#e0b0a0", "#fff")),
        _ => None,
    };
    let mut text_bottom = TEXT_BOTTOM - TEXT_PAD;
    let mut corner_svg = String::new();
    if let Some((label, fill, stroke, ink)) = &corner {
        let w = fonts::bold().width(label, PT_SIZE) + 20.0;
        let h = PT_SIZE * 1.25 + 6.0;
        let (x, y) = (x0 + PT_RIGHT - w, PT_BOTTOM - h);
        corner_svg.push_str(&format!(
            "<rect x=\"{x:.2}\" y=\"{y:.2}\" width=\"{w:.2}\" height=\"{h:.2}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"2\"/>"
        ));
        corner_svg.push_str(&format!(
            "<text x=\"{:.2}\" y=\"{:.2}\" font-family=\"{FAMILY}\" font-weight=\"bold\" font-size=\"{PT_SIZE}\" text-anchor=\"middle\" fill=\"{ink}\">{}</text>",
            x + w / 2.0,
            y + h / 2.0 + PT_SIZE * 0.36,
            escape(label)
        ));
        text_bottom = y - 2.0;
    }

    // Rules text box; the corner box is drawn over its bottom edge, as in the HTML.
    out.push_str(&format!(
        "<rect x=\"{:.2}\" y=\"{TEXT_Y}\" width=\"{INNER_W}\" height=\"{:.2}\" rx=\"4\" fill=\"#fff\" fill-opacity=\"0.85\"/>",
        x0 + INNER_X,
        TEXT_BOTTOM - TEXT_Y
    ));
    let width = INNER_W - 2.0 * TEXT_PAD;
    let height = text_bottom - (TEXT_Y + TEXT_PAD);
    let (wrapped, fits) = fit(&face.rules, width, height);
    let s = wrapped.size;
    out.push_str(&format!(
        "<clipPath id=\"{id}\"><rect x=\"{:.2}\" y=\"{TEXT_Y}\" width=\"{INNER_W}\" height=\"{:.2}\"/></clipPath><g clip-path=\"url(#{id})\">",
        x0 + INNER_X,
        text_bottom - TEXT_Y
    ));
    let left = x0 + INNER_X + TEXT_PAD;
    let mut top = TEXT_Y + TEXT_PAD;
    for paragraph in &wrapped.paragraphs {
        for line in paragraph {
            let baseline = top + s * 1.0;
            let middle = top + line_height(s) / 2.0;
            for (x, piece) in line {
                match piece {
                    Piece::Text(t) => text_element(out, left + x, baseline, s, false, "#111", t),
                    Piece::Symbol(sym) => draw_symbol(
                        out,
                        sym,
                        left + x + symbol_advance(s) / 2.0,
                        middle,
                        symbol_diameter(s),
                    ),
                }
            }
            top += line_height(s);
        }
        top += paragraph_gap(s);
    }
    out.push_str("</g>");
    out.push_str(&corner_svg);
    FaceLayout {
        text_size: s,
        text_fits: fits,
    }
}

/// The art box's gradient, shared by every face.
const DEFS: &str = "<defs><linearGradient id=\"art\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"1\">\
<stop offset=\"0\" stop-color=\"#fff\" stop-opacity=\"0.5\"/><stop offset=\"1\" stop-color=\"#000\" stop-opacity=\"0.25\"/>\
</linearGradient></defs>";

/// A card drawn as SVG elements at the origin (without the `<svg>` wrapper),
/// its width and height, and how each face's text fitted. `id` keeps the clip
/// paths of several cards on one sheet apart.
pub fn card_body(card: &Card, id: &str) -> (String, f32, f32, Vec<FaceLayout>) {
    let all = faces(card);
    let rarity = card
        .rarity_letter
        .chars()
        .next()
        .filter(|c| "CURMSB".contains(*c))
        .unwrap_or('C');
    let mut out = String::new();
    let mut layouts = Vec::new();
    for (i, face) in all.iter().enumerate() {
        let x0 = i as f32 * (CARD_W + GAP);
        // A back face without a cost (transform, meld, flip) is printed in its
        // front's colours (its colour indicator), not as a colourless card.
        let mut face = face.clone();
        if i > 0 && face.mana_symbols.is_empty() {
            face.colors.clone_from(&all[0].colors);
        }
        layouts.push(draw_face(&mut out, &face, rarity, x0, &format!("{id}f{i}")));
    }
    let n = all.len().max(1) as f32;
    (out, n * CARD_W + (n - 1.0) * GAP, CARD_H, layouts)
}

fn document(body: &str, width: f32, height: f32) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">{DEFS}{body}</svg>\n"
    )
}

/// A card as a standalone SVG document (text as `<text>` in DejaVu Serif).
pub fn card_svg(card: &Card) -> String {
    let (body, w, h, _) = card_body(card, "c0");
    document(&body, w, h)
}

/// Several cards on one sheet, `columns` card widths to a row (multi-part
/// cards take more than one), in order.
pub fn sheet_svg(cards: &[&Card], columns: usize) -> String {
    let row_room = columns.max(1) as f32 * (CARD_W + GAP) - GAP;
    let (mut x, mut y) = (0.0f32, 0.0f32);
    let mut width = 0.0f32;
    let mut body = String::new();
    for (i, card) in cards.iter().enumerate() {
        let (inner, w, h, _) = card_body(card, &format!("c{i}"));
        if x > 0.0 && x + w > row_room {
            x = 0.0;
            y += h + GAP;
        }
        body.push_str(&format!("<g transform=\"translate({x},{y})\">{inner}</g>"));
        width = width.max(x + w);
        x += w + GAP;
    }
    let height = if cards.is_empty() { 0.0 } else { y + CARD_H };
    document(&body, width.max(1.0), height.max(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cardlm_cards::decode;

    #[test]
    fn symbols_are_split_from_words() {
        assert_eq!(
            pieces("{T}:"),
            vec![Piece::Symbol("T".into()), Piece::Text(":".into())]
        );
        assert_eq!(
            pieces("a{b"),
            vec![Piece::Text("a{".into()), Piece::Text("b".into())]
        );
    }

    #[test]
    fn long_text_shrinks_and_every_line_fits_the_box() {
        let long = vec!["whenever this creature deals combat damage to a player, that player discards a card and you draw a card, then {2}{G}: put a +1/+1 counter on each creature you control.".to_owned(); 5];
        let width = INNER_W - 2.0 * TEXT_PAD;
        let (w, fits) = fit(&long, width, 120.0);
        assert!(fits);
        assert!(w.size < TEXT_MAX);
        assert!(w.height <= 120.0);
        for line in w.paragraphs.iter().flatten() {
            let (x, last) = line.last().unwrap();
            assert!(x + piece_width(last, w.size) <= width + 0.01);
        }
        let short = vec!["flying".to_owned()];
        assert_eq!(fit(&short, width, 120.0).0.size, TEXT_MAX);
    }

    #[test]
    fn names_shrink_then_are_cut() {
        let (n, s) = fit_line(fonts::bold(), "Angel", 13.0, 7.0, 200.0);
        assert_eq!((n.as_str(), s), ("Angel", 13.0));
        let long = "a very long name that will never fit in the name bar at all";
        let (n, _) = fit_line(fonts::bold(), long, 13.0, 7.0, 100.0);
        assert!(n.ends_with('…'));
        assert!(fonts::bold().width(&n, 7.0) <= 100.0);
    }

    #[test]
    fn hybrid_and_phyrexian_symbols_are_drawn_as_symbols() {
        assert_eq!(
            symbol_shape("W/U"),
            SymbolShape::Split {
                halves: ["W".into(), "U".into()],
                phyrexian: false
            }
        );
        assert_eq!(
            symbol_shape("2/W"),
            SymbolShape::Split {
                halves: ["2".into(), "W".into()],
                phyrexian: false
            }
        );
        assert_eq!(
            symbol_shape("g/u/p"),
            SymbolShape::Split {
                halves: ["G".into(), "U".into()],
                phyrexian: true
            }
        );
        assert_eq!(
            symbol_shape("B/P"),
            SymbolShape::Whole {
                fill: "#a69f9d",
                label: "Φ".into()
            }
        );
        let mut out = String::new();
        draw_symbol(&mut out, "W/U", 10.0, 10.0, 15.0);
        assert!(out.contains("#fffbd5") && out.contains("#aae0fa"));
        assert!(out.contains(">W<") && out.contains(">U<") && !out.contains("W/U"));
        let mut out = String::new();
        draw_symbol(&mut out, "B/P", 10.0, 10.0, 15.0);
        assert!(out.contains(">Φ<") && !out.contains("B/P"));
    }

    #[test]
    fn every_kind_of_card_draws_its_faces_and_boxes() {
        let line = |l: &str| decode(l);
        let transform = line("Ⓢdelver of secrets⒞Ⓤ⒭C⒨transform⒯creature:human wizard⒫1/1⒜transform Ⓝ.⒝insectile aberration⒞⒯creature:human insect⒫3/2⒜flyingⒺ");
        let svg = card_svg(&transform);
        assert!(svg.contains(&format!("width=\"{}\"", 2.0 * CARD_W + GAP)));
        assert!(svg.contains(">Insectile Aberration<") && svg.contains(">3/2<"));
        // The costless back face takes the front's blue frame.
        let blue = frame_fill(&["U".to_owned()], &["Creature".to_owned()]);
        assert_eq!(svg.matches(blue).count(), 2);
        let walker = line("Ⓢjace beleren⒞①ⓊⓊ⒭M⒯planeswalker:jace⒧3⒜+2: each player draws a card.Ⓔ");
        let svg = card_svg(&walker);
        assert!(
            svg.contains(">3</text>") && svg.contains("#222"),
            "loyalty box"
        );
        let battle = line("Ⓢinvasion of tarkir⒞①Ⓡ⒭U⒨transform⒯battle:siege⒟5⒜it deals 2 damage to any target.⒝defiant thundermaw⒞⒯creature:dragon⒫4/4⒜flyingⒺ");
        assert!(card_svg(&battle).contains("#8b1a1a"), "defense box");
        let land = line("Ⓢmud pit⒞⒭R⒯land⒜↷: add Ⓒ.Ⓔ");
        let (body, w, _, layouts) = card_body(&land, "x");
        assert_eq!(w, CARD_W);
        assert!(layouts[0].text_fits);
        // No cost: the name bar holds no symbol disc, the text box's one
        // symbol (↷) and the Ⓒ are the only discs.
        assert_eq!(body.matches("<circle").count(), 2 * 2 + 1, "{body}");
    }

    #[test]
    fn a_card_has_its_parts() {
        let card = decode("Ⓢangel of mercy⒞④Ⓦ⒭U⒯creature:angel⒫3/3⒜flying⒜↷: add Ⓦ.Ⓔ");
        let svg = card_svg(&card);
        assert!(svg.contains(">Angel of Mercy<"));
        assert!(svg.contains(">Creature — Angel<"));
        assert!(svg.contains(">3/3<"));
        assert!(svg.contains("#fffbd5"), "a white mana disc");
        assert!(svg.contains("#f4efd9"), "the white frame");
        assert!(svg.contains(">U<"), "the rarity");
        assert!(!svg.contains("{W}") && !svg.contains("{T}"));
        let sheet = sheet_svg(&[&card, &card, &card], 2);
        assert!(sheet.contains(&format!("height=\"{}\"", 2.0 * CARD_H + GAP)));
    }
}
