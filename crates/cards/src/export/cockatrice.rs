//! Cockatrice custom sets: a `cockatrice_carddatabase` XML file of version 4
//! (the format of Cockatrice's `doc/carddatabase_v4/cards.xsd`) holding one
//! set and its cards, to drop into Cockatrice's `customsets` folder for
//! playtesting. Multi-part cards are written as Cockatrice's importer
//! (`oracle/src/oracleimporter.cpp`) writes real ones: the halves of a split,
//! aftermath or adventure card, which share one side of one card, merged into
//! one `card` (`Fire // Ice`, costs and type lines joined by ` // `, texts by
//! a `---` line); each face of a double-faced, meld or flip card a `card` of
//! its own, with `side` front or back, the front `related` to the back and a
//! flipped half `upsidedown`.

use super::{faces, is_one_sided, layout, mana_value, rarity_word, Face, Judged};

/// The set's short name (Cockatrice shows it beside each card).
pub const SET_NAME: &str = "CARDLM";

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters other than tab and line breaks are not XML.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Cockatrice's cost notation: symbols without braces (`2WU`), a symbol of
/// more than one character (`W/U`, `10`) kept in braces so it stays one.
fn manacost(face: &Face) -> String {
    face.mana_symbols
        .iter()
        .map(|s| {
            if s.chars().count() == 1 {
                s.clone()
            } else {
                format!("{{{s}}}")
            }
        })
        .collect()
}

/// The main type Cockatrice sorts by: the last card type, as its importer takes it.
fn maintype(face: &Face) -> String {
    const ORDER: [&str; 9] = [
        "Creature",
        "Planeswalker",
        "Battle",
        "Land",
        "Artifact",
        "Enchantment",
        "Instant",
        "Sorcery",
        "Tribal",
    ];
    ORDER
        .iter()
        .find(|t| face.is(t))
        .map(|t| t.to_string())
        .or_else(|| face.types.last().cloned())
        .unwrap_or_default()
}

/// Where on the table the card lies: 0 lands, 1 other permanents, 2
/// creatures, 3 instants and sorceries.
fn tablerow(face: &Face) -> u8 {
    if face.is("Land") {
        0
    } else if face.is("Creature") {
        2
    } else if face.is("Instant") || face.is("Sorcery") {
        3
    } else {
        1
    }
}

fn element(out: &mut String, indent: &str, name: &str, value: &str) {
    out.push_str(&format!("{indent}<{name}>{}</{name}>\n", escape(value)));
}

/// What one `card` element says: a face, or merged halves.
struct Entry {
    name: String,
    text: String,
    side: &'static str,
    type_line: String,
    maintype: String,
    manacost: String,
    cmc: u32,
    colors: String,
    pt: Option<String>,
    loyalty: Option<String>,
    defense: Option<String>,
    related: Option<String>,
    tablerow: u8,
    upsidedown: bool,
}

fn pt(face: &Face) -> Option<String> {
    match (&face.power, &face.toughness) {
        (Some(p), Some(t)) => Some(format!("{p}/{t}")),
        _ => None,
    }
}

fn face_entry(face: &Face, side: &'static str, cmc: u32) -> Entry {
    Entry {
        name: face.name.clone(),
        text: face.rules_text(),
        side,
        type_line: face.type_line(),
        maintype: maintype(face),
        manacost: manacost(face),
        cmc,
        colors: face.colors.concat(),
        pt: pt(face),
        loyalty: face.loyalty.clone(),
        defense: face.defense.clone(),
        related: None,
        tablerow: tablerow(face),
        upsidedown: false,
    }
}

