//! `cardlm fit-realness`: fits a model's realness judge (does a card read
//! like the training cards or like the model's own candidates?) and writes
//! it into the model directory, where `generate`, `eval` and `serve` weigh
//! it when they curate (docs/quality.md, "Session 20"). The judge is fitted
//! to the model's own candidates: fit it again when the weights change.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use cardlm_app::model::resolve_model;
use cardlm_app::realness::{fit_realness, RealnessRequest};
use cardlm_cards::judge::realness::FitOptions;
use indicatif::{ProgressBar, ProgressStyle};

#[derive(clap::Args)]
pub struct Args {
    /// The model directory to fit the judge for and write it into
    /// [default: models/default].
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// The training corpus [default: the model's novelty index, else the
    /// corpus its config.json records].
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Candidates to draw from the model (as `generate --best-of 1` draws
    /// them; about 3 minutes per 30,000 on two cores). More read the rated
    /// picks a little better (docs/quality.md, "Session 20").
    #[arg(long, default_value_t = 60_000)]
    pub samples: usize,
    /// Seed of the candidates; the same seed gives the same judge.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Steps of the fit (each a pass over every card).
    #[arg(long, default_value_t = FitOptions::default().steps)]
    pub steps: usize,
}

/// A bar on a terminal; otherwise a plain line every few seconds.
struct Progress {
    bar: Option<ProgressBar>,
    what: &'static str,
    printed: Instant,
}

impl Progress {
    fn new(what: &'static str, total: usize) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(total as u64);
            bar.set_style(
                ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len}, ETA {eta}")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
            bar.set_prefix(what);
            bar
        });
        Progress {
            bar,
            what,
            printed: Instant::now(),
        }
    }

    fn at(&mut self, done: usize, total: usize) {
        match &self.bar {
            Some(bar) => bar.set_position(done as u64),
            None if done == total || self.printed.elapsed().as_secs() >= 10 => {
                self.printed = Instant::now();
                eprintln!("{} {done}/{total}", self.what);
            }
            None => {}
        }
        if done == total {
            if let Some(bar) = &self.bar {
                bar.finish_and_clear();
            }
        }
    }
}

pub fn run(args: Args) -> Result<()> {
    let request = RealnessRequest {
        model: resolve_model(args.model.clone())?,
        corpus: args.corpus.clone(),
        samples: args.samples,
        seed: args.seed,
        fit: FitOptions {
            steps: args.steps,
            ..FitOptions::default()
        },
    };
    let mut sampling = Progress::new("candidates", args.samples);
    let mut fitting: Option<Progress> = None;
    let report = fit_realness(
        &request,
        |done, total| sampling.at(done, total),
        |step, steps| {
            fitting
                .get_or_insert_with(|| Progress::new("fit steps", steps))
                .at(step, steps)
        },
    )?;
    let auc = report
        .info
        .held_out_auc
        .map_or("-".to_owned(), |a| format!("{a:.3}"));
    println!(
        "wrote {} ({} training cards against {} candidates; held-out AUC {auc}; {:.2} MB)",
        report.path.display(),
        report.info.real,
        report.info.generated,
        report.bytes as f64 / 1e6
    );
    Ok(())
}
