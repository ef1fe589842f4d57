//! Structured random fuzzing of every reader cardlm has (issue 14, item 6).
//!
//! Coverage-guided fuzzing needs a nightly toolchain (cargo-fuzz) or AFL++'s
//! instrumentation, neither available here; this is the stable-toolchain fallback:
//! mutations of real seed inputs (the test fixtures) — bit flips, byte and range
//! edits, splices between seeds, "interesting" integers (0, -1, 2^31, 2^63, huge
//! decimal numbers written over digits), truncation — fed to the readers in
//! process. A panic is caught, reported and its input saved; an abort (a failed
//! allocation) ends the process, which is why runs go under `prlimit --as`.
//!
//! ```text
//! cargo run --release --example fuzz_readers -- TARGET [--seconds S] [--inputs N] [--seed K]
//! ```
//! Targets: json, text, npy, pickle, hdf5, safetensors, config, decode (or `all`).
//! Prints one JSON line per target: inputs tried, seconds, panics, peak memory.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cardlm_cards::input::{read_input_limited, InputLimits};
use cardlm_lm::params::ParamLayout;
use cardlm_lm::ModelConfig;

const TARGETS: [&str; 8] = [
    "json",
    "text",
    "npy",
    "pickle",
    "hdf5",
    "safetensors",
    "config",
    "decode",
];

/// xorshift64*: enough randomness for mutations, reproducible from `--seed`.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const INTERESTING: [u64; 10] = [
    0,
    1,
    0x7f,
    0xff,
    0x7fff_ffff,
    0xffff_ffff,
    0x8000_0000_0000_0000,
    u64::MAX,
    1 << 40,
    4_611_686_018_427_387_904,
];

fn mutate(input: &[u8], seeds: &[Vec<u8>], rng: &mut Rng) -> Vec<u8> {
    let mut data = input.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let len = data.len();
        match rng.below(10) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = rng.next() as u8;
            }
            2 => {
                let i = rng.below(len + 1);
                let n = 1 + rng.below(16);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                data.splice(i..i, bytes);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(64));
                data.drain(i..i + n);
            }
            4 if len > 0 => {
                // Duplicate a range (repeated structures, nesting).
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(256));
                let copy = data[i..i + n].to_vec();
                let at = rng.below(len + 1);
                data.splice(at..at, copy);
            }
            5 if len > 0 => data.truncate(rng.below(len)),
            6 if len >= 8 => {
                // An interesting integer over 1, 2, 4 or 8 bytes, little-endian.
                let value = INTERESTING[rng.below(INTERESTING.len())].to_le_bytes();
                let width = [1, 2, 4, 8][rng.below(4)];
                let i = rng.below(len - width + 1);
                data[i..i + width].copy_from_slice(&value[..width]);
            }
            7 => {
                // A run of digits replaced by a huge number (shapes, sizes, counts).
                if let Some(start) = (0..len)
                    .map(|k| (rng.below(len) + k) % len)
                    .take(64)
                    .find(|&k| data[k].is_ascii_digit())
                {
                    let end = (start..len)
                        .find(|&k| !data[k].is_ascii_digit())
                        .unwrap_or(len);
                    let big = [
                        "4611686018427387904",
                        "18446744073709551615",
                        "0",
                        "-1",
                        "1e308",
                    ][rng.below(5)];
                    data.splice(start..end, big.bytes());
                }
            }
            8 if !seeds.is_empty() => {
                // Splice: the head of this input, the tail of another seed.
                let other = &seeds[rng.below(seeds.len())];
                let cut = rng.below(len + 1);
                let from = rng.below(other.len() + 1);
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
            _ => {
                // A control character or a marker of the encoding.
                let odd = [
                    "\0",
                    "\u{7}",
                    "\u{1b}[2J",
                    "\n",
                    "Ⓔ",
                    "Ⓢ",
                    "⒞",
                    "⒜",
                    "\u{feff}",
                ];
                let i = rng.below(len + 1);
                data.splice(i..i, odd[rng.below(odd.len())].bytes());
            }
        }
    }
    data
}

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

/// The seed inputs of a target: the repository's own fixtures.
fn seeds(target: &str, root: &Path, tmp: &Path) -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    let cards = root.join("crates/cards/tests/fixtures");
    match target {
        "json" => read_dir_files(&cards, ".json", &mut seeds),
        "text" => {
            read_dir_files(&cards, ".txt", &mut seeds);
        }
        "npy" => read_dir_files(&cards.join("npy"), ".npy", &mut seeds),
        "pickle" => {
            // The pickles inside the seed's object arrays (after the .npy header).
            let mut npys = Vec::new();
            read_dir_files(&cards.join("npy"), ".npy", &mut npys);
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
        "safetensors" => seeds.push(tiny_safetensors(tmp)),
        "config" => {
            read_dir_files(&root.join("models/default"), "config.json", &mut seeds);
        }
        "decode" => {
            let expected = cards.join("expected_seed_lines.txt");
            if let Ok(text) = std::fs::read_to_string(expected) {
                seeds.extend(text.lines().map(|l| l.as_bytes().to_vec()));
            }
        }
        _ => {}
    }
    assert!(
        !seeds.is_empty(),
        "no seed inputs for {target} under {}",
        root.display()
    );
    seeds
}

