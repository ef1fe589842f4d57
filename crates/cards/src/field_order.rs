//! The order a line writes a card's fields in.
//!
//! The **printed** order is the seed's, extended by the full encoding
//! (`docs/encoding.md`): each face's name, cost, rarity (and layout), types,
//! power/toughness (or loyalty, defense), then its abilities — the order a
//! player reads a card in. A model sampling it must choose a cost before it
//! knows what the card does.
//!
//! The **text-first** order writes each face's rarity (and layout), types,
//! abilities, power/toughness, cost and, last, its name after [`NAME_FIELD`]:
//! the model writes the cost, the body and the name of a card knowing its rules
//! text (mtgencode's default also puts the cost and the name after the text).
//!
//! ```text
//! printed:    Ⓢangel of mercy⒞④Ⓦ⒭U⒯creature:angel⒫3/3⒜flyingⒺ
//! text-first: Ⓢ⒭U⒯creature:angel⒜flying⒫3/3⒞④Ⓦ⒩angel of mercyⒺ
//! ```
//!
//! Everything outside the corpus and the sampler (decoding, judges, exports,
//! the novelty index) speaks the printed order: [`FieldOrder::to_printed`]
//! turns a text-first line back. A model's order is told by its vocabulary
//! (only a text-first corpus has [`NAME_FIELD`]), as [`crate::decode::Rules`]
//! are.

use crate::markers::{
    ABILITY, COST, DEFENSE, END, FACE, FLAVOR, LAYOUT, LOYALTY, NAME_FIELD, POWER_TOUGHNESS,
    RARITY, START, TYPE,
};
use std::fmt;
use std::str::FromStr;

/// The order of the fields inside each face of a line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FieldOrder {
    /// Name, cost, rarity, layout, types, stats, abilities (the seed's).
    #[default]
    Printed,
    /// Rarity, layout, types, abilities, stats, cost, then `⒩` and the name.
    TextFirst,
}

/// The markers a face's fields start with, in the printed order (the name has
/// none: it follows `Ⓢ` or `⒝`).
const PRINTED: [&[char]; 5] = [
    &[COST],
    &[RARITY, LAYOUT],
    &[TYPE],
    &[POWER_TOUGHNESS, LOYALTY, DEFENSE],
    &[ABILITY, FLAVOR],
];

/// The same groups in the text-first order, before `⒩` and the name.
const TEXT_FIRST: [&[char]; 5] = [
    &[RARITY, LAYOUT],
    &[TYPE],
    &[ABILITY, FLAVOR],
    &[POWER_TOUGHNESS, LOYALTY, DEFENSE],
    &[COST],
];

impl FieldOrder {
    /// The order a model's vocabulary was trained in: text-first when it knows
    /// [`NAME_FIELD`].
    pub fn for_vocabulary(vocabulary: &[char]) -> FieldOrder {
        if vocabulary.contains(&NAME_FIELD) {
            FieldOrder::TextFirst
        } else {
            FieldOrder::Printed
        }
    }

    /// The order of a corpus's lines: text-first when any has [`NAME_FIELD`].
    pub fn for_lines<S: AsRef<str>>(lines: &[S]) -> FieldOrder {
        if lines.iter().any(|l| l.as_ref().contains(NAME_FIELD)) {
            FieldOrder::TextFirst
        } else {
            FieldOrder::Printed
        }
    }

    /// Lines of either order, all in the printed order (as they are when
    /// none has [`NAME_FIELD`]): training lines as the decoder and the judges
    /// read them, whatever order a model was trained in.
    pub fn lines_in_printed_order(lines: Vec<String>) -> Vec<String> {
        match FieldOrder::for_lines(&lines) {
            FieldOrder::Printed => lines,
            order => lines.iter().map(|l| order.to_printed(l)).collect(),
        }
    }

