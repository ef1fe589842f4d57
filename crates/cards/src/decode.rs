//! An encoded line back into a card (the seed's decode notebook, section 5 of the
//! spec), plus what the seed never did: a verdict on whether the line is a
//! well-formed card, with the reasons when it is not.

use serde::Serialize;

use crate::markers::{ABILITY, COST, END, NAME, POWER_TOUGHNESS, RARITY, START, TAP, TYPE};
use crate::source::SourceCard;

/// A decoded card. The first six fields are the seed's dict (`name cost rare type abil
/// pt`); the rest are structured views of the same line and the verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    /// The name capitalised as a printed card's would be (`Angel of Mercy`).
    pub name: String,
    /// Mana cost in `{2}{W}` notation.
    pub cost: String,
    /// Rarity word (`common`, `mythic`, ...; `unknown` for another letter).
    pub rare: String,
    /// Type as the seed showed it: `creature: angel`.
    #[serde(rename = "type")]
    pub type_line: String,
    /// Abilities, `Ⓝ` replaced by the name and mana symbols in `{W}` form.
    pub abil: Vec<String>,
    /// `power/toughness`, empty unless the card is a creature.
    pub pt: String,

    /// The cost as the seed wrote it (`④Ⓦ`).
    pub cost_symbols: String,
    /// The cost's symbols without braces, in order (`["4", "W"]`).
    pub mana_symbols: Vec<String>,
    /// Colours of the cost, in WUBRG order (`["W"]`).
    pub colors: Vec<String>,
    /// Mana value of the cost (`X` counts 0).
    pub mana_value: u32,
    /// The rarity letter as written.
    pub rarity_letter: String,
    pub supertypes: Vec<String>,
    pub types: Vec<String>,
    pub subtypes: Vec<String>,
    pub power: Option<String>,
    pub toughness: Option<String>,
    /// True when `problems` is empty.
    pub well_formed: bool,
    /// Why the line is not a well-formed card, one reason each.
    pub problems: Vec<String>,
}

impl Card {
    /// The card as a source card again, so that [`crate::encode::encode_unfiltered`]
    /// gives back the line it was decoded from (for a well-formed seed line).
    pub fn to_source(&self) -> SourceCard {
        // The type words in their written order (supertypes may sit among types,
        // as `artifact host creature` does).
        let written = match self.type_line.split_once(": ") {
            Some((types, _)) => types,
            None => self.type_line.as_str(),
        };
        let types: Vec<String> = written.split_whitespace().map(str::to_owned).collect();
        SourceCard {
            name: Some(self.name.clone()),
            set_code: None,
            layout: Some("normal".to_owned()),
            supertypes: Vec::new(),
            types: Some(types),
            subtypes: self.subtypes.clone(),
            mana_cost: Some(self.cost.clone()),
            rarity: Some(self.rarity_letter.clone()),
            text: Some(self.abil.join("\n")),
            power: self.power.clone(),
            toughness: self.toughness.clone(),
        }
    }
}

/// Words that are supertypes when they appear in the type field.
const SUPERTYPES: [&str; 7] = [
    "basic",
    "legendary",
    "ongoing",
    "snow",
    "world",
    "elite",
    "host",
];

/// Small words that stay lower-case inside a card name (`Angel of Mercy`).
const SMALL_WORDS: [&str; 17] = [
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or",
    "the", "to", "with",
];

/// One-character mana symbols of the encoding and what they stand for.
fn symbol_meaning(c: char) -> Option<&'static str> {
    Some(match c {
        'Ⓦ' => "W",
        'Ⓤ' => "U",
        'Ⓑ' => "B",
        'Ⓡ' => "R",
        'Ⓖ' => "G",
        'Ⓒ' => "C",
        'Ⓧ' => "X",
        '①' => "1",
        '②' => "2",
        '③' => "3",
        '④' => "4",
        '⑤' => "5",
        '⑥' => "6",
        '⑦' => "7",
        '⑧' => "8",
        '⑨' => "9",
        '⑩' => "10",
        '⑪' => "11",
        '⑫' => "12",
        '⑬' => "13",
        '⑭' => "14",
        '⑮' => "15",
        '⑯' => "16",
        '⑰' => "17",
        '⑱' => "18",
        '⑲' => "19",
        '⑳' => "20",
        _ => return None,
    })
}

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
                let mut chars = part.chars();
                if let Some(c) = chars.next() {
                    out.extend(c.to_uppercase());
                    out.push_str(chars.as_str());
                }
            }
            if !part.is_empty() {
                first_word = false;
            }
        }
    }
    out
}

