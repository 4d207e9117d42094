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

use crate::model::{GoalKind, Objective, Scenario};
use crate::plan::Decisions;

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
            Family::Budget => format!("the budget ({})", money(scenario.budget)),
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

    /// A short machine-readable key, e.g. `tier_share.micro.min`.
    pub fn key(&self, scenario: &Scenario) -> String {
        match *self {
            Family::Budget => "budget".into(),
            Family::MaxCreators => "max_creators".into(),
            Family::MinCreators => "min_creators".into(),
            Family::TierShareMin(t) => format!("tier_share.{}.min", scenario.tier_name(t)),
            Family::TierShareMax(t) => format!("tier_share.{}.max", scenario.tier_name(t)),
            Family::Niche(n) => format!("niches.{}", scenario.niches[n]),
            Family::Require => "require".into(),
            Family::Exclude => "exclude".into(),
            Family::Target(g) => format!("targets.{}", g.key()),
            Family::Link => "structure".into(),
        }
    }
}

/// A number for messages: thousands separated, at most two decimals.
pub fn number(value: f64) -> String {
    crate::report::format_number(value)
}

fn money(value: f64) -> String {
    number(value)
}

fn percent(share: f64) -> String {
    format!("{}%", crate::report::format_number(share * 100.0))
}

/// One constraint row and its family.
#[derive(Clone)]
pub struct Row {
    /// The family the row belongs to.
    pub family: Family,
    /// The constraint.
    pub constraint: Constraint,
}

/// The decision variables of one creator, or of a class of identical
/// creators (see [`VarMap::classes`]): each variable then counts the
/// members of which it holds, in 0..n, where for one creator it is binary.
#[derive(Debug, Clone)]
pub enum CreatorVars {
    /// Cannot be hired (no posts on offer).
    Unavailable,
    /// Integer post count with a hire binary (no decay, [`Formulation::Counts`]).
    Count {
        /// y: hired (members hired).
        hired: Variable,
        /// n: posts, in [y, m·y].
        posts: Variable,
    },
    /// One binary per post, in order (a single post, repeat decay below 1
    /// in [`Formulation::Counts`], or [`Formulation::Chains`]).
    Chain {
        /// x(k): post k is published (members publishing a k-th post);
        /// x(1) is the hire.
        posts: Vec<Variable>,
    },
    /// One binary per post count, at most one of them set
    /// ([`Formulation::Choices`] and [`Formulation::AllChoices`]).
    Choice {
        /// z(k): hired for exactly k posts (members hired for exactly k
        /// posts), k = 1, 2, ….
        exactly: Vec<Variable>,
    },
    /// A member of a class of identical creators other than its first,
    /// whose variables hold the whole class.
    Member {
        /// The class's first member.
        of: usize,
    },
}

impl CreatorVars {
    /// The hire indicator y as an expression.
    pub fn hired(&self) -> Expression {
        match self {
            CreatorVars::Unavailable | CreatorVars::Member { .. } => Expression::from(0.0),
            CreatorVars::Count { hired, .. } => Expression::from(*hired),
            CreatorVars::Chain { posts } => Expression::from(posts[0]),
            CreatorVars::Choice { exactly } => exactly.iter().sum(),
        }
    }

    /// The columns whose value is at least 1 in some plan that hires the
    /// creator (a member of the class), one of which is in every such plan;
    /// none for a [`CreatorVars::Member`] (see [`VarMap::hire_columns`]).
    pub fn hire_columns(&self) -> &[Variable] {
        match self {
            CreatorVars::Unavailable | CreatorVars::Member { .. } => &[],
            CreatorVars::Count { hired, .. } => std::slice::from_ref(hired),
            CreatorVars::Chain { posts } => &posts[..1],
            CreatorVars::Choice { exactly } => exactly,
        }
    }
}

/// The link between domain keys and solver variables.
#[derive(Debug, Clone)]
pub struct VarMap {
    /// Per creator, in scenario order.
    pub creators: Vec<CreatorVars>,
    /// The classes of identical creators merged by [`Reduce::Merge`], by
    /// their first member: every member, in roster order (the first
    /// included). Creators in no class hold their own variables.
    pub classes: BTreeMap<usize, Vec<usize>>,
    /// Posts on offer per creator in the program (after [`Reduce::Yes`]).
    pub max_posts: Vec<u32>,
    /// Hires per pool, in scenario order (`None` when none are available).
    pub pools: Vec<Option<Variable>>,
    /// Share of each audience group reached, R_a / U_a in [0, 1].
    pub group_reach: Vec<Variable>,
}

