//! The seed's `.npy` files (section 4 of the spec): written as `np.save` writes them,
//! and read back whether numpy 1.x or 2.x wrote them.
//!
//! Arrays of numbers and strings are plain `.npy` (format 1.0). The two vocabulary
//! dicts are 0-d object arrays, which numpy stores as a pickle; cardlm writes that
//! pickle itself (referring to `numpy.core.multiarray`, which numpy 1.x has and
//! numpy 2.x still accepts) and reads it with the small pickle machine below.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Error, Result};
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

/// The largest `.npy` file read whole: the seed's `card_texts.npy` of all of MTGJSON
/// is tens of MB, and a file from `/dev/zero` or a fifo must not fill memory.
pub const MAX_NPY_BYTES: u64 = 1 << 30;

/// Reads and parses a `.npy` file of at most [`MAX_NPY_BYTES`], errors naming the file.
pub fn read_npy(path: &Path) -> Result<NpyArray> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, &e))?;
    let mut bytes = Vec::new();
    // Read through `take` rather than trusting the file's reported size (fifos, /proc).
    file.take(MAX_NPY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, &e))?;
    if bytes.len() as u64 > MAX_NPY_BYTES {
        return Err(Error::new(
            path,
            format!(
                "larger than {} MiB: not one of the seed's .npy files",
                MAX_NPY_BYTES >> 20
            ),
        ));
    }
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
    if width == 0 {
        // numpy's `<U0` holds only empty strings, and no data to bound their number.
        return Err(format!(
            "dtype {} holds only empty strings, no cards",
            array.descr
        ));
    }
    // Checked: the shape comes from the file and may be anything.
    let expected = width
        .checked_mul(4)
        .and_then(|item| item.checked_mul(count))
        .ok_or_else(|| format!("shape ({count},) of {} is impossibly large", array.descr))?;
    let item = width * 4;
    if array.data.len() != expected {
        return Err(format!(
            "data is {} bytes, expected {expected} for {count} strings of {width} characters",
            array.data.len(),
        ));
    }
    let mut strings = Vec::with_capacity(count);
    for (index, chunk) in array.data.chunks_exact(item).enumerate() {
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

/// The subset of Python values the seed's pickles hold.
#[derive(Debug, Clone, PartialEq)]
pub enum PickleValue {
    None,
    Bool(bool),
    Int(i64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<PickleValue>),
    List(Vec<PickleValue>),
    Dict(Vec<(PickleValue, PickleValue)>),
    /// A class or function, `module.name`.
    Global(String),
    /// `callable(*args)`, with the state given to it by BUILD, if any.
    Object {
        callable: Box<PickleValue>,
        args: Box<PickleValue>,
        state: Option<Box<PickleValue>>,
    },
}

/// Pickle bytes (protocol 3, as `np.save` writes) of a 0-d object array holding `dict`.
fn object_array_pickle(dict: &[(PickleValue, PickleValue)]) -> Vec<u8> {
    let mut p: Vec<u8> = vec![0x80, 3];
    let global = |p: &mut Vec<u8>, module: &str, name: &str| {
        p.push(b'c');
        p.extend_from_slice(module.as_bytes());
        p.push(b'\n');
        p.extend_from_slice(name.as_bytes());
        p.push(b'\n');
    };
    // _reconstruct(ndarray, (0,), b'b')
    global(&mut p, "numpy.core.multiarray", "_reconstruct");
    global(&mut p, "numpy", "ndarray");
    p.extend_from_slice(&[b'K', 0, 0x85]);
    p.extend_from_slice(&[b'C', 1, b'b', 0x87, b'R']);
    // state: (1, (), dtype('O8', False, True) with its own state, False, [dict])
    p.extend_from_slice(&[b'(', b'K', 1, b')']);
    global(&mut p, "numpy", "dtype");
    p.extend_from_slice(&[b'X', 2, 0, 0, 0, b'O', b'8', 0x89, 0x88, 0x87, b'R']);
    // dtype state: (3, '|', None, None, None, -1, -1, 63)
    p.extend_from_slice(&[b'(', b'K', 3, b'X', 1, 0, 0, 0, b'|', b'N', b'N', b'N']);
    p.extend_from_slice(&[b'J', 0xff, 0xff, 0xff, 0xff, b'J', 0xff, 0xff, 0xff, 0xff]);
    p.extend_from_slice(&[b'K', 63, b't', b'b']);
    p.push(0x89);
    // [ {dict} ] then the closing of the state tuple and BUILD.
    p.extend_from_slice(b"](}(");
    for (key, value) in dict {
        pickle_scalar(&mut p, key);
        pickle_scalar(&mut p, value);
    }
    p.extend_from_slice(b"uetb.");
    p
}

fn pickle_scalar(p: &mut Vec<u8>, value: &PickleValue) {
    match value {
        PickleValue::Int(i) if (0..256).contains(i) => p.extend_from_slice(&[b'K', *i as u8]),
        PickleValue::Int(i) if (0..65536).contains(i) => {
            p.push(b'M');
            p.extend_from_slice(&(*i as u16).to_le_bytes());
        }
        PickleValue::Int(i) => {
            p.push(b'J');
            p.extend_from_slice(&(*i as i32).to_le_bytes());
        }
        PickleValue::Str(s) => {
            p.push(b'X');
            p.extend_from_slice(&(s.len() as u32).to_le_bytes());
            p.extend_from_slice(s.as_bytes());
        }
        _ => p.push(b'N'),
    }
}

/// The dict inside an unpickled 0-d object array: `_reconstruct(...)` with the state
/// `(version, shape, dtype, fortran, [dict])`.
fn dict_in_object_array(value: PickleValue) -> Option<Vec<(PickleValue, PickleValue)>> {
    let PickleValue::Object {
        callable, state, ..
    } = value
    else {
        return None;
    };
    let PickleValue::Global(name) = *callable else {
        return None;
    };
    if !name.ends_with("multiarray._reconstruct") {
        return None;
    }
    let PickleValue::Tuple(state) = *state? else {
        return None;
    };
    match state.get(4)? {
        PickleValue::List(items) => match items.first()? {
            PickleValue::Dict(entries) => Some(entries.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// A small pickle machine for the opcodes numpy's pickles of dicts of strings and
/// integers use (protocols 2 to 5). Anything else is an error, never executed.
pub fn unpickle(bytes: &[u8]) -> std::result::Result<PickleValue, String> {
    let mut stack: Vec<PickleValue> = Vec::new();
    let mut marks: Vec<usize> = Vec::new();
    let mut memo: HashMap<u32, PickleValue> = HashMap::new();
    let mut pos = 0usize;
    let take = |pos: &mut usize, n: usize| -> std::result::Result<&[u8], String> {
        let end = pos
            .checked_add(n)
            .filter(|&e| e <= bytes.len())
            .ok_or("truncated pickle")?;
        let slice = &bytes[*pos..end];
        *pos = end;
        Ok(slice)
    };
    let le = |b: &[u8]| {
        b.iter()
            .rev()
            .fold(0u64, |acc, &x| (acc << 8) | u64::from(x))
    };
    let text = |b: &[u8]| {
        String::from_utf8(b.to_vec()).map_err(|_| "a pickled string is not UTF-8".to_owned())
    };
    let line = |pos: &mut usize| -> std::result::Result<String, String> {
        let rest = &bytes[*pos..];
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("truncated pickle")?;
        *pos += end + 1;
        String::from_utf8(rest[..end].to_vec()).map_err(|_| "bad global name".to_owned())
    };
    fn pop(stack: &mut Vec<PickleValue>) -> std::result::Result<PickleValue, String> {
        stack
            .pop()
            .ok_or_else(|| "pickle stack underflow".to_owned())
    }
    fn pop_mark(
        stack: &mut Vec<PickleValue>,
        marks: &mut Vec<usize>,
    ) -> std::result::Result<Vec<PickleValue>, String> {
        let mark = marks.pop().ok_or("pickle MARK missing")?;
        if mark > stack.len() {
            return Err("pickle MARK beyond the stack".to_owned());
        }
        Ok(stack.split_off(mark))
    }
    loop {
        let op = *take(&mut pos, 1)?.first().ok_or("truncated pickle")?;
        match op {
            0x80 => {
                take(&mut pos, 1)?;
            }
            0x95 => {
                take(&mut pos, 8)?;
            }
            b'.' => return pop(&mut stack),
            b'(' => marks.push(stack.len()),
            b'N' => stack.push(PickleValue::None),
            0x88 => stack.push(PickleValue::Bool(true)),
            0x89 => stack.push(PickleValue::Bool(false)),
            b'K' => stack.push(PickleValue::Int(le(take(&mut pos, 1)?) as i64)),
            b'M' => stack.push(PickleValue::Int(le(take(&mut pos, 2)?) as i64)),
            b'J' => stack.push(PickleValue::Int(le(take(&mut pos, 4)?) as u32 as i32 as i64)),
            0x8a => {
                let n = le(take(&mut pos, 1)?) as usize;
                let raw = take(&mut pos, n)?;
                if n > 8 {
                    return Err("integer too large".to_owned());
                }
                let mut value = le(raw) as i64;
                if n > 0 && n < 8 && raw[n - 1] & 0x80 != 0 {
                    value -= 1i64 << (8 * n);
                }
                stack.push(PickleValue::Int(value));
            }
            b'X' => {
                let n = le(take(&mut pos, 4)?) as usize;
                stack.push(PickleValue::Str(text(take(&mut pos, n)?)?));
            }
            0x8c => {
                let n = le(take(&mut pos, 1)?) as usize;
                stack.push(PickleValue::Str(text(take(&mut pos, n)?)?));
            }
            0x8d => {
                let n = le(take(&mut pos, 8)?) as usize;
                stack.push(PickleValue::Str(text(take(&mut pos, n)?)?));
            }
            b'U' => {
                let n = le(take(&mut pos, 1)?) as usize;
                stack.push(PickleValue::Str(text(take(&mut pos, n)?)?));
            }
            b'T' => {
                let n = le(take(&mut pos, 4)?) as usize;
                stack.push(PickleValue::Str(text(take(&mut pos, n)?)?));
            }
            b'C' => {
                let n = le(take(&mut pos, 1)?) as usize;
                stack.push(PickleValue::Bytes(take(&mut pos, n)?.to_vec()));
            }
            b'B' => {
                let n = le(take(&mut pos, 4)?) as usize;
                stack.push(PickleValue::Bytes(take(&mut pos, n)?.to_vec()));
            }
            b'c' => {
                let module = line(&mut pos)?;
                let name = line(&mut pos)?;
                stack.push(PickleValue::Global(format!("{module}.{name}")));
            }
            0x93 => {
                let name = pop(&mut stack)?;
                let module = pop(&mut stack)?;
                match (module, name) {
                    (PickleValue::Str(m), PickleValue::Str(n)) => {
                        stack.push(PickleValue::Global(format!("{m}.{n}")))
                    }
                    _ => return Err("STACK_GLOBAL of non-strings".to_owned()),
                }
            }
            0x94 => {
                let top = stack.last().ok_or("pickle stack underflow")?.clone();
                memo.insert(memo.len() as u32, top);
            }
            b'q' | b'r' => {
                let n = if op == b'q' { 1 } else { 4 };
                let index = le(take(&mut pos, n)?) as u32;
                let top = stack.last().ok_or("pickle stack underflow")?.clone();
                memo.insert(index, top);
            }
            b'h' | b'j' => {
                let n = if op == b'h' { 1 } else { 4 };
                let index = le(take(&mut pos, n)?) as u32;
                stack.push(memo.get(&index).cloned().ok_or("pickle memo miss")?);
            }
            b')' => stack.push(PickleValue::Tuple(Vec::new())),
            0x85..=0x87 => {
                let n = usize::from(op - 0x84);
                if stack.len() < n {
                    return Err("pickle stack underflow".to_owned());
                }
                let items = stack.split_off(stack.len() - n);
                stack.push(PickleValue::Tuple(items));
            }
            b't' => {
                let items = pop_mark(&mut stack, &mut marks)?;
                stack.push(PickleValue::Tuple(items));
            }
            b']' => stack.push(PickleValue::List(Vec::new())),
            b'}' => stack.push(PickleValue::Dict(Vec::new())),
            b'a' | b'e' => {
                let items = if op == b'a' {
                    vec![pop(&mut stack)?]
                } else {
                    pop_mark(&mut stack, &mut marks)?
                };
                match stack.last_mut() {
                    Some(PickleValue::List(list)) => list.extend(items),
                    _ => return Err("APPEND to a non-list".to_owned()),
                }
            }
            b's' | b'u' => {
                let items = if op == b's' {
                    let value = pop(&mut stack)?;
                    let key = pop(&mut stack)?;
                    vec![key, value]
                } else {
                    pop_mark(&mut stack, &mut marks)?
                };
                if items.len() % 2 != 0 {
                    return Err("SETITEMS with an odd number of items".to_owned());
                }
                match stack.last_mut() {
                    Some(PickleValue::Dict(dict)) => {
                        let mut items = items.into_iter();
                        while let (Some(k), Some(v)) = (items.next(), items.next()) {
                            // A repeated key keeps its place and takes the new value.
                            match dict.iter_mut().find(|(existing, _)| *existing == k) {
                                Some(entry) => entry.1 = v,
                                None => dict.push((k, v)),
                            }
                        }
                    }
                    _ => return Err("SETITEM on a non-dict".to_owned()),
                }
            }
            b'R' => {
                let args = pop(&mut stack)?;
                let callable = pop(&mut stack)?;
                stack.push(PickleValue::Object {
                    callable: Box::new(callable),
                    args: Box::new(args),
                    state: None,
                });
            }
            b'b' => {
                let new_state = pop(&mut stack)?;
                match stack.last_mut() {
                    Some(PickleValue::Object { state, .. }) => *state = Some(Box::new(new_state)),
                    _ => return Err("BUILD on a non-object".to_owned()),
                }
            }
            other => return Err(format!("unsupported pickle opcode 0x{other:02x}")),
        }
    }
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

    #[test]
    fn shapes_from_the_file_are_checked_before_allocating() {
        // (2**62,) strings of one character: the byte count overflows.
        let huge = parse_npy(&npy_bytes("<U1", &[1 << 62], b"")).unwrap();
        let err = unicode_strings(&huge).unwrap_err();
        assert!(err.contains("impossibly large"), "{err}");
        // 10**12 empty strings and no data: refused, not 24 TB of String headers.
        let empty = parse_npy(&npy_bytes("<U0", &[1_000_000_000_000], b"")).unwrap();
        let err = unicode_strings(&empty).unwrap_err();
        assert!(err.contains("only empty strings"), "{err}");
        // A count the data does not hold.
        let short = parse_npy(&npy_bytes("<U2", &[1_000_000], b"a\0\0\0")).unwrap();
        assert!(unicode_strings(&short).unwrap_err().contains("expected"));
    }
}
