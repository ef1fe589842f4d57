//! The one rule for text that enters a corpus or a vocabulary: no control characters,
//! and none of the encoding's reserved symbols where they would mean something else.
//!
//! A card carrying them is dropped and counted (`stats.json`, `dropped`), not
//! cleaned: a NUL or an ESC inside a name is a sign of corrupt data, and a name with
//! the character silently removed is a card that never existed; a marker such as `⒞`
//! inside a name would make the line decode as a different card. Dropping keeps the
//! corpus to cards as printed, and the count says how many were lost and why.

use std::borrow::Cow;

use crate::markers::{ABILITY, COST, END, NAME, POWER_TOUGHNESS, RARITY, START, TAP, TYPE};
use crate::source::SourceCard;

/// `stats.json` key for cards dropped for a control character.
pub const CONTROL_CHARACTER: &str = "control_character";
/// `stats.json` key for cards dropped for one of the encoding's reserved symbols.
pub const RESERVED_SYMBOL: &str = "reserved_symbol";

/// The characters the encoding gives a meaning: markers, the name and tap stand-ins,
/// and the one-character mana symbols. Card data never carries them.
pub const RESERVED: [char; 36] = [
    START,
    END,
    COST,
    RARITY,
    TYPE,
    POWER_TOUGHNESS,
    ABILITY,
    NAME,
    TAP,
    'Ⓦ',
    'Ⓤ',
    'Ⓑ',
    'Ⓡ',
    'Ⓖ',
    'Ⓒ',
    'Ⓧ',
    '①',
    '②',
    '③',
    '④',
    '⑤',
    '⑥',
    '⑦',
    '⑧',
    '⑨',
    '⑩',
    '⑪',
    '⑫',
    '⑬',
    '⑭',
    '⑮',
    '⑯',
    '⑰',
    '⑱',
    '⑲',
    '⑳',
];

/// Whether `c` is a control character (Unicode category Cc: C0, DEL, C1).
pub fn is_control(c: char) -> bool {
    c.is_control()
}

/// Whether `c` is one of the encoding's reserved symbols.
pub fn is_reserved(c: char) -> bool {
    RESERVED.contains(&c)
}

/// Why a source card breaks the rule: the `stats.json` key and the offending field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub key: &'static str,
    pub field: &'static str,
    pub character: char,
}

/// Checks every text field of a source card. Newlines are allowed in the rules text
/// only, where they separate abilities.
pub fn check_card(card: &SourceCard) -> Result<(), Violation> {
    let single = [
        ("name", card.name.as_deref()),
        ("set_code", card.set_code.as_deref()),
        ("layout", card.layout.as_deref()),
        ("mana_cost", card.mana_cost.as_deref()),
        ("rarity", card.rarity.as_deref()),
        ("power", card.power.as_deref()),
        ("toughness", card.toughness.as_deref()),
    ];
    let lists = [
        ("supertypes", &card.supertypes),
        ("subtypes", &card.subtypes),
    ];
    let types = card.types.as_deref().unwrap_or_default();
    let fields = single
        .into_iter()
        .filter_map(|(field, value)| value.map(|v| (field, v)))
        .chain(
            lists
                .into_iter()
                .flat_map(|(field, list)| list.iter().map(move |v| (field, v.as_str()))),
        )
        .chain(types.iter().map(|v| ("types", v.as_str())));
    for (field, value) in fields {
        check_field(field, value, false)?;
    }
    if let Some(text) = card.text.as_deref() {
        check_field("text", text, true)?;
    }
    Ok(())
}

fn check_field(field: &'static str, value: &str, newlines: bool) -> Result<(), Violation> {
    for c in value.chars() {
        let key = if is_control(c) && !(newlines && c == '\n') {
            CONTROL_CHARACTER
        } else if is_reserved(c) {
            RESERVED_SYMBOL
        } else {
            continue;
        };
        return Err(Violation {
            key,
            field,
            character: c,
        });
    }
    Ok(())
}

