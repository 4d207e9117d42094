//! Flags resolved into the library's settings, in one place: every
//! conversion from a command-line value and every conflict between flags is
//! here, so nothing after it re-checks a flag.

use creatormix::Error;
use creatormix::explore::sweep::Axis;
use creatormix::report::Format;
use creatormix::solve::{SolveSettings, SolverChoice};
use creatormix::uncertainty::robust::{RobustGoal, RobustSpec};
use creatormix::uncertainty::shard::Shard;
use creatormix::uncertainty::simulate::{SampleSolver, SimulateSettings, Task};

use super::args::{
    FormatArg, RobustArg, SampleSolverArg, SimulateArgs, SolverArg, SolverOptions, SweepArgs,
};

/// The solve settings of a command's solver flags.
pub fn solve(options: &SolverOptions) -> Result<SolveSettings, Error> {
    let settings = SolveSettings {
        solver: match options.solver {
            SolverArg::Auto => SolverChoice::Auto,
            SolverArg::Bnb => SolverChoice::Bnb,
            SolverArg::Microlp => SolverChoice::Microlp,
            SolverArg::Highs => SolverChoice::Highs,
        },
        time_limit: options.time_limit,
        mip_gap: options.mip_gap,
        shortlist_from: options.shortlist_from,
        node_limit: options.node_limit,
    };
    settings.check().map_err(Error::Usage)?;
    Ok(settings)
}

/// The output format of `--format`.
pub fn format(format: FormatArg) -> Format {
    match format {
        FormatArg::Table => Format::Table,
        FormatArg::Json => Format::Json,
        FormatArg::Csv => Format::Csv,
        FormatArg::Markdown => Format::Markdown,
    }
}

/// What a sweep moves: `--budget`, or the `--weight` axes (clap requires
/// exactly one of them).
pub fn axis(args: &SweepArgs) -> Axis {
    match &args.budget {
        Some(range) => Axis::Budget(range.clone()),
        None => Axis::Weights(args.weight.clone()),
    }
}

/// The settings of `simulate`, once its flags are known not to conflict.
pub fn simulate(args: &SimulateArgs) -> Result<SimulateSettings, Error> {
    let usage = |message: &str| Err(Error::Usage(message.into()));
    if args.plot.is_some() && args.shard.is_some() {
        return usage("--plot needs every sample: plot from `creatormix merge --plot DIR` instead");
    }
    if args.report.is_some() && args.shard.is_some() {
        return usage("--report needs every sample: run the whole simulation, not one shard");
    }
    if args.level.is_some() && !matches!(args.robust, Some(RobustArg::Chance)) {
        return usage("--level sets the chance of --robust chance; add `--robust chance`");
    }
    let task = match (args.reoptimize, args.robust) {
        (true, Some(_)) => {
            return usage("--robust compares plans on fixed samples; drop --reoptimize");
        }
        (true, None) => Task::Reoptimize(match args.sample_solver {
            SampleSolverArg::Auto => SampleSolver::Auto,
            SampleSolverArg::Milp => SampleSolver::Milp,
        }),
        (false, robust) => Task::Evaluate {
            robust: robust.map(|r| RobustSpec {
                goal: match r {
                    RobustArg::Mean => RobustGoal::Mean,
                    RobustArg::Cvar => RobustGoal::Cvar,
                    RobustArg::Chance => RobustGoal::Chance,
                },
                training: args.robust_samples,
                level: args.level.unwrap_or(0.9),
            }),
        },
    };
    Ok(SimulateSettings {
        samples: args.samples,
        seed: args.seed,
        threads: args.threads.map(|t| t as usize),
        task,
        shard: args.shard.map_or(Shard::ALL, |(k, of)| Shard { k, of }),
        solve: solve(&args.solver)?,
        tornado: args.tornado,
    })
}
