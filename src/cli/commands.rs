//! One short function per command: load, run the library, write what was
//! asked for. Settings come resolved from [`super::resolve`].

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use clap::CommandFactory;
use creatormix::explore::{alternatives, compare, frontier, regions, sweep};
use creatormix::report::{self, Extra, Format};
use creatormix::uncertainty::shard::{self, ShardFile};
use creatormix::uncertainty::simulate;
use creatormix::uncertainty::summary::{self, Report};
use creatormix::{Error, Plan, plan, scenario};

use super::args::{
    Cli, Command, CompareArgs, FrontierArgs, MergeArgs, RegionsArgs, SimulateArgs, SolveArgs,
    SweepArgs,
};
use super::resolve;

/// Runs one command.
pub fn run(command: Command) -> Result<(), Error> {
    match command {
        Command::Solve(args) => solve(&args),
        Command::Simulate(args) => simulate(&args),
        Command::Merge(args) => merge(&args),
        Command::Sweep(args) => sweep(&args),
        Command::Frontier(args) => frontier(&args),
        Command::Regions(args) => regions(&args),
        Command::Compare(args) => compare(&args),
        Command::Validate(args) => {
            print!("{}", report::summary(&scenario::load(&args.scenario)?));
            Ok(())
        }
        Command::Schema(args) => emit(
            &creatormix::schema::scenario_schema(),
            args.output.as_deref(),
        ),
        Command::Completions(args) => {
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "creatormix", &mut script);
            emit(&String::from_utf8_lossy(&script), None)
        }
        Command::Man(args) => match &args.dir {
            None => emit(&man_page(Cli::command())?, None),
            Some(dir) => write_man_pages(dir),
        },
    }
}

/// Prints text, or writes it whole to a file.
fn emit(text: &str, output: Option<&Path>) -> Result<(), Error> {
    match output {
        Some(path) => report::write_atomically(path, text),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

/// Writes the HTML report of a scenario's plan and what the command adds to it.
fn write_report(path: &Path, plan: &Plan, extra: Extra) -> Result<(), Error> {
    report::write_atomically(path, &report::html_report(plan, extra)?)
}

/// Writes charts into a directory and says which.
fn write_charts(dir: &Path, written: Result<Vec<String>, Error>) -> Result<(), Error> {
    eprintln!("charts in {}: {}", dir.display(), written?.join(", "));
    Ok(())
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

fn solve(args: &SolveArgs) -> Result<(), Error> {
    let scenario = scenario::load(&args.scenario)?;
    let settings = resolve::solve(&args.solver)?;
    let mut plan = plan::solve(&scenario, &settings)?;
    if !args.no_alternatives {
        plan.alternatives = alternatives::alternatives(&scenario, &plan, &settings)?;
    }
    if !args.no_weight_margin {
        plan.weight_margin = regions::weight_margin(&scenario, &plan, &settings)?;
    }
    if let Some(note) = plan.note() {
        eprintln!("note: {note}");
    }
    if let Some(path) = &args.report {
        write_report(path, &plan, Extra::None)?;
    }
    let format = resolve::format(args.format);
    emit(&report::render(&plan, format), args.output.as_deref())
}

fn simulate(args: &SimulateArgs) -> Result<(), Error> {
    let settings = resolve::simulate(args)?;
    let scenario = scenario::load(&args.scenario)?;
    if let Some(note) = simulate::certainty_note(&scenario) {
        eprintln!("note: {note}");
    }
    let started = std::time::Instant::now();
    let samples_here = settings.shard.range(settings.samples).count() as u64;
    // A progress bar on stderr when it is a terminal; silent otherwise.
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(samples_here);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{elapsed_precise} [{wide_bar}] {pos}/{len} samples ({per_sec}, {eta} left)",
            )
            .expect("a valid template"),
        );
        bar
    });
    let done = AtomicU64::new(0);
    let tick = || {
        done.fetch_add(1, Ordering::Relaxed);
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    };
    let file = simulate::run_with_progress(&scenario, &settings, &tick);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    if let Err(Error::Interrupted) = file {
        let done = done.load(Ordering::Relaxed);
        eprintln!("stopped after {done} of {samples_here} samples");
    }
    let file = file?;
    let threads = settings.threads.unwrap_or_else(rayon::current_num_threads);
    eprintln!(
        "{} in {:.2} s on {threads} thread{}",
        creatormix::format::count(file.rows.len() as u64, "sample"),
        started.elapsed().as_secs_f64(),
        if threads == 1 { "" } else { "s" }
    );
    if args.shard.is_some() {
        if let Some(path) = &args.samples_out {
            report::write_atomically(path, &report::simulation::samples_csv(&file.rows))?;
        }
        return emit(&file.to_json(), args.output.as_deref());
    }
    let summary = summary::report(&file.context, &file.rows);
    if let Some(path) = &args.report {
        let solved;
        let plan = match &file.plan {
            Some(plan) => plan,
            None => {
                solved = plan::solve(&scenario, &settings.solve)?;
                &solved
            }
        };
        write_report(path, plan, Extra::Simulation(&summary, &file.rows))?;
    }
    let format = resolve::format(args.format);
    let output = (args.samples_out.as_deref(), args.plot.as_deref());
    finish_simulation(&file, &summary, format, args.output.as_deref(), output)
}