/// Checks a record that is already a corpus line (plain text, the seed's
/// `card_texts.npy`): no control characters, and `Ⓢ`/`Ⓔ` only at its two ends,
/// since `Ⓔ` is also the padding symbol and `Ⓢ` starts the next card.
pub fn check_line(line: &str) -> Result<(), Violation> {
    let inner = line
        .strip_prefix(START)
        .and_then(|l| l.strip_suffix(END))
        .unwrap_or(line);
    for c in inner.chars() {
        let key = if is_control(c) {
            CONTROL_CHARACTER
        } else if c == START || c == END {
            RESERVED_SYMBOL
        } else {
            continue;
        };
        return Err(Violation {
            key,
            field: "line",
            character: c,
        });
    }
    Ok(())
}

/// Checks one vocabulary entry (`vocab.json`, an imported `i2c`/`c2i`): a control
/// character would let a model write raw newlines or terminal escapes.
pub fn check_vocab_character(c: char) -> Result<(), String> {
    if is_control(c) {
        Err(format!(
            "the vocabulary holds the control character {c:?}, which no card may contain"
        ))
    } else {
        Ok(())
    }
}

/// Text for a terminal: control characters other than newline written as escapes
/// (`\u{1b}`), so that a generated or decoded card cannot move the cursor, ring the
/// bell or retitle the window.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_control(c) && c != '\n') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_control(c) && c != '\n' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(name: &str, text: &str) -> SourceCard {
        SourceCard {
            name: Some(name.into()),
            text: Some(text.into()),
            ..SourceCard::default()
        }
    }

    #[test]
    fn cards_with_controls_or_markers_break_the_rule() {
        assert_eq!(check_card(&card("Grizzly Bears", "Trample\nHaste")), Ok(()));
        let v = check_card(&card("Bad\u{0}Name", "")).unwrap_err();
        assert_eq!(
            (v.key, v.field, v.character),
            (CONTROL_CHARACTER, "name", '\0')
        );
        let v = check_card(&card("Bell", "Ring\u{7}")).unwrap_err();
        assert_eq!((v.key, v.field), (CONTROL_CHARACTER, "text"));
        let v = check_card(&card("Esc\u{1b}[31m", "")).unwrap_err();
        assert_eq!(v.key, CONTROL_CHARACTER);
        let v = check_card(&card("Cost⒞Name", "")).unwrap_err();
        assert_eq!((v.key, v.character), (RESERVED_SYMBOL, '⒞'));
        let v = check_card(&card("Fine", "Flying⒜Haste")).unwrap_err();
        assert_eq!((v.key, v.field), (RESERVED_SYMBOL, "text"));
        // A newline anywhere but the rules text is a control character.
        assert_eq!(
            check_card(&card("Two\nLines", "")).unwrap_err().key,
            CONTROL_CHARACTER
        );
    }

    #[test]
    fn lines_keep_their_frame_only() {
        assert_eq!(check_line("Ⓢbears⒞②Ⓖ⒜trampleⒺ"), Ok(()));
        assert_eq!(check_line("plain words"), Ok(()));
        assert_eq!(check_line("ⓈaⒺbⒺ").unwrap_err().key, RESERVED_SYMBOL);
        assert_eq!(check_line("Ⓢa\u{1b}Ⓔ").unwrap_err().key, CONTROL_CHARACTER);
    }

    #[test]
    fn terminal_text_is_escaped() {
        assert_eq!(escape_controls("a\nb"), "a\nb");
        assert_eq!(escape_controls("a\u{1b}[2Jb\u{7}"), "a\\u{1b}[2Jb\\u{7}");
        assert_eq!(escape_controls("tab\there"), "tab\\there");
        assert!(check_vocab_character('\n').is_err());
        assert!(check_vocab_character('a').is_ok());
    }
}
