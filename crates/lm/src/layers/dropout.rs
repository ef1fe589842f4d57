//! Inverted dropout: kept units are scaled by `1 / (1 - rate)` at training
//! time so inference needs no scaling (as Keras and PyTorch do).

use crate::kernels::Scalar;
use crate::rng::Rng;

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

/// `x *= mask`, element-wise. The same call is the backward pass.
pub fn apply_mask<T: Scalar>(x: &mut [T], mask: &[T]) {
    for (v, m) in x.iter_mut().zip(mask) {
        *v *= *m;
    }
}
