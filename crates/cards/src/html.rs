//! Cards as one self-contained HTML page: each card drawn with a frame in its
//! colours, mana symbols drawn as coloured circles (CSS, no fonts or images;
//! hybrid symbols split on the diagonal, Phyrexian ones marked Φ), a P/T,
//! loyalty or defense box, the faces of a multi-part card side by side, and
//! the verdict under it. Nothing is fetched from the network.

use crate::decode::{Card, Face};

/// One card to draw and the lines of judgement shown under it.
pub struct HtmlCard<'a> {
    pub card: &'a Card,
    /// Notes such as the novelty verdict, one per line.
    pub notes: Vec<String>,
}

/// The cards' style sheet (also served by `cardlm serve`, whose page draws
/// cards with the same markup).
pub const STYLE: &str = r#"
body { font-family: Georgia, 'Times New Roman', serif; background: #2b2b2b; color: #eee; margin: 24px; }
h1 { font-family: sans-serif; font-size: 20px; }
.cards { display: flex; flex-wrap: wrap; gap: 18px; }
.wrap { width: 260px; }
.card { position: relative; width: 240px; height: 336px; border-radius: 12px; padding: 10px; background: #111; box-shadow: 0 2px 6px #000; }
.frame { height: 100%; border-radius: 8px; padding: 6px; box-sizing: border-box; display: flex; flex-direction: column; color: #111; }
.bar { display: flex; justify-content: space-between; align-items: center; background: rgba(255,255,255,0.75); border-radius: 6px; padding: 3px 6px; font-weight: bold; font-size: 13px; min-height: 20px; }
.name { overflow: hidden; white-space: nowrap; text-overflow: ellipsis; margin-right: 4px; }
.art { flex: 0 0 92px; margin: 6px 2px; border-radius: 4px; background: linear-gradient(135deg, rgba(255,255,255,0.5), rgba(0,0,0,0.25)); }
.type { font-size: 12px; }
.rarity { font-family: sans-serif; font-size: 11px; font-weight: bold; border-radius: 50%; width: 16px; height: 16px; line-height: 16px; text-align: center; color: #fff; }
.r-C { background: #222; } .r-U { background: #8a9aa8; } .r-R { background: #c9a227; } .r-M { background: #d2561b; } .r-S { background: #7b3fa0; } .r-B { background: #555; }
.text { flex: 1; margin-top: 6px; background: rgba(255,255,255,0.85); border-radius: 4px; padding: 6px; font-size: 11.5px; line-height: 1.3; overflow: hidden; }
.text p { margin: 0 0 4px 0; }
.wrap.multi { width: auto; }
.defense { position: absolute; right: 14px; bottom: 12px; background: #8b1a1a; border: 2px solid #e0b0a0; border-radius: 12px 12px 6px 6px; padding: 1px 9px; font-weight: bold; font-size: 14px; color: #fff; }
.pt { position: absolute; right: 14px; bottom: 12px; background: #eee; border: 2px solid #555; border-radius: 6px; padding: 1px 8px; font-weight: bold; font-size: 14px; color: #111; }
.ms { display: inline-block; width: 15px; height: 15px; line-height: 15px; border-radius: 50%; text-align: center; font-family: sans-serif; font-size: 10px; font-weight: bold; color: #111; background: #cbc3bd; box-shadow: -1px 1px 0 #000; margin: 0 1px; vertical-align: middle; }
.ms-h { font-size: 7px; line-height: 7px; } .ms-h sup, .ms-h sub { vertical-align: baseline; position: relative; } .ms-h sup { top: -1px; left: -1px; } .ms-h sub { top: 3px; left: 1px; }
.ms-W { background: #fffbd5; } .ms-U { background: #aae0fa; } .ms-B { background: #a69f9d; } .ms-R { background: #f9aa8f; } .ms-G { background: #9bd3ae; } .ms-C { background: #d6d0cd; }
.verdict { font-family: sans-serif; font-size: 11px; margin-top: 6px; color: #ddd; }
.bad { color: #ff9d8a; } .good { color: #a4e3a4; }
.faces { display: flex; flex-wrap: wrap; gap: 8px; }
.wrap:has(.faces) { width: auto; max-width: 100%; }
.loyalty { position: absolute; right: 12px; bottom: 8px; width: 30px; height: 32px; line-height: 28px; text-align: center; background: #222; color: #fff; border: 2px solid #bbb; border-radius: 6px 6px 15px 15px; font-family: sans-serif; font-weight: bold; font-size: 15px; }
"#;

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The disc colour of a one-colour symbol's letter (`W`), grey for the rest.
fn symbol_colour(letter: &str) -> &'static str {
    match letter {
        "W" => "#fffbd5",
        "U" => "#aae0fa",
        "B" => "#a69f9d",
        "R" => "#f9aa8f",
        "G" => "#9bd3ae",
        "C" => "#d6d0cd",
        _ => "#cbc3bd",
    }
}

fn symbol(s: &str) -> String {
    let upper = s.to_ascii_uppercase();
    let (colors, phyrexian) = match upper.strip_suffix("/P") {
        Some(rest) if !rest.is_empty() => (rest, true),
        _ => (upper.as_str(), false),
    };
    if let Some((a, b)) = colors.split_once('/') {
        // Hybrid: the disc split on the diagonal in both colours.
        let shown = if phyrexian {
            "Φ".to_owned()
        } else {
            format!("<sup>{}</sup><sub>{}</sub>", escape(a), escape(b))
        };
        return format!(
            "<span class=\"ms ms-h\" style=\"background: linear-gradient(135deg, {} 50%, {} 50%)\" title=\"{{{}}}\">{shown}</span>",
            symbol_colour(a),
            symbol_colour(b),
            escape(s),
        );
    }
    let class = match colors {
        "W" | "U" | "B" | "R" | "G" | "C" => colors,
        _ => "X",
    };
    let shown = if upper == "T" {
        "↷"
    } else if phyrexian || upper == "P" {
        "Φ"
    } else {
        s
    };
    format!(
        "<span class=\"ms ms-{class}\" title=\"{{{}}}\">{}</span>",
        escape(s),
        escape(shown)
    )
}

/// Escapes `text` and draws every `{…}` mana symbol in it.
pub fn with_symbols(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        match rest[open..].find('}') {
            Some(close) if close > 1 && close < 8 => {
                out.push_str(&escape(&rest[..open]));
                out.push_str(&symbol(&rest[open + 1..open + close]));
                rest = &rest[open + close + 1..];
            }
            _ => {
                out.push_str(&escape(&rest[..=open]));
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(&escape(rest));
    out
}

/// The frame's background for the card's colours and types.
pub fn frame_colour(card: &Card) -> &'static str {
    frame_fill(&card.colors, &card.types)
}

/// The frame's background for colours (`["W"]`) and types (`["Land"]`): one
/// colour its own tint, several gold, none grey, brown for lands, steel for
/// artifacts. The card images use the same.
pub fn frame_fill(colors: &[String], types: &[String]) -> &'static str {
    let one = |c: &str| match c {
        "W" => "#f4efd9",
        "U" => "#a9cdea",
        "B" => "#9e9690",
        "R" => "#eba48a",
        _ => "#a9d3a0",
    };
    match colors.len() {
        0 if types.iter().any(|t| t == "Land") => "#cdb896",
        0 if types.iter().any(|t| t == "Artifact") => "#c3cbd1",
        0 => "#d3d0cc",
        1 => one(&colors[0]),
        _ => "#e3c96e",
    }
}

/// One face as a printed card (`<div class="card">…</div>`): frame in
/// `colors`, name and cost, type line and rarity, rules text, and the P/T,
/// loyalty or defense box.
fn face_markup(face: &Face, colors: &[String], rarity: (char, &str)) -> String {
    let cost: String = face.mana_symbols.iter().map(|s| symbol(s)).collect();
    let (letter, rare) = rarity;
    let abilities: String = face
        .abil
        .iter()
        .map(|a| crate::decode::display_text(a))
        .filter(|a| !a.trim().is_empty())
        .map(|a| format!("<p>{}</p>", with_symbols(&a)))
        .collect();
    let corner = if !face.pt.is_empty() {
        format!("<div class=\"pt\">{}</div>", escape(&face.pt))
    } else if let Some(loyalty) = &face.loyalty {
        format!(
            "<div class=\"loyalty\" title=\"loyalty\">{}</div>",
            escape(loyalty)
        )
    } else if let Some(defense) = &face.defense {
        format!(
            "<div class=\"defense\" title=\"defense\">{}</div>",
            escape(defense)
        )
    } else {
        String::new()
    };
    format!(
        "<div class=\"card\"><div class=\"frame\" style=\"background: {frame}\">\
<div class=\"bar\"><span class=\"name\">{name}</span><span class=\"cost\">{cost}</span></div>\
<div class=\"art\"></div>\
<div class=\"bar type\"><span class=\"typeline\">{type_line}</span><span class=\"rarity r-{letter}\" title=\"{rare}\">{letter}</span></div>\
<div class=\"text\">{abilities}</div></div>{corner}</div>",
        frame = frame_fill(colors, &face.types),
        name = escape(&crate::decode::display_text(&face.name)),
        type_line = escape(&crate::decode::display_text(&face.type_line)),
        rare = escape(rare),
    )
}

/// The card itself, no verdicts: one `<div class="card">` for a one-part
/// card, the faces side by side in `<div class="faces">` for a multi-part
/// one. What the page of `generate --format html` and the workshop page of
/// `cardlm serve` both show, so that cards are drawn in this one place.
pub fn card_markup(card: &Card) -> String {
    let letter = card.rarity_letter.chars().next().unwrap_or('C');
    let letter = if "CURMSB".contains(letter) {
        letter
    } else {
        'C'
    };
    let rarity = (letter, card.rare.as_str());
    let front_colors = card.faces.first().map_or(&card.colors, |f| &f.colors);
    match card.faces.as_slice() {
        [] => face_markup(&front_face(card), &card.colors, rarity),
        // A one-part card's frame shows all its colours.
        [one] => face_markup(one, &card.colors, rarity),
        faces => {
            // A costless back face (transform, meld, flip) is printed in its
            // front's colours.
            let drawn: String = faces
                .iter()
                .enumerate()
                .map(|(i, face)| {
                    let colors = if i > 0 && face.mana_symbols.is_empty() {
                        front_colors
                    } else {
                        &face.colors
                    };
                    face_markup(face, colors, rarity)
                })
                .collect();
            format!(
                "<div class=\"faces\" title=\"{layout}: {n} faces\" data-layout=\"{layout}\">{drawn}</div>",
                layout = escape(&card.layout),
                n = faces.len()
            )
        }
    }
}

/// A card decoded without faces (a line too broken to have any): its front
/// fields as a face.
fn front_face(card: &Card) -> Face {
    Face {
        name: card.name.clone(),
        cost: card.cost.clone(),
        type_line: card.type_line.clone(),
        abil: card.abil.clone(),
        pt: card.pt.clone(),
        loyalty: card.loyalty.clone(),
        defense: card.defense.clone(),
        flavor: None,
        cost_symbols: card.cost_symbols.clone(),
        mana_symbols: card.mana_symbols.clone(),
        colors: card.colors.clone(),
        mana_value: card.mana_value,
        supertypes: card.supertypes.clone(),
        types: card.types.clone(),
        subtypes: card.subtypes.clone(),
        power: card.power.clone(),
        toughness: card.toughness.clone(),
        encoded_types: String::new(),
    }
}

fn draw(item: &HtmlCard) -> String {
    let card = item.card;
    let verdict = if card.well_formed {
        "<div class=\"good\">well-formed</div>".to_owned()
    } else {
        format!(
            "<div class=\"bad\">not well-formed: {}</div>",
            escape(&card.problems.join("; "))
        )
    };
    let notes: String = item
        .notes
        .iter()
        .map(|n| format!("<div>{}</div>", escape(n)))
        .collect();
    let (wrap, layout) = if card.faces.len() > 1 {
        (
            "wrap multi",
            format!("<div class=\"verdict\">{}</div>", escape(&card.layout)),
        )
    } else {
        ("wrap", String::new())
    };
    format!(
        "<div class=\"{wrap}\">{}{layout}<div class=\"verdict\">{verdict}{notes}</div></div>\n",
        card_markup(card)
    )
}

/// A whole page with every card.
pub fn render_page(title: &str, cards: &[HtmlCard]) -> String {
    let body: String = cards.iter().map(draw).collect();
    format!("{}{body}{PAGE_TAIL}", page_head(title))
}

/// The page up to its first card: written first when cards are streamed.
pub fn page_head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title><style>{STYLE}</style></head>\n<body><h1>{t}</h1><div class=\"cards\">\n",
        t = escape(title)
    )
}

/// One card of the page, between [`page_head`] and [`PAGE_TAIL`].
pub fn render_card(item: &HtmlCard) -> String {
    draw(item)
}

/// Closes the page after its last card.
pub const PAGE_TAIL: &str = "</div></body></html>\n";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::decode;

    #[test]
    fn both_faces_of_a_multi_part_card_and_a_loyalty_box_are_drawn() {
        let card = decode(
            "Ⓢdelver of secrets⒞Ⓤ⒭C⒨transform⒯creature:human wizard⒫1/1⒜flying\
⒝insectile aberration⒞⒯creature:human insect⒫3/2⒜flyingⒺ",
        );
        assert_eq!(card.faces.len(), 2, "{card:?}");
        let html = card_markup(&card);
        assert!(html.starts_with("<div class=\"faces\""), "{html}");
        assert_eq!(html.matches("class=\"card\"").count(), 2);
        assert!(html.contains("Delver of Secrets") && html.contains("Insectile Aberration"));
        assert!(html.contains("class=\"pt\">1/1<") && html.contains("class=\"pt\">3/2<"));
        assert!(html.contains("data-layout=\"transform\""));

        let walker = decode("Ⓢjace⒞②ⓊⓊ⒭M⒯legendary planeswalker:jace⒧3⒜+1: draw a card.Ⓔ");
        assert_eq!(walker.loyalty.as_deref(), Some("3"), "{walker:?}");
        let html = card_markup(&walker);
        assert!(
            html.contains("<div class=\"loyalty\" title=\"loyalty\">3</div>"),
            "{html}"
        );
        assert!(!html.contains("class=\"pt\""));
        assert_eq!(html.matches("class=\"card\"").count(), 1);
    }

    #[test]
    fn a_page_draws_symbols_frames_and_pt_without_network() {
        let card = decode("Ⓢangel <of> mercy⒞④Ⓦ⒭U⒯creature:angel⒫3/3⒜flying⒜↷: add Ⓦ.Ⓔ");
        let page = render_page(
            "cards",
            &[HtmlCard {
                card: &card,
                notes: vec!["novel".into()],
            }],
        );
        assert!(page.contains("ms ms-W"));
        assert!(page.contains("class=\"pt\">3/3<"));
        assert!(page.contains("#f4efd9"), "white frame");
        assert!(page.contains("&lt;Of&gt;") || page.contains("&lt;of&gt;"));
        assert!(!page.contains("http://") && !page.contains("https://"));
        assert!(!page.contains("<script"));
        assert_eq!(
            with_symbols("{T}: add {G}"),
            format!("{}: add {}", symbol("T"), symbol("G"))
        );
    }

    #[test]
    fn every_kind_of_card_shows_its_faces_boxes_and_symbols() {
        let draw_line = |line: &str| {
            let card = decode(line);
            assert!(card.well_formed, "{:?}", card.problems);
            render_card(&HtmlCard {
                card: &card,
                notes: vec![],
            })
        };
        let delver = draw_line("Ⓢdelver of secrets⒞Ⓤ⒭C⒨transform⒯creature:human wizard⒫1/1⒜transform Ⓝ.⒝insectile aberration⒞⒯creature:human insect⒫3/2⒜flyingⒺ");
        assert_eq!(delver.matches("class=\"card\"").count(), 2);
        assert!(delver.contains("wrap multi") && delver.contains(">transform<"));
        assert!(delver.contains(">Insectile Aberration<") && delver.contains("class=\"pt\">3/2<"));
        // The back face is framed in its front's blue.
        assert_eq!(delver.matches("#a9cdea").count(), 2);
        let fire =
            draw_line("Ⓢfire⒞①Ⓡ⒭U⒨split⒯instant⒜Ⓝ deals 2 damage.⒝ice⒞①Ⓤ⒯instant⒜draw a card.Ⓔ");
        assert!(fire.contains(">Ice<") && fire.contains("#eba48a") && fire.contains("#a9cdea"));
        let jace =
            draw_line("Ⓢjace beleren⒞①ⓊⓊ⒭M⒯planeswalker:jace⒧3⒜+2: each player draws a card.Ⓔ");
        assert!(jace.contains("class=\"loyalty\" title=\"loyalty\">3<"));
        assert!(!jace.contains("class=\"pt\""));
        let battle = draw_line("Ⓢinvasion of tarkir⒞①Ⓡ⒭U⒨transform⒯battle:siege⒟5⒜it deals 2 damage to any target.⒝defiant thundermaw⒞⒯creature:dragon⒫4/4⒜flyingⒺ");
        assert!(battle.contains("class=\"defense\" title=\"defense\">5<"));
        let land = draw_line("Ⓢmud pit⒞⒭R⒯land⒜↷: add Ⓒ.Ⓔ");
        assert!(land.contains("<span class=\"name\">Mud Pit</span><span class=\"cost\"></span>"));
        assert!(land.contains("#cdb896"), "a land's frame");
        let finks = draw_line("Ⓢkitchen finks⒞①{G/W}{B/P}⒭U⒯creature:ouphe⒫3/2⒜persistⒺ");
        assert!(finks.contains("linear-gradient(135deg, #9bd3ae 50%, #fffbd5 50%)"));
        assert!(finks.contains("<sup>G</sup><sub>W</sub>"));
        assert!(finks.contains("class=\"ms ms-B\" title=\"{B/P}\">Φ<"));
    }
}
