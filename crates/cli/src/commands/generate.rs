//! `cardlm generate`: sample cards from a trained model, steer any field,
//! and judge each card (well-formed? new?).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use cardlm_app::model::{load_model, novelty_index, resolve_model};
use cardlm_app::{CardModel, CardRequest, GenerationService, JudgedCard, ServiceOptions};
use cardlm_cards::decode::render_text;
use cardlm_cards::field_forcing::ForceOptions;
use cardlm_cards::html::{render_page, HtmlCard};
use cardlm_lm::sample::{InitState, SampleOptions};

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

fn default_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

pub fn run(args: Args) -> Result<()> {
    let mut request = CardRequest::new(args.n, args.seed.unwrap_or_else(default_seed));
    request.sampling = SampleOptions {
        temperature: args.temperature,
        top_k: args.top_k,
        top_p: args.top_p,
    };
    request.max_len = args.max_len;
    request.init = args.init_state;
    request.force = ForceOptions {
        name: args.name.clone(),
        cost: args.cost.clone(),
        rarity: args.rarity.clone(),
        type_line: args.type_line.clone(),
        subtypes: args.subtypes.clone(),
        pt: args.pt.clone(),
        ability: args.ability.clone(),
    };
    request.only_valid = args.only_valid;
    request.novel_only = args.novel_only;
    request.check()?;

    let dir = resolve_model(args.model.clone())?;
    let run = load_model(&dir)?;
    let index = match novelty_index(&run, args.corpus.as_deref()) {
        Ok(ix) => Some(ix),
        Err(e) if args.novel_only => bail!("--novel-only needs the training cards: {e}"),
        Err(e) if args.corpus.is_some() => bail!("--corpus: {e}"),
        Err(e) => {
            eprintln!("cardlm: novelty not judged: {e}");
            None
        }
    };
    let model = CardModel::new(run, index)?;
    let service = GenerationService::start(model, ServiceOptions::default());
    let seed = request.seed;
    let cards = service.submit(request)?;
    write_cards(cards, args.n, args.format, seed, &dir)
}

/// Prints the cards as they come (all at once for the HTML page).
fn write_cards(
    cards: impl Iterator<Item = cardlm_app::Result<JudgedCard>>,
    n: usize,
    format: Format,
    seed: u64,
    model: &Path,
) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        Format::Text => {
            for (i, card) in cards.enumerate() {
                let s = card?;
                if i > 0 {
                    writeln!(out)?;
                }
                write!(out, "{}", render_text(&s.card))?;
                for line in s.verdict_lines() {
                    writeln!(out, "({line})")?;
                }
                out.flush()?;
            }
        }
        Format::Json => {
            // serde_json's pretty array, one element at a time.
            write!(out, "[")?;
            let mut any = false;
            for card in cards {
                let s = card?;
                let text = serde_json::to_string_pretty(&s)?;
                write!(
                    out,
                    "{}\n  {}",
                    if any { "," } else { "" },
                    text.replace('\n', "\n  ")
                )?;
                any = true;
                out.flush()?;
            }
            writeln!(out, "{}]", if any { "\n" } else { "" })?;
        }
        Format::Jsonl => {
            for card in cards {
                serde_json::to_writer(&mut out, &card?)?;
                writeln!(out)?;
                out.flush()?;
            }
        }
        Format::Html => {
            let cards = cards.collect::<cardlm_app::Result<Vec<_>>>()?;
            let items: Vec<HtmlCard> = cards
                .iter()
                .map(|s| HtmlCard {
                    card: &s.card,
                    notes: s
                        .verdict_lines()
                        .into_iter()
                        .filter(|l| !l.starts_with("not well-formed"))
                        .collect(),
                })
                .collect();
            let title = format!("cardlm: {n} cards from {} (seed {seed})", model.display());
            write!(out, "{}", render_page(&title, &items))?;
        }
    }
    out.flush()?;
    Ok(())
}
