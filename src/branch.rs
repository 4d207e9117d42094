//! An exact branch and bound for rosters of named creators.
//!
//! The scenarios it takes are MODEL.md's program without pools, targets,
//! niche minimums or a minimum number of creators: a budget, at most K
//! hires, tier shares of spend and audience caps, maximising a linear
//! objective of reach, engagements and conversions. Each creator is one
//! item with a choice of post counts, so the program is a multiple-choice
//! knapsack with a cardinality limit, and its bounds come from Lagrangian
//! relaxation: with a price λ on the budget, ν on each tier-share row and
//! a weight π in [0, 1] on each audience cap (min(U, R) ≤ πU + (1 − π)R),
//! every creator's best post count is independent of the others, and the
//! K best creators (with positive value) give an upper bound on every plan
//! of the node. The bound is valid for any multipliers (weak duality), so
//! the multipliers need not be optimal for the result to be exact; better
//! multipliers only prune more.

use crate::model::{Objective, Scenario};
use crate::plan::Decisions;

/// Relative slack allowed on the budget and share rows when a plan found
/// here is accepted.
const FEASIBILITY: f64 = 1e-9;

/// Nodes after which a sample is left to the MILP solver (from the best
/// plan found): about a fifth of a second. The roster-200 samples that need
/// more are a few in a thousand.
pub const NODE_LIMIT: usize = 20_000;

/// Most tiers a market may have for this method.
const MAX_TIERS: usize = 16;

/// One creator with the post counts it may make.
#[derive(Debug, Clone)]
struct Item {
    /// Index into the scenario's creators.
    creator: usize,
    /// Tier index.
    tier: usize,
    /// Audience group, if any.
    group: Option<usize>,
    /// Per post count n = 1..=m (index n − 1): the cost.
    cost: Vec<f64>,
    /// Per post count: the objective outside audience groups.
    value: Vec<f64>,
    /// Per post count: reach counted towards its audience group, times the
    /// awareness coefficient (0 outside groups).
    reach: Vec<f64>,
    /// Must be hired.
    required: bool,
}

/// The program in item form.
#[derive(Debug, Clone)]
pub struct Problem {
    items: Vec<Item>,
    creators: usize,
    pools: usize,
    tiers: usize,
    budget: f64,
    slots: usize,
    /// Share rows: Σ_t a[t]·S_t ≤ 0, one coefficient per tier.
    rows: Vec<Vec<f64>>,
    /// Per audience group: its size times the awareness coefficient.
    caps: Vec<f64>,
    /// Largest value per unit of cost of any option: the budget price above
    /// which no creator is worth hiring.
    lam_max: f64,
}

/// Lagrange multipliers.
#[derive(Debug, Clone)]
struct Multipliers {
    lam: f64,
    nu: Vec<f64>,
    pi: Vec<f64>,
}

/// What a node allows: post-count bounds per item and hire-count bounds
/// per tier.
#[derive(Debug, Clone)]
struct Domain {
    posts: Vec<(u8, u8)>,
    tiers: Vec<(u16, u16)>,
    /// Whether any tier bound is tighter than the root's.
    counted: bool,
}

/// The relaxation's solution at given multipliers.
#[derive(Debug, Clone, Default)]
struct Relaxed {
    bound: f64,
    /// Chosen post count per item (0: not hired).
    choice: Vec<u8>,
    spend: f64,
    /// Activity of each share row.
    rows: Vec<f64>,
    /// Awareness-weighted reach of each group's chosen members.
    groups: Vec<f64>,
    /// The node has no plan (more required hires than slots).
    empty: bool,
}

/// The result of a solve.
#[derive(Debug, Clone)]
pub struct Solved {
    /// The optimal plan.
    pub decisions: Decisions,
    /// Its objective.
    pub objective: f64,
    /// Nodes explored.
    pub nodes: usize,
}

