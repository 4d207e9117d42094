//! The variable map: the decision variables of each creator, pool and
//! audience group, and the solver columns they become: the only code that
//! knows columns. It reads a solution back as decisions and encodes
//! decisions as a start.

use std::collections::{BTreeMap, HashMap};

use good_lp::{Expression, ProblemVariables, Variable};

use crate::model::evaluate::evaluate;
use crate::model::{Decisions, Scenario};

/// The decision variables of one creator, or of a class of identical
/// creators (see [`VarMap::classes`]): each variable then counts the
/// members of which it holds, in 0..n, where for one creator it is binary.
#[derive(Debug, Clone)]
pub enum CreatorVars {
    /// Cannot be hired (no posts on offer).
    Unavailable,
    /// Integer post count with a hire binary (no decay, [`super::Formulation::Counts`]).
    Count {
        /// y: hired (members hired).
        hired: Variable,
        /// n: posts, in [y, m·y].
        posts: Variable,
    },
    /// One binary per post, in order (a single post, repeat decay below 1
    /// in [`super::Formulation::Counts`], or [`super::Formulation::Chains`]).
    Chain {
        /// x(k): post k is published (members publishing a k-th post);
        /// x(1) is the hire.
        posts: Vec<Variable>,
    },
    /// One binary per post count, at most one of them set
    /// ([`super::Formulation::Choices`] and [`super::Formulation::AllChoices`]).
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
    /// The classes of identical creators merged by [`super::Reduce::Merge`], by
    /// their first member: every member, in roster order (the first
    /// included). Creators in no class hold their own variables.
    pub classes: BTreeMap<usize, Vec<usize>>,
    /// Posts on offer per creator in the program (after [`super::Reduce::Yes`]).
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

    /// Every variable's value for a plan of `scenario` (the program's own):
    /// a solver's starting point. Audience groups' reach shares are the
    /// plan's, capped at 1.
    pub fn encode_start(&self, scenario: &Scenario, plan: &Decisions) -> HashMap<Variable, f64> {
        let e = evaluate(scenario, plan);
        let mut values: HashMap<Variable, f64> = self.encode(plan).into_iter().collect();
        for ((r, group), members) in self
            .group_reach
            .iter()
            .zip(&scenario.audiences)
            .zip(&e.group_members_reach)
        {
            let share = if group.size > 0.0 {
                members.min(group.size) / group.size
            } else {
                0.0
            };
            values.insert(*r, share);
        }
        values
    }
}

/// A program's columns in the order solvers number them, indexed by
/// variable, with their bounds (what the shortlist's screen reads).
pub struct Columns {
    index: HashMap<Variable, usize>,
    /// Lower bound per column.
    pub lower: Vec<f64>,
    /// Upper bound per column.
    pub upper: Vec<f64>,
}

impl Columns {
    /// The columns of a program's variables.
    pub fn of(vars: &ProblemVariables) -> Columns {
        let mut columns = Columns {
            index: HashMap::new(),
            lower: Vec::new(),
            upper: Vec::new(),
        };
        for (i, (v, def)) in vars.iter_variables_with_def().enumerate() {
            columns.index.insert(v, i);
            columns.lower.push(def.get_min());
            columns.upper.push(def.get_max());
        }
        columns
    }

    /// The column of a variable.
    pub fn column(&self, v: Variable) -> usize {
        self.index[&v]
    }

    /// The variables, in column order.
    pub fn variables(vars: &ProblemVariables) -> impl Iterator<Item = Variable> + '_ {
        vars.iter_variables_with_def().map(|(v, _)| v)
    }

    /// Values per column of `vars` (0 for a variable without one): how an
    /// adapter hands a start to its solver. No index is built.
    pub fn dense(vars: &ProblemVariables, values: &HashMap<Variable, f64>) -> Vec<f64> {
        Columns::variables(vars)
            .map(|v| values.get(&v).copied().unwrap_or(0.0))
            .collect()
    }

    /// Values per variable of `vars`, from values per column: how an
    /// adapter reads its solver's solution back.
    pub fn sparse(vars: &ProblemVariables, columns: &[f64]) -> HashMap<Variable, f64> {
        Columns::variables(vars)
            .zip(columns.iter().copied())
            .collect()
    }
}

/// The expression of a creator's posts weighted by repeat decay (Σ d^(k-1) x(k)),
/// and of its plain post count.
pub(super) fn creator_posts(cv: &CreatorVars, d: f64) -> (Expression, Expression) {
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
