//! The colour fit on real cards and on rated generated ones, from the
//! repository alone: the shipped model's training cards (its novelty index)
//! and the picks rated blind in sessions 10 and 11
//! (`docs/readings/session-12/rated-picks.jsonl`).
//!
//! - Real cards: each coloured training card is judged by a fit of the other
//!   nine tenths (ten folds), so it is never its own evidence; few may be
//!   flagged.
//! - Rated picks: the fit's gap must rank a plausible pick above a borderline
//!   or nonsense one well beyond chance, and the floor must flag many more of
//!   the latter. `--nocapture` prints the figures docs/quality.md quotes.

use std::path::Path;

use cardlm_cards::judge::colour_fit::{ColourFit, FIT_FLOOR};
use cardlm_cards::judge::colour_pie::cost_colours;
use cardlm_cards::novelty_file::read_novelty_file;

const FOLDS: usize = 10;
/// Most held-out real coloured cards the floor may flag (share).
const MOST_REAL_FLAGGED: f64 = 0.04;
/// Least area under the curve of the gap, plausible against the rest.
const LEAST_AUC: f64 = 0.70;

fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

fn training_lines() -> Vec<String> {
    read_novelty_file(&repo("models/default/novelty.json.xz")).unwrap()
}

fn coloured(line: &str) -> bool {
    let mask = cost_colours(line);
    mask != 0 && mask != 0b11111
}

#[test]
fn few_real_cards_read_as_another_colour() {
    let lines = training_lines();
    let (mut judged, mut flagged) = (0usize, Vec::new());
    for fold in 0..FOLDS {
        let rest: Vec<String> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| i % FOLDS != fold)
            .map(|(_, l)| l.clone())
            .collect();
        let fit = ColourFit::from_lines(&rest);
        for line in lines.iter().skip(fold).step_by(FOLDS) {
            if !coloured(line) {
                continue;
            }
            judged += 1;
            if let Some(f) = fit.judge_line(line) {
                flagged.push(format!("{line}\n      {}", f.reason));
            }
        }
    }
    let share = flagged.len() as f64 / judged as f64;
    eprintln!(
        "{judged} coloured training cards judged by the other {}/{FOLDS}: {} ({:.2}%) read as another colour",
        FOLDS - 1,
        flagged.len(),
        100.0 * share
    );
    for f in flagged.iter().take(8) {
        eprintln!("    {f}");
    }
    assert!(judged > 10_000, "{judged}");
    assert!(share <= MOST_REAL_FLAGGED, "{:.2}% flagged", 100.0 * share);
    assert!(!flagged.is_empty(), "a floor that flags no real card tests nothing");
}

#[derive(serde::Deserialize)]
struct Rated {
    rating: String,
    line: String,
}

/// The probability that a random plausible gap exceeds a random other one
/// (ties count half).
fn auc(plausible: &[f64], others: &[f64]) -> f64 {
    let mut wins = 0.0;
    for p in plausible {
        for o in others {
            wins += if p > o {
                1.0
            } else if p == o {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (plausible.len() * others.len()) as f64
}

#[test]
fn the_gap_ranks_rated_plausible_picks_above_the_others() {
    let fit = ColourFit::from_lines(&training_lines());
    let text = std::fs::read_to_string(repo("docs/readings/session-12/rated-picks.jsonl")).unwrap();
    let (mut plausible, mut others) = (Vec::new(), Vec::new());
    let (mut p_flagged, mut o_flagged) = (0, 0);
    for row in text.lines() {
        let r: Rated = serde_json::from_str(row).unwrap();
        if !coloured(&r.line) {
            continue;
        }
        let gap = fit.fit(&r.line).map_or(0.0, |f| f.gap);
        let flagged = gap < FIT_FLOOR;
        if r.rating == "P" {
            plausible.push(gap);
            p_flagged += flagged as usize;
        } else {
            others.push(gap);
            o_flagged += flagged as usize;
        }
    }
    let a = auc(&plausible, &others);
    eprintln!(
        "{} coloured rated picks: AUC {a:.3}; the floor {FIT_FLOOR} flags {p_flagged} of {} plausible, {o_flagged} of {} borderline or nonsense",
        plausible.len() + others.len(),
        plausible.len(),
        others.len()
    );
    assert!(plausible.len() > 80 && others.len() > 250);
    assert!(a >= LEAST_AUC, "AUC {a:.3}");
    // The floor flags the others at least four times as often (measured: 4.6).
    let p_share = p_flagged as f64 / plausible.len() as f64;
    let o_share = o_flagged as f64 / others.len() as f64;
    assert!(o_share >= 4.0 * p_share, "{p_share:.3} against {o_share:.3}");
}
