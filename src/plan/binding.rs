//! Why this mix: the constraints at their limit in the plan, each in words
//! with its numbers (a budget that buys no further post, a full creator
//! cap, a tier or platform at its share or count, a target the weakest post holds up, a
//! saturated audience group).

use serde::Serialize;

use crate::format::number as n;
use crate::model::evaluate::Evaluation;
use crate::model::{Decisions, Family, GoalKind, Scenario};

/// A constraint that shapes the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Binding {
    /// Machine key, e.g. `budget` or `tier_share.mega.max`.
    pub constraint: String,
    /// What binds, in words with numbers.
    pub detail: String,
}

/// Which offers a step may come from.
#[derive(Clone, Copy)]
enum Scope {
    All,
    Tier(usize),
    OutsideTier(usize),
    Platform(usize),
    OutsidePlatform(usize),
}

impl Scope {
    fn holds(self, tier: usize, platform: usize) -> bool {
        match self {
            Scope::All => true,
            Scope::Tier(t) => t == tier,
            Scope::OutsideTier(t) => t != tier,
            Scope::Platform(p) => p == platform,
            Scope::OutsidePlatform(p) => p != platform,
        }
    }
}

/// The cheapest further step the plan could take: one more post of a hired
/// creator, a new hire, or one more pool hire, within a scope.
fn cheapest_step(s: &Scenario, d: &Decisions, scope: Scope) -> Option<f64> {
    let creators = s.creators.iter().zip(&d.posts).filter_map(|(c, &n)| {
        if c.exclude || n >= c.max_posts || !scope.holds(c.tier, c.platform) {
            None
        } else if n > 0 {
            Some(c.price_per_post)
        } else {
            Some(c.fee + c.price_per_post)
        }
    });
    let pools = s
        .pools
        .iter()
        .zip(&d.hires)
        .filter(|(p, z)| **z < p.available && scope.holds(p.tier, p.platform))
        .map(|(p, _)| p.cost_per_hire());
    creators.chain(pools).min_by(f64::total_cmp)
}

