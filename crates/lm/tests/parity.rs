//! Parity with a PyTorch reference: loss, every gradient and two Keras-Adam
//! steps of small models (tied + sigmoid, untied + hard_sigmoid), against the
//! fixtures written by `tests/fixtures/make_parity_fixture.py`.
//!
//! The fixtures hold float32 weights and float64 references computed from
//! those exact weights, so the differences measured here are the Rust f32
//! model's own rounding.

use std::collections::BTreeMap;
use std::fmt::Write;

use cardlm_lm::params::ParamLayout;
use cardlm_lm::{Adam, AdamConfig, Mode, Model, ModelConfig, PackedBatch};
use serde::Deserialize;

/// Largest accepted `max|rust - ref| / max|ref|` of one tensor.
const TOLERANCE: f64 = 1e-5;

type Tensors = BTreeMap<String, Vec<f64>>;

#[derive(Deserialize)]
struct Fixture {
    config: ModelConfig,
    adam: AdamConfig,
    sequences: Vec<Vec<u32>>,
    weights: Tensors,
    loss: f64,
    grads: Tensors,
    weights_after_step1: Tensors,
    loss_step2: f64,
    weights_after_step2: Tensors,
}

fn load(name: &str) -> Fixture {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The flat f32 parameter block of `tensors`, in `layout`.
fn flatten(layout: &ParamLayout, tensors: &Tensors) -> Vec<f32> {
    assert_eq!(
        tensors.len(),
        layout.tensors.len(),
        "the fixture's tensors are not the model's"
    );
    let mut flat = vec![f32::NAN; layout.total];
    for spec in &layout.tensors {
        let values = tensors
            .get(&spec.name)
            .unwrap_or_else(|| panic!("fixture lacks {}", spec.name));
        assert_eq!(values.len(), spec.len(), "{}: wrong size", spec.name);
        for (dst, &src) in flat[spec.range()].iter_mut().zip(values) {
            *dst = src as f32;
        }
    }
    flat
}

/// `max|a - b| / max(max|b|, tiny)`.
fn relative_error(actual: &[f32], reference: &[f64]) -> f64 {
    let diff = actual
        .iter()
        .zip(reference)
        .map(|(&a, &b)| (a as f64 - b).abs())
        .fold(0.0, f64::max);
    let scale = reference.iter().map(|b| b.abs()).fold(0.0, f64::max);
    diff / scale.max(1e-30)
}

/// Compares every tensor of `actual` with the reference; reports each error
/// to `log` and panics naming every tensor over the tolerance.
fn compare(log: &mut String, what: &str, model: &Model<f32>, actual: &[f32], reference: &Tensors) {
    let mut failures = Vec::new();
    let mut worst = (0.0, "");
    for spec in &model.layout.tensors {
        let want = &reference[&spec.name];
        let err = relative_error(&actual[spec.range()], want);
        writeln!(log, "  {what} {:<26} relative error {err:.2e}", spec.name).unwrap();
        if err > worst.0 || err.is_nan() {
            worst = (err, &spec.name);
        }
        if err.is_nan() || err > TOLERANCE {
            failures.push(format!("{} ({err:.2e})", spec.name));
        }
    }
    writeln!(log, "  {what}: worst {} at {:.2e}", worst.1, worst.0).unwrap();
    if !failures.is_empty() {
        eprint!("{log}");
    }
    assert!(
        failures.is_empty(),
        "{what} differs from PyTorch beyond {TOLERANCE:e}: {}",
        failures.join(", ")
    );
}

/// Mean loss and its gradient at the model's current weights.
fn loss_and_grads(model: &Model<f32>, batch: &PackedBatch) -> (f64, Vec<f32>) {
    let mut ws = model.workspace(batch.rows(), batch.steps.sequences());
    let mut grads = vec![0.0f32; model.params.len()];
    let scale = 1.0 / batch.rows() as f32;
    let stats = model.forward_backward(batch, &mut ws, Mode::Eval, scale, &mut grads);
    assert_eq!(stats.positions, batch.rows());
    (stats.mean_loss(), grads)
}

fn assert_loss(log: &mut String, what: &str, actual: f64, reference: f64) {
    let err = (actual - reference).abs() / reference.abs();
    writeln!(
        log,
        "  {what}: rust {actual:.9} torch {reference:.9} relative error {err:.2e}"
    )
    .unwrap();
    let ok = err < TOLERANCE; // false for NaN too
    if !ok {
        eprint!("{log}");
    }
    assert!(ok, "{what}: {actual} vs PyTorch {reference}");
}

/// Runs the comparisons of one fixture; the report is printed at the end
/// (or at the first failure), so parallel tests do not interleave.
fn check(name: &str) {
    let mut log = format!("{name}:\n");
    let fx = load(name);
    let params = flatten(&ParamLayout::new(&fx.config), &fx.weights);
    let mut model = Model::<f32>::from_params(fx.config.clone(), params).unwrap();
    let sequences: Vec<&[u32]> = fx.sequences.iter().map(Vec::as_slice).collect();
    let batch = PackedBatch::pack(&sequences);
    let expected_positions: usize = fx.sequences.iter().map(|s| s.len() - 1).sum();
    assert_eq!(batch.rows(), expected_positions);

    // Loss and gradients at the fixture's weights.
    let (loss, grads) = loss_and_grads(&model, &batch);
    assert_loss(&mut log, "loss", loss, fx.loss);
    for spec in &model.layout.tensors {
        let g = &grads[spec.range()];
        assert!(
            g.iter().any(|x| x.abs() > 1e-6),
            "gradient of {} is all zeros",
            spec.name
        );
    }
    compare(&mut log, "grad", &model, &grads, &fx.grads);

    // Two Keras-Adam steps, the gradient recomputed in between.
    let config = AdamConfig {
        learning_rate: 0.01,
        ..AdamConfig::default()
    };
    assert_eq!(config, fx.adam, "the fixture used other Adam settings");
    let mut adam = Adam::new(config, model.params.len());
    adam.update(&mut model.params, &grads);
    compare(
        &mut log,
        "step 1",
        &model,
        &model.params,
        &fx.weights_after_step1,
    );
    let (loss2, grads2) = loss_and_grads(&model, &batch);
    assert_loss(&mut log, "loss after step 1", loss2, fx.loss_step2);
    adam.update(&mut model.params, &grads2);
    compare(
        &mut log,
        "step 2",
        &model,
        &model.params,
        &fx.weights_after_step2,
    );
    assert!(loss2 < loss, "an Adam step should lower the loss");
    eprint!("{log}");
}

#[test]
fn tied_sigmoid_matches_pytorch() {
    check("parity_tied_sigmoid.json");
}

#[test]
fn untied_hard_sigmoid_matches_pytorch() {
    check("parity_untied_hard_sigmoid.json");
}
