//! Importing the seed's Keras weights: the imported model gives Keras's
//! probabilities. Fixtures from `fixtures/keras/make_keras_fixtures.py`
//! (tf-keras 2.21, H = 8, V = 45, sequences starting with the start symbol,
//! index 45, one past the embedding, embedded as zeros).

use cardlm_lm::config::RecurrentActivation;
use cardlm_lm::keras::{
    export_weights, import_weight_file, import_weights, read_weight_file, write_weight_file,
};
use cardlm_lm::{Model, PackedBatch};
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keras")
        .join(rel)
}

struct Expected {
    vocab_size: usize,
    sequences: Vec<Vec<u32>>,
    /// `[sequence][position][character]`.
    probabilities: Vec<Vec<Vec<f64>>>,
}

fn expected(dir: &Path) -> Expected {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    Expected {
        vocab_size: v["vocab_size"].as_u64().unwrap() as usize,
        sequences: serde_json::from_value(v["sequences"].clone()).unwrap(),
        probabilities: serde_json::from_value(v["probabilities"].clone()).unwrap(),
    }
}

/// Sum of `-ln p(target)` of one sequence, from the model's own forward pass.
fn loss(model: &Model<f32>, seq: &[u32]) -> f64 {
    if seq.len() < 2 {
        return 0.0;
    }
    let batch = PackedBatch::pack(&[seq]);
    let mut ws = model.workspace(batch.rows(), 1);
    model.evaluate(&batch, &mut ws).loss_sum
}

/// The model's next-character distribution after each prefix of `seq`:
/// `p_t(c) = exp(-(loss(seq[..=t] + c) - loss(seq[..=t])))`.
fn probabilities(model: &Model<f32>, seq: &[u32]) -> Vec<Vec<f64>> {
    let v = model.config.vocab_size;
    (0..seq.len())
        .map(|t| {
            let base = loss(model, &seq[..=t]);
            let mut s = seq[..=t].to_vec();
            s.push(0);
            (0..v as u32)
                .map(|c| {
                    *s.last_mut().unwrap() = c;
                    (-(loss(model, &s) - base)).exp()
                })
                .collect()
        })
        .collect()
}

/// Largest |ours - Keras's| over every probability.
fn worst_difference(model: &Model<f32>, exp: &Expected) -> f64 {
    assert_eq!(model.config.vocab_size, exp.vocab_size);
    let mut worst = 0.0f64;
    for (seq, want) in exp.sequences.iter().zip(&exp.probabilities) {
        assert_eq!(
            seq[0] as usize, exp.vocab_size,
            "sequences start with the start symbol, one past the embedding"
        );
        let got = probabilities(model, seq);
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert_eq!(g.len(), w.len());
            for (a, b) in g.iter().zip(w) {
                worst = worst.max((a - b).abs());
            }
        }
    }
    worst
}

fn check_parity(weights: &Path, arch: Option<&Path>, expect_dir: &Path) -> RecurrentActivation {
    let imp = import_weights(weights, arch).unwrap();
    let worst = worst_difference(&imp.model, &expected(expect_dir));
    assert!(
        worst < 1e-5,
        "{}: max |p - p_keras| = {worst:e}",
        weights.display()
    );
    imp.model.config.recurrent_activation
}

#[test]
fn tf_keras_sigmoid_weights_give_keras_probabilities() {
    let d = fixture("sigmoid");
    let act = check_parity(&d.join("weights.h5"), Some(&d.join("arch.json")), &d);
    assert_eq!(act, RecurrentActivation::Sigmoid);
}

#[test]
fn tf_keras_hard_sigmoid_weights_give_keras_probabilities() {
    let d = fixture("hard_sigmoid");
    let imp = import_weights(&d.join("weights.h5"), Some(&d.join("arch.json"))).unwrap();
    assert_eq!(
        imp.model.config.recurrent_activation,
        RecurrentActivation::HardSigmoid
    );
    assert!(imp.model.config.tied);
    assert_eq!(imp.model.config.layers, 2);
    assert_eq!(imp.model.config.hidden, 8);
    assert_eq!(imp.layers, ["lm_emb", "lm_lstm1", "lm_lstm2", "lm_dns_1"]);
    assert!(imp.activation_source.contains("arch.json"));
    let worst = worst_difference(&imp.model, &expected(&d));
    assert!(worst < 1e-5, "max |p - p_keras| = {worst:e}");
}

