//! Scryfall-shaped JSON: an array of card objects with Scryfall's field names
//! (`object: "card"`, `name`, `mana_cost`, `cmc`, `type_line`, `oracle_text`,
//! `power`, `toughness`, `loyalty`, `defense`, `colors`, `color_identity`,
//! `rarity`, `layout`, and `card_faces` of `object: "card_face"` for multi-part
//! cards), so tools that read Scryfall's API or bulk files read cardlm's cards.
//! As on Scryfall, a multi-part card's name and type line join its faces' with
//! ` // `, and so does its mana cost when both halves are cast from one side
//! (split, aftermath, adventure, flip); a double-faced card's cost is its
//! front's. `cardlm prepare` reads this output back (it is a Scryfall bulk
//! array) to the lines the cards were decoded from, in either encoding.
//! cardlm's verdicts travel in one extra field, `cardlm`, which Scryfall
//! readers ignore.

use serde::Serialize;

use super::{color_identity, faces, layout, mana_value, rarity_word, Face, Judged};

/// Layouts whose faces are the two sides of a card (Scryfall gives the card
/// object no joined mana cost for these, only the front's on its face).
fn double_sided(layout: &str) -> bool {
    matches!(layout, "transform" | "modal_dfc" | "meld")
}

/// The set code cardlm's cards carry (Scryfall's `set`).
pub const SET_CODE: &str = "cardlm";

/// One face (Scryfall's card face object).
#[derive(Debug, Serialize, PartialEq)]
pub struct ScryfallFace {
    pub object: &'static str,
    pub name: String,
    pub mana_cost: String,
    pub type_line: String,
    pub oracle_text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub power: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toughness: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loyalty: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub defense: Option<String>,
    pub colors: Vec<String>,
}

/// cardlm's judgement of the card.
#[derive(Debug, Serialize, PartialEq)]
pub struct Verdict {
    pub well_formed: bool,
    pub problems: Vec<String>,
    pub notes: Vec<String>,
}

/// One card (Scryfall's card object).
#[derive(Debug, Serialize, PartialEq)]
pub struct ScryfallCard {
    pub object: &'static str,
    pub name: String,
    pub layout: &'static str,
    pub mana_cost: String,
    pub cmc: f64,
    pub type_line: String,
    /// Absent on multi-face cards, whose faces hold the text (as on Scryfall).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oracle_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub power: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toughness: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loyalty: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub defense: Option<String>,
    pub colors: Vec<String>,
    pub color_identity: Vec<String>,
    pub rarity: &'static str,
    pub set: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_faces: Option<Vec<ScryfallFace>>,
    pub cardlm: Verdict,
}

fn face_object(face: &Face) -> ScryfallFace {
    ScryfallFace {
        object: "card_face",
        name: face.name.clone(),
        mana_cost: face.mana_cost.clone(),
        type_line: face.type_line(),
        oracle_text: face.rules_text(),
        power: face.power.clone(),
        toughness: face.toughness.clone(),
        loyalty: face.loyalty.clone(),
        defense: face.defense.clone(),
        colors: face.colors.clone(),
    }
}

/// Joins the faces' values as Scryfall does on the card object (`A // B`).
fn joined(faces: &[Face], value: impl Fn(&Face) -> String) -> String {
    faces.iter().map(value).collect::<Vec<_>>().join(" // ")
}

