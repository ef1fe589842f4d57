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
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
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
