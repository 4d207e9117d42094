//! `creatormix regions`: the exact map of goal weightings. For two or three
//! named goals (the others at weight 0), the simplex of their weights is
//! split into regions, one per plan that is optimal for some weighting, by
//! weight-space decomposition over the supported points of the goal space:
//! each goal is scaled by its nominal best G* (MODEL.md), a plan's point is
//! its vector of scaled goals y, and its region is every weighting λ under
//! which λ·y is at least every other known point's. Each vertex of each
//! region is confirmed by an exact solve at that weighting; a solve that
//! beats the region's plan there adds a point and the regions are drawn
//! again. When every vertex is confirmed, every region is exact: its plan is
//! optimal (to the MIP gap) at every weighting inside it, as the optimum is
//! convex in λ and each region's plan attains it at every vertex.

use rayon::prelude::*;
use serde::Serialize;

use crate::error::Error;
use crate::model::evaluate::evaluate;
use crate::model::{Decisions, Goal, GoalKind, Objective, Scenario};
use crate::plan::{Plan, WeightMargin};
use crate::solve::{self, Outcome, Run, SolveSettings, SolveStatus};

/// Weightings closer than this (in weight units) are one.
const SAME_WEIGHT: f64 = 1e-9;

/// A region's share of the simplex below which it is a border, not a region.
const THIN: f64 = 1e-9;

/// One plan's region of weightings.
#[derive(Debug, Clone, Serialize)]
pub struct Region {
    /// The region's corners: each a weighting of the named goals (in their
    /// order), summing to 1. Two goals: the ends of an interval; three: a
    /// convex polygon, counter-clockwise.
    pub vertices: Vec<Vec<f64>>,
    /// The region's centre (the mean of its corners), a weighting inside it.
    pub centre: Vec<f64>,
    /// Its share of the simplex (its length with two goals, its area
    /// relative to the triangle's with three).
    pub share: f64,
    /// The plan's total of each named goal.
    pub values: Vec<f64>,
    /// Each total as a share of the goal's best (G*).
    pub attainment: Vec<f64>,
    /// The plan, with its objective at the region's centre.
    pub plan: Plan,
}

/// The scenario's own weighting on the map.
#[derive(Debug, Clone, Serialize)]
pub struct Placement {
    /// Its weights of the named goals, rescaled to sum 1.
    pub weights: Vec<f64>,
    /// The region it lies in, numbered from 1.
    pub region: usize,
    /// How far it is from the nearest border (none when one plan is
    /// optimal for every weighting).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<WeightMargin>,
    /// Weight the scenario gives to goals left off the map, which the map
    /// sets to 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unmapped_weight: Option<f64>,
}

/// The least weight that, moved from one goal to another, takes `lambda`
/// out of the region of the point `y` among `others`: for each direction
/// (from goal i to goal j), the first other point to tie with `y`, if that
/// comes before goal i's weight runs out. `None` if no direction leaves the
/// region. Returns the shift, the goal indices and the other point's index.
pub fn nearest_border(
    lambda: &[f64],
    y: &[f64],
    others: &[&[f64]],
) -> Option<(f64, usize, usize, usize)> {
    let k = lambda.len();
    let mut nearest: Option<(f64, usize, usize, usize)> = None;
    for i in 0..k {
        for j in (0..k).filter(|&j| j != i) {
            for (q, other) in others.iter().enumerate() {
                let d: Vec<f64> = y.iter().zip(other.iter()).map(|(a, b)| a - b).collect();
                let gap = dot(&d, lambda);
                let rate = d[i] - d[j];
                if rate <= 0.0 || gap < 0.0 {
                    continue;
                }
                let shift = gap / rate;
                if shift <= lambda[i] + SAME_WEIGHT && nearest.is_none_or(|(best, ..)| shift < best)
                {
                    nearest = Some((shift, i, j, q));
                }
            }
        }
    }
    nearest
}

/// The map of weightings.
#[derive(Debug, Clone, Serialize)]
pub struct Regions {
    /// Scenario name.
    pub scenario: String,
    /// Currency code.
    pub currency: String,
    /// The named goals, in the order given.
    pub goals: Vec<GoalKind>,
    /// Each named goal's best G* on the nominal scenario.
    pub best: Vec<f64>,
    /// The regions, by the first goal's weight at their centre, highest first.
    pub regions: Vec<Region>,
    /// Exact solves it took (the G* solves included).
    pub solves: usize,
    /// Tier names in market order.
    pub tiers: Vec<String>,
    /// The solvers that settled the solves.
    pub solver: String,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// The scenario's own weighting on the map (none when its goal is
    /// stated in money or as targets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario_weights: Option<Placement>,
}

