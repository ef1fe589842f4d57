//! The token policy: how the next token is drawn from a row of logits.

use crate::rng::Rng;
use crate::LmError;

/// How the next token is drawn from the logits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SampleOptions {
    /// `p^(1/T)`; 0 is greedy (the most likely token).
    pub temperature: f64,
    /// Keep only the `k` most likely tokens.
    pub top_k: Option<usize>,
    /// Keep the most likely tokens whose probabilities add up to `p` (1
    /// keeps them all).
    pub top_p: Option<f64>,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            temperature: 1.0,
            top_k: None,
            top_p: None,
        }
    }
}

impl SampleOptions {
    pub fn validate(&self) -> Result<(), LmError> {
        if !(self.temperature >= 0.0 && self.temperature.is_finite()) {
            return Err(LmError::invalid_option(
                "temperature",
                format!(
                    "must be a finite number >= 0 (0 is greedy), not {}",
                    self.temperature
                ),
            ));
        }
        if self.top_k == Some(0) {
            return Err(LmError::invalid_option("top-k", "must be at least 1"));
        }
        if let Some(p) = self.top_p {
            if !(p > 0.0 && p <= 1.0) {
                return Err(LmError::invalid_option(
                    "top-p",
                    format!("must be in (0, 1], not {p}"),
                ));
            }
        }
        Ok(())
    }
}

/// Draws a token from `logits` (entries of `-inf` are never drawn, unless
/// all are). Probabilities are `exp((l - max) / T)`, computed in log space, so
/// a temperature near 0 approaches greedy decoding without overflow.
pub fn sample_token(
    logits: &[f32],
    opts: &SampleOptions,
    rng: &mut Rng,
    scratch: &mut Vec<(f64, u32)>,
) -> u32 {
    let argmax = || {
        let mut best = 0;
        for (i, &x) in logits.iter().enumerate() {
            if x > logits[best] {
                best = i;
            }
        }
        best as u32
    };
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if opts.temperature == 0.0 || opts.top_k == Some(1) || max == f32::NEG_INFINITY {
        return argmax();
    }
    let t = opts.temperature;
    scratch.clear();
    for (i, &x) in logits.iter().enumerate() {
        let p = ((x as f64 - max as f64) / t).exp();
        if p > 0.0 {
            scratch.push((p, i as u32));
        }
    }
    // A top-p of 1 keeps every token: no need to sort them.
    let top_p = opts.top_p.filter(|p| *p < 1.0);
    if opts.top_k.is_some() || top_p.is_some() {
        // Most likely first; ties by index, so the order is total.
        scratch.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        if let Some(k) = opts.top_k {
            scratch.truncate(k.max(1));
        }
        if let Some(p) = top_p {
            let total: f64 = scratch.iter().map(|e| e.0).sum();
            let mut acc = 0.0;
            let mut keep = scratch.len();
            for (i, e) in scratch.iter().enumerate() {
                acc += e.0;
                if acc >= p * total {
                    keep = i + 1;
                    break;
                }
            }
            scratch.truncate(keep.max(1));
        }
    }
    let total: f64 = scratch.iter().map(|e| e.0).sum();
    let mut u = rng.uniform_f64() * total;
    for &(p, i) in scratch.iter() {
        if u < p {
            return i;
        }
        u -= p;
    }
    scratch.last().map_or_else(argmax, |e| e.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temperature_zero_is_greedy_and_tiny_temperatures_are_too() {
        let logits = [0.1f32, 2.0, 1.99, -3.0];
        let mut rng = Rng::new(3);
        let mut scratch = Vec::new();
        for t in [0.0, 1e-12, 1e-3] {
            let o = SampleOptions {
                temperature: t,
                ..SampleOptions::default()
            };
            for _ in 0..50 {
                assert_eq!(sample_token(&logits, &o, &mut rng, &mut scratch), 1);
            }
        }
        // A high temperature reaches every token.
        let o = SampleOptions {
            temperature: 100.0,
            ..SampleOptions::default()
        };
        let mut seen = [false; 4];
        for _ in 0..400 {
            seen[sample_token(&logits, &o, &mut rng, &mut scratch) as usize] = true;
        }
        assert_eq!(seen, [true; 4]);
        assert!(SampleOptions {
            temperature: -0.5,
            ..o
        }
        .validate()
        .is_err());
        assert!(SampleOptions {
            temperature: f64::NAN,
            ..o
        }
        .validate()
        .is_err());
    }

    #[test]
    fn top_k_and_top_p_cut_the_tail() {
        let logits = [3.0f32, 2.9, 0.0, -1.0, 2.8];
        let mut rng = Rng::new(4);
        let mut scratch = Vec::new();
        let o = SampleOptions {
            temperature: 1.0,
            top_k: Some(2),
            top_p: None,
        };
        let mut seen = [0; 5];
        for _ in 0..500 {
            seen[sample_token(&logits, &o, &mut rng, &mut scratch) as usize] += 1;
        }
        assert!(seen[0] > 0 && seen[1] > 0);
        assert_eq!(seen[2] + seen[3] + seen[4], 0);
        let o = SampleOptions {
            temperature: 1.0,
            top_k: None,
            top_p: Some(0.5),
        };
        let mut seen = [0; 5];
        for _ in 0..500 {
            seen[sample_token(&logits, &o, &mut rng, &mut scratch) as usize] += 1;
        }
        // p(0) ≈ 0.36, p(1) ≈ 0.33: two tokens reach 0.5.
        assert!(seen[0] > 0 && seen[1] > 0);
        assert_eq!(seen[2] + seen[3] + seen[4], 0);
        // A top-p of 1 cuts nothing: the same draws as no top-p at all.
        let all = SampleOptions {
            top_p: Some(1.0),
            ..SampleOptions::default()
        };
        let (mut a, mut b) = (Rng::new(9), Rng::new(9));
        for _ in 0..200 {
            assert_eq!(
                sample_token(&logits, &all, &mut a, &mut scratch),
                sample_token(&logits, &SampleOptions::default(), &mut b, &mut scratch)
            );
        }
        // Masked tokens are never drawn.
        let masked = [f32::NEG_INFINITY, 1.0, f32::NEG_INFINITY];
        for _ in 0..50 {
            assert_eq!(
                sample_token(&masked, &SampleOptions::default(), &mut rng, &mut scratch),
                1
            );
        }
    }
}
