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
    /// A battle's defense.
    pub defense: Option<String>,
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

/// The faces of a card, in printed order (one for a single-faced card): the
/// decoded card's faces with their own cost, types, rules, P/T, loyalty and defense.
pub fn faces(card: &Card) -> Vec<Face> {
    card.faces.iter().map(face_of).collect()
}

fn face_of(face: &crate::decode::Face) -> Face {
    Face {
        name: face.name.clone(),
        mana_cost: face.cost.clone(),
        mana_symbols: face.mana_symbols.clone(),
        colors: face.colors.clone(),
        mana_value: face.mana_value,
        supertypes: face.supertypes.clone(),
        types: face.types.clone(),
        subtypes: face.subtypes.clone(),
        rules: face
            .abil
            .iter()
            .filter(|a| !a.trim().is_empty())
            .cloned()
            .collect(),
        power: face.power.clone(),
        toughness: face.toughness.clone(),
        loyalty: face.loyalty.clone(),
        defense: face.defense.clone(),
    }
}

/// Scryfall's layout word for the card (`normal`, `transform`, `split`, ...):
/// the decoded layout when it is one cardlm knows, else `normal`.
pub fn layout(card: &Card) -> &'static str {
    crate::markers::MULTI_PART_LAYOUTS
        .iter()
        .copied()
        .find(|l| *l == card.layout)
        .unwrap_or("normal")
}

/// True for the layouts whose halves share one side of one card (split,
/// aftermath, adventure), which Scryfall and Cockatrice treat as one card
/// face-wise; false for cards with a back (transform, modal_dfc, meld) or a
/// flipped half.
pub fn is_one_sided(layout: &str) -> bool {
    matches!(layout, "split" | "aftermath" | "adventure")
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

/// The card's mana value as Scryfall's `cmc` gives it: the sum of the halves
/// for split and aftermath cards, the front face's otherwise (an adventure's
/// and a double-faced card's mana value is its main face's).
pub fn mana_value(card: &Card) -> u32 {
    match layout(card) {
        "split" | "aftermath" => card.faces.iter().map(|f| f.mana_value).sum(),
        _ => card.faces.first().map_or(card.mana_value, |f| f.mana_value),
    }
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

    /// One card of every kind the full encoding has, all well-formed: a
    /// transform card, a split card, an adventure, a planeswalker with its
    /// loyalty, a land, a hybrid and Phyrexian cost, and a battle.
    pub const KINDS: [&str; 7] = [
        "Ⓢdelver of secrets⒞Ⓤ⒭C⒨transform⒯creature:human wizard⒫1/1⒜at the beginning of your upkeep, look at the top card of your library. if it's an instant card, transform Ⓝ.⒝insectile aberration⒞⒯creature:human insect⒫3/2⒜flyingⒺ",
        "Ⓢfire⒞①Ⓡ⒭U⒨split⒯instant⒜Ⓝ deals 2 damage divided as you choose among one or two targets.⒝ice⒞①Ⓤ⒯instant⒜tap target permanent.⒜draw a card.Ⓔ",
        "Ⓢbonecrusher giant⒞②Ⓡ⒭R⒨adventure⒯creature:giant⒫4/3⒜whenever Ⓝ becomes the target of a spell, Ⓝ deals 2 damage to that spell's controller.⒝stomp⒞①Ⓡ⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ",
        "Ⓢjace beleren⒞①ⓊⓊ⒭M⒯planeswalker:jace⒧3⒜+2: each player draws a card.⒜−1: target player draws a card.⒜−10: target player mills twenty cards.Ⓔ",
        "Ⓢsunken ruins⒞⒭R⒯land⒜↷: add Ⓒ.⒜{u/b}, ↷: add ⓊⓊ, ⓊⒷ, or ⒷⒷ.Ⓔ",
        "Ⓢkitchen finks⒞①{G/W}{B/P}⒭U⒯creature:ouphe⒫3/2⒜when Ⓝ enters the battlefield, you gain 2 life.⒜persistⒺ",
        "Ⓢinvasion of tarkir⒞①Ⓡ⒭U⒨transform⒯battle:siege⒟5⒜when Ⓝ enters the battlefield, it deals 2 damage to any target.⒝defiant thundermaw⒞⒯creature:dragon⒫4/4⒜flying, trampleⒺ",
    ];

    /// The cards of [`KINDS`], decoded.
    pub fn kinds() -> Vec<Card> {
        KINDS.iter().map(|l| decode(l)).collect()
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

    #[test]
    fn every_kind_of_card_brings_its_faces_layout_loyalty_and_defense() {
        let cards = test_cards::kinds();
        for card in &cards {
            assert!(card.well_formed, "{}: {:?}", card.name, card.problems);
        }
        let layouts: Vec<&str> = cards.iter().map(layout).collect();
        assert_eq!(
            layouts,
            [
                "transform",
                "split",
                "adventure",
                "normal",
                "normal",
                "normal",
                "transform"
            ]
        );
        let delver = faces(&cards[0]);
        assert_eq!(delver.len(), 2);
        assert_eq!(delver[1].name, "Insectile Aberration");
        assert_eq!(delver[1].mana_cost, "");
        assert_eq!(delver[1].type_line(), "Creature — Human Insect");
        assert_eq!(delver[1].power.as_deref(), Some("3"));
        assert_eq!(delver[1].colors, Vec::<String>::new());
        let fire_ice = faces(&cards[1]);
        assert_eq!(fire_ice[1].mana_cost, "{1}{U}");
        assert_eq!(fire_ice[1].rules, ["Tap target permanent.", "Draw a card."]);
        assert_eq!(color_identity(&fire_ice), ["U", "R"]);
        assert_eq!(mana_value(&cards[1]), 4, "a split card's halves add up");
        assert_eq!(mana_value(&cards[2]), 3, "an adventurer's own cost counts");
        assert_eq!(faces(&cards[2])[1].name, "Stomp");
        let jace = &faces(&cards[3])[0];
        assert_eq!(jace.loyalty.as_deref(), Some("3"));
        let land = &faces(&cards[4])[0];
        assert!(land.mana_cost.is_empty() && land.mana_symbols.is_empty());
        let finks = &faces(&cards[5])[0];
        assert_eq!(finks.mana_symbols, ["1", "G/W", "B/P"]);
        assert_eq!(faces(&cards[6])[0].defense.as_deref(), Some("5"));
        assert!(is_one_sided("adventure") && !is_one_sided("transform"));
    }
}