impl Problem {
    /// The scenario in item form, or `None` if it has a part this method
    /// does not handle (pools, targets, niche or creator minimums, a spend
    /// objective, a negative coefficient).
    pub fn of(s: &Scenario, coefficients: [f64; 3]) -> Option<Problem> {
        let supported = !matches!(s.objective, Objective::MinimiseSpend)
            && s.pools
                .iter()
                .all(|p| crate::program::usable_hires(s, p) == 0)
            && s.targets.iter().all(Option::is_none)
            && s.limits.niches.iter().all(|n| n.min_creators == 0)
            && s.limits.min_creators.unwrap_or(0) == 0
            && coefficients.iter().all(|c| c.is_finite() && *c >= 0.0)
            && s.market.tiers.len() <= MAX_TIERS
            && s.creators.len() <= usize::from(u16::MAX);
        if !supported {
            return None;
        }
        let [ca, ce, cc] = coefficients;
        let mut items = Vec::new();
        let mut lam_max: f64 = 0.0;
        for (i, c) in s.creators.iter().enumerate() {
            let m = crate::program::usable_posts(s, c);
            if m > u32::from(u8::MAX) {
                return None;
            }
            if m == 0 {
                continue;
            }
            let a = &c.audience;
            let mut item = Item {
                creator: i,
                tier: c.tier,
                group: c.group,
                cost: Vec::new(),
                value: Vec::new(),
                reach: Vec::new(),
                required: c.require,
            };
            for n in 1..=m {
                let k = s.decay_sum(n);
                let outside = if c.group.is_none() {
                    ca * a.reach()
                } else {
                    0.0
                };
                let value = k * (outside + ce * a.engagements() + cc * a.conversions());
                let reach = if c.group.is_some() {
                    k * ca * a.reach()
                } else {
                    0.0
                };
                let cost = c.cost(n);
                if cost > 0.0 {
                    lam_max = lam_max.max((value + reach) / cost);
                } else if value + reach > 0.0 {
                    // A free creator: no budget price rules it out.
                    return None;
                }
                item.cost.push(cost);
                item.value.push(value);
                item.reach.push(reach);
            }
            items.push(item);
        }
        let tiers = s.market.tiers.len();
        let mut rows = Vec::new();
        for share in &s.limits.tier_share {
            let unit = |t: usize| if t == share.tier { 1.0 } else { 0.0 };
            if let Some(max) = share.max {
                rows.push((0..tiers).map(|t| unit(t) - max).collect());
            }
            if let Some(min) = share.min {
                rows.push((0..tiers).map(|t| min - unit(t)).collect());
            }
        }
        let slots = s
            .limits
            .max_creators
            .map_or(items.len(), |k| (k as usize).min(items.len()));
        Some(Problem {
            creators: s.creators.len(),
            pools: s.pools.len(),
            tiers,
            budget: s.budget,
            slots,
            rows,
            caps: s.audiences.iter().map(|g| ca * g.size).collect(),
            lam_max: if lam_max > 0.0 { 2.0 * lam_max } else { 1.0 },
            items,
        })
    }

    /// The root domain: every option open, required creators hired.
    fn root(&self) -> Domain {
        Domain {
            posts: self
                .items
                .iter()
                .map(|it| (u8::from(it.required), it.cost.len() as u8))
                .collect(),
            tiers: vec![(0, self.slots as u16); self.tiers],
            counted: false,
        }
    }