    /// The name `--field-order` and `stats.json` use.
    pub fn name(self) -> &'static str {
        match self {
            FieldOrder::Printed => "printed",
            FieldOrder::TextFirst => "text-first",
        }
    }

    /// A printed-order line in this order. Every field is kept, each face's
    /// fields in the order they had within their group (abilities stay in
    /// order); a text-first line of a printed line gives it back
    /// ([`FieldOrder::to_printed`]).
    pub fn from_printed(self, line: &str) -> String {
        match self {
            FieldOrder::Printed => line.to_string(),
            FieldOrder::TextFirst => reorder(line, |face, out| {
                let fields = split_fields(face);
                for group in TEXT_FIRST {
                    push_group(&fields[1..], group, out);
                }
                out.push(NAME_FIELD);
                out.push_str(fields[0].1);
            }),
        }
    }

    /// A line of this order (a generated one too) in the printed order. A
    /// well-formed line comes back exactly as [`FieldOrder::from_printed`]
    /// took it; what a broken one lacks stays missing (a face without `⒩`
    /// gets an empty name), and a second `⒩` in a face is kept in the name,
    /// where the judges see it, so no fault of the model is repaired here.
    pub fn to_printed(self, line: &str) -> String {
        match self {
            FieldOrder::Printed => line.to_string(),
            FieldOrder::TextFirst => reorder(line, |face, out| {
                let fields = split_fields(face);
                // The name is the first `⒩` field's; text before the first
                // marker and any other `⒩` field follow it with their `⒩`,
                // where the judges see them.
                let stray = Some(fields[0].1).filter(|s| !s.is_empty());
                let mut names = fields[1..]
                    .iter()
                    .filter(|(m, _)| *m == Some(NAME_FIELD))
                    .map(|(_, name)| *name);
                out.push_str(names.next().unwrap_or(""));
                for extra in stray.into_iter().chain(names) {
                    out.push(NAME_FIELD);
                    out.push_str(extra);
                }
                for group in PRINTED {
                    push_group(&fields[1..], group, out);
                }
            }),
        }
    }
}

impl fmt::Display for FieldOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for FieldOrder {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "printed" => Ok(FieldOrder::Printed),
            "text-first" => Ok(FieldOrder::TextFirst),
            other => Err(format!(
                "unknown field order {other:?} (printed or text-first)"
            )),
        }
    }
}

/// Rewrites each face of `line` with `face_fn`, keeping `Ⓢ`, the `⒝` between
/// faces and `Ⓔ` (a line cut before its end stays cut).
fn reorder(line: &str, face_fn: impl Fn(&str, &mut String)) -> String {
    let body = line.strip_prefix(START).unwrap_or(line);
    let (body, ended) = match body.strip_suffix(END) {
        Some(b) => (b, true),
        None => (body, false),
    };
    let mut out = String::with_capacity(line.len() + 8);
    if line.starts_with(START) {
        out.push(START);
    }
    for (i, face) in body.split(FACE).enumerate() {
        if i > 0 {
            out.push(FACE);
        }
        face_fn(face, &mut out);
    }
    if ended {
        out.push(END);
    }
    out
}

/// A face's fields: first the text before any marker (`None`), then each
/// marker with its value.
fn split_fields(face: &str) -> Vec<(Option<char>, &str)> {
    let mut fields = Vec::new();
    let mut marker = None;
    let mut start = 0;
    for (i, c) in face.char_indices() {
        if is_face_marker(c) {
            fields.push((marker, &face[start..i]));
            marker = Some(c);
            start = i + c.len_utf8();
        }
    }
    fields.push((marker, &face[start..]));
    fields
}

fn is_face_marker(c: char) -> bool {
    PRINTED.iter().any(|g| g.contains(&c)) || c == NAME_FIELD
}

