//! `creatormix frontier`: the exact Pareto frontier between two or three
//! goals by the ε-constraint method.
//!
//! With goals (A, B) the last goal, B, is maximised subject to A ≥ ε, for ε
//! on an even grid from A's least value on the frontier (A's best among the
//! plans that maximise B) up to A's own best. Each point is then made
//! Pareto-optimal lexicographically: with B held at its optimum, A is
//! maximised too. Duplicates and dominated points are removed. With three
//! goals (A, B, C), C is maximised over a grid of ε on A and on B. Every
//! constraint of the scenario, its targets included, holds at every point.

use rayon::prelude::*;
use serde::Serialize;

use super::grid::{self, PointStatus};
use crate::error::Error;
use crate::model::Decisions;
use crate::model::Goal;
use crate::model::evaluate::evaluate;
use crate::model::{GoalKind, Scenario};
use crate::plan::Plan;
use crate::solve::{self, Backend, Outcome, Run, SolveSettings, SolveStatus};

/// Relative slack on a goal held at a value found by an earlier stage, so
/// that solver round-off never makes the held plan itself infeasible.
const HOLD: f64 = 1e-9;

/// One point of the frontier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrontierPoint {
    /// The ε bound on each constrained goal (all goals but the last).
    pub epsilon: Vec<f64>,
    /// The plan's total of each frontier goal, in the order given.
    pub values: Vec<f64>,
    /// Each value as a share of the goal's own best.
    pub attainment: Vec<f64>,
    /// Share of spend on the larger tiers (see [`Frontier::large_tiers`]).
    pub large_share: f64,
    /// `optimal`, or `time_limit` if a stage stopped early.
    pub status: PointStatus,
    /// The plan (its objective is the scenario's own).
    pub plan: Plan,
}

/// The scenario's own optimal plan (its goal as stated), placed on the
/// frontier's axes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioPlan {
    /// The plan's total of each frontier goal, in the order given.
    pub values: Vec<f64>,
    /// The scenario's objective of the plan.
    pub objective: f64,
    /// The frontier point it is, numbered from 1 as in the table, or
    /// `None` where it lies off the frontier (its goal values other
    /// outcomes than these).
    pub point: Option<usize>,
}

/// The tier with the largest spend changing between neighbouring points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrontierFlip {
    /// Index of the point before the flip.
    pub after_point: usize,
    /// Largest tier before.
    pub from_tier: String,
    /// Largest tier after.
    pub to_tier: String,
}

/// A Pareto frontier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Frontier {
    /// Scenario name.
    pub scenario: String,
    /// Currency code.
    pub currency: String,
    /// The goals, in the order given; the last is maximised.
    pub goals: Vec<GoalKind>,
    /// Each goal's own best (G*) under the scenario's constraints.
    pub best: Vec<f64>,
    /// Grid points per constrained goal.
    pub grid: usize,
    /// Points on the frontier, sorted by the first goal.
    pub points: Vec<FrontierPoint>,
    /// Grid points that gave a duplicate or dominated plan.
    pub removed: usize,
    /// Grid points proven to have no plan (ε out of reach).
    pub without_plan: usize,
    /// Grid points where the time limit passed before any plan was found:
    /// their ε may be within reach.
    pub no_plan_in_time: usize,
    /// Tier names in market order.
    pub tiers: Vec<String>,
    /// Platform names, when several are on offer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub platforms: Vec<String>,
    /// The tiers counted in `large_share`: the upper half of the market's tiers.
    pub large_tiers: Vec<String>,
    /// Changes of the tier with the largest spend along the frontier.
    pub flips: Vec<FrontierFlip>,
    /// The scenario's own plan on the same axes (none where its solve
    /// found no plan within the time limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario_plan: Option<ScenarioPlan>,
    /// The solvers that settled the points (see `SolverInfo::name`).
    pub solver: String,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// Parses `A,B` or `A,B,C` (distinct goal names).
pub fn parse_goals(text: &str) -> Result<Vec<GoalKind>, String> {
    let mut goals = Vec::new();
    for name in text.split(',') {
        let name = name.trim();
        let g = GoalKind::from_key(name)?;
        if goals.contains(&g) {
            return Err(format!("`{name}` is given twice"));
        }
        goals.push(g);
    }
    if !(2..=3).contains(&goals.len()) {
        return Err("give two or three goals, e.g. awareness,conversions".into());
    }
    Ok(goals)
}

