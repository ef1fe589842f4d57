//! `cardlm generate`: sample cards from a trained model, steer any field,
//! and judge each card (well-formed? new?).

use std::collections::VecDeque;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Result};
use cardlm_cards::decode::{decode_with, render_text, Card, Rules};
use cardlm_cards::field_forcing::{ForceOptions, Forcing, ForcingPlan};
use cardlm_cards::html::{render_page, HtmlCard};
use cardlm_cards::markers::{END, START};
use cardlm_cards::novelty::{Novelty, NoveltyIndex};
use cardlm_lm::run::{load_run, LoadedRun};
use cardlm_lm::sample::{
    generate, GenerateOptions, InitState, Request, SampleOptions, Sampler, Steer,
};
use cardlm_lm::{Rng, Vocab};
use serde::Serialize;

/// How many times `--only-valid` / `--novel-only` draw a card again.
pub const MAX_TRIES: usize = 20;
/// Most sequences sampled together.
pub const MAX_BATCH: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The seed's printed layout with the verdict under each card.
    Text,
    /// One JSON array of cards.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// One self-contained HTML page.
    Html,
}

#[derive(clap::Args)]
pub struct Args {
    /// Run directory of a trained model [default: models/default].
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Number of cards.
    #[arg(short = 'n', default_value_t = 5)]
    pub n: usize,
    /// Sample from p^(1/T); 0 is greedy.
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    pub temperature: f64,
    /// Sample only among the k most likely characters.
    #[arg(long)]
    pub top_k: Option<usize>,
    /// Sample only among the most likely characters that make up this probability.
    #[arg(long)]
    pub top_p: Option<f64>,
    /// Seed: the same seed and options give the same cards, whatever -n.
    /// A new one each run when absent.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Longest card in characters.
    #[arg(long, default_value_t = 512)]
    pub max_len: usize,
    /// Initial LSTM state: zeros (as in training) or random (as the seed's decoder).
    #[arg(long, default_value = "zeros")]
    pub init_state: InitState,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Fixed name (fed in after the start symbol, as the seed's priming).
    #[arg(long)]
    pub name: Option<String>,
    /// Fixed mana cost, e.g. "{2}{G}".
    #[arg(long)]
    pub cost: Option<String>,
    /// Fixed rarity: common, uncommon, rare, mythic, special, basic (or C U R M S B).
    #[arg(long)]
    pub rarity: Option<String>,
    /// Fixed types, e.g. "artifact creature" (or "creature: elf").
    #[arg(long = "type")]
    pub type_line: Option<String>,
    /// Fixed subtypes, e.g. "elf druid".
    #[arg(long)]
    pub subtypes: Option<String>,
    /// Fixed power/toughness, e.g. 3/3 (implies a creature).
    #[arg(long)]
    pub pt: Option<String>,
    /// Fixed first ability, e.g. "flying".
    #[arg(long)]
    pub ability: Option<String>,
    /// Draw a card again (up to 20 times) until it is well-formed.
    #[arg(long)]
    pub only_valid: bool,
    /// Draw a card again (up to 20 times) until it is no copy of a training card.
    #[arg(long)]
    pub novel_only: bool,
    /// The training corpus, for the novelty verdicts [default: the one recorded
    /// in the model's config.json, when it is still there].
    #[arg(long)]
    pub corpus: Option<PathBuf>,
}

/// `--model`, else `models/default` here, else the one beside the sources.
pub fn resolve_model(model: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(m) = model {
        return Ok(m);
    }
    let here = PathBuf::from("models/default");
    if here.is_dir() {
        return Ok(here);
    }
    let shipped = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/default"));
    if shipped.is_dir() {
        return Ok(shipped);
    }
    bail!("no model given and no models/default found (train one with `cardlm train` and pass --model DIR)")
}

pub fn load_model(dir: &Path) -> Result<LoadedRun> {
    if !dir.exists() {
        bail!("{}: no such model directory", dir.display());
    }
    load_run(dir).map_err(|e| anyhow!("cannot load the model: {e}"))
}

/// The model's start symbol.
pub fn start_token(vocab: &Vocab) -> Result<u32> {
    vocab
        .id(START)
        .ok_or_else(|| anyhow!("the model's vocabulary has no start symbol {START}"))
}

/// Steers one card: the cards crate's forcing plan over the model's vocabulary.
pub struct CardSteer<'a> {
    pub forcing: Option<Forcing<'a>>,
    pub vocab: &'a Vocab,
}

impl Steer for CardSteer<'_> {
    fn after(&mut self, token: u32, forced: &mut VecDeque<u32>) {
        let (Some(f), Some(c)) = (self.forcing.as_mut(), self.vocab.char(token)) else {
            return;
        };
        if let Some(text) = f.after(c) {
            // Checked against the vocabulary before generation started.
            forced.extend(text.chars().filter_map(|c| self.vocab.id(c)));
        }
    }

    fn restrict(&self, logits: &mut [f32]) {
        let Some(f) = &self.forcing else { return };
        let banned = f.banned(self.vocab.chars());
        if banned.is_empty() {
            return;
        }
        let saved = logits.to_vec();
        for c in banned {
            if let Some(id) = self.vocab.id(c) {
                if let Some(x) = logits.get_mut(id as usize) {
                    *x = f32::NEG_INFINITY;
                }
            }
        }
        if logits.iter().all(|x| *x == f32::NEG_INFINITY) {
            logits.copy_from_slice(&saved);
        }
    }
}

