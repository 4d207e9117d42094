//! The engine's form of a scenario: every creator and pool an item with a
//! choice of counts (posts for a creator, hires for a pool), every row of
//! MODEL.md over the items' totals, and the objective; with how a choice is
//! totalled, checked and read back as decisions.

use crate::model::{Decisions, Goal, Scenario};
use crate::program::{usable_hires, usable_posts};

/// Relative slack allowed on every row when a plan found here is accepted.
pub(super) const FEASIBILITY: f64 = 1e-9;

/// What the engine optimises.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Aim {
    /// Maximise coefficients times (awareness, engagements, conversions).
    Maximise([f64; 3]),
    /// Maximise coefficients times the outcomes, less spend (profit).
    Profit([f64; 3]),
    /// Minimise spend (target mode).
    MinimiseSpend,
}

impl Aim {
    /// The aim of a goal, or `None` if a coefficient is negative or not
    /// finite (no scenario states one).
    pub fn of(goal: &Goal) -> Option<Aim> {
        match goal {
            Goal::Spend => Some(Aim::MinimiseSpend),
            _ => {
                let c = goal.coefficients();
                let aim = match goal {
                    Goal::Profit(_) => Aim::Profit(c),
                    _ => Aim::Maximise(c),
                };
                c.iter().all(|c| c.is_finite() && *c >= 0.0).then_some(aim)
            }
        }
    }

    /// The objective coefficients on (awareness, engagements, conversions).
    pub(super) fn coefficients(self) -> [f64; 3] {
        match self {
            Aim::Maximise(c) | Aim::Profit(c) => c,
            Aim::MinimiseSpend => [0.0; 3],
        }
    }

    /// The weight of spend in the maximised objective (−1 to minimise it).
    pub(super) fn spend_weight(self) -> f64 {
        match self {
            Aim::Maximise(_) => 0.0,
            Aim::Profit(_) | Aim::MinimiseSpend => -1.0,
        }
    }
}

/// Where an item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    /// A named creator: the count is its posts.
    Creator(usize),
    /// A pool: the count is its hires, each of the pool's fixed posts.
    Pool(usize),
}

/// One creator or pool with the counts it may take.
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub source: Source,
    /// Its spend class: its tier, or its tier on its platform where
    /// platform shares of spend are bounded.
    pub tier: usize,
    /// Audience group, if any.
    pub group: Option<usize>,
    /// The count rows (indices into [`Problem::niche_min`]) its hires count towards.
    pub niches: Vec<usize>,
    /// Must be hired.
    pub required: bool,
    /// Largest count.
    pub max: u32,
    /// Creators: per post count n = 1..=max (index n − 1), the cost and
    /// (reach, engagements, conversions). Pools: one entry, per hire; n
    /// hires cost and yield n times as much.
    pub cost: Vec<f64>,
    pub goals: Vec<[f64; 3]>,
}

impl Item {
    /// Whether the item's counts are hires (each one a creator).
    pub fn is_pool(&self) -> bool {
        matches!(self.source, Source::Pool(_))
    }

    /// Creators hired with count `n`.
    pub fn hires(&self, n: u32) -> u32 {
        if self.is_pool() { n } else { u32::from(n > 0) }
    }

    /// Cost and outcomes with count `n` ≥ 1.
    pub fn option(&self, n: u32) -> (f64, [f64; 3]) {
        if self.is_pool() {
            let k = f64::from(n);
            (k * self.cost[0], self.goals[0].map(|g| k * g))
        } else {
            let i = (n - 1) as usize;
            (self.cost[i], self.goals[i])
        }
    }
}

