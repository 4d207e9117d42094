//! Tornado analysis: one parameter group at a time (a field within a tier,
//! or the budget) moved to its 10th and 90th percentiles with everything
//! else at its nominal value, and the scenario re-optimised; the swing of
//! the optimal objective shows which uncertainty matters most.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::Goal;
use crate::model::evaluate::evaluate;
use crate::model::{OfferUncertainty, Scenario};

use crate::solve::{self, Backend, Run, SolveSettings};

/// Low and high quantiles of the tornado.
pub const QUANTILES: (f64, f64) = (0.10, 0.90);

/// One bar of the tornado.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    /// The parameter group, e.g. `micro engagement_rate` or `budget`.
    pub group: String,
    /// Optimal objective with the group at its 10th percentile (none: infeasible).
    pub low: Option<f64>,
    /// Optimal objective with the group at its 90th percentile (none: infeasible).
    pub high: Option<f64>,
    /// |high − low| (infinite when one side is infeasible).
    pub swing: f64,
}

/// The scenario with one group at quantile `q` (others nominal).
fn shifted(s: &Scenario, group: &Group, q: f64) -> Scenario {
    let mut out = s.clone();
    match group {
        Group::Budget => {
            if let Some(d) = &s.uncertainty.budget {
                out.budget = d.quantile(q);
            }
        }
        Group::Field { tier, field } => {
            // Fields are indexed in the order of OfferUncertainty::fields.
            for (c, u) in out.creators.iter_mut().zip(&s.uncertainty.creators) {
                if c.tier == *tier
                    && let Some(d) = u.fields()[*field].1
                {
                    set(
                        &mut c.audience,
                        &mut c.price_per_post,
                        &mut c.fee,
                        *field,
                        d.quantile(q),
                    );
                }
            }
            for (p, u) in out.pools.iter_mut().zip(&s.uncertainty.pools) {
                if p.tier == *tier
                    && let Some(d) = u.fields()[*field].1
                {
                    set(
                        &mut p.audience,
                        &mut p.price_per_post,
                        &mut p.fee,
                        *field,
                        d.quantile(q),
                    );
                }
            }
        }
    }
    out
}

/// Sets field number `field`, in the order of OfferUncertainty::fields.
fn set(a: &mut crate::model::Audience, price: &mut f64, fee: &mut f64, field: usize, value: f64) {
    match field {
        0 => a.followers = value,
        1 => a.reach_rate = value,
        2 => a.engagement_rate = value,
        3 => a.conversion_rate = value,
        4 => *price = value,
        _ => *fee = value,
    }
}

/// A parameter group.
enum Group {
    Budget,
    Field { tier: usize, field: usize },
}

/// The groups with any uncertainty, in a fixed order.
fn groups(s: &Scenario) -> Vec<(String, Group)> {
    let mut out = Vec::new();
    if s.uncertainty.budget.is_some() {
        out.push(("budget".to_string(), Group::Budget));
    }
    for tier in 0..s.tiers.len() {
        for (field, name) in OfferUncertainty::FIELD_NAMES.iter().enumerate() {
            let any = s
                .creators
                .iter()
                .zip(&s.uncertainty.creators)
                .filter(|(c, _)| c.tier == tier)
                .map(|(_, u)| u)
                .chain(
                    s.pools
                        .iter()
                        .zip(&s.uncertainty.pools)
                        .filter(|(p, _)| p.tier == tier)
                        .map(|(_, u)| u),
                )
                .any(|u| u.fields()[field].1.is_some());
            if any {
                out.push((
                    format!("{} {name}", s.tier_name(tier)),
                    Group::Field { tier, field },
                ));
            }
        }
    }
    out
}

/// The optimal objective of a scenario under a fixed goal (nominal G*),
/// solved as every objective is: the engine first, the MILP solver past its
/// node limit.
fn optimum(s: &Scenario, goal: &Goal, backend: Backend, settings: &SolveSettings) -> Option<f64> {
    let program = backend.program(s);
    let run = Run::new(backend, settings);
    let solution = solve::optimise_goal(s, &program, &run, goal, &[]).ok()?;
    let e = evaluate(s, &solution.decisions);
    Some(e.score(goal.reported()))
}

/// The tornado: one bar per uncertain parameter group, largest swing first.
pub fn tornado(s: &Scenario, goal: &Goal, backend: Backend, settings: &SolveSettings) -> Vec<Bar> {
    let mut bars: Vec<Bar> = groups(s)
        .par_iter()
        .map(|(name, group)| {
            let low = optimum(&shifted(s, group, QUANTILES.0), goal, backend, settings);
            let high = optimum(&shifted(s, group, QUANTILES.1), goal, backend, settings);
            let swing = match (low, high) {
                (Some(l), Some(h)) => (h - l).abs(),
                _ => f64::INFINITY,
            };
            Bar {
                group: name.clone(),
                low,
                high,
                swing,
            }
        })
        .collect();
    bars.sort_by(|a, b| {
        b.swing
            .total_cmp(&a.swing)
            .then_with(|| a.group.cmp(&b.group))
    });
    bars
}
