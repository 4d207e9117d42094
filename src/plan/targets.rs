//! Target mode (`goal: { minimize: spend, targets: ... }`): the marginal cost
//! of each target, measured by solving again with the target raised.
//!
//! A MILP has no meaningful dual prices, so the marginal cost is a finite
//! difference: the cheapest plan's spend when the target is raised by 1%
//! (at least one unit), minus the optimum's spend, per unit of the raise.
//! A target the plan already exceeds by the raise costs nothing more, and
//! is not solved again.

use rayon::prelude::*;
use serde::Serialize;

use crate::error::Error;
use crate::format::number;
use crate::model::{GoalKind, Scenario};
use crate::solve::{self, SolveSettings, SolveStatus};

/// What one more unit of a target costs at the optimum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarginalCost {
    /// The goal.
    pub goal: GoalKind,
    /// The target.
    pub target: f64,
    /// The optimal plan's total for the goal (at least the target).
    pub achieved: f64,
    /// How far the target was raised to measure the cost.
    pub step: f64,
    /// The cheapest plan's spend with the raised target (null when no plan reaches it).
    pub spend_at_step: Option<f64>,
    /// Extra spend per extra unit of the goal: (spend_at_step − spend) / step.
    pub cost_per_unit: Option<f64>,
    /// Why there is no figure, when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The raise used to measure a target's marginal cost: 1% of it, at least one unit.
pub fn step(target: f64) -> f64 {
    (0.01 * target).max(1.0)
}

/// The marginal cost of every positive target of a target-mode scenario whose
/// cheapest plan spends `spend` and reaches `achieved` per goal. The re-solves
/// run in parallel. A cost is measured only between two proven optima: not
/// at all when the plan is not `proven` cheapest, and not for a target whose
/// re-solve stops before its proof.
pub fn marginal_costs(
    s: &Scenario,
    settings: &SolveSettings,
    spend: f64,
    achieved: [f64; 3],
    proven: bool,
) -> Result<Vec<MarginalCost>, Error> {
    let targeted: Vec<(GoalKind, f64)> = GoalKind::ALL
        .into_iter()
        .filter_map(|g| s.targets[g.index()].map(|t| (g, t)))
        .filter(|(_, t)| *t > 0.0)
        .collect();
    targeted
        .par_iter()
        .map(|&(g, target)| {
            let step = step(target);
            let unmeasured = |note: &str| MarginalCost {
                goal: g,
                target,
                achieved: achieved[g.index()],
                step,
                spend_at_step: None,
                cost_per_unit: None,
                note: Some(note.into()),
            };
            if !proven {
                return Ok(unmeasured(
                    "not measured: the plan is not proven cheapest (raise --time-limit or --node-limit)",
                ));
            }
            if achieved[g.index()] >= target + step {
                // The plan already meets the raised target, and no cheaper
                // plan meets it (that plan would meet the target too): the
                // raise costs nothing, without a re-solve.
                return Ok(MarginalCost {
                    goal: g,
                    target,
                    achieved: achieved[g.index()],
                    step,
                    spend_at_step: Some(spend),
                    cost_per_unit: Some(0.0),
                    note: None,
                });
            }
            let mut raised = s.clone();
            raised.targets[g.index()] = Some(target + step);
            let (spend_at_step, note) = match solve::optimise(&raised, settings) {
                Ok(outcome) if outcome.status != SolveStatus::Optimal => {
                    return Ok(unmeasured(&format!(
                        "not measured: the {} stopped the search before the raised target's \
                         cheapest plan was proven",
                        outcome.status.limit()
                    )));
                }
                Ok(outcome) => {
                    let e = crate::model::evaluate::evaluate(&raised, &outcome.decisions);
                    (Some(e.spend), None)
                }
                Err(Error::Infeasible(_)) => (
                    None,
                    Some(format!(
                        "no plan reaches {} {}",
                        number(target + step),
                        g.key()
                    )),
                ),
                Err(Error::NoPlan { limit, .. }) => {
                    (None, Some(format!("no plan found within {limit}")))
                }
                Err(e) => return Err(e),
            };
            Ok(MarginalCost {
                goal: g,
                target,
                achieved: achieved[g.index()],
                step,
                spend_at_step,
                cost_per_unit: spend_at_step.map(|s2| ((s2 - spend) / step).max(0.0)),
                note,
            })
        })
        .collect()
}