#[test]
fn without_json_a_tf_keras_file_is_assumed_sigmoid() {
    // The hard_sigmoid model's file says keras_version 2.21.0: sigmoid is
    // assumed, said, and the probabilities then differ from Keras's.
    let d = fixture("hard_sigmoid");
    let imp = import_weights(&d.join("weights.h5"), None).unwrap();
    assert_eq!(
        imp.model.config.recurrent_activation,
        RecurrentActivation::Sigmoid
    );
    assert!(
        imp.activation_source.contains("assumed sigmoid"),
        "{}",
        imp.activation_source
    );
    assert_eq!(imp.keras_version.as_deref(), Some("2.21.0"));
    assert!(worst_difference(&imp.model, &expected(&d)) > 1e-3);
}

#[test]
fn early_keras2_layout_with_other_layer_names_is_read_in_layer_order() {
    // lstm_1/lstm_1/kernel:0, keras_version 2.1.6, Keras's automatic names.
    let w = fixture("early_keras2/weights.h5");
    let imp = import_weights(&w, None).unwrap();
    assert_eq!(imp.layers, ["embedding_1", "lstm_1", "lstm_2", "dense_1"]);
    assert!(
        imp.activation_source.contains("assumed hard_sigmoid"),
        "{}",
        imp.activation_source
    );
    let act = check_parity(&w, None, &fixture("hard_sigmoid"));
    assert_eq!(act, RecurrentActivation::HardSigmoid);
    // With the seed's JSON, whose names differ: paired by position.
    let act = check_parity(
        &w,
        Some(&fixture("hard_sigmoid/arch.json")),
        &fixture("hard_sigmoid"),
    );
    assert_eq!(act, RecurrentActivation::HardSigmoid);
}

#[test]
fn export_then_import_is_the_identity_on_the_seed_file() {
    let d = fixture("sigmoid");
    let imp = import_weights(&d.join("weights.h5"), Some(&d.join("arch.json"))).unwrap();
    let bytes = write_weight_file(&export_weights(&imp.model)).unwrap();
    let back = import_weight_file(&read_weight_file(bytes).unwrap(), None, "exported.h5").unwrap();
    assert_eq!(back.model.params, imp.model.params);
    assert_eq!(back.model.config, imp.model.config);
    assert_eq!(back.layers, ["lm_emb", "lm_lstm1", "lm_lstm2", "lm_dns_1"]);
}

/// Issue 14: an exported sigmoid model came back as hard_sigmoid (the export said
/// Keras 2.2.4, whose default that is). Both activations must survive the round trip,
/// without an architecture JSON, and the import must say where it read them.
#[test]
fn export_then_import_keeps_the_recurrent_activation() {
    for act in [
        RecurrentActivation::Sigmoid,
        RecurrentActivation::HardSigmoid,
    ] {
        let config = cardlm_lm::ModelConfig {
            vocab_size: 7,
            hidden: 4,
            layers: 2,
            recurrent_activation: act,
            ..cardlm_lm::ModelConfig::seed(7)
        };
        let model = Model::<f32>::new(config.clone(), 3);
        let bytes = write_weight_file(&export_weights(&model)).unwrap();
        let file = read_weight_file(bytes).unwrap();
        assert_eq!(
            file.recurrent_activation.as_deref(),
            Some(&*act.to_string())
        );
        let back = import_weight_file(&file, None, "exported.h5").unwrap();
        assert_eq!(back.model.config, config, "{act}");
        assert!(
            back.activation_source
                .contains("written by cardlm export-keras"),
            "{}",
            back.activation_source
        );
        assert_eq!(back.model.params, model.params);
    }
}

