//! The one random number generator of training and sampling: xoshiro256++,
//! whose output is fixed by its definition, so a seed gives the same run on
//! every machine and every version.

use rand_core::{Rng as _, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

#[derive(Clone, Debug)]
pub struct Rng(Xoshiro256PlusPlus);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(Xoshiro256PlusPlus::seed_from_u64(seed))
    }

    /// The generator of one numbered piece of work (epoch, batch, worker...).
    /// Deriving every stream from the seed and its coordinates, instead of
    /// carrying one generator along, makes a resumed run draw exactly what an
    /// uninterrupted one would, and parallel work independent of scheduling.
    pub fn for_stream(seed: u64, coordinates: &[u64]) -> Rng {
        Rng::new(stream_seed(seed, coordinates))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    pub fn uniform_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `[0, 1)` with 24 random bits.
    pub fn uniform_f32(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 * (1.0 / (1u32 << 24) as f32)
    }

    /// Standard normal by the Box-Muller transform.
    pub fn normal_f64(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform_f64();
        let u2 = self.uniform_f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Uniform integer in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// The seed of [`Rng::for_stream`]'s generator.
pub fn stream_seed(seed: u64, coordinates: &[u64]) -> u64 {
    let mut h = seed ^ 0x5851_F42D_4C95_7F2D;
    for &c in coordinates {
        h = splitmix64(h ^ splitmix64(c.wrapping_add(0x9E37_79B9_7F4A_7C15)));
    }
    h
}

/// Four xoshiro256++ generators in lanes, each drawing what [`Rng::new`]
/// of its seed draws: written lane by lane in plain arrays, so that the
/// compiler runs the four as one vector generator. (One stream at a time
/// waits on every draw's chain of dependent instructions.)
#[derive(Clone, Debug)]
pub struct Rng4 {
    /// `s[w][lane]`: state word `w` of each lane.
    s: [[u64; 4]; 4],
}

impl Rng4 {
    pub fn new(seeds: [u64; 4]) -> Self {
        let mut s = [[0u64; 4]; 4];
        for (lane, &seed) in seeds.iter().enumerate() {
            // As `Xoshiro256PlusPlus::seed_from_u64`: the state is four
            // SplitMix64 outputs (an all-zero state, which never happens,
            // replaced as the crate does).
            let mut sm = rand_xoshiro::SplitMix64::seed_from_u64(seed);
            let mut words: [u64; 4] = std::array::from_fn(|_| sm.next_u64());
            if words == [0; 4] {
                let mut zero = rand_xoshiro::SplitMix64::seed_from_u64(0);
                words = std::array::from_fn(|_| zero.next_u64());
            }
            for (w, word) in words.into_iter().enumerate() {
                s[w][lane] = word;
            }
        }
        Rng4 { s }
    }

    /// The next draw of each lane (xoshiro256++).
    #[inline(always)]
    pub fn next_u64(&mut self) -> [u64; 4] {
        let [s0, s1, s2, s3] = &mut self.s;
        let mut out = [0u64; 4];
        for k in 0..4 {
            out[k] = s0[k]
                .wrapping_add(s3[k])
                .rotate_left(23)
                .wrapping_add(s0[k]);
            let t = s1[k] << 17;
            s2[k] ^= s0[k];
            s3[k] ^= s1[k];
            s1[k] ^= s2[k];
            s0[k] ^= s3[k];
            s2[k] ^= t;
            s3[k] = s3[k].rotate_left(45);
        }
        out
    }

    /// [`Rng::uniform_f32`] of each lane.
    #[inline(always)]
    pub fn uniform_f32(&mut self) -> [f32; 4] {
        // `x >> 40` has 24 bits: through u32, the same value, and a
        // conversion the vector units have.
        self.next_u64()
            .map(|x| (x >> 40) as u32 as f32 * (1.0 / (1u32 << 24) as f32))
    }
}

/// SplitMix64's finaliser: a bijective mixer for combining stream coordinates.
fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_lanes_draw_what_each_generator_draws_alone() {
        let seeds = [0, 1, stream_seed(7, &[3]), u64::MAX];
        let mut lanes = Rng4::new(seeds);
        let mut alone: Vec<Rng> = seeds.iter().map(|&s| Rng::new(s)).collect();
        for i in 0..5000 {
            if i % 2 == 0 {
                let got = lanes.next_u64();
                for k in 0..4 {
                    assert_eq!(got[k], alone[k].next_u64(), "draw {i} lane {k}");
                }
            } else {
                let got = lanes.uniform_f32();
                for k in 0..4 {
                    assert_eq!(got[k].to_bits(), alone[k].uniform_f32().to_bits());
                }
            }
        }
    }
}
