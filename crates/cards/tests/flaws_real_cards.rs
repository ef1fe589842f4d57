//! The curator's flaws are rare on real cards: the shipped model's training
//! cards (its novelty index, in the repository) are read and each flaw's share
//! counted. A flaw many real cards have would push the curator away from
//! cards a player would keep.

use std::collections::BTreeMap;
use std::path::Path;

use cardlm_cards::decode::{decode_with, Rules};
use cardlm_cards::judge::flaws;
use cardlm_cards::novelty_file::read_novelty_file;

/// Most real cards with any flaw (share).
const MOST_FLAWED: f64 = 0.05;

#[test]
fn few_training_cards_have_a_flaw() {
    let index = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/default/novelty.json.xz");
    let lines = read_novelty_file(&index).unwrap();
    let rules = Rules::for_lines(&lines);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let (mut cards, mut flawed) = (0usize, 0usize);
    for line in &lines {
        let card = decode_with(line, rules);
        if !card.well_formed {
            continue;
        }
        cards += 1;
        let found = flaws(&card);
        if !found.is_empty() {
            flawed += 1;
        }
        for f in found {
            // The reason without the quoted keyword: one count per kind.
            let kind = f.rsplit('"').next().unwrap_or(&f).trim().to_owned();
            *counts.entry(kind).or_default() += 1;
        }
    }
    assert!(cards > 10_000, "{cards} cards");
    let share = flawed as f64 / cards as f64;
    eprintln!(
        "{flawed} of {cards} training cards ({:.2}%) flawed: {counts:?}",
        share * 100.0
    );
    assert!(share < MOST_FLAWED, "{share}: {counts:?}");
}
