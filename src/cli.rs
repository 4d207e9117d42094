//! Command-line parsing only: the commands and flags of INTERFACE.md.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// The optimal mix of influencers for a marketing budget.
#[derive(Debug, Parser)]
#[command(name = "creatormix", version, about, long_about = None)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats of `solve`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// A readable table.
    Table,
    /// JSON with the keys of INTERFACE.md.
    Json,
    /// One row per hired creator or pool.
    Csv,
    /// A Markdown report.
    Markdown,
}

/// Solver choices.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SolverArg {
    /// The best solver compiled in (HiGHS if built with it).
    Auto,
    /// Pure-Rust microlp.
    Microlp,
    /// HiGHS (build with `--features highs`).
    Highs,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find the optimal creator mix of a scenario and explain it.
    Solve {
        /// The scenario file (YAML).
        scenario: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: FormatArg,
        /// Write the output to this file (whole or not at all) instead of stdout.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The solver.
        #[arg(long, value_enum, default_value = "auto")]
        solver: SolverArg,
        /// Stop after this many seconds and return the best plan found.
        #[arg(long, value_parser = parse_seconds)]
        time_limit: Option<f64>,
        /// Relative MIP gap at which a plan counts as optimal.
        #[arg(long, default_value = "1e-6", value_parser = parse_gap)]
        mip_gap: f64,
    },
    /// Check a scenario and summarise what was understood.
    Validate {
        /// The scenario file (YAML).
        scenario: PathBuf,
    },
    /// Print the JSON Schema (draft-07) of scenario files.
    Schema {
        /// Write the schema to this file instead of stdout.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    let v: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err("the time limit must be a positive number of seconds".into())
    }
}

fn parse_gap(text: &str) -> Result<f64, String> {
    let v: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if v.is_finite() && (0.0..1.0).contains(&v) {
        Ok(v)
    } else {
        Err("the MIP gap must be at least 0 and below 1 (e.g. 1e-6)".into())
    }
}
