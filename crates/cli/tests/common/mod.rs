//! What the CLI tests that train a tiny model share: its hand-written corpus and
//! the way they run the binary.

use std::path::Path;
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
