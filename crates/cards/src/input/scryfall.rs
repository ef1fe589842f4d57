//! Scryfall bulk data (`oracle-cards`, `default-cards`, ...): a JSON array of card
//! objects, streamed one card at a time.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use super::lenient::{loose_string, ObjectOr};
use crate::source::SourceCard;

/// Words before the dash of a type line that are supertypes, not types.
const SUPERTYPES: [&str; 7] = [
    "Basic",
    "Legendary",
    "Ongoing",
    "Snow",
    "World",
    "Elite",
    "Host",
];

#[derive(Deserialize)]
struct ScryfallFace {
    #[serde(default, deserialize_with = "loose_string")]
    name: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    type_line: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    mana_cost: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    oracle_text: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    power: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    toughness: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    loyalty: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    defense: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    flavor_text: Option<String>,
}

/// One entry of a card's `all_parts`: how meld pieces name their melded back face.
#[derive(Deserialize)]
struct ScryfallPart {
    #[serde(default, deserialize_with = "loose_string")]
    component: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    name: Option<String>,
}

#[derive(Deserialize)]
struct ScryfallCard {
    // The face fields again rather than `#[serde(flatten)]`, which would buffer
    // every card's unknown fields (prices, image links, legalities) before parsing.
    #[serde(default, deserialize_with = "loose_string")]
    name: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    type_line: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    mana_cost: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    oracle_text: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    power: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    toughness: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    loyalty: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    defense: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    flavor_text: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    layout: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    set_type: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    collector_number: Option<String>,
    #[serde(default)]
    all_parts: Option<Vec<ObjectOr<ScryfallPart>>>,
    #[serde(default, deserialize_with = "loose_string")]
    set: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    rarity: Option<String>,
    #[serde(default)]
    card_faces: Option<Vec<ObjectOr<ScryfallFace>>>,
}

/// Splits a type line such as `Legendary Artifact Creature — Equipment Golem` into
/// supertypes, types and subtypes (MTGJSON's lists).
pub fn split_type_line(type_line: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    let (left, right) = match type_line.split_once('—') {
        Some((left, right)) => (left, right),
        None => (type_line, ""),
    };
    let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    let (supertypes, types) = words(left)
        .into_iter()
        .partition(|word| SUPERTYPES.contains(&word.as_str()));
    (supertypes, types, words(right))
}

impl ScryfallCard {
    /// The card as one source card, or one per face for multi-face layouts.
    fn into_sources(self, sink: &mut dyn FnMut(SourceCard)) {
        let set_code = self.set.map(|code| code.to_uppercase());
        let funny = self.set_type.as_deref() == Some("funny");
        let meld_result = self
            .all_parts
            .unwrap_or_default()
            .into_iter()
            .filter_map(|part| part.0)
            .find(|part| part.component.as_deref() == Some("meld_result"))
            .and_then(|part| part.name);
        let faces: Vec<ScryfallFace> = match self.card_faces {
            Some(faces) if !faces.is_empty() => faces.into_iter().filter_map(|f| f.0).collect(),
            _ => vec![ScryfallFace {
                name: self.name.clone(),
                type_line: self.type_line,
                mana_cost: self.mana_cost,
                oracle_text: self.oracle_text,
                power: self.power,
                toughness: self.toughness,
                loyalty: self.loyalty,
                defense: self.defense,
                flavor_text: self.flavor_text,
            }],
        };
        // A multi-part card lists its parts in `card_faces`; a meld piece is a card
        // of its own whose `all_parts` names the melded back face.
        let face_names: Vec<String> = if faces.len() > 1 {
            faces.iter().filter_map(|f| f.name.clone()).collect()
        } else if self.layout.as_deref() == Some("meld") {
            match (&self.name, meld_result) {
                (Some(name), Some(back)) if *name != back => vec![name.clone(), back],
                (Some(name), _) => vec![name.clone()],
                _ => Vec::new(),
            }
        } else {
            Vec::new()
        };
        for face in faces {
            let (supertypes, types, subtypes) = match face.type_line.as_deref() {
                Some(line) => {
                    let (supertypes, types, subtypes) = split_type_line(line);
                    (supertypes, Some(types), subtypes)
                }
                None => (Vec::new(), None, Vec::new()),
            };
            sink(SourceCard {
                name: face.name,
                set_code: set_code.clone(),
                layout: self.layout.clone(),
                supertypes,
                types,
                subtypes,
                // Scryfall writes "" for a card without a mana cost, MTGJSON leaves
                // the field out; the seed's filter must see both as "no cost".
                mana_cost: face.mana_cost.filter(|cost| !cost.is_empty()),
                rarity: self.rarity.clone(),
                text: face.oracle_text,
                power: face.power,
                toughness: face.toughness,
                loyalty: face.loyalty,
                defense: face.defense,
                flavor: face.flavor_text,
                face_names: face_names.clone(),
                number: self.collector_number.clone(),
                funny,
            });
        }
    }
}

struct ArraySeed<'s> {
    sink: &'s mut dyn FnMut(SourceCard),
}

impl<'de> DeserializeSeed<'de> for ArraySeed<'_> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ArraySeed<'_> {
    /// How many elements looked like cards (had a name).
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON array of card objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut named = 0;
        while let Some(ObjectOr(card)) = seq.next_element::<ObjectOr<ScryfallCard>>()? {
            if let Some(card) = card {
                if card.name.is_some() {
                    named += 1;
                }
                card.into_sources(&mut *self.sink);
            }
        }
        Ok(named)
    }
}

/// Reads a Scryfall bulk array, handing each card (or face) to `sink`. Returns
/// `(elements that looked like cards)`, zero for an array of anything else.
pub fn read_array<'de, D: Deserializer<'de>>(
    deserializer: D,
    sink: &mut dyn FnMut(SourceCard),
) -> Result<usize, D::Error> {
    ArraySeed { sink }.deserialize(deserializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_type_lines() {
        let (sup, types, sub) = split_type_line("Legendary Artifact Creature — Equipment Golem");
        assert_eq!(sup, vec!["Legendary"]);
        assert_eq!(types, vec!["Artifact", "Creature"]);
        assert_eq!(sub, vec!["Equipment", "Golem"]);
        let (sup, types, sub) = split_type_line("Instant");
        assert!(sup.is_empty() && sub.is_empty());
        assert_eq!(types, vec!["Instant"]);
    }
}
