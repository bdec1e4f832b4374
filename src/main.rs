//! The `pmlint` binary: parse arguments, run the command, map the result to an exit code.

mod cli;
mod man;
mod stats_cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    cli::run(cli::Cli::parse())
}
