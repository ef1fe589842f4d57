//! A run directory: what a training run writes and what generation reads.
//!
//! | file | content |
//! |---|---|
//! | `config.json` | [`RunConfig`]: architecture, vocabulary, training options, corpus |
//! | `model.safetensors` | the latest weights (f32, or f16 for shipped models) |
//! | `state.safetensors` | weights, Adam's moments and progress, for `--resume` |
//! | `metrics.jsonl` | one [`EpochMetrics`] per line |
//! | `loss.svg` | training and validation loss per epoch |
//! | `weights.{epoch:04}-{loss:.4f}.safetensors` | checkpoints, as the seed named them |

use crate::adam::AdamConfig;
use crate::batch_schedule::Batching;
use crate::char_vocab::Vocab;
use crate::checkpoint::{load_block, save_blocks, serialize_blocks, Precision};
use crate::config::ModelConfig;
use crate::error::{LmError, Result};
use crate::model::Model;
use crate::params::ParamLayout;
use cardlm_files::layout::{HASHED_CORPUS_FILES, VALID_FILE};
use cardlm_files::write_file_atomically;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub const RUN_FORMAT: &str = "cardlm-run/1";
pub const CONFIG_FILE: &str = "config.json";
pub const MODEL_FILE: &str = "model.safetensors";
pub const STATE_FILE: &str = "state.safetensors";
pub const METRICS_FILE: &str = "metrics.jsonl";
pub const LOSS_PLOT_FILE: &str = "loss.svg";

/// Hyperparameters of training.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainOptions {
    pub epochs: usize,
    pub batch_size: usize,
    /// Sequences are cut to this many characters.
    pub max_len: usize,
    pub seed: u64,
    pub batching: Batching,
    pub adam: AdamConfig,
    pub clip_norm: Option<f32>,
    /// Keep a checkpoint every this many epochs when the loss improved.
    pub checkpoint_every: usize,
    /// Save the resumable state every this many batches.
    pub state_every: usize,
    /// Worker threads; resuming with the same count reproduces a run exactly.
    pub threads: usize,
    /// Precision of the matrix products (weights, cell state and Adam stay
    /// f32); resuming in the same precision reproduces a run exactly. Runs
    /// written before this option trained in f32.
    #[serde(default)]
    pub precision: crate::kernels::cpu::Precision,
    /// The name of the augmentation the trainer's caller applies to training
    /// sequences each epoch (e.g. the cards' `mana-order`); `None` for none.
    /// Stored so that a resumed run keeps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub augment: Option<String>,
}

impl Default for TrainOptions {
    /// The seed notebook's training.
    fn default() -> Self {
        TrainOptions {
            epochs: 10,
            batch_size: 32,
            max_len: 256,
            seed: 0,
            batching: Batching::Bucket,
            adam: AdamConfig::default(),
            clip_norm: None,
            checkpoint_every: 2,
            state_every: 100,
            threads: 2,
            precision: crate::kernels::cpu::Precision::F32,
            augment: None,
        }
    }
}

impl TrainOptions {
    pub fn validate(&self) -> Result<()> {
        if self.batch_size == 0
            || self.epochs == 0
            || self.threads == 0
            || self.checkpoint_every == 0
            || self.state_every == 0
        {
            return Err(LmError::invalid_option(
                "--epochs, --batch-size, --threads, --checkpoint-every and --state-every",
                "must be at least 1",
            ));
        }
        if self.max_len < 2 {
            return Err(LmError::invalid_option("--max-len", "must be at least 2"));
        }
        if !(self.adam.learning_rate > 0.0 && self.adam.learning_rate.is_finite()) {
            return Err(LmError::invalid_option(
                "--learning-rate",
                "must be a positive number",
            ));
        }
        if let Some(c) = self.clip_norm {
            if !(c > 0.0 && c.is_finite()) {
                return Err(LmError::invalid_option(
                    "--clip-norm",
                    "must be a positive number",
                ));
            }
        }
        Ok(())
    }
}