fn merge(args: &MergeArgs) -> Result<(), Error> {
    // Each file is read when merge takes it, and only its rows are kept.
    let mut unreadable = None;
    let files = args
        .shards
        .iter()
        .map_while(|path| match shard::read(path) {
            Ok(file) => Some((path.display().to_string(), file)),
            Err(e) => {
                unreadable = Some(e);
                None
            }
        });
    let whole = shard::merge(files);
    if let Some(e) = unreadable {
        return Err(e);
    }
    let whole = whole.map_err(Error::Usage)?;
    let summary = summary::report(&whole.context, &whole.rows);
    if let Some(path) = &args.report {
        report::write_atomically(path, &report::merged_html(&summary, &whole.rows)?)?;
    }
    let format = resolve::format(args.format);
    let output = (args.samples_out.as_deref(), args.plot.as_deref());
    finish_simulation(&whole, &summary, format, args.output.as_deref(), output)
}

/// The outputs of a complete simulation (a whole run, or merged shards)
/// and its summary: per-sample CSV, charts, and the summary in the chosen
/// format.
fn finish_simulation(
    file: &ShardFile,
    summary: &Report,
    format: Format,
    output: Option<&Path>,
    (samples_out, plot): (Option<&Path>, Option<&Path>),
) -> Result<(), Error> {
    if let Some(path) = samples_out {
        report::write_atomically(path, &report::simulation::samples_csv(&file.rows))?;
    }
    if let Some(dir) = plot {
        write_charts(dir, report::plots::write(dir, summary, &file.rows))?;
    }
    emit(&report::render(summary, format), output)
}

fn sweep(args: &SweepArgs) -> Result<(), Error> {
    let scenario = scenario::load(&args.scenario)?;
    let settings = resolve::solve(&args.solver)?;
    let axis = resolve::axis(args);
    let sweep = in_pool(args.out.threads, || sweep::run(&scenario, &axis, &settings))?;
    if let Some(path) = &args.report {
        let plan = plan::solve(&scenario, &settings)?;
        write_report(path, &plan, Extra::Sweep(&sweep))?;
    }
    if let Some(dir) = &args.plot {
        write_charts(dir, report::plots::write_sweep(dir, &sweep))?;
    }
    let format = resolve::format(args.out.format);
    emit(&report::render(&sweep, format), args.out.output.as_deref())
}

fn frontier(args: &FrontierArgs) -> Result<(), Error> {
    let scenario = scenario::load(&args.scenario)?;
    let settings = resolve::solve(&args.solver)?;
    let frontier = in_pool(args.out.threads, || {
        frontier::run(&scenario, &args.goals, args.points as usize, &settings)
    })?;
    if let Some(path) = &args.report {
        let plan = plan::solve(&scenario, &settings)?;
        write_report(path, &plan, Extra::Frontier(&frontier))?;
    }
    if let Some(dir) = &args.plot {
        write_charts(dir, report::plots::write_frontier(dir, &frontier))?;
    }
    let format = resolve::format(args.out.format);
    emit(
        &report::render(&frontier, format),
        args.out.output.as_deref(),
    )
}

fn regions(args: &RegionsArgs) -> Result<(), Error> {
    let scenario = scenario::load(&args.scenario)?;
    let settings = resolve::solve(&args.solver)?;
    let map = in_pool(args.out.threads, || {
        regions::run(&scenario, &args.goals, &settings)
    })?;
    if let Some(path) = &args.report {
        let plan = plan::solve(&scenario, &settings)?;
        write_report(path, &plan, Extra::Regions(&map))?;
    }
    if let Some(dir) = &args.plot {
        let chart = (
            "regions.svg".to_string(),
            report::plots::regions_chart(&map),
        );
        write_charts(dir, report::plots::save(dir, &[chart]))?;
    }
    let format = resolve::format(args.out.format);
    emit(&report::render(&map, format), args.out.output.as_deref())
}

fn compare(args: &CompareArgs) -> Result<(), Error> {
    let loaded = args
        .scenarios
        .iter()
        .map(|p| scenario::load(p))
        .collect::<Result<Vec<_>, _>>()?;
    let settings = resolve::solve(&args.solver)?;
    let comparison = in_pool(args.out.threads, || {
        compare::run(&loaded, &args.weights, &settings)
    })?;
    if let Some(path) = &args.report {
        report::write_atomically(path, &report::comparison_html(&comparison)?)?;
    }
    let format = resolve::format(args.out.format);
    emit(
        &report::render(&comparison, format),
        args.out.output.as_deref(),
    )
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
fn write_man_pages(dir: &Path) -> Result<(), Error> {
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
