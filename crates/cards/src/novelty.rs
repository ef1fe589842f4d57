//! Is a generated card new? An index over the training lines answers three
//! questions: is the encoded line a training line (an exact copy), is the
//! name a training card's name, and which training card has the nearest rules
//! text, how near.
//!
//! Nearness is the Jaccard similarity of the sets of character trigrams of
//! the abilities as encoded (`Ⓝ` for the card's own name, so that a renamed
//! copy still counts): 1.0 is the same text. A card is a near copy when the
//! similarity reaches [`NEAR_COPY`] and its text is at least
//! [`NEAR_COPY_MIN_CHARS`] characters long (short texts such as `flying` are
//! shared by hundreds of cards without being copies).

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::markers::{ABILITY, COST, END, POWER_TOUGHNESS, RARITY, START, TYPE};

/// Similarity from which the rules text counts as a near copy.
pub const NEAR_COPY: f64 = 0.8;
/// Shorter rules texts are never called near copies.
pub const NEAR_COPY_MIN_CHARS: usize = 20;

/// The verdict on one card.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Novelty {
    /// The encoded line is a training line.
    pub exact_copy: bool,
    /// The name of a training card, when the generated card has it.
    pub name_copy: Option<String>,
    /// The training card whose rules text is nearest.
    pub nearest: Option<Nearest>,
    pub near_copy: bool,
    /// None of the above.
    pub novel: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Nearest {
    /// The training card's name as printed.
    pub name: String,
    /// Jaccard similarity of the rules texts' trigrams, 0 to 1.
    pub similarity: f64,
    /// Its encoded line.
    pub line: String,
}

/// The name (as encoded, lower case) and rules text (the abilities as
/// encoded, joined by `⒜`) of a line.
pub fn name_and_rules(line: &str) -> (&str, &str) {
    let body = line.strip_prefix(START).unwrap_or(line);
    let body = body.strip_suffix(END).unwrap_or(body);
    let name_end = body
        .find([COST, RARITY, TYPE, POWER_TOUGHNESS, ABILITY])
        .unwrap_or(body.len());
    let rules = match body.find(ABILITY) {
        Some(i) => &body[i + ABILITY.len_utf8()..],
        None => "",
    };
    (&body[..name_end], rules)
}

fn trigrams(text: &str) -> Vec<u64> {
    let chars: Vec<char> = text.chars().collect();
    let mut set: Vec<u64> = if chars.len() < 3 {
        // Too short for a trigram: the whole text is the one feature.
        vec![chars.iter().fold(1u64 << 63, |h, &c| (h << 21) ^ c as u64)]
    } else {
        chars
            .windows(3)
            .map(|w| ((w[0] as u64) << 42) | ((w[1] as u64) << 21) | w[2] as u64)
            .collect()
    };
    set.sort_unstable();
    set.dedup();
    set
}

/// The training lines, indexed.
pub struct NoveltyIndex {
    lines: Vec<String>,
    exact: HashSet<String>,
    names: HashMap<String, usize>,
    postings: HashMap<u64, Vec<u32>>,
    sizes: Vec<u32>,
}

