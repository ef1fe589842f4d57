//! Judged cards in every output format of `cardlm generate`, as bytes: what
//! the CLI writes to a file or stdout and what `cardlm serve` answers on
//! `POST /api/export`. The writers themselves are the cards crate's
//! ([`cardlm_cards::export`], [`cardlm_cards::html`]) and the render
//! crate's; this module only joins them to [`JudgedCard`] so that every
//! front end writes the same bytes.

use cardlm_cards::decode::{render_text, Card};
use cardlm_cards::export::{cockatrice, mse, scryfall, Judged};
use cardlm_cards::html::{page_head, render_card, HtmlCard, PAGE_TAIL};

use crate::card::JudgedCard;

/// Why an export could not be written; each one line for the user.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Render(#[from] cardlm_render::RenderError),
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{0} is not an image format")]
    NotAnImage(&'static str),
}

/// Pixels per card unit: a 480 × 672 PNG per card face.
pub const PNG_SCALE: f32 = 2.0;
/// Cards per row on a sheet.
pub const SHEET_COLUMNS: usize = 5;

/// An output format of `cardlm generate --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The seed's printed layout with the verdict under each card.
    Text,
    /// One JSON array of judged cards.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// One self-contained HTML page.
    Html,
    /// A Magic Set Editor 2 set (a zip).
    Mse,
    /// A Cockatrice custom set (carddatabase XML, version 4).
    Cockatrice,
    /// Scryfall-shaped JSON card objects.
    Scryfall,
    /// PNG card images (here: one sheet).
    Png,
    /// SVG card images, text as outlines (here: one sheet).
    Svg,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Text,
        Format::Json,
        Format::Jsonl,
        Format::Html,
        Format::Mse,
        Format::Cockatrice,
        Format::Scryfall,
        Format::Png,
        Format::Svg,
    ];

    /// The name `--format` and `?format=` take.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Html => "html",
            Format::Mse => "mse",
            Format::Cockatrice => "cockatrice",
            Format::Scryfall => "scryfall",
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// One line on what the format is (`--help`).
    pub fn help(self) -> &'static str {
        match self {
            Format::Text => "the seed's printed layout with the verdicts under each card",
            Format::Json => "one JSON array of judged cards",
            Format::Jsonl => "one JSON object per line",
            Format::Html => "one self-contained HTML page",
            Format::Mse => "a Magic Set Editor 2 set (a zip; needs --out NAME.mse-set)",
            Format::Cockatrice => "a Cockatrice custom set (carddatabase XML, version 4)",
            Format::Scryfall => {
                "Scryfall-shaped JSON card objects (`cardlm prepare` reads them back)"
            }
            Format::Png => "PNG card images: --out DIR (one per card) or --out NAME.png (a sheet)",
            Format::Svg => "SVG card images, text as outlines: --out DIR or --out NAME.svg",
        }
    }

    /// What a person is offered (a button's words).
    pub fn label(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "JSON",
            Format::Jsonl => "JSON lines",
            Format::Html => "HTML page",
            Format::Mse => "MSE set",
            Format::Cockatrice => "Cockatrice XML",
            Format::Scryfall => "Scryfall JSON",
            Format::Png => "PNG sheet",
            Format::Svg => "SVG sheet",
        }
    }

    /// The file's media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Text => "text/plain; charset=utf-8",
            Format::Json | Format::Scryfall => "application/json",
            Format::Jsonl => "application/x-ndjson",
            Format::Html => "text/html; charset=utf-8",
            Format::Mse => "application/zip",
            Format::Cockatrice => "application/xml",
            Format::Png => "image/png",
            Format::Svg => "image/svg+xml",
        }
    }

    /// The file name's ending (`.mse-set`, `.xml`, ...).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Html => "html",
            Format::Mse => "mse-set",
            Format::Cockatrice => "xml",
            Format::Scryfall => "scryfall.json",
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }
}

/// The lines written under or beside a card in the card-maker formats: its
/// verdicts, less "not well-formed", which every format has a field for.
pub fn export_notes(card: &JudgedCard) -> Vec<String> {
    card.verdict_lines()
        .into_iter()
        .filter(|l| !l.starts_with("not well-formed"))
        .collect()
}

/// One card as `generate` prints it: the seed's layout, then each verdict
/// in brackets.
pub fn text_card(card: &JudgedCard) -> String {
    let mut out = render_text(&card.card);
    for line in card.verdict_lines() {
        out.push('(');
        out.push_str(&line);
        out.push_str(")\n");
    }
    out
}

/// One card of the HTML page (between [`page_head`] and [`PAGE_TAIL`]).
pub fn html_card(card: &JudgedCard) -> String {
    let notes = card
        .is_strict()
        .then(|| "passes the strict judge".to_owned())
        .into_iter()
        .chain(export_notes(card))
        .collect();
    render_card(&HtmlCard {
        card: &card.card,
        notes,
    })
}

