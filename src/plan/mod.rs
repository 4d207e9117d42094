//! The plan: decisions plus everything a report shows, in one serde struct,
//! and [`solve()`], the library-level solve every command calls (scenario and
//! settings in, checked plan out).
//!
//! [`Plan::new`] is the only place a plan is assembled; it re-checks the
//! decisions with the independent evaluator and refuses a plan that breaks
//! any constraint.

mod binding;
pub mod targets;

pub use binding::Binding;
pub use targets::MarginalCost;

use serde::Serialize;

use crate::error::Error;
use crate::model::evaluate;
use crate::model::{Decisions, GoalKind, Objective, ObjectiveMode, Scenario};
use crate::solve::{self, Outcome, SolveSettings, SolveStatus};
use binding::binding;

/// Totals of the plan (INTERFACE.md `totals`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    /// Unique reach A, after audience caps.
    pub reach: f64,
    /// Reach before audience caps (overlapping followers counted each time).
    pub reach_raw: f64,
    /// Engagements E.
    pub engagements: f64,
    /// Conversions C.
    pub conversions: f64,
    /// Hires H.
    pub creators: u32,
    /// Posts.
    pub posts: u32,
}

/// Cost ratios (null when the denominator is 0).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kpis {
    /// Spend per thousand unique reach.
    pub cpm: Option<f64>,
    /// Spend per engagement.
    pub cpe: Option<f64>,
    /// Spend per conversion.
    pub cost_per_conversion: Option<f64>,
    /// Money value of the outcomes (values mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Value per unit of spend (values mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_on_spend: Option<f64>,
}

/// One goal's result in weights mode.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalScore {
    /// The goal.
    pub goal: GoalKind,
    /// The normalised weight the goal carries in the objective.
    pub weight: f64,
    /// The plan's total for the goal.
    pub value: f64,
    /// The goal's own optimum G*.
    pub best: f64,
    /// value / best.
    pub attainment: f64,
}

/// A target and what the plan reaches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetMet {
    /// The goal.
    pub goal: GoalKind,
    /// The minimum the scenario sets.
    pub target: f64,
    /// The plan's total for the goal.
    pub achieved: f64,
    /// Whether the plan reaches the target (always, for a plan that
    /// satisfies every constraint).
    pub met: bool,
}

/// A tier's part of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierRow {
    /// Tier name.
    pub tier: String,
    /// Hires in the tier.
    pub creators: u32,
    /// Posts in the tier.
    pub posts: u32,
    /// Spend on the tier.
    pub spend: f64,
    /// Share of total spend.
    pub share: f64,
}

/// A platform's part of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlatformRow {
    /// Platform name.
    pub platform: String,
    /// Hires on the platform.
    pub creators: u32,
    /// Posts on the platform.
    pub posts: u32,
    /// Spend on the platform.
    pub spend: f64,
    /// Share of total spend.
    pub share: f64,
}

/// A hired creator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreatorRow {
    /// Handle.
    pub handle: String,
    /// Tier.
    pub tier: String,
    /// Platform.
    pub platform: String,
    /// Followers.
    pub followers: f64,
    /// Posts bought.
    pub posts: u32,
    /// Fee plus posts.
    pub spend: f64,
    /// Expected reach before audience caps.
    pub reach: f64,
    /// Expected engagements.
    pub engagements: f64,
    /// Expected conversions.
    pub conversions: f64,
    /// Niche labels.
    pub niches: Vec<String>,
    /// Audience group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
}

/// Hires from a pool.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoolRow {
    /// Pool name.
    pub name: String,
    /// Tier.
    pub tier: String,
    /// Platform.
    pub platform: String,
    /// Creators hired.
    pub hired: u32,
    /// Creators available.
    pub available: u32,
    /// Posts in total.
    pub posts: u32,
    /// Spend.
    pub spend: f64,
    /// Expected reach before audience caps.
    pub reach: f64,
    /// Expected engagements.
    pub engagements: f64,
    /// Expected conversions.
    pub conversions: f64,
}

/// Which solver produced the plan and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SolverInfo {
    /// The solvers that settled the plan: `bnb` (creatormix's own branch
    /// and bound), `highs` or `microlp`, joined by `+` when the MILP solver
    /// took over from the engine.
    pub name: String,
    /// Wall-clock seconds of all solves, model building included.
    pub seconds: f64,
    /// Seconds of those spent building the model: the program, and handing it
    /// to the solver for each MILP (summed over MILPs, which may run in parallel).
    pub build_seconds: f64,
    /// Relative gap of the final solve (null when the time limit passed before any bound was proven).
    pub gap: Option<f64>,
    /// MILPs solved (the G* solves and the final one).
    pub solves: usize,
    /// The MIP gap asked for.
    pub mip_gap: f64,
    /// The time limit, if any.
    pub time_limit: Option<f64>,
    /// The node limit (`--node-limit`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_limit: Option<u64>,
}

