//! The seed's `.npy` files (section 4 of the spec): written as `np.save` writes them,
//! and read back whether numpy 1.x or 2.x wrote them.
//!
//! Arrays of numbers and strings are plain `.npy` (format 1.0). The two vocabulary
//! dicts are 0-d object arrays, which numpy stores as a pickle; cardlm writes that
//! pickle itself (referring to `numpy.core.multiarray`, which numpy 1.x has and
//! numpy 2.x still accepts) and reads it with the small pickle machine of
//! [`crate::pickle`].

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Error, Result};
use crate::pickle::{dict_in_object_array, object_array_pickle};
pub use crate::pickle::{unpickle, PickleValue};
use crate::vocab::{seed_c2i, seed_i2c};

pub const CARD_TEXTS_FILE: &str = "card_texts.npy";
pub const C2I_FILE: &str = "c2i.npy";
pub const I2C_FILE: &str = "i2c.npy";
pub const XCARDS_FILE: &str = "xcards.npy";
pub const YCARDS_FILE: &str = "ycards.npy";
/// Every file `--seed-npy` writes.
pub const SEED_NPY_FILES: [&str; 5] = [
    CARD_TEXTS_FILE,
    C2I_FILE,
    I2C_FILE,
    XCARDS_FILE,
    YCARDS_FILE,
];

/// The seed's sequence length: lines are cut or padded to it in xcards/ycards.
pub const SEED_LENGTH: usize = 256;

const MAGIC: &[u8] = b"\x93NUMPY";
/// numpy aligns the data to 64 bytes.
const ALIGN: usize = 64;

/// A `.npy` file: header and the raw data after it.
#[derive(Debug, Clone, PartialEq)]
pub struct NpyArray {
    /// numpy's dtype string, e.g. `<i8`, `<U325`, `|O`.
    pub descr: String,
    pub fortran_order: bool,
    pub shape: Vec<usize>,
    pub data: Vec<u8>,
}

