//! `cardlm`: thin commands over the `cardlm-cards` and `cardlm-lm` crates.

use clap::{Parser, Subcommand};

mod commands;

#[derive(Parser)]
#[command(name = "cardlm", version, about = "Train character-level LSTM language models on trading cards and generate new ones")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Card data (MTGJSON, Scryfall, plain text) into a corpus directory.
    Prepare(commands::prepare::Args),
    /// Encoded card lines back into cards, with a well-formedness verdict.
    Decode(commands::decode::Args),
}

fn main() {
    let cli = Cli::parse();
    let result: anyhow::Result<()> = match cli.command {
        Command::Prepare(args) => commands::prepare::run(args),
        Command::Decode(args) => commands::decode::run(args),
    };
    if let Err(err) = result {
        // One line for the user: the chain of contexts, no backtrace.
        eprintln!("cardlm: error: {err:#}");
        std::process::exit(1);
    }
}
