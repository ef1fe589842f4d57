//! One card as read from any input format, before the seed's filter and encoding.

/// The fields of a card that the seed's filter and encoding use, in a shape shared by
/// every input format. `None` means the source did not have the field at all, which the
/// filter distinguishes from an empty value (a missing `manaCost` drops a land; an
/// empty `text` is one empty ability).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceCard {
    pub name: Option<String>,
    /// Set code in upper case (`UGL`), when the input says which set the card is in.
    pub set_code: Option<String>,
    pub layout: Option<String>,
    pub supertypes: Vec<String>,
    pub types: Option<Vec<String>>,
    pub subtypes: Vec<String>,
    /// Mana cost in MTGJSON notation, e.g. `{2}{W}{W}`.
    pub mana_cost: Option<String>,
    /// Rarity word as the source writes it (`Mythic Rare`, `mythic`, `common`, ...).
    pub rarity: Option<String>,
    /// Rules text, abilities separated by `\n`.
    pub text: Option<String>,
    pub power: Option<String>,
    pub toughness: Option<String>,
}
