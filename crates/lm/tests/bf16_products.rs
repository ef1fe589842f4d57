//! Training and sampling with bf16 products (f32 accumulation, f32 weights,
//! cell state and Adam). One test in its own binary: the precision is a
//! process-wide setting, and the other test binaries run in f32.

use cardlm_lm::adam::AdamConfig;
use cardlm_lm::bench::synthetic_corpus;
use cardlm_lm::kernels::cpu::{self, Precision};
use cardlm_lm::sample::{
    generate, Free, GenerateOptions, InitState, Request, SampleOptions, Sampler,
};
use cardlm_lm::step::{RecurrentSplit, Stepper};
use cardlm_lm::{Model, ModelConfig, Rng};

fn config() -> ModelConfig {
    ModelConfig {
        hidden: 40,
        layers: 2,
        ..ModelConfig::seed(30)
    }
}

/// Mean loss of each of `steps` training steps, and the final parameters.
fn train(steps: usize, corpus: &[Vec<u32>]) -> (Vec<f64>, Vec<f32>) {
    train_split(steps, corpus, RecurrentSplit::DEFAULT)
}

fn train_split(steps: usize, corpus: &[Vec<u32>], split: RecurrentSplit) -> (Vec<f64>, Vec<f32>) {
    let model = Model::<f32>::new(config(), 3);
    let mut stepper = Stepper::new(model, AdamConfig::default(), 2, 16, 256);
    stepper.split = split;
    let mut losses = Vec::new();
    for s in 0..steps {
        let batch: Vec<&[u32]> = corpus[(s * 16) % 192..][..16]
            .iter()
            .map(|c| c.as_slice())
            .collect();
        let r = stepper.step(&batch, s as u64).expect("finite step");
        losses.push(r.loss.mean_loss());
    }
    (losses, stepper.model.params.clone())
}

#[test]
fn bf16_training_tracks_f32_is_deterministic_and_samples() {
    let corpus: Vec<Vec<u32>> = synthetic_corpus(200, 30, 5)
        .into_iter()
        // A learnable pattern: each token mostly follows from the one before.
        .map(|s| {
            s.iter()
                .enumerate()
                .map(|(i, &t)| if i % 3 == 0 { t } else { (i as u32 * 7) % 30 })
                .collect()
        })
        .collect();
    let steps = 30;
    cpu::set_precision(Precision::F32).unwrap();
    let (f32_losses, f32_params) = train(steps, &corpus);

    if !cpu::Features::here().avx512_bf16 {
        assert!(cpu::set_precision(Precision::Bf16).is_err());
        eprintln!("note: no AVX512_BF16 here; bf16 training not run (its kernels' emulation is tested in the library)");
        return;
    }
    cpu::set_precision(Precision::Bf16).unwrap();
    let (bf16_losses, bf16_params) = train(steps, &corpus);
    // The products really changed...
    assert_ne!(bf16_params, f32_params);
    // ...the loss fell the same way...
    let (first, last) = (bf16_losses[0], bf16_losses[steps - 1]);
    assert!(last < first - 0.05, "bf16 loss {first} -> {last}");
    for (b, f) in bf16_losses.iter().zip(&f32_losses) {
        assert!((b - f).abs() < 0.02 * f, "bf16 {b} vs f32 {f}");
    }
    // ...and a rerun gives the same bits (what resuming relies on).
    let (again, again_params) = train(steps, &corpus);
    assert_eq!(again, bf16_losses);
    assert!(again_params == bf16_params);
    // Sharing the recurrent steps by columns or by cards: the same bits.
    for split in [RecurrentSplit::Cards, RecurrentSplit::Columns] {
        let (l, p) = train_split(steps, &corpus, split);
        assert_eq!(l, bf16_losses, "{split:?}");
        assert!(p == bf16_params, "{split:?}");
    }

    // Sampling in bf16 (the sampler packs its weights in bf16 too): the same
    // cards for the same streams.
    let model = Model::<f32>::from_params(config(), bf16_params).unwrap();
    let opts = GenerateOptions {
        sampling: SampleOptions::default(),
        max_len: 60,
        stop: None,
        init: InitState::Zeros,
    };
    let run = |model: &Model<f32>| {
        let mut sampler = Sampler::new(model, 4);
        let requests: Vec<Request<Free>> = (0..4)
            .map(|i| Request {
                start: 29,
                rng: Rng::for_stream(9, &[i]),
                steer: Free,
            })
            .collect();
        generate(&mut sampler, requests, &opts)
            .into_iter()
            .map(|g| g.tokens)
            .collect::<Vec<_>>()
    };
    let a = run(&model);
    let b = run(&model);
    assert_eq!(a, b);
    assert!(a.iter().all(|t| t.len() > 1));
}
