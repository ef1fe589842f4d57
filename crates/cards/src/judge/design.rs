//! Design: what a player finds wrong with a card whose words and phrases are
//! real, judged as a designer would. Two kinds of check:
//!
//! - checks of the card alone ([`design_flaws`]): an activation in a colour the
//!   card is not (on a card of two colours, or needing two colours it lacks);
//!   a noncreature that pumps itself or carries a creature keyword; crew,
//!   equip or enchant on a card of another subtype; "activate
//!   this ability only" with nothing to activate; a line that starts "It ..."
//!   with nothing for "it" to be; "have ~ enter the battlefield" in an
//!   ability of a card already there; an `{X}` nothing uses; "until end of turn" in
//!   an ability nothing starts; a `{0}` cost that buys something for nothing;
//!   a choice (a creature type, a colour) nothing uses;
//! - checks against the rates of real cards ([`RateTable`], gathered from the
//!   training cards as the phrasebook is): a creature's power plus toughness
//!   against real creatures of the same mana value and kind (vanilla, flier,
//!   other), and a vanilla creature at a rarity real vanilla creatures seldom
//!   have.
//!
//! Each is rare on real cards (`tests/design_real_cards.rs` counts them on the
//! shared corpus), so each is a flaw for the curator to avoid, not a verdict.

use std::collections::{BTreeSet, HashMap};

use crate::decode::{decode_with, Card, Rules};

/// A creature whose power plus toughness more real creatures of its kind and
/// mana value fall below than this share is off the real rate.
pub const STRONGER_SHARE: f64 = 0.98;
/// A vanilla creature that more real vanilla creatures of its mana value beat
/// than this share is off the real rate (creatures with rules text may be
/// small for their text).
pub const WEAKER_SHARE: f64 = 0.95;
/// Fewest real creatures of a kind and mana value to judge a rate against.
pub const MIN_GROUP: usize = 10;
/// A vanilla creature at a rarity that fewer real vanilla creatures have than
/// this share.
pub const RARE_VANILLA_SHARE: f64 = 0.02;

/// Keywords that only a creature uses (in combat, or as it enters): on an
/// artifact, enchantment or land that is never a creature they do nothing.
const CREATURE_KEYWORDS: [&str; 24] = [
    "flying",
    "haste",
    "vigilance",
    "trample",
    "reach",
    "defender",
    "first strike",
    "double strike",
    "menace",
    "fear",
    "intimidate",
    "shadow",
    "horsemanship",
    "prowess",
    "flanking",
    "skulk",
    "undying",
    "persist",
    "evolve",
    "islandwalk",
    "swampwalk",
    "forestwalk",
    "mountainwalk",
    "plainswalk",
];

/// How a triggered ability begins.
const TRIGGERS: [&str; 4] = ["when ", "whenever ", "at the beginning", "at end of"];

/// What starts or bounds an effect inside a sentence of a static ability.
const STARTERS: [&str; 9] = [
    "when",
    "whenever",
    "at the beginning",
    "at end of",
    "if ",
    "may ",
    "unless",
    "pay ",
    "ignore this effect",
];

/// Choices a card makes, and the words by which it uses them later.
const CHOICES: [&str; 8] = [
    "choose a creature type",
    "choose a color",
    "choose a card type",
    "choose a basic land type",
    "choose a land type",
    "choose a number",
    "choose a card name",
    "choose a nonland card name",
];
const CHOICE_USES: [&str; 11] = [
    "chosen",
    "that type",
    "that color",
    "that name",
    "named",
    "the same",
    "that number",
    "that many",
    "of that",
    "that card type",
    "that land type",
];

/// Words by which a card uses a card it chose.
const CARD_CHOICE_USES: [&str; 12] = [
    "that", "chosen", "card", "it", "those", "them", "reveal", "reveals", "put", "exile",
    "discard", "cast",
];

/// The checks, one name each (for counting them on real cards).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    OffColourActivation,
    NoncreaturePumpsItself,
    KeywordOnNoncreature,
    KeywordOfAnotherSubtype,
    RestrictionWithoutActivation,
    LeadingIt,
    EntersWhenInPlay,
    UnusedX,
    StaticUntilEndOfTurn,
    FreeActivation,
    UnusedChoice,
    AboveRate,
    BelowRate,
    RareVanilla,
    OffColourPhrase,
}

impl Check {
    pub fn name(self) -> &'static str {
        match self {
            Check::OffColourActivation => "off-colour activation",
            Check::NoncreaturePumpsItself => "noncreature pumps itself",
            Check::KeywordOnNoncreature => "creature keyword on a noncreature",
            Check::KeywordOfAnotherSubtype => "keyword of another subtype",
            Check::RestrictionWithoutActivation => "activation restriction without activation",
            Check::LeadingIt => "leading \"it\"",
            Check::EntersWhenInPlay => "enters while in play",
            Check::UnusedX => "unused X",
            Check::StaticUntilEndOfTurn => "static \"until end of turn\"",
            Check::FreeActivation => "free activation",
            Check::UnusedChoice => "unused choice",
            Check::AboveRate => "above the rate",
            Check::BelowRate => "below the rate",
            Check::RareVanilla => "rare vanilla",
            Check::OffColourPhrase => "off-colour phrase",
        }
    }
}

/// One design flaw: which check, and the reason a player reads.
#[derive(Clone, Debug, PartialEq)]
pub struct DesignFlaw {
    pub check: Check,
    pub reason: String,
}

impl DesignFlaw {
    pub(crate) fn new(check: Check, reason: String) -> Self {
        DesignFlaw { check, reason }
    }
}

