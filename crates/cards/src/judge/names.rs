//! Names: what a creature's name promises. A name's head noun is what the
//! card is ("Serra *Angel*", "*Wall* of Stone", "Llanowar *Elves*"); a creature
//! named for one creature type and printed as another ("Rowling Angel", a
//! Human Soldier; "Wall of Sage", a Vampire) reads as a mistake to a player.
//!
//! Only the creature types of at least 30 real creatures are read as the
//! name's promise ([`COMMON_CREATURE_TYPES`]): rarer ones are as often plain
//! words ("Elder", "Mystic", "Eye"). Measured on the training corpus
//! (`tests/design_real_cards.rs`): 8 of the 9,925 real creatures among the
//! training cards have a head noun of another common type (Beast of Burden, a
//! Golem; Frontline Rebel, a Human Warrior), against one generated creature in
//! seven (21 of 153 raw samples, seed 5).

use super::design::{Check, DesignFlaw, View};
use super::lexicon::singular_forms;

/// The creature types of at least 30 creature (or tribal) cards among the
/// training cards of the 2018 MTGJSON v3 data (18,871 cards, reprints
/// removed); `tests/design_real_cards.rs` recounts them from the corpus.
pub const COMMON_CREATURE_TYPES: [&str; 90] = [
    "advisor",
    "ally",
    "angel",
    "archer",
    "artificer",
    "assassin",
    "avatar",
    "barbarian",
    "beast",
    "berserker",
    "bird",
    "boar",
    "cat",
    "centaur",
    "cleric",
    "construct",
    "demon",
    "dinosaur",
    "djinn",
    "dragon",
    "drake",
    "drone",
    "druid",
    "dryad",
    "dwarf",
    "eldrazi",
    "elemental",
    "elephant",
    "elf",
    "faerie",
    "fish",
    "fungus",
    "giant",
    "goblin",
    "golem",
    "griffin",
    "horror",
    "horse",
    "hound",
    "human",
    "hydra",
    "illusion",
    "imp",
    "insect",
    "kavu",
    "kithkin",
    "knight",
    "kor",
    "lizard",
    "mercenary",
    "merfolk",
    "minion",
    "minotaur",
    "monk",
    "mutant",
    "myr",
    "naga",
    "nomad",
    "ogre",
    "orc",
    "pirate",
    "plant",
    "rat",
    "rebel",
    "rhino",
    "rogue",
    "samurai",
    "scout",
    "serpent",
    "shaman",
    "shapeshifter",
    "skeleton",
    "sliver",
    "snake",
    "soldier",
    "spellshaper",
    "sphinx",
    "spider",
    "spirit",
    "treefolk",
    "vampire",
    "vedalken",
    "viashino",
    "wall",
    "warrior",
    "werewolf",
    "wizard",
    "wolf",
    "wurm",
    "zombie",
];

/// The name flaws of the card's front face.
pub(super) fn name_flaws(view: &View, out: &mut Vec<DesignFlaw>) {
    name_of_another_creature(view, out);
}

/// The head noun of a name, lower case: its last word, or the last word
/// before "of" or "from" ("Angel of Mercy"), before a legend's comma
/// ("Zurgo, Helmsmasher"); `None` for a possessive ("Urza's ...") or an
/// empty name.
pub fn head_noun(name: &str) -> Option<String> {
    let name = name.to_lowercase();
    let name = name.split(',').next().unwrap_or("");
    let mut head = name;
    for joint in [" of ", " from "] {
        if let Some((before, _)) = head.split_once(joint) {
            head = before;
        }
    }
    let word = head.split_whitespace().last()?;
    if word.ends_with("'s") || word.ends_with("’s") || word.ends_with('\'') {
        return None;
    }
    Some(word.to_owned())
}

/// The common creature type a name's head noun names (`wolves` → `wolf`).
fn named_type(name: &str) -> Option<&'static str> {
    let head = head_noun(name)?;
    singular_forms(&head)
        .iter()
        .find_map(|form| COMMON_CREATURE_TYPES.iter().find(|t| **t == form).copied())
}

