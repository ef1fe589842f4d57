//! One LSTM layer over a packed batch (Keras's gate order `i, f, c, o`),
//! starting from a zero state.
//!
//! Forward: the input projection of all steps is one product
//! `G = X·W + b`; each step then adds its recurrent product `h_{t-1}·U` and
//! runs the fused gate arithmetic. Backward sweeps the steps in reverse doing
//! only what must be sequential (the gate derivatives and `dG_t·Uᵀ`), and
//! computes the weight gradients afterwards as three large products.

use crate::config::RecurrentActivation;
use crate::kernels::packed::{gemm_packed, gemm_packed_raw, PackedB};
use crate::kernels::{add_column_sums, fill_rows, gemm, hard_sigmoid, sigmoid, Mat, Scalar, Trans};
use crate::packed_batch::Steps;
use crate::team::{Rows, Seat};

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

/// The recurrent kernel packed for the per-step products, forward (`U`)
/// and backward (`Uᵀ`). Packed once per batch, used at every step.
#[derive(Clone, Debug, Default)]
pub struct PackedRecurrent<T> {
    pub forward: PackedB<T>,
    pub backward: PackedB<T>,
    /// In a team ([`crate::team`]): this worker's hidden units `lo..hi`,
    /// the columns `g·H + lo..g·H + hi` of `U` for each gate `g` (`[H, hi-lo]`
    /// each), and the same columns of `Uᵀ` (`[4H, hi-lo]`).
    pub forward_parts: Vec<PackedB<T>>,
    pub backward_part: PackedB<T>,
}

impl<T: Scalar> PackedRecurrent<T> {
    /// Packs `U` (`recurrent[H, 4H]`) for the forward steps and `Uᵀ` for
    /// the backward steps, reusing the allocations.
    pub fn pack(&mut self, recurrent: &[T], hidden: usize) {
        self.pack_forward(recurrent, hidden);
        self.pack_backward(recurrent, hidden);
    }

    /// Packs `U` for the forward steps.
    pub fn pack_forward(&mut self, recurrent: &[T], hidden: usize) {
        self.forward.pack(Mat::new(
            &recurrent[..hidden * 4 * hidden],
            hidden,
            4 * hidden,
        ));
    }

    /// Packs `Uᵀ` for the backward steps.
    pub fn pack_backward(&mut self, recurrent: &[T], hidden: usize) {
        self.backward
            .pack(Mat::new(&recurrent[..hidden * 4 * hidden], hidden, 4 * hidden).t());
    }
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
#[inline(always)]
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
    cell_forward_units(act, [gi, gf, gc, go], c_prev, c, c_tanh, h);
}

/// [`cell_forward`] for some of the hidden units: the gates `i, f, c̃, o`
/// of those units and their states, all of the same length.
#[inline(always)]
fn cell_forward_units<T: Scalar>(
    act: RecurrentActivation,
    [gi, gf, gc, go]: [&mut [T]; 4],
    c_prev: Option<&[T]>,
    c: &mut [T],
    c_tanh: &mut [T],
    h: &mut [T],
) {
    let hid = c.len();
    let (gi, gf, gc, go) = (
        &mut gi[..hid],
        &mut gf[..hid],
        &mut gc[..hid],
        &mut go[..hid],
    );
    // The activation is chosen once, outside the loops: with the `match`
    // inside, the loops stayed scalar.
    for gate in [&mut *gi, &mut *gf, &mut *go] {
        match act {
            RecurrentActivation::Sigmoid => gate.iter_mut().for_each(|x| *x = sigmoid(*x)),
            RecurrentActivation::HardSigmoid => gate.iter_mut().for_each(|x| *x = hard_sigmoid(*x)),
        }
    }
    for x in gc.iter_mut() {
        *x = x.tanh_fast();
    }
    match c_prev {
        Some(prev) => {
            for j in 0..hid {
                c[j] = gf[j] * prev[j] + gi[j] * gc[j];
            }
        }
        None => {
            for j in 0..hid {
                c[j] = gi[j] * gc[j];
            }
        }
    }
    for j in 0..hid {
        let t = c[j].tanh_fast();
        c_tanh[j] = t;
        h[j] = go[j] * t;
    }
}