/// One card as a Scryfall card object.
pub fn card_object(item: &Judged) -> ScryfallCard {
    let card = item.card;
    let all = faces(card);
    let verdict = Verdict {
        well_formed: card.well_formed,
        problems: card.problems.clone(),
        notes: item.notes.to_vec(),
    };
    let colors = color_identity(&all);
    if all.len() == 1 {
        let f = face_object(&all[0]);
        ScryfallCard {
            object: "card",
            name: f.name,
            layout: layout(card),
            mana_cost: f.mana_cost,
            cmc: f64::from(mana_value(card)),
            type_line: f.type_line,
            oracle_text: Some(f.oracle_text),
            power: f.power,
            toughness: f.toughness,
            loyalty: f.loyalty,
            defense: f.defense,
            colors: f.colors,
            color_identity: colors,
            rarity: rarity_word(card),
            set: SET_CODE,
            card_faces: None,
            cardlm: verdict,
        }
    } else {
        ScryfallCard {
            object: "card",
            name: joined(&all, |f| f.name.clone()),
            layout: layout(card),
            mana_cost: if double_sided(layout(card)) {
                all[0].mana_cost.clone()
            } else {
                joined(&all, |f| f.mana_cost.clone())
            },
            cmc: f64::from(mana_value(card)),
            type_line: joined(&all, Face::type_line),
            oracle_text: None,
            power: None,
            toughness: None,
            loyalty: None,
            defense: None,
            colors: colors.clone(),
            color_identity: colors,
            rarity: rarity_word(card),
            set: SET_CODE,
            card_faces: Some(all.iter().map(face_object).collect()),
            cardlm: verdict,
        }
    }
}

