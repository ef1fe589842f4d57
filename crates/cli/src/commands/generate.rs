//! `cardlm generate`: sample cards from a trained model, steer any field,
//! and judge each card (well-formed? new?).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use cardlm_app::model::{load_model, novelty_index, resolve_model};
use cardlm_app::{CardModel, CardRequest, GenerationService, JudgedCard, ServiceOptions};
use cardlm_cards::decode::{render_text, Card};
use cardlm_cards::export::Judged;
use cardlm_cards::field_forcing::ForceOptions;
use cardlm_cards::html::{render_page, HtmlCard};
use cardlm_lm::sample::{InitState, SampleOptions};

use super::card_files::{self, Image, Target};

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
    /// A Magic Set Editor 2 set (a zip; needs --out NAME.mse-set).
    Mse,
    /// A Cockatrice custom set (carddatabase XML, version 4).
    Cockatrice,
    /// Scryfall-shaped JSON card objects (`cardlm prepare` reads them back).
    Scryfall,
    /// PNG card images: --out DIR (one per card) or --out NAME.png (a sheet).
    Png,
    /// SVG card images (text as outlines): --out DIR or --out NAME.svg.
    Svg,
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
    /// Write to this file (or, for png/svg, this directory) instead of
    /// stdout; written atomically.
    #[arg(long)]
    pub out: Option<PathBuf>,
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
    // Checked before any card is drawn.
    let target = output_target(args.format, args.out.as_deref())?;

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
    let streamed = matches!(
        args.format,
        Format::Text | Format::Json | Format::Jsonl | Format::Html
    );
    if streamed && target == Target::Stdout {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        return write_cards(&mut out, cards, args.n, args.format, seed, &dir);
    }
    if streamed {
        let mut bytes = Vec::new();
        write_cards(&mut bytes, cards, args.n, args.format, seed, &dir)?;
        return card_files::write_bytes(&target, &bytes);
    }
    let cards = cards.collect::<cardlm_app::Result<Vec<_>>>()?;
    write_card_files(&cards, args.format, seed, &dir, &target)
}

fn output_target(format: Format, out: Option<&Path>) -> Result<Target> {
    match format {
        Format::Mse => card_files::mse_target(out),
        Format::Png => card_files::image_target(Image::Png, out),
        Format::Svg => card_files::image_target(Image::Svg, out),
        _ => card_files::text_target(out),
    }
}

/// The formats for card makers: an MSE set, Cockatrice, Scryfall JSON, images.
fn write_card_files(
    cards: &[JudgedCard],
    format: Format,
    seed: u64,
    model: &Path,
    target: &Target,
) -> Result<()> {
    let title = format!(
        "cardlm: {} cards from {} (seed {seed})",
        cards.len(),
        model.display()
    );
    // Well-formedness has its own field in every export format.
    let notes: Vec<Vec<String>> = cards
        .iter()
        .map(|s| {
            s.verdict_lines()
                .into_iter()
                .filter(|l| !l.starts_with("not well-formed"))
                .collect()
        })
        .collect();
    let judged: Vec<Judged> = cards
        .iter()
        .zip(&notes)
        .map(|(s, n)| Judged {
            card: &s.card,
            notes: n,
        })
        .collect();
    let decoded: Vec<&Card> = cards.iter().map(|s| &s.card).collect();
    let kind = match format {
        Format::Mse => "mse",
        Format::Cockatrice => "cockatrice",
        Format::Png => return card_files::write_images(&decoded, Image::Png, target),
        Format::Svg => return card_files::write_images(&decoded, Image::Svg, target),
        _ => "scryfall",
    };
    card_files::write_bytes(target, &card_files::export_bytes(kind, &title, &judged))
}

/// Prints the cards as they come (all at once for the HTML page).
fn write_cards(
    out: &mut dyn Write,
    cards: impl Iterator<Item = cardlm_app::Result<JudgedCard>>,
    n: usize,
    format: Format,
    seed: u64,
    model: &Path,
) -> Result<()> {
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
                serde_json::to_writer(&mut *out, &card?)?;
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
        _ => unreachable!("the card-maker formats are written by write_card_files"),
    }
    out.flush()?;
    Ok(())
}