fn tiny_config() -> ModelConfig {
    ModelConfig {
        hidden: 4,
        layers: 1,
        ..ModelConfig::seed(6)
    }
}

fn tiny_safetensors(tmp: &Path) -> Vec<u8> {
    let model = cardlm_lm::Model::<f32>::new(tiny_config(), 1);
    let path = tmp.join("seed.safetensors");
    cardlm_lm::run::save_model(
        tmp,
        "seed.safetensors",
        &model,
        cardlm_lm::checkpoint::Precision::F32,
    )
    .expect("writes");
    std::fs::read(path).expect("reads")
}

/// Runs one input through a target's reader. Errors are fine; only panics and aborts
/// are failures.
fn run_one(target: &str, data: &[u8], tmp: &Path) {
    let limits = InputLimits {
        max_decompressed: 64 << 20,
        max_record: 16 << 20,
        ..InputLimits::default()
    };
    match target {
        "json" | "text" => {
            let path = tmp.join("input");
            std::fs::write(&path, data).expect("temp file");
            let mut records = 0usize;
            let _ = read_input_limited(&path, &limits, &mut |_| records += 1);
        }
        "npy" => {
            if let Ok(array) = cardlm_cards::npy::parse_npy(data) {
                let _ = cardlm_cards::npy::unicode_strings(&array);
                let _ = cardlm_cards::npy::unpickle(&array.data);
            }
        }
        "pickle" => {
            let _ = cardlm_cards::npy::unpickle(data);
        }
        "hdf5" => {
            let path = tmp.join("weights.h5");
            std::fs::write(&path, data).expect("temp file");
            let _ = cardlm_lm::keras::import_weights(&path, None);
        }
        "safetensors" => {
            let layout = ParamLayout::new(&tiny_config());
            let _ = cardlm_lm::checkpoint::load_block_from_bytes(data, &layout, "");
        }
        "config" => {
            let dir = tmp.join("run");
            std::fs::create_dir_all(&dir).expect("temp dir");
            std::fs::write(dir.join("config.json"), data).expect("temp file");
            if let Ok(config) = cardlm_lm::run::RunConfig::load(&dir) {
                // What loading a run sizes from the config next.
                let _ = ParamLayout::new(&config.model);
            }
        }
        "decode" => {
            let text = String::from_utf8_lossy(data);
            let card = cardlm_cards::decode(&text);
            let _ = cardlm_cards::render_text(&card);
        }
        other => panic!("unknown target {other}"),
    }
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn fuzz(target: &str, seconds: f64, max_inputs: u64, seed: u64, root: &Path) -> bool {
    let tmp = std::env::temp_dir().join(format!("cardlm-fuzz-{target}-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    let seeds = seeds(target, root, &tmp);
    let mut pool = seeds.clone();
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let mut inputs = 0u64;
    let mut panics = 0u64;
    let crashes = root.join("target/fuzz-crashes");
    while inputs < max_inputs && Instant::now() < deadline {
        let base = pool[rng.below(pool.len())].clone();
        let data = mutate(&base, &seeds, &mut rng);
        let result = panic::catch_unwind(AssertUnwindSafe(|| run_one(target, &data, &tmp)));
        inputs += 1;
        if let Err(payload) = result {
            panics += 1;
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            std::fs::create_dir_all(&crashes).ok();
            let path = crashes.join(format!("{target}-{inputs}.bin"));
            std::fs::write(&path, &data).ok();
            eprintln!(
                "PANIC {target} input {inputs}: {message} (saved {})",
                path.display()
            );
        }
        // Keep some mutants for deeper mutation chains; the pool stays small.
        if rng.below(8) == 0 && data.len() < 1 << 20 {
            if pool.len() < 256 {
                pool.push(data);
            } else {
                let i = seeds.len() + rng.below(pool.len() - seeds.len());
                pool[i] = data;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    println!(
        "{{\"target\": \"{target}\", \"inputs\": {inputs}, \"seconds\": {:.1}, \"panics\": {panics}, \"seeds\": {}, \"peak_rss_mb\": {:.0}}}",
        started.elapsed().as_secs_f64(),
        seeds.len(),
        peak_rss_kb() as f64 / 1024.0
    );
    panics == 0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: fuzz_readers TARGET|all [--seconds S] [--inputs N] [--seed K]";
    let Some(target) = args.first().cloned() else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let option = |name: &str| -> Option<String> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let seconds: f64 = option("--seconds")
        .and_then(|v| v.parse().ok())
        .unwrap_or(10.0);
    let inputs: u64 = option("--inputs")
        .and_then(|v| v.parse().ok())
        .unwrap_or(u64::MAX);
    let seed: u64 = option("--seed").and_then(|v| v.parse().ok()).unwrap_or(1);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let targets: Vec<&str> = if target == "all" {
        TARGETS.to_vec()
    } else if TARGETS.contains(&target.as_str()) {
        vec![target.as_str()]
    } else {
        eprintln!("unknown target {target}; {usage}");
        std::process::exit(2);
    };
    // Panics are reported once each, by the loop, not by the default hook.
    panic::set_hook(Box::new(|_| {}));
    let mut clean = true;
    for t in targets {
        clean &= fuzz(t, seconds, inputs, seed, &root);
    }
    std::process::exit(if clean { 0 } else { 1 });
}
