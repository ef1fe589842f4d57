//! Shipping a model: a training run's weights (f16 by default), its
//! `config.json`, its log, its realness judge and the novelty index of its training cards, as
//! one directory written atomically — what `models/default` is made with.
//! `cardlm ship` only prints the [`Shipped`] summary.

use crate::error::{Error, Result};
use crate::model::training_lines;
use cardlm_cards::novelty_file::novelty_file_bytes;
use cardlm_files::layout::{NOVELTY_FILE, REALNESS_FILE};
use cardlm_files::write_dir_atomically;
use cardlm_lm::checkpoint::{f16_rounding, load_block, Precision};
use cardlm_lm::model::Model;
use cardlm_lm::params::ParamLayout;
use cardlm_lm::run::{
    model_bytes, RunConfig, CONFIG_FILE, LOSS_PLOT_FILE, METRICS_FILE, MODEL_FILE,
};
use cardlm_lm::LmError;
use std::fs;
use std::path::{Path, PathBuf};

/// Files a shipped directory holds; a directory holding only these (and the
/// evaluation files the rebuild script adds) may be replaced.
pub const SHIPPED_FILES: &[&str] = &[
    CONFIG_FILE,
    MODEL_FILE,
    METRICS_FILE,
    LOSS_PLOT_FILE,
    NOVELTY_FILE,
    REALNESS_FILE,
    "eval.json",
    "eval.txt",
];

/// What to ship, and where.
#[derive(Clone, Debug, Default)]
pub struct ShipRequest {
    /// The training run directory.
    pub run: PathBuf,
    /// The directory to write.
    pub out: PathBuf,
    /// A checkpoint of the run to ship instead of its `model.safetensors`.
    pub weights: Option<PathBuf>,
    /// Keep f32 weights instead of f16.
    pub f32: bool,
    /// The training corpus, for the novelty index (else the run's own index,
    /// else the corpus its config.json records).
    pub corpus: Option<PathBuf>,
    /// The corpus path to record in the shipped config.json.
    pub corpus_path: Option<String>,
}

/// What was shipped.
#[derive(Clone, Debug)]
pub struct Shipped {
    pub weights: PathBuf,
    pub parameters: usize,
    pub precision: Precision,
    /// Bytes of the shipped weights file.
    pub weights_bytes: usize,
    /// The largest rounding error of f16 storage (0 in f32).
    pub rounding: f32,
    /// Why no novelty index was shipped, when none was.
    pub no_novelty: Option<String>,
}

/// Ships `req.run` into `req.out`.
pub fn ship(req: &ShipRequest) -> Result<Shipped> {
    let mut config = RunConfig::load(&req.run)?;
    let weights = req
        .weights
        .clone()
        .unwrap_or_else(|| req.run.join(MODEL_FILE));
    if !weights.exists() {
        return Err(LmError::corrupt(&weights, "no such weights file").into());
    }
    let params = load_block(&weights, &ParamLayout::new(&config.model), "")?;
    let (precision, rounding) = if req.f32 {
        (Precision::F32, 0.0)
    } else {
        let rounding = f16_rounding(&params)
            .map_err(|e| LmError::corrupt(&weights, format!("{e}; ship with --f32")))?;
        (Precision::F16, rounding)
    };
    let model = Model::from_params(config.model.clone(), params)?;
    // The training cards, for the novelty verdicts wherever the model goes
    // (read before config.json's corpus path is rewritten for --out).
    let (novelty, no_novelty) = match training_lines(&req.run, &config, req.corpus.as_deref()) {
        Ok(lines) => (Some(lines), None),
        Err(e) if req.corpus.is_some() => {
            return Err(Error::Novelty(format!("--corpus: {e}")));
        }
        Err(e) => (None, Some(e.to_string())),
    };
    if let (Some(path), Some(corpus)) = (&req.corpus_path, config.corpus.as_mut()) {
        corpus.path = path.clone();
    }
    // The epochs the shipped weights were trained for: a checkpoint's from its
    // name, else the run's log.
    let trained = match &req.weights {
        Some(w) => checkpoint_epoch(w),
        None => epochs_in_log(&req.run.join(METRICS_FILE)).or(config.epochs_trained),
    };
    if let Some(epochs) = trained {
        config.epochs_trained = Some(epochs);
        // A shipped model is not resumed: its `epochs` says what it was trained for.
        config.training.epochs = epochs;
    }

    let mut files = vec![
        (CONFIG_FILE.to_string(), config.to_json().into_bytes()),
        (MODEL_FILE.to_string(), model_bytes(&model, precision)?),
    ];
    // The realness judge was fitted to the run's own candidates; it travels
    // with its weights (`fit-realness` writes one where there is none).
    for file in [METRICS_FILE, LOSS_PLOT_FILE, REALNESS_FILE] {
        let from = req.run.join(file);
        if from.exists() {
            let bytes = fs::read(&from).map_err(|e| LmError::io(&from, e))?;
            files.push((file.to_string(), bytes));
        }
    }
    if let Some(lines) = &novelty {
        files.push((NOVELTY_FILE.to_string(), novelty_file_bytes(lines)));
    }
    let weights_bytes = files[1].1.len();
    write_dir_atomically(&req.out, &files, SHIPPED_FILES)?;
    Ok(Shipped {
        weights,
        parameters: model.layout.total,
        precision,
        weights_bytes,
        rounding,
        no_novelty,
    })
}

