//! One card (or one face of a multi-part card) as read from any input format,
//! before filtering and encoding.

/// The fields of a card that the encodings use, in a shape shared by every input
/// format. `None` means the source did not have the field at all, which the seed's
/// filter distinguishes from an empty value (a missing `manaCost` drops a land; an
/// empty `text` is one empty ability).
///
/// A multi-part card (split, flip, transform, meld, modal double-faced, adventure,
/// aftermath) arrives as one `SourceCard` per face, each with `face_names` listing
/// every part's name in printed order; [`crate::faces`] joins them into one card.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceCard {
    /// This face's own name (MTGJSON v4/v5 `faceName`, v3 `name`, Scryfall's face name).
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
    /// Starting loyalty of a planeswalker (`3`, `X`).
    pub loyalty: Option<String>,
    /// Defense of a battle.
    pub defense: Option<String>,
    /// Flavor text (encoded only with `--flavor`).
    pub flavor: Option<String>,
    /// Every part's name, in printed order, for a multi-part card (MTGJSON v3/v4
    /// `names`, the parts of a v5 `A // B` name, Scryfall's `card_faces`); empty
    /// for a one-part card. A meld card's last name is the melded back face.
    pub face_names: Vec<String>,
    /// Collector number (`210a` in MTGJSON v3, `210` in v5): faces of one printing share
    /// it up to a trailing letter.
    pub number: Option<String>,
    /// The source marks the card as from a joke set (MTGJSON v5 `isFunny`, Scryfall
    /// `set_type: funny`).
    pub funny: bool,
}
