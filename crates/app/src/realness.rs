//! Fitting a model's realness judge ([`cardlm_cards::judge::realness`]):
//! draw candidates as the curator sees them (`generate --best-of 1`: top-p,
//! type lines guided), fit the discriminator of the training cards against
//! them, and write it beside the model, where the curator finds it.

use std::path::PathBuf;

use cardlm_cards::judge::realness::{auc, FitOptions, Realness, RealnessInfo};
use cardlm_files::layout::REALNESS_FILE;
use cardlm_files::write_file_atomically;

use crate::error::{Error, Result};
use crate::model::{load_model, training_lines, CardModel, CorpusJudges};
use crate::service::{CardRequest, GenerationService, ServiceOptions, DEFAULT_TOP_P};

/// Every this many cards of each class is held out of the fit, to measure it.
const HOLD_OUT_EVERY: usize = 20;

/// Most candidates drawn: the fit holds every card's features in memory.
pub const MOST_SAMPLES: usize = 500_000;

/// What [`fit_realness`] needs.
#[derive(Clone, Debug)]
pub struct RealnessRequest {
    /// The model directory; the judge is written into it.
    pub model: PathBuf,
    /// The training corpus, when the model's own index or recorded corpus is
    /// not the one to use.
    pub corpus: Option<PathBuf>,
    /// Candidates to draw.
    pub samples: usize,
    /// Seed of the candidates.
    pub seed: u64,
    pub fit: FitOptions,
}

/// What was fitted and where it went.
#[derive(Clone, Debug)]
pub struct RealnessReport {
    pub path: PathBuf,
    pub info: RealnessInfo,
    /// Size of the written file in bytes.
    pub bytes: u64,
}

/// Draws the candidates, fits the judge and writes it into the model
/// directory (atomically). `sampled(done, total)` is called as candidates
/// arrive, `stepped(step, steps)` after each step of the fit.
pub fn fit_realness(
    request: &RealnessRequest,
    mut sampled: impl FnMut(usize, usize),
    stepped: impl FnMut(usize, usize),
) -> Result<RealnessReport> {
    // At least one candidate held out, to measure the judge on.
    if request.samples < HOLD_OUT_EVERY {
        return Err(Error::BadRequest(format!(
            "--samples must be at least {HOLD_OUT_EVERY}"
        )));
    }
    if request.samples > MOST_SAMPLES {
        return Err(Error::BadRequest(format!(
            "--samples must be at most {MOST_SAMPLES} (the fit holds every card's features in memory, about 1.2 KB a card)"
        )));
    }
    if request.fit.steps == 0 {
        return Err(Error::BadRequest("--steps must be at least 1".into()));
    }
    let dir = &request.model;
    let run = load_model(dir)?;
    let real = training_lines(dir, &run.config, request.corpus.as_deref())?;
    if real.is_empty() {
        return Err(Error::BadRequest(format!(
            "{}: no training cards to fit a realness judge to",
            dir.display()
        )));
    }
    // The candidates the curator chooses among: guided type lines need the
    // lexicon, gathered from the same training lines.
    let judges = CorpusJudges::from_lines(&real);
    // Drawn as `--best-of 1` draws, where no realness is weighed: a damaged
    // realness file is replaced, not read.
    let service = GenerationService::start(
        CardModel::without_realness(run, None)?.with_judges(Some(judges)),
        ServiceOptions::default(),
    );
    let mut draw = CardRequest::new(request.samples, request.seed);
    draw.sampling.top_p = Some(DEFAULT_TOP_P);
    let mut generated = Vec::with_capacity(request.samples);
    for card in service.submit(draw)? {
        generated.push(card?.line);
        sampled(generated.len(), request.samples);
    }
    drop(service);

    let split = |lines: &[String]| -> (Vec<String>, Vec<String>) {
        let (mut fit, mut held) = (Vec::new(), Vec::new());
        for (i, line) in lines.iter().enumerate() {
            if i % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1 {
                held.push(line.clone());
            } else {
                fit.push(line.clone());
            }
        }
        (fit, held)
    };
    let (real_fit, real_held) = split(&real);
    let (generated_fit, generated_held) = split(&generated);
    let judge = Realness::fit(&real_fit, &generated_fit, &request.fit, stepped);
    let scores = |lines: &[String]| lines.iter().map(|l| judge.score(l)).collect::<Vec<_>>();
    let info = RealnessInfo {
        real: real_fit.len(),
        generated: generated_fit.len(),
        seed: request.seed,
        held_out_auc: auc(&scores(&real_held), &scores(&generated_held)),
    };
    let path = dir.join(REALNESS_FILE);
    write_file_atomically(&path, &judge.file_bytes(&info))
        .map_err(|e| Error::Realness(e.to_string()))?;
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    Ok(RealnessReport { path, info, bytes })
}
