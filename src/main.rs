//! The `orbitscope` binary: parse the command line, run a subcommand or open the globe.

use std::process::ExitCode;

use clap::Parser;
use orbitscope::cli::{Cli, run};

fn main() -> ExitCode {
    std::sync::LazyLock::force(&orbitscope::PROCESS_START);
    let cli = Cli::parse();
    let result = match cli.command {
        Some(command) => run(command),
        None => open_globe(&cli),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(feature = "gui")]
fn open_globe(cli: &Cli) -> anyhow::Result<()> {
    orbitscope::cli::open_globe(cli)
}

#[cfg(not(feature = "gui"))]
fn open_globe(_cli: &Cli) -> anyhow::Result<()> {
    anyhow::bail!(
        "this build has no GUI (built without the `gui` feature); use a subcommand, see --help"
    )
}
