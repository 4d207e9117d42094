//! `creatormix sweep`: the optimal plan across budgets (the response curve,
//! the marginal return of each extra unit of budget, and where each tier
//! enters or leaves the mix) or across goal weightings (where the mix flips).
//!
//! Every point reuses the nominal scenario's G* normalisation (MODEL.md), so
//! objectives are comparable along the sweep; points are solved in parallel.

use serde::Serialize;

use super::grid::{self, PointStatus, Range, Solved};
use crate::error::Error;
use crate::model::{GoalKind, Objective, ObjectiveMode, Scenario};

use crate::solve::SolveSettings;

/// One swept goal weight: `GOAL=FROM:TO:STEP`.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightAxis {
    /// The goal whose weight moves.
    pub goal: GoalKind,
    /// Its values, each in [0, 1].
    pub range: Range,
}

impl WeightAxis {
    /// Parses `GOAL=FROM:TO:STEP`, e.g. `conversions=0:1:0.1`.
    pub fn parse(text: &str) -> Result<WeightAxis, String> {
        let (goal, range) = text.split_once('=').ok_or_else(|| {
            format!("`{text}` is not GOAL=FROM:TO:STEP (e.g. conversions=0:1:0.1)")
        })?;
        let goal = GoalKind::from_key(goal)?;
        let range = Range::parse(range)?;
        if range.from < 0.0 || range.to > 1.0 {
            return Err(format!("weights lie in [0, 1], but `{text}` leaves it"));
        }
        Ok(WeightAxis { goal, range })
    }
}

/// What a sweep moves.
#[derive(Debug, Clone, PartialEq)]
pub enum Axis {
    /// The budget.
    Budget(Range),
    /// One or more goal weights (a grid when several).
    Weights(Vec<WeightAxis>),
}

/// What a sweep moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SweepKind {
    /// The budget.
    Budget,
    /// Goal weights.
    Weights,
}

impl SweepKind {
    /// The kind's key in output.
    pub fn as_str(self) -> &'static str {
        match self {
            SweepKind::Budget => "budget",
            SweepKind::Weights => "weights",
        }
    }
}

/// One point of a sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The budget at this point.
    pub budget: f64,
    /// The goal weights at this point (weight sweeps), normalised to sum 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weights: Option<PerGoal>,
    /// The solve.
    #[serde(flatten)]
    pub solved: Solved,
}

/// One number per goal, by name: weights, or G* values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PerGoal {
    /// Weight of unique reach.
    pub awareness: f64,
    /// Weight of engagements.
    pub engagement: f64,
    /// Weight of conversions.
    pub conversions: f64,
}

impl PerGoal {
    fn from_array(w: [f64; 3]) -> PerGoal {
        PerGoal {
            awareness: w[0],
            engagement: w[1],
            conversions: w[2],
        }
    }

    /// As an array indexed by [`GoalKind::index`].
    pub fn to_array(self) -> [f64; 3] {
        [self.awareness, self.engagement, self.conversions]
    }

    /// `awareness 0.3, conversions 0.7` (goals with weight 0 left out).
    pub fn label(self) -> String {
        let parts: Vec<String> = GoalKind::ALL
            .iter()
            .zip(self.to_array())
            .filter(|(_, w)| *w > 0.0)
            .map(|(g, w)| format!("{} {}", g.key(), short(w)))
            .collect();
        parts.join(", ")
    }
}

/// A weight with at most three decimals, for labels.
fn short(x: f64) -> String {
    let text = format!("{x:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn round(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// What an extra unit of budget buys between two neighbouring points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Marginal {
    /// Lower budget.
    pub from: f64,
    /// Higher budget.
    pub to: f64,
    /// Objective gained per extra unit of budget.
    pub objective: f64,
    /// Unique reach per extra unit.
    pub reach: f64,
    /// Engagements per extra unit.
    pub engagements: f64,
    /// Conversions per extra unit.
    pub conversions: f64,
}

/// A tier entering or leaving the mix between two neighbouring points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierChange {
    /// Tier name.
    pub tier: String,
    /// `enters` or `leaves`.
    pub change: &'static str,
    /// Index of the point before the change.
    pub after_point: usize,
    /// Index of the point where the change is seen.
    pub at_point: usize,
    /// Where the change lies, in words (e.g. `budget 40,000 → 45,000`).
    pub between: String,
}

