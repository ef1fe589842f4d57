//! Steering generation field by field (the seed's idea, never built): the
//! user fixes some fields of a card, and when the model reaches a field's
//! marker the given value is fed in instead of sampled.
//!
//! [`ForcingPlan::new`] checks and encodes the values once; each generated
//! card then gets a [`Forcing`] that sees every character the model emits
//! (sampled or forced) and answers with the text to feed next, and which
//! characters the model may not write now. Rules:
//!
//! - `Ⓢ` → the name, lower-cased, then `⒞` (the seed's priming).
//! - `⒞` → the cost in the seed's symbols, then `⒭`.
//! - `⒭` → the rarity letter, then `⒯`.
//! - `⒯` → the type, then `:` and the subtypes if given, then `⒫` when the
//!   card is a creature. With only the type given, the model may add `:` and
//!   subtypes, then the next field's marker.
//! - `:` in the type field → the subtypes (when the type was not forced).
//! - `⒫` → the P/T, then `⒜`.
//! - the first `⒜` → the ability; the model then starts another ability or ends.
//! - A forced P/T implies a creature: without `--type` the type is `creature`.
//! - Full encoding only (a seed model's vocabulary refuses them):
//!   `--layout` writes `⒨layout` after the rarity letter; `--loyalty` implies a
//!   planeswalker and writes `⒧N` after the type; `--back-name` needs a
//!   multi-part `--layout` and feeds the second face's name after `⒝`, and the
//!   model may not end the card before it.
//! - Until a forced field is reached, the model may not write the markers of
//!   later fields (nor `Ⓔ`), so every forced value ends up in the card.

use std::sync::Arc;

use crate::encode::encode_mana_cost;
use crate::markers::{
    ABILITY, COST, DEFENSE, END, FACE, LAYOUT, LOYALTY, MULTI_PART_LAYOUTS, NAME, POWER_TOUGHNESS,
    RARITY, START, TAP, TYPE,
};

/// The names of the fields a card may miss ([`Forcing::missed`]), in the
/// order they are written.
pub const FORCED_FIELDS: [&str; FIELDS] = [
    "cost",
    "rarity",
    "layout",
    "type",
    "subtypes",
    "P/T",
    "loyalty",
    "ability",
    "back name",
];

/// The values a user fixes, as given on the command line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ForceOptions {
    pub name: Option<String>,
    /// `{2}{G}` notation.
    pub cost: Option<String>,
    /// A rarity word (`mythic`) or letter (`M`).
    pub rarity: Option<String>,
    /// Type words (`artifact creature`), optionally with `: subtypes`.
    pub type_line: Option<String>,
    pub subtypes: Option<String>,
    /// `power/toughness`.
    pub pt: Option<String>,
    pub ability: Option<String>,
    /// A multi-part layout (`transform`, `split`, ...; full encoding).
    pub layout: Option<String>,
    /// A planeswalker's starting loyalty (full encoding).
    pub loyalty: Option<String>,
    /// The second face's name (full encoding, with a multi-part layout).
    pub back_name: Option<String>,
}

/// Checked, encoded values: what is fed to the model.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ForcingPlan {
    /// Lower-cased name followed by `⒞`.
    pub name: Option<String>,
    /// Encoded cost (`②Ⓖ`) followed by `⒭`.
    pub cost: Option<String>,
    /// Rarity letter followed by `⒯`.
    pub rarity: Option<String>,
    /// Type words (`creature`), without subtypes.
    pub types: Option<String>,
    pub subtypes: Option<String>,
    /// `3/3` followed by `⒜`.
    pub pt: Option<String>,
    /// Encoded ability text.
    pub ability: Option<String>,
    /// `⒨layout⒯`, fed after the rarity letter.
    pub layout: Option<String>,
    /// The loyalty followed by `⒜`, fed after `⒧`.
    pub loyalty: Option<String>,
    /// The second face's lower-cased name followed by `⒞`, fed after `⒝`.
    pub back_name: Option<String>,
    /// Whether the card must be a creature (from the type or the P/T).
    pub creature: bool,
    /// Whether the card must be a planeswalker with its loyalty (`--loyalty`).
    pub walker: bool,
}

