//! Every input format and compression, on hand-written fixtures of a few cards.

mod common;

use std::collections::BTreeMap;

use cardlm_cards::input::{read_input, InputFormat, Record};
use cardlm_cards::{prepare_corpus, Encoding, PrepareOptions};
use common::{compressed_copies, expected_seed_lines, fixture};

fn seed_options() -> PrepareOptions {
    PrepareOptions {
        keep_reprints: true,
        valid_fraction: 0.0,
        encoding: Encoding::Seed,
        ..PrepareOptions::default()
    }
}

fn dropped(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// The reasons every card fixture drops: a land, a hybrid, a `*` creature, a split card.
fn common_drops() -> Vec<(&'static str, usize)> {
    vec![
        ("hybrid_or_phyrexian_mana", 1),
        ("layout_not_normal_or_no_types", 1),
        ("no_mana_cost", 1),
        ("non_numeric_power_toughness", 1),
    ]
}

#[test]
fn each_card_format_gives_the_seed_lines() {
    let with_un_set = {
        let mut d = common_drops();
        d.push(("un_set", 1));
        d
    };
    let cases = [
        (
            "allsets_v3.json",
            InputFormat::MtgjsonV3AllSets,
            with_un_set.clone(),
        ),
        ("set_v3.json", InputFormat::MtgjsonV3SetFile, common_drops()),
        (
            "allprintings_v5.json",
            InputFormat::MtgjsonAllPrintings,
            with_un_set.clone(),
        ),
        ("set_v5.json", InputFormat::MtgjsonSetFile, common_drops()),
    ];
    for (name, format, drops) in cases {
        let (corpus, stats) = prepare_corpus(&[fixture(name)], &seed_options()).unwrap();
        assert_eq!(corpus.train, expected_seed_lines(), "{name}");
        assert_eq!(stats.inputs[0].format, format, "{name}");
        assert_eq!(stats.dropped, dropped(&drops), "{name}");
    }
}

#[test]
fn scryfall_reads_type_lines_and_faces() {
    let (corpus, stats) =
        prepare_corpus(&[fixture("scryfall_oracle_cards.json")], &seed_options()).unwrap();
    assert_eq!(corpus.train, expected_seed_lines());
    assert_eq!(stats.inputs[0].format, InputFormat::ScryfallBulk);
    // Fire // Ice is two faces, both dropped for their layout; the Forest's "" cost
    // counts as no cost, as MTGJSON's missing one does.
    assert_eq!(
        stats.dropped,
        dropped(&[
            ("hybrid_or_phyrexian_mana", 1),
            ("layout_not_normal_or_no_types", 2),
            ("no_mana_cost", 1),
            ("non_numeric_power_toughness", 1),
            ("un_set", 1),
        ])
    );
}

#[test]
fn atomic_cards_need_a_default_rarity() {
    let path = fixture("atomiccards_v5.json");
    let err = prepare_corpus(std::slice::from_ref(&path), &seed_options()).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("empty result after filtering"),
        "{message}"
    );
    assert!(message.contains("--default-rarity"), "{message}");

    let options = PrepareOptions {
        default_rarity: Some("Uncommon".into()),
        ..seed_options()
    };
    let (corpus, stats) = prepare_corpus(&[path], &options).unwrap();
    assert_eq!(stats.inputs[0].format, InputFormat::MtgjsonAtomicCards);
    let expected: Vec<String> = expected_seed_lines()
        .iter()
        .map(|line| line.replacen("⒭C", "⒭U", 1).replacen("⒭M", "⒭U", 1))
        .collect();
    assert_eq!(corpus.train, expected);
}

#[test]
fn plain_text_frames_each_line() {
    let (corpus, stats) = prepare_corpus(&[fixture("plain.txt")], &seed_options()).unwrap();
    assert_eq!(stats.inputs[0].format, InputFormat::PlainText);
    assert_eq!(
        corpus.train,
        vec![
            "Ⓢthe quick brown foxⒺ",
            "ⓈalreadyⒺ",
            "Ⓢjumps over the lazy dogⒺ"
        ]
    );
}

#[test]
fn every_compression_of_every_format_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "allsets_v3.json",
        "set_v3.json",
        "allprintings_v5.json",
        "set_v5.json",
        "scryfall_oracle_cards.json",
        "plain.txt",
    ] {
        let plain = fixture(name);
        let mut reference = Vec::new();
        read_input(&plain, &mut |r| reference.push(r)).unwrap();
        assert!(!reference.is_empty());
        let bytes = std::fs::read(&plain).unwrap();
        let stem = name.trim_end_matches(".json").trim_end_matches(".txt");
        for path in compressed_copies(dir.path(), stem, &bytes) {
            let mut records: Vec<Record> = Vec::new();
            read_input(&path, &mut |r| records.push(r)).unwrap();
            assert_eq!(records, reference, "{}", path.display());
        }
    }
}

