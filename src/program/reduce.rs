//! Reductions that keep the optimum: creators no feasible plan can hire
//! left out, post counts and pool hires capped at what the budget pays
//! for, and identical creators merged into classes.

use std::collections::BTreeMap;

use crate::model::{Audience, Creator, Pool, Scenario};

/// Whether [`super::build`] leaves out what no feasible plan can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reduce {
    /// Leave out creators that can never be hired (excluded, priced above
    /// the budget, or of no use to the objective or any constraint) and cap
    /// post counts and pool hires at what the budget pays for. Every feasible
    /// plan keeps its value, so the optimum is exactly the full model's.
    Yes,
    /// Every creator and every row of MODEL.md, as written: for explaining
    /// infeasibility, where rows are dropped in turn and the budget or an
    /// exclusion may be the one dropped.
    No,
    /// [`Reduce::Yes`], and identical creators merged into classes (see
    /// the module documentation): same optimum, fewer columns.
    Merge,
}

/// What makes creators interchangeable in the program: every figure of
/// MODEL.md that enters a row or the objective, bit for bit, with the posts
/// the program offers. (Handle and platform do not enter it.)
#[derive(PartialEq, Eq, Hash)]
struct Identity {
    tier: usize,
    platform: usize,
    per_view: bool,
    figures: [u64; 8],
    max_posts: u32,
    niches: Vec<usize>,
    group: Option<usize>,
}

impl Identity {
    fn of(c: &Creator, max_posts: u32) -> Identity {
        let a = &c.audience;
        let mut niches = c.niches.clone();
        niches.sort_unstable();
        niches.dedup();
        Identity {
            tier: c.tier,
            platform: c.platform,
            per_view: a.per_view,
            figures: [
                a.followers,
                a.reach_rate,
                a.engagement_rate,
                a.conversion_rate,
                a.delivery,
                a.quality,
                c.price_per_post,
                c.fee,
            ]
            .map(f64::to_bits),
            max_posts,
            niches,
            group: c.group,
        }
    }
}

/// Classes of identical creators (of at least two members, none required,
/// none without posts), by first member, members in roster order.
pub(super) fn classes(s: &Scenario, max_posts: &[u32]) -> BTreeMap<usize, Vec<usize>> {
    let mut by_identity: std::collections::HashMap<Identity, Vec<usize>> = Default::default();
    for (i, (c, &m)) in s.creators.iter().zip(max_posts).enumerate() {
        if m > 0 && !c.require && !c.exclude {
            by_identity.entry(Identity::of(c, m)).or_default().push(i);
        }
    }
    by_identity
        .into_values()
        .filter(|members| members.len() > 1)
        .map(|members| (members[0], members))
        .collect()
}

/// How many of `units` (each costing `unit` after a one-off `fee`) fit in
/// the budget, tolerating round-off in the last unit.
fn affordable(budget: f64, fee: f64, unit: f64, units: u32) -> u32 {
    if unit <= 0.0 {
        return if fee <= budget * (1.0 + 1e-12) {
            units
        } else {
            0
        };
    }
    let room = (budget - fee) / unit;
    let fit = (room + 1e-9 * room.abs().max(1.0)).floor();
    if fit < 1.0 {
        0
    } else if fit >= f64::from(units) {
        units
    } else {
        fit as u32
    }
}

/// Whether a hire is of no use: no outcome, and no constraint that could
/// still need it (hire counts, niche or platform minimums, or spend
/// shares, which its spend moves).
fn of_no_use(s: &Scenario, audience: &Audience, niches: &[usize], platform: usize) -> bool {
    let needed = s.limits.min_creators.is_some_and(|k| k > 0)
        || !s.limits.tier_share.is_empty()
        || !s.limits.platform_share.is_empty()
        || s.limits
            .platforms
            .iter()
            .any(|b| b.platform == platform && b.min_creators.is_some_and(|m| m > 0))
        || s.limits
            .niches
            .iter()
            .any(|m| m.min_creators > 0 && niches.contains(&m.niche));
    audience.reach() <= 0.0
        && audience.engagements() <= 0.0
        && audience.conversions() <= 0.0
        && !needed
}

/// Posts of a creator that any feasible plan can use.
pub fn usable_posts(s: &Scenario, c: &Creator) -> u32 {
    if c.require {
        // Kept whole: if it cannot be afforded, the solver must say the
        // scenario is infeasible rather than quietly drop it.
        return c.max_posts;
    }
    if c.exclude || of_no_use(s, &c.audience, &c.niches, c.platform) {
        return 0;
    }
    affordable(s.budget, c.fee, c.price_per_post, c.max_posts)
}

/// Hires from a pool that any feasible plan can use.
pub fn usable_hires(s: &Scenario, p: &Pool) -> u32 {
    if of_no_use(s, &p.audience, &p.niches, p.platform) {
        return 0;
    }
    affordable(s.budget, 0.0, p.cost_per_hire(), p.available)
}