/// The card's front face as the checks read it: lower case, its own name `~`.
struct View<'a> {
    card: &'a Card,
    types: Vec<String>,
    subtypes: Vec<String>,
    lines: Vec<String>,
    text: String,
}

impl<'a> View<'a> {
    fn new(card: &'a Card) -> Self {
        let name = card.name.to_lowercase();
        let lines: Vec<String> = card
            .abil
            .iter()
            .map(|a| {
                let a = a.to_lowercase();
                let a = if name.is_empty() {
                    a
                } else {
                    a.replace(name.as_str(), "~")
                };
                a.trim().to_owned()
            })
            .filter(|a| !a.is_empty())
            .collect();
        View {
            card,
            types: card.types.iter().map(|t| t.to_lowercase()).collect(),
            subtypes: card.subtypes.iter().map(|t| t.to_lowercase()).collect(),
            text: lines.join("\n"),
            lines,
        }
    }

    fn has_type(&self, t: &str) -> bool {
        self.types.iter().any(|x| x == t)
    }

    fn has_subtype(&self, t: &str) -> bool {
        self.subtypes.iter().any(|x| x == t)
    }

    fn is_spell(&self) -> bool {
        (self.has_type("instant") || self.has_type("sorcery")) && !self.has_type("creature")
    }

    /// A creature now or at times (a vehicle, a land or artifact that
    /// becomes one): power, toughness and combat keywords can mean something.
    fn can_be_creature(&self) -> bool {
        self.has_type("creature")
            || self.has_subtype("vehicle")
            || self.has_subtype("spacecraft")
            || (self.text.contains("becomes") && self.text.contains("creature"))
            || self.text.contains("is a creature")
            || self.text.contains("it's a creature")
    }

    /// What the card is, for a reason ("an Aura", "a land").
    fn kind(&self) -> &'static str {
        for (subtype, kind) in [("aura", "an Aura"), ("equipment", "an Equipment")] {
            if self.has_subtype(subtype) {
                return kind;
            }
        }
        for (t, kind) in [
            ("land", "a land"),
            ("planeswalker", "a planeswalker"),
            ("battle", "a battle"),
            ("enchantment", "an enchantment"),
            ("artifact", "an artifact"),
            ("instant", "an instant"),
            ("sorcery", "a sorcery"),
        ] {
            if self.has_type(t) {
                return kind;
            }
        }
        "a noncreature"
    }
}

/// `text` without what is quoted (an ability granted to something else) or in
/// parentheses (reminder text).
fn unquoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut quoted, mut depth) = (false, 0usize);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => depth -= 1,
            _ if !quoted && depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The cost and effect of an activated ability (not a loyalty ability, a
/// mode or a granted one); `None` for any other line.
fn activation(line: &str) -> Option<(String, String)> {
    let head = line.split('"').next().unwrap_or("");
    let (cost, _) = head.split_once(": ")?;
    let first = cost.trim_start().chars().next()?;
    if matches!(first, '•' | '+' | '−' | '-' | '0'..='9') || cost.contains("choose") {
        return None;
    }
    let effect = line[cost.len() + 2..].to_owned();
    Some((cost.trim().to_owned(), effect))
}

/// A cost or effect before `:` in the line's own text (loyalty abilities too).
fn has_cost(line: &str) -> bool {
    unquoted(line).contains(": ")
}

/// The `{...}` symbols of `text`, lower case, without braces.
fn symbols(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push(rest[open + 1..open + close].to_owned());
        rest = &rest[open + close + 1..];
    }
    out
}

fn colour_word(c: char) -> &'static str {
    match c {
        'w' => "white",
        'u' => "blue",
        'b' => "black",
        'r' => "red",
        _ => "green",
    }
}

fn colour_words(colours: &[char]) -> String {
    colours
        .iter()
        .map(|&c| colour_word(c))
        .collect::<Vec<_>>()
        .join("-")
}

/// The word `x` (a variable or `{X}`) anywhere in `text`.
fn says_x(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric()).any(|w| w == "x")
}

/// The design flaws of `card` that need no statistics, one reason each.
pub fn design_flaws(card: &Card) -> Vec<DesignFlaw> {
    let view = View::new(card);
    let mut out = Vec::new();
    off_colour(&view, &mut out);
    noncreature_as_creature(&view, &mut out);
    keyword_of_another_subtype(&view, &mut out);
    restriction_without_activation(&view, &mut out);
    leading_it(&view, &mut out);
    enters_when_in_play(&view, &mut out);
    unused_x(&view, &mut out);
    static_until_end_of_turn(&view, &mut out);
    free_activation(&view, &mut out);
    unused_choice(&view, &mut out);
    out
}

/// Every design flaw of `card`: [`design_flaws`], and the rates when a
/// [`RateTable`] is at hand.
pub fn design(card: &Card, rates: Option<&RateTable>) -> Vec<DesignFlaw> {
    let mut out = design_flaws(card);
    if let Some(table) = rates {
        out.extend(table.judge(card));
    }
    out
}