#[test]
fn several_inputs_are_merged_in_order_and_reprints_removed_by_default() {
    let inputs = [
        fixture("allsets_v3.json"),
        fixture("scryfall_oracle_cards.json"),
    ];
    let (corpus, stats) = prepare_corpus(&inputs, &seed_options()).unwrap();
    let mut twice = expected_seed_lines();
    twice.extend(expected_seed_lines());
    assert_eq!(corpus.train, twice);

    let options = PrepareOptions {
        valid_fraction: 0.0,
        encoding: Encoding::Seed,
        ..PrepareOptions::default()
    };
    let (corpus, stats2) = prepare_corpus(&inputs, &options).unwrap();
    assert_eq!(corpus.train, expected_seed_lines());
    assert_eq!(stats2.reprints_removed, 5);
    assert_eq!(stats.records_read, stats2.records_read);
}

#[test]
fn bad_inputs_are_one_line_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let full = std::fs::read(fixture("allsets_v3.json")).unwrap();
    let mut xz = xz2::write::XzEncoder::new(Vec::new(), 6);
    std::io::Write::write_all(&mut xz, &full).unwrap();
    let xz = xz.finish().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &full).unwrap();
    let gz = gz.finish().unwrap();

    let cases = [
        (dir.path().join("missing.json"), "no such file"),
        (write("broken.json", b"{\"data\": [1, 2"), "truncated JSON"),
        (write("garbage.json", b"{ this is not json }"), "not JSON"),
        (
            write("shape.json", b"{\"hello\": {\"world\": 1}}"),
            "unknown shape",
        ),
        (write("numbers.json", b"[1, 2, 3]"), "unknown shape"),
        (write("cut.json.xz", &xz[..xz.len() / 2]), "truncated"),
        (write("cut.json.gz", &gz[..gz.len() / 2]), "truncated"),
        (write("cut.zip", b"PK\x03\x04\x14\x00\x00\x00"), "zip"),
        (write("empty.json", b""), "empty file"),
        (write("binary.txt", b"abc\xff\xfe\n"), "not UTF-8"),
    ];
    for (path, expected) in cases {
        let err = prepare_corpus(std::slice::from_ref(&path), &seed_options()).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with(&path.display().to_string()),
            "{message}"
        );
        assert!(message.contains(expected), "{expected}: {message}");
        assert!(!message.contains('\n'), "one line: {message}");
    }
}

#[test]
fn cards_missing_fields_are_counted_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("partial.json");
    std::fs::write(
        &path,
        r#"[{"name": "A", "layout": "normal", "type_line": "Instant", "mana_cost": "{1}", "rarity": "common"},
            {"layout": "normal", "type_line": "Instant", "mana_cost": "{1}", "rarity": "common"},
            {"name": "B", "layout": "normal", "type_line": "Instant", "mana_cost": "{1}"},
            {"name": "C", "layout": "normal", "mana_cost": "{1}", "rarity": "common"},
            "not a card", 7]"#,
    )
    .unwrap();
    let (corpus, stats) = prepare_corpus(&[path], &seed_options()).unwrap();
    assert_eq!(corpus.train, vec!["Ⓢa⒞①⒭C⒯instant⒜Ⓔ"]);
    assert_eq!(
        stats.dropped,
        dropped(&[
            ("layout_not_normal_or_no_types", 1),
            ("missing_name", 1),
            ("missing_rarity", 1)
        ])
    );
}

#[test]
fn full_encoding_keeps_lands_hybrid_star_power_and_split_cards() {
    let options = PrepareOptions {
        keep_reprints: true,
        valid_fraction: 0.0,
        encoding: Encoding::Full,
        ..PrepareOptions::default()
    };
    let (corpus, stats) =
        prepare_corpus(&[fixture("scryfall_oracle_cards.json")], &options).unwrap();
    let has = |needle: &str| corpus.train.iter().any(|l| l.contains(needle));
    assert!(has("Ⓢforest⒞⒭C⒯land:forest⒜"));
    assert!(has("⒞{R/W}{R/W}⒭U"));
    assert!(has("⒫*/1+*⒜"));
    assert!(has("Ⓢfire⒞①Ⓡ⒭U⒨split⒯instant⒜"));
    assert!(has("⒝ice⒞①Ⓤ⒯instant⒜tap target permanent."));
    assert_eq!(stats.cards_by_layout["split"], 1);
    assert_eq!(stats.cards_by_type["land"], 1);
    for line in &corpus.train {
        let card = cardlm_cards::decode(line);
        assert!(card.well_formed, "{line}: {:?}", card.problems);
    }
}
