//! An encoded line back into a card (the seed's decode notebook, section 5 of the
//! spec, extended to the full encoding of `docs/encoding.md`), plus what the seed
//! never did: a verdict on whether the line is a well-formed card, with the reasons
//! when it is not. Names, types and rules text come back with Oracle's capitals
//! ([`crate::casing`]); the encoded line itself stays lower case.

use serde::Serialize;

pub use crate::casing::capitalize_name;
use crate::casing::{capitalize_word, oracle_text, oracle_type_line};
use crate::full::FullCard;
use crate::markers::{
    ABILITY, COST, DEFENSE, END, FACE, FLAVOR, LAYOUT, LOYALTY, MULTI_PART_LAYOUTS, NAME,
    POWER_TOUGHNESS, RARITY, START, TAP, TYPE,
};
use crate::source::SourceCard;

/// Which encoding's rules judge a line. The full encoding asks more of a card
/// (a planeswalker needs its loyalty, a battle its defense); the seed's lines never
/// carry those, so they are judged by the seed's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rules {
    Seed,
    #[default]
    Full,
}

/// The markers only the full encoding writes: a vocabulary or a corpus with any of
/// them is judged by the full encoding's rules.
const FULL_ONLY_MARKERS: [char; 5] = [LAYOUT, LOYALTY, DEFENSE, FACE, FLAVOR];

impl Rules {
    /// The rules for a model's vocabulary: the full encoding's when it knows any of
    /// the full encoding's markers.
    pub fn for_vocabulary(vocabulary: &[char]) -> Rules {
        if vocabulary.iter().any(|c| FULL_ONLY_MARKERS.contains(c)) {
            Rules::Full
        } else {
            Rules::Seed
        }
    }

    /// The rules for a set of lines: the full encoding's when any line carries one
    /// of its markers (a corpus of the seed's encoding never does).
    pub fn for_lines<S: AsRef<str>>(lines: &[S]) -> Rules {
        if lines.iter().any(|line| {
            line.as_ref()
                .chars()
                .any(|c| FULL_ONLY_MARKERS.contains(&c))
        }) {
            Rules::Full
        } else {
            Rules::Seed
        }
    }
}

/// One face of a decoded card (most cards have one).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Face {
    /// The name capitalised as a printed card's would be (`Angel of Mercy`).
    pub name: String,
    /// Mana cost in `{2}{W}` notation; empty for a card without one (a land).
    pub cost: String,
    /// Type line as Oracle prints it: `Creature — Angel`.
    #[serde(rename = "type")]
    pub type_line: String,
    /// Abilities with Oracle's capitals, `Ⓝ` replaced by the name, mana symbols in `{W}` form.
    pub abil: Vec<String>,
    /// `power/toughness`, empty unless the face is a creature (or a vehicle).
    pub pt: String,
    pub loyalty: Option<String>,
    pub defense: Option<String>,
    pub flavor: Option<String>,
    /// The cost as encoded (`④Ⓦ`).
    pub cost_symbols: String,
    /// The cost's symbols without braces, in order (`["4", "W"]`).
    pub mana_symbols: Vec<String>,
    /// Colours of the cost, in WUBRG order (`["W"]`).
    pub colors: Vec<String>,
    /// Mana value of the cost (`X` counts 0).
    pub mana_value: u32,
    pub supertypes: Vec<String>,
    pub types: Vec<String>,
    pub subtypes: Vec<String>,
    pub power: Option<String>,
    pub toughness: Option<String>,
    /// The type words as encoded, in their written order (`artifact creature`).
    #[serde(skip)]
    pub encoded_types: String,
}

