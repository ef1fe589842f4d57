//! `cardlm train` end to end on a tiny corpus: the loss falls, a run killed
//! outright and resumed ends with the same weights as one that never stopped,
//! and bad input gives one-line errors without touching the run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn cardlm() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cardlm"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cardlm-train-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A corpus of short structured lines over a small alphabet.
fn tiny_corpus(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let words = ["goblin", "elf", "angel", "dragon", "wall", "knight"];
    let mut lines = Vec::new();
    for i in 0..120 {
        let w = words[i % words.len()];
        let v = words[(i / words.len()) % words.len()];
        lines.push(format!("S{w} {v}:{}/{}E", i % 5, (i * 3) % 7));
    }
    let (train, valid) = lines.split_at(108);
    std::fs::write(corpus.join("train.txt"), train.join("\n") + "\n").unwrap();
    std::fs::write(corpus.join("valid.txt"), valid.join("\n") + "\n").unwrap();
    let mut chars: Vec<char> = lines.concat().chars().filter(|&c| c != 'E').collect();
    chars.sort();
    chars.dedup();
    let mut vocab = vec!["E".to_string()];
    vocab.extend(chars.iter().map(|c| c.to_string()));
    std::fs::write(
        corpus.join("vocab.json"),
        serde_json::to_string(&vocab).unwrap(),
    )
    .unwrap();
    corpus
}

