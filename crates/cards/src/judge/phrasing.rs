//! Does a card's rules text read like real Magic phrasing? A [`Phrasebook`]
//! holds every run of [`PHRASE_WORDS`] tokens that the training cards' rules
//! texts contain, and a card's rules text is scored by how much of it is made
//! of such runs.
//!
//! The text is compared as written in the encoding (the card's own name is
//! already `Ⓝ` there; a spelled-out own name is folded into it too),
//! normalised so that what varies freely between real cards does not count
//! as new phrasing: numbers and `X` become `n` (`+n/+n`, `n/n`), a run of mana
//! symbols becomes `{m}`. Each sentence is scored on its own, padded with a
//! start and an end token, so that a card made of real sentences in a new
//! combination (what real custom cards are) is all known phrasing, while "you
//! control an opponent controls: draw a card." is not: "control an opponent
//! controls" is in no real card.
//!
//! Measured on the shipped model's training cards, with 1,000 of them held
//! out of the phrasebook: 74% of their abilities are all known phrasing (real
//! cards do say new things), against a few unknown runs in nearly every card
//! a player reads as nonsense (docs/quality.md). So the share is a ranking
//! signal for curation, not a verdict.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::markers::{ABILITY, NAME};
use crate::novelty::name_and_rules;

/// Tokens in one phrase (an n-gram).
pub const PHRASE_WORDS: usize = 4;

/// The most unknown phrases listed for one card.
const MAX_LISTED: usize = 6;

/// Tokens of a phrase, by id; a phrase of a sentence shorter than
/// [`PHRASE_WORDS`] (`<s> flying </s>`) is padded with [`NO_TOKEN`].
type Phrase = [u32; PHRASE_WORDS];
const NO_TOKEN: u32 = u32::MAX;
/// A token no training text has: no known phrase contains it.
const UNKNOWN_TOKEN: u32 = u32::MAX - 1;

/// How the card's own name is written in a normalised sentence (and in the
/// unknown phrases shown to a user), as players write it.
pub const NAME_PLACEHOLDER: &str = "~";
const SENTENCE_START: &str = "<s>";
const SENTENCE_END: &str = "</s>";

/// The phrases of real rules texts.
#[derive(Clone, Debug, Default)]
pub struct Phrasebook {
    /// Every token of the training texts, with its id.
    ids: HashMap<String, u32>,
    phrases: HashSet<Phrase>,
    /// Training cards it was built from.
    pub cards: usize,
}

/// How a card's rules text reads against a [`Phrasebook`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Phrasing {
    /// Phrases of [`PHRASE_WORDS`] tokens in the rules text (0: no rules text).
    pub phrases: usize,
    /// Those no training card's rules text contains.
    pub unknown: usize,
    /// The known share, 0 to 1 (1 for no rules text).
    pub score: f64,
    /// Every phrase is known: each sentence is real phrasing.
    pub known_phrasing: bool,
    /// The stretches of text the unknown phrases cover, normalised (`~` the
    /// card's name, `n` a number, `{m}` mana), at most a few.
    pub unknown_phrases: Vec<String>,
}

impl Phrasing {
    /// The verdict in words, for a line under a card; `None` when every
    /// phrase is known.
    pub fn describe(&self) -> Option<String> {
        if self.known_phrasing {
            return None;
        }
        let listed: Vec<String> = self
            .unknown_phrases
            .iter()
            .map(|p| format!("\"{p}\""))
            .collect();
        Some(format!(
            "phrasing no real card uses ({:.0}% of its phrases known): {}",
            100.0 * self.score,
            listed.join(", ")
        ))
    }
}

impl Phrasebook {
    /// The phrasebook of the training cards' encoded lines.
    pub fn from_lines(lines: &[String]) -> Self {
        let mut book = Phrasebook {
            cards: lines.len(),
            ..Phrasebook::default()
        };
        for line in lines {
            for sentence in sentences(line) {
                let ids: Vec<u32> = sentence.iter().map(|t| book.intern(t)).collect();
                for p in phrases(&ids) {
                    book.phrases.insert(p);
                }
            }
        }
        book
    }