/// The cards as a pretty-printed JSON array, ending in a newline.
pub fn scryfall_json(cards: &[Judged]) -> Vec<u8> {
    let objects: Vec<ScryfallCard> = cards.iter().map(card_object).collect();
    let mut out = serde_json::to_vec_pretty(&objects).expect("card objects serialise");
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::decode;
    use crate::encode::encode_filtered;
    use crate::export::test_cards;
    use crate::input::{read_input, Record};
    use crate::DropReason;

    #[test]
    fn objects_have_scryfalls_fields() {
        let cards = test_cards::sample();
        let notes = vec!["novel".to_owned()];
        let json = scryfall_json(
            &cards
                .iter()
                .map(|card| Judged {
                    card,
                    notes: &notes,
                })
                .collect::<Vec<_>>(),
        );
        let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        let angel = &value[0];
        assert_eq!(angel["object"], "card");
        assert_eq!(angel["name"], "Angel of Mercy");
        assert_eq!(angel["mana_cost"], "{4}{W}");
        assert_eq!(angel["cmc"], 5.0);
        assert_eq!(angel["type_line"], "Creature — Angel");
        assert_eq!(
            angel["oracle_text"],
            "Flying\nWhen Angel of Mercy enters the battlefield, you gain 3 life."
        );
        assert_eq!(angel["power"], "3");
        assert_eq!(angel["toughness"], "3");
        assert_eq!(angel["colors"], serde_json::json!(["W"]));
        assert_eq!(angel["rarity"], "uncommon");
        assert_eq!(angel["layout"], "normal");
        assert_eq!(angel["cardlm"]["notes"], serde_json::json!(["novel"]));
        assert!(angel.get("loyalty").is_none() && angel.get("card_faces").is_none());
        assert_eq!(value[2]["type_line"], "Legendary Artifact");
        assert_eq!(value[2]["rarity"], "mythic");
        assert!(value[1].get("power").is_none());
        assert_eq!(value[4]["color_identity"], serde_json::json!(["U", "G"]));
    }

    #[test]
    fn multi_part_cards_have_card_faces_and_their_layout() {
        let cards = test_cards::kinds();
        let items: Vec<Judged> = cards
            .iter()
            .map(|card| Judged { card, notes: &[] })
            .collect();
        let value: serde_json::Value = serde_json::from_slice(&scryfall_json(&items)).unwrap();
        let delver = &value[0];
        assert_eq!(delver["layout"], "transform");
        assert_eq!(delver["name"], "Delver of Secrets // Insectile Aberration");
        assert_eq!(delver["mana_cost"], "{U}");
        assert!(delver.get("oracle_text").is_none());
        let faces = delver["card_faces"].as_array().unwrap();
        assert_eq!(faces.len(), 2);
        assert_eq!(faces[1]["object"], "card_face");
        assert_eq!(faces[1]["mana_cost"], "");
        assert_eq!(faces[1]["type_line"], "Creature — Human Insect");
        assert_eq!(faces[1]["oracle_text"], "Flying");
        assert_eq!(faces[1]["power"], "3");
        let fire = &value[1];
        assert_eq!(fire["layout"], "split");
        assert_eq!(fire["mana_cost"], "{1}{R} // {1}{U}");
        assert_eq!(fire["cmc"], 4.0);
        assert_eq!(fire["type_line"], "Instant // Instant");
        assert_eq!(fire["colors"], serde_json::json!(["U", "R"]));
        assert_eq!(value[2]["layout"], "adventure");
        assert_eq!(value[2]["cmc"], 3.0);
        assert_eq!(value[2]["card_faces"][1]["name"], "Stomp");
        assert_eq!(value[3]["loyalty"], "3");
        assert_eq!(value[3]["layout"], "normal");
        assert_eq!(value[4]["mana_cost"], "");
        assert_eq!(value[5]["mana_cost"], "{1}{G/W}{B/P}");
        assert_eq!(value[6]["card_faces"][0]["defense"], "5");
    }

    #[test]
    fn prepare_reads_every_kind_of_card_back_to_the_same_full_lines() {
        let lines = test_cards::KINDS;
        let cards = test_cards::kinds();
        let items: Vec<Judged> = cards
            .iter()
            .map(|card| Judged { card, notes: &[] })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cards.json");
        std::fs::write(&path, scryfall_json(&items)).unwrap();
        let options = crate::corpus::PrepareOptions {
            valid_fraction: 0.0,
            ..Default::default()
        };
        let (corpus, stats) = crate::corpus::prepare_corpus(&[path], &options).unwrap();
        let mut got = corpus.train.clone();
        got.sort();
        let mut want: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "dropped: {:?}", stats);
    }

    /// What `cardlm prepare` does with a file: read it, filter and encode.
    fn prepared(json: &[u8]) -> Vec<Result<String, DropReason>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cards.json");
        std::fs::write(&path, json).unwrap();
        let mut out = Vec::new();
        read_input(&path, &mut |r| {
            if let Record::Card(c) = r {
                out.push(encode_filtered(&c));
            }
        })
        .unwrap();
        out
    }

    #[test]
    fn prepare_reads_its_own_output_back_to_the_same_lines() {
        // Lines as the seed's encoding writes them (types without supertypes,
        // which Scryfall's type line would split off).
        let lines = [
            "Ⓢangel of mercy⒞④Ⓦ⒭U⒯creature:angel⒫3/3⒜flying⒜when Ⓝ enters the battlefield, you gain 3 life.Ⓔ",
            "Ⓢshock rain⒞①Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.⒜↷: add Ⓡ.Ⓔ",
            "Ⓢgolden idol⒞⑤⒭M⒯artifact⒜↷, pay x life: draw x cards.⒜Ⓝ costs ② less to cast.Ⓔ",
            "Ⓢbig one⒞⑫}ⓊⓊ⒭R⒯artifact creature:golem⒫12/12⒜tramplesⒺ",
            "Ⓢmud pit⒞⒭R⒯land⒜↷: add Ⓒ.Ⓔ",
        ];
        let cards: Vec<_> = lines.iter().map(|l| decode(l)).collect();
        assert!(cards.iter().all(|c| c.well_formed));
        let items: Vec<Judged> = cards
            .iter()
            .map(|card| Judged { card, notes: &[] })
            .collect();
        let back = prepared(&scryfall_json(&items));
        assert_eq!(back.len(), lines.len());
        for (line, got) in lines.iter().zip(&back).take(4) {
            assert_eq!(got.as_deref(), Ok(*line));
        }
        // A card without a cost is dropped, as the seed dropped lands.
        assert_eq!(back[4], Err(DropReason::NoManaCost));
    }
}
