//! `cardlm summary`: the model's layers and parameter counts, as Keras prints them.

use crate::commands::model_args::ModelArgs;
use anyhow::Result;
use cardlm_lm::params::ParamLayout;
use cardlm_lm::run::RunConfig;
use cardlm_lm::token_corpus::TokenCorpus;
use cardlm_lm::ModelConfig;
use clap::Args as ClapArgs;
use std::path::PathBuf;

#[derive(ClapArgs)]
pub struct Args {
    /// A run directory (its architecture).
    #[arg(long, conflicts_with = "corpus")]
    model: Option<PathBuf>,
    /// A corpus directory (its vocabulary size).
    #[arg(long)]
    corpus: Option<PathBuf>,
    /// Vocabulary size when neither --model nor --corpus is given (the seed's: 102).
    #[arg(long, default_value_t = 102)]
    vocab_size: usize,
    /// Sequence length shown in the output shapes.
    #[arg(long, default_value_t = 256)]
    max_len: usize,
    #[command(flatten)]
    arch: ModelArgs,
}

/// The Keras-style table for a configuration.
pub fn table(cfg: &ModelConfig, max_len: usize) -> String {
    let layout = ParamLayout::new(cfg);
    let count = |prefix: &str| -> usize {
        layout
            .tensors
            .iter()
            .filter(|t| t.name.starts_with(prefix))
            .map(|t| t.len())
            .sum()
    };
    let (t, h, v) = (max_len, cfg.hidden, cfg.vocab_size);
    let mut rows: Vec<(String, String, usize)> = vec![
        ("lm_input (InputLayer)".into(), format!("(None, {t})"), 0),
        (
            "lm_emb (Embedding)".into(),
            format!("(None, {t}, {h})"),
            count("embedding"),
        ),
    ];
    let mut dropout = 1;
    let mut drop = |rows: &mut Vec<(String, String, usize)>| {
        rows.push((
            format!("dropout_{dropout} (Dropout)"),
            format!("(None, {t}, {h})"),
            0,
        ));
        dropout += 1;
    };
    drop(&mut rows);
    for l in 0..cfg.layers {
        rows.push((
            format!("lm_lstm{} (LSTM)", l + 1),
            format!("(None, {t}, {h})"),
            count(&format!("lstm.{l}.")),
        ));
        drop(&mut rows);
    }
    rows.push((
        "lm_dns_1 (Dense)".into(),
        format!("(None, {t}, {h})"),
        count("dense."),
    ));
    drop(&mut rows);
    if cfg.tied {
        rows.push((
            "weight_tying (Lambda)".into(),
            format!("(None, {t}, {v})"),
            0,
        ));
    } else {
        rows.push((
            "lm_output (Dense)".into(),
            format!("(None, {t}, {v})"),
            count("output."),
        ));
    }
    rows.push((
        "activation_1 (Activation)".into(),
        format!("(None, {t}, {v})"),
        0,
    ));
    let rule = "_".repeat(65);
    let mut out = format!(
        "{rule}\n{:<29}{:<26}{}\n{}\n",
        "Layer (type)",
        "Output Shape",
        "Param #",
        "=".repeat(65)
    );
    for (i, (name, shape, params)) in rows.iter().enumerate() {
        out += &format!("{name:<29}{shape:<26}{params}\n");
        out += if i + 1 < rows.len() { &rule } else { "" };
        if i + 1 < rows.len() {
            out.push('\n');
        }
    }
    let total = layout.total;
    out += &format!(
        "\n{}\nTotal params: {}\nTrainable params: {}\nNon-trainable params: 0\n{rule}\n",
        "=".repeat(65),
        thousands(total),
        thousands(total)
    );
    out += &format!(
        "recurrent activation: {:?}; output {}; dropout {}\n",
        cfg.recurrent_activation,
        if cfg.tied {
            "tied to the embedding"
        } else {
            "untied"
        },
        cfg.dropout
    );
    out
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn run(args: Args) -> Result<()> {
    let cfg = if let Some(dir) = &args.model {
        let run = RunConfig::load(dir)?;
        args.arch.check_matches(&run.model)?;
        run.model
    } else {
        let vocab = match &args.corpus {
            Some(dir) => TokenCorpus::load(dir)?.vocab.len(),
            None => args.vocab_size,
        };
        args.arch.config(vocab)?
    };
    print!("{}", table(&cfg, args.max_len));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_summary_shows_the_seeds_parameter_count() {
        let t = table(&ModelConfig::seed(102), 256);
        assert!(t.contains("Total params: 4,305,500"), "{t}");
        assert!(
            t.contains("lm_lstm1 (LSTM)              (None, 256, 500)          2002000"),
            "{t}"
        );
        assert!(
            t.contains("lm_emb (Embedding)           (None, 256, 500)          51000"),
            "{t}"
        );
    }
}
