//! Finite-difference gradient checks in f64: each layer on its own, and the
//! whole model (tied and untied, both gate activations, with dropout).

use cardlm_lm::layers::dense::{dense_relu_backward, dense_relu_forward};
use cardlm_lm::layers::lstm::{
    lstm_backward, lstm_forward, LstmActivations, LstmGrads, LstmScratch, LstmWeights,
    PackedRecurrent,
};
use cardlm_lm::layers::output::{
    logits_backward, logits_forward, softmax_cross_entropy, OutputWeights,
};
use cardlm_lm::packed_batch::PackedBatch;
use cardlm_lm::{Mode, Model, ModelConfig, RecurrentActivation, Rng};

const EPS: f64 = 1e-5;

fn random(n: usize, scale: f64, rng: &mut Rng) -> Vec<f64> {
    (0..n)
        .map(|_| (rng.uniform_f64() * 2.0 - 1.0) * scale)
        .collect()
}

/// Central differences of `f` at every coordinate of `x`, compared with `analytic`.
fn assert_gradient(what: &str, x: &mut [f64], analytic: &[f64], mut f: impl FnMut(&[f64]) -> f64) {
    assert_eq!(x.len(), analytic.len());
    let mut worst = 0.0f64;
    for i in 0..x.len() {
        let keep = x[i];
        x[i] = keep + EPS;
        let up = f(x);
        x[i] = keep - EPS;
        let down = f(x);
        x[i] = keep;
        let numeric = (up - down) / (2.0 * EPS);
        let err = (numeric - analytic[i]).abs() / (numeric.abs() + analytic[i].abs()).max(1e-4);
        worst = worst.max(err);
        assert!(
            err < 1e-5,
            "{what}[{i}]: numeric {numeric:e} vs analytic {}",
            analytic[i]
        );
    }
    // A gradient of all zeros would pass trivially: make sure this one is not.
    assert!(
        analytic.iter().any(|g| g.abs() > 1e-8),
        "{what}: gradient is all zeros"
    );
    eprintln!("{what}: worst relative error {worst:e}");
}

fn batch() -> PackedBatch {
    PackedBatch::pack(&[
        &[1, 2, 3, 4, 5, 1],
        &[2, 6, 1],
        &[3, 3, 4, 0],
        &[6, 5, 4, 3, 2, 1, 0, 2],
    ])
}

