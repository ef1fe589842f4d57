//! Rates: what real cards pay for what they get, gathered from the training
//! cards as the phrasebook is ([`RateTable::from_lines`]), and a generated
//! card that gets far more, or far less, than real cards of its mana value.
//!
//! - Creatures: power plus toughness by mana value and kind (vanilla, flier
//!   of keywords only, other keywords only, other), a double striker's power counted twice; a vanilla
//!   or keyword-only creature (a flier too) far smaller than real ones, a dearer one than any real
//!   group against the dearest group; a vanilla creature
//!   at a rarity real vanilla creatures seldom have.
//! - Mana rocks (noncreature artifacts that tap for mana): mana value by the
//!   mana one tap makes.
//! - Instants and sorceries: mana value by what they say
//!   ([`super::spell_rates`]).
//! - Activated abilities: mana by what they do ([`super::activation_rates`]).
//!
//! A rate flaw is a tie-breaker for the curator, not a verdict: real cards
//! that pay in their text (Force of Nature's upkeep) are flagged too, and
//! `tests/design_real_cards.rs` counts them.

use std::collections::HashMap;

use super::activation_rates::ActivationRates;
use super::design::{Check, DesignFlaw};
use super::rarity_fit::RarityFit;
use super::spell_rates::SpellRates;
use crate::decode::{decode_with, Card, Rules};

/// A creature whose power plus toughness more real creatures of its kind and
/// mana value fall below than this share is off the real rate.
pub const STRONGER_SHARE: f64 = 0.98;
/// A vanilla or keyword-only creature that more real creatures of its kind and
/// mana value beat than this share is off the real rate (creatures with other
/// rules text may be small for their text).
pub const WEAKER_SHARE: f64 = 0.95;
/// Fewest real creatures of a kind and mana value to judge a rate against.
pub const MIN_GROUP: usize = 10;
/// A vanilla creature at a rarity that fewer real vanilla creatures have than
/// this share: an uncommon, a rare or a mythic with no rules text. Of the
/// training cards' 311 vanilla creatures, 36 (11.6%) are uncommon and 4
/// rare (the check flags 0.27% of the training cards,
/// `tests/design_real_cards.rs`); of the vanilla picks rated blind in sessions 19 to 21,
/// 45% of the 139 commons read plausible and 4% of the 84 uncommons (a player
/// asks what an uncommon with no text is for). 0.02 until session 21, which
/// left uncommons unflagged. The curator prints such a card common instead
/// of passing it over (`cardlm_app::service::VANILLA_RARITY`), so this flags
/// raw cards (docs/quality.md, "Session 21").
pub const RARE_VANILLA_SHARE: f64 = 0.15;
/// A keyword-only creature (a flier or not) at a rarity that fewer real
/// keyword-only creatures have than this share: a rare or a mythic with
/// "Trample" and nothing else. Of the training cards' 1,094 keyword-only
/// creatures, 92 (8.4%) are rare, against about a third of the keyword-only
/// picks read in session 20 (the check flags 0.73% of the training cards,
/// `tests/design_real_cards.rs`); and of the short picks rated blind by session 19,
/// 48% of commons read plausible, 20% of rares and none of 8 mythics
/// (docs/quality.md, "Session 19" and "Session 20").
pub const RARE_KEYWORDS_SHARE: f64 = 0.10;

/// A creature's kind, for its rate: what its power and toughness buy with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Body {
    /// No rules text.
    Vanilla,
    /// Flying, and keywords only (a flier that pays with its text, such as
    /// Glint Hawk, a 2/2 for one, is among the creatures with rules text).
    Flier,
    /// Keywords only ("Vigilance", "Protection from red"), none that sizes
    /// the creature by counters ("Modular 3"), and no defender (a wall's
    /// size is not an attacker's: Wall of Stone is an 0/8 for 3).
    Keywords,
    /// Any other rules text.
    Other,
}

/// Keywords that give a creature counters (or take them away), so its printed
/// power and toughness are not its size (the flaws and sense checks read
/// them too, as what puts counters on a card).
pub(crate) const SIZED_BY_COUNTERS: [&str; 12] = [
    "modular",
    "graft",
    "sunburst",
    "fabricate",
    "devour",
    "bloodthirst",
    "amplify",
    "fading",
    "vanishing",
    "tribute",
    "riot",
    "unleash",
];