    /// The Lagrangian relaxation at a node.
    fn relax(
        &self,
        dom: &Domain,
        mul: &Multipliers,
        out: &mut Relaxed,
        scratch: &mut Vec<(f64, u32, u8)>,
    ) {
        let rho = self.prices(mul);
        out.choice.clear();
        out.choice.resize(self.items.len(), 0);
        out.empty = false;
        scratch.clear();
        let mut bound = mul.lam * self.budget
            + self
                .caps
                .iter()
                .zip(&mul.pi)
                .map(|(u, p)| u * p)
                .sum::<f64>();
        let mut forced = 0usize;
        let mut forced_tier = [0u16; MAX_TIERS];
        for (i, (it, &(lo, hi))) in self.items.iter().zip(&dom.posts).enumerate() {
            if lo > hi {
                return self.no_plan(out);
            }
            if hi == 0 {
                continue;
            }
            let (best, best_n) = self.best(i, lo.max(1), hi, &rho, mul);
            if lo >= 1 {
                forced += 1;
                forced_tier[it.tier] += 1;
                bound += best;
                out.choice[i] = best_n;
            } else if best > 0.0 || dom.counted {
                scratch.push((best, i as u32, best_n));
            }
        }
        if forced > self.slots {
            return self.no_plan(out);
        }
        let free = self.slots - forced;
        if !dom.counted {
            if scratch.len() > free {
                if free == 0 {
                    scratch.clear();
                } else {
                    scratch.select_nth_unstable_by(free - 1, |a, b| {
                        b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
                    });
                    scratch.truncate(free);
                }
            }
            for &(v, i, n) in scratch.iter() {
                bound += v;
                out.choice[i as usize] = n;
            }
        } else {
            // Tier counts bounded: each tier's best up to its minimum, then
            // the best of the rest within the tiers' maximums.
            scratch.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut taken = [0u16; MAX_TIERS];
            let mut left = free;
            let mut need = [0u16; MAX_TIERS];
            for (t, &(kmin, kmax)) in dom.tiers.iter().enumerate() {
                if forced_tier[t] > kmax {
                    return self.no_plan(out);
                }
                need[t] = kmin.saturating_sub(forced_tier[t]);
            }
            for &(v, i, n) in scratch.iter() {
                let t = self.items[i as usize].tier;
                if taken[t] < need[t] {
                    taken[t] += 1;
                    bound += v;
                    out.choice[i as usize] = n;
                    if left == 0 {
                        return self.no_plan(out);
                    }
                    left -= 1;
                }
            }
            if (0..self.tiers).any(|t| taken[t] < need[t]) {
                return self.no_plan(out);
            }
            for &(v, i, n) in scratch.iter() {
                if left == 0 || v <= 0.0 {
                    break;
                }
                let t = self.items[i as usize].tier;
                if out.choice[i as usize] == 0 && forced_tier[t] + taken[t] < dom.tiers[t].1 {
                    taken[t] += 1;
                    bound += v;
                    out.choice[i as usize] = n;
                    left -= 1;
                }
            }
        }
        out.bound = bound;
        self.totals(out);
    }

    /// Marks a relaxation as having no plan (its totals those of no hire).
    fn no_plan(&self, out: &mut Relaxed) {
        out.choice.iter_mut().for_each(|n| *n = 0);
        out.empty = true;
        out.bound = f64::NEG_INFINITY;
        self.totals(out);
    }

    /// Each tier's price of spend: λ plus the share rows' ν.
    fn prices(&self, mul: &Multipliers) -> [f64; MAX_TIERS] {
        let mut rho = [mul.lam; MAX_TIERS];
        for (row, nu) in self.rows.iter().zip(&mul.nu) {
            for (r, a) in rho.iter_mut().zip(row) {
                *r += nu * a;
            }
        }
        rho
    }

    /// An item's Lagrangian value with `n` posts.
    fn worth(&self, i: usize, n: u8, rho: &[f64], mul: &Multipliers) -> f64 {
        let it = &self.items[i];
        let keep = it.group.map_or(0.0, |g| 1.0 - mul.pi[g]);
        let k = usize::from(n - 1);
        it.value[k] + keep * it.reach[k] - rho[it.tier] * it.cost[k]
    }

    /// An item's best post count in `lo..=hi` (lo ≥ 1) and its value.
    fn best(&self, i: usize, lo: u8, hi: u8, rho: &[f64], mul: &Multipliers) -> (f64, u8) {
        let mut best = (self.worth(i, lo, rho, mul), lo);
        for n in lo + 1..=hi {
            let v = self.worth(i, n, rho, mul);
            if v > best.0 {
                best = (v, n);
            }
        }
        best
    }

