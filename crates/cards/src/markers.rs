//! The marker characters of the seed's one-line card encoding
//! (`docs/card-encoding.md`, section 3).

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

/// The field markers in the order a well-formed line uses them.
pub const FIELD_MARKERS: [char; 5] = [COST, RARITY, TYPE, POWER_TOUGHNESS, ABILITY];