/// Where the training data came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct CorpusInfo {
    pub path: String,
    /// SHA-256 of `vocab.json`, `train.txt` and `valid.txt`.
    pub sha256: String,
    pub train_sequences: usize,
    pub valid_sequences: usize,
}

/// `config.json` of a run directory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunConfig {
    pub format: String,
    pub model: ModelConfig,
    /// Index → character; may hold one more entry than the embedding has
    /// rows (an imported seed model's start symbol, embedded as zeros).
    pub vocab: Vec<String>,
    pub training: TrainOptions,
    pub corpus: Option<CorpusInfo>,
    /// Where the weights came from when not trained here (e.g. a Keras import).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Epochs the weights in `model.safetensors` were trained for (`training.epochs`
    /// is what the run was asked for; a run stopped early has trained fewer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epochs_trained: Option<usize>,
}

impl RunConfig {
    pub fn vocab(&self) -> Result<Vocab> {
        Vocab::from_json(&serde_json::to_string(&self.vocab).expect("strings serialise"))
    }

    pub fn load(dir: &Path) -> Result<Self> {
        let path = dir.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                LmError::corrupt(
                    dir,
                    format!("not a cardlm run directory (no {CONFIG_FILE})"),
                )
            } else {
                LmError::io(&path, e)
            }
        })?;
        Self::from_json(&text, &path)
    }

    /// Parses and checks the text of a `config.json`; `path` names it in messages.
    pub fn from_json(text: &str, path: &Path) -> Result<Self, LmError> {
        let cfg: RunConfig = serde_json::from_str(text)
            .map_err(|e| LmError::corrupt(path, format!("not a cardlm run config ({e})")))?;
        if cfg.format != RUN_FORMAT {
            return Err(LmError::corrupt(
                path,
                format!("unknown format {:?} (expected {RUN_FORMAT})", cfg.format),
            ));
        }
        cfg.model.validate().map_err(|e| e.in_file(path))?;
        let vocab = cfg
            .vocab()
            .map_err(|e| LmError::corrupt(path, format!("vocab: {}", e)))?;
        if vocab.len() < cfg.model.vocab_size || vocab.len() > cfg.model.vocab_size + 1 {
            return Err(LmError::corrupt(
                path,
                format!(
                    "the vocabulary has {} characters but the model {} rows",
                    vocab.len(),
                    cfg.model.vocab_size
                ),
            ));
        }
        Ok(cfg)
    }

    /// `config.json`'s text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("config serialises")
    }

    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(CONFIG_FILE);
        Ok(write_file_atomically(&path, self.to_json().as_bytes())?)
    }
}

/// A trained model with its run configuration, ready for inference.
#[derive(Clone, Debug)]
pub struct LoadedRun {
    pub dir: PathBuf,
    pub config: RunConfig,
    pub vocab: Vocab,
    pub model: Model<f32>,
}

/// Loads `config.json` and `model.safetensors` of a run directory.
pub fn load_run(dir: &Path) -> Result<LoadedRun> {
    let config = RunConfig::load(dir)?;
    let vocab = config.vocab()?;
    let layout = ParamLayout::new(&config.model);
    let path = dir.join(MODEL_FILE);
    if !path.exists() {
        return Err(LmError::corrupt(
            dir,
            format!("no {MODEL_FILE} (the run has not finished an epoch yet)"),
        ));
    }
    let params = load_block(&path, &layout, "")?;
    let model = Model::from_params(config.model.clone(), params).map_err(|e| e.in_file(&path))?;
    Ok(LoadedRun {
        dir: dir.to_path_buf(),
        config,
        vocab,
        model,
    })
}

fn model_metadata() -> HashMap<String, String> {
    HashMap::from([("format".to_string(), RUN_FORMAT.to_string())])
}

/// Writes the model's weights as `model.safetensors`.
pub fn save_model(dir: &Path, file: &str, model: &Model<f32>, precision: Precision) -> Result<()> {
    save_blocks(
        &dir.join(file),
        &model.layout,
        &[("", &model.params)],
        precision,
        model_metadata(),
    )
}

