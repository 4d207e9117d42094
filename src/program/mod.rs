//! The program builder: MODEL.md as a mixed-integer linear program.
//!
//! [`build`] turns a validated [`Scenario`] into a [`Program`]: variables,
//! constraint rows tagged with their [`Family`] (so infeasibility can be
//! explained and binding constraints named), and the expressions of every
//! total. The [`VarMap`] is the only link between domain keys (creators,
//! pools, audience groups) and solver variables: it builds the program and
//! reads decisions back from a solution.
//!
//! Identical creators (every figure, tier, niche and audience group the same,
//! none required) can be merged into one class ([`Reduce::Merge`]): the
//! class's variables count members instead of being binary, with the same
//! rows, so n interchangeable creators cost one creator's columns and the
//! solver never branches between plans that differ only in which of them is
//! hired. A class of n members is exact: every count the rows allow is made
//! by some choice of members, and [`VarMap::decisions`] makes it, hiring the
//! first members in roster order.

use std::collections::BTreeMap;

use good_lp::{Constraint, Expression, ProblemVariables, Variable, variable};

mod reduce;
mod vars;

pub use reduce::{Reduce, usable_hires, usable_posts};
pub use vars::{Columns, CreatorVars, VarMap};

use reduce::classes;
use vars::creator_posts;

use crate::model::{Family, Goal, GoalKind, Linear, Scenario};

/// One constraint row and its family.
#[derive(Clone)]
pub struct Row {
    /// The family the row belongs to.
    pub family: Family,
    /// The constraint.
    pub constraint: Constraint,
}

/// Expressions of the totals of MODEL.md.
#[derive(Clone)]
pub struct TotalExprs {
    /// S: fees plus post prices.
    pub spend: Expression,
    /// Spend per tier, indexed like the market's tiers.
    pub tier_spend: Vec<Expression>,
    /// A: unique reach after audience caps.
    pub awareness: Expression,
    /// E: engagements.
    pub engagements: Expression,
    /// C: conversions.
    pub conversions: Expression,
    /// H: hires.
    pub creators: Expression,
}

impl TotalExprs {
    /// The expression of a goal's total.
    pub fn goal(&self, goal: GoalKind) -> &Expression {
        match goal {
            GoalKind::Awareness => &self.awareness,
            GoalKind::Engagement => &self.engagements,
            GoalKind::Conversions => &self.conversions,
        }
    }
}

/// A built program: variables, rows and totals, ready for any objective.
#[derive(Clone)]
pub struct Program {
    /// The variables.
    pub vars: ProblemVariables,
    /// The constraint rows.
    pub rows: Vec<Row>,
    /// Domain keys to variables.
    pub map: VarMap,
    /// Totals as expressions.
    pub totals: TotalExprs,
}

impl Program {
    /// The program's columns, in the order solvers number them.
    pub fn columns(&self) -> Columns {
        Columns::of(&self.vars)
    }

    /// The objective expression of a goal.
    pub fn objective(&self, goal: &Goal) -> Expression {
        match goal {
            Goal::Single(g) => self.totals.goal(*g).clone(),
            Goal::Normalised { weights, best } => {
                let mut e = Expression::from(0.0);
                for g in GoalKind::ALL {
                    let i = g.index();
                    if weights[i] > 0.0 {
                        e.add_mul(weights[i] / best[i], self.totals.goal(g).clone());
                    }
                }
                e
            }
            Goal::Values(v) | Goal::Profit(v) => {
                let mut e = Expression::from(0.0);
                e.add_mul(v[0] / 1000.0, self.totals.awareness.clone());
                e.add_mul(v[1], self.totals.engagements.clone());
                e.add_mul(v[2], self.totals.conversions.clone());
                if matches!(goal, Goal::Profit(_)) {
                    e.add_mul(-1.0, self.totals.spend.clone());
                }
                e
            }
            Goal::Spend => self.totals.spend.clone(),
        }
    }
}

/// Outcome expressions of a scenario's rates on a program's decisions.
#[derive(Clone)]
pub struct Outcomes {
    /// Unique reach A (audience caps through their own R_a variables).
    pub awareness: Expression,
    /// Engagements E.
    pub engagements: Expression,
    /// Conversions C.
    pub conversions: Expression,
    /// Spend S at the scenario's prices and fees.
    pub spend: Expression,
    /// R_a / U_a per audience group (see [`VarMap::group_reach`]).
    pub group_reach: Vec<Variable>,
}

