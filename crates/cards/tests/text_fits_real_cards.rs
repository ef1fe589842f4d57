//! The colour and rarity fits on real cards and on rated generated ones,
//! from the repository alone: the shipped model's training cards (its
//! novelty index) and the picks rated blind in sessions 10 and 11
//! (`docs/readings/session-12/rated-picks.jsonl`).
//!
//! - Real cards: each training card is judged by a fit of the other nine
//!   tenths (ten folds), so it is never its own evidence; few may be flagged.
//! - Rated picks: the floor must flag many more borderline or nonsense picks
//!   than plausible ones, and the colour fit's gap must rank a plausible pick
//!   above the others well beyond chance. `--nocapture` prints the figures
//!   docs/quality.md quotes.

use std::path::Path;

use cardlm_cards::judge::colour_fit::{ColourFit, FIT_FLOOR};
use cardlm_cards::judge::colour_pie::cost_colours;
use cardlm_cards::judge::design::DesignFlaw;
use cardlm_cards::judge::rarity_fit::{RarityFit, RARITY_FLOOR};
use cardlm_cards::judge::word_pairs::Gap;
use cardlm_cards::novelty_file::read_novelty_file;

const FOLDS: usize = 10;
/// Least area under the curve of the colour fit's gap, plausible against the rest.
const LEAST_AUC: f64 = 0.70;

/// A fit as the tests drive it.
trait Fit {
    const WHAT: &'static str;
    /// Most held-out real cards it may flag (share of those it can judge).
    const MOST_REAL_FLAGGED: f64;
    fn build(lines: &[String]) -> Self;
    /// Whether the fit judges this line at all (its class is known).
    fn judges(line: &str) -> bool;
    fn gap(&self, line: &str) -> Option<Gap>;
    fn flaw(&self, line: &str) -> Option<DesignFlaw>;
}

impl Fit for ColourFit {
    const WHAT: &'static str = "coloured";
    const MOST_REAL_FLAGGED: f64 = 0.04;
    fn build(lines: &[String]) -> Self {
        ColourFit::from_lines(lines)
    }
    fn judges(line: &str) -> bool {
        let mask = cost_colours(line);
        mask != 0 && mask != 0b11111
    }
    fn gap(&self, line: &str) -> Option<Gap> {
        self.fit(line)
    }
    fn flaw(&self, line: &str) -> Option<DesignFlaw> {
        self.judge_line(line)
    }
}

impl Fit for RarityFit {
    const WHAT: &'static str = "common to mythic";
    const MOST_REAL_FLAGGED: f64 = 0.04;
    fn build(lines: &[String]) -> Self {
        RarityFit::from_lines(lines)
    }
    fn judges(line: &str) -> bool {
        ["⒭C⒯", "⒭U⒯", "⒭R⒯", "⒭M⒯"]
            .iter()
            .any(|r| line.contains(r))
    }
    fn gap(&self, line: &str) -> Option<Gap> {
        self.fit(line)
    }
    fn flaw(&self, line: &str) -> Option<DesignFlaw> {
        self.judge_line(line)
    }
}

fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn training_lines() -> Vec<String> {
    read_novelty_file(&repo("models/default/novelty.json.xz")).unwrap()
}

fn few_real_cards_flagged<F: Fit>() {
    let lines = training_lines();
    let (mut judged, mut flagged) = (0usize, Vec::new());
    for fold in 0..FOLDS {
        let rest: Vec<String> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| i % FOLDS != fold)
            .map(|(_, l)| l.clone())
            .collect();
        let fit = F::build(&rest);
        for line in lines.iter().skip(fold).step_by(FOLDS) {
            if !F::judges(line) {
                continue;
            }
            judged += 1;
            if let Some(f) = fit.flaw(line) {
                flagged.push(format!("{line}\n      {}", f.reason));
            }
        }
    }
    let share = flagged.len() as f64 / judged as f64;
    eprintln!(
        "{judged} {} training cards judged by the other {}/{FOLDS}: {} ({:.2}%) flagged",
        F::WHAT,
        FOLDS - 1,
        flagged.len(),
        100.0 * share
    );
    for f in flagged.iter().take(8) {
        eprintln!("    {f}");
    }
    assert!(judged > 10_000, "{judged}");
    assert!(
        share <= F::MOST_REAL_FLAGGED,
        "{:.2}% flagged",
        100.0 * share
    );
    assert!(
        !flagged.is_empty(),
        "a floor that flags no real card tests nothing"
    );
}

#[test]
fn few_real_cards_read_as_another_colour() {
    few_real_cards_flagged::<ColourFit>();
}

#[test]
fn few_real_cards_read_as_another_rarity() {
    few_real_cards_flagged::<RarityFit>();
}

#[derive(serde::Deserialize)]
struct Rated {
    rating: String,
    line: String,
}

fn rated_picks() -> Vec<Rated> {
    let text = std::fs::read_to_string(repo("docs/readings/session-12/rated-picks.jsonl")).unwrap();
    text.lines()
        .map(|row| serde_json::from_str(row).unwrap())
        .collect()
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

/// The gaps of the rated picks a fit judges (0 when it reads none of their
/// word pairs), plausible and others, and how many of each its floor flags.
fn rated_gaps<F: Fit>(floor: f64) -> (Vec<f64>, Vec<f64>, usize, usize) {
    let fit = F::build(&training_lines());
    let (mut plausible, mut others) = (Vec::new(), Vec::new());
    let (mut p_flagged, mut o_flagged) = (0, 0);
    for r in rated_picks().iter().filter(|r| F::judges(&r.line)) {
        let gap = fit.gap(&r.line).map_or(0.0, |f| f.gap);
        let flagged = gap < floor;
        if r.rating == "P" {
            plausible.push(gap);
            p_flagged += flagged as usize;
        } else {
            others.push(gap);
            o_flagged += flagged as usize;
        }
    }
    eprintln!(
        "{} {} rated picks: AUC {:.3}; the floor {floor} flags {p_flagged} of {} plausible, {o_flagged} of {} borderline or nonsense",
        plausible.len() + others.len(),
        F::WHAT,
        auc(&plausible, &others),
        plausible.len(),
        others.len()
    );
    assert!(plausible.len() > 80 && others.len() > 250);
    (plausible, others, p_flagged, o_flagged)
}

#[test]
fn the_colour_gap_ranks_rated_plausible_picks_above_the_others() {
    let (plausible, others, p_flagged, o_flagged) = rated_gaps::<ColourFit>(FIT_FLOOR);
    let a = auc(&plausible, &others);
    assert!(a >= LEAST_AUC, "AUC {a:.3}");
    // The floor flags the others at least four times as often (measured: 4.6).
    let p_share = p_flagged as f64 / plausible.len() as f64;
    let o_share = o_flagged as f64 / others.len() as f64;
    assert!(
        o_share >= 4.0 * p_share,
        "{p_share:.3} against {o_share:.3}"
    );
}

#[test]
fn the_rarity_floor_flags_borderline_and_nonsense_picks() {
    let (plausible, others, p_flagged, o_flagged) = rated_gaps::<RarityFit>(RARITY_FLOOR);
    let p_share = p_flagged as f64 / plausible.len() as f64;
    let o_share = o_flagged as f64 / others.len() as f64;
    assert!(o_flagged >= 15, "{o_flagged}");
    assert!(
        o_share >= 4.0 * p_share,
        "{p_share:.3} against {o_share:.3}"
    );
}
