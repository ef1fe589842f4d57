//! Activation rates: what real permanents pay to activate an ability for
//! what it does, and a generated activation far cheaper, or far dearer, than
//! real ones doing the same.
//!
//! An activated ability `cost: effect` is read as its price (the mana value
//! of its mana symbols, and whether it taps) and its effect (an
//! [`Effect`]: words with the numbers taken out, and the numbers). Only
//! prices of mana and `{T}` are read: a sacrifice, a discard or life paid is
//! a price the rates cannot weigh, so such activations are left out on both
//! sides, as are mana abilities (judged as mana rocks and lands) and
//! activations on instants and sorceries. A creature's activation is
//! compared only with creatures', a land's only with lands' (a land costs
//! nothing to cast and comes every turn: real lands' abilities are weak for
//! their price), anything else's with the other permanents' ([`Kind`]; a
//! creature's tap ability waits a turn), a tap ability only with tap
//! abilities. A generated activation is
//!
//! - **cheaper than real ones** ([`Check::ActivationAboveRate`]) when real
//!   activations with its effect, numbers as large or smaller, nearly all
//!   cost more: "{T}: Destroy target creature." on a land;
//! - **beyond real ones** ([`Check::ActivationAboveRate`] too) when its one
//!   number is larger than every real activation's with its words (at
//!   least [`MIN_PEERS`] of them) and it costs no more than the real one
//!   saying the most:
//!   "{3}, {T}: ~ deals 4 damage to any target." on a land, where real
//!   lands deal one or two;
//! - **dearer than real ones** ([`Check::ActivationBelowRate`]) when real
//!   activations with its effect, numbers as large or larger, all cost at
//!   least [`DEARER_SLACK`] less.
//!
//! "Activate only as a sorcery" and the like are read off the effect: they
//! make an ability weaker, never stronger. A tie-breaker for the curator, not
//! a verdict; `tests/effect_rates_real_cards.rs` counts the real
//! activations it flags when they are left out of the table.

use std::collections::HashMap;

use super::design::{activation, symbols, unquoted, Check, DesignFlaw, View};
use super::spell_rates::{at_most, beyond, few_of, said, span, Effect, MIN_PEERS};
use crate::decode::{mana_value, Card};

/// Mana an activation may cost beyond its dearest real peers before it is
/// off the rate (as [`super::spell_rates::DEARER_SLACK`], one more: real
/// activations' prices spread wider than spells').
pub const DEARER_SLACK: u32 = 2;

/// What an activation is on, for whose activations it is compared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Creature,
    Land,
    /// Artifacts, enchantments, planeswalkers' non-loyalty abilities.
    Other,
}

/// One activated ability as the rates read it.
#[derive(Clone, Debug, PartialEq)]
pub struct Priced {
    /// The mana value of its mana symbols.
    pub mana: u32,
    /// It taps the permanent.
    pub taps: bool,
    /// What it is on.
    pub kind: Kind,
    pub effect: Effect,
}

/// The activations of `card` the rates judge: abilities of a one-faced
/// permanent paid only in mana (no X) and `{T}`, not mana abilities.
pub fn priced_activations(card: &Card) -> Vec<Priced> {
    let view = View::new(card);
    if view.is_spell() || card.faces.len() != 1 {
        return Vec::new();
    }
    let kind = if view.has_type("creature") {
        Kind::Creature
    } else if view.has_type("land") {
        Kind::Land
    } else {
        Kind::Other
    };
    view.lines
        .iter()
        .filter_map(|line| {
            let (cost, effect) = activation(line)?;
            let (mana, taps) = price(&cost)?;
            let effect = without_restrictions(&unquoted(&effect));
            (!effect.is_empty() && !effect.starts_with("add ")).then(|| Priced {
                mana,
                taps,
                kind,
                effect: Effect::of(&effect),
            })
        })
        .collect()
}

/// The mana value and tap of a cost made only of mana symbols and `{T}`;
/// `None` for any other cost (a sacrifice, `{X}`, `{Q}`, life).
pub(super) fn price(cost: &str) -> Option<(u32, bool)> {
    let mut paid = Vec::new();
    let mut taps = false;
    for part in cost.split(", ") {
        let part = part.trim();
        if part.is_empty()
            || part
                .chars()
                .any(|c| c.is_alphanumeric() && !in_braces(part, c))
        {
            return None;
        }
        for s in symbols(part) {
            match s.as_str() {
                "t" => taps = true,
                "w" | "u" | "b" | "r" | "g" | "c" | "s" => paid.push(s),
                hybrid if hybrid.contains('/') => paid.push(s),
                digits if digits.parse::<u32>().is_ok() => paid.push(s),
                _ => return None,
            }
        }
    }
    // Counted as the decoder counts a card's mana value ({2/w} two).
    Some((mana_value(&paid), taps))
}