/// Refuses forced values with characters the model cannot write.
pub fn check_vocabulary(plan: &ForcingPlan, vocab: &Vocab) -> Result<()> {
    let mut problems = Vec::new();
    for (option, value) in plan.values() {
        if let Err(unknown) = vocab.encode(&value) {
            let list: Vec<String> = unknown.iter().map(|c| format!("{c:?}")).collect();
            problems.push(format!("{option}: {}", list.join(" ")));
        }
    }
    if !problems.is_empty() {
        let known: String = vocab.chars().iter().collect();
        bail!(
            "characters the model does not know in {} (its vocabulary: {known:?})",
            problems.join(", ")
        );
    }
    Ok(())
}

/// A sampled card and its judgement.
#[derive(Clone, Debug, Serialize)]
pub struct Sampled {
    pub index: usize,
    /// Draws it took (more than 1 with --only-valid or --novel-only).
    pub tries: usize,
    /// The encoded line as generated.
    pub line: String,
    /// Reached its end symbol (not cut at --max-len).
    pub ended: bool,
    /// Forced fields the card never reached.
    pub missed_fields: Vec<&'static str>,
    #[serde(flatten)]
    pub card: Card,
    pub novelty: Option<Novelty>,
}

/// What a batch of cards is drawn with.
pub struct Job<'a> {
    pub run: &'a LoadedRun,
    pub plan: &'a ForcingPlan,
    pub options: GenerateOptions,
    pub seed: u64,
    pub novelty: Option<&'a NoveltyIndex>,
    pub only_valid: bool,
    pub novel_only: bool,
}

/// The random stream of card `index`, try `t`.
fn stream(seed: u64, index: usize, t: usize) -> Rng {
    if t == 0 {
        Rng::for_stream(seed, &[index as u64])
    } else {
        Rng::for_stream(seed, &[index as u64, t as u64])
    }
}

/// Draws cards `indices` (each judged, redrawn when asked), batched.
pub fn sample_cards(job: &Job, sampler: &mut Sampler, indices: &[usize]) -> Result<Vec<Sampled>> {
    let vocab = &job.run.vocab;
    let start = start_token(vocab)?;
    let mut done: Vec<Option<Sampled>> = vec![None; indices.len()];
    let mut todo: Vec<usize> = (0..indices.len()).collect();
    for t in 0..MAX_TRIES {
        if todo.is_empty() {
            break;
        }
        let steers: Vec<CardSteer> = todo
            .iter()
            .map(|_| CardSteer {
                forcing: (!job.plan.is_empty()).then(|| job.plan.start()),
                vocab,
            })
            .collect();
        let requests: Vec<Request<CardSteer>> = todo
            .iter()
            .zip(steers)
            .map(|(&k, steer)| Request {
                start,
                rng: stream(job.seed, indices[k], t),
                steer,
            })
            .collect();
        // The forcing state is consumed by generation: replay it on the line
        // afterwards to learn which fields were missed.
        let generated = generate(sampler, requests, &job.options);
        let mut again = Vec::new();
        for (&k, g) in todo.iter().zip(generated) {
            let line = vocab.decode(&g.tokens);
            let mut replay = job.plan.start();
            for c in line.chars() {
                replay.after(c);
            }
            // A model of the seed's encoding is judged by the seed's rules.
            let card = decode_with(&line, Rules::for_vocabulary(vocab.chars()));
            let novelty = job.novelty.map(|ix| ix.judge(&line));
            let missed = replay.missed();
            let valid = card.well_formed && missed.is_empty();
            let novel = novelty.as_ref().is_none_or(|n| n.novel);
            let ok = (!job.only_valid || valid) && (!job.novel_only || novel);
            let s = Sampled {
                index: indices[k],
                tries: t + 1,
                line,
                ended: g.stopped,
                missed_fields: missed,
                card,
                novelty,
            };
            if !ok && t + 1 < MAX_TRIES {
                again.push(k);
            }
            done[k] = Some(s);
        }
        todo = again;
    }
    Ok(done.into_iter().map(|s| s.expect("drawn")).collect())
}

