//! The simulation driver (`creatormix simulate`): the nominal plan solved,
//! then evaluated on sampled realities, or every sample re-optimised with
//! the same program builder and solvers; robust plans and the tornado on
//! request.
//!
//! Sample `i` draws from its own random streams, derived from (seed, i)
//! alone, and every result is gathered in sample-index order: the output is
//! the same for any thread count and any split into shards.

use rayon::prelude::*;

use super::reoptimise::{Setup, reoptimise};
use super::robust::{self, RobustGoal, RobustSpec};
use super::sample::{PlanKernel, Realised, SampleRow, Scratch};
use super::shard::{Context, Mode, Nominal, RobustContext, Shard, ShardFile, VERSION, digest};
use crate::error::Error;
use crate::model::evaluate::evaluate;
use crate::model::{Decisions, Goal, GoalKind, Linear, Scenario};
use crate::plan::Plan;
use crate::solve::{self, Limits, SolveSettings};

/// Settings of a simulation run.
#[derive(Debug, Clone)]
pub struct SimulateSettings {
    /// Number of samples.
    pub samples: u64,
    /// Seed of every random stream.
    pub seed: u64,
    /// Worker threads (None: one per core).
    pub threads: Option<usize>,
    /// What to do with each sample.
    pub task: Task,
    /// Which samples to compute.
    pub shard: Shard,
    /// Solver settings (the nominal solve; re-optimisation uses the gap and,
    /// per sample, the time limit).
    pub solve: SolveSettings,
    /// Also compute the tornado of parameter groups.
    pub tornado: bool,
}

/// What a simulation does with each sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Task {
    /// Hold the nominal plan fixed and evaluate it, posts delivered at
    /// random; and, if asked, a robust plan beside it on the same draws.
    Evaluate {
        /// The robust plan to find and compare, if any.
        robust: Option<RobustSpec>,
    },
    /// Solve every sample to its own optimum, this way.
    Reoptimize(SampleSolver),
}

impl Task {
    /// The mode a shard file records.
    pub fn mode(self) -> Mode {
        match self {
            Task::Evaluate { .. } => Mode::Evaluate,
            Task::Reoptimize(_) => Mode::Reoptimize,
        }
    }
}

/// How re-optimisation solves each sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SampleSolver {
    /// creatormix's own branch and bound ([`crate::solve::branch`]) where the
    /// scenario allows it, the MILP solver otherwise and where it stops.
    #[default]
    Auto,
    /// The MILP solver for every sample.
    Milp,
}

/// A note for the user when nothing in the scenario is uncertain, so that
/// every sample is the same; `None` otherwise.
pub fn certainty_note(s: &Scenario) -> Option<String> {
    let delivery_risk = s.creators.iter().any(|c| c.audience.delivery < 1.0)
        || s.pools.iter().any(|p| p.audience.delivery < 1.0);
    (s.uncertainty.is_empty() && !delivery_risk).then(|| {
        format!(
            "nothing in {} is uncertain, so every sample is the same; give figures as \
             distributions or add an `uncertainty:` block",
            s.path.display()
        )
    })
}

/// Called once per finished sample (from any worker thread), e.g. to move a progress bar.
pub type Progress<'a> = &'a (dyn Fn() + Sync);

/// A progress callback that does nothing.
pub fn no_progress() {}

/// Evaluates a plan (and optionally a second, robust plan on the same
/// draws) on samples `range`, in parallel on the current rayon pool.
pub fn evaluate_samples(
    s: &Scenario,
    plan: &Decisions,
    robust_plan: Option<&Decisions>,
    objective: Linear,
    seed: u64,
    range: std::ops::Range<u64>,
    progress: Progress,
) -> Result<Vec<SampleRow>, Error> {
    let kernel = PlanKernel::new(s, plan);
    let robust_kernel = robust_plan.map(|other| PlanKernel::new(s, other));
    range
        .into_par_iter()
        .map_init(Scratch::default, |scratch, i| {
            crate::interrupt::check()?;
            progress();
            let mut row = kernel.realise(objective, i, seed, scratch);
            if let Some(other) = &robust_kernel {
                let r = other.realise(objective, i, seed, scratch);
                row.robust = Some(Box::new(Realised {
                    reach: r.reach,
                    engagements: r.engagements,
                    conversions: r.conversions,
                    spend: r.spend,
                    objective: r.objective,
                }));
            }
            Ok(row)
        })
        .collect()
}

/// Re-optimises samples `range`, in parallel on the current rayon pool,
/// each starting from the nominal plan where it is feasible.
pub fn reoptimise_samples(
    s: &Scenario,
    nominal: &Decisions,
    goal: &Goal,
    setup: Setup,
    seed: u64,
    range: std::ops::Range<u64>,
    progress: Progress,
) -> Result<Vec<SampleRow>, Error> {
    range
        .into_par_iter()
        .map(|i| {
            crate::interrupt::check()?;
            let row = reoptimise(s, nominal, goal, setup, i, seed);
            progress();
            row
        })
        .collect()
}

/// Runs a simulation (or one shard of it): the nominal plan, then every sample.
pub fn run(s: &Scenario, settings: &SimulateSettings) -> Result<ShardFile, Error> {
    run_with_progress(s, settings, &no_progress)
}