/// A known point of the goal space: a plan and its scaled goals.
#[derive(Clone)]
struct Known {
    decisions: Decisions,
    y: Vec<f64>,
}

/// `a·b`.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The corners of the simplex of `k` weights.
fn simplex(k: usize) -> Vec<Vec<f64>> {
    (0..k)
        .map(|i| (0..k).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect()
}

/// A convex polygon (or interval) of weightings cut by `d·λ ≥ 0`
/// (Sutherland–Hodgman on the simplex's plane).
fn clip(polygon: &[Vec<f64>], d: &[f64]) -> Vec<Vec<f64>> {
    let n = polygon.len();
    if n == 0 {
        return Vec::new();
    }
    let side: Vec<f64> = polygon.iter().map(|v| dot(d, v)).collect();
    let scale = d.iter().fold(0.0f64, |m, x| m.max(x.abs())).max(1e-300);
    let inside = |s: f64| s >= -1e-12 * scale;
    let mut out: Vec<Vec<f64>> = Vec::new();
    // An interval has one edge; a polygon closes on itself.
    let edges = if n == 2 { 1 } else { n };
    if n == 1 {
        return if inside(side[0]) {
            polygon.to_vec()
        } else {
            Vec::new()
        };
    }
    for i in 0..edges {
        let j = (i + 1) % n;
        let (a, b) = (&polygon[i], &polygon[j]);
        let (sa, sb) = (side[i], side[j]);
        if inside(sa) {
            out.push(a.clone());
        }
        if (sa > 0.0 && sb < 0.0) || (sa < 0.0 && sb > 0.0) {
            let t = sa / (sa - sb);
            out.push(a.iter().zip(b).map(|(x, y)| x + t * (y - x)).collect());
        }
        if n == 2 && inside(sb) {
            out.push(b.clone());
        }
    }
    // Corners that coincide are one.
    let mut unique: Vec<Vec<f64>> = Vec::new();
    for v in out {
        if !unique.iter().any(|u| distance(u, &v) < SAME_WEIGHT) {
            unique.push(v);
        }
    }
    unique
}

/// The Euclidean distance between two weightings.
fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

/// A region's share of the simplex: an interval's length, or a polygon's
/// area over the triangle's (the first two weights span the plane).
fn share(polygon: &[Vec<f64>], k: usize) -> f64 {
    match (k, polygon.len()) {
        (_, 0 | 1) => 0.0,
        (2, _) => (polygon[0][0] - polygon[1][0]).abs(),
        _ => {
            let n = polygon.len();
            let twice: f64 = (0..n)
                .map(|i| {
                    let (a, b) = (&polygon[i], &polygon[(i + 1) % n]);
                    a[0] * b[1] - b[0] * a[1]
                })
                .sum();
            // The triangle (1,0),(0,1),(0,0) has area 1/2.
            twice.abs()
        }
    }
}

/// The region of point `p` among `known`: the weightings where no known
/// point beats it.
fn region(known: &[Known], p: usize, k: usize) -> Vec<Vec<f64>> {
    let mut polygon = simplex(k);
    for (q, other) in known.iter().enumerate() {
        if q == p {
            continue;
        }
        let d: Vec<f64> = known[p]
            .y
            .iter()
            .zip(&other.y)
            .map(|(a, b)| a - b)
            .collect();
        polygon = clip(&polygon, &d);
        if polygon.is_empty() {
            break;
        }
    }
    // Counter-clockwise in the first two weights.
    if k == 3 && polygon.len() > 2 {
        let c = centre(&polygon);
        polygon.sort_by(|a, b| {
            let angle = |v: &Vec<f64>| (v[1] - c[1]).atan2(v[0] - c[0]);
            angle(a).total_cmp(&angle(b))
        });
    }
    polygon
}

/// The mean of a polygon's corners.
fn centre(polygon: &[Vec<f64>]) -> Vec<f64> {
    let n = polygon.len().max(1) as f64;
    let k = polygon.first().map_or(0, Vec::len);
    (0..k)
        .map(|i| polygon.iter().map(|v| v[i]).sum::<f64>() / n)
        .collect()
}

/// The weights of all three goals for a weighting of the named ones.
fn full_weights(goals: &[GoalKind], lambda: &[f64]) -> [f64; 3] {
    let mut w = [0.0; 3];
    for (g, l) in goals.iter().zip(lambda) {
        w[g.index()] = *l;
    }
    w
}

/// Parses `A,B` or `A,B,C` (distinct goal names).
pub fn parse_goals(text: &str) -> Result<Vec<GoalKind>, String> {
    super::frontier::parse_goals(text)
}

/// The weight space of some goals of a scenario, and how to solve at a
/// weighting.
struct Space<'a> {
    s: &'a Scenario,
    program: &'a crate::program::Program,
    backend: solve::Backend,
    /// The solver settings; the time limit applies to each solve.
    settings: &'a SolveSettings,
    goals: &'a [GoalKind],
    best: [f64; 3],
}

