//! Spell rates: what real instants and sorceries cost for what they say, and
//! a generated spell far cheaper, or far dearer, than real spells saying the
//! same.
//!
//! A spell's rules text is read as sentences ("Destroy target nonland
//! permanent.", "Draw three cards."), each an [`Effect`]: its words with the
//! numbers taken out (`draw n cards.`) and the numbers it says (`[3]`). The
//! table keeps, for each effect's words, the numbers and mana value of every
//! real spell (one face, a plain cost) saying it. A generated spell is then
//!
//! - **cheaper than real ones** ([`Check::SpellAboveRate`]) when, for one of
//!   its sentences, real spells saying that effect with numbers as large or
//!   smaller and no more sentences besides it (so doing no more) nearly all
//!   cost more: a {W} "Destroy target nonland permanent." against real
//!   ones of mana value 3 and 4;
//! - **beyond real ones** ([`Check::SpellAboveRate`] too) when one of its
//!   sentences, of one number, says more than every real spell with its
//!   words (at least [`MIN_PEERS`]) at a mana value no higher than the real
//!   one saying the most: seven damage for three where real spells deal at
//!   most six, for five;
//! - **dearer than real ones** ([`Check::SpellBelowRate`]) when, for every
//!   one of its sentences, real spells saying that effect with numbers as
//!   large or larger (so doing as much, whatever else they say) nearly all
//!   cost less: a {3}{U} "Target creature you control gets +1/+1 until end
//!   of turn."
//!
//! Spells that pay another way (an additional or alternative cost, kicker,
//! flashback, convoke, ...) are left out on both sides: their mana value is
//! not what they pay. Like the creature rates ([`super::rates`]) this is a
//! tie-breaker for the curator, not a verdict, and `tests/effect_rates_real_cards.rs`
//! counts how many real spells it flags when they are left out of the table.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::design::{unquoted, Check, DesignFlaw, View};
use super::rates::has_variable_cost;
use crate::decode::Card;

/// Fewest real spells to judge an effect's rate by.
pub const MIN_PEERS: usize = 3;
/// A spell that fewer of its real peers are as cheap as (or as dear as) than
/// this share is off the rate.
pub const OFF_RATE_SHARE: f64 = 0.05;
/// Mana a spell may cost beyond its dearest real peers before it is off the
/// rate: one more than every real spell doing as much is a weak card, not a
/// wrong one (a {2}{W}{B} Vindicate); cheaper than all of them is a card
/// no designer prints.
pub const DEARER_SLACK: u32 = 1;

/// Words of a spell that pays, or may pay, otherwise than its mana cost.
const PAID_OTHERWISE: [&str; 26] = [
    "additional cost",
    "rather than pay",
    "without paying",
    "kicker",
    "kicked",
    "multikicker",
    "buyback",
    "flashback",
    "overload",
    "entwine",
    "cycling",
    "convoke",
    "delve",
    "affinity",
    "costs {",
    "less to cast",
    "suspend",
    "splice",
    "madness",
    "miracle",
    "spectacle",
    "surge",
    "emerge",
    "improvise",
    "retrace",
    "aftermath",
];

/// Effects whose larger numbers are not plainly stronger: a drawback ("you
/// lose 2 life"), a bound ("with power 4 or greater"), a mixed pump
/// ("+3/-2"). They are compared only at equal numbers.
const NOT_MONOTONE: [&str; 13] = [
    "or greater",
    "~ gets -",
    "escalate",
    "level up",
    "costs {n}",
    "or more",
    "+n/-n",
    "you lose",
    "you discard",
    "then discard",
    "to you",
    "pay n life",
    "more to cast",
];

/// How a sentence that qualifies another begins, or what it says: a rider
/// ("It can't be regenerated.", "If a creature dealt damage this way would
/// die, exile it instead.") or a setup ("Choose any target."), not an effect
/// of its own. The cheaper-than-real check reads only effects: a rider is
/// not what a spell pays for.
const RIDER_STARTS: [&str; 12] = [
    "if ",
    "it ",
    "its ",
    "that ",
    "those ",
    "they ",
    "then ",
    "choose ",
    "otherwise",
    "when",
    "you may choose the same",
    "this spell",
];
const RIDER_WORDS: [&str; 2] = ["this way", "instead"];

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([0-9]+|one|two|three|four|five|six|seven|eight|nine|ten)\b")
        .expect("a valid pattern")
});

