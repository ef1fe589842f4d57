//! `cardlm generate`: sample cards from a trained model, steer any field,
//! and judge each card (well-formed? new?).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::{bail, Result};
use cardlm_app::export::{self, Format};
use cardlm_app::model::{corpus_judges, load_model, resolve_model};
use cardlm_app::{CardModel, CardRequest, GenerationService, JudgedCard, ServiceOptions};
use cardlm_cards::decode::Card;
use cardlm_cards::field_forcing::ForceOptions;
use cardlm_cards::html::{page_head, PAGE_TAIL};
use cardlm_lm::sample::{InitState, SampleOptions};

use super::card_files::{self, Image, Target};

/// `--format`'s names and help, from the library's own list of formats, so
/// that the CLI and the server offer the same ones.
fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(Format::ALL.map(|f| PossibleValue::new(f.name()).help(f.help())))
        .map(|name| Format::from_name(&name).expect("clap admits only the formats' names"))
}

#[derive(clap::Args)]
pub struct Args {
    /// Run directory of a trained model [default: models/default].
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Precision of the matrix products: f32, or bf16 with f32 sums (needs
    /// AVX512_BF16; the state stays f32).
    #[arg(long, default_value = "f32")]
    pub precision: cardlm_lm::kernels::cpu::Precision,
    /// Number of cards.
    #[arg(short = 'n', default_value_t = 5)]
    pub n: usize,
    /// Sample from p^(1/T); 0 is greedy.
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    pub temperature: f64,
    /// Sample only among the k most likely characters.
    #[arg(long)]
    pub top_k: Option<usize>,
    /// Sample only among the most likely characters that make up this
    /// probability (1 samples among all; docs/quality.md measures the default).
    #[arg(long, default_value_t = cardlm_app::service::DEFAULT_TOP_P)]
    pub top_p: f64,
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
    #[arg(long, default_value = "text", value_parser = format_parser())]
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
    /// Fixed multi-part layout (full-encoding models): split, flip, transform,
    /// meld, modal_dfc, adventure or aftermath.
    #[arg(long)]
    pub layout: Option<String>,
    /// Fixed starting loyalty, e.g. 3 (full-encoding models; implies a planeswalker).
    #[arg(long)]
    pub loyalty: Option<String>,
    /// Fixed name of the second face (full-encoding models; needs --layout).
    #[arg(long)]
    pub back_name: Option<String>,
    /// Draw a card again (up to 20 times) until it is well-formed.
    #[arg(long)]
    pub only_valid: bool,
    /// Draw a card again (up to 20 times) until it is no copy of a training card.
    #[arg(long)]
    pub novel_only: bool,
    /// Curated sampling: draw N candidates for each card and keep the best: a
    /// well-formed card before a broken one, one that passes the strict judge
    /// (real type words, keywords, counters; complete sentences) before one that
    /// does not, a new card before a copy, one with fewer flaws, one whose
    /// rules text is more made of real cards' phrases, one whose rules text
    /// reads as its own colour's cards (a colourless card next, one reading as
    /// another colour's last), a nonland before a land, then the one that reads
    /// most like a real card to the model's realness judge (`fit-realness`)
    /// and that the model finds most likely as a whole, its invented name left
    /// out. When none of the N is clean (strict, new, without a flaw, every
    /// phrase one real cards use), N more are drawn, up to three rounds. A
    /// vanilla creature the model drew at uncommon, rare or mythic is printed
    /// common (unless --rarity fixes it): real ones nearly all are. 1 prints
    /// every card as drawn.
    #[arg(long, visible_alias = "curate", value_name = "N", default_value_t = DEFAULT_BEST_OF)]
    pub best_of: usize,
    /// Curate within the length of the model's own card: keep the best of
    /// the candidates whose rules text runs as long as the first well-formed
    /// one's (none, a keyword or two, one ability, two or three, more), so
    /// the picks run as long as uncurated cards do. Without it the curator
    /// takes the best of any length, and short cards win more often the more
    /// candidates it draws: they read as real cards more often.
    #[arg(long)]
    pub keep_length: bool,
    /// Sample the type line freely. By default, while the model writes the
    /// type line, only characters that continue a type word, type combination
    /// or subtype of the training cards may be written, so no card invents
    /// one ("creature: jarpar"); needs the training cards (the model's
    /// novelty index or --corpus), else type lines are free anyway.
    #[arg(long)]
    pub free_types: bool,
    /// The training corpus, for the novelty verdicts [default: the one recorded
    /// in the model's config.json, when it is still there].
    #[arg(long)]
    pub corpus: Option<PathBuf>,
}

/// Candidates per card by default (docs/quality.md measures the choice).
pub const DEFAULT_BEST_OF: usize = cardlm_app::service::DEFAULT_CANDIDATES;

fn default_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

pub fn run(args: Args) -> Result<()> {
    cardlm_lm::kernels::cpu::set_precision(args.precision)?;
    let mut request = CardRequest::new(args.n, args.seed.unwrap_or_else(default_seed));
    request.sampling = SampleOptions {
        temperature: args.temperature,
        top_k: args.top_k,
        top_p: Some(args.top_p),
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
        layout: args.layout.clone(),
        loyalty: args.loyalty.clone(),
        back_name: args.back_name.clone(),
    };
    request.only_valid = args.only_valid;
    request.novel_only = args.novel_only;
    request.candidates = args.best_of;
    request.keep_length = args.keep_length;
    request.guide_types = !args.free_types;
    if args.best_of > 1 && (args.only_valid || args.novel_only) {
        // The default --best-of gives way to an explicit redraw option.
        if args.best_of == DEFAULT_BEST_OF {
            request.candidates = 1;
        }
    }
    request.check()?;
    // Checked before any card is drawn.
    let target = output_target(args.format, args.out.as_deref())?;

    let dir = resolve_model(args.model.clone())?;
    let run = load_model(&dir)?;
    let judges = match corpus_judges(&run, args.corpus.as_deref()) {
        Ok(judges) => Some(judges),
        Err(e) if args.novel_only => bail!("--novel-only needs the training cards: {e}"),
        Err(e) if args.corpus.is_some() => bail!("--corpus: {e}"),
        Err(e) => {
            eprintln!("cardlm: novelty, strict and phrasing verdicts not judged: {e}");
            None
        }
    };
    let model = CardModel::new(run, None)?.with_judges(judges);
    let service = GenerationService::start(model, ServiceOptions::default());
    let seed = request.seed;
    let cards = service.submit(request)?;
    // Ctrl-C ends the request, not the process: the cards already written stay, and
    // the JSON array or HTML page is closed. A second Ctrl-C quits at once.
    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let interrupted = interrupted.clone();
        let token = cards.cancel_token();
        ctrlc::set_handler(move || {
            if interrupted.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
            token.cancel();
        })
        .map_err(|e| anyhow::anyhow!("cannot install the Ctrl-C handler: {e}"))?;
    }
    let streamed = matches!(
        args.format,
        Format::Text | Format::Json | Format::Jsonl | Format::Html
    );
    if streamed && target == Target::Stdout {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let written = write_cards(&mut out, cards, args.n, args.format, seed, &dir)?;
        if interrupted.load(Ordering::SeqCst) {
            eprintln!("cardlm: interrupted: {written} of {} cards written", args.n);
            std::process::exit(130);
        }
        return Ok(());
    }
    if streamed {
        let mut bytes = Vec::new();
        write_cards(&mut bytes, cards, args.n, args.format, seed, &dir)?;
        bail_if_interrupted(&interrupted, &target)?;
        return card_files::write_bytes(&target, &bytes);
    }
    let cards = cards.collect::<cardlm_app::Result<Vec<_>>>();
    bail_if_interrupted(&interrupted, &target)?;
    write_card_files(&cards?, args.format, seed, &dir, &target)
}

