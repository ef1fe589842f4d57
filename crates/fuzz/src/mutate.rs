//! Mutations of an input: bit flips, byte and range edits, range duplication,
//! truncation, splices and cross-overs with other inputs, interesting integers over
//! 1-8 bytes, huge decimal numbers written over digits, control characters and the
//! encoding's markers.

/// xorshift64*: enough randomness for mutations, reproducible from `--seed`.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const INTERESTING: [u64; 10] = [
    0,
    1,
    0x7f,
    0xff,
    0x7fff_ffff,
    0xffff_ffff,
    0x8000_0000_0000_0000,
    u64::MAX,
    1 << 40,
    4_611_686_018_427_387_904,
];

pub fn mutate(input: &[u8], seeds: &[Vec<u8>], rng: &mut Rng) -> Vec<u8> {
    let mut data = input.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let len = data.len();
        match rng.below(11) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = rng.next() as u8;
            }
            2 => {
                let i = rng.below(len + 1);
                let n = 1 + rng.below(16);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                data.splice(i..i, bytes);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(64));
                data.drain(i..i + n);
            }
            4 if len > 0 => {
                // Duplicate a range (repeated structures, nesting).
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(256));
                let copy = data[i..i + n].to_vec();
                let at = rng.below(len + 1);
                data.splice(at..at, copy);
            }
            5 if len > 0 => data.truncate(rng.below(len)),
            6 if len >= 8 => {
                // An interesting integer over 1, 2, 4 or 8 bytes, little-endian.
                let value = INTERESTING[rng.below(INTERESTING.len())].to_le_bytes();
                let width = [1, 2, 4, 8][rng.below(4)];
                let i = rng.below(len - width + 1);
                data[i..i + width].copy_from_slice(&value[..width]);
            }
            7 => {
                // A run of digits replaced by a huge number (shapes, sizes, counts).
                if let Some(start) = (0..len)
                    .map(|k| (rng.below(len) + k) % len)
                    .take(64)
                    .find(|&k| data[k].is_ascii_digit())
                {
                    let end = (start..len)
                        .find(|&k| !data[k].is_ascii_digit())
                        .unwrap_or(len);
                    let big = [
                        "4611686018427387904",
                        "18446744073709551615",
                        "0",
                        "-1",
                        "1e308",
                    ][rng.below(5)];
                    data.splice(start..end, big.bytes());
                }
            }
            8 if !seeds.is_empty() => {
                // Splice: the head of this input, the tail of another seed.
                let other = &seeds[rng.below(seeds.len())];
                let cut = rng.below(len + 1);
                let from = rng.below(other.len() + 1);
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
            9 if !seeds.is_empty() => {
                // Cross-over: a piece of another seed inserted here (keys, tags, records).
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let from = rng.below(other.len());
                    let n = 1 + rng.below((other.len() - from).min(128));
                    let at = rng.below(len + 1);
                    data.splice(at..at, other[from..from + n].iter().copied());
                }
            }
            _ => {
                // A control character or a marker of the encoding.
                let odd = [
                    "\0",
                    "\u{7}",
                    "\u{1b}[2J",
                    "\n",
                    "Ⓔ",
                    "Ⓢ",
                    "⒞",
                    "⒜",
                    "\u{feff}",
                ];
                let i = rng.below(len + 1);
                data.splice(i..i, odd[rng.below(odd.len())].bytes());
            }
        }
    }
    data
}
