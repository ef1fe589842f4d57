//! Inverted dropout: kept units are scaled by `1 / (1 - rate)` at training
//! time so inference needs no scaling (as Keras and PyTorch do).

use crate::kernels::Scalar;
use crate::rng::{Rng, Rng4};

/// Fills `mask` with `0` (dropped) or `1 / (1 - rate)` (kept).
pub fn dropout_mask<T: Scalar>(mask: &mut [T], rate: f32, rng: &mut Rng) {
    let keep = T::from_f64(1.0 / (1.0 - rate as f64));
    for m in mask {
        *m = if rng.uniform_f32() < rate {
            T::zero()
        } else {
            keep
        };
    }
}

/// [`dropout_mask`] of several masks of one length, each from the
/// generator [`Rng::new`] makes of its seed: the same masks, drawn four
/// streams side by side ([`Rng4`]). Drawing the forward pass's masks one
/// stream at a time took 3% of bf16 training (`perf`).
pub fn dropout_masks<T: Scalar>(masks: &mut [(&mut [T], u64)], rate: f32) {
    let mut groups = masks.chunks_exact_mut(4);
    for group in &mut groups {
        let [(m0, s0), (m1, s1), (m2, s2), (m3, s3)] = group else {
            unreachable!()
        };
        let mut rng = Rng4::new([*s0, *s1, *s2, *s3]);
        masks_side_by_side(rate, &mut rng, m0, m1, m2, m3);
    }
    for (mask, seed) in groups.into_remainder() {
        dropout_mask(mask, rate, &mut Rng::new(*seed));
    }
}

/// Four masks of one length drawn in one loop.
#[inline(always)]
fn masks_side_by_side_body<T: Scalar>(
    rate: f32,
    rng: &mut Rng4,
    m0: &mut [T],
    m1: &mut [T],
    m2: &mut [T],
    m3: &mut [T],
) {
    let keep = T::from_f64(1.0 / (1.0 - rate as f64));
    let n = m0.len();
    assert!(
        m1.len() == n && m2.len() == n && m3.len() == n,
        "masks of one length"
    );
    let (m1, m2, m3) = (&mut m1[..n], &mut m2[..n], &mut m3[..n]);
    for i in 0..n {
        let u = rng.uniform_f32();
        let pick = |u: f32| if u < rate { T::zero() } else { keep };
        m0[i] = pick(u[0]);
        m1[i] = pick(u[1]);
        m2[i] = pick(u[2]);
        m3[i] = pick(u[3]);
    }
}

crate::vectorized_fn!(fn masks_side_by_side<T: Scalar>(
    rate: f32,
    rng: &mut Rng4,
    m0: &mut [T],
    m1: &mut [T],
    m2: &mut [T],
    m3: &mut [T],
) => masks_side_by_side_body);

/// `x = source * mask`, element-wise: [`apply_mask`] to a copy of `source`
/// in one pass.
pub fn masked_copy<T: Scalar>(x: &mut [T], source: &[T], mask: &[T]) {
    for ((v, s), m) in x.iter_mut().zip(source).zip(mask) {
        *v = *s * *m;
    }
}

/// `x *= mask`, element-wise. The same call is the backward pass.
pub fn apply_mask<T: Scalar>(x: &mut [T], mask: &[T]) {
    for (v, m) in x.iter_mut().zip(mask) {
        *v *= *m;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream_seed;

    /// Side by side, each mask is the one its generator draws alone.
    #[test]
    fn masks_drawn_side_by_side_are_the_masks_drawn_alone() {
        for count in [1, 3, 4, 5, 9] {
            let len = 1037;
            let mut alone: Vec<Vec<f32>> = vec![vec![0.0; len]; count];
            for (s, m) in alone.iter_mut().enumerate() {
                dropout_mask(m, 0.3, &mut Rng::for_stream(7, &[s as u64]));
            }
            let mut buffers: Vec<Vec<f32>> = vec![vec![9.0; len]; count];
            let mut masks: Vec<(&mut [f32], u64)> = buffers
                .iter_mut()
                .enumerate()
                .map(|(s, m)| (m.as_mut_slice(), stream_seed(7, &[s as u64])))
                .collect();
            dropout_masks(&mut masks, 0.3);
            assert_eq!(buffers, alone, "{count} masks");
        }
    }
}
