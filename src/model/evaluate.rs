//! The independent plan evaluator: recomputes every total of a plan from the
//! scenario and checks every constraint, without the program builder.
//!
//! Every plan is checked here before it is printed, so a solver or builder
//! bug can never reach a user as a plan that breaks the scenario.

use super::constraint::Family;
use super::decisions::Decisions;
use super::goal::{Goal, GoalKind, Linear, Objective};
use super::scenario::Scenario;

/// Relative tolerance of the checks (solvers work to about 1e-7 feasibility).
pub const TOLERANCE: f64 = 1e-6;

/// Totals of a plan, computed directly from the scenario.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Evaluation {
    /// Total spend: fees plus post prices.
    pub spend: f64,
    /// Spend per tier.
    pub tier_spend: Vec<f64>,
    /// Hires per tier.
    pub tier_creators: Vec<u32>,
    /// Posts per tier.
    pub tier_posts: Vec<u32>,
    /// Spend per platform.
    pub platform_spend: Vec<f64>,
    /// Hires per platform.
    pub platform_creators: Vec<u32>,
    /// Posts per platform.
    pub platform_posts: Vec<u32>,
    /// Reach summed over creators, before audience caps.
    pub reach_raw: f64,
    /// Unique reach A, after audience caps.
    pub awareness: f64,
    /// Engagements E.
    pub engagements: f64,
    /// Conversions C.
    pub conversions: f64,
    /// Hires H.
    pub creators: u32,
    /// Posts.
    pub posts: u32,
    /// Summed reach of each audience group's members (before the cap).
    pub group_members_reach: Vec<f64>,
    /// Hires carrying each niche.
    pub niche_hires: Vec<u32>,
}

impl Evaluation {
    /// A goal's total.
    pub fn goal(&self, goal: GoalKind) -> f64 {
        match goal {
            GoalKind::Awareness => self.awareness,
            GoalKind::Engagement => self.engagements,
            GoalKind::Conversions => self.conversions,
        }
    }

    /// The money value of the outcomes (values mode).
    pub fn value(&self, values: &[f64; 3]) -> f64 {
        self.weighted([values[0] / 1000.0, values[1], values[2]])
    }

    /// A linear objective of the totals: coefficients per unit of
    /// (unique reach, engagements, conversions).
    pub fn weighted(&self, coefficients: [f64; 3]) -> f64 {
        coefficients[0] * self.awareness
            + coefficients[1] * self.engagements
            + coefficients[2] * self.conversions
    }

    /// A linear objective of the totals, spend included.
    pub fn score(&self, objective: Linear) -> f64 {
        self.weighted(objective.outcomes) + objective.spend * self.spend
    }
}

