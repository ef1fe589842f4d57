//! Printing decoded cards as Oracle text prints them. The encodings are lower case
//! (the seed lower-cased everything but the cost); a decoded card gets its capitals
//! back here: the name (`Angel of Mercy`), the type line (`Creature — Human
//! Soldier`), sentence starts in the rules text, the card's own name and the names of
//! its other faces, its own subtypes and the basic land types where the text names
//! them, and mana symbols (`{W/U}`). What cannot be restored is listed in
//! `docs/encoding.md`: other cards' names, creature types the card itself does not
//! have, and words Oracle capitalises mid-sentence for other reasons.

use std::sync::OnceLock;

use regex::Regex;

/// Small words that stay lower-case inside a card name (`Angel of Mercy`).
const SMALL_WORDS: [&str; 17] = [
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or",
    "the", "to", "with",
];

/// Basic land types, capitalised wherever rules text names them.
const BASIC_LAND_TYPES: [&str; 5] = ["plains", "island", "swamp", "mountain", "forest"];

/// Capitalises a lower-cased name as printed names are: every word, except small
/// words after the first, and parts after a hyphen likewise (`Will-o'-the-Wisp`).
/// Unlike Python's `str.title()`, nothing after an apostrophe is capitalised.
pub fn capitalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut first_word = true;
    for (i, word) in name.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        for (j, part) in word.split('-').enumerate() {
            if j > 0 {
                out.push('-');
            }
            let small = SMALL_WORDS.contains(&part) || part == "o'";
            if part.is_empty() || (small && !first_word) {
                out.push_str(part);
            } else {
                out.push_str(&capitalize_word(part));
            }
            if !part.is_empty() {
                first_word = false;
            }
        }
    }
    out
}