fn shape_repr(shape: &[usize]) -> String {
    match shape {
        [] => "()".to_owned(),
        [n] => format!("({n},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// `np.save`'s bytes for an array with this dtype, shape and data.
pub fn npy_bytes(descr: &str, shape: &[usize], data: &[u8]) -> Vec<u8> {
    let header = format!(
        "{{'descr': '{descr}', 'fortran_order': False, 'shape': {}, }}",
        shape_repr(shape)
    );
    // Version 1.0 with a 2-byte header length; numpy pads with spaces and a newline.
    let unpadded = MAGIC.len() + 2 + 2 + header.len() + 1;
    let padding = (ALIGN - unpadded % ALIGN) % ALIGN;
    let header_len = header.len() + padding + 1;
    let mut out = Vec::with_capacity(unpadded + padding + data.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[1, 0]);
    out.extend_from_slice(&(header_len as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.extend(std::iter::repeat_n(b' ', padding));
    out.push(b'\n');
    out.extend_from_slice(data);
    out
}

/// Parses `.npy` bytes (format 1.0, 2.0 or 3.0).
pub fn parse_npy(bytes: &[u8]) -> std::result::Result<NpyArray, String> {
    if !bytes.starts_with(MAGIC) || bytes.len() < 10 {
        return Err("not a .npy file (no \\x93NUMPY magic)".to_owned());
    }
    let major = bytes[6];
    let (header_len, header_start): (usize, usize) = match major {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        _ => return Err(format!("unsupported .npy format version {major}")),
    };
    let header_end = header_start
        .checked_add(header_len)
        .filter(|&end| end <= bytes.len())
        .ok_or("truncated .npy header")?;
    let header = std::str::from_utf8(&bytes[header_start..header_end])
        .map_err(|_| "the .npy header is not text")?;
    let field = |key: &str| -> Option<&str> {
        let start = header.find(&format!("'{key}':"))? + key.len() + 3;
        Some(header[start..].trim_start())
    };
    let descr = field("descr")
        .and_then(|rest| rest.strip_prefix('\''))
        .and_then(|rest| rest.split('\'').next())
        .ok_or("the .npy header has no descr")?
        .to_owned();
    let fortran_order = field("fortran_order")
        .ok_or("the .npy header has no fortran_order")?
        .starts_with("True");
    let shape_text = field("shape")
        .and_then(|rest| rest.strip_prefix('('))
        .and_then(|rest| rest.split(')').next())
        .ok_or("the .npy header has no shape")?;
    let shape = shape_text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_end_matches('L').parse::<usize>())
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|_| format!("bad shape ({shape_text}) in the .npy header"))?;
    Ok(NpyArray {
        descr,
        fortran_order,
        shape,
        data: bytes[header_end..].to_vec(),
    })
}

/// Reads and parses a `.npy` file, errors naming the file.
pub fn read_npy(path: &Path) -> Result<NpyArray> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
    parse_npy(&bytes).map_err(|message| Error::new(path, message))
}

/// A 1-d array of unicode strings (`<U…`) from the array's data.
pub fn unicode_strings(array: &NpyArray) -> std::result::Result<Vec<String>, String> {
    let width: usize = array
        .descr
        .strip_prefix("<U")
        .and_then(|w| w.parse().ok())
        .ok_or_else(|| {
            format!(
                "dtype {} is not a little-endian unicode string (<U…)",
                array.descr
            )
        })?;
    let [count] = array.shape[..] else {
        return Err(format!(
            "shape {} is not one-dimensional",
            shape_repr(&array.shape)
        ));
    };
    let item = width * 4;
    if array.data.len() != count * item {
        return Err(format!(
            "data is {} bytes, expected {} for {count} strings of {width} characters",
            array.data.len(),
            count * item
        ));
    }
    let mut strings = Vec::with_capacity(count);
    for (index, chunk) in array.data.chunks_exact(item.max(1)).take(count).enumerate() {
        let mut s = String::new();
        for code in chunk.chunks_exact(4) {
            let code = u32::from_le_bytes([code[0], code[1], code[2], code[3]]);
            if code == 0 {
                break;
            }
            s.push(
                char::from_u32(code)
                    .ok_or_else(|| format!("string {index} holds an invalid character"))?,
            );
        }
        strings.push(s);
    }
    if width == 0 {
        strings.resize(count, String::new());
    }
    Ok(strings)
}

/// `np.save(np.array(lines))`: dtype `<U{longest}`, UTF-32 code points padded with zeros.
pub fn card_texts_npy(lines: &[String]) -> Vec<u8> {
    let width = lines
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut data = Vec::with_capacity(lines.len() * width * 4);
    for line in lines {
        let mut written = 0;
        for c in line.chars() {
            data.extend_from_slice(&(c as u32).to_le_bytes());
            written += 1;
        }
        data.extend(std::iter::repeat_n(0u8, (width - written) * 4));
    }
    npy_bytes(&format!("<U{width}"), &[lines.len()], &data)
}

/// The seed's xcards and ycards (int64, `(N, 256)`): each line's c2i indices cut or
/// padded with 0 to 256; ycards is xcards shifted left by one with a 0 appended.
pub fn seed_index_arrays(lines: &[String], c2i: &HashMap<char, usize>) -> (Vec<i64>, Vec<i64>) {
    let mut x = vec![0i64; lines.len() * SEED_LENGTH];
    let mut y = vec![0i64; lines.len() * SEED_LENGTH];
    for (row, line) in lines.iter().enumerate() {
        let xs = &mut x[row * SEED_LENGTH..(row + 1) * SEED_LENGTH];
        for (slot, c) in xs.iter_mut().zip(line.chars()) {
            *slot = c2i.get(&c).copied().unwrap_or(0) as i64;
        }
        y[row * SEED_LENGTH..(row + 1) * SEED_LENGTH - 1].copy_from_slice(&xs[1..]);
    }
    (x, y)
}

fn i64_npy(values: &[i64], rows: usize) -> Vec<u8> {
    let data: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    npy_bytes("<i8", &[rows, SEED_LENGTH], &data)
}

/// The five files of the seed's data folder for `lines`, as its notebooks wrote them.
pub fn seed_npy_files(lines: &[String]) -> Vec<(String, Vec<u8>)> {
    let i2c = seed_i2c(lines.iter().map(String::as_str));
    let c2i = seed_c2i(&i2c);
    let lookup: HashMap<char, usize> = c2i.iter().copied().collect();
    let (x, y) = seed_index_arrays(lines, &lookup);
    let i2c_dict: Vec<(PickleValue, PickleValue)> = i2c
        .iter()
        .enumerate()
        .map(|(i, c)| (PickleValue::Int(i as i64), PickleValue::Str(c.to_string())))
        .collect();
    let c2i_dict: Vec<(PickleValue, PickleValue)> = c2i
        .iter()
        .map(|(c, i)| (PickleValue::Str(c.to_string()), PickleValue::Int(*i as i64)))
        .collect();
    vec![
        (CARD_TEXTS_FILE.to_owned(), card_texts_npy(lines)),
        (
            C2I_FILE.to_owned(),
            npy_bytes("|O", &[], &object_array_pickle(&c2i_dict)),
        ),
        (
            I2C_FILE.to_owned(),
            npy_bytes("|O", &[], &object_array_pickle(&i2c_dict)),
        ),
        (XCARDS_FILE.to_owned(), i64_npy(&x, lines.len())),
        (YCARDS_FILE.to_owned(), i64_npy(&y, lines.len())),
    ]
}

/// Reads a seed data folder's `card_texts.npy`: a 1-d array of strings.
pub fn read_seed_card_texts(dir: &Path) -> Result<Vec<String>> {
    let path = dir.join(CARD_TEXTS_FILE);
    let array = read_npy(&path)?;
    let lines = unicode_strings(&array).map_err(|m| Error::new(&path, m))?;
    if lines.is_empty() {
        return Err(Error::new(&path, "empty result: the array holds no cards"));
    }
    // The other files are optional, but when present they must be the seed's.
    let i2c_path = dir.join(I2C_FILE);
    if i2c_path.exists() {
        let i2c = read_seed_dict(&i2c_path)?;
        let first = i2c.iter().find(|(k, _)| *k == PickleValue::Int(0));
        if !matches!(first, Some((_, PickleValue::Str(s))) if s == "Ⓔ") {
            return Err(Error::new(
                &i2c_path,
                "not the seed's i2c: index 0 is not Ⓔ",
            ));
        }
    }
    let c2i_path = dir.join(C2I_FILE);
    if c2i_path.exists() {
        let c2i = read_seed_dict(&c2i_path)?;
        if !c2i
            .iter()
            .all(|(k, v)| matches!((k, v), (PickleValue::Str(_), PickleValue::Int(_))))
        {
            return Err(Error::new(
                &c2i_path,
                "not the seed's c2i: not a dict of characters to indices",
            ));
        }
    }
    Ok(lines)
}

/// Reads a dict saved as a 0-d object array (`np.save(path, d)`), as key/value pairs
/// in the dict's order.
pub fn read_seed_dict(path: &Path) -> Result<Vec<(PickleValue, PickleValue)>> {
    let array = read_npy(path)?;
    if array.descr != "|O" || !array.shape.is_empty() {
        return Err(Error::new(
            path,
            format!(
                "expected a dict saved as a 0-d object array, found dtype {} and shape {}",
                array.descr,
                shape_repr(&array.shape)
            ),
        ));
    }
    let value =
        unpickle(&array.data).map_err(|m| Error::new(path, format!("unreadable pickle: {m}")))?;
    dict_in_object_array(value)
        .ok_or_else(|| Error::new(path, "the object array does not hold a dict"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_padded_to_64_bytes() {
        let bytes = npy_bytes("<i8", &[2, 256], &[]);
        assert_eq!(bytes.len() % 64, 0);
        assert_eq!(bytes[bytes.len() - 1], b'\n');
        let parsed = parse_npy(&bytes).unwrap();
        assert_eq!(parsed.descr, "<i8");
        assert_eq!(parsed.shape, vec![2, 256]);
    }

    #[test]
    fn strings_round_trip() {
        let lines = vec!["ⓈaⒺ".to_owned(), "Ⓢlonger⒜Ⓔ".to_owned()];
        let parsed = parse_npy(&card_texts_npy(&lines)).unwrap();
        assert_eq!(parsed.descr, "<U9");
        assert_eq!(unicode_strings(&parsed).unwrap(), lines);
    }

    #[test]
    fn dict_pickle_round_trips() {
        let dict = vec![
            (PickleValue::Str("Ⓔ".into()), PickleValue::Int(0)),
            (PickleValue::Str("a".into()), PickleValue::Int(300)),
        ];
        let npy = npy_bytes("|O", &[], &object_array_pickle(&dict));
        let parsed = parse_npy(&npy).unwrap();
        let value = unpickle(&parsed.data).unwrap();
        assert_eq!(dict_in_object_array(value).unwrap(), dict);
    }

    #[test]
    fn index_arrays_shift_and_pad() {
        let lines = vec!["ab".to_owned()];
        let c2i: HashMap<char, usize> = [('a', 1), ('b', 2)].into_iter().collect();
        let (x, y) = seed_index_arrays(&lines, &c2i);
        assert_eq!(&x[..3], &[1, 2, 0]);
        assert_eq!(&y[..3], &[2, 0, 0]);
        assert_eq!(x.len(), SEED_LENGTH);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(parse_npy(b"hello").is_err());
        assert!(parse_npy(b"\x93NUMPY\x01\x00\xff\xff{").is_err());
        assert!(unpickle(b"").is_err());
        assert!(unpickle(b"\x80\x03e").is_err());
        assert!(unpickle(b"\x8a\xff").is_err());
    }
}
