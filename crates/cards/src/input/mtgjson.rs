//! MTGJSON files: v3 `AllSets` (set code → set), v4/v5 `AllPrintings` (`meta` + `data`
//! of sets), v5 `AtomicCards` (`data` of name → faces) and single set files of every
//! version. Read in one streaming pass: only the card fields the encoding needs are
//! kept, and each set is handed on as soon as it is parsed, so a 500 MB AllPrintings
//! never sits in memory.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::lenient::{loose_string, ObjectOr};
use super::InputFormat;
use crate::source::SourceCard;

/// The card fields cardlm reads; serde skips every other field without storing it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MtgjsonCard {
    #[serde(default, deserialize_with = "loose_string")]
    name: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    layout: Option<String>,
    #[serde(default)]
    supertypes: Option<Vec<String>>,
    #[serde(default)]
    types: Option<Vec<String>>,
    #[serde(default)]
    subtypes: Option<Vec<String>>,
    #[serde(default, deserialize_with = "loose_string")]
    mana_cost: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    rarity: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    text: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    power: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    toughness: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    set_code: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    loyalty: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    defense: Option<String>,
    /// v3's flavor text.
    #[serde(default, deserialize_with = "loose_string")]
    flavor: Option<String>,
    /// v4/v5's flavor text.
    #[serde(default, deserialize_with = "loose_string")]
    flavor_text: Option<String>,
    /// v3/v4: every part's name of a multi-part card.
    #[serde(default)]
    names: Option<Vec<String>>,
    /// v4/v5: this face's name when `name` is the whole card's `A // B`.
    #[serde(default, deserialize_with = "loose_string")]
    face_name: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    number: Option<String>,
    #[serde(default)]
    is_funny: Option<bool>,
}

impl MtgjsonCard {
    fn into_source(self, set_code: Option<&str>) -> SourceCard {
        // v5 names a multi-part card's every face `A // B` and the face `faceName`;
        // v3 names the face and lists the parts in `names`.
        let face_names = match (&self.names, &self.name) {
            (Some(names), _) if names.len() > 1 => names.clone(),
            (_, Some(name)) if name.contains(" // ") => {
                name.split(" // ").map(str::to_owned).collect()
            }
            _ => Vec::new(),
        };
        SourceCard {
            name: self.face_name.or(self.name),
            set_code: set_code
                .map(str::to_owned)
                .or(self.set_code)
                .map(|code| code.to_uppercase()),
            layout: self.layout,
            supertypes: self.supertypes.unwrap_or_default(),
            types: self.types,
            subtypes: self.subtypes.unwrap_or_default(),
            mana_cost: self.mana_cost,
            rarity: self.rarity,
            text: self.text,
            power: self.power,
            toughness: self.toughness,
            loyalty: self.loyalty,
            defense: self.defense,
            flavor: self.flavor_text.or(self.flavor),
            face_names,
            number: self.number,
            funny: self.is_funny.unwrap_or(false),
        }
    }
}

/// A set object: only its cards matter.
#[derive(Deserialize)]
struct SetRecord {
    #[serde(default)]
    cards: Option<Vec<ObjectOr<MtgjsonCard>>>,
}

