//! `creatormix compare`: several scenarios, or several goal weightings of
//! them, solved side by side (in parallel) for one table of totals, KPIs and
//! tier shares. Objectives are only comparable within one scenario: each
//! variant is scaled by its own G*.

use rayon::prelude::*;
use serde::Serialize;

use super::grid::Solved;
use crate::error::Error;
use crate::model::{GoalKind, Objective, Scenario};
use crate::plan;
use crate::solve::SolveSettings;

/// Goal weights given on the command line: `awareness=0.3,conversions=0.7`.
pub fn parse_weights(text: &str) -> Result<[f64; 3], String> {
    let mut w = [0.0; 3];
    for part in text.split(',') {
        let (goal, value) = part
            .split_once('=')
            .ok_or_else(|| format!("`{part}` is not GOAL=WEIGHT (e.g. awareness=0.3)"))?;
        let g = GoalKind::from_key(goal)?;
        let v: f64 = value
            .trim()
            .parse()
            .map_err(|_| format!("`{value}` is not a number"))?;
        if !(v.is_finite() && v >= 0.0) {
            return Err(format!(
                "the weight of {goal} must be a non-negative number"
            ));
        }
        w[g.index()] = v;
    }
    if w.iter().all(|&x| x == 0.0) {
        return Err(format!("`{text}` gives no goal a positive weight"));
    }
    Ok(w)
}

/// One column of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    /// Column label: the scenario's name, plus the weighting if one was given.
    pub label: String,
    /// The scenario file.
    pub file: String,
    /// The solve.
    #[serde(flatten)]
    pub solved: Solved,
}

/// A whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The variants, scenario by scenario, weighting by weighting.
    pub variants: Vec<Variant>,
    /// Every tier name that occurs, in market order of first appearance.
    pub tiers: Vec<String>,
    /// Every platform name on offer, when several occur.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub platforms: Vec<String>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// Solves every scenario as given, or under each weighting when some are given.
pub fn run(
    scenarios: &[Scenario],
    weightings: &[[f64; 3]],
    settings: &SolveSettings,
) -> Result<Comparison, Error> {
    let started = std::time::Instant::now();
    let mut jobs: Vec<(String, Scenario)> = Vec::new();
    for s in scenarios {
        if weightings.is_empty() {
            jobs.push((s.name.clone(), s.clone()));
        }
        for w in weightings {
            let mut v = s.clone();
            v.objective = Objective::Weights(*w);
            let text: Vec<String> = GoalKind::ALL
                .iter()
                .filter(|g| w[g.index()] > 0.0)
                .map(|g| format!("{} {}", g.key(), w[g.index()]))
                .collect();
            jobs.push((format!("{} ({})", s.name, text.join(", ")), v));
        }
    }
    let variants = jobs
        .into_par_iter()
        .map(|(label, s)| {
            crate::interrupt::check()?;
            let solved = Solved::of(plan::solve(&s, settings))?;
            Ok(Variant {
                label,
                file: s.path.display().to_string(),
                solved,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let mut tiers: Vec<String> = Vec::new();
    for s in scenarios {
        for t in 0..s.tiers.len() {
            let name = s.tier_name(t).to_string();
            if !tiers.contains(&name) {
                tiers.push(name);
            }
        }
    }
    let mut platforms: Vec<String> = Vec::new();
    for s in scenarios {
        for p in (0..s.platforms.len()).filter(|&p| s.offers_on(p)) {
            let name = s.platform_name(p).to_string();
            if !platforms.contains(&name) {
                platforms.push(name);
            }
        }
    }
    if platforms.len() < 2 {
        platforms.clear();
    }
    Ok(Comparison {
        variants,
        tiers,
        platforms,
        seconds: started.elapsed().as_secs_f64(),
    })
}