/// MODEL.md's program in item form.
#[derive(Debug, Clone)]
pub struct Problem {
    pub(super) items: Vec<Item>,
    pub(super) creators: usize,
    pub(super) pools: usize,
    /// Spend classes: tiers, or (tier, platform) pairs where platform
    /// shares are bounded.
    pub(super) tiers: usize,
    pub(super) budget: f64,
    /// Most and fewest hires.
    pub(super) max_hires: u32,
    pub(super) min_hires: u32,
    /// Share rows: Σ_t a[t]·S_t ≤ 0, one coefficient per spend class.
    pub(super) shares: Vec<Vec<f64>>,
    /// Count rows: Σ sign·hires ≥ niche_min over the items listing the
    /// row; niche minimums and platform minimums (sign 1) and platform
    /// maximums (sign −1, the bound negated).
    pub(super) niche_min: Vec<f64>,
    pub(super) niche_sign: Vec<f64>,
    /// Goal targets: awareness, engagements, conversions.
    pub(super) targets: [Option<f64>; 3],
    /// Audience group sizes.
    pub(super) caps: Vec<f64>,
    pub(super) aim: Aim,
    /// The lowest objective any plan can have: a node whose bound is below
    /// it has no plan.
    pub(super) floor: f64,
    /// Objective per unit of spend of the best option: the scale of the
    /// budget's price.
    pub(super) value_per_cost: f64,
    /// The scale of a niche row's price, and of each target's: the most
    /// a first post costs, in objective, per hire and per unit of the goal.
    pub(super) niche_scale: f64,
    pub(super) target_scale: [f64; 3],
    /// Every plan's objective is a whole number (spend, when every cost
    /// is): a bound can be rounded down to one.
    pub(super) integral: bool,
}

/// A choice's totals: what every row and the objective read.
#[derive(Debug, Clone, Default)]
pub(super) struct Totals {
    pub spend: f64,
    pub tier_spend: Vec<f64>,
    pub tier_hires: Vec<u32>,
    pub hires: u32,
    pub niche_hires: Vec<f64>,
    /// Reach of items in no audience group.
    pub reach_out: f64,
    /// Reach of each group's members.
    pub group_reach: Vec<f64>,
    pub engagements: f64,
    pub conversions: f64,
}

