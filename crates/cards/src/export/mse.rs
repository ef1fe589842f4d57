//! Magic Set Editor 2 set files (`.mse-set`): a zip archive whose `set` entry
//! is MSE's own indented text format, game `magic`, stylesheet `m15`.
//!
//! The format, as MSE's reader (`src/util/io/reader.cpp`) parses it: one
//! `key: value` a line, nesting by tabs; a key with nothing after the colon
//! opens either a block of keys or a multi-line string whose lines are indented
//! one tab deeper. Field names follow the `magic` game's card fields as
//! mtgencode's MSE writer (`lib/cardlib.py`, `Card.to_mse`) and sets shared by
//! custom-card makers use them: `name`, `casting_cost` (symbols without braces,
//! `2WU`), `super_type`, `sub_type`, `rarity`, `rule_text` (mana symbols as
//! `<sym>W</sym>`), `power`, `toughness`, `loyalty`, `notes`, and the second
//! face's fields with a `_2` suffix under a two-face stylesheet. Planeswalker
//! abilities go to `loyalty_cost_N` / `level_N_text` as the m15 planeswalker
//! frame expects. A literal `<` in text is written as MSE's escape `\x01`.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use super::{faces, layout, Face, Judged};

/// MSE's version line; 2.0.2 is what current MSE releases and the community's
/// templates write.
pub const MSE_VERSION: &str = "2.0.2";
/// The stylesheet of single-faced cards.
pub const STYLESHEET: &str = "m15";

/// MSE's rarity words (the `magic` game's choices).
fn mse_rarity(letter: &str) -> &'static str {
    match letter {
        "U" => "uncommon",
        "R" => "rare",
        "M" => "mythic rare",
        "S" => "special",
        "B" => "basic land",
        _ => "common",
    }
}

/// A mana symbol as MSE's `magic` symbol font spells it: Phyrexian mana is
/// `H/W` (json-to-mse's `cost_to_mse`), `{W/U/P}` `H/W/U`; every other symbol
/// (`W`, `2/W`, `W/U`, `C`, `S`, `X`, numbers) as cardlm writes it.
pub fn mse_symbol(symbol: &str) -> String {
    let upper = symbol.to_ascii_uppercase();
    match upper.strip_suffix("/P") {
        Some(colors) if !colors.is_empty() => format!("H/{colors}"),
        _ if upper == "P" => "phi".to_owned(),
        _ => symbol.to_owned(),
    }
}

/// Back from MSE's symbol spelling to cardlm's (`H/W` → `W/P`).
pub fn cardlm_symbol(symbol: &str) -> String {
    match symbol.strip_prefix("H/") {
        Some(colors) => format!("{colors}/P"),
        None if symbol == "phi" => "P".to_owned(),
        None => symbol.to_owned(),
    }
}

