//! What a rules text, read as a whole, sounds like: a naive Bayes model of
//! `K` classes of real cards (their colours, their rarities) over the
//! adjacent word pairs of their rules text.
//!
//! For a card, each class's log-likelihood ratio against all classes is
//! summed over the card's word pairs that [`MIN_PAIR_CARDS`] real cards say;
//! the card's *gap* is the best of its own classes' sums minus the best
//! class's, per word pair counted, so that a long text is not judged more
//! harshly than a short one. A gap of 0 means the text reads as one of the
//! card's own classes; a gap far below 0, as another class's card.

use std::collections::{HashMap, HashSet};

use super::colour_pie::fields;
use super::design::{Check, DesignFlaw};
use crate::markers::ABILITY;

/// Fewest real cards (of the counted classes) saying a word pair for it to count.
pub const MIN_PAIR_CARDS: u32 = 3;
/// Additive smoothing of the per-class counts.
const SMOOTHING: f64 = 2.0;
/// Word pairs a flaw's reason names.
const SHOWN_PAIRS: usize = 3;

/// Per word pair, the real cards of each class saying it.
#[derive(Clone, Debug)]
pub struct PairBayes<const K: usize> {
    pairs: HashMap<String, [u32; K]>,
    /// Cards counted, by class.
    cards: [u32; K],
}

impl<const K: usize> Default for PairBayes<K> {
    fn default() -> Self {
        PairBayes {
            pairs: HashMap::new(),
            cards: [0; K],
        }
    }
}

/// How a card's rules text reads against its own classes.
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    /// Best own class's log-likelihood ratio minus the best class's, per
    /// counted word pair (0 when an own class is the best; never positive).
    pub gap: f64,
    /// The class the text reads as.
    pub top: usize,
    /// The card's own class that reads best.
    pub own: usize,
    /// Word pairs counted.
    pub pairs: usize,
}

impl<const K: usize> PairBayes<K> {
    /// Counts an encoded line's word pairs as class `class`'s.
    pub fn add(&mut self, class: usize, line: &str) {
        self.cards[class] += 1;
        for pair in word_pairs(line) {
            self.pairs.entry(pair).or_insert([0; K])[class] += 1;
        }
    }

    /// Cards counted.
    pub fn cards(&self) -> u32 {
        self.cards.iter().sum()
    }

    /// Per class, `ln p(pair | class) - ln p(pair)`, smoothed; `None` for a
    /// pair too few real cards say.
    fn ratios(&self, pair: &str) -> Option<[f64; K]> {
        let counts = self.pairs.get(pair)?;
        let total: u32 = counts.iter().sum();
        if total < MIN_PAIR_CARDS {
            return None;
        }
        let all = ((total as f64 + SMOOTHING) / (self.cards() as f64 + 2.0 * SMOOTHING)).ln();
        let mut out = [0.0; K];
        for (c, r) in out.iter_mut().enumerate() {
            let p = (counts[c] as f64 + SMOOTHING) / (self.cards[c] as f64 + 2.0 * SMOOTHING);
            *r = p.ln() - all;
        }
        Some(out)
    }

    /// The gap of a line whose own classes are those `own` accepts; `None`
    /// when it has no counted word pair or no own class.
    pub fn gap(&self, line: &str, own: impl Fn(usize) -> bool) -> Option<Gap> {
        let mut sums = [0.0; K];
        let mut pairs = 0;
        for ratios in word_pairs(line).iter().filter_map(|p| self.ratios(p)) {
            pairs += 1;
            for (s, r) in sums.iter_mut().zip(ratios) {
                *s += r;
            }
        }
        if pairs == 0 {
            return None;
        }
        let top = argmax(0..K, |c| sums[c])?;
        let own = argmax((0..K).filter(|c| own(*c)), |c| sums[c])?;
        Some(Gap {
            gap: (sums[own] - sums[top]) / pairs as f64,
            top,
            own,
            pairs,
        })
    }

    /// The `check` flaw of a line whose gap (`fit`) is under `floor`: "its
    /// rules text reads as {the class it reads as} rather than {its own}",
    /// each class as `name` says it, with the word pairs that say so most
    /// ([`SHOWN_PAIRS`] of them) and the gap.
    pub fn flaw_under(
        &self,
        line: &str,
        fit: &Gap,
        floor: f64,
        check: Check,
        name: impl Fn(usize) -> String,
    ) -> Option<DesignFlaw> {
        if fit.gap >= floor {
            return None;
        }
        let quoted: Vec<String> = self
            .telling_pairs(line, fit.top, fit.own, SHOWN_PAIRS)
            .iter()
            .map(|p| format!("\"{p}\""))
            .collect();
        Some(DesignFlaw::new(
            check,
            format!(
                "its rules text reads as {} rather than {} ({}; {:.2} per word pair, the floor is {floor})",
                name(fit.top),
                name(fit.own),
                quoted.join(", "),
                fit.gap
            ),
        ))
    }

    /// The `n` word pairs of a line that speak most for class `top` against
    /// class `own`, most first.
    pub fn telling_pairs(&self, line: &str, top: usize, own: usize, n: usize) -> Vec<String> {
        let mut telling: Vec<(f64, String)> = word_pairs(line)
            .into_iter()
            .filter_map(|p| self.ratios(&p).map(|r| (r[top] - r[own], p)))
            .filter(|(d, _)| *d > 0.0)
            .collect();
        telling.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        telling.into_iter().take(n).map(|(_, p)| p).collect()
    }
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
    let mut seen = HashSet::new();
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

    fn line(text: &str) -> String {
        format!("Ⓢx⒞Ⓦ⒭C⒯instant⒜{text}Ⓔ")
    }

    #[test]
    fn the_gap_is_zero_for_an_own_class_and_negative_for_another() {
        let mut bayes = PairBayes::<2>::default();
        for _ in 0..10 {
            bayes.add(0, &line("draw two cards."));
            bayes.add(1, &line("destroy target creature."));
        }
        assert_eq!(bayes.cards(), 20);
        let draw = line("draw two cards.");
        assert_eq!(bayes.gap(&draw, |c| c == 0).unwrap().gap, 0.0);
        let off = bayes.gap(&draw, |c| c == 1).unwrap();
        assert_eq!((off.top, off.own, off.pairs), (0, 1, 3));
        assert!(off.gap < -1.0, "{off:?}");
        // Either class accepted: the better one.
        assert_eq!(bayes.gap(&draw, |_| true).unwrap().gap, 0.0);
        assert_eq!(
            bayes.telling_pairs(&draw, 0, 1, 2),
            ["cards .", "draw two"],
            "ties by the pair's text"
        );
        // Nothing counted, or no own class: not judged.
        assert_eq!(bayes.gap(&line("zorp blarg."), |c| c == 0), None);
        assert_eq!(bayes.gap(&draw, |_| false), None);
        assert_eq!(PairBayes::<2>::default().gap(&draw, |_| true), None);
    }
}
