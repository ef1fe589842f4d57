//! `cardlm decode`: encoded lines (as a model generates them) back into cards.

use std::io::{BufRead, BufReader, Write};

use cardlm_cards::input::text::read_bounded_line;
use std::path::PathBuf;

use anyhow::Context;
use cardlm_cards::decode::{decode_with, Rules};
use cardlm_cards::judge::{judge, Lexicon, StrictVerdict};
use cardlm_cards::{render_text, Card, FieldOrder};
use serde::Serialize;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum OutputFormat {
    /// The seed's printed layout, one card after another, a blank line between.
    Text,
    /// One JSON object per line: the seed's keys plus structured fields and the verdict.
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// File of encoded lines, one card a line; standard input when absent or `-`.
    pub file: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Most bytes of one line (K, M, G suffixes); a longer line is an error.
    #[arg(long, value_name = "SIZE", default_value = "1M", value_parser = parse_size)]
    pub max_line: u64,
    /// A corpus directory (`cardlm prepare`): also judge each card strictly against
    /// the words, types, keywords and counters of its training cards.
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Whose rules judge the lines: `full` (a planeswalker needs its loyalty, a battle
    /// its defense; docs/encoding.md) or `seed` (lines of the seed's encoding).
    #[arg(long, value_enum, default_value_t = super::prepare::EncodingArg::Full)]
    pub encoding: super::prepare::EncodingArg,
    /// The order of the lines' fields: `printed`, or `text-first` for lines of a corpus
    /// written with `prepare --field-order text-first` (put back in the printed order
    /// before they are decoded).
    #[arg(long, default_value = "printed", value_parser = super::prepare::parse_field_order)]
    pub field_order: FieldOrder,
}

fn parse_size(text: &str) -> Result<u64, String> {
    let size = cardlm_cards::input::limits::parse_size(text)?;
    // Held in memory at once: keep it addressable.
    usize::try_from(size)
        .map(|_| size)
        .map_err(|_| format!("{text:?} is too large for this machine"))
}

/// A card with its strict verdict, for `--format json`.
#[derive(Serialize)]
struct Judged<'a> {
    #[serde(flatten)]
    card: &'a Card,
    #[serde(skip_serializing_if = "Option::is_none")]
    strict: Option<&'a StrictVerdict>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let (source, reader): (String, Box<dyn BufRead>) = match &args.file {
        Some(path) if path.as_os_str() != "-" => {
            let file = std::fs::File::open(path)
                .with_context(|| format!("{}: cannot open", path.display()))?;
            (path.display().to_string(), Box::new(BufReader::new(file)))
        }
        _ => (
            "standard input".to_owned(),
            Box::new(std::io::stdin().lock()),
        ),
    };
    let lexicon = match &args.corpus {
        Some(dir) => {
            // Its errors name the file.
            let corpus = cardlm_cards::load_corpus(dir).map_err(|e| anyhow::anyhow!("{e}"))?;
            Some(Lexicon::from_lines(&corpus.printed_train()))
        }
        None => None,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut first = true;
    let mut reader = reader;
    let mut buf = Vec::new();
    for number in 1.. {
        // Bounded: `/dev/zero` or a file with no newline must not fill memory.
        let more = read_bounded_line(&mut *reader, &mut buf, args.max_line as usize, number)
            .map_err(|message| anyhow::anyhow!("{source}: {message}"))?;
        if !more {
            break;
        }
        let line = std::str::from_utf8(&buf)
            .with_context(|| format!("{source}: line {number}: not UTF-8 text"))?;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let printed = args.field_order.to_printed(line);
        let card = decode_with(
            &printed,
            match args.encoding {
                super::prepare::EncodingArg::Full => Rules::Full,
                super::prepare::EncodingArg::Seed => Rules::Seed,
            },
        );
        let strict = lexicon.as_ref().map(|lex| judge(&card, lex));
        match args.format {
            OutputFormat::Json => {
                let judged = Judged {
                    card: &card,
                    strict: strict.as_ref(),
                };
                serde_json::to_writer(&mut out, &judged)?;
                writeln!(out)?;
            }
            OutputFormat::Text => {
                if !first {
                    writeln!(out)?;
                }
                write!(out, "{}", render_text(&card))?;
                if !card.well_formed {
                    let problems = card.problems.join("; ");
                    let problems = cardlm_cards::text_rule::escape_controls(&problems);
                    writeln!(out, "(not well-formed: {problems})")?;
                } else if let Some(v) = strict.as_ref().filter(|v| !v.well_formed) {
                    writeln!(
                        out,
                        "(not a card a player would accept: {})",
                        v.problems.join("; ")
                    )?;
                }
            }
        }
        first = false;
    }
    out.flush()?;
    Ok(())
}