/// The epoch in a checkpoint's name, `weights.{epoch:04}-{loss}.safetensors`.
pub fn checkpoint_epoch(path: &Path) -> Option<usize> {
    let name = path.file_name()?.to_str()?;
    let rest = name.strip_prefix("weights.")?;
    rest.split('-').next()?.parse().ok()
}

/// The last epoch in a run's `metrics.jsonl`.
pub fn epochs_in_log(path: &Path) -> Option<usize> {
    let text = fs::read_to_string(path).ok()?;
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("epoch")?.as_u64())
        .max()
        .map(|e| e as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epochs_from_checkpoint_names_and_logs() {
        assert_eq!(
            checkpoint_epoch(Path::new("runs/x/weights.0004-0.8181.safetensors")),
            Some(4)
        );
        assert_eq!(checkpoint_epoch(Path::new("model.safetensors")), None);
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("metrics.jsonl");
        fs::write(&log, "{\"epoch\":1}\n{\"epoch\":2}\n").unwrap();
        assert_eq!(epochs_in_log(&log), Some(2));
        assert_eq!(epochs_in_log(&dir.path().join("none")), None);
    }

    #[test]
    fn a_run_ships_in_f16_with_its_epochs_and_refuses_a_missing_checkpoint() {
        use cardlm_lm::run::{save_model, TrainOptions, RUN_FORMAT};
        use cardlm_lm::ModelConfig;
        let dir = tempfile::tempdir().unwrap();
        let run = dir.path().join("run");
        fs::create_dir_all(&run).unwrap();
        let cfg = ModelConfig {
            hidden: 3,
            layers: 1,
            ..ModelConfig::seed(2)
        };
        let config = RunConfig {
            format: RUN_FORMAT.into(),
            model: cfg.clone(),
            vocab: vec!["a".into(), "b".into()],
            training: TrainOptions::default(),
            corpus: None,
            origin: None,
            epochs_trained: None,
        };
        config.save(&run).unwrap();
        let model = Model::<f32>::new(cfg, 3);
        save_model(&run, MODEL_FILE, &model, Precision::F32).unwrap();
        fs::write(run.join(METRICS_FILE), "{\"epoch\":3}\n").unwrap();
        let out = dir.path().join("shipped");
        let shipped = ship(&ShipRequest {
            run: run.clone(),
            out: out.clone(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(shipped.precision, Precision::F16);
        assert!(shipped.no_novelty.is_some(), "no corpus anywhere");
        let back = cardlm_lm::run::load_run(&out).unwrap();
        assert_eq!(back.config.epochs_trained, Some(3));
        assert!(back
            .model
            .params
            .iter()
            .zip(&model.params)
            .all(|(a, b)| (a - b).abs() <= shipped.rounding));
        let err = ship(&ShipRequest {
            run,
            out: dir.path().join("other"),
            weights: Some(dir.path().join("weights.0001-1.0.safetensors")),
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.ends_with("weights.0001-1.0.safetensors: no such weights file"),
            "{err}"
        );
        assert!(!dir.path().join("other").exists());
    }
}
