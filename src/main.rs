//! The `creatormix` binary: parses the command line, runs one command,
//! prints its result or its error, and picks the exit code (INTERFACE.md).

mod cli;

use std::process::ExitCode;

use clap::Parser;
use cli::args::{Cli, Command, FormatArg, SolveArgs};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(
        cli.command,
        Command::Simulate(_)
            | Command::Sweep(_)
            | Command::Frontier(_)
            | Command::Regions(_)
            | Command::Compare(_)
    ) {
        stop_on_ctrl_c();
    }
    // `solve --format json` answers errors in JSON too, on stdout.
    let json_errors = matches!(
        cli.command,
        Command::Solve(SolveArgs {
            format: FormatArg::Json,
            ..
        })
    );
    match cli::commands::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            if json_errors {
                let body =
                    serde_json::json!({ "status": error.status(), "message": error.to_string() });
                println!(
                    "{}",
                    serde_json::to_string_pretty(&body).expect("JSON of strings")
                );
            }
            ExitCode::from(error.exit_code() as u8)
        }
    }
}

/// Long runs stop cleanly on Ctrl-C: the first asks their loops to stop
/// after the samples or points in progress (they then write nothing and exit
/// 130); a second ends the process at once. `solve` keeps the default, an
/// immediate stop, as it has no loop to end early.
fn stop_on_ctrl_c() {
    let result = ctrlc::set_handler(|| {
        if creatormix::interrupt::requested() {
            std::process::exit(130);
        }
        creatormix::interrupt::request();
        eprintln!(
            "\nstopping after the work in progress; no output will be written \
             (Ctrl-C again to end at once)"
        );
    });
    if let Err(e) = result {
        eprintln!("warning: Ctrl-C will end the run at once: {e}");
    }
}