    /// Spend, share-row activities and group reach of `out.choice`.
    fn totals(&self, out: &mut Relaxed) {
        out.spend = 0.0;
        out.rows.clear();
        out.rows.resize(self.rows.len(), 0.0);
        out.groups.clear();
        out.groups.resize(self.caps.len(), 0.0);
        for (it, &n) in self.items.iter().zip(&out.choice) {
            if n == 0 {
                continue;
            }
            let k = usize::from(n - 1);
            let cost = it.cost[k];
            out.spend += cost;
            for (r, row) in out.rows.iter_mut().zip(&self.rows) {
                *r += row[it.tier] * cost;
            }
            if let Some(g) = it.group {
                out.groups[g] += it.reach[k];
            }
        }
    }

    /// A choice with its totals.
    fn totalled(&self, choice: Vec<u8>) -> Relaxed {
        let mut r = Relaxed {
            choice,
            ..Relaxed::default()
        };
        self.totals(&mut r);
        r
    }

    /// Whether a choice (with its totals) is a plan: the budget, the share
    /// rows, the number of creators and every required creator.
    fn is_plan(&self, r: &Relaxed) -> bool {
        let slack = FEASIBILITY * self.budget.abs().max(r.spend).max(1.0);
        r.spend <= self.budget + slack
            && r.rows.iter().all(|&a| a <= slack)
            && r.choice.iter().filter(|&&n| n > 0).count() <= self.slots
            && self
                .items
                .iter()
                .zip(&r.choice)
                .all(|(it, &n)| !it.required || n > 0)
    }

    /// The objective of a choice.
    fn objective(&self, choice: &[u8]) -> f64 {
        let mut groups = vec![0.0; self.caps.len()];
        let mut total = 0.0;
        for (it, &n) in self.items.iter().zip(choice) {
            if n == 0 {
                continue;
            }
            let k = usize::from(n - 1);
            total += it.value[k];
            if let Some(g) = it.group {
                groups[g] += it.reach[k];
            }
        }
        total
            + groups
                .iter()
                .zip(&self.caps)
                .map(|(r, u)| r.min(*u))
                .sum::<f64>()
    }

    /// The choice of a plan (`None` if it hires a creator this problem
    /// leaves out).
    fn encode(&self, d: &Decisions) -> Option<Vec<u8>> {
        let mut choice = vec![0u8; self.items.len()];
        let mut covered = 0;
        for (slot, it) in choice.iter_mut().zip(&self.items) {
            let n = *d.posts.get(it.creator)?;
            if n as usize > it.cost.len() {
                return None;
            }
            *slot = n as u8;
            covered += usize::from(n > 0);
        }
        let hired = d.posts.iter().filter(|&&n| n > 0).count();
        (hired == covered).then_some(choice)
    }

    fn decisions(&self, choice: &[u8]) -> Decisions {
        let mut posts = vec![0u32; self.creators];
        for (it, &n) in self.items.iter().zip(choice) {
            posts[it.creator] = u32::from(n);
        }
        Decisions {
            posts,
            hires: vec![0; self.pools],
        }
    }

    /// Reduced-cost fixing: removes from the domain every option whose
    /// bound at the same multipliers (the relaxation with that option
    /// forced) is no better than `floor`. Forcing an item in displaces at
    /// most one chosen free item, and forcing one out brings in at most one
    /// other (the selection is a greedy pick under nested count limits), so
    /// each forced bound is at most the one computed here.
    fn fix(&self, dom: &mut Domain, mul: &Multipliers, r: &Relaxed, floor: f64) {
        let rho = self.prices(mul);
        // The weakest free item chosen and the strongest left out.
        let mut hired = 0;
        let mut per_tier = vec![0u16; self.tiers];
        let mut weakest = f64::INFINITY;
        let mut strongest: f64 = 0.0;
        for (i, &(lo, hi)) in dom.posts.iter().enumerate() {
            if hi == 0 {
                continue;
            }
            if r.choice[i] > 0 {
                hired += 1;
                per_tier[self.items[i].tier] += 1;
                if lo == 0 {
                    weakest = weakest.min(self.worth(i, r.choice[i], &rho, mul));
                }
            } else {
                strongest = strongest.max(self.best(i, 1, hi, &rho, mul).0);
            }
        }
        let full = hired >= self.slots;
        for i in 0..dom.posts.len() {
            let (mut lo, mut hi) = dom.posts[i];
            if hi == 0 {
                continue;
            }
            let n0 = r.choice[i];
            let tier = self.items[i].tier;
            let displaced = if full || per_tier[tier] >= dom.tiers[tier].1 {
                weakest
            } else {
                weakest.min(0.0)
            };
            // The bound with option n forced.
            let with = |n: u8| {
                if n0 == 0 {
                    r.bound + self.worth(i, n, &rho, mul) - displaced
                } else {
                    r.bound - self.worth(i, n0, &rho, mul) + self.worth(i, n, &rho, mul)
                }
            };
            while hi >= lo.max(1) && with(hi) <= floor {
                hi -= 1;
            }
            if lo == 0
                && hi >= 1
                && n0 > 0
                && r.bound - self.worth(i, n0, &rho, mul) + strongest <= floor
            {
                lo = 1;
            }
            while lo >= 1 && lo < hi && with(lo) <= floor {
                lo += 1;
            }
            dom.posts[i] = (lo, hi);
        }
    }

