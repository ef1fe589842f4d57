//! `cardlm decode`: encoded lines (as a model generates them) back into cards.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use anyhow::Context;
use cardlm_cards::decode::{decode_with, Rules};
use cardlm_cards::render_text;

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
    /// Whose rules judge the lines: `full` (a planeswalker needs its loyalty, a battle
    /// its defense; docs/encoding.md) or `seed` (lines of the seed's encoding).
    #[arg(long, value_enum, default_value_t = super::prepare::EncodingArg::Full)]
    pub encoding: super::prepare::EncodingArg,
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
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut first = true;
    for (number, line) in reader.lines().enumerate() {
        let line =
            line.with_context(|| format!("{source}: line {}: not UTF-8 text", number + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let card = decode_with(
            &line,
            match args.encoding {
                super::prepare::EncodingArg::Full => Rules::Full,
                super::prepare::EncodingArg::Seed => Rules::Seed,
            },
        );
        match args.format {
            OutputFormat::Json => {
                serde_json::to_writer(&mut out, &card)?;
                writeln!(out)?;
            }
            OutputFormat::Text => {
                if !first {
                    writeln!(out)?;
                }
                write!(out, "{}", render_text(&card))?;
                if !card.well_formed {
                    writeln!(out, "(not well-formed: {})", card.problems.join("; "))?;
                }
            }
        }
        first = false;
    }
    out.flush()?;
    Ok(())
}
