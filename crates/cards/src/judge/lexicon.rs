//! What real cards say: the words, type words, keywords and counter names of a
//! training corpus, gathered once so that the strict judge can tell a
//! generated card's invented words ("creature: jarpar") from real ones.
//!
//! A [`Lexicon`] is built from the training lines ([`Lexicon::from_lines`]) and
//! is plain data (serde), so that it can be stored beside a model and the
//! judge works where the corpus is not.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::decode::{decode_with, Card, Rules};

/// Format version of a stored lexicon; bumped when a field changes meaning.
pub const LEXICON_VERSION: u32 = 1;

/// A rules-text word seen at least this often, and never in a card name, marks
/// a name as a rules phrase.
const RULES_WORD_MIN_COUNT: usize = 30;

/// Keyword heads with at least this many different arguments (`enchant land`,
/// `enchant creature`, ...) accept arguments never seen with them.
const KEYWORD_HEAD_MIN_VARIANTS: usize = 3;

/// The vocabulary of real cards, from a training corpus.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Lexicon {
    pub version: u32,
    /// Training cards it was built from.
    pub cards: usize,
    /// Card type and supertype words (`creature`, `artifact`, `host`).
    pub type_words: BTreeSet<String>,
    /// The type words of each card, sorted and joined by a space
    /// (`artifact creature`): the combinations real cards print.
    pub type_combinations: BTreeSet<String>,
    /// Each subtype word with the type words it was printed with
    /// (`aura` → `enchantment`).
    pub subtypes: BTreeMap<String, BTreeSet<String>>,
    /// Keyword abilities as written on keyword lines, numbers as `#` and mana
    /// costs as `{m}` (`flying`, `crew #`, `equip {m}`, `protection from red`).
    pub keywords: BTreeSet<String>,
    /// Keywords that take a free argument (`enchant`, `protection`).
    pub keyword_heads: BTreeSet<String>,
    /// Words written before `counter(s) on|from` (`charge`, `+1/+1`, `a`).
    pub counters: BTreeSet<String>,
    /// Every word of every name, type line and rules text, lower case.
    pub words: BTreeSet<String>,
    /// Frequent rules words that no card name uses (`whenever`, `target`).
    pub rules_only_words: BTreeSet<String>,
    /// Words written right before "you control" (`creatures`, `untapped`,
    /// `goblin`) or "creature token" (`saproling`): what a card can say its
    /// owner controls.
    #[serde(default)]
    pub controlled: BTreeSet<String>,
    /// The characters card names are written with.
    pub name_chars: String,
    /// The most words in one name.
    pub max_name_words: usize,
    pub max_power: u32,
    pub max_toughness: u32,
}

/// The words of a text, lower case: runs of letters and apostrophes (`player's`);
/// numbers, symbols and the encoding's circled characters are not words.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut flush = |word: &mut String| {
        let w = word.trim_matches('\'');
        if !w.is_empty() {
            out.push(w.to_lowercase());
        }
        word.clear();
    };
    for c in text.chars() {
        if is_letter(c) || (c == '\'' && !word.is_empty()) {
            word.push(c);
        } else {
            flush(&mut word);
        }
    }
    flush(&mut word);
    out
}

/// A letter of a word. The encoding's circled and parenthesised characters
/// (`Ⓝ`, `Ⓖ`, `⒜`) count as alphabetic in Unicode but are symbols here.
pub fn is_letter(c: char) -> bool {
    c.is_alphabetic() && !is_encoding_symbol(c)
}

/// Characters of the seed's encoding (field markers, `Ⓝ`, the one-character
/// mana symbols, `↷`, `·`): never part of a card as a player reads it.
pub fn is_encoding_symbol(c: char) -> bool {
    ('\u{2460}'..='\u{24FF}').contains(&c) || c == '↷' || c == '·'
}

/// A keyword line: rules text with no sentence in it (`flying, vigilance`).
pub fn is_keyword_line(ability: &str) -> bool {
    let a = ability.trim();
    !a.is_empty() && !a.contains(['.', ':', '"']) && !a.ends_with('—') && !a.starts_with('(')
}

/// The keywords of a keyword line, normalised: numbers and `x` as `#`, each run
/// of mana symbols as `{m}`.
pub fn keyword_items(ability: &str) -> Vec<String> {
    ability
        .split([',', ';'])
        .map(|item| normalise_keyword(item.trim()))
        .filter(|item| !item.is_empty())
        .collect()
}

