//! One LSTM layer over a packed batch (Keras's gate order `i, f, c, o`),
//! starting from a zero state.
//!
//! Forward: the input projection of all steps is one product
//! `G = X·W + b`; each step then adds its recurrent product `h_{t-1}·U` and
//! runs the fused gate arithmetic. Backward sweeps the steps in reverse doing
//! only what must be sequential (the gate derivatives and `dG_t·Uᵀ`), and
//! computes the weight gradients afterwards as three large products.

use crate::batch::Steps;
use crate::config::RecurrentActivation;
use crate::kernels::{add_column_sums, fill_rows, gemm, hard_sigmoid, sigmoid, Mat, Scalar};

/// The weights of one layer: `kernel[I, 4H]`, `recurrent[H, 4H]`, `bias[4H]`.
#[derive(Clone, Copy)]
pub struct LstmWeights<'a, T> {
    pub kernel: &'a [T],
    pub recurrent: &'a [T],
    pub bias: &'a [T],
    pub input: usize,
    pub hidden: usize,
    pub activation: RecurrentActivation,
}

/// Gradients of one layer's weights, accumulated.
pub struct LstmGrads<'a, T> {
    pub kernel: &'a mut [T],
    pub recurrent: &'a mut [T],
    pub bias: &'a mut [T],
}

/// What the forward pass keeps for the backward pass.
pub struct LstmActivations<'a, T> {
    /// `[N, 4H]` activated gates `i, f, c̃, o` (overwritten by `dG` in backward).
    pub gates: &'a mut [T],
    /// `[N, H]` cell state `c_t`.
    pub cell: &'a mut [T],
    /// `[N, H]` `tanh(c_t)`.
    pub cell_tanh: &'a mut [T],
    /// `[N, H]` output `h_t`.
    pub h: &'a mut [T],
}

#[inline(always)]
fn gate<T: Scalar>(act: RecurrentActivation, x: T) -> T {
    match act {
        RecurrentActivation::Sigmoid => sigmoid(x),
        RecurrentActivation::HardSigmoid => hard_sigmoid(x),
    }
}

/// Derivative of the gate activation, from its output `y`.
#[inline(always)]
fn gate_grad<T: Scalar>(act: RecurrentActivation, y: T) -> T {
    match act {
        RecurrentActivation::Sigmoid => y * (T::one() - y),
        RecurrentActivation::HardSigmoid => {
            if y > T::zero() && y < T::one() {
                T::from_f64(0.2)
            } else {
                T::zero()
            }
        }
    }
}

/// The fused gate arithmetic of one row: `g[4H]` holds pre-activations on
/// entry and activated gates on exit; writes `c_t`, `tanh(c_t)` and `h_t`.
#[inline]
pub fn cell_forward<T: Scalar>(
    act: RecurrentActivation,
    g: &mut [T],
    c_prev: Option<&[T]>,
    c: &mut [T],
    c_tanh: &mut [T],
    h: &mut [T],
) {
    let hid = c.len();
    let (gi, rest) = g.split_at_mut(hid);
    let (gf, rest) = rest.split_at_mut(hid);
    let (gc, go) = rest.split_at_mut(hid);
    for j in 0..hid {
        let i = gate(act, gi[j]);
        let f = gate(act, gf[j]);
        let cc = gc[j].tanh();
        let o = gate(act, go[j]);
        let prev = c_prev.map_or(T::zero(), |p| p[j]);
        let cell = f * prev + i * cc;
        let t = cell.tanh();
        gi[j] = i;
        gf[j] = f;
        gc[j] = cc;
        go[j] = o;
        c[j] = cell;
        c_tanh[j] = t;
        h[j] = o * t;
    }
}

/// Forward over all steps. `x: [N, I]`; fills `acts`.
pub fn lstm_forward<T: Scalar>(
    steps: &Steps,
    w: LstmWeights<T>,
    x: &[T],
    acts: LstmActivations<T>,
) {
    let (hid, n) = (w.hidden, steps.rows());
    let g4 = 4 * hid;
    let gates = &mut acts.gates[..n * g4];
    fill_rows(gates, w.bias);
    gemm(
        T::one(),
        Mat::new(&x[..n * w.input], n, w.input),
        Mat::new(w.kernel, w.input, g4),
        T::one(),
        gates,
        g4,
    );
    for t in 0..steps.len() {
        let (off, rows) = (steps.offsets[t], steps.sizes[t]);
        let step_gates = &mut gates[off * g4..(off + rows) * g4];
        // Rows of step t-1 that continue into step t are its first `rows`.
        let prev_off = if t > 0 {
            Some(steps.offsets[t - 1])
        } else {
            None
        };
        let (h_done, h_now) = acts.h.split_at_mut(off * hid);
        let (c_done, c_now) = acts.cell.split_at_mut(off * hid);
        if let Some(p) = prev_off {
            gemm(
                T::one(),
                Mat::new(&h_done[p * hid..(p + rows) * hid], rows, hid),
                Mat::new(w.recurrent, hid, g4),
                T::one(),
                step_gates,
                g4,
            );
        }
        for r in 0..rows {
            let c_prev = prev_off.map(|p| &c_done[(p + r) * hid..(p + r + 1) * hid]);
            cell_forward(
                w.activation,
                &mut step_gates[r * g4..(r + 1) * g4],
                c_prev,
                &mut c_now[r * hid..(r + 1) * hid],
                &mut acts.cell_tanh[(off + r) * hid..(off + r + 1) * hid],
                &mut h_now[r * hid..(r + 1) * hid],
            );
        }
    }
}