/// A creature whose name's head noun is a common creature type it does not
/// have. Changelings (every type at once) are never flagged.
fn name_of_another_creature(view: &View, out: &mut Vec<DesignFlaw>) {
    if !view.has_type("creature")
        || view.has_subtype("shapeshifter")
        || view.text.contains("changeling")
    {
        return;
    }
    let Some(named) = named_type(&view.card.name) else {
        return;
    };
    if view.has_subtype(named) {
        return;
    }
    let printed = match view.card.subtypes.join(" ") {
        none if none.is_empty() => "no creature type".to_owned(),
        types if types.starts_with(['A', 'E', 'I', 'O', 'U']) => format!("an {types}"),
        types => format!("a {types}"),
    };
    out.push(DesignFlaw::new(
        Check::NameOfAnotherCreature,
        format!("named for a {named}, but it is {printed}"),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::design::tests::flaws_by;

    fn flaws(line: &str) -> Vec<DesignFlaw> {
        flaws_by(line, name_flaws)
    }

    #[test]
    fn head_nouns() {
        assert_eq!(head_noun("Serra Angel").as_deref(), Some("angel"));
        assert_eq!(head_noun("Angel of Mercy").as_deref(), Some("angel"));
        assert_eq!(head_noun("Ogre from Explorise").as_deref(), Some("ogre"));
        assert_eq!(head_noun("Zurgo, Helmsmasher").as_deref(), Some("zurgo"));
        assert_eq!(head_noun("Tethiria's Golem").as_deref(), Some("golem"));
        assert_eq!(head_noun("Urza's"), None);
        assert_eq!(head_noun(""), None);
        assert_eq!(named_type("Raying Wolves"), Some("wolf"));
        assert_eq!(named_type("Llanowar Elves"), Some("elf"));
        assert_eq!(named_type("Savannah Lions"), None, "not a common type");
        assert_eq!(
            named_type("Goblin Guide"),
            None,
            "an adjective, not the head"
        );
    }

    #[test]
    fn a_creature_named_for_another_type_is_flagged() {
        let rowling = "Ⓢrowling angel⒞①Ⓑ⒭C⒯creature:human soldier⒫2/3⒜Ⓔ";
        let got = flaws(rowling);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].check, Check::NameOfAnotherCreature);
        assert!(got[0].reason.contains("angel"), "{}", got[0].reason);
        assert!(got[0].reason.contains("Human Soldier"), "{}", got[0].reason);
        assert_eq!(
            flaws("Ⓢraying wolves⒞①Ⓡ⒭C⒯creature:merfolk wizard⒫2/2⒜Ⓔ").len(),
            1
        );
        let rebel = flaws("Ⓢfrontline rebel⒞②Ⓡ⒭C⒯creature:aetherborn warrior⒫3/3⒜Ⓔ");
        assert_eq!(
            rebel[0].reason,
            "named for a rebel, but it is an Aetherborn Warrior"
        );
        assert_eq!(
            flaws("Ⓢwall of sage⒞②Ⓤ⒭C⒯creature:vampire soldier⒫2/2⒜flyingⒺ").len(),
            1
        );
    }

    #[test]
    fn real_names_pass() {
        for line in [
            "Ⓢserra angel⒞③ⓌⓌ⒭U⒯creature:angel⒫4/4⒜flying, vigilanceⒺ",
            "Ⓢllanowar elves⒞Ⓖ⒭C⒯creature:elf druid⒫1/1⒜↷: add Ⓖ.Ⓔ",
            "Ⓢwall of stone⒞①ⓇⓇ⒭U⒯creature:wall⒫0/8⒜defenderⒺ",
            "Ⓢsavannah lions⒞Ⓦ⒭R⒯creature:cat⒫2/1⒜Ⓔ",
            "Ⓢgoblin guide⒞Ⓡ⒭R⒯creature:goblin scout⒫2/2⒜hasteⒺ",
            // A changeling is every type.
            "Ⓢchangeling hero⒞③Ⓦ⒭U⒯creature:shapeshifter⒫4/4⒜changelingⒺ",
            // Not a creature: an instant may be named for one.
            "Ⓢguardian angel⒞ⓍⓌ⒭C⒯instant⒜prevent the next x damage that would be dealt to any target this turn.Ⓔ",
        ] {
            assert!(flaws(line).is_empty(), "{line}: {:?}", flaws(line));
        }
    }
}
