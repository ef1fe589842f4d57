//! Guided type lines: while the model writes a card's type field (after `⒯`,
//! until the next marker), only characters that continue a type word, type
//! combination and subtype some real card prints may be written. Raw samples
//! then carry no invented type words ("creature: jarpar") without a second
//! draw; everything else on the card stays the model's own choice.
//!
//! [`TypeLineGuide`] holds what a [`Lexicon`] knows of type lines, built once
//! per model; each card gets a [`TypeLineState`] that sees every character the
//! model emits (sampled or forced) and answers which characters may come next.
//! The words are looked up by prefix in sorted sets (a trie's answers with
//! less code: the type field is a few dozen characters of a card).
//!
//! Rules, in the type field's two parts:
//! - types (before `:`): each word a type or supertype word of the lexicon,
//!   not repeated, and the words together part of a combination real cards
//!   print (`legendary artifact creature`); a space only where a longer
//!   combination can follow; `:` and the next field's marker only where the
//!   words are a whole combination (`:` only when some subtype goes with it).
//! - subtypes (after `:`): each word a subtype printed with one of the card's
//!   type words (as the strict judge checks), not repeated; a space or the
//!   next marker only after a whole word.
//!
//! A forced type line (`--type`) is fed through the same state: when it
//! leaves the lexicon's words, the guide stands aside until the next type
//! field, so forcing always wins.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::sync::Arc;

use crate::field_order::FieldOrder;
use crate::judge::Lexicon;
use crate::markers::{
    ABILITY, ALL_FIELD_MARKERS, COST, DEFENSE, END, FACE, FLAVOR, LOYALTY, POWER_TOUGHNESS,
    SUBTYPE_SEPARATOR, TYPE,
};

/// The markers that may follow a type field in the printed order (in either
/// encoding).
const AFTER_TYPES: [char; 7] = [
    POWER_TOUGHNESS,
    LOYALTY,
    DEFENSE,
    ABILITY,
    FLAVOR,
    FACE,
    END,
];

/// What real cards print on type lines, from a lexicon.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TypeLineGuide {
    type_words: BTreeSet<String>,
    /// Each combination of type words a real card prints.
    combinations: Vec<BTreeSet<String>>,
    /// Each subtype with the type words it was printed with.
    subtypes: BTreeMap<String, BTreeSet<String>>,
    /// The subtypes alone, for prefix look-ups.
    subtype_words: BTreeSet<String>,
    /// The markers that may end the type field: [`AFTER_TYPES`], and `⒞` in
    /// the text-first order, where a card with neither text nor P/T goes on
    /// to its cost.
    after_types: Vec<char>,
}

impl TypeLineGuide {
    /// The type lines of the lexicon's cards; `None` when it knows no type
    /// word (nothing to guide by).
    pub fn from_lexicon(lex: &Lexicon) -> Option<Self> {
        if lex.type_words.is_empty() {
            return None;
        }
        Some(TypeLineGuide {
            type_words: lex.type_words.clone(),
            combinations: lex
                .type_combinations
                .iter()
                .map(|c| c.split_whitespace().map(str::to_owned).collect())
                .collect(),
            subtypes: lex.subtypes.clone(),
            subtype_words: lex.subtypes.keys().cloned().collect(),
            after_types: AFTER_TYPES.to_vec(),
        })
    }

    /// The same guide for a model writing fields in `order`.
    pub fn for_order(mut self, order: FieldOrder) -> Self {
        self.after_types = AFTER_TYPES.to_vec();
        if order == FieldOrder::TextFirst {
            self.after_types.push(COST);
        }
        self
    }

    /// Whether `words` are all part of one real combination.
    fn fits(&self, words: &BTreeSet<String>) -> bool {
        self.combinations.iter().any(|c| words.is_subset(c))
    }

    /// Whether a real combination has more words than `words`, all of them.
    fn extends(&self, words: &BTreeSet<String>) -> bool {
        self.combinations
            .iter()
            .any(|c| c.len() > words.len() && words.is_subset(c))
    }

    fn is_combination(&self, words: &BTreeSet<String>) -> bool {
        self.combinations.iter().any(|c| c == words)
    }

    /// Whether subtype `sub` was printed with one of `types`.
    fn goes_with(&self, sub: &str, types: &BTreeSet<String>) -> bool {
        self.subtypes
            .get(sub)
            .is_some_and(|with| with.iter().any(|t| types.contains(t)))
    }

    fn any_subtype_for(&self, types: &BTreeSet<String>) -> bool {
        self.subtypes.keys().any(|s| self.goes_with(s, types))
    }
}

