//! The fuzzer's binary on every reader, briefly: no reader panics on a few
//! hundred mutated inputs. (Also makes `cargo test` build `fuzz_readers`
//! with the test build's features, so `.ci/run`'s longer smoke run needs no
//! build of its own.)

use std::process::Command;

#[test]
fn every_reader_survives_a_few_hundred_mutated_inputs() {
    let out = Command::new(env!("CARGO_BIN_EXE_fuzz_readers"))
        .args(["all", "--inputs", "200", "--seed", "1"])
        .output()
        .expect("fuzz_readers runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with('{')).collect();
    assert_eq!(lines.len(), 8, "one line per reader: {stdout}");
    for line in lines {
        assert!(line.contains("\"inputs\": 200,"), "{line}");
        assert!(line.contains("\"panics\": 0,"), "{line}");
    }
}