/// A frontier point as solved: its ε bounds, plan, status and solvers.
type Point = (Vec<f64>, Decisions, SolveStatus, String);

/// A plan as solved: decisions, status and solvers.
type Solved = (Decisions, SolveStatus, String);

/// How a stage, or a whole lexicographic solve, ended.
enum Reached {
    /// A plan.
    Plan(Solved),
    /// Proven: no plan meets the bounds.
    OutOfReach,
    /// The time limit passed before any plan was found.
    NoPlanInTime,
}

/// One solve stage: maximise `goal` on `s`.
fn stage(
    s: &Scenario,
    backend: Backend,
    settings: &SolveSettings,
    goal: GoalKind,
    starts: &[&Decisions],
) -> Result<Reached, Error> {
    let program = backend.program(s);
    let run = Run::new(backend, settings);
    match solve::optimise_goal(s, &program, &run, &Goal::Single(goal), starts) {
        Ok(solution) => Ok(Reached::Plan((
            solution.decisions,
            solution.status,
            solution.solver,
        ))),
        Err(Error::Infeasible(_)) => Ok(Reached::OutOfReach),
        Err(Error::NoPlan { .. }) => Ok(Reached::NoPlanInTime),
        Err(e) => Err(e),
    }
}

/// Raises a goal's target to at least `value`.
fn hold(s: &mut Scenario, goal: GoalKind, value: f64) {
    let t = &mut s.targets[goal.index()];
    *t = Some(t.unwrap_or(0.0).max(value));
}

/// The lexicographic optimum: maximise `order[0]`, hold it, maximise
/// `order[1]`, and so on, on `s` (which carries any ε bounds as targets).
/// Each stage starts from the best of `starts` that meets its bounds (and
/// from the stage before's plan, which always does). `first`, if given,
/// is the first stage already solved.
fn lexicographic(
    s: &Scenario,
    backend: Backend,
    settings: &SolveSettings,
    order: &[GoalKind],
    starts: &[&Decisions],
    first: Option<Solved>,
) -> Result<Reached, Error> {
    let mut s = s.clone();
    let mut found: Option<Solved> = None;
    let mut first = first;
    for &g in order {
        let mut from: Vec<&Decisions> = found.iter().map(|(d, _, _)| d).collect();
        from.extend_from_slice(starts);
        let solved = match first.take() {
            Some(done) => Reached::Plan(done),
            None => stage(&s, backend, settings, g, &from)?,
        };
        let before = found.take();
        let (d, status, solver) = match solved {
            Reached::Plan(plan) => plan,
            // A later stage only adds a bound the earlier plan meets: that
            // plan stands, proven lexicographically optimal only if the
            // stage proved it had no better.
            Reached::OutOfReach => return Ok(before.map_or(Reached::OutOfReach, Reached::Plan)),
            Reached::NoPlanInTime => {
                return Ok(before.map_or(Reached::NoPlanInTime, |(d, _, solver)| {
                    Reached::Plan((d, settings.stopped(), solver))
                }));
            }
        };
        let value = evaluate(&s, &d).goal(g);
        hold(&mut s, g, value * (1.0 - HOLD));
        let (status, solver) = match before {
            Some((_, st, before)) => (st.worse(status), solve::joined(&[&before, &solver])),
            None => (status, solver),
        };
        found = Some((d, status, solver));
    }
    Ok(found.map_or(Reached::OutOfReach, Reached::Plan))
}

/// `n` evenly spaced values from `lo` to `hi` (one value when they meet).
fn linspace(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if n <= 1 || hi <= lo {
        return vec![hi];
    }
    (0..n)
        .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
        .collect()
}

