//! The spell and activation rates on real cards: the shipped model's
//! training cards (its novelty index, in the repository), each judged by a
//! table built from the others (ten folds), so a real spell or activation is
//! never its own peer. A check that flags many real cards would push the
//! curator away from cards a player would keep. `--nocapture` prints the
//! counts, the share the rates can judge at all, and a few of the real cards
//! each check flags.

use std::path::Path;

use cardlm_cards::decode::{decode_with, Card, Rules};
use cardlm_cards::judge::activation_rates::{priced_activations, ActivationRates};
use cardlm_cards::judge::design::{Check, DesignFlaw};
use cardlm_cards::judge::spell_rates::{spell_effects, SpellRates};
use cardlm_cards::novelty_file::read_novelty_file;

/// Folds: each real spell is judged by a table of the other nine tenths.
const FOLDS: usize = 10;
/// Most held-out real spells (or cards with a priced activation) one check
/// may flag (share).
const MOST_FLAGGED: f64 = 0.02;
/// Fewest held-out real spells the cheaper-than-real check can judge (one
/// sentence with enough peers), so that it is not a check of nothing.
const FEWEST_JUDGED: f64 = 0.25;
/// The same for cards with a priced activation: activations are worded more
/// freely than spells, so fewer have peers.
const FEWEST_ACTIVATIONS_JUDGED: f64 = 0.15;
const SHOWN: usize = 6;

fn training_cards() -> Vec<(String, Card)> {
    let index = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/default/novelty.json.xz");
    let lines = read_novelty_file(&index).unwrap();
    let rules = Rules::for_lines(&lines);
    lines
        .into_iter()
        .map(|l| {
            let card = decode_with(&l, rules);
            (l, card)
        })
        .filter(|(_, c)| c.well_formed)
        .collect()
}

/// A rate table judged by folds: what it reads and what it flags.
trait Rates: Default {
    const CHEAPER: Check;
    const DEARER: Check;
    /// Whether the table reads `card` at all (a spell; a priced activation).
    fn reads(card: &Card) -> bool;
    fn add(&mut self, card: &Card);
    fn can_judge(&self, card: &Card) -> bool;
    fn judge(&self, card: &Card) -> Vec<DesignFlaw>;
}

impl Rates for SpellRates {
    const CHEAPER: Check = Check::SpellAboveRate;
    const DEARER: Check = Check::SpellBelowRate;
    fn reads(card: &Card) -> bool {
        spell_effects(card).is_some()
    }
    fn add(&mut self, card: &Card) {
        SpellRates::add(self, card)
    }
    fn can_judge(&self, card: &Card) -> bool {
        SpellRates::can_judge(self, card)
    }
    fn judge(&self, card: &Card) -> Vec<DesignFlaw> {
        SpellRates::judge(self, card)
    }
}

impl Rates for ActivationRates {
    const CHEAPER: Check = Check::ActivationAboveRate;
    const DEARER: Check = Check::ActivationBelowRate;
    fn reads(card: &Card) -> bool {
        !priced_activations(card).is_empty()
    }
    fn add(&mut self, card: &Card) {
        ActivationRates::add(self, card)
    }
    fn can_judge(&self, card: &Card) -> bool {
        ActivationRates::can_judge(self, card)
    }
    fn judge(&self, card: &Card) -> Vec<DesignFlaw> {
        ActivationRates::judge(self, card)
    }
}

/// Every card a table of type `T` reads, judged by a table of the other
/// folds: how many, how many it could judge, and its hits, printed.
fn judged_by_folds<T: Rates>(what: &str, fewest: usize, fewest_judged: f64) {
    let cards = training_cards();
    let (mut read, mut judged) = (0, 0);
    let (mut cheap, mut dear) = (Vec::new(), Vec::new());
    for fold in 0..FOLDS {
        let mut table = T::default();
        for (_, card) in cards.iter().enumerate().filter(|(i, _)| i % FOLDS != fold) {
            table.add(&card.1);
        }
        for (line, card) in cards.iter().skip(fold).step_by(FOLDS) {
            if !T::reads(card) {
                continue;
            }
            read += 1;
            if table.can_judge(card) {
                judged += 1;
            }
            for f in table.judge(card) {
                let hit = format!("{line}\n      {}", f.reason);
                match f.check {
                    c if c == T::CHEAPER => cheap.push(hit),
                    c if c == T::DEARER => dear.push(hit),
                    other => panic!("not a rate of {what}: {other:?}"),
                }
            }
        }
    }
    let share = |k: usize| k as f64 / read as f64;
    eprintln!(
        "{read} {what} judged by the other {}/{FOLDS}; {judged} ({:.1}%) with peers to judge by",
        FOLDS - 1,
        100.0 * share(judged)
    );
    for (how, hits) in [("cheaper", &cheap), ("dearer", &dear)] {
        eprintln!(
            "  {how} than real ones: {} ({:.2}%)",
            hits.len(),
            100.0 * share(hits.len())
        );
        for h in hits.iter().take(SHOWN) {
            eprintln!("    {h}");
        }
    }
    assert!(read > fewest, "{read} {what}");
    assert!(share(judged) >= fewest_judged, "{judged} of {read} judged");
    assert!(
        share(cheap.len()) <= MOST_FLAGGED,
        "{} cheaper",
        cheap.len()
    );
    assert!(share(dear.len()) <= MOST_FLAGGED, "{} dearer", dear.len());
}

#[test]
fn few_real_spells_are_off_the_rate_of_the_others() {
    judged_by_folds::<SpellRates>("real spells", 3_000, FEWEST_JUDGED);
}

#[test]
fn few_real_activations_are_off_the_rate_of_the_others() {
    judged_by_folds::<ActivationRates>(
        "real cards with a priced activation",
        2_000,
        FEWEST_ACTIVATIONS_JUDGED,
    );
}
