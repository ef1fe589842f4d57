//! Cards in the formats card makers use: Magic Set Editor set files
//! ([`mse`]), Cockatrice custom sets ([`cockatrice`]) and Scryfall-shaped
//! JSON ([`scryfall`]). Each writer takes the decoded cards with the lines of
//! judgement cardlm printed for them, and returns the file's bytes; writing
//! them (atomically) is the caller's job. Card images live in the
//! `cardlm-render` crate.

pub mod cockatrice;
pub mod mse;
pub mod scryfall;

use crate::decode::Card;

/// One card to export and the lines of judgement that go with it
/// (well-formedness, novelty), written where the format has room for notes.
#[derive(Clone, Copy, Debug)]
pub struct Judged<'a> {
    pub card: &'a Card,
    pub notes: &'a [String],
}

/// One face of a card in printed form: what every export format writes.
/// Built from a decoded [`Card`] by [`faces`]; a multi-part card has several.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Face {
    /// Printed name (`Angel of Mercy`).
    pub name: String,
    /// Mana cost in `{4}{W}` notation, empty for none.
    pub mana_cost: String,
    /// The cost's symbols without braces (`["4", "W"]`).
    pub mana_symbols: Vec<String>,
    /// Colours of the cost in WUBRG order.
    pub colors: Vec<String>,
    pub mana_value: u32,
    /// Capitalised words (`Legendary`; `Artifact`, `Creature`; `Angel`).
    pub supertypes: Vec<String>,
    pub types: Vec<String>,
    pub subtypes: Vec<String>,
    /// One entry per ability, mana symbols as `{G}`, the card's name spelled out.
    pub rules: Vec<String>,
    pub power: Option<String>,
    pub toughness: Option<String>,
    pub loyalty: Option<String>,
}

impl Face {
    /// The printed type line: `Legendary Creature — Angel`.
    pub fn type_line(&self) -> String {
        let left: Vec<&str> = self
            .supertypes
            .iter()
            .chain(&self.types)
            .map(String::as_str)
            .collect();
        let mut line = left.join(" ");
        if !self.subtypes.is_empty() {
            line.push_str(" — ");
            line.push_str(&self.subtypes.join(" "));
        }
        line
    }

    /// Rules text as printed: one ability a line.
    pub fn rules_text(&self) -> String {
        self.rules.join("\n")
    }

    pub fn is(&self, card_type: &str) -> bool {
        self.types.iter().any(|t| t == card_type)
    }
}

/// The faces of a card, in printed order (one for a single-faced card).
pub fn faces(card: &Card) -> Vec<Face> {
    vec![Face {
        name: card.name.clone(),
        mana_cost: card.cost.clone(),
        mana_symbols: card.mana_symbols.clone(),
        colors: card.colors.clone(),
        mana_value: card.mana_value,
        supertypes: card.supertypes.clone(),
        types: card.types.clone(),
        subtypes: card.subtypes.clone(),
        rules: card
            .abil
            .iter()
            .filter(|a| !a.trim().is_empty())
            .cloned()
            .collect(),
        power: card.power.clone(),
        toughness: card.toughness.clone(),
        loyalty: None,
    }]
}

/// Scryfall's layout word for the card (`normal`, `transform`, `split`, ...).
pub fn layout(_card: &Card) -> &'static str {
    "normal"
}

/// The colours of all faces together, in WUBRG order.
pub fn color_identity(faces: &[Face]) -> Vec<String> {
    ["W", "U", "B", "R", "G"]
        .into_iter()
        .filter(|c| faces.iter().any(|f| f.colors.iter().any(|x| x == c)))
        .map(str::to_owned)
        .collect()
}

/// The rarity as Scryfall, MSE and Cockatrice spell it (lower case, `mythic`
/// for a mythic rare; the seed's `S` is Scryfall's `special`, `B` a basic
/// land, which Scryfall calls `common`).
pub fn rarity_word(card: &Card) -> &'static str {
    match card.rarity_letter.as_str() {
        "U" => "uncommon",
        "R" => "rare",
        "M" => "mythic",
        "S" => "special",
        _ => "common",
    }
}

/// The card's mana value over all faces (Scryfall's `cmc`: the front face's
/// for a transforming card, the sum for split cards).
pub fn mana_value(card: &Card) -> u32 {
    card.mana_value
}

#[cfg(test)]
pub(crate) mod test_cards {
    use crate::decode::{decode, Card};

    /// A spread of decoded cards: creature, instant with symbols and the
    /// card's name, a legendary artifact, a colourless land, two-colour.
    pub fn sample() -> Vec<Card> {
        [
            "Ⓢangel of mercy⒞④Ⓦ⒭U⒯creature:angel⒫3/3⒜flying⒜when Ⓝ enters the battlefield, you gain 3 life.Ⓔ",
            "Ⓢshock <of> rain⒞①Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.⒜↷: add Ⓡ & draw \"x\".Ⓔ",
            "Ⓢthe golden idol⒞⑤⒭M⒯legendary artifact⒜↷, pay Ⓧ life: draw a card.Ⓔ",
            "Ⓢmud pit⒞⒭R⒯land⒜↷: add Ⓒ.Ⓔ",
            "Ⓢbramble sage⒞②ⒼⓊ⒭S⒯creature:elf druid⒫2/10⒜{g/u}: untap target permanent.Ⓔ",
        ]
        .iter()
        .map(|l| decode(l))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_face_prints_its_type_line_and_rules() {
        let cards = test_cards::sample();
        let angel = &faces(&cards[0])[0];
        assert_eq!(angel.type_line(), "Creature — Angel");
        assert_eq!(angel.rules.len(), 2);
        let idol = &faces(&cards[2])[0];
        assert_eq!(idol.type_line(), "Legendary Artifact");
        assert_eq!(rarity_word(&cards[2]), "mythic");
        assert_eq!(rarity_word(&cards[4]), "special");
        assert_eq!(color_identity(&faces(&cards[4])), vec!["U", "G"]);
    }
}