impl Outcomes {
    /// The expression of a goal's total.
    pub fn goal(&self, goal: GoalKind) -> &Expression {
        match goal {
            GoalKind::Awareness => &self.awareness,
            GoalKind::Engagement => &self.engagements,
            GoalKind::Conversions => &self.conversions,
        }
    }

    /// A linear objective of (A, E, C) and spend.
    pub fn objective(&self, objective: Linear) -> Expression {
        let c = objective.outcomes;
        let mut e = Expression::from(0.0);
        e.add_mul(c[0], self.awareness.clone());
        e.add_mul(c[1], self.engagements.clone());
        e.add_mul(c[2], self.conversions.clone());
        if objective.spend != 0.0 {
            e.add_mul(objective.spend, self.spend.clone());
        }
        e
    }
}

impl Program {
    /// Adds the outcome expressions of `s` (the program's scenario, or a
    /// sample of it with other rates) over the program's decisions: one R_a
    /// variable and cap row per audience group. A program of another
    /// scenario than `s` must have no classes (build it with
    /// [`Reduce::Yes`]): a class's members share the first's figures.
    pub fn add_outcomes(&mut self, s: &Scenario) -> Outcomes {
        let d = s.repeat_decay;
        let mut ungrouped = Expression::from(0.0);
        let mut members = vec![Expression::from(0.0); s.audiences.len()];
        let mut engagements = Expression::from(0.0);
        let mut conversions = Expression::from(0.0);
        let mut spend = Expression::from(0.0);
        for (c, cv) in s.creators.iter().zip(&self.map.creators) {
            let (weighted, count) = creator_posts(cv, d);
            // As the program's own spend counts it.
            spend.add_mul(c.fee, cv.hired());
            spend.add_mul(c.price_per_post, count);
            let unit = &c.audience;
            match c.group {
                Some(g) => members[g].add_mul(unit.reach(), weighted.clone()),
                None => ungrouped.add_mul(unit.reach(), weighted.clone()),
            }
            engagements.add_mul(unit.engagements(), weighted.clone());
            conversions.add_mul(unit.conversions(), weighted);
        }
        for (p, z) in s.pools.iter().zip(&self.map.pools) {
            let Some(z) = *z else { continue };
            let per_hire = s.decay_sum(p.posts);
            spend.add_mul(p.cost_per_hire(), z);
            let unit = &p.audience;
            match p.group {
                Some(g) => members[g].add_mul(unit.reach() * per_hire, z),
                None => ungrouped.add_mul(unit.reach() * per_hire, z),
            }
            engagements.add_mul(unit.engagements() * per_hire, z);
            conversions.add_mul(unit.conversions() * per_hire, z);
        }
        let mut awareness = ungrouped;
        let mut group_reach = Vec::with_capacity(s.audiences.len());
        for (g, reach) in s.audiences.iter().zip(members) {
            // The share of the group reached, R_a / U_a in [0, 1], rather
            // than R_a itself: in weights mode a unit of reach is worth about
            // w / A* (1e-7 or less), below the solvers' optimality
            // tolerances, so an unscaled R_a could be left short of its cap
            // in a plan reported optimal. Scaled, its coefficient is w·U_a/A*.
            let r = self
                .vars
                .add(variable().min(0).max(if g.size > 0.0 { 1 } else { 0 }));
            self.rows.push(Row {
                family: Family::Link,
                constraint: (g.size * r - reach).leq(0.0),
            });
            awareness.add_mul(g.size, r);
            group_reach.push(r);
        }
        Outcomes {
            awareness,
            engagements,
            conversions,
            spend,
            group_reach,
        }
    }
}

/// How a creator's posts become variables. Both give the optimum of
/// MODEL.md; which one solves faster depends on the solver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formulation {
    /// Where posts do not decay, an integer post count n in [y, m·y] with a
    /// hire binary y: two columns per creator (HiGHS solves this faster).
    Counts,
    /// One binary per post, ordered x(k) ≤ x(k-1), always: more columns,
    /// but microlp's branching proves optimality far sooner on them.
    Chains,
    /// Where posts decay, one binary z(k) per post count k ("hired for
    /// exactly k posts"), at most one of them set; counts as in
    /// [`Formulation::Counts`] elsewhere. Each creator's LP relaxation is
    /// then the convex hull of its choices, and the chain's ordering rows
    /// are gone: on the 10,000-creator instance of `benches/scaling.py`
    /// with audience groups, HiGHS's root LP needs about 200 simplex
    /// iterations instead of 11,800. Its branch and bound on small
    /// programs is slower than on counts and chains.
    Choices,
    /// Choices, as in [`Formulation::Choices`], for every creator who may
    /// post more than once, decaying or not: the fastest whole-roster MILP
    /// for HiGHS at 10,000 creators (1.4 s instead of 7.5 s on the plain
    /// weights instance of `benches/scaling.py`), the slowest at 1,000.
    AllChoices,
}

