//! Adam as Keras implements it: `lr_t = lr·√(1-β2^t)/(1-β1^t)`,
//! `p -= lr_t·m/(√v + ε)`, with ε outside the square root and not corrected.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdamConfig {
    pub learning_rate: f32,
    pub beta1: f32,
    pub beta2: f32,
    pub epsilon: f32,
}

impl Default for AdamConfig {
    /// Keras's defaults.
    fn default() -> Self {
        AdamConfig {
            learning_rate: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-7,
        }
    }
}

/// Adam's moments for one parameter block.
#[derive(Clone, Debug)]
pub struct Adam {
    pub config: AdamConfig,
    /// Updates applied so far.
    pub step: u64,
    pub m: Vec<f32>,
    pub v: Vec<f32>,
}

/// Chunk of parameters updated by one task: large enough to amortise
/// scheduling, small enough to split the work over the cores.
const CHUNK: usize = 1 << 16;

impl Adam {
    pub fn new(config: AdamConfig, len: usize) -> Self {
        Adam {
            config,
            step: 0,
            m: vec![0.0; len],
            v: vec![0.0; len],
        }
    }

    /// One update of `params` with gradient `grads`.
    pub fn update(&mut self, params: &mut [f32], grads: &[f32]) {
        assert_eq!(params.len(), grads.len());
        assert_eq!(params.len(), self.m.len());
        self.step += 1;
        let c = self.config;
        let t = self.step as f64;
        let lr_t = (c.learning_rate as f64 * (1.0 - (c.beta2 as f64).powf(t)).sqrt()
            / (1.0 - (c.beta1 as f64).powf(t))) as f32;
        let (b1, b2, eps) = (c.beta1, c.beta2, c.epsilon);
        params
            .par_chunks_mut(CHUNK)
            .zip(grads.par_chunks(CHUNK))
            .zip(self.m.par_chunks_mut(CHUNK))
            .zip(self.v.par_chunks_mut(CHUNK))
            .for_each(|(((p, g), m), v)| {
                for i in 0..p.len() {
                    m[i] = b1 * m[i] + (1.0 - b1) * g[i];
                    v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i];
                    p[i] -= lr_t * m[i] / (v[i].sqrt() + eps);
                }
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_step_moves_each_parameter_by_about_the_learning_rate() {
        let mut adam = Adam::new(AdamConfig::default(), 3);
        let mut p = [1.0f32, 1.0, 1.0];
        adam.update(&mut p, &[0.5, -2.0, 0.0]);
        // m = 0.1 g, v = 0.001 g², lr_t = 1e-3 · √0.001 / 0.1: a step of ±lr.
        assert!((p[0] - (1.0 - 1e-3)).abs() < 1e-6, "{}", p[0]);
        assert!((p[1] - (1.0 + 1e-3)).abs() < 1e-6, "{}", p[1]);
        assert_eq!(p[2], 1.0);
    }
}
