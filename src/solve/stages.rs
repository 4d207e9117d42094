//! The two-stage optimisation of MODEL.md: each weighted goal's own
//! optimum G* (in parallel), then the scenario's objective, every solve
//! started from the best feasible plan known and screened on a shortlist
//! where the backend and the roster call for it.

use std::time::Instant;

use super::Backend;
use super::backend::{Run, Solution, solve};
use super::diagnose::{failure_error, run_failure};
use super::engine::{self, Aim, Search};
use super::greedy;
use super::settings::{EngineUse, Failure, Limits, SolveSettings, SolveStatus};
use super::shortlist::{self, Shortlisted};
use crate::error::Error;
use crate::model::evaluate::{check, evaluate};
use crate::model::{Decisions, Goal, GoalKind, Linear, Objective, Scenario, Sense};
use crate::program::Program;

/// The result of optimising a scenario.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The chosen plan.
    pub decisions: Decisions,
    /// How the final solve ended (time_limit if any stage hit it).
    pub status: SolveStatus,
    /// The solver's objective value.
    pub objective: f64,
    /// The relative gap of the final solve.
    pub gap: f64,
    /// G* per goal (weights mode; 0 for goals not solved).
    pub best: Option<[f64; 3]>,
    /// Wall-clock seconds of all solves.
    pub seconds: f64,
    /// Seconds spent building the model: the program, and handing it to the
    /// solver for each MILP (summed over the MILPs, which may run in parallel).
    pub build_seconds: f64,
    /// The MILP solver of the run.
    pub backend: Backend,
    /// G* solves that stopped before proving their best (their bounds
    /// serve as G*).
    pub unproven: Vec<Unproven>,
    /// The solvers that settled its solves, as named in output: the
    /// engine's name, a MILP solver's, or both joined by `+`.
    pub solver: String,
    /// How many MILPs were solved.
    pub solves: usize,
    /// The time limit in force (given, or the solver's default).
    pub time_limit: Option<f64>,
    /// The node limit in force, if any.
    pub node_limit: Option<u64>,
}

/// [`super::optimise`] on a program already built for the scenario.
pub fn optimise_program(
    scenario: &Scenario,
    program: &Program,
    backend: Backend,
    settings: &SolveSettings,
) -> Result<Outcome, Error> {
    let started = Instant::now();
    let run = Run::new(backend, settings);
    let best = match &scenario.objective {
        Objective::Values(_) | Objective::Profit(_) | Objective::MinimiseSpend => None,
        Objective::Weights(w) => {
            let goals: Vec<GoalKind> = GoalKind::ALL
                .into_iter()
                .filter(|g| w[g.index()] > 0.0)
                .collect();
            Some(goal_bests(scenario, program, &run, &goals)?)
        }
    };
    let goal = scenario.goal(best.as_ref().map(|b| b.best));
    // The G* plans are feasible starting plans for the weighted objective.
    let starts: Vec<&Decisions> = best.iter().flat_map(|b| &b.plans).collect();
    let solution = optimise_goal(scenario, program, &run, &goal, &starts)?;
    let mut solvers: Vec<&str> = best
        .iter()
        .flat_map(|b| &b.solvers)
        .map(String::as_str)
        .collect();
    solvers.push(&solution.solver);
    let solver = joined(&solvers);
    let (status, solves, setup) = match &best {
        Some(b) => (
            b.status.worse(solution.status),
            b.solves + 1,
            b.setup_seconds + solution.setup_seconds,
        ),
        None => (solution.status, 1, solution.setup_seconds),
    };
    // A G* taken at its bound may exceed the true one by its relative gap:
    // the objective is uncertain by as much.
    let unproven = best
        .as_ref()
        .map(|b| b.unproven.clone())
        .unwrap_or_default();
    let normalisation = unproven
        .iter()
        .map(|u| {
            if u.found > 0.0 {
                (u.bound - u.found) / u.found
            } else {
                f64::INFINITY
            }
        })
        .fold(0.0, f64::max);
    Ok(Outcome {
        decisions: solution.decisions,
        status,
        objective: solution.objective,
        gap: solution.gap.max(normalisation),
        unproven,
        best: best.map(|b| b.best),
        seconds: started.elapsed().as_secs_f64(),
        build_seconds: setup,
        backend,
        solver,
        solves,
        time_limit: run.deadline.seconds,
        node_limit: run.node_limit,
    })
}

/// G* of some goals (MODEL.md, Objective), solved in parallel.
#[derive(Debug, Clone)]
pub struct Bests {
    /// G* per goal (0 for goals not solved).
    pub best: [f64; 3],
    /// time_limit if any G* solve stopped early.
    pub status: SolveStatus,
    /// MILPs solved.
    pub solves: usize,
    /// Seconds spent handing the program to the solver, summed over the solves.
    pub setup_seconds: f64,
    /// The plan that reached each G*, in the order of the goals solved.
    pub plans: Vec<Decisions>,
    /// The solver that settled each G*, in the same order.
    pub solvers: Vec<String>,
    /// The G* solves that stopped before proving their best: each goal's
    /// G* is then its proven bound, so no plan scores above 1.
    pub unproven: Vec<Unproven>,
}

