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
//! pairs of real mono-coloured cards' rules text ([`PairBayes`]): a card's
//! gap is the best of its own colours' log-likelihood ratios minus the best
//! colour's, per word pair. A gap under [`FIT_FLOOR`] is a design flaw.
//!
//! Measured before it was built (session 14, `docs/quality.md`): of the 424
//! coloured picks rated blind in sessions 10 and 11, the gap ranks a
//! plausible card above a borderline or nonsense one 75% of the time (AUC
//! 0.751; the model's own per-character likelihood, 0.40; the rules text's
//! length, 0.65). Held out by ten folds, the floor flags 2.55% of real
//! coloured cards, and 87 of those 424 picks, 6 of them rated plausible
//! (`tests/text_fits_real_cards.rs` checks both).

use super::colour_pie::{cost_colours, COLOURS};
use super::design::{Check, DesignFlaw};
use super::word_pairs::{Gap, PairBayes};

/// A card whose own colours' best log-likelihood ratio trails the best
/// colour's by more than this per word pair reads as another colour's card.
/// At -0.75, 2.55% of real held-out coloured cards are flagged.
pub const FIT_FLOOR: f64 = -0.75;

/// The five colours of real mono-coloured cards, over their word pairs.
#[derive(Clone, Debug, Default)]
pub struct ColourFit {
    bayes: PairBayes<5>,
}

impl ColourFit {
    /// Counts the word pairs of the mono-coloured lines among `lines`.
    pub fn from_lines(lines: &[String]) -> Self {
        let mut fit = ColourFit::default();
        for line in lines {
            let mask = cost_colours(line);
            if mask.count_ones() == 1 {
                fit.bayes.add(mask.trailing_zeros() as usize, line);
            }
        }
        fit
    }

    /// Mono-coloured cards counted.
    pub fn cards(&self) -> u32 {
        self.bayes.cards()
    }

    /// How the rules text of a coloured line (one to four colours) fits its
    /// colours (classes in the pie's colour order); `None` for a colourless
    /// or five-colour line, or one with no counted word pair.
    pub fn fit(&self, line: &str) -> Option<Gap> {
        let mask = cost_colours(line);
        if mask == 0 || mask == 0b11111 {
            return None;
        }
        self.bayes.gap(line, |c| mask & (1 << c) != 0)
    }

    /// The flaw of a line whose rules text reads as another colour's, if any:
    /// the colour it reads as and the word pairs that say so most.
    pub fn judge_line(&self, line: &str) -> Option<DesignFlaw> {
        self.judge_fit(line, &self.fit(line)?)
    }

    /// [`ColourFit::judge_line`] for a line whose fit is already known.
    pub fn judge_fit(&self, line: &str, fit: &Gap) -> Option<DesignFlaw> {
        self.bayes
            .flaw_under(line, fit, FIT_FLOOR, Check::OffColourText, |c| {
                COLOURS[c].1.to_owned()
            })
    }
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
            lines.push(line(
                &format!("w{i}"),
                "①Ⓦ",
                "exile target attacking creature.",
            ));
            lines.push(line(&format!("w{i}b"), "Ⓦ", "you gain 3 life."));
            lines.push(line(&format!("u{i}"), "①Ⓤ", "draw two cards."));
            lines.push(line(&format!("u{i}b"), "ⓊⓊ", "counter target spell."));
            lines.push(line(
                &format!("b{i}"),
                "①Ⓑ",
                "target player discards a card.",
            ));
            lines.push(line(
                &format!("r{i}"),
                "Ⓡ",
                "Ⓝ deals 3 damage to any target.",
            ));
            lines.push(line(
                &format!("g{i}"),
                "Ⓖ",
                "target creature gets +3/+3 until end of turn.",
            ));
        }
        lines
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
        assert!(flaw
            .reason
            .starts_with("its rules text reads as white rather than blue (\""));
        // A gold card fits by its best colour.
        let gold = line("c", "ⓌⓊ", "exile target attacking creature.");
        assert_eq!(fit.fit(&gold).unwrap().gap, 0.0);
    }

    #[test]
    fn colourless_lines_and_unknown_words_are_not_judged() {
        let fit = ColourFit::from_lines(&training());
        assert_eq!(fit.fit(&line("a", "③", "draw two cards.")), None);
        assert_eq!(fit.fit(&line("a", "Ⓤ", "zorp blarg.")), None);
        assert_eq!(
            ColourFit::default().fit(&line("a", "Ⓤ", "draw two cards.")),
            None
        );
    }
}