fn clean(option: &str, value: &str) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("{option} is empty"));
    }
    let markers = [
        START,
        END,
        COST,
        RARITY,
        TYPE,
        POWER_TOUGHNESS,
        ABILITY,
        NAME,
        LAYOUT,
        LOYALTY,
        DEFENSE,
        FACE,
    ];
    if let Some(c) = value
        .chars()
        .find(|c| markers.contains(c) || *c == '\n' || *c == '\r')
    {
        return Err(format!(
            "{option} {value:?} contains {c:?}, which the card encoding reserves"
        ));
    }
    Ok(value.to_owned())
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A mana symbol of printed cards, without braces: a number, W U B R G C X Y
/// Z S, or a hybrid / Phyrexian pair of them (`W/U`, `2/W`, `G/P`).
fn is_mana_symbol(symbol: &str) -> bool {
    let one = |s: &str| {
        (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
            || ["W", "U", "B", "R", "G", "C", "X", "Y", "Z", "S"].contains(&s)
    };
    let parts: Vec<&str> = symbol.split('/').collect();
    match parts.as_slice() {
        [a] => one(a),
        [a, b] => one(a) && (one(b) || *b == "P"),
        [a, b, "P"] => one(a) && one(b),
        _ => false,
    }
}

/// The seed's rarity letter for a word or letter.
pub fn rarity_letter_for(value: &str) -> Option<char> {
    Some(match value.trim().to_lowercase().as_str() {
        "c" | "common" => 'C',
        "u" | "uncommon" => 'U',
        "r" | "rare" => 'R',
        "m" | "mythic" | "mythic rare" => 'M',
        "s" | "special" | "promo" => 'S',
        "b" | "basic" | "basic land" => 'B',
        _ => return None,
    })
}

impl ForcingPlan {
    /// Checks the options against each other and encodes them.
    pub fn new(opts: &ForceOptions) -> Result<Self, String> {
        let mut plan = ForcingPlan::default();
        let name = match &opts.name {
            Some(n) => Some(words(&clean("--name", n)?.to_lowercase())),
            None => None,
        };
        if let Some(n) = &name {
            plan.name = Some(format!("{n}{COST}"));
        }
        if let Some(cost) = &opts.cost {
            let cost = clean("--cost", cost)?;
            let encoded = encode_mana_cost(&cost.replace(' ', ""));
            // The decoder's cost parser is the judge of a well-formed cost.
            let probe = crate::decode::decode(&format!(
                "{START}x{COST}{encoded}{RARITY}C{TYPE}instant{ABILITY}x{END}"
            ));
            if let Some(p) = probe.problems.iter().find(|p| p.contains("cost")) {
                return Err(format!(
                    "--cost {cost:?}: {p} (write costs as {{2}}{{G}}; see --help)"
                ));
            }
            // Braces the encoding keeps are symbols no card has (`{Q}`).
            if let Some(bad) = probe.mana_symbols.iter().find(|s| !is_mana_symbol(s)) {
                return Err(format!(
                    "--cost {cost:?}: {{{bad}}} is not a mana symbol (W U B R G C X, numbers, hybrids such as {{W/U}}; see --help)"
                ));
            }
            plan.cost = Some(format!("{encoded}{RARITY}"));
        }
        if let Some(r) = &opts.rarity {
            let letter = rarity_letter_for(r).ok_or_else(|| {
                format!("--rarity {r:?}: expected common, uncommon, rare, mythic, special or basic (or C U R M S B)")
            })?;
            plan.rarity = Some(format!("{letter}{TYPE}"));
        }
        if let Some(layout) = &opts.layout {
            let layout = clean("--layout", layout)?.to_lowercase().replace('-', "_");
            if !MULTI_PART_LAYOUTS.contains(&layout.as_str()) {
                return Err(format!(
                    "--layout {layout:?}: expected one of {}",
                    MULTI_PART_LAYOUTS.join(", ")
                ));
            }
            // With the rarity forced, the layout follows it in the same text.
            match &mut plan.rarity {
                Some(rarity) => {
                    rarity.pop();
                    rarity.push_str(&format!("{LAYOUT}{layout}{TYPE}"));
                }
                None => plan.layout = Some(format!("{LAYOUT}{layout}{TYPE}")),
            }
        }
        if let Some(back) = &opts.back_name {
            if opts.layout.is_none() {
                return Err(
                    "--back-name needs --layout (a card with a second face, e.g. --layout transform)"
                        .into(),
                );
            }
            let back = words(&clean("--back-name", back)?.to_lowercase());
            plan.back_name = Some(format!("{back}{COST}"));
        }
        let mut subtypes = match &opts.subtypes {
            Some(s) => Some(words(&clean("--subtypes", s)?.to_lowercase())),
            None => None,
        };
        if let Some(t) = &opts.type_line {
            let t = clean("--type", t)?.to_lowercase().replace('—', ":");
            let (types, subs) = match t.split_once(':') {
                Some((a, b)) => (words(a), Some(words(b))),
                None => (words(&t), None),
            };
            if types.is_empty() {
                return Err(format!("--type {t:?} has no type words"));
            }
            if let Some(subs) = subs.filter(|s| !s.is_empty()) {
                if subtypes.is_some() {
                    return Err(
                        "subtypes given both in --type and --subtypes: give them once".into(),
                    );
                }
                subtypes = Some(subs);
            }
            plan.creature = types.split(' ').any(|w| w == "creature");
            plan.types = Some(types);
        }
        if let Some(loyalty) = &opts.loyalty {
            let loyalty = clean("--loyalty", loyalty)?.to_lowercase();
            if !(loyalty.chars().all(|c| c.is_ascii_digit()) || loyalty == "x") {
                return Err(format!(
                    "--loyalty {loyalty:?}: expected a number such as 3 (or X)"
                ));
            }
            if opts.pt.is_some() {
                return Err("--loyalty and --pt: a planeswalker has loyalty, not P/T".into());
            }
            match &plan.types {
                Some(types) if !types.split(' ').any(|w| w == "planeswalker") => {
                    return Err(format!(
                        "--loyalty {loyalty} needs a planeswalker, but --type is {types:?}"
                    ))
                }
                Some(_) => {}
                None => plan.types = Some("planeswalker".into()),
            }
            plan.walker = true;
            plan.loyalty = Some(format!("{loyalty}{ABILITY}"));
        }
        if let Some(pt) = &opts.pt {
            let pt = clean("--pt", pt)?.replace(' ', "");
            let ok = pt.split_once('/').is_some_and(|(p, t)| {
                let part = |s: &str| {
                    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || "*+-.".contains(c))
                };
                part(p) && part(t)
            });
            if !ok {
                return Err(format!("--pt {pt:?}: expected power/toughness such as 3/3"));
            }
            let vehicle = subtypes
                .as_deref()
                .is_some_and(|s| s.split(' ').any(|w| w == "vehicle"));
            match &plan.types {
                Some(types) if !plan.creature && !vehicle => {
                    return Err(format!(
                        "--pt {pt} needs a creature, but --type is {types:?}"
                    ))
                }
                Some(_) => {}
                None => {
                    plan.types = Some("creature".into());
                    plan.creature = true;
                }
            }
            plan.pt = Some(format!("{pt}{ABILITY}"));
        }
        plan.subtypes = subtypes;
        if let Some(a) = &opts.ability {
            let mut text = clean("--ability", a)?.to_lowercase();
            if let Some(n) = &name {
                text = text.replace(n.as_str(), &NAME.to_string());
            }
            text = text.replace("{t}", &TAP.to_string());
            plan.ability = Some(crate::encode::encode_mana_symbols(&text));
        }
        Ok(plan)
    }

    /// Each forced value with the option it came from, as fed to the model
    /// (to check them against a model's vocabulary).
    pub fn values(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let mut add = |o: &'static str, v: &Option<String>| {
            if let Some(v) = v {
                out.push((o, v.clone()));
            }
        };
        add("--name", &self.name);
        add("--cost", &self.cost);
        add("--rarity", &self.rarity);
        add("--type", &self.types.as_ref().map(|t| format!("{t}:")));
        add("--subtypes", &self.subtypes);
        add(
            "--pt",
            &self.pt.as_ref().map(|p| format!("{POWER_TOUGHNESS}{p}")),
        );
        add("--ability", &self.ability);
        add("--layout", &self.layout);
        add(
            "--loyalty",
            &self.loyalty.as_ref().map(|l| format!("{LOYALTY}{l}")),
        );
        add(
            "--back-name",
            &self.back_name.as_ref().map(|n| format!("{FACE}{n}")),
        );
        out
    }

    pub fn is_empty(&self) -> bool {
        *self == ForcingPlan::default()
    }

    /// A fresh steering state for one card (with its own copy of the plan;
    /// [`Forcing::new`] shares one).
    pub fn start(&self) -> Forcing {
        Forcing::new(Arc::new(self.clone()))
    }
}

