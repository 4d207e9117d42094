//! The summary of a simulation: what `simulate` prints and `merge`
//! rebuilds, from a run's context and its rows in sample order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::sample::{Realised, ReoptRow, SampleRow};
use super::shard::{Context, Mode, Nominal, RobustContext};
use super::stats::{Summary, Worst, share, summarise};
use super::tornado::Bar;
use crate::model::evaluate::{affords, reaches};
use crate::model::{GoalKind, ObjectiveMode};

/// The summary of a simulation: what `simulate` prints and `merge` rebuilds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Scenario name.
    pub scenario: String,
    /// How the scenario states its goal: the objective's units.
    pub objective_mode: ObjectiveMode,
    /// The scenario's currency code (display only).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub currency: String,
    /// `evaluate` or `reoptimize`.
    pub mode: Mode,
    /// Seed.
    pub seed: u64,
    /// Samples.
    pub samples: u64,
    /// The nominal plan.
    pub nominal: Nominal,
    /// Distribution of each total and of the objective: for the nominal plan
    /// (evaluate) or for each sample's optimum (reoptimize).
    pub metrics: BTreeMap<String, Summary>,
    /// Chance of meeting each target.
    pub targets: Vec<TargetChance>,
    /// Share of samples whose spend exceeds their sampled budget (evaluate).
    pub over_budget: f64,
    /// Its Monte Carlo standard error.
    pub over_budget_se: f64,
    /// Re-optimisation results.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reoptimize: Option<Reoptimization>,
    /// The robust plan beside the nominal one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub robust: Option<RobustReport>,
    /// The tornado: swing of the optimal objective per parameter group, largest first.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tornado: Option<Vec<Bar>>,
}

/// What a selection frequency counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferKind {
    /// A named creator.
    Creator,
    /// A pool of interchangeable creators.
    Pool,
}

impl OfferKind {
    /// The kind's key in output.
    pub fn as_str(self) -> &'static str {
        match self {
            OfferKind::Creator => "creator",
            OfferKind::Pool => "pool",
        }
    }
}

/// Probability that a target is met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetChance {
    /// The goal.
    pub goal: GoalKind,
    /// The target.
    pub target: f64,
    /// Share of samples that meet it.
    pub probability: f64,
    /// Its Monte Carlo standard error, sqrt(p (1 - p) / samples).
    pub probability_se: f64,
    /// How far short the samples that miss it fall (target less outcome),
    /// when the plan is held fixed and some sample misses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortfall: Option<Summary>,
}

/// How often one creator or pool is in a sample's optimum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Selection {
    /// A named creator or a pool.
    pub kind: OfferKind,
    /// Handle or pool name.
    pub name: String,
    /// Tier.
    pub tier: String,
    /// Share of feasible samples whose optimum hires it.
    pub frequency: f64,
    /// Its Monte Carlo standard error, sqrt(f (1 - f) / feasible samples).
    pub frequency_se: f64,
    /// Mean hires (pools) or 1 (creators) when hired.
    pub mean_hired: f64,
    /// Whether the nominal plan hires it.
    pub in_nominal: bool,
}

/// A tier's share of spend across re-optimised samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierShareBand {
    /// Tier.
    pub tier: String,
    /// Summary of the share.
    pub share: Summary,
}

/// A platform's share of spend across re-optimised samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlatformShareBand {
    /// Platform.
    pub platform: String,
    /// Summary of the share.
    pub share: Summary,
}

/// Re-optimisation results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reoptimization {
    /// Samples with a feasible plan.
    pub feasible: u64,
    /// Samples where no plan satisfies the constraints.
    pub infeasible: u64,
    /// Samples where the nominal plan breaks a constraint (e.g. the sampled budget).
    pub nominal_infeasible: u64,
    /// The nominal plan's objective on the samples (expected delivery).
    pub nominal_objective: Summary,
    /// Sample optimum minus the nominal plan's objective, over samples where both are feasible.
    pub regret: Summary,
    /// Selection frequency, most frequent first.
    pub selection: Vec<Selection>,
    /// Tier shares of spend.
    pub tier_share: Vec<TierShareBand>,
    /// Platform shares of spend (scenarios with several platforms).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platform_share: Vec<PlatformShareBand>,
}