/// Computes a plan's totals.
pub fn evaluate(s: &Scenario, d: &Decisions) -> Evaluation {
    let ntiers = s.tiers.len();
    let mut e = Evaluation {
        tier_spend: vec![0.0; ntiers],
        tier_creators: vec![0; ntiers],
        tier_posts: vec![0; ntiers],
        platform_spend: vec![0.0; s.platforms.len()],
        platform_creators: vec![0; s.platforms.len()],
        platform_posts: vec![0; s.platforms.len()],
        group_members_reach: vec![0.0; s.audiences.len()],
        niche_hires: vec![0; s.niches.len()],
        ..Evaluation::default()
    };
    let mut ungrouped = 0.0;
    for (c, &n) in s.creators.iter().zip(&d.posts) {
        if n == 0 {
            continue;
        }
        let cost = c.cost(n);
        let k = s.decay_sum(n);
        e.spend += cost;
        e.tier_spend[c.tier] += cost;
        e.tier_creators[c.tier] += 1;
        e.tier_posts[c.tier] += n;
        e.platform_spend[c.platform] += cost;
        e.platform_creators[c.platform] += 1;
        e.platform_posts[c.platform] += n;
        let reach = c.audience.reach() * k;
        e.reach_raw += reach;
        match c.group {
            Some(g) => e.group_members_reach[g] += reach,
            None => ungrouped += reach,
        }
        e.engagements += c.audience.engagements() * k;
        e.conversions += c.audience.conversions() * k;
        e.creators += 1;
        e.posts += n;
        for &niche in &c.niches {
            e.niche_hires[niche] += 1;
        }
    }
    for (p, &z) in s.pools.iter().zip(&d.hires) {
        if z == 0 {
            continue;
        }
        let hires = f64::from(z);
        let cost = p.cost_per_hire() * hires;
        let k = s.decay_sum(p.posts) * hires;
        e.spend += cost;
        e.tier_spend[p.tier] += cost;
        e.tier_creators[p.tier] += z;
        e.tier_posts[p.tier] += z * p.posts;
        e.platform_spend[p.platform] += cost;
        e.platform_creators[p.platform] += z;
        e.platform_posts[p.platform] += z * p.posts;
        let reach = p.audience.reach() * k;
        e.reach_raw += reach;
        match p.group {
            Some(g) => e.group_members_reach[g] += reach,
            None => ungrouped += reach,
        }
        e.engagements += p.audience.engagements() * k;
        e.conversions += p.audience.conversions() * k;
        e.creators += z;
        e.posts += z * p.posts;
        for &niche in &p.niches {
            e.niche_hires[niche] += z;
        }
    }
    e.awareness = ungrouped
        + s.audiences
            .iter()
            .zip(&e.group_members_reach)
            .map(|(g, &r)| r.min(g.size))
            .sum::<f64>();
    e
}

/// A broken constraint.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// The family broken.
    pub family: Family,
    /// What is wrong, with the numbers.
    pub message: String,
}

fn slack_ok(lhs: f64, rhs: f64) -> bool {
    within(lhs, rhs, TOLERANCE)
}

/// Whether an outcome reaches a target: the test [`check`] applies to a
/// target, and the one every report of a met target uses (plans, the
/// chances of `simulate`, the chance plan's training samples).
pub fn reaches(value: f64, target: f64) -> bool {
    slack_ok(target, value)
}

/// Whether a spend stays within a budget: the test [`check`] applies to the
/// budget, and the one `simulate`'s budget overruns use.
pub fn affords(spend: f64, budget: f64) -> bool {
    slack_ok(spend, budget)
}

/// Whether `lhs` ≤ `rhs` up to `tolerance`, relative to the larger of the
/// two (and to 1): the test behind every constraint [`check`] applies.
pub(crate) fn within(lhs: f64, rhs: f64, tolerance: f64) -> bool {
    lhs <= rhs + tolerance * rhs.abs().max(lhs.abs()).max(1.0)
}

