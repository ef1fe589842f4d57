//! The coverage signal: LLVM's SanitizerCoverage 8-bit counters, read in process.
//!
//! Built with `-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=3
//! -Cllvm-args=-sanitizer-coverage-inline-8bit-counters` (stable rustc; see
//! `scripts/fuzz.sh`), every instrumented module counts the edges it takes in an array
//! of bytes and hands that array to [`__sanitizer_cov_8bit_counters_init`] before
//! `main`. libFuzzer reads the same arrays; this is the few lines of it that matter:
//! after each input, every counter is bucketed (1, 2, 3, 4-7, 8-15, 16-31, 32-127,
//! 128+ hits, as AFL and libFuzzer do) and an input that sets a bucket never seen
//! before is kept. Built without the flags, nothing registers and [`available`] is
//! false: the fuzzer then keeps inputs by their distinct outcomes instead.

use std::sync::Mutex;

/// The counter arrays registered so far: (start address, length).
static REGIONS: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());

/// Called by each instrumented module's constructor, before `main`.
///
/// # Safety
/// `start..end` must be a counter array that lives for the whole process, as the
/// ones LLVM emits do.
#[no_mangle]
pub unsafe extern "C" fn __sanitizer_cov_8bit_counters_init(start: *mut u8, end: *mut u8) {
    let len = (end as usize).saturating_sub(start as usize);
    if len > 0 {
        if let Ok(mut regions) = REGIONS.lock() {
            regions.push((start as usize, len));
        }
    }
}

/// The counters of the whole program, and which buckets of each were ever seen.
pub struct Coverage {
    regions: Vec<(usize, usize)>,
    /// One bit per bucket per counter, over all regions in order.
    seen: Vec<u8>,
}

/// Whether this binary was built with the counters.
pub fn available() -> bool {
    REGIONS.lock().map(|r| !r.is_empty()).unwrap_or(false)
}

/// Bucket bit of a hit count (0 for none).
fn bucket(count: u8) -> u8 {
    match count {
        0 => 0,
        1 => 1,
        2 => 2,
        3 => 4,
        4..=7 => 8,
        8..=15 => 16,
        16..=31 => 32,
        32..=127 => 64,
        128..=255 => 128,
    }
}

impl Coverage {
    pub fn new() -> Self {
        let regions = REGIONS.lock().map(|r| r.clone()).unwrap_or_default();
        let total = regions.iter().map(|r| r.1).sum();
        Coverage {
            regions,
            seen: vec![0; total],
        }
    }

    /// Counters in the program (0 when built without them).
    pub fn edges(&self) -> usize {
        self.seen.len()
    }

    /// Edges taken at least once so far.
    pub fn covered(&self) -> usize {
        self.seen.iter().filter(|&&b| b != 0).count()
    }

    /// Zeroes every counter: call before running an input.
    pub fn reset(&self) {
        for &(start, len) in &self.regions {
            // SAFETY: a region registered by LLVM's constructor, valid for the process;
            // the fuzzer runs one input at a time on this thread.
            unsafe { std::ptr::write_bytes(start as *mut u8, 0, len) };
        }
    }

    /// Buckets the counters of the input just run and records them; returns how many
    /// (edge, bucket) pairs were new.
    pub fn record(&mut self) -> usize {
        let mut new = 0;
        let mut offset = 0;
        for &(start, len) in &self.regions {
            // SAFETY: as in `reset`; the counters are only read here.
            let counters = unsafe { std::slice::from_raw_parts(start as *const u8, len) };
            let seen = &mut self.seen[offset..offset + len];
            // Most counters are zero: skip them eight at a time.
            let mut i = 0;
            while i < len {
                if i + 8 <= len {
                    let word = u64::from_ne_bytes(counters[i..i + 8].try_into().expect("8"));
                    if word == 0 {
                        i += 8;
                        continue;
                    }
                }
                let bit = bucket(counters[i]);
                if bit != 0 && seen[i] & bit == 0 {
                    seen[i] |= bit;
                    new += 1;
                }
                i += 1;
            }
            offset += len;
        }
        new
    }
}

#[cfg(test)]
mod tests {
    use super::bucket;

    #[test]
    fn buckets_follow_libfuzzer() {
        assert_eq!(bucket(0), 0);
        assert_eq!(bucket(3), 4);
        assert_eq!(bucket(7), 8);
        assert_eq!(bucket(8), 16);
        assert_eq!(bucket(200), 128);
    }
}