    /// Minimises the bound along one multiplier by bisection on its
    /// subgradient (the bound is convex and piecewise linear in each);
    /// keeps the best point seen.
    fn line(
        &self,
        dom: &Domain,
        mul: &mut Multipliers,
        coord: Coord,
        best: &mut Relaxed,
        (work, scratch): (&mut Relaxed, &mut Vec<(f64, u32, u8)>),
        steps: usize,
    ) {
        let get = |m: &Multipliers| match coord {
            Coord::Lam => m.lam,
            Coord::Nu(r) => m.nu[r],
            Coord::Pi(g) => m.pi[g],
        };
        let set = |m: &mut Multipliers, x: f64| match coord {
            Coord::Lam => m.lam = x,
            Coord::Nu(r) => m.nu[r] = x,
            Coord::Pi(g) => m.pi[g] = x,
        };
        // The bound's slope along the coordinate at the relaxation `r`.
        let slope = |r: &Relaxed| match coord {
            Coord::Lam => self.budget - r.spend,
            Coord::Nu(row) => -r.rows[row],
            Coord::Pi(g) => self.caps[g] - r.groups[g],
        };
        let start = get(mul);
        let mut best_x = start;
        let mut eval = |x: f64, m: &mut Multipliers, best: &mut Relaxed, best_x: &mut f64| -> f64 {
            set(m, x);
            self.relax(dom, m, work, scratch);
            if work.bound < best.bound {
                std::mem::swap(best, work);
                *best_x = x;
                slope(best)
            } else {
                slope(work)
            }
        };
        let g0 = slope(best);
        let (mut lo, mut hi);
        if g0 < 0.0 {
            // Raise the multiplier.
            lo = start;
            let cap = match coord {
                Coord::Lam => self.lam_max,
                Coord::Pi(_) => 1.0,
                // A share row that no plan of the node meets drives the
                // bound down without end: stop at a large finite price.
                Coord::Nu(_) => self.lam_max * 1e6,
            };
            let mut step = (start * 0.5).max(match coord {
                Coord::Lam => self.lam_max * 1e-6,
                Coord::Pi(_) => 0.05,
                Coord::Nu(_) => self.lam_max * 1e-3,
            });
            loop {
                let x = (lo + step).min(cap);
                if x <= lo {
                    set(mul, best_x);
                    return;
                }
                let g = eval(x, mul, best, &mut best_x);
                if g >= 0.0 {
                    hi = x;
                    break;
                }
                lo = x;
                if x >= cap {
                    set(mul, best_x);
                    return;
                }
                step *= 4.0;
            }
        } else if g0 > 0.0 && start > 0.0 {
            // Lower it.
            hi = start;
            let mut step = start * 0.25;
            loop {
                let x = (hi - step).max(0.0);
                let g = eval(x, mul, best, &mut best_x);
                if g <= 0.0 || x <= 0.0 {
                    lo = x;
                    if g > 0.0 {
                        set(mul, best_x);
                        return;
                    }
                    break;
                }
                hi = x;
                step *= 4.0;
            }
        } else {
            return;
        }
        for _ in 0..steps {
            if hi - lo <= 1e-13 * hi.abs().max(1e-300) {
                break;
            }
            let x = 0.5 * (lo + hi);
            let g = eval(x, mul, best, &mut best_x);
            if g < 0.0 {
                lo = x;
            } else if g > 0.0 {
                hi = x;
            } else {
                break;
            }
        }
        set(mul, best_x);
    }
}