/// Checks every constraint of the scenario; an empty list means the plan is valid.
pub fn check(s: &Scenario, d: &Decisions, e: &Evaluation) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut fail = |family: Family, message: String| out.push(Violation { family, message });
    if d.posts.len() != s.creators.len() || d.hires.len() != s.pools.len() {
        fail(
            Family::Link,
            "the plan does not match the scenario's creators and pools".into(),
        );
        return out;
    }
    for (c, &n) in s.creators.iter().zip(&d.posts) {
        if n > c.max_posts {
            fail(
                Family::Link,
                format!(
                    "{} makes {n} posts, more than max_posts {}",
                    c.handle, c.max_posts
                ),
            );
        }
        if c.require && n == 0 {
            fail(
                Family::Require,
                format!("required creator {} is not hired", c.handle),
            );
        }
        if c.exclude && n > 0 {
            fail(
                Family::Exclude,
                format!("excluded creator {} is hired", c.handle),
            );
        }
    }
    for (p, &z) in s.pools.iter().zip(&d.hires) {
        if z > p.available {
            fail(
                Family::Link,
                format!(
                    "pool {} hires {z}, more than the {} available",
                    p.name, p.available
                ),
            );
        }
    }
    if !affords(e.spend, s.budget) {
        fail(
            Family::Budget,
            format!("spend {} exceeds the budget {}", e.spend, s.budget),
        );
    }
    if let Some(k) = s.limits.max_creators
        && e.creators > k
    {
        fail(
            Family::MaxCreators,
            format!("{} creators, more than max_creators {k}", e.creators),
        );
    }
    if let Some(k) = s.limits.min_creators
        && e.creators < k
    {
        fail(
            Family::MinCreators,
            format!("{} creators, fewer than min_creators {k}", e.creators),
        );
    }
    // Spend shares of tiers and platforms: (families, name, spend, min, max).
    let tiers = s.limits.tier_share.iter().map(|x| {
        (
            (Family::TierShareMin(x.tier), Family::TierShareMax(x.tier)),
            s.tier_name(x.tier),
            e.tier_spend[x.tier],
            x.min,
            x.max,
        )
    });
    let platforms = s.limits.platform_share.iter().map(|x| {
        (
            (
                Family::PlatformShareMin(x.platform),
                Family::PlatformShareMax(x.platform),
            ),
            s.platform_name(x.platform),
            e.platform_spend[x.platform],
            x.min,
            x.max,
        )
    });
    for ((below, above), name, part, min, max) in tiers.chain(platforms) {
        if let Some(min) = min
            && !slack_ok(min * e.spend, part)
        {
            fail(
                below,
                format!(
                    "{name} spend {part} is below {min} of total spend {}",
                    e.spend
                ),
            );
        }
        if let Some(max) = max
            && !slack_ok(part, max * e.spend)
        {
            fail(
                above,
                format!(
                    "{name} spend {part} is above {max} of total spend {}",
                    e.spend
                ),
            );
        }
    }
    for bound in &s.limits.platforms {
        let hired = e.platform_creators[bound.platform];
        let name = s.platform_name(bound.platform);
        if let Some(m) = bound.min_creators
            && hired < m
        {
            fail(
                Family::PlatformMin(bound.platform),
                format!("{hired} creators on {name}, fewer than {m}"),
            );
        }
        if let Some(k) = bound.max_creators
            && hired > k
        {
            fail(
                Family::PlatformMax(bound.platform),
                format!("{hired} creators on {name}, more than {k}"),
            );
        }
    }
    for m in &s.limits.niches {
        if e.niche_hires[m.niche] < m.min_creators {
            fail(
                Family::Niche(m.niche),
                format!(
                    "{} creators carry niche {}, fewer than {}",
                    e.niche_hires[m.niche], s.niches[m.niche], m.min_creators
                ),
            );
        }
    }
    for g in GoalKind::ALL {
        if let Some(t) = s.targets[g.index()]
            && !reaches(e.goal(g), t)
        {
            fail(
                Family::Target(g),
                format!("{} is {}, below the target {t}", g.key(), e.goal(g)),
            );
        }
    }
    out
}

/// The objective of MODEL.md for a plan, given G* per goal in weights mode.
pub fn objective(s: &Scenario, e: &Evaluation, best: Option<[f64; 3]>) -> f64 {
    match &s.objective {
        Objective::Values(v) => e.value(v),
        Objective::Profit(v) => e.value(v) - e.spend,
        Objective::MinimiseSpend => e.spend,
        Objective::Weights(_) => match s.goal(best) {
            Goal::Normalised { weights, best } => GoalKind::ALL
                .iter()
                .map(|g| weights[g.index()] * e.goal(*g) / best[g.index()])
                .sum(),
            _ => unreachable!("weights give a normalised goal"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One tolerance for a target everywhere: what `check` accepts as met
    /// is what a plan's report and `simulate`'s chances count as met.
    #[test]
    fn a_target_is_met_up_to_the_checks_tolerance_and_no_further() {
        let target = 3000.0;
        assert!(reaches(target, target));
        assert!(reaches(target * (1.0 - 0.5 * TOLERANCE), target));
        assert!(!reaches(target * (1.0 - 2.0 * TOLERANCE), target));
        assert!(affords(1000.0 * (1.0 + 0.5 * TOLERANCE), 1000.0));
        assert!(!affords(1000.0 * (1.0 + 2.0 * TOLERANCE), 1000.0));
    }
}
