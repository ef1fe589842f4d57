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
use cardlm_cards::judge::design::Check;
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

#[test]
fn few_real_spells_are_off_the_rate_of_the_others() {
    let cards = training_cards();
    let mut spells = 0;
    let mut cheap = Vec::new();
    let mut dear = Vec::new();
    let mut judged = 0;
    for fold in 0..FOLDS {
        let mut table = SpellRates::default();
        for (_, card) in cards.iter().enumerate().filter(|(i, _)| i % FOLDS != fold) {
            table.add(&card.1);
        }
        for (line, card) in cards.iter().skip(fold).step_by(FOLDS) {
            if spell_effects(card).is_none() {
                continue;
            }
            spells += 1;
            if table.can_judge(card) {
                judged += 1;
            }
            for f in table.judge(card) {
                let hit = format!("{line}\n      {}", f.reason);
                match f.check {
                    Check::SpellAboveRate => cheap.push(hit),
                    Check::SpellBelowRate => dear.push(hit),
                    other => panic!("not a spell rate: {other:?}"),
                }
            }
        }
    }
    let share = |k: usize| k as f64 / spells as f64;
    eprintln!(
        "{spells} real spells judged by the other {}/{FOLDS}; {judged} ({:.1}%) with a sentence that has peers",
        FOLDS - 1,
        100.0 * share(judged)
    );
    for (what, hits) in [("cheaper", &cheap), ("dearer", &dear)] {
        eprintln!(
            "  {what} than real ones: {} ({:.2}%)",
            hits.len(),
            100.0 * share(hits.len())
        );
        for h in hits.iter().take(SHOWN) {
            eprintln!("    {h}");
        }
    }
    assert!(spells > 3_000, "{spells} spells");
    assert!(
        share(judged) >= FEWEST_JUDGED,
        "{judged} of {spells} judged"
    );
    assert!(
        share(cheap.len()) <= MOST_FLAGGED,
        "{} cheaper",
        cheap.len()
    );
    assert!(share(dear.len()) <= MOST_FLAGGED, "{} dearer", dear.len());
}

#[test]
fn few_real_activations_are_off_the_rate_of_the_others() {
    let cards = training_cards();
    let (mut priced, mut judged) = (0, 0);
    let (mut cheap, mut dear) = (Vec::new(), Vec::new());
    for fold in 0..FOLDS {
        let mut table = ActivationRates::default();
        for (_, card) in cards.iter().enumerate().filter(|(i, _)| i % FOLDS != fold) {
            table.add(&card.1);
        }
        for (line, card) in cards.iter().skip(fold).step_by(FOLDS) {
            if priced_activations(card).is_empty() {
                continue;
            }
            priced += 1;
            if table.can_judge(card) {
                judged += 1;
            }
            for f in table.judge(card) {
                let hit = format!("{line}\n      {}", f.reason);
                match f.check {
                    Check::ActivationAboveRate => cheap.push(hit),
                    Check::ActivationBelowRate => dear.push(hit),
                    other => panic!("not an activation rate: {other:?}"),
                }
            }
        }
    }
    let share = |k: usize| k as f64 / priced as f64;
    eprintln!(
        "{priced} real cards with a priced activation judged by the other {}/{FOLDS}; {judged} ({:.1}%) with one that has peers",
        FOLDS - 1,
        100.0 * share(judged)
    );
    for (what, hits) in [("cheaper", &cheap), ("dearer", &dear)] {
        eprintln!(
            "  {what} than real ones: {} ({:.2}%)",
            hits.len(),
            100.0 * share(hits.len())
        );
        for h in hits.iter().take(SHOWN) {
            eprintln!("    {h}");
        }
    }
    assert!(priced > 2_000, "{priced} cards");
    assert!(
        share(judged) >= FEWEST_ACTIVATIONS_JUDGED,
        "{judged} of {priced} judged"
    );
    assert!(
        share(cheap.len()) <= MOST_FLAGGED,
        "{} cheaper",
        cheap.len()
    );
    assert!(share(dear.len()) <= MOST_FLAGGED, "{} dearer", dear.len());
}
