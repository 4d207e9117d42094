//! Grids of values (`FROM:TO:STEP`) and solving many scenario variants in
//! parallel, each reported as a point with its plan or why it has none.

use rayon::prelude::*;
use serde::Serialize;

use crate::error::Error;
use crate::model::{Decisions, Goal};
use crate::model::{GoalKind, Scenario};
use crate::plan::Plan;
use crate::program::Program;
use crate::solve::{self, Backend, Outcome, Run, SolveSettings, SolveStatus};

/// The most points one grid axis may have.
pub const MAX_POINTS: usize = 10_001;

/// An inclusive range of evenly spaced values, `FROM:TO:STEP`.
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    /// First value.
    pub from: f64,
    /// Last value (included when a whole number of steps away).
    pub to: f64,
    /// Distance between values (> 0).
    pub step: f64,
    /// Decimals written in the range, to print values without round-off noise.
    decimals: i32,
}

impl Range {
    /// Parses `FROM:TO:STEP` (e.g. `20000:100000:5000`).
    pub fn parse(text: &str) -> Result<Range, String> {
        let parts: Vec<&str> = text.split(':').collect();
        let [from, to, step] = parts[..] else {
            return Err(format!(
                "`{text}` is not FROM:TO:STEP (e.g. 20000:100000:5000)"
            ));
        };
        let number = |name: &str, s: &str| -> Result<f64, String> {
            let x: f64 = s
                .trim()
                .parse()
                .map_err(|_| format!("{name} `{s}` in `{text}` is not a number"))?;
            if x.is_finite() {
                Ok(x)
            } else {
                Err(format!("{name} in `{text}` must be finite"))
            }
        };
        let decimals = [from, to, step]
            .iter()
            .map(|s| s.trim().split_once('.').map_or(0, |(_, f)| f.len() as i32))
            .max()
            .unwrap_or(0)
            .min(12);
        let range = Range {
            from: number("FROM", from)?,
            to: number("TO", to)?,
            step: number("STEP", step)?,
            decimals,
        };
        if range.step <= 0.0 {
            return Err(format!("STEP in `{text}` must be positive"));
        }
        if range.to < range.from {
            return Err(format!("TO is below FROM in `{text}`"));
        }
        let count = ((range.to - range.from) / range.step + 1e-9).floor() + 1.0;
        if count > MAX_POINTS as f64 {
            return Err(format!(
                "`{text}` has {count} points; at most {MAX_POINTS} are allowed"
            ));
        }
        Ok(range)
    }

    /// The values, from FROM up to TO.
    pub fn values(&self) -> Vec<f64> {
        let count = ((self.to - self.from) / self.step + 1e-9).floor() as usize + 1;
        let scale = 10f64.powi(self.decimals);
        (0..count)
            .map(|i| ((self.from + i as f64 * self.step) * scale).round() / scale)
            .collect()
    }
}

/// How a point's solve ended: with a plan (optimal, or stopped at the time
/// limit), or without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointStatus {
    /// A plan, and how its solve ended.
    Solved(SolveStatus),
    /// No plan satisfies the constraints at this point.
    Infeasible,
    /// The time limit passed before any plan was found.
    NoPlan,
}

impl PointStatus {
    /// The status word of INTERFACE.md.
    pub fn as_str(self) -> &'static str {
        match self {
            PointStatus::Solved(status) => status.as_str(),
            PointStatus::Infeasible => "infeasible",
            PointStatus::NoPlan => "no_plan",
        }
    }
}

impl Serialize for PointStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for PointStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One solved variant: its plan, or why it has none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solved {
    /// How the solve ended.
    pub status: PointStatus,
    /// Why there is no plan (infeasible or no plan in time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The plan (absent when infeasible or no plan was found).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan>,
}

impl Solved {
    /// A solve's plan; infeasibility and a missing plan become statuses
    /// with their message, other errors stay errors.
    pub fn of(result: Result<Plan, Error>) -> Result<Solved, Error> {
        match result {
            Ok(plan) => Ok(Solved {
                status: PointStatus::Solved(plan.status),
                message: None,
                plan: Some(plan),
            }),
            Err(Error::Infeasible(message)) => Ok(Solved {
                status: PointStatus::Infeasible,
                message: Some(message),
                plan: None,
            }),
            Err(e @ Error::NoPlan { .. }) => Ok(Solved {
                status: PointStatus::NoPlan,
                message: Some(e.to_string()),
                plan: None,
            }),
            Err(e) => Err(e),
        }
    }

    /// Spend share per tier name, 0 for tiers without spend (empty without a plan).
    pub fn tier_share(&self, tier: &str) -> f64 {
        self.plan
            .as_ref()
            .and_then(|p| p.tiers.iter().find(|t| t.tier == tier))
            .map_or(0.0, |t| t.share)
    }

    /// Spend share per platform name, 0 for platforms without spend.
    pub fn platform_share(&self, platform: &str) -> f64 {
        self.plan
            .as_ref()
            .and_then(|p| p.platforms.iter().find(|x| x.platform == platform))
            .map_or(0.0, |x| x.share)
    }