/// One sentence of a spell: its words with each number as `n`, and the
/// numbers in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Effect {
    pub words: String,
    pub numbers: Vec<u32>,
}

impl Effect {
    pub(super) fn of(sentence: &str) -> Effect {
        let mut numbers = Vec::new();
        let words = NUMBER
            .replace_all(sentence, |c: &regex::Captures| {
                let n = &c[1];
                numbers.push(match n {
                    "one" => 1,
                    "two" => 2,
                    "three" => 3,
                    "four" => 4,
                    "five" => 5,
                    "six" => 6,
                    "seven" => 7,
                    "eight" => 8,
                    "nine" => 9,
                    "ten" => 10,
                    digits => digits.parse().unwrap_or(u32::MAX),
                });
                "n"
            })
            .into_owned();
        Effect { words, numbers }
    }

    pub(super) fn monotone(&self) -> bool {
        !NOT_MONOTONE.iter().any(|w| self.words.contains(w))
    }

    /// A rider or setup ([`RIDER_STARTS`]), or a keyword ("Split second",
    /// "Cipher": no sentence), not an effect of its own.
    fn is_rider(&self) -> bool {
        !self.words.ends_with('.')
            || RIDER_STARTS.iter().any(|w| self.words.starts_with(w))
            || RIDER_WORDS.iter().any(|w| self.words.contains(w))
    }
}