/// A decoded card. The first six fields are the seed's dict (`name cost rare type abil
/// pt`) for the front face; then structured views of the same face, the card's
/// layout and faces, and the verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    /// The front face's name, capitalised (`Angel of Mercy`).
    pub name: String,
    /// The front face's mana cost in `{2}{W}` notation.
    pub cost: String,
    /// Rarity word (`common`, `mythic`, ...; `unknown` for another letter).
    pub rare: String,
    /// The front face's type line as Oracle prints it: `Creature — Angel`.
    #[serde(rename = "type")]
    pub type_line: String,
    /// The front face's abilities, Oracle-cased, `Ⓝ` replaced by the name.
    pub abil: Vec<String>,
    /// The front face's `power/toughness`, empty unless it is a creature.
    pub pt: String,

    /// The front face's cost as encoded (`④Ⓦ`).
    pub cost_symbols: String,
    pub mana_symbols: Vec<String>,
    /// Colours of every face's cost, in WUBRG order.
    pub colors: Vec<String>,
    /// Mana value of the front face's cost (`X` counts 0).
    pub mana_value: u32,
    /// The rarity letter as written.
    pub rarity_letter: String,
    pub supertypes: Vec<String>,
    pub types: Vec<String>,
    pub subtypes: Vec<String>,
    pub power: Option<String>,
    pub toughness: Option<String>,
    /// The front face's starting loyalty (planeswalkers).
    pub loyalty: Option<String>,
    /// The front face's defense (battles).
    pub defense: Option<String>,
    /// `normal` for a one-part card, else the multi-part layout (`transform`, `split`, ...).
    pub layout: String,
    /// Every face in printed order; `faces[0]` is the front face shown above.
    pub faces: Vec<Face>,
    /// True when `problems` is empty.
    pub well_formed: bool,
    /// Why the line is not a well-formed card, one reason each.
    pub problems: Vec<String>,
}

impl Card {
    /// The front face as a source card again, so that
    /// [`crate::encode::encode_unfiltered`] gives back the seed line it was decoded from.
    pub fn to_source(&self) -> SourceCard {
        face_to_source(&self.faces[0], Some(&self.rarity_letter))
    }

    /// The whole card as the full encoding's input again, so that
    /// [`crate::full::encode_full`] gives back the line it was decoded from.
    pub fn to_full_card(&self) -> FullCard {
        let layout = MULTI_PART_LAYOUTS
            .iter()
            .copied()
            .find(|l| *l == self.layout);
        FullCard {
            faces: self
                .faces
                .iter()
                .enumerate()
                .map(|(i, face)| face_to_source(face, (i == 0).then_some(&self.rarity_letter)))
                .collect(),
            layout,
        }
    }
}

