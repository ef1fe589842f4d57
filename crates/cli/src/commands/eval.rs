//! `cardlm eval`: how good is a model? Validation loss, and what its samples
//! look like next to the corpus.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{anyhow, bail, Result};
use cardlm_cards::decode::{decode_with, Card, Rules};
use cardlm_cards::field_forcing::ForcingPlan;
use cardlm_cards::markers::END;
use cardlm_files::write_file_atomically;
use cardlm_lm::sample::{GenerateOptions, InitState, SampleOptions, Sampler};
use cardlm_lm::token_corpus::TokenCorpus;
use serde::Serialize;

use super::generate::{load_model, resolve_model, sample_cards, Job, MAX_BATCH};

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
    /// Also write the report as JSON to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// Shares of a set of cards.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Distributions {
    pub cards: usize,
    pub colors: BTreeMap<String, f64>,
    pub types: BTreeMap<String, f64>,
    pub rarities: BTreeMap<String, f64>,
    pub mana_value: BTreeMap<String, f64>,
    pub mean_length: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct SampleReport {
    pub temperature: f64,
    pub samples: usize,
    pub well_formed_rate: f64,
    pub ended_rate: f64,
    pub exact_copy_rate: Option<f64>,
    pub name_copy_rate: Option<f64>,
    pub near_copy_rate: Option<f64>,
    pub distributions: Distributions,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub model: String,
    pub corpus: String,
    pub valid_positions: usize,
    pub valid_loss_nats: Option<f64>,
    pub valid_bits_per_char: Option<f64>,
    pub valid_accuracy: Option<f64>,
    pub corpus_distributions: Distributions,
    pub samples: Vec<SampleReport>,
}

fn share(counts: BTreeMap<String, usize>, n: usize) -> BTreeMap<String, f64> {
    counts
        .into_iter()
        .map(|(k, v)| (k, v as f64 / n.max(1) as f64))
        .collect()
}

/// Colours (a card may count in several; `colorless`), types, rarities and
/// mana values (`7+` for 7 and more) of well-formed cards; mean length of all.
pub fn distributions(lines: &[String], cards: &[Card]) -> Distributions {
    let mut colors = BTreeMap::new();
    let mut types = BTreeMap::new();
    let mut rarities = BTreeMap::new();
    let mut mv = BTreeMap::new();
    let good: Vec<&Card> = cards.iter().filter(|c| c.well_formed).collect();
    for c in &good {
        if c.colors.is_empty() {
            *colors.entry("colorless".to_owned()).or_default() += 1;
        }
        for col in &c.colors {
            *colors.entry(col.clone()).or_default() += 1;
        }
        for t in &c.types {
            *types.entry(t.clone()).or_default() += 1;
        }
        *rarities.entry(c.rare.clone()).or_default() += 1;
        let key = if c.mana_value >= 7 {
            "7+".to_owned()
        } else {
            c.mana_value.to_string()
        };
        *mv.entry(key).or_default() += 1;
    }
    let n = good.len();
    Distributions {
        cards: n,
        colors: share(colors, n),
        types: share(types, n),
        rarities: share(rarities, n),
        mana_value: share(mv, n),
        mean_length: lines.iter().map(|l| l.chars().count()).sum::<usize>() as f64
            / lines.len().max(1) as f64,
    }
}