/// Builds the program of MODEL.md for a scenario. A creator with one post on
/// offer is a single binary whatever the formulation.
pub fn build(s: &Scenario, form: Formulation, reduce: Reduce) -> Program {
    let mut vars = ProblemVariables::new();
    let mut rows: Vec<Row> = Vec::new();
    let push = |rows: &mut Vec<Row>, family: Family, constraint: Constraint| {
        rows.push(Row { family, constraint })
    };
    let d = s.repeat_decay;

    // Decisions.
    let max_posts: Vec<u32> = s
        .creators
        .iter()
        .map(|c| match reduce {
            Reduce::Yes | Reduce::Merge => usable_posts(s, c),
            Reduce::No => c.max_posts,
        })
        .collect();
    let classes = match reduce {
        Reduce::Merge => classes(s, &max_posts),
        Reduce::Yes | Reduce::No => BTreeMap::new(),
    };
    let mut creator_vars = vec![CreatorVars::Unavailable; s.creators.len()];
    for (i, &max_posts) in max_posts.iter().enumerate() {
        if !matches!(creator_vars[i], CreatorVars::Unavailable) {
            continue; // A member of an earlier class.
        }
        // Each variable counts members, in 0..n (binary for one creator).
        let n = match classes.get(&i) {
            Some(members) => {
                for &m in &members[1..] {
                    creator_vars[m] = CreatorVars::Member { of: i };
                }
                members.len() as u32
            }
            None => 1,
        };
        let mut member = || vars.add(variable().integer().min(0).max(n));
        creator_vars[i] = if max_posts == 0 {
            CreatorVars::Unavailable
        } else if d == 1.0
            && max_posts > 1
            && matches!(form, Formulation::Counts | Formulation::Choices)
        {
            let hired = member();
            let posts = vars.add(variable().integer().min(0).max(max_posts * n));
            let m = f64::from(max_posts);
            push(&mut rows, Family::Link, (posts - m * hired).leq(0.0));
            push(&mut rows, Family::Link, (posts - hired).geq(0.0));
            CreatorVars::Count { hired, posts }
        } else if max_posts > 1 && matches!(form, Formulation::Choices | Formulation::AllChoices) {
            let exactly: Vec<Variable> = (0..max_posts).map(|_| member()).collect();
            let chosen: Expression = exactly.iter().sum();
            push(&mut rows, Family::Link, chosen.leq(f64::from(n)));
            CreatorVars::Choice { exactly }
        } else {
            let posts: Vec<Variable> = (0..max_posts).map(|_| member()).collect();
            for k in 1..posts.len() {
                push(&mut rows, Family::Link, (posts[k] - posts[k - 1]).leq(0.0));
            }
            CreatorVars::Chain { posts }
        };
    }
    let pool_vars: Vec<Option<Variable>> = s
        .pools
        .iter()
        .map(|p| {
            let available = match reduce {
                Reduce::Yes | Reduce::Merge => usable_hires(s, p),
                Reduce::No => p.available,
            };
            (available > 0).then(|| vars.add(variable().integer().min(0).max(available)))
        })
        .collect();

    // Spend, hires and niche counts.
    let mut spend = Expression::from(0.0);
    let mut tier_spend = vec![Expression::from(0.0); s.tiers.len()];
    let mut platform_spend = vec![Expression::from(0.0); s.platforms.len()];
    let mut platform_hires = vec![Expression::from(0.0); s.platforms.len()];
    let mut creators = Expression::from(0.0);
    let mut niche_hires = vec![Expression::from(0.0); s.niches.len()];
    for (c, cv) in s.creators.iter().zip(&creator_vars) {
        let (_, post_count) = creator_posts(cv, d);
        let hired = cv.hired();
        let mut cost = Expression::from(0.0);
        cost.add_mul(c.fee, hired.clone());
        cost.add_mul(c.price_per_post, post_count);
        spend += cost.clone();
        tier_spend[c.tier] += cost.clone();
        platform_spend[c.platform] += cost;
        creators += hired.clone();
        platform_hires[c.platform] += hired.clone();
        for &n in &c.niches {
            niche_hires[n] += hired.clone();
        }
        if !matches!(cv, CreatorVars::Unavailable | CreatorVars::Member { .. }) {
            if c.require {
                push(&mut rows, Family::Require, hired.clone().geq(1.0));
            }
            if c.exclude {
                push(&mut rows, Family::Exclude, hired.leq(0.0));
            }
        }
    }
    for (p, z) in s.pools.iter().zip(&pool_vars) {
        let Some(z) = *z else { continue };
        let cost = p.cost_per_hire() * z;
        spend += cost.clone();
        tier_spend[p.tier] += cost.clone();
        platform_spend[p.platform] += cost;
        creators += z;
        platform_hires[p.platform] += z;
        for &n in &p.niches {
            niche_hires[n] += z;
        }
    }

    let mut program = Program {
        vars,
        rows,
        map: VarMap {
            creators: creator_vars,
            classes,
            max_posts,
            pools: pool_vars,
            group_reach: Vec::new(),
        },
        totals: TotalExprs {
            spend: spend.clone(),
            tier_spend: tier_spend.clone(),
            awareness: Expression::from(0.0),
            engagements: Expression::from(0.0),
            conversions: Expression::from(0.0),
            creators: creators.clone(),
        },
    };
    let outcomes = program.add_outcomes(s);
    program.map.group_reach = outcomes.group_reach;
    program.totals.awareness = outcomes.awareness;
    program.totals.engagements = outcomes.engagements;
    program.totals.conversions = outcomes.conversions;

    // Business constraints.
    let rows = &mut program.rows;
    push(rows, Family::Budget, spend.clone().leq(s.budget));
    if let Some(k) = s.limits.max_creators {
        push(
            rows,
            Family::MaxCreators,
            creators.clone().leq(f64::from(k)),
        );
    }
    if let Some(k) = s.limits.min_creators {
        push(rows, Family::MinCreators, creators.geq(f64::from(k)));
    }
    for share in &s.limits.tier_share {
        let st = &tier_spend[share.tier];
        if let Some(min) = share.min {
            let mut e = st.clone();
            e.add_mul(-min, spend.clone());
            push(rows, Family::TierShareMin(share.tier), e.geq(0.0));
        }
        if let Some(max) = share.max {
            let mut e = st.clone();
            e.add_mul(-max, spend.clone());
            push(rows, Family::TierShareMax(share.tier), e.leq(0.0));
        }
    }
    for share in &s.limits.platform_share {
        let sp = &platform_spend[share.platform];
        if let Some(min) = share.min {
            let mut e = sp.clone();
            e.add_mul(-min, spend.clone());
            push(rows, Family::PlatformShareMin(share.platform), e.geq(0.0));
        }
        if let Some(max) = share.max {
            let mut e = sp.clone();
            e.add_mul(-max, spend.clone());
            push(rows, Family::PlatformShareMax(share.platform), e.leq(0.0));
        }
    }
    for m in &s.limits.niches {
        push(
            rows,
            Family::Niche(m.niche),
            niche_hires[m.niche].clone().geq(f64::from(m.min_creators)),
        );
    }
    for bound in &s.limits.platforms {
        let hires = &platform_hires[bound.platform];
        if let Some(m) = bound.min_creators {
            push(
                rows,
                Family::PlatformMin(bound.platform),
                hires.clone().geq(f64::from(m)),
            );
        }
        if let Some(k) = bound.max_creators {
            push(
                rows,
                Family::PlatformMax(bound.platform),
                hires.clone().leq(f64::from(k)),
            );
        }
    }
    for g in GoalKind::ALL {
        if let Some(t) = s.targets[g.index()] {
            let total = program.totals.goal(g).clone();
            program.rows.push(Row {
                family: Family::Target(g),
                constraint: total.geq(t),
            });
        }
    }
    program
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Decisions;
    use std::path::Path;

    fn scenario(limits: &str, creators: &str) -> Scenario {
        let text = format!(
            "budget: 1000\ngoal: {{ weights: {{ awareness: 1 }} }}\nlimits:\n  fee_per_creator: 100\n{limits}creators:\n{creators}"
        );
        crate::scenario::load_str(&text, Path::new("t.yaml")).expect("valid scenario")
    }

    const CREATORS: &str = "  - { handle: '@fits', followers: 5000, price_per_post: 300, max_posts: 5 }
  - { handle: '@exact', followers: 5000, price_per_post: 450, max_posts: 3 }
  - { handle: '@dear', followers: 5000, price_per_post: 950, max_posts: 2 }
  - { handle: '@dear-required', followers: 5000, price_per_post: 950, max_posts: 2, require: true }
  - { handle: '@out', followers: 5000, price_per_post: 10, max_posts: 2, exclude: true }
  - { handle: '@silent', followers: 5000, price_per_post: 10, max_posts: 2, delivery: 0, niches: [food] }
";

    #[test]
    fn posts_are_capped_at_what_the_budget_pays_for() {
        let s = scenario("", CREATORS);
        let usable: Vec<u32> = s.creators.iter().map(|c| usable_posts(&s, c)).collect();
        // (1000 - 100) / 300 = 3; 900 / 450 = 2 exactly; 100 + 950 > 1000;
        // a required creator is kept whole; excluded and silent ones go.
        assert_eq!(usable, vec![3, 2, 0, 2, 0, 0]);
        let program = build(&s, Formulation::Counts, Reduce::Yes);
        let unavailable = program
            .map
            .creators
            .iter()
            .filter(|c| matches!(c, CreatorVars::Unavailable))
            .count();
        assert_eq!(unavailable, 3);
        let full = build(&s, Formulation::Counts, Reduce::No);
        assert!(
            full.map
                .creators
                .iter()
                .all(|c| !matches!(c, CreatorVars::Unavailable))
        );
        assert!(full.rows.iter().any(|r| r.family == Family::Exclude));
    }

    #[test]
    fn a_hire_without_outcome_is_kept_when_a_constraint_may_need_it() {
        for limits in [
            "  min_creators: 1\n",
            "  niches: { food: { min_creators: 1 } }\n",
            "  tier_share: { nano: { max: 0.5 } }\n",
        ] {
            let s = scenario(limits, CREATORS);
            let silent = s.creators.iter().find(|c| c.handle == "@silent").unwrap();
            assert_eq!(usable_posts(&s, silent), 2, "{limits}");
        }
    }

    /// Three identical creators (one names the default platform, which is
    /// the same), one priced differently, one required, and one on
    /// another platform (whose limits could tell them apart).
    const COPIES: &str =
        "  - { handle: '@a', followers: 5000, price_per_post: 100, max_posts: 3, platform: Instagram }
  - { handle: '@other', followers: 5000, price_per_post: 101, max_posts: 3 }
  - { handle: '@b', followers: 5000, price_per_post: 100, max_posts: 3 }
  - { handle: '@required', followers: 5000, price_per_post: 100, max_posts: 3, require: true }
  - { handle: '@c', followers: 5000, price_per_post: 100, max_posts: 3 }
  - { handle: '@t', followers: 5000, price_per_post: 100, max_posts: 3, platform: tiktok, engagement_rate: 0.06, reach_rate: 0.25, conversion_rate: 0.02 }
";

    #[test]
    fn identical_creators_merge_into_one_class() {
        let s = scenario("", COPIES);
        for form in [
            Formulation::Counts,
            Formulation::Chains,
            Formulation::Choices,
            Formulation::AllChoices,
        ] {
            let merged = build(&s, form, Reduce::Merge);
            assert_eq!(
                merged.map.classes.iter().collect::<Vec<_>>(),
                vec![(&0, &vec![0, 2, 4])],
                "{form:?}"
            );
            assert!(matches!(
                merged.map.creators[2],
                CreatorVars::Member { of: 0 }
            ));
            let apart = build(&s, form, Reduce::Yes);
            assert!(apart.map.classes.is_empty());
            assert!(merged.vars.len() < apart.vars.len(), "{form:?}");
            // Members' hire columns are the class's.
            assert_eq!(merged.map.hire_columns(4), merged.map.hire_columns(0));
            // A plan's posts survive encoding, as the same counts over the
            // class's members, given to the first members first.
            let plan = Decisions {
                posts: vec![1, 2, 0, 3, 3, 1],
                hires: vec![],
            };
            let values: std::collections::HashMap<Variable, f64> =
                merged.map.encode(&plan).into_iter().collect();
            let read = merged
                .map
                .decisions(|v| values.get(&v).copied().unwrap_or(0.0));
            assert_eq!(read.posts, vec![3, 2, 1, 3, 0, 1], "{form:?}");
            let e = crate::model::evaluate::evaluate(&s, &plan);
            let f = crate::model::evaluate::evaluate(&s, &read);
            assert_eq!(
                (e.spend, e.awareness, e.creators),
                (f.spend, f.awareness, f.creators)
            );
        }
    }
}
