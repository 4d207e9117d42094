//! Explaining infeasibility: which constraint families conflict, with
//! numbers, and every failure of a solve as the error a user reads.
//!
//! Each family is dropped in turn; those whose removal restores feasibility
//! are the ones in conflict. For each, one more solve measures how far the
//! rest of the scenario is from satisfying it ("at most 310 conversions are
//! possible, the target is 400"). The engine answers each question first,
//! on the scenario with the family dropped; the MILP solver answers what it
//! leaves open, and the counts of creators, which are no objective of the
//! engine's. A figure is printed only when its solve proved it.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use good_lp::Expression;

use super::backend::{Backend, Deadline};
use super::engine::{self, Aim, Search};
use super::settings::{Failure, Limits, SolveStatus};
use crate::error::Error;
use crate::format::number;
use crate::model::{Family, GoalKind, Scenario, Sense};
use crate::program::{self, Program, Row};

/// Time limit of each diagnostic solve, in seconds.
const DIAGNOSTIC_SECONDS: f64 = 20.0;

/// The relative gap within which a measured figure is proven.
const MEASURE_GAP: f64 = 1e-6;

/// What one solve settled about the scenario with some families dropped.
enum Answer {
    /// A plan exists; the optimum, when the solve proved it.
    Plan(Option<f64>),
    /// No plan exists.
    NoPlan,
    /// The solve stopped before it knew.
    Open,
}

/// The scenario without the rows of `dropped`.
fn without(scenario: &Scenario, dropped: &[Family]) -> Scenario {
    let mut s = scenario.clone();
    for family in dropped {
        family.drop_from(&mut s);
    }
    s
}

/// The engine's answer for `aim` on a scenario, within the diagnostic's
/// time and the run's node limit.
fn by_engine(s: &Scenario, aim: Aim, gap: f64, backend: Backend) -> Answer {
    let Some(problem) = engine::Problem::of(s, aim) else {
        return Answer::Open;
    };
    let deadline = Instant::now() + Duration::from_secs_f64(DIAGNOSTIC_SECONDS);
    match engine::search(
        &problem,
        &[],
        gap,
        engine::node_limit(backend == Backend::MICROLP),
        Some(deadline),
    ) {
        Search::Optimal { found, .. } => Answer::Plan(Some(found.objective)),
        Search::Infeasible { .. } => Answer::NoPlan,
        Search::Stopped { found: Some(_), .. } => Answer::Plan(None),
        Search::Stopped { found: None, .. } => Answer::Open,
    }
}

/// The MILP solver's answer for an objective on the program without the
/// rows of `dropped`.
fn by_milp(
    program: &Program,
    dropped: &[Family],
    objective: &Expression,
    sense: Sense,
    gap: f64,
    backend: Backend,
) -> Answer {
    let keep = |r: &Row| !dropped.contains(&r.family);
    let limits = Limits {
        time_limit: Some(DIAGNOSTIC_SECONDS),
        node_limit: None,
        mip_gap: gap,
        heuristics: true,
    };
    match backend.run(program, objective, sense, &keep, limits, None) {
        Ok(s) if s.status == SolveStatus::Optimal => Answer::Plan(Some(s.objective)),
        Ok(_) => Answer::Plan(None),
        Err(Failure::Infeasible) => Answer::NoPlan,
        Err(_) => Answer::Open,
    }
}

/// Whether some plan satisfies every row but those of `dropped` (none:
/// neither solver settled it in time).
fn feasible_without(
    scenario: &Scenario,
    program: &Program,
    dropped: &[Family],
    backend: Backend,
) -> Option<bool> {
    let answer = match by_engine(
        &without(scenario, dropped),
        Aim::MinimiseSpend,
        1e-4,
        backend,
    ) {
        Answer::Open => by_milp(
            program,
            dropped,
            &Expression::from(0.0),
            Sense::Maximise,
            1e-4,
            backend,
        ),
        answer => answer,
    };
    match answer {
        Answer::Plan(_) => Some(true),
        Answer::NoPlan => Some(false),
        Answer::Open => None,
    }
}