/// [`run`], calling `progress` once per finished sample.
pub fn run_with_progress(
    s: &Scenario,
    settings: &SimulateSettings,
    progress: Progress,
) -> Result<ShardFile, Error> {
    if let Task::Evaluate { robust: Some(spec) } = settings.task
        && spec.goal == RobustGoal::Chance
        && s.targets.iter().all(Option::is_none)
    {
        return Err(Error::Usage(format!(
            "--robust chance asks for the targets to be met in a share of samples, and {} \
             has no `targets` under `goal:`",
            s.path.display()
        )));
    }
    let outcome = solve::optimise(s, &settings.solve)?;
    let plan = Plan::new(s, &outcome, settings.solve.mip_gap)?;
    let goal = s.goal(outcome.best);
    // Samples carry the objective as plans report it (spend in target mode).
    let objective = goal.reported();
    // From the maximised form to the objective as plans report it.
    let sign = goal.sense().sign();
    let nominal = outcome.decisions.clone();
    let backend = settings.solve.solver.backend()?;
    let limits = Limits {
        time_limit: settings.solve.time_limit,
        mip_gap: settings.solve.mip_gap,
        node_limit: settings.solve.node_limit,
        heuristics: true,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::Usage(format!("cannot start worker threads: {e}")))?;
    let robust = match settings.task {
        Task::Evaluate { robust: None } | Task::Reoptimize(_) => None,
        Task::Evaluate { robust: Some(spec) } => {
            let seed = robust::training_seed(settings.seed);
            let plan = robust::robust_plan(s, &goal, spec, seed, backend, limits)?;
            let training = spec.training;
            let (nominal_training, nominal_chance) =
                robust::training_outcomes(s, &nominal, &goal, seed, training);
            let (robust_training, robust_chance) =
                robust::training_outcomes(s, &plan, &goal, seed, training);
            let e = evaluate(s, &plan);
            // Means and CVaRs of the maximised form, reported as plans report them.
            let mean = |v: &[f64]| sign * v.iter().sum::<f64>() / v.len().max(1) as f64;
            let cvar = |v: &[f64]| sign * robust::cvar(v);
            let targeted = s.targets.iter().any(Option::is_some);
            Some(RobustContext {
                goal: spec.goal,
                training_samples: training,
                level: (spec.goal == RobustGoal::Chance).then_some(spec.level),
                nominal_objective: crate::model::evaluate::objective(s, &e, outcome.best),
                spend: e.spend,
                nominal_training_mean: mean(&nominal_training),
                nominal_training_cvar: cvar(&nominal_training),
                robust_training_mean: mean(&robust_training),
                robust_training_cvar: cvar(&robust_training),
                nominal_training_chance: targeted.then_some(nominal_chance),
                robust_training_chance: targeted.then_some(robust_chance),
                posts: plan.posts,
                hires: plan.hires,
            })
        }
    };
    let robust_plan = robust.as_ref().map(|r| Decisions {
        posts: r.posts.clone(),
        hires: r.hires.clone(),
    });
    let tornado = settings
        .tornado
        .then(|| pool.install(|| super::tornado::tornado(s, &goal, backend, &settings.solve)));
    let range = settings.shard.range(settings.samples);
    crate::interrupt::check()?;

    let rows: Vec<SampleRow> = pool.install(|| match settings.task {
        Task::Evaluate { .. } => evaluate_samples(
            s,
            &nominal,
            robust_plan.as_ref(),
            objective,
            settings.seed,
            range,
            progress,
        ),
        Task::Reoptimize(sample_solver) => reoptimise_samples(
            s,
            &nominal,
            &goal,
            Setup {
                backend,
                limits,
                warm_start: true,
                branch: sample_solver == SampleSolver::Auto,
            },
            settings.seed,
            range,
            progress,
        ),
    })?;
    Ok(ShardFile {
        format: "creatormix-shard".into(),
        shard: settings.shard,
        context: Context {
            version: VERSION.to_string(),
            scenario: s.name.clone(),
            objective_mode: s.objective.mode(),
            currency: s.currency.clone(),
            digest: digest(s),
            seed: settings.seed,
            samples: settings.samples,
            mode: settings.task.mode(),
            nominal: Nominal {
                status: plan.status,
                objective: plan.objective,
                reach: plan.totals.reach,
                engagements: plan.totals.engagements,
                conversions: plan.totals.conversions,
                spend: plan.spend,
                posts: nominal.posts.clone(),
                hires: nominal.hires.clone(),
            },
            targets: GoalKind::ALL
                .iter()
                .filter_map(|g| s.targets[g.index()].map(|t| (*g, t)))
                .collect(),
            creators: s
                .creators
                .iter()
                .map(|c| (c.handle.clone(), s.tier_name(c.tier).to_string()))
                .collect(),
            pools: s
                .pools
                .iter()
                .map(|p| (p.name.clone(), s.tier_name(p.tier).to_string()))
                .collect(),
            tiers: s.tiers.clone(),
            platforms: if s.platforms.len() > 1 {
                s.platforms.iter().map(|p| p.name.clone()).collect()
            } else {
                Vec::new()
            },
            robust,
            tornado,
        },
        rows,
        plan: Some(plan),
    })
}
