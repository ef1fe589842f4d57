//! Flaws a player notices that the strict judge lets through: the card is
//! written in real words, but reads wrong. The curator prefers the candidate
//! with the fewest (see [`crate::judge::curate`]); none of these makes a card
//! malformed, since real cards have each of them now and then.

use super::design::CREATURE_KEYWORDS;
use super::rates::SIZED_BY_COUNTERS;
use crate::decode::Card;

/// Abilities together longer than this (characters) read as a wall of text:
/// few real commons or uncommons run that long.
pub const LONG_TEXT_CHARS: usize = 320;
/// A sentence of more words than this is almost always several run together.
pub const LONG_SENTENCE_WORDS: usize = 40;
/// The card's own name written more often than this in one ability (real
/// cards say it three times now and then: Shrine of Burning Rage).
pub const NAME_REPEATS: usize = 3;
/// Words in a phrase that a real card does not say twice.
pub const PHRASE_WORDS: usize = 6;

/// Keywords that do nothing on an instant or sorcery besides the creature
/// keywords ([`CREATURE_KEYWORDS`]): those of any permanent. (Not wither or
/// infect, which a spell's damage uses: Puncture Blast.)
const OTHER_PERMANENT_KEYWORDS: [&str; 6] = [
    "indestructible",
    "banding",
    "exalted",
    "lifelink",
    "hexproof",
    "shroud",
];

/// Keywords of spells, which do nothing on a permanent (no real permanent
/// has one; "flashback costs" and "buyback costs" are not the keyword).
const SPELL_KEYWORDS: [&str; 12] = [
    "flashback",
    "buyback",
    "rebound",
    "retrace",
    "splice onto",
    "storm",
    "overload",
    "replicate",
    "entwine",
    "epic",
    "cipher",
    "jump-start",
];

/// What gives a creature of toughness 0 its toughness as it enters, with the
/// keywords that give it counters ([`SIZED_BY_COUNTERS`]).
const TOUGHNESS_FROM: [&str; 8] = [
    "enters the battlefield with",
    "as a copy",
    "get +",
    "gets +",
    "+x",
    "equal to",
    "number of",
    "for each",
];

/// How an ability of a permanent begins: it never works on an instant or
/// sorcery, which is gone once it resolves (`~` is the card's name).
const PERMANENT_TRIGGERS: [&str; 5] = [
    "when ~ enters the battlefield",
    "when ~ dies",
    "whenever ~ attacks",
    "whenever ~ blocks",
    "at the beginning of",
];

/// An activated ability: a cost, then `:` (outside quotes, which grant an
/// ability to something else; not a mode or a loyalty ability).
fn is_activated(ability: &str) -> bool {
    let head = ability.split('"').next().unwrap_or("");
    head.contains(": ")
        && !head.trim_start().starts_with(['•', '+', '−', '-', '0'])
        && !head.contains("choose")
}