/// A spell's effects, one per sentence of its rules text (reminder and
/// quoted text left out), or `None` when it is not a spell the rates judge:
/// not a one-faced instant or sorcery with a plain mana cost (no X), or one
/// that pays otherwise ([`PAID_OTHERWISE`]).
pub fn spell_effects(card: &Card) -> Option<Vec<Effect>> {
    let view = View::new(card);
    if !view.is_spell()
        || card.faces.len() != 1
        || card.cost.is_empty()
        || has_variable_cost(card)
        || PAID_OTHERWISE.iter().any(|w| view.text.contains(w))
    {
        return None;
    }
    let mut out = Vec::new();
    for line in &view.lines {
        let line = unquoted(line);
        for sentence in line.split_inclusive(". ") {
            let sentence = sentence.trim();
            if !sentence.is_empty() {
                out.push(Effect::of(sentence));
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// One real spell saying an effect: the numbers it says, its mana value, and
/// how many sentences it has in all.
#[derive(Clone, Debug)]
struct Saying {
    numbers: Vec<u32>,
    mana_value: u32,
    sentences: usize,
}

/// The rates of real spells, by effect.
#[derive(Clone, Debug, Default)]
pub struct SpellRates {
    by_words: HashMap<String, Vec<Saying>>,
    /// Real spells counted.
    pub spells: usize,
}

impl SpellRates {
    /// Counts `card` when it is a spell the rates judge.
    pub fn add(&mut self, card: &Card) {
        let Some(effects) = spell_effects(card) else {
            return;
        };
        self.spells += 1;
        let sentences = effects.len();
        for e in effects {
            self.by_words.entry(e.words).or_default().push(Saying {
                numbers: e.numbers,
                mana_value: card.mana_value,
                sentences,
            });
        }
    }

    /// The rate flaws of `card` (none when it is not a spell judged).
    pub fn judge(&self, card: &Card) -> Vec<DesignFlaw> {
        let Some(effects) = spell_effects(card) else {
            return Vec::new();
        };
        let mv = card.mana_value;
        let mut out = Vec::new();
        // Cheaper than real spells doing no more.
        for e in effects.iter().filter(|e| !e.is_rider()) {
            let peers = self.doing_no_more(e, effects.len());
            if peers.len() < MIN_PEERS {
                continue;
            }
            if few_of(&peers, |m| m <= mv) {
                out.push(DesignFlaw::new(
                    Check::SpellAboveRate,
                    format!(
                        "a spell of mana value {mv} saying \"{}\": real spells doing that or less cost {} ({} of them)",
                        said(e),
                        span(&peers),
                        peers.len()
                    ),
                ));
                break;
            }
        }
        // Beyond every real spell saying it, for no more mana.
        if out.is_empty() {
            if let Some(flaw) = effects
                .iter()
                .filter(|e| !e.is_rider())
                .find_map(|e| self.beyond(e, mv))
            {
                out.push(flaw);
            }
        }
        // Dearer than real spells doing as much (by more than the slack),
        // for every sentence.
        let dear: Option<Vec<(usize, Vec<u32>)>> = effects
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let peers = self.doing_as_much(e);
                (peers.len() >= MIN_PEERS
                    && few_of(&peers, |m| m.saturating_add(DEARER_SLACK) >= mv))
                .then_some((i, peers))
            })
            .collect();
        // Quoted by the sentence with the most peers (the first of equals:
        // `max_by_key` keeps the last of equals, here of the reversed list).
        let dearest =
            dear.and_then(|all| all.into_iter().rev().max_by_key(|(_, peers)| peers.len()));
        if let Some((i, peers)) = dearest {
            out.push(DesignFlaw::new(
                Check::SpellBelowRate,
                format!(
                    "a spell of mana value {mv} saying \"{}\": real spells doing as much cost {} ({} of them)",
                    said(&effects[i]),
                    span(&peers),
                    peers.len()
                ),
            ));
        }
        out
    }

    /// An effect of one number saying more than every real spell with its
    /// words (at least [`MIN_PEERS`], whatever else they say), at a mana
    /// value no higher than that of the real spell saying the most: "~ deals
    /// 7 damage to any target." for three, where real ones say at most 6 for
    /// five. Only for effects whose larger numbers are plainly stronger.
    fn beyond(&self, e: &Effect, mv: u32) -> Option<DesignFlaw> {
        let peers: Vec<(u32, u32)> = self
            .sayings(e)
            .map(|s| (s.numbers.first().copied().unwrap_or(0), s.mana_value))
            .collect();
        let (strongest, at) = beyond(e, mv, &peers)?;
        Some(DesignFlaw::new(
            Check::SpellAboveRate,
            format!(
                "a spell of mana value {mv} saying \"{}\": more than any of {} real spells saying it, the strongest \"{strongest}\" for {at}",
                said(e),
                peers.len(),
            ),
        ))
    }

    /// Whether some sentence of `card` has enough real peers doing no more
    /// for the cheaper-than-real check to judge it (how much of what is
    /// generated the rates can see at all).
    pub fn can_judge(&self, card: &Card) -> bool {
        spell_effects(card).is_some_and(|effects| {
            effects
                .iter()
                .any(|e| !e.is_rider() && self.doing_no_more(e, effects.len()).len() >= MIN_PEERS)
        })
    }

    /// The mana values of real spells saying `e` with numbers as large or
    /// smaller, in no more than `sentences` sentences.
    fn doing_no_more(&self, e: &Effect, sentences: usize) -> Vec<u32> {
        let monotone = e.monotone();
        self.sayings(e)
            .filter(|s| s.sentences <= sentences && at_most(&s.numbers, &e.numbers, monotone))
            .map(|s| s.mana_value)
            .collect()
    }

    /// The mana values of real spells saying `e` with numbers as large or
    /// larger, whatever else they say.
    ///
    /// A target "an opponent controls" is a narrower one: real spells saying
    /// the same of any target do as much ("Return target creature to its
    /// owner's hand." for a sorcery returning one an opponent controls).
    fn doing_as_much(&self, e: &Effect) -> Vec<u32> {
        let monotone = e.monotone();
        let wider = e.words.contains(OPPONENTS).then(|| Effect {
            words: e.words.replace(OPPONENTS, ""),
            numbers: e.numbers.clone(),
        });
        self.sayings(e)
            .chain(wider.iter().flat_map(|w| self.sayings(w)))
            .filter(|s| at_most(&e.numbers, &s.numbers, monotone))
            .map(|s| s.mana_value)
            .collect()
    }

    /// Real spells saying `e`'s words, or the same harm to another
    /// opponent ([`same_harm`]).
    fn sayings<'a>(&'a self, e: &Effect) -> impl Iterator<Item = &'a Saying> {
        let others = same_harm(&e.words);
        self.by_words
            .get(&e.words)
            .into_iter()
            .chain(
                others
                    .into_iter()
                    .filter_map(move |w| self.by_words.get(&w)),
            )
            .flatten()
    }
}

/// What narrows a target to an opponent's permanents.
const OPPONENTS: &str = " an opponent controls";

/// Who a harm may fall on, said three ways that do as much in a game of two.
const HARMED: [&str; 3] = ["each opponent ", "target opponent ", "target player "];
/// Harms only: "target player draws two cards." is a gift, "each opponent
/// draws two cards." a drawback.
const HARMS: [&str; 4] = ["discards ", "loses ", "sacrifices ", "mills "];