/// The bytes [`save_model`] writes.
pub fn model_bytes(model: &Model<f32>, precision: Precision) -> Result<Vec<u8>> {
    serialize_blocks(
        &model.layout,
        &[("", &model.params)],
        precision,
        model_metadata(),
    )
}

/// Figures of one finished epoch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochMetrics {
    /// 1-based, as Keras prints it.
    pub epoch: usize,
    /// Mean training loss (nats per character, dropout on) and accuracy.
    pub train_loss: f64,
    pub train_accuracy: f64,
    /// Validation loss without dropout, when there is a validation set.
    pub valid_loss: Option<f64>,
    pub valid_bits_per_char: Option<f64>,
    pub valid_accuracy: Option<f64>,
    pub seconds: f64,
    pub chars_per_second: f64,
    pub checkpoint: Option<String>,
}

/// The loss curve as a small self-contained SVG.
pub fn loss_svg(metrics: &[EpochMetrics]) -> String {
    let (w, h, pad) = (640.0, 360.0, 48.0);
    let series: [(&str, &str, Vec<f64>); 2] = [
        (
            "training loss",
            "#1f77b4",
            metrics.iter().map(|m| m.train_loss).collect(),
        ),
        (
            "validation loss",
            "#d62728",
            metrics.iter().filter_map(|m| m.valid_loss).collect(),
        ),
    ];
    let all: Vec<f64> = series
        .iter()
        .flat_map(|s| s.2.iter().copied())
        .filter(|v| v.is_finite())
        .collect();
    let max = all.iter().copied().fold(f64::MIN, f64::max).max(1e-9);
    let min = all
        .iter()
        .copied()
        .fold(f64::MAX, f64::min)
        .min(max - 1e-9)
        .max(0.0);
    let n = metrics.len().max(2) as f64;
    let x = |i: usize| pad + (w - 2.0 * pad) * i as f64 / (n - 1.0);
    let y = |v: f64| h - pad - (h - 2.0 * pad) * (v - min) / (max - min);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <line x1=\"{pad}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"black\"/>\n\
         <line x1=\"{pad}\" y1=\"{pad}\" x2=\"{pad}\" y2=\"{b}\" stroke=\"black\"/>\n\
         <text x=\"{cx}\" y=\"{lb}\" text-anchor=\"middle\">epoch</text>\n\
         <text x=\"12\" y=\"{cy}\" transform=\"rotate(-90 12 {cy})\" text-anchor=\"middle\">loss (nats/char)</text>\n\
         <text x=\"{tx}\" y=\"{pad}\" text-anchor=\"end\">{max:.3}</text>\n\
         <text x=\"{tx}\" y=\"{b}\" text-anchor=\"end\">{min:.3}</text>\n",
        b = h - pad,
        r = w - pad,
        cx = w / 2.0,
        lb = h - 12.0,
        cy = h / 2.0,
        tx = pad - 4.0,
    );
    for (i, m) in metrics.iter().enumerate() {
        svg += &format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
            x(i),
            h - pad + 16.0,
            m.epoch
        );
    }
    for (k, (name, colour, values)) in series.iter().enumerate() {
        if values.is_empty() {
            continue;
        }
        let points: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        svg += &format!(
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/>\n",
            points.join(" ")
        );
        for p in &points {
            let (px, py) = p.split_once(',').expect("x,y");
            svg += &format!("<circle cx=\"{px}\" cy=\"{py}\" r=\"3\" fill=\"{colour}\"/>\n");
        }
        svg += &format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{colour}\">{name}</text>\n",
            w - pad - 120.0,
            pad + 16.0 * k as f64
        );
    }
    svg + "</svg>\n"
}

/// SHA-256 over the corpus files that define what a run trained on.
pub fn corpus_hash(dir: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for name in HASHED_CORPUS_FILES {
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => {
                hasher.update(name.as_bytes());
                hasher.update((bytes.len() as u64).to_le_bytes());
                hasher.update(&bytes);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && name == VALID_FILE => {}
            Err(e) => return Err(LmError::io(&path, e)),
        }
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}