/// An activation needing a colour the card's cost lacks. Real mono-coloured
/// cards often pay one other colour (Alara's battlemages, Sedge Troll), so
/// only a card of two or more colours, or an activation needing two colours
/// the card lacks (not all five), is flagged; hybrid and Phyrexian symbols can
/// be paid otherwise, and lands and colourless cards have no colour to keep.
fn off_colour(view: &View, out: &mut Vec<DesignFlaw>) {
    let card_colours: BTreeSet<char> = view
        .card
        .colors
        .iter()
        .filter_map(|c| c.to_lowercase().chars().next())
        .collect();
    if card_colours.is_empty() || view.has_type("land") {
        return;
    }
    for line in &view.lines {
        let Some((cost, _)) = activation(line) else {
            continue;
        };
        let needed: BTreeSet<char> = symbols(&cost)
            .iter()
            .filter(|s| !s.contains('/'))
            .flat_map(|s| s.chars())
            .filter(|c| "wubrg".contains(*c))
            .collect();
        let off: Vec<char> = "wubrg"
            .chars()
            .filter(|c| needed.contains(c) && !card_colours.contains(c))
            .collect();
        if off.is_empty() || needed.len() == 5 {
            continue;
        }
        if card_colours.len() >= 2 || off.len() >= 2 {
            let ordered: Vec<char> = "wubrg"
                .chars()
                .filter(|c| card_colours.contains(c))
                .collect();
            out.push(DesignFlaw::new(
                Check::OffColourActivation,
                format!(
                    "an activation costing {} on a {} card",
                    colour_words(&off),
                    colour_words(&ordered)
                ),
            ));
            return;
        }
    }
}

/// A noncreature that pumps itself or gains or carries a creature keyword.
fn noncreature_as_creature(view: &View, out: &mut Vec<DesignFlaw>) {
    if view.can_be_creature() {
        return;
    }
    let kind = view.kind();
    // `~ gets +3/+0`, `~ gains flying`.
    let text = unquoted(&view.text);
    let mut rest = text.as_str();
    while let Some(at) = rest.find("~ ") {
        let after = &rest[at + 2..];
        let mut words = after.split_whitespace();
        let verb = words.next().unwrap_or("");
        let what = words.next().unwrap_or("").trim_end_matches(['.', ',']);
        let pump = matches!(verb, "gets" | "get")
            && what.starts_with(['+', '-', '−'])
            && what.contains('/');
        let keyword = matches!(verb, "gains" | "has")
            && CREATURE_KEYWORDS
                .iter()
                .any(|k| after[verb.len()..].trim_start().starts_with(k));
        if pump || keyword {
            let what = if pump {
                what.to_owned()
            } else {
                CREATURE_KEYWORDS
                    .iter()
                    .find(|k| after[verb.len()..].trim_start().starts_with(*k))
                    .map(|k| k.to_string())
                    .unwrap_or_default()
            };
            out.push(DesignFlaw::new(
                Check::NoncreaturePumpsItself,
                format!("{kind} that {verb} {what} itself, but it is no creature"),
            ));
            break;
        }
        rest = after;
    }
    // A keyword line: `first strike` on an enchantment (instants and sorceries
    // are the older flaws' concern).
    if view.is_spell() {
        return;
    }
    for line in &view.lines {
        if line.contains(['.', ':']) {
            continue;
        }
        if let Some(k) = line
            .split(',')
            .map(str::trim)
            .find(|item| CREATURE_KEYWORDS.contains(item))
        {
            out.push(DesignFlaw::new(
                Check::KeywordOnNoncreature,
                format!("\"{k}\" on {kind}, which is no creature"),
            ));
            return;
        }
    }
}

/// Keywords only one subtype has: crew (a Vehicle), equip (an Equipment),
/// enchant (an Aura); no real card of another has them.
fn keyword_of_another_subtype(view: &View, out: &mut Vec<DesignFlaw>) {
    for (keyword, subtype, name) in [
        ("crew", "vehicle", "Vehicle"),
        ("equip", "equipment", "Equipment"),
        ("enchant", "aura", "Aura"),
    ] {
        if view.has_subtype(subtype) {
            continue;
        }
        let written = view.lines.iter().any(|line| {
            line.strip_prefix(keyword).is_some_and(|rest| {
                rest.starts_with([' ', '—', '{']) && !rest.trim_start().starts_with("costs")
            })
        });
        if written {
            let mut shown = keyword.to_owned();
            shown[..1].make_ascii_uppercase();
            out.push(DesignFlaw::new(
                Check::KeywordOfAnotherSubtype,
                format!("\"{shown}\" on a card that is no {name}"),
            ));
        }
    }
}

/// "Activate this ability only ..." on a line that activates nothing (nor is
/// a mode of an activated ability).
fn restriction_without_activation(view: &View, out: &mut Vec<DesignFlaw>) {
    let mut under_cost = false;
    for line in &view.lines {
        let is_mode = line.starts_with('•');
        if !is_mode {
            under_cost = has_cost(line);
        }
        let own = unquoted(line);
        if (own.contains("activate this ability only") || own.contains("activate only"))
            && !has_cost(line)
            && !(is_mode && under_cost)
        {
            out.push(DesignFlaw::new(
                Check::RestrictionWithoutActivation,
                "\"activate this ability only\" with no ability to activate".to_owned(),
            ));
            return;
        }
    }
}

/// An ability that starts "It ...": nothing before it for "it" to be.
fn leading_it(view: &View, out: &mut Vec<DesignFlaw>) {
    if view.lines.iter().any(|line| {
        let line = line.trim_start_matches('•').trim_start();
        line.starts_with("it ") || line.starts_with("it's ")
    }) {
        out.push(DesignFlaw::new(
            Check::LeadingIt,
            "an ability starting \"It\" with nothing for it to be".to_owned(),
        ));
    }
}

/// "Have ~ enter the battlefield (tapped)" in a triggered or activated
/// ability: the card is already on the battlefield then; real cards say it
/// only as it enters ("you may have ~ enter the battlefield as a copy").
fn enters_when_in_play(view: &View, out: &mut Vec<DesignFlaw>) {
    if view.lines.iter().any(|line| {
        (TRIGGERS.iter().any(|t| line.starts_with(t)) || activation(line).is_some())
            && unquoted(line).contains("~ enter the battlefield")
    }) {
        out.push(DesignFlaw::new(
            Check::EntersWhenInPlay,
            "\"~ enter the battlefield\" when it is already on the battlefield".to_owned(),
        ));
    }
}

