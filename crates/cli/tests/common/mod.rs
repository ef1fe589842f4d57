//! What the CLI tests that train a tiny model share: its hand-written corpus and
//! the way they run the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The tiny corpus: twelve real cards in the seed's encoding.
pub const LINES: [&str; 12] = [
    "Ⓢangel of mercy⒞④Ⓦ⒭U⒯creature:angel⒫3/3⒜flying⒜when Ⓝ enters the battlefield, you gain 3 life.Ⓔ",
    "Ⓢshock⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ",
    "Ⓢgiant growth⒞Ⓖ⒭R⒯instant⒜target creature gets +3/+3 until end of turn.Ⓔ",
    "Ⓢllanowar elves⒞Ⓖ⒭C⒯creature:elf druid⒫1/1⒜↷: add Ⓖ.Ⓔ",
    "Ⓢserra angel⒞③ⓌⓌ⒭U⒯creature:angel⒫4/4⒜flying⒜vigilanceⒺ",
    "Ⓢcounterspell⒞ⓊⓊ⒭C⒯instant⒜counter target spell.Ⓔ",
    "Ⓢdark ritual⒞Ⓑ⒭C⒯instant⒜add ⒷⒷⒷ.Ⓔ",
    "Ⓢgrizzly bears⒞①Ⓖ⒭C⒯creature:bear⒫2/2⒜Ⓔ",
    "Ⓢlightning bolt⒞Ⓡ⒭M⒯instant⒜Ⓝ deals 3 damage to any target.Ⓔ",
    "Ⓢwind drake⒞②Ⓤ⒭C⒯creature:drake⒫2/2⒜flyingⒺ",
    "Ⓢsol ring⒞①⒭U⒯artifact⒜↷: add ⒸⒸ.Ⓔ",
    "Ⓢhill giant⒞③Ⓡ⒭C⒯creature:giant⒫3/3⒜Ⓔ",
];

/// Runs the `cardlm` binary built for these tests.
pub fn cardlm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cardlm"))
        .args(args)
        .output()
        .unwrap()
}

/// A test path as an argument.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Writes a corpus directory of `train` and `valid` lines with the vocabulary
/// they use (`Ⓔ` first).
pub fn write_corpus(dir: &Path, train: &[&str], valid: &[&str]) {
    std::fs::create_dir_all(dir).unwrap();
    let mut chars: Vec<char> = vec!['Ⓔ'];
    for line in train.iter().chain(valid) {
        for c in line.chars() {
            if !chars.contains(&c) {
                chars.push(c);
            }
        }
    }
    let vocab: Vec<String> = chars.iter().map(|c| c.to_string()).collect();
    std::fs::write(
        dir.join("vocab.json"),
        serde_json::to_string(&vocab).unwrap(),
    )
    .unwrap();
    std::fs::write(dir.join("train.txt"), train.join("\n") + "\n").unwrap();
    std::fs::write(dir.join("valid.txt"), valid.join("\n") + "\n").unwrap();
}

/// The tiny corpus (ten cards to train on, two to validate) and a model of 16
/// hidden units trained on it for 3 epochs, in a fresh `dir`: `(corpus, model)`.
pub fn train_tiny_model(dir: &Path) -> (PathBuf, PathBuf) {
    let _ = std::fs::remove_dir_all(dir);
    let corpus = dir.join("corpus");
    write_corpus(&corpus, &LINES[..10], &LINES[10..]);
    let model = dir.join("run");
    let o = cardlm(&[
        "train",
        "--corpus",
        s(&corpus),
        "--out",
        s(&model),
        "--epochs",
        "3",
        "--hidden",
        "16",
        "--batch-size",
        "4",
        "--learning-rate",
        "0.02",
        "--quiet",
    ]);
    assert!(
        o.status.success(),
        "train failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    (corpus, model)
}
