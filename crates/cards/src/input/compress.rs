//! Recognising and undoing compression by the file's first bytes, never its name.

use std::cell::Cell;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use super::limits::{Counted, Guarded, InputLimits, RecordMark};
use crate::error::{Error, Result};

/// How an input file is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Xz,
    Bzip2,
    Zip,
}

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const XZ_MAGIC: &[u8] = &[0xfd, b'7', b'z', b'X', b'Z', 0x00];
const BZIP2_MAGIC: &[u8] = b"BZh";
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// An empty zip archive starts with its end-of-central-directory record.
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";

/// Which compression the leading bytes announce.
pub fn detect(head: &[u8]) -> Compression {
    if head.starts_with(GZIP_MAGIC) {
        Compression::Gzip
    } else if head.starts_with(XZ_MAGIC) {
        Compression::Xz
    } else if head.starts_with(BZIP2_MAGIC) {
        Compression::Bzip2
    } else if head.starts_with(ZIP_MAGIC) || head.starts_with(EMPTY_ZIP_MAGIC) {
        Compression::Zip
    } else {
        Compression::None
    }
}

/// Buffer size for the file and for the decompressed stream: large enough that reads
/// cost nothing next to parsing, small next to the corpus (both are resident while a
/// large input is read; 1 MiB each measured no faster on AllSets).
const BUFFER: usize = 256 << 10;

/// Opens `path`, undoes its compression and hands `read` a buffered stream of the
/// content, guarded by `limits`, and the mark to call after each record. For a zip
/// archive the content is its first `.json` member (or its first member when none is
/// named `.json`). Returns the compression found and `read`'s result.
pub fn with_decompressed<T>(
    path: &Path,
    limits: &InputLimits,
    read: impl FnOnce(&mut dyn BufRead, &RecordMark) -> Result<T>,
) -> Result<(Compression, T)> {
    let file = File::open(path).map_err(|e| Error::io(path, &e))?;
    decompress_source(path, file, BUFFER, limits, read)
}

/// [`with_decompressed`] on content already in memory (the fuzzers, tests); `name`
/// stands for the file in messages. Buffers are sized to the input, so a small input
/// costs little to set up.
pub fn with_decompressed_bytes<T>(
    name: &Path,
    bytes: &[u8],
    limits: &InputLimits,
    read: impl FnOnce(&mut dyn BufRead, &RecordMark) -> Result<T>,
) -> Result<(Compression, T)> {
    let buffer = bytes.len().clamp(4096, BUFFER);
    decompress_source(name, std::io::Cursor::new(bytes), buffer, limits, read)
}

fn decompress_source<S: Read + std::io::Seek, T>(
    path: &Path,
    source: S,
    buffer: usize,
    limits: &InputLimits,
    read: impl FnOnce(&mut dyn BufRead, &RecordMark) -> Result<T>,
) -> Result<(Compression, T)> {
    let (counted, compressed_bytes) = Counted::new(source);
    let mut file = BufReader::with_capacity(buffer, counted);
    let head = file.fill_buf().map_err(|e| Error::io(path, &e))?;
    let compression = detect(head);
    let run = |decoded: &mut dyn Read, compressed: Option<Rc<Cell<u64>>>| {
        let guarded = Guarded::new(decoded, *limits, compressed);
        let mark = guarded.record_mark();
        read(&mut BufReader::with_capacity(buffer, guarded), &mark)
    };
    let value = match compression {
        Compression::None => run(&mut file, None)?,
        Compression::Gzip => {
            // MultiGzDecoder: `cat a.gz b.gz` is a valid gzip file of both contents.
            let mut decoder = flate2::bufread::MultiGzDecoder::new(file);
            run(&mut decoder, Some(compressed_bytes))?
        }
        Compression::Xz => {
            let mut decoder = xz2::bufread::XzDecoder::new_multi_decoder(file);
            run(&mut decoder, Some(compressed_bytes))?
        }
        Compression::Bzip2 => {
            let mut decoder = bzip2::bufread::MultiBzDecoder::new(file);
            run(&mut decoder, Some(compressed_bytes))?
        }
        Compression::Zip => {
            let mut archive = zip::ZipArchive::new(file.into_inner()).map_err(|e| {
                Error::new(
                    path,
                    format!("not a readable zip archive (truncated?): {e}"),
                )
            })?;
            let index = first_json_member(&archive)
                .ok_or_else(|| Error::new(path, "the zip archive has no members"))?;
            let mut member = archive
                .by_index(index)
                .map_err(|e| Error::new(path, format!("cannot read zip member {index}: {e}")))?;
            // The member's own compressed size: the ratio is the member's, whatever
            // the archive's central directory claims about its uncompressed size.
            let compressed = Rc::new(Cell::new(member.compressed_size()));
            run(&mut member, Some(compressed))?
        }
    };
    Ok((compression, value))
}

/// Index of the first member whose name ends in `.json`, else of the first file.
fn first_json_member<R: Read + std::io::Seek>(archive: &zip::ZipArchive<R>) -> Option<usize> {
    let files: Vec<(usize, String)> = (0..archive.len())
        .filter_map(|i| {
            let name = archive.name_for_index(i)?.ok()?;
            Some((i, name.into_owned()))
        })
        .filter(|(_, name)| !name.ends_with('/'))
        .collect();
    files
        .iter()
        .find(|(_, name)| name.to_ascii_lowercase().ends_with(".json"))
        .or(files.first())
        .map(|(i, _)| *i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_magic() {
        assert_eq!(detect(b"\x1f\x8b\x08"), Compression::Gzip);
        assert_eq!(detect(b"\xfd7zXZ\x00\x00"), Compression::Xz);
        assert_eq!(detect(b"BZh91AY"), Compression::Bzip2);
        assert_eq!(detect(b"PK\x03\x04"), Compression::Zip);
        assert_eq!(detect(b"{\"data\""), Compression::None);
        assert_eq!(detect(b""), Compression::None);
    }
}