/// The `card` elements of one card: one for a one-part card or a card whose
/// halves share a side, one per face otherwise.
fn entries(card: &crate::decode::Card) -> Vec<Entry> {
    let all = faces(card);
    let layout = layout(card);
    let cmc = mana_value(card);
    if all.len() > 1 && is_one_sided(layout) {
        let join = |value: &dyn Fn(&Face) -> String, sep: &str| {
            all.iter().map(value).collect::<Vec<_>>().join(sep)
        };
        let colors = super::color_identity(&all).concat();
        let pts: Vec<String> = all.iter().filter_map(pt).collect();
        return vec![Entry {
            name: join(&|f| f.name.clone(), " // "),
            text: join(&|f| f.rules_text(), "\n\n---\n\n"),
            side: "front",
            type_line: join(&|f| f.type_line(), " // "),
            maintype: maintype(&all[0]),
            manacost: join(&manacost, " // "),
            cmc,
            colors,
            pt: (!pts.is_empty()).then(|| pts.join(" // ")),
            loyalty: all[0].loyalty.clone(),
            defense: all[0].defense.clone(),
            related: None,
            tablerow: tablerow(&all[0]),
            upsidedown: false,
        }];
    }
    all.iter()
        .enumerate()
        .map(|(i, face)| {
            let mut entry = face_entry(face, if i == 0 { "front" } else { "back" }, cmc);
            if i == 0 {
                entry.related = all.get(1).map(|b| b.name.clone());
            }
            entry.upsidedown = i > 0 && layout == "flip";
            entry
        })
        .collect()
}

fn card_element(out: &mut String, entry: &Entry, layout: &str, rarity: &str) {
    out.push_str("    <card>\n");
    element(out, "      ", "name", &entry.name);
    element(out, "      ", "text", &entry.text);
    out.push_str("      <prop>\n");
    let p = "        ";
    element(out, p, "layout", layout);
    element(out, p, "side", entry.side);
    element(out, p, "type", &entry.type_line);
    element(out, p, "maintype", &entry.maintype);
    element(out, p, "manacost", &entry.manacost);
    element(out, p, "cmc", &entry.cmc.to_string());
    element(out, p, "colors", &entry.colors);
    element(out, p, "coloridentity", &entry.colors);
    if let Some(pt) = &entry.pt {
        element(out, p, "pt", pt);
    }
    if let Some(l) = &entry.loyalty {
        element(out, p, "loyalty", l);
    }
    if let Some(d) = &entry.defense {
        element(out, p, "defense", d);
    }
    out.push_str("      </prop>\n");
    out.push_str(&format!(
        "      <set rarity=\"{}\">{SET_NAME}</set>\n",
        escape(rarity)
    ));
    if let Some(back) = &entry.related {
        out.push_str(&format!(
            "      <related attach=\"transform\">{}</related>\n",
            escape(back)
        ));
    }
    out.push_str(&format!("      <tablerow>{}</tablerow>\n", entry.tablerow));
    if entry.upsidedown {
        out.push_str("      <upsidedown>1</upsidedown>\n");
    }
    out.push_str("    </card>\n");
}