/// All cards on one image: PNG at [`PNG_SCALE`], or SVG with its text as
/// outlines, [`SHEET_COLUMNS`] cards a row.
pub fn image_sheet(cards: &[&Card], format: Format) -> Result<Vec<u8>, ExportError> {
    match format {
        Format::Png => Ok(cardlm_render::sheet_png(cards, SHEET_COLUMNS, PNG_SCALE)?),
        Format::Svg => Ok(cardlm_render::sheet_svg_outlined(cards, SHEET_COLUMNS)?.into_bytes()),
        other => Err(ExportError::NotAnImage(other.name())),
    }
}

/// The whole file of `cards` in `format`; `title` names the set (MSE,
/// Cockatrice) or the page (HTML).
pub fn export(format: Format, title: &str, cards: &[JudgedCard]) -> Result<Vec<u8>, ExportError> {
    let notes: Vec<Vec<String>> = cards.iter().map(export_notes).collect();
    let judged: Vec<Judged> = cards
        .iter()
        .zip(&notes)
        .map(|(c, n)| Judged {
            card: &c.card,
            notes: n,
        })
        .collect();
    Ok(match format {
        Format::Text => cards
            .iter()
            .map(text_card)
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes(),
        Format::Json => {
            let mut bytes = serde_json::to_vec_pretty(cards)?;
            bytes.push(b'\n');
            bytes
        }
        Format::Jsonl => {
            let mut bytes = Vec::new();
            for c in cards {
                serde_json::to_writer(&mut bytes, c)?;
                bytes.push(b'\n');
            }
            bytes
        }
        Format::Html => {
            let body: String = cards.iter().map(html_card).collect();
            format!("{}{body}{PAGE_TAIL}", page_head(title)).into_bytes()
        }
        Format::Mse => mse::mse_set(title, &judged),
        Format::Cockatrice => cockatrice::cockatrice_xml(title, &judged).into_bytes(),
        Format::Scryfall => scryfall::scryfall_json(&judged),
        Format::Png | Format::Svg => {
            let decoded: Vec<&Card> = cards.iter().map(|c| &c.card).collect();
            image_sheet(&decoded, format)?
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cardlm_cards::decode::Rules;
    use cardlm_cards::field_forcing::ForcingPlan;

    fn cards() -> Vec<JudgedCard> {
        [
            "Ⓢangel of mercy⒞④Ⓦ⒭U⒯creature:angel⒫3/3⒜flying⒜when Ⓝ enters the battlefield, you gain 3 life.Ⓔ",
            "Ⓢshock⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ",
            "Ⓢbroken⒞Ⓡ⒭C",
        ]
        .iter()
        .enumerate()
        .map(|(i, l)| JudgedCard::judge(i, 1, (*l).into(), true, &ForcingPlan::default(), None, Rules::default()))
        .collect()
    }

    #[test]
    fn names_round_trip_and_every_format_writes_something_of_its_kind() {
        let cards = cards();
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(f));
            let bytes = export(f, "test set", &cards).unwrap();
            assert!(!bytes.is_empty(), "{}", f.name());
            match f {
                Format::Json | Format::Scryfall => {
                    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                    assert!(v.is_array() || v.is_object(), "{}", f.name());
                }
                Format::Jsonl => {
                    assert_eq!(String::from_utf8(bytes).unwrap().lines().count(), 3)
                }
                Format::Png => assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n")),
                Format::Svg => assert!(String::from_utf8(bytes).unwrap().contains("<svg")),
                Format::Mse => assert!(bytes.starts_with(b"PK")),
                Format::Cockatrice => {
                    assert!(String::from_utf8(bytes)
                        .unwrap()
                        .contains("<cockatrice_carddatabase"))
                }
                Format::Html => {
                    let page = String::from_utf8(bytes).unwrap();
                    assert!(page.contains("<title>test set</title>"));
                    assert_eq!(page.matches("class=\"card\"").count(), 3);
                }
                Format::Text => {
                    let text = String::from_utf8(bytes).unwrap();
                    assert!(text.starts_with("Angel of Mercy\n{4}{W}\n"), "{text}");
                    assert!(text.contains("(not well-formed: "), "{text}");
                }
            }
        }
        assert_eq!(Format::from_name("pdf"), None);
    }

    #[test]
    fn json_is_the_array_generate_streams() {
        let cards = cards();
        let bytes = export(Format::Json, "", &cards).unwrap();
        let back: Vec<serde_json::Value> = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back.len(), 3);
        assert_eq!(back[1]["name"], "Shock");
        assert_eq!(back[2]["well_formed"], false);
        assert!(bytes.ends_with(b"]\n"));
        // The notes of the card-maker formats leave out "not well-formed".
        assert!(export_notes(&cards[2]).is_empty());
    }
}