/// An optimal (or time-limited) plan with its explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// Scenario name.
    pub scenario: String,
    /// Currency code (display only).
    pub currency: String,
    /// `optimal`, `time_limit` or `node_limit`.
    pub status: SolveStatus,
    /// The objective of MODEL.md.
    pub objective: f64,
    /// `weights`, `values` or `minimize_spend`.
    pub objective_mode: ObjectiveMode,
    /// The budget.
    pub budget: f64,
    /// The spend.
    pub spend: f64,
    /// Totals.
    pub totals: Totals,
    /// Cost ratios.
    pub kpis: Kpis,
    /// Per-goal attainment (weights mode).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<GoalScore>,
    /// Spend by tier (every tier on offer).
    pub tiers: Vec<TierRow>,
    /// Spend by platform (every platform on offer).
    pub platforms: Vec<PlatformRow>,
    /// Hired creators.
    pub creators: Vec<CreatorRow>,
    /// Pool hires (every pool).
    pub pools: Vec<PoolRow>,
    /// The constraints that shape the plan.
    pub binding: Vec<Binding>,
    /// The solver.
    pub solver: SolverInfo,
    /// Every target the scenario sets, and what the plan reaches.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<TargetMet>,
    /// Target mode: what one more unit of each target costs (filled by
    /// [`targets::marginal_costs`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub marginal_costs: Vec<MarginalCost>,
    /// Weights mode: goals whose G* solve stopped before proving its best;
    /// their proven bound serves as G* (so no objective exceeds 1 and no
    /// goal is attained above 100%), and the gap includes the difference.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unproven_bests: Vec<solve::Unproven>,
    /// What the reader must know before using the plan (e.g. a values goal
    /// whose outcomes are worth less than they cost).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// What else the plan could have been, tier by tier (filled by the
    /// `solve` command; see `explore::alternatives`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Alternative>,
    /// Weights mode: how far the scenario's weighting is from the nearest
    /// weighting where another plan is optimal (filled by the `solve`
    /// command; see `explore::regions`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_margin: Option<WeightMargin>,
    /// The decisions, in scenario order.
    #[serde(skip)]
    pub decisions: Decisions,
}

/// Whether an alternative leaves a tier out or brings one in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AlternativeKind {
    /// The best plan without any creator of a tier the plan hires.
    Without,
    /// The best plan with at least one creator of a tier the plan leaves out.
    With,
}

/// How far a weighting is from the nearest border of its region: the
/// least weight that, moved from one goal to another, changes the optimal
/// plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightMargin {
    /// The weight moved.
    pub shift: f64,
    /// The goal it is taken from.
    pub from: GoalKind,
    /// The goal it is given to.
    pub to: GoalKind,
    /// The region (numbered from 1, as in the table of `regions`) whose
    /// plan is optimal beyond the border; absent in `solve`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<usize>,
    /// The mix of the plan beyond the border.
    pub mix: String,
}

/// The best plan under one more condition on a tier, and what it costs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alternative {
    /// `without mega`, `with macro`.
    pub question: String,
    /// The tier.
    pub tier: String,
    /// Without the tier, or with it.
    pub kind: AlternativeKind,
    /// `optimal`, `time_limit`, `infeasible` or `no_plan`.
    pub status: String,
    /// Its objective, on the plan's own scale (weights: the nominal G*).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objective: Option<f64>,
    /// Its objective minus the plan's: below 0 is worse when maximising,
    /// above 0 is dearer in target mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<f64>,
    /// Its spend.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spend: Option<f64>,
    /// Its totals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totals: Option<Totals>,
    /// Its mix, e.g. `24 micro + 1 macro`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mix: Option<String>,
    /// Why it has no plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Plan {
    /// `24 micro`, `1 macro`: hires per tier hired.
    pub fn mix_parts(&self) -> Vec<String> {
        self.tiers
            .iter()
            .filter(|t| t.creators > 0)
            .map(|t| format!("{} {}", t.creators, t.tier))
            .collect()
    }

    /// `24 micro + 1 macro`: hires per tier, or `nobody`.
    pub fn mix(&self) -> String {
        let parts = self.mix_parts();
        if parts.is_empty() {
            "nobody".into()
        } else {
            parts.join(" + ")
        }
    }

    /// The tier with the largest spend, if any money is spent.
    pub fn largest_tier(&self) -> Option<&str> {
        self.tiers
            .iter()
            .filter(|t| t.spend > 0.0)
            .max_by(|a, b| a.spend.total_cmp(&b.spend))
            .map(|t| t.tier.as_str())
    }
}