impl Body {
    fn plural(self) -> &'static str {
        match self {
            Body::Vanilla => "vanilla creatures",
            Body::Flier => "fliers",
            Body::Keywords => "creatures with keywords only",
            Body::Other => "creatures with rules text",
        }
    }

    fn singular(self) -> &'static str {
        match self {
            Body::Vanilla => "vanilla creature",
            Body::Flier => "flier",
            Body::Keywords => "creature with keywords only",
            Body::Other => "creature with rules text",
        }
    }
}

/// A cost with X (or Y, Z): its mana value is not what the card pays, so no
/// rate judges it.
pub(super) fn has_variable_cost(card: &Card) -> bool {
    card.mana_symbols
        .iter()
        .any(|s| matches!(s.as_str(), "X" | "Y" | "Z" | "x"))
}

/// A one-faced creature with a mana cost (no X) and a plain numeric P/T: its
/// kind, mana value, power and toughness.
pub fn body(card: &Card) -> Option<(Body, u32, u32, u32)> {
    if !card.types.iter().any(|t| t == "Creature")
        || card.faces.len() != 1
        || card.cost.is_empty()
        || has_variable_cost(card)
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
    // Keyword lines only ("Flying, vigilance"), no sentence or cost.
    let keywords_only = lines.iter().all(|l| !l.contains(['.', ':']));
    let mut keywords = lines.iter().flat_map(|l| l.split(',')).map(str::trim);
    let kind = if lines.is_empty() {
        Body::Vanilla
    } else if keywords_only && keywords.clone().any(|k| k == "flying") {
        Body::Flier
    } else if keywords_only
        && !keywords.any(|k| k == "defender" || SIZED_BY_COUNTERS.iter().any(|c| k.starts_with(c)))
    {
        Body::Keywords
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

/// A creature's size for its rate: power plus toughness, a double striker's
/// power counted twice (it deals its damage twice).
fn size(card: &Card, power: u32, toughness: u32) -> u32 {
    let double_strike = card.abil.iter().any(|a| {
        let a = a.trim().to_lowercase();
        !a.contains(['.', ':']) && a.split(',').any(|k| k.trim() == "double strike")
    });
    power + toughness + if double_strike { power } else { 0 }
}

/// How a creature is named in a reason ("a vanilla 4/3 for 7", "a 4/2 double
/// striker for 3").
fn described(kind: Body, mv: u32, p: u32, t: u32, size: u32) -> String {
    if kind == Body::Vanilla {
        format!("a vanilla {p}/{t} for {mv}")
    } else if kind == Body::Flier {
        format!("{} {p}/{t} flier for {mv}", article(p))
    } else if size > p + t {
        format!("{} {p}/{t} double striker for {mv}", article(p))
    } else {
        format!("{} {p}/{t} for {mv}", article(p))
    }
}

/// Mana rarities a card of `rarity` is compared with for being strong: real
/// rares and mythics (the Moxen) may be far stronger than commons.
fn compared_rarities(rarity: &str) -> &'static [&'static str] {
    match rarity {
        "common" | "uncommon" => &["common", "uncommon"],
        _ => &[],
    }
}

/// A mana rock: a noncreature, nonland artifact of one face with a plain cost
/// (no X) and a `{T}: Add ...` ability with no other cost; how much mana one
/// tap makes.
pub fn rock(card: &Card) -> Option<u32> {
    let has = |t: &str| card.types.iter().any(|x| x == t);
    if !has("Artifact")
        || has("Creature")
        || has("Land")
        || card.faces.len() != 1
        || has_variable_cost(card)
    {
        return None;
    }
    card.abil.iter().find_map(|a| {
        let a = a.trim().to_lowercase();
        let made = a.strip_prefix("{t}: add ")?.strip_suffix('.')?;
        if made.contains(" or ") || made.starts_with("one mana") {
            Some(1)
        } else if made.starts_with("two mana") {
            Some(2)
        } else if made.starts_with("three mana") {
            Some(3)
        } else if made.starts_with('{') && !made.contains(' ') {
            Some(made.matches('{').count() as u32)
        } else {
            None
        }
    })
}

/// The rates of the training cards: creatures' sizes by kind and mana value,
/// vanilla and keyword-only creatures by rarity, mana rocks' mana values by the mana they make.
#[derive(Clone, Debug, Default)]
pub struct RateTable {
    /// Sorted sizes (power plus toughness; see [`size`]).
    groups: HashMap<(Body, u32), Vec<u32>>,
    /// Vanilla creatures by rarity word.
    vanilla_rarity: HashMap<String, usize>,
    vanilla: usize,
    /// Keyword-only creatures (fliers and others) by rarity word.
    keywords_rarity: HashMap<String, usize>,
    keywords: usize,
    /// Mana rocks by mana per tap: (mana value, rarity word).
    rocks: HashMap<u32, Vec<(u32, String)>>,
    /// Instants and sorceries by what they say ([`SpellRates`]).
    pub spells: SpellRates,
    /// Activated abilities by what they do ([`ActivationRates`]).
    pub activations: ActivationRates,
    /// Rules texts by rarity ([`RarityFit`]).
    pub rarity: RarityFit,
    /// Training cards it was built from.
    pub cards: usize,
}

impl RateTable {
    /// The rates of the training cards' encoded lines.
    pub fn from_lines(lines: &[String]) -> Self {
        let rules = Rules::for_lines(lines);
        let mut table = RateTable {
            cards: lines.len(),
            rarity: RarityFit::from_lines(lines),
            ..RateTable::default()
        };
        for line in lines {
            // Only creatures (and vehicles) have a P/T, rocks and other
            // activations have a cost and a colon, and spells say their
            // type: skip decoding the rest.
            if !line.contains(crate::markers::POWER_TOUGHNESS)
                && !line.contains(": ")
                && !line.contains("instant")
                && !line.contains("sorcery")
            {
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
        self.spells.add(card);
        self.activations.add(card);
        if let Some(n) = rock(card) {
            self.rocks
                .entry(n)
                .or_default()
                .push((card.mana_value, card.rare.clone()));
        }
        let Some((kind, mv, p, t)) = body(card) else {
            return;
        };
        self.groups
            .entry((kind, mv))
            .or_default()
            .push(size(card, p, t));
        if kind == Body::Vanilla {
            self.vanilla += 1;
            *self.vanilla_rarity.entry(card.rare.clone()).or_default() += 1;
        }
        if matches!(kind, Body::Flier | Body::Keywords) {
            self.keywords += 1;
            *self.keywords_rarity.entry(card.rare.clone()).or_default() += 1;
        }
    }

    /// Creatures counted.
    pub fn creatures(&self) -> usize {
        self.groups.values().map(Vec::len).sum()
    }

    /// Mana rocks counted.
    pub fn rocks(&self) -> usize {
        self.rocks.values().map(Vec::len).sum()
    }

    /// The rate flaws of `card`.
    pub fn judge(&self, card: &Card) -> Vec<DesignFlaw> {
        let mut out = Vec::new();
        self.judge_rock(card, &mut out);
        self.judge_body(card, &mut out);
        out.extend(self.spells.judge(card));
        out.extend(self.activations.judge(card));
        out
    }

    /// The real sizes of `kind` at mana value `mv`, with the next mana value's
    /// when `mv` alone has too few to judge (a one-mana flier is judged
    /// against the fliers of mana value 1 and 2): the sizes, sorted, and the
    /// mana values they say.
    fn sizes(&self, kind: Body, mv: u32) -> Option<(Vec<u32>, String)> {
        let at = |m: u32| self.groups.get(&(kind, m)).map_or(&[][..], Vec::as_slice);
        if at(mv).len() >= MIN_GROUP {
            return Some((at(mv).to_vec(), mv.to_string()));
        }
        let mut both: Vec<u32> = at(mv).iter().chain(at(mv + 1)).copied().collect();
        both.sort_unstable();
        (both.len() >= MIN_GROUP).then(|| (both, format!("{mv} or {}", mv + 1)))
    }

    /// The real sizes of `kind` to find a body too small against: those of
    /// its mana value, or where that has too few, of the dearest mana value
    /// below it that has enough (an 11-mana 2/3 flier against the fliers of
    /// 7: bodies grow with mana value, so that only makes the check milder),
    /// with the mana value they are of.
    fn weaker_group(&self, kind: Body, mv: u32) -> Option<(&[u32], u32)> {
        (1..=mv).rev().find_map(|m| {
            self.groups
                .get(&(kind, m))
                .filter(|g| g.len() >= MIN_GROUP)
                .map(|g| (g.as_slice(), m))
        })
    }

    fn judge_body(&self, card: &Card, out: &mut Vec<DesignFlaw>) {
        let Some((kind, mv, p, t)) = body(card) else {
            return;
        };
        let sum = size(card, p, t);
        let what = described(kind, mv, p, t, sum);
        let share = |x: f64, mvs: &str| {
            if x >= 1.0 {
                format!("every real {} of mana value {mvs}", kind.singular())
            } else {
                format!(
                    "{}% of real {} of mana value {mvs}",
                    (100.0 * x).floor(),
                    kind.plural()
                )
            }
        };
        // Bigger than nearly all: judged on the next mana value too when
        // this one has too few cards (the next one's creatures are bigger,
        // so that only makes the check milder).
        if let Some((group, mvs)) = self.sizes(kind, mv) {
            let smaller = group.partition_point(|&s| s < sum) as f64 / group.len() as f64;
            if smaller >= STRONGER_SHARE {
                out.push(DesignFlaw::new(
                    Check::AboveRate,
                    format!("{what} is bigger than {}", share(smaller, &mvs)),
                ));
            }
        }
        if let Some((group, at)) = self
            .weaker_group(kind, mv)
            .filter(|_| matches!(kind, Body::Vanilla | Body::Keywords | Body::Flier))
        {
            let larger =
                (group.len() - group.partition_point(|&s| s <= sum)) as f64 / group.len() as f64;
            if larger >= WEAKER_SHARE {
                out.push(DesignFlaw::new(
                    Check::BelowRate,
                    format!("{what} is smaller than {}", share(larger, &at.to_string())),
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
        if matches!(kind, Body::Flier | Body::Keywords) && self.keywords >= MIN_GROUP {
            let at = self.keywords_rarity.get(&card.rare).copied().unwrap_or(0);
            if (at as f64) < RARE_KEYWORDS_SHARE * self.keywords as f64 {
                let rare = &card.rare;
                out.push(DesignFlaw::new(
                    Check::RareKeywordsOnly,
                    format!(
                        "only keywords at {rare}: {at} of {} real keyword-only creatures are {rare}",
                        self.keywords
                    ),
                ));
            }
        }
    }

    /// A mana rock far cheaper than real ones of its rarity making as much
    /// mana (a common rock for {1}), or far dearer than any real one (a rock
    /// for {5} making one mana).
    fn judge_rock(&self, card: &Card, out: &mut Vec<DesignFlaw>) {
        let Some(n) = rock(card) else {
            return;
        };
        let Some(real) = self.rocks.get(&n) else {
            return;
        };
        let mv = card.mana_value;
        let mana = if n == 1 {
            "one mana".to_owned()
        } else {
            format!("{n} mana")
        };
        let rarities = compared_rarities(&card.rare);
        let peers: Vec<u32> = real
            .iter()
            .filter(|(_, r)| rarities.contains(&r.as_str()))
            .map(|(m, _)| *m)
            .collect();
        if peers.len() >= MIN_GROUP {
            let as_cheap = peers.iter().filter(|&&m| m <= mv).count() as f64 / peers.len() as f64;
            if as_cheap < 1.0 - STRONGER_SHARE {
                out.push(DesignFlaw::new(
                    Check::AboveRate,
                    format!(
                        "a mana rock making {mana} for {mv} at {}: cheaper than {}% of real common and uncommon ones",
                        card.rare,
                        (100.0 * (1.0 - as_cheap)).floor()
                    ),
                ));
            }
        }
        if real.len() >= MIN_GROUP {
            let as_dear = real.iter().filter(|(m, _)| *m >= mv).count() as f64 / real.len() as f64;
            if as_dear < 1.0 - STRONGER_SHARE {
                out.push(DesignFlaw::new(
                    Check::BelowRate,
                    format!(
                        "a mana rock making {mana} for {mv}: dearer than {}% of real ones",
                        (100.0 * (1.0 - as_dear)).floor()
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::design::design;
    use crate::judge::design::tests::card;

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
        let flier = rates_of("Ⓢdedentless laund⒞③ⒼⒷ⒭R⒯creature:angel⒫6/6⒜flying, vigilanceⒺ");
        assert!(
            flier.iter().any(|f| f.check == Check::AboveRate
                && f.reason == "a 6/6 flier for 5 is bigger than every real flier of mana value 5"),
            "{flier:?}"
        );
        assert!(
            flier.iter().any(|f| f.check == Check::RareKeywordsOnly
                && f.reason
                    == "only keywords at rare: 0 of 30 real keyword-only creatures are rare"),
            "{flier:?}"
        );
        // A flier with other rules text is judged with the creatures with
        // rules text (Glint Hawk, a 2/2 flier for 1, pays with its text);
        // here there are none of mana value 5 to judge it by.
        assert!(rates_of(
            "Ⓢdedentless laund⒞③ⒼⒷ⒭R⒯creature:angel⒫6/6⒜flying⒜Ⓝ deals 2 damage to any target.Ⓔ"
        )
        .is_empty());
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
        // An uncommon with no rules text: none of the 61 real vanilla
        // creatures is uncommon (real cards: 30 of 288, under 15%).
        let uncommon = rates_of("Ⓢbear cub⒞①Ⓖ⒭U⒯creature:bear⒫2/2⒜Ⓔ");
        assert!(
            uncommon.iter().any(|f| f.check == Check::RareVanilla
                && f.reason == "a vanilla uncommon: no real vanilla creature is uncommon"),
            "{uncommon:?}"
        );
        // At the real rate, or a kind with too few cards to judge: nothing.
        for fair in [
            "Ⓢbig bear⒞①Ⓖ⒭C⒯creature:bear⒫2/2⒜Ⓔ",
            "Ⓢtall bird⒞④Ⓦ⒭C⒯creature:bird⒫3/4⒜flyingⒺ",
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

    #[test]
    fn keyword_creatures_far_below_the_rate() {
        let mut lines = Vec::new();
        for i in 0..20 {
            let (p, t) = [(5, 5), (6, 5), (5, 6), (4, 5)][i % 4];
            lines.push(format!(
                "Ⓢknight {i}⒞⑤Ⓦ⒭C⒯creature:knight⒫{p}/{t}⒜vigilanceⒺ"
            ));
            lines.push(format!(
                "Ⓢgolem {i}⒞⑥⒭C⒯artifact creature:golem⒫{p}/{t}⒜trampleⒺ"
            ));
        }
        let t = RateTable::from_lines(&lines);
        // v2's reading: a six-mana 2/3 swampwalk.
        let small = t.judge(&card(
            "Ⓢhazorny's lemedic⒞⑥⒭C⒯artifact creature:spider⒫2/3⒜swampwalkⒺ",
        ));
        assert!(
            small.iter().any(|f| f.check == Check::BelowRate
                && f.reason == "a 2/3 for 6 is smaller than every real creature with keywords only of mana value 6"),
            "{small:?}"
        );
        // Dearer than any real one: judged against the dearest real ones
        // (the blind reading's eleven-mana 2/3 flier, here with trample).
        let dear = t.judge(&card(
            "Ⓢhaunted lavator⒞⑪⒭C⒯artifact creature:human cleric⒫2/3⒜trampleⒺ",
        ));
        assert!(
            dear.iter().any(|f| f.check == Check::BelowRate
                && f.reason == "a 2/3 for 11 is smaller than every real creature with keywords only of mana value 6"),
            "{dear:?}"
        );
        // A 0/0 sized by its counters is not judged by its printed size; a
        // creature with other rules text may be small for its text.
        for fair in [
            "Ⓢarcbound fiend⒞⑥⒭U⒯artifact creature:horror⒫0/0⒜fear, modular 3Ⓔ",
            "Ⓢsage⒞⑥⒭U⒯artifact creature:golem⒫1/1⒜when Ⓝ enters the battlefield, draw two cards.Ⓔ",
            "Ⓢbig golem⒞⑥⒭C⒯artifact creature:golem⒫5/5⒜trampleⒺ",
        ] {
            let got: Vec<_> = t
                .judge(&card(fair))
                .into_iter()
                .filter(|f| f.check == Check::BelowRate)
                .collect();
            assert!(got.is_empty(), "{fair}: {got:?}");
        }
    }

    /// Real-like rocks: twelve common and uncommon ones making one mana for 2
    /// to 4, one for 5, and rare Moxen for 0; creatures with double strike and
    /// one-mana fliers.
    fn rock_table() -> RateTable {
        let mut lines = Vec::new();
        for i in 0..12 {
            let cost = ["②", "③", "③", "④"][i % 4];
            let rarity = ["C", "U"][i % 2];
            lines.push(format!("Ⓢlocket {i}⒞{cost}⒭{rarity}⒯artifact⒜↷: add Ⓖ.Ⓔ"));
            lines.push(format!("Ⓢmox {i}⒞{{0}}⒭R⒯artifact⒜↷: add Ⓖ.Ⓔ"));
        }
        lines.push("Ⓢmeteorite⒞⑤⒭U⒯artifact⒜↷: add one mana of any color.Ⓔ".to_owned());
        for i in 0..10 {
            let (p, t) = [(1, 1), (2, 1), (1, 2), (1, 1), (1, 1)][i % 5];
            lines.push(format!(
                "Ⓢfencer {i}⒞①Ⓦ⒭C⒯creature:human⒫{p}/{t}⒜double strikeⒺ"
            ));
            lines.push(format!("Ⓢbrute {i}⒞①Ⓦ⒭C⒯creature:human⒫{p}/{t}⒜vigilanceⒺ"));
        }
        for i in 0..4 {
            lines.push(format!("Ⓢhawk {i}⒞Ⓦ⒭C⒯creature:bird⒫1/1⒜flyingⒺ"));
        }
        for i in 0..8 {
            let (p, t) = [(1, 1), (2, 1), (1, 2), (1, 1)][i % 4];
            lines.push(format!("Ⓢpegasus {i}⒞①Ⓦ⒭C⒯creature:bird⒫{p}/{t}⒜flyingⒺ"));
        }
        RateTable::from_lines(&lines)
    }

    #[test]
    fn rocks_and_strikers_against_real_ones() {
        let t = rock_table();
        assert_eq!(t.rocks(), 25);
        let judged = |line: &str| t.judge(&card(line));
        // v2's reading: a common rock for {1}, a rock for {5} making one mana.
        let cheap = judged("Ⓢaecheriid labia⒞①⒭C⒯artifact⒜↷: add Ⓒ.Ⓔ");
        assert!(
            cheap.iter().any(|f| f.check == Check::AboveRate
                && f.reason == "a mana rock making one mana for 1 at common: cheaper than 100% of real common and uncommon ones"),
            "{cheap:?}"
        );
        let dear =
            judged("Ⓢheathscy attunt⒞⑥⒭C⒯artifact⒜Ⓝ enters the battlefield tapped.⒜↷: add Ⓤ.Ⓔ");
        assert!(
            dear.iter().any(|f| f.check == Check::BelowRate
                && f.reason == "a mana rock making one mana for 6: dearer than 100% of real ones"),
            "{dear:?}"
        );
        // A rare Mox, a rock at the common rate: fair.
        for fair in [
            "Ⓢmox opal⒞{0}⒭R⒯artifact⒜↷: add Ⓦ.Ⓔ",
            "Ⓢmind stone⒞②⒭U⒯artifact⒜↷: add Ⓒ.⒜①, ↷, sacrifice Ⓝ: draw a card.Ⓔ",
        ] {
            assert!(judged(fair).is_empty(), "{fair}: {:?}", judged(fair));
        }
        // A double striker's power counts twice.
        let striker = judged("Ⓢmist thuck⒞①Ⓦ⒭C⒯creature:dinosaur⒫2/2⒜double strikeⒺ");
        assert!(
            striker.iter().any(|f| f.check == Check::AboveRate
                && f.reason
                    .starts_with("a 2/2 double striker for 2 is bigger than")),
            "{striker:?}"
        );
        assert!(judged("Ⓢbig fencer⒞①Ⓦ⒭C⒯creature:human⒫2/2⒜vigilanceⒺ").is_empty());
        // Four one-mana fliers are too few: judged with the two-mana ones.
        let howlkog = judged("Ⓢhowlkog⒞①⒭C⒯artifact creature:bird⒫2/2⒜flyingⒺ");
        assert!(
            howlkog.iter().any(|f| f.check == Check::AboveRate
                && f.reason
                    == "a 2/2 flier for 1 is bigger than every real flier of mana value 1 or 2"),
            "{howlkog:?}"
        );
    }
}