/// Rewrites the seed's one-character symbols in `{W}` form (`↷` as `{T}`); the seed's
/// `⑫}` (its `{12` quirk) becomes `{12}`.
pub fn symbols_to_braces(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == TAP {
            out.push_str("{T}");
        } else if let Some(meaning) = symbol_meaning(c) {
            out.push('{');
            out.push_str(meaning);
            out.push('}');
            if c == '⑫' && chars.peek() == Some(&'}') {
                chars.next();
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The cost's symbols (`["4", "W"]`), or a description of what is malformed.
fn parse_cost(cost: &str) -> Result<Vec<String>, String> {
    let mut symbols = Vec::new();
    let mut chars = cost.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(meaning) = symbol_meaning(c) {
            symbols.push(meaning.to_owned());
            if c == '⑫' && chars.peek() == Some(&'}') {
                chars.next();
            }
        } else if c == '{' {
            let mut inner = String::new();
            loop {
                match chars.next() {
                    Some('}') => break,
                    Some('{') | None => return Err("malformed cost: unbalanced braces".to_owned()),
                    Some(c) => inner.push(c),
                }
            }
            let valid = !inner.is_empty()
                && inner.split('/').all(|part| {
                    !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric())
                });
            if !valid {
                return Err(format!("malformed cost: unknown symbol {{{inner}}}"));
            }
            symbols.push(inner);
        } else if c == '}' {
            return Err("malformed cost: unbalanced braces".to_owned());
        } else {
            return Err(format!("malformed cost: {c:?} is not a mana symbol"));
        }
    }
    Ok(symbols)
}

fn mana_value(symbols: &[String]) -> u32 {
    symbols
        .iter()
        .map(|symbol| {
            if let Ok(n) = symbol.parse::<u32>() {
                n
            } else if symbol == "X" || symbol == "Y" || symbol == "Z" {
                0
            } else {
                // A coloured, colourless or hybrid symbol: one mana (2/W counts 2).
                symbol
                    .split('/')
                    .map(|part| part.parse::<u32>().unwrap_or(1))
                    .max()
                    .unwrap_or(1)
            }
        })
        .fold(0u32, u32::saturating_add)
}

fn colors(symbols: &[String]) -> Vec<String> {
    ["W", "U", "B", "R", "G"]
        .into_iter()
        .filter(|color| {
            symbols
                .iter()
                .any(|s| s.split('/').any(|part| part == *color))
        })
        .map(str::to_owned)
        .collect()
}

fn rarity_word(letter: &str) -> &'static str {
    match letter {
        "C" => "common",
        "U" => "uncommon",
        "R" => "rare",
        "M" => "mythic",
        "S" => "promo",
        "B" => "basic land",
        _ => "unknown",
    }
}

/// Braces must open and close in turn; the seed's `⑫}` is one symbol.
fn braces_balanced(text: &str) -> bool {
    let mut open = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '⑫' if chars.peek() == Some(&'}') => {
                chars.next();
            }
            '{' if open => return false,
            '{' => open = true,
            '}' if !open => return false,
            '}' => open = false,
            _ => {}
        }
    }
    !open
}

