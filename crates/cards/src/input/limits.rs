//! Limits on what reading one input may cost: bytes after decompression (absolute and
//! as a ratio to the compressed bytes), bytes of one record and of one text line.
//!
//! The readers stream, so memory follows the largest record rather than the file;
//! these limits bound that record and stop a decompression bomb or an endless stream
//! (`/dev/zero`, a fifo) early with a message naming the limit and the option that
//! raises it, instead of letting the kernel kill the process.

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

/// The limits for reading one input. Sizes are bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputLimits {
    /// Most bytes of content after decompression (`--max-decompressed`).
    pub max_decompressed: u64,
    /// Most decompressed bytes per compressed byte (`--max-ratio`), checked once the
    /// content passes [`RATIO_GRACE`] (small files compress unevenly).
    pub max_ratio: u64,
    /// Most bytes between two records of a JSON input (`--max-record`): one card,
    /// or one set of MTGJSON, which is parsed whole before its cards are handed on.
    pub max_record: u64,
    /// Most bytes of one line of a text input (`--max-line`).
    pub max_line: usize,
}

/// Decompressed bytes before the ratio is checked.
pub const RATIO_GRACE: u64 = 16 << 20;

impl Default for InputLimits {
    fn default() -> Self {
        // Generous for real data: MTGJSON AllPrintings is ~0.5 GB, Scryfall's all_cards
        // ~2.5 GB; xz compresses JSON about 8x (AllSets.json.xz), gzip less; the
        // largest MTGJSON set is a few MB of JSON; a card line is under 1 KB.
        InputLimits {
            max_decompressed: 16 << 30,
            max_ratio: 100,
            max_record: 256 << 20,
            max_line: 1 << 20,
        }
    }
}

/// A limit was passed; the message names the limit and the option that raises it.
#[derive(Debug)]
pub struct LimitExceeded(pub String);

impl std::fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LimitExceeded {}

impl LimitExceeded {
    pub fn io(message: String) -> io::Error {
        io::Error::other(LimitExceeded(message))
    }

    /// The limit message inside an I/O error (or a JSON error wrapping one), if any.
    pub fn find<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a str> {
        let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
        while let Some(e) = current {
            if let Some(limit) = e.downcast_ref::<LimitExceeded>() {
                return Some(&limit.0);
            }
            if let Some(io) = e.downcast_ref::<io::Error>() {
                if let Some(inner) = io.get_ref() {
                    if let Some(limit) = inner.downcast_ref::<LimitExceeded>() {
                        return Some(&limit.0);
                    }
                }
            }
            current = e.source();
        }
        None
    }
}

/// Human size: `16 GiB`, `256 MiB`, `1 MiB`, `1000 bytes`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [(&str, u32); 3] = [("GiB", 30), ("MiB", 20), ("KiB", 10)];
    for (unit, shift) in UNITS {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{} {unit}", bytes >> shift);
        }
    }
    format!("{bytes} bytes")
}

/// Parses a size option: a number of bytes with an optional `K`, `M`, `G` or `T`
/// suffix (powers of 1024; `KiB`, `MB` etc. are read the same).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (digits, unit) = trimmed.split_at(split);
    let number: u64 = digits
        .parse()
        .map_err(|_| format!("{text:?} is not a size (e.g. 512M, 16G)"))?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        "T" | "TB" | "TIB" => 40,
        _ => return Err(format!("{text:?}: unknown unit (use K, M, G or T)")),
    };
    number
        .checked_mul(1u64 << shift)
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("{text:?} is not a size between 1 byte and 16 EiB"))
}

/// Counts the bytes read through it into a shared cell (the compressed side).
pub struct Counted<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R> Counted<R> {
    pub fn new(inner: R) -> (Self, Rc<Cell<u64>>) {
        let count = Rc::new(Cell::new(0));
        (
            Counted {
                inner,
                count: Rc::clone(&count),
            },
            count,
        )
    }
}