/// The robust plan: what it is, and its outcomes on the evaluation samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RobustReport {
    /// The plan and its training comparison.
    pub plan: RobustContext,
    /// Hired creators (handles) and pool hires.
    pub hires: Vec<String>,
    /// Distribution of each total and the objective on the evaluation samples.
    pub metrics: BTreeMap<String, Summary>,
    /// Chance of meeting each target on the evaluation samples.
    #[serde(default)]
    pub targets: Vec<TargetChance>,
    /// Share of samples whose spend exceeds their sampled budget.
    pub over_budget: f64,
    /// Its Monte Carlo standard error.
    pub over_budget_se: f64,
}

/// Where a run's objective is worst: low, or high where it is a cost
/// (target mode minimises spend).
fn objective_worst(context: &Context) -> Worst {
    match context.objective_mode {
        ObjectiveMode::MinimizeSpend => Worst::High,
        _ => Worst::Low,
    }
}

/// Summaries of reach, engagements, conversions, spend and objective, from
/// one `[reach, engagements, conversions, spend, objective]` per sample.
fn summarise_totals(
    samples: impl Iterator<Item = [f64; 5]>,
    objective: Worst,
) -> BTreeMap<String, Summary> {
    let samples: Vec<[f64; 5]> = samples.collect();
    let names = ["reach", "engagements", "conversions", "spend", "objective"];
    names
        .iter()
        .enumerate()
        .map(|(k, name)| {
            // Spend is a cost: its worst samples are the highest.
            let worst = match *name {
                "spend" => Worst::High,
                "objective" => objective,
                _ => Worst::Low,
            };
            let column: Vec<f64> = samples.iter().map(|x| x[k]).collect();
            (name.to_string(), summarise(&column, worst))
        })
        .collect()
}

/// The chance of meeting each target, from `[reach, engagements,
/// conversions]` per sample; with the shortfalls of the samples that miss
/// it where `shortfalls` (a plan held fixed).
fn target_chances(context: &Context, outcomes: &[[f64; 3]], shortfalls: bool) -> Vec<TargetChance> {
    context
        .targets
        .iter()
        .map(|(goal, target)| {
            let k = goal.index();
            let missed: Vec<f64> = outcomes
                .iter()
                .filter(|o| !reaches(o[k], *target))
                .map(|o| target - o[k])
                .collect();
            let (probability, probability_se) =
                share(outcomes.len() - missed.len(), outcomes.len());
            TargetChance {
                goal: *goal,
                target: *target,
                probability,
                probability_se,
                shortfall: (shortfalls && !missed.is_empty())
                    .then(|| summarise(&missed, Worst::High)),
            }
        })
        .collect()
}

/// The summary of a complete, index-ordered set of rows.
pub fn report(context: &Context, rows: &[SampleRow]) -> Report {
    let worst = objective_worst(context);
    let feasible: Vec<&SampleRow> = rows
        .iter()
        .filter(|r| r.reoptimized.as_ref().is_none_or(|d| d.feasible))
        .collect();
    let metrics = summarise_totals(
        feasible
            .iter()
            .map(|r| [r.reach, r.engagements, r.conversions, r.spend, r.objective]),
        worst,
    );
    let evaluated = context.mode == Mode::Evaluate;
    let outcomes: Vec<[f64; 3]> = rows
        .iter()
        .map(|r| [r.reach, r.engagements, r.conversions])
        .collect();
    let targets = target_chances(context, &outcomes, evaluated);
    let (over_budget, over_budget_se) = share(
        rows.iter().filter(|r| !affords(r.spend, r.budget)).count(),
        rows.len(),
    );
    let reoptimize = (context.mode == Mode::Reoptimize).then(|| reopt_summary(context, rows));
    let robust = context.robust.as_ref().map(|plan| {
        let realised: Vec<(&SampleRow, &Realised)> = rows
            .iter()
            .filter_map(|r| r.robust.as_deref().map(|x| (r, x)))
            .collect();
        let metrics = summarise_totals(
            realised
                .iter()
                .map(|(_, x)| [x.reach, x.engagements, x.conversions, x.spend, x.objective]),
            worst,
        );
        let outcomes: Vec<[f64; 3]> = realised
            .iter()
            .map(|(_, x)| [x.reach, x.engagements, x.conversions])
            .collect();
        let targets = target_chances(context, &outcomes, true);
        let over = realised
            .iter()
            .filter(|(r, x)| !affords(x.spend, r.budget))
            .count();
        let mut hires: Vec<String> = plan
            .posts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(j, n)| {
                format!(
                    "{} ({n} post{})",
                    context.creators[j].0,
                    if *n == 1 { "" } else { "s" }
                )
            })
            .collect();
        hires.extend(
            plan.hires
                .iter()
                .enumerate()
                .filter(|(_, z)| **z > 0)
                .map(|(t, z)| format!("{} x{z}", context.pools[t].0)),
        );
        let (over_budget, over_budget_se) = share(over, realised.len());
        RobustReport {
            plan: plan.clone(),
            hires,
            metrics,
            targets,
            over_budget,
            over_budget_se,
        }
    });
    Report {
        scenario: context.scenario.clone(),
        objective_mode: context.objective_mode,
        currency: context.currency.clone(),
        mode: context.mode,
        seed: context.seed,
        samples: context.samples,
        nominal: context.nominal.clone(),
        metrics,
        targets,
        over_budget,
        over_budget_se,
        reoptimize,
        robust,
        tornado: context.tornado.clone(),
    }
}