#[test]
fn lstm_layer_gradients_match_finite_differences() {
    for act in [
        RecurrentActivation::Sigmoid,
        RecurrentActivation::HardSigmoid,
    ] {
        let mut rng = Rng::new(7);
        let (i_dim, hid) = (3, 4);
        let steps = batch().steps;
        let n = steps.rows();
        let mut x = random(n * i_dim, 1.0, &mut rng);
        let mut kernel = random(i_dim * 4 * hid, 0.5, &mut rng);
        let mut recurrent = random(hid * 4 * hid, 0.5, &mut rng);
        let mut bias = random(4 * hid, 0.5, &mut rng);
        let probe = random(n * hid, 1.0, &mut rng);

        // loss = Σ probe · h
        let loss = |x: &[f64], k: &[f64], r: &[f64], b: &[f64]| {
            let (mut g, mut c, mut ct, mut h) = (
                vec![0.0; n * 4 * hid],
                vec![0.0; n * hid],
                vec![0.0; n * hid],
                vec![0.0; n * hid],
            );
            let w = LstmWeights {
                kernel: k,
                recurrent: r,
                bias: b,
                input: i_dim,
                hidden: hid,
                activation: act,
            };
            lstm_forward(
                &steps,
                w,
                x,
                LstmActivations {
                    gates: &mut g,
                    cell: &mut c,
                    cell_tanh: &mut ct,
                    h: &mut h,
                },
                &mut PackedRecurrent::default(),
            );
            h.iter().zip(&probe).map(|(a, b)| a * b).sum::<f64>()
        };
        let (mut g, mut c, mut ct, mut h) = (
            vec![0.0; n * 4 * hid],
            vec![0.0; n * hid],
            vec![0.0; n * hid],
            vec![0.0; n * hid],
        );
        let w = LstmWeights {
            kernel: &kernel,
            recurrent: &recurrent,
            bias: &bias,
            input: i_dim,
            hidden: hid,
            activation: act,
        };
        lstm_forward(
            &steps,
            w,
            &x,
            LstmActivations {
                gates: &mut g,
                cell: &mut c,
                cell_tanh: &mut ct,
                h: &mut h,
            },
            &mut PackedRecurrent::default(),
        );
        let (mut dk, mut dr, mut db) = (
            vec![0.0; kernel.len()],
            vec![0.0; recurrent.len()],
            vec![0.0; bias.len()],
        );
        let mut dh = probe.clone();
        let mut dx = vec![0.0; x.len()];
        let (mut hp, mut dc) = (vec![0.0; n * hid], vec![0.0; steps.sequences() * hid]);
        lstm_backward(
            &steps,
            w,
            &x,
            LstmActivations {
                gates: &mut g,
                cell: &mut c,
                cell_tanh: &mut ct,
                h: &mut h,
            },
            &mut dh,
            &mut dx,
            LstmGrads {
                kernel: &mut dk,
                recurrent: &mut dr,
                bias: &mut db,
            },
            LstmScratch {
                h_prev: &mut hp,
                dc_carry: &mut dc,
            },
            &mut PackedRecurrent::default(),
        );
        let (k0, r0, b0, x0) = (kernel.clone(), recurrent.clone(), bias.clone(), x.clone());
        assert_gradient(&format!("lstm {act:?} x"), &mut x, &dx, |x| {
            loss(x, &k0, &r0, &b0)
        });
        assert_gradient(&format!("lstm {act:?} kernel"), &mut kernel, &dk, |k| {
            loss(&x0, k, &r0, &b0)
        });
        assert_gradient(
            &format!("lstm {act:?} recurrent"),
            &mut recurrent,
            &dr,
            |r| loss(&x0, &k0, r, &b0),
        );
        assert_gradient(&format!("lstm {act:?} bias"), &mut bias, &db, |b| {
            loss(&x0, &k0, &r0, b)
        });
    }
}

#[test]
fn dense_relu_gradients_match_finite_differences() {
    let mut rng = Rng::new(11);
    let (n, i_dim, o_dim) = (6, 4, 5);
    let mut x = random(n * i_dim, 1.0, &mut rng);
    let mut kernel = random(i_dim * o_dim, 1.0, &mut rng);
    let mut bias = random(o_dim, 0.3, &mut rng);
    let probe = random(n * o_dim, 1.0, &mut rng);
    let loss = |x: &[f64], k: &[f64], b: &[f64]| {
        let mut y = vec![0.0; n * o_dim];
        dense_relu_forward(x, k, b, i_dim, &mut y);
        y.iter().zip(&probe).map(|(a, b)| a * b).sum::<f64>()
    };
    let mut y = vec![0.0; n * o_dim];
    dense_relu_forward(&x, &kernel, &bias, i_dim, &mut y);
    assert!(
        y.contains(&0.0) && y.iter().any(|&v| v > 0.0),
        "relu should be active and inactive"
    );
    let (mut dk, mut db, mut dx) = (
        vec![0.0; kernel.len()],
        vec![0.0; o_dim],
        vec![0.0; x.len()],
    );
    let mut dy = probe.clone();
    dense_relu_backward(&x, &kernel, i_dim, &y, &mut dy, &mut dk, &mut db, &mut dx);
    let (k0, b0, x0) = (kernel.clone(), bias.clone(), x.clone());
    assert_gradient("dense x", &mut x, &dx, |x| loss(x, &k0, &b0));
    assert_gradient("dense kernel", &mut kernel, &dk, |k| loss(&x0, k, &b0));
    assert_gradient("dense bias", &mut bias, &db, |b| loss(&x0, &k0, b));
}