/// The gate arithmetic of one row, backwards: `g[4H]` holds the activated
/// gates on entry and their pre-activation gradients on exit; `dc` holds the
/// cell gradient from the next step on entry and for the previous on exit.
#[inline(always)]
fn cell_backward<T: Scalar>(
    act: RecurrentActivation,
    g: &mut [T],
    c_prev: Option<&[T]>,
    c_tanh: &[T],
    dh: &[T],
    dc: &mut [T],
) {
    let hid = dc.len();
    let (gi, rest) = g.split_at_mut(hid);
    let (gf, rest) = rest.split_at_mut(hid);
    let (gc, go) = rest.split_at_mut(hid);
    cell_backward_units(act, [gi, gf, gc, go], c_prev, c_tanh, dh, dc);
}

/// [`cell_backward`] for some of the hidden units (see [`cell_forward_units`]).
#[inline(always)]
fn cell_backward_units<T: Scalar>(
    act: RecurrentActivation,
    g: [&mut [T]; 4],
    c_prev: Option<&[T]>,
    c_tanh: &[T],
    dh: &[T],
    dc: &mut [T],
) {
    match c_prev {
        Some(prev) => cell_backward_loop::<T, true>(act, g, prev, c_tanh, dh, dc),
        None => cell_backward_loop::<T, false>(act, g, &[], c_tanh, dh, dc),
    }
}

/// [`cell_backward`] with the presence of `c_{t-1}` known at compile time,
/// so the loop has no branch and vectorises.
#[inline(always)]
fn cell_backward_loop<T: Scalar, const HAS_PREV: bool>(
    act: RecurrentActivation,
    [gi, gf, gc, go]: [&mut [T]; 4],
    prev: &[T],
    c_tanh: &[T],
    dh: &[T],
    dc: &mut [T],
) {
    let hid = dc.len();
    let (gi, gf, gc, go) = (
        &mut gi[..hid],
        &mut gf[..hid],
        &mut gc[..hid],
        &mut go[..hid],
    );
    let (c_tanh, dh) = (&c_tanh[..hid], &dh[..hid]);
    let prev = if HAS_PREV { &prev[..hid] } else { prev };
    for j in 0..hid {
        let (i, f, cc, o, tc, d_h) = (gi[j], gf[j], gc[j], go[j], c_tanh[j], dh[j]);
        let p = if HAS_PREV { prev[j] } else { T::zero() };
        let d_cell = dc[j] + d_h * o * (T::one() - tc * tc);
        gi[j] = d_cell * cc * gate_grad(act, i);
        gf[j] = d_cell * p * gate_grad(act, f);
        gc[j] = d_cell * i * (T::one() - cc * cc);
        go[j] = d_h * tc * gate_grad(act, o);
        dc[j] = d_cell * f;
    }
}

/// The cells of one step's rows: `gates[rows, 4H]`, `c_prev[rows, H]`
/// (absent at step 0), outputs `[rows, H]`.
#[inline(always)]
fn forward_cells_body<T: Scalar>(
    act: RecurrentActivation,
    hid: usize,
    gates: &mut [T],
    c_prev: Option<&[T]>,
    c: &mut [T],
    c_tanh: &mut [T],
    h: &mut [T],
) {
    let rows = c.len() / hid;
    for r in 0..rows {
        cell_forward(
            act,
            &mut gates[r * 4 * hid..(r + 1) * 4 * hid],
            c_prev.map(|p| &p[r * hid..(r + 1) * hid]),
            &mut c[r * hid..(r + 1) * hid],
            &mut c_tanh[r * hid..(r + 1) * hid],
            &mut h[r * hid..(r + 1) * hid],
        );
    }
}

crate::vectorized_fn!(
/// The forward cells of one step's rows: `gates[rows, 4H]` pre-activations
/// in, activated gates out; `c_prev`, `c`, `c_tanh`, `h` are `[rows, H]`.
pub fn forward_cells<T: Scalar>(
    act: RecurrentActivation,
    hid: usize,
    gates: &mut [T],
    c_prev: Option<&[T]>,
    c: &mut [T],
    c_tanh: &mut [T],
    h: &mut [T],
) => forward_cells_body);