fn reopt_summary(context: &Context, rows: &[SampleRow]) -> Reoptimization {
    let details: Vec<&ReoptRow> = rows
        .iter()
        .filter_map(|r| r.reoptimized.as_deref())
        .collect();
    let feasible: Vec<&ReoptRow> = details.iter().copied().filter(|d| d.feasible).collect();
    let mut creator_count = vec![0usize; context.creators.len()];
    let mut pool_count = vec![0usize; context.pools.len()];
    let mut pool_total = vec![0u64; context.pools.len()];
    for d in &feasible {
        for &j in &d.hired {
            creator_count[j as usize] += 1;
        }
        for (t, &z) in d.pool_hires.iter().enumerate() {
            if z > 0 {
                pool_count[t] += 1;
                pool_total[t] += u64::from(z);
            }
        }
    }
    let mut selection: Vec<Selection> = Vec::new();
    for (j, (name, tier)) in context.creators.iter().enumerate() {
        let in_nominal = context.nominal.posts.get(j).is_some_and(|&n| n > 0);
        if creator_count[j] > 0 || in_nominal {
            let (frequency, frequency_se) = share(creator_count[j], feasible.len());
            selection.push(Selection {
                kind: OfferKind::Creator,
                name: name.clone(),
                tier: tier.clone(),
                frequency,
                frequency_se,
                mean_hired: if creator_count[j] > 0 { 1.0 } else { 0.0 },
                in_nominal,
            });
        }
    }
    for (t, (name, tier)) in context.pools.iter().enumerate() {
        let in_nominal = context.nominal.hires.get(t).is_some_and(|&z| z > 0);
        if pool_count[t] > 0 || in_nominal {
            let (frequency, frequency_se) = share(pool_count[t], feasible.len());
            selection.push(Selection {
                kind: OfferKind::Pool,
                name: name.clone(),
                tier: tier.clone(),
                frequency,
                frequency_se,
                mean_hired: if pool_count[t] > 0 {
                    pool_total[t] as f64 / pool_count[t] as f64
                } else {
                    0.0
                },
                in_nominal,
            });
        }
    }
    selection.sort_by(|a, b| {
        b.frequency
            .total_cmp(&a.frequency)
            .then_with(|| a.name.cmp(&b.name))
    });
    // Each name's share of the spend a sample's plan puts on it.
    let bands = |names: &[String], spend: &dyn Fn(&ReoptRow) -> &[f64]| {
        names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let shares: Vec<f64> = feasible
                    .iter()
                    .map(|d| {
                        let spend = spend(d);
                        let total: f64 = spend.iter().sum();
                        match spend.get(i) {
                            Some(part) if total > 0.0 => part / total,
                            _ => 0.0,
                        }
                    })
                    .collect();
                (name.clone(), summarise(&shares, Worst::Low))
            })
            .filter(|(_, share)| share.mean > 0.0 || share.p95 > 0.0)
            .collect::<Vec<_>>()
    };
    let tier_share = bands(&context.tiers, &|d| &d.tier_spend)
        .into_iter()
        .map(|(tier, share)| TierShareBand { tier, share })
        .collect();
    let platform_share = bands(&context.platforms, &|d| &d.platform_spend)
        .into_iter()
        .map(|(platform, share)| PlatformShareBand { platform, share })
        .collect();
    Reoptimization {
        feasible: feasible.len() as u64,
        infeasible: (details.len() - feasible.len()) as u64,
        nominal_infeasible: details.iter().filter(|d| !d.nominal_feasible).count() as u64,
        nominal_objective: summarise(
            &details
                .iter()
                .map(|d| d.nominal_objective)
                .collect::<Vec<_>>(),
            objective_worst(context),
        ),
        regret: summarise(
            &feasible.iter().filter_map(|d| d.regret).collect::<Vec<_>>(),
            Worst::High,
        ),
        selection,
        tier_share,
        platform_share,
    }
}