impl Problem {
    /// The scenario in item form under an aim, or `None` if it has what
    /// the engine does not take (a count beyond its range).
    pub fn of(s: &Scenario, aim: Aim) -> Option<Problem> {
        let mut items = Vec::new();
        let niche_rows: Vec<(usize, u32)> = s
            .limits
            .niches
            .iter()
            .filter(|n| n.min_creators > 0)
            .map(|n| (n.niche, n.min_creators))
            .collect();
        let rows_of = |niches: &[usize]| -> Vec<usize> {
            let mut rows: Vec<usize> = niche_rows
                .iter()
                .enumerate()
                .filter(|(_, (n, _))| niches.contains(n))
                .map(|(r, _)| r)
                .collect();
            rows.dedup();
            rows
        };
        for (i, c) in s.creators.iter().enumerate() {
            let m = usable_posts(s, c);
            if m == 0 {
                if c.require {
                    // A required creator without posts: no plan hires it.
                    items.push(Item {
                        source: Source::Creator(i),
                        tier: c.tier,
                        group: c.group,
                        niches: rows_of(&c.niches),
                        required: true,
                        max: 0,
                        cost: Vec::new(),
                        goals: Vec::new(),
                    });
                }
                continue;
            }
            if m > 100_000 {
                return None;
            }
            let a = &c.audience;
            let (cost, goals) = (1..=m)
                .map(|n| {
                    let k = s.decay_sum(n);
                    (
                        c.cost(n),
                        [k * a.reach(), k * a.engagements(), k * a.conversions()],
                    )
                })
                .unzip();
            items.push(Item {
                source: Source::Creator(i),
                tier: c.tier,
                group: c.group,
                niches: rows_of(&c.niches),
                required: c.require,
                max: m,
                cost,
                goals,
            });
        }
        for (t, p) in s.pools.iter().enumerate() {
            let n = usable_hires(s, p);
            if n == 0 {
                continue;
            }
            let k = s.decay_sum(p.posts);
            let a = &p.audience;
            items.push(Item {
                source: Source::Pool(t),
                tier: p.tier,
                group: p.group,
                niches: rows_of(&p.niches),
                required: false,
                max: n,
                cost: vec![p.cost_per_hire()],
                goals: vec![[k * a.reach(), k * a.engagements(), k * a.conversions()]],
            });
        }
        // A group's unique reach is min(U, Σ r) = min(U, Σ min(U, r)): each
        // option's (each hire's) reach counted towards its group at most U.
        // Exact for every plan, and a much tighter relaxation where one
        // creator's posts can fill a group alone.
        for it in &mut items {
            if let Some(g) = it.group {
                let cap = s.audiences[g].size;
                for goals in &mut it.goals {
                    goals[0] = goals[0].min(cap);
                }
            }
        }
        // Spend classes: a tier, or a tier on a platform where platform
        // shares need the spend per platform.
        let of_source = |source: Source| match source {
            Source::Creator(i) => (s.creators[i].tier, s.creators[i].platform),
            Source::Pool(t) => (s.pools[t].tier, s.pools[t].platform),
        };
        let by_platform = !s.limits.platform_share.is_empty();
        let mut classes: Vec<(usize, usize)> = if by_platform {
            Vec::new()
        } else {
            (0..s.tiers.len()).map(|t| (t, 0)).collect()
        };
        if by_platform {
            for it in &mut items {
                let key = of_source(it.source);
                it.tier = classes.iter().position(|&c| c == key).unwrap_or_else(|| {
                    classes.push(key);
                    classes.len() - 1
                });
            }
        }
        let tiers = classes.len();
        let mut shares: Vec<Vec<f64>> = Vec::new();
        let mut share_rows =
            |member: &dyn Fn((usize, usize)) -> bool, min: Option<f64>, max: Option<f64>| {
                let unit = |c: usize| if member(classes[c]) { 1.0 } else { 0.0 };
                if let Some(max) = max {
                    shares.push((0..tiers).map(|c| unit(c) - max).collect());
                }
                if let Some(min) = min {
                    shares.push((0..tiers).map(|c| min - unit(c)).collect());
                }
            };
        for share in &s.limits.tier_share {
            share_rows(&|(t, _)| t == share.tier, share.min, share.max);
        }
        for share in &s.limits.platform_share {
            share_rows(&|(_, p)| p == share.platform, share.min, share.max);
        }
        // Count rows: the niche minimums, then each platform's bounds.
        let mut niche_min: Vec<f64> = niche_rows.iter().map(|&(_, m)| f64::from(m)).collect();
        let mut niche_sign = vec![1.0; niche_min.len()];
        for bound in &s.limits.platforms {
            let mut rows = Vec::new();
            if let Some(m) = bound.min_creators.filter(|&m| m > 0) {
                rows.push(niche_min.len());
                niche_min.push(f64::from(m));
                niche_sign.push(1.0);
            }
            if let Some(k) = bound.max_creators {
                rows.push(niche_min.len());
                niche_min.push(-f64::from(k));
                niche_sign.push(-1.0);
            }
            for it in &mut items {
                if of_source(it.source).1 == bound.platform {
                    it.niches.extend(&rows);
                }
            }
        }
        let coefficients = aim.coefficients();
        let mut value_per_cost: f64 = 0.0;
        for it in &items {
            for (cost, goals) in it.cost.iter().zip(&it.goals) {
                let value: f64 = coefficients.iter().zip(goals).map(|(c, g)| c * g).sum();
                if *cost > 0.0 {
                    value_per_cost = value_per_cost.max(value / cost);
                }
            }
        }
        if value_per_cost <= 0.0 || !value_per_cost.is_finite() {
            value_per_cost = 1.0;
        }
        let per_cost = value_per_cost + 1.0;
        let niche_scale = items
            .iter()
            .filter_map(|it| it.cost.first())
            .fold(1.0, |m: f64, c| m.max(per_cost * c));
        let target_scale = [0, 1, 2].map(|g| {
            items
                .iter()
                .filter_map(|it| Some((it.cost.first()?, it.goals.first()?[g])))
                .filter(|(_, goal)| *goal > 0.0)
                .fold(1.0, |m: f64, (c, goal)| m.max(per_cost * c / goal))
        });
        let max_hires = s.limits.max_creators.unwrap_or(u32::MAX);
        let floor = match aim {
            Aim::Maximise(_) => 0.0,
            Aim::Profit(_) | Aim::MinimiseSpend => -s.budget,
        };
        let integral = aim == Aim::MinimiseSpend
            && items
                .iter()
                .flat_map(|it| &it.cost)
                .all(|c| c.fract() == 0.0 && c.abs() < 1e15);
        Some(Problem {
            integral,
            creators: s.creators.len(),
            pools: s.pools.len(),
            tiers,
            budget: s.budget,
            max_hires,
            min_hires: s.limits.min_creators.unwrap_or(0),
            shares,
            niche_min,
            niche_sign,
            targets: s.targets,
            caps: s.audiences.iter().map(|g| g.size).collect(),
            aim,
            floor,
            value_per_cost,
            niche_scale,
            target_scale,
            items,
        })
    }