/// The backward cells of one step's rows; `dc[rows, H]` carries the cell
/// gradient, zero for rows at or past `continuing` (sequences ending here).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn backward_cells_body<T: Scalar>(
    act: RecurrentActivation,
    hid: usize,
    continuing: usize,
    gates: &mut [T],
    c_prev: Option<&[T]>,
    c_tanh: &[T],
    dh: &[T],
    dc: &mut [T],
) {
    let rows = dc.len() / hid;
    for r in 0..rows {
        let dc_row = &mut dc[r * hid..(r + 1) * hid];
        if r >= continuing {
            dc_row.fill(T::zero());
        }
        cell_backward(
            act,
            &mut gates[r * 4 * hid..(r + 1) * 4 * hid],
            c_prev.map(|p| &p[r * hid..(r + 1) * hid]),
            &c_tanh[r * hid..(r + 1) * hid],
            &dh[r * hid..(r + 1) * hid],
            dc_row,
        );
    }
}

crate::vectorized_fn!(fn backward_cells<T: Scalar>(
    act: RecurrentActivation,
    hid: usize,
    continuing: usize,
    gates: &mut [T],
    c_prev: Option<&[T]>,
    c_tanh: &[T],
    dh: &[T],
    dc: &mut [T],
) => backward_cells_body);

/// Forward over all steps. `x: [N, I]`; fills `acts`.
pub fn lstm_forward<T: Scalar>(
    steps: &Steps,
    w: LstmWeights<T>,
    x: &[T],
    acts: LstmActivations<T>,
    packed: &mut PackedRecurrent<T>,
) {
    packed.pack_forward(w.recurrent, w.hidden);
    lstm_forward_packed(steps, w, x, acts, &packed.forward)
}

/// [`lstm_forward`] with `U` already packed (`u`, from
/// [`PackedRecurrent::pack_forward`] of `w.recurrent`): workers that share
/// one pack keep one copy of `U` in the caches instead of one each.
pub fn lstm_forward_packed<T: Scalar>(
    steps: &Steps,
    w: LstmWeights<T>,
    x: &[T],
    acts: LstmActivations<T>,
    u: &PackedB<T>,
) {
    let (hid, n) = (w.hidden, steps.rows());
    let g4 = 4 * hid;
    assert_eq!((u.k(), u.n()), (hid, g4), "U packed for another shape");
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
            gemm_packed(
                &h_done[p * hid..(p + rows) * hid],
                hid,
                rows,
                u,
                step_gates,
                g4,
            );
        }
        let c_prev = prev_off.map(|p| &c_done[p * hid..(p + rows) * hid]);
        forward_cells(
            w.activation,
            hid,
            step_gates,
            c_prev,
            &mut c_now[..rows * hid],
            &mut acts.cell_tanh[off * hid..(off + rows) * hid],
            &mut h_now[..rows * hid],
        );
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
#[allow(clippy::too_many_arguments)]
pub fn lstm_backward<T: Scalar>(
    steps: &Steps,
    w: LstmWeights<T>,
    x: &[T],
    acts: LstmActivations<T>,
    dh: &mut [T],
    dx: &mut [T],
    grads: LstmGrads<T>,
    scratch: LstmScratch<T>,
    packed: &mut PackedRecurrent<T>,
) {
    packed.pack_backward(w.recurrent, w.hidden);
    lstm_backward_packed(steps, w, x, acts, dh, dx, grads, scratch, &packed.backward)
}

/// [`lstm_backward`] with `Uᵀ` already packed (`ut`, from
/// [`PackedRecurrent::pack_backward`] of `w.recurrent`).
#[allow(clippy::too_many_arguments)]
pub fn lstm_backward_packed<T: Scalar>(
    steps: &Steps,
    w: LstmWeights<T>,
    x: &[T],
    acts: LstmActivations<T>,
    dh: &mut [T],
    dx: &mut [T],
    grads: LstmGrads<T>,
    scratch: LstmScratch<T>,
    ut: &PackedB<T>,
) {
    let hid = w.hidden;
    let g4 = 4 * hid;
    assert_eq!((ut.k(), ut.n()), (g4, hid), "Uᵀ packed for another shape");
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
        backward_cells(
            act,
            hid,
            continuing,
            &mut acts.gates[off * g4..(off + rows) * g4],
            prev_off.map(|p| &acts.cell[p * hid..(p + rows) * hid]),
            &acts.cell_tanh[off * hid..(off + rows) * hid],
            &dh[off * hid..(off + rows) * hid],
            &mut dc_carry[..rows * hid],
        );
        if let Some(p) = prev_off {
            // dh_{t-1} += dG_t · Uᵀ for the rows that continue.
            let (dh_prev, _) = dh.split_at_mut(off * hid);
            gemm_packed(
                &acts.gates[off * g4..(off + rows) * g4],
                g4,
                rows,
                ut,
                &mut dh_prev[p * hid..(p + rows) * hid],
                hid,
            );
        }
    }
    weight_gradients(steps, w, x, acts, dx, grads, scratch.h_prev);
}

