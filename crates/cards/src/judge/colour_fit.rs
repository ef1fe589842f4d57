//! Does a card's rules text, read as a whole, sound like its colours?
//!
//! The colour pie's other checks each look at one phrase, keyword or
//! creature type and flag it only when real cards of the card's colours
//! (almost) never use it. Generated cards are more often off in a softer
//! way: every phrase is one its colours use now and then, but together they
//! read as another colour's card (a blue "Exile target attacking creature.",
//! a white "Exile all cards from target player's graveyard.").
//!
//! [`ColourFit`] is a naive Bayes model of the five colours over the word
//! pairs of real mono-coloured cards' rules text: for a card, each colour's
//! log-likelihood ratio against all colours, summed over the card's word
//! pairs that [`MIN_PAIR_CARDS`] real cards say, and the gap between the best
//! of its own colours and the best colour overall, per word pair (so that
//! long texts are not judged more harshly than short ones). A gap under
//! [`FIT_FLOOR`] is a design flaw.
//!
//! Measured before it was built (session 14, `docs/quality.md`): of the 423
//! coloured picks rated blind in sessions 10 and 11, the gap ranks a
//! plausible card above a borderline or nonsense one 75% of the time (AUC
//! 0.75; the model's own per-character likelihood, 0.40; the rules text's
//! length, 0.65). The floor flags about 3% of the real validation cards the
//! model never saw (`tests/colour_pie_real_cards.rs`), and 88 of those 423
//! picks, 6 of them rated plausible.

use std::collections::HashMap;

use super::colour_pie::{cost_colours, fields, COLOURS};
use super::design::{Check, DesignFlaw};
use crate::markers::ABILITY;

/// A card whose own colours' best log-likelihood ratio trails the best
/// colour's by more than this per word pair reads as another colour's card.
/// At -0.75, 3% of real held-out coloured cards are flagged.
pub const FIT_FLOOR: f64 = -0.75;
/// Fewest real mono-coloured cards saying a word pair for it to count.
pub const MIN_PAIR_CARDS: u32 = 3;
/// Additive smoothing of the per-colour counts.
const SMOOTHING: f64 = 2.0;
/// Word pairs named in a flaw's reason.
const SHOWN_PAIRS: usize = 3;

/// Per word pair, the real mono-coloured cards saying it, by colour.
#[derive(Clone, Debug, Default)]
pub struct ColourFit {
    pairs: HashMap<String, [u32; 5]>,
    /// Mono-coloured cards counted, by colour.
    mono: [u32; 5],
}

/// How a card's rules text fits its colours.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    /// Best own colour's log-likelihood ratio minus the best colour's, per
    /// counted word pair (0 when an own colour is the best; never positive).
    pub gap: f64,
    /// The colour the text reads as (index into the pie's colour order).
    pub top: usize,
    /// The card's own colour that fits best.
    pub own: usize,
    /// Word pairs counted.
    pub pairs: usize,
}

impl ColourFit {
    /// Counts the word pairs of the mono-coloured lines among `lines`.
    pub fn from_lines(lines: &[String]) -> Self {
        let mut fit = ColourFit::default();
        for line in lines {
            let Some(colour) = single_colour(cost_colours(line)) else {
                continue;
            };
            fit.mono[colour] += 1;
            for pair in word_pairs(line) {
                fit.pairs.entry(pair).or_insert([0; 5])[colour] += 1;
            }
        }
        fit
    }

    /// Mono-coloured cards counted.
    pub fn cards(&self) -> u32 {
        self.mono.iter().sum()
    }

