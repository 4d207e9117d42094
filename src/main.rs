//! The `creatormix` binary: parses the command line, runs the library, prints
//! the result and picks the exit code (INTERFACE.md).

mod cli;

use std::process::ExitCode;

use clap::Parser;
use creatormix::report::{self, Format};
use creatormix::{Error, Plan, SolveSettings, SolverChoice, scenario, solve};

use cli::{Cli, Command, FormatArg, SolverArg};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json_errors = matches!(
        cli.command,
        Command::Solve {
            format: FormatArg::Json,
            ..
        }
    );
    match run(cli) {
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

fn emit(text: &str, output: Option<&std::path::Path>) -> Result<(), Error> {
    match output {
        Some(path) => report::write_atomically(path, text),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Solve {
            scenario: path,
            format,
            output,
            solver,
            time_limit,
            mip_gap,
        } => {
            let scenario = scenario::load(&path)?;
            let settings = SolveSettings {
                solver: match solver {
                    SolverArg::Auto => SolverChoice::Auto,
                    SolverArg::Microlp => SolverChoice::Microlp,
                    SolverArg::Highs => SolverChoice::Highs,
                },
                time_limit,
                mip_gap,
            };
            let outcome = solve::optimise(&scenario, &settings)?;
            let plan = Plan::new(&scenario, &outcome, mip_gap)?;
            if plan.status == "time_limit" && !cfg!(feature = "highs") {
                eprintln!(
                    "note: microlp stopped at the {} s time limit before proving this plan optimal; \
                     build with `--features highs` for a solver that proves it in seconds",
                    outcome.time_limit.unwrap_or_default()
                );
            }
            let format = match format {
                FormatArg::Table => Format::Table,
                FormatArg::Json => Format::Json,
                FormatArg::Csv => Format::Csv,
                FormatArg::Markdown => Format::Markdown,
            };
            emit(&report::render(&plan, format), output.as_deref())
        }
        Command::Validate { scenario: path } => {
            let scenario = scenario::load(&path)?;
            print!("{}", report::summary(&scenario));
            Ok(())
        }
        Command::Schema { output } => {
            emit(&creatormix::schema::scenario_schema(), output.as_deref())
        }
    }
}
