//! The `creatormix` binary: parses the command line, runs the library, prints
//! the result and picks the exit code (INTERFACE.md).

mod cli;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use creatormix::explore::sweep::{self, Axis};
use creatormix::explore::{compare, frontier};
use creatormix::report::{self, Format};
use creatormix::uncertainty::robust::RobustGoal;
use creatormix::uncertainty::simulate::{
    self, Mode, SampleSolver, Shard, ShardFile, SimulateSettings,
};
use creatormix::{Error, InputError, Plan, SolveSettings, SolverChoice, scenario, solve};

use cli::{
    Cli, Command, ExploreOutput, FormatArg, RobustArg, SampleSolverArg, SolverArg, SolverOptions,
};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(
        cli.command,
        Command::Simulate { .. }
            | Command::Sweep { .. }
            | Command::Frontier { .. }
            | Command::Compare { .. }
    ) {
        stop_on_ctrl_c();
    }
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

fn emit(text: &str, output: Option<&std::path::Path>) -> Result<(), Error> {
    match output {
        Some(path) => report::write_atomically(path, text),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

fn solve_settings(options: &SolverOptions) -> SolveSettings {
    SolveSettings {
        solver: match options.solver {
            SolverArg::Auto => SolverChoice::Auto,
            SolverArg::Microlp => SolverChoice::Microlp,
            SolverArg::Highs => SolverChoice::Highs,
        },
        time_limit: options.time_limit,
        mip_gap: options.mip_gap,
        shortlist_from: options.shortlist_from,
    }
}

/// The scenario's own optimal plan, for the head of an HTML report.
fn scenario_plan(scenario: &creatormix::Scenario, settings: &SolveSettings) -> Result<Plan, Error> {
    let outcome = solve::optimise(scenario, settings)?;
    Plan::new(scenario, &outcome, settings.mip_gap)
}

/// Writes the HTML report of a plan and what the command adds to it.
fn write_report(
    path: &std::path::Path,
    plan: &Plan,
    extra: report::html::Extra,
) -> Result<(), Error> {
    report::write_atomically(path, &report::html::render(plan, extra)?)
}

/// Writes the charts of an exploring command (when asked) and its report.
fn explore_output(
    out: &ExploreOutput,
    plot: Option<&std::path::Path>,
    charts: &dyn Fn(&std::path::Path) -> Result<Vec<String>, Error>,
    render: impl FnOnce() -> String,
) -> Result<(), Error> {
    if let Some(dir) = plot {
        let written = charts(dir)?;
        eprintln!("charts in {}: {}", dir.display(), written.join(", "));
    }
    emit(&render(), out.output.as_deref())
}

/// Runs `job` on a pool of `threads` workers (default: one per core).
fn in_pool<T: Send>(
    threads: Option<u64>,
    job: impl FnOnce() -> Result<T, Error> + Send,
) -> Result<T, Error> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0) as usize)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start worker threads: {e}")))?;
    pool.install(job)
}

fn format_of(format: FormatArg) -> Format {
    match format {
        FormatArg::Table => Format::Table,
        FormatArg::Json => Format::Json,
        FormatArg::Csv => Format::Csv,
        FormatArg::Markdown => Format::Markdown,
    }
}

/// The outputs of a complete simulation (a whole run, or merged shards):
/// per-sample CSV, charts, and the summary in the chosen format.
fn finish_simulation(
    file: &ShardFile,
    format: FormatArg,
    output: Option<&std::path::Path>,
    samples_out: Option<&std::path::Path>,
    plot: Option<&std::path::Path>,
) -> Result<(), Error> {
    if let Some(samples_path) = samples_out {
        report::write_atomically(samples_path, &report::simulation::samples_csv(&file.rows))?;
    }
    let summary = simulate::report(&file.context, &file.rows);
    if let Some(dir) = plot {
        let written = report::plots::write(dir, &summary, &file.rows)?;
        eprintln!("charts in {}: {}", dir.display(), written.join(", "));
    }
    emit(
        &report::simulation::render(&summary, format_of(format)),
        output,
    )
}

fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Simulate {
            scenario: path,
            samples,
            seed,
            threads,
            reoptimize,
            robust,
            robust_samples,
            tornado,
            sample_solver,
            shard,
            format,
            output,
            samples_out,
            plot,
            report,
            solver,
        } => {
            if plot.is_some() && shard.is_some() {
                return Err(Error::Usage(
                    "--plot needs every sample: plot from `creatormix merge --plot DIR` instead"
                        .into(),
                ));
            }
            if report.is_some() && shard.is_some() {
                return Err(Error::Usage(
                    "--report needs every sample: run the whole simulation, not one shard".into(),
                ));
            }
            let scenario = scenario::load(&path)?;
            let delivery_risk = scenario.creators.iter().any(|c| c.audience.delivery < 1.0)
                || scenario.pools.iter().any(|p| p.audience.delivery < 1.0);
            if scenario.uncertainty.is_empty() && !delivery_risk {
                eprintln!(
                    "note: nothing in {} is uncertain, so every sample is the same; give figures as \
                     distributions or add an `uncertainty:` block",
                    path.display()
                );
            }
            let settings = SimulateSettings {
                samples,
                seed,
                threads: threads.map(|t| t as usize),
                mode: if reoptimize {
                    Mode::Reoptimize
                } else {
                    Mode::Evaluate
                },
                shard: shard.map_or(Shard::ALL, |(k, of)| Shard { k, of }),
                tornado,
                robust: robust.map(|r| {
                    let goal = match r {
                        RobustArg::Mean => RobustGoal::Mean,
                        RobustArg::Cvar => RobustGoal::Cvar,
                    };
                    (goal, robust_samples)
                }),
                solve: solve_settings(&solver),
                sample_solver: match sample_solver {
                    SampleSolverArg::Auto => SampleSolver::Auto,
                    SampleSolverArg::Milp => SampleSolver::Milp,
                },
            };
            let started = std::time::Instant::now();
            let samples_here = settings.shard.range(samples).count() as u64;
            // A progress bar on stderr when it is a terminal; silent otherwise.
            let bar = std::io::stderr()
                .is_terminal()
                .then(|| {
                    let bar = indicatif::ProgressBar::new(samples_here);
                    bar.set_style(
                        indicatif::ProgressStyle::with_template(
                            "{elapsed_precise} [{wide_bar}] {pos}/{len} samples ({per_sec}, {eta} left)",
                        )
                        .expect("a valid template"),
                    );
                    bar
                });
            let done = std::sync::atomic::AtomicU64::new(0);
            let tick = || {
                done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
            };
            let file = simulate::run_with_progress(&scenario, &settings, &tick);
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            if let Err(Error::Interrupted) = file {
                eprintln!(
                    "stopped after {} of {samples_here} samples",
                    done.load(std::sync::atomic::Ordering::Relaxed)
                );
            }
            let file = file?;
            let threads = settings.threads.unwrap_or_else(rayon::current_num_threads);
            eprintln!(
                "{} samples in {:.2} s on {threads} thread{}",
                file.rows.len(),
                started.elapsed().as_secs_f64(),
                if threads == 1 { "" } else { "s" }
            );
            if shard.is_some() {
                if let Some(samples_path) = &samples_out {
                    let text = report::simulation::samples_csv(&file.rows);
                    report::write_atomically(samples_path, &text)?;
                }
                let text = serde_json::to_string(&file).expect("a shard always serialises") + "\n";
                return emit(&text, output.as_deref());
            }
            if let Some(path) = &report {
                let plan = match &file.plan {
                    Some(plan) => plan.clone(),
                    None => scenario_plan(&scenario, &settings.solve)?,
                };
                let summary = simulate::report(&file.context, &file.rows);
                let extra = report::html::Extra::Simulation(&summary, &file.rows);
                write_report(path, &plan, extra)?;
            }
            finish_simulation(
                &file,
                format,
                output.as_deref(),
                samples_out.as_deref(),
                plot.as_deref(),
            )
        }
        Command::Merge {
            shards,
            format,
            output,
            samples_out,
            plot,
        } => {
            let mut files = Vec::new();
            for path in &shards {
                // Shard files are our own output and may be large: no input size limit.
                let text = std::fs::read_to_string(path).map_err(|e| {
                    InputError::file(path, format!("cannot read the shard file: {e}"))
                })?;
                let file: ShardFile = serde_json::from_str(&text).map_err(|e| {
                    InputError::file(
                        path,
                        format!("not a shard file of `creatormix simulate --shard`: {e}"),
                    )
                })?;
                files.push(file);
            }
            let whole = simulate::merge(files).map_err(Error::Usage)?;
            finish_simulation(
                &whole,
                format,
                output.as_deref(),
                samples_out.as_deref(),
                plot.as_deref(),
            )
        }
        Command::Solve {
            scenario: path,
            format,
            output,
            report,
            solver,
        } => {
            let scenario = scenario::load(&path)?;
            let settings = solve_settings(&solver);
            let outcome = solve::optimise(&scenario, &settings)?;
            let mut plan = Plan::new(&scenario, &outcome, settings.mip_gap)?;
            creatormix::explore::target::price_targets(&scenario, &settings, &mut plan)?;
            if plan.status == "time_limit" && !cfg!(feature = "highs") {
                eprintln!(
                    "note: microlp stopped at the {} s time limit before proving this plan optimal; \
                     build with `--features highs` for a solver that proves it in seconds",
                    outcome.time_limit.unwrap_or_default()
                );
            }
            if let Some(path) = &report {
                write_report(path, &plan, report::html::Extra::None)?;
            }
            emit(&report::render(&plan, format_of(format)), output.as_deref())
        }
        Command::Sweep {
            scenario: path,
            budget,
            weight,
            out,
            plot,
            report,
            solver,
        } => {
            let scenario = scenario::load(&path)?;
            let axis = match budget {
                Some(range) => Axis::Budget(range),
                None => Axis::Weights(weight),
            };
            let settings = solve_settings(&solver);
            let sweep = in_pool(out.threads, || sweep::run(&scenario, &axis, &settings))?;
            if let Some(path) = &report {
                let plan = scenario_plan(&scenario, &settings)?;
                write_report(path, &plan, report::html::Extra::Sweep(&sweep))?;
            }
            let charts = |dir: &std::path::Path| report::plots::write_sweep(dir, &sweep);
            explore_output(&out, plot.as_deref(), &charts, || {
                report::explore::sweep(&sweep, format_of(out.format))
            })
        }
        Command::Frontier {
            scenario: path,
            goals,
            points,
            out,
            plot,
            report,
            solver,
        } => {
            let scenario = scenario::load(&path)?;
            let settings = solve_settings(&solver);
            let frontier = in_pool(out.threads, || {
                frontier::run(&scenario, &goals, points as usize, &settings)
            })?;
            if let Some(path) = &report {
                let plan = scenario_plan(&scenario, &settings)?;
                write_report(path, &plan, report::html::Extra::Frontier(&frontier))?;
            }
            let charts = |dir: &std::path::Path| report::plots::write_frontier(dir, &frontier);
            explore_output(&out, plot.as_deref(), &charts, || {
                report::explore::frontier(&frontier, format_of(out.format))
            })
        }
        Command::Compare {
            scenarios,
            weights,
            out,
            solver,
        } => {
            let loaded = scenarios
                .iter()
                .map(|p| scenario::load(p))
                .collect::<Result<Vec<_>, _>>()?;
            let settings = solve_settings(&solver);
            let comparison = in_pool(out.threads, || compare::run(&loaded, &weights, &settings))?;
            let no_charts = |_: &std::path::Path| Ok(Vec::new());
            explore_output(&out, None, &no_charts, || {
                report::explore::comparison(&comparison, format_of(out.format))
            })
        }
        Command::Validate { scenario: path } => {
            let scenario = scenario::load(&path)?;
            print!("{}", report::summary(&scenario));
            Ok(())
        }
        Command::Schema { output } => {
            emit(&creatormix::schema::scenario_schema(), output.as_deref())
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "creatormix", &mut script);
            emit(&String::from_utf8_lossy(&script), None)
        }
        Command::Man { dir } => match dir {
            None => emit(&man_page(Cli::command())?, None),
            Some(dir) => write_man_pages(&dir),
        },
    }
}

/// The roff manual page of a command.
fn man_page(command: clap::Command) -> Result<String, Error> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut page)
        .map_err(|e| Error::Usage(format!("cannot render the manual page: {e}")))?;
    Ok(String::from_utf8_lossy(&page).into_owned())
}

/// `creatormix.1` and one `creatormix-COMMAND.1` per command, written into `dir`.
fn write_man_pages(dir: &std::path::Path) -> Result<(), Error> {
    let command = Cli::command();
    report::write_atomically(&dir.join("creatormix.1"), &man_page(command.clone())?)?;
    for sub in command.get_subcommands() {
        let name = format!("creatormix-{}", sub.get_name());
        let page = man_page(
            sub.clone()
                .display_name(name.clone())
                .bin_name(name.clone()),
        )?;
        report::write_atomically(&dir.join(format!("{name}.1")), &page)?;
    }
    Ok(())
}
