//! The colour pie, as the training cards draw it: which colours say each
//! rules-text phrase. A [`ColourPie`] counts, for every run of
//! [`PHRASE_WORDS`] tokens (normalised as the [`Phrasebook`](super::Phrasebook)
//! normalises them), the training cards of each colour combination whose
//! rules text contains it; colourless and five-colour cards say nothing about
//! the pie and are not counted.
//!
//! A coloured card saying a phrase that many real coloured cards say, but
//! almost none of its colours (a green "target player discards a card"), is
//! off the pie: a design flaw for the curator to avoid. The limits
//! ([`MIN_CARDS`], [`MOST_SHARE`]) were picked by counting the flags on the
//! real cards themselves (`tests/colour_pie_real_cards.rs`).

use std::collections::{HashMap, HashSet};

use super::design::{Check, DesignFlaw};
use super::phrasing::{sentences, PHRASE_WORDS};
use crate::markers::{ALL_FIELD_MARKERS, COST};

/// Fewest real coloured cards saying a phrase for its colours to count.
pub const MIN_CARDS: usize = 40;
/// A phrase is off a card's colours when fewer of the real coloured cards
/// saying it than this share have any of them.
pub const MOST_SHARE: f64 = 0.02;

/// Colour combinations as bit masks (W 1, U 2, B 4, R 8, G 16).
const COMBINATIONS: usize = 32;
const ALL_COLOURS: u8 = 0b11111;
/// The five colours in the colour pie's order, by letter and name.
pub(crate) const COLOURS: [(char, &str); 5] = [
    ('W', "white"),
    ('U', "blue"),
    ('B', "black"),
    ('R', "red"),
    ('G', "green"),
];

/// Per phrase, the real coloured cards saying it by colour combination.
#[derive(Clone, Debug, Default)]
pub struct ColourPie {
    counts: HashMap<String, [u32; COMBINATIONS]>,
    /// Training cards it was built from.
    pub cards: usize,
    /// Of those, the coloured ones counted (one to four colours).
    pub coloured: usize,
}

impl ColourPie {
    /// The colour pie of the training cards' encoded lines; only phrases
    /// [`MIN_CARDS`] coloured cards say are kept (the others are never judged).
    pub fn from_lines(lines: &[String]) -> Self {
        let mut seen: HashMap<String, Vec<u8>> = HashMap::new();
        let mut pie = ColourPie {
            cards: lines.len(),
            ..ColourPie::default()
        };
        for line in lines {
            let mask = cost_colours(line);
            if mask == 0 || mask == ALL_COLOURS {
                continue;
            }
            pie.coloured += 1;
            for phrase in card_phrases(line) {
                seen.entry(phrase).or_default().push(mask);
            }
        }
        pie.counts = seen
            .into_iter()
            .filter(|(_, masks)| masks.len() >= MIN_CARDS)
            .map(|(phrase, masks)| {
                let mut counts = [0u32; COMBINATIONS];
                for m in masks {
                    counts[m as usize] += 1;
                }
                (phrase, counts)
            })
            .collect();
        pie
    }

    /// Phrases said by enough coloured cards to be judged.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The colour-pie flaw of an encoded line, if any: its phrase that the
    /// fewest real cards of its colours say (one flaw a card, as the phrases
    /// of one clause overlap).
    pub fn judge_line(&self, line: &str) -> Option<DesignFlaw> {
        let mask = cost_colours(line);
        if mask == 0 || mask == ALL_COLOURS {
            return None;
        }
        let mut worst: Option<(f64, &str, &[u32; COMBINATIONS])> = None;
        for phrase in card_phrases(line) {
            let Some((key, counts)) = self.counts.get_key_value(&phrase) else {
                continue;
            };
            let total: u32 = counts.iter().sum();
            let shared: u32 = (1..COMBINATIONS)
                .filter(|m| *m as u8 & mask != 0)
                .map(|m| counts[m])
                .sum();
            let share = shared as f64 / total as f64;
            if share < MOST_SHARE && worst.is_none_or(|(s, _, _)| share < s) {
                worst = Some((share, key.as_str(), counts));
            }
        }
        let (_, phrase, counts) = worst?;
        let total: u32 = counts.iter().sum();
        let (colour, with) = COLOURS
            .iter()
            .enumerate()
            .map(|(i, (_, word))| {
                let with: u32 = (1..COMBINATIONS)
                    .filter(|m| m & (1 << i) != 0)
                    .map(|m| counts[m])
                    .sum();
                (*word, with)
            })
            .max_by_key(|(_, with)| *with)?;
        Some(DesignFlaw::new(
            Check::OffColourPhrase,
            format!(
                "\"{phrase}\" is a {colour} effect ({:.0}% of {total} real cards saying it are {colour})",
                (100.0 * with as f64 / total as f64).floor()
            ),
        ))
    }
}

/// The colours of a line's mana costs (every face's, as its rules text is
/// every face's), as a mask: coloured symbols (`Ⓦ`) and the letters of braced
/// ones (`{W/U}`, `{2/B}`).
pub fn cost_colours(line: &str) -> u8 {
    let mut mask = 0u8;
    for after in line.split(COST).skip(1) {
        let cost = after
            .split(|c| ALL_FIELD_MARKERS.contains(&c))
            .next()
            .unwrap_or("");
        let mut braced = false;
        for c in cost.chars() {
            let letter = match c {
                '{' => {
                    braced = true;
                    continue;
                }
                '}' => {
                    braced = false;
                    continue;
                }
                'Ⓦ' => 'W',
                'Ⓤ' => 'U',
                'Ⓑ' => 'B',
                'Ⓡ' => 'R',
                'Ⓖ' => 'G',
                _ if braced => c.to_ascii_uppercase(),
                _ => continue,
            };
            if let Some(i) = COLOURS.iter().position(|(l, _)| *l == letter) {
                mask |= 1 << i;
            }
        }
    }
    mask
}