/// The words of `set` that start with `prefix`, in order.
fn starting_with<'a>(
    set: &'a BTreeSet<String>,
    prefix: &'a str,
) -> impl Iterator<Item = &'a String> + 'a {
    set.range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
        .take_while(move |w| w.starts_with(prefix))
}

/// Where a card's writing is, for the guide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// Not in a type field: nothing restricted.
    Outside,
    /// Type and supertype words, before `:`.
    Types,
    /// Subtypes, after `:`.
    Subtypes,
    /// The field left the lexicon's words (a forced value): not guided
    /// until the next type field.
    Aside,
}

/// The guide's state for one card.
#[derive(Clone, Debug)]
pub struct TypeLineState {
    guide: Arc<TypeLineGuide>,
    part: Part,
    /// The word being written.
    word: String,
    /// Whole type words so far.
    types: BTreeSet<String>,
    /// Whole subtypes so far.
    subtypes: BTreeSet<String>,
}

/// Whether `c` ends the type field (the next field's marker, or the card's end).
fn is_marker(c: char) -> bool {
    c == END || ALL_FIELD_MARKERS.contains(&c)
}

impl TypeLineState {
    /// A fresh state for one card.
    pub fn new(guide: Arc<TypeLineGuide>) -> Self {
        TypeLineState {
            guide,
            part: Part::Outside,
            word: String::new(),
            types: BTreeSet::new(),
            subtypes: BTreeSet::new(),
        }
    }

    /// Whether the card is in a guided type field now.
    pub fn is_guiding(&self) -> bool {
        matches!(self.part, Part::Types | Part::Subtypes)
    }

    /// Sees one emitted character (sampled or forced).
    pub fn after(&mut self, c: char) {
        if c == TYPE {
            self.part = Part::Types;
            self.word.clear();
            self.types.clear();
            self.subtypes.clear();
            return;
        }
        if !self.is_guiding() {
            if is_marker(c) {
                self.part = Part::Outside;
            }
            return;
        }
        if is_marker(c) {
            self.part = Part::Outside;
            return;
        }
        let allowed = self.allowed();
        let word = std::mem::take(&mut self.word);
        match c {
            ' ' => {
                self.finish(word);
            }
            SUBTYPE_SEPARATOR if self.part == Part::Types => {
                self.finish(word);
                self.part = Part::Subtypes;
            }
            _ => self.word = word + &c.to_string(),
        }
        if !allowed.contains(&c) {
            self.part = Part::Aside;
        }
    }

    fn finish(&mut self, word: String) {
        if word.is_empty() {
            return;
        }
        match self.part {
            Part::Types => self.types.insert(word),
            _ => self.subtypes.insert(word),
        };
    }

    /// The characters that may come next while guiding (empty otherwise).
    pub fn allowed(&self) -> BTreeSet<char> {
        let g = &*self.guide;
        let mut out = BTreeSet::new();
        let next_char = |w: &str| w[self.word.len()..].chars().next();
        match self.part {
            Part::Types => {
                for w in starting_with(&g.type_words, &self.word) {
                    if self.types.contains(w) {
                        continue;
                    }
                    let mut words = self.types.clone();
                    words.insert(w.clone());
                    if !g.fits(&words) {
                        continue;
                    }
                    match next_char(w) {
                        Some(c) => {
                            out.insert(c);
                        }
                        None => {
                            if g.extends(&words) {
                                out.insert(' ');
                            }
                            if g.is_combination(&words) {
                                out.extend(g.after_types.iter().copied());
                                if g.any_subtype_for(&words) {
                                    out.insert(SUBTYPE_SEPARATOR);
                                }
                            }
                        }
                    }
                }
            }
            Part::Subtypes => {
                for s in starting_with(&g.subtype_words, &self.word) {
                    if self.subtypes.contains(s) || !g.goes_with(s, &self.types) {
                        continue;
                    }
                    match next_char(s) {
                        Some(c) => {
                            out.insert(c);
                        }
                        None => {
                            // A space only where another subtype can follow.
                            if g.subtype_words.iter().any(|o| {
                                o != s && !self.subtypes.contains(o) && g.goes_with(o, &self.types)
                            }) {
                                out.insert(' ');
                            }
                            out.extend(g.after_types.iter().copied());
                        }
                    }
                }
            }
            Part::Outside | Part::Aside => {}
        }
        out
    }

