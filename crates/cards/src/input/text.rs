//! Plain text: one record per line, for corpora that are not Magic cards (or for an
//! already encoded corpus such as the seed's `card_texts.txt`).

use std::io::BufRead;

use crate::markers::{END, START};

/// Turns one line of a text file into a corpus record: lines already framed by
/// `Ⓢ`…`Ⓔ` are kept as they are, others are framed. Blank lines are no records.
pub fn record_from_line(line: &str) -> Option<String> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.trim().is_empty() {
        return None;
    }
    if line.starts_with(START) && line.ends_with(END) && line.chars().count() >= 2 {
        Some(line.to_owned())
    } else {
        Some(format!("{START}{line}{END}"))
    }
}

/// The first control character of `text` other than tab and CR, which mean binary
/// data rather than text.
fn binary_character(text: &[u8]) -> Option<char> {
    // Control characters are all below 0x80 or in U+0080..U+009F (two bytes in UTF-8);
    // scanning the lossy text finds both without failing on a cut multi-byte character.
    String::from_utf8_lossy(text)
        .chars()
        .find(|&c| c.is_control() && c != '\t' && c != '\r')
}

/// Reads one line (without its `\n`) into `buf`, at most `max_line` bytes. Returns
/// `Ok(false)` at the end of the stream. A longer line is an error naming the limit,
/// or the binary character that explains it, found before the limit is reached.
pub fn read_bounded_line(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    max_line: usize,
    line_number: usize,
) -> Result<bool, String> {
    buf.clear();
    loop {
        let chunk = reader
            .fill_buf()
            .map_err(|e| super::describe_io_error(&e))?;
        if chunk.is_empty() {
            return Ok(!buf.is_empty());
        }
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(end) => (end, true),
            None => (chunk.len(), false),
        };
        if buf.len() + take > max_line {
            let room = max_line - buf.len();
            buf.extend_from_slice(&chunk[..room]);
            if let Some(c) = binary_character(buf) {
                return Err(format!(
                    "not a text file: control character {c:?} on line {line_number}"
                ));
            }
            return Err(format!(
                "line {line_number} is longer than {} (--max-line raises the limit)",
                super::limits::human_size(max_line as u64)
            ));
        }
        buf.extend_from_slice(&chunk[..take]);
        reader.consume(if done { take + 1 } else { take });
        if done {
            return Ok(true);
        }
    }
}

/// Reads every record of a text stream; an error is an I/O error, a line longer than
/// `max_line` bytes, or a line that is not UTF-8 text (reported with its line number).
pub fn read_lines(
    reader: &mut dyn BufRead,
    max_line: usize,
    sink: &mut dyn FnMut(String),
) -> Result<usize, String> {
    let mut count = 0;
    let mut buf = Vec::new();
    let mut line_number = 0usize;
    loop {
        line_number += 1;
        if !read_bounded_line(reader, &mut buf, max_line, line_number)? {
            return Ok(count);
        }
        if let Some(c) = binary_character(&buf) {
            return Err(format!(
                "not a text file: control character {c:?} on line {line_number}"
            ));
        }
        let line = std::str::from_utf8(&buf)
            .map_err(|_| format!("not UTF-8 text (line {line_number})"))?;
        if let Some(record) = record_from_line(line) {
            sink(record);
            count += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_plain_lines_and_keeps_encoded_ones() {
        assert_eq!(record_from_line("hello\r").as_deref(), Some("ⓈhelloⒺ"));
        assert_eq!(record_from_line("ⓈaⒺ").as_deref(), Some("ⓈaⒺ"));
        assert_eq!(record_from_line("   "), None);
    }

    #[test]
    fn binary_data_is_not_text() {
        let mut input: &[u8] = b"fine line\n\x00\x01binary\n";
        let err = read_lines(&mut input, 1 << 20, &mut |_| {}).unwrap_err();
        assert!(
            err.contains("control character") && err.contains("line 2"),
            "{err}"
        );
    }

    #[test]
    fn lines_are_bounded_before_they_are_stored() {
        use std::io::{BufReader, Read};
        let mut endless = BufReader::new(std::io::repeat(b'a').take(1 << 30));
        let err = read_lines(&mut endless, 1000, &mut |_| {}).unwrap_err();
        assert!(
            err.contains("line 1 is longer than 1000 bytes") && err.contains("--max-line"),
            "{err}"
        );
        // Zeros say "binary", not "long line".
        let mut zeros = BufReader::new(std::io::repeat(0).take(1 << 30));
        let err = read_lines(&mut zeros, 1000, &mut |_| {}).unwrap_err();
        assert!(err.contains(r"control character '\0' on line 1"), "{err}");
        let mut lines: &[u8] = b"ab\ncd\n\nlast";
        let mut got = Vec::new();
        read_lines(&mut lines, 4, &mut |l| got.push(l)).unwrap();
        assert_eq!(got, ["ⓈabⒺ", "ⓈcdⒺ", "ⓈlastⒺ"]);
    }
}
