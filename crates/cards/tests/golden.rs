//! Checks against the shared seed data (`$CARDLM_SHARED`), run by `.ci/run` with
//! `cargo test --release -- --ignored`.

use std::io::Read;

use cardlm_cards::decode::{decode_with, Rules};
use cardlm_cards::encode::encode_unfiltered;
use cardlm_cards::full::{encode_full, FullOptions};
use cardlm_cards::{prepare_corpus, Encoding, PrepareOptions};

mod common;
use common::{shared, shared_corpus};

fn golden_lines() -> Vec<String> {
    let file = std::fs::File::open(shared().join("data/seed-golden/card_texts.txt.xz")).unwrap();
    let mut text = String::new();
    xz2::read::XzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap();
    text.lines().map(str::to_owned).collect()
}

fn golden_i2c() -> Vec<char> {
    let text = std::fs::read_to_string(shared().join("data/seed-golden/i2c.json")).unwrap();
    let entries: Vec<String> = serde_json::from_str(&text).unwrap();
    entries.iter().map(|s| s.chars().next().unwrap()).collect()
}

#[test]
#[ignore = "needs CARDLM_SHARED"]
fn allsets_gives_the_golden_corpus_and_vocabulary() {
    let options = PrepareOptions {
        keep_reprints: true,
        valid_fraction: 0.0,
        encoding: Encoding::Seed,
        ..PrepareOptions::default()
    };
    let (corpus, stats) =
        prepare_corpus(&[shared().join("data/AllSets.json.xz")], &options).unwrap();
    let golden = golden_lines();
    assert_eq!(golden.len(), 30_601);
    assert_eq!(corpus.train.len(), golden.len());
    for (i, (ours, theirs)) in corpus.train.iter().zip(&golden).enumerate() {
        assert_eq!(ours, theirs, "line {}", i + 1);
    }
    assert!(corpus.valid.is_empty());
    assert_eq!(stats.records_read, 36_353);

    // vocab.json is the seed's i2c without the earlier of its two Ⓢ.
    let mut i2c = golden_i2c();
    assert_eq!(i2c.len(), 103);
    let first_start = i2c.iter().position(|&c| c == 'Ⓢ').unwrap();
    i2c.remove(first_start);
    assert_eq!(corpus.vocab, i2c);
    assert_eq!(
        cardlm_cards::vocab::seed_i2c(golden.iter().map(String::as_str)),
        golden_i2c()
    );
}

#[test]
#[ignore = "needs CARDLM_SHARED"]
fn every_golden_line_decodes_well_formed_and_reencodes_to_itself() {
    for (i, line) in golden_lines().iter().enumerate() {
        let card = decode_with(line, Rules::Seed);
        assert!(
            card.well_formed,
            "line {}: {line}: {:?}",
            i + 1,
            card.problems
        );
        assert_eq!(
            &encode_unfiltered(&card.to_source()),
            line,
            "line {}",
            i + 1
        );
    }
}

#[test]
#[ignore = "needs CARDLM_SHARED"]
fn default_split_keeps_names_on_one_side() {
    let (corpus, stats) = shared_corpus();
    let names = |lines: &[String]| -> std::collections::HashSet<String> {
        lines
            .iter()
            .map(|l| cardlm_cards::corpus::split_key(l).to_owned())
            .collect()
    };
    assert!(names(&corpus.train).is_disjoint(&names(&corpus.valid)));
    let fraction = stats.valid_names as f64 / (stats.valid_names + stats.train_names) as f64;
    assert!((fraction - 0.05).abs() < 0.001, "{fraction}");
    assert!(stats.reprints_removed > 0);
}

/// The seed's line with the full encoding's additions taken out: what the full
/// encoding writes for a card the seed keeps, less the loyalty the seed had no place for.
fn without_loyalty(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut skipping = false;
    for c in line.chars() {
        if c == '⒧' {
            skipping = true;
            continue;
        }
        if skipping && "⒜⒟⒡⒝Ⓔ".contains(c) {
            skipping = false;
        }
        if !skipping {
            out.push(c);
        }
    }
    out
}

#[test]
#[ignore = "needs CARDLM_SHARED"]
fn full_encoding_extends_the_seeds_and_round_trips_every_card() {
    let all = PrepareOptions {
        keep_reprints: true,
        valid_fraction: 0.0,
        encoding: Encoding::Full,
        ..PrepareOptions::default()
    };
    let input = [shared().join("data/AllSets.json.xz")];
    let (full, stats) = prepare_corpus(&input, &all).unwrap();
    // Every card the seed keeps, except the Un-sets' the full encoding leaves out,
    // is written as the seed writes it (loyalty aside).
    let mut compared = 0;
    let mut unset = 0;
    cardlm_cards::input::read_input(&input[0], &mut |record| {
        let cardlm_cards::input::Record::Card(card) = record else {
            return;
        };
        let Some(seed_line) = cardlm_cards::encode::encode_card(&card) else {
            return;
        };
        let full_card = cardlm_cards::full::FullCard {
            faces: vec![(*card).clone()],
            layout: None,
        };
        if cardlm_cards::full::check_record(&card).is_err()
            || cardlm_cards::full::check_full_card(&full_card).is_err()
        {
            unset += 1;
            return;
        }
        let full_line = encode_full(&full_card, &FullOptions::default());
        assert_eq!(without_loyalty(&full_line), seed_line);
        compared += 1;
    })
    .unwrap();
    assert_eq!(compared + unset, 30_601);
    assert!(
        unset < 300,
        "{unset} seed cards from Un-sets or without loyalty"
    );
    let with_loyalty = full.train.iter().filter(|l| l.contains('⒧')).count();
    assert!(with_loyalty > 150, "{with_loyalty} lines with loyalty");
    for layout in ["split", "flip", "transform", "meld", "aftermath"] {
        assert!(
            stats.cards_by_layout.get(layout).copied().unwrap_or(0) > 0,
            "{layout}"
        );
    }
    assert!(stats.cards_by_type["land"] > 1000);
    assert!(stats.dropped["not_a_card"] > 0);
    assert!(stats.dropped["un_set"] > 0);
    // decode -> encode gives every kept line back, and each is well-formed.
    let mut failures = Vec::new();
    for (i, line) in full.train.iter().enumerate() {
        let card = decode_with(line, Rules::Full);
        let again = encode_full(&card.to_full_card(), &FullOptions::default());
        if !card.well_formed || &again != line {
            failures.push(format!(
                "line {}: {line}: {:?} -> {again}",
                i + 1,
                card.problems
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures, the first:\n{}",
        failures.len(),
        failures[..failures.len().min(15)].join("\n")
    );
}