/// `{X}` in the mana cost, or in an activation's cost, that nothing uses.
fn unused_x(view: &View, out: &mut Vec<DesignFlaw>) {
    let spent = ["mana spent", "sunburst", "converge"];
    if view
        .card
        .mana_symbols
        .iter()
        .any(|s| s.eq_ignore_ascii_case("x"))
        && !says_x(&view.text)
        && !spent.iter().any(|s| view.text.contains(s))
    {
        out.push(DesignFlaw::new(
            Check::UnusedX,
            "{X} in the mana cost, but no X in the text".to_owned(),
        ));
        return;
    }
    for (i, line) in view.lines.iter().enumerate() {
        let Some((cost, effect)) = activation(line) else {
            continue;
        };
        if !symbols(&cost).iter().any(|s| s == "x") {
            continue;
        }
        let modes = view.lines[i + 1..]
            .iter()
            .take_while(|l| l.starts_with('•'))
            .any(|l| says_x(l));
        if !says_x(&effect) && !modes && !spent.iter().any(|s| effect.contains(s)) {
            out.push(DesignFlaw::new(
                Check::UnusedX,
                "{X} in an activation's cost, but no X in its effect".to_owned(),
            ));
            return;
        }
    }
}

/// "Until end of turn" in a permanent's static ability: no trigger, no cost,
/// no condition starts it, so it never happens.
fn static_until_end_of_turn(view: &View, out: &mut Vec<DesignFlaw>) {
    if view.is_spell() || view.has_subtype("saga") {
        return;
    }
    for line in &view.lines {
        if line.starts_with('•')
            || line.contains('—')
            || has_cost(line)
            || TRIGGERS.iter().any(|t| line.starts_with(t))
        {
            continue;
        }
        let own = unquoted(line);
        if own
            .split('.')
            .filter(|s| s.contains("until end of turn"))
            .any(|s| !STARTERS.iter().any(|w| s.contains(w)))
        {
            out.push(DesignFlaw::new(
                Check::StaticUntilEndOfTurn,
                "\"until end of turn\" in an ability nothing triggers or activates".to_owned(),
            ));
            return;
        }
    }
}

/// A `{0}` cost beside other costs (it adds nothing), or a lone `{0}` that
/// buys damage, cards, life or mana every turn for free.
fn free_activation(view: &View, out: &mut Vec<DesignFlaw>) {
    for line in &view.lines {
        let Some((cost, effect)) = activation(line) else {
            continue;
        };
        let parts: Vec<&str> = cost.split(',').map(str::trim).collect();
        if !parts.contains(&"{0}") {
            continue;
        }
        if parts.len() > 1 {
            out.push(DesignFlaw::new(
                Check::FreeActivation,
                "{0} in a cost beside other costs: it costs nothing".to_owned(),
            ));
            return;
        }
        let gain = (effect.contains("deals") && effect.contains("damage"))
            || effect.starts_with("draw")
            || effect.starts_with("you gain")
            || effect.starts_with("add ");
        if gain {
            out.push(DesignFlaw::new(
                Check::FreeActivation,
                "a {0} ability that gives something for nothing, as often as you like".to_owned(),
            ));
            return;
        }
    }
}

/// A choice (a creature type, a colour) that nothing after it uses.
fn unused_choice(view: &View, out: &mut Vec<DesignFlaw>) {
    let text = &view.text;
    for choice in CHOICES {
        let Some(at) = text.find(choice) else {
            continue;
        };
        let rest = &text[at + choice.len()..];
        if !CHOICE_USES.iter().any(|u| rest.contains(u)) {
            let what = choice.trim_start_matches("choose ");
            out.push(DesignFlaw::new(
                Check::UnusedChoice,
                format!("it chooses {what}, but nothing uses it"),
            ));
            return;
        }
    }
    // "You may choose a card from your hand." and nothing more: a card chosen
    // for nothing (real cards exile it, reveal it, put it somewhere).
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        if *w != "choose" || !matches!(words.get(i + 1), Some(&"a" | &"an")) {
            continue;
        }
        let Some(card_at) = (i + 2..(i + 5).min(words.len())).find(|&j| words[j] == "card") else {
            continue;
        };
        if matches!(words.get(card_at + 1), Some(&"name" | &"type")) {
            continue;
        }
        let used = words[card_at + 1..]
            .iter()
            .any(|w| CARD_CHOICE_USES.contains(w));
        if !used {
            out.push(DesignFlaw::new(
                Check::UnusedChoice,
                format!(
                    "it chooses {}, but nothing uses it",
                    words[i + 1..=card_at].join(" ")
                ),
            ));
            return;
        }
    }
}

/// A creature's kind, for its rate: what its power and toughness buy with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Body {
    /// No rules text.
    Vanilla,
    /// Flying (with or without more).
    Flier,
    /// Any other rules text.
    Other,
}

impl Body {
    fn plural(self) -> &'static str {
        match self {
            Body::Vanilla => "vanilla creatures",
            Body::Flier => "fliers",
            Body::Other => "creatures with rules text",
        }
    }

    fn singular(self) -> &'static str {
        match self {
            Body::Vanilla => "vanilla creature",
            Body::Flier => "flier",
            Body::Other => "creature with rules text",
        }
    }
}