impl NoveltyIndex {
    pub fn new(lines: &[String]) -> Self {
        let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut sizes = Vec::with_capacity(lines.len());
        let mut names = HashMap::new();
        let mut exact = HashSet::with_capacity(lines.len());
        for (i, line) in lines.iter().enumerate() {
            let line = line.trim_end_matches(['\n', '\r']);
            exact.insert(normalise(line));
            let (name, rules) = name_and_rules(line);
            names.entry(name.to_owned()).or_insert(i);
            let grams = trigrams(rules);
            sizes.push(grams.len() as u32);
            for g in grams {
                postings.entry(g).or_default().push(i as u32);
            }
        }
        NoveltyIndex {
            lines: lines.to_vec(),
            exact,
            names,
            postings,
            sizes,
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The training card with the nearest rules text and the similarity
    /// (Jaccard over character trigrams; ties go to the earlier card).
    pub fn nearest(&self, rules: &str) -> Option<(usize, f64)> {
        let grams = trigrams(rules);
        // Counts in a dense array, one slot a training card: common trigrams
        // ("the", " th") list nearly every card, so a query makes hundreds of
        // thousands of increments, which a hash map made the server's and
        // curation's slowest step.
        let mut shared = vec![0u32; self.lines.len()];
        for g in &grams {
            if let Some(list) = self.postings.get(g) {
                for &i in list {
                    shared[i as usize] += 1;
                }
            }
        }
        let q = grams.len() as f64;
        let mut best: Option<(usize, f64)> = None;
        for (i, &s) in shared.iter().enumerate() {
            if s == 0 {
                continue;
            }
            let sim = f64::from(s) / (q + f64::from(self.sizes[i]) - f64::from(s));
            if best.is_none_or(|(_, bs)| sim > bs) {
                best = Some((i, sim));
            }
        }
        best
    }

    /// Judges a generated line (with or without its final `Ⓔ`).
    pub fn judge(&self, line: &str) -> Novelty {
        let line = line.trim_end_matches(['\n', '\r']);
        let exact_copy = self.exact.contains(&normalise(line));
        let (name, rules) = name_and_rules(line);
        let name_copy = self
            .names
            .get(name)
            .map(|&i| crate::decode::capitalize_name(name_and_rules(&self.lines[i]).0));
        // An empty rules text (a vanilla card, or no ability field) has no
        // nearest text worth naming.
        let nearest = (!rules.is_empty())
            .then(|| self.nearest(rules))
            .flatten()
            .map(|(i, similarity)| Nearest {
                name: crate::decode::capitalize_name(name_and_rules(&self.lines[i]).0),
                similarity,
                line: self.lines[i].clone(),
            });
        let near_copy = nearest.as_ref().is_some_and(|n| {
            n.similarity >= NEAR_COPY && rules.chars().count() >= NEAR_COPY_MIN_CHARS
        });
        Novelty {
            novel: !exact_copy && name_copy.is_none() && !near_copy,
            exact_copy,
            name_copy,
            nearest,
            near_copy,
        }
    }
}

/// A line with its `Ⓔ`, for comparing lines whether or not they carry it.
fn normalise(line: &str) -> String {
    if line.ends_with(END) {
        line.to_owned()
    } else {
        format!("{line}{END}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn training() -> Vec<String> {
        vec![
            "Ⓢangel of mercy⒞④Ⓦ⒭U⒯creature:angel⒫3/3⒜flying⒜when Ⓝ enters the battlefield, you gain 3 life.Ⓔ".into(),
            "Ⓢshock⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ".into(),
            "Ⓢgiant growth⒞Ⓖ⒭C⒯instant⒜target creature gets +3/+3 until end of turn.Ⓔ".into(),
        ]
    }

    #[test]
    fn a_planted_copy_is_found() {
        let index = NoveltyIndex::new(&training());
        let n = index.judge(&training()[1]);
        assert!(n.exact_copy && !n.novel);
        assert_eq!(n.name_copy.as_deref(), Some("Shock"));
        assert_eq!(n.nearest.as_ref().unwrap().similarity, 1.0);
        // Without its Ⓔ it is still the same line.
        let cut = training()[1].trim_end_matches('Ⓔ').to_owned();
        assert!(index.judge(&cut).exact_copy);
    }

    #[test]
    fn a_renamed_copy_is_a_near_copy_of_the_right_card() {
        let index = NoveltyIndex::new(&training());
        let n = index.judge("Ⓢmega bolt⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ");
        assert!(!n.exact_copy);
        assert_eq!(n.name_copy, None);
        let nearest = n.nearest.unwrap();
        assert_eq!(nearest.name, "Shock");
        assert_eq!(nearest.similarity, 1.0);
        assert!(n.near_copy && !n.novel);
        // A small edit stays near.
        let n = index.judge("Ⓢbolt⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 3 damage to any target.Ⓔ");
        let s = n.nearest.unwrap().similarity;
        assert!(s > 0.8 && s < 1.0, "{s}");
        assert!(n.near_copy);
    }

    #[test]
    fn a_new_card_is_novel_and_a_borrowed_name_is_not() {
        let index = NoveltyIndex::new(&training());
        let n = index.judge("Ⓢsky whale⒞③Ⓤ⒭R⒯creature:whale⒫4/5⒜islandwalk⒜at the beginning of your upkeep, draw a card.Ⓔ");
        assert!(n.novel, "{n:?}");
        assert!(n.nearest.unwrap().similarity < 0.5);
        let n = index.judge("Ⓢgiant growth⒞Ⓖ⒭C⒯instant⒜destroy target artifact.Ⓔ");
        assert_eq!(n.name_copy.as_deref(), Some("Giant Growth"));
        assert!(!n.exact_copy && !n.near_copy && !n.novel);
        // Short shared texts are not near copies.
        let n = index.judge("Ⓢbird⒞Ⓦ⒭C⒯creature:bird⒫1/1⒜flyingⒺ");
        assert!(!n.near_copy);
    }

    /// `nearest` against the definition: the Jaccard similarity of the
    /// trigram sets, over every training card, ties to the earlier card.
    #[test]
    fn nearest_is_the_brute_force_jaccard_maximum() {
        let words = [
            "deal", "damage", "target", "creature", "the", "draw", "card", "a", "+1/+1", "gain",
        ];
        let mut state = 12345u64;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize % n
        };
        let mut phrase = |len: usize| -> String {
            (0..len)
                .map(|_| words[next(words.len())])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let lines: Vec<String> = (0..60)
            .map(|i| format!("Ⓢcard {i}⒞Ⓡ⒭C⒯instant⒜{}.Ⓔ", phrase(1 + i % 7)))
            .collect();
        let index = NoveltyIndex::new(&lines);
        for q in 0..40 {
            let query = phrase(1 + q % 9);
            let grams = trigrams(&query);
            let mut expected: Option<(usize, f64)> = None;
            for (i, line) in lines.iter().enumerate() {
                let theirs = trigrams(name_and_rules(line).1);
                let shared = grams
                    .iter()
                    .filter(|g| theirs.binary_search(g).is_ok())
                    .count() as f64;
                if shared == 0.0 {
                    continue;
                }
                let sim = shared / (grams.len() as f64 + theirs.len() as f64 - shared);
                if expected.is_none_or(|(_, b)| sim > b) {
                    expected = Some((i, sim));
                }
            }
            assert_eq!(index.nearest(&query), expected, "{query}");
        }
    }
}
