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
//!   a choice (a creature type, a colour) nothing uses; every spell {2} or
//!   more cheaper; a spell that only draws a card;
//! - checks against the rates of real cards ([`RateTable`], in
//!   [`super::rates`]): bodies and mana rocks against real ones of the same
//!   mana value.
//!
//! Each is rare on real cards (`tests/design_real_cards.rs` counts them on the
//! shared corpus), so each is a flaw for the curator to avoid, not a verdict.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::colour_pie::COLOURS;
use super::rates::RateTable;
use crate::decode::Card;

/// Keywords that only a creature uses (in combat, or as it enters): on an
/// artifact, enchantment or land that is never a creature they do nothing.
pub(super) const CREATURE_KEYWORDS: [&str; 25] = [
    "flying",
    "deathtouch",
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
pub(super) const TRIGGERS: [&str; 4] = ["when ", "whenever ", "at the beginning", "at end of"];

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
const CHOICES: [&str; 11] = [
    "choose a creature type",
    "choose a color",
    "choose a card type",
    "choose a basic land type",
    "choose a land type",
    "choose a number",
    "choose a card name",
    "choose a nonland card name",
    // A player, an opponent, targets chosen for nothing: "Choose an
    // opponent." alone, read as nonsense in session 20's sheets (real cards
    // say "the chosen player", "that player", "each of them").
    "choose an opponent",
    "choose a player",
    "choose any number of target",
];
const CHOICE_USES: [&str; 16] = [
    "chosen",
    "the difference",
    "that player",
    "those",
    "each of them",
    "and put",
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
    RareKeywordsOnly,
    OffColourPhrase,
    OffColourKeyword,
    OffColourCreatureType,
    OffColourText,
    RarityText,
    OffColourKeywordCost,
    OnlyCostsYou,
    BetterThanBasicLand,
    DoesNothing,
    HostUntouched,
    UndefinedStar,
    OneShotOnPermanent,
    UnboundThatCreature,
    EntersWithoutCounters,
    OtherOfAnotherType,
    DamageToNoncreature,
    LittleLife,
    WorseThanBasicLand,
    MovedWithoutVerb,
    OneShotUntilEndOfTurn,
    EquipmentWithoutEquip,
    CountersFromNowhere,
    RitualAtALoss,
    SpellAsPermanent,
    ThisCreatureOnNoncreature,
    ManaYouGet,
    LifeWithoutAmount,
    DrawbackWithoutBody,
    UnboundThatPlayer,
    ManaAbilityAtALoss,
    PaidForNothing,
    CombatOnNoncreature,
    LandWithoutUse,
    GrowthOnNoncreature,
    DestroyInGraveyard,
    CombatAtSorcerySpeed,
    ModeWithoutChoice,
    DamageWithoutAmount,
    EnchantedOtherThanEnchant,
    VehicleWithoutCrew,
    TypedLandOffItsTypes,
    ThisWayWithoutVerb,
    UnboundThatSpellOrCard,
    IfYouDoWithoutChoice,
    TriggerWithoutKeyword,
    CountersOnTheDead,
    SameAbilityTwice,
    ZeroPump,
    ReturnedFromWhereItIsNot,
    RegenerationWithoutHarm,
    NameOfAnotherCreature,
    TokenOfAnotherColour,
    ManaOfAnotherColour,
    ChosenWithoutChoice,
    ChoiceOfTheSame,
    AbilityWordWithoutCondition,
    CostReductionAboveRate,
    UndoesItself,
    SpellAboveRate,
    SpellBelowRate,
    ActivationAboveRate,
    ActivationBelowRate,
    LandAboveRate,
    RemovalEveryTurn,
    SpellReturnsItself,
    TriggerAsReplacement,
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
            Check::RareKeywordsOnly => "rare keyword-only creature",
            Check::OffColourPhrase => "off-colour phrase",
            Check::OffColourKeyword => "off-colour keyword",
            Check::OffColourCreatureType => "off-colour creature type",
            Check::OffColourText => "off-colour rules text",
            Check::RarityText => "rules text of another rarity",
            Check::OffColourKeywordCost => "off-colour keyword cost",
            Check::OnlyCostsYou => "only costs you",
            Check::BetterThanBasicLand => "better than a basic land",
            Check::DoesNothing => "does nothing",
            Check::HostUntouched => "host untouched",
            Check::UndefinedStar => "undefined *",
            Check::OneShotOnPermanent => "one-shot effect on a permanent",
            Check::UnboundThatCreature => "\"that creature\" with none before",
            Check::EntersWithoutCounters => "enters with no counters",
            Check::OtherOfAnotherType => "\"other\" of another type",
            Check::DamageToNoncreature => "damage to a noncreature",
            Check::LittleLife => "little life for its cost",
            Check::WorseThanBasicLand => "worse than a basic land",
            Check::MovedWithoutVerb => "moved with no verb",
            Check::OneShotUntilEndOfTurn => "\"until end of turn\" on a one-shot",
            Check::EquipmentWithoutEquip => "Equipment without equip",
            Check::CountersFromNowhere => "counters from nowhere",
            Check::RitualAtALoss => "ritual at a loss",
            Check::SpellAsPermanent => "spell as a permanent",
            Check::ThisCreatureOnNoncreature => "\"this creature\" on a noncreature",
            Check::ManaYouGet => "mana \"you get\"",
            Check::LifeWithoutAmount => "life with no amount",
            Check::DrawbackWithoutBody => "drawback without a body",
            Check::UnboundThatPlayer => "\"that player\" with none before",
            Check::ManaAbilityAtALoss => "mana ability at a loss",
            Check::PaidForNothing => "paid for nothing",
            Check::CombatOnNoncreature => "combat trigger on a noncreature",
            Check::LandWithoutUse => "land without a use",
            Check::GrowthOnNoncreature => "+1/+1 counters on a noncreature",
            Check::DestroyInGraveyard => "destroys cards in a graveyard",
            Check::CombatAtSorcerySpeed => "combat at sorcery speed",
            Check::ModeWithoutChoice => "mode without a choice",
            Check::DamageWithoutAmount => "damage with no amount",
            Check::EnchantedOtherThanEnchant => "enchants one kind, names another",
            Check::VehicleWithoutCrew => "Vehicle without crew",
            Check::TypedLandOffItsTypes => "typed land off its types",
            Check::ThisWayWithoutVerb => "\"this way\" without its verb",
            Check::UnboundThatSpellOrCard => "\"that spell\" or \"that card\" with none before",
            Check::IfYouDoWithoutChoice => "\"if you do\" with nothing to do",
            Check::TriggerWithoutKeyword => "trigger without its keyword",
            Check::CountersOnTheDead => "a dies trigger growing the dead card",
            Check::SameAbilityTwice => "the same ability twice",
            Check::ZeroPump => "+0/+0",
            Check::ReturnedFromWhereItIsNot => "returned from a graveyard it is not in",
            Check::RegenerationWithoutHarm => "can't be regenerated, with nothing destroyed",
            Check::NameOfAnotherCreature => "named for another creature type",
            Check::TokenOfAnotherColour => "a token of another colour",
            Check::ManaOfAnotherColour => "mana of another colour",
            Check::ChosenWithoutChoice => "\"the chosen\" with nothing chosen",
            Check::ChoiceOfTheSame => "a choice of the same mana",
            Check::AbilityWordWithoutCondition => "ability word without its condition",
            Check::CostReductionAboveRate => "every spell {2} or more cheaper",
            Check::UndoesItself => "undoes itself",
            Check::SpellAboveRate => "a spell cheaper than real ones doing no more",
            Check::SpellBelowRate => "a spell dearer than real ones doing as much",
            Check::ActivationAboveRate => "an activation cheaper than real ones doing no more",
            Check::ActivationBelowRate => "an activation dearer than real ones doing as much",
            Check::LandAboveRate => "a land stronger than real ones",
            Check::RemovalEveryTurn => "removal or a card every turn at common or uncommon",
            Check::SpellReturnsItself => "a spell back in hand every time",
            Check::TriggerAsReplacement => "an effect as it enters, not when",
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

static BECOMES_A_CREATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"becomes (a|an|an? [^.]*) creature|becomes a creature").expect("a valid pattern")
});

