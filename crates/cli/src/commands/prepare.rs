//! `cardlm prepare`: card data (MTGJSON, Scryfall, plain text; compressed or not)
//! into a corpus directory, and optionally the seed's `.npy` files.

use std::path::PathBuf;

use anyhow::{bail, Context};
use cardlm_cards::corpus::{corpus_files, prepare_corpus_limited, prepare_from_seed_npy};
use cardlm_cards::input::InputLimits;
use cardlm_cards::{npy, Encoding, FieldOrder, PrepareOptions};
use cardlm_files::{write_dir_atomically, write_dir_atomically_streamed, StreamedFile};

#[derive(clap::Args)]
pub struct Args {
    /// Input files: MTGJSON AllSets/AllPrintings/AtomicCards/set files, Scryfall bulk
    /// arrays or plain text; gzip, xz, bzip2 or zip. Recognised by content.
    #[arg(required_unless_present = "from_seed_npy")]
    pub inputs: Vec<PathBuf>,
    /// The corpus directory to write (train.txt, valid.txt, vocab.json, stats.json).
    #[arg(long)]
    pub out: PathBuf,
    /// The encoding: `full` (every real card: lands, hybrid costs, loyalty, multi-part
    /// cards; docs/encoding.md) or `seed` (the seed's cards and lines, byte for byte).
    #[arg(long, value_enum, default_value_t = EncodingArg::Full)]
    pub encoding: EncodingArg,
    /// Full encoding: also write flavor text (⒡).
    #[arg(long)]
    pub flavor: bool,
    /// The order of each card's fields: `printed` (name, cost, rarity, types, P/T, text)
    /// or `text-first` (rarity, types, text, P/T, cost, then the name after ⒩), so that a
    /// model trained on it writes a card's cost and name knowing what the card does.
    /// Full encoding only; generate, eval and the exports read such a model's cards in
    /// the printed order (docs/encoding.md).
    #[arg(long, default_value = "printed", value_parser = parse_field_order)]
    pub field_order: FieldOrder,
    /// Keep every printing of a card (the seed did) instead of identical lines once.
    #[arg(long)]
    pub keep_reprints: bool,
    /// Share of distinct card names that go to valid.txt, in [0, 1).
    #[arg(long, default_value_t = 0.05, value_parser = parse_valid_fraction)]
    pub valid_fraction: f64,
    /// Chooses which names go to valid.txt.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Rarity for cards whose data has none (MTGJSON AtomicCards), e.g. `common`.
    /// Without it such cards are dropped.
    #[arg(long, value_name = "RARITY")]
    pub default_rarity: Option<String>,
    /// Also write the seed's card_texts/c2i/i2c/xcards/ycards .npy files (of train.txt) here.
    #[arg(long, value_name = "DIR")]
    pub seed_npy: Option<PathBuf>,
    /// Read a seed user's data folder (its card_texts.npy) instead of card data.
    #[arg(long, value_name = "DIR", conflicts_with = "inputs")]
    pub from_seed_npy: Option<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Limits on what reading one input may cost; each stops the run with an error that
/// names it rather than letting a hostile or broken file exhaust memory.
#[derive(clap::Args)]
pub struct LimitArgs {
    /// Most bytes of content in one input after decompression (K, M, G, T suffixes).
    #[arg(long, value_name = "SIZE", default_value = "16G", value_parser = parse_size)]
    pub max_decompressed: u64,
    /// Most decompressed bytes per compressed byte (checked after the first 16 MiB).
    #[arg(long, value_name = "RATIO", default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_ratio: u64,
    /// Most bytes of one JSON record: a card, or an MTGJSON set (parsed whole).
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub max_record: u64,
    /// Most bytes of one line of a text input.
    #[arg(long, value_name = "SIZE", default_value = "1M", value_parser = parse_size)]
    pub max_line: u64,
}

impl LimitArgs {
    pub fn limits(&self) -> InputLimits {
        InputLimits {
            max_decompressed: self.max_decompressed,
            max_ratio: self.max_ratio,
            max_record: self.max_record,
            max_line: usize::try_from(self.max_line).unwrap_or(usize::MAX),
        }
    }
}

fn parse_size(text: &str) -> Result<u64, String> {
    cardlm_cards::input::limits::parse_size(text)
}

pub(crate) fn parse_field_order(text: &str) -> Result<FieldOrder, String> {
    text.parse()
}

fn parse_valid_fraction(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if (0.0..1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("must be in [0, 1), got {value}"))
    }
}

/// `--encoding` values.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EncodingArg {
    Full,
    Seed,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if args.flavor && args.encoding == EncodingArg::Seed {
        bail!("--flavor needs --encoding full (the seed's encoding has no flavor text)");
    }
    if args.field_order != FieldOrder::Printed && args.encoding == EncodingArg::Seed {
        bail!("--field-order text-first needs --encoding full (the seed's lines are written byte for byte)");
    }
    let options = PrepareOptions {
        encoding: match args.encoding {
            EncodingArg::Full => Encoding::Full,
            EncodingArg::Seed => Encoding::Seed,
        },
        flavor: args.flavor,
        field_order: args.field_order,
        keep_reprints: args.keep_reprints,
        valid_fraction: args.valid_fraction,
        seed: args.seed,
        default_rarity: args.default_rarity.clone(),
    };
    let (corpus, stats) = match &args.from_seed_npy {
        Some(dir) => prepare_from_seed_npy(dir, &options)?,
        None => prepare_corpus_limited(&args.inputs, &options, &args.limits.limits())?,
    };
    // The corpus files are written from the lines as they go (no second copy in
    // memory); the seed's .npy files, asked for, are built whole (they are small).
    let mut corpus_dir_files = corpus_files(&corpus, &stats);
    let mut replaceable: Vec<&str> = cardlm_cards::corpus::CORPUS_FILES.to_vec();
    if let Some(npy_dir) = &args.seed_npy {
        let npy_files = npy::seed_npy_files(&corpus.train);
        if same_dir(npy_dir, &args.out) {
            corpus_dir_files.extend(
                npy_files
                    .into_iter()
                    .map(|(name, bytes)| StreamedFile::new(name, move |w| w.write_all(&bytes))),
            );
            replaceable.extend(npy::SEED_NPY_FILES);
        } else {
            write_dir_atomically(npy_dir, &npy_files, &npy::SEED_NPY_FILES)
                .context("writing the seed's .npy files")?;
        }
    }
    write_dir_atomically_streamed(&args.out, corpus_dir_files, &replaceable)?;
    eprintln!(
        "cardlm: {} train and {} valid cards, {} characters in the vocabulary, written to {}",
        stats.train_cards,
        stats.valid_cards,
        stats.vocab_size,
        args.out.display()
    );
    Ok(())
}

fn same_dir(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