/// Scratch buffers of the backward pass.
pub struct LstmScratch<'a, T> {
    /// `[N, H]`: `h_{t-1}` aligned with the rows of step `t`.
    pub h_prev: &'a mut [T],
    /// `[B, H]`: `dc` flowing from step `t + 1` to step `t`.
    pub dc_carry: &'a mut [T],
}

/// Backward over all steps. On entry `dh: [N, H]` is the gradient of the
/// loss with respect to `h` from the layer above (it is also used to carry the
/// recurrent gradient and is clobbered); `acts` are the forward activations
/// (`gates` is overwritten by the pre-activation gradients). Writes
/// `dx: [N, I]`, accumulates the weight gradients.
pub fn lstm_backward<T: Scalar>(
    steps: &Steps,
    w: LstmWeights<T>,
    x: &[T],
    acts: LstmActivations<T>,
    dh: &mut [T],
    dx: &mut [T],
    grads: LstmGrads<T>,
    scratch: LstmScratch<T>,
) {
    let (hid, n) = (w.hidden, steps.rows());
    let g4 = 4 * hid;
    let act = w.activation;
    let dc_carry = &mut scratch.dc_carry[..steps.sequences() * hid];
    dc_carry.fill(T::zero());
    for t in (0..steps.len()).rev() {
        let (off, rows) = (steps.offsets[t], steps.sizes[t]);
        let continuing = steps.sizes.get(t + 1).copied().unwrap_or(0);
        let prev_off = if t > 0 {
            Some(steps.offsets[t - 1])
        } else {
            None
        };
        for r in 0..rows {
            let row = off + r;
            let g = &mut acts.gates[row * g4..(row + 1) * g4];
            let c_tanh = &acts.cell_tanh[row * hid..(row + 1) * hid];
            let dh_row = &dh[row * hid..(row + 1) * hid];
            let dc_row = &mut dc_carry[r * hid..(r + 1) * hid];
            let c_prev = prev_off.map(|p| &acts.cell[(p + r) * hid..(p + r + 1) * hid]);
            let from_next = r < continuing;
            for j in 0..hid {
                let (i, f, cc, o) = (g[j], g[hid + j], g[2 * hid + j], g[3 * hid + j]);
                let tc = c_tanh[j];
                let d_h = dh_row[j];
                let carried = if from_next { dc_row[j] } else { T::zero() };
                let dc = carried + d_h * o * (T::one() - tc * tc);
                let prev = c_prev.map_or(T::zero(), |p| p[j]);
                g[j] = dc * cc * gate_grad(act, i);
                g[hid + j] = dc * prev * gate_grad(act, f);
                g[2 * hid + j] = dc * i * (T::one() - cc * cc);
                g[3 * hid + j] = d_h * tc * gate_grad(act, o);
                dc_row[j] = dc * f;
            }
        }
        if let Some(p) = prev_off {
            // dh_{t-1} += dG_t · Uᵀ for the rows that continue.
            let (dh_prev, _) = dh.split_at_mut(off * hid);
            gemm(
                T::one(),
                Mat::new(&acts.gates[off * g4..(off + rows) * g4], rows, g4),
                Mat::new(w.recurrent, hid, g4).t(),
                T::one(),
                &mut dh_prev[p * hid..(p + rows) * hid],
                hid,
            );
        }
    }
    let dg = &acts.gates[..n * g4];
    // Weight gradients as large products over all rows.
    gemm(
        T::one(),
        Mat::new(&x[..n * w.input], n, w.input).t(),
        Mat::new(dg, n, g4),
        T::one(),
        grads.kernel,
        g4,
    );
    add_column_sums(grads.bias, dg);
    let first = steps.sizes.first().copied().unwrap_or(0);
    if n > first {
        // Step 0 starts from h = 0 and adds nothing to dU.
        for t in 1..steps.len() {
            let (off, rows, p) = (steps.offsets[t], steps.sizes[t], steps.offsets[t - 1]);
            scratch.h_prev[off * hid..(off + rows) * hid]
                .copy_from_slice(&acts.h[p * hid..(p + rows) * hid]);
        }
        gemm(
            T::one(),
            Mat::new(&scratch.h_prev[first * hid..n * hid], n - first, hid).t(),
            Mat::new(&dg[first * g4..], n - first, g4),
            T::one(),
            grads.recurrent,
            g4,
        );
    }
    gemm(
        T::one(),
        Mat::new(dg, n, g4),
        Mat::new(w.kernel, w.input, g4).t(),
        T::zero(),
        &mut dx[..n * w.input],
        w.input,
    );
}