/// The flaws of `card`, one short reason each (empty: none seen).
pub fn flaws(card: &Card) -> Vec<String> {
    let mut out = Vec::new();
    let types: Vec<String> = card.types.iter().map(|t| t.to_lowercase()).collect();
    let subtypes: Vec<String> = card.subtypes.iter().map(|t| t.to_lowercase()).collect();
    let has_type = |t: &str| types.iter().any(|x| x == t);
    let has_subtype = |t: &str| subtypes.iter().any(|x| x == t);
    let abilities: Vec<String> = card.abil.iter().map(|a| a.to_lowercase()).collect();
    let text = abilities.join("\n");
    let name = card.name.to_lowercase();

    // A creature that dies as it enters: real ones enter with counters, as a
    // copy, or with a static pump ("+1/+1 for each"); counters a trigger puts
    // on it later come too late.
    if has_type("creature")
        && card.toughness.as_deref() == Some("0")
        && !TOUGHNESS_FROM
            .iter()
            .chain(&SIZED_BY_COUNTERS)
            .any(|w| text.contains(w))
    {
        out.push("toughness 0".to_owned());
    }
    // Text that speaks of what the card is not.
    if !has_subtype("aura") {
        // What only an Aura enchants ("target enchanted permanent" is real
        // on a spell, so "permanent" is not among them).
        if let Some(what) = ["creature", "land", "artifact", "player", "planeswalker"]
            .iter()
            .find(|w| text.contains(&format!("enchanted {w}")))
        {
            out.push(format!("\"enchanted {what}\" on a card that is no Aura"));
        }
    }
    if text.contains("equipped creature") && !has_subtype("equipment") {
        out.push("\"equipped creature\" on a card that is no Equipment".to_owned());
    }
    let unnamed_lines: Vec<String> = abilities
        .iter()
        .map(|a| {
            if name.is_empty() {
                a.clone()
            } else {
                a.replace(name.as_str(), "~")
            }
        })
        .collect();
    if (has_type("instant") || has_type("sorcery")) && !has_type("creature") {
        for line in &abilities {
            let line = line.trim();
            if CREATURE_KEYWORDS.contains(&line) || OTHER_PERMANENT_KEYWORDS.contains(&line) {
                out.push(format!("\"{line}\" on an instant or sorcery"));
            }
        }
        // Gone once it resolves: an ability of its own never gets used.
        if unnamed_lines.iter().any(|a| is_activated(a)) {
            out.push("an activated ability on an instant or sorcery".to_owned());
        }
        if let Some(t) = PERMANENT_TRIGGERS
            .iter()
            .find(|t| unnamed_lines.iter().any(|a| a.starts_with(*t)))
        {
            out.push(format!("\"{t}\" on an instant or sorcery"));
        }
    } else if let Some(k) = SPELL_KEYWORDS.iter().find(|k| {
        // Named lines: "Storm Sculptor can't be blocked" is no storm.
        unnamed_lines.iter().any(|a| {
            a.trim() == **k
                || (a.starts_with(&format!("{k} ")) && !a.starts_with(&format!("{k} costs")))
        })
    }) {
        out.push(format!("\"{k}\" on a permanent"));
    }
    // X that nothing defines.
    let uses_x = text.split(|c: char| !c.is_alphanumeric()).any(|w| w == "x");
    let defines_x = card.mana_symbols.iter().any(|s| s.contains('X'))
        || text.contains("{x}")
        || text.contains("x is")
        || text.contains("x can't");
    if uses_x && !defines_x {
        out.push("X is never defined".to_owned());
    }
    // A modal spell with one mode.
    if text.contains("choose one") || text.contains("choose two") {
        let modes = text.matches('•').count();
        if modes < 2 {
            out.push("a choice with fewer than two modes".to_owned());
        }
    }
    // Stutter: the same six words twice (the name counts as one word).
    let unnamed = if name.is_empty() {
        text.clone()
    } else {
        text.replace(name.as_str(), "~")
    };
    let words: Vec<&str> = unnamed
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter(|w| !w.is_empty())
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    if words
        .windows(PHRASE_WORDS)
        .any(|w| !seen.insert(w.join(" ")))
    {
        out.push("a phrase repeated".to_owned());
    }
    // The name over and over.
    if !name.is_empty()
        && abilities
            .iter()
            .any(|a| a.matches(name.as_str()).count() > NAME_REPEATS)
    {
        out.push(format!(
            "the card's name more than {NAME_REPEATS} times in one ability"
        ));
    }
    // Walls of text.
    if abilities.iter().map(|a| a.chars().count()).sum::<usize>() > LONG_TEXT_CHARS {
        out.push(format!("rules text over {LONG_TEXT_CHARS} characters"));
    }
    if abilities.iter().any(|a| {
        a.split(['.', '"'])
            .any(|s| s.split_whitespace().count() > LONG_SENTENCE_WORDS)
    }) {
        out.push(format!("a sentence over {LONG_SENTENCE_WORDS} words"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{decode_with, Rules};

    fn flaws_of(line: &str) -> Vec<String> {
        // The sample lines are of the seed's encoding (no loyalty).
        let card = decode_with(line, Rules::for_lines(&[line.to_owned()]));
        assert!(card.well_formed, "{line}: {:?}", card.problems);
        flaws(&card)
    }

    #[test]
    fn real_cards_have_none() {
        for line in crate::judge::lexicon::tests::sample_lines() {
            assert!(flaws_of(&line).is_empty(), "{line}: {:?}", flaws_of(&line));
        }
        assert!(flaws_of("Ⓢfireball⒞Ⓧ①Ⓡ⒭C⒯sorcery⒜Ⓝ deals X damage to any target.Ⓔ").is_empty());
        // Granting an ability is not an ability of its own; flashback is a spell's.
        assert!(flaws_of(
            "Ⓢzed⒞Ⓖ⒭C⒯instant⒜target creature gains \"↷: add Ⓖ.\" until end of turn.Ⓔ"
        )
        .is_empty());
        assert!(flaws_of("Ⓢzed⒞Ⓡ⒭C⒯sorcery⒜flashback ③ⓇⒺ").is_empty());
        // Real permanents: a cost reducer for flashback, a 0/0 entering with
        // counters, a copy.
        for line in [
            "Ⓢcatalyst stone⒞②⒭R⒯artifact⒜flashback costs you pay cost up to ② less.Ⓔ",
            "Ⓢarcbound worker⒞①⒭C⒯artifact creature:construct⒫0/0⒜modular 1Ⓔ",
            "Ⓢclone⒞③Ⓤ⒭R⒯creature:shapeshifter⒫0/0⒜you may have Ⓝ enter the battlefield as a copy of any creature on the battlefield.Ⓔ",
        ] {
            assert!(flaws_of(line).is_empty(), "{line}: {:?}", flaws_of(line));
        }
    }

    #[test]
    fn each_flaw_is_named() {
        let cases = [
            ("Ⓢa⒞Ⓡ⒭C⒯creature:goblin⒫2/0⒜hasteⒺ", "toughness 0"),
            // The shipped model's: a counter put later comes too late.
            (
                "Ⓢsoless call⒞⑧⒭C⒯artifact creature:golem⒫1/0⒜whenever you cast a spirit or arcane spell, put a +1/+1 counter on Ⓝ.Ⓔ",
                "toughness 0",
            ),
            (
                "Ⓢschielking wind⒞②ⒼⒼ⒭C⒯creature:ogre⒫2/3⒜flying⒜retraceⒺ",
                "\"retrace\" on a permanent",
            ),
            (
                "Ⓢa⒞Ⓡ⒭C⒯enchantment⒜enchanted creature gets +1/+0.Ⓔ",
                "enchanted creature",
            ),
            (
                "Ⓢjrogise leblage⒞①Ⓑ⒭C⒯enchantment⒜when you lose the flip, enchanted land attack this turn.Ⓔ",
                "\"enchanted land\" on a card that is no Aura",
            ),
            ("Ⓢa⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.⒜exaltedⒺ", "\"exalted\" on an instant"),
            ("Ⓢwill of fain⒞①Ⓡ⒭C⒯instant⒜swampwalkⒺ", "\"swampwalk\" on an instant"),
            // Seen in the default command's output (session 16).
            (
                "Ⓢchore's riptive⒞②Ⓑ⒭C⒯instant⒜destroy target creature.⒜prowessⒺ",
                "\"prowess\" on an instant",
            ),
            ("Ⓢa⒞Ⓡ⒭C⒯sorcery⒜draw X cards.Ⓔ", "X is never defined"),
            (
                "Ⓢputle flick⒞Ⓡ⒭C⒯instant⒜discard a card: Ⓝ gains shroud until end of turn.Ⓔ",
                "an activated ability on an instant",
            ),
            (
                "Ⓢfaast⒞Ⓦ⒭C⒯instant⒜draw a card.⒜when Ⓝ dies, you gain 2 life.Ⓔ",
                "\"when ~ dies\" on an instant",
            ),
            (
                "Ⓢworll⒞①Ⓤ⒭C⒯creature:bird⒫1/1⒜flying⒜flashback ⑤ⓌⒺ",
                "\"flashback\" on a permanent",
            ),
            ("Ⓢa⒞Ⓡ⒭C⒯sorcery⒜choose one —⒜• draw a card.Ⓔ", "fewer than two modes"),
            (
                "Ⓢa⒞Ⓡ⒭C⒯sorcery⒜target creature gets +1/+1 until end of turn. target creature gets +1/+1 until end of turn.Ⓔ",
                "a phrase repeated",
            ),
            (
                "Ⓢgrim brute⒞Ⓡ⒭C⒯creature:goblin⒫2/2⒜whenever Ⓝ attacks, Ⓝ gets +1/+0, Ⓝ gains haste and Ⓝ can't block.Ⓔ",
                "name more than 3 times",
            ),
        ];
        for (line, reason) in cases {
            let got = flaws_of(line);
            assert!(got.iter().any(|f| f.contains(reason)), "{line}: {got:?}");
        }
        let long = format!("Ⓢa⒞Ⓡ⒭C⒯sorcery⒜{}Ⓔ", "draw a card. ".repeat(30).trim_end());
        let got = flaws_of(&long);
        assert!(got.iter().any(|f| f.contains("over 320")), "{got:?}");
        let run_on = format!("Ⓢa⒞Ⓡ⒭C⒯sorcery⒜{} card.Ⓔ", "you and ".repeat(25));
        let got = flaws_of(&run_on);
        assert!(got.iter().any(|f| f.contains("over 40 words")), "{got:?}");
    }
}