/// One value of a map whose shape is not known yet.
enum Entry {
    /// An object: a set when it has `cards` (AllSets, AllPrintings).
    Object(SetRecord),
    /// An array of objects: a set file's `cards`, or an AtomicCards entry's faces.
    Array(Vec<MtgjsonCard>),
    /// A string: a set file's `code` among others.
    Text(String),
    Other,
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;

        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = Entry;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Entry, A::Error> {
                SetRecord::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(Entry::Object)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Entry, A::Error> {
                let mut cards = Vec::new();
                while let Some(ObjectOr(card)) = seq.next_element::<ObjectOr<MtgjsonCard>>()? {
                    cards.extend(card);
                }
                Ok(Entry::Array(cards))
            }
            fn visit_str<E>(self, v: &str) -> Result<Entry, E> {
                Ok(Entry::Text(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Entry, E> {
                Ok(Entry::Text(v))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Entry, E> {
                Ok(Entry::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Entry, E> {
                Ok(Entry::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Entry, E> {
                Ok(Entry::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Entry, E> {
                Ok(Entry::Other)
            }
            fn visit_unit<E>(self) -> Result<Entry, E> {
                Ok(Entry::Other)
            }
        }

        deserializer.deserialize_any(EntryVisitor)
    }
}

/// What one level of the file (the top object, or its `data`) turned out to hold.
#[derive(Default)]
struct Level {
    /// Sets with a `cards` array, already handed to the sink.
    sets_with_cards: usize,
    /// Arrays of card-like objects by key, in file order: a set file's `cards` (and
    /// `tokens`), or AtomicCards' faces. Held back until the level's shape is known.
    arrays: Vec<(String, Vec<MtgjsonCard>)>,
    /// The level's own `code`, when it is a set.
    code: Option<String>,
    /// The `data` object under the top level (v4/v5).
    data: Option<Box<Level>>,
}

struct LevelSeed<'s> {
    sink: &'s mut dyn FnMut(SourceCard),
    top: bool,
}

impl<'de> DeserializeSeed<'de> for LevelSeed<'_> {
    type Value = Level;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Level, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for LevelSeed<'_> {
    type Value = Level;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Level, A::Error> {
        let mut level = Level::default();
        while let Some(key) = map.next_key::<String>()? {
            if self.top && key == "data" {
                let data = map.next_value_seed(LevelSeed {
                    sink: &mut *self.sink,
                    top: false,
                })?;
                level.data = Some(Box::new(data));
                continue;
            }
            if key == "meta" {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            match map.next_value::<Entry>()? {
                Entry::Object(SetRecord { cards: Some(cards) }) => {
                    level.sets_with_cards += 1;
                    for ObjectOr(card) in cards {
                        if let Some(card) = card {
                            (self.sink)(card.into_source(Some(&key)));
                        }
                    }
                }
                Entry::Array(cards) => level.arrays.push((key, cards)),
                Entry::Text(text) if key == "code" => level.code = Some(text),
                Entry::Object(_) | Entry::Text(_) | Entry::Other => {}
            }
        }
        Ok(level)
    }

    // A `data` that is not an object holds nothing cardlm knows.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Level, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Level::default())
    }
    fn visit_str<E>(self, _: &str) -> Result<Level, E> {
        Ok(Level::default())
    }
    fn visit_bool<E>(self, _: bool) -> Result<Level, E> {
        Ok(Level::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Level, E> {
        Ok(Level::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Level, E> {
        Ok(Level::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Level, E> {
        Ok(Level::default())
    }
    fn visit_unit<E>(self) -> Result<Level, E> {
        Ok(Level::default())
    }
}

/// Reads a JSON object from `deserializer`, handing every card to `sink` in file
/// order. Returns which MTGJSON file it was, or `None` for an object of another shape.
pub fn read_object<'de, D: Deserializer<'de>>(
    deserializer: D,
    sink: &mut dyn FnMut(SourceCard),
) -> Result<Option<InputFormat>, D::Error> {
    let top = LevelSeed {
        sink: &mut *sink,
        top: true,
    }
    .deserialize(deserializer)?;
    let (mut level, under_data) = match top.data {
        Some(data) => (*data, true),
        None => (top, false),
    };

    if let Some(position) = level.arrays.iter().position(|(key, _)| key == "cards") {
        // A single set: `cards` holds its cards; `tokens` and the like are not cards.
        let (_, cards) = level.arrays.swap_remove(position);
        for card in cards {
            sink(card.into_source(level.code.as_deref()));
        }
        return Ok(Some(if under_data {
            InputFormat::MtgjsonSetFile
        } else {
            InputFormat::MtgjsonV3SetFile
        }));
    }
    if level.sets_with_cards > 0 {
        return Ok(Some(if under_data {
            InputFormat::MtgjsonAllPrintings
        } else {
            InputFormat::MtgjsonV3AllSets
        }));
    }
    let has_named_faces = level
        .arrays
        .iter()
        .any(|(_, faces)| faces.iter().any(|face| face.name.is_some()));
    if has_named_faces {
        for (_, faces) in level.arrays {
            for face in faces {
                sink(face.into_source(None));
            }
        }
        return Ok(Some(InputFormat::MtgjsonAtomicCards));
    }
    Ok(None)
}