pub fn run(args: Args) -> Result<()> {
    if args.samples == 0 {
        bail!("--samples must be at least 1");
    }
    let low = SampleOptions {
        temperature: args.low_temperature,
        ..SampleOptions::default()
    };
    low.validate()
        .map_err(|e| anyhow!("--low-temperature: {e}"))?;
    let dir = resolve_model(args.model.clone())?;
    let run = load_model(&dir)?;
    let corpus = cardlm_cards::load_corpus(&args.corpus)
        .map_err(|e| anyhow!("corpus {}: {e}", args.corpus.display()))?;

    // Validation loss, with the model's own vocabulary.
    let encode = |lines: &[String]| -> Result<Vec<Vec<u32>>> {
        lines
            .iter()
            .map(|l| {
                run.vocab.encode(l).map_err(|u| {
                    anyhow!(
                        "the corpus has characters the model does not know: {:?}",
                        u.iter().collect::<String>()
                    )
                })
            })
            .collect()
    };
    let valid = encode(&corpus.valid)?;
    let (loss, bits, acc, positions) = if valid.is_empty() {
        eprintln!(
            "cardlm: {} has no validation cards: no loss",
            args.corpus.display()
        );
        (None, None, None, 0)
    } else {
        let max_len = run.config.training.max_len;
        let cut = TokenCorpus::cut(&valid, max_len);
        let mut stepper =
            cardlm_lm::train::stepper_for(&run.config, Some(run.model.params.clone()))
                .map_err(|e| anyhow!(e))?;
        let stats = cardlm_lm::train::evaluate(&mut stepper, &cut, run.config.training.batch_size);
        let l = stats.mean_loss();
        (
            Some(l),
            Some(l / std::f64::consts::LN_2),
            Some(stats.accuracy()),
            stats.positions,
        )
    };

    let rules = Rules::for_vocabulary(&corpus.vocab);
    let corpus_cards: Vec<Card> = corpus.train.iter().map(|l| decode_with(l, rules)).collect();
    let corpus_distributions = distributions(&corpus.train, &corpus_cards);
    // The corpus given here is the reference for copies.
    let index = Some(cardlm_cards::novelty::NoveltyIndex::new(&corpus.train));
    let end = run
        .vocab
        .id(END)
        .ok_or_else(|| anyhow!("the model's vocabulary has no end symbol {END}"))?;
    let plan = ForcingPlan::default();
    let mut sampler = Sampler::new(&run.model, args.samples.min(MAX_BATCH));
    let mut samples = Vec::new();
    for temperature in [1.0, args.low_temperature] {
        let job = Job {
            run: &run,
            plan: &plan,
            options: GenerateOptions {
                sampling: SampleOptions {
                    temperature,
                    ..SampleOptions::default()
                },
                max_len: 512,
                stop: Some(end),
                init: InitState::Zeros,
            },
            seed: args.seed,
            novelty: index.as_ref(),
            only_valid: false,
            novel_only: false,
        };
        let indices: Vec<usize> = (0..args.samples).collect();
        let drawn = sample_cards(&job, &mut sampler, &indices)?;
        let n = drawn.len() as f64;
        let rate = |f: &dyn Fn(&super::generate::Sampled) -> bool| {
            drawn.iter().filter(|s| f(s)).count() as f64 / n
        };
        let lines: Vec<String> = drawn.iter().map(|s| s.line.clone()).collect();
        let cards: Vec<Card> = drawn.iter().map(|s| s.card.clone()).collect();
        let judged = index.is_some();
        samples.push(SampleReport {
            temperature,
            samples: drawn.len(),
            well_formed_rate: rate(&|s| s.card.well_formed),
            ended_rate: rate(&|s| s.ended),
            exact_copy_rate: judged
                .then(|| rate(&|s| s.novelty.as_ref().is_some_and(|v| v.exact_copy))),
            name_copy_rate: judged
                .then(|| rate(&|s| s.novelty.as_ref().is_some_and(|v| v.name_copy.is_some()))),
            near_copy_rate: judged
                .then(|| rate(&|s| s.novelty.as_ref().is_some_and(|v| v.near_copy))),
            distributions: distributions(&lines, &cards),
        });
    }
    let report = Report {
        model: dir.display().to_string(),
        corpus: args.corpus.display().to_string(),
        valid_positions: positions,
        valid_loss_nats: loss,
        valid_bits_per_char: bits,
        valid_accuracy: acc,
        corpus_distributions,
        samples,
    };
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
        header += &format!("{:>10}", format!("T={}", s.temperature));
    }
    println!("{header}");
    let row = |label: &str, corpus: String, f: &dyn Fn(&SampleReport) -> String| {
        let mut line = format!("{label:<22}{corpus:>10}");
        for s in &r.samples {
            line += &format!("{:>10}", f(s));
        }
        println!("{line}");
    };
    row("samples", r.corpus_distributions.cards.to_string(), &|s| {
        s.samples.to_string()
    });
    row("well-formed", "-".into(), &|s| {
        pct(Some(s.well_formed_rate))
    });
    row("ended (not cut)", "-".into(), &|s| pct(Some(s.ended_rate)));
    row("exact copies", "-".into(), &|s| pct(s.exact_copy_rate));
    row("name copies", "-".into(), &|s| pct(s.name_copy_rate));
    row("near copies", "-".into(), &|s| pct(s.near_copy_rate));
    row(
        "mean length",
        format!("{:.1}", r.corpus_distributions.mean_length),
        &|s| format!("{:.1}", s.distributions.mean_length),
    );
    type Pick = fn(&Distributions) -> &BTreeMap<String, f64>;
    let sections: [(&str, Pick); 4] = [
        ("colour", |d| &d.colors),
        ("type", |d| &d.types),
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