/// The tier with the largest spend changing between two neighbouring points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flip {
    /// Index of the point before the flip.
    pub after_point: usize,
    /// Index of the point after it.
    pub at_point: usize,
    /// Largest tier before.
    pub from_tier: String,
    /// Largest tier after.
    pub to_tier: String,
    /// Where the flip lies, in words.
    pub between: String,
}

/// A whole sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sweep {
    /// Scenario name.
    pub scenario: String,
    /// Currency code.
    pub currency: String,
    /// What the sweep moves.
    pub kind: SweepKind,
    /// `weights`, `values` or `minimize_spend`.
    pub objective_mode: ObjectiveMode,
    /// G* per goal, from the nominal scenario, shared by every point (weights mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best: Option<PerGoal>,
    /// The points, in grid order.
    pub points: Vec<Point>,
    /// Marginal return between neighbouring feasible points (budget sweeps).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub marginal: Vec<Marginal>,
    /// Tiers entering or leaving the mix.
    pub tier_changes: Vec<TierChange>,
    /// Changes of the tier with the largest spend.
    pub flips: Vec<Flip>,
    /// Tier names in market order (the columns of tier shares).
    pub tiers: Vec<String>,
    /// Platform names, when several are on offer (the columns of platform shares).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub platforms: Vec<String>,
    /// The solvers that settled the points (see `SolverInfo::name`).
    pub solver: String,
    /// Wall-clock seconds of the whole sweep.
    pub seconds: f64,
}

impl Sweep {
    /// (budget, objective) of every point with a plan: the response curve.
    pub fn curve(&self) -> Vec<(f64, f64)> {
        self.points
            .iter()
            .filter_map(|p| {
                p.solved
                    .plan
                    .as_ref()
                    .map(|plan| (p.budget, plan.objective))
            })
            .collect()
    }
}

/// The weights of every point of a weight grid: swept goals take their grid
/// values; the other goals share what is left in the scenario's proportions
/// (equally when the scenario gives them no weight). Points whose swept
/// weights add up to more than 1 are skipped; so are points that leave
/// weight over with every goal swept.
pub fn weight_points(base: [f64; 3], axes: &[WeightAxis]) -> Vec<[f64; 3]> {
    let mut combos: Vec<Vec<f64>> = vec![Vec::new()];
    for axis in axes {
        combos = combos
            .into_iter()
            .flat_map(|c| {
                axis.range.values().into_iter().map(move |v| {
                    let mut c = c.clone();
                    c.push(v);
                    c
                })
            })
            .collect();
    }
    let swept: Vec<usize> = axes.iter().map(|a| a.goal.index()).collect();
    let others: Vec<usize> = (0..3).filter(|i| !swept.contains(i)).collect();
    let other_total: f64 = others.iter().map(|&i| base[i]).sum();
    combos
        .into_iter()
        .filter_map(|values| {
            let sum: f64 = values.iter().sum();
            if sum > 1.0 + 1e-9 {
                return None;
            }
            let left = (1.0 - sum).max(0.0);
            let mut w = [0.0; 3];
            for (&i, &v) in swept.iter().zip(&values) {
                w[i] = v;
            }
            if left > 1e-12 {
                if others.is_empty() {
                    return None;
                }
                for &i in &others {
                    w[i] = if other_total > 0.0 {
                        left * base[i] / other_total
                    } else {
                        left / others.len() as f64
                    };
                }
            }
            (w.iter().sum::<f64>() > 0.0).then_some(w.map(round))
        })
        .collect()
}