/// The XML file: one set (`CARDLM`, long name `title`) and its cards.
pub fn cockatrice_xml(title: &str, cards: &[Judged]) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<cockatrice_carddatabase version=\"4\">\n");
    out.push_str("  <info>\n");
    element(&mut out, "    ", "author", "cardlm");
    out.push_str("  </info>\n");
    out.push_str("  <sets>\n    <set>\n");
    element(&mut out, "      ", "name", SET_NAME);
    element(&mut out, "      ", "longname", title);
    element(&mut out, "      ", "settype", "Custom");
    out.push_str("    </set>\n  </sets>\n");
    out.push_str("  <cards>\n");
    for item in cards {
        let card = item.card;
        for entry in entries(card) {
            card_element(&mut out, &entry, layout(card), rarity_word(card));
        }
    }
    out.push_str("  </cards>\n");
    out.push_str("</cockatrice_carddatabase>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::test_cards;

    /// Checks a document against the rules of Cockatrice's version 4 schema
    /// (`doc/carddatabase_v4/cards.xsd`): the root and its fixed version,
    /// `info`/`sets`/`cards` in that order, each set's `name` (once) among
    /// `longname`/`settype`/`releasedate`/`priority`, each card's sequence
    /// `name`, `text`?, `prop`?, `set`+, then `related`/`reverse-related`*,
    /// `token`?, `tablerow`? (an integer), `cipt`?, `upsidedown`?, and the
    /// attributes a card's `set` may carry.
    fn kids<'a, 'i>(n: roxmltree::Node<'a, 'i>) -> Vec<roxmltree::Node<'a, 'i>> {
        n.children().filter(|c| c.is_element()).collect()
    }

    fn validate_v4(xml: &str) -> Result<(), String> {
        let doc = roxmltree::Document::parse(xml).map_err(|e| e.to_string())?;
        let root = doc.root_element();
        if root.tag_name().name() != "cockatrice_carddatabase" {
            return Err("root is not cockatrice_carddatabase".into());
        }
        if root.attribute("version") != Some("4") {
            return Err("version is not 4".into());
        }
        let order = ["info", "sets", "cards"];
        let mut last = 0;
        for child in kids(root) {
            let name = child.tag_name().name();
            let pos = order
                .iter()
                .position(|o| *o == name)
                .ok_or(format!("unexpected <{name}>"))?;
            if pos < last {
                return Err(format!("<{name}> out of order"));
            }
            last = pos + 1;
            match name {
                "info" => {
                    for k in kids(child) {
                        if !["author", "createdAt", "sourceUrl", "sourceVersion"]
                            .contains(&k.tag_name().name())
                        {
                            return Err(format!("unexpected <{}> in info", k.tag_name().name()));
                        }
                    }
                }
                "sets" => {
                    for set in kids(child) {
                        if set.tag_name().name() != "set" {
                            return Err("sets holds something else than set".into());
                        }
                        let names: Vec<&str> =
                            kids(set).iter().map(|k| k.tag_name().name()).collect();
                        if names.iter().filter(|n| **n == "name").count() != 1 {
                            return Err("a set needs one name".into());
                        }
                        for n in &names {
                            if !["name", "longname", "settype", "releasedate", "priority"]
                                .contains(n)
                            {
                                return Err(format!("unexpected <{n}> in set"));
                            }
                            if names.iter().filter(|m| *m == n).count() > 1 {
                                return Err(format!("<{n}> twice in a set"));
                            }
                        }
                    }
                }
                _ => {
                    for card in kids(child) {
                        if card.tag_name().name() != "card" {
                            return Err("cards holds something else than card".into());
                        }
                        // The sequence as (element, min, max) in order.
                        let seq: [(&[&str], usize, usize); 8] = [
                            (&["name"], 1, 1),
                            (&["text"], 0, 1),
                            (&["prop"], 0, 1),
                            (&["set"], 1, usize::MAX),
                            (&["related", "reverse-related"], 0, usize::MAX),
                            (&["token"], 0, 1),
                            (&["tablerow"], 0, 1),
                            (&["cipt", "upsidedown"], 0, 2),
                        ];
                        let elements = kids(card);
                        let mut i = 0;
                        for (names, min, max) in seq {
                            let mut n = 0;
                            while i < elements.len()
                                && names.contains(&elements[i].tag_name().name())
                                && n < max
                            {
                                n += 1;
                                i += 1;
                            }
                            if n < min {
                                return Err(format!("card lacks <{}>", names[0]));
                            }
                        }
                        if i != elements.len() {
                            return Err(format!(
                                "unexpected <{}> in card",
                                elements[i].tag_name().name()
                            ));
                        }
                        for e in &elements {
                            let name = e.tag_name().name();
                            if name == "tablerow" && e.text().unwrap_or("").parse::<i64>().is_err()
                            {
                                return Err("tablerow is not an integer".into());
                            }
                            if name == "set" {
                                for a in e.attributes() {
                                    if ![
                                        "muid",
                                        "uuid",
                                        "picurl",
                                        "picURL",
                                        "num",
                                        "rarity",
                                        "onlineOnly",
                                    ]
                                    .contains(&a.name())
                                    {
                                        return Err(format!(
                                            "unexpected attribute {} on set",
                                            a.name()
                                        ));
                                    }
                                }
                            }
                            if name != "prop" && !kids(*e).is_empty() {
                                return Err(format!("<{name}> must hold text only"));
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    }

    #[test]
    fn the_file_follows_the_v4_schema_and_keeps_every_field() {
        let cards = test_cards::sample();
        let items: Vec<Judged> = cards
            .iter()
            .map(|card| Judged { card, notes: &[] })
            .collect();
        let xml = cockatrice_xml("cardlm & friends", &items);
        validate_v4(&xml).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let set_name = doc
            .descendants()
            .find(|n| n.has_tag_name("longname"))
            .unwrap();
        assert_eq!(set_name.text(), Some("cardlm & friends"));
        let xml_cards: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("card"))
            .collect();
        assert_eq!(xml_cards.len(), cards.len());
        for (card, node) in cards.iter().zip(&xml_cards) {
            let face = &faces(card)[0];
            let get = |tag: &str| {
                node.descendants()
                    .find(|n| n.has_tag_name(tag))
                    .map(|n| n.text().unwrap_or("").to_owned())
            };
            assert_eq!(get("name"), Some(face.name.clone()));
            assert_eq!(get("text"), Some(face.rules_text()));
            assert_eq!(get("type"), Some(face.type_line()));
            assert_eq!(get("cmc"), Some(face.mana_value.to_string()));
            assert_eq!(get("colors"), Some(face.colors.concat()));
            assert_eq!(get("layout").as_deref(), Some("normal"));
            assert_eq!(get("side").as_deref(), Some("front"));
            let pt = face
                .power
                .as_ref()
                .map(|p| format!("{p}/{}", face.toughness.as_ref().unwrap()));
            assert_eq!(get("pt"), pt);
            assert_eq!(get("loyalty"), None);
            let set = node.children().find(|n| n.has_tag_name("set")).unwrap();
            assert_eq!(set.text(), Some(SET_NAME));
            assert_eq!(set.attribute("rarity"), Some(rarity_word(card)));
        }
        let get = |i: usize, tag: &str| {
            xml_cards[i]
                .descendants()
                .find(|n| n.has_tag_name(tag))
                .unwrap()
                .text()
                .unwrap_or("")
                .to_owned()
        };
        assert_eq!(get(0, "manacost"), "4W");
        assert_eq!(get(0, "maintype"), "Creature");
        assert_eq!(get(0, "tablerow"), "2");
        assert_eq!(get(1, "tablerow"), "3");
        assert_eq!(get(1, "name"), "Shock <of> Rain");
        assert_eq!(get(3, "tablerow"), "0");
        assert_eq!(get(2, "tablerow"), "1");
        assert_eq!(get(4, "manacost"), "2GU");
    }

    #[test]
    fn multi_part_cards_are_written_as_cockatrices_importer_writes_them() {
        let cards = test_cards::kinds();
        let items: Vec<Judged> = cards
            .iter()
            .map(|card| Judged { card, notes: &[] })
            .collect();
        let xml = cockatrice_xml("kinds", &items);
        validate_v4(&xml).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let xml_cards: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("card"))
            .collect();
        let get = |i: usize, tag: &str| {
            xml_cards[i]
                .descendants()
                .find(|n| n.has_tag_name(tag))
                .map(|n| n.text().unwrap_or("").to_owned())
        };
        let names: Vec<String> = (0..xml_cards.len())
            .map(|i| get(i, "name").unwrap())
            .collect();
        // Two transform cards of two faces each, three merged or one-part cards.
        assert_eq!(
            names,
            [
                "Delver of Secrets",
                "Insectile Aberration",
                "Fire // Ice",
                "Bonecrusher Giant // Stomp",
                "Jace Beleren",
                "Sunken Ruins",
                "Kitchen Finks",
                "Invasion of Tarkir",
                "Defiant Thundermaw",
            ]
        );
        assert_eq!(get(0, "related").as_deref(), Some("Insectile Aberration"));
        assert_eq!(get(0, "layout").as_deref(), Some("transform"));
        assert_eq!(get(1, "side").as_deref(), Some("back"));
        assert_eq!(get(1, "related"), None);
        assert_eq!(get(1, "manacost").as_deref(), Some(""));
        assert_eq!(
            get(1, "cmc").as_deref(),
            Some("1"),
            "the front's mana value"
        );
        assert_eq!(get(1, "pt").as_deref(), Some("3/2"));
        assert_eq!(get(2, "manacost").as_deref(), Some("1R // 1U"));
        assert_eq!(get(2, "type").as_deref(), Some("Instant // Instant"));
        assert_eq!(get(2, "cmc").as_deref(), Some("4"));
        assert_eq!(get(2, "colors").as_deref(), Some("UR"));
        assert_eq!(
            get(2, "text").as_deref(),
            Some("Fire deals 2 damage divided as you choose among one or two targets.\n\n---\n\nTap target permanent.\nDraw a card.")
        );
        assert_eq!(get(3, "pt").as_deref(), Some("4/3"));
        assert_eq!(get(3, "maintype").as_deref(), Some("Creature"));
        assert_eq!(get(4, "loyalty").as_deref(), Some("3"));
        assert_eq!(get(4, "maintype").as_deref(), Some("Planeswalker"));
        assert_eq!(get(5, "manacost").as_deref(), Some(""));
        assert_eq!(get(5, "tablerow").as_deref(), Some("0"));
        assert_eq!(get(6, "manacost").as_deref(), Some("1{G/W}{B/P}"));
        assert_eq!(get(7, "defense").as_deref(), Some("5"));
        assert!(!xml.contains("<upsidedown>"));
    }

    #[test]
    fn a_flipped_half_lies_upside_down() {
        let card = crate::decode::decode("Ⓢbushi tenderfoot⒞Ⓖ⒭U⒨flip⒯creature:human soldier⒫1/1⒜when a creature dealt damage by Ⓝ this turn dies, flip Ⓝ.⒝kenzo the hardhearted⒞⒯creature:human samurai⒫3/4⒜double strikeⒺ");
        assert!(card.well_formed, "{:?}", card.problems);
        let xml = cockatrice_xml(
            "flip",
            &[Judged {
                card: &card,
                notes: &[],
            }],
        );
        validate_v4(&xml).unwrap();
        assert_eq!(xml.matches("<card>").count(), 2);
        assert_eq!(xml.matches("<upsidedown>1</upsidedown>").count(), 1);
        let back = xml.split("<card>").nth(2).unwrap();
        assert!(back.contains("Kenzo the Hardhearted") && back.contains("<upsidedown>"));
    }

    #[test]
    fn the_validator_rejects_what_the_schema_rejects() {
        let good = "<cockatrice_carddatabase version=\"4\"><cards><card><name>a</name><set>X</set></card></cards></cockatrice_carddatabase>";
        assert!(validate_v4(good).is_ok());
        for bad in [
            good.replace("version=\"4\"", "version=\"3\""),
            good.replace("<set>X</set>", ""),
            good.replace("<name>a</name><set>X</set>", "<set>X</set><name>a</name>"),
            good.replace("<set>X</set>", "<set>X</set><tablerow>two</tablerow>"),
            good.replace("<set>X</set>", "<set bogus=\"1\">X</set>"),
            good.replace("<cards>", "<cards><sets/>"),
        ] {
            assert!(validate_v4(&bad).is_err(), "{bad}");
        }
    }
}