/// MSE's tagged text: `<` escaped, `{W}` as `<sym>W</sym>`.
fn tagged(text: &str) -> String {
    let escaped = text.replace('<', "\u{1}");
    let mut out = String::with_capacity(escaped.len());
    let mut rest = escaped.as_str();
    while let Some(open) = rest.find('{') {
        match rest[open..].find('}') {
            Some(close) if close > 1 => {
                out.push_str(&rest[..open]);
                out.push_str("<sym>");
                out.push_str(&mse_symbol(&rest[open + 1..open + close]));
                out.push_str("</sym>");
                rest = &rest[open + close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Back from tagged text to cardlm's `{W}` form (for reading a set back).
pub fn untagged(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("<sym>") {
        out.push_str(&rest[..open]);
        let inner = &rest[open + "<sym>".len()..];
        match inner.find("</sym>") {
            Some(close) => {
                out.push('{');
                out.push_str(&cardlm_symbol(&inner[..close]));
                out.push('}');
                rest = &inner[close + "</sym>".len()..];
            }
            None => {
                out.push_str("<sym>");
                rest = inner;
            }
        }
    }
    out.push_str(rest);
    out.replace('\u{1}', "<")
}

/// A face's cost as MSE's `casting_cost` holds it: symbols without braces
/// in MSE's spelling (`1G/WH/B`).
pub fn casting_cost(face: &Face) -> String {
    face.mana_symbols.iter().map(|s| mse_symbol(s)).collect()
}

/// `key: value` at `depth` tabs; a value with line breaks (or none at all
/// but meant as text) as a multi-line block one tab deeper.
fn field(out: &mut String, depth: usize, key: &str, value: &str) {
    let tabs = "\t".repeat(depth);
    let single = !value.contains('\n') && value.trim() == value && !value.is_empty();
    if single {
        out.push_str(&format!("{tabs}{key}: {value}\n"));
    } else {
        out.push_str(&format!("{tabs}{key}:\n"));
        if value.is_empty() {
            return;
        }
        for line in value.split('\n') {
            out.push_str(&format!("{tabs}\t{line}\n"));
        }
    }
}

/// A planeswalker ability's loyalty cost (`+1`, `−2`, `0`) and the rest.
fn loyalty_ability(rule: &str) -> Option<(&str, &str)> {
    let (cost, text) = rule.split_once(':')?;
    let digits = cost.trim_start_matches(['+', '-', '−']);
    let ok = !digits.is_empty()
        && (digits.chars().all(|c| c.is_ascii_digit()) || digits == "X")
        && cost.len() - digits.len() <= '−'.len_utf8();
    ok.then(|| (cost, text.trim_start()))
}

/// The fields of one face, `suffix` `""` for the front and `_2` for the back.
fn face_fields(out: &mut String, face: &Face, rarity: &str, suffix: &str) {
    field(out, 1, &format!("name{suffix}"), &tagged(&face.name));
    if !face.mana_symbols.is_empty() {
        field(
            out,
            1,
            &format!("casting_cost{suffix}"),
            &casting_cost(face),
        );
    }
    let left: Vec<&str> = face
        .supertypes
        .iter()
        .chain(&face.types)
        .map(String::as_str)
        .collect();
    field(out, 1, &format!("super_type{suffix}"), &left.join(" "));
    if !face.subtypes.is_empty() {
        field(
            out,
            1,
            &format!("sub_type{suffix}"),
            &face.subtypes.join(" "),
        );
    }
    field(out, 1, &format!("rarity{suffix}"), rarity);
    let walker = face.loyalty.is_some() && suffix.is_empty();
    if walker {
        // The m15 planeswalker frame: one text box per ability, the loyalty
        // cost in its own field beside it.
        for (i, rule) in face.rules.iter().enumerate() {
            let n = i + 1;
            match loyalty_ability(rule) {
                Some((cost, text)) => {
                    field(out, 1, &format!("loyalty_cost_{n}"), cost);
                    field(out, 1, &format!("level_{n}_text"), &tagged(text));
                }
                None => field(out, 1, &format!("level_{n}_text"), &tagged(rule)),
            }
        }
    } else if !face.rules.is_empty() {
        field(
            out,
            1,
            &format!("rule_text{suffix}"),
            &tagged(&face.rules_text()),
        );
    }
    if let (Some(p), Some(t)) = (&face.power, &face.toughness) {
        field(out, 1, &format!("power{suffix}"), p);
        field(out, 1, &format!("toughness{suffix}"), t);
    }
    // The battle frame (m15-mainframe-battles) shows a battle's defense in
    // the loyalty field's box.
    if let Some(l) = face.loyalty.as_ref().or(face.defense.as_ref()) {
        field(out, 1, &format!("loyalty{suffix}"), l);
    }
}

/// The stylesheet for a card of this layout (MSE's m15 family, the names
/// fenhl/json-to-mse picks, `src/mse.rs`): double-faced and meld cards on
/// the m15 mainframe DFC frame, split and aftermath cards on their own frames,
/// planeswalkers and battles on theirs; `None` keeps the set's `m15`.
fn stylesheet_for(layout: &str, front: &Face) -> Option<&'static str> {
    match layout {
        "transform" | "modal_dfc" | "meld" => Some("m15-mainframe-dfc"),
        "adventure" => Some("m15-adventure"),
        "split" => Some("m15-split-fusable"),
        "aftermath" => Some("m15-aftermath"),
        "flip" => Some("m15-flip"),
        _ if front.loyalty.is_some() => Some("m15-mainframe-planeswalker"),
        _ if front.defense.is_some() => Some("m15-mainframe-battles"),
        _ => None,
    }
}

/// The text of the `set` file: the header, then one `card:` block per card.
pub fn set_file(title: &str, cards: &[Judged]) -> String {
    let mut out = String::new();
    field(&mut out, 0, "mse_version", MSE_VERSION);
    field(&mut out, 0, "game", "magic");
    field(&mut out, 0, "stylesheet", STYLESHEET);
    out.push_str("set_info:\n");
    field(&mut out, 1, "title", &tagged(title));
    field(&mut out, 1, "description", "Generated by cardlm.");
    field(&mut out, 1, "set_language", "EN");
    out.push_str("styling:\n");
    for item in cards {
        let card = item.card;
        let all = faces(card);
        let Some(front) = all.first() else { continue };
        let rarity = mse_rarity(&card.rarity_letter);
        out.push_str("card:\n");
        field(&mut out, 1, "has_styling", "false");
        if let Some(sheet) = stylesheet_for(layout(card), front) {
            field(&mut out, 1, "stylesheet", sheet);
        }
        face_fields(&mut out, front, rarity, "");
        if let Some(back) = all.get(1) {
            face_fields(&mut out, back, rarity, "_2");
        }
        let mut notes: Vec<String> = Vec::new();
        if card.well_formed {
            notes.push("cardlm: well-formed".to_owned());
        } else {
            notes.push(format!(
                "cardlm: not well-formed: {}",
                card.problems.join("; ")
            ));
        }
        notes.extend(item.notes.iter().map(|n| format!("cardlm: {n}")));
        field(&mut out, 1, "notes", &notes.join("\n"));
    }
    out.push_str("version_control:\n");
    field(&mut out, 1, "type", "none");
    out.push_str("apprentice_code:\n");
    out
}

/// The `.mse-set` archive: a zip holding the `set` file.
pub fn mse_set(title: &str, cards: &[Judged]) -> Vec<u8> {
    let text = set_file(title, cards);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    // Writing into memory cannot fail.
    zip.start_file("set", options).expect("zip entry in memory");
    zip.write_all(text.as_bytes()).expect("zip entry in memory");
    zip.finish().expect("zip in memory").into_inner()
}

/// One line of an MSE file read back: its key, its value after the colon, and
/// the lines indented deeper under it (one tab removed), which are either a
/// block of keys or a multi-line string; which one depends on the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub value: String,
    pub body: Vec<String>,
}

impl Entry {
    /// The value as a string: the text after the colon, or the lines under it.
    pub fn text(&self) -> String {
        if self.value.is_empty() {
            self.body.join("\n")
        } else {
            self.value.clone()
        }
    }

    /// The lines under it read as a block of keys.
    pub fn block(&self) -> Vec<Entry> {
        parse(&self.body.join("\n"))
    }
}

/// Reads MSE's indented format as its reader does: tabs give the depth, the
/// key runs to the first colon, the value is the rest with leading spaces
/// trimmed; blank lines and `#` comments are skipped.
pub fn parse(text: &str) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    for line in text.lines() {
        if let Some(deeper) = line.strip_prefix('\t') {
            if let Some(last) = entries.last_mut() {
                last.body.push(deeper.to_owned());
            }
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line.split_once(':').unwrap_or((line, ""));
        entries.push(Entry {
            key: key.trim().replace(' ', "_"),
            value: value.trim_start().to_owned(),
            body: Vec::new(),
        });
    }
    entries
}

/// One card's fields read back: key to text.
pub type CardFields = BTreeMap<String, String>;

/// Reads an `.mse-set` archive back: the header's keys and each card's fields
/// (multi-line values joined with `\n`, tagged text left as written).
pub fn read_set(bytes: &[u8]) -> Result<(Vec<Entry>, Vec<CardFields>), String> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a zip archive: {e}"))?;
    let mut entry = archive
        .by_name("set")
        .map_err(|_| "the archive has no `set` file".to_owned())?;
    let mut text = String::new();
    entry
        .read_to_string(&mut text)
        .map_err(|e| format!("the `set` file is not UTF-8 text: {e}"))?;
    let top = parse(&text);
    let cards = top
        .iter()
        .filter(|e| e.key == "card")
        .map(|card| {
            card.block()
                .into_iter()
                .map(|f| {
                    let v = f.text();
                    (f.key, v)
                })
                .collect()
        })
        .collect();
    Ok((top, cards))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::decode;
    use crate::export::test_cards;

    fn judged<'a>(cards: &'a [crate::Card], notes: &'a [String]) -> Vec<Judged<'a>> {
        cards.iter().map(|card| Judged { card, notes }).collect()
    }

    #[test]
    fn every_field_comes_back_from_the_zip() {
        let cards = test_cards::sample();
        let notes = vec![
            "novel".to_owned(),
            "nearest rules text Foo (0.50)".to_owned(),
        ];
        let bytes = mse_set("cardlm <test>", &judged(&cards, &notes));
        let (top, read) = read_set(&bytes).unwrap();
        let header = |k: &str| top.iter().find(|e| e.key == k).map(Entry::text);
        assert_eq!(header("mse_version").as_deref(), Some(MSE_VERSION));
        assert_eq!(header("game").as_deref(), Some("magic"));
        assert_eq!(header("stylesheet").as_deref(), Some("m15"));
        let info = top.iter().find(|e| e.key == "set_info").unwrap().block();
        assert_eq!(untagged(&info[0].text()), "cardlm <test>");
        assert_eq!(read.len(), cards.len());
        for (card, fields) in cards.iter().zip(&read) {
            let face = &faces(card)[0];
            let get = |k: &str| fields.get(k).cloned();
            assert_eq!(get("name").map(|n| untagged(&n)), Some(face.name.clone()));
            let cost = face.mana_symbols.concat();
            assert_eq!(get("casting_cost"), (!cost.is_empty()).then_some(cost));
            let left: Vec<String> = face.supertypes.iter().chain(&face.types).cloned().collect();
            assert_eq!(get("super_type"), Some(left.join(" ")));
            assert_eq!(
                get("sub_type"),
                (!face.subtypes.is_empty()).then(|| face.subtypes.join(" "))
            );
            assert_eq!(
                get("rarity").as_deref(),
                Some(mse_rarity(&card.rarity_letter))
            );
            assert_eq!(
                get("rule_text").map(|t| untagged(&t)),
                Some(face.rules_text())
            );
            assert_eq!(get("power"), face.power.clone());
            assert_eq!(get("toughness"), face.toughness.clone());
            assert_eq!(get("loyalty"), None);
            let expected_notes =
                format!("cardlm: well-formed\ncardlm: novel\ncardlm: {}", notes[1]);
            assert_eq!(get("notes"), Some(expected_notes));
        }
        // Symbols are MSE symbols, a literal < is escaped.
        assert_eq!(
            read[1]["rule_text"].lines().nth(1).unwrap(),
            "<sym>T</sym>: Add <sym>R</sym> & draw \"X\"."
        );
        assert!(read[1]["name"].starts_with("Shock \u{1}"));
        assert_eq!(read[0]["rarity"], "uncommon");
        assert_eq!(read[2]["rarity"], "mythic rare");
        assert_eq!(read[4]["casting_cost"], "2GU");
    }

    #[test]
    fn every_kind_of_card_writes_both_faces_and_its_boxes() {
        let cards = test_cards::kinds();
        let (_, read) = read_set(&mse_set("kinds", &judged(&cards, &[]))).unwrap();
        assert_eq!(read.len(), cards.len());
        for (card, fields) in cards.iter().zip(&read) {
            let all = faces(card);
            for (face, suffix) in all.iter().zip(["", "_2"]) {
                let get = |k: &str| fields.get(&format!("{k}{suffix}")).cloned();
                assert_eq!(get("name").map(|n| untagged(&n)), Some(face.name.clone()));
                assert_eq!(
                    get("casting_cost"),
                    (!face.mana_symbols.is_empty()).then(|| casting_cost(face))
                );
                let left: Vec<String> =
                    face.supertypes.iter().chain(&face.types).cloned().collect();
                assert_eq!(get("super_type"), Some(left.join(" ")));
                assert_eq!(get("power"), face.power.clone());
                assert_eq!(get("toughness"), face.toughness.clone());
                if face.loyalty.is_none() {
                    assert_eq!(
                        get("rule_text").map(|t| untagged(&t)),
                        Some(face.rules_text()),
                        "{}",
                        face.name
                    );
                }
            }
            assert!(!fields.contains_key("name_3"));
            assert_eq!(fields.contains_key("name_2"), all.len() == 2);
        }
        let sheet = |i: usize| read[i].get("stylesheet").map(String::as_str);
        assert_eq!(sheet(0), Some("m15-mainframe-dfc"));
        assert_eq!(sheet(1), Some("m15-split-fusable"));
        assert_eq!(sheet(2), Some("m15-adventure"));
        assert_eq!(sheet(3), Some("m15-mainframe-planeswalker"));
        assert_eq!(sheet(4), None, "a land keeps the set's m15");
        assert_eq!(read[0]["name_2"], "Insectile Aberration");
        assert!(
            !read[0].contains_key("casting_cost_2"),
            "a back face has no cost"
        );
        assert_eq!(read[1]["casting_cost_2"], "1U");
        assert_eq!(read[2]["super_type_2"], "Instant");
        assert_eq!(read[3]["loyalty"], "3");
        assert_eq!(read[3]["loyalty_cost_2"], "−1");
        assert_eq!(read[3]["level_2_text"], "Target player draws a card.");
        assert!(!read[4].contains_key("casting_cost"));
        assert!(read[4]["rule_text"].contains("<sym>U/B</sym>, <sym>T</sym>: Add"));
        // Phyrexian mana in the symbol font's spelling, read back to cardlm's.
        assert_eq!(read[5]["casting_cost"], "1G/WH/B");
        assert_eq!(read[6]["loyalty"], "5", "a battle's defense in the box");
        assert_eq!(untagged("<sym>H/B</sym>"), "{B/P}");
    }

    #[test]
    fn an_ill_formed_card_says_why_in_its_notes() {
        let cards = vec![decode("Ⓢa⒞Ⓦ⒭C⒯creature⒜x")];
        let (_, read) = read_set(&mse_set("t", &judged(&cards, &[]))).unwrap();
        assert!(read[0]["notes"].starts_with("cardlm: not well-formed: "));
        assert!(read[0]["notes"].contains("without P/T"));
    }

    #[test]
    fn planeswalker_abilities_fill_the_level_boxes() {
        let face = Face {
            name: "Tamiyo".into(),
            mana_cost: "{3}{U}".into(),
            mana_symbols: vec!["3".into(), "U".into()],
            colors: vec!["U".into()],
            mana_value: 4,
            supertypes: vec!["Legendary".into()],
            types: vec!["Planeswalker".into()],
            subtypes: vec!["Tamiyo".into()],
            rules: vec![
                "+1: draw a card.".into(),
                "−3: tap {T} it.".into(),
                "a static line".into(),
            ],
            power: None,
            toughness: None,
            loyalty: Some("4".into()),
            defense: None,
        };
        let mut out = String::new();
        face_fields(&mut out, &face, "rare", "");
        let fields: BTreeMap<String, String> =
            parse(out.replace("\n\t", "\n").trim_start_matches('\t'))
                .into_iter()
                .map(|e| {
                    let t = e.text();
                    (e.key, t)
                })
                .collect();
        assert_eq!(fields["loyalty"], "4");
        assert_eq!(fields["loyalty_cost_1"], "+1");
        assert_eq!(fields["level_1_text"], "draw a card.");
        assert_eq!(fields["loyalty_cost_2"], "−3");
        assert_eq!(fields["level_2_text"], "tap <sym>T</sym> it.");
        assert!(!fields.contains_key("loyalty_cost_3"));
        assert_eq!(fields["level_3_text"], "a static line");
        assert_eq!(
            stylesheet_for("normal", &face),
            Some("m15-mainframe-planeswalker")
        );
    }

    #[test]
    fn the_reader_follows_mse_indentation() {
        let entries = parse(
            "a: 1\nblock:\n\tb: 2\n\ttext:\n\t\tline one\n\t\tline two\n# comment\n\nc:  3\n",
        );
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[2].text(), "3");
        let inner = entries[1].block();
        assert_eq!(inner[0].text(), "2");
        assert_eq!(inner[1].text(), "line one\nline two");
    }
}