/// Runs a sweep.
pub fn run(s: &Scenario, axis: &Axis, settings: &SolveSettings) -> Result<Sweep, Error> {
    let started = std::time::Instant::now();
    let backend = settings.solver.backend()?;
    let program = backend.program(s);
    let (kind, points, best) = match axis {
        Axis::Budget(range) => {
            let best = match &s.objective {
                Objective::Weights(w) => {
                    let goals: Vec<GoalKind> = GoalKind::ALL
                        .into_iter()
                        .filter(|g| w[g.index()] > 0.0)
                        .collect();
                    Some(grid::nominal_bests(s, &program, backend, settings, &goals)?)
                }
                _ => None,
            };
            let goal = s.goal(best);
            let budgets = range.values();
            let variants = budgets
                .iter()
                .map(|&b| {
                    let mut v = s.clone();
                    v.budget = b;
                    (v, goal.clone())
                })
                .collect();
            let solved = grid::solve_all(variants, None, backend, settings, best)?;
            let points = budgets
                .into_iter()
                .zip(solved)
                .map(|(budget, solved)| Point {
                    budget,
                    weights: None,
                    solved,
                })
                .collect();
            (SweepKind::Budget, points, best)
        }
        Axis::Weights(axes) => {
            let Objective::Weights(base) = s.objective else {
                return Err(Error::Usage(
                    "--weight sweeps goal weights, but this scenario's goal has no `weights` \
                     (it states `values` or `minimize`)"
                        .into(),
                ));
            };
            let mut seen = [false; 3];
            for a in axes {
                if std::mem::replace(&mut seen[a.goal.index()], true) {
                    return Err(Error::Usage(format!(
                        "--weight {} is given twice",
                        a.goal.key()
                    )));
                }
            }
            let weights = weight_points(base, axes);
            if weights.is_empty() {
                return Err(Error::Usage(
                    "no weighting of this grid adds up to 1; sweep fewer goals or narrower ranges"
                        .into(),
                ));
            }
            let goals: Vec<GoalKind> = GoalKind::ALL
                .into_iter()
                .filter(|g| weights.iter().any(|w| w[g.index()] > 0.0))
                .collect();
            let best = grid::nominal_bests(s, &program, backend, settings, &goals)?;
            let variants = weights
                .iter()
                .map(|&w| {
                    let mut v = s.clone();
                    v.objective = Objective::Weights(w);
                    let goal = v.goal(Some(best));
                    (v, goal)
                })
                .collect();
            let solved = grid::solve_all(variants, Some(&program), backend, settings, Some(best))?;
            let points = weights
                .into_iter()
                .zip(solved)
                .map(|(w, solved)| Point {
                    budget: s.budget,
                    weights: Some(PerGoal::from_array(w)),
                    solved,
                })
                .collect();
            (SweepKind::Weights, points, Some(best))
        }
    };
    let points: Vec<Point> = points;
    if points
        .iter()
        .all(|p| p.solved.status == PointStatus::Infeasible)
    {
        let why = points[0].solved.message.clone().unwrap_or_default();
        return Err(Error::Infeasible(format!(
            "no point of the sweep is feasible; at the first: {why}"
        )));
    }
    let tiers: Vec<String> = (0..s.tiers.len())
        .map(|t| s.tier_name(t).to_string())
        .collect();
    // Neighbours differ in the budget, or in the last swept weight.
    let between = |a: usize, b: usize| match axis {
        Axis::Budget(_) => format!(
            "budget {} → {}",
            crate::format::number(points[a].budget),
            crate::format::number(points[b].budget)
        ),
        Axis::Weights(axes) => {
            let swept = |i: usize| {
                let w = points[i].weights.map(PerGoal::to_array).unwrap_or_default();
                axes.iter()
                    .map(|x| format!("{} {}", x.goal.key(), short(w[x.goal.index()])))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!("{} → {}", swept(a), swept(b))
        }
    };
    let neighbours = neighbours(&points, axis);
    let mut tier_changes = Vec::new();
    let mut flips = Vec::new();
    for &(a, b) in &neighbours {
        let (pa, pb) = (&points[a].solved, &points[b].solved);
        if pa.plan.is_none() || pb.plan.is_none() {
            continue;
        }
        let between = between(a, b);
        for tier in &tiers {
            let (sa, sb) = (pa.tier_share(tier), pb.tier_share(tier));
            let change = match (sa > 0.0, sb > 0.0) {
                (false, true) => "enters",
                (true, false) => "leaves",
                _ => continue,
            };
            tier_changes.push(TierChange {
                tier: tier.clone(),
                change,
                after_point: a,
                at_point: b,
                between: between.clone(),
            });
        }
        if let (Some(x), Some(y)) = (pa.dominant_tier(), pb.dominant_tier())
            && x != y
        {
            flips.push(Flip {
                after_point: a,
                at_point: b,
                from_tier: x.to_string(),
                to_tier: y.to_string(),
                between,
            });
        }
    }
    let marginal = if kind == SweepKind::Budget {
        neighbours
            .iter()
            .filter_map(|&(a, b)| {
                let (x, y) = (
                    points[a].solved.plan.as_ref()?,
                    points[b].solved.plan.as_ref()?,
                );
                let db = points[b].budget - points[a].budget;
                Some(Marginal {
                    from: points[a].budget,
                    to: points[b].budget,
                    objective: (y.objective - x.objective) / db,
                    reach: (y.totals.reach - x.totals.reach) / db,
                    engagements: (y.totals.engagements - x.totals.engagements) / db,
                    conversions: (y.totals.conversions - x.totals.conversions) / db,
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let solver = grid::solved_by(
        points.iter().filter_map(|p| p.solved.plan.as_ref()),
        backend,
    );
    Ok(Sweep {
        scenario: s.name.clone(),
        currency: s.currency.clone(),
        kind,
        objective_mode: s.objective.mode(),
        best: best.map(PerGoal::from_array),
        points,
        marginal,
        tier_changes,
        flips,
        tiers,
        platforms: s.platform_columns(),
        solver,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Pairs of neighbouring points: consecutive budgets; for a weight grid,
/// consecutive points along the last swept weight, the others fixed.
fn neighbours(points: &[Point], axis: &Axis) -> Vec<(usize, usize)> {
    let fixed: Vec<usize> = match axis {
        Axis::Budget(_) => Vec::new(),
        Axis::Weights(axes) => axes[..axes.len() - 1]
            .iter()
            .map(|a| a.goal.index())
            .collect(),
    };
    let key = |p: &Point| -> Vec<f64> {
        let w = p.weights.map(PerGoal::to_array).unwrap_or_default();
        fixed.iter().map(|&i| w[i]).collect()
    };
    (1..points.len())
        .filter(|&i| key(&points[i - 1]) == key(&points[i]))
        .map(|i| (i - 1, i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(text: &str) -> WeightAxis {
        WeightAxis::parse(text).unwrap()
    }

    #[test]
    fn other_weights_keep_their_proportions() {
        let w = weight_points([0.3, 0.2, 0.5], &[axis("conversions=0:1:0.5")]);
        assert_eq!(w, [[0.6, 0.4, 0.0], [0.3, 0.2, 0.5], [0.0, 0.0, 1.0]]);
    }

    #[test]
    fn unweighted_others_share_equally_and_grids_skip_overfull_points() {
        let w = weight_points([1.0, 0.0, 0.0], &[axis("awareness=0.5:1:0.5")]);
        assert_eq!(w, [[0.5, 0.25, 0.25], [1.0, 0.0, 0.0]]);
        let w = weight_points(
            [0.3, 0.2, 0.5],
            &[axis("awareness=0:1:0.5"), axis("engagement=0:1:0.5")],
        );
        // (1, 0.5), (0.5, 1), (1, 1) add up to more than 1.
        assert_eq!(w.len(), 6);
        assert!(w.iter().all(|w| (w.iter().sum::<f64>() - 1.0).abs() < 1e-9));
    }

    #[test]
    fn weight_axes_are_checked() {
        assert!(
            WeightAxis::parse("reach=0:1:0.1")
                .unwrap_err()
                .contains("not a goal")
        );
        assert!(
            WeightAxis::parse("conversions=0:2:0.5")
                .unwrap_err()
                .contains("[0, 1]")
        );
        assert!(WeightAxis::parse("0:1:0.1").unwrap_err().contains("GOAL="));
    }
}