/// The gradients of the weights and of the input, once the loop over the
/// steps has left `dG` in `acts.gates`: large products over all rows.
fn weight_gradients<T: Scalar>(
    steps: &Steps,
    w: LstmWeights<T>,
    x: &[T],
    acts: LstmActivations<T>,
    dx: &mut [T],
    grads: LstmGrads<T>,
    h_prev: &mut [T],
) {
    let (hid, n) = (w.hidden, steps.rows());
    let g4 = 4 * hid;
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
            h_prev[off * hid..(off + rows) * hid]
                .copy_from_slice(&acts.h[p * hid..(p + rows) * hid]);
        }
        gemm(
            T::one(),
            Mat::new(&h_prev[first * hid..n * hid], n - first, hid).t(),
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

/// The forward cells of hidden units `lo..hi` of one step's `rows` rows,
/// starting at row `off` of a team member's buffers `r`; `prev_off` is the
/// first row of the previous step (absent at step 0).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn team_forward_cells_body<T: Scalar>(
    act: RecurrentActivation,
    hid: usize,
    lo: usize,
    hi: usize,
    r: Rows<T>,
    off: usize,
    rows: usize,
    prev_off: Option<usize>,
) {
    let u = hi - lo;
    for i in 0..rows {
        let row = off + i;
        // SAFETY (the team protocol, `crate::team`): during this step only
        // this worker touches units `lo..hi` of these rows, and the buffers
        // are `[N, 4H]` / `[N, H]` with `row < N`.
        unsafe {
            let g = r.gates.add(row * 4 * hid + lo);
            let gate = |k: usize| std::slice::from_raw_parts_mut(g.add(k * hid), u);
            let unit =
                |p: *mut T, row: usize| std::slice::from_raw_parts_mut(p.add(row * hid + lo), u);
            cell_forward_units(
                act,
                [gate(0), gate(1), gate(2), gate(3)],
                prev_off.map(|p| &*unit(r.cell, p + i)),
                unit(r.cell, row),
                unit(r.cell_tanh, row),
                unit(r.h, row),
            );
        }
    }
}

crate::vectorized_fn!(fn team_forward_cells<T: Scalar>(
    act: RecurrentActivation,
    hid: usize,
    lo: usize,
    hi: usize,
    r: Rows<T>,
    off: usize,
    rows: usize,
    prev_off: Option<usize>,
) => team_forward_cells_body);

/// The backward cells of units `lo..hi` of one step's rows of a team
/// member (see [`team_forward_cells_body`]); rows at or past `continuing`
/// start with a zero cell gradient.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn team_backward_cells_body<T: Scalar>(
    act: RecurrentActivation,
    hid: usize,
    lo: usize,
    hi: usize,
    r: Rows<T>,
    off: usize,
    rows: usize,
    prev_off: Option<usize>,
    continuing: usize,
) {
    let u = hi - lo;
    for i in 0..rows {
        let row = off + i;
        // SAFETY: as in `team_forward_cells_body`; `dc` is `[B, H]` with
        // `i < B` (a step has at most B rows).
        unsafe {
            let g = r.gates.add(row * 4 * hid + lo);
            let gate = |k: usize| std::slice::from_raw_parts_mut(g.add(k * hid), u);
            let unit =
                |p: *mut T, row: usize| std::slice::from_raw_parts_mut(p.add(row * hid + lo), u);
            let dc = unit(r.dc, i);
            if i >= continuing {
                dc.fill(T::zero());
            }
            cell_backward_units(
                act,
                [gate(0), gate(1), gate(2), gate(3)],
                prev_off.map(|p| &*unit(r.cell, p + i)),
                unit(r.cell_tanh, row),
                unit(r.dh, row),
                dc,
            );
        }
    }
}

