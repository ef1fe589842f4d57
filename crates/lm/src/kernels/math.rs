//! Element-wise functions written so that loops over slices vectorise:
//! no branches, no calls into libm.

/// `e^x` for f32: range reduction `x = n·ln2 + r`, a degree-6 polynomial for
/// `e^r` and the exponent bits for `2^n`. Relative error below 3e-7 over the
/// clamped range; large negative inputs give tiny values, not zero, which is
/// harmless for the sigmoid and tanh built on it.
#[inline(always)]
pub fn exp_f32(x: f32) -> f32 {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    const LN2_HI: f32 = 0.693_145_75;
    const LN2_LO: f32 = 1.428_606_8e-6;
    // Adding 1.5·2^23 rounds to an integer held in the low mantissa bits:
    // a rounding and a float-to-int conversion without instructions that
    // stop vectorisation (Rust's `as` saturates, which does not vectorise).
    const MAGIC: f32 = 12_582_912.0;
    let x = x.clamp(-87.0, 88.0);
    let t = x * LOG2E + MAGIC;
    let n = t - MAGIC;
    let r = x - n * LN2_HI - n * LN2_LO;
    let p = 1.0 / 720.0;
    let p = p * r + 1.0 / 120.0;
    let p = p * r + 1.0 / 24.0;
    let p = p * r + 1.0 / 6.0;
    let p = p * r + 0.5;
    let p = p * r + 1.0;
    let p = p * r + 1.0;
    let pow2n = (t.to_bits().wrapping_sub(MAGIC.to_bits()).wrapping_add(127)) << 23;
    p * f32::from_bits(pow2n)
}

/// `1 / (1 + e^-x)` on [`exp_f32`].
#[inline(always)]
pub fn sigmoid_f32(x: f32) -> f32 {
    1.0 / (1.0 + exp_f32(-x))
}

/// `tanh x = 2 σ(2x) - 1`; absolute error about 1e-7.
#[inline(always)]
pub fn tanh_f32(x: f32) -> f32 {
    2.0 * sigmoid_f32(2.0 * x) - 1.0
}

/// Whether the element-wise loops run 16 lanes wide: where the products run
/// on AVX-512 ([`super::cpu::choice`], so that `CARDLM_GEMM=avx2` compares
/// like with like). The loops do the same IEEE operations on every element
/// at either width (no reassociation, no fused multiply-adds the source does
/// not write), so the width never changes a result.
#[inline]
pub fn wide_elementwise() -> bool {
    super::cpu::choice().packed == super::cpu::Isa::Avx512
}

/// Defines `$name`, which runs the `#[inline(always)]` function `$body`
/// compiled for AVX-512 or for AVX2 and FMA when the processor has them (so
/// the element-wise loops it inlines are vectorised 16 or 8 lanes wide), and
/// as plain code otherwise. A closure would not do: it is compiled on its
/// own, without the features.
#[macro_export]
macro_rules! vectorized_fn {
    ($(#[$meta:meta])* $vis:vis fn $name:ident<$t:ident: $bound:path>($($arg:ident: $ty:ty),* $(,)?) => $body:path) => {
        $(#[$meta])*
        #[allow(clippy::too_many_arguments)]
        $vis fn $name<$t: $bound>($($arg: $ty),*) {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,avx2,fma")]
                #[allow(clippy::too_many_arguments)]
                unsafe fn with_avx512<$t: $bound>($($arg: $ty),*) {
                    $body($($arg),*)
                }
                if $crate::kernels::math::wide_elementwise() {
                    // SAFETY: chosen only where AVX-512F was detected.
                    return unsafe { with_avx512($($arg),*) };
                }
                #[target_feature(enable = "avx2,fma")]
                #[allow(clippy::too_many_arguments)]
                unsafe fn with_avx2<$t: $bound>($($arg: $ty),*) {
                    $body($($arg),*)
                }
                if $crate::kernels::packed::avx2_available() {
                    // SAFETY: the features were detected at run time.
                    return unsafe { with_avx2($($arg),*) };
                }
            }
            $body($($arg),*)
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_functions_match_libm() {
        let mut worst_exp = 0.0f64;
        let mut worst_tanh = 0.0f64;
        for i in -20000..=20000 {
            let x = i as f32 * 0.004;
            let e = exp_f32(x) as f64;
            let want = (x as f64).exp();
            worst_exp = worst_exp.max(((e - want) / want).abs());
            worst_tanh = worst_tanh.max((tanh_f32(x) as f64 - (x as f64).tanh()).abs());
        }
        assert!(worst_exp < 3e-7, "exp relative error {worst_exp:e}");
        assert!(worst_tanh < 3e-7, "tanh absolute error {worst_tanh:e}");
        assert!(sigmoid_f32(-200.0) >= 0.0 && sigmoid_f32(-200.0) < 1e-30);
        assert_eq!(sigmoid_f32(200.0), 1.0);
    }
}
