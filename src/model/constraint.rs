//! The constraints of MODEL.md, family by family: the unit in which a
//! plan's binding constraints are named and an infeasible scenario's
//! conflicts are explained.

use super::goal::GoalKind;
use super::scenario::Scenario;
use crate::format::{number, share as percent};

/// A family of constraints, the unit in which constraints are explained and relaxed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// Spend within the budget.
    Budget,
    /// At most `limits.max_creators` hires.
    MaxCreators,
    /// At least `limits.min_creators` hires.
    MinCreators,
    /// A tier's minimum share of spend (tier index).
    TierShareMin(usize),
    /// A tier's maximum share of spend (tier index).
    TierShareMax(usize),
    /// A niche minimum (niche index).
    Niche(usize),
    /// A platform's minimum share of spend (platform index).
    PlatformShareMin(usize),
    /// A platform's maximum share of spend (platform index).
    PlatformShareMax(usize),
    /// The fewest creators hired on a platform (platform index).
    PlatformMin(usize),
    /// The most creators hired on a platform (platform index).
    PlatformMax(usize),
    /// Required creators are hired.
    Require,
    /// Excluded creators are not hired.
    Exclude,
    /// A goal target.
    Target(GoalKind),
    /// Structural rows linking variables (post order, audience caps); never relaxed.
    Link,
}

impl Family {
    /// A phrase naming the constraint for users.
    pub fn describe(&self, scenario: &Scenario) -> String {
        let l = &scenario.limits;
        match *self {
            Family::Budget => format!("the budget ({})", number(scenario.budget)),
            Family::MaxCreators => format!("max_creators ({})", l.max_creators.unwrap_or(0)),
            Family::MinCreators => format!("min_creators ({})", l.min_creators.unwrap_or(0)),
            Family::TierShareMin(t) => {
                let share = l
                    .tier_share
                    .iter()
                    .find(|s| s.tier == t)
                    .and_then(|s| s.min);
                format!(
                    "the {} tier's minimum share of spend ({})",
                    scenario.tier_name(t),
                    percent(share.unwrap_or(0.0))
                )
            }
            Family::TierShareMax(t) => {
                let share = l
                    .tier_share
                    .iter()
                    .find(|s| s.tier == t)
                    .and_then(|s| s.max);
                format!(
                    "the {} tier's maximum share of spend ({})",
                    scenario.tier_name(t),
                    percent(share.unwrap_or(0.0))
                )
            }
            Family::Niche(n) => {
                let min = l
                    .niches
                    .iter()
                    .find(|m| m.niche == n)
                    .map(|m| m.min_creators);
                format!(
                    "the niche minimum for `{}` ({} creators)",
                    scenario.niches[n],
                    min.unwrap_or(0)
                )
            }
            Family::PlatformShareMin(p) | Family::PlatformShareMax(p) => {
                let bound = l.platform_share.iter().find(|s| s.platform == p);
                let (end, share) = match self {
                    Family::PlatformShareMin(_) => ("minimum", bound.and_then(|b| b.min)),
                    _ => ("maximum", bound.and_then(|b| b.max)),
                };
                format!(
                    "{}'s {end} share of spend ({})",
                    scenario.platform_name(p),
                    percent(share.unwrap_or(0.0))
                )
            }
            Family::PlatformMin(p) | Family::PlatformMax(p) => {
                let bound = l.platforms.iter().find(|s| s.platform == p);
                let (end, count) = match self {
                    Family::PlatformMin(_) => ("fewest", bound.and_then(|b| b.min_creators)),
                    _ => ("most", bound.and_then(|b| b.max_creators)),
                };
                format!(
                    "the {end} creators on {} ({})",
                    scenario.platform_name(p),
                    count.unwrap_or(0)
                )
            }
            Family::Require => {
                let n = scenario.creators.iter().filter(|c| c.require).count();
                format!("the required creators ({n})")
            }
            Family::Exclude => "the excluded creators".to_string(),
            Family::Target(g) => format!(
                "the {} target ({})",
                g.key(),
                number(scenario.targets[g.index()].unwrap_or(0.0))
            ),
            Family::Link => "the model's structure".to_string(),
        }
    }

    /// Drops this family's rows from the scenario: what is left is the
    /// rest of the model, unchanged. The budget becomes everything on offer
    /// at its largest, which no plan exceeds; the structure is never dropped.
    pub fn drop_from(self, scenario: &mut Scenario) {
        let l = &mut scenario.limits;
        match self {
            Family::Budget => {
                let creators: f64 = scenario.creators.iter().map(|c| c.cost(c.max_posts)).sum();
                let pools: f64 = scenario
                    .pools
                    .iter()
                    .map(|p| f64::from(p.available) * p.cost_per_hire())
                    .sum();
                scenario.budget = scenario.budget.max(creators + pools);
            }
            Family::MaxCreators => l.max_creators = None,
            Family::MinCreators => l.min_creators = None,
            Family::TierShareMin(t) => l
                .tier_share
                .iter_mut()
                .filter(|s| s.tier == t)
                .for_each(|s| s.min = None),
            Family::TierShareMax(t) => l
                .tier_share
                .iter_mut()
                .filter(|s| s.tier == t)
                .for_each(|s| s.max = None),
            Family::Niche(n) => l.niches.retain(|m| m.niche != n),
            Family::PlatformShareMin(p) => l
                .platform_share
                .iter_mut()
                .filter(|s| s.platform == p)
                .for_each(|s| s.min = None),
            Family::PlatformShareMax(p) => l
                .platform_share
                .iter_mut()
                .filter(|s| s.platform == p)
                .for_each(|s| s.max = None),
            Family::PlatformMin(p) => l
                .platforms
                .iter_mut()
                .filter(|s| s.platform == p)
                .for_each(|s| s.min_creators = None),
            Family::PlatformMax(p) => l
                .platforms
                .iter_mut()
                .filter(|s| s.platform == p)
                .for_each(|s| s.max_creators = None),
            Family::Require => scenario.creators.iter_mut().for_each(|c| c.require = false),
            Family::Exclude => scenario.creators.iter_mut().for_each(|c| c.exclude = false),
            Family::Target(g) => scenario.targets[g.index()] = None,
            Family::Link => {}
        }
    }

    /// A short machine-readable key, e.g. `tier_share.micro.min`.
    pub fn key(&self, scenario: &Scenario) -> String {
        match *self {
            Family::Budget => "budget".into(),
            Family::MaxCreators => "max_creators".into(),
            Family::MinCreators => "min_creators".into(),
            Family::TierShareMin(t) => format!("tier_share.{}.min", scenario.tier_name(t)),
            Family::TierShareMax(t) => format!("tier_share.{}.max", scenario.tier_name(t)),
            Family::Niche(n) => format!("niches.{}", scenario.niches[n]),
            Family::PlatformShareMin(p) => {
                format!("platform_share.{}.min", scenario.platform_name(p))
            }
            Family::PlatformShareMax(p) => {
                format!("platform_share.{}.max", scenario.platform_name(p))
            }
            Family::PlatformMin(p) => {
                format!("platforms.{}.min_creators", scenario.platform_name(p))
            }
            Family::PlatformMax(p) => {
                format!("platforms.{}.max_creators", scenario.platform_name(p))
            }
            Family::Require => "require".into(),
            Family::Exclude => "exclude".into(),
            Family::Target(g) => format!("targets.{}", g.key()),
            Family::Link => "structure".into(),
        }
    }
}