crate::vectorized_fn!(fn team_backward_cells<T: Scalar>(
    act: RecurrentActivation,
    hid: usize,
    lo: usize,
    hi: usize,
    r: Rows<T>,
    off: usize,
    rows: usize,
    prev_off: Option<usize>,
    continuing: usize,
) => team_backward_cells_body);

/// The step structure a team member published.
fn member_steps<T>(r: &Rows<T>) -> &Steps {
    // SAFETY: the member's batch outlives the team phase (`crate::team`).
    unsafe { &*r.steps }
}

/// [`lstm_forward`] as one worker of a team ([`crate::team`]): the input
/// projection of its own rows, then every step's recurrent product and
/// cells for the rows of all workers but only this worker's hidden units.
/// The results are the same bits as [`lstm_forward`] gives each worker.
pub fn lstm_forward_team<T: Scalar>(
    seat: Seat<T>,
    steps: &Steps,
    w: LstmWeights<T>,
    x: &[T],
    acts: LstmActivations<T>,
    packed: &mut PackedRecurrent<T>,
) {
    let (hid, n) = (w.hidden, steps.rows());
    let g4 = 4 * hid;
    let (lo, hi) = seat.units(hid);
    packed.forward_parts.resize_with(4, PackedB::new);
    for (g, part) in packed.forward_parts.iter_mut().enumerate() {
        part.pack(Mat {
            data: &w.recurrent[g * hid + lo..],
            rows: hid,
            cols: hi - lo,
            ld: g4,
            trans: Trans::No,
        });
    }
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
    // From here until the last wait this worker's own buffers, too, are
    // only reached through the published pointers.
    seat.publish(Rows {
        steps,
        gates: acts.gates.as_mut_ptr(),
        cell: acts.cell.as_mut_ptr(),
        cell_tanh: acts.cell_tanh.as_mut_ptr(),
        h: acts.h.as_mut_ptr(),
        ..Rows::default()
    });
    let members: Vec<Rows<T>> = (0..seat.members()).map(|j| seat.rows(j)).collect();
    let len = members
        .iter()
        .map(|r| member_steps(r).len())
        .max()
        .unwrap_or(0);
    for t in 0..len {
        for r in &members {
            let steps = member_steps(r);
            if t >= steps.len() {
                continue;
            }
            let (off, rows) = (steps.offsets[t], steps.sizes[t]);
            let prev_off = (t > 0).then(|| steps.offsets[t - 1]);
            if let Some(p) = prev_off {
                // SAFETY: `h` of the previous step is complete (everyone
                // passed the barrier) and nobody writes those rows now; the
                // gate columns written are this worker's alone.
                unsafe {
                    let h_prev = std::slice::from_raw_parts(r.h.add(p * hid), rows * hid);
                    for (g, part) in packed.forward_parts.iter().enumerate() {
                        let c = r.gates.add(off * g4 + g * hid + lo);
                        gemm_packed_raw(h_prev, hid, rows, part, c, g4);
                    }
                }
            }
            team_forward_cells(w.activation, hid, lo, hi, *r, off, rows, prev_off);
        }
        seat.wait();
    }
}