fn normalise_keyword(item: &str) -> String {
    let lower = item.to_lowercase();
    let mut out = String::new();
    let mut chars = lower.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '{' {
            // A run of braced symbols is one cost.
            while let Some(d) = chars.next() {
                if d == '}' {
                    if chars.peek() == Some(&'{') {
                        chars.next();
                        continue;
                    }
                    break;
                }
            }
            out.push_str("{m}");
        } else if c.is_ascii_digit() {
            while chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                chars.next();
            }
            out.push('#');
        } else {
            out.push(c);
        }
    }
    // A lone x is a number too (`rampage x`).
    out.split(' ')
        .map(|w| if w == "x" { "#" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The word written before each `counter(s) on` / `counter(s) from`: a
/// counter's name (or `a`, `+1/+1`, ...).
pub fn counter_names(text: &str) -> Vec<String> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut out = Vec::new();
    for i in 1..tokens.len().saturating_sub(1) {
        let noun = tokens[i];
        let next = tokens[i + 1].trim_end_matches([',', '.']);
        if (noun == "counter" || noun == "counters") && (next == "on" || next == "from") {
            out.push(tokens[i - 1].to_lowercase());
        }
    }
    out
}

/// The type words of a card (supertypes included), lower case.
pub fn type_words(card: &Card) -> Vec<String> {
    card.supertypes
        .iter()
        .chain(&card.types)
        .map(|w| w.to_lowercase())
        .collect()
}

/// The words right before "you control" in `ability` (`creatures` in
/// "creatures you control get +1/+1").
pub fn controlled_words(ability: &str) -> Vec<String> {
    let w = words(ability);
    (1..w.len().saturating_sub(1))
        .filter(|&i| w[i] == "you" && w[i + 1] == "control")
        .map(|i| w[i - 1].clone())
        .collect()
}

/// The words right before "creature token(s)" or "artifact token(s)" in
/// `ability`: the kinds of token a card makes (`saproling`, `thopter`), which
/// cards may later say their owner controls though no card is one.
pub fn token_words(ability: &str) -> Vec<String> {
    let w = words(ability);
    (1..w.len().saturating_sub(1))
        .filter(|&i| {
            matches!(w[i].as_str(), "creature" | "artifact")
                && matches!(w[i + 1].as_str(), "token" | "tokens")
        })
        .map(|i| {
            // Past the type words: "thopter artifact creature token".
            let mut j = i - 1;
            while j > 0 && matches!(w[j].as_str(), "artifact" | "creature") {
                j -= 1;
            }
            w[j].clone()
        })
        .collect()
}

/// The singular forms a plural noun may have (`elves` → `elf`, `wolves` →
/// `wolf`, `faeries` → `faery`, `merfolk` itself).
pub fn singular_forms(word: &str) -> Vec<String> {
    let mut out = vec![word.to_owned()];
    for (suffix, replacement) in [
        ("s", ""),
        ("es", ""),
        ("ves", "f"),
        ("ves", "fe"),
        ("ies", "y"),
        ("men", "man"),
    ] {
        if let Some(stem) = word.strip_suffix(suffix) {
            out.push(format!("{stem}{replacement}"));
        }
    }
    out
}

impl Lexicon {
    /// Can a card say its owner controls a `word`? Words real cards say
    /// before "you control", and any type or subtype, singular or plural.
    pub fn can_be_controlled(&self, word: &str) -> bool {
        self.controlled.is_empty()
            || self.controlled.contains(word)
            || singular_forms(word)
                .iter()
                .any(|s| self.type_words.contains(s) || self.subtypes.contains_key(s))
    }

    /// Gathers the lexicon of the well-formed training lines.
    pub fn from_lines(lines: &[String]) -> Self {
        let mut lex = Lexicon {
            version: LEXICON_VERSION,
            ..Lexicon::default()
        };
        let mut name_words: BTreeSet<String> = BTreeSet::new();
        let mut rules_counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut name_chars: BTreeSet<char> = BTreeSet::new();
        let mut keyword_variants: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        // A corpus of the seed's encoding is judged by the seed's rules (its
        // planeswalkers never had a loyalty to write).
        let rules = Rules::for_lines(lines);
        for line in lines {
            let card = decode_with(line, rules);
            if !card.well_formed {
                continue;
            }
            lex.cards += 1;
            let types = type_words(&card);
            let mut sorted = types.clone();
            sorted.sort();
            lex.type_combinations.insert(sorted.join(" "));
            lex.type_words.extend(types.iter().cloned());
            for sub in &card.subtypes {
                lex.subtypes
                    .entry(sub.to_lowercase())
                    .or_default()
                    .extend(types.iter().cloned());
            }
            name_chars.extend(card.name.to_lowercase().chars());
            let nw = words(&card.name);
            lex.max_name_words = lex.max_name_words.max(card.name.split_whitespace().count());
            lex.words.extend(nw.iter().cloned());
            name_words.extend(nw);
            lex.words.extend(words(&card.type_line));
            let own: BTreeSet<String> = words(&card.name).into_iter().collect();
            for ability in &card.abil {
                lex.controlled.extend(controlled_words(ability));
                lex.controlled.extend(token_words(ability));
                for w in words(ability) {
                    if !own.contains(&w) {
                        *rules_counts.entry(w.clone()).or_default() += 1;
                    }
                    lex.words.insert(w);
                }
                if is_keyword_line(ability) {
                    for item in keyword_items(ability) {
                        if let Some((head, rest)) = item.split_once(' ') {
                            keyword_variants
                                .entry(head.to_owned())
                                .or_default()
                                .insert(rest.to_owned());
                        }
                        lex.keywords.insert(item);
                    }
                }
                lex.counters.extend(counter_names(ability));
            }
            let number = |s: &Option<String>| s.as_deref().and_then(|v| v.parse::<u32>().ok());
            if let Some(p) = number(&card.power) {
                lex.max_power = lex.max_power.max(p);
            }
            if let Some(t) = number(&card.toughness) {
                lex.max_toughness = lex.max_toughness.max(t);
            }
        }
        lex.rules_only_words = rules_counts
            .into_iter()
            .filter(|(w, n)| *n >= RULES_WORD_MIN_COUNT && !name_words.contains(w))
            .map(|(w, _)| w)
            .collect();
        lex.keyword_heads = keyword_variants
            .into_iter()
            .filter(|(_, v)| v.len() >= KEYWORD_HEAD_MIN_VARIANTS)
            .map(|(h, _)| h)
            .collect();
        lex.name_chars = name_chars.into_iter().collect();
        lex
    }

    /// The lexicon as JSON bytes (for storing beside a model).
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a lexicon is plain data")
    }

    /// A stored lexicon; an error names what is wrong.
    pub fn from_json(bytes: &[u8]) -> Result<Self, String> {
        let lex: Lexicon =
            serde_json::from_slice(bytes).map_err(|e| format!("not a cardlm lexicon: {e}"))?;
        if lex.version != LEXICON_VERSION {
            return Err(format!(
                "lexicon version {} (this cardlm reads version {LEXICON_VERSION})",
                lex.version
            ));
        }
        Ok(lex)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample_lines() -> Vec<String> {
        [
            "Ⓢangel of mercy⒞④Ⓦ⒭U⒯creature:angel⒫3/3⒜flying⒜when Ⓝ enters the battlefield, you gain 3 life.Ⓔ",
            "Ⓢpacifism⒞①Ⓦ⒭C⒯enchantment:aura⒜enchant creature⒜enchanted creature can't attack or block.Ⓔ",
            "Ⓢshock⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ",
            "Ⓢconsulate dreadnought⒞①⒭U⒯artifact:vehicle⒫7/11⒜crew 6Ⓔ",
            "Ⓢdross crocodile⒞③Ⓑ⒭C⒯creature:zombie crocodile⒫5/1⒜Ⓔ",
            "Ⓢcitanul woodreaders⒞③Ⓖ⒭C⒯creature:human druid⒫1/4⒜kicker ②Ⓖ⒜when Ⓝ enters the battlefield, if it was kicked, draw two cards.Ⓔ",
            "Ⓢshrine of burning rage⒞②Ⓡ⒭U⒯artifact⒜at the beginning of your upkeep or whenever you cast a red spell, put a charge counter on Ⓝ.⒜③Ⓡ, ↷, sacrifice Ⓝ: Ⓝ deals damage equal to the number of charge counters on Ⓝ to any target.Ⓔ",
            "Ⓢjace beleren⒞①ⓊⓊ⒭M⒯planeswalker:jace⒜+2: each player draws a card.⒜−1: target player draws a card.⒜−10: target player mills twenty cards.Ⓔ",
            "Ⓢsteel wall⒞①⒭C⒯artifact creature:wall⒫0/4⒜defenderⒺ",
            "Ⓢwild growth⒞Ⓖ⒭C⒯enchantment:aura⒜enchant land⒜whenever enchanted land is tapped for mana, its controller adds an additional Ⓖ.Ⓔ",
            "Ⓢanimate artifact⒞③Ⓤ⒭U⒯enchantment:aura⒜enchant artifact⒜as long as enchanted artifact isn't a creature, it's an artifact creature with power and toughness each equal to its converted mana cost.Ⓔ",
            "Ⓢcast out⒞③Ⓦ⒭U⒯enchantment⒜flash⒜when Ⓝ enters the battlefield, exile target nonland permanent an opponent controls until Ⓝ leaves the battlefield.⒜cycling ⓌⒺ",
            "Ⓢglorious anthem⒞①ⓌⓌ⒭R⒯enchantment⒜creatures you control get +1/+1.Ⓔ",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    #[test]
    fn controlled_words_and_plurals() {
        assert_eq!(
            controlled_words("creatures you control get +1/+1. untapped lands you control."),
            ["creatures", "lands"]
        );
        assert!(controlled_words("you control").is_empty());
        assert_eq!(
            token_words("create a 1/1 green saproling creature token. create two colorless thopter artifact creature tokens."),
            ["saproling", "thopter"]
        );
        for (plural, singular) in [
            ("elves", "elf"),
            ("wolves", "wolf"),
            ("faeries", "faery"),
            ("merfolk", "merfolk"),
            ("angels", "angel"),
        ] {
            assert!(
                singular_forms(plural).iter().any(|s| s == singular),
                "{plural}"
            );
        }
        let lex = Lexicon::from_lines(&sample_lines());
        // Said before "you control" on a sample card, a subtype (plural too),
        // a type word; not a word that names nothing a player controls.
        for word in ["creature", "crocodiles", "angel", "artifacts", "wall"] {
            assert!(lex.can_be_controlled(word), "{word}");
        }
        assert!(!lex.can_be_controlled("gale"));
        assert!(!lex.can_be_controlled("target"));
        // An older lexicon without the list judges nothing.
        let old = Lexicon {
            controlled: Default::default(),
            ..lex
        };
        assert!(old.can_be_controlled("gale"));
    }

    #[test]
    fn words_skip_symbols_and_keep_apostrophes() {
        assert_eq!(
            words("Ⓝ deals 2 damage to target player's creature."),
            vec!["deals", "damage", "to", "target", "player's", "creature"]
        );
        assert_eq!(words("{T}: add {G}."), vec!["t", "add", "g"]);
        assert_eq!(words("'quoted'"), vec!["quoted"]);
    }

    #[test]
    fn keywords_are_normalised() {
        assert_eq!(keyword_items("crew 6"), vec!["crew #"]);
        assert_eq!(keyword_items("cycling {2}{W}"), vec!["cycling {m}"]);
        assert_eq!(
            keyword_items("flying, first strike"),
            vec!["flying", "first strike"]
        );
        assert_eq!(keyword_items("rampage X"), vec!["rampage #"]);
        assert!(is_keyword_line("flying"));
        assert!(!is_keyword_line("{T}: add {G}."));
        assert!(!is_keyword_line("choose one —"));
    }

    #[test]
    fn counters_are_the_word_before_counter_on() {
        assert_eq!(
            counter_names("put a charge counter on Ⓝ. remove two +1/+1 counters from it."),
            vec!["charge", "+1/+1"]
        );
        assert!(counter_names("counter target spell.").is_empty());
    }

    #[test]
    fn gathers_the_vocabulary_of_the_lines() {
        let lex = Lexicon::from_lines(&sample_lines());
        assert_eq!(lex.cards, 13);
        assert!(lex.keyword_heads.contains("enchant"));
        for t in [
            "creature",
            "enchantment",
            "instant",
            "artifact",
            "planeswalker",
        ] {
            assert!(lex.type_words.contains(t), "{t}");
        }
        assert!(lex.type_combinations.contains("artifact creature"));
        assert_eq!(
            lex.subtypes["aura"],
            BTreeSet::from(["enchantment".to_owned()])
        );
        assert!(lex.subtypes["vehicle"].contains("artifact"));
        for k in [
            "flying",
            "enchant creature",
            "crew #",
            "kicker {m}",
            "cycling {m}",
            "defender",
        ] {
            assert!(lex.keywords.contains(k), "{k}");
        }
        assert!(lex.counters.contains("charge"));
        assert!(lex.words.contains("battlefield"));
        // The card's own name is not rules text.
        assert_eq!((lex.max_power, lex.max_toughness), (7, 11));
        assert_eq!(lex.max_name_words, 4);
        let back = Lexicon::from_json(&lex.to_json()).unwrap();
        assert_eq!(back, lex);
        assert!(Lexicon::from_json(b"{}").is_err());
    }
}