/// A G* solve that stopped before proving its best.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Unproven {
    /// The goal.
    pub goal: GoalKind,
    /// The best plan's total.
    pub found: f64,
    /// The proven bound on the goal's best, used as its G*.
    pub bound: f64,
}

/// Solver names (each maybe already joined) named once each, in order, joined by `+` (`bnb+highs`).
pub fn joined(solvers: &[&str]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for s in solvers {
        for name in s.split('+') {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names.join("+")
}

/// Solves G* for each goal in `goals`, in parallel.
pub fn goal_bests(
    scenario: &Scenario,
    program: &Program,
    run: &Run,
    goals: &[GoalKind],
) -> Result<Bests, Error> {
    use rayon::prelude::*;
    let results: Vec<Result<Solution, Error>> = goals
        .par_iter()
        .map(|g| optimise_goal(scenario, program, run, &Goal::Single(*g), &[]))
        .collect();
    let mut out = Bests {
        best: [0.0; 3],
        status: SolveStatus::Optimal,
        solves: 0,
        setup_seconds: 0.0,
        plans: Vec::with_capacity(goals.len()),
        solvers: Vec::with_capacity(goals.len()),
        unproven: Vec::new(),
    };
    for (g, result) in goals.iter().zip(results) {
        let solution = result?;
        out.solves += 1;
        out.setup_seconds += solution.setup_seconds;
        out.status = out.status.worse(solution.status);
        // G* is the goal's total of the best plan, recomputed exactly from
        // its (integer) decisions, so solver round-off never counts as reach.
        let found = evaluate(scenario, &solution.decisions).goal(*g);
        out.best[g.index()] = found;
        if solution.status != SolveStatus::Optimal {
            let bound = if solution.gap.is_finite() {
                solution.objective * (1.0 + solution.gap)
            } else {
                greedy::upper_bound(scenario, Goal::Single(*g).linear())
            }
            .max(found);
            out.best[g.index()] = bound;
            out.unproven.push(Unproven {
                goal: *g,
                found,
                bound,
            });
        }
        out.plans.push(solution.decisions);
        out.solvers.push(solution.solver);
    }
    Ok(out)
}

/// Solves one objective on the program, starting from the best on that
/// objective of the greedy plan and the feasible plans in `starts`.
pub fn optimise_goal(
    scenario: &Scenario,
    program: &Program,
    run: &Run,
    goal: &Goal,
    starts: &[&Decisions],
) -> Result<Solution, Error> {
    let objective = program.objective(goal);
    let sense = goal.sense();
    let greedy = greedy_plan(scenario, goal);
    // The best feasible candidate on the goal (a given plan wins a tie).
    let mut first: Option<(&Decisions, f64)> = None;
    for d in starts.iter().copied().chain(greedy.as_ref()) {
        let e = evaluate(scenario, d);
        if !check(scenario, d, &e).is_empty() {
            continue;
        }
        let value = e.score(goal.linear());
        if first.is_none_or(|(_, best)| value > best) {
            first = Some((d, value));
        }
    }
    let mut first = first.map(|(d, _)| d);
    let engine_plan = match settle(scenario, run, goal, first) {
        Settled::Done(result) => {
            return result.map(|s| with_known_gap(scenario, goal, s));
        }
        Settled::Handed(plan, bound) => (plan, bound),
    };
    let (engine_plan, engine_bound) = engine_plan;
    if let Some(plan) = &engine_plan {
        first = Some(plan);
    }
    let (start_plan, limits, setup_seconds) =
        match shortlist::try_shortlist(scenario, program, run, goal, (&objective, sense), first)? {
            Shortlisted::Solved(solution) => return Ok(with_known_gap(scenario, goal, solution)),
            Shortlisted::Whole { start, setup } => match start {
                // A shortlist's optimum: the whole program only has to prove it.
                Some(plan) => (
                    Some(plan),
                    Limits {
                        heuristics: false,
                        ..run.limits()
                    },
                    setup,
                ),
                None => (first.cloned(), run.limits(), setup),
            },
        };
    let mut solution = solve(
        scenario,
        program,
        &objective,
        sense,
        run.backend,
        limits,
        start_plan.as_ref(),
    )
    .map_err(|f| run_failure(f, scenario, run))?;
    solution.setup_seconds += setup_seconds;
    if engine_bound.is_some() {
        solution.solver = format!("{}+{}", engine::NAME, solution.solver);
    }
    // The engine's bound holds for the whole program: the gap is the
    // smaller of the two.
    if let Some(bound) = engine_bound
        && solution.objective != 0.0
    {
        solution.gap = solution.gap.min(gap_to(bound, solution.objective));
    }
    Ok(with_known_gap(scenario, goal, solution))
}

/// What the engine made of one objective.
enum Settled {
    /// A result to return: the proven optimum, the proof that no plan
    /// exists, or (the engine alone) the best plan when it stopped.
    Done(Result<Solution, Error>),
    /// The MILP solver takes over, from the engine's best plan if any,
    /// with the bound the engine proved (if it ran).
    Handed(Option<Decisions>, Option<f64>),
}

/// Nodes after which the engine hands its best plan to a MILP solver:
/// HiGHS may prove faster what the engine leaves open; microlp rarely.
pub fn engine_node_limit(backend: Backend) -> usize {
    engine::node_limit(backend == Backend::MICROLP)
}

/// Solves one objective with the engine where the run uses it, from
/// `start`. The MILP solver takes over past the engine's node limit; when
/// the engine runs alone, it has the whole time limit.
fn settle(scenario: &Scenario, run: &Run, goal: &Goal, start: Option<&Decisions>) -> Settled {
    let problem = match run.engine {
        EngineUse::Off => None,
        _ => Aim::of(goal).and_then(|aim| engine::Problem::of(scenario, aim)),
    };
    let Some(problem) = problem else {
        return Settled::Handed(None, None);
    };
    let alone = run.engine == EngineUse::Alone;
    // The user's node limit, if any, caps the engine's search; without
    // HiGHS the engine then keeps the search to the end (microlp counts no
    // nodes, so a hand-over would leave the run unlimited in work).
    let user = run
        .node_limit
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    let handoff = if alone {
        usize::MAX
    } else {
        engine_node_limit(run.backend)
    };
    let node_limit = match user {
        Some(n) if run.backend == Backend::MICROLP => n,
        Some(n) => n.min(handoff),
        None => handoff,
    };
    // Whether a stopped search used up the user's node limit (not the
    // hand-over point, nor the deadline).
    let at_node_limit = |nodes: usize| user.is_some_and(|n| nodes > n);
    let deadline = run.deadline.end();
    let starts: Vec<&Decisions> = start.into_iter().collect();
    match engine::search(&problem, &starts, run.mip_gap, node_limit, deadline) {
        Search::Optimal { found, gap, .. } => Settled::Done(Ok(Solution {
            decisions: found.decisions,
            status: SolveStatus::Optimal,
            objective: found.objective,
            gap,
            setup_seconds: 0.0,
            solver: engine::NAME.into(),
        })),
        Search::Infeasible { .. } => Settled::Done(Err(failure_error(
            Failure::Infeasible,
            scenario,
            run.backend,
            &run.deadline,
        ))),
        Search::Stopped {
            found,
            bound,
            nodes,
        } if alone || at_node_limit(nodes) => Settled::Done(match found {
            Some(found) => {
                let gap = gap_to(bound, found.objective);
                Ok(Solution {
                    decisions: found.decisions,
                    status: if at_node_limit(nodes) {
                        SolveStatus::NodeLimit
                    } else {
                        SolveStatus::TimeLimit
                    },
                    objective: found.objective,
                    gap,
                    setup_seconds: 0.0,
                    solver: engine::NAME.into(),
                })
            }
            None => Err(run_failure(Failure::NoPlan, scenario, run)),
        }),
        Search::Stopped { found, bound, .. } => {
            Settled::Handed(found.map(|f| f.decisions), Some(bound))
        }
    }
}

/// The relative gap between a plan's objective and a bound on it
/// (infinite against a nonzero bound when the objective is 0).
fn gap_to(bound: f64, objective: f64) -> f64 {
    if objective == 0.0 {
        if bound == 0.0 { 0.0 } else { f64::INFINITY }
    } else {
        ((bound - objective) / objective).abs()
    }
}

/// A solution whose gap is stated: when the solver stopped before proving
/// any bound, a maximisation's gap is taken against the budget-only
/// fractional relaxation, a valid bound.
fn with_known_gap(scenario: &Scenario, goal: &Goal, mut solution: Solution) -> Solution {
    if !solution.gap.is_finite() && goal.sense() == Sense::Maximise {
        let bound = greedy::upper_bound(scenario, goal.linear());
        solution.gap = if bound > 0.0 {
            ((bound - solution.objective) / bound).max(0.0)
        } else {
            0.0
        };
    }
    solution
}

/// The greedy plan of a goal: ranked by the goal itself or, in target
/// mode, by the targets (`None` if it breaks a constraint).
pub fn greedy_plan(scenario: &Scenario, goal: &Goal) -> Option<Decisions> {
    let ranking = match goal {
        Goal::Spend => Linear::outcomes(target_coefficients(scenario)),
        _ => goal.linear(),
    };
    greedy::greedy(scenario, ranking)
}

/// Greedy ranking weights for target mode: each targeted goal per unit of
/// its target, so the greedy plan heads for every target at once.
fn target_coefficients(scenario: &Scenario) -> [f64; 3] {
    let mut c = [0.0; 3];
    for (i, t) in scenario.targets.iter().enumerate() {
        if let Some(t) = t
            && *t > 0.0
        {
            c[i] = 1.0 / t;
        }
    }
    c
}
