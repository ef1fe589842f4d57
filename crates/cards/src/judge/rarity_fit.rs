//! Does a card's rules text read as its rarity's? A common saying what
//! real commons almost never say ("Exile all artifacts.", "Players can't
//! cast spells with converted mana cost 2 or less.", "Return all nonland
//! permanents to their owner's hand.") is a card a designer would move to
//! rare or change.
//!
//! [`RarityFit`] is a naive Bayes model ([`PairBayes`]) of three rarities of
//! real cards (common, uncommon, and rare with mythic: mythics alone are too
//! few to count) over their rules texts' word pairs. A card whose own
//! rarity's log-likelihood ratio trails the best rarity's by more than
//! [`RARITY_FLOOR`] per word pair is flagged.
//!
//! Measured (session 14, docs/quality.md): held out by ten folds, the floor
//! flags 2.05% of real cards; of the 514 picks rated blind in
//! sessions 10 and 11 it flags 26, one rated plausible
//! (`tests/colour_fit_real_cards.rs` checks both).

use super::colour_pie::fields;
use super::design::{Check, DesignFlaw};
use super::word_pairs::{Gap, PairBayes};
use crate::markers::RARITY;

/// A card whose own rarity trails the rarity its text reads as by more than
/// this per word pair is flagged.
pub const RARITY_FLOOR: f64 = -0.8;
/// The classes, by the rarity letters they hold, and a class's name with its article.
const CLASSES: [(&str, &str); 3] = [("C", "a common"), ("U", "an uncommon"), ("RM", "a rare")];

/// The rarities of real cards, over their word pairs.
#[derive(Clone, Debug, Default)]
pub struct RarityFit {
    bayes: PairBayes<3>,
}

/// The class of a line's rarity (common, uncommon, rare or mythic); `None`
/// for special, basic or none.
fn class_of(line: &str) -> Option<usize> {
    let letter = fields(line, RARITY).next()?.trim();
    if letter.len() != 1 {
        return None;
    }
    CLASSES
        .iter()
        .position(|(letters, _)| letters.contains(letter))
}

impl RarityFit {
    /// Counts the word pairs of every line with a judged rarity.
    pub fn from_lines(lines: &[String]) -> Self {
        let mut fit = RarityFit::default();
        for line in lines {
            if let Some(class) = class_of(line) {
                fit.bayes.add(class, line);
            }
        }
        fit
    }

    /// Cards counted.
    pub fn cards(&self) -> u32 {
        self.bayes.cards()
    }

    /// How the rules text of a line fits its rarity (classes common,
    /// uncommon, rare); `None` for a line of another rarity or with no
    /// counted word pair.
    pub fn fit(&self, line: &str) -> Option<Gap> {
        let own = class_of(line)?;
        self.bayes.gap(line, |c| c == own)
    }

    /// The flaw of a line whose rules text reads as another rarity's.
    pub fn judge_line(&self, line: &str) -> Option<DesignFlaw> {
        self.bayes.flaw_under(
            line,
            &self.fit(line)?,
            RARITY_FLOOR,
            Check::RarityText,
            |c| format!("{}'s", CLASSES[c].1),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(rarity: &str, text: &str) -> String {
        format!("Ⓢx⒞②Ⓦ⒭{rarity}⒯sorcery⒜{text}Ⓔ")
    }

    fn training() -> Vec<String> {
        let mut lines = Vec::new();
        for _ in 0..20 {
            lines.push(line("C", "target creature gets +2/+2 until end of turn."));
            lines.push(line("U", "draw two cards."));
            lines.push(line("R", "destroy all creatures."));
            lines.push(line("M", "exile all permanents."));
        }
        lines.push(line("S", "destroy all creatures."));
        lines
    }

    #[test]
    fn a_common_saying_what_rares_say_is_flagged() {
        let fit = RarityFit::from_lines(&training());
        assert_eq!(fit.cards(), 80, "special cards are not counted");
        assert!(fit
            .judge_line(&line("R", "destroy all creatures."))
            .is_none());
        assert!(fit
            .judge_line(&line("M", "destroy all creatures."))
            .is_none());
        let flaw = fit
            .judge_line(&line("C", "destroy all creatures."))
            .unwrap();
        assert_eq!(flaw.check, Check::RarityText);
        assert!(
            flaw.reason
                .starts_with("its rules text reads as a rare's rather than a common's (\""),
            "{}",
            flaw.reason
        );
        assert_eq!(fit.fit(&line("S", "destroy all creatures.")), None);
        assert_eq!(fit.fit(&line("C", "zorp.")), None);
    }
}
