//! Checks against the shared seed data (`$CARDLM_SHARED`), run by `.ci/run` with
//! `cargo test --release -- --ignored`.

use std::io::Read;

use cardlm_cards::encode::encode_unfiltered;
use cardlm_cards::{decode, prepare_corpus, PrepareOptions};

mod common;
use common::shared;

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
        let card = decode(line);
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
    let (corpus, stats) = prepare_corpus(
        &[shared().join("data/AllSets.json.xz")],
        &PrepareOptions::default(),
    )
    .unwrap();
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