    /// Per colour, `ln p(pair | colour) - ln p(pair)`, smoothed; `None` for a
    /// pair too few real cards say.
    fn ratios(&self, pair: &str) -> Option<[f64; 5]> {
        let counts = self.pairs.get(pair)?;
        let total: u32 = counts.iter().sum();
        if total < MIN_PAIR_CARDS {
            return None;
        }
        let all = ((total as f64 + SMOOTHING) / (self.cards() as f64 + 2.0 * SMOOTHING)).ln();
        let mut out = [0.0; 5];
        for (c, r) in out.iter_mut().enumerate() {
            let p = (counts[c] as f64 + SMOOTHING) / (self.mono[c] as f64 + 2.0 * SMOOTHING);
            *r = p.ln() - all;
        }
        Some(out)
    }

    /// How the rules text of a coloured line (one to four colours) fits its
    /// colours; `None` for a colourless or five-colour line, or one with no
    /// counted word pair.
    pub fn fit(&self, line: &str) -> Option<Fit> {
        let mask = cost_colours(line);
        if mask == 0 || mask == 0b11111 || self.cards() == 0 {
            return None;
        }
        let (sums, pairs) = self.sums(&word_pairs(line));
        if pairs == 0 {
            return None;
        }
        let top = argmax(0..5, |c| sums[c])?;
        let own = argmax((0..5).filter(|c| mask & (1 << c) != 0), |c| sums[c])?;
        Some(Fit {
            gap: (sums[own] - sums[top]) / pairs as f64,
            top,
            own,
            pairs,
        })
    }

    /// The summed ratios of `pairs` per colour, and how many were counted.
    fn sums(&self, pairs: &[String]) -> ([f64; 5], usize) {
        let mut sums = [0.0; 5];
        let mut counted = 0;
        for ratios in pairs.iter().filter_map(|p| self.ratios(p)) {
            counted += 1;
            for (s, r) in sums.iter_mut().zip(ratios) {
                *s += r;
            }
        }
        (sums, counted)
    }

    /// The flaw of a line whose rules text reads as another colour's, if any:
    /// the colour it reads as and the word pairs that say so most.
    pub fn judge_line(&self, line: &str) -> Option<DesignFlaw> {
        let fit = self.fit(line)?;
        if fit.gap >= FIT_FLOOR {
            return None;
        }
        let mut telling: Vec<(f64, String)> = word_pairs(line)
            .into_iter()
            .filter_map(|p| self.ratios(&p).map(|r| (r[fit.top] - r[fit.own], p)))
            .filter(|(d, _)| *d > 0.0)
            .collect();
        telling.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let quoted: Vec<String> = telling
            .iter()
            .take(SHOWN_PAIRS)
            .map(|(_, p)| format!("\"{p}\""))
            .collect();
        Some(DesignFlaw::new(
            Check::OffColourText,
            format!(
                "its rules text reads as {} rather than {} ({}; {:.2} per word pair, the floor is {FIT_FLOOR})",
                COLOURS[fit.top].1,
                COLOURS[fit.own].1,
                quoted.join(", "),
                fit.gap
            ),
        ))
    }
}

/// The colour of a one-colour mask.
fn single_colour(mask: u8) -> Option<usize> {
    (mask.count_ones() == 1).then(|| mask.trailing_zeros() as usize)
}

/// The item of `items` with the largest `key` (the first among equals).
fn argmax(items: impl Iterator<Item = usize>, key: impl Fn(usize) -> f64) -> Option<usize> {
    items.fold(None, |best: Option<usize>, i| match best {
        Some(b) if key(b) >= key(i) => Some(b),
        _ => Some(i),
    })
}

/// The distinct adjacent token pairs of a line's rules text (every face's
/// abilities), in the order first said. Tokens: words (letters and
/// apostrophes, lower case), a run of digits as `#`, and every other
/// character but spaces on its own (mana symbols, `Ⓝ`, punctuation); the
/// abilities are not joined.
pub fn word_pairs(line: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for ability in fields(line, ABILITY) {
        let tokens = tokens(ability);
        for w in tokens.windows(2) {
            let pair = format!("{} {}", w[0], w[1]);
            if seen.insert(pair.clone()) {
                out.push(pair);
            }
        }
    }
    out
}

fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_number = false;
    for c in text.chars() {
        let letter = c.is_ascii_alphabetic() || (c == '\'' && !word.is_empty() && !in_number);
        if letter && !in_number {
            word.extend(c.to_lowercase());
            continue;
        }
        if c.is_ascii_digit() {
            if !in_number {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                out.push("#".to_owned());
                in_number = true;
            }
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        in_number = false;
        if letter {
            word.extend(c.to_lowercase());
        } else if !c.is_whitespace() {
            out.push(c.to_string());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(name: &str, cost: &str, text: &str) -> String {
        format!("Ⓢ{name}⒞{cost}⒭C⒯instant⒜{text}Ⓔ")
    }

    /// A small pie: white exiles attackers, blue draws and counters.
    fn training() -> Vec<String> {
        let mut lines = Vec::new();
        for i in 0..20 {
            lines.push(line(&format!("w{i}"), "①Ⓦ", "exile target attacking creature."));
            lines.push(line(&format!("w{i}b"), "Ⓦ", "you gain 3 life."));
            lines.push(line(&format!("u{i}"), "①Ⓤ", "draw two cards."));
            lines.push(line(&format!("u{i}b"), "ⓊⓊ", "counter target spell."));
            lines.push(line(&format!("b{i}"), "①Ⓑ", "target player discards a card."));
            lines.push(line(&format!("r{i}"), "Ⓡ", "Ⓝ deals 3 damage to any target."));
            lines.push(line(&format!("g{i}"), "Ⓖ", "target creature gets +3/+3 until end of turn."));
        }
        lines
    }

    #[test]
    fn tokens_split_words_numbers_and_symbols() {
        assert_eq!(
            tokens("Ⓝ deals 13 damage to it's ②Ⓦ."),
            ["Ⓝ", "deals", "#", "damage", "to", "it's", "②", "Ⓦ", "."]
        );
        assert_eq!(tokens("+3/+3"), ["+", "#", "/", "+", "#"]);
    }

    #[test]
    fn word_pairs_stay_within_an_ability_and_are_distinct() {
        let l = "Ⓢx⒞Ⓦ⒭C⒯instant⒜draw a card. draw a card.⒜flyingⒺ";
        assert_eq!(word_pairs(l), ["draw a", "a card", "card .", ". draw"]);
    }

    #[test]
    fn a_text_of_another_colour_is_flagged_and_its_own_is_not() {
        let fit = ColourFit::from_lines(&training());
        assert_eq!(fit.cards(), 140);
        let white = line("a", "②Ⓦ", "exile target attacking creature.");
        let blue = line("b", "②Ⓤ", "exile target attacking creature.");
        assert_eq!(fit.fit(&white).unwrap().gap, 0.0);
        let off = fit.fit(&blue).unwrap();
        assert_eq!((off.top, off.own), (0, 1));
        assert!(off.gap < FIT_FLOOR, "{off:?}");
        assert!(fit.judge_line(&white).is_none());
        let flaw = fit.judge_line(&blue).unwrap();
        assert_eq!(flaw.check, Check::OffColourText);
        assert!(flaw.reason.starts_with("its rules text reads as white rather than blue (\""));
        // A gold card fits by its best colour.
        let gold = line("c", "ⓌⓊ", "exile target attacking creature.");
        assert_eq!(fit.fit(&gold).unwrap().gap, 0.0);
    }

    #[test]
    fn colourless_lines_and_unknown_words_are_not_judged() {
        let fit = ColourFit::from_lines(&training());
        assert_eq!(fit.fit(&line("a", "③", "draw two cards.")), None);
        assert_eq!(fit.fit(&line("a", "Ⓤ", "zorp blarg.")), None);
        assert_eq!(ColourFit::default().fit(&line("a", "Ⓤ", "draw two cards.")), None);
    }
}
