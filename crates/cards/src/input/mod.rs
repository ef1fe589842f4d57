//! Reading card data, whatever the file: recognised by content, never by name.
//!
//! The first bytes say the compression (gzip, xz, bzip2, zip); the first character of
//! the content says the format: `{` an MTGJSON file, `[` a Scryfall bulk array,
//! anything else plain text with one record per line.

pub mod compress;
mod lenient;
pub mod limits;
pub mod mtgjson;
pub mod scryfall;
pub mod text;

use std::io::BufRead;
use std::path::Path;

use serde::Serialize;

pub use compress::Compression;
pub use limits::InputLimits;

use crate::error::{Error, Result};
use crate::source::SourceCard;

/// What an input file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputFormat {
    /// MTGJSON v3 `AllSets.json`: set code → set.
    MtgjsonV3AllSets,
    /// MTGJSON v3 single set file: a set object with `cards`.
    MtgjsonV3SetFile,
    /// MTGJSON v4/v5 `AllPrintings.json`: `meta` + `data` of set code → set.
    MtgjsonAllPrintings,
    /// MTGJSON v4/v5 single set file: `meta` + `data` holding one set.
    MtgjsonSetFile,
    /// MTGJSON v5 `AtomicCards.json`: `data` of card name → faces.
    MtgjsonAtomicCards,
    /// Scryfall bulk data: an array of card objects.
    ScryfallBulk,
    /// One record per line.
    PlainText,
}

/// One record read from an input: a card to filter and encode, or a text line that
/// is already a corpus record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    // Boxed: a card is much larger than a line, and records travel by value.
    Card(Box<SourceCard>),
    Line(String),
}

/// What was read from one input file.
#[derive(Debug, Clone, Serialize)]
pub struct InputSummary {
    pub path: String,
    pub format: InputFormat,
    pub compression: Compression,
    /// Cards (or faces, or text lines) read, before any filter.
    pub records: usize,
}

/// Phrases an I/O error from a decompressor for a user.
pub(crate) fn describe_io_error(err: &std::io::Error) -> String {
    if let Some(limit) = limits::LimitExceeded::find(err) {
        return limit.to_owned();
    }
    match err.kind() {
        std::io::ErrorKind::UnexpectedEof => {
            "truncated archive: the compressed data ends too early".to_owned()
        }
        _ => format!("cannot read or decompress: {err}"),
    }
}

/// Phrases a JSON error for a user: truncated, not JSON at all, or not the shape expected.
fn describe_json_error(err: &serde_json::Error) -> String {
    use serde_json::error::Category;
    if let Some(limit) = limits::LimitExceeded::find(err) {
        return limit.to_owned();
    }
    match err.classify() {
        Category::Io if err.io_error_kind() == Some(std::io::ErrorKind::UnexpectedEof) => {
            "truncated archive: the compressed data ends too early".to_owned()
        }
        Category::Io => format!("cannot read or decompress: {err}"),
        Category::Eof => format!("truncated JSON: the data ends too early ({err})"),
        Category::Syntax => format!("not JSON: {err}"),
        Category::Data => format!("JSON of an unexpected shape: {err}"),
    }
}

const KNOWN_SHAPES: &str = "expected MTGJSON AllSets, AllPrintings, AtomicCards or a set file, \
                            or a Scryfall bulk array of cards";

/// Reads one input file under the default [`InputLimits`], handing each record to
/// `sink` in file order.
pub fn read_input(path: &Path, sink: &mut dyn FnMut(Record)) -> Result<InputSummary> {
    read_input_limited(path, &InputLimits::default(), sink)
}

/// Reads one input file, handing each record to `sink` in file order; stops with an
/// error naming the limit when the content passes one of `limits`.
pub fn read_input_limited(
    path: &Path,
    limits: &InputLimits,
    sink: &mut dyn FnMut(Record),
) -> Result<InputSummary> {
    let mut records = 0usize;
    let (compression, format) = compress::with_decompressed(path, limits, |reader, mark| {
        let mut count_and_sink = |record: Record| {
            records += 1;
            mark.record_done();
            sink(record);
        };
        read_content(reader, limits.max_line, &mut count_and_sink)
            .map_err(|message| Error::new(path, message))
    })?;
    Ok(InputSummary {
        path: path.display().to_string(),
        format,
        compression,
        records,
    })
}

/// [`read_input_limited`] on content already in memory; `name` stands for the file in
/// messages. The fuzzers read through this, so they test the same code as a file.
pub fn read_bytes_limited(
    name: &Path,
    bytes: &[u8],
    limits: &InputLimits,
    sink: &mut dyn FnMut(Record),
) -> Result<InputSummary> {
    let mut records = 0usize;
    let (compression, format) =
        compress::with_decompressed_bytes(name, bytes, limits, |reader, mark| {
            let mut count_and_sink = |record: Record| {
                records += 1;
                mark.record_done();
                sink(record);
            };
            read_content(reader, limits.max_line, &mut count_and_sink)
                .map_err(|message| Error::new(name, message))
        })?;
    Ok(InputSummary {
        path: name.display().to_string(),
        format,
        compression,
        records,
    })
}

/// Reads decompressed content; errors are messages without the file name.
fn read_content(
    reader: &mut dyn BufRead,
    max_line: usize,
    sink: &mut dyn FnMut(Record),
) -> std::result::Result<InputFormat, String> {
    skip_byte_order_mark_and_space(reader).map_err(|e| describe_io_error(&e))?;
    let first = reader
        .fill_buf()
        .map_err(|e| describe_io_error(&e))?
        .first()
        .copied();
    match first {
        None => Err("empty file".to_owned()),
        Some(b'{') => {
            let mut deserializer = serde_json::Deserializer::from_reader(&mut *reader);
            let format = mtgjson::read_object(&mut deserializer, &mut |card| {
                sink(Record::Card(Box::new(card)))
            })
            .map_err(|e| describe_json_error(&e))?;
            deserializer.end().map_err(|e| describe_json_error(&e))?;
            format.ok_or_else(|| format!("JSON of an unknown shape: {KNOWN_SHAPES}"))
        }
        Some(b'[') => {
            let mut deserializer = serde_json::Deserializer::from_reader(&mut *reader);
            let named = scryfall::read_array(&mut deserializer, &mut |card| {
                sink(Record::Card(Box::new(card)))
            })
            .map_err(|e| describe_json_error(&e))?;
            deserializer.end().map_err(|e| describe_json_error(&e))?;
            if named == 0 {
                return Err(format!(
                    "JSON of an unknown shape: an array with no cards; {KNOWN_SHAPES}"
                ));
            }
            Ok(InputFormat::ScryfallBulk)
        }
        Some(_) => {
            text::read_lines(reader, max_line, &mut |line| sink(Record::Line(line)))?;
            Ok(InputFormat::PlainText)
        }
    }
}

/// Skips a UTF-8 byte order mark and leading whitespace, so that the first byte left
/// says what the content is.
fn skip_byte_order_mark_and_space(reader: &mut dyn BufRead) -> std::io::Result<()> {
    let buf = reader.fill_buf()?;
    if buf.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    }
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        let spaces = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let whole_buffer = spaces == buf.len();
        reader.consume(spaces);
        if !whole_buffer {
            return Ok(());
        }
    }
}