    /// The totals of a choice (a count per item).
    pub(super) fn totals(&self, choice: &[u32], out: &mut Totals) {
        self.clear(out);
        for (it, &n) in self.items.iter().zip(choice) {
            if n > 0 {
                self.add(it, n, out);
            }
        }
    }

    /// The totals of a choice whose counts are zero outside `live`.
    pub(super) fn totals_of(&self, live: &[u32], choice: &[u32], out: &mut Totals) {
        self.clear(out);
        for &i in live {
            let n = choice[i as usize];
            if n > 0 {
                self.add(&self.items[i as usize], n, out);
            }
        }
    }

    /// Totals of no hire.
    pub(super) fn clear(&self, out: &mut Totals) {
        out.spend = 0.0;
        out.tier_spend.clear();
        out.tier_spend.resize(self.tiers, 0.0);
        out.tier_hires.clear();
        out.tier_hires.resize(self.tiers, 0);
        out.hires = 0;
        out.niche_hires.clear();
        out.niche_hires.resize(self.niche_min.len(), 0.0);
        out.reach_out = 0.0;
        out.group_reach.clear();
        out.group_reach.resize(self.caps.len(), 0.0);
        out.engagements = 0.0;
        out.conversions = 0.0;
    }

    /// Moves item `i` from count `from` to `to` in totals.
    pub(super) fn shift(&self, i: usize, from: u32, to: u32, out: &mut Totals) {
        let it = &self.items[i];
        self.remove(it, from, out);
        self.add(it, to, out);
    }

    /// Takes an item with count `n` out of totals.
    fn remove(&self, it: &Item, n: u32, out: &mut Totals) {
        self.accumulate::<false>(it, n, out);
    }

    /// Adds an item with count `n` to totals.
    pub(super) fn add(&self, it: &Item, n: u32, out: &mut Totals) {
        self.accumulate::<true>(it, n, out);
    }

    /// Adds an item with count `n` to totals (`ADD`), or takes it out.
    #[inline]
    fn accumulate<const ADD: bool>(&self, it: &Item, n: u32, out: &mut Totals) {
        if n == 0 {
            return;
        }
        let (cost, [reach, engagements, conversions]) = it.option(n);
        let hires = it.hires(n);
        let sign = if ADD { 1.0 } else { -1.0 };
        let count = |total: &mut u32| {
            if ADD {
                *total += hires;
            } else {
                *total -= hires;
            }
        };
        out.spend += sign * cost;
        out.tier_spend[it.tier] += sign * cost;
        count(&mut out.tier_hires[it.tier]);
        count(&mut out.hires);
        for &r in &it.niches {
            out.niche_hires[r] += sign * self.niche_sign[r] * f64::from(hires);
        }
        match it.group {
            Some(g) => out.group_reach[g] += sign * reach,
            None => out.reach_out += sign * reach,
        }
        out.engagements += sign * engagements;
        out.conversions += sign * conversions;
    }

