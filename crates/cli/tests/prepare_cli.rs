//! `cardlm prepare` from the command line: the corpus directory, the seed's files,
//! and one-line errors that leave no output behind.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cards/tests/fixtures")
        .join(name)
}

/// A fresh scratch directory for one test (removed at the start, left for inspection).
fn scratch(test: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("cardlm-prepare-cli-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn cardlm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cardlm"))
        .args(args)
        .output()
        .unwrap()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn writes_the_corpus_directory() {
    let dir = scratch("corpus");
    let out = dir.join("corpus");
    let result = cardlm(&[
        "prepare",
        s(&fixture("allsets_v3.json")),
        "--keep-reprints",
        "--encoding",
        "seed",
        "--valid-fraction",
        "0",
        "--out",
        s(&out),
    ]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let train = std::fs::read_to_string(out.join("train.txt")).unwrap();
    let expected = std::fs::read_to_string(fixture("expected_seed_lines.txt")).unwrap();
    assert_eq!(train, expected);
    assert_eq!(std::fs::read_to_string(out.join("valid.txt")).unwrap(), "");
    let vocab: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(out.join("vocab.json")).unwrap()).unwrap();
    assert_eq!(vocab.first().map(String::as_str), Some("Ⓔ"));
    assert_eq!(vocab.last().map(String::as_str), Some("Ⓢ"));
    let stats: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("stats.json")).unwrap()).unwrap();
    assert_eq!(stats["cards_kept"], 5);
    assert_eq!(stats["dropped"]["un_set"], 1);
    assert_eq!(stats["inputs"][0]["format"], "mtgjson_v3_all_sets");

    // The library loads what the command wrote.
    let corpus = cardlm_cards::load_corpus(&out).unwrap();
    assert_eq!(corpus.train.len(), 5);
    assert_eq!(corpus.vocab.len(), vocab.len());

    // Running again replaces the earlier output.
    let again = cardlm(&[
        "prepare",
        s(&fixture("plain.txt")),
        "--valid-fraction",
        "0",
        "--out",
        s(&out),
    ]);
    assert!(again.status.success());
    assert!(std::fs::read_to_string(out.join("train.txt"))
        .unwrap()
        .contains("quick brown fox"));
}

