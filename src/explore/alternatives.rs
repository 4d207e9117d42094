//! What else the plan could have been: for each tier the plan hires, the
//! best plan without any of its creators; for each tier on offer that it
//! leaves out, the best plan with at least one. Each is solved exactly, in
//! parallel, under the scenario's own objective (weights scaled by the
//! plan's G*), so its objective and its difference from the plan compare
//! directly: the price of forcing or forbidding a tier.

use crate::error::Error;
use crate::model::{NicheMinimum, Scenario};
use crate::plan::{Alternative, AlternativeKind, Plan};
use crate::solve::SolveSettings;

use super::grid::{self, Solved};

/// The G* of a plan's goals (weights mode), as it scored them.
fn bests(plan: &Plan) -> Option<[f64; 3]> {
    if plan.goals.is_empty() {
        return None;
    }
    let mut best = [0.0; 3];
    for g in &plan.goals {
        best[g.goal.index()] = g.best;
    }
    Some(best)
}

/// The scenario without any creator or pool of tier `t` (none of them required).
fn without(s: &Scenario, t: usize) -> Scenario {
    let mut v = s.clone();
    for c in v.creators.iter_mut().filter(|c| c.tier == t) {
        c.exclude = true;
    }
    for p in v.pools.iter_mut().filter(|p| p.tier == t) {
        p.available = 0;
    }
    v
}

/// The scenario with at least one creator of tier `t` hired: a niche
/// carried by the tier's creators and pools, with a minimum of one.
fn with(s: &Scenario, t: usize) -> Scenario {
    let mut v = s.clone();
    let niche = v.niches.len();
    v.niches.push(format!("tier {}", s.tier_name(t)));
    for c in v.creators.iter_mut().filter(|c| c.tier == t) {
        c.niches.push(niche);
    }
    for p in v.pools.iter_mut().filter(|p| p.tier == t) {
        p.niches.push(niche);
    }
    v.limits.niches.push(NicheMinimum {
        niche,
        min_creators: 1,
    });
    v
}

/// The alternatives of a plan of `s`: one per tier hired (without it) and
/// one per tier on offer but not hired (with it).
pub fn alternatives(
    s: &Scenario,
    plan: &Plan,
    settings: &SolveSettings,
) -> Result<Vec<Alternative>, Error> {
    let hired: Vec<bool> = (0..s.tiers.len())
        .map(|t| {
            plan.tiers
                .iter()
                .any(|r| r.tier == s.tier_name(t) && r.creators > 0)
        })
        .collect();
    // (tier, kind, the variant to solve or why there is none)
    let mut questions: Vec<(usize, AlternativeKind, Result<Scenario, String>)> = Vec::new();
    for (t, &in_plan) in hired.iter().enumerate() {
        if in_plan {
            let required = s.creators.iter().find(|c| c.tier == t && c.require);
            let variant = match required {
                Some(c) => Err(format!("{} is required and in this tier", c.handle)),
                None => Ok(without(s, t)),
            };
            questions.push((t, AlternativeKind::Without, variant));
        } else if s.offers_in(t) {
            questions.push((t, AlternativeKind::With, Ok(with(s, t))));
        }
    }
    if questions.is_empty() {
        return Ok(Vec::new());
    }
    let best = bests(plan);
    let goal = s.goal(best);
    let backend = settings.solver.backend()?;
    let variants = questions
        .iter()
        .filter_map(|(_, _, v)| v.as_ref().ok().map(|v| (v.clone(), goal.clone())))
        .collect();
    let mut solved = grid::solve_all(variants, None, backend, settings, best)?.into_iter();
    Ok(questions
        .into_iter()
        .map(|(t, kind, variant)| {
            let solved = match variant {
                Ok(_) => solved.next().expect("one solve per variant"),
                Err(why) => Solved {
                    status: grid::PointStatus::Infeasible,
                    message: Some(why),
                    plan: None,
                },
            };
            describe(s, plan, t, kind, solved)
        })
        .collect())
}

/// An alternative as the plan shows it.
fn describe(
    s: &Scenario,
    plan: &Plan,
    t: usize,
    kind: AlternativeKind,
    solved: Solved,
) -> Alternative {
    let tier = s.tier_name(t).to_string();
    let question = match kind {
        AlternativeKind::Without => format!("without {tier}"),
        AlternativeKind::With => format!("with {tier}"),
    };
    let found = solved.plan.as_ref();
    // The diagnosis names the condition as the niche it is built from.
    let message = solved.message.as_ref().map(|m| {
        let first = m.lines().next().unwrap_or_default();
        first.replace(
            &format!("the niche minimum for `tier {tier}` (1 creators)"),
            &format!("at least one {tier} creator"),
        )
    });
    Alternative {
        question,
        tier,
        kind,
        status: solved.status.as_str().to_string(),
        objective: found.map(|p| p.objective),
        difference: found.map(|p| p.objective - plan.objective),
        spend: found.map(|p| p.spend),
        totals: found.map(|p| p.totals.clone()),
        mix: found.map(Plan::mix),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan;
    use std::path::Path;

    fn load(text: &str) -> Scenario {
        crate::scenario::load_str(text, Path::new("t.yaml")).expect("valid scenario")
    }

    #[test]
    fn each_tier_is_priced_by_an_exact_solve_on_the_plans_scale() {
        // One mega or ten micros for awareness: the mega wins; without it
        // the micros, with a lower objective on the same G*.
        let s = load(
            "budget: 1000
goal: { weights: { awareness: 1 } }
creators:
  - { handle: mega, followers: 2000000, price_per_post: 1000, reach_rate: 0.1 }
  - { handle: m1, followers: 20000, price_per_post: 500, reach_rate: 0.2 }
  - { handle: m2, followers: 20000, price_per_post: 500, reach_rate: 0.2 }
  - { handle: n1, followers: 2000, price_per_post: 10, reach_rate: 0.3, exclude: true }
",
        );
        let settings = SolveSettings::default();
        let plan = plan::solve(&s, &settings).unwrap();
        assert_eq!(plan.mix(), "1 mega");
        let alts = alternatives(&s, &plan, &settings).unwrap();
        // Micro is on offer and left out; nano is only excluded, so not offered.
        let names: Vec<&str> = alts.iter().map(|a| a.question.as_str()).collect();
        assert_eq!(names, ["with micro", "without mega"]);
        // Without the mega: two micros, 8,000 reach against 200,000.
        let without = &alts[1];
        assert_eq!(without.mix.as_deref(), Some("2 micro"));
        let objective = without.objective.unwrap();
        assert!(
            (objective - 8_000.0 / 200_000.0).abs() < 1e-9,
            "{objective}"
        );
        assert!((without.difference.unwrap() - (objective - 1.0)).abs() < 1e-12);
        // With a micro the mega no longer fits: the same two micros.
        assert_eq!(alts[0].mix.as_deref(), Some("2 micro"));
    }

    #[test]
    fn an_alternative_without_a_plan_says_so() {
        let s = load(
            "budget: 1000
goal: { weights: { awareness: 1 } }
creators:
  - { handle: mega, followers: 2000000, price_per_post: 1000, require: true }
  - { handle: m1, followers: 20000, price_per_post: 500 }
",
        );
        let settings = SolveSettings::default();
        let plan = plan::solve(&s, &settings).unwrap();
        let alts = alternatives(&s, &plan, &settings).unwrap();
        for a in &alts {
            assert_eq!(a.status, "infeasible", "{a:?}");
            assert!(a.objective.is_none() && a.message.is_some());
        }
        assert_eq!(alts.len(), 2);
    }
}