    /// Unique reach: reach outside groups plus each group's, capped.
    pub(super) fn awareness(&self, t: &Totals) -> f64 {
        t.reach_out
            + t.group_reach
                .iter()
                .zip(&self.caps)
                .map(|(r, u)| r.min(*u))
                .sum::<f64>()
    }

    /// The objective (maximised) of a choice with these totals.
    pub(super) fn objective(&self, t: &Totals) -> f64 {
        let [ca, ce, cc] = self.aim.coefficients();
        let mut value = ce * t.engagements + cc * t.conversions + self.aim.spend_weight() * t.spend;
        if ca != 0.0 {
            value += ca * self.awareness(t);
        }
        value
    }

    /// Whether a choice with these totals is a plan: every row of MODEL.md
    /// (required creators and counts within range are the caller's).
    pub(super) fn is_plan(&self, choice: &[u32], t: &Totals) -> bool {
        self.rows_hold(t)
            && self
                .items
                .iter()
                .zip(choice)
                .all(|(it, &n)| n <= it.max && (!it.required || n > 0))
    }

    /// Whether totals meet every row of MODEL.md: the budget, the hire
    /// limits, tier shares, niche minimums and targets.
    pub(super) fn rows_hold(&self, t: &Totals) -> bool {
        let slack = FEASIBILITY * self.budget.abs().max(t.spend).max(1.0);
        let goals = [self.awareness(t), t.engagements, t.conversions];
        t.spend <= self.budget + slack
            && t.hires <= self.max_hires
            && t.hires >= self.min_hires
            && self.shares.iter().all(|row| {
                row.iter()
                    .zip(&t.tier_spend)
                    .map(|(a, s)| a * s)
                    .sum::<f64>()
                    <= slack
            })
            && t.niche_hires
                .iter()
                .zip(&self.niche_min)
                .all(|(h, m)| h >= m)
            && self
                .targets
                .iter()
                .zip(goals)
                .all(|(t, g)| t.is_none_or(|t| g >= t - FEASIBILITY * t.abs().max(1.0)))
    }

    /// The choice of a plan, or `None` if it uses what this problem leaves
    /// out.
    pub(super) fn encode(&self, d: &Decisions) -> Option<Vec<u32>> {
        let mut choice = vec![0u32; self.items.len()];
        let mut covered = 0usize;
        for (slot, it) in choice.iter_mut().zip(&self.items) {
            let n = match it.source {
                Source::Creator(i) => *d.posts.get(i)?,
                Source::Pool(t) => *d.hires.get(t)?,
            };
            if n > it.max {
                return None;
            }
            *slot = n;
            covered += usize::from(n > 0);
        }
        let used = d.posts.iter().chain(&d.hires).filter(|&&n| n > 0).count();
        (used == covered).then_some(choice)
    }

    /// The decisions of a choice.
    pub(super) fn decisions(&self, choice: &[u32]) -> Decisions {
        let mut d = Decisions {
            posts: vec![0; self.creators],
            hires: vec![0; self.pools],
        };
        for (it, &n) in self.items.iter().zip(choice) {
            match it.source {
                Source::Creator(i) => d.posts[i] = n,
                Source::Pool(t) => d.hires[t] = n,
            }
        }
        d
    }

    /// A bound on a node's plans, rounded down to a whole number where
    /// every plan's objective is one (less a hair for round-off).
    pub(super) fn sharpen(&self, bound: f64) -> f64 {
        if self.integral && bound.is_finite() {
            (bound + 1e-9 * bound.abs().max(1.0)).floor()
        } else {
            bound
        }
    }

    /// The objective in the scenario's own terms: spend when minimising it.
    pub(super) fn reported(&self, value: f64) -> f64 {
        match self.aim {
            Aim::Maximise(_) | Aim::Profit(_) => value,
            Aim::MinimiseSpend => -value,
        }
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing can be hired.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}
