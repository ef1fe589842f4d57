//! The shipped model's realness judge (`models/default/realness.json.xz`,
//! written by `cardlm fit-realness`) on the real cards it held out: it reads
//! back, and the training cards it never saw (every 20th, as the fit held
//! them out) read as real. Never needs ../shared.

use std::path::Path;

use cardlm_cards::judge::realness::Realness;
use cardlm_cards::novelty_file::read_novelty_file;

fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

#[test]
fn held_out_real_cards_read_as_real() {
    let (judge, info) = Realness::read_file(&repo("models/default/realness.json.xz")).unwrap();
    let lines = read_novelty_file(&repo("models/default/novelty.json.xz")).unwrap();
    assert_eq!(info.real, lines.len() - lines.len() / 20, "{info:?}");
    assert!(info.held_out_auc.is_some_and(|a| a > 0.9), "{info:?}");
    let held: Vec<f64> = lines
        .iter()
        .skip(19)
        .step_by(20)
        .map(|l| judge.score(l))
        .collect();
    let real = held.iter().filter(|&&s| s > 0.0).count() as f64 / held.len() as f64;
    println!(
        "{} held-out training cards, {:.1}% read as real",
        held.len(),
        100.0 * real
    );
    assert!(real > 0.8, "{real}");
}
