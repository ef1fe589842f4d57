//! Coverage-guided fuzzing of every reader cardlm has (issue 14, item 6).
//!
//! Each input is an input of the pool (the target's fixtures, its saved corpus in
//! `crates/fuzz/corpus/TARGET/`, and every mutant kept so far) with 1-4 mutations,
//! run in process through the reader. A mutant is kept when it takes the program
//! somewhere new: an (edge, hit-count bucket) pair never seen, read from LLVM's
//! SanitizerCoverage counters when the binary is built with them
//! (`scripts/fuzz.sh`), and in any build an outcome (an error message, digits left
//! out) never seen. A panic is caught, reported and its input saved to
//! `target/fuzz-crashes/`; an abort (a failed allocation under `prlimit --as`, a
//! stack overflow) saves the input from a signal handler and ends the run.
//!
//! ```text
//! fuzz_readers TARGET|all [--seconds S] [--inputs N] [--seed K] [--save-corpus]
//! ```
//! Prints one JSON line per target: inputs tried, seconds, panics, pool size, edges
//! covered, peak memory.

mod coverage;
mod crash;
mod mutate;
mod targets;

use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use coverage::Coverage;
use mutate::{mutate, Rng};
use targets::{fixture_seeds, run_one, TARGETS};

/// Mutants larger than this are not kept (they slow every later input down).
const MAX_KEPT_LEN: usize = 64 << 10;
/// Inputs written back by `--save-corpus`, a target: the corpus stays small.
const SAVED_PER_TARGET: usize = 48;

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

/// FNV-1a, to name corpus files by their content.
fn fnv(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

fn read_corpus(dir: &Path) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// Rewrites `dir` with the inputs that brought the most new coverage (smallest first
/// among equals), fixtures left out: they are in the repository already.
fn save_corpus(dir: &Path, kept: &[(Vec<u8>, usize)]) -> std::io::Result<usize> {
    let mut best: Vec<&(Vec<u8>, usize)> = kept.iter().filter(|k| k.0.len() <= 16 << 10).collect();
    best.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.len().cmp(&b.0.len())));
    best.truncate(SAVED_PER_TARGET);
    if dir.exists() {
        for entry in std::fs::read_dir(dir)? {
            std::fs::remove_file(entry?.path())?;
        }
    }
    std::fs::create_dir_all(dir)?;
    for (data, _) in &best {
        std::fs::write(dir.join(format!("{:016x}", fnv(data))), data)?;
    }
    Ok(best.len())
}

struct Options {
    seconds: f64,
    max_inputs: u64,
    seed: u64,
    save_corpus: bool,
}