    /// The tier with the largest share of spend, if any money is spent.
    pub fn dominant_tier(&self) -> Option<&str> {
        self.plan.as_ref()?.largest_tier()
    }
}

/// Solves one scenario variant for a given objective on a program built for
/// it, from the feasible plans of `starts` as well as its own greedy plan;
/// infeasibility and a missing plan become statuses, not errors.
pub fn solve_variant(
    s: &Scenario,
    program: &Program,
    backend: Backend,
    settings: &SolveSettings,
    (goal, best): (&Goal, Option<[f64; 3]>),
    starts: &[&Decisions],
) -> Result<Solved, Error> {
    let started = std::time::Instant::now();
    let run = Run::new(backend, settings);
    let result = solve::optimise_goal(s, program, &run, goal, starts).and_then(|solution| {
        let outcome = Outcome {
            decisions: solution.decisions,
            status: solution.status,
            objective: solution.objective,
            gap: solution.gap,
            best,
            seconds: started.elapsed().as_secs_f64(),
            build_seconds: solution.setup_seconds,
            backend,
            solver: solution.solver,
            unproven: Vec::new(),
            solves: 1,
            time_limit: run.deadline.seconds,
            node_limit: run.node_limit,
        };
        Plan::new(s, &outcome, settings.mip_gap)
    });
    Solved::of(result)
}

/// The solvers named by some plans, joined (`bnb+highs`); the run's MILP
/// solver when there is no plan.
pub fn solved_by<'a>(plans: impl Iterator<Item = &'a Plan>, backend: Backend) -> String {
    let names: Vec<&str> = plans.map(|p| p.solver.name.as_str()).collect();
    if names.is_empty() {
        backend.name().to_string()
    } else {
        solve::joined(&names)
    }
}

/// G* of every goal in `goals` on the scenario as given (MODEL.md: computed
/// once on the nominal scenario and reused by every point).
pub fn nominal_bests(
    s: &Scenario,
    program: &Program,
    backend: Backend,
    settings: &SolveSettings,
    goals: &[GoalKind],
) -> Result<[f64; 3], Error> {
    let run = Run::new(backend, settings);
    Ok(solve::goal_bests(s, program, &run, goals)?.best)
}

/// Solves variants of one scenario (the points of a sweep, in order: the
/// same creators and pools) in parallel, keeping their order. Each variant
/// is a scenario and its objective; programs are built per variant unless
/// `shared` is given (variants that differ only in the objective). Every
/// other point is solved first; each point between starts from its two
/// neighbours' optima too, where they are plans of its own scenario.
pub fn solve_all(
    variants: Vec<(Scenario, Goal)>,
    shared: Option<&Program>,
    backend: Backend,
    settings: &SolveSettings,
    best: Option<[f64; 3]>,
) -> Result<Vec<Solved>, Error> {
    let solve = |(s, goal): &(Scenario, Goal), starts: &[&Decisions]| {
        crate::interrupt::check()?;
        match shared {
            Some(program) => solve_variant(s, program, backend, settings, (goal, best), starts),
            None => {
                let program = backend.program(s);
                solve_variant(s, &program, backend, settings, (goal, best), starts)
            }
        }
    };
    let first: Vec<Solved> = variants
        .par_iter()
        .step_by(2)
        .map(|v| solve(v, &[]))
        .collect::<Result<_, _>>()?;
    let between: Vec<Solved> = variants
        .par_iter()
        .skip(1)
        .step_by(2)
        .enumerate()
        .map(|(k, v)| {
            let starts: Vec<&Decisions> = [first.get(k), first.get(k + 1)]
                .into_iter()
                .flatten()
                .filter_map(|n| n.plan.as_ref().map(|p| &p.decisions))
                .collect();
            solve(v, &starts)
        })
        .collect::<Result<_, _>>()?;
    let mut first = first.into_iter();
    let mut between = between.into_iter();
    Ok((0..variants.len())
        .filter_map(|i| {
            if i % 2 == 0 {
                first.next()
            } else {
                between.next()
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_list_their_values_without_round_off() {
        let r = Range::parse("0:1:0.1").unwrap();
        let v = r.values();
        assert_eq!(v.len(), 11);
        assert_eq!(v[3], 0.3);
        assert_eq!(v[10], 1.0);
        assert_eq!(
            Range::parse("20000:100000:30000").unwrap().values(),
            [20000.0, 50000.0, 80000.0]
        );
        assert_eq!(Range::parse("5:5:1").unwrap().values(), [5.0]);
    }

    #[test]
    fn bad_ranges_are_explained() {
        for (text, words) in [
            ("1:2", "FROM:TO:STEP"),
            ("a:2:1", "not a number"),
            ("0:1:0", "positive"),
            ("2:1:1", "below FROM"),
            ("0:1e9:1", "at most"),
            ("0:inf:1", "finite"),
        ] {
            let e = Range::parse(text).unwrap_err();
            assert!(e.contains(words), "{text}: {e}");
        }
    }
}