/// A file output is whole or absent: after Ctrl-C nothing is written.
fn bail_if_interrupted(interrupted: &AtomicBool, target: &Target) -> Result<()> {
    if interrupted.load(Ordering::SeqCst) {
        eprintln!("cardlm: interrupted: nothing written to {target:?}");
        std::process::exit(130);
    }
    Ok(())
}

fn output_target(format: Format, out: Option<&Path>) -> Result<Target> {
    match format {
        Format::Mse => card_files::mse_target(out),
        Format::Png => card_files::image_target(Image::Png, out),
        Format::Svg => card_files::image_target(Image::Svg, out),
        _ => card_files::text_target(out),
    }
}

/// The formats for card makers: an MSE set, Cockatrice, Scryfall JSON, images
/// (written by cardlm-app's exporter, which `cardlm serve` uses too).
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
    let decoded: Vec<&Card> = cards.iter().map(|s| &s.card).collect();
    let bytes = match format {
        Format::Png => return card_files::write_images(&decoded, Image::Png, target),
        Format::Svg => return card_files::write_images(&decoded, Image::Svg, target),
        other => export::export(other, &title, cards)?,
    };
    card_files::write_bytes(target, &bytes)
}

/// Prints the cards as they come, each flushed as it finishes; returns how many.
fn write_cards(
    out: &mut dyn Write,
    cards: impl Iterator<Item = cardlm_app::Result<JudgedCard>>,
    n: usize,
    format: Format,
    seed: u64,
    model: &Path,
) -> Result<usize> {
    let mut written = 0usize;
    let mut cards = cards.inspect(|_| written += 1);
    match format {
        Format::Text => {
            for (i, card) in cards.by_ref().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                write!(out, "{}", export::text_card(&card?))?;
                out.flush()?;
            }
        }
        Format::Json => {
            // serde_json's pretty array, one element at a time.
            write!(out, "[")?;
            let mut any = false;
            for card in cards.by_ref() {
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
            for card in cards.by_ref() {
                serde_json::to_writer(&mut *out, &card?)?;
                writeln!(out)?;
                out.flush()?;
            }
        }
        Format::Html => {
            let title = format!("cardlm: {n} cards from {} (seed {seed})", model.display());
            write!(out, "{}", page_head(&title))?;
            for card in cards.by_ref() {
                write!(out, "{}", export::html_card(&card?))?;
                out.flush()?;
            }
            write!(out, "{PAGE_TAIL}")?;
        }
        _ => unreachable!("the card-maker formats are written by write_card_files"),
    }
    out.flush()?;
    drop(cards);
    Ok(written)
}
