//! Careless and hostile input, case by case (issue 14): every one gets a one-line
//! error and a non-zero exit (or works where it should), nothing half-written, and the
//! readers stay within a 2 GB address space (`prlimit --as`, where it exists).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `cardlm ARGS`, under `prlimit --as=2000000000` when the tool is installed, so a
/// reader that tries to hold a huge input aborts and fails the test.
fn cardlm_capped(args: &[&str]) -> Output {
    let bin = env!("CARGO_BIN_EXE_cardlm");
    let capped = Command::new("prlimit").arg("--version").output().is_ok();
    let mut command = if capped {
        let mut c = Command::new("prlimit");
        c.arg("--as=2000000000").arg(bin);
        c
    } else {
        Command::new(bin)
    };
    command.args(args).output().unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cardlm-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Exit 1 and exactly one line on stderr that contains every `needle`.
fn assert_one_line_error(o: &Output, needles: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "exit status; stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("cardlm: error: "), "{err}");
    for needle in needles {
        assert!(err.contains(needle), "{needle:?} not in: {err}");
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn endless_and_binary_inputs_stop_early() {
    let dir = temp_dir("endless");
    let out = dir.join("out");
    let o = cardlm_capped(&["prepare", "/dev/zero", "--out", s(&out)]);
    assert_one_line_error(&o, &["/dev/zero", r"control character '\0' on line 1"]);
    assert!(!out.exists());
    let o = cardlm_capped(&["decode", "/dev/zero"]);
    assert_one_line_error(&o, &["/dev/zero", "control character"]);

    // A 1 GB sparse file: refused from its first megabyte, not after reading it all.
    let sparse = dir.join("s.json");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let started = std::time::Instant::now();
    let o = cardlm_capped(&["prepare", s(&sparse), "--out", s(&out)]);
    assert_one_line_error(&o, &["s.json", "control character"]);
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());

    // A line with no end.
    let long = dir.join("long.txt");
    std::fs::write(&long, "a".repeat(5000)).unwrap();
    let o = cardlm_capped(&["prepare", s(&long), "--out", s(&out), "--max-line", "1K"]);
    assert_one_line_error(
        &o,
        &["long.txt", "line 1 is longer than 1 KiB", "--max-line"],
    );
    let o = cardlm_capped(&["decode", s(&long), "--max-line", "1K"]);
    assert_one_line_error(&o, &["longer than 1 KiB", "--max-line"]);
    assert!(!out.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn decompression_is_capped_by_ratio_and_size() {
    let dir = temp_dir("bomb");
    let out = dir.join("out");
    // 40 MiB of one repeated line in a gzip of a few tens of KB: ~1000x.
    let bomb = dir.join("bomb.gz");
    std::fs::write(&bomb, gzip(&b"aaaa\n".repeat(8 << 20))).unwrap();
    let o = cardlm_capped(&["prepare", s(&bomb), "--out", s(&out)]);
    assert_one_line_error(
        &o,
        &["bomb.gz", "decompresses more than 100x", "--max-ratio"],
    );
    // Raised, it reads (one distinct line, kept once).
    let o = cardlm_capped(&[
        "prepare",
        s(&bomb),
        "--out",
        s(&out),
        "--max-ratio",
        "100000",
        "--valid-fraction",
        "0",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stats: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("stats.json")).unwrap()).unwrap();
    assert_eq!(stats["train_cards"], 1);
    assert_eq!(stats["reprints_removed"], (8 << 20) - 1);

    let o = cardlm_capped(&[
        "prepare",
        s(&bomb),
        "--out",
        s(&dir.join("o2")),
        "--max-ratio",
        "100000",
        "--max-decompressed",
        "1M",
    ]);
    assert_one_line_error(&o, &["more than 1 MiB of content", "--max-decompressed"]);
    assert!(!dir.join("o2").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// An MTGJSON v3 set file of `cards` (JSON objects as text).
fn set_file(cards: &[String]) -> String {
    format!(
        r#"{{"name": "Test", "code": "TST", "cards": [{}]}}"#,
        cards.join(",")
    )
}

fn creature(name: &str, text: &str) -> String {
    serde_json::json!({
        "name": name, "layout": "normal", "manaCost": "{1}{G}", "rarity": "Common",
        "types": ["Creature"], "subtypes": ["Bear"], "text": text,
        "power": "2", "toughness": "2"
    })
    .to_string()
}

#[test]
fn a_huge_json_record_is_refused_by_its_size() {
    let dir = temp_dir("record");
    let input = dir.join("set.json");
    std::fs::write(&input, set_file(&[creature("Big", &"x".repeat(3 << 20))])).unwrap();
    let o = cardlm_capped(&[
        "prepare",
        s(&input),
        "--out",
        s(&dir.join("out")),
        "--max-record",
        "1M",
    ]);
    assert_one_line_error(&o, &["set.json", "larger than 1 MiB", "--max-record"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn control_characters_and_markers_never_reach_the_corpus() {
    let dir = temp_dir("text-rule");
    let input = dir.join("set.json");
    let cards = [
        creature("Grizzly Bears", "Trample\nHaste"),
        creature("Null\u{0}Bear", "Trample"),
        creature("Bell Bear", "Ring \u{7} ring"),
        creature("Esc\u{1b}[31mBear", "Trample"),
        creature("Cost⒞Bear", "Trample"),
        creature("Ability Bear", "Flying⒜Haste"),
    ];
    std::fs::write(&input, set_file(&cards)).unwrap();
    let out = dir.join("out");
    let o = cardlm_capped(&[
        "prepare",
        s(&input),
        "--out",
        s(&out),
        "--valid-fraction",
        "0",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let train = std::fs::read_to_string(out.join("train.txt")).unwrap();
    assert_eq!(train.lines().count(), 1, "{train}");
    assert!(train.starts_with("Ⓢgrizzly bears⒞"), "{train}");
    let vocab = std::fs::read_to_string(out.join("vocab.json")).unwrap();
    assert!(
        !vocab.contains("\\u0000") && !vocab.contains("\\u001b"),
        "{vocab}"
    );
    let stats: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("stats.json")).unwrap()).unwrap();
    assert_eq!(stats["dropped"]["control_character"], 3, "{stats}");
    assert_eq!(stats["dropped"]["reserved_symbol"], 2, "{stats}");
    assert_eq!(stats["cards_kept"], 1);

    // Plain text: an `Ⓔ` inside a line would end the card early.
    let plain = dir.join("plain.txt");
    std::fs::write(&plain, "ⓈgoodⒺ\nⓈbadⒺtailⒺ\n").unwrap();
    let o = cardlm_capped(&[
        "prepare",
        s(&plain),
        "--out",
        s(&dir.join("p")),
        "--valid-fraction",
        "0",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let train = std::fs::read_to_string(dir.join("p/train.txt")).unwrap();
    assert_eq!(train, "ⓈgoodⒺ\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn decode_escapes_control_characters_for_the_terminal() {
    let dir = temp_dir("decode-escape");
    let input = dir.join("lines.txt");
    std::fs::write(
        &input,
        "Ⓢevil\u{1b}]0;owned\u{7}name⒞②Ⓖ⒭C⒯creature⒫2/2⒜tramplesⒺ\n",
    )
    .unwrap();
    let o = cardlm_capped(&["decode", s(&input)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(text.contains(r"\u{1b}]0;owned\u{7}"), "{text}");
}

/// Writes an `.npy` file of `descr` and `shape` holding `data`.
fn npy(path: &Path, descr: &str, shape: &str, data: &[u8]) {
    let header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
    let total = 10 + header.len() + 1;
    let padding = (64 - total % 64) % 64;
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend_from_slice(&((header.len() + padding + 1) as u16).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend(std::iter::repeat_n(b' ', padding));
    bytes.push(b'\n');
    bytes.extend_from_slice(data);
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn seed_npy_shapes_are_checked_before_allocating() {
    let dir = temp_dir("npy");
    for (descr, shape, needle) in [
        ("<U1", "(4611686018427387904,)", "impossibly large"),
        ("<U0", "(1000000000000,)", "only empty strings"),
    ] {
        let data_dir = dir.join(descr.replace('<', ""));
        std::fs::create_dir_all(&data_dir).unwrap();
        npy(&data_dir.join("card_texts.npy"), descr, shape, b"");
        let out = dir.join("out");
        let o = cardlm_capped(&["prepare", "--from-seed-npy", s(&data_dir), "--out", s(&out)]);
        assert_one_line_error(&o, &["card_texts.npy", needle]);
        assert!(!out.exists());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn options_are_checked_before_the_input_is_read() {
    let o = cardlm_capped(&[
        "prepare",
        "/nonexistent.json",
        "--out",
        "/tmp/x",
        "--valid-fraction",
        "2",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("--valid-fraction") && err.contains("[0, 1)"),
        "{err}"
    );
    assert!(!err.contains("nonexistent"), "{err}");
    for size in ["0", "lots", "99999999999T"] {
        let o = cardlm_capped(&[
            "prepare",
            "x",
            "--out",
            "/tmp/x",
            "--max-decompressed",
            size,
        ]);
        assert_eq!(o.status.code(), Some(2), "{size}");
    }
}

#[test]
fn sizes_from_options_are_checked_with_overflow_and_memory() {
    for (args, needles) in [
        (
            &[
                "summary",
                "--hidden",
                "18446744073709551615",
                "--vocab-size",
                "18446744073709551615",
            ][..],
            &["more parameters than this machine can address"][..],
        ),
        (&["bench", "train", "--hidden", "0"], &["at least 1"]),
        (&["bench", "train", "--layers", "0"], &["at least 1"]),
        (&["bench", "generate", "--hidden", "0"], &["at least 1"]),
        (&["bench", "generate", "--layers", "0"], &["at least 1"]),
        (
            &["bench", "train", "--layers", "2000"],
            &["more than cardlm builds"],
        ),
        (
            &["bench", "generate", "--vocab", "1"],
            &["at least 2 characters"],
        ),
        (
            &["bench", "train", "--hidden", "8", "--batch-size", "1000000"],
            &["needs about", "--batch-size"],
        ),
    ] {
        let o = cardlm_capped(args);
        assert_one_line_error(&o, needles);
    }
}

/// A corpus of short lines over a small alphabet, as `cardlm prepare` writes it.
fn tiny_corpus(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let lines: Vec<String> = (0..60)
        .map(|i| format!("Ⓢbear {}⒞②Ⓖ⒭C⒯creature⒫{}/{}⒜trampleⒺ", i % 7, i % 5, i % 3))
        .collect();
    std::fs::write(corpus.join("train.txt"), lines.join("\n") + "\n").unwrap();
    std::fs::write(corpus.join("valid.txt"), "").unwrap();
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

fn train(corpus: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["train", "--corpus", s(corpus), "--out", s(out), "--quiet"];
    let resume = extra.contains(&"--resume");
    if !resume && !extra.contains(&"--hidden") {
        args.extend(["--hidden", "8"]);
    }
    if !resume && !extra.contains(&"--batch-size") {
        args.extend(["--batch-size", "8"]);
    }
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_cardlm"))
        .args(&args)
        .output()
        .unwrap()
}

fn training_options(run: &Path) -> serde_json::Value {
    let config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("config.json")).unwrap()).unwrap();
    config["training"].clone()
}

/// Overwrites the first value of `tensor` in a safetensors file with `value`.
fn poke_tensor(path: &Path, tensor: &str, value: f32) {
    let mut bytes = std::fs::read(path).unwrap();
    let header_len = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let header: serde_json::Value = serde_json::from_slice(&bytes[8..8 + header_len]).unwrap();
    assert_eq!(header[tensor]["dtype"], "F32");
    let start = header[tensor]["data_offsets"][0].as_u64().unwrap() as usize + 8 + header_len;
    bytes[start..start + 4].copy_from_slice(&value.to_le_bytes());
    std::fs::write(path, bytes).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn broken_models_are_refused_on_load() {
    let dir = temp_dir("models");
    let corpus = tiny_corpus(&dir);
    let run = dir.join("run");
    let o = train(&corpus, &run, &["--epochs", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let generate = |model: &Path| {
        cardlm_capped(&[
            "generate",
            "--model",
            s(model),
            "-n",
            "2",
            "--corpus",
            s(&corpus),
        ])
    };
    assert!(generate(&run).status.success());

    // NaN weights: refused with the tensor's name, not sampled into empty cards.
    let nan = dir.join("nan");
    copy_dir(&run, &nan);
    poke_tensor(
        &nan.join("model.safetensors"),
        "lstm.1.recurrent_kernel",
        f32::NAN,
    );
    assert_one_line_error(
        &generate(&nan),
        &[
            "model.safetensors",
            "tensor lstm.1.recurrent_kernel holds NaN",
        ],
    );
    poke_tensor(
        &nan.join("model.safetensors"),
        "lstm.1.recurrent_kernel",
        f32::INFINITY,
    );
    assert_one_line_error(&generate(&nan), &["holds inf"]);

    // A config.json that claims a huge model: its weights' shapes refuse it before
    // anything of that size is allocated.
    let huge = dir.join("huge");
    copy_dir(&run, &huge);
    let mut config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(huge.join("config.json")).unwrap()).unwrap();
    config["model"]["hidden"] = 100_000.into();
    std::fs::write(huge.join("config.json"), config.to_string()).unwrap();
    assert_one_line_error(&generate(&huge), &["has shape", "config.json needs"]);
    config["model"]["hidden"] = serde_json::json!(u64::MAX);
    std::fs::write(huge.join("config.json"), config.to_string()).unwrap();
    assert_one_line_error(
        &generate(&huge),
        &["more parameters than this machine can address"],
    );
    // Few parameters, but more layers than anything could build: refused before
    // the per-layer bookkeeping is sized (it aborted on a 6.4 TB allocation).
    config["model"]["hidden"] = 1.into();
    config["model"]["layers"] = 200_000_000_000u64.into();
    std::fs::write(huge.join("config.json"), config.to_string()).unwrap();
    assert_one_line_error(&generate(&huge), &["config.json", "layers is more than"]);

    // Training sizes: refused before the run directory is made.
    let big = dir.join("big");
    let o = train(&corpus, &big, &["--batch-size", "1000000"]);
    assert_one_line_error(&o, &["needs about", "--batch-size"]);
    assert!(!big.exists());
    let o = train(&corpus, &big, &["--hidden", "100000"]);
    assert_one_line_error(&o, &["needs about", "--hidden"]);
    assert!(!big.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A fifo fed from `/dev/zero` (an endless stream with no size to check first) is
/// refused from its first bytes, as `/dev/zero` itself is.
#[test]
fn an_endless_fifo_is_refused_early() {
    if Command::new("mkfifo").arg("--version").output().is_err() {
        return;
    }
    let dir = temp_dir("fifo");
    let fifo = dir.join("fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let mut feeder = Command::new("sh")
        .arg("-c")
        .arg(format!("cat /dev/zero > '{}'", fifo.display()))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let out = dir.join("out");
    let o = cardlm_capped(&["prepare", s(&fifo), "--out", s(&out)]);
    let _ = feeder.kill();
    let _ = feeder.wait();
    assert_one_line_error(&o, &["fifo", "control character"]);
    assert!(!out.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 14, section 7: `--seed-npy` may name `--out` itself (the .npy files then go
/// into the corpus directory), and a rerun replaces that directory, its own output.
#[test]
fn seed_npy_may_be_the_corpus_directory_and_reruns_replace_it() {
    let dir = temp_dir("same");
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cards/tests/fixtures/set_v3.json");
    let out = dir.join("corpus");
    for _ in 0..2 {
        let o = cardlm_capped(&[
            "prepare",
            s(&input),
            "--out",
            s(&out),
            "--seed-npy",
            s(&out),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        for name in [
            "train.txt",
            "vocab.json",
            "card_texts.npy",
            "c2i.npy",
            "i2c.npy",
        ] {
            assert!(out.join(name).is_file(), "{name}");
        }
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "nothing else left"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 14, section 7: `ship` refusing a run directory as its --out says why without
/// claiming cardlm "did not write" the run's files (it did, as `train`).
#[test]
fn ship_refusing_a_run_directory_says_why_truthfully() {
    let dir = temp_dir("ship");
    let corpus = tiny_corpus(&dir);
    let run = dir.join("run");
    let o = train(&corpus, &run, &["--epochs", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cardlm_capped(&["ship", s(&run), "--out", s(&run)]);
    assert_one_line_error(
        &o,
        &[
            "not among the files this command writes",
            "refusing to replace it",
        ],
    );
    assert!(!stderr(&o).contains("did not write"), "{}", stderr(&o));
    assert!(run.join("model.safetensors").is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn resume_keeps_saved_options_and_says_what_changed() {
    let dir = temp_dir("resume");
    let corpus = tiny_corpus(&dir);
    let run = dir.join("run");
    let o = train(
        &corpus,
        &run,
        &[
            "--epochs",
            "1",
            "--state-every",
            "1",
            "--checkpoint-every",
            "1",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = train(&corpus, &run, &["--resume", "--epochs", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("note: resuming with --epochs 2 (was 1)"),
        "{}",
        stderr(&o)
    );
    let options = training_options(&run);
    assert_eq!(options["state_every"], 1, "{options}");
    assert_eq!(options["checkpoint_every"], 1, "{options}");
    assert_eq!(options["epochs"], 2);
    let o = train(
        &corpus,
        &run,
        &["--resume", "--epochs", "3", "--batch-size", "4"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("--batch-size 4 (was 8)") && err.contains("not bit-identical"),
        "{err}"
    );
    assert_eq!(training_options(&run)["batch_size"], 4);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_run_directory_is_locked_while_training_and_not_after_a_kill() {
    let dir = temp_dir("lock");
    let corpus = tiny_corpus(&dir);
    let run = dir.join("run");
    let o = train(&corpus, &run, &["--epochs", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A long resume in the background.
    struct KillOnDrop(std::process::Child);
    impl Drop for KillOnDrop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut first = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_cardlm"))
            .args([
                "train",
                "--corpus",
                s(&corpus),
                "--out",
                s(&run),
                "--resume",
                "--epochs",
                "100000",
                "--quiet",
            ])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let first_pid = first.0.id();
    // The lock file names its holder once the lock is taken.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::fs::read_to_string(run.join(".lock"))
        .unwrap_or_default()
        .trim()
        != first_pid.to_string()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the first run never took the lock"
        );
        assert!(
            first.0.try_wait().unwrap().is_none(),
            "the first run ended early"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let refused = train(&corpus, &run, &["--resume", "--epochs", "3"]);
    assert_one_line_error(
        &refused,
        &["another cardlm process", &format!("pid {first_pid}")],
    );
    // SIGKILL: the kernel drops the lock; the lock file left behind does not block.
    first.0.kill().unwrap();
    first.0.wait().unwrap();
    assert!(run.join(".lock").exists());
    let o = train(&corpus, &run, &["--resume", "--epochs", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn generation_streams_and_closes_its_output_on_ctrl_c() {
    let dir = temp_dir("stream");
    let corpus = tiny_corpus(&dir);
    let run = dir.join("run");
    let o = train(&corpus, &run, &["--epochs", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for (format, closes) in [("json", "]\n"), ("html", "</html>\n"), ("jsonl", "\n")] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cardlm"))
            .args([
                "generate",
                "--model",
                s(&run),
                "-n",
                "100000000",
                "--seed",
                "1",
                "--format",
                format,
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Cards arrive long before a hundred million are done: read the first bytes.
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 4096];
        let mut got = 0;
        while got < first.len() {
            let n = std::io::Read::read(&mut stdout, &mut first[got..]).unwrap();
            assert!(n > 0, "{format}: output ended early");
            got += n;
        }
        let interrupted = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(interrupted.success());
        let mut rest = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut rest).unwrap();
        let status = child.wait().unwrap();
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        assert_eq!(status.code(), Some(130), "{format}: {err}");
        assert!(
            err.contains("interrupted:") && err.contains("of 100000000 cards written"),
            "{err}"
        );
        let text = String::from_utf8([&first[..], &rest].concat()).unwrap();
        assert!(
            text.ends_with(closes),
            "{format}: ends {:?}",
            &text[text.len().saturating_sub(40)..]
        );
        match format {
            "json" => {
                let cards: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
                assert!(!cards.is_empty());
            }
            "jsonl" => {
                for line in text.lines() {
                    serde_json::from_str::<serde_json::Value>(line).unwrap();
                }
            }
            _ => assert!(text.starts_with("<!DOCTYPE html>")),
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