/// Computes the frontier between `goals` with `points` grid values per
/// constrained goal.
pub fn run(
    s: &Scenario,
    goals: &[GoalKind],
    per_axis: usize,
    settings: &SolveSettings,
) -> Result<Frontier, Error> {
    let started = std::time::Instant::now();
    let backend = settings.solver.backend()?;
    let program = backend.program(s);
    // G* of every goal: the frontier's upper ends, and the scenario's own
    // objective of each point (weights mode).
    let bests = solve::goal_bests(s, &program, &Run::new(backend, settings), &GoalKind::ALL)?;
    let best = bests.best;
    // Each goal's best plan: a start for every stage whose bounds it meets.
    let best_plans: Vec<&Decisions> = bests.plans.iter().collect();
    let constrained = &goals[..goals.len() - 1];
    // Each constrained goal's least value on the frontier: its smallest value
    // among the lexicographic optima that put another frontier goal first.
    let firsts: Vec<GoalKind> = goals
        .iter()
        .copied()
        .filter(|f| constrained.iter().any(|c| c != f))
        .collect();
    let anchors: Vec<Decisions> = firsts
        .par_iter()
        .map(|&first| {
            crate::interrupt::check()?;
            let mut order = vec![first];
            order.extend(goals.iter().rev().filter(|&&g| g != first));
            // The first stage is the goal's G* solve, done above.
            let done = GoalKind::ALL.iter().position(|&g| g == first).map(|i| {
                (
                    bests.plans[i].clone(),
                    bests.status,
                    bests.solvers[i].clone(),
                )
            });
            match lexicographic(s, backend, settings, &order, &best_plans, done)? {
                Reached::Plan((d, _, _)) => Ok(d),
                _ => Err(Error::Solver(
                    "no plan for an end of the frontier within the limit; raise --time-limit \
                     or --node-limit"
                        .into(),
                )),
            }
        })
        .collect::<Result<_, _>>()?;
    let ranges: Vec<Vec<f64>> = constrained
        .iter()
        .map(|&g| {
            let lo = anchors
                .iter()
                .map(|d| evaluate(s, d).goal(g))
                .fold(f64::INFINITY, f64::min);
            linspace(lo, best[g.index()], per_axis)
        })
        .collect();
    let mut cells: Vec<Vec<f64>> = vec![Vec::new()];
    for range in &ranges {
        cells = cells
            .into_iter()
            .flat_map(|c| {
                range.iter().map(move |&v| {
                    let mut c = c.clone();
                    c.push(v);
                    c
                })
            })
            .collect();
    }
    // Every plan found so far starts each point: those that meet its ε
    // bounds give the search a plan to prune against from the first node
    // (at the top of each range, the goal's best plan may be the only one).
    let starts: Vec<&Decisions> = best_plans.iter().copied().chain(&anchors).collect();
    // Maximise the last goal, then each constrained goal from the last back.
    let order: Vec<GoalKind> = goals.iter().rev().copied().collect();
    // Points are solved in runs from the highest ε down, each run in turn,
    // the runs in parallel: the plan of a point meets the bounds of the
    // next, so each point starts from its neighbour's optimum.
    cells.reverse();
    let run_length = cells
        .len()
        .div_ceil(2 * rayon::current_num_threads())
        .max(1);
    let mut reached: Vec<(Vec<f64>, Reached)> = cells
        .par_chunks(run_length)
        .map(|run| {
            let mut points: Vec<(Vec<f64>, Reached)> = Vec::with_capacity(run.len());
            let mut last: Option<Decisions> = None;
            for eps in run {
                crate::interrupt::check()?;
                let mut v = s.clone();
                for (&g, &e) in constrained.iter().zip(eps) {
                    // The top of each range is a G* found by a solver: hold it
                    // with the same slack as a lexicographic stage.
                    hold(&mut v, g, e * (1.0 - HOLD));
                }
                let mut from = starts.clone();
                from.extend(last.as_ref());
                let point = lexicographic(&v, backend, settings, &order, &from, None)?;
                if let Reached::Plan((d, _, _)) = &point {
                    last = Some(d.clone());
                }
                points.push((eps.clone(), point));
            }
            Ok(points)
        })
        .collect::<Result<Vec<_>, Error>>()?
        .into_iter()
        .flatten()
        .collect();
    reached.reverse();
    let mut without_plan = 0;
    let mut no_plan_in_time = 0;
    let mut found: Vec<Point> = Vec::with_capacity(reached.len());
    for (eps, point) in reached {
        match point {
            Reached::Plan((d, status, solver)) => found.push((eps, d, status, solver)),
            Reached::OutOfReach => without_plan += 1,
            Reached::NoPlanInTime => no_plan_in_time += 1,
        }
    }
    let value_of = |d: &Decisions| -> Vec<f64> {
        let e = evaluate(s, d);
        goals.iter().map(|g| e.goal(*g)).collect()
    };
    let values: Vec<Vec<f64>> = found.iter().map(|(_, d, _, _)| value_of(d)).collect();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
    let dominates = |p: &[f64], q: &[f64]| {
        p.iter().zip(q).all(|(a, b)| *a >= *b || close(*a, *b))
            && p.iter().zip(q).any(|(a, b)| *a > *b && !close(*a, *b))
    };
    let same = |p: &[f64], q: &[f64]| p.iter().zip(q).all(|(a, b)| close(*a, *b));
    let mut keep: Vec<usize> = Vec::new();
    for i in 0..found.len() {
        let dominated = (0..found.len()).any(|j| j != i && dominates(&values[j], &values[i]));
        let duplicate = keep.iter().any(|&k| same(&values[k], &values[i]));
        if !dominated && !duplicate {
            keep.push(i);
        }
    }
    let removed = found.len() - keep.len();
    let n_tiers = s.tiers.len();
    let tiers: Vec<String> = (0..n_tiers).map(|t| s.tier_name(t).to_string()).collect();
    let large_tiers: Vec<String> = tiers[n_tiers / 2..].to_vec();
    let mut points: Vec<FrontierPoint> = keep
        .into_iter()
        .map(|i| {
            let (eps, d, status, solver) = &found[i];
            let e = evaluate(s, d);
            let outcome = Outcome {
                decisions: d.clone(),
                status: *status,
                objective: crate::model::evaluate::objective(s, &e, Some(best)),
                gap: 0.0,
                best: Some(best),
                seconds: 0.0,
                build_seconds: 0.0,
                backend,
                solver: solver.clone(),
                unproven: Vec::new(),
                solves: goals.len(),
                time_limit: settings.time_limit,
                node_limit: settings.node_limit,
            };
            let plan = Plan::new(s, &outcome, settings.mip_gap)?;
            let large_share = plan
                .tiers
                .iter()
                .filter(|t| large_tiers.contains(&t.tier))
                .map(|t| t.share)
                .sum();
            Ok(FrontierPoint {
                epsilon: eps.clone(),
                attainment: goals
                    .iter()
                    .zip(&values[i])
                    .map(|(g, v)| {
                        if best[g.index()] > 0.0 {
                            v / best[g.index()]
                        } else {
                            0.0
                        }
                    })
                    .collect(),
                values: values[i].clone(),
                large_share,
                status: PointStatus::Solved(*status),
                plan,
            })
        })
        .collect::<Result<_, Error>>()?;
    points.sort_by(|a, b| {
        a.values
            .iter()
            .zip(&b.values)
            .map(|(x, y)| x.total_cmp(y))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let flips = (1..points.len())
        .filter_map(|i| {
            match (
                points[i - 1].plan.largest_tier(),
                points[i].plan.largest_tier(),
            ) {
                (Some(a), Some(b)) if a != b => Some(FrontierFlip {
                    after_point: i - 1,
                    from_tier: a.to_string(),
                    to_tier: b.to_string(),
                }),
                _ => None,
            }
        })
        .collect();
    let solver = grid::solved_by(points.iter().map(|p| &p.plan), backend);
    // The scenario's own plan: its goal as stated (weights scaled by the
    // same G*), from every frontier plan as a start.
    let run = Run::new(backend, settings);
    let own_starts: Vec<&Decisions> = points.iter().map(|p| &p.plan.decisions).collect();
    let scenario_plan =
        match solve::optimise_goal(s, &program, &run, &s.goal(Some(best)), &own_starts) {
            Ok(solution) => {
                let e = evaluate(s, &solution.decisions);
                let values: Vec<f64> = goals.iter().map(|&g| e.goal(g)).collect();
                let same = |a: f64, b: f64| (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0);
                let point = points
                    .iter()
                    .position(|p| p.values.iter().zip(&values).all(|(a, b)| same(*a, *b)))
                    .map(|i| i + 1);
                Some(ScenarioPlan {
                    objective: crate::model::evaluate::objective(s, &e, Some(best)),
                    values,
                    point,
                })
            }
            Err(Error::Interrupted) => return Err(Error::Interrupted),
            Err(_) => None,
        };
    Ok(Frontier {
        scenario: s.name.clone(),
        currency: s.currency.clone(),
        goals: goals.to_vec(),
        best: goals.iter().map(|g| best[g.index()]).collect(),
        grid: per_axis,
        points,
        removed,
        without_plan,
        no_plan_in_time,
        tiers,
        platforms: s.platform_columns(),
        large_tiers,
        flips,
        scenario_plan,
        solver,
        seconds: started.elapsed().as_secs_f64(),
    })
}