/// Whether a forced layout (`⒨layout⒯`) prints its faces after the first
/// without a mana cost, as transform, flip and meld cards do.
fn back_face_has_no_cost(layout: &str) -> bool {
    layout
        .strip_prefix(LAYOUT)
        .and_then(|l| l.strip_suffix(TYPE))
        .is_some_and(|l| matches!(l, "transform" | "flip" | "meld"))
}

impl Forcing {
    /// A fresh steering state for one card of `plan`.
    pub fn new(plan: Arc<ForcingPlan>) -> Forcing {
        Forcing {
            plan,
            field: Field::Before,
            applied: [false; FIELDS],
            only: None,
            feeding: 0,
            second_face: false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Before,
    Name,
    Cost,
    Rarity,
    Type,
    Subtypes,
    Pt,
    Ability,
    Layout,
    Loyalty,
    Back,
}

/// Forced fields, in the order a card writes them.
const COST_I: usize = 0;
const RARITY_I: usize = 1;
const LAYOUT_I: usize = 2;
const TYPE_I: usize = 3;
const SUB_I: usize = 4;
const PT_I: usize = 5;
const LOYALTY_I: usize = 6;
const ABILITY_I: usize = 7;
const BACK_I: usize = 8;
const FIELDS: usize = 9;

/// The steering state of one card.
#[derive(Clone, Debug)]
pub struct Forcing {
    plan: Arc<ForcingPlan>,
    field: Field,
    applied: [bool; FIELDS],
    /// Characters allowed next, right after a forced value.
    only: Option<Vec<char>>,
    /// Characters of forced text still to be seen.
    feeding: usize,
    /// A `⒝` (the next face) has been written: a forced multi-part layout
    /// may end the card only after it.
    second_face: bool,
}

impl Forcing {
    fn forced(&self, i: usize) -> bool {
        let plan = Arc::clone(&self.plan);
        let p = &*plan;
        match i {
            COST_I => p.cost.is_some(),
            RARITY_I => p.rarity.is_some(),
            TYPE_I => p.types.is_some(),
            SUB_I => p.subtypes.is_some(),
            PT_I => p.pt.is_some(),
            LAYOUT_I => p.layout.is_some(),
            LOYALTY_I => p.loyalty.is_some(),
            BACK_I => p.back_name.is_some(),
            _ => p.ability.is_some(),
        }
    }

    /// Sees one emitted character; returns the text to feed next, if any.
    pub fn after(&mut self, c: char) -> Option<String> {
        // A restriction holds for the first character the model samples
        // after the forced text, so forced characters keep it.
        if self.feeding > 0 {
            self.feeding -= 1;
        } else {
            self.only = None;
        }
        let plan = Arc::clone(&self.plan);
        let p = &*plan;
        let in_type = self.field == Field::Type;
        let out = match c {
            START => {
                self.field = Field::Name;
                p.name.clone()
            }
            COST => {
                self.field = Field::Cost;
                if self.second_face && p.layout.as_deref().is_some_and(back_face_has_no_cost) {
                    // A transform, flip or meld back face is cast never: no cost.
                    self.only = Some(vec![TYPE]);
                    return None;
                }
                self.take(COST_I, p.cost.clone())
            }
            RARITY => {
                self.field = Field::Rarity;
                let rarity = self.take(RARITY_I, p.rarity.clone());
                if rarity.is_some() {
                    // A forced rarity carries the forced layout with it.
                    self.applied[LAYOUT_I] = true;
                }
                rarity
            }
            LAYOUT => {
                self.field = Field::Layout;
                None
            }
            LOYALTY => {
                self.field = Field::Loyalty;
                self.take(LOYALTY_I, p.loyalty.clone())
            }
            FACE => {
                self.field = Field::Back;
                self.second_face = true;
                self.take(BACK_I, p.back_name.clone())
            }
            TYPE => {
                self.field = Field::Type;
                let types = self.take(TYPE_I, p.types.clone())?;
                let mut out = types;
                if self.forced(SUB_I) && !self.applied[SUB_I] {
                    self.applied[SUB_I] = true;
                    self.field = Field::Subtypes;
                    out.push(':');
                    out.push_str(p.subtypes.as_deref().unwrap_or_default());
                    if p.creature {
                        out.push(POWER_TOUGHNESS);
                    } else if p.walker {
                        out.push(LOYALTY);
                    } else {
                        self.only = Some(vec![POWER_TOUGHNESS, ABILITY, LOYALTY, DEFENSE]);
                    }
                } else if p.creature {
                    self.only = Some(vec![':', POWER_TOUGHNESS]);
                } else if p.walker {
                    self.only = Some(vec![':', LOYALTY]);
                } else {
                    self.only = Some(vec![':', ABILITY, LOYALTY, DEFENSE]);
                }
                Some(out)
            }
            ':' if in_type => {
                self.field = Field::Subtypes;
                let subs = self.take(SUB_I, p.subtypes.clone())?;
                self.only = Some(if p.creature {
                    vec![POWER_TOUGHNESS]
                } else if p.walker {
                    vec![LOYALTY]
                } else {
                    vec![POWER_TOUGHNESS, ABILITY, LOYALTY, DEFENSE]
                });
                Some(subs)
            }
            POWER_TOUGHNESS => {
                self.field = Field::Pt;
                self.take(PT_I, p.pt.clone())
            }
            ABILITY => {
                self.field = Field::Ability;
                let text = self.take(ABILITY_I, p.ability.clone())?;
                self.only = Some(vec![ABILITY, END, FACE]);
                Some(text)
            }
            // The rarity letter the model wrote: the forced layout follows it.
            _ if self.field == Field::Rarity => self.take(LAYOUT_I, p.layout.clone()),
            _ => None,
        };
        // A value fed in ends with the next marker, which is seen in turn.
        if let Some(text) = &out {
            self.feeding += text.chars().count();
        }
        out
    }

    fn take(&mut self, i: usize, value: Option<String>) -> Option<String> {
        if self.applied[i] {
            return None;
        }
        let v = value?;
        self.applied[i] = true;
        Some(v)
    }

    /// Characters the model may not write next.
    pub fn banned(&self, vocabulary: &[char]) -> Vec<char> {
        // The first forced field not reached yet: later markers wait for it.
        let pending = (0..FIELDS).find(|&i| self.forced(i) && !self.applied[i]);
        let later: &[char] = match pending {
            Some(COST_I) => &[
                RARITY,
                LAYOUT,
                TYPE,
                POWER_TOUGHNESS,
                LOYALTY,
                ABILITY,
                FACE,
                END,
            ],
            Some(RARITY_I) | Some(LAYOUT_I) => {
                &[LAYOUT, TYPE, POWER_TOUGHNESS, LOYALTY, ABILITY, FACE, END]
            }
            Some(TYPE_I) | Some(SUB_I) => &[POWER_TOUGHNESS, LOYALTY, ABILITY, FACE, END],
            Some(PT_I) | Some(LOYALTY_I) => &[ABILITY, FACE, END],
            Some(ABILITY_I) => &[FACE, END],
            Some(_) => &[END],
            None => &[],
        };
        let mut banned: Vec<char> = later.to_vec();
        if let Some(only) = &self.only {
            banned.extend(vocabulary.iter().filter(|c| !only.contains(c)));
        }
        banned
    }

    /// A marker whose probability goes to another: `(Ⓔ, ⒝)` while a forced
    /// multi-part layout lacks its second face. A model that has seen few
    /// such cards ends most of them after one face; banning `Ⓔ` alone makes
    /// it ramble on, while giving the end's probability to `⒝` starts the
    /// second face where the model would have ended the card.
    pub fn redirect(&self) -> Option<(char, char)> {
        (self.plan.layout.is_some() && !self.second_face).then_some((END, FACE))
    }

    /// Forced fields the card never reached (empty when all were fed).
    pub fn missed(&self) -> Vec<&'static str> {
        (0..FIELDS)
            .filter(|&i| self.forced(i) && !self.applied[i])
            .map(|i| FORCED_FIELDS[i])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plays a model that writes `model` character by character, with the
    /// forcing feeding its values in; returns the line.
    fn run(plan: &ForcingPlan, model: &str) -> String {
        let mut f = plan.start();
        let mut line = String::new();
        let mut pending: Vec<char> = Vec::new();
        let mut source = model.chars();
        pending.push(START);
        loop {
            let c = if pending.is_empty() {
                match source.next() {
                    Some(c) => c,
                    None => break,
                }
            } else {
                pending.remove(0)
            };
            line.push(c);
            if c == END {
                break;
            }
            if let Some(text) = f.after(c) {
                pending.extend(text.chars());
            }
        }
        line
    }

    fn opts() -> ForceOptions {
        ForceOptions::default()
    }

    #[test]
    fn layout_loyalty_and_back_name_are_fed_where_the_full_encoding_writes_them() {
        let plan = ForcingPlan::new(&ForceOptions {
            layout: Some("transform".into()),
            back_name: Some("Insectile Aberration".into()),
            ..ForceOptions::default()
        })
        .unwrap();
        // The model writes the rarity letter; the layout follows it, and the
        // back face's name follows the model's ⒝.
        let line = run(
            &plan,
            "delver⒞Ⓤ⒭Ccreature:human⒫1/1⒜flip.⒝⒯creature:insect⒫3/2⒜flyingⒺ",
        );
        assert_eq!(
            line,
            "Ⓢdelver⒞Ⓤ⒭C⒨transform⒯creature:human⒫1/1⒜flip.⒝insectile aberration⒞⒯creature:insect⒫3/2⒜flyingⒺ"
        );
        let card = crate::decode::decode(&line);
        assert!(card.well_formed, "{:?}", card.problems);
        assert_eq!(card.faces[1].name, "Insectile Aberration");
        // Until ⒝ comes, the model may not end the card.
        let mut f = plan.start();
        for c in "Ⓢd⒞⒭C⒨transform⒯creature⒫1/1⒜x".chars() {
            f.after(c);
        }
        assert!(f.banned(&[END, FACE, 'x']).contains(&END));
        assert!(!f.banned(&[END, FACE, 'x']).contains(&FACE));
        assert_eq!(f.redirect(), Some((END, FACE)));

        // With the layout alone (no back name), the end of the card goes to
        // a second face until there is one, and not after it.
        let plan = ForcingPlan::new(&ForceOptions {
            layout: Some("transform".into()),
            ..ForceOptions::default()
        })
        .unwrap();
        let mut f = plan.start();
        for c in "Ⓢd⒞⒭C⒨transform⒯creature⒫1/1⒜x".chars() {
            f.after(c);
        }
        assert_eq!(f.redirect(), Some((END, FACE)));
        assert!(!f.banned(&[END, FACE, 'x']).contains(&END));
        for c in "⒝back⒞⒯creature⒫2/2⒜y".chars() {
            f.after(c);
        }
        assert_eq!(f.redirect(), None);
        // A transform back face has no cost: after its ⒞ only ⒯ may come.
        let vocabulary = [END, FACE, TYPE, COST, 'x', 'Ⓤ'];
        let mut f = plan.start();
        for c in "Ⓢd⒞Ⓤ⒭C⒨transform⒯creature⒫1/1⒜x".chars() {
            f.after(c);
        }
        assert!(
            !f.banned(&vocabulary).contains(&'Ⓤ'),
            "the front's cost is free"
        );
        for c in "⒝back⒞".chars() {
            f.after(c);
        }
        let banned = f.banned(&vocabulary);
        assert!(banned.contains(&'Ⓤ') && banned.contains(&'x') && !banned.contains(&TYPE));
        // A split card's second half has one.
        let split = ForcingPlan::new(&ForceOptions {
            layout: Some("split".into()),
            ..ForceOptions::default()
        })
        .unwrap();
        let mut f = split.start();
        for c in "Ⓢfire⒞Ⓡ⒭U⒨split⒯instant⒜x.⒝ice⒞".chars() {
            f.after(c);
        }
        assert!(!f.banned(&vocabulary).contains(&'Ⓤ'));
        // Without a forced layout, ending is the model's choice.
        let mut f = ForcingPlan::default().start();
        for c in "Ⓢd⒞⒭C⒯creature⒫1/1⒜x".chars() {
            f.after(c);
        }
        assert_eq!(f.redirect(), None);

        // A forced rarity carries the layout in the same text.
        let plan = ForcingPlan::new(&ForceOptions {
            rarity: Some("rare".into()),
            layout: Some("split".into()),
            ..ForceOptions::default()
        })
        .unwrap();
        assert_eq!(plan.rarity.as_deref(), Some("R⒨split⒯"));
        let line = run(&plan, "fire⒞Ⓡ⒭instant⒜x.⒝ice⒞Ⓤ⒯instant⒜y.Ⓔ");
        assert_eq!(line, "Ⓢfire⒞Ⓡ⒭R⒨split⒯instant⒜x.⒝ice⒞Ⓤ⒯instant⒜y.Ⓔ");

        // --loyalty makes a planeswalker and writes its loyalty after the type.
        let plan = ForcingPlan::new(&ForceOptions {
            loyalty: Some("4".into()),
            ..ForceOptions::default()
        })
        .unwrap();
        assert!(plan.walker && plan.types.as_deref() == Some("planeswalker"));
        let line = run(&plan, "jace⒞ⓊⓊ⒭M⒯:jace⒧+1: draw a card.Ⓔ");
        assert_eq!(line, "Ⓢjace⒞ⓊⓊ⒭M⒯planeswalker:jace⒧4⒜+1: draw a card.Ⓔ");
        let card = crate::decode::decode(&line);
        assert!(card.well_formed, "{:?}", card.problems);
        assert_eq!(card.loyalty.as_deref(), Some("4"));
        let values: Vec<&str> = plan.values().iter().map(|(o, _)| *o).collect();
        assert!(values.contains(&"--loyalty"));
    }

    #[test]
    fn full_encoding_options_are_checked() {
        let err = |o: ForceOptions| ForcingPlan::new(&o).unwrap_err();
        assert!(err(ForceOptions {
            layout: Some("sideways".into()),
            ..Default::default()
        })
        .contains("expected one of split, flip, transform"));
        assert!(err(ForceOptions {
            back_name: Some("ice".into()),
            ..Default::default()
        })
        .contains("--back-name needs --layout"));
        assert!(err(ForceOptions {
            loyalty: Some("three".into()),
            ..Default::default()
        })
        .contains("expected a number"));
        assert!(err(ForceOptions {
            loyalty: Some("3".into()),
            pt: Some("2/2".into()),
            ..Default::default()
        })
        .contains("not P/T"));
        assert!(err(ForceOptions {
            loyalty: Some("3".into()),
            type_line: Some("creature".into()),
            ..Default::default()
        })
        .contains("needs a planeswalker"));
        assert!(err(ForceOptions {
            back_name: Some("a⒝b".into()),
            layout: Some("split".into()),
            ..Default::default()
        })
        .contains("reserves"));
        // Modal double-faced cards may be spelt with a hyphen.
        let plan = ForcingPlan::new(&ForceOptions {
            layout: Some("modal-dfc".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(plan.layout.as_deref(), Some("⒨modal_dfc⒯"));
    }

    #[test]
    fn each_field_is_fed_at_its_marker() {
        let plan = ForcingPlan::new(&ForceOptions {
            name: Some("Mark Rosewater".into()),
            cost: Some("{2}{G}".into()),
            rarity: Some("mythic".into()),
            type_line: Some("Creature".into()),
            subtypes: Some("Elf  Druid".into()),
            pt: Some("3/3".into()),
            ability: Some("Flying".into()),
            ..ForceOptions::default()
        })
        .unwrap();
        assert_eq!(
            run(&plan, "Ⓔ"),
            "Ⓢmark rosewater⒞②Ⓖ⒭M⒯creature:elf druid⒫3/3⒜flyingⒺ"
        );
    }

    #[test]
    fn model_text_fills_the_fields_not_forced() {
        let plan = ForcingPlan::new(&ForceOptions {
            rarity: Some("u".into()),
            ..opts()
        })
        .unwrap();
        // The model writes the rarity letter R, which is replaced: after ⒭ the
        // forced `U⒯` is fed, and the model's next characters continue.
        let line = run(&plan, "bob⒞Ⓦ⒭instant⒜draw a card.Ⓔ");
        assert_eq!(line, "Ⓢbob⒞Ⓦ⒭U⒯instant⒜draw a card.Ⓔ");
    }

    #[test]
    fn subtypes_alone_wait_for_the_colon_and_later_markers_are_banned() {
        let plan = ForcingPlan::new(&ForceOptions {
            subtypes: Some("goblin".into()),
            ..opts()
        })
        .unwrap();
        let mut f = plan.start();
        f.after(START);
        let vocab = ['a', ':', ABILITY, POWER_TOUGHNESS, END, TYPE];
        assert!(f.banned(&vocab).contains(&ABILITY));
        assert!(!f.banned(&vocab).contains(&TYPE));
        f.after(TYPE);
        assert_eq!(f.after(':').as_deref(), Some("goblin"));
        assert!(
            f.banned(&vocab).contains(&'a'),
            "subtypes end after the value"
        );
        assert!(!f.banned(&vocab).contains(&ABILITY));
        assert!(f.missed().is_empty());
    }

    #[test]
    fn forced_pt_implies_a_creature() {
        let plan = ForcingPlan::new(&ForceOptions {
            pt: Some("2/1".into()),
            ..opts()
        })
        .unwrap();
        assert!(plan.creature);
        assert_eq!(run(&plan, "x⒞Ⓡ⒭C⒯⒫hasteⒺ"), "Ⓢx⒞Ⓡ⒭C⒯creature⒫2/1⒜hasteⒺ");
    }

    #[test]
    fn the_ability_ends_where_given_and_is_fed_once() {
        let plan = ForcingPlan::new(&ForceOptions {
            ability: Some("{T}: Add {G}.".into()),
            name: Some("Llanowar Elves".into()),
            ..opts()
        })
        .unwrap();
        assert_eq!(plan.ability.as_deref(), Some("↷: add Ⓖ."));
        let mut f = plan.start();
        assert_eq!(f.after(START).as_deref(), Some("llanowar elves⒞"));
        f.after(ABILITY);
        let banned = f.banned(&['a', ABILITY, END]);
        assert_eq!(banned, vec!['a']);
        assert_eq!(f.after(ABILITY), None);
    }

    #[test]
    fn conflicts_and_bad_values_are_refused() {
        let bad = |o: ForceOptions| ForcingPlan::new(&o).unwrap_err();
        assert!(bad(ForceOptions {
            pt: Some("3/3".into()),
            type_line: Some("instant".into()),
            ..opts()
        })
        .contains("needs a creature"));
        assert!(bad(ForceOptions {
            type_line: Some("creature: elf".into()),
            subtypes: Some("druid".into()),
            ..opts()
        })
        .contains("both"));
        assert!(bad(ForceOptions {
            rarity: Some("legendary".into()),
            ..opts()
        })
        .contains("--rarity"));
        assert!(bad(ForceOptions {
            pt: Some("big".into()),
            ..opts()
        })
        .contains("--pt"));
        assert!(bad(ForceOptions {
            cost: Some("{2}{G".into()),
            ..opts()
        })
        .contains("--cost"));
        let q = bad(ForceOptions {
            cost: Some("{2}{Q}".into()),
            ..opts()
        });
        assert!(
            q.contains("{Q} is not a mana symbol") && q.contains("--help"),
            "{q}"
        );
        assert!(ForcingPlan::new(&ForceOptions {
            cost: Some("{X}{W/U}{2/B}{G/P}".into()),
            ..opts()
        })
        .is_ok());
        assert!(bad(ForceOptions {
            name: Some("a⒜b".into()),
            ..opts()
        })
        .contains("reserves"));
        assert!(bad(ForceOptions {
            name: Some("  ".into()),
            ..opts()
        })
        .contains("empty"));
        // A vehicle may carry a P/T.
        assert!(ForcingPlan::new(&ForceOptions {
            pt: Some("3/3".into()),
            type_line: Some("artifact: vehicle".into()),
            ..opts()
        })
        .is_ok());
    }
}