/// The constraints that shape the plan: those at their limit, in words.
pub(super) fn binding(s: &Scenario, d: &Decisions, e: &Evaluation) -> Vec<Binding> {
    let mut out = Vec::new();
    let mut add = |family: Family, detail: String| {
        out.push(Binding {
            constraint: family.key(s),
            detail,
        })
    };
    let left = s.budget - e.spend;
    match cheapest_step(s, d, Scope::All) {
        Some(step) if step > left + 1e-9 => add(
            Family::Budget,
            format!(
                "{} of {} spent; the {} left buys no further post or creator (cheapest: {})",
                n(e.spend),
                n(s.budget),
                n(left.max(0.0)),
                n(step)
            ),
        ),
        _ => {}
    }
    if let Some(k) = s.limits.max_creators
        && e.creators >= k
    {
        add(
            Family::MaxCreators,
            format!(
                "{} hired, the most allowed",
                crate::format::count(e.creators, "creator")
            ),
        );
    }
    if let Some(k) = s.limits.min_creators
        && e.creators <= k
        && k > 0
    {
        add(
            Family::MinCreators,
            format!(
                "{} hired, the fewest allowed",
                crate::format::count(e.creators, "creator")
            ),
        );
    }
    // Spend shares of tiers and of platforms, bound alike: a maximum binds
    // when one more step inside would pass it, a minimum when one more
    // step outside would fall below it.
    let tiers = s.limits.tier_share.iter().map(|x| {
        let t = x.tier;
        let scopes = (Scope::Tier(t), Scope::OutsideTier(t));
        let families = (Family::TierShareMin(t), Family::TierShareMax(t));
        (
            s.tier_name(t),
            e.tier_spend[t],
            x.min,
            x.max,
            scopes,
            families,
        )
    });
    let platforms = s.limits.platform_share.iter().map(|x| {
        let p = x.platform;
        let scopes = (Scope::Platform(p), Scope::OutsidePlatform(p));
        let families = (Family::PlatformShareMin(p), Family::PlatformShareMax(p));
        (
            s.platform_name(p),
            e.platform_spend[p],
            x.min,
            x.max,
            scopes,
            families,
        )
    });
    for (name, part, min, max, (inside, outside), (below, above)) in tiers.chain(platforms) {
        if let Some(max) = max
            && cheapest_step(s, d, inside).is_some_and(|c| part + c > max * (e.spend + c) + 1e-9)
        {
            add(
                above,
                format!(
                    "{name} takes {} of spend; one more {name} post or creator would pass the {} maximum",
                    pct(e.spend, part),
                    pct(1.0, max)
                ),
            );
        }
        if let Some(min) = min
            && min > 0.0
            && cheapest_step(s, d, outside).is_some_and(|c| part < min * (e.spend + c) - 1e-9)
        {
            add(
                below,
                format!(
                    "{name} takes {} of spend; spending more outside {name} would fall below the {} minimum",
                    pct(e.spend, part),
                    pct(1.0, min)
                ),
            );
        }
    }
    for bound in &s.limits.platforms {
        let p = bound.platform;
        let hired = e.platform_creators[p];
        let name = s.platform_name(p);
        if bound.max_creators.is_some_and(|k| hired >= k) {
            add(
                Family::PlatformMax(p),
                format!("{hired} creators hired on {name}, the most allowed"),
            );
        }
        if bound.min_creators.is_some_and(|m| m > 0 && hired <= m) {
            add(
                Family::PlatformMin(p),
                format!("{hired} creators hired on {name}, the fewest allowed"),
            );
        }
    }
    for m in &s.limits.niches {
        if m.min_creators > 0 && e.niche_hires[m.niche] == m.min_creators {
            add(
                Family::Niche(m.niche),
                format!(
                    "exactly {} hired creators carry `{}`, the minimum",
                    m.min_creators, s.niches[m.niche]
                ),
            );
        }
    }
    let required = s.creators.iter().filter(|c| c.require).count();
    if required > 0 {
        add(
            Family::Require,
            format!("{required} required creators are hired"),
        );
    }
    for g in GoalKind::ALL {
        if let Some(t) = s.targets[g.index()] {
            // Binding when losing the plan's weakest post would miss the target.
            let weakest = weakest_post(s, d, g);
            if weakest.is_finite() && e.goal(g) - weakest < t - 1e-9 {
                add(
                    Family::Target(g),
                    format!("{} {} against a target of {}", n(e.goal(g)), g.key(), n(t)),
                );
            }
        }
    }
    // Creators at their own post limit, where money for another post is left.
    let capped: Vec<&crate::model::Creator> = s
        .creators
        .iter()
        .zip(&d.posts)
        .filter(|(c, n)| **n > 0 && **n >= c.max_posts)
        .map(|(c, _)| c)
        .collect();
    // It matters where money for another of their posts is left, or where
    // nothing else is left to buy at all.
    let nothing_else = cheapest_step(s, d, Scope::All).is_none();
    if !capped.is_empty()
        && (nothing_else || capped.iter().any(|c| c.price_per_post <= left + 1e-9))
    {
        let single = capped.iter().filter(|c| c.max_posts == 1).count();
        let defaults = if single > 0 {
            format!(" ({single} allowed one post, the default when none is given)")
        } else {
            String::new()
        };
        let what = if nothing_else {
            "every creator on offer is hired at its max_posts"
        } else {
            "more posts from them would need a higher max_posts"
        };
        out.push(Binding {
            constraint: "max_posts".into(),
            detail: format!(
                "{} hired creator{} at their max_posts{defaults}; {what}",
                capped.len(),
                if capped.len() == 1 { " is" } else { "s are" },
            ),
        });
    }
    for (i, group) in s.audiences.iter().enumerate() {
        if e.group_members_reach[i] > group.size + 1e-9 {
            out.push(Binding {
                constraint: format!("audiences.{}", group.id),
                detail: format!(
                    "group `{}` is saturated: its creators reach {} but only {} distinct people are in it",
                    group.id,
                    n(e.group_members_reach[i]),
                    n(group.size)
                ),
            });
        }
    }
    // Money left over always gets its reason.
    let spends = !matches!(s.objective, crate::model::Objective::MinimiseSpend);
    if spends && left > 0.005 && !out.iter().any(|b| b.constraint == "budget") {
        // Only upper limits stop spending; minimums and targets do not.
        let caps: Vec<&str> = out
            .iter()
            .map(|b| b.constraint.as_str())
            .filter(|k| {
                !(k.starts_with("niches.")
                    || k.starts_with("targets.")
                    || *k == "require"
                    || *k == "min_creators"
                    || k.ends_with(".min")
                    || k.ends_with(".min_creators"))
            })
            .collect();
        let reason = if caps.is_empty() {
            if matches!(s.objective, crate::model::Objective::Profit(_)) {
                "no further post or creator earns more than it costs".to_string()
            } else {
                "no further post or creator would raise the objective".to_string()
            }
        } else if matches!(s.objective, crate::model::Objective::Profit(_)) {
            format!(
                "the limits above stop further spending ({}), and nothing else they allow earns more than it costs",
                caps.join(", ")
            )
        } else {
            format!(
                "the limits above stop further spending ({})",
                caps.join(", ")
            )
        };
        out.push(Binding {
            constraint: "unspent".into(),
            detail: format!("{} of the budget is left: {reason}", n(left)),
        });
    }
    out
}

/// The smallest contribution to a goal of the last post of any hired creator or pool hire.
fn weakest_post(s: &Scenario, d: &Decisions, g: GoalKind) -> f64 {
    let d_ = s.repeat_decay;
    let creators = s
        .creators
        .iter()
        .zip(&d.posts)
        .filter(|(_, n)| **n > 0)
        .map(|(c, &n)| c.audience.outcome(g) * d_.powi(n as i32 - 1));
    let pools = s
        .pools
        .iter()
        .zip(&d.hires)
        .filter(|(_, z)| **z > 0)
        .map(|(p, _)| p.audience.outcome(g) * s.decay_sum(p.posts));
    creators.chain(pools).fold(f64::INFINITY, f64::min)
}

fn pct(total: f64, part: f64) -> String {
    if total > 0.0 {
        format!("{}%", n(100.0 * part / total))
    } else {
        "0%".into()
    }
}