    fn intern(&mut self, token: &str) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(token.to_owned()).or_insert(next)
    }

    /// Distinct phrases known.
    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Scores the rules text of an encoded line (with or without its `Ⓔ`).
    pub fn judge_line(&self, line: &str) -> Phrasing {
        let mut total = 0;
        let mut unknown = 0;
        let mut listed = Vec::new();
        for sentence in sentences(line) {
            // A token no training text has makes every phrase with it unknown.
            let ids: Vec<u32> = sentence
                .iter()
                .map(|t| self.ids.get(t.as_str()).copied().unwrap_or(UNKNOWN_TOKEN))
                .collect();
            let known: Vec<bool> = phrases(&ids).map(|p| self.phrases.contains(&p)).collect();
            total += known.len();
            unknown += known.iter().filter(|k| !**k).count();
            listed.extend(unknown_stretches(&sentence, &known));
        }
        listed.dedup();
        listed.truncate(MAX_LISTED);
        Phrasing {
            phrases: total,
            unknown,
            score: if total == 0 {
                1.0
            } else {
                (total - unknown) as f64 / total as f64
            },
            known_phrasing: unknown == 0,
            unknown_phrases: listed,
        }
    }
}

/// The phrases of a padded sentence's token ids: each run of
/// [`PHRASE_WORDS`], or the whole sentence when it is shorter.
fn phrases(ids: &[u32]) -> impl Iterator<Item = Phrase> + '_ {
    let width = PHRASE_WORDS.min(ids.len());
    ids.windows(width.max(1)).map(move |w| {
        let mut p = [NO_TOKEN; PHRASE_WORDS];
        p[..w.len()].copy_from_slice(w);
        p
    })
}

/// The text covered by each maximal run of unknown phrases of `sentence`
/// (`known[i]` is phrase `i`, which starts at token `i`), without the padding.
fn unknown_stretches(sentence: &[String], known: &[bool]) -> Vec<String> {
    let width = PHRASE_WORDS.min(sentence.len());
    let mut out = Vec::new();
    let mut i = 0;
    while i < known.len() {
        if known[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < known.len() && !known[i] {
            i += 1;
        }
        let tokens = &sentence[start..(i - 1 + width).min(sentence.len())];
        out.push(render(tokens));
    }
    out
}

/// Tokens back to text: words spaced, punctuation attached.
fn render(tokens: &[String]) -> String {
    let mut out = String::new();
    for t in tokens {
        if t == SENTENCE_START || t == SENTENCE_END {
            continue;
        }
        let attach = matches!(t.as_str(), "," | "." | ":" | ";");
        if !out.is_empty() && !attach {
            out.push(' ');
        }
        out.push_str(t);
    }
    out
}

/// The sentences of a line's rules text, each normalised into tokens and
/// padded with the start and end tokens.
pub fn sentences(line: &str) -> Vec<Vec<String>> {
    let (name, rules) = name_and_rules(line.trim_end_matches(['\n', '\r']));
    let mut out = Vec::new();
    for ability in rules.split(ABILITY) {
        let mut current = vec![SENTENCE_START.to_owned()];
        let mut quoted = false;
        for token in tokens(ability, name) {
            let ends = token == "." && !quoted;
            if token == "\"" {
                quoted = !quoted;
            }
            current.push(token);
            if ends {
                current.push(SENTENCE_END.to_owned());
                out.push(std::mem::replace(
                    &mut current,
                    vec![SENTENCE_START.to_owned()],
                ));
            }
        }
        if current.len() > 1 {
            current.push(SENTENCE_END.to_owned());
            out.push(current);
        }
    }
    out
}

/// A mana symbol of the encoding (`Ⓦ`, `②`, `Ⓧ`), or a braced one's brace.
fn is_mana_char(c: char) -> bool {
    ('\u{2460}'..='\u{24FF}').contains(&c) && c != NAME
}

/// The normalised tokens of one ability (`name`: the card's own name as
/// encoded, folded into the placeholder where spelled out).
fn tokens(ability: &str, name: &str) -> Vec<String> {
    let chars: Vec<char> = ability.chars().collect();
    let name_chars: Vec<char> = name.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at_word_start = i == 0 || !chars[i - 1].is_alphanumeric();
        if c == NAME
            || (!name_chars.is_empty()
                && at_word_start
                && chars[i..].starts_with(&name_chars)
                && chars
                    .get(i + name_chars.len())
                    .is_none_or(|d| !d.is_alphanumeric()))
        {
            out.push(NAME_PLACEHOLDER.to_owned());
            i += if c == NAME { 1 } else { name_chars.len() };
        } else if is_mana_char(c) || c == '{' {
            // A run of mana symbols, encoded (`②ⓊⓊ`) or braced (`{2}{U}`).
            while i < chars.len() && (is_mana_char(chars[i]) || chars[i] == '{') {
                if chars[i] == '{' {
                    while i < chars.len() && chars[i] != '}' {
                        i += 1;
                    }
                }
                i += 1;
            }
            out.push("{m}".to_owned());
        } else if c.is_ascii_digit()
            || ((c == '+' || c == '-' || c == '−') && next_is_number(&chars, i + 1))
        {
            let mut t = String::new();
            if !c.is_ascii_digit() {
                t.push(if c == '+' { '+' } else { '-' });
                i += 1;
            }
            t.push('n');
            i = skip_number(&chars, i);
            // A power/toughness pair is one token (`+n/+n`, `n/n`).
            if chars.get(i) == Some(&'/') && number_at(&chars, i + 1) {
                t.push('/');
                i += 1;
                if matches!(chars[i], '+' | '-' | '−') {
                    t.push(if chars[i] == '+' { '+' } else { '-' });
                    i += 1;
                }
                t.push('n');
                i = skip_number(&chars, i);
            }
            out.push(t);
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphabetic() && !is_mana_char(chars[i]) && chars[i] != NAME
                    || (matches!(chars[i], '\'' | '’')
                        && chars.get(i + 1).is_some_and(|d| d.is_alphabetic())))
            {
                i += 1;
            }
            let word: String = chars[start..i]
                .iter()
                .map(|&c| if c == '’' { '\'' } else { c })
                .collect::<String>()
                .to_lowercase();
            out.push(if word == "x" { "n".to_owned() } else { word });
        } else {
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
            i += 1;
        }
    }
    out
}