/// The card's front face as the checks read it: lower case, its own name `~`.
pub(super) struct View<'a> {
    pub(super) card: &'a Card,
    pub(super) types: Vec<String>,
    pub(super) subtypes: Vec<String>,
    pub(super) lines: Vec<String>,
    pub(super) text: String,
    /// `text` without what it grants in quotes or says in reminder text
    /// ([`unquoted`]), read by many checks: made once.
    pub(super) own_text: String,
}

impl<'a> View<'a> {
    pub(super) fn new(card: &'a Card) -> Self {
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
        let text = lines.join("\n");
        View {
            card,
            types: card.types.iter().map(|t| t.to_lowercase()).collect(),
            subtypes: card.subtypes.iter().map(|t| t.to_lowercase()).collect(),
            own_text: unquoted(&text),
            text,
            lines,
        }
    }

    pub(super) fn has_type(&self, t: &str) -> bool {
        self.types.iter().any(|x| x == t)
    }

    pub(super) fn has_subtype(&self, t: &str) -> bool {
        self.subtypes.iter().any(|x| x == t)
    }

    pub(super) fn is_spell(&self) -> bool {
        (self.has_type("instant") || self.has_type("sorcery")) && !self.has_type("creature")
    }

    /// A creature now or at times (a vehicle, a land or artifact that
    /// becomes one): power, toughness and combat keywords can mean something.
    pub(super) fn can_be_creature(&self) -> bool {
        self.has_type("creature")
            || self.has_subtype("vehicle")
            || self.has_subtype("spacecraft")
            // "~ becomes a 3/3 Ape creature", not "becomes blocked by a creature".
            || BECOMES_A_CREATURE.is_match(&self.text)
            || self.text.contains("is a creature")
            || self.text.contains("it's a creature")
    }

