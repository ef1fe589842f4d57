//! Workers sharing each recurrent step by hidden units (`RecurrentSplit::
//! Columns`) give the same bits as workers running their own cards' steps
//! (`Cards`): same losses, same gradients, same weights after several steps.
//! (The `Cards` split with several workers multiplies by `U` packed once for
//! all of them; the last test checks that against each worker's own pack.)

use cardlm_lm::adam::AdamConfig;
use cardlm_lm::bench::synthetic_corpus;
use cardlm_lm::layers::lstm::PackedRecurrent;
use cardlm_lm::model::Recurrent;
use cardlm_lm::step::{RecurrentSplit, Stepper};
use cardlm_lm::{Mode, Model, ModelConfig, PackedBatch, RecurrentActivation};

/// Losses and final weights of `steps` training steps.
fn train(
    config: &ModelConfig,
    corpus: &[Vec<u32>],
    workers: usize,
    batch: usize,
    split: RecurrentSplit,
) -> (Vec<f64>, Vec<f32>, Vec<f32>) {
    let model = Model::<f32>::new(config.clone(), 11);
    let mut stepper = Stepper::new(model, AdamConfig::default(), workers, batch, 256);
    stepper.split = split;
    let mut losses = Vec::new();
    let mut gradient = Vec::new();
    for s in 0..3 {
        let seqs: Vec<&[u32]> = corpus[s * batch..][..batch]
            .iter()
            .map(|c| c.as_slice())
            .collect();
        let r = stepper.step(&seqs, s as u64).expect("finite step");
        losses.push(r.loss.mean_loss());
        gradient = stepper.gradient().to_vec();
    }
    (losses, gradient, stepper.model.params.clone())
}

#[test]
fn columns_split_gives_the_same_bits_as_cards_split() {
    let corpus = synthetic_corpus(60, 23, 9);
    // Hidden sizes whose shares are uneven and not multiples of the kernels'
    // 16- or 32-column panels; both gate activations.
    for (hidden, layers, act) in [
        (37, 2, RecurrentActivation::HardSigmoid),
        (50, 1, RecurrentActivation::Sigmoid),
    ] {
        let config = ModelConfig {
            hidden,
            layers,
            recurrent_activation: act,
            ..ModelConfig::seed(23)
        };
        for (workers, batch) in [(2, 8), (3, 7), (2, 1)] {
            let cards = train(&config, &corpus, workers, batch, RecurrentSplit::Cards);
            let columns = train(&config, &corpus, workers, batch, RecurrentSplit::Columns);
            assert_eq!(cards.0, columns.0, "losses, H={hidden}, {workers} workers");
            assert!(
                cards.1 == columns.1,
                "gradient, H={hidden}, {workers} workers"
            );
            assert!(
                cards.2 == columns.2,
                "weights, H={hidden}, {workers} workers"
            );
            assert!(cards.0.iter().all(|l| l.is_finite() && *l > 0.0));
        }
    }
}

#[test]
fn packs_shared_by_the_workers_give_the_same_bits_as_their_own() {
    let corpus = synthetic_corpus(9, 23, 4);
    let seqs: Vec<&[u32]> = corpus.iter().map(|c| c.as_slice()).collect();
    let batch = PackedBatch::pack(&seqs);
    for (hidden, layers) in [(37, 2), (50, 1)] {
        let config = ModelConfig {
            hidden,
            layers,
            ..ModelConfig::seed(23)
        };
        let model = Model::<f32>::new(config, 5);
        let mut shared = vec![PackedRecurrent::default(); layers];
        for (l, p) in shared.iter_mut().enumerate() {
            let w = model.lstm_weights(l);
            p.pack(w.recurrent, w.hidden);
        }
        let run = |recurrent: Recurrent<f32>| {
            let mut ws = model.workspace(batch.rows(), seqs.len());
            let mut grads = vec![0.0f32; model.params.len()];
            let stats = model.forward_backward_in(
                &batch,
                &mut ws,
                Mode::Train(3),
                0.1,
                &mut grads,
                recurrent,
            );
            (stats.loss_sum, grads)
        };
        let own = run(Recurrent::Own);
        let from_shared = run(Recurrent::Shared(&shared));
        assert_eq!(own.0, from_shared.0, "loss, H={hidden}");
        assert!(own.1 == from_shared.1, "gradient, H={hidden}");
        assert!(own.1.iter().any(|g| *g != 0.0));
    }
}
