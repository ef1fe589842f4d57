//! What a coloured card makes, in colours it is not: a token ("Create a 1/1
//! red Elemental token" on a blue sorcery) or mana ("{T}: Add {W}." on a red
//! one-drop). Real cards make their own colours' tokens and mana with few
//! exceptions, which the reasons below count; generated cards draw the colour
//! word from anywhere.
//!
//! Measured on the 18,871 training cards of the 2018 MTGJSON v3 data against
//! 600 raw samples of model v3 (`generate -n 600 --best-of 1 --seed 3`):
//!
//! | check | real cards | raw samples |
//! |---|---|---|
//! | a token of a colour the card is not | 42 (0.22%: Skeletonize's black Bat, Puppet Conjurer's blue Homunculus) | 26 (4.3%) |
//! | mana of no colour of the card's | 12 (0.06%: Tinder Wall, Avacyn's Pilgrim) | 6 (1.0%) |

use std::collections::BTreeSet;

use super::colour_pie::COLOURS;
use super::design::{card_colours, mana_colour, symbols, Check, DesignFlaw, View};

/// The flaws of what the card makes.
pub(super) fn made_colour_flaws(view: &View, out: &mut Vec<DesignFlaw>) {
    let colours = card_colours(view);
    // Colourless cards and lands have no colour to keep (Kher Keep's red
    // Kobolds, a Thopter-making artifact).
    if colours.is_empty() || view.has_type("land") {
        return;
    }
    token_of_another_colour(view, &colours, out);
    mana_of_another_colour(view, &colours, out);
}

/// A token whose colour words name a colour the card is not.
fn token_of_another_colour(view: &View, colours: &BTreeSet<char>, out: &mut Vec<DesignFlaw>) {
    for sentence in view.own_text.split(['.', '\n']) {
        let Some(start) = sentence.find("create ") else {
            continue;
        };
        let clause = &sentence[start..];
        let Some(end) = clause.find(" token") else {
            continue;
        };
        let words = &clause[..end];
        for (letter, word) in COLOURS {
            let named = words.split(|c: char| !c.is_alphabetic()).any(|w| w == word);
            if named && !colours.contains(&letter.to_ascii_lowercase()) {
                out.push(DesignFlaw::new(
                    Check::TokenOfAnotherColour,
                    format!("a {word} token from a card that is not {word}"),
                ));
                return;
            }
        }
    }
}

/// "Add ..." of coloured mana none of whose colours is the card's. Mana of
/// any colour, or of the card's colour among others (a signet's "{W}{U}"),
/// passes.
fn mana_of_another_colour(view: &View, colours: &BTreeSet<char>, out: &mut Vec<DesignFlaw>) {
    for sentence in view.own_text.split(['.', '\n']) {
        let Some(start) = sentence.find("add {") else {
            continue;
        };
        let made: BTreeSet<char> = symbols(&sentence[start..])
            .iter()
            .filter_map(|s| mana_colour(s))
            .collect();
        if !made.is_empty() && made.is_disjoint(colours) {
            let named: Vec<&str> = COLOURS
                .iter()
                .filter(|(l, _)| made.contains(&l.to_ascii_lowercase()))
                .map(|(_, w)| *w)
                .collect();
            out.push(DesignFlaw::new(
                Check::ManaOfAnotherColour,
                format!(
                    "makes {} mana, a colour the card is not",
                    named.join(" or ")
                ),
            ));
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::design::tests::flaws_by;

    fn flaws(line: &str) -> Vec<DesignFlaw> {
        flaws_by(line, made_colour_flaws)
    }

    // The flawed cards are model v3's (raw samples, seed 3; docs/quality.md,
    // session 12); the clean ones are real cards.
    #[test]
    fn tokens_and_mana_of_another_colour_are_flagged() {
        let madration =
            flaws("Ⓢmadration blood⒞③Ⓤ⒭C⒯sorcery⒜create a 1/1 red elemental creature token.Ⓔ");
        assert_eq!(madration.len(), 1, "{madration:?}");
        assert_eq!(madration[0].check, Check::TokenOfAnotherColour);
        assert_eq!(
            madration[0].reason,
            "a red token from a card that is not red"
        );
        let kiththeld = flaws("Ⓢkiththeld iscas⒞②Ⓑ⒭C⒯creature:human warrior⒫2/1⒜①, ↷: create a 4/4 white soldier creature token.Ⓔ");
        assert_eq!(kiththeld[0].check, Check::TokenOfAnotherColour);
        let throve = flaws("Ⓢthrove efreet⒞Ⓡ⒭C⒯creature:spirit⒫2/2⒜↷: add Ⓦ.Ⓔ");
        assert_eq!(throve.len(), 1, "{throve:?}");
        assert_eq!(throve[0].check, Check::ManaOfAnotherColour);
        assert_eq!(
            throve[0].reason,
            "makes white mana, a colour the card is not"
        );
        let tangle = flaws("Ⓢtangle raider⒞②Ⓖ⒭C⒯creature:elf⒫2/2⒜↷: add Ⓡ or Ⓦ.Ⓔ");
        assert_eq!(
            tangle[0].reason,
            "makes white or red mana, a colour the card is not"
        );
    }

    #[test]
    fn real_cards_pass() {
        for line in [
            "Ⓢraise the alarm⒞①Ⓦ⒭C⒯instant⒜create two 1/1 white soldier creature tokens.Ⓔ",
            "Ⓢlingering souls⒞②Ⓦ⒭U⒯sorcery⒜create two 1/1 white spirit creature tokens with flying.⒜flashback ①ⒷⒺ",
            "Ⓢllanowar elves⒞Ⓖ⒭C⒯creature:elf druid⒫1/1⒜↷: add Ⓖ.Ⓔ",
            "Ⓢbirds of paradise⒞Ⓖ⒭R⒯creature:bird⒫0/1⒜flying⒜↷: add one mana of any color.Ⓔ",
            "Ⓢazorius signet⒞②⒭C⒯artifact⒜①, ↷: add ⓌⓊ.Ⓔ",
            "Ⓢgolgari signet⒞②⒭C⒯artifact⒜①, ↷: add ⒷⒼ.Ⓔ",
            "Ⓢnoble hierarch⒞Ⓖ⒭R⒯creature:human druid⒫0/1⒜exalted⒜↷: add Ⓖ, Ⓦ, or Ⓤ.Ⓔ",
            "Ⓢkher keep⒞⒭R⒯legendary land⒜↷: add Ⓒ.⒜①Ⓡ, ↷: create a 0/1 red kobold creature token named kobolds of kher keep.Ⓔ",
            "Ⓢthopter foundry⒞{W/B}Ⓤ⒭U⒯artifact⒜①, sacrifice a nontoken artifact: create a 1/1 blue thopter artifact creature token with flying. you gain 1 life.Ⓔ",
            // Tokens of the card's own colour, beside casting keywords.
            "Ⓢsprout swarm⒞①Ⓖ⒭C⒯instant⒜convoke⒜buyback ③⒜create a 1/1 green saproling creature token.Ⓔ",
        ] {
            assert!(flaws(line).is_empty(), "{line}: {:?}", flaws(line));
        }
    }
}