fn face_to_source(face: &Face, rarity: Option<&String>) -> SourceCard {
    SourceCard {
        name: Some(face.name.clone()),
        layout: Some("normal".to_owned()),
        types: Some(
            face.encoded_types
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
        ),
        subtypes: face.subtypes.clone(),
        mana_cost: (!face.cost.is_empty()).then(|| face.cost.clone()),
        rarity: rarity.cloned(),
        text: Some(face.abil.join("\n")),
        power: face.power.clone(),
        toughness: face.toughness.clone(),
        loyalty: face.loyalty.clone(),
        defense: face.defense.clone(),
        flavor: face.flavor.clone(),
        ..SourceCard::default()
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

/// Field markers inside a face, and their order.
fn rank(marker: char) -> u8 {
    match marker {
        COST => 0,
        RARITY => 1,
        LAYOUT => 2,
        TYPE => 3,
        POWER_TOUGHNESS => 4,
        LOYALTY => 5,
        DEFENSE => 6,
        ABILITY => 7,
        _ => 8,
    }
}

const FACE_MARKERS: [char; 9] = [
    COST,
    RARITY,
    LAYOUT,
    TYPE,
    POWER_TOUGHNESS,
    LOYALTY,
    DEFENSE,
    ABILITY,
    FLAVOR,
];

/// A power, toughness, loyalty or defense the full encoding accepts: digits, `*`,
/// `X`, and the signs and fractions of `1+*`, `-1`, `2.5`, `½`.
fn is_stat(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .any(|c| c.is_ascii_digit() || c == '*' || c == 'x' || c == 'X' || c == '½')
        && s.chars()
            .all(|c| c.is_ascii_digit() || "*+-.xX½?∞".contains(c))
}

/// Decodes one encoded line with the full encoding's rules (see [`decode_with`]).
pub fn decode(line: &str) -> Card {
    decode_with(line, Rules::Full)
}

/// Decodes one encoded line (with or without its final `Ⓔ`) into a card, judged by
/// `rules`. Never panics: whatever the line, the result says what is wrong with it.
pub fn decode_with(line: &str, rules: Rules) -> Card {
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

    let face_texts: Vec<&str> = body.split(FACE).collect();
    let mut faces = Vec::with_capacity(face_texts.len());
    let mut rarity_letter = String::new();
    let mut rarity_seen = false;
    let mut layout_field: Option<String> = None;
    for (index, text) in face_texts.iter().enumerate() {
        let front = index == 0;
        let mut face_problems = Vec::new();
        let parsed = decode_face(text, front, rules, &mut face_problems);
        if front {
            rarity_seen = parsed.rarity.is_some();
            rarity_letter = parsed.rarity.clone().unwrap_or_default();
            layout_field = parsed.layout.clone();
        }
        let prefix = if face_texts.len() > 1 {
            format!("face {}: ", index + 1)
        } else {
            String::new()
        };
        problems.extend(face_problems.into_iter().map(|p| format!("{prefix}{p}")));
        faces.push(parsed.face);
    }

    let rare = rarity_word(&rarity_letter).to_owned();
    if rarity_seen && rare == "unknown" {
        problems.push(format!("unknown rarity letter {rarity_letter:?}"));
    }

    // The layout and the number of faces must agree.
    let layout = match &layout_field {
        None => {
            if faces.len() > 1 {
                problems.push(format!("{} faces but no layout ({LAYOUT})", faces.len()));
            }
            "normal".to_owned()
        }
        Some(layout) => {
            if !MULTI_PART_LAYOUTS.contains(&layout.as_str()) {
                problems.push(format!("unknown layout {layout:?}"));
            } else if faces.len() != 2 {
                problems.push(format!(
                    "a {layout} card needs two faces, this has {}",
                    faces.len()
                ));
            } else {
                check_layout(layout, &faces, &mut problems);
            }
            layout.clone()
        }
    };

    let front = faces[0].clone();
    let mut colors = Vec::new();
    for color in ["W", "U", "B", "R", "G"] {
        if faces.iter().any(|f| f.colors.iter().any(|c| c == color)) {
            colors.push(color.to_owned());
        }
    }
    Card {
        name: front.name.clone(),
        cost: front.cost.clone(),
        rare,
        type_line: front.type_line.clone(),
        abil: front.abil.clone(),
        pt: front.pt.clone(),
        cost_symbols: front.cost_symbols.clone(),
        mana_symbols: front.mana_symbols.clone(),
        colors,
        mana_value: front.mana_value,
        rarity_letter,
        supertypes: front.supertypes.clone(),
        types: front.types.clone(),
        subtypes: front.subtypes.clone(),
        power: front.power.clone(),
        toughness: front.toughness.clone(),
        loyalty: front.loyalty.clone(),
        defense: front.defense.clone(),
        layout,
        faces,
        well_formed: problems.is_empty(),
        problems,
    }
}

/// What each multi-part layout asks of its two faces.
fn check_layout(layout: &str, faces: &[Face], problems: &mut Vec<String>) {
    match layout {
        // Both halves are cast: each has a cost.
        "split" | "aftermath" | "adventure" => {
            for (i, face) in faces.iter().enumerate() {
                if face.cost.is_empty() {
                    problems.push(format!("face {}: a {layout} half needs a cost", i + 1));
                }
            }
        }
        // The back face is never cast (a flipped face repeats its card's cost).
        "transform" | "meld" if !faces[1].cost.is_empty() => {
            problems.push(format!("face 2: the {layout} back face has a cost"));
        }
        _ => {}
    }
    if layout == "adventure"
        && !faces[1]
            .types
            .iter()
            .any(|t| t == "Instant" || t == "Sorcery")
    {
        problems.push("face 2: an adventure is an instant or sorcery".to_owned());
    }
}

/// A face and the card-level fields its text held (front face only).
struct ParsedFace {
    face: Face,
    rarity: Option<String>,
    layout: Option<String>,
}

fn decode_face(text: &str, front: bool, rules: Rules, problems: &mut Vec<String>) -> ParsedFace {
    // A break before each field marker; the first piece is the name.
    let mut pieces: Vec<(Option<char>, String)> = vec![(None, String::new())];
    for c in text.chars() {
        if FACE_MARKERS.contains(&c) {
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

    let markers: Vec<char> = pieces.iter().skip(1).filter_map(|(m, _)| *m).collect();
    let count = |marker: char| markers.iter().filter(|&&m| m == marker).count();
    let mut required = vec![(COST, "cost"), (TYPE, "type")];
    if front {
        required.insert(1, (RARITY, "rarity"));
    }
    for (marker, label) in required {
        match count(marker) {
            0 => problems.push(format!("missing {label} field ({marker})")),
            1 => {}
            n => problems.push(format!("{label} field ({marker}) repeated {n} times")),
        }
    }
    for (marker, label) in [
        (POWER_TOUGHNESS, "P/T"),
        (LOYALTY, "loyalty"),
        (DEFENSE, "defense"),
        (LAYOUT, "layout"),
        (FLAVOR, "flavor"),
    ] {
        let n = count(marker);
        if n > 1 {
            problems.push(format!("{label} field ({marker}) repeated {n} times"));
        }
    }
    if !front {
        for (marker, label) in [(RARITY, "rarity"), (LAYOUT, "layout")] {
            if count(marker) > 0 {
                problems.push(format!("{label} ({marker}) on a face after the first"));
            }
        }
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

    // Type.
    let type_field = field(TYPE).unwrap_or_default();
    let (type_words, subtype_words) = match type_field.split_once(':') {
        Some((types, subtypes)) => (types, subtypes),
        None => (type_field, ""),
    };
    let type_line = oracle_type_line(&type_words.replace(NAME, &name), subtype_words);
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
    // Vehicles (and spacecraft) print a P/T without being creatures until crewed.
    let is_creature = types.iter().any(|t| t == "Creature");
    let has_pt = is_creature || subtypes.iter().any(|t| t == "Vehicle" || t == "Spacecraft");

    // Power and toughness.
    let (mut power, mut toughness) = (None, None);
    if let Some(pt_field) = field(POWER_TOUGHNESS) {
        let stat_ok = |s: &str| match rules {
            Rules::Seed => is_number(s),
            Rules::Full => is_stat(s),
        };
        match pt_field.split_once('/') {
            Some((p, t)) if stat_ok(p) && stat_ok(t) => {
                power = Some(p.to_uppercase());
                toughness = Some(t.to_uppercase());
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

    // Loyalty and defense (full encoding).
    let is_planeswalker = types.iter().any(|t| t == "Planeswalker");
    let loyalty = field(LOYALTY).map(str::to_uppercase);
    if let Some(l) = &loyalty {
        if !is_stat(l) {
            problems.push(format!("malformed loyalty {l:?}"));
        }
        if !is_planeswalker {
            problems.push("loyalty on a non-planeswalker".to_owned());
        }
    } else if is_planeswalker && front && rules == Rules::Full {
        // A transformed planeswalker keeps the loyalty it had: back faces print none.
        problems.push("planeswalker without loyalty".to_owned());
    }
    let is_battle = types.iter().any(|t| t == "Battle");
    let defense = field(DEFENSE).map(str::to_uppercase);
    if let Some(d) = &defense {
        if !is_stat(d) {
            problems.push(format!("malformed defense {d:?}"));
        }
        if !is_battle {
            problems.push("defense on a non-battle".to_owned());
        }
    } else if is_battle && rules == Rules::Full {
        problems.push("battle without defense".to_owned());
    }

    // Abilities: Oracle's capitals, then the name; ` x ` shown as ` X `, as the seed did.
    let mut proper: Vec<String> = subtype_words
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    proper.retain(|w| w.len() > 2);
    let abil: Vec<String> = pieces
        .iter()
        .filter(|(m, _)| *m == Some(ABILITY))
        .map(|(_, text)| {
            let braced = symbols_to_braces(text).replace(" x ", " X ");
            oracle_text(&braced, NAME, &proper).replace(NAME, &name)
        })
        .collect();
    if pieces
        .iter()
        .filter(|(m, _)| *m == Some(ABILITY))
        .any(|(_, text)| !braces_balanced(text))
    {
        problems.push("unbalanced braces in an ability".to_owned());
    }
    let flavor = field(FLAVOR).map(|f| oracle_text(f, NAME, &[]).replace(NAME, &name));

    ParsedFace {
        rarity: field(RARITY).map(str::to_owned),
        layout: field(LAYOUT).map(str::to_owned),
        face: Face {
            mana_value: mana_value(&mana_symbols),
            colors: colors(&mana_symbols),
            name,
            cost,
            type_line,
            abil,
            pt,
            loyalty,
            defense,
            flavor,
            cost_symbols,
            mana_symbols,
            supertypes,
            types,
            subtypes,
            power,
            toughness,
            encoded_types: type_words.to_owned(),
        },
    }
}

/// The seed's printed layout: name, cost, rarity, type, each ability, P/T; one a
/// line. The full encoding adds `Loyalty: 3`, `Defense: 4` and flavor (in quotes
/// marks: `Flavor: ...`), leaves out an empty cost, and prints each further face
/// after a line `// layout`.
pub fn render_text(card: &Card) -> String {
    let mut lines = Vec::new();
    for (index, face) in card.faces.iter().enumerate() {
        if index > 0 {
            lines.push(format!("// {}", card.layout));
        }
        lines.push(face.name.clone());
        if !face.cost.is_empty() {
            lines.push(face.cost.clone());
        }
        if index == 0 {
            lines.push(card.rare.clone());
        }
        lines.push(face.type_line.clone());
        lines.extend(face.abil.iter().filter(|a| !a.is_empty()).cloned());
        if !face.pt.is_empty() {
            lines.push(face.pt.clone());
        }
        if let Some(loyalty) = &face.loyalty {
            lines.push(format!("Loyalty: {loyalty}"));
        }
        if let Some(defense) = &face.defense {
            lines.push(format!("Defense: {defense}"));
        }
        if let Some(flavor) = &face.flavor {
            lines.push(format!("Flavor: {flavor}"));
        }
    }
    // No blank line inside a card and none of the encoding's characters, whatever
    // the model wrote.
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

/// The mana value of a cost's symbols: a number its amount, X, Y and Z
/// nothing, any other symbol one (a hybrid `2/W` two), summed saturating.
pub(crate) fn mana_value(symbols: &[String]) -> u32 {
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

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
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
        assert_eq!(card.type_line, "Creature — Angel");
        assert_eq!(card.layout, "normal");
        assert_eq!(card.faces.len(), 1);
        assert_eq!(card.types, vec!["Creature"]);
        assert_eq!(card.subtypes, vec!["Angel"]);
        assert_eq!(card.pt, "3/3");
        assert_eq!(
            card.abil,
            vec![
                "Flying",
                "When Angel of Mercy enters the battlefield, you gain 3 life."
            ]
        );
        assert_eq!(
            render_text(&card),
            "Angel of Mercy\n{4}{W}\nuncommon\nCreature — Angel\nFlying\nWhen Angel of Mercy enters the battlefield, you gain 3 life.\n3/3\n"
        );
    }

    #[test]
    fn decodes_every_new_field_and_both_faces() {
        let line = "Ⓢdelver of secrets⒞Ⓤ⒭C⒨transform⒯creature:human wizard⒫1/1⒜at the beginning of your upkeep, you may reveal it.⒝insectile aberration⒞⒯creature:human insect⒫3/2⒜flyingⒺ";
        let card = decode(line);
        assert!(card.well_formed, "{:?}", card.problems);
        assert_eq!(card.layout, "transform");
        assert_eq!(card.faces.len(), 2);
        assert_eq!(card.faces[1].name, "Insectile Aberration");
        assert_eq!(card.faces[1].type_line, "Creature — Human Insect");
        assert_eq!(card.faces[1].cost, "");
        assert_eq!(card.faces[1].abil, vec!["Flying"]);
        assert_eq!(card.colors, vec!["U"]);
        assert_eq!(
            render_text(&card),
            "Delver of Secrets\n{U}\ncommon\nCreature — Human Wizard\nAt the beginning of your upkeep, you may reveal it.\n1/1\n// transform\nInsectile Aberration\nCreature — Human Insect\nFlying\n3/2\n"
        );
        let again = crate::full::encode_full(&card.to_full_card(), &Default::default());
        assert_eq!(again, line);

        let jace = decode(
            "Ⓢjace beleren⒞①ⓊⓊ⒭M⒯planeswalker:jace⒧3⒜+2: each player draws a card.⒡flavor!Ⓔ",
        );
        assert!(jace.well_formed, "{:?}", jace.problems);
        assert_eq!(jace.loyalty.as_deref(), Some("3"));
        assert_eq!(jace.abil, vec!["+2: Each player draws a card."]);
        assert_eq!(jace.faces[0].flavor.as_deref(), Some("Flavor!"));
        assert!(render_text(&jace).contains("Loyalty: 3\n"));
        let goyf = decode("Ⓢtarmogoyf⒞①Ⓖ⒭R⒯creature:lhurgoyf⒫*/1+*⒜xⒺ");
        assert!(goyf.well_formed, "{:?}", goyf.problems);
        assert_eq!(goyf.pt, "*/1+*");
        let land = decode("Ⓢforest⒞⒭B⒯land:forest⒜Ⓔ");
        assert!(land.well_formed, "{:?}", land.problems);
        assert_eq!(land.cost, "");
        assert_eq!(render_text(&land), "Forest\nbasic land\nLand — Forest\n");
        let finks = decode("Ⓢkitchen finks⒞①{G/W}{G/W}⒭U⒯creature:ouphe⒫3/2⒜persistⒺ");
        assert!(finks.well_formed, "{:?}", finks.problems);
        assert_eq!(finks.cost, "{1}{G/W}{G/W}");
        assert_eq!(finks.colors, vec!["W", "G"]);
        assert_eq!(finks.mana_value, 3);
        let battle = decode("Ⓢinvasion of tarkir⒞①Ⓡ⒭U⒨transform⒯battle:siege⒟5⒜x⒝defiant thundermaw⒞⒯creature:dragon⒫4/4⒜flyingⒺ");
        assert!(battle.well_formed, "{:?}", battle.problems);
        assert_eq!(battle.defense.as_deref(), Some("5"));
    }

    #[test]
    fn vocabulary_says_which_rules() {
        assert_eq!(Rules::for_vocabulary(&['a', COST]), Rules::Seed);
        assert_eq!(Rules::for_vocabulary(&['a', LOYALTY]), Rules::Full);
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
        assert!(has("Ⓢa⒞Ⓦ⒭C⒯creature⒫q/1⒜xⒺ", "malformed P/T"));
        let seed = |line: &str| decode_with(line, Rules::Seed).problems.join("; ");
        assert!(seed("Ⓢa⒞Ⓦ⒭C⒯creature⒫*/1⒜xⒺ").contains("malformed P/T"));
        assert!(has(
            "Ⓢa⒞Ⓦ⒭C⒯planeswalker:jace⒜xⒺ",
            "planeswalker without loyalty"
        ));
        assert_eq!(seed("Ⓢa⒞Ⓦ⒭C⒯planeswalker:jace⒜xⒺ"), "");
        assert!(has("Ⓢa⒞Ⓦ⒭C⒯instant⒧3⒜xⒺ", "loyalty on a non-planeswalker"));
        assert!(has("Ⓢa⒞Ⓦ⒭C⒯battle:siege⒜xⒺ", "battle without defense"));
        assert!(has("Ⓢa⒞Ⓦ⒭C⒯instant⒟3⒜xⒺ", "defense on a non-battle"));
        assert!(has("Ⓢa⒞Ⓦ⒭C⒨transform⒯instant⒜xⒺ", "needs two faces"));
        assert!(has("Ⓢa⒞Ⓦ⒭C⒯instant⒜x⒝b⒞⒯instant⒜yⒺ", "no layout"));
        assert!(has(
            "Ⓢa⒞Ⓦ⒭C⒨sideways⒯instant⒜x⒝b⒞⒯instant⒜yⒺ",
            "unknown layout"
        ));
        assert!(has("Ⓢa⒞Ⓦ⒭C⒨split⒯instant⒜x⒝b⒞⒯instant⒜yⒺ", "needs a cost"));
        assert!(has(
            "Ⓢa⒞Ⓦ⒭C⒨transform⒯instant⒜x⒝b⒞Ⓦ⒯instant⒜yⒺ",
            "back face has a cost"
        ));
        assert!(has(
            "Ⓢa⒞Ⓦ⒭C⒨adventure⒯instant⒜x⒝b⒞Ⓦ⒯creature⒫1/1⒜yⒺ",
            "instant or sorcery"
        ));
        assert!(has(
            "Ⓢa⒞Ⓦ⒭C⒨transform⒯instant⒜x⒝b⒞⒭C⒯instant⒜yⒺ",
            "face 2: rarity"
        ));
        assert!(has("Ⓢa⒞Ⓦ⒭C⒯instant⒜x⒧3Ⓔ", "out of order"));
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
            "Dross Crocodile\n{3}{B}\ncommon\nCreature — Zombie Crocodile\n5/1\n"
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