/// [`lstm_backward`] as one worker of a team: every step's cells and
/// `dG_t·Uᵀ` for the rows of all workers but only this worker's hidden
/// units (of `dh_{t-1}` and of the cells), then the weight gradients of its
/// own rows. The same bits as [`lstm_backward`] gives each worker.
#[allow(clippy::too_many_arguments)]
pub fn lstm_backward_team<T: Scalar>(
    seat: Seat<T>,
    steps: &Steps,
    w: LstmWeights<T>,
    x: &[T],
    acts: LstmActivations<T>,
    dh: &mut [T],
    dx: &mut [T],
    grads: LstmGrads<T>,
    scratch: LstmScratch<T>,
    packed: &mut PackedRecurrent<T>,
) {
    let hid = w.hidden;
    let g4 = 4 * hid;
    let (lo, hi) = seat.units(hid);
    // Rows lo..hi of U are the columns lo..hi of Uᵀ: [4H, hi - lo].
    packed
        .backward_part
        .pack(Mat::new(&w.recurrent[lo * g4..hi * g4], hi - lo, g4).t());
    let dc_carry = &mut scratch.dc_carry[..steps.sequences() * hid];
    dc_carry.fill(T::zero());
    seat.publish(Rows {
        steps,
        gates: acts.gates.as_mut_ptr(),
        cell: acts.cell.as_mut_ptr(),
        cell_tanh: acts.cell_tanh.as_mut_ptr(),
        dh: dh.as_mut_ptr(),
        dc: dc_carry.as_mut_ptr(),
        ..Rows::default()
    });
    let members: Vec<Rows<T>> = (0..seat.members()).map(|j| seat.rows(j)).collect();
    let len = members
        .iter()
        .map(|r| member_steps(r).len())
        .max()
        .unwrap_or(0);
    for t in (0..len).rev() {
        for r in &members {
            let steps = member_steps(r);
            if t >= steps.len() {
                continue;
            }
            let (off, rows) = (steps.offsets[t], steps.sizes[t]);
            let continuing = steps.sizes.get(t + 1).copied().unwrap_or(0);
            let prev_off = (t > 0).then(|| steps.offsets[t - 1]);
            team_backward_cells(
                w.activation,
                hid,
                lo,
                hi,
                *r,
                off,
                rows,
                prev_off,
                continuing,
            );
        }
        // dG_t of all units is needed by everyone's product.
        seat.wait();
        if t == 0 {
            break;
        }
        for r in &members {
            let steps = member_steps(r);
            if t >= steps.len() {
                continue;
            }
            let (off, rows, p) = (steps.offsets[t], steps.sizes[t], steps.offsets[t - 1]);
            // SAFETY: dG_t is complete and read-only until the next wait
            // (the cells of step t - 1 write other rows); the columns
            // lo..hi of dh_{t-1} are this worker's alone.
            unsafe {
                let dg = std::slice::from_raw_parts(r.gates.add(off * g4), rows * g4);
                gemm_packed_raw(
                    dg,
                    g4,
                    rows,
                    &packed.backward_part,
                    r.dh.add(p * hid + lo),
                    hid,
                );
            }
        }
    }
    weight_gradients(steps, w, x, acts, dx, grads, scratch.h_prev);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cells compiled for the widest vectors here (AVX-512 or AVX2, as
    /// dispatched) give the bits of the same code compiled plainly: the
    /// width must never change a result.
    #[test]
    fn vector_widths_give_the_same_bits_as_plain_code() {
        let (hid, rows) = (37, 5);
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ((state % 20_001) as f32 - 10_000.0) / 1_500.0
        };
        let gates: Vec<f32> = (0..rows * 4 * hid).map(|_| next()).collect();
        let c_prev: Vec<f32> = (0..rows * hid).map(|_| next()).collect();
        let dh: Vec<f32> = (0..rows * hid).map(|_| next()).collect();
        let dc0: Vec<f32> = (0..rows * hid).map(|_| next()).collect();
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for act in [
            RecurrentActivation::Sigmoid,
            RecurrentActivation::HardSigmoid,
        ] {
            let run = |dispatched: bool| {
                let (mut g, mut c, mut ct, mut h) = (
                    gates.clone(),
                    vec![0.0f32; rows * hid],
                    vec![0.0f32; rows * hid],
                    vec![0.0f32; rows * hid],
                );
                let mut dc = dc0.clone();
                if dispatched {
                    forward_cells(act, hid, &mut g, Some(&c_prev), &mut c, &mut ct, &mut h);
                    backward_cells(act, hid, 3, &mut g, Some(&c_prev), &ct, &dh, &mut dc);
                } else {
                    forward_cells_body(act, hid, &mut g, Some(&c_prev), &mut c, &mut ct, &mut h);
                    backward_cells_body(act, hid, 3, &mut g, Some(&c_prev), &ct, &dh, &mut dc);
                }
                [bits(&g), bits(&c), bits(&ct), bits(&h), bits(&dc)]
            };
            assert_eq!(run(true), run(false), "{act:?}");
        }
    }
}