    /// The characters of `vocabulary` the model may not write next (empty
    /// outside a guided type field).
    pub fn banned(&self, vocabulary: &[char]) -> Vec<char> {
        if !self.is_guiding() {
            return Vec::new();
        }
        let allowed = self.allowed();
        vocabulary
            .iter()
            .copied()
            .filter(|c| !allowed.contains(c))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::lexicon::tests::sample_lines;
    use crate::markers::{ABILITY, POWER_TOUGHNESS, START};

    fn guide() -> Arc<TypeLineGuide> {
        Arc::new(TypeLineGuide::from_lexicon(&Lexicon::from_lines(&sample_lines())).unwrap())
    }

    fn state_after(text: &str) -> TypeLineState {
        let mut s = TypeLineState::new(guide());
        for c in text.chars() {
            s.after(c);
        }
        s
    }

    fn allowed(text: &str) -> String {
        state_after(text).allowed().into_iter().collect()
    }

    #[test]
    fn outside_the_type_field_nothing_is_banned() {
        let vocab: Vec<char> = "abc :⒫⒜Ⓔ".chars().collect();
        assert!(state_after("").banned(&vocab).is_empty());
        assert!(state_after("Ⓢgoblin⒞Ⓡ⒭C").banned(&vocab).is_empty());
        let done = state_after("Ⓢgoblin⒞Ⓡ⒭C⒯creature:angel⒫");
        assert!(!done.is_guiding());
        assert!(done.banned(&vocab).is_empty());
    }

    #[test]
    fn type_words_continue_only_as_real_ones() {
        // The sample cards' type words: artifact creature enchantment instant planeswalker.
        assert_eq!(allowed("⒯"), "aceip");
        assert_eq!(allowed("⒯cr"), "e");
        assert_eq!(allowed("⒯pl"), "a");
        // "artifact" is a whole combination and starts "artifact creature".
        let after_artifact = allowed("⒯artifact");
        for c in [' ', ':', POWER_TOUGHNESS, ABILITY, END] {
            assert!(after_artifact.contains(c), "{c:?} in {after_artifact:?}");
        }
        // After "artifact ", only a word that makes a real combination.
        assert_eq!(allowed("⒯artifact "), "c");
        // Only the markers that may follow a type field.
        assert!(!after_artifact.contains('⒞') && !after_artifact.contains('⒯'));
        // "instant" has no longer combination and no subtype here.
        let after_instant = allowed("⒯instant");
        assert!(!after_instant.contains(' ') && !after_instant.contains(':'));
        assert!(after_instant.contains(ABILITY));
        // No marker or colon before a word is whole.
        assert!(!allowed("⒯creat").contains(':'));
        assert!(!allowed("⒯").contains(ABILITY));
    }

    #[test]
    fn subtypes_go_with_the_card_s_types() {
        // Enchantment subtypes of the sample cards: aura only.
        assert_eq!(allowed("⒯enchantment:"), "a");
        // Creature subtypes: angel zombie crocodile human druid wall.
        assert_eq!(allowed("⒯creature:"), "acdhwz");
        let after_angel = allowed("⒯creature:angel");
        assert!(after_angel.contains(' ') && after_angel.contains(POWER_TOUGHNESS));
        assert!(!after_angel.contains(':'));
        // A subtype is not written twice, and no space follows the last one.
        assert!(!allowed("⒯creature:human human").contains('h'));
        assert!(!allowed("⒯enchantment:aura").contains(' '));
    }

    #[test]
    fn the_banned_characters_are_the_vocabulary_less_the_allowed() {
        let vocab: Vec<char> = "abcdefghijklmnopqrstuvwxyz :⒫⒜Ⓔ1".chars().collect();
        let s = state_after("⒯cr");
        let banned = s.banned(&vocab);
        assert_eq!(banned.len(), vocab.len() - 1);
        assert!(!banned.contains(&'e'));
    }

    #[test]
    fn a_forced_word_outside_the_lexicon_puts_the_guide_aside_until_the_next_type_field() {
        let mut s = state_after("⒯dorest");
        assert!(!s.is_guiding());
        assert!(s.banned(&['a', 'b']).is_empty());
        for c in [ABILITY, 'x', TYPE] {
            s.after(c);
        }
        assert!(s.is_guiding(), "a new face's type field is guided again");
        assert_eq!(s.allowed().into_iter().collect::<String>(), "aceip");
    }

    #[test]
    fn every_training_card_s_type_line_is_allowed_character_by_character() {
        for line in sample_lines() {
            let mut s = TypeLineState::new(guide());
            let mut in_type = false;
            for c in line.chars() {
                if in_type && !s.allowed().contains(&c) {
                    panic!("{c:?} refused in {line}");
                }
                s.after(c);
                in_type = s.is_guiding();
            }
            assert_eq!(line.chars().next(), Some(START));
        }
    }

    #[test]
    fn an_empty_lexicon_gives_no_guide() {
        assert!(TypeLineGuide::from_lexicon(&Lexicon::default()).is_none());
    }
}
