//! One module per subcommand; each has an `Args` struct and a `run` function.
pub mod bench;
pub mod bench_serve;
pub mod card_files;
pub mod decode;
pub mod eval;
pub mod export_keras;
pub mod fit_realness;
pub mod generate;
pub mod import_keras;
pub mod model_args;
pub mod novelty_index;
pub mod prepare;
pub mod serve;
pub mod ship;
pub mod summary;
pub mod train;
