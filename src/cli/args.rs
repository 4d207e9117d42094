//! The command line as clap parses it: the commands and flags of
//! INTERFACE.md, raw; [`super::resolve`] turns them into settings.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use creatormix::explore::grid::Range;
use creatormix::explore::sweep::WeightAxis;

/// The optimal mix of influencers for a marketing budget.
#[derive(Debug, Parser)]
#[command(name = "creatormix", version, about, long_about = None)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats of every command that prints a result.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// A readable table.
    Table,
    /// JSON with the keys of INTERFACE.md.
    Json,
    /// Raw figures at full precision, one row per item: a hire (solve), a
    /// point (sweep, frontier), a variant (compare), a statistic (simulate).
    Csv,
    /// A Markdown report.
    Markdown,
}

/// What a robust plan optimises.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RobustArg {
    /// The mean objective across samples.
    Mean,
    /// The mean of the worst 5% of samples (CVaR).
    Cvar,
    /// The mean objective, every target met in at least --level of the samples.
    Chance,
}

/// How `simulate --reoptimize` solves each sample.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SampleSolverArg {
    /// creatormix's own branch and bound (bnb), the MILP solver (--solver)
    /// for samples it stops on.
    Auto,
    /// The MILP solver (--solver) for every sample.
    Milp,
}

/// Solver choices.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SolverArg {
    /// creatormix's own exact branch and bound (bnb); past its node limit,
    /// the best MILP solver compiled in (HiGHS if built with it, else
    /// microlp) takes over from its best plan.
    Auto,
    /// creatormix's own branch and bound alone (default time limit 60 s).
    Bnb,
    /// Pure-Rust microlp.
    Microlp,
    /// HiGHS (build with `--features highs`).
    Highs,
}

/// Options of every command that solves.
#[derive(Debug, Args)]
pub struct SolverOptions {
    /// The solver.
    #[arg(long, value_enum, default_value = "auto")]
    pub solver: SolverArg,
    /// Time limit in seconds (for simulate: of the nominal solve and of each
    /// re-optimised sample); the best plan found by then is returned.
    /// Default: none when HiGHS is compiled in, else 60 s (and 60 s for
    /// `--solver microlp` or `--solver bnb`).
    #[arg(long, value_parser = parse_seconds)]
    pub time_limit: Option<f64>,
    /// A limit in work instead of time, so two runs print the same plan
    /// whatever the machine's load: at most N branch-and-bound nodes in each
    /// solve (creatormix's engine, then HiGHS's own count). No default time
    /// limit applies with it; without HiGHS the engine searches alone
    /// (microlp counts no nodes, so `--solver microlp` refuses it).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub node_limit: Option<u64>,
    /// Relative MIP gap at which a plan counts as optimal.
    #[arg(long, default_value = "1e-6", value_parser = parse_gap)]
    pub mip_gap: f64,
    /// HiGHS: solve rosters of at least this many creators and pools on a
    /// shortlist screened by the LP relaxation (the optimum is the same);
    /// 0 screens every roster.
    #[arg(long, value_name = "N", default_value_t = creatormix::solve::MIN_OFFERS)]
    pub shortlist_from: usize,
}

/// Threads and output of `sweep`, `frontier` and `compare`.
#[derive(Debug, Args)]
pub struct ExploreOutput {
    /// Worker threads (default: one per core); the output does not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub threads: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FormatArg,
    /// Write the output to this file (whole or not at all) instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find the optimal creator mix of a scenario and explain it.
    Solve(SolveArgs),
    /// Monte Carlo: how robust the optimal plan is to uncertain inputs.
    Simulate(SimulateArgs),
    /// Combine the shard files of one `simulate --shard` run into its summary.
    Merge(MergeArgs),
    /// The optimal plan across budgets or goal weightings.
    Sweep(SweepArgs),
    /// The exact Pareto frontier between two or three goals (ε-constraint method).
    Frontier(FrontierArgs),
    /// The exact map of goal weightings: for two or three goals, which plan is optimal where.
    Regions(RegionsArgs),
    /// Several scenarios or goal weightings side by side: totals, KPIs, tier shares.
    Compare(CompareArgs),
    /// Check a scenario and summarise what was understood.
    Validate(ValidateArgs),
    /// Print the JSON Schema (draft-07) of scenario files.
    Schema(SchemaArgs),
    /// Print the shell completion script for bash, zsh or fish.
    ///
    /// bash: `creatormix completions bash > ~/.local/share/bash-completion/completions/creatormix`;
    /// zsh: into a directory of `$fpath` as `_creatormix`;
    /// fish: `creatormix completions fish > ~/.config/fish/completions/creatormix.fish`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write one page per command to a directory.
    Man(ManArgs),
}

