//! The marker characters of the one-line card encodings: the seed's
//! (`docs/card-encoding.md`, section 3) and the full encoding's additions
//! (`docs/encoding.md`).

/// Starts a card; the name follows.
pub const START: char = 'Ⓢ';
/// Introduces the mana cost.
pub const COST: char = '⒞';
/// Introduces the rarity letter.
pub const RARITY: char = '⒭';
/// Introduces the types, then `:` and the subtypes if any.
pub const TYPE: char = '⒯';
/// Introduces `power/toughness`.
pub const POWER_TOUGHNESS: char = '⒫';
/// Introduces one ability.
pub const ABILITY: char = '⒜';
/// Ends a card; also the padding symbol (index 0 of every vocabulary).
pub const END: char = 'Ⓔ';
/// Stands for the card's own name inside its abilities.
pub const NAME: char = 'Ⓝ';
/// The tap symbol `{T}`.
pub const TAP: char = '↷';
/// Separates abilities inside the text before it is split (the seed's `|` → `·`).
pub const ABILITY_BREAK: char = '·';
/// Separates types from subtypes inside the type field.
pub const SUBTYPE_SEPARATOR: char = ':';

/// Full encoding: introduces a multi-part card's layout (`transform`), after the rarity.
pub const LAYOUT: char = '⒨';
/// Full encoding: introduces a planeswalker's starting loyalty.
pub const LOYALTY: char = '⒧';
/// Full encoding: introduces a battle's defense.
pub const DEFENSE: char = '⒟';
/// Full encoding: introduces flavor text (only with `--flavor`).
pub const FLAVOR: char = '⒡';
/// Full encoding: starts the next face of a multi-part card; its name follows.
pub const FACE: char = '⒝';
/// Text-first order ([`crate::field_order`]): introduces a face's name, its
/// last field.
pub const NAME_FIELD: char = '⒩';

/// The seed's field markers in the order a well-formed line uses them.
pub const FIELD_MARKERS: [char; 5] = [COST, RARITY, TYPE, POWER_TOUGHNESS, ABILITY];

/// Every marker that separates fields, in either encoding.
pub const ALL_FIELD_MARKERS: [char; 10] = [
    COST,
    RARITY,
    LAYOUT,
    TYPE,
    POWER_TOUGHNESS,
    LOYALTY,
    DEFENSE,
    ABILITY,
    FLAVOR,
    FACE,
];

/// Multi-part layouts, written after `⒨` (Scryfall's names; MTGJSON v3's
/// `double-faced` is `transform`).
pub const MULTI_PART_LAYOUTS: [&str; 7] = [
    "split",
    "flip",
    "transform",
    "meld",
    "modal_dfc",
    "adventure",
    "aftermath",
];