/// Is every `c` of `part` inside braces? (a cost of symbols only)
fn in_braces(part: &str, c: char) -> bool {
    let mut depth = 0;
    for x in part.chars() {
        match x {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ if x == c && depth == 0 => return false,
            _ => {}
        }
    }
    true
}

/// The effect without its activation restrictions ("Activate only as a
/// sorcery.", "Activate this ability only once each turn.").
fn without_restrictions(effect: &str) -> String {
    effect
        .split_inclusive(". ")
        .map(str::trim)
        .filter(|s| !s.starts_with("activate "))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The prices of real activations, by effect.
#[derive(Clone, Debug, Default)]
pub struct ActivationRates {
    by_words: HashMap<String, Vec<Priced>>,
    /// Real activations counted.
    pub activations: usize,
}

impl ActivationRates {
    /// Counts the activations of `card` the rates judge.
    pub fn add(&mut self, card: &Card) {
        for p in priced_activations(card) {
            self.activations += 1;
            self.by_words
                .entry(p.effect.words.clone())
                .or_default()
                .push(p);
        }
    }

    /// The rate flaws of `card`'s activations, one at most.
    pub fn judge(&self, card: &Card) -> Vec<DesignFlaw> {
        for p in priced_activations(card) {
            let tap = if p.taps { " and {T}" } else { "" };
            let cheaper = self.doing_no_more(&p);
            if cheaper.len() >= MIN_PEERS && few_of(&cheaper, |m| m <= p.mana) {
                return vec![DesignFlaw::new(
                    Check::ActivationAboveRate,
                    format!(
                        "{} mana{tap} for \"{}\": real activations doing that or less cost {} ({} of them)",
                        p.mana,
                        said(&p.effect),
                        span(&cheaper),
                        cheaper.len()
                    ),
                )];
            }
            if let Some((most, at, peers)) = self.beyond(&p) {
                return vec![DesignFlaw::new(
                    Check::ActivationAboveRate,
                    format!(
                        "{} mana{tap} for \"{}\": more than any of {peers} real activations saying it, the strongest \"{most}\" for {at}",
                        p.mana,
                        said(&p.effect),
                    ),
                )];
            }
            let dearer = self.doing_as_much(&p);
            if dearer.len() >= MIN_PEERS
                && few_of(&dearer, |m| m.saturating_add(DEARER_SLACK) >= p.mana)
            {
                return vec![DesignFlaw::new(
                    Check::ActivationBelowRate,
                    format!(
                        "{} mana{tap} for \"{}\": real activations doing as much cost {} ({} of them)",
                        p.mana,
                        said(&p.effect),
                        span(&dearer),
                        dearer.len()
                    ),
                )];
            }
        }
        Vec::new()
    }

    /// Whether some activation of `card` has enough real peers doing no more
    /// for the cheaper-than-real check to judge it.
    pub fn can_judge(&self, card: &Card) -> bool {
        priced_activations(card)
            .iter()
            .any(|p| self.doing_no_more(p).len() >= MIN_PEERS)
    }

    /// Real activations of the same kind with `p`'s effect doing no more
    /// (numbers as large or smaller): their mana.
    fn doing_no_more(&self, p: &Priced) -> Vec<u32> {
        self.peer_mana(p, |real, ours| at_most(real, ours, p.effect.monotone()))
    }

    /// Real activations of the same kind with `p`'s effect doing as much
    /// (numbers as large or larger): their mana.
    fn doing_as_much(&self, p: &Priced) -> Vec<u32> {
        self.peer_mana(p, |real, ours| at_most(ours, real, p.effect.monotone()))
    }

    /// The mana of the real activations of `p`'s kind and effect whose
    /// numbers stand to `p`'s as `keep(real, ours)` says.
    fn peer_mana(&self, p: &Priced, keep: impl Fn(&[u32], &[u32]) -> bool) -> Vec<u32> {
        self.peers(p)
            .filter(|r| keep(&r.effect.numbers, &p.effect.numbers))
            .map(|r| r.mana)
            .collect()
    }

    /// When `p`, of one number, says more than every real activation with
    /// its words (at least [`MIN_PEERS`]) for no more mana than the real one
    /// saying the most ([`beyond`]): that one, and how many there are.
    fn beyond(&self, p: &Priced) -> Option<(String, u32, usize)> {
        let peers: Vec<(u32, u32)> = self
            .peers(p)
            .map(|r| (r.effect.numbers.first().copied().unwrap_or(0), r.mana))
            .collect();
        let (strongest, at) = beyond(&p.effect, p.mana, &peers)?;
        Some((strongest, at, peers.len()))
    }

    fn peers<'a>(&'a self, p: &Priced) -> impl Iterator<Item = &'a Priced> {
        let (taps, kind) = (p.taps, p.kind);
        self.by_words
            .get(&p.effect.words)
            .into_iter()
            .flatten()
            .filter(move |r| r.taps == taps && r.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::design::tests::card;

    fn rates(lines: &[&str]) -> ActivationRates {
        let mut t = ActivationRates::default();
        for l in lines {
            t.add(&card(l));
        }
        t
    }

    #[test]
    fn prices_of_mana_and_tap_only() {
        assert_eq!(price("{2}{g}{g}"), Some((4, false)));
        assert_eq!(price("{1}, {t}"), Some((1, true)));
        assert_eq!(price("{t}"), Some((0, true)));
        assert_eq!(price("{2/w}{w/u}"), Some((3, false)));
        assert_eq!(price("{x}{r}"), None);
        assert_eq!(price("{1}, sacrifice ~"), None);
        assert_eq!(price("{q}"), None);
        // A hostile corpus's "{4294967295}{4294967295}" saturates, not overflows.
        assert_eq!(price("{4294967295}{4294967295}"), Some((u32::MAX, false)));
        let c = card("Ⓢfiend⒞②Ⓑ⒭C⒯creature:horror⒫2/2⒜Ⓑ: Ⓝ gets +1/+0 until end of turn. activate only once each turn.⒜↷: add Ⓑ.⒜①, sacrifice a creature: draw a card.Ⓔ");
        let got = priced_activations(&c);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].effect.words, "~ gets +n/+n until end of turn.");
        assert_eq!(
            (got[0].mana, got[0].taps, got[0].kind),
            (1, false, Kind::Creature)
        );
    }

    #[test]
    fn activations_far_from_real_ones() {
        let t = rates(&[
            "Ⓢtower a⒞⒭U⒯land⒜④, ↷: destroy target creature.Ⓔ",
            "Ⓢtower b⒞⒭U⒯land⒜③ⒷⒷ, ↷: destroy target creature.Ⓔ",
            "Ⓢtower c⒞⒭R⒯land⒜⑤, ↷: destroy target creature.Ⓔ",
            "Ⓢsling a⒞②⒭C⒯artifact⒜②, ↷: Ⓝ deals 1 damage to any target.Ⓔ",
            "Ⓢsling b⒞③⒭C⒯artifact⒜③, ↷: Ⓝ deals 2 damage to any target.Ⓔ",
            "Ⓢsling c⒞③⒭C⒯artifact⒜①, ↷: Ⓝ deals 1 damage to any target.Ⓔ",
            "Ⓢsling d⒞①Ⓡ⒭C⒯creature:goblin⒫1/1⒜↷: Ⓝ deals 1 damage to any target.Ⓔ",
        ]);
        assert_eq!(t.activations, 7);
        let got = t.judge(&card("Ⓢkiller land⒞⒭C⒯land⒜↷: destroy target creature.Ⓔ"));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].check, Check::ActivationAboveRate);
        assert_eq!(
            got[0].reason,
            "0 mana and {T} for \"destroy target creature.\": real activations doing that or less cost 4 to 5 (3 of them)"
        );
        let got = t.judge(&card(
            "Ⓢslow sling⒞②⒭C⒯artifact⒜⑥, ↷: Ⓝ deals 1 damage to any target.Ⓔ",
        ));
        assert_eq!(got[0].check, Check::ActivationBelowRate, "{got:?}");
        assert!(got[0]
            .reason
            .ends_with("real activations doing as much cost 1 to 3 (3 of them)"));
        // Three damage where real slings deal one or two, at their price.
        let got = t.judge(&card(
            "Ⓢbig sling⒞②⒭C⒯artifact⒜③, ↷: Ⓝ deals 3 damage to any target.Ⓔ",
        ));
        assert_eq!(
            got[0].reason,
            "3 mana and {T} for \"~ deals 3 damage to any target.\": more than any of 3 real activations saying it, the strongest \"~ deals 2 damage to any target.\" for 3",
        );
        // At the rate; a creature's tap ability is not an artifact's; a
        // sacrifice is a price the rates do not weigh.
        for fair in [
            "Ⓢsling e⒞②⒭C⒯artifact⒜②, ↷: Ⓝ deals 2 damage to any target.Ⓔ",
            "Ⓢsling f⒞②Ⓡ⒭C⒯creature:goblin⒫1/1⒜⑥, ↷: Ⓝ deals 1 damage to any target.Ⓔ",
            "Ⓢbomb⒞②⒭C⒯artifact⒜↷, sacrifice Ⓝ: destroy target creature.Ⓔ",
        ] {
            assert!(
                t.judge(&card(fair)).is_empty(),
                "{fair}: {:?}",
                t.judge(&card(fair))
            );
        }
    }
}