#[test]
fn an_unknown_activation_attribute_is_refused() {
    let config = cardlm_lm::ModelConfig {
        hidden: 4,
        ..cardlm_lm::ModelConfig::seed(7)
    };
    let model = Model::<f32>::new(config, 3);
    let mut file = export_weights(&model);
    file.recurrent_activation = Some("relu".into());
    let err = import_weight_file(&file, None, "odd.h5").unwrap_err();
    assert!(
        err.starts_with(
            "odd.h5: cardlm_recurrent_activation: unknown recurrent activation \"relu\""
        ),
        "{err}"
    );
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cardlm-keras-lib-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn a_file_that_is_not_hdf5_is_refused() {
    let p = temp("not.h5");
    std::fs::write(&p, "just text\n").unwrap();
    let err = import_weights(&p, None).unwrap_err();
    assert_eq!(err, format!("{}: not an HDF5 file", p.display()));
    let err = import_weights(&fixture("nope.h5"), None).unwrap_err();
    assert!(
        err.starts_with(&fixture("nope.h5").display().to_string()),
        "{err}"
    );
}

#[test]
fn weights_of_the_wrong_shape_are_refused() {
    let mut f = read_weight_file(std::fs::read(fixture("sigmoid/weights.h5")).unwrap()).unwrap();
    let lstm = f.layers.iter_mut().find(|l| l.name == "lm_lstm2").unwrap();
    let k = &mut lstm.weights[0];
    assert_eq!(k.shape, [8, 32]);
    k.shape = vec![4, 32];
    k.data.truncate(4 * 32);
    let err = import_weight_file(&f, None, "w.h5").unwrap_err();
    assert_eq!(
        err,
        "w.h5: layer lm_lstm2: lm_lstm2/lstm_cell/kernel:0 has shape [4, 32], expected [8, 32] (hidden size 8 from the embedding [45, 8])"
    );
}

#[test]
fn weights_that_do_not_fit_the_architecture_are_refused() {
    let w = fixture("sigmoid/weights.h5");
    let arch = std::fs::read_to_string(fixture("sigmoid/arch.json")).unwrap();
    // The seed's full-size architecture (500 units) with the small weights.
    let big = temp("big.json");
    std::fs::write(&big, arch.replace("\"units\": 8", "\"units\": 500")).unwrap();
    let err = import_weights(&w, Some(&big)).unwrap_err();
    assert!(
        err.starts_with(&format!("{}: layer lm_lstm1 has units 500", big.display())),
        "{err}"
    );
    assert!(!err.contains('\n'));
    // A file missing a layer the architecture has.
    let mut f = read_weight_file(std::fs::read(&w).unwrap()).unwrap();
    f.layers.retain(|l| l.name != "lm_lstm2");
    let json: serde_json::Value = serde_json::from_str(&arch).unwrap();
    let err = import_weight_file(&f, Some((Path::new("a.json"), &json)), "w.h5").unwrap_err();
    assert_eq!(
        err,
        "w.h5: 3 layers with weights (lm_emb, lm_lstm1, lm_dns_1), but a.json describes 4 (lm_emb, lm_lstm1, lm_lstm2, lm_dns_1)"
    );
    // Without the dense layer there is no seed model at all.
    f.layers.retain(|l| l.name != "lm_dns_1");
    let err = import_weight_file(&f, None, "w.h5").unwrap_err();
    assert!(err.starts_with("w.h5: expected the seed's layers"), "{err}");
}

/// The full-size check: `make_keras_fixtures.py --hidden 500 --out DIR`, then
/// `CARDLM_KERAS_FULL=DIR cargo test --test keras_import -- --ignored`.
#[test]
#[ignore = "needs CARDLM_KERAS_FULL: fixtures made at full size by make_keras_fixtures.py"]
fn full_size_fixtures_from_the_script() {
    let dir = PathBuf::from(std::env::var("CARDLM_KERAS_FULL").expect("CARDLM_KERAS_FULL"));
    for (act, want) in [
        ("sigmoid", RecurrentActivation::Sigmoid),
        ("hard_sigmoid", RecurrentActivation::HardSigmoid),
    ] {
        let d = dir.join(act);
        let imp = import_weights(&d.join("weights.h5"), Some(&d.join("arch.json"))).unwrap();
        assert_eq!(imp.model.config.hidden, 500);
        assert_eq!(imp.model.config.recurrent_activation, want);
        let worst = worst_difference(&imp.model, &expected(&d));
        eprintln!("{act}: H = 500, max |p - p_keras| = {worst:e}");
        assert!(worst < 1e-5, "{act}: max |p - p_keras| = {worst:e}");
    }
}

/// Found by `fuzz_readers hdf5`: a weights file whose layers leave no room for the
/// embedding made the layer count underflow (a panic in debug builds).
#[test]
fn a_fuzzed_file_without_an_embedding_is_an_error_not_a_panic() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keras/fuzz/no_embedding.h5");
    let Err(err) = cardlm_lm::keras::import_weights(&path, None) else {
        panic!("a file without an embedding was accepted");
    };
    assert!(err.contains("no_embedding.h5"), "{err}");
}
