//! `cardlm`: thin commands over the `cardlm-cards` and `cardlm-lm` crates.

use clap::{Parser, Subcommand};

mod commands;

#[derive(Parser)]
#[command(
    name = "cardlm",
    version,
    about = "Train character-level LSTM language models on trading cards and generate new ones"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Measure training throughput (rerunnable benchmark figures).
    Bench(commands::bench::Args),
    /// Train the seed's LSTM language model on a corpus directory.
    Train(commands::train::Args),
    /// Print the model's layers and parameter counts (as Keras's model.summary()).
    Summary(commands::summary::Args),
    /// Card data (MTGJSON, Scryfall, plain text) into a corpus directory.
    Prepare(commands::prepare::Args),
    /// Encoded card lines back into cards, with a well-formedness verdict.
    Decode(commands::decode::Args),
    /// Sample new cards from a trained model, steer any field, judge each card.
    Generate(commands::generate::Args),
    /// Validation loss and what the model's samples look like next to the corpus.
    Eval(commands::eval::Args),
    /// The seed's Keras weights (.h5) and c2i/i2c into a run directory.
    ImportKeras(commands::import_keras::Args),
    /// A run's weights as a Keras .h5 file for the seed notebook's model.load_weights.
    ExportKeras(commands::export_keras::Args),
    /// A training run's model as a small directory to hand out (f16 weights).
    Ship(commands::ship::Args),
    /// Write a model's novelty index (its training cards) from its corpus.
    NoveltyIndex(commands::novelty_index::Args),
    /// Fit a model's realness judge (its training cards against its own candidates), which the curator weighs; refit when the weights change.
    FitRealness(commands::fit_realness::Args),
    /// The card workshop in a browser and an HTTP API (every client's requests batched together).
    Serve(commands::serve::Args),
}

fn main() {
    let cli = Cli::parse();
    let result: anyhow::Result<()> = match cli.command {
        Command::Bench(args) => commands::bench::run(args),
        Command::Train(args) => commands::train::run(args),
        Command::Summary(args) => commands::summary::run(args),
        Command::Prepare(args) => commands::prepare::run(args),
        Command::Decode(args) => commands::decode::run(args),
        Command::Generate(args) => commands::generate::run(args),
        Command::Eval(args) => commands::eval::run(args),
        Command::ImportKeras(args) => commands::import_keras::run(args),
        Command::ExportKeras(args) => commands::export_keras::run(args),
        Command::Ship(args) => commands::ship::run(args),
        Command::NoveltyIndex(args) => commands::novelty_index::run(args),
        Command::FitRealness(args) => commands::fit_realness::run(args),
        Command::Serve(args) => commands::serve::run(args),
    };
    if let Err(err) = result {
        // One line for the user: the chain of contexts, no backtrace.
        eprintln!("cardlm: error: {err:#}");
        std::process::exit(1);
    }
}