/// The training cards of a run: from `corpus` when given, else from the
/// corpus its config.json records (a relative path is tried from here, then
/// from the run directory).
pub fn novelty_index(run: &LoadedRun, corpus: Option<&Path>) -> Result<NoveltyIndex, String> {
    let dir = match corpus {
        Some(dir) => dir.to_path_buf(),
        None => {
            let Some(recorded) = &run.config.corpus else {
                return Err(
                    "the model's config.json records no training corpus (pass --corpus DIR)".into(),
                );
            };
            let dir = Path::new(&recorded.path);
            if dir.is_relative() && !dir.exists() {
                run.dir.join(dir)
            } else {
                dir.to_path_buf()
            }
        }
    };
    if corpus.is_none() && !dir.join(cardlm_files::layout::TRAIN_FILE).exists() {
        return Err(format!(
            "the training corpus is not at {} (pass --corpus DIR; for models/default, \
             scripts/build-default-model.sh prepares it)",
            dir.display()
        ));
    }
    let c = cardlm_cards::load_corpus(&dir)
        .map_err(|e| format!("training corpus {}: {e}", dir.display()))?;
    Ok(NoveltyIndex::new(&c.train))
}

pub fn novelty_lines(n: &Novelty) -> Vec<String> {
    let mut out = Vec::new();
    if n.exact_copy {
        out.push("copy: the same line as a training card".to_owned());
    }
    if let Some(name) = &n.name_copy {
        out.push(format!("copy: the name of the training card {name}"));
    }
    if let Some(near) = &n.nearest {
        let what = if n.near_copy {
            "copy: rules text near"
        } else {
            "nearest rules text"
        };
        out.push(format!(
            "{what} {} (similarity {:.2})",
            near.name, near.similarity
        ));
    }
    if n.novel {
        out.insert(0, "novel".to_owned());
    }
    out
}

fn default_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

pub fn run(args: Args) -> Result<()> {
    let sampling = SampleOptions {
        temperature: args.temperature,
        top_k: args.top_k,
        top_p: args.top_p,
    };
    sampling.validate().map_err(|e| anyhow!(e))?;
    if args.max_len < 2 {
        bail!("--max-len must be at least 2");
    }
    let plan = ForcingPlan::new(&ForceOptions {
        name: args.name.clone(),
        cost: args.cost.clone(),
        rarity: args.rarity.clone(),
        type_line: args.type_line.clone(),
        subtypes: args.subtypes.clone(),
        pt: args.pt.clone(),
        ability: args.ability.clone(),
    })
    .map_err(|e| anyhow!(e))?;
    let dir = resolve_model(args.model.clone())?;
    let run = load_model(&dir)?;
    check_vocabulary(&plan, &run.vocab)?;
    let end = run
        .vocab
        .id(END)
        .ok_or_else(|| anyhow!("the model's vocabulary has no end symbol {END}"))?;
    let index = match novelty_index(&run, args.corpus.as_deref()) {
        Ok(ix) => Some(ix),
        Err(e) if args.novel_only => bail!("--novel-only needs the training cards: {e}"),
        Err(e) if args.corpus.is_some() => bail!("--corpus: {e}"),
        Err(e) => {
            eprintln!("cardlm: novelty not judged: {e}");
            None
        }
    };
    let seed = args.seed.unwrap_or_else(default_seed);
    let job = Job {
        run: &run,
        plan: &plan,
        options: GenerateOptions {
            sampling,
            max_len: args.max_len,
            stop: Some(end),
            init: args.init_state,
        },
        seed,
        novelty: index.as_ref(),
        only_valid: args.only_valid,
        novel_only: args.novel_only,
    };
    let mut sampler = Sampler::new(&run.model, args.n.clamp(1, MAX_BATCH));
    let indices: Vec<usize> = (0..args.n).collect();
    let cards = sample_cards(&job, &mut sampler, &indices)?;
    write_cards(&cards, args.format, seed, &dir)
}

fn write_cards(cards: &[Sampled], format: Format, seed: u64, model: &Path) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        Format::Text => {
            for (i, s) in cards.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                write!(out, "{}", render_text(&s.card))?;
                for line in verdict_lines(s) {
                    writeln!(out, "({line})")?;
                }
            }
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, cards)?;
            writeln!(out)?;
        }
        Format::Jsonl => {
            for s in cards {
                serde_json::to_writer(&mut out, s)?;
                writeln!(out)?;
            }
        }
        Format::Html => {
            let items: Vec<HtmlCard> = cards
                .iter()
                .map(|s| HtmlCard {
                    card: &s.card,
                    notes: verdict_lines(s)
                        .into_iter()
                        .filter(|l| !l.starts_with("not well-formed"))
                        .collect(),
                })
                .collect();
            let title = format!(
                "cardlm: {} cards from {} (seed {seed})",
                cards.len(),
                model.display()
            );
            write!(out, "{}", render_page(&title, &items))?;
        }
    }
    out.flush()?;
    Ok(())
}

fn verdict_lines(s: &Sampled) -> Vec<String> {
    let mut lines = Vec::new();
    if !s.card.well_formed {
        lines.push(format!("not well-formed: {}", s.card.problems.join("; ")));
    }
    if !s.missed_fields.is_empty() {
        lines.push(format!(
            "forced fields not reached: {}",
            s.missed_fields.join(", ")
        ));
    }
    if let Some(n) = &s.novelty {
        lines.extend(novelty_lines(n));
    }
    if s.tries > 1 {
        lines.push(format!("drawn {} times", s.tries));
    }
    lines
}