#[test]
fn output_and_softmax_gradients_match_finite_differences() {
    let mut rng = Rng::new(5);
    let (n, hid, vocab) = (5, 4, 6);
    let targets = [0u32, 5, 2, 2, 1];
    let mut z = random(n * hid, 1.0, &mut rng);
    let mut emb = random(vocab * hid, 1.0, &mut rng);
    let mut kernel = random(hid * vocab, 1.0, &mut rng);
    let mut bias = random(vocab, 1.0, &mut rng);
    let tied_loss = |z: &[f64], e: &[f64]| {
        let mut l = vec![0.0; n * vocab];
        logits_forward(OutputWeights::Tied { embedding: e }, z, hid, vocab, &mut l);
        softmax_cross_entropy(&mut l, vocab, &targets, 1.0).0
    };
    let dense_loss = |z: &[f64], k: &[f64], b: &[f64]| {
        let mut l = vec![0.0; n * vocab];
        logits_forward(
            OutputWeights::Dense { kernel: k, bias: b },
            z,
            hid,
            vocab,
            &mut l,
        );
        softmax_cross_entropy(&mut l, vocab, &targets, 1.0).0
    };
    // Tied.
    let mut l = vec![0.0; n * vocab];
    logits_forward(
        OutputWeights::Tied { embedding: &emb },
        &z,
        hid,
        vocab,
        &mut l,
    );
    softmax_cross_entropy(&mut l, vocab, &targets, 1.0);
    let (mut de, mut dz) = (vec![0.0; emb.len()], vec![0.0; z.len()]);
    logits_backward(
        OutputWeights::Tied { embedding: &emb },
        &z,
        hid,
        vocab,
        &l,
        &mut de,
        None,
        &mut dz,
    );
    let (z0, e0) = (z.clone(), emb.clone());
    assert_gradient("tied z", &mut z, &dz, |z| tied_loss(z, &e0));
    assert_gradient("tied embedding", &mut emb, &de, |e| tied_loss(&z0, e));
    // Untied.
    logits_forward(
        OutputWeights::Dense {
            kernel: &kernel,
            bias: &bias,
        },
        &z,
        hid,
        vocab,
        &mut l,
    );
    softmax_cross_entropy(&mut l, vocab, &targets, 1.0);
    let (mut dk, mut db) = (vec![0.0; kernel.len()], vec![0.0; vocab]);
    logits_backward(
        OutputWeights::Dense {
            kernel: &kernel,
            bias: &bias,
        },
        &z,
        hid,
        vocab,
        &l,
        &mut dk,
        Some(&mut db),
        &mut dz,
    );
    let (k0, b0) = (kernel.clone(), bias.clone());
    assert_gradient("dense-out z", &mut z, &dz, |z| dense_loss(z, &k0, &b0));
    assert_gradient("dense-out kernel", &mut kernel, &dk, |k| {
        dense_loss(&z0, k, &b0)
    });
    assert_gradient("dense-out bias", &mut bias, &db, |b| {
        dense_loss(&z0, &k0, b)
    });
}

#[test]
fn whole_model_gradients_match_finite_differences() {
    for (tied, act, dropout) in [
        (true, RecurrentActivation::Sigmoid, 0.3),
        (false, RecurrentActivation::HardSigmoid, 0.0),
        (true, RecurrentActivation::HardSigmoid, 0.5),
    ] {
        let config = ModelConfig {
            vocab_size: 7,
            hidden: 5,
            layers: 2,
            dropout,
            tied,
            recurrent_activation: act,
        };
        let mut model: Model<f64> = Model::new(config, 3);
        // Larger weights than Keras's init so every path carries signal.
        let mut rng = Rng::new(9);
        for p in &mut model.params {
            *p += (rng.uniform_f64() - 0.5) * 0.4;
        }
        let batch = batch();
        let mut ws = model.workspace(batch.rows(), 4);
        let mode = Mode::Train(42);
        let mut grads = vec![0.0; model.params.len()];
        model.forward_backward(&batch, &mut ws, mode, 1.0, &mut grads);
        let mut params = model.params.clone();
        let mut probe = model.clone();
        let mut ws2 = model.workspace(batch.rows(), 4);
        let mut scratch = vec![0.0; grads.len()];
        assert_gradient(
            &format!("model tied={tied} {act:?} dropout={dropout}"),
            &mut params,
            &grads,
            |p| {
                probe.params.copy_from_slice(p);
                scratch.fill(0.0);
                probe
                    .forward_backward(&batch, &mut ws2, mode, 0.0, &mut scratch)
                    .loss_sum
            },
        );
    }
}