/// The first character upper-cased.
pub fn capitalize_word(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `Legendary Creature — Human Soldier` from the type words and subtypes as written.
pub fn oracle_type_line(type_words: &str, subtype_words: &str) -> String {
    let types: Vec<String> = type_words.split_whitespace().map(capitalize_word).collect();
    let subtypes: Vec<String> = subtype_words
        .split_whitespace()
        .map(capitalize_word)
        .collect();
    if subtypes.is_empty() {
        types.join(" ")
    } else {
        format!("{} — {}", types.join(" "), subtypes.join(" "))
    }
}

/// Rules text (mana symbols already in braces, the card's name still `name_mark`) with
/// Oracle's capitals: sentence starts (an ability's start, after `. `, `: `, `• `,
/// `— ` and an opening quote), the words in `proper` (subtypes, other faces' names,
/// lower case), basic land types, and every mana symbol's letters.
pub fn oracle_text(text: &str, name_mark: char, proper: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut capital_next = true;
    let mut in_braces = false;
    let mut previous = ' ';
    for c in text.chars() {
        if in_braces {
            out.extend(c.to_uppercase());
            in_braces = c != '}';
        } else if c == '{' {
            in_braces = true;
            out.push(c);
        } else if c == name_mark {
            capital_next = false;
            out.push(c);
        } else if c.is_alphabetic() {
            if capital_next {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            capital_next = false;
        } else {
            if c.is_ascii_digit() {
                capital_next = false;
            }
            if c == ' ' && matches!(previous, '.' | ':' | '•' | '—' | '!' | '?') {
                capital_next = true;
            }
            if c == '"' && previous == ' ' {
                capital_next = true;
            }
            out.push(c);
        }
        previous = c;
    }
    chapter_numerals(&capitalize_words(&out, proper))
}

/// A saga's chapter numbers in capitals: at the start of a chapter ability
/// (`III — ...`, `I, II — ...`) and in its reminder (`sacrifice after III.`).
/// Lower-case `i` and `v` are no English words of rules text, but only these
/// two places are changed.
fn chapter_numerals(text: &str) -> String {
    static CHAPTERS: OnceLock<Regex> = OnceLock::new();
    static AFTER: OnceLock<Regex> = OnceLock::new();
    let chapters = CHAPTERS.get_or_init(|| {
        Regex::new(r"(?mi)^(?:(?:i{1,3}|iv|vi{0,3}|ix|x)(?:, )?)+ —").expect("valid regex")
    });
    let after = AFTER.get_or_init(|| {
        Regex::new(r"\b([Aa]fter )(i{1,3}|iv|vi{0,3}|ix|x)([.)])").expect("valid regex")
    });
    let text = chapters.replace_all(text, |c: &regex::Captures| c[0].to_uppercase());
    after
        .replace_all(&text, |c: &regex::Captures| {
            format!("{}{}{}", &c[1], c[2].to_uppercase(), &c[3])
        })
        .into_owned()
}

/// Capitalises whole-word occurrences of each (lower-case) phrase in `proper` and of
/// the basic land types.
fn capitalize_words(text: &str, proper: &[String]) -> String {
    let mut out = text.to_owned();
    let phrases = proper
        .iter()
        .map(String::as_str)
        .chain(BASIC_LAND_TYPES)
        .filter(|p| !p.is_empty());
    for phrase in phrases {
        let mut result = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(at) = rest.find(phrase) {
            let before = rest[..at].chars().next_back();
            let after = rest[at + phrase.len()..].chars().next();
            let whole = !before.is_some_and(char::is_alphanumeric)
                && !after.is_some_and(|c| c.is_alphanumeric() && c != 's');
            result.push_str(&rest[..at]);
            if whole {
                result.push_str(&capitalize_name(phrase));
            } else {
                result.push_str(&rest[at..at + phrase.len()]);
            }
            rest = &rest[at + phrase.len()..];
        }
        result.push_str(rest);
        out = result;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_capitalised_like_cards_not_like_title() {
        assert_eq!(capitalize_name("ancestor's chosen"), "Ancestor's Chosen");
        assert_eq!(capitalize_name("will-o'-the-wisp"), "Will-o'-the-Wisp");
        assert_eq!(capitalize_name("the abyss"), "The Abyss");
        assert_eq!(
            capitalize_name("sword of fire and ice"),
            "Sword of Fire and Ice"
        );
    }

    #[test]
    fn saga_chapters_are_roman_capitals() {
        let text = "(as this saga enters and after your draw step, add a lore counter. sacrifice after iii.)\ni — each opponent discards a card.\nii, iii — draw a card.\niv — it is i.";
        assert_eq!(
            oracle_text(text, 'Ⓝ', &["saga".to_owned()]),
            "(As this Saga enters and after your draw step, add a lore counter. Sacrifice after III.)\nI — Each opponent discards a card.\nII, III — Draw a card.\nIV — It is i."
        );
        // Not a chapter's start nor after "after": unchanged.
        assert_eq!(oracle_text("it is iii or v.", 'Ⓝ', &[]), "It is iii or v.");
    }

    #[test]
    fn type_lines_print_with_a_dash() {
        assert_eq!(
            oracle_type_line("legendary creature", "human soldier"),
            "Legendary Creature — Human Soldier"
        );
        assert_eq!(oracle_type_line("instant", ""), "Instant");
    }

    #[test]
    fn sentences_symbols_and_proper_words() {
        let proper = vec!["goblin".to_owned()];
        assert_eq!(
            oracle_text("{t}: add {g}. draw a card.", 'Ⓝ', &proper),
            "{T}: Add {G}. Draw a card."
        );
        assert_eq!(
            oracle_text("flying, first strike", 'Ⓝ', &proper),
            "Flying, first strike"
        );
        assert_eq!(
            oracle_text("Ⓝ deals 2 damage to each goblin and goblins.", 'Ⓝ', &proper),
            "Ⓝ deals 2 damage to each Goblin and Goblins."
        );
        assert_eq!(
            oracle_text(
                "+1: target forest becomes {w/u}. it's a hobgoblin",
                'Ⓝ',
                &proper
            ),
            "+1: Target Forest becomes {W/U}. It's a hobgoblin"
        );
        assert_eq!(
            oracle_text("choose one —\n• draw", 'Ⓝ', &[]),
            "Choose one —\n• Draw"
        );
        assert_eq!(
            oracle_text("it gains \"↷: draw.\"", 'Ⓝ', &[]),
            "It gains \"↷: Draw.\""
        );
    }
}