fn fuzz(target: &str, options: &Options, root: &Path) -> bool {
    // Each target's own coverage: what one reader reached says nothing of another.
    let coverage = &mut Coverage::new();
    let corpus_dir = root.join("crates/fuzz/corpus").join(target);
    let fixtures = fixture_seeds(target, root);
    let corpus = read_corpus(&corpus_dir);
    assert!(
        !fixtures.is_empty(),
        "no seed inputs for {target} under {}",
        root.display()
    );
    let crashes = root.join("target/fuzz-crashes");
    std::fs::create_dir_all(&crashes).expect("crash directory");
    let abort_file = crashes.join(format!("{target}-abort.bin"));
    crash::install(&abort_file);

    let mut rng = Rng(options.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut outcomes: HashSet<String> = HashSet::new();
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(options.seconds);
    let mut inputs = 0u64;
    let mut panics = 0u64;

    // Runs one input; returns its new coverage and outcome count, or None on a panic.
    let run = |data: &[u8], coverage: &mut Coverage, outcomes: &mut HashSet<String>| {
        let _running = crash::running(data);
        coverage.reset();
        let result = panic::catch_unwind(AssertUnwindSafe(|| run_one(target, data)));
        let new_edges = coverage.record();
        // Outcomes are the signal only without counters: with them, every error
        // message with a different word in it would be kept, and the pool would fill
        // with inputs that reach nothing new.
        result.map(|outcome| {
            let new_outcome = outcomes.insert(outcome);
            if coverage.edges() > 0 {
                new_edges
            } else {
                usize::from(new_outcome)
            }
        })
    };

    // The pool: every input with the new coverage it brought (fixtures count too).
    let mut pool: Vec<Vec<u8>> = Vec::new();
    let mut gains: Vec<usize> = Vec::new();
    let fixture_count = fixtures.len();
    for data in fixtures.into_iter().chain(corpus) {
        let gain = run(&data, coverage, &mut outcomes).unwrap_or(0);
        inputs += 1;
        pool.push(data);
        gains.push(gain);
    }

    while inputs < options.max_inputs && Instant::now() < deadline {
        // Recent finds are picked more often: they are where the new paths are.
        let pick = if rng.below(2) == 0 {
            pool.len() - 1 - rng.below(pool.len().min(16))
        } else {
            rng.below(pool.len())
        };
        let data = mutate(&pool[pick], &pool, &mut rng);
        inputs += 1;
        match run(&data, coverage, &mut outcomes) {
            Ok(0) => {}
            Ok(gain) => {
                if data.len() <= MAX_KEPT_LEN {
                    pool.push(data);
                    gains.push(gain);
                }
            }
            Err(payload) => {
                panics += 1;
                let message = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                let path = crashes.join(format!("{target}-{inputs}.bin"));
                std::fs::write(&path, &data).ok();
                eprintln!(
                    "PANIC {target} input {inputs}: {message} (saved {})",
                    path.display()
                );
            }
        }
    }

    let pool_len = pool.len();
    let mut saved = 0;
    if options.save_corpus {
        let kept: Vec<(Vec<u8>, usize)> = pool.into_iter().zip(gains).skip(fixture_count).collect();
        saved = save_corpus(&corpus_dir, &kept).expect("writes the corpus");
    }
    println!(
        "{{\"target\": \"{target}\", \"inputs\": {inputs}, \"seconds\": {:.1}, \"panics\": {panics}, \
         \"pool\": {}, \"outcomes\": {}, \"edges_covered\": {}, \"edges\": {}, \"saved\": {saved}, \"peak_rss_mb\": {:.0}}}",
        started.elapsed().as_secs_f64(),
        pool_len,
        outcomes.len(),
        coverage.covered(),
        coverage.edges(),
        peak_rss_kb() as f64 / 1024.0
    );
    panics == 0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage =
        "usage: fuzz_readers TARGET|all [--seconds S] [--inputs N] [--seed K] [--save-corpus]\n\
                 targets: json, text, npy, pickle, hdf5, safetensors, config, decode";
    let Some(target) = args.first().cloned() else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    if target == "--help" || target == "-h" {
        println!("{usage}");
        return;
    }
    let option = |name: &str| -> Option<String> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let options = Options {
        seconds: option("--seconds")
            .and_then(|v| v.parse().ok())
            .unwrap_or(10.0),
        max_inputs: option("--inputs")
            .and_then(|v| v.parse().ok())
            .unwrap_or(u64::MAX),
        seed: option("--seed").and_then(|v| v.parse().ok()).unwrap_or(1),
        save_corpus: args.iter().any(|a| a == "--save-corpus"),
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let targets: Vec<&str> = if target == "all" {
        TARGETS.to_vec()
    } else if TARGETS.contains(&target.as_str()) {
        vec![target.as_str()]
    } else {
        eprintln!("unknown target {target}; {usage}");
        std::process::exit(2);
    };
    if !coverage::available() {
        eprintln!(
            "note: built without coverage counters (scripts/fuzz.sh builds with them); \
             keeping inputs by their outcomes only"
        );
    }
    // Panics are reported once each, by the loop, not by the default hook.
    panic::set_hook(Box::new(|_| {}));
    let mut clean = true;
    for t in targets {
        clean &= fuzz(t, &options, &root);
    }
    std::process::exit(if clean { 0 } else { 1 });
}
