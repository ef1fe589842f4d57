//! `cardlm import-keras` / `export-keras` on the fixtures of
//! `crates/lm/tests/fixtures/keras` (made by make_keras_fixtures.py with
//! tf-keras: the seed's model at H = 8, its c2i/i2c with the doubled start
//! symbol, and Keras's softmax outputs).

use cardlm_lm::run::load_run;
use cardlm_lm::{Model, PackedBatch, RecurrentActivation};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../lm/tests/fixtures/keras")
        .join(rel)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("cardlm-import-keras-cli-{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn cardlm(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cardlm"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn import(act: &str, out: &Path, arch: bool) -> (bool, String, String) {
    let w = fixture(&format!("{act}/weights.h5"));
    let a = fixture(&format!("{act}/arch.json"));
    let (c2i, i2c) = (fixture("c2i.npy"), fixture("i2c.npy"));
    let mut args = vec![
        "import-keras",
        "--weights",
        w.to_str().unwrap(),
        "--c2i",
        c2i.to_str().unwrap(),
        "--i2c",
        i2c.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    if arch {
        args.extend(["--arch", a.to_str().unwrap()]);
    }
    cardlm(&args)
}

fn loss(model: &Model<f32>, seq: &[u32]) -> f64 {
    if seq.len() < 2 {
        return 0.0;
    }
    let batch = PackedBatch::pack(&[seq]);
    let mut ws = model.workspace(batch.rows(), 1);
    model.evaluate(&batch, &mut ws).loss_sum
}

/// Largest |p - p_keras| over Keras's outputs in `expected.json`;
/// `p_t(c) = exp(loss(prefix) - loss(prefix + c))` from the model's forward pass.
fn worst_difference(model: &Model<f32>, expected: &Path) -> f64 {
    let e: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(expected).unwrap()).unwrap();
    let seqs: Vec<Vec<u32>> = serde_json::from_value(e["sequences"].clone()).unwrap();
    let probs: Vec<Vec<Vec<f64>>> = serde_json::from_value(e["probabilities"].clone()).unwrap();
    let v = model.config.vocab_size as u32;
    let mut worst = 0.0f64;
    for (seq, want) in seqs.iter().zip(&probs) {
        for (t, row) in want.iter().enumerate() {
            let base = loss(model, &seq[..=t]);
            let mut s = seq[..=t].to_vec();
            s.push(0);
            for c in 0..v {
                *s.last_mut().unwrap() = c;
                let p = (base - loss(model, &s)).exp();
                worst = worst.max((p - row[c as usize]).abs());
            }
        }
    }
    worst
}

#[test]
fn imported_runs_give_keras_probabilities_and_the_seed_vocabulary() {
    let dir = scratch("parity");
    for (act, want) in [
        ("sigmoid", RecurrentActivation::Sigmoid),
        ("hard_sigmoid", RecurrentActivation::HardSigmoid),
    ] {
        let out = dir.join(act);
        let (ok, stdout, stderr) = import(act, &out, true);
        assert!(ok, "{stderr}");
        assert!(stdout.contains("Adam starts fresh"), "{stdout}");
        let run = load_run(&out).unwrap();
        assert_eq!(run.model.config.recurrent_activation, want);
        assert!(run
            .config
            .origin
            .as_deref()
            .unwrap()
            .starts_with("imported from"));
        // The vocabulary: len(i2c) = 46 entries for 45 embedding rows; the
        // start symbol is one past the last row; its shadowed first index is U+FFFD.
        let vocab = &run.config.vocab;
        assert_eq!(run.model.config.vocab_size, 45);
        assert_eq!(vocab.len(), 46);
        assert_eq!(vocab[0], "Ⓔ");
        assert_eq!(vocab[45], "Ⓢ");
        assert_eq!(vocab.iter().filter(|c| *c == "\u{FFFD}").count(), 1);
        assert_eq!(run.vocab.id('Ⓢ'), Some(45));
        let worst = worst_difference(&run.model, &fixture(&format!("{act}/expected.json")));
        assert!(worst < 1e-5, "{act}: max |p - p_keras| = {worst:e}");
    }
}

#[test]
fn export_keras_round_trips_through_import() {
    let dir = scratch("export");
    let (ok, _, stderr) = import("hard_sigmoid", &dir.join("run"), true);
    assert!(ok, "{stderr}");
    let h5 = dir.join("exported.h5");
    let (ok, stdout, stderr) = cardlm(&[
        "export-keras",
        dir.join("run").to_str().unwrap(),
        "--out",
        h5.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("recurrent_activation='hard_sigmoid'"),
        "{stdout}"
    );
    // Re-import the exported file (no JSON: the file says its activation in
    // cardlm_recurrent_activation).
    let back = dir.join("back");
    let (c2i, i2c) = (fixture("c2i.npy"), fixture("i2c.npy"));
    let (ok, stdout, stderr) = cardlm(&[
        "import-keras",
        "--weights",
        h5.to_str().unwrap(),
        "--c2i",
        c2i.to_str().unwrap(),
        "--i2c",
        i2c.to_str().unwrap(),
        "--out",
        back.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("recurrent activation: hard_sigmoid (recurrent activation hard_sigmoid from the weights file"),
        "{stdout}"
    );
    let (a, b) = (
        load_run(&dir.join("run")).unwrap(),
        load_run(&back).unwrap(),
    );
    assert_eq!(a.model.config, b.model.config);
    assert_eq!(a.model.params, b.model.params);
    assert_eq!(a.config.vocab, b.config.vocab);
}

/// A failed import: one line on stderr that names `file`, non-zero exit,
/// and no run directory.
fn assert_refused(result: (bool, String, String), file: &Path, out: &Path, needle: &str) {
    let (ok, _, stderr) = result;
    assert!(!ok, "should fail");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&file.display().to_string()), "{stderr}");
    assert!(stderr.contains(needle), "{stderr}");
    assert!(!out.exists(), "{} was written", out.display());
    let parent = out.parent().unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

#[test]
fn bad_inputs_are_one_line_errors_and_write_nothing() {
    let dir = scratch("errors");
    let out = dir.join("out").join("run");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let w = fixture("sigmoid/weights.h5");
    let (c2i, i2c) = (fixture("c2i.npy"), fixture("i2c.npy"));
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let run = |weights: &Path, arch: Option<&Path>, c2i: &Path, i2c: &Path| {
        let mut args = vec![
            "import-keras".to_string(),
            "--weights".into(),
            s(weights),
            "--c2i".into(),
            s(c2i),
            "--i2c".into(),
            s(i2c),
            "--out".into(),
            s(&out),
        ];
        if let Some(a) = arch {
            args.extend(["--arch".into(), s(a)]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        cardlm(&args)
    };

    // Not HDF5.
    assert_refused(run(&c2i, None, &c2i, &i2c), &c2i, &out, "not an HDF5 file");
    // The architecture of another size.
    let big = dir.join("big.json");
    let arch = std::fs::read_to_string(fixture("sigmoid/arch.json")).unwrap();
    std::fs::write(&big, arch.replace("\"units\": 8", "\"units\": 500")).unwrap();
    assert_refused(run(&w, Some(&big), &c2i, &i2c), &big, &out, "units 500");
    // c2i and i2c swapped.
    assert_refused(run(&w, None, &i2c, &c2i), &i2c, &out, "not the seed's c2i");
    // The vocabulary of other cards: len(c2i) differs from the embedding's rows.
    let files = cardlm_cards::npy::seed_npy_files(&["Ⓢab⒞Ⓔ".to_string()]);
    for (name, bytes) in &files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let other_c2i = dir.join("c2i.npy");
    assert_refused(
        run(&w, None, &other_c2i, &dir.join("i2c.npy")),
        &other_c2i,
        &out,
        "embedding has 45 rows",
    );
    // c2i of other cards with the fixtures' i2c: they disagree.
    assert_refused(run(&w, None, &other_c2i, &i2c), &other_c2i, &out, "c2i");
    // A missing file.
    let missing = dir.join("missing.h5");
    assert_refused(run(&missing, None, &c2i, &i2c), &missing, &out, "");
    // An existing run directory is not overwritten.
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("config.json"), "{}").unwrap();
    let (ok, _, stderr) = run(&w, None, &c2i, &i2c);
    assert!(!ok);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(out.join("config.json")).unwrap(),
        "{}"
    );
}

#[test]
fn train_resumes_an_imported_run_with_a_fresh_adam() {
    let dir = scratch("resume");
    let run = dir.join("run");
    let (ok, _, stderr) = import("sigmoid", &run, true);
    assert!(ok, "{stderr}");
    let before = load_run(&run).unwrap().model.params;
    // The fixtures' cards (make_keras_fixtures.py's CARDS), as plain text.
    let cards = [
        "Ⓢangel of mercy⒞④Ⓦ⒭U⒯creature:angel⒫3/3⒜flying⒜when Ⓝ enters the battlefield, you gain 3 life.Ⓔ",
        "Ⓢshock⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ",
        "Ⓢgiant growth⒞Ⓖ⒭C⒯instant⒜target creature gets +3/+3 until end of turn.Ⓔ",
        "Ⓢllanowar elves⒞Ⓖ⒭C⒯creature:elf druid⒫1/1⒜↷: add Ⓖ.Ⓔ",
    ];
    let text = dir.join("cards.txt");
    std::fs::write(&text, cards.join("\n") + "\n").unwrap();
    let corpus = dir.join("corpus");
    let (ok, _, stderr) = cardlm(&[
        "prepare",
        text.to_str().unwrap(),
        "--out",
        corpus.to_str().unwrap(),
        "--valid-fraction",
        "0.25",
    ]);
    assert!(ok, "{stderr}");
    let (ok, stdout, stderr) = cardlm(&[
        "train",
        "--resume",
        "--corpus",
        corpus.to_str().unwrap(),
        "--out",
        run.to_str().unwrap(),
        "--epochs",
        "1",
    ]);
    assert!(ok, "{stderr}");
    assert!(
        format!("{stdout}{stderr}").contains("fresh Adam"),
        "{stdout}{stderr}"
    );
    let after = load_run(&run).unwrap();
    assert_eq!(
        after.config.vocab.len(),
        46,
        "the imported vocabulary is kept"
    );
    assert_ne!(after.model.params, before, "training changed the weights");
}