impl Space<'_> {
    /// A plan's point: its goals, each scaled by its best.
    fn scaled(&self, d: &Decisions) -> Vec<f64> {
        let e = evaluate(self.s, d);
        self.goals
            .iter()
            .map(|g| e.goal(*g) / self.best[g.index()])
            .collect()
    }

    /// The objective at a weighting of the goals.
    fn goal_at(&self, lambda: &[f64]) -> Goal {
        Goal::Normalised {
            weights: full_weights(self.goals, lambda),
            best: self.best,
        }
    }

    /// Confirms by exact solves every corner of every region of `known`
    /// (of `known[only]` alone, if given), adding each point that beats a
    /// region's plan at one of its corners and drawing the regions again,
    /// until none does. Counts the solves and names their solvers.
    fn confirm(
        &self,
        known: &mut Vec<Known>,
        only: Option<usize>,
        solves: &mut usize,
        solvers: &mut Vec<String>,
    ) -> Result<(), Error> {
        let k = self.goals.len();
        let mut confirmed: Vec<(Vec<f64>, usize)> = Vec::new();
        let tolerance = |value: f64| 2.0 * self.settings.mip_gap * value.abs() + 1e-12;
        loop {
            crate::interrupt::check()?;
            // Every corner of every region not yet confirmed for its plan.
            let mut open: Vec<(Vec<f64>, usize)> = Vec::new();
            for p in (0..known.len()).filter(|p| only.is_none_or(|o| o == *p)) {
                let polygon = region(known, p, k);
                if share(&polygon, k) <= THIN {
                    continue;
                }
                for v in polygon {
                    let done = confirmed
                        .iter()
                        .chain(&open)
                        .any(|(c, q)| *q == p && distance(c, &v) < SAME_WEIGHT);
                    if !done {
                        open.push((v, p));
                    }
                }
            }
            if open.is_empty() {
                return Ok(());
            }
            let starts: Vec<&Decisions> = known.iter().map(|x| &x.decisions).collect();
            let found: Vec<(Decisions, String)> = open
                .par_iter()
                .map(|(v, _)| {
                    crate::interrupt::check()?;
                    let run = Run::new(self.backend, self.settings);
                    let solution =
                        solve::optimise_goal(self.s, self.program, &run, &self.goal_at(v), &starts)?;
                    if solution.status != SolveStatus::Optimal {
                        return Err(Error::Solver(format!(
                            "the solve at weights {} stopped before proving its optimum; raise --time-limit",
                            weights_text(self.goals, v)
                        )));
                    }
                    Ok((solution.decisions, solution.solver))
                })
                .collect::<Result<_, Error>>()?;
            *solves += open.len();
            let mut added = false;
            for ((v, p), (d, solver)) in open.into_iter().zip(found) {
                solvers.push(solver);
                let y = self.scaled(&d);
                let have = dot(&v, &known[p].y);
                let better = dot(&v, &y) > have + tolerance(have);
                if better && !known.iter().any(|x| same_point(&x.y, &y)) {
                    known.push(Known { decisions: d, y });
                    added = true;
                } else {
                    // No point beats this one here (a known point that
                    // seems to is a tie the region's corner accounts for).
                    confirmed.push((v, p));
                }
            }
            if added {
                // Corners move when a point is added: confirm them afresh.
                confirmed.clear();
            }
        }
    }
}