    /// What the card is, creatures included ("a creature", "an Aura").
    pub(super) fn kind_with_creature(&self) -> &'static str {
        if self.has_type("creature") {
            "a creature"
        } else {
            self.kind()
        }
    }

    /// What the card is, for a reason ("an Aura", "a land").
    pub(super) fn kind(&self) -> &'static str {
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
pub(super) fn unquoted(text: &str) -> String {
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
pub(super) fn activation(line: &str) -> Option<(String, String)> {
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
pub(super) fn has_cost(line: &str) -> bool {
    unquoted(line).contains(": ")
}

/// The `{...}` symbols of `text`, as written, without braces.
pub(super) fn symbols(text: &str) -> Vec<String> {
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

/// The colour letter of a plain coloured mana symbol as `symbols` gives it
/// (`w`, `u`, `b`, `r`, `g`); `None` for generic, colourless, hybrid and
/// Phyrexian symbols.
pub(super) fn mana_colour(symbol: &str) -> Option<char> {
    match symbol {
        "w" | "u" | "b" | "r" | "g" => symbol.chars().next(),
        _ => None,
    }
}

/// The colours of a set of lower-case letters, in the colour pie's order
/// ("white-blue").
fn colour_words(colours: &BTreeSet<char>) -> String {
    COLOURS
        .iter()
        .filter(|(letter, _)| colours.contains(&letter.to_ascii_lowercase()))
        .map(|(_, name)| *name)
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
    off_colour_keyword_cost(&view, &mut out);
    only_costs_you(&view, &mut out);
    better_than_basic_land(&view, &mut out);
    cost_reduction_above_rate(&view, &mut out);
    does_nothing(&view, &mut out);
    host_untouched(&view, &mut out);
    undefined_star(&view, &mut out);
    one_shot_on_permanent(&view, &mut out);
    unbound_that_creature(&view, &mut out);
    super::sense::sense_flaws(&view, &mut out);
    super::references::reference_flaws(&view, &mut out);
    super::names::name_flaws(&view, &mut out);
    super::made_colours::made_colour_flaws(&view, &mut out);
    super::every_turn::land_power_flaws(&view, &mut out);
    super::every_turn::removal_every_turn(&view, &mut out);
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
/// cards often pay one ally colour (Alara's battlemages, Sedge Troll), so
/// only a card of two or more colours, an activation needing two colours the
/// card lacks (not all five), or one needing a colour across the pie from the
/// card's ([`ENEMY_PAIRS`]) is flagged; hybrid and Phyrexian symbols can
/// be paid otherwise, and colourless cards have no colour to keep. Lands are
/// judged by the colours they make ([`off_colour_land`]).
fn off_colour(view: &View, out: &mut Vec<DesignFlaw>) {
    if view.has_type("land") {
        off_colour_land(view, out);
        return;
    }
    let card_colours = card_colours(view);
    if card_colours.is_empty() {
        return;
    }
    for line in &view.lines {
        let Some((cost, _)) = activation(line) else {
            continue;
        };
        let needed = plain_colours(&cost);
        let off: BTreeSet<char> = needed.difference(&card_colours).copied().collect();
        if off.is_empty() || needed.len() == 5 {
            continue;
        }
        if card_colours.len() >= 2 || off.len() >= 2 || enemies(&card_colours, &off) {
            out.push(DesignFlaw::new(
                Check::OffColourActivation,
                format!(
                    "an activation costing {} on a {} card",
                    colour_words(&off),
                    colour_words(&card_colours)
                ),
            ));
            return;
        }
    }
}

/// The colour pairs across the pie from each other (white-black, blue-red
/// ...): a mono-coloured card paying its enemy colour is rare (0.45% of real
/// mono-coloured nonland cards: Spectral Lynx's {B} regeneration on a green
/// card, Alara's Disciples), against 5.8% of raw samples; paying an ally
/// colour is common enough (Sedge Troll, the battlemages: 0.9%) to pass.
const ENEMY_PAIRS: [[char; 2]; 5] = [['w', 'b'], ['w', 'r'], ['u', 'r'], ['u', 'g'], ['b', 'g']];

/// A land whose activation needs a colour its mana abilities do not make (a
/// land tapping for {B} with a {2}{R}{R} ability). None of the 431 training
/// lands that make coloured mana and have another activation does so; 4 of
/// 2,000 raw samples do, and the 3 such rated picks of sessions 10 and 11
/// were borderline or nonsense. Lands making mana of any colour, or none, are
/// left alone.
fn off_colour_land(view: &View, out: &mut Vec<DesignFlaw>) {
    let mut made = BTreeSet::new();
    let mut needed = BTreeSet::new();
    for line in &view.lines {
        let Some((cost, effect)) = activation(line) else {
            continue;
        };
        if effect.contains("any color") || effect.contains("any one color") {
            return;
        }
        if effect.contains("add ") {
            made.extend(plain_colours(&effect));
        }
        needed.extend(plain_colours(&cost));
    }
    let off: BTreeSet<char> = needed.difference(&made).copied().collect();
    if made.is_empty() || off.is_empty() {
        return;
    }
    out.push(DesignFlaw::new(
        Check::OffColourActivation,
        format!(
            "an activation costing {} on a land that makes {}",
            colour_words(&off),
            colour_words(&made)
        ),
    ));
}

/// Does any colour of `a` face any colour of `b` across the pie?
fn enemies(a: &BTreeSet<char>, b: &BTreeSet<char>) -> bool {
    ENEMY_PAIRS
        .iter()
        .any(|[x, y]| (a.contains(x) && b.contains(y)) || (a.contains(y) && b.contains(x)))
}

/// The card's colours, lower-case letters (`w`, `u`, ...).
pub(super) fn card_colours(view: &View) -> BTreeSet<char> {
    view.card
        .colors
        .iter()
        .filter_map(|c| c.to_lowercase().chars().next())
        .collect()
}

/// The plain coloured symbols of a cost (not hybrid or Phyrexian ones).
fn plain_colours(cost: &str) -> BTreeSet<char> {
    symbols(cost)
        .iter()
        .filter(|s| !s.contains('/'))
        .flat_map(|s| s.chars())
        .filter(|c| "wubrg".contains(*c))
        .collect()
}

/// Keywords whose cost real coloured cards pay in their own colours: of the
/// 18,871 training cards, 63 pay a keyword in another colour, 61 of them
/// kicker, flashback or cycling (Invasion's kickers, Lingering Souls, Alara's
/// cycling), one an echo and one a morph (Whip-Spine Drake); 1.2% of raw
/// samples pay one of these in another colour ("Megamorph {1}{B}" on a red card).
const SAME_COLOUR_KEYWORDS: [&str; 20] = [
    "morph",
    "megamorph",
    "dash",
    "madness",
    "miracle",
    "evoke",
    "unearth",
    "ninjutsu",
    "bestow",
    "embalm",
    "eternalize",
    "escape",
    "buyback",
    "outlast",
    "scavenge",
    "transmute",
    "overload",
    "surge",
    "prowl",
    "spectacle",
];

/// A keyword's cost in a colour the card is not: on a colourless card any
/// coloured keyword cost (real colourless cards pay none, but for the
/// Eldrazi's emerge), on a coloured card an echo (which pays for the card
/// again: one red card in 18,871 pays its echo in black) or any of
/// [`SAME_COLOUR_KEYWORDS`]. Kicker, flashback and cycling in other colours
/// are real.
fn off_colour_keyword_cost(view: &View, out: &mut Vec<DesignFlaw>) {
    if view.has_type("land") {
        return;
    }
    let colours = card_colours(view);
    for line in &view.lines {
        let Some(brace) = line.find('{') else {
            continue;
        };
        let keyword = line[..brace].trim().trim_end_matches('—').trim();
        let is_keyword_cost = !keyword.is_empty()
            && keyword.split(' ').count() <= 2
            && keyword.chars().all(|c| c.is_ascii_lowercase() || c == ' ')
            && line[brace..].trim_end().ends_with('}')
            && !line.contains(['.', ':', ','])
            && keyword != "emerge"
            && (colours.is_empty() || keyword == "echo" || SAME_COLOUR_KEYWORDS.contains(&keyword));
        if !is_keyword_cost {
            continue;
        }
        let off: BTreeSet<char> = plain_colours(&line[brace..])
            .difference(&colours)
            .copied()
            .collect();
        if !off.is_empty() {
            let on = if colours.is_empty() {
                "a colourless card".to_owned()
            } else {
                format!("a {} card", colour_words(&colours))
            };
            let mut shown = keyword.to_owned();
            shown[..1].make_ascii_uppercase();
            out.push(DesignFlaw::new(
                Check::OffColourKeywordCost,
                format!("{shown} paid in {} on {on}", colour_words(&off)),
            ));
            return;
        }
    }
}

/// What only costs the card's owner, or only helps an opponent: a discard,
/// life or a sacrifice; an opponent's life or cards.
const DRAWBACKS: [&str; 9] = [
    "discard a card",
    "discard two cards",
    "you lose ",
    "sacrifice a ",
    "sacrifice an ",
    "each opponent gains ",
    "target opponent gains ",
    "each opponent draws ",
    "target opponent draws ",
];

/// A spell's whole text removing its caster's own permanent, with nothing
/// back (a flicker returns it, a sacrifice outlet pays: neither matches).
static SELF_REMOVAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(destroy|exile) target (creature|artifact|enchantment|land|permanent|nonland permanent|planeswalker) you control\.$",
    )
    .expect("a valid pattern")
});

/// An effect that only costs its owner: an activation whose whole effect is a
/// drawback ("{2}: discard a card"), "you may pay {2}. If you do, discard a
/// card.", or a spell that only harms its caster ([`SELF_REMOVAL`]). Real cards put a drawback in a cost, or beside a gain; one card in
/// 18,871 has an ability that is nothing but a discard (Volrath's
/// Shapeshifter's granted one, a madness trick).
fn only_costs_you(view: &View, out: &mut Vec<DesignFlaw>) {
    let is_drawback = |effect: &str| {
        // A restriction after the effect is no effect of its own.
        let effect = effect.trim();
        let effect = effect
            .split_once(" activate this ability only")
            .map_or(effect, |(head, _)| head.trim());
        effect.ends_with('.')
            && !effect[..effect.len() - 1].contains(['.', ','])
            && (DRAWBACKS.iter().any(|d| effect.starts_with(d))
                || super::sense::is_drawback_only(effect))
            // Giving an opponent control is how a drawback is passed on
            // (Jinxed Idol, Zedruu).
            && !effect.contains("gains control")
    };
    for line in &view.lines {
        let own = unquoted(line);
        let paid_for_nothing = own.split(". ").enumerate().any(|(i, sentence)| {
            i > 0
                && sentence
                    .strip_prefix("if you do, ")
                    .is_some_and(|rest| is_drawback(&format!("{}.", rest.trim_end_matches('.'))))
                && own.contains("you may pay")
                && !own.contains("if you don't")
        });
        let activated_drawback = activation(&own).is_some_and(|(_, effect)| is_drawback(&effect));
        // A spell whose whole text harms its caster ("Exile target creature
        // you control.", "Discard a card."): nothing is left to cast it for.
        let spell_drawback = view.is_spell()
            && view.lines.len() == 1
            && (is_drawback(&own) || SELF_REMOVAL.is_match(own.trim()));
        if paid_for_nothing || activated_drawback || spell_drawback {
            let reason = if own.contains("opponent gains ") || own.contains("opponent draws ") {
                "an ability whose only effect helps an opponent"
            } else {
                "an ability whose only effect costs you"
            };
            out.push(DesignFlaw::new(Check::OnlyCostsYou, reason.to_owned()));
            return;
        }
    }
}

static EVERY_SPELL_CHEAPER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(^|\n|\. )spells (you cast )?cost \{(\d+)\} less").expect("a valid pattern")
});

