//! One parameter block: every tensor of the model lives in a single `Vec`,
//! at offsets given by [`ParamLayout`]. Gradients and Adam's moments use the
//! same layout, so the optimizer is one loop over flat slices.
//!
//! Tensor names and layouts (row-major, as in Keras; PyTorch users transpose
//! the kernels and split the gates into `i, f, g, o` = Keras's `i, f, c, o`):
//!
//! | name | shape | meaning |
//! |---|---|---|
//! | `embedding` | `[V, H]` | character embedding, also the tied output |
//! | `lstm.{l}.kernel` | `[I, 4H]` | input weights, gate blocks `i f c o` |
//! | `lstm.{l}.recurrent_kernel` | `[H, 4H]` | recurrent weights |
//! | `lstm.{l}.bias` | `[4H]` | gate biases |
//! | `dense.kernel` | `[H, H]` | relu layer after the LSTMs |
//! | `dense.bias` | `[H]` | |
//! | `output.kernel` | `[H, V]` | untied models only |
//! | `output.bias` | `[V]` | untied models only |

use crate::config::ModelConfig;
use crate::kernels::Scalar;
use crate::rng::Rng;

/// Where one named tensor lives in the parameter block.
#[derive(Clone, Debug, PartialEq)]
pub struct TensorSpec {
    pub name: String,
    pub shape: Vec<usize>,
    pub offset: usize,
}

impl TensorSpec {
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn range(&self) -> std::ops::Range<usize> {
        self.offset..self.offset + self.len()
    }
}

/// Offsets of the tensors of one LSTM layer.
#[derive(Clone, Copy, Debug)]
pub struct LstmOffsets {
    pub input: usize,
    pub kernel: usize,
    pub recurrent: usize,
    pub bias: usize,
}

/// The tensors of a model in their fixed order.
#[derive(Clone, Debug)]
pub struct ParamLayout {
    pub tensors: Vec<TensorSpec>,
    pub embedding: usize,
    pub lstm: Vec<LstmOffsets>,
    pub dense_kernel: usize,
    pub dense_bias: usize,
    /// `(kernel, bias)` of the untied output layer.
    pub output: Option<(usize, usize)>,
    pub total: usize,
}

impl ParamLayout {
    pub fn new(cfg: &ModelConfig) -> Self {
        let (v, h) = (cfg.vocab_size, cfg.hidden);
        let mut tensors = Vec::new();
        let mut total = 0;
        let mut push = |name: String, shape: Vec<usize>| {
            let offset = total;
            total += shape.iter().product::<usize>();
            tensors.push(TensorSpec {
                name,
                shape,
                offset,
            });
            offset
        };
        let embedding = push("embedding".into(), vec![v, h]);
        let lstm = (0..cfg.layers)
            .map(|l| LstmOffsets {
                input: h,
                kernel: push(format!("lstm.{l}.kernel"), vec![h, 4 * h]),
                recurrent: push(format!("lstm.{l}.recurrent_kernel"), vec![h, 4 * h]),
                bias: push(format!("lstm.{l}.bias"), vec![4 * h]),
            })
            .collect();
        let dense_kernel = push("dense.kernel".into(), vec![h, h]);
        let dense_bias = push("dense.bias".into(), vec![h]);
        let output = (!cfg.tied).then(|| {
            (
                push("output.kernel".into(), vec![h, v]),
                push("output.bias".into(), vec![v]),
            )
        });
        ParamLayout {
            tensors,
            embedding,
            lstm,
            dense_kernel,
            dense_bias,
            output,
            total,
        }
    }

    pub fn get(&self, name: &str) -> Option<&TensorSpec> {
        self.tensors.iter().find(|t| t.name == name)
    }
}