/// The other wordings of a harm to one opponent: "Each opponent discards a
/// card." does what real spells saying "Target player discards a card." do
/// (and costs about as much), though no real spell says it in those words.
fn same_harm(words: &str) -> Vec<String> {
    let Some((who, rest)) = HARMED
        .iter()
        .find_map(|w| words.strip_prefix(w).map(|rest| (*w, rest)))
    else {
        return Vec::new();
    };
    if !HARMS.iter().any(|h| rest.starts_with(h)) {
        return Vec::new();
    }
    HARMED
        .iter()
        .filter(|w| **w != who)
        .map(|w| format!("{w}{rest}"))
        .collect()
}

/// For an effect of one number (`e`, on a card of mana value `mv`) and the
/// real cards saying its words (`peers`: number, mana value): when it says
/// more than all of them (at least [`MIN_PEERS`]) at a mana value no higher
/// than the cheapest of those saying the most: that strongest real effect,
/// as said, and its mana value.
pub(super) fn beyond(e: &Effect, mv: u32, peers: &[(u32, u32)]) -> Option<(String, u32)> {
    let [n] = e.numbers[..] else {
        return None;
    };
    if !e.monotone() || peers.len() < MIN_PEERS {
        return None;
    }
    let most = peers.iter().map(|&(x, _)| x).max()?;
    let at = peers
        .iter()
        .filter(|&&(x, _)| x == most)
        .map(|&(_, m)| m)
        .min()?;
    (n > most && mv <= at).then(|| {
        let strongest = Effect {
            words: e.words.clone(),
            numbers: vec![most],
        };
        (said(&strongest), at)
    })
}

/// Whether fewer than [`OFF_RATE_SHARE`] of real peers' mana values (not
/// empty) `hit`: a card off the rate of nearly all of them.
pub(super) fn few_of(values: &[u32], hit: impl Fn(u32) -> bool) -> bool {
    (values.iter().filter(|&&m| hit(m)).count() as f64 / values.len() as f64) < OFF_RATE_SHARE
}

/// Does an effect saying numbers `a` do as much as one saying `b` (the same
/// words) or less? At equal numbers only where larger is not plainly
/// stronger.
pub(super) fn at_most(a: &[u32], b: &[u32], monotone: bool) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| if monotone { x <= y } else { x == y })
}