/// "Spells you cast cost {3} less to cast": every spell two or more cheaper
/// breaks the game; real cards that cheapen every spell take {1} (The
/// Immortal Sun, Helm of Awakening), none of the 18,871 training cards more;
/// three picks of the blind readings of sessions 10 and 11 said {3} or {4}.
fn cost_reduction_above_rate(view: &View, out: &mut Vec<DesignFlaw>) {
    let Some(found) = EVERY_SPELL_CHEAPER.captures(&view.own_text) else {
        return;
    };
    let amount: u32 = found[3].parse().unwrap_or(0);
    if amount >= 2 {
        out.push(DesignFlaw::new(
            Check::CostReductionAboveRate,
            format!("every spell {{{amount}}} cheaper: real cards take {{1}} off at most"),
        ));
    }
}

/// A land (no subtype, not basic) that only taps for two kinds of mana, or two
/// mana at once, with no drawback: better than a basic land, which no real
/// land is for free (dual lands have basic land types, the others enter
/// tapped, deal damage, cost life or more).
fn better_than_basic_land(view: &View, out: &mut Vec<DesignFlaw>) {
    if !view.has_type("land")
        || !view.subtypes.is_empty()
        || view
            .card
            .supertypes
            .iter()
            .any(|s| s.eq_ignore_ascii_case("basic"))
        || view.lines.is_empty()
    {
        return;
    }
    let mut kinds: BTreeSet<String> = BTreeSet::new();
    let mut most_at_once = 0;
    for line in &view.lines {
        let Some(made) = line
            .strip_prefix("{t}: add ")
            .and_then(|m| m.strip_suffix('.'))
        else {
            return;
        };
        if made == "one mana of any color" {
            kinds.extend("wubrg".chars().map(String::from));
            most_at_once = most_at_once.max(1);
            continue;
        }
        let parts: Vec<&str> = made.split(" or ").flat_map(|p| p.split(", ")).collect();
        if parts
            .iter()
            .any(|p| !p.starts_with('{') || !p.ends_with('}') || p.contains(' '))
        {
            return;
        }
        for p in &parts {
            let made = symbols(p);
            most_at_once = most_at_once.max(made.len());
            kinds.extend(made);
        }
    }
    if kinds.len() >= 2 || most_at_once >= 2 {
        out.push(DesignFlaw::new(
            Check::BetterThanBasicLand,
            "a land that taps for more than a basic land, with no drawback".to_owned(),
        ));
    }
}

/// Keywords that only change how a card is cast or paid for, or only cost
/// its owner (an upkeep cost): a card of nothing else has no effect.
const CASTING_KEYWORDS: [&str; 12] = [
    "splice onto",
    "cumulative upkeep",
    "echo",
    "convoke",
    "delve",
    "flash",
    "split second",
    "improvise",
    "affinity for",
    "buyback",
    "retrace",
    "rebound",
];

/// What a sentence says that gives its owner nothing: a restriction on
/// casting, a tapped entry, a cost to keep or lose the card.
const NO_EFFECT_SENTENCES: [&str; 11] = [
    "as an additional cost to cast",
    "cast this spell only",
    "cast ~ only",
    "~ can't be countered",
    "this spell can't be countered",
    "~ enters the battlefield tapped",
    "~ doesn't untap",
    "sacrifice ~",
    "you lose ",
    "discard ",
    "activate this ability only",
];

static SELF_HARM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(destroy|exile|sacrifice) all [a-z ]*you control$").expect("a valid pattern")
});

static OPPONENT_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(each opponent|target opponent|an opponent) (gains [0-9x]+ life|draws (a|one|two|three|[0-9x]+) cards?)$",
    )
    .expect("a valid pattern")
});

static CHOICE_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^choose target [a-z ]+$").expect("a valid pattern"));

/// Is this sentence of a noncreature one that gives its owner nothing?
fn gives_nothing(sentence: &str, spell: bool) -> bool {
    let s = sentence.trim().trim_end_matches('.');
    if s.is_empty() {
        return true;
    }
    let s = s
        .strip_prefix("a player may ")
        .or_else(|| s.strip_prefix("you may "))
        .unwrap_or(s);
    let trigger_free = s
        .split_once(", ")
        .filter(|(head, _)| TRIGGERS.iter().any(|t| head.starts_with(t.trim_end())))
        .map_or(s, |(_, rest)| rest);
    NO_EFFECT_SENTENCES
        .iter()
        .any(|n| trigger_free.starts_with(n) || s.starts_with(n))
        // A spell that only moves itself: "exile ~", "shuffle ~ into ...".
        // Harm to its owner alone: "exile all permanents you control".
        || SELF_HARM.is_match(trigger_free)
        // A drawback alone: "sacrifice a creature.", "discard a card."
        || super::sense::is_drawback_only(&format!("{trigger_free}."))
        // A gift to opponents alone, or a target chosen for nothing.
        || OPPONENT_ONLY.is_match(trigger_free)
        || CHOICE_ONLY.is_match(trigger_free)
        || (spell
            && trigger_free.contains('~')
            && !trigger_free.contains("~ deals")
            && !trigger_free.contains("target"))
}

