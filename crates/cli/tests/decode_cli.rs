//! `cardlm decode`: encoded lines from a file or standard input back into cards.

use std::io::Write;
use std::process::{Command, Stdio};

const ANGEL: &str = "Ⓢangel of mercy⒞④Ⓦ⒭U⒯creature:angel⒫3/3⒜flying⒜when Ⓝ enters the battlefield, you gain 3 life.Ⓔ";

fn decode_stdin(args: &[&str], input: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cardlm"))
        .arg("decode")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that fails before reading its input closes the pipe early.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    let output = child.wait_with_output().unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn text_format_prints_the_seeds_layout() {
    let (ok, stdout, _) = decode_stdin(&[], &format!("{ANGEL}\n"));
    assert!(ok);
    assert_eq!(
        stdout,
        "Angel of Mercy\n{4}{W}\nuncommon\nCreature — Angel\nFlying\nWhen Angel of Mercy enters the battlefield, you gain 3 life.\n3/3\n"
    );
}

#[test]
fn json_format_has_the_seeds_keys_and_a_verdict() {
    let input = format!("{ANGEL}\nⓈ⒞Ⓦ⒭Q⒯instant⒫1/1\n");
    let (ok, stdout, _) = decode_stdin(&["--format", "json"], &input);
    assert!(ok);
    let cards: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(cards.len(), 2);
    for key in ["name", "cost", "rare", "type", "abil", "pt"] {
        assert!(cards[0].get(key).is_some(), "{key}");
    }
    assert_eq!(cards[0]["well_formed"], true);
    assert_eq!(cards[0]["mana_value"], 5);
    assert_eq!(cards[1]["well_formed"], false);
    let problems = cards[1]["problems"].to_string();
    for expected in [
        "empty name",
        "unknown rarity",
        "non-creature",
        "does not end",
    ] {
        assert!(problems.contains(expected), "{expected}: {problems}");
    }
}

#[test]
fn reads_a_file_and_reports_a_missing_one() {
    let path = std::env::temp_dir().join(format!("cardlm-decode-cli-{}.txt", std::process::id()));
    std::fs::write(&path, format!("{ANGEL}\n")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_cardlm"))
        .args(["decode", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("Angel of Mercy\n"));
    std::fs::remove_file(&path).unwrap();

    let output = Command::new(env!("CARGO_BIN_EXE_cardlm"))
        .args(["decode", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("cardlm: error: "), "{stderr}");
    assert!(stderr.contains(path.to_str().unwrap()), "{stderr}");
}

#[test]
fn corpus_adds_the_strict_verdict() {
    // A corpus of two cards: its lexicon knows angels and auras, not jarpars.
    let dir = std::env::temp_dir().join(format!("cardlm-decode-strict-{}", std::process::id()));
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let pacifism = "Ⓢpacifism⒞①Ⓦ⒭C⒯enchantment:aura⒜enchant creature⒜enchanted creature can't attack or block.Ⓔ";
    std::fs::write(corpus.join("train.txt"), format!("{ANGEL}\n{pacifism}\n")).unwrap();
    std::fs::write(corpus.join("valid.txt"), "").unwrap();
    let chars: std::collections::BTreeSet<char> = format!("{ANGEL}{pacifism}").chars().collect();
    // Ⓔ first, Ⓢ last, as `prepare` writes it.
    let mut vocab: Vec<String> = vec!["Ⓔ".into()];
    vocab.extend(
        chars
            .iter()
            .filter(|c| !"ⓈⒺ".contains(**c))
            .map(|c| c.to_string()),
    );
    vocab.push("Ⓢ".into());
    std::fs::write(
        corpus.join("vocab.json"),
        serde_json::to_string(&vocab).unwrap(),
    )
    .unwrap();
    let jarpar = "Ⓢangel of mercy⒞④Ⓦ⒭U⒯creature:jarpar⒫3/3⒜flyingⒺ";
    let (ok, stdout, stderr) = decode_stdin(
        &["--corpus", corpus.to_str().unwrap(), "--format", "json"],
        &format!("{ANGEL}\n{jarpar}\n"),
    );
    assert!(ok, "{stderr}");
    let cards: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(cards[0]["strict"]["well_formed"], true);
    assert_eq!(cards[1]["well_formed"], true);
    assert_eq!(cards[1]["strict"]["well_formed"], false);
    assert!(cards[1]["strict"]["problems"][0]
        .as_str()
        .unwrap()
        .contains("subtype \"jarpar\""));
    let (_, text, _) = decode_stdin(&["--corpus", corpus.to_str().unwrap()], jarpar);
    assert!(
        text.contains("(not a card a player would accept: subtype \"jarpar\""),
        "{text}"
    );
    // A missing corpus is a one-line error naming it.
    let (ok, _, stderr) = decode_stdin(&["--corpus", dir.join("none").to_str().unwrap()], ANGEL);
    assert!(
        !ok && stderr.contains("none") && stderr.lines().count() == 1,
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