// The arguments of each command. Their comments are plain: a doc comment on
// an argument struct would replace the command's description in --help.

// `creatormix solve`.
#[derive(Debug, Args)]
pub struct SolveArgs {
    /// The scenario file (YAML).
    pub scenario: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FormatArg,
    /// Write the output to this file (whole or not at all) instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Also write a self-contained HTML report (charts inline, no scripts) to this file.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Skip the alternatives (the best plan without each tier hired, and
    /// with each tier left out), one exact solve per tier.
    #[arg(long)]
    pub no_alternatives: bool,
    /// Skip the weight margin (weights goals: how much weight may move
    /// between goals before another plan is optimal), a few exact solves.
    #[arg(long)]
    pub no_weight_margin: bool,
    /// Solver options.
    #[command(flatten)]
    pub solver: SolverOptions,
}

// `creatormix simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The scenario file (YAML).
    pub scenario: PathBuf,
    /// Number of samples.
    #[arg(long, default_value = "1000", value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub samples: u64,
    /// Seed of the random streams (same seed, same results).
    #[arg(long, default_value = "1")]
    pub seed: u64,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub threads: Option<u64>,
    /// Solve every sample to its own optimum instead of evaluating the nominal plan.
    #[arg(long)]
    pub reoptimize: bool,
    /// Also find the plan with the best mean or worst-5% (CVaR) objective over
    /// sampled scenarios, or the best mean with every target met in at least
    /// --level of them (chance), and compare it with the nominal plan on fresh samples.
    #[arg(long, value_enum)]
    pub robust: Option<RobustArg>,
    /// With --robust chance: the share of training samples in which the plan
    /// must meet every target [default: 0.9].
    #[arg(long, value_parser = parse_level)]
    pub level: Option<f64>,
    /// Also move each uncertain parameter group to its P10 and P90 (the rest
    /// nominal), re-optimise, and rank the groups by the swing of the objective.
    #[arg(long)]
    pub tornado: bool,
    /// How --reoptimize solves each sample: `auto` (creatormix's own branch and bound
    /// where the scenario allows it, else the MILP solver) or `milp` (the MILP solver);
    /// both solve to the same gap.
    #[arg(long, value_enum, default_value = "auto")]
    pub sample_solver: SampleSolverArg,
    /// Training samples of the robust plan.
    #[arg(long, default_value = "1000", value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub robust_samples: u64,
    /// Compute only shard K of N (e.g. 2/8) and write partial results for `merge`.
    #[arg(long, value_parser = parse_shard)]
    pub shard: Option<(u64, u64)>,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FormatArg,
    /// Write the summary (or the shard file) to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Write one CSV row per sample to this file.
    #[arg(long)]
    pub samples_out: Option<PathBuf>,
    /// Write SVG charts (objective histogram, selection, tier shares, tornado) into this directory.
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Also write a self-contained HTML report (charts inline, no scripts) to this file: the
    /// plan, then the simulation's figures and charts (not with --shard).
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Solver options.
    #[command(flatten)]
    pub solver: SolverOptions,
}

// `creatormix merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard files, in any order.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FormatArg,
    /// Write the summary to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Write one CSV row per sample to this file.
    #[arg(long)]
    pub samples_out: Option<PathBuf>,
    /// Write SVG charts into this directory.
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Also write a self-contained HTML report (charts inline, no scripts) to this file: the
    /// simulation's figures and charts (shards carry the nominal plan's figures, not the plan).
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
}