/// A noncreature card none of whose abilities does anything for its owner:
/// only casting keywords ("Convoke"), restrictions ("Cast this spell only
/// during combat"), drawbacks ("~ enters the battlefield tapped") or an
/// "Enchant" line. (Lands are judged only when they make no mana.)
fn does_nothing(view: &View, out: &mut Vec<DesignFlaw>) {
    // A land with a basic land type taps for mana by its type (Taiga).
    let typed_land = view.has_type("land") && !view.subtypes.is_empty();
    if view.can_be_creature()
        || view.has_type("planeswalker")
        || view.has_type("battle")
        || typed_land
    {
        return;
    }
    let spell = view.is_spell();
    // A spell that only draws a card replaces itself and does nothing else
    // (one real card in 18,871, Reach Through Mists, for its Arcane type;
    // "Destruction Mist", a green sorcery, in session 12's fixed reading).
    // With a drawback beside it ("Draw a card. You lose 3 life.", session
    // 16's default output; no training card) it is worse than nothing.
    let sentences: Vec<&str> = view
        .own_text
        .split(['\n', '.'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if spell
        && sentences.contains(&"draw a card")
        && sentences
            .iter()
            .all(|s| *s == "draw a card" || gives_nothing(s, spell))
    {
        let besides = if sentences.len() > 1 {
            " and costs you"
        } else {
            ""
        };
        out.push(DesignFlaw::new(
            Check::DoesNothing,
            format!(
                "{} that only draws a card{besides}: it replaces itself",
                view.kind()
            ),
        ));
        return;
    }
    let effective = view.lines.iter().any(|line| {
        let own = unquoted(line);
        if own.trim().is_empty() {
            return false;
        }
        if !own.contains(['.', ':']) {
            // A keyword line: an effect unless every keyword only casts, or
            // only keeps the card itself from being targeted (an enchantment
            // with shroud and nothing else, seen in session 16; no real card).
            return own.split(',').map(str::trim).any(|item| {
                !item.starts_with("enchant ")
                    && !CASTING_KEYWORDS.iter().any(|k| item.starts_with(k))
                    && !["shroud", "hexproof"].contains(&item)
            });
        }
        has_cost(&own) || !own.split(". ").all(|s| gives_nothing(s, spell))
    });
    if !effective {
        out.push(DesignFlaw::new(
            Check::DoesNothing,
            format!("{} that does nothing for its owner", view.kind()),
        ));
    }
}

/// An Aura that never says "enchanted" (or an Equipment "equipped"): it does
/// nothing to what it is attached to, so attaching it is pointless.
fn host_untouched(view: &View, out: &mut Vec<DesignFlaw>) {
    for (subtype, word, kind) in [
        ("aura", "enchanted", "an Aura"),
        ("equipment", "equipped", "an Equipment"),
    ] {
        if view.has_subtype(subtype)
            && !view.text.contains(word)
            && !view.text.contains("becomes")
            && !view.text.contains("as a copy")
        {
            out.push(DesignFlaw::new(
                Check::HostUntouched,
                format!("{kind} that does nothing to what it is attached to"),
            ));
        }
    }
}

/// A `*` power or toughness that no text defines (real ones say "~'s power
/// is equal to the number of ...").
fn undefined_star(view: &View, out: &mut Vec<DesignFlaw>) {
    let starred = |v: &Option<String>| v.as_deref().is_some_and(|s| s.contains('*'));
    if (starred(&view.card.power) || starred(&view.card.toughness))
        && !["equal", "number of", "where"]
            .iter()
            .any(|w| view.text.contains(w))
    {
        out.push(DesignFlaw::new(
            Check::UndefinedStar,
            "a * in its power or toughness that no text defines".to_owned(),
        ));
    }
}

/// How a one-shot effect begins: said by a spell, or by a permanent's
/// triggered or activated ability, never by a permanent on its own.
const ONE_SHOTS: [&str; 31] = [
    "draw ",
    "scry ",
    "surveil ",
    "look at the top",
    "reveal the top",
    "each player loses",
    "each opponent loses",
    "each player reveals",
    "each opponent reveals",
    "each player draws",
    "each player discards",
    "each opponent discards",
    "each player sacrifices",
    "each opponent sacrifices",
    "target ",
    "you gain ",
    "you lose ",
    "return ",
    "destroy ",
    "exile target",
    "exile all",
    "counter target",
    "search your library",
    "create ",
    "put ",
    "tap target",
    "untap target",
    "~ deals ",
    "add ",
    "investigate",
    "proliferate",
];

/// A permanent's ability that is a one-shot effect with nothing to start it
/// ("Each player loses 2 life." on a creature, "Return ~ from your graveyard
/// to the battlefield."): no trigger, no cost, so it never happens.
fn one_shot_on_permanent(view: &View, out: &mut Vec<DesignFlaw>) {
    if view.is_spell() || view.has_subtype("saga") || view.has_type("planeswalker") {
        return;
    }
    for line in &view.lines {
        let own = unquoted(line);
        let first = own.split(". ").next().unwrap_or("").trim();
        if first.starts_with('•') || has_cost(&own) || TRIGGERS.iter().any(|t| first.starts_with(t))
        {
            continue;
        }
        // "~ deals damage to ... as though" and similar statics are not
        // one-shots; a number of damage is.
        let deals_static = first.starts_with("~ deals ")
            && !first["~ deals ".len()..].starts_with(|c: char| c.is_ascii_digit() || c == 'x');
        if ONE_SHOTS.iter().any(|o| first.starts_with(o)) && !deals_static {
            out.push(DesignFlaw::new(
                Check::OneShotOnPermanent,
                format!(
                    "\"{}\" on {}, with nothing to start it",
                    first.trim_end_matches('.'),
                    view.kind_with_creature()
                ),
            ));
            return;
        }
    }
}

/// "That creature" with no creature named before it on the card ("You gain
/// life equal to that creature's toughness" on a sorcery): real cards always
/// say which creature first (a target, a trigger's, the card itself).
fn unbound_that_creature(view: &View, out: &mut Vec<DesignFlaw>) {
    let text = &view.own_text;
    // "that creature" or "that creature's", not "that creatures would".
    let Some((at, _)) = text
        .match_indices("that creature")
        .find(|(i, m)| !text[i + m.len()..].starts_with(|c: char| c.is_alphabetic()))
    else {
        return;
    };
    let before = &text[..at];
    if !["creature", "blocks", "attacks", "blocked", "~"]
        .iter()
        .any(|w| before.contains(w))
        && !view.has_type("creature")
    {
        out.push(DesignFlaw::new(
            Check::UnboundThatCreature,
            "\"that creature\" with no creature before it".to_owned(),
        ));
    }
}

/// A noncreature that pumps itself or gains or carries a creature keyword.
fn noncreature_as_creature(view: &View, out: &mut Vec<DesignFlaw>) {
    if view.can_be_creature() {
        return;
    }
    let kind = view.kind();
    // `~ gets +3/+0`, `~ gains flying`.
    let text = &view.own_text;
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
    // `{T}: ...` on an enchantment: enchantments do not tap (3 real ones of
    // 2,300 do, Witch's Mist among them; 8 of 1,000 raw samples).
    if view.has_type("enchantment")
        && !view.has_type("artifact")
        && !view.has_type("land")
        && view
            .lines
            .iter()
            .any(|l| activation(l).is_some_and(|(cost, _)| cost.contains("{t}")))
    {
        out.push(DesignFlaw::new(
            Check::NoncreaturePumpsItself,
            format!("{kind} that taps for an ability, but enchantments do not tap"),
        ));
    }
    // `Regenerate ~` on an enchantment: only permanents that can be destroyed
    // in combat regenerate (real noncreatures that do are artifacts and lands).
    if text.contains("regenerate ~") && !view.has_type("artifact") && !view.has_type("land") {
        out.push(DesignFlaw::new(
            Check::NoncreaturePumpsItself,
            format!("{kind} that regenerates itself, but it is no creature"),
        ));
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
        if let Some(k) = line.split(',').map(str::trim).find(|item| {
            CREATURE_KEYWORDS.contains(item)
                // Turned face up as a creature: 3 real noncreatures have
                // morph (Future Sight's Zoetic Cavern, Lumithread Field,
                // Whetwheel), so it is a tie-breaker here, not a verdict.
                || ["morph ", "megamorph ", "disguise "]
                    .iter()
                    .any(|k| item.starts_with(k))
        }) {
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
        if (own.contains("activate this ability only")
            || own.contains("activate only")
            || own.contains("any player may activate this ability"))
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

/// An ability that starts "It ...", or "If you do" (or "Otherwise"):
/// nothing before it for "it" to be, nothing done to follow.
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
    if view.lines.iter().any(|line| {
        ["if you do", "if you don't", "otherwise"]
            .iter()
            .any(|s| line.starts_with(s))
    }) {
        out.push(DesignFlaw::new(
            Check::LeadingIt,
            "an ability starting \"If you do\" with nothing done before it".to_owned(),
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

/// A pump with no minus in it and no drawback beside it: every real `{0}`
/// pump pays for itself (Chronatog skips a turn, Hopping Automaton gets
/// -1/-1, Flowstone Hellion +1/-1).
fn free_pump(effect: &str) -> bool {
    effect.contains("gets +")
        && !effect.contains('-')
        && !effect.contains('−')
        && !["skip", "only once", "sacrifice", "exile", "lose"]
            .iter()
            .any(|d| effect.contains(d))
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
            || effect.starts_with("add ")
            || free_pump(&effect);
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::decode::{decode_with, Rules};

    /// `line` decoded; it must be well-formed.
    pub(crate) fn card(line: &str) -> Card {
        let card = decode_with(line, Rules::for_lines(&[line.to_owned()]));
        assert!(card.well_formed, "{line}: {:?}", card.problems);
        card
    }

    /// The flaws one file's checks (`checks`) find in `line`.
    pub(in crate::judge) fn flaws_by(
        line: &str,
        checks: fn(&View, &mut Vec<DesignFlaw>),
    ) -> Vec<DesignFlaw> {
        let card = card(line);
        let view = View::new(&card);
        let mut out = Vec::new();
        checks(&view, &mut out);
        out
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
        // An enemy colour on a mono-coloured card (the shipped model's, session 11).
        assert_flaw(
            "Ⓢconfrost tarsis⒞①Ⓦ⒭C⒯creature:elf warrior⒫3/1⒜①Ⓑ, ↷: draw a card.Ⓔ",
            Check::OffColourActivation,
            "costing black on a white card",
        );
        assert_flaw(
            "Ⓢsweeple restorer⒞②Ⓑ⒭R⒯creature:wurm⒫2/4⒜Ⓖ, ↷: add ⒼⓇ.Ⓔ",
            Check::OffColourActivation,
            "costing green on a black card",
        );
        // One ally colour on a mono-coloured card, hybrid, Phyrexian, a land,
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
        // A land whose activation needs a colour it does not make (the
        // shipped model's, session 14); real lands pay their own colours.
        assert_flaw(
            "Ⓢtigergrown en-misher⒞⒭R⒯land⒜Ⓝ enters the battlefield tapped.⒜↷: add Ⓑ.⒜②ⓇⓇ, ↷: target attacking creature gets -1/-1 until end of turn.Ⓔ",
            Check::OffColourActivation,
            "costing red on a land that makes black",
        );
        for real in [
            "Ⓢkeldon megaliths⒞⒭U⒯land⒜Ⓝ enters the battlefield tapped.⒜↷: add Ⓡ.⒜hellbent — ①Ⓡ, ↷: Ⓝ deals 1 damage to any target. activate this ability only if you have no cards in hand.Ⓔ",
            "Ⓢgemstone caverns⒞⒭M⒯legendary land⒜↷: add Ⓒ.⒜↷: add one mana of any color.⒜Ⓦ, ↷: prevent the next 1 damage that would be dealt to you this turn.Ⓔ",
        ] {
            assert_clean(real);
        }
    }

    #[test]
    fn noncreatures_that_regenerate_or_tap() {
        // The shipped model's (session 11).
        assert_flaw(
            "Ⓢwind tethor⒞Ⓦ⒭C⒯enchantment⒜Ⓦ: regenerate Ⓝ.Ⓔ",
            Check::NoncreaturePumpsItself,
            "an enchantment that regenerates itself",
        );
        assert_flaw(
            "Ⓢmana-rage⒞①ⓊⓊ⒭C⒯enchantment⒜↷: add Ⓒ.⒜②: draw a card.Ⓔ",
            Check::NoncreaturePumpsItself,
            "an enchantment that taps for an ability",
        );
        // Real artifacts and lands may.
        assert_clean(
            "Ⓢjalum tome⒞③⒭R⒯artifact⒜②, ↷: draw a card, then discard a card.⒜Ⓑ: regenerate Ⓝ.Ⓔ",
        );
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
        // The fresh-clone quick start of 2026-12-01.
        assert_flaw(
            "Ⓢseaswood root⒞⒭M⒯land⒜↷: add Ⓒ.⒜Ⓑ: Ⓝ gains deathtouch until end of turn.Ⓔ",
            Check::NoncreaturePumpsItself,
            "gains deathtouch",
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
            "Ⓢllexic disiver⒞ⓌⓌ⒭U⒯sorcery⒜you gain 1 life. you gain life equal to that creature's toughness.⒜draw two cards.Ⓔ",
            Check::UnboundThatCreature,
            "no creature before it",
        );
        assert_flaw(
            "Ⓢaven yuji's monebunes⒞③ⒷⒷ⒭U⒯creature:beast⒫2/5⒜if you do, target creature gets -x/-x until end of turn.Ⓔ",
            Check::LeadingIt,
            "starting \"If you do\"",
        );
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
            "Ⓢhanned ogre⒞①ⒼⓇ⒭R⒯creature:vedalken scout⒫4/4⒜{0}: until end of turn, Ⓝ gets +2/+1 and gains first strike until end of turn.Ⓔ",
            Check::FreeActivation,
            "something for nothing",
        );
        // Real {0} pumps pay for them.
        assert_clean(
            "Ⓢchronatog⒞①ⓊⓊ⒭R⒯creature:atog⒫1/2⒜{0}: Ⓝ gets +3/+3 until end of turn. you skip your next turn. activate this ability only once each turn.Ⓔ",
        );
        assert_clean(
            "Ⓢflowstone hellion⒞④Ⓡ⒭U⒯creature:hellion beast⒫3/3⒜haste⒜{0}: Ⓝ gets +1/-1 until end of turn.Ⓔ",
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
        // Session 20's sheets: a player or targets chosen for nothing.
        for (line, what) in [
            ("Ⓢgod of ramage⒞①Ⓖ⒭R⒯sorcery⒜choose an opponent.Ⓔ", "chooses an opponent"),
            ("Ⓢwitch⒞Ⓦ⒭U⒯enchantment⒜as Ⓝ enters the battlefield, choose an opponent.Ⓔ", "chooses an opponent"),
            ("Ⓢpuremith⒞②ⓊⓊ⒭R⒯instant⒜choose any number of target attacking creatures.Ⓔ", "chooses any number of target"),
            ("Ⓢvicious outback⒞②Ⓦ⒭U⒯instant⒜choose any number of target creatures. prevent the next 4 damage that would be dealt to any target this turn.Ⓔ", "chooses any number of target"),
        ] {
            assert_flaw(line, Check::UnusedChoice, what);
        }
        for real in [
            "Ⓢcursed rack⒞④⒭U⒯artifact⒜as Ⓝ enters the battlefield, choose an opponent.⒜the chosen player's maximum hand size is four.Ⓔ",
            "Ⓢstadium vendors⒞③Ⓡ⒭C⒯creature:goblin⒫3/3⒜when Ⓝ enters the battlefield, choose a player. that player adds two mana of any one color they choose.Ⓔ",
            "Ⓢsolidarity of heroes⒞②Ⓖ⒭U⒯instant⒜strive — this spell costs ①Ⓖ more to cast for each target beyond the first.⒜choose any number of target creatures. double the number of +1/+1 counters on each of them.Ⓔ",
            "Ⓢboreas charger⒞②Ⓦ⒭R⒯creature:pegasus⒫2/1⒜flying⒜when Ⓝ leaves the battlefield, choose an opponent who controls more lands than you. search your library for a number of plains cards equal to the difference and reveal them. put one of them onto the battlefield tapped and the rest into your hand. then shuffle your library.Ⓔ",
        ] {
            assert_clean(real);
        }
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

    #[test]
    fn costs_and_payoffs_out_of_place() {
        // Session 10's and 11's blind readings: every spell {3} or {4} cheaper.
        assert_flaw(
            "Ⓢmountain to sphere⒞②⒭C⒯artifact⒜spells you cast cost ③ less to cast.Ⓔ",
            Check::CostReductionAboveRate,
            "every spell {3} cheaper: real cards take {1} off at most",
        );
        assert_clean("Ⓢthe immortal sun⒞⑥⒭M⒯legendary artifact⒜players can't activate loyalty abilities of planeswalkers.⒜at the beginning of your draw step, draw an additional card.⒜spells you cast cost ① less to cast.⒜creatures you control get +1/+1.Ⓔ");
        // v2's reading: echo in white on a colourless artifact, a payment for
        // a discard, a land better than a Swamp.
        assert_flaw(
            "Ⓢkecketeo's morha⒞③⒭U⒯artifact creature:illusion⒫2/2⒜echo ③Ⓦ⒜protection from artifactsⒺ",
            Check::OffColourKeywordCost,
            "Echo paid in white on a colourless card",
        );
        assert_flaw(
            "Ⓢgear morha⒞③⒭C⒯artifact creature:golem⒫2/2⒜kicker ②Ⓤ⒜hasteⒺ",
            Check::OffColourKeywordCost,
            "Kicker paid in blue on a colourless card",
        );
        // Session 11's reading: a morph and a dash in another colour; real
        // cards pay kicker, flashback and cycling so, not these.
        assert_flaw(
            "Ⓢscaleming wast⒞②Ⓡ⒭C⒯creature:beast⒫2/2⒜megamorph ①ⒷⒺ",
            Check::OffColourKeywordCost,
            "Megamorph paid in black on a red card",
        );
        assert_flaw(
            "Ⓢscout glider⒞④Ⓦ⒭C⒯creature:human mercenary⒫2/2⒜dash ⓌⓇⒺ",
            Check::OffColourKeywordCost,
            "Dash paid in red on a white card",
        );
        assert_clean(
            "Ⓢlingering souls⒞②Ⓦ⒭U⒯sorcery⒜create two 1/1 white spirit creature tokens with flying.⒜flashback ①ⒷⒺ",
        );
        assert_flaw(
            "Ⓢkhinzry⒞Ⓤ⒭R⒯enchantment⒜whenever a land enters the battlefield under your control, you may pay ②. if you do, discard a card.Ⓔ",
            Check::OnlyCostsYou,
            "only effect costs you",
        );
        for spell in [
            "Ⓢblaghtbird⒞④Ⓡ⒭U⒯sorcery⒜exile target creature you control.Ⓔ",
            "Ⓢgrief⒞①Ⓑ⒭C⒯instant⒜discard a card.Ⓔ",
            "Ⓢriver illusionary⒞⒭R⒯land⒜↷: add Ⓒ.⒜⑤: you may discard a card at random.Ⓔ",
        ] {
            assert_flaw(spell, Check::OnlyCostsYou, "only effect costs you");
        }
        assert_clean("Ⓢflicker⒞①Ⓦ⒭C⒯instant⒜exile target creature you control, then return that card to the battlefield under your control.Ⓔ");
        assert_flaw(
            "Ⓢhollow pact⒞①Ⓑ⒭C⒯creature:zombie⒫2/2⒜②: you lose 2 life.Ⓔ",
            Check::OnlyCostsYou,
            "only effect costs you",
        );
        assert_flaw(
            "Ⓢlightning queast⒞④Ⓑ⒭R⒯creature:beast⒫6/4⒜↷: Ⓝ deals 2 damage to you.Ⓔ",
            Check::OnlyCostsYou,
            "only effect costs you",
        );
        assert_flaw(
            "Ⓢummow astivoled⒞⒭M⒯land⒜↷: add Ⓒ.⒜ⒼⒷ, sacrifice Ⓝ: each opponent gains 2 life. activate this ability only during your upkeep.Ⓔ",
            Check::OnlyCostsYou,
            "only effect helps an opponent",
        );
        assert_flaw(
            "Ⓢcrow raking⒞⒭R⒯land⒜↷: add Ⓒ.⒜↷: add Ⓑ.Ⓔ",
            Check::BetterThanBasicLand,
            "more than a basic land",
        );
        assert_flaw(
            "Ⓢtwin grove⒞⒭U⒯land⒜↷: add ⒼⒼ.Ⓔ",
            Check::BetterThanBasicLand,
            "more than a basic land",
        );
        for real in [
            "Ⓢtolarian emissary⒞②Ⓤ⒭U⒯creature:human wizard⒫1/2⒜kicker ①Ⓦ⒜flying⒜when Ⓝ enters the battlefield, if it was kicked, destroy target enchantment.Ⓔ",
            "Ⓢkarmic guide⒞③ⓌⓌ⒭R⒯creature:angel spirit⒫2/2⒜flying, protection from black⒜echo ③ⓌⓌ⒜when Ⓝ enters the battlefield, return target creature card from your graveyard to the battlefield.Ⓔ",
            "Ⓢwretched gryff⒞⑦⒭C⒯creature:eldrazi hippogriff⒫3/4⒜emerge ⑤Ⓤ⒜when you cast this spell, draw a card.⒜flyingⒺ",
            "Ⓢcitanul woodreaders⒞③Ⓖ⒭C⒯creature:human druid⒫1/4⒜kicker ②Ⓖ⒜when Ⓝ enters the battlefield, if it was kicked, draw two cards.Ⓔ",
            "Ⓢmana vault⒞①⒭R⒯artifact⒜Ⓝ doesn't untap during your untap step.⒜at the beginning of your upkeep, you may pay ④. if you do, untap Ⓝ.⒜↷: add ⒸⒸⒸ.Ⓔ",
            "Ⓢwild mongrel⒞①Ⓖ⒭C⒯creature:dog⒫2/2⒜discard a card: Ⓝ gets +1/+1 and becomes the color of your choice until end of turn.Ⓔ",
            "Ⓢadarkar wastes⒞⒭R⒯land⒜↷: add Ⓒ.⒜↷: add Ⓦ or Ⓤ. Ⓝ deals 1 damage to you.Ⓔ",
            "Ⓢcommand tower⒞⒭C⒯land⒜↷: add one mana of any color in your commander's color identity.Ⓔ",
            "Ⓢwastes⒞⒭C⒯basic land⒜↷: add Ⓒ.Ⓔ",
            "Ⓢtaiga⒞⒭R⒯land:mountain forest⒜(↷: add Ⓡ or Ⓖ.)Ⓔ",
        ] {
            assert_clean(real);
        }
    }

    #[test]
    fn cards_that_do_nothing() {
        assert_flaw(
            "Ⓢdestruction mist⒞①Ⓖ⒭U⒯sorcery⒜draw a card.Ⓔ",
            Check::DoesNothing,
            "a sorcery that only draws a card: it replaces itself",
        );
        assert_flaw(
            "Ⓢedembate⒞④Ⓑ⒭C⒯sorcery⒜draw a card. you lose 3 life.Ⓔ",
            Check::DoesNothing,
            "a sorcery that only draws a card and costs you: it replaces itself",
        );
        // The quick start's and v2's readings.
        for (line, reason) in [
            ("Ⓢgather⒞③Ⓖ⒭C⒯instant⒜convokeⒺ", "an instant that does nothing"),
            ("Ⓢwar cry⒞①Ⓡ⒭C⒯sorcery⒜cast this spell only during combat.Ⓔ", "a sorcery that does nothing"),
            ("Ⓢurvaminake⒞Ⓦ⒭C⒯sorcery⒜a player may exile Ⓝ.Ⓔ", "a sorcery that does nothing"),
            ("Ⓢbleak moor⒞⒭U⒯land⒜Ⓝ enters the battlefield tapped.⒜at the beginning of your upkeep, you lose 1 life.Ⓔ", "a land that does nothing"),
            ("Ⓢrito⒞Ⓖ⒭S⒯enchantment⒜cumulative upkeep ⒷⒺ", "an enchantment that does nothing"),
            ("Ⓢcatyal diseldion⒞Ⓖ⒭U⒯sorcery⒜splice onto arcane ⑤ⒷⒷⒺ", "a sorcery that does nothing"),
            ("Ⓢsiric brike⒞③Ⓦ⒭C⒯instant⒜exile all permanents you control.Ⓔ", "an instant that does nothing"),
            // The blind reading's: a drawback alone, an additional cost alone.
            ("Ⓢthe dark force⒞①Ⓖ⒭C⒯sorcery⒜sacrifice a creature.Ⓔ", "a sorcery that does nothing"),
            ("Ⓢanabris's knight⒞②Ⓖ⒭C⒯sorcery⒜as an additional cost to cast this spell, sacrifice a land.Ⓔ", "a sorcery that does nothing"),
            // Session 16's default output: it only protects itself.
            ("Ⓢfolced avany⒞③Ⓦ⒭U⒯enchantment⒜shroudⒺ", "an enchantment that does nothing"),
        ] {
            assert_flaw(line, Check::DoesNothing, reason);
        }
        assert_flaw(
            "Ⓢclashfrowtle⒞ⒷⓌ⒭C⒯enchantment:aura⒜enchant creature⒜whenever an opponent sacrifices an artifact, sacrifice Ⓝ.Ⓔ",
            Check::HostUntouched,
            "an Aura that does nothing to what it is attached to",
        );
        for real in [
            "Ⓢfireball⒞ⓍⓇ⒭C⒯sorcery⒜Ⓝ deals x damage divided as you choose among any number of targets.Ⓔ",
            "Ⓢrighteous blow⒞Ⓦ⒭C⒯instant⒜Ⓝ deals 2 damage to target attacking or blocking creature.Ⓔ",
            "Ⓢtranquil thicket⒞⒭C⒯land⒜Ⓝ enters the battlefield tapped.⒜↷: add Ⓖ.⒜cycling ⒼⒺ",
            "Ⓢecho of eons⒞④ⓊⓊ⒭M⒯sorcery⒜each player shuffles their hand and graveyard into their library, then draws seven cards.⒜flashback ②ⓊⒺ",
            "Ⓢbonesplitter⒞①⒭C⒯artifact:equipment⒜equipped creature gets +2/+0.⒜equip ①Ⓔ",
            // Real spells that draw a card beside something else.
            "Ⓢpeek⒞Ⓤ⒭C⒯instant⒜look at target player's hand.⒜draw a card.Ⓔ",
            "Ⓢreviving dose⒞②Ⓦ⒭C⒯instant⒜you gain 3 life.⒜draw a card.Ⓔ",
            "Ⓢbandage⒞Ⓦ⒭C⒯instant⒜prevent the next 1 damage that would be dealt to any target this turn.⒜draw a card.Ⓔ",
            "Ⓢtwitch⒞②Ⓤ⒭C⒯instant⒜you may tap or untap target artifact, creature, or land.⒜draw a card.Ⓔ",
        ] {
            assert_clean(real);
        }
    }

    #[test]
    fn undefined_stars_and_untouched_equipment() {
        // `*` P/T is of the full encoding.
        let full = |line: &str| design_flaws(&decode_with(line, Rules::Full));
        let star = full("Ⓢwarpseamer⒞④⒭R⒯artifact creature:nephilim⒫*/1⒜↷: tap target artifact.Ⓔ");
        assert!(
            star.iter().any(|f| f.check == Check::UndefinedStar),
            "{star:?}"
        );
        assert_flaw(
            "Ⓢnight's sec⒞①⒭C⒯artifact:equipment⒜whenever a creature dies, create a 1/1 green elemental creature token with lifelink.Ⓔ",
            Check::HostUntouched,
            "an Equipment that does nothing",
        );
        let lhurgoyf = full("Ⓢlhurgoyf⒞②Ⓖ⒭R⒯creature:lhurgoyf⒫*/1+*⒜Ⓝ's power is equal to the number of creature cards in all graveyards and its toughness is equal to that number plus 1.Ⓔ");
        assert!(lhurgoyf.is_empty(), "{lhurgoyf:?}");
    }

    #[test]
    fn one_shot_effects_on_permanents() {
        for (line, reason) in [
            ("Ⓢjhedre jonous⒞①Ⓑ⒭C⒯creature:zombie⒫2/3⒜reach⒜each player loses 2 life.Ⓔ", "\"each player loses 2 life\" on a creature"),
            ("Ⓢimpester⒞ⓌⓊ⒭C⒯creature:human soldier spirit⒫3/2⒜flying⒜return Ⓝ from your graveyard to the battlefield.Ⓔ", "\"return ~ from your graveyard to the battlefield\" on a creature"),
            ("Ⓢwall of golem⒞⑤⒭C⒯artifact creature:golem⒫3/3⒜draw a card.Ⓔ", "\"draw a card\" on a creature"),
            ("Ⓢrick-cathed trooper⒞⑤⒭R⒯artifact creature:sliver⒫3/2⒜investigate.Ⓔ", "\"investigate\" on a creature"),
        ] {
            assert_flaw(line, Check::OneShotOnPermanent, reason);
        }
        for real in [
            "Ⓢangel of mercy⒞④Ⓦ⒭U⒯creature:angel⒫3/3⒜flying⒜when Ⓝ enters the battlefield, you gain 3 life.Ⓔ",
            "Ⓢglorious anthem⒞①ⓌⓌ⒭R⒯enchantment⒜creatures you control get +1/+1.Ⓔ",
            "Ⓢmind stone⒞②⒭U⒯artifact⒜↷: add Ⓒ.⒜①, ↷, sacrifice Ⓝ: draw a card.Ⓔ",
            "Ⓢshock⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ",
        ] {
            assert_clean(real);
        }
    }
}
