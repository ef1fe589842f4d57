//! The phrasing judge on real cards: the shipped model's training cards (its
//! novelty index, in the repository). Every training card is known phrasing
//! against a phrasebook of all of them, and cards held out of the phrasebook
//! are mostly known phrasing too (real cards repeat each other's wording),
//! so a generated card with many unknown phrases is unlike real cards.
//! `--nocapture` prints the figures and the phrasebook's build time.

use std::path::Path;
use std::time::Instant;

use cardlm_cards::judge::Phrasebook;
use cardlm_cards::novelty_file::read_novelty_file;

/// Every this many-th card is held out of the phrasebook.
const HOLD_OUT_EVERY: usize = 10;
/// Fewest held-out cards with rules text whose every phrase is known (share).
const FEWEST_KNOWN: f64 = 0.5;
/// Lowest mean share of known phrases of held-out cards.
const LOWEST_MEAN_SCORE: f64 = 0.85;

fn training_lines() -> Vec<String> {
    let index = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/default/novelty.json.xz");
    read_novelty_file(&index).unwrap()
}

#[test]
fn training_cards_are_known_phrasing() {
    let lines = training_lines();
    let start = Instant::now();
    let book = Phrasebook::from_lines(&lines);
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "phrasebook of {} cards: {} phrases, built in {seconds:.3} s",
        book.cards,
        book.len()
    );
    for line in &lines {
        let p = book.judge_line(line);
        assert!(p.known_phrasing, "{line}: {p:?}");
    }
}

#[test]
fn held_out_real_cards_are_mostly_known_phrasing() {
    let lines = training_lines();
    let held: Vec<&String> = lines.iter().step_by(HOLD_OUT_EVERY).collect();
    let kept: Vec<String> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| i % HOLD_OUT_EVERY != 0)
        .map(|(_, l)| l.clone())
        .collect();
    let book = Phrasebook::from_lines(&kept);
    let judged: Vec<_> = held
        .iter()
        .map(|l| book.judge_line(l))
        .filter(|p| p.phrases > 0)
        .collect();
    let n = judged.len() as f64;
    let known = judged.iter().filter(|p| p.known_phrasing).count() as f64 / n;
    let mean = judged.iter().map(|p| p.score).sum::<f64>() / n;
    println!(
        "{} held-out cards with rules text: {:.1}% known phrasing, {:.1}% of phrases known",
        judged.len(),
        100.0 * known,
        100.0 * mean
    );
    // How many real cards a floor on the known share would call invented
    // (the generation service draws again below `PHRASING_FLOOR`).
    for floor in [0.6, 0.7, 0.75, 0.8, 1.0] {
        let below = judged.iter().filter(|p| p.score < floor).count();
        println!(
            "  {below} ({:.1}%) with under {:.0}% of their phrases known",
            100.0 * below as f64 / n,
            100.0 * floor
        );
    }
    assert!(known >= FEWEST_KNOWN, "{known}");
    assert!(mean >= LOWEST_MEAN_SCORE, "{mean}");
}
