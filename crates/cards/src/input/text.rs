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

/// Reads every record of a text stream; an error is an I/O error or a line that is
/// not UTF-8 (reported with its line number).
pub fn read_lines(reader: &mut dyn BufRead, sink: &mut dyn FnMut(String)) -> Result<usize, String> {
    let mut count = 0;
    let mut buf = Vec::new();
    let mut line_number = 0usize;
    loop {
        buf.clear();
        let read = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| super::describe_io_error(&e))?;
        if read == 0 {
            return Ok(count);
        }
        line_number += 1;
        if buf.last() == Some(&b'\n') {
            buf.pop();
        }
        let line = std::str::from_utf8(&buf)
            .map_err(|_| format!("not UTF-8 text (line {line_number})"))?;
        // Control characters other than tab and CR mean binary data, not text.
        if let Some(c) = line
            .chars()
            .find(|&c| c.is_control() && c != '\t' && c != '\r')
        {
            return Err(format!(
                "not a text file: control character {:?} on line {line_number}",
                c
            ));
        }
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
        let err = read_lines(&mut input, &mut |_| {}).unwrap_err();
        assert!(
            err.contains("control character") && err.contains("line 2"),
            "{err}"
        );
    }
}