impl VarMap {
    /// The members of the class whose variables `creator` holds: itself
    /// unless it is the first of a class of identical creators.
    fn members<'a>(&'a self, creator: &'a usize) -> &'a [usize] {
        self.classes
            .get(creator)
            .map_or(std::slice::from_ref(creator), Vec::as_slice)
    }

    /// The hire columns of a creator (see [`CreatorVars::hire_columns`]):
    /// its class's, for a member of a class.
    pub fn hire_columns(&self, creator: usize) -> &[Variable] {
        match &self.creators[creator] {
            CreatorVars::Member { of } => self.creators[*of].hire_columns(),
            cv => cv.hire_columns(),
        }
    }

    /// Reads the decisions of a solution: posts per creator, hires per pool.
    /// A class's counts go to its members in roster order, the first
    /// hired first.
    pub fn decisions(&self, value: impl Fn(Variable) -> f64) -> Decisions {
        let whole = |v: Variable| value(v).round().max(0.0) as u32;
        let mut posts = vec![0; self.creators.len()];
        for (i, cv) in self.creators.iter().enumerate() {
            let members = self.members(&i);
            let n = members.len() as u32;
            let mut given = Vec::with_capacity(members.len());
            match cv {
                CreatorVars::Unavailable | CreatorVars::Member { .. } => {}
                CreatorVars::Count { hired, posts } => {
                    let hired = whole(*hired).min(n);
                    // Each member hired posts once, and the rest are spread
                    // up to the class's post limit (the rows keep them within
                    // it; round-off is clipped).
                    let mut extra = whole(*posts).saturating_sub(hired);
                    for _ in 0..hired {
                        let more = extra.min(self.max_posts[i].saturating_sub(1));
                        extra -= more;
                        given.push(1 + more);
                    }
                }
                CreatorVars::Chain { posts } => {
                    // Members publishing a k-th post, non-increasing in k.
                    let counts: Vec<u32> = posts.iter().map(|&x| whole(x).min(n)).collect();
                    for j in 0..counts.first().copied().unwrap_or(0) {
                        given.push(counts.iter().take_while(|&&c| c > j).count() as u32);
                    }
                }
                CreatorVars::Choice { exactly } => {
                    for (k, &z) in (1..).zip(exactly) {
                        for _ in 0..whole(z) {
                            given.push(k);
                        }
                    }
                    given.sort_unstable_by(|a, b| b.cmp(a));
                }
            }
            for (&m, g) in members.iter().zip(given) {
                posts[m] = g;
            }
        }
        Decisions {
            posts,
            hires: self.pools.iter().map(|p| p.map_or(0, whole)).collect(),
        }
    }

    /// Values of the integer variables that encode given decisions (a warm start).
    pub fn encode(&self, decisions: &Decisions) -> Vec<(Variable, f64)> {
        let mut out = Vec::new();
        let count = |members: &[usize], keep: &dyn Fn(u32) -> bool| {
            f64::from(
                members
                    .iter()
                    .filter(|&&m| keep(decisions.posts[m]))
                    .count() as u32,
            )
        };
        for (i, cv) in self.creators.iter().enumerate() {
            let members = self.members(&i);
            match cv {
                CreatorVars::Unavailable | CreatorVars::Member { .. } => {}
                CreatorVars::Count { hired, posts } => {
                    out.push((*hired, count(members, &|n| n > 0)));
                    let total: u32 = members.iter().map(|&m| decisions.posts[m]).sum();
                    out.push((*posts, f64::from(total)));
                }
                CreatorVars::Chain { posts } => {
                    for (k, &x) in (0..).zip(posts) {
                        out.push((x, count(members, &|n| n > k)));
                    }
                }
                CreatorVars::Choice { exactly } => {
                    for (k, &z) in (1..).zip(exactly) {
                        out.push((z, count(members, &|n| n == k)));
                    }
                }
            }
        }
        for (p, &z) in self.pools.iter().zip(&decisions.hires) {
            if let Some(v) = p {
                out.push((*v, f64::from(z)));
            }
        }
        out
    }
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

/// What to optimise.
#[derive(Debug, Clone, PartialEq)]
pub enum Goal {
    /// Maximise one goal's total alone (the G* solves).
    Single(GoalKind),
    /// Maximise Σ w·G/G* with the weights already normalised (zero for dropped goals).
    Normalised {
        /// Normalised weights per goal.
        weights: [f64; 3],
        /// G* per goal (1 where the goal dropped out).
        best: [f64; 3],
    },
    /// Maximise money value: per thousand reach, per engagement, per conversion.
    Values([f64; 3]),
    /// Minimise spend (target mode; the targets are constraints).
    Spend,
}

impl Goal {
    /// Whether the goal is minimised (target mode) rather than maximised.
    pub fn sense(&self) -> crate::solve::Sense {
        match self {
            Goal::Spend => crate::solve::Sense::Minimise,
            _ => crate::solve::Sense::Maximise,
        }
    }

