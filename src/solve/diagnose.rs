//! Explaining infeasibility: which constraint families conflict, with
//! numbers, and every failure of a solve as the error a user reads.
//!
//! Each family is dropped in turn; those whose removal restores feasibility
//! are the ones in conflict. For each, one more solve measures how far the
//! rest of the scenario is from satisfying it ("at most 310 conversions are
//! possible, the target is 400").

use std::collections::BTreeSet;

use good_lp::Expression;

use super::backend::{Backend, Deadline};
use super::settings::{Failure, Limits};
use crate::error::Error;
use crate::format::number;
use crate::model::{Family, Scenario, Sense};
use crate::program::{self, Program, Row};

/// Time limit of each diagnostic solve, in seconds.
const DIAGNOSTIC_SECONDS: f64 = 20.0;

fn feasible_without(program: &Program, dropped: &[Family], backend: Backend) -> Option<bool> {
    let keep = |r: &Row| !dropped.contains(&r.family);
    let limits = Limits {
        time_limit: Some(DIAGNOSTIC_SECONDS),
        mip_gap: 1e-4,
        heuristics: true,
    };
    match backend.run(
        program,
        &Expression::from(0.0),
        Sense::Maximise,
        &keep,
        limits,
        None,
    ) {
        Ok(_) => Some(true),
        Err(Failure::Infeasible) => Some(false),
        Err(_) => None,
    }
}

/// How far the rest of the scenario is from one family: a sentence with numbers.
fn measure(
    scenario: &Scenario,
    program: &Program,
    family: Family,
    backend: Backend,
) -> Option<String> {
    let keep = |r: &Row| r.family != family;
    let limits = Limits {
        time_limit: Some(DIAGNOSTIC_SECONDS),
        mip_gap: 1e-6,
        heuristics: true,
    };
    let t = &program.totals;
    let optimum = |e: &Expression, sense: Sense| {
        backend
            .run(program, e, sense, &keep, limits, None)
            .ok()
            .map(|s| s.objective)
    };
    Some(match family {
        Family::Budget => {
            let need = optimum(&t.spend, Sense::Minimise)?;
            format!(
                "the other constraints need at least {} of spend, but the budget is {}",
                number(need),
                number(scenario.budget)
            )
        }
        Family::Target(g) => {
            let most = optimum(t.goal(g), Sense::Maximise)?;
            format!(
                "at most {} {} can be reached within the other constraints, but the target is {}",
                number(most),
                g.key(),
                number(scenario.targets[g.index()].unwrap_or(0.0))
            )
        }
        Family::MaxCreators => {
            let least = optimum(&t.creators, Sense::Minimise)?;
            format!(
                "the other constraints need at least {} creators, but max_creators is {}",
                number(least),
                scenario.limits.max_creators.unwrap_or(0)
            )
        }
        Family::MinCreators => {
            let most = optimum(&t.creators, Sense::Maximise)?;
            format!(
                "at most {} creators fit within the other constraints, but min_creators is {}",
                number(most),
                scenario.limits.min_creators.unwrap_or(0)
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
        .filter(|f| feasible_without(program, &[*f], backend) == Some(true))
        .collect();
    if culprits.is_empty() {
        // No single family is to blame: look for a pair.
        for (i, a) in families.iter().enumerate() {
            for b in &families[i + 1..] {
                if feasible_without(program, &[*a, *b], backend) == Some(true) {
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
            seconds: deadline.seconds.unwrap_or(0.0),
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