impl<R: std::io::Seek> std::io::Seek for Counted<R> {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Where one input's record-size counter is reset: the reader hands one to the
/// parser's caller, which calls [`RecordMark::record_done`] after each record.
#[derive(Clone, Default)]
pub struct RecordMark(Rc<Cell<u64>>);

impl RecordMark {
    /// The current record is complete: the next one starts from zero bytes.
    pub fn record_done(&self) {
        self.0.set(0);
    }
}

/// The decompressed content, checked against the limits as it is read.
pub struct Guarded<R> {
    inner: R,
    limits: InputLimits,
    /// Compressed bytes read so far, or `None` for an uncompressed file.
    compressed: Option<Rc<Cell<u64>>>,
    total: u64,
    since_record: RecordMark,
}

impl<R> Guarded<R> {
    pub fn new(inner: R, limits: InputLimits, compressed: Option<Rc<Cell<u64>>>) -> Self {
        Guarded {
            inner,
            limits,
            compressed,
            total: 0,
            since_record: RecordMark::default(),
        }
    }

    pub fn record_mark(&self) -> RecordMark {
        self.since_record.clone()
    }
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.total += n as u64;
        let counter = &self.since_record.0;
        counter.set(counter.get() + n as u64);
        let limits = &self.limits;
        if self.total > limits.max_decompressed {
            return Err(LimitExceeded::io(format!(
                "more than {} of content (--max-decompressed raises the limit)",
                human_size(limits.max_decompressed)
            )));
        }
        if let Some(compressed) = &self.compressed {
            let compressed = compressed.get().max(1);
            if self.total > RATIO_GRACE && self.total / compressed > limits.max_ratio {
                return Err(LimitExceeded::io(format!(
                    "decompresses more than {}x ({} from {} so far): a decompression bomb? \
                     (--max-ratio raises the limit)",
                    limits.max_ratio, self.total, compressed
                )));
            }
        }
        if counter.get() > limits.max_record {
            return Err(LimitExceeded::io(format!(
                "a record (one card, or one MTGJSON set) larger than {} \
                 (--max-record raises the limit)",
                human_size(limits.max_record)
            )));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_units_and_refuse_overflow() {
        assert_eq!(parse_size("512").unwrap(), 512);
        assert_eq!(parse_size("4K").unwrap(), 4096);
        assert_eq!(parse_size("16G").unwrap(), 16 << 30);
        assert_eq!(parse_size("2 MiB").unwrap(), 2 << 20);
        assert!(parse_size("0").is_err());
        assert!(parse_size("99999999999T").unwrap_err().contains("between"));
        assert!(parse_size("3X").unwrap_err().contains("unit"));
        assert!(parse_size("lots").is_err());
        assert_eq!(human_size(16 << 30), "16 GiB");
        assert_eq!(human_size(1000), "1000 bytes");
    }

    #[test]
    fn the_guard_stops_at_each_limit() {
        let limits = InputLimits {
            max_decompressed: 1000,
            max_ratio: 100,
            max_record: 600,
            max_line: 10,
        };
        let mut endless = Guarded::new(io::repeat(b'x').take(5000), limits, None);
        let mark = endless.record_mark();
        let mut buf = [0u8; 300];
        endless.read_exact(&mut buf).unwrap();
        mark.record_done();
        endless.read_exact(&mut buf).unwrap();
        endless.read_exact(&mut buf).unwrap();
        mark.record_done();
        let err = endless.read_exact(&mut buf).unwrap_err();
        assert!(
            LimitExceeded::find(&err)
                .unwrap()
                .contains("--max-decompressed"),
            "{err}"
        );

        let one_record = InputLimits {
            max_decompressed: u64::MAX,
            ..limits
        };
        let mut no_reset = Guarded::new(io::repeat(b'x').take(5000), one_record, None);
        let err = io::copy(&mut no_reset, &mut io::sink()).unwrap_err();
        assert!(LimitExceeded::find(&err).unwrap().contains("--max-record"));

        let limits = InputLimits {
            max_decompressed: u64::MAX,
            max_record: u64::MAX,
            ..limits
        };
        let compressed = Rc::new(Cell::new(1000));
        let mut bomb = Guarded::new(io::repeat(0).take(1 << 30), limits, Some(compressed));
        let err = io::copy(&mut bomb, &mut io::sink()).unwrap_err();
        assert!(LimitExceeded::find(&err).unwrap().contains("--max-ratio"));
    }
}