    /// Objective coefficients per unit of (unique reach, engagements,
    /// conversions); all zero for [`Goal::Spend`], whose objective is spend.
    pub fn coefficients(&self) -> [f64; 3] {
        match self {
            Goal::Single(g) => {
                let mut c = [0.0; 3];
                c[g.index()] = 1.0;
                c
            }
            Goal::Normalised { weights, best } => [0, 1, 2].map(|i| weights[i] / best[i]),
            Goal::Values(v) => [v[0] / 1000.0, v[1], v[2]],
            Goal::Spend => [0.0; 3],
        }
    }
}

impl Program {
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
            Goal::Values(v) => {
                let mut e = Expression::from(0.0);
                e.add_mul(v[0] / 1000.0, self.totals.awareness.clone());
                e.add_mul(v[1], self.totals.engagements.clone());
                e.add_mul(v[2], self.totals.conversions.clone());
                e
            }
            Goal::Spend => self.totals.spend.clone(),
        }
    }
}

/// The expression of a creator's posts weighted by repeat decay (Σ d^(k-1) x(k)),
/// and of its plain post count.
fn creator_posts(cv: &CreatorVars, d: f64) -> (Expression, Expression) {
    match cv {
        CreatorVars::Unavailable | CreatorVars::Member { .. } => {
            (Expression::from(0.0), Expression::from(0.0))
        }
        CreatorVars::Count { posts, .. } => (Expression::from(*posts), Expression::from(*posts)),
        CreatorVars::Chain { posts } => {
            let mut weighted = Expression::from(0.0);
            let mut count = Expression::from(0.0);
            for (k, &x) in posts.iter().enumerate() {
                weighted.add_mul(d.powi(k as i32), x);
                count += x;
            }
            (weighted, count)
        }
        CreatorVars::Choice { exactly } => {
            let mut weighted = Expression::from(0.0);
            let mut count = Expression::from(0.0);
            let mut decayed = 0.0;
            for (k, &z) in exactly.iter().enumerate() {
                decayed += d.powi(k as i32);
                weighted.add_mul(decayed, z);
                count.add_mul((k + 1) as f64, z);
            }
            (weighted, count)
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
    /// R_a / U_a per audience group (see [`VarMap::group_reach`]).
    pub group_reach: Vec<Variable>,
}

impl Outcomes {
    /// Expressions of (A, E, C) weighted by objective coefficients.
    pub fn weighted(&self, coefficients: [f64; 3]) -> Expression {
        let mut e = Expression::from(0.0);
        e.add_mul(coefficients[0], self.awareness.clone());
        e.add_mul(coefficients[1], self.engagements.clone());
        e.add_mul(coefficients[2], self.conversions.clone());
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
        for (c, cv) in s.creators.iter().zip(&self.map.creators) {
            let (weighted, _) = creator_posts(cv, d);
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

/// Whether [`build`] leaves out what no feasible plan can use.
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
    figures: [u64; 7],
    max_posts: u32,
    niches: Vec<usize>,
    group: Option<usize>,
}

impl Identity {
    fn of(c: &crate::model::Creator, max_posts: u32) -> Identity {
        let a = &c.audience;
        let mut niches = c.niches.clone();
        niches.sort_unstable();
        niches.dedup();
        Identity {
            tier: c.tier,
            figures: [
                a.followers,
                a.reach_rate,
                a.engagement_rate,
                a.conversion_rate,
                a.delivery,
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
fn classes(s: &Scenario, max_posts: &[u32]) -> BTreeMap<usize, Vec<usize>> {
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
/// still need it (hire counts, niche minimums, or spend shares, which its
/// spend moves).
fn of_no_use(s: &Scenario, audience: &crate::model::Audience, niches: &[usize]) -> bool {
    let needed = s.limits.min_creators.is_some_and(|k| k > 0)
        || !s.limits.tier_share.is_empty()
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
pub fn usable_posts(s: &Scenario, c: &crate::model::Creator) -> u32 {
    if c.require {
        // Kept whole: if it cannot be afforded, the solver must say the
        // scenario is infeasible rather than quietly drop it.
        return c.max_posts;
    }
    if c.exclude || of_no_use(s, &c.audience, &c.niches) {
        return 0;
    }
    affordable(s.budget, c.fee, c.price_per_post, c.max_posts)
}

/// Hires from a pool that any feasible plan can use.
pub fn usable_hires(s: &Scenario, p: &crate::model::Pool) -> u32 {
    if of_no_use(s, &p.audience, &p.niches) {
        return 0;
    }
    affordable(s.budget, 0.0, p.cost_per_hire(), p.available)
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
    let mut tier_spend = vec![Expression::from(0.0); s.market.tiers.len()];
    let mut creators = Expression::from(0.0);
    let mut niche_hires = vec![Expression::from(0.0); s.niches.len()];
    for (c, cv) in s.creators.iter().zip(&creator_vars) {
        let (_, post_count) = creator_posts(cv, d);
        let hired = cv.hired();
        let mut cost = Expression::from(0.0);
        cost.add_mul(c.fee, hired.clone());
        cost.add_mul(c.price_per_post, post_count);
        spend += cost.clone();
        tier_spend[c.tier] += cost;
        creators += hired.clone();
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
        tier_spend[p.tier] += cost;
        creators += z;
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
    for m in &s.limits.niches {
        push(
            rows,
            Family::Niche(m.niche),
            niche_hires[m.niche].clone().geq(f64::from(m.min_creators)),
        );
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

/// The objective of a scenario once the G* values are known (weights mode),
/// or directly (values mode).
pub fn scenario_goal(s: &Scenario, best: Option<[f64; 3]>) -> Goal {
    match &s.objective {
        Objective::Values(v) => Goal::Values(*v),
        Objective::MinimiseSpend => Goal::Spend,
        Objective::Weights(w) => {
            let best = best.unwrap_or([1.0; 3]);
            let mut weights = [0.0; 3];
            for i in 0..3 {
                if w[i] > 0.0 && best[i] > 0.0 {
                    weights[i] = w[i];
                }
            }
            let sum: f64 = weights.iter().sum();
            if sum > 0.0 {
                for w in &mut weights {
                    *w /= sum;
                }
            }
            let best = best.map(|b| if b > 0.0 { b } else { 1.0 });
            Goal::Normalised { weights, best }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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

    /// Three identical creators (the platform differs, which the model
    /// does not use), one priced differently, one required.
    const COPIES: &str =
        "  - { handle: '@a', followers: 5000, price_per_post: 100, max_posts: 3, platform: tiktok }
  - { handle: '@other', followers: 5000, price_per_post: 101, max_posts: 3 }
  - { handle: '@b', followers: 5000, price_per_post: 100, max_posts: 3 }
  - { handle: '@required', followers: 5000, price_per_post: 100, max_posts: 3, require: true }
  - { handle: '@c', followers: 5000, price_per_post: 100, max_posts: 3, platform: youtube }
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
                posts: vec![1, 2, 0, 3, 3],
                hires: vec![],
            };
            let values: std::collections::HashMap<Variable, f64> =
                merged.map.encode(&plan).into_iter().collect();
            let read = merged
                .map
                .decisions(|v| values.get(&v).copied().unwrap_or(0.0));
            assert_eq!(read.posts, vec![3, 2, 1, 3, 0], "{form:?}");
            let e = crate::evaluate::evaluate(&s, &plan);
            let f = crate::evaluate::evaluate(&s, &read);
            assert_eq!(
                (e.spend, e.awareness, e.creators),
                (f.spend, f.awareness, f.creators)
            );
        }
    }
}