/// A one-faced creature with a mana cost (no X) and a plain numeric P/T: its
/// kind, mana value, power and toughness.
pub fn body(card: &Card) -> Option<(Body, u32, u32, u32)> {
    if !card.types.iter().any(|t| t == "Creature")
        || card.faces.len() != 1
        || card.cost.is_empty()
        || card
            .mana_symbols
            .iter()
            .any(|s| matches!(s.as_str(), "X" | "Y" | "Z" | "x"))
    {
        return None;
    }
    let power: u32 = card.power.as_deref()?.parse().ok()?;
    let toughness: u32 = card.toughness.as_deref()?.parse().ok()?;
    let lines: Vec<String> = card
        .abil
        .iter()
        .map(|a| a.trim().to_lowercase())
        .filter(|a| !a.is_empty())
        .collect();
    let kind = if lines.is_empty() {
        Body::Vanilla
    } else if lines
        .iter()
        .any(|l| !l.contains(['.', ':']) && l.split(',').any(|k| k.trim() == "flying"))
    {
        Body::Flier
    } else {
        Body::Other
    };
    Some((kind, card.mana_value, power, toughness))
}

/// "a" or "an" before a number said aloud ("an 8/8", "an 11/11").
fn article(n: u32) -> &'static str {
    if n.to_string().starts_with('8') || n == 11 || n == 18 {
        "an"
    } else {
        "a"
    }
}

/// The rates of the training cards' creatures: power plus toughness by kind
/// and mana value, and vanilla creatures by rarity.
#[derive(Clone, Debug, Default)]
pub struct RateTable {
    /// Sorted sums of power and toughness.
    groups: HashMap<(Body, u32), Vec<u32>>,
    /// Vanilla creatures by rarity word.
    vanilla_rarity: HashMap<String, usize>,
    vanilla: usize,
    /// Training cards it was built from.
    pub cards: usize,
}

impl RateTable {
    /// The rates of the training cards' encoded lines.
    pub fn from_lines(lines: &[String]) -> Self {
        let rules = Rules::for_lines(lines);
        let mut table = RateTable {
            cards: lines.len(),
            ..RateTable::default()
        };
        for line in lines {
            // Only creatures (and vehicles) have a P/T: skip decoding the rest.
            if !line.contains(crate::markers::POWER_TOUGHNESS) {
                continue;
            }
            let card = decode_with(line, rules);
            if !card.well_formed {
                continue;
            }
            table.add(&card);
        }
        for group in table.groups.values_mut() {
            group.sort_unstable();
        }
        table
    }

    fn add(&mut self, card: &Card) {
        let Some((kind, mv, p, t)) = body(card) else {
            return;
        };
        self.groups.entry((kind, mv)).or_default().push(p + t);
        if kind == Body::Vanilla {
            self.vanilla += 1;
            *self.vanilla_rarity.entry(card.rare.clone()).or_default() += 1;
        }
    }

    /// Creatures counted.
    pub fn creatures(&self) -> usize {
        self.groups.values().map(Vec::len).sum()
    }

