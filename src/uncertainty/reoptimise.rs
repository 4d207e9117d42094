//! Re-optimising one sample: its scenario drawn, a start from the nominal
//! (or greedy) plan improved by local search, then creatormix's branch and
//! bound, and the MILP solver from its best plan if it stops.

use super::sample::{ReoptRow, SampleRow, sampled_scenario};
use crate::error::Error;
use crate::model::evaluate::{check, evaluate};
use crate::model::{Decisions, Goal, Scenario};
use crate::solve::{self, Backend, Limits, engine};

/// How re-optimised samples are solved.
#[derive(Debug, Clone, Copy)]
pub struct Setup {
    /// The solver.
    pub backend: Backend,
    /// Time limit (per sample) and gap.
    pub limits: Limits,
    /// Start each sample from the nominal plan (or a greedy plan where the
    /// nominal one breaks the sample's constraints); off only to measure what it buys.
    pub warm_start: bool,
    /// Settle samples with creatormix's branch and bound first.
    pub branch: bool,
}

/// Solves one sample with the MILP solver, from a plan if one is given
/// (within what is left of the time limit since `started`).
fn solve_sample(
    sample: &Scenario,
    goal: &Goal,
    backend: Backend,
    limits: Limits,
    start_plan: Option<Decisions>,
    started: std::time::Instant,
) -> Result<Decisions, solve::Failure> {
    let program = backend.program(sample);
    let objective = program.objective(goal);
    let sense = goal.sense();
    // From a feasible start HiGHS's sub-MIP heuristics mostly re-find plans
    // its branching finds anyway: without them a sample solves about 1.3x
    // faster, to the same optimum.
    let limits = Limits {
        heuristics: limits.heuristics && start_plan.is_none(),
        time_limit: limits
            .time_limit
            .map(|t| (t - started.elapsed().as_secs_f64()).max(0.0)),
        ..limits
    };
    solve::solve(
        sample,
        &program,
        &objective,
        sense,
        backend,
        limits,
        start_plan.as_ref(),
    )
    .map(|solution| solution.decisions)
}

/// Re-optimises one sample, starting from the nominal plan where it is
/// feasible. Objectives are as plans report them (spend in target mode);
/// regret is what holding the nominal plan fixed costs, never negative at
/// the optimum.
pub(super) fn reoptimise(
    s: &Scenario,
    nominal: &Decisions,
    goal: &Goal,
    setup: Setup,
    index: u64,
    seed: u64,
) -> Result<SampleRow, Error> {
    let Setup {
        backend,
        limits,
        warm_start,
        branch,
    } = setup;
    let started = std::time::Instant::now();
    let sample = sampled_scenario(s, index, seed, false);
    let objective = goal.linear();
    let reported = goal.reported();
    let e_nominal = evaluate(&sample, nominal);
    let nominal_feasible = check(&sample, nominal, &e_nominal).is_empty();
    let nominal_objective = e_nominal.score(reported);
    // The MILP solver's start: the nominal plan (or the greedy one where the
    // nominal plan breaks the sample's constraints), improved by local
    // search on the sample. The branch and bound starts from the nominal
    // plan alone: its own rounding soon finds better plans than the local
    // search, which would cost more than it saves.
    let local_start = || {
        if !warm_start {
            None
        } else if nominal_feasible {
            Some(nominal.clone())
        } else {
            solve::greedy_plan(&sample, goal)
        }
        .map(|d| crate::solve::local_search::improve(&sample, objective, &d))
    };
    let mut start_plan: Option<Decisions> = None;
    // The row of a sample that no plan satisfies.
    let infeasible_row = || SampleRow {
        index,
        budget: sample.budget,
        reach: 0.0,
        engagements: 0.0,
        conversions: 0.0,
        spend: 0.0,
        objective: 0.0,
        robust: None,
        reoptimized: Some(Box::new(ReoptRow {
            feasible: false,
            nominal_objective,
            nominal_feasible,
            regret: None,
            hired: Vec::new(),
            pool_hires: Vec::new(),
            tier_spend: Vec::new(),
            platform_spend: Vec::new(),
        })),
    };
    let mut settled = None;
    if let Some(problem) = branch
        .then(|| engine::Aim::of(goal).and_then(|aim| engine::Problem::of(&sample, aim)))
        .flatten()
    {
        // Half the time limit here; the MILP solver gets the rest.
        let deadline = limits
            .time_limit
            .map(|t| started + std::time::Duration::from_secs_f64(t / 2.0));
        let starts: Vec<&Decisions> = if warm_start && nominal_feasible {
            vec![nominal]
        } else {
            Vec::new()
        };
        match engine::search(
            &problem,
            &starts,
            limits.mip_gap,
            limits
                .node_limit
                .map_or(solve::engine_node_limit(backend), |n| {
                    solve::engine_node_limit(backend).min(usize::try_from(n).unwrap_or(usize::MAX))
                }),
            deadline,
        ) {
            engine::Search::Optimal { found, .. } => settled = Some(found.decisions),
            engine::Search::Infeasible { .. } => return Ok(infeasible_row()),
            engine::Search::Stopped { found, .. } => start_plan = found.map(|f| f.decisions),
        }
    }
    let d = match settled {
        Some(d) => d,
        None => match solve_sample(
            &sample,
            goal,
            backend,
            limits,
            start_plan.or_else(local_start),
            started,
        ) {
            Ok(d) => d,
            Err(solve::Failure::Infeasible) => return Ok(infeasible_row()),
            Err(solve::Failure::NoPlan) => {
                return Err(Error::NoPlan {
                    limit: crate::error::time_limit(limits.time_limit.unwrap_or(0.0)),
                    hint: format!(" in sample {index}; raise --time-limit"),
                });
            }
            Err(solve::Failure::Error(m)) => {
                return Err(Error::Solver(format!("sample {index}: {m}")));
            }
        },
    };
    let e = evaluate(&sample, &d);
    let violations = check(&sample, &d, &e);
    if !violations.is_empty() {
        return Err(Error::Check(format!(
            "sample {index}: {}",
            violations[0].message
        )));
    }
    let optimum = e.score(reported);
    let regret = e.score(objective) - e_nominal.score(objective);
    Ok(SampleRow {
        index,
        budget: sample.budget,
        reach: e.awareness,
        engagements: e.engagements,
        conversions: e.conversions,
        spend: e.spend,
        objective: optimum,
        robust: None,
        reoptimized: Some(Box::new(ReoptRow {
            feasible: true,
            nominal_objective,
            nominal_feasible,
            // The nominal plan has no regret to speak of where it is not allowed.
            regret: nominal_feasible.then_some(regret),
            hired: d
                .posts
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(j, _)| j as u32)
                .collect(),
            pool_hires: d.hires.clone(),
            tier_spend: e.tier_spend.clone(),
            platform_spend: if s.platforms.len() > 1 {
                e.platform_spend.clone()
            } else {
                Vec::new()
            },
        })),
    })
}
