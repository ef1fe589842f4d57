//! The fuzz targets: one per reader, each with its seed inputs (the repository's own
//! fixtures plus `crates/fuzz/corpus/TARGET/`) and a function that runs one input
//! through the reader in memory and names the outcome.

use std::path::{Path, PathBuf};

use cardlm_cards::input::{read_bytes_limited, InputLimits};
use cardlm_lm::params::ParamLayout;
use cardlm_lm::ModelConfig;

pub const TARGETS: [&str; 8] = [
    "json",
    "text",
    "npy",
    "pickle",
    "hdf5",
    "safetensors",
    "config",
    "decode",
];

fn read_dir_files(dir: &Path, suffix: &str, out: &mut Vec<Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            read_dir_files(&path, suffix, out);
        } else if path.to_string_lossy().ends_with(suffix) {
            if let Ok(bytes) = std::fs::read(&path) {
                out.push(bytes);
            }
        }
    }
}

/// The fixtures a target starts from (the saved corpus is read by the caller).
pub fn fixture_seeds(target: &str, root: &Path) -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    let cards = root.join("crates/cards/tests/fixtures");
    match target {
        "json" => read_dir_files(&cards, ".json", &mut seeds),
        "text" => read_dir_files(&cards, ".txt", &mut seeds),
        "npy" => read_dir_files(&cards.join("npy"), ".npy", &mut seeds),
        "pickle" => {
            // The pickles inside the seed's object arrays (after the .npy header).
            let mut npys = Vec::new();
            read_dir_files(&cards.join("npy"), ".npy", &mut npys);
            read_dir_files(
                &root.join("crates/lm/tests/fixtures/keras"),
                ".npy",
                &mut npys,
            );
            for npy in npys {
                if let Ok(array) = cardlm_cards::npy::parse_npy(&npy) {
                    if array.descr == "|O" {
                        seeds.push(array.data);
                    }
                }
            }
        }
        "hdf5" => read_dir_files(
            &root.join("crates/lm/tests/fixtures/keras"),
            ".h5",
            &mut seeds,
        ),
        "safetensors" => seeds.push(tiny_safetensors()),
        "config" => read_dir_files(&root.join("models/default"), "config.json", &mut seeds),
        "decode" => {
            if let Ok(text) = std::fs::read_to_string(cards.join("expected_seed_lines.txt")) {
                seeds.extend(text.lines().map(|l| l.as_bytes().to_vec()));
            }
        }
        _ => {}
    }
    seeds
}

fn tiny_config() -> ModelConfig {
    ModelConfig {
        hidden: 4,
        layers: 1,
        ..ModelConfig::seed(6)
    }
}

/// A tiny model's safetensors file, made through the code that writes real ones.
fn tiny_safetensors() -> Vec<u8> {
    let model = cardlm_lm::Model::<f32>::new(tiny_config(), 1);
    let dir = std::env::temp_dir().join(format!("cardlm-fuzz-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    cardlm_lm::run::save_model(
        &dir,
        "seed.safetensors",
        &model,
        cardlm_lm::checkpoint::Precision::F32,
    )
    .expect("writes");
    let bytes = std::fs::read(dir.join("seed.safetensors")).expect("reads");
    let _ = std::fs::remove_dir_all(&dir);
    bytes
}

/// What an input led to, digits and quoted parts left out so that sizes, offsets and
/// the bytes of the input do not make every error new: the fuzzer's signal when it is
/// built without coverage counters.
fn outcome<T, E: std::fmt::Display>(result: &Result<T, E>, ok: impl Fn(&T) -> String) -> String {
    match result {
        Ok(value) => format!("ok {}", ok(value)),
        // The message up to the first quoted part: its kind, not the bytes quoted.
        Err(e) => e
            .to_string()
            .chars()
            .take_while(|c| !matches!(c, '`' | '"' | '\'' | '('))
            .filter(|c| !c.is_ascii_digit())
            .take(80)
            .collect(),
    }
}

/// Runs one input through a target's reader, in memory, under small limits (so that
/// the limits themselves are reached). Errors are fine; only panics and aborts are
/// failures. Returns the outcome.
pub fn run_one(target: &str, data: &[u8]) -> String {
    let limits = InputLimits {
        max_decompressed: 64 << 20,
        max_record: 16 << 20,
        max_line: 64 << 10,
        ..InputLimits::default()
    };
    match target {
        "json" | "text" => {
            let mut records = 0usize;
            let result =
                read_bytes_limited(Path::new("input"), data, &limits, &mut |_| records += 1);
            outcome(&result, |s| {
                format!("{:?} {:?} {}", s.format, s.compression, records.min(3))
            })
        }
        "npy" => {
            let array = cardlm_cards::npy::parse_npy(data);
            let mut o = outcome(&array, |a| a.descr.clone());
            if let Ok(array) = array {
                o += &outcome(&cardlm_cards::npy::unicode_strings(&array), |v| {
                    v.len().min(3).to_string()
                });
                o += &outcome(&cardlm_cards::npy::unpickle(&array.data), |_| String::new());
            }
            o
        }
        "pickle" => outcome(&cardlm_cards::npy::unpickle(data), |_| String::new()),
        "hdf5" => {
            let result = cardlm_lm::keras::read_weight_file(data.to_vec())
                .and_then(|file| cardlm_lm::keras::import_weight_file(&file, None, "weights.h5"));
            outcome(&result, |_| String::new())
        }
        "safetensors" => {
            let layout = ParamLayout::new(&tiny_config());
            let result = cardlm_lm::checkpoint::load_block_from_bytes(data, &layout, "");
            outcome(&result, |_| String::new())
        }
        "config" => {
            let text = String::from_utf8_lossy(data);
            let result = cardlm_lm::run::RunConfig::from_json(&text, Path::new("config.json"));
            // What loading a run sizes from the config next.
            if let Ok(config) = &result {
                let _ = ParamLayout::new(&config.model);
            }
            outcome(&result, |c| c.model.layers.to_string())
        }
        "decode" => {
            let text = String::from_utf8_lossy(data);
            let card = cardlm_cards::decode(&text);
            let rendered = cardlm_cards::render_text(&card);
            format!("{}", rendered.lines().count().min(8))
        }
        other => panic!("unknown target {other}"),
    }
}