// `creatormix sweep`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("axis").required(true).args(["budget", "weight"])))]
pub struct SweepArgs {
    /// The scenario file (YAML).
    pub scenario: PathBuf,
    /// Budgets FROM:TO:STEP: the response curve, the marginal return of each
    /// extra unit, and where each tier enters or leaves the mix.
    #[arg(long, value_parser = parse_range)]
    pub budget: Option<Range>,
    /// A goal weight GOAL=FROM:TO:STEP (repeat for a grid); the other weights
    /// keep their proportions and fill the rest up to 1.
    #[arg(long, value_parser = WeightAxis::parse)]
    pub weight: Vec<WeightAxis>,
    /// Threads, format and output file.
    #[command(flatten)]
    pub out: ExploreOutput,
    /// Write SVG charts (response curves, tier shares) into this directory.
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Also write a self-contained HTML report (charts inline, no scripts) to this file: the
    /// scenario's own plan, then the sweep with its charts.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Solver options (the time limit applies to each point).
    #[command(flatten)]
    pub solver: SolverOptions,
}

// `creatormix frontier`.
#[derive(Debug, Args)]
pub struct FrontierArgs {
    /// The scenario file (YAML).
    pub scenario: PathBuf,
    /// The goals, e.g. awareness,conversions; the last is maximised while
    /// the others are held at each value of an even grid.
    #[arg(long, value_parser = parse_goals)]
    pub goals: Goals,
    /// Grid points per held goal (three goals: a grid of points × points).
    #[arg(long, default_value = "21", value_parser = clap::value_parser!(u64).range(2..=1001))]
    pub points: u64,
    /// Threads, format and output file.
    #[command(flatten)]
    pub out: ExploreOutput,
    /// Write an SVG chart of the frontier, coloured by the larger tiers' share, into this directory.
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Also write a self-contained HTML report (charts inline, no scripts) to this file: the
    /// scenario's own plan, then the frontier with its charts.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Solver options (the time limit applies to each solve).
    #[command(flatten)]
    pub solver: SolverOptions,
}

// `creatormix regions`.
#[derive(Debug, Args)]
pub struct RegionsArgs {
    /// The scenario file (YAML); its goal must state `weights`.
    pub scenario: PathBuf,
    /// Two or three goals, e.g. awareness,engagement,conversions: their
    /// weightings are mapped, the other goal at weight 0.
    #[arg(long, value_parser = parse_goals)]
    pub goals: Goals,
    /// Threads, format and output file.
    #[command(flatten)]
    pub out: ExploreOutput,
    /// Write the map as an SVG chart (regions.svg) into this directory.
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Also write a self-contained HTML report (charts inline, no scripts) to this file: the
    /// scenario's own plan, then the map with its chart.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Solver options (the time limit applies to each solve).
    #[command(flatten)]
    pub solver: SolverOptions,
}

// `creatormix compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario files (YAML).
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Solve each scenario under this weighting instead of its own goal,
    /// e.g. awareness=0.7,conversions=0.3 (repeat for several).
    #[arg(long, value_parser = parse_weights)]
    pub weights: Vec<[f64; 3]>,
    /// Threads, format and output file.
    #[command(flatten)]
    pub out: ExploreOutput,
    /// Also write a self-contained HTML report (charts inline, no scripts) to this file: the
    /// variants side by side, with their tier shares as a chart.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Solver options.
    #[command(flatten)]
    pub solver: SolverOptions,
}

// `creatormix validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The scenario file (YAML).
    pub scenario: PathBuf,
}

// `creatormix schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write the schema to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

// `creatormix completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

// `creatormix man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `creatormix.1` and `creatormix-COMMAND.1` for every command into
    /// this directory instead of printing the main page.
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

/// Two or three distinct goals.
pub type Goals = Vec<creatormix::model::GoalKind>;

fn parse_goals(text: &str) -> Result<Goals, String> {
    creatormix::explore::frontier::parse_goals(text)
}

fn parse_weights(text: &str) -> Result<[f64; 3], String> {
    creatormix::explore::compare::parse_weights(text)
}

fn parse_range(text: &str) -> Result<Range, String> {
    Range::parse(text)
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

fn parse_shard(text: &str) -> Result<(u64, u64), String> {
    let bad = || format!("`{text}` is not a shard: write K/N, e.g. 2/8, with 1 <= K <= N");
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let (k, n): (u64, u64) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k >= 1 && k <= n {
        Ok((k, n))
    } else {
        Err(bad())
    }
}

/// Parses a chance level: a share in (0, 1].
fn parse_level(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(level) if level > 0.0 && level <= 1.0 => Ok(level),
        _ => Err(format!(
            "`{text}` is not a chance level: write a share above 0 and at most 1, e.g. 0.9"
        )),
    }
}