fn capitalize_word(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// Decodes one encoded line (with or without its final `Ⓔ`) into a card. Never
/// panics: whatever the line, the result says what is wrong with it.
pub fn decode(line: &str) -> Card {
    let mut problems: Vec<String> = Vec::new();
    let line = line.trim_end_matches(['\n', '\r']);

    let body = match line.strip_prefix(START) {
        Some(rest) => rest,
        None => {
            problems.push(format!("does not start with {START}"));
            line
        }
    };
    let body = match body.strip_suffix(END) {
        Some(rest) => rest,
        None => {
            problems.push(format!("does not end with {END} (cut off?)"));
            body
        }
    };
    if body.contains(START) {
        problems.push(format!("{START} inside the card"));
    }
    if body.contains(END) {
        problems.push(format!("{END} inside the card"));
    }

    // A break before each field marker; the first piece is the name.
    let mut pieces: Vec<(Option<char>, String)> = vec![(None, String::new())];
    for c in body.chars() {
        if [COST, RARITY, TYPE, POWER_TOUGHNESS, ABILITY].contains(&c) {
            pieces.push((Some(c), String::new()));
        } else if let Some(last) = pieces.last_mut() {
            last.1.push(c);
        }
    }
    let raw_name = pieces[0].1.clone();
    let name = capitalize_name(&raw_name);
    if raw_name.trim().is_empty() {
        problems.push("empty name".to_owned());
    }
    if raw_name.contains(NAME) {
        problems.push(format!("{NAME} inside the name"));
    }

    // Field order: ⒞ ⒭ ⒯ [⒫] ⒜…; each of the first four at most once.
    let rank = |m: char| match m {
        COST => 0,
        RARITY => 1,
        TYPE => 2,
        POWER_TOUGHNESS => 3,
        _ => 4,
    };
    let markers: Vec<char> = pieces.iter().skip(1).filter_map(|(m, _)| *m).collect();
    for (marker, label) in [(COST, "cost"), (RARITY, "rarity"), (TYPE, "type")] {
        match markers.iter().filter(|&&m| m == marker).count() {
            0 => problems.push(format!("missing {label} field ({marker})")),
            1 => {}
            n => problems.push(format!("{label} field ({marker}) repeated {n} times")),
        }
    }
    let pt_count = markers.iter().filter(|&&m| m == POWER_TOUGHNESS).count();
    if pt_count > 1 {
        problems.push(format!(
            "P/T field ({POWER_TOUGHNESS}) repeated {pt_count} times"
        ));
    }
    if !markers.contains(&ABILITY) {
        problems.push(format!("no ability field ({ABILITY})"));
    }
    if markers.windows(2).any(|w| rank(w[0]) > rank(w[1])) {
        problems.push("fields out of order".to_owned());
    }

    let field = |marker: char| {
        pieces
            .iter()
            .find(|(m, _)| *m == Some(marker))
            .map(|(_, text)| text.as_str())
    };
    let with_name = |text: &str| text.replace(NAME, &name);

    // Cost.
    let cost_symbols = field(COST).unwrap_or_default().to_owned();
    let mana_symbols = match parse_cost(&cost_symbols) {
        Ok(symbols) => symbols,
        Err(problem) => {
            problems.push(problem);
            Vec::new()
        }
    };
    let cost = symbols_to_braces(&cost_symbols);

    // Rarity.
    let rarity_letter = field(RARITY).unwrap_or_default().to_owned();
    let rare = rarity_word(&rarity_letter).to_owned();
    if field(RARITY).is_some() && rare == "unknown" {
        problems.push(format!("unknown rarity letter {rarity_letter:?}"));
    }

    // Type.
    let type_field = field(TYPE).unwrap_or_default();
    let (type_words, subtype_words) = match type_field.split_once(':') {
        Some((types, subtypes)) => (types, subtypes),
        None => (type_field, ""),
    };
    let type_line = with_name(type_field).replace(':', ": ").replace('·', " ");
    let mut supertypes = Vec::new();
    let mut types = Vec::new();
    for word in type_words.split_whitespace() {
        if SUPERTYPES.contains(&word) {
            supertypes.push(capitalize_word(word));
        } else {
            types.push(capitalize_word(word));
        }
    }
    let subtypes: Vec<String> = subtype_words
        .split_whitespace()
        .map(capitalize_word)
        .collect();
    if field(TYPE).is_some() && types.is_empty() {
        problems.push("empty type".to_owned());
    }
    if type_field.contains(':') && subtypes.is_empty() {
        problems.push("`:` with no subtypes".to_owned());
    }
    // Vehicles print a P/T without being creatures until crewed.
    let is_creature = types.iter().any(|t| t == "Creature");
    let has_pt = is_creature || subtypes.iter().any(|t| t == "Vehicle");

    // Power and toughness.
    let (mut power, mut toughness) = (None, None);
    if let Some(pt_field) = field(POWER_TOUGHNESS) {
        match pt_field.split_once('/') {
            Some((p, t)) if is_number(p) && is_number(t) => {
                power = Some(p.to_owned());
                toughness = Some(t.to_owned());
            }
            _ => problems.push(format!("malformed P/T {pt_field:?}")),
        }
        if !has_pt {
            problems.push("P/T on a non-creature".to_owned());
        }
    } else if is_creature {
        problems.push("creature without P/T".to_owned());
    }
    let pt = match (&power, &toughness, has_pt) {
        (Some(p), Some(t), true) => format!("{p}/{t}"),
        _ => String::new(),
    };

    // Abilities: ` x ` shown as ` X `, as the seed did.
    let abil: Vec<String> = pieces
        .iter()
        .filter(|(m, _)| *m == Some(ABILITY))
        .map(|(_, text)| symbols_to_braces(&with_name(text)).replace(" x ", " X "))
        .collect();
    if pieces
        .iter()
        .filter(|(m, _)| *m == Some(ABILITY))
        .any(|(_, text)| !braces_balanced(text))
    {
        problems.push("unbalanced braces in an ability".to_owned());
    }

    Card {
        mana_value: mana_value(&mana_symbols),
        colors: colors(&mana_symbols),
        name,
        cost,
        rare,
        type_line,
        abil,
        pt,
        cost_symbols,
        mana_symbols,
        rarity_letter,
        supertypes,
        types,
        subtypes,
        power,
        toughness,
        well_formed: problems.is_empty(),
        problems,
    }
}

/// A field as a player reads it: mana symbols in `{W}` form, and none of the
/// encoding's other characters (a name sampled as `stone fourh③Ⓖ` shows as
/// `Stone Fourh{3}{G}`, a stray `Ⓔ` or `⒜` not at all). The raw line is in the
/// JSON output for whoever needs it.
pub fn display_text(text: &str) -> String {
    symbols_to_braces(text)
        .chars()
        .filter(|&c| !('\u{2460}'..='\u{24FF}').contains(&c) && c != '·')
        .collect()
}

/// The seed's printed layout: name, cost, rarity, type, each ability, P/T; one a
/// line, with no blank line inside a card (a vanilla creature's empty ability,
/// a missing cost) and none of the encoding's characters.
pub fn render_text(card: &Card) -> String {
    let mut lines = vec![
        card.name.clone(),
        card.cost.clone(),
        card.rare.clone(),
        card.type_line.clone(),
    ];
    lines.extend(card.abil.iter().cloned());
    lines.push(card.pt.clone());
    let mut text = String::new();
    for line in lines {
        let line = display_text(&line);
        if !line.trim().is_empty() {
            text.push_str(&line);
            text.push('\n');
        }
    }
    // For a terminal: a decoded line may carry any character.
    crate::text_rule::escape_controls(&text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANGEL: &str = "Ⓢangel of mercy⒞④Ⓦ⒭U⒯creature:angel⒫3/3⒜flying⒜when Ⓝ enters the battlefield, you gain 3 life.Ⓔ";

    #[test]
    fn decodes_the_specs_example() {
        let card = decode(ANGEL);
        assert_eq!(card.problems, Vec::<String>::new());
        assert!(card.well_formed);
        assert_eq!(card.name, "Angel of Mercy");
        assert_eq!(card.cost, "{4}{W}");
        assert_eq!(card.cost_symbols, "④Ⓦ");
        assert_eq!(card.mana_symbols, vec!["4", "W"]);
        assert_eq!(card.mana_value, 5);
        assert_eq!(card.colors, vec!["W"]);
        assert_eq!(card.rare, "uncommon");
        assert_eq!(card.type_line, "creature: angel");
        assert_eq!(card.types, vec!["Creature"]);
        assert_eq!(card.subtypes, vec!["Angel"]);
        assert_eq!(card.pt, "3/3");
        assert_eq!(
            card.abil,
            vec![
                "flying",
                "when Angel of Mercy enters the battlefield, you gain 3 life."
            ]
        );
        assert_eq!(
            render_text(&card),
            "Angel of Mercy\n{4}{W}\nuncommon\ncreature: angel\nflying\nwhen Angel of Mercy enters the battlefield, you gain 3 life.\n3/3\n"
        );
    }

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
    fn symbols_and_the_twelve_quirk() {
        assert_eq!(symbols_to_braces("⑫}ⓊⓊ"), "{12}{U}{U}");
        assert_eq!(symbols_to_braces("↷: add Ⓖ."), "{T}: add {G}.");
        let card = decode("Ⓢit⒞⑫}⒭R⒯creature:eldrazi⒫11/11⒜annihilator 2Ⓔ");
        assert!(card.well_formed, "{:?}", card.problems);
        assert_eq!(card.mana_value, 12);
    }

    fn has(line: &str, problem: &str) -> bool {
        decode(line).problems.iter().any(|p| p.contains(problem))
    }

    #[test]
    fn reports_each_kind_of_problem() {
        assert!(has("Ⓢ⒞Ⓦ⒭C⒯instant⒜xⒺ", "empty name"));
        assert!(has("Ⓢa⒭C⒯instant⒜xⒺ", "missing cost"));
        assert!(has("Ⓢa⒞Ⓦ⒯instant⒜xⒺ", "missing rarity"));
        assert!(has("Ⓢa⒞Ⓦ⒭C⒜xⒺ", "missing type"));
        assert!(has("Ⓢa⒭C⒞Ⓦ⒯instant⒜xⒺ", "out of order"));
        assert!(has("Ⓢa⒞Ⓦ⒞Ⓦ⒭C⒯instant⒜xⒺ", "repeated"));
        assert!(has("Ⓢa⒞Ⓦ⒭Q⒯instant⒜xⒺ", "unknown rarity"));
        assert!(has("Ⓢa⒞Ⓦq⒭C⒯instant⒜xⒺ", "malformed cost"));
        assert!(has("Ⓢa⒞{Ⓦ⒭C⒯instant⒜xⒺ", "unbalanced braces"));
        assert!(has("Ⓢa⒞Ⓦ⒭C⒯instant⒫1/1⒜xⒺ", "non-creature"));
        assert!(has("Ⓢa⒞Ⓦ⒭C⒯creature⒜xⒺ", "without P/T"));
        assert!(has("Ⓢa⒞Ⓦ⒭C⒯creature⒫x/1⒜xⒺ", "malformed P/T"));
        assert!(has("Ⓢa⒞Ⓦ⒭C⒯instant⒜x", "does not end"));
        assert!(has("a⒞Ⓦ⒭C⒯instant⒜xⒺ", "does not start"));
        assert!(has(
            "Ⓢa⒞Ⓦ⒭C⒯instant⒜pay {1 lifeⒺ",
            "unbalanced braces in an ability"
        ));
        assert!(has("Ⓢa⒞Ⓦ⒭C⒯instantⒺ", "no ability"));
    }

    #[test]
    fn the_text_layout_has_no_blank_lines_and_no_encoding_symbols() {
        let vanilla = decode("Ⓢdross crocodile⒞③Ⓑ⒭C⒯creature:zombie crocodile⒫5/1⒜Ⓔ");
        assert_eq!(
            render_text(&vanilla),
            "Dross Crocodile\n{3}{B}\ncommon\ncreature: zombie crocodile\n5/1\n"
        );
        let trailing = decode("Ⓢbolt⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 3 damage to any target.⒜Ⓔ");
        assert!(!render_text(&trailing).contains("\n\n"));
        // A malformed name and an empty cost: symbols shown as a player writes
        // them, no blank line.
        let broken = decode("Ⓢstone fourh③ⒼⓊⒼ⒞⒭C⒯creature:golem⒫1/1⒜flyingⒺ");
        let text = render_text(&broken);
        assert!(
            text.starts_with("Stone Fourh{3}{G}{U}{G}\ncommon\n"),
            "{text}"
        );
        assert!(
            !text.chars().any(|c| ('\u{2460}'..='\u{24FF}').contains(&c)),
            "{text}"
        );
        assert_eq!(display_text("aⒺb⒜cⓃ·"), "abc");
    }

    #[test]
    fn survives_nonsense() {
        for line in ["", "Ⓔ", "Ⓢ", "⒫/", "⒞{", "Ⓢ⒫⒫⒫⒞⒞", "ⓈⓈⒺⒺ", "⒯:"]
        {
            let card = decode(line);
            assert!(!card.well_formed, "{line:?}");
        }
    }
}
