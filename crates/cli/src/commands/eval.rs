//! `cardlm eval`: how good is a model? Validation loss, and what its samples
//! look like next to the corpus.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{anyhow, Result};
use cardlm_app::eval::{evaluate, Distributions, EvalOptions, Report, SampleReport};
use cardlm_app::model::{load_model, resolve_model};
use cardlm_files::write_file_atomically;

#[derive(clap::Args)]
pub struct Args {
    /// Run directory of a trained model [default: models/default].
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Corpus directory (from `cardlm prepare`): its valid.txt gives the loss,
    /// its train.txt the distributions and the copies.
    #[arg(long)]
    pub corpus: PathBuf,
    /// Cards sampled at each temperature.
    #[arg(long, default_value_t = 200)]
    pub samples: usize,
    /// The lower temperature sampled besides 1.0.
    #[arg(long, default_value_t = 0.5)]
    pub low_temperature: f64,
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Also sample curated cards at temperature 1.0: the best of N candidates
    /// each, as `generate --best-of N` (0: not sampled; generate's default when absent).
    #[arg(long, default_value_t = cardlm_app::service::DEFAULT_CANDIDATES, value_name = "N")]
    pub best_of: usize,
    /// Top-p of the curated cards, as `generate --top-p` (raw cards are
    /// sampled from every character).
    #[arg(long, default_value_t = cardlm_app::service::DEFAULT_TOP_P)]
    pub top_p: f64,
    /// Sample type lines freely, as `generate --free-types` does (to measure
    /// what the type-line guide changes).
    #[arg(long)]
    pub free_types: bool,
    /// Also write the report as JSON to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    let options = EvalOptions {
        samples: args.samples,
        low_temperature: args.low_temperature,
        seed: args.seed,
        best_of: args.best_of,
        top_p: args.top_p,
        guide_types: !args.free_types,
    };
    options.check()?;
    let dir = resolve_model(args.model.clone())?;
    let run = load_model(&dir)?;
    let corpus = cardlm_cards::load_corpus(&args.corpus)
        .map_err(|e| anyhow!("corpus {}: {e}", args.corpus.display()))?;
    if corpus.valid.is_empty() {
        eprintln!(
            "cardlm: {} has no validation cards: no loss",
            args.corpus.display()
        );
    }
    let report = evaluate(&dir, run, &args.corpus, &corpus, options)?;
    print_report(&report);
    if let Some(path) = &args.json {
        // Atomic, like every other file cardlm writes: a reader never sees half a report.
        write_file_atomically(
            path,
            (serde_json::to_string_pretty(&report)? + "\n").as_bytes(),
        )?;
    }
    Ok(())
}

fn pct(x: Option<f64>) -> String {
    x.map_or("-".to_owned(), |v| format!("{:.1}%", 100.0 * v))
}

fn print_report(r: &Report) {
    println!("model:  {}", r.model);
    println!("corpus: {}", r.corpus);
    match (r.valid_loss_nats, r.valid_bits_per_char) {
        (Some(l), Some(b)) => println!(
            "validation loss: {l:.4} nats/char, {b:.4} bits/char, accuracy {} ({} positions)",
            pct(r.valid_accuracy),
            r.valid_positions
        ),
        _ => println!("validation loss: - (no validation cards)"),
    }
    println!();
    let mut header = format!("{:<22}{:>10}", "", "corpus");
    for s in &r.samples {
        let label = if let Some(p) = s.top_p {
            format!("T={} b{} p{p}", s.temperature, s.best_of)
        } else if s.best_of > 1 {
            format!("T={} b{}", s.temperature, s.best_of)
        } else {
            format!("T={}", s.temperature)
        };
        header += &format!("{label:>13}");
    }
    println!("{header}");
    let row = |label: &str, corpus: String, f: &dyn Fn(&SampleReport) -> String| {
        let mut line = format!("{label:<22}{corpus:>10}");
        for s in &r.samples {
            line += &format!("{:>13}", f(s));
        }
        println!("{line}");
    };
    row("samples", r.corpus_distributions.cards.to_string(), &|s| {
        s.samples.to_string()
    });
    row("well-formed", "-".into(), &|s| {
        pct(Some(s.well_formed_rate))
    });
    row("strictly well-formed", "-".into(), &|s| {
        pct(Some(s.strict_rate))
    });
    row("invented types", "-".into(), &|s| {
        pct(Some(s.invented_type_rate))
    });
    row("ended (not cut)", "-".into(), &|s| pct(Some(s.ended_rate)));
    row("exact copies", "-".into(), &|s| pct(s.exact_copy_rate));
    row("name copies", "-".into(), &|s| pct(s.name_copy_rate));
    row("near copies", "-".into(), &|s| pct(s.near_copy_rate));
    // Of the well-formed cards: every phrase of the rules text in a training card.
    row(
        "known phrasing",
        "-".into(),
        &|s| pct(s.known_phrasing_rate),
    );
    row("phrases known", "-".into(), &|s| pct(s.mean_phrasing_score));
    row(
        "mean length",
        format!("{:.1}", r.corpus_distributions.mean_length),
        &|s| format!("{:.1}", s.distributions.mean_length),
    );
    type Pick = fn(&Distributions) -> &BTreeMap<String, f64>;
    let sections: [(&str, Pick); 6] = [
        ("colour", |d| &d.colors),
        ("type", |d| &d.types),
        ("layout", |d| &d.layouts),
        ("kind", |d| &d.kinds),
        ("rarity", |d| &d.rarities),
        ("mana value", |d| &d.mana_value),
    ];
    for (name, pick) in sections {
        println!("{name} (share of well-formed cards)");
        let mut keys: Vec<&String> = pick(&r.corpus_distributions).keys().collect();
        for s in &r.samples {
            for k in pick(&s.distributions).keys() {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
        keys.sort();
        for k in keys {
            let get = |d: &Distributions| pct(Some(pick(d).get(k).copied().unwrap_or(0.0)));
            row(&format!("  {k}"), get(&r.corpus_distributions), &|s| {
                get(&s.distributions)
            });
        }
    }
}
