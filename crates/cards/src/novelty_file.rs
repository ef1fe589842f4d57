//! The novelty index a model directory carries: the training cards' encoded
//! lines, which is all a [`NoveltyIndex`](crate::novelty::NoveltyIndex)
//! needs, as xz-compressed JSON (about a fifth of `train.txt`).
//!
//! ```json
//! {"format": "cardlm-novelty/1", "cards": 17609, "sha256": "…", "lines": ["Ⓢ…Ⓔ", …]}
//! ```
//!
//! `sha256` is over the lines, each followed by `\n`: a file cut short or
//! altered is refused rather than judged against.

use std::io::{Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The format written, and the only one read.
pub const NOVELTY_FORMAT: &str = "cardlm-novelty/1";

#[derive(Serialize, Deserialize)]
struct NoveltyFile {
    format: String,
    cards: usize,
    sha256: String,
    lines: Vec<String>,
}

fn lines_sha256(lines: &[String]) -> String {
    let mut h = Sha256::new();
    for line in lines {
        h.update(line.as_bytes());
        h.update(b"\n");
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of a novelty index file for `lines` (the training cards).
pub fn novelty_file_bytes(lines: &[String]) -> Vec<u8> {
    let file = NoveltyFile {
        format: NOVELTY_FORMAT.to_owned(),
        cards: lines.len(),
        sha256: lines_sha256(lines),
        lines: lines.to_vec(),
    };
    let json = serde_json::to_vec(&file).expect("strings serialise");
    let mut xz = xz2::write::XzEncoder::new(Vec::new(), 9);
    xz.write_all(&json).expect("writing to memory");
    xz.finish().expect("writing to memory")
}

/// Reads a novelty index file back into the training lines, checking its
/// format, count and checksum.
pub fn read_novelty_file(path: &Path) -> Result<Vec<String>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
    let mut json = Vec::new();
    xz2::read::XzDecoder::new(&bytes[..])
        .read_to_end(&mut json)
        .map_err(|e| Error::new(path, format!("not an xz-compressed novelty index: {e}")))?;
    let file: NoveltyFile = serde_json::from_slice(&json)
        .map_err(|e| Error::new(path, format!("not a novelty index: {e}")))?;
    if file.format != NOVELTY_FORMAT {
        return Err(Error::new(
            path,
            format!(
                "novelty index format {:?}, this cardlm reads {NOVELTY_FORMAT:?}",
                file.format
            ),
        ));
    }
    if file.cards != file.lines.len() || file.sha256 != lines_sha256(&file.lines) {
        return Err(Error::new(
            path,
            "the novelty index does not match its checksum (damaged?)",
        ));
    }
    Ok(file.lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip_and_damage_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("novelty.json.xz");
        let lines = vec![
            "Ⓢshock⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ".to_owned(),
            "Ⓢb⒞ⓌⒺ".into(),
        ];
        std::fs::write(&path, novelty_file_bytes(&lines)).unwrap();
        assert_eq!(read_novelty_file(&path).unwrap(), lines);

        let tampered = NoveltyFile {
            format: NOVELTY_FORMAT.into(),
            cards: 2,
            sha256: lines_sha256(&lines),
            lines: vec![lines[0].clone(), "Ⓢc⒞ⓌⒺ".into()],
        };
        let mut xz = xz2::write::XzEncoder::new(Vec::new(), 1);
        xz.write_all(&serde_json::to_vec(&tampered).unwrap())
            .unwrap();
        std::fs::write(&path, xz.finish().unwrap()).unwrap();
        let err = read_novelty_file(&path).unwrap_err().to_string();
        assert!(
            err.contains("checksum") && err.contains("novelty.json.xz"),
            "{err}"
        );

        std::fs::write(&path, b"plain text").unwrap();
        assert!(read_novelty_file(&path)
            .unwrap_err()
            .to_string()
            .contains("xz"));
        let missing = dir.path().join("none.xz");
        assert!(read_novelty_file(&missing)
            .unwrap_err()
            .to_string()
            .contains("none.xz"));
    }
}