/// The map of weightings of `goals` for a scenario.
pub fn run(s: &Scenario, goals: &[GoalKind], settings: &SolveSettings) -> Result<Regions, Error> {
    let started = std::time::Instant::now();
    let k = goals.len();
    let backend = settings.solver.backend()?;
    let program = backend.program(s);
    let run = Run::new(backend, settings);
    let bests = solve::goal_bests(s, &program, &run, goals)?;
    if let Some(g) = goals.iter().find(|g| bests.best[g.index()] <= 0.0) {
        return Err(Error::Usage(format!(
            "no plan reaches any {g}: its weight cannot matter, so leave it out of --goals"
        )));
    }
    let best: [f64; 3] = bests.best;
    let mut solves = bests.solves;
    let mut solvers: Vec<String> = bests.solvers.clone();
    let space = Space {
        s,
        program: &program,
        backend,
        settings,
        goals,
        best,
    };
    // The G* plans are the first points: each is optimal at its corner.
    let mut known: Vec<Known> = bests
        .plans
        .iter()
        .map(|d| Known {
            y: space.scaled(d),
            decisions: d.clone(),
        })
        .collect();
    dedupe(&mut known);
    space.confirm(&mut known, None, &mut solves, &mut solvers)?;
    let mut regions: Vec<Region> = Vec::new();
    for p in 0..known.len() {
        let polygon = region(&known, p, k);
        let share = share(&polygon, k);
        if share <= THIN {
            continue;
        }
        let centre = centre(&polygon);
        let plan = plan_at(&space, &known[p].decisions, &centre, backend)?;
        let e = evaluate(s, &known[p].decisions);
        let values: Vec<f64> = goals.iter().map(|g| e.goal(*g)).collect();
        regions.push(Region {
            attainment: known[p].y.clone(),
            values,
            vertices: polygon,
            centre,
            share,
            plan,
        });
    }
    regions.sort_by(|a, b| b.centre[0].total_cmp(&a.centre[0]));
    let scenario_weights = place(s, goals, &regions);
    let names: Vec<&str> = solvers.iter().map(String::as_str).collect();
    Ok(Regions {
        scenario: s.name.clone(),
        currency: s.currency.clone(),
        goals: goals.to_vec(),
        best: goals.iter().map(|g| best[g.index()]).collect(),
        regions,
        solves,
        tiers: (0..s.tiers.len())
            .map(|t| s.tier_name(t).to_string())
            .collect(),
        solver: solve::joined(&names),
        seconds: started.elapsed().as_secs_f64(),
        scenario_weights,
    })
}

/// How far the scenario's weighting is from the nearest weighting where
/// another plan is optimal, for `solve`: among the goals it weights (each
/// scaled by its G*, as the plan's objective is), the plan's own region is
/// drawn and its corners confirmed by exact solves, as `regions` does for
/// every region. `None` when fewer than two goals are weighted, the plan is
/// not proven optimal, or it is optimal for every weighting.
pub fn weight_margin(
    s: &Scenario,
    plan: &Plan,
    settings: &SolveSettings,
) -> Result<Option<WeightMargin>, Error> {
    let weighted: Vec<&crate::plan::GoalScore> = plan
        .goals
        .iter()
        .filter(|g| g.weight > 0.0 && g.best > 0.0)
        .collect();
    if weighted.len() < 2 || plan.status != SolveStatus::Optimal {
        return Ok(None);
    }
    let goals: Vec<GoalKind> = weighted.iter().map(|g| g.goal).collect();
    let mut best = [1.0; 3];
    for g in &weighted {
        best[g.goal.index()] = g.best;
    }
    let total: f64 = weighted.iter().map(|g| g.weight).sum();
    let lambda: Vec<f64> = weighted.iter().map(|g| g.weight / total).collect();
    let backend = settings.solver.backend()?;
    let program = backend.program(s);
    let space = Space {
        s,
        program: &program,
        backend,
        settings,
        goals: &goals,
        best,
    };
    let mut known = vec![Known {
        y: space.scaled(&plan.decisions),
        decisions: plan.decisions.clone(),
    }];
    let (mut solves, mut solvers) = (0, Vec::new());
    space.confirm(&mut known, Some(0), &mut solves, &mut solvers)?;
    let others: Vec<&[f64]> = known[1..].iter().map(|x| x.y.as_slice()).collect();
    let Some((shift, i, j, q)) = nearest_border(&lambda, &known[0].y, &others) else {
        return Ok(None);
    };
    let next = plan_at(&space, &known[q + 1].decisions, &lambda, backend)?;
    Ok(Some(WeightMargin {
        shift,
        from: goals[i],
        to: goals[j],
        region: None,
        mix: next.mix_parts().join(" + "),
    }))
}

