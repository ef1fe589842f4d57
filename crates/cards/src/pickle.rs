//! Python's pickle, as far as numpy's `.npy` object arrays of the seed's
//! vocabulary dicts need it: writing one (protocol 3) and a small pickle
//! machine that reads the opcodes such pickles use and refuses the rest.

use std::collections::HashMap;

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
pub(crate) fn object_array_pickle(dict: &[(PickleValue, PickleValue)]) -> Vec<u8> {
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
pub(crate) fn dict_in_object_array(value: PickleValue) -> Option<Vec<(PickleValue, PickleValue)>> {
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