impl Plan {
    /// A note for the user on a plan that is not proven optimal: which
    /// solver stopped, which goal's best is unproven, and what may prove it.
    pub fn note(&self) -> Option<String> {
        let (mut note, raise) = match self.status {
            SolveStatus::Optimal => return None,
            SolveStatus::TimeLimit => (
                format!(
                    "{} stopped at the {} s time limit before proving this plan optimal",
                    self.solver.name,
                    self.solver.time_limit.unwrap_or_default()
                ),
                "--time-limit",
            ),
            SolveStatus::NodeLimit => (
                format!(
                    "{} stopped at the limit of {} before proving this plan optimal",
                    self.solver.name,
                    crate::format::count(self.solver.node_limit.unwrap_or_default(), "node")
                ),
                "--node-limit",
            ),
        };
        for u in &self.unproven_bests {
            note.push_str(&format!(
                "; the best {} found is {}, proven at most {} (used as its best)",
                u.goal,
                crate::format::number(u.found),
                crate::format::number(u.bound)
            ));
        }
        if solve::Backend::named("highs").is_none() {
            note.push_str(&format!(
                "; raise {raise}, or build with `--features highs`"
            ));
        } else {
            note.push_str(&format!("; raise {raise}"));
        }
        Some(note)
    }
}

fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator > 0.0).then(|| numerator / denominator)
}