/// A plan of the space's scenario, its objective at a weighting.
fn plan_at(
    space: &Space,
    decisions: &Decisions,
    lambda: &[f64],
    backend: solve::Backend,
) -> Result<Plan, Error> {
    let s = space.s;
    let mut at = s.clone();
    at.objective = Objective::Weights(full_weights(space.goals, lambda));
    let e = evaluate(s, decisions);
    let outcome = Outcome {
        decisions: decisions.clone(),
        status: SolveStatus::Optimal,
        objective: e.score(space.goal_at(lambda).linear()),
        gap: 0.0,
        best: Some(space.best),
        seconds: 0.0,
        build_seconds: 0.0,
        backend,
        solver: String::new(),
        unproven: Vec::new(),
        solves: 0,
        time_limit: None,
        node_limit: None,
    };
    Plan::new(&at, &outcome, space.settings.mip_gap)
}

/// The scenario's own weighting on a map: its region and its margin.
fn place(s: &Scenario, goals: &[GoalKind], regions: &[Region]) -> Option<Placement> {
    let Objective::Weights(w) = s.objective else {
        return None;
    };
    let named: f64 = goals.iter().map(|g| w[g.index()]).sum();
    let total: f64 = w.iter().sum();
    let weights: Vec<f64> = if named > 0.0 {
        goals.iter().map(|g| w[g.index()] / named).collect()
    } else {
        vec![1.0 / goals.len() as f64; goals.len()]
    };
    let value = |r: &Region| dot(&r.attainment, &weights);
    let region = (0..regions.len())
        .max_by(|&a, &b| value(&regions[a]).total_cmp(&value(&regions[b])))
        .unwrap_or(0);
    let others: Vec<usize> = (0..regions.len()).filter(|&q| q != region).collect();
    let points: Vec<&[f64]> = others
        .iter()
        .map(|&q| regions[q].attainment.as_slice())
        .collect();
    let margin = regions.get(region).and_then(|r| {
        nearest_border(&weights, &r.attainment, &points).map(|(shift, i, j, q)| WeightMargin {
            shift,
            from: goals[i],
            to: goals[j],
            region: Some(others[q] + 1),
            mix: regions[others[q]].plan.mix_parts().join(" + "),
        })
    });
    Some(Placement {
        weights,
        region: region + 1,
        margin,
        unmapped_weight: (total > named + 1e-12).then(|| (total - named) / total),
    })
}

/// Keeps one of each point of the goal space (plans with the same goals).
fn dedupe(known: &mut Vec<Known>) {
    let mut kept: Vec<Known> = Vec::new();
    for x in known.drain(..) {
        if !kept.iter().any(|k| same_point(&k.y, &x.y)) {
            kept.push(x);
        }
    }
    *known = kept;
}

/// Whether two points of the goal space are one (up to round-off).
fn same_point(a: &[f64], b: &[f64]) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1e-12))
}

/// `awareness 0.3, conversions 0.7`.
pub fn weights_text(goals: &[GoalKind], lambda: &[f64]) -> String {
    goals
        .iter()
        .zip(lambda)
        .map(|(g, l)| format!("{g} {l:.4}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_border_is_the_least_weight_moved() {
        // y = (1, 0) against (0, 1): from (0.8, 0.2), moving 0.3 of weight
        // from the first goal to the second reaches the tie at (0.5, 0.5).
        let (shift, i, j, q) = nearest_border(&[0.8, 0.2], &[1.0, 0.0], &[&[0.0, 1.0]]).unwrap();
        assert!((shift - 0.3).abs() < 1e-12);
        assert_eq!((i, j, q), (0, 1, 0));
        // A point that wins everywhere has no border.
        assert!(nearest_border(&[0.8, 0.2], &[1.0, 1.0], &[&[0.0, 0.5]]).is_none());
    }

    #[test]
    fn clipping_keeps_the_side_where_the_point_wins() {
        // Two goals: p = (1, 0), q = (0, 1): p wins where λa ≥ 1/2.
        let interval = clip(&simplex(2), &[1.0, -1.0]);
        assert_eq!(interval.len(), 2);
        let lo = interval.iter().map(|v| v[0]).fold(f64::MAX, f64::min);
        assert!((lo - 0.5).abs() < 1e-12);
        assert!((share(&interval, 2) - 0.5).abs() < 1e-12);
        // Three goals: the half of the triangle where λa ≥ λb.
        let half = clip(&simplex(3), &[1.0, -1.0, 0.0]);
        assert!((share(&half, 3) - 0.5).abs() < 1e-12, "{half:?}");
        // A cut that leaves nothing, and one that leaves everything.
        assert!(clip(&simplex(3), &[-1.0, -1.0, -1.0]).is_empty());
        assert_eq!(clip(&simplex(3), &[1.0, 1.0, 1.0]).len(), 3);
    }
}
