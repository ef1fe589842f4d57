//! Helpers shared by the integration tests: fixture paths and compressed copies.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn expected_seed_lines() -> Vec<String> {
    std::fs::read_to_string(fixture("expected_seed_lines.txt"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The compressions cardlm reads, each applied to `bytes`, written under `dir`.
pub fn compressed_copies(dir: &Path, stem: &str, bytes: &[u8]) -> Vec<PathBuf> {
    let mut paths = Vec::new();

    let gz = dir.join(format!("{stem}.gz"));
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    std::fs::write(&gz, encoder.finish().unwrap()).unwrap();
    paths.push(gz);

    let xz = dir.join(format!("{stem}.xz"));
    let mut encoder = xz2::write::XzEncoder::new(Vec::new(), 6);
    encoder.write_all(bytes).unwrap();
    std::fs::write(&xz, encoder.finish().unwrap()).unwrap();
    paths.push(xz);

    let bz2 = dir.join(format!("{stem}.bz2"));
    let mut encoder = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    encoder.write_all(bytes).unwrap();
    std::fs::write(&bz2, encoder.finish().unwrap()).unwrap();
    paths.push(bz2);

    // A zip whose first member is not JSON: the JSON member must still be found.
    let zip = dir.join(format!("{stem}.zip"));
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&zip).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    writer.start_file("README.txt", options).unwrap();
    writer.write_all(b"not the data").unwrap();
    writer.start_file(format!("{stem}.json"), options).unwrap();
    writer.write_all(bytes).unwrap();
    writer.finish().unwrap();
    paths.push(zip);

    // No extension at all: recognised by content, not by name.
    let bare = dir.join(format!("{stem}-no-extension"));
    std::fs::write(&bare, bytes).unwrap();
    paths.push(bare);
    paths
}

/// The shared data directory, `$CARDLM_SHARED`. A relative path is taken from
/// the workspace root, where the README's commands run (cargo runs each test
/// binary from its own crate's directory).
pub fn shared() -> PathBuf {
    let dir = PathBuf::from(
        std::env::var("CARDLM_SHARED").expect("set CARDLM_SHARED to the shared directory"),
    );
    if dir.is_absolute() {
        dir
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(dir)
    }
}

/// The shared AllSets prepared as the shipped model's corpus was (the full
/// encoding, reprints removed, 5% of the names for validation).
pub fn shared_corpus() -> (cardlm_cards::Corpus, cardlm_cards::Stats) {
    cardlm_cards::prepare_corpus(
        &[shared().join("data/AllSets.json.xz")],
        &cardlm_cards::PrepareOptions::default(),
    )
    .unwrap()
}