    /// The rate flaws of `card`.
    pub fn judge(&self, card: &Card) -> Vec<DesignFlaw> {
        let mut out = Vec::new();
        let Some((kind, mv, p, t)) = body(card) else {
            return out;
        };
        let sum = p + t;
        let what = if kind == Body::Vanilla {
            format!("a vanilla {p}/{t} for {mv}")
        } else if kind == Body::Flier {
            format!("{} {p}/{t} flier for {mv}", article(p))
        } else {
            format!("{} {p}/{t} for {mv}", article(p))
        };
        if let Some(group) = self
            .groups
            .get(&(kind, mv))
            .filter(|g| g.len() >= MIN_GROUP)
        {
            let n = group.len() as f64;
            let smaller = group.partition_point(|&s| s < sum) as f64 / n;
            let larger = (group.len() - group.partition_point(|&s| s <= sum)) as f64 / n;
            let share = |x: f64| {
                if x >= 1.0 {
                    format!("every real {} of mana value {mv}", kind.singular())
                } else {
                    format!(
                        "{}% of real {} of mana value {mv}",
                        (100.0 * x).floor(),
                        kind.plural()
                    )
                }
            };
            if smaller >= STRONGER_SHARE {
                out.push(DesignFlaw::new(
                    Check::AboveRate,
                    format!("{what} is bigger than {}", share(smaller)),
                ));
            }
            if kind == Body::Vanilla && larger >= WEAKER_SHARE {
                out.push(DesignFlaw::new(
                    Check::BelowRate,
                    format!("{what} is smaller than {}", share(larger)),
                ));
            }
        }
        if kind == Body::Vanilla && self.vanilla >= MIN_GROUP {
            let at = self.vanilla_rarity.get(&card.rare).copied().unwrap_or(0);
            let share = at as f64 / self.vanilla as f64;
            if share < RARE_VANILLA_SHARE {
                let rare = &card.rare;
                let reason = if at == 0 {
                    format!("a vanilla {rare}: no real vanilla creature is {rare}")
                } else {
                    format!(
                        "a vanilla {rare}: only {at} of {} real vanilla creatures are {rare}",
                        self.vanilla
                    )
                };
                out.push(DesignFlaw::new(Check::RareVanilla, reason));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(line: &str) -> Card {
        let card = decode_with(line, Rules::for_lines(&[line.to_owned()]));
        assert!(card.well_formed, "{line}: {:?}", card.problems);
        card
    }

    fn checks_of(line: &str) -> Vec<DesignFlaw> {
        design_flaws(&card(line))
    }

    /// The one flaw `line` must have, and its reason containing `reason`.
    fn assert_flaw(line: &str, check: Check, reason: &str) {
        let got = checks_of(line);
        assert!(
            got.iter()
                .any(|f| f.check == check && f.reason.contains(reason)),
            "{line}: {got:?}"
        );
    }

    fn assert_clean(line: &str) {
        let got = checks_of(line);
        assert!(got.is_empty(), "{line}: {got:?}");
    }

    #[test]
    fn real_cards_have_none() {
        for line in crate::judge::lexicon::tests::sample_lines() {
            assert_clean(&line);
        }
    }

    // The bad cards below are the shipped model's, from docs/quality.md ("A
    // player's reading of model v2"); the good ones are real cards.

    #[test]
    fn off_colour_activations() {
        assert_flaw(
            "Ⓢphyrexian chapper⒞⑤ⒼⓌ⒭U⒯creature:human knight⒫3/4⒜①Ⓑ: regenerate Ⓝ.Ⓔ",
            Check::OffColourActivation,
            "costing black on a white-green card",
        );
        assert_flaw(
            "Ⓢstreet bointhout⒞②ⓌⓊ⒭R⒯creature:human soldier⒫2/3⒜②Ⓑ: target creature gets +1/+0 until end of turn. activate this ability only during your turn.Ⓔ",
            Check::OffColourActivation,
            "black on a white-blue card",
        );
        assert_flaw(
            "Ⓢlorestreet crast⒞①Ⓡ⒭C⒯creature:spirit⒫2/3⒜①ⓊⒼ, ↷: Ⓝ deals 1 damage to target creature and you gain 2 life.Ⓔ",
            Check::OffColourActivation,
            "blue-green on a red card",
        );
        // One other colour on a mono-coloured card, hybrid, Phyrexian, a land,
        // a colourless artifact, all five colours: real cards do each.
        for real in [
            "Ⓢsedge troll⒞②Ⓡ⒭R⒯creature:troll⒫2/2⒜Ⓝ gets +1/+1 as long as you control a swamp.⒜Ⓑ: regenerate Ⓝ.Ⓔ",
            "Ⓢsuture spirit⒞①Ⓦ⒭U⒯creature:spirit⒫1/1⒜flying⒜{w/b}{w/b}{w/b}: regenerate target creature.Ⓔ",
            "Ⓢblinding souleater⒞③⒭C⒯artifact creature:cleric⒫1/3⒜{w/p}, ↷: tap target creature.Ⓔ",
            "Ⓢgolgari locket⒞③⒭C⒯artifact⒜↷: add Ⓑ or Ⓖ.⒜{b/g}{b/g}{b/g}{b/g}, ↷, sacrifice Ⓝ: draw two cards.Ⓔ",
            "Ⓢimplement of malice⒞②⒭C⒯artifact⒜Ⓑ, sacrifice Ⓝ: target player discards a card. activate this ability only any time you could cast a sorcery.⒜when Ⓝ is put into a graveyard from the battlefield, draw a card.Ⓔ",
            "Ⓢdesolate lighthouse⒞⒭R⒯land⒜↷: add Ⓒ.⒜①ⓊⓇ, ↷: draw a card, then discard a card.Ⓔ",
            "Ⓢfleshformer⒞②Ⓑ⒭U⒯creature:human wizard⒫2/2⒜ⓌⓊⒷⓇⒼ: Ⓝ gets +2/+2 and gains fear until end of turn. target creature gets -2/-2 until end of turn. activate this ability only during your turn.Ⓔ",
        ] {
            assert_clean(real);
        }
    }

    #[test]
    fn noncreatures_that_act_as_creatures() {
        assert_flaw(
            "Ⓢspringbolt hunter⒞⒭C⒯land⒜↷: add Ⓒ.⒜Ⓖ: Ⓝ gets +1/+0 until end of turn.Ⓔ",
            Check::NoncreaturePumpsItself,
            "a land that gets +1/+0 itself",
        );
        assert_flaw(
            "Ⓢlunebogg peckrind⒞②Ⓡ⒭U⒯enchantment:aura⒜enchant creature⒜whenever an opponent casts a spell, Ⓝ gets +3/+0 until end of turn.Ⓔ",
            Check::NoncreaturePumpsItself,
            "an Aura that gets +3/+0",
        );
        assert_flaw(
            "Ⓢglint⒞②⒭U⒯artifact⒜①: Ⓝ gains flying until end of turn.Ⓔ",
            Check::NoncreaturePumpsItself,
            "gains flying",
        );
        assert_flaw(
            "Ⓢthemk ferken's ript⒞①Ⓑ⒭C⒯enchantment⒜first strike⒜basic landcycling ②ⒷⒺ",
            Check::KeywordOnNoncreature,
            "\"first strike\" on an enchantment",
        );
        assert_flaw(
            "Ⓢhidlest flame⒞①Ⓑ⒭C⒯enchantment:aura⒜enchant creature⒜enchanted creature gets +0/+2 and has trample.⒜crew 1Ⓔ",
            Check::KeywordOfAnotherSubtype,
            "\"Crew\" on a card that is no Vehicle",
        );
        assert_flaw(
            "Ⓢdeathmage freekant⒞②Ⓖ⒭C⒯creature:beast⒫4/1⒜creatures you control get +1/+1.⒜equip ②Ⓔ",
            Check::KeywordOfAnotherSubtype,
            "\"Equip\" on a card that is no Equipment",
        );
        for real in [
            "Ⓢauriok steelshaper⒞①Ⓦ⒭R⒯creature:human soldier⒫1/1⒜equip costs you pay cost ① less.Ⓔ",
            "Ⓢtreetop village⒞⒭U⒯land⒜Ⓝ enters the battlefield tapped.⒜↷: add Ⓖ.⒜①Ⓖ: Ⓝ becomes a 3/3 green ape creature with trample until end of turn. it's still a land.Ⓔ",
            "Ⓢcathedral of war⒞⒭R⒯land⒜Ⓝ enters the battlefield tapped.⒜exalted⒜↷: add Ⓒ.Ⓔ",
            "Ⓢasha's favor⒞②Ⓦ⒭C⒯enchantment:aura⒜enchant creature⒜enchanted creature has flying, first strike, and vigilance.Ⓔ",
            "Ⓢcast out⒞③Ⓦ⒭U⒯enchantment⒜flash⒜when Ⓝ enters the battlefield, exile target nonland permanent an opponent controls until Ⓝ leaves the battlefield.⒜cycling ⓌⒺ",
            "Ⓢsmuggler's copter⒞②⒭R⒯artifact:vehicle⒫3/3⒜flying⒜whenever Ⓝ attacks or blocks, you may draw a card. if you do, discard a card.⒜crew 1Ⓔ",
        ] {
            assert_clean(real);
        }
    }

    #[test]
    fn clauses_with_nothing_to_act_on() {
        let bradefny = "Ⓢbradefny⒞Ⓦ⒭U⒯sorcery⒜it deals 2 damage to target creature. activate this ability only once each turn.⒜prevent all damage that would be dealt this turn.Ⓔ";
        assert_flaw(
            bradefny,
            Check::RestrictionWithoutActivation,
            "no ability to activate",
        );
        assert_flaw(bradefny, Check::LeadingIt, "starting \"It\"");
        assert_flaw(
            "Ⓢbattle monther⒞③⒭S⒯artifact creature:wall⒫0/2⒜defender⒜at the beginning of your upkeep, you may have Ⓝ enter the battlefield tapped.⒜↷: add Ⓒ.Ⓔ",
            Check::EntersWhenInPlay,
            "already on the battlefield",
        );
        assert_flaw(
            "Ⓢdiniblorang⒞Ⓧ⒭R⒯artifact⒜as Ⓝ enters the battlefield, add ⓌⒸⒼ.Ⓔ",
            Check::UnusedX,
            "{X} in the mana cost",
        );
        assert_flaw(
            "Ⓢxeno⒞②⒭U⒯artifact⒜Ⓧ, ↷: draw a card.Ⓔ",
            Check::UnusedX,
            "activation's cost",
        );
        assert_flaw(
            "Ⓢiator eninet⒞④ⒷⓇⓇ⒭R⒯creature:gargoyle knight⒫4/6⒜flying, haste⒜sacrifice Ⓝ: put a -1/-1 counter on target artifact creature.⒜Ⓝ gets +2/+1 and gains haste until end of turn.Ⓔ",
            Check::StaticUntilEndOfTurn,
            "nothing triggers or activates",
        );
        assert_flaw(
            "Ⓢdedentless laund⒞③ⒼⒷ⒭R⒯creature:angel⒫6/6⒜flying⒜{0}, ↷: Ⓝ deals 2 damage to any target.Ⓔ",
            Check::FreeActivation,
            "{0} in a cost beside other costs",
        );
        assert_flaw(
            "Ⓢfree bolt⒞②Ⓡ⒭U⒯creature:goblin⒫1/1⒜{0}: Ⓝ deals 1 damage to any target.Ⓔ",
            Check::FreeActivation,
            "something for nothing",
        );
        assert_flaw(
            "Ⓢamatic blessing⒞⒭R⒯land⒜↷: add Ⓒ.⒜at the beginning of your upkeep, you may pay ①. if you do, choose a creature type.Ⓔ",
            Check::UnusedChoice,
            "chooses a creature type",
        );
        assert_flaw(
            "Ⓢbarble wind⒞⑤ⒼⒼ⒭R⒯enchantment⒜whenever you cast a merfolk spell, you may choose a nonland card with converted mana cost 2 or less.Ⓔ",
            Check::UnusedChoice,
            "chooses a nonland card",
        );
        for real in [
            "Ⓢcastigate⒞ⓌⒷ⒭C⒯sorcery⒜target opponent reveals their hand. you choose a nonland card from it and exile that card.Ⓔ",
            // The restriction under a mode of an activated ability, or quoted.
            "Ⓢskygames⒞①Ⓤ⒭C⒯enchantment:aura⒜enchant land⒜enchanted land has \"↷: target creature gains flying until end of turn. activate this ability only any time you could cast a sorcery.\"Ⓔ",
            "Ⓢtriassic egg⒞④⒭R⒯artifact⒜③, ↷: put a hatchling counter on Ⓝ.⒜sacrifice Ⓝ: choose one —⒜• you may put a creature card from your hand onto the battlefield. activate this ability only if two or more hatchling counters are on Ⓝ.⒜• return target creature card from your graveyard to your hand. activate this ability only if two or more hatchling counters are on Ⓝ.Ⓔ",
            // "It" after a cost: the card itself.
            "Ⓢblighted gorge⒞⒭U⒯land⒜↷: add Ⓒ.⒜④Ⓡ, ↷, sacrifice Ⓝ: it deals 2 damage to any target.Ⓔ",
            "Ⓢclone⒞③Ⓤ⒭R⒯creature:shapeshifter⒫0/0⒜you may have Ⓝ enter the battlefield as a copy of any creature on the battlefield.Ⓔ",
            "Ⓢcondescend⒞ⓍⓊ⒭C⒯instant⒜counter target spell unless its controller pays Ⓧ. scry 2.Ⓔ",
            "Ⓢfireball⒞ⓍⓇ⒭C⒯sorcery⒜Ⓝ deals x damage divided as you choose among any number of targets.Ⓔ",
            "Ⓢskyrider elf⒞ⓍⒼⓊ⒭U⒯creature:elf warrior ally⒫0/0⒜flying⒜converge — Ⓝ enters the battlefield with a +1/+1 counter on it for each color of mana spent to cast it.Ⓔ",
            "Ⓢleonin arbiter⒞①Ⓦ⒭R⒯creature:cat cleric⒫2/2⒜players can't search libraries. any player may pay ② for that player to ignore this effect until end of turn.Ⓔ",
            "Ⓢhistory of benalia⒞①ⓌⓌ⒭M⒯enchantment:saga⒜(as this saga enters and after your draw step, add a lore counter. sacrifice after iii.)⒜i, ii — create a 2/2 white knight creature token with vigilance.⒜iii — knights you control get +2/+1 until end of turn.Ⓔ",
            "Ⓢchronatog⒞①Ⓤ⒭R⒯creature:atog⒫1/2⒜{0}: Ⓝ gets +3/+3 until end of turn. you skip your next turn. activate this ability only once each turn.Ⓔ",
            "Ⓢnomads en-kor⒞Ⓦ⒭C⒯creature:kor nomad soldier⒫1/1⒜{0}: the next 1 damage that would be dealt to Ⓝ this turn is dealt to target creature you control instead.Ⓔ",
            "Ⓢcover of darkness⒞①Ⓑ⒭R⒯enchantment⒜as Ⓝ enters the battlefield, choose a creature type.⒜creatures of the chosen type have fear.Ⓔ",
        ] {
            assert_clean(real);
        }
    }

    /// A table of real-like creatures: mana value 2 and 5 vanilla commons,
    /// fliers and others of mana value 5.
    fn table() -> RateTable {
        let mut lines = Vec::new();
        for i in 0..30 {
            let (p, t) = [(2, 2), (2, 1), (1, 3), (3, 2)][i % 4];
            lines.push(format!("Ⓢbear {i}⒞①Ⓖ⒭C⒯creature:bear⒫{p}/{t}⒜Ⓔ"));
            let (p, t) = [(4, 4), (5, 4), (4, 5), (3, 4)][i % 4];
            lines.push(format!("Ⓢbrute {i}⒞④Ⓖ⒭C⒯creature:beast⒫{p}/{t}⒜Ⓔ"));
            let (p, t) = [(3, 3), (4, 4), (2, 4), (3, 4), (4, 3)][i % 5];
            lines.push(format!("Ⓢbird {i}⒞④Ⓦ⒭C⒯creature:bird⒫{p}/{t}⒜flyingⒺ"));
        }
        lines.push("Ⓢold bear⒞①Ⓖ⒭R⒯creature:bear⒫2/2⒜Ⓔ".to_owned());
        RateTable::from_lines(&lines)
    }

    fn rates_of(line: &str) -> Vec<DesignFlaw> {
        table().judge(&card(line))
    }

    #[test]
    fn rates_against_real_creatures() {
        let t = table();
        assert_eq!((t.cards, t.creatures()), (91, 91));
        let flier = rates_of(
            "Ⓢdedentless laund⒞③ⒼⒷ⒭R⒯creature:angel⒫6/6⒜flying⒜Ⓝ deals 2 damage to any target.Ⓔ",
        );
        assert!(
            flier.iter().any(|f| f.check == Check::AboveRate
                && f.reason == "a 6/6 flier for 5 is bigger than every real flier of mana value 5"),
            "{flier:?}"
        );
        let small = rates_of("Ⓢprotector search⒞③ⓌⓌ⒭C⒯creature:human soldier⒫3/3⒜Ⓔ");
        assert!(
            small.iter().any(|f| f.check == Check::BelowRate
                && f.reason.starts_with("a vanilla 3/3 for 5 is smaller than")),
            "{small:?}"
        );
        let rare = rates_of("Ⓢarmagos's patradeh⒞ⒼⒼ⒭R⒯creature:thrull⒫1/1⒜Ⓔ");
        assert!(
            rare.iter().any(|f| f.check == Check::BelowRate
                && f.reason == "a vanilla 1/1 for 2 is smaller than every real vanilla creature of mana value 2"),
            "{rare:?}"
        );
        assert!(
            rare.iter().any(|f| f.check == Check::RareVanilla
                && f.reason == "a vanilla rare: only 1 of 61 real vanilla creatures are rare"),
            "{rare:?}"
        );
        // At the real rate, or a kind with too few cards to judge: nothing.
        for fair in [
            "Ⓢbig bear⒞①Ⓖ⒭C⒯creature:bear⒫2/2⒜Ⓔ",
            "Ⓢtall bird⒞④Ⓦ⒭U⒯creature:bird⒫3/4⒜flyingⒺ",
            "Ⓢhuge⒞⑥Ⓖ⒭C⒯creature:beast⒫9/9⒜Ⓔ",
            "Ⓢwall⒞④Ⓦ⒭C⒯creature:wall⒫0/1⒜defender⒜↷: draw a card.Ⓔ",
        ] {
            let got = rates_of(fair);
            assert!(got.is_empty(), "{fair}: {got:?}");
        }
        // Without the table only the checks of the card alone.
        let c = card("Ⓢarmagos's patradeh⒞ⒼⒼ⒭R⒯creature:thrull⒫1/1⒜Ⓔ");
        assert!(design(&c, None).is_empty());
        assert_eq!(design(&c, Some(&t)).len(), 2);
    }
}
