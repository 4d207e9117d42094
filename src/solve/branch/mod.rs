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

mod relax;

use relax::{Coord, Domain, Multipliers, Relaxed};

use crate::model::{Decisions, Objective, Scenario};

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