fn number_at(chars: &[char], i: usize) -> bool {
    match chars.get(i) {
        Some(c) if c.is_ascii_digit() || *c == 'x' || *c == 'X' || *c == '*' => true,
        Some('+' | '-' | '−') => next_is_number(chars, i + 1),
        _ => false,
    }
}

/// A number (digits, or a lone `x`/`X`/`*`) starts at `i`.
fn next_is_number(chars: &[char], i: usize) -> bool {
    match chars.get(i) {
        Some(c) if c.is_ascii_digit() || *c == '*' => true,
        Some('x' | 'X') => chars.get(i + 1).is_none_or(|d| !d.is_alphabetic()),
        _ => false,
    }
}

fn skip_number(chars: &[char], mut i: usize) -> usize {
    if matches!(chars.get(i), Some('x' | 'X' | '*')) {
        return i + 1;
    }
    while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn training() -> Vec<String> {
        [
            "Ⓢshock⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ",
            "Ⓢgiant growth⒞Ⓖ⒭C⒯instant⒜target creature gets +3/+3 until end of turn.Ⓔ",
            "Ⓢangel of mercy⒞④Ⓦ⒭U⒯creature:angel⒫3/3⒜flying⒜when Ⓝ enters the battlefield, you gain 3 life.Ⓔ",
            "Ⓢdivination⒞②Ⓤ⒭C⒯sorcery⒜draw two cards.Ⓔ",
            "Ⓢprodigal sorcerer⒞②Ⓤ⒭C⒯creature:human wizard⒫1/1⒜↷: Ⓝ deals 1 damage to any target.Ⓔ",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn real_sentences_in_a_new_combination_are_known_phrasing() {
        let book = Phrasebook::from_lines(&training());
        assert_eq!(book.cards, 5);
        // Other numbers, another name, two real sentences joined: all known.
        let p = book
            .judge_line("Ⓢsky bolt⒞③Ⓡ⒭U⒯instant⒜Ⓝ deals 5 damage to any target. draw two cards.Ⓔ");
        assert!(p.known_phrasing, "{p:?}");
        assert_eq!((p.unknown, p.score), (0, 1.0));
        assert!(p.phrases > 5 && p.unknown_phrases.is_empty());
        assert_eq!(p.describe(), None);
        // A keyword line shorter than a phrase is checked whole.
        let p = book.judge_line("Ⓢkite⒞Ⓦ⒭C⒯creature:bird⒫1/1⒜flyingⒺ");
        assert!(p.known_phrasing && p.phrases == 1, "{p:?}");
        // A mana cost of other symbols is the same phrase.
        let p =
            book.judge_line("Ⓢpinger⒞①Ⓡ⒭C⒯creature:goblin⒫1/1⒜↷: Ⓝ deals 1 damage to any target.Ⓔ");
        assert!(p.known_phrasing, "{p:?}");
        // No rules text: nothing unknown.
        let p = book.judge_line("Ⓢbear⒞①Ⓖ⒭C⒯creature:bear⒫2/2Ⓔ");
        assert_eq!((p.phrases, p.score, p.known_phrasing), (0, 1.0, true));
    }

    #[test]
    fn invented_phrasing_is_found_and_shown() {
        let book = Phrasebook::from_lines(&training());
        let p = book.judge_line(
            "Ⓢrook⒞①Ⓖ⒭C⒯enchantment⒜you control an opponent controls: draw two cards.Ⓔ",
        );
        assert!(!p.known_phrasing);
        assert!(p.unknown > 0 && p.score < 0.5, "{p:?}");
        assert_eq!(
            p.unknown_phrases,
            ["you control an opponent controls: draw two cards"]
        );
        let said = p.describe().unwrap();
        assert!(
            said.contains("\"you control an opponent controls: draw two cards\""),
            "{said}"
        );
        // One odd word in a real sentence: only the phrases around it.
        let p = book
            .judge_line("Ⓢgrowth⒞Ⓖ⒭C⒯instant⒜target creature gets +3/+3 until end of the turn.Ⓔ");
        assert_eq!(p.unknown_phrases, ["until end of the turn."]);
        assert!(p.score > 0.5 && p.score < 1.0, "{p:?}");
    }

    #[test]
    fn the_cards_own_name_is_a_placeholder() {
        let book = Phrasebook::from_lines(&training());
        // The name as `Ⓝ`, or spelled out, reads as the same phrase.
        let encoded =
            book.judge_line("Ⓢfire imp⒞②Ⓡ⒭C⒯creature:imp⒫1/1⒜Ⓝ deals 2 damage to any target.Ⓔ");
        let spelled = book
            .judge_line("Ⓢfire imp⒞②Ⓡ⒭C⒯creature:imp⒫1/1⒜fire imp deals 2 damage to any target.Ⓔ");
        assert!(
            encoded.known_phrasing && spelled.known_phrasing,
            "{spelled:?}"
        );
        // Another card's name is not the placeholder.
        let p =
            book.judge_line("Ⓢfire imp⒞②Ⓡ⒭C⒯creature:imp⒫1/1⒜shock deals 2 damage to any target.Ⓔ");
        assert!(!p.known_phrasing);
        assert_eq!(p.unknown_phrases, ["shock deals n damage"]);
        assert_eq!(
            sentences("Ⓢfire imp⒜Ⓝ gets +1/-1. fire imp deals X damage.")
                .into_iter()
                .map(|s| s.join(" "))
                .collect::<Vec<_>>(),
            ["<s> ~ gets +n/-n . </s>", "<s> ~ deals n damage . </s>"]
        );
    }

    #[test]
    fn quoted_sentences_stay_with_their_ability() {
        let s = sentences("Ⓢzed⒜creatures have \"↷: draw a card.\"⒜{2}{U}: tap target creature.");
        let joined: Vec<String> = s.into_iter().map(|s| s.join(" ")).collect();
        assert_eq!(
            joined,
            [
                "<s> creatures have \" ↷ : draw a card . \" </s>",
                "<s> {m} : tap target creature . </s>",
            ]
        );
    }
}