#[derive(Debug, Clone, Copy)]
enum Coord {
    Lam,
    Nu(usize),
    Pi(usize),
}

/// A node still to be solved.
struct Node {
    dom: Domain,
    mul: Multipliers,
    bound: f64,
}

/// Solves the problem to a relative gap of `gap`, from a plan if one is
/// given. `Err` when it stops before settling it: after `node_limit` nodes
/// or at `deadline` (with the best plan found, if any), or with no plan at
/// all (left to a MILP solver to confirm with its own tolerances).
pub fn solve(
    p: &Problem,
    start: Option<&Decisions>,
    gap: f64,
    node_limit: usize,
    deadline: Option<std::time::Instant>,
) -> Result<Solved, Option<Decisions>> {
    let mut scratch = Vec::new();
    let mut incumbent: Option<(f64, Vec<u8>)> = None;
    // Keeps a plan if it beats the one in hand; returns its objective.
    let offer = |incumbent: &mut Option<(f64, Vec<u8>)>, choice: &[u8]| {
        let value = p.objective(choice);
        if incumbent.as_ref().is_none_or(|(z, _)| value > *z) {
            *incumbent = Some((value, choice.to_vec()));
        }
        value
    };
    if let Some(r) = start.and_then(|d| p.encode(d)).map(|c| p.totalled(c))
        && p.is_plan(&r)
    {
        offer(&mut incumbent, &r.choice);
    }
    let mut mul = Multipliers {
        lam: 0.0,
        nu: vec![0.0; p.rows.len()],
        pi: vec![0.5; p.caps.len()],
    };
    let root = p.root();
    let mut best = Relaxed::default();
    let mut work = Relaxed::default();
    p.relax(&root, &mul, &mut best, &mut scratch);
    if best.empty {
        return Err(None);
    }
    // Root multipliers: cyclic coordinate descent, each coordinate with
    // its bisection steps.
    let coords: Vec<(Coord, usize)> = std::iter::once((Coord::Lam, 60))
        .chain((0..p.rows.len()).map(|r| (Coord::Nu(r), 40)))
        .chain((0..p.caps.len()).map(|g| (Coord::Pi(g), 30)))
        .collect();
    for _ in 0..3 {
        for &(coord, steps) in &coords {
            p.line(
                &root,
                &mut mul,
                coord,
                &mut best,
                (&mut work, &mut scratch),
                steps,
            );
        }
    }
    let mut stack = vec![Node {
        dom: root,
        mul,
        bound: f64::INFINITY,
    }];
    let mut nodes = 0usize;
    let tolerance = |z: f64| gap * z.abs() + 1e-12;
    // Whether a bound leaves nothing to find beyond the plan in hand.
    let prunes = |incumbent: &Option<(f64, Vec<u8>)>, bound: f64| {
        incumbent
            .as_ref()
            .is_some_and(|(z, _)| bound <= z + tolerance(*z))
    };
    while let Some(node) = stack.pop() {
        if prunes(&incumbent, node.bound) {
            continue;
        }
        nodes += 1;
        let late =
            nodes.is_multiple_of(64) && deadline.is_some_and(|d| std::time::Instant::now() >= d);
        if nodes > node_limit || late {
            return Err(incumbent.map(|(_, c)| p.decisions(&c)));
        }
        let Node { dom, mut mul, .. } = node;
        p.relax(&dom, &mul, &mut best, &mut scratch);
        if best.empty {
            continue;
        }
        p.line(
            &dom,
            &mut mul,
            Coord::Lam,
            &mut best,
            (&mut work, &mut scratch),
            40,
        );
        let bound = best.bound;
        if bound.is_nan() {
            // Round-off out of hand: leave the node to the MILP solver.
            return Err(incumbent.map(|(_, c)| p.decisions(&c)));
        }
        if prunes(&incumbent, bound) {
            continue;
        }
        let mut dom = dom;
        if let Some((z, _)) = &incumbent {
            p.fix(&mut dom, &mul, &best, z + tolerance(*z));
        }
        if p.is_plan(&best) {
            let value = offer(&mut incumbent, &best.choice);
            if bound <= value + tolerance(value) {
                continue;
            }
        }
        // Branch. The relaxation mixes the selections on either side of
        // the budget price: first on a tier's hire count where they differ,
        // then on an item where they differ, else on the most expensive
        // free item it hires.
        let mut sides: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
        if mul.lam > 0.0 {
            for (side, factor) in sides.iter_mut().zip([1.0 - 1e-7, 1.0 + 1e-7]) {
                let mut m = mul.clone();
                m.lam = mul.lam * factor;
                p.relax(&dom, &m, &mut work, &mut scratch);
                if !work.empty {
                    *side = work.choice.clone();
                }
            }
        }
        let counts = |choice: &[u8]| {
            let mut c = vec![0u16; p.tiers];
            for (it, &n) in p.items.iter().zip(choice) {
                if n > 0 {
                    c[it.tier] += 1;
                }
            }
            c
        };
        let mut children = Vec::new();
        if !sides[0].is_empty() && !sides[1].is_empty() {
            let (a, b) = (counts(&sides[0]), counts(&sides[1]));
            if let Some(t) = (0..p.tiers).find(|&t| a[t] != b[t]) {
                let below = a[t].min(b[t]);
                let (kmin, kmax) = dom.tiers[t];
                if below >= kmin && below < kmax {
                    let mut left = dom.clone();
                    left.tiers[t] = (kmin, below);
                    left.counted = true;
                    let mut right = dom.clone();
                    right.tiers[t] = (below + 1, kmax);
                    right.counted = true;
                    children = vec![left, right];
                }
            }
        }
        if children.is_empty() {
            let differ = |i: usize| {
                !sides[0].is_empty() && !sides[1].is_empty() && sides[0][i] != sides[1][i]
            };
            // The most expensive item open at the node, with the post
            // count `n_of` gives it (0: not a candidate).
            let costliest = |n_of: &dyn Fn(usize) -> u8| {
                let cost = |i: usize| p.items[i].cost[usize::from(n_of(i) - 1)];
                (0..dom.posts.len())
                    .filter(|&i| dom.posts[i].0 < dom.posts[i].1 && n_of(i) > 0)
                    .max_by(|&a, &b| cost(a).total_cmp(&cost(b)))
                    .map(|i| (i, n_of(i)))
            };
            let pick = costliest(&|i| {
                if differ(i) {
                    sides[0][i].max(sides[1][i])
                } else {
                    0
                }
            })
            .or_else(|| costliest(&|i| best.choice[i]))
            .or_else(|| {
                let i = dom.posts.iter().position(|&(lo, hi)| lo < hi)?;
                Some((i, best.choice[i]))
            });
            let Some((i, n)) = pick else {
                // Every item fixed: the node is its one plan.
                let r = p.totalled(dom.posts.iter().map(|&(lo, _)| lo).collect());
                if p.is_plan(&r) {
                    offer(&mut incumbent, &r.choice);
                }
                continue;
            };
            let (lo, hi) = dom.posts[i];
            // Split below that choice: [lo, n − 1] and [n, hi].
            let split = if n > lo { n - 1 } else { lo };
            let mut left = dom.clone();
            left.posts[i] = (lo, split);
            let mut right = dom;
            right.posts[i] = (split + 1, hi);
            children = vec![left, right];
        }
        for dom in children {
            stack.push(Node {
                dom,
                mul: mul.clone(),
                bound,
            });
        }
    }
    match incumbent {
        Some((objective, choice)) => Ok(Solved {
            decisions: p.decisions(&choice),
            objective,
            nodes,
        }),
        None => Err(None),
    }
}
