//! `cardlm generate` and `cardlm eval` on a tiny model trained here (a hand-written
//! corpus, 16 hidden units, a few epochs): determinism, forcing, temperature
//! extremes, novelty, formats and one-line errors. Never needs ../shared.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

mod common;
use common::{cardlm, s, train_tiny_model};

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A corpus and a model trained on it, shared by the tests of this file.
fn fixture() -> &'static (PathBuf, PathBuf) {
    static F: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    F.get_or_init(|| {
        train_tiny_model(
            &std::env::temp_dir().join(format!("cardlm-generate-cli-{}", std::process::id())),
        )
    })
}

fn generate(extra: &[&str]) -> Output {
    let (_, model) = fixture();
    let mut args = vec!["generate", "--model", s(model)];
    args.extend_from_slice(extra);
    cardlm(&args)
}

fn jsonl(o: &Output) -> Vec<serde_json::Value> {
    assert!(o.status.success(), "{}", stderr(o));
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_cards_whatever_n() {
    let one = jsonl(&generate(&["-n", "1", "--seed", "42", "--format", "jsonl"]));
    let eight = jsonl(&generate(&["-n", "8", "--seed", "42", "--format", "jsonl"]));
    assert_eq!(one.len(), 1);
    assert_eq!(eight.len(), 8);
    assert_eq!(one[0]["line"], eight[0]["line"]);
    let again = jsonl(&generate(&["-n", "8", "--seed", "42", "--format", "jsonl"]));
    assert_eq!(eight, again);
    let other = jsonl(&generate(&["-n", "8", "--seed", "43", "--format", "jsonl"]));
    assert_ne!(eight, other, "another seed, other cards");
    // Random initial states are reproducible too.
    let r1 = jsonl(&generate(&[
        "-n",
        "1",
        "--seed",
        "5",
        "--init-state",
        "random",
        "--format",
        "jsonl",
    ]));
    let r3 = jsonl(&generate(&[
        "-n",
        "3",
        "--seed",
        "5",
        "--init-state",
        "random",
        "--format",
        "jsonl",
    ]));
    assert_eq!(r1[0]["line"], r3[0]["line"]);
    for c in &eight {
        let line = c["line"].as_str().unwrap();
        assert!(line.starts_with('Ⓢ'));
        assert!(line.chars().count() <= 512);
        assert!(c.get("well_formed").is_some() && c.get("novelty").is_some());
        // The phrasing score, judged against the training cards like novelty.
        let phrasing = &c["phrasing"];
        let score = phrasing["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score), "{phrasing}");
        assert_eq!(
            phrasing["known_phrasing"].as_bool().unwrap(),
            phrasing["unknown"] == 0,
            "{phrasing}"
        );
        assert!(phrasing["unknown_phrases"].is_array());
    }
}

#[test]
fn forced_fields_appear_in_every_card() {
    let cards = jsonl(&generate(&[
        "-n",
        "6",
        "--seed",
        "1",
        "--format",
        "jsonl",
        "--name",
        "Mark Rosewater",
        "--cost",
        "{2}{G}",
        "--rarity",
        "mythic",
        "--subtypes",
        "elf druid",
        "--pt",
        "3/3",
        "--ability",
        "flying",
    ]));
    for c in &cards {
        let line = c["line"].as_str().unwrap();
        assert!(
            line.starts_with("Ⓢmark rosewater⒞②Ⓖ⒭M⒯creature:elf druid⒫3/3⒜flying"),
            "{line}"
        );
        assert_eq!(c["name"], "Mark Rosewater");
        assert_eq!(c["cost"], "{2}{G}");
        assert_eq!(c["rare"], "mythic");
        assert_eq!(c["pt"], "3/3");
        assert_eq!(c["abil"][0], "Flying");
        assert_eq!(c["missed_fields"].as_array().unwrap().len(), 0);
    }
    // Only the rarity: fed at the model's own ⒭.
    for c in jsonl(&generate(&[
        "-n", "4", "--seed", "2", "--format", "jsonl", "--rarity", "R",
    ])) {
        let line = c["line"].as_str().unwrap();
        if c["missed_fields"].as_array().unwrap().is_empty() {
            assert!(line.contains("⒭R⒯"), "{line}");
        }
    }
}

#[test]
fn temperature_zero_is_greedy_and_extremes_work() {
    let a = jsonl(&generate(&[
        "-n",
        "3",
        "--seed",
        "1",
        "--temperature",
        "0",
        "--format",
        "jsonl",
    ]));
    let b = jsonl(&generate(&[
        "-n",
        "3",
        "--seed",
        "99",
        "--temperature",
        "0",
        "--format",
        "jsonl",
    ]));
    // Greedy decoding ignores the seed: every card is the same.
    assert!(a.iter().chain(&b).all(|c| c["line"] == a[0]["line"]));
    let tiny = jsonl(&generate(&[
        "-n",
        "2",
        "--seed",
        "7",
        "--temperature",
        "1e-9",
        "--format",
        "jsonl",
    ]));
    assert_eq!(tiny[0]["line"], a[0]["line"]);
    let hot = jsonl(&generate(&[
        "-n",
        "2",
        "--seed",
        "7",
        "--temperature",
        "50",
        "--max-len",
        "40",
        "--format",
        "jsonl",
    ]));
    for c in &hot {
        assert!(c["line"].as_str().unwrap().chars().count() <= 40);
    }
    let topk = jsonl(&generate(&[
        "-n", "2", "--seed", "7", "--top-k", "1", "--format", "jsonl",
    ]));
    assert_eq!(topk[0]["line"], a[0]["line"], "top-k 1 is greedy");
    assert!(
        jsonl(&generate(&[
            "-n", "2", "--seed", "7", "--top-p", "0.9", "--format", "jsonl"
        ]))
        .len()
            == 2
    );
}

#[test]
fn planted_copies_are_flagged_and_novel_only_redraws() {
    // Greedy decoding of a model trained on the corpus; whatever it writes,
    // the judgement must agree with the training lines.
    let (corpus, _) = fixture();
    let train = std::fs::read_to_string(corpus.join("train.txt")).unwrap();
    let names: Vec<String> = train
        .lines()
        .map(|l| {
            l.trim_start_matches('Ⓢ')
                .split('⒞')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    let cards = jsonl(&generate(&["-n", "16", "--seed", "3", "--format", "jsonl"]));
    for c in &cards {
        let line = c["line"].as_str().unwrap();
        let exact = train.lines().any(|l| l == line);
        assert_eq!(c["novelty"]["exact_copy"], exact, "{line}");
        let name = line
            .trim_start_matches('Ⓢ')
            .split(['⒞', '⒭', '⒯', '⒫', '⒜', 'Ⓔ'])
            .next()
            .unwrap();
        assert_eq!(
            !c["novelty"]["name_copy"].is_null(),
            names.iter().any(|n| n == name),
            "{line}"
        );
    }
    // A name forced to a training card's name is always a name copy.
    for c in jsonl(&generate(&[
        "-n", "2", "--seed", "3", "--name", "Shock", "--format", "jsonl",
    ])) {
        assert_eq!(c["novelty"]["name_copy"], "Shock");
        assert_eq!(c["novelty"]["novel"], false);
    }
    // --novel-only cannot accept a forced training name: it redraws, bounded.
    let o = generate(&[
        "-n",
        "1",
        "--seed",
        "3",
        "--name",
        "Shock",
        "--novel-only",
        "--format",
        "jsonl",
    ]);
    let c = &jsonl(&o)[0];
    assert_eq!(c["tries"], 20);
    let o = generate(&[
        "-n",
        "3",
        "--seed",
        "3",
        "--only-valid",
        "--format",
        "jsonl",
    ]);
    for c in jsonl(&o) {
        assert!(c["well_formed"] == true || c["tries"] == 20);
    }
}

#[test]
fn every_format_renders() {
    let o = generate(&["-n", "2", "--seed", "4"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("novel") || stdout(&o).contains("copy"));
    let o = generate(&["-n", "2", "--seed", "4", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    let o = generate(&["-n", "2", "--seed", "4", "--format", "html"]);
    let page = stdout(&o);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_eq!(page.matches("class=\"card\"").count(), 2);
    assert!(!page.contains("http"));
}

#[test]
fn bad_input_gives_one_line_errors() {
    let one_line = |o: &Output, want: &str| {
        assert!(!o.status.success());
        let e = stderr(o);
        assert_eq!(e.trim_end().lines().count(), 1, "{e}");
        assert!(e.contains(want), "{e}");
    };
    // Short: the bad character and where to look, not the whole vocabulary.
    one_line(&generate(&["--name", "Ωmega"]), "'ω'");
    one_line(&generate(&["--name", "Ωmega"]), "--help");
    assert!(stderr(&generate(&["--name", "Ωmega"])).chars().count() < 200);
    one_line(&generate(&["--cost", "{2}{Q}"]), "{Q} is not a mana symbol");
    one_line(&generate(&["--temperature", "-1"]), "temperature");
    one_line(
        &generate(&["--pt", "2/2", "--type", "instant"]),
        "needs a creature",
    );
    one_line(
        &generate(&["--type", "creature: elf", "--subtypes", "elf"]),
        "both",
    );
    one_line(&generate(&["--top-p", "1.5"]), "top-p");
    one_line(
        &cardlm(&["generate", "--model", "/nonexistent/model"]),
        "no such model",
    );
    let dir = std::env::temp_dir().join(format!("cardlm-generate-corrupt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.json"), "{ not json").unwrap();
    one_line(
        &cardlm(&["generate", "--model", s(&dir)]),
        "cannot load the model",
    );
    // A model whose corpus is gone: novelty is skipped with a note, unless required.
    let (corpus, model) = fixture();
    let moved = dir.join("run");
    let _ = std::fs::remove_dir_all(&moved);
    std::fs::create_dir_all(&moved).unwrap();
    std::fs::copy(
        model.join("model.safetensors"),
        moved.join("model.safetensors"),
    )
    .unwrap();
    let cfg = std::fs::read_to_string(model.join("config.json")).unwrap();
    let mut cfg: serde_json::Value = serde_json::from_str(&cfg).unwrap();
    cfg["corpus"] = serde_json::Value::Null;
    std::fs::write(moved.join("config.json"), cfg.to_string()).unwrap();
    let o = cardlm(&["generate", "--model", s(&moved), "-n", "1", "--seed", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("novelty, strict and phrasing verdicts not judged"));
    one_line(
        &cardlm(&["generate", "--model", s(&moved), "--novel-only"]),
        "--novel-only",
    );
    // --corpus gives the training cards back: the verdicts return.
    let o = cardlm(&[
        "generate",
        "--model",
        s(&moved),
        "-n",
        "1",
        "--seed",
        "1",
        "--format",
        "json",
        "--corpus",
        s(corpus),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("novelty not judged"), "{}", stderr(&o));
    let cards: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(cards[0]["novelty"].is_object(), "{cards}");
    one_line(
        &cardlm(&[
            "generate",
            "--model",
            s(&moved),
            "--corpus",
            s(&dir.join("nowhere")),
        ]),
        "nowhere",
    );
}

#[test]
fn eval_reports_loss_rates_and_distributions() {
    let (corpus, model) = fixture();
    let json = corpus.parent().unwrap().join("eval.json");
    let o = cardlm(&[
        "eval",
        "--model",
        s(model),
        "--corpus",
        s(corpus),
        "--samples",
        "8",
        "--json",
        s(&json),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for want in [
        "validation loss",
        "bits/char",
        "well-formed",
        "exact copies",
        "mana value",
        "T=0.5",
        "strictly well-formed",
        "invented types",
        "T=1 b48",
    ] {
        assert!(text.contains(want), "{want} missing in\n{text}");
    }
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let nats = r["valid_loss_nats"].as_f64().unwrap();
    let bits = r["valid_bits_per_char"].as_f64().unwrap();
    assert!((bits - nats / std::f64::consts::LN_2).abs() < 1e-9);
    // Raw at 1.0 and 0.5, then curated (generate's default, the best of 48) at 1.0.
    assert_eq!(r["samples"].as_array().unwrap().len(), 3);
    assert_eq!(r["samples"][2]["best_of"], 48);
    assert!(
        r["samples"][2]["strict_rate"].as_f64().unwrap()
            >= r["samples"][0]["strict_rate"].as_f64().unwrap()
    );
    assert_eq!(r["corpus_distributions"]["cards"], 10);
    assert_eq!(r["corpus_distributions"]["types"]["Creature"], 0.5);
}

#[test]
fn ship_writes_a_half_size_model_that_generates_and_refuses_foreign_directories() {
    let (corpus, model) = fixture();
    let dir = model.parent().unwrap().join("shipped");
    let _ = std::fs::remove_dir_all(&dir);
    let o = cardlm(&[
        "ship",
        s(model),
        "--out",
        s(&dir),
        "--corpus-path",
        s(corpus),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("f16"), "{}", stdout(&o));
    let size = |p: &Path| std::fs::metadata(p).unwrap().len();
    let (f32_size, f16_size) = (
        size(&model.join("model.safetensors")),
        size(&dir.join("model.safetensors")),
    );
    assert!(f16_size * 2 < f32_size + 4096, "{f16_size} vs {f32_size}");
    for file in ["config.json", "metrics.jsonl", "loss.svg"] {
        assert!(dir.join(file).is_file(), "{file} not shipped");
    }
    // The shipped model generates, judged against the recorded corpus.
    let o = cardlm(&[
        "generate",
        "--model",
        s(&dir),
        "-n",
        "3",
        "--seed",
        "4",
        "--format",
        "jsonl",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let cards = jsonl(&o);
    assert_eq!(cards.len(), 3);
    assert!(cards.iter().all(|c| c["novelty"].is_object()));
    // Shipping again replaces it; a directory with other files is refused.
    let o = cardlm(&["ship", s(model), "--out", s(&dir)]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let o = cardlm(&["ship", s(model), "--out", s(&dir)]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("notes.txt") && err.lines().count() == 1,
        "{err}"
    );
    assert!(dir.join("notes.txt").exists());
    // A missing checkpoint is a one-line error.
    let o = cardlm(&[
        "ship",
        s(model),
        "--out",
        s(&dir.join("x")),
        "--weights",
        "nope.safetensors",
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("nope.safetensors"), "{}", stderr(&o));
}

#[test]
fn the_novelty_index_travels_with_the_model_and_judges_as_the_corpus_does() {
    let (corpus, model) = fixture();
    // `train` wrote the index into the run directory.
    assert!(model.join("novelty.json.xz").is_file());
    let dir = model.parent().unwrap().join("indexed");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for file in ["model.safetensors", "novelty.json.xz"] {
        std::fs::copy(model.join(file), dir.join(file)).unwrap();
    }
    // No corpus recorded: only the index can judge.
    let cfg = std::fs::read_to_string(model.join("config.json")).unwrap();
    let mut cfg: serde_json::Value = serde_json::from_str(&cfg).unwrap();
    let recorded = cfg["corpus"].clone();
    cfg["corpus"] = serde_json::Value::Null;
    std::fs::write(dir.join("config.json"), cfg.to_string()).unwrap();
    let args = ["-n", "12", "--seed", "8", "--format", "jsonl"];
    let mut with_index = vec!["generate", "--model", s(&dir)];
    with_index.extend(args);
    let o = cardlm(&with_index);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("novelty not judged"), "{}", stderr(&o));
    let mut with_corpus = with_index.clone();
    with_corpus.extend(["--corpus", s(corpus)]);
    let p = cardlm(&with_corpus);
    assert!(p.status.success(), "{}", stderr(&p));
    assert_eq!(
        o.stdout, p.stdout,
        "the same verdicts from the index as from the corpus"
    );
    assert!(jsonl(&o).iter().all(|c| c["novelty"].is_object()));

    // `novelty-index` writes it again, from the recorded corpus only.
    std::fs::remove_file(dir.join("novelty.json.xz")).unwrap();
    let index = ["novelty-index", "--model", s(&dir), "--corpus", s(corpus)];
    let o = cardlm(&index);
    assert!(!o.status.success() && stderr(&o).contains("records no training corpus"));
    cfg["corpus"] = recorded.clone();
    cfg["corpus"]["sha256"] = "0".repeat(64).into();
    std::fs::write(dir.join("config.json"), cfg.to_string()).unwrap();
    let o = cardlm(&index);
    assert!(
        !o.status.success() && stderr(&o).contains("not the corpus"),
        "{}",
        stderr(&o)
    );
    assert_eq!(stderr(&o).trim_end().lines().count(), 1);
    cfg["corpus"] = recorded;
    std::fs::write(dir.join("config.json"), cfg.to_string()).unwrap();
    let o = cardlm(&index);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.join("novelty.json.xz").is_file());
    // A damaged index is a one-line note, not a panic.
    std::fs::write(dir.join("novelty.json.xz"), b"damaged").unwrap();
    let o = cardlm(&["generate", "--model", s(&dir), "-n", "1", "--seed", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("not judged") && stderr(&o).contains("novelty.json.xz"));
}

#[test]
fn fit_realness_writes_a_judge_that_generate_weighs_and_refuses_damage() {
    let (_, model) = fixture();
    // A copy: the other tests of this file share the fixture's directory.
    let dir = model.parent().unwrap().join("realness");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for file in ["model.safetensors", "novelty.json.xz", "config.json"] {
        std::fs::copy(model.join(file), dir.join(file)).unwrap();
    }
    let fit = [
        "fit-realness",
        "--model",
        s(&dir),
        "--samples",
        "200",
        "--steps",
        "30",
        "--seed",
        "4",
    ];
    let o = cardlm(&fit);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("held-out AUC"), "{}", stdout(&o));
    let file = dir.join("realness.json.xz");
    let first = std::fs::read(&file).unwrap();
    let o = cardlm(&fit);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(&file).unwrap(),
        first,
        "the same seed, the same judge"
    );

    // Every card carries its realness; curated cards are picked with it.
    let cards = ["generate", "--model", s(&dir), "-n", "4", "--seed", "3"];
    let o = cardlm(&[&cards[..], &["--format", "jsonl"]].concat());
    let judged = jsonl(&o);
    assert_eq!(judged.len(), 4);
    assert!(judged.iter().all(|c| c["realness"].is_f64()), "{judged:?}");
    let without = generate(&["-n", "4", "--seed", "3", "--format", "jsonl"]);
    assert!(jsonl(&without).iter().all(|c| c.get("realness").is_none()));

    // A damaged judge is one line naming the file, and nothing generated.
    std::fs::write(&file, b"damaged").unwrap();
    let o = cardlm(&cards);
    assert!(!o.status.success());
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    assert!(stderr(&o).contains("realness.json.xz"), "{}", stderr(&o));
    assert_eq!(stderr(&o).trim_end().lines().count(), 1, "{}", stderr(&o));

    // fit-realness replaces a damaged judge rather than reading it.
    let o = cardlm(&fit);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(&file).unwrap(), first);

    for samples in ["5", "100000000"] {
        let o = cardlm(&["fit-realness", "--model", s(&dir), "--samples", samples]);
        assert!(
            !o.status.success() && stderr(&o).contains("--samples"),
            "{}",
            stderr(&o)
        );
    }
}