/// The effect as the card says it, numbers back in.
pub(super) fn said(e: &Effect) -> String {
    let mut numbers = e.numbers.iter();
    let mut out = String::new();
    let mut rest = e.words.as_str();
    while let Some(at) = find_placeholder(rest) {
        out.push_str(&rest[..at]);
        match numbers.next() {
            Some(n) => out.push_str(&n.to_string()),
            None => out.push('n'),
        }
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out
}

/// Where the next number placeholder `n` (a word of its own) starts.
fn find_placeholder(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    text.match_indices('n').map(|(i, _)| i).find(|&i| {
        let before = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let after = bytes.get(i + 1).is_none_or(|b| !b.is_ascii_alphanumeric());
        before && after
    })
}

/// "3", or "3 to 5", of mana values.
pub(super) fn span(values: &[u32]) -> String {
    let lo = values.iter().min().copied().unwrap_or(0);
    let hi = values.iter().max().copied().unwrap_or(0);
    if lo == hi {
        lo.to_string()
    } else {
        format!("{lo} to {hi}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::design::tests::card;

    fn rates(lines: &[&str]) -> SpellRates {
        let mut t = SpellRates::default();
        for l in lines {
            t.add(&card(l));
        }
        t
    }

    fn checks(t: &SpellRates, line: &str) -> Vec<(Check, String)> {
        t.judge(&card(line))
            .into_iter()
            .map(|f| (f.check, f.reason))
            .collect()
    }

    #[test]
    fn effects_keep_their_numbers_apart() {
        let e = Effect::of("~ deals 3 damage to any target and you gain two life.");
        assert_eq!(
            e.words,
            "~ deals n damage to any target and you gain n life."
        );
        assert_eq!(e.numbers, vec![3, 2]);
        assert_eq!(
            said(&e),
            "~ deals 3 damage to any target and you gain 2 life."
        );
        let pump = Effect::of("target creature gets +3/+3 until end of turn.");
        assert_eq!(pump.words, "target creature gets +n/+n until end of turn.");
        assert_eq!(said(&pump), "target creature gets +3/+3 until end of turn.");
        assert!(pump.monotone());
        assert!(!Effect::of("you lose 2 life.").monotone());
    }

    #[test]
    fn a_spell_far_cheaper_than_real_ones_doing_no_more() {
        let t = rates(&[
            "Ⓢvindicate⒞①ⓌⒷ⒭R⒯sorcery⒜destroy target nonland permanent.Ⓔ",
            "Ⓢunmaking⒞①ⓌⒷ⒭R⒯instant⒜destroy target nonland permanent.Ⓔ",
            "Ⓢpulse⒞①ⒷⒼ⒭R⒯sorcery⒜destroy target nonland permanent.Ⓔ",
            "Ⓢbolt⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 3 damage to any target.Ⓔ",
            "Ⓢshock⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ",
            "Ⓢstrike⒞①Ⓡ⒭C⒯instant⒜Ⓝ deals 3 damage to any target.Ⓔ",
            "Ⓢchar⒞②Ⓡ⒭C⒯instant⒜Ⓝ deals 4 damage to any target. Ⓝ deals 2 damage to you.Ⓔ",
        ]);
        assert_eq!(t.spells, 7);
        // v3's reading: a one-mana Vindicate.
        let got = checks(
            &t,
            "Ⓢpaishi glass⒞Ⓦ⒭C⒯sorcery⒜destroy target nonland permanent.Ⓔ",
        );
        assert_eq!(
            got,
            vec![(
                Check::SpellAboveRate,
                "a spell of mana value 1 saying \"destroy target nonland permanent.\": real spells doing that or less cost 3 (3 of them)".to_owned()
            )]
        );
        // Five damage for one: not cheaper than real spells doing less (a
        // bolt is as cheap), but more than any of them says.
        let got = checks(&t, "Ⓢbig bolt⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 5 damage to any target.Ⓔ");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].1.contains("more than any of 4 real spells"),
            "{got:?}"
        );
        let got = checks(
            &t,
            "Ⓢbig bolt⒞{0}⒭C⒯instant⒜Ⓝ deals 5 damage to any target.Ⓔ",
        );
        assert_eq!(got[0].0, Check::SpellAboveRate, "{got:?}");
        // Six damage: more than any real burn spell, at their prices.
        let got = checks(
            &t,
            "Ⓢhuge bolt⒞②Ⓡ⒭C⒯instant⒜Ⓝ deals 6 damage to any target.Ⓔ",
        );
        assert_eq!(
            got,
            vec![(
                Check::SpellAboveRate,
                "a spell of mana value 3 saying \"~ deals 6 damage to any target.\": more than any of 4 real spells saying it, the strongest \"~ deals 4 damage to any target.\" for 3".to_owned()
            )]
        );
        assert!(checks(
            &t,
            "Ⓢhuge bolt⒞③Ⓡ⒭C⒯instant⒜Ⓝ deals 6 damage to any target.Ⓔ"
        )
        .is_empty());
        // At the rate, paid otherwise, or with too few peers: nothing.
        for fair in [
            "Ⓢvindication⒞②ⓌⒷ⒭R⒯sorcery⒜destroy target nonland permanent.Ⓔ",
            "Ⓢflash bolt⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 3 damage to any target.Ⓔ",
            "Ⓢsacrifice⒞Ⓦ⒭C⒯sorcery⒜as an additional cost to cast this spell, sacrifice a creature.⒜destroy target nonland permanent.Ⓔ",
            "Ⓢrare⒞Ⓦ⒭C⒯sorcery⒜exile target nonland permanent.Ⓔ",
        ] {
            assert!(checks(&t, fair).is_empty(), "{fair}: {:?}", checks(&t, fair));
        }
    }

    #[test]
    fn a_spell_far_dearer_than_real_ones_doing_as_much() {
        let t = rates(&[
            "Ⓢgrowth⒞Ⓖ⒭C⒯instant⒜target creature gets +3/+3 until end of turn.Ⓔ",
            "Ⓢbrute⒞Ⓡ⒭C⒯instant⒜target creature gets +3/+1 until end of turn.Ⓔ",
            "Ⓢrush⒞①Ⓖ⒭C⒯instant⒜target creature gets +2/+2 until end of turn.Ⓔ",
            "Ⓢmight⒞①Ⓖ⒭C⒯instant⒜target creature gets +4/+4 until end of turn. draw a card.Ⓔ",
            "Ⓢbolt⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 3 damage to any target.Ⓔ",
        ]);
        // v3's reading, in these words: +1/+1 for four.
        let got = checks(
            &t,
            "Ⓢgoblin wire⒞③Ⓤ⒭C⒯instant⒜target creature gets +1/+1 until end of turn.Ⓔ",
        );
        assert_eq!(
            got,
            vec![(
                Check::SpellBelowRate,
                "a spell of mana value 4 saying \"target creature gets +1/+1 until end of turn.\": real spells doing as much cost 1 to 2 (4 of them)".to_owned()
            )]
        );
        // A second sentence no real spell says may be what it pays for.
        assert!(checks(
            &t,
            "Ⓢwire⒞③Ⓤ⒭C⒯instant⒜target creature gets +1/+1 until end of turn. tap all lands.Ⓔ"
        )
        .is_empty());
        // One more than the dearest real one doing as much: weak, not wrong.
        assert!(checks(
            &t,
            "Ⓢwire⒞②Ⓤ⒭C⒯instant⒜target creature gets +1/+1 until end of turn.Ⓔ"
        )
        .is_empty());
    }

    #[test]
    fn a_harm_to_each_opponent_is_rated_by_the_same_harm_to_a_target_player() {
        let t = rates(&[
            "Ⓢravel⒞①Ⓑ⒭C⒯sorcery⒜target player discards a card.Ⓔ",
            "Ⓢdementia⒞①Ⓑ⒭C⒯sorcery⒜target player discards a card.Ⓔ",
            "Ⓢpain⒞Ⓑ⒭U⒯sorcery⒜target player discards a card.Ⓔ",
            "Ⓢnotes⒞①Ⓑ⒭C⒯sorcery⒜target opponent discards a card.Ⓔ",
            "Ⓢinsight⒞①Ⓤ⒭C⒯sorcery⒜target player draws two cards.Ⓔ",
            "Ⓢwisdom⒞②Ⓤ⒭C⒯sorcery⒜target player draws two cards.Ⓔ",
            "Ⓢvision⒞①Ⓤ⒭C⒯sorcery⒜target player draws two cards.Ⓔ",
        ]);
        // Seen in the default command's output: eight mana for one discard.
        let got = checks(
            &t,
            "Ⓢreak falling⒞⑤ⒷⓇⒼ⒭R⒯sorcery⒜each opponent discards a card.Ⓔ",
        );
        assert_eq!(
            got,
            vec![(
                Check::SpellBelowRate,
                "a spell of mana value 8 saying \"each opponent discards a card.\": real spells doing as much cost 1 to 2 (4 of them)".to_owned()
            )]
        );
        assert!(checks(&t, "Ⓢfalling⒞①Ⓑ⒭C⒯sorcery⒜each opponent discards a card.Ⓔ").is_empty());
        // A narrower target does no more than the wider one real spells name.
        let t = rates(&[
            "Ⓢunsummon⒞Ⓤ⒭C⒯instant⒜return target creature to its owner's hand.Ⓔ",
            "Ⓢboomerang⒞Ⓤ⒭C⒯instant⒜return target creature to its owner's hand.Ⓔ",
            "Ⓢvapor snag⒞Ⓤ⒭C⒯instant⒜return target creature to its owner's hand.Ⓔ",
            "Ⓢrepulse⒞②Ⓤ⒭C⒯instant⒜return target creature to its owner's hand. draw a card.Ⓔ",
        ]);
        assert_eq!(
            checks(
                &t,
                "Ⓢweight of life⒞③ⓊⓊ⒭U⒯sorcery⒜return target creature an opponent controls to its owner's hand.Ⓔ",
            ),
            vec![(
                Check::SpellBelowRate,
                "a spell of mana value 5 saying \"return target creature an opponent controls to its owner's hand.\": real spells doing as much cost 1 to 3 (4 of them)".to_owned()
            )]
        );
        // ... but not for the cheaper check: the wider real ones do more.
        assert!(checks(
            &t,
            "Ⓢweight⒞Ⓤ⒭C⒯instant⒜return target creature an opponent controls to its owner's hand.Ⓔ"
        )
        .is_empty());
        // A gift to a target player is no drawback for each opponent.
        assert!(same_harm("each opponent draws n cards.").is_empty());
        assert!(checks(&t, "Ⓢgift⒞⑤Ⓤ⒭C⒯sorcery⒜each opponent draws two cards.Ⓔ").is_empty());
    }
}
