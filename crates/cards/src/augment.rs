//! Training-time augmentation of encoded lines: rewrites that keep a card's
//! meaning, drawn afresh each epoch so the model sees many spellings of one
//! card (mtgencode's `randomize_mana`).
//!
//! Only the mana cost after `⒞` is order-free: `{1}{W}{U}` and `{U}{1}{W}`
//! are the same cost. Other lists look order-free but are not: Oracle text
//! writes keywords in a fixed order and the rules text names costs in the
//! order they are paid, so shuffling them would teach the model an order no
//! real card has. Each rewrite keeps the line's length in characters, so a
//! trainer's batches (grouped by length) stay the same.

use crate::markers::{ALL_FIELD_MARKERS, COST, END};

/// The augmentations `cardlm train --augment` offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Augmentation {
    /// The symbols of every mana cost in a random order.
    ManaOrder,
}

impl Augmentation {
    /// The name used on the command line and in a run's `config.json`.
    pub fn name(self) -> &'static str {
        match self {
            Augmentation::ManaOrder => "mana-order",
        }
    }

    /// The augmentation called `name`, if any.
    pub fn from_name(name: &str) -> Option<Augmentation> {
        match name {
            "mana-order" => Some(Augmentation::ManaOrder),
            _ => None,
        }
    }

    /// `line` rewritten; `pick(n)` returns a uniform index in `0..n`.
    pub fn apply(self, line: &str, pick: &mut dyn FnMut(usize) -> usize) -> String {
        match self {
            Augmentation::ManaOrder => shuffle_mana_costs(line, pick),
        }
    }
}

/// The symbols of one encoded cost (`②{G/W}Ⓤ` → `②`, `{G/W}`, `Ⓤ`): a
/// brace group is one symbol, and so is the seed's `⑫}` quirk. `None` when
/// the braces do not balance (a half-written line is left as it is).
fn cost_symbols(cost: &str) -> Option<Vec<&str>> {
    let mut symbols = Vec::new();
    let mut rest = cost;
    while let Some(c) = rest.chars().next() {
        let len = if c == '{' {
            let close = rest.find('}')?;
            if rest[1..close].contains('{') {
                return None;
            }
            close + 1
        } else if c == '⑫' && rest[c.len_utf8()..].starts_with('}') {
            c.len_utf8() + 1
        } else if c == '}' {
            return None;
        } else {
            c.len_utf8()
        };
        symbols.push(&rest[..len]);
        rest = &rest[len..];
    }
    Some(symbols)
}

/// `line` with the symbols of each cost (every face's `⒞` field) shuffled by
/// Fisher-Yates with `pick`. The rest of the line is unchanged.
pub fn shuffle_mana_costs(line: &str, pick: &mut dyn FnMut(usize) -> usize) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find(COST) {
        let start = at + COST.len_utf8();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest
            .find(|c: char| ALL_FIELD_MARKERS.contains(&c) || c == END)
            .unwrap_or(rest.len());
        let cost = &rest[..end];
        match cost_symbols(cost) {
            Some(mut symbols) if symbols.len() > 1 => {
                for i in (1..symbols.len()).rev() {
                    let j = pick(i + 1).min(i);
                    symbols.swap(i, j);
                }
                symbols.iter().for_each(|s| out.push_str(s));
            }
            _ => out.push_str(cost),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic `pick` for tests: a small linear congruential sequence.
    fn picker(mut state: u64) -> impl FnMut(usize) -> usize {
        move |n| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as usize) % n
        }
    }

    /// `line` with each cost's symbols sorted: equal for two spellings of one card.
    fn normalised(line: &str) -> String {
        let mut out = String::new();
        let mut rest = line;
        while let Some(at) = rest.find(COST) {
            let start = at + COST.len_utf8();
            out.push_str(&rest[..start]);
            rest = &rest[start..];
            let end = rest
                .find(|c: char| ALL_FIELD_MARKERS.contains(&c) || c == END)
                .unwrap_or(rest.len());
            let mut symbols = cost_symbols(&rest[..end]).unwrap();
            symbols.sort();
            out.push_str(&symbols.concat());
            rest = &rest[end..];
        }
        out + rest
    }

    const SPLIT: &str =
        "Ⓢfire⒞①Ⓡ⒭U⒨split⒯instant⒜Ⓝ deals 2 damage.⒝ice⒞①{U/P}Ⓤ⑫}⒯instant⒜draw a card.Ⓔ";

    #[test]
    fn every_cost_keeps_its_symbols_and_the_rest_is_unchanged() {
        let mut seen = std::collections::HashSet::new();
        for seed in 0..200 {
            let out = shuffle_mana_costs(SPLIT, &mut picker(seed));
            assert_eq!(out.chars().count(), SPLIT.chars().count());
            assert_eq!(normalised(&out), normalised(SPLIT));
            seen.insert(out);
        }
        // 2 orders of the first cost × 4! of the second (four distinct symbols).
        assert_eq!(seen.len(), 2 * 24);
    }

    #[test]
    fn lands_one_symbol_costs_and_broken_braces_are_left_alone() {
        let land = "Ⓢforest⒞⒭B⒯land:forest⒜(↷: add Ⓖ.)Ⓔ";
        let one = "Ⓢbear⒞Ⓖ⒭C⒯creature:bear⒫2/2⒜Ⓔ";
        let broken = "Ⓢodd⒞Ⓖ{G/W⒭C⒯instant⒜Ⓔ";
        let truncated = "Ⓢcut⒞②ⓊⓊ";
        for line in [land, one, broken] {
            assert_eq!(shuffle_mana_costs(line, &mut picker(7)), line);
        }
        let out = shuffle_mana_costs(truncated, &mut picker(3));
        assert_eq!(out.chars().count(), truncated.chars().count());
        assert!(out.starts_with("Ⓢcut⒞"));
    }

    #[test]
    fn names_round_trip() {
        let a = Augmentation::ManaOrder;
        assert_eq!(Augmentation::from_name(a.name()), Some(a));
        assert_eq!(Augmentation::from_name("keywords"), None);
    }
}