/// Appends, in order, the fields whose marker is in `group`.
fn push_group(fields: &[(Option<char>, &str)], group: &[char], out: &mut String) {
    for (marker, value) in fields {
        if let Some(m) = marker.filter(|m| group.contains(m)) {
            out.push(m);
            out.push_str(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINES: [&str; 6] = [
        "Ⓢangel of mercy⒞④Ⓦ⒭U⒯creature:angel⒫3/3⒜flying⒜when Ⓝ enters the battlefield, you gain 3 life.Ⓔ",
        "Ⓢforest⒞⒭B⒯land:forest⒜(↷: add Ⓖ.)Ⓔ",
        "Ⓢjace beleren⒞①ⓊⓊ⒭M⒯planeswalker:jace⒧3⒜+2: each player draws a card.⒜−1: target player draws a card.Ⓔ",
        "Ⓢdelver of secrets⒞Ⓤ⒭C⒨transform⒯creature:human wizard⒫1/1⒜at the beginning of your upkeep, look.⒝insectile aberration⒞⒯creature:human insect⒫3/2⒜flyingⒺ",
        "Ⓢfire⒞①Ⓡ⒭U⒨split⒯instant⒜Ⓝ deals 2 damage.⒝ice⒞①Ⓤ⒯instant⒜tap target permanent.⒜draw a card.Ⓔ",
        "Ⓢgrizzly bears⒞①Ⓖ⒭C⒯creature:bear⒫2/2Ⓔ",
    ];

    #[test]
    fn text_first_writes_the_name_and_cost_after_the_text_and_gives_the_line_back() {
        let tf = FieldOrder::TextFirst;
        assert_eq!(
            tf.from_printed(LINES[0]),
            "Ⓢ⒭U⒯creature:angel⒜flying⒜when Ⓝ enters the battlefield, you gain 3 life.⒫3/3⒞④Ⓦ⒩angel of mercyⒺ"
        );
        assert_eq!(
            tf.from_printed(LINES[3]),
            "Ⓢ⒭C⒨transform⒯creature:human wizard⒜at the beginning of your upkeep, look.⒫1/1⒞Ⓤ⒩delver of secrets\
             ⒝⒯creature:human insect⒜flying⒫3/2⒞⒩insectile aberrationⒺ"
        );
        assert_eq!(
            tf.from_printed(LINES[5]),
            "Ⓢ⒭C⒯creature:bear⒫2/2⒞①Ⓖ⒩grizzly bearsⒺ"
        );
        for line in LINES {
            let text_first = tf.from_printed(line);
            assert_eq!(
                text_first.chars().count(),
                line.chars().count() + line.matches(FACE).count() + 1
            );
            assert_eq!(tf.to_printed(&text_first), line);
            assert_eq!(FieldOrder::Printed.to_printed(line), line);
            assert_eq!(FieldOrder::Printed.from_printed(line), line);
        }
    }

    #[test]
    fn broken_lines_stay_broken_in_the_printed_order() {
        let tf = FieldOrder::TextFirst;
        // No name: an empty one, which the decoder rejects.
        assert_eq!(
            tf.to_printed("Ⓢ⒭C⒯instant⒜draw a card.⒞Ⓤ"),
            "Ⓢ⒞Ⓤ⒭C⒯instant⒜draw a card."
        );
        // Two names: the second stays in the name with its marker.
        assert_eq!(
            tf.to_printed("Ⓢ⒭C⒯instant⒜draw a card.⒞Ⓤ⒩ponder⒩againⒺ"),
            "Ⓢponder⒩again⒞Ⓤ⒭C⒯instant⒜draw a card.Ⓔ"
        );
        // Stray text before the first marker follows the name, marked.
        assert_eq!(tf.to_printed("Ⓢoops⒭C⒯instant⒞⒩xⒺ"), "Ⓢx⒩oops⒞⒭C⒯instantⒺ");
        // A line cut short: no end symbol is made up.
        assert_eq!(tf.to_printed("Ⓢ⒭C⒯inst"), "Ⓢ⒭C⒯inst");
    }

    #[test]
    fn the_order_is_told_by_the_vocabulary_and_by_the_lines() {
        assert_eq!(
            FieldOrder::for_vocabulary(&['a', COST]),
            FieldOrder::Printed
        );
        assert_eq!(
            FieldOrder::for_vocabulary(&['a', NAME_FIELD]),
            FieldOrder::TextFirst
        );
        assert_eq!(FieldOrder::for_lines(&LINES), FieldOrder::Printed);
        let tf: Vec<String> = LINES
            .iter()
            .map(|l| FieldOrder::TextFirst.from_printed(l))
            .collect();
        assert_eq!(FieldOrder::for_lines(&tf), FieldOrder::TextFirst);
        assert_eq!(
            FieldOrder::lines_in_printed_order(tf),
            LINES.map(String::from).to_vec()
        );
        assert_eq!("text-first".parse(), Ok(FieldOrder::TextFirst));
        assert_eq!(FieldOrder::TextFirst.to_string(), "text-first");
        assert!("name-last"
            .parse::<FieldOrder>()
            .unwrap_err()
            .contains("printed or text-first"));
    }
}