/// The distinct phrases of a line's rules text, rendered (`<s>` and `</s>`
/// left out, so "target player discards a card" reads as a player writes it).
fn card_phrases(line: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    for sentence in sentences(line) {
        let width = PHRASE_WORDS.min(sentence.len()).max(1);
        for w in sentence.windows(width) {
            let words: Vec<&str> = w
                .iter()
                .map(String::as_str)
                .filter(|t| *t != "<s>" && *t != "</s>")
                .collect();
            if !words.is_empty() {
                out.insert(render(&words));
            }
        }
    }
    out
}

/// Tokens to text: words spaced, punctuation attached.
fn render(words: &[&str]) -> String {
    let mut out = String::new();
    for t in words {
        if !out.is_empty() && !matches!(*t, "," | "." | ":" | ";") {
            out.push(' ');
        }
        out.push_str(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real cards: discard is black's, "destroy target artifact" green's,
    /// drawing blue's and black's, life white's and black's.
    fn training() -> Vec<String> {
        let mut lines = Vec::new();
        for i in 0..40 {
            lines.push(format!(
                "Ⓢmind rot {i}⒞②Ⓑ⒭C⒯sorcery⒜target player discards two cards.Ⓔ"
            ));
            lines.push(format!(
                "Ⓢraven's crime {i}⒞Ⓑ⒭C⒯sorcery⒜target player discards a card.Ⓔ"
            ));
            lines.push(format!(
                "Ⓢnaturalize {i}⒞①Ⓖ⒭C⒯instant⒜destroy target artifact or enchantment.Ⓔ"
            ));
            lines.push(format!("Ⓢdivination {i}⒞②Ⓤ⒭C⒯sorcery⒜draw two cards.Ⓔ"));
            lines.push(format!("Ⓢhealing salve {i}⒞Ⓦ⒭C⒯instant⒜you gain 3 life.Ⓔ"));
            lines.push(format!(
                "Ⓢsign in blood {i}⒞ⒷⒷ⒭C⒯sorcery⒜target player draws two cards and loses 2 life.Ⓔ"
            ));
        }
        // Colourless and five-colour cards are not counted.
        for i in 0..40 {
            lines.push(format!(
                "Ⓢdisrupting rod {i}⒞③⒭C⒯artifact⒜target player discards a card.Ⓔ"
            ));
        }
        lines
    }

    fn flaw(pie: &ColourPie, line: &str) -> Option<String> {
        pie.judge_line(line).map(|f| {
            assert_eq!(f.check, Check::OffColourPhrase);
            f.reason
        })
    }

    #[test]
    fn an_effect_of_another_colour_is_a_flaw() {
        let pie = ColourPie::from_lines(&training());
        assert_eq!(pie.coloured, 240);
        // The shipped model's card (issue 15).
        let reason = flaw(
            &pie,
            "Ⓢvesedon works⒞Ⓖ⒭C⒯sorcery⒜target player discards a card.Ⓔ",
        )
        .expect("discard on a green card");
        assert!(
            reason.contains("is a black effect (100% of")
                && reason.contains("real cards saying it are black)"),
            "{reason}"
        );
        // A hybrid cost with a black half is black.
        assert_eq!(
            flaw(
                &pie,
                "Ⓢdread whisper⒞{G/B}⒭C⒯sorcery⒜target player discards a card.Ⓔ"
            ),
            None
        );
        // A multicoloured card sharing black is not off its pie.
        assert_eq!(
            flaw(
                &pie,
                "Ⓢrotting rats⒞①ⒷⒼ⒭C⒯creature:rat⒫1/1⒜when Ⓝ enters the battlefield, target player discards a card.Ⓔ"
            ),
            None
        );
    }

    #[test]
    fn real_cards_and_rare_or_colourless_phrases_pass() {
        let pie = ColourPie::from_lines(&training());
        for line in training() {
            assert_eq!(flaw(&pie, &line), None, "{line}");
        }
        // A colourless card may say anything; a phrase few cards say is not judged.
        assert_eq!(
            flaw(
                &pie,
                "Ⓢodd rod⒞③⒭C⒯artifact⒜target player discards a card.Ⓔ"
            ),
            None
        );
        assert_eq!(
            flaw(
                &pie,
                "Ⓢodd lore⒞Ⓖ⒭C⒯sorcery⒜target player mills three cards.Ⓔ"
            ),
            None
        );
    }

    #[test]
    fn cost_colours_read_symbols_and_hybrids() {
        assert_eq!(cost_colours("Ⓢa⒞②ⓌⓊ⒭C⒯creature⒜Ⓑ: regenerate Ⓝ.Ⓔ"), 0b11);
        assert_eq!(cost_colours("Ⓢa⒞{2/B}{R/G}⒭C⒯sorceryⒺ"), 0b11100);
        assert_eq!(cost_colours("Ⓢa⒞③⒭C⒯artifactⒺ"), 0);
        assert_eq!(
            cost_colours("Ⓢa⒞②Ⓖ⒭U⒨aftermath⒯sorcery⒜x.⒝b⒞④ⓊⓊ⒯instant⒜y.Ⓔ"),
            0b10010
        );
        assert_eq!(cost_colours("Ⓢa⒭C⒯landⒺ"), 0);
    }
}