fn train_args(corpus: &Path, out: &Path, epochs: usize) -> Vec<String> {
    [
        "train",
        "--corpus",
        corpus.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--epochs",
        &epochs.to_string(),
        "--hidden",
        "16",
        "--batch-size",
        "8",
        "--state-every",
        "1",
        "--threads",
        "2",
        "--quiet",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// `args` with the value of option `name` replaced.
fn with_option(mut args: Vec<String>, name: &str, value: &str) -> Vec<String> {
    let i = args.iter().position(|a| a == name).expect("option present");
    args[i + 1] = value.to_string();
    args
}

fn run(args: &[String]) -> Output {
    cardlm().args(args).output().unwrap()
}

fn metrics(out: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(out.join("metrics.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn training_lowers_the_loss_and_writes_the_run_directory() {
    let dir = temp_dir("fall");
    let corpus = tiny_corpus(&dir);
    let out = dir.join("run");
    let mut args = train_args(&corpus, &out, 8);
    args.extend(["--learning-rate".into(), "0.01".into()]);
    let o = run(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let m = metrics(&out);
    assert_eq!(m.len(), 8);
    let first = m[0]["valid_loss"].as_f64().unwrap();
    let last = m[7]["valid_loss"].as_f64().unwrap();
    assert!(last < first * 0.85, "validation loss {first} -> {last}");
    for f in [
        "config.json",
        "model.safetensors",
        "state.safetensors",
        "loss.svg",
        "metrics.jsonl",
    ] {
        assert!(out.join(f).exists(), "{f} missing");
    }
    // Checkpoints every 2 epochs, only when the loss improved, named as the seed did.
    let ckpts: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("weights."))
        .collect();
    assert!(
        ckpts.iter().any(|n| n.starts_with("weights.0002-")),
        "{ckpts:?}"
    );
    assert!(ckpts.iter().all(|n| n.ends_with(".safetensors")));
    let svg = std::fs::read_to_string(out.join("loss.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("polyline"));
    // Resuming a finished run keeps its own number of epochs: nothing more
    // to do. An explicit --epochs extends it.
    let resume = |extra: &[&str]| {
        let mut a = vec![
            "train".to_string(),
            "--corpus".into(),
            corpus.to_str().unwrap().into(),
            "--out".into(),
            out.to_str().unwrap().into(),
            "--resume".into(),
            "--quiet".into(),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        let o = run(&a);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    resume(&[]);
    assert_eq!(metrics(&out).len(), 8);
    resume(&["--epochs", "9"]);
    assert_eq!(metrics(&out).len(), 9);
    // config.json records the epochs trained; `ship` of a checkpoint records
    // the checkpoint's epoch.
    let config = |d: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(d.join("config.json")).unwrap()).unwrap()
    };
    assert_eq!(config(&out)["epochs_trained"], 9);
    let ckpt = out.join(
        ckpts
            .iter()
            .find(|n| n.starts_with("weights.0002-"))
            .unwrap(),
    );
    let shipped = dir.join("shipped");
    let o = run(&[
        "ship".to_string(),
        out.to_str().unwrap().into(),
        "--weights".into(),
        ckpt.to_str().unwrap().into(),
        "--out".into(),
        shipped.to_str().unwrap().into(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(config(&shipped)["epochs_trained"], 2);
    assert_eq!(config(&shipped)["training"]["epochs"], 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_run_killed_and_resumed_ends_with_the_same_weights() {
    let dir = temp_dir("resume");
    let corpus = tiny_corpus(&dir);
    let epochs = 12;
    let straight = dir.join("straight");
    let o = run(&train_args(&corpus, &straight, epochs));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let killed = dir.join("killed");
    let mut child = cardlm()
        .args(train_args(&corpus, &killed, epochs))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it (SIGKILL) as soon as it has saved a state in the second epoch.
    let start = Instant::now();
    loop {
        let progressed = std::fs::read_to_string(killed.join("metrics.jsonl"))
            .map(|m| !m.is_empty())
            .unwrap_or(false);
        if progressed {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "training made no progress"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the run finished before it could be killed: make it longer"
    );
    let mut resume = train_args(&corpus, &killed, epochs);
    resume.push("--resume".into());
    let o = run(&resume);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("resuming at epoch"));
    let a = std::fs::read(straight.join("model.safetensors")).unwrap();
    let b = std::fs::read(killed.join("model.safetensors")).unwrap();
    assert!(a == b, "resumed weights differ from an uninterrupted run");
    assert_eq!(metrics(&killed).len(), epochs);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_input_gives_one_line_errors_and_leaves_the_run_alone() {
    let dir = temp_dir("errors");
    let corpus = tiny_corpus(&dir);
    let out = dir.join("run");
    assert!(run(&train_args(&corpus, &out, 1)).status.success());
    let before = std::fs::read(out.join("model.safetensors")).unwrap();

    let one_line_error = |o: &Output, needle: &str| {
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "should fail: {err}");
        let errors: Vec<&str> = err
            .lines()
            .filter(|l| l.starts_with("cardlm: error:"))
            .collect();
        assert_eq!(errors.len(), 1, "one error line expected: {err}");
        assert!(errors[0].contains(needle), "expected {needle:?} in {err}");
        assert!(!err.contains("panicked"), "{err}");
    };
    // Existing run without --resume.
    one_line_error(&run(&train_args(&corpus, &out, 1)), "already exists");
    // Resume with another architecture.
    let mut other = with_option(train_args(&corpus, &out, 2), "--hidden", "32");
    other.push("--resume".into());
    one_line_error(&run(&other), "--hidden");
    // Missing corpus.
    one_line_error(
        &run(&train_args(&dir.join("nope"), &dir.join("run2"), 1)),
        "nope",
    );
    assert!(
        !dir.join("run2").exists(),
        "no run directory for a failed start"
    );
    // Impossible options.
    let zero = with_option(
        train_args(&corpus, &dir.join("run3"), 1),
        "--batch-size",
        "0",
    );
    one_line_error(&run(&zero), "at least 1");
    // A diverging run stops with a clear message.
    let mut wild = train_args(&corpus, &dir.join("run4"), 3);
    wild.extend(["--learning-rate".into(), "1e30".into()]);
    one_line_error(&run(&wild), "the loss became");

    assert_eq!(
        std::fs::read(out.join("model.safetensors")).unwrap(),
        before
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A corpus of encoded cards with costs of several symbols; three of its 100
/// training lines are longer than 256 characters.
fn card_corpus(dir: &Path) -> PathBuf {
    let corpus = dir.join("cards");
    std::fs::create_dir_all(&corpus).unwrap();
    let costs = ["①ⓌⓊ", "②{G/W}Ⓑ", "ⓇⓇ③", "Ⓖ", ""];
    let lines: Vec<String> = (0..110)
        .map(|i| {
            let text = if i % 40 == 5 {
                "a".repeat(280)
            } else {
                "b".repeat(i % 30)
            };
            format!("Ⓢc{i}⒞{}⒭C⒯creature⒫1/1⒜{text}Ⓔ", costs[i % costs.len()])
        })
        .collect();
    let (train, valid) = lines.split_at(100);
    std::fs::write(corpus.join("train.txt"), train.join("\n") + "\n").unwrap();
    std::fs::write(corpus.join("valid.txt"), valid.join("\n") + "\n").unwrap();
    let mut chars: Vec<char> = lines.concat().chars().filter(|&c| c != 'Ⓔ').collect();
    chars.sort();
    chars.dedup();
    let mut vocab = vec!["Ⓔ".to_string()];
    vocab.extend(chars.iter().map(|c| c.to_string()));
    std::fs::write(
        corpus.join("vocab.json"),
        serde_json::to_string(&vocab).unwrap(),
    )
    .unwrap();
    corpus
}

fn training_options(out: &Path) -> serde_json::Value {
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("config.json")).unwrap()).unwrap();
    config["training"].clone()
}

#[test]
fn max_len_follows_the_corpus_unless_given_and_augment_is_kept_on_resume() {
    let dir = temp_dir("augment");
    let corpus = card_corpus(&dir);
    // 3 of 100 lines over 256, none over 320: 320 is the smallest that cuts <= 0.5%.
    let plain = dir.join("plain");
    let o = run(&train_args(&corpus, &plain, 1));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("note: --max-len 320: cuts 0.00%"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(training_options(&plain)["max_len"], 320);
    assert!(training_options(&plain).get("augment").is_none());
    let mut explicit = train_args(&corpus, &dir.join("explicit"), 1);
    explicit.extend(["--max-len".into(), "256".into()]);
    let o = run(&explicit);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("note: --max-len"));
    assert_eq!(training_options(&dir.join("explicit"))["max_len"], 256);

    // Augmented: recorded, kept by --resume, and a different run from the plain one.
    let augmented = dir.join("augmented");
    let mut args = train_args(&corpus, &augmented, 1);
    args.extend(["--augment".into(), "mana-order".into()]);
    let o = run(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(training_options(&augmented)["augment"], "mana-order");
    let a = std::fs::read(plain.join("model.safetensors")).unwrap();
    let b = std::fs::read(augmented.join("model.safetensors")).unwrap();
    assert!(a != b, "augmentation changed nothing");
    let mut resume = train_args(&corpus, &augmented, 2);
    resume.push("--resume".into());
    let o = run(&resume);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(training_options(&augmented)["augment"], "mana-order");
    assert_eq!(training_options(&augmented)["max_len"], 320);
    assert_eq!(metrics(&augmented).len(), 2);
    // An unknown augmentation is refused by the option parser.
    let mut bad = train_args(&corpus, &dir.join("bad"), 1);
    bad.extend(["--augment".into(), "keywords".into()]);
    let o = run(&bad);
    assert!(!o.status.success());
    assert!(!dir.join("bad").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