#[test]
fn seed_npy_round_trips_through_from_seed_npy() {
    let dir = scratch("npy");
    let npy_dir = dir.join("seed-data");
    let result = cardlm(&[
        "prepare",
        s(&fixture("set_v5.json")),
        "--keep-reprints",
        "--encoding",
        "seed",
        "--valid-fraction",
        "0",
        "--out",
        s(&dir.join("a")),
        "--seed-npy",
        s(&npy_dir),
    ]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    for name in [
        "card_texts.npy",
        "c2i.npy",
        "i2c.npy",
        "xcards.npy",
        "ycards.npy",
    ] {
        assert!(npy_dir.join(name).is_file(), "{name}");
    }
    // Reading the seed's folder back gives the same corpus.
    let back = cardlm(&[
        "prepare",
        "--from-seed-npy",
        s(&npy_dir),
        "--keep-reprints",
        "--encoding",
        "seed",
        "--valid-fraction",
        "0",
        "--out",
        s(&dir.join("b")),
    ]);
    assert!(
        back.status.success(),
        "{}",
        String::from_utf8_lossy(&back.stderr)
    );
    assert_eq!(
        std::fs::read(dir.join("a/train.txt")).unwrap(),
        std::fs::read(dir.join("b/train.txt")).unwrap()
    );
    // And numpy's own files (both versions) are read too.
    for version in ["numpy1", "numpy2"] {
        let out = dir.join(version);
        let result = cardlm(&[
            "prepare",
            "--from-seed-npy",
            s(&fixture("npy").join(version)),
            "--valid-fraction",
            "0",
            "--out",
            s(&out),
        ]);
        assert!(
            result.status.success(),
            "{}",
            String::from_utf8_lossy(&result.stderr)
        );
        assert_eq!(
            std::fs::read_to_string(out.join("train.txt")).unwrap(),
            std::fs::read_to_string(fixture("expected_seed_lines.txt")).unwrap()
        );
    }
}

fn assert_fails_cleanly(args: &[&str], out: &Path, expected: &str) {
    let result = cardlm(args);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(!result.status.success(), "{args:?} succeeded");
    assert!(stderr.starts_with("cardlm: error: "), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains(expected), "{expected}: {stderr}");
    assert!(!out.exists(), "{} was created", out.display());
    let parent = out.parent().unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary directory left behind");
}

#[test]
fn bad_inputs_fail_with_one_line_and_no_output() {
    let dir = scratch("errors");
    let out = dir.join("out");
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let missing = dir.join("missing.json");
    assert_fails_cleanly(
        &["prepare", s(&missing), "--out", s(&out)],
        &out,
        "missing.json: no such file",
    );
    let not_json = write("bad.json", b"{nope");
    assert_fails_cleanly(
        &["prepare", s(&not_json), "--out", s(&out)],
        &out,
        "not JSON",
    );
    let shape = write("shape.json", b"{\"a\": [1]}");
    assert_fails_cleanly(
        &["prepare", s(&shape), "--out", s(&out)],
        &out,
        "unknown shape",
    );
    let truncated = write(
        "cut.xz",
        b"\xfd7zXZ\x00\x00\x04\xe6\xd6\xb4\x46\x02\x00\x21\x01",
    );
    assert_fails_cleanly(
        &["prepare", s(&truncated), "--out", s(&out)],
        &out,
        "cut.xz",
    );
    let lands = write(
        "lands.json",
        br#"[{"name": "Forest", "layout": "normal", "type_line": "Basic Land - Forest", "mana_cost": "", "rarity": "common"}]"#,
    );
    assert_fails_cleanly(
        &["prepare", s(&lands), "--encoding", "seed", "--out", s(&out)],
        &out,
        "empty result after filtering",
    );
    // A good input after a bad one still writes nothing.
    assert_fails_cleanly(
        &[
            "prepare",
            s(&fixture("set_v3.json")),
            s(&missing),
            "--out",
            s(&out),
        ],
        &out,
        "no such file",
    );
    // An .npy of the wrong dtype.
    let npy_dir = dir.join("npy");
    std::fs::create_dir_all(&npy_dir).unwrap();
    std::fs::copy(
        fixture("npy/numpy1/wrong_dtype_card_texts.npy"),
        npy_dir.join("card_texts.npy"),
    )
    .unwrap();
    assert_fails_cleanly(
        &["prepare", "--from-seed-npy", s(&npy_dir), "--out", s(&out)],
        &out,
        "card_texts.npy: dtype <i8",
    );
}

#[test]
fn refuses_to_replace_a_directory_it_did_not_write() {
    let dir = scratch("refuse");
    let out = dir.join("precious");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let result = cardlm(&["prepare", s(&fixture("set_v3.json")), "--out", s(&out)]);
    assert!(!result.status.success());
    assert!(String::from_utf8_lossy(&result.stderr).contains("refusing to replace"));
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn a_text_first_corpus_decodes_back_to_the_printed_one() {
    let dir = scratch("text-first");
    let (printed, text_first) = (dir.join("printed"), dir.join("text-first"));
    for (out, order) in [(&printed, "printed"), (&text_first, "text-first")] {
        let result = cardlm(&[
            "prepare",
            s(&fixture("allsets_v3.json")),
            "--valid-fraction",
            "0",
            "--field-order",
            order,
            "--out",
            s(out),
        ]);
        assert!(
            result.status.success(),
            "{}",
            String::from_utf8_lossy(&result.stderr)
        );
    }
    let printed_lines = std::fs::read_to_string(printed.join("train.txt")).unwrap();
    let text_first_lines = std::fs::read_to_string(text_first.join("train.txt")).unwrap();
    assert_ne!(printed_lines, text_first_lines);
    assert!(text_first_lines.lines().all(|l| l.contains('⒩')));
    let stats: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(text_first.join("stats.json")).unwrap())
            .unwrap();
    assert_eq!(stats["field_order"], "text-first");
    // `decode --field-order text-first` prints the same cards as the printed lines give.
    let decoded = |file: &Path, order: &str| {
        let out = cardlm(&[
            "decode",
            s(file),
            "--field-order",
            order,
            "--format",
            "json",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(
        decoded(&text_first.join("train.txt"), "text-first"),
        decoded(&printed.join("train.txt"), "printed")
    );
    // The seed's lines stay the seed's.
    assert_fails_cleanly(
        &[
            "prepare",
            s(&fixture("allsets_v3.json")),
            "--encoding",
            "seed",
            "--field-order",
            "text-first",
            "--out",
            s(&dir.join("seed")),
        ],
        &dir.join("seed"),
        "--field-order text-first needs --encoding full",
    );
}
