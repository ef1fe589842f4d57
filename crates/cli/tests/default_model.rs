//! The shipped model in `models/default`: `cardlm generate` with no model
//! argument finds it (from the repository root, as the README's quick start
//! runs it, and from anywhere else), prints five cards, and the cards are
//! well-formed at the rate its evaluation reports, each judged new or a
//! copy through the novelty index shipped with it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn cardlm_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cardlm"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// `cardlm_in`, which must succeed: its standard output.
fn stdout_of(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = cardlm_in(dir, args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn generate_without_arguments_prints_five_cards_from_the_default_model() {
    let out = cardlm_in(&repo_root(), &["generate", "--seed", "1"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let text = String::from_utf8(out.stdout).unwrap();
    // The same seed gives the same cards in any format: each of the five
    // names is printed, first line of its card.
    let json = cardlm_in(
        &repo_root(),
        &["generate", "--seed", "1", "--format", "json"],
    );
    let cards: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let cards = cards.as_array().unwrap();
    assert_eq!(cards.len(), 5);
    for card in cards {
        let name = card["name"].as_str().unwrap();
        assert!(
            text.lines().any(|l| l == name),
            "{name} not printed in\n{text}"
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_output_byte_for_byte() {
    // Cards and every verdict under them: the colour pie's reason once quoted
    // a different phrase among equally off-colour ones from run to run (it
    // read a hash set's order). Seed 902's first 200 raw cards hit that.
    let run = || {
        stdout_of(
            &repo_root(),
            &[
                "generate",
                "-n",
                "200",
                "--best-of",
                "1",
                "--seed",
                "902",
                "--format",
                "jsonl",
            ],
        )
    };
    assert!(run() == run(), "two runs of the same seed differ");
}

#[test]
fn the_default_model_is_found_from_any_directory() {
    let elsewhere = std::env::temp_dir();
    let out = stdout_of(
        &elsewhere,
        &["generate", "-n", "1", "--seed", "2", "--format", "json"],
    );
    let cards: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(cards.as_array().unwrap().len(), 1);
}

#[test]
fn nearly_all_default_model_cards_are_well_formed_at_temperature_one() {
    // 60 cards at T = 1.0 from a fixed seed. The quality figure is the
    // evaluation's (models/default/eval.txt, 500 cards); this guards against a
    // broken model, loader or decoder, which would give few or none, while
    // leaving room for the sampling noise of 60 cards.
    let out = stdout_of(
        &repo_root(),
        &[
            "generate",
            "-n",
            "60",
            "--seed",
            "7",
            "--best-of",
            "1",
            "--format",
            "jsonl",
        ],
    );
    let text = String::from_utf8(out).unwrap();
    let cards: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(cards.len(), 60);
    let well_formed = cards
        .iter()
        .filter(|c| c["well_formed"].as_bool() == Some(true))
        .count();
    assert!(well_formed >= 51, "only {well_formed} of 60 well-formed");
}

#[test]
fn curated_default_model_cards_pass_the_strict_judge() {
    // The default command curates (the best of 48 or more), judging strictly with the
    // lexicon gathered from the novelty index shipped in models/default.
    let out = stdout_of(
        &repo_root(),
        &["generate", "-n", "20", "--seed", "7", "--format", "jsonl"],
    );
    let cards: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(cards.len(), 20);
    // 48, or another 48 for each round with no clean candidate (up to three
    // rounds).
    assert!(cards
        .iter()
        .all(|c| [48, 96, 144].iter().any(|n| c["candidates"] == *n)));
    let strict = cards
        .iter()
        .filter(|c| c["strict"]["well_formed"].as_bool() == Some(true))
        .count();
    // Measured: 200 of 200 at seed 11 (docs/quality.md).
    assert!(strict >= 18, "only {strict} of 20 pass the strict judge");
}

/// Characters of a JSON card's rules text, abilities joined by one space.
fn text_chars(card: &serde_json::Value) -> usize {
    let abilities: Vec<&str> = card["abil"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a.as_str())
        .filter(|a| !a.is_empty())
        .collect();
    abilities.join(" ").chars().count()
}

/// The curator's bands of rules-text length (`TEXT_BANDS` in curate.rs).
fn band(chars: usize) -> usize {
    [0, 20, 60, 120]
        .iter()
        .position(|&bound| chars <= bound)
        .unwrap_or(4)
}

#[test]
fn keep_length_curates_within_the_length_the_model_drew() {
    let jsonl = |extra: &[&str]| -> Vec<serde_json::Value> {
        let mut args = vec!["generate", "-n", "20", "--seed", "21", "--format", "jsonl"];
        args.extend_from_slice(extra);
        String::from_utf8(stdout_of(&repo_root(), &args))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    // Draw 0 of each curated card is the card --best-of 1 prints.
    let raw = jsonl(&["--best-of", "1"]);
    let kept = jsonl(&["--keep-length"]);
    let free = jsonl(&[]);
    let mut compared = 0;
    for ((r, k), f) in raw.iter().zip(&kept).zip(&free) {
        assert!([48, 96, 144].iter().any(|n| k["candidates"] == *n), "{k}");
        assert!(f["candidates"].as_u64().unwrap() >= 48);
        if r["strict"]["well_formed"].as_bool() == Some(true) {
            assert_eq!(band(text_chars(k)), band(text_chars(r)), "{k}\nagainst {r}");
            compared += 1;
        }
    }
    assert!(
        compared >= 10,
        "only {compared} strictly well-formed raw cards"
    );
    // Free to pick any length, the curator picks shorter cards.
    let mean = |cards: &[serde_json::Value]| {
        cards.iter().map(text_chars).sum::<usize>() as f64 / cards.len() as f64
    };
    assert!(
        mean(&free) < mean(&kept),
        "{} >= {}",
        mean(&free),
        mean(&kept)
    );
}

#[test]
fn curated_vanilla_creatures_are_printed_common() {
    let out = stdout_of(
        &repo_root(),
        &[
            "generate", "-n", "60", "--seed", "2601", "--format", "jsonl",
        ],
    );
    let cards: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let vanilla: Vec<&serde_json::Value> = cards
        .iter()
        .filter(|c| {
            c["types"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "Creature")
                && text_chars(c) == 0
        })
        .collect();
    assert!(
        vanilla.len() >= 5,
        "only {} vanilla creatures",
        vanilla.len()
    );
    for c in &vanilla {
        assert_eq!(c["rare"], "common", "{c}");
    }
    // Measured: seed 2601's first 40 cards hold four the model drew rarer.
    let printed = vanilla
        .iter()
        .filter(|c| c.get("drawn_rarity").is_some())
        .count();
    assert!(printed >= 1, "no vanilla creature drawn above common");
    for c in cards.iter().filter(|c| c.get("drawn_rarity").is_some()) {
        assert!(vanilla.iter().any(|v| v == &c), "{c}");
        assert!(
            ["uncommon", "rare", "mythic"].contains(&c["drawn_rarity"].as_str().unwrap()),
            "{c}"
        );
    }
}

#[test]
fn the_default_model_judges_novelty_with_no_corpus_present() {
    // Its novelty index ships with it: the corpus its config.json records
    // (target/default-model/corpus) need not exist.
    let out = cardlm_in(
        &repo_root(),
        &["generate", "-n", "3", "--seed", "2", "--format", "jsonl"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("not judged"), "{stderr}");
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let card: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(card["novelty"]["novel"].is_boolean(), "{line}");
    }
}

/// Well-formed cards of `generate -n 40 --seed 11 --best-of 1 --top-p 1` (raw
/// samples from every character, plus `extra`) with a type word, subtype or
/// type combination no training card has.
fn invented_type_words(extra: &[&str]) -> usize {
    let mut args = vec![
        "generate",
        "-n",
        "40",
        "--seed",
        "11",
        "--best-of",
        "1",
        "--top-p",
        "1",
        "--format",
        "jsonl",
    ];
    args.extend_from_slice(extra);
    let out = stdout_of(&repo_root(), &args);
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|c| c["well_formed"].as_bool() == Some(true))
        .filter(|c| {
            c["strict"]["problems"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p.as_str())
                .any(|p| {
                    p.starts_with("type word")
                        || p.starts_with("subtype")
                        || p.starts_with("no real card is")
                })
        })
        .count()
}

#[test]
fn raw_cards_invent_no_type_words_unless_type_lines_are_free() {
    // Guided type lines (the default): none. Measured free: 4 of these 40
    // (12.6% of 300 in docs/quality.md), so the check can fail.
    assert_eq!(invented_type_words(&[]), 0);
    assert!(invented_type_words(&["--free-types"]) > 0);
}