/// How far the rest of the scenario is from one family: a sentence with
/// numbers, when a solve proved them.
fn measure(
    scenario: &Scenario,
    program: &Program,
    family: Family,
    backend: Backend,
) -> Option<String> {
    let t = &program.totals;
    // The proven optimum of an objective on the rest: the engine's aim
    // where it has one, else the MILP solver's.
    let optimum = |aim: Option<Aim>, e: &Expression, sense: Sense| {
        let rest = || without(scenario, &[family]);
        let answer = match aim.map(|a| by_engine(&rest(), a, MEASURE_GAP, backend)) {
            Some(Answer::Plan(Some(v))) => return Some(v),
            Some(Answer::NoPlan) => return None,
            _ => by_milp(program, &[family], e, sense, MEASURE_GAP, backend),
        };
        match answer {
            Answer::Plan(v) => v,
            _ => None,
        }
    };
    let most_of = |g: GoalKind| {
        let mut c = [0.0; 3];
        c[g.index()] = 1.0;
        Aim::Maximise(c)
    };
    Some(match family {
        Family::Budget => {
            let need = optimum(Some(Aim::MinimiseSpend), &t.spend, Sense::Minimise)?;
            format!(
                "the other constraints need at least {} of spend, but the budget is {}",
                number(need),
                number(scenario.budget)
            )
        }
        Family::Target(g) => {
            let most = optimum(Some(most_of(g)), t.goal(g), Sense::Maximise)?;
            format!(
                "at most {} {} can be reached within the other constraints, but the target is {}",
                number(most),
                g.key(),
                number(scenario.targets[g.index()].unwrap_or(0.0))
            )
        }
        Family::MaxCreators => {
            let least = optimum(None, &t.creators, Sense::Minimise)?;
            format!(
                "the other constraints need at least {} creators, but max_creators is {}",
                number(least),
                scenario.limits.max_creators.unwrap_or(0)
            )
        }
        Family::MinCreators => {
            let most = optimum(None, &t.creators, Sense::Maximise)?;
            format!(
                "at most {} creators fit within the other constraints, but min_creators is {}",
                number(most),
                scenario.limits.min_creators.unwrap_or(0)
            )
        }
        Family::PlatformMin(p) => {
            // A count, not a solve: who can be hired there at all.
            let offered: u64 = scenario
                .creators
                .iter()
                .filter(|c| c.platform == p && !c.exclude && c.max_posts > 0)
                .map(|_| 1)
                .chain(
                    scenario
                        .pools
                        .iter()
                        .filter(|o| o.platform == p)
                        .map(|o| u64::from(o.available)),
                )
                .sum();
            let min = scenario
                .limits
                .platforms
                .iter()
                .find(|b| b.platform == p)
                .and_then(|b| b.min_creators)
                .unwrap_or(0);
            if offered >= u64::from(min) {
                return None;
            }
            format!(
                "only {offered} creators on {} can be hired at all, but min_creators there is {min}",
                scenario.platform_name(p)
            )
        }
        _ => return None,
    })
}

/// A user-facing explanation of why the scenario is infeasible. It works on
/// the whole model of MODEL.md, every creator and row as written, since the
/// budget or an exclusion may be among the rows it drops.
pub fn explain(scenario: &Scenario, backend: Backend) -> String {
    let program = &program::build(scenario, backend.formulation(scenario), program::Reduce::No);
    let families: BTreeSet<Family> = program
        .rows
        .iter()
        .map(|r| r.family)
        .filter(|f| *f != Family::Link)
        .collect();
    let families: Vec<Family> = families.into_iter().collect();
    if families.is_empty() {
        return "no plan satisfies the model's structure".into();
    }
    let culprits: Vec<Family> = families
        .iter()
        .copied()
        .filter(|f| feasible_without(scenario, program, &[*f], backend) == Some(true))
        .collect();
    if culprits.is_empty() {
        // No single family is to blame: look for a pair.
        for (i, a) in families.iter().enumerate() {
            for b in &families[i + 1..] {
                if feasible_without(scenario, program, &[*a, *b], backend) == Some(true) {
                    return format!(
                        "no single constraint is to blame, but dropping both {} and {} makes it feasible",
                        a.describe(scenario),
                        b.describe(scenario)
                    );
                }
            }
        }
        return format!(
            "the constraints conflict in a way no one or two of them explain: {}",
            families
                .iter()
                .map(|f| f.describe(scenario))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let names: Vec<String> = culprits.iter().map(|f| f.describe(scenario)).collect();
    let mut text = if culprits.len() == 1 {
        format!("{} cannot be met", names[0])
    } else {
        format!(
            "these constraints conflict: {}; dropping any one of them makes the scenario feasible",
            names.join(", ")
        )
    };
    for family in &culprits {
        if let Some(sentence) = measure(scenario, program, *family, backend) {
            text.push_str(&format!("\n  - {}: {sentence}", family.key(scenario)));
        }
    }
    text
}

/// Maps a failure within a run to a user-facing error: no plan within a
/// node limit (and no time limit) is said as such.
pub fn run_failure(failure: Failure, scenario: &Scenario, run: &super::backend::Run) -> Error {
    let stopped = SolveStatus::stopped(run.node_limit, run.deadline.seconds);
    match (failure, run.node_limit) {
        (Failure::NoPlan, Some(nodes)) if stopped == SolveStatus::NodeLimit => Error::NoPlan {
            limit: format!(
                "the limit of {}",
                crate::format::count(nodes, "branch-and-bound node")
            ),
            hint: "; raise --node-limit".into(),
        },
        (failure, _) => failure_error(failure, scenario, run.backend, &run.deadline),
    }
}

/// Maps a single-solve failure to a user-facing error.
pub fn failure_error(
    failure: Failure,
    scenario: &Scenario,
    backend: Backend,
    deadline: &Deadline,
) -> Error {
    match failure {
        Failure::Infeasible => Error::Infeasible(explain(scenario, backend)),
        Failure::NoPlan => Error::NoPlan {
            limit: crate::error::time_limit(deadline.seconds.unwrap_or(0.0)),
            hint: hint_for(backend),
        },
        Failure::Error(m) => Error::Solver(m),
    }
}

fn hint_for(backend: Backend) -> String {
    match backend.name() {
        "microlp" if super::Backend::named("highs").is_none() => {
            "; raise --time-limit, or build with `--features highs` for a much faster solver".into()
        }
        _ => "; raise --time-limit".into(),
    }
}