impl Plan {
    /// Assembles the plan of a solver outcome, after the independent check.
    pub fn new(s: &Scenario, outcome: &Outcome, mip_gap: f64) -> Result<Plan, Error> {
        let d = &outcome.decisions;
        let e = evaluate::evaluate(s, d);
        let violations = evaluate::check(s, d, &e);
        if !violations.is_empty() {
            let text: Vec<String> = violations.iter().map(|v| v.message.clone()).collect();
            return Err(Error::Check(text.join("; ")));
        }
        let objective = evaluate::objective(s, &e, outcome.best);
        // The solver's objective never exceeds the evaluated one: audience caps
        // can only leave the solver's unique reach below the true one. Spend
        // (target mode) has no caps, so the two must agree.
        let tolerance = 1e-5 * objective.abs().max(1.0);
        let off = match s.objective {
            Objective::MinimiseSpend => (outcome.objective - objective).abs() > tolerance,
            _ => outcome.objective > objective + tolerance,
        };
        if off {
            return Err(Error::Check(format!(
                "the solver's objective {} exceeds the evaluated objective {objective}",
                outcome.objective
            )));
        }
        let values = match &s.objective {
            Objective::Values(v) | Objective::Profit(v) => Some(e.value(v)),
            Objective::Weights(_) | Objective::MinimiseSpend => None,
        };
        let kpis = Kpis {
            cpm: ratio(e.spend * 1000.0, e.awareness),
            cpe: ratio(e.spend, e.engagements),
            cost_per_conversion: ratio(e.spend, e.conversions),
            value: values,
            return_on_spend: values.and_then(|v| ratio(v, e.spend)),
        };
        let goals = match (&s.objective, outcome.best) {
            (Objective::Weights(_), Some(best)) => match s.goal(Some(best)) {
                crate::model::Goal::Normalised { weights, .. } => GoalKind::ALL
                    .iter()
                    .filter(|g| weights[g.index()] > 0.0)
                    .map(|g| GoalScore {
                        goal: *g,
                        weight: weights[g.index()],
                        value: e.goal(*g),
                        best: best[g.index()],
                        attainment: ratio(e.goal(*g), best[g.index()]).unwrap_or(0.0),
                    })
                    .collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let tiers = (0..s.tiers.len())
            .filter(|&t| s.offers_in(t) || e.tier_creators[t] > 0)
            .map(|t| TierRow {
                tier: s.tier_name(t).to_string(),
                creators: e.tier_creators[t],
                posts: e.tier_posts[t],
                spend: e.tier_spend[t],
                share: ratio(e.tier_spend[t], e.spend).unwrap_or(0.0),
            })
            .collect();
        let platforms = (0..s.platforms.len())
            .filter(|&p| e.platform_creators[p] > 0 || s.offers_on(p))
            .map(|p| PlatformRow {
                platform: s.platform_name(p).to_string(),
                creators: e.platform_creators[p],
                posts: e.platform_posts[p],
                spend: e.platform_spend[p],
                share: ratio(e.platform_spend[p], e.spend).unwrap_or(0.0),
            })
            .collect();
        let creators = s
            .creators
            .iter()
            .zip(&d.posts)
            .filter(|(_, n)| **n > 0)
            .map(|(c, &n)| {
                let k = s.decay_sum(n);
                CreatorRow {
                    handle: c.handle.clone(),
                    tier: s.tier_name(c.tier).to_string(),
                    platform: s.platform_name(c.platform).to_string(),
                    followers: c.audience.followers,
                    posts: n,
                    spend: c.cost(n),
                    reach: c.audience.reach() * k,
                    engagements: c.audience.engagements() * k,
                    conversions: c.audience.conversions() * k,
                    niches: c.niches.iter().map(|&i| s.niches[i].clone()).collect(),
                    audience: c.group.map(|g| s.audiences[g].id.clone()),
                }
            })
            .collect();
        let pools = s
            .pools
            .iter()
            .zip(&d.hires)
            .map(|(p, &z)| {
                let k = s.decay_sum(p.posts) * f64::from(z);
                PoolRow {
                    name: p.name.clone(),
                    tier: s.tier_name(p.tier).to_string(),
                    platform: s.platform_name(p.platform).to_string(),
                    hired: z,
                    available: p.available,
                    posts: z * p.posts,
                    spend: p.cost_per_hire() * f64::from(z),
                    reach: p.audience.reach() * k,
                    engagements: p.audience.engagements() * k,
                    conversions: p.audience.conversions() * k,
                }
            })
            .collect();
        let warnings: Vec<String> = kpis
            .return_on_spend
            .filter(|r| *r < 1.0)
            .map(|r| match s.objective {
                Objective::Profit(_) => format!(
                    "the outcomes are valued at {} per unit of spend: the plan loses money, because the limits force hires (required creators, minimums, targets) that cost more than they earn",
                    crate::format::number(r)
                ),
                _ => format!(
                    "the outcomes are valued at {} per unit of spend: less than they cost. A values goal buys the most value the budget allows, not the most profit; add `maximize: profit` to the goal to buy only what pays back, or check the values",
                    crate::format::number(r)
                ),
            })
            .into_iter()
            .collect();
        Ok(Plan {
            scenario: s.name.clone(),
            currency: s.currency.clone(),
            status: outcome.status,
            objective,
            objective_mode: s.objective.mode(),
            budget: s.budget,
            spend: e.spend,
            totals: Totals {
                reach: e.awareness,
                reach_raw: e.reach_raw,
                engagements: e.engagements,
                conversions: e.conversions,
                creators: e.creators,
                posts: e.posts,
            },
            kpis,
            goals,
            targets: GoalKind::ALL
                .into_iter()
                .filter_map(|g| {
                    let target = s.targets[g.index()]?;
                    let achieved = e.goal(g);
                    Some(TargetMet {
                        goal: g,
                        target,
                        achieved,
                        met: evaluate::reaches(achieved, target),
                    })
                })
                .collect(),
            tiers,
            platforms,
            creators,
            pools,
            warnings,
            binding: binding(s, d, &e),
            alternatives: Vec::new(),
            weight_margin: None,
            solver: SolverInfo {
                name: outcome.solver.clone(),
                seconds: outcome.seconds,
                build_seconds: outcome.build_seconds,
                gap: outcome.gap.is_finite().then_some(outcome.gap),
                solves: outcome.solves,
                mip_gap,
                time_limit: outcome.time_limit,
                node_limit: outcome.node_limit,
            },
            marginal_costs: Vec::new(),
            unproven_bests: outcome.unproven.clone(),
            decisions: d.clone(),
        })
    }
}

/// The plan of a scenario: its optimum under the settings, checked by the
/// independent evaluator, with the marginal cost of each target in target
/// mode. Every command that shows a scenario's plan gets it here.
pub fn solve(s: &Scenario, settings: &SolveSettings) -> Result<Plan, Error> {
    let outcome = solve::optimise(s, settings)?;
    let mut plan = Plan::new(s, &outcome, settings.mip_gap)?;
    price_targets(s, settings, &mut plan)?;
    Ok(plan)
}

/// In target mode, fills the plan's marginal costs (see [`targets::marginal_costs`]);
/// otherwise leaves it as it is.
pub fn price_targets(s: &Scenario, settings: &SolveSettings, plan: &mut Plan) -> Result<(), Error> {
    if s.objective == Objective::MinimiseSpend {
        let t = &plan.totals;
        let achieved = [t.reach, t.engagements, t.conversions];
        let proven = plan.status == SolveStatus::Optimal;
        plan.marginal_costs = targets::marginal_costs(s, settings, plan.spend, achieved, proven)?;
    }
    Ok(())
}