/// Keras's initialisation: embedding uniform ±0.05; LSTM kernels Glorot
/// uniform, recurrent kernels orthogonal, biases zero except the forget
/// gate's one; dense Glorot uniform with zero bias.
pub fn init_params<T: Scalar>(cfg: &ModelConfig, layout: &ParamLayout, rng: &mut Rng) -> Vec<T> {
    let mut p = vec![T::zero(); layout.total];
    let (v, h) = (cfg.vocab_size, cfg.hidden);
    let fill_uniform = |p: &mut [T], limit: f64, rng: &mut Rng| {
        for x in p {
            *x = T::from_f64((rng.uniform_f64() * 2.0 - 1.0) * limit);
        }
    };
    let glorot = |fan_in: usize, fan_out: usize| (6.0 / (fan_in + fan_out) as f64).sqrt();
    fill_uniform(
        &mut p[layout.embedding..layout.embedding + v * h],
        0.05,
        rng,
    );
    for l in &layout.lstm {
        fill_uniform(
            &mut p[l.kernel..l.kernel + l.input * 4 * h],
            glorot(l.input, 4 * h),
            rng,
        );
        let q = orthogonal(h, 4 * h, rng);
        for (dst, src) in p[l.recurrent..l.recurrent + h * 4 * h].iter_mut().zip(&q) {
            *dst = T::from_f64(*src);
        }
        for x in &mut p[l.bias + h..l.bias + 2 * h] {
            *x = T::one();
        }
    }
    fill_uniform(
        &mut p[layout.dense_kernel..layout.dense_kernel + h * h],
        glorot(h, h),
        rng,
    );
    if let Some((kernel, _bias)) = layout.output {
        fill_uniform(&mut p[kernel..kernel + h * v], glorot(h, v), rng);
    }
    p
}

/// Keras's `Orthogonal` initializer for a `rows x cols` matrix: the Q factor
/// of a Gaussian matrix (of the transposed shape when `rows < cols`), with the
/// signs fixed by R's diagonal so the result is uniformly distributed.
pub fn orthogonal(rows: usize, cols: usize, rng: &mut Rng) -> Vec<f64> {
    let (n, k) = if rows < cols {
        (cols, rows)
    } else {
        (rows, cols)
    };
    // k column vectors of length n, orthonormalised by modified Gram-Schmidt
    // (equivalent to QR with a positive diagonal of R).
    let mut q: Vec<Vec<f64>> = (0..k)
        .map(|_| (0..n).map(|_| rng.normal_f64()).collect())
        .collect();
    for j in 0..k {
        for i in 0..j {
            let (done, rest) = q.split_at_mut(j);
            let dot: f64 = done[i].iter().zip(&rest[0]).map(|(a, b)| a * b).sum();
            for (x, y) in rest[0].iter_mut().zip(&done[i]) {
                *x -= dot * y;
            }
        }
        let norm = q[j].iter().map(|x| x * x).sum::<f64>().sqrt();
        for x in &mut q[j] {
            *x /= norm;
        }
    }
    // q[j][i] is Q[i][j] of the n x k factor.
    let mut out = vec![0.0; rows * cols];
    for r in 0..rows {
        for c in 0..cols {
            out[r * cols + c] = if rows < cols { q[r][c] } else { q[c][r] };
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_model_has_the_seeds_parameter_count() {
        let layout = ParamLayout::new(&ModelConfig::seed(102));
        assert_eq!(layout.total, 4_305_500);
        assert_eq!(
            layout.get("lstm.1.recurrent_kernel").unwrap().shape,
            [500, 2000]
        );
    }

    #[test]
    fn orthogonal_rows_are_orthonormal() {
        let mut rng = Rng::new(3);
        let (r, c) = (6, 24);
        let q = orthogonal(r, c, &mut rng);
        for i in 0..r {
            for j in 0..r {
                let dot: f64 = (0..c).map(|k| q[i * c + k] * q[j * c + k]).sum();
                let want = if i == j { 1.0 } else { 0.0 };
                assert!((dot - want).abs() < 1e-10, "{i},{j}: {dot}");
            }
        }
    }

    #[test]
    fn forget_gate_bias_starts_at_one() {
        let cfg = ModelConfig {
            hidden: 4,
            ..ModelConfig::seed(10)
        };
        let layout = ParamLayout::new(&cfg);
        let p: Vec<f32> = init_params(&cfg, &layout, &mut Rng::new(1));
        let b = layout.lstm[0].bias;
        assert_eq!(
            &p[b..b + 16],
            &[0., 0., 0., 0., 1., 1., 1., 1., 0., 0., 0., 0., 0., 0., 0., 0.]
        );
    }
}
