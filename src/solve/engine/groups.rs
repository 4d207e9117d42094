//! The audience-group bound: a second bound on a node, in which each
//! audience group's members are chosen together with the cap exact,
//! min(U, Σ r), instead of weighted by π. The relaxation's π-weighted cap
//! is the group's linear relaxation, which may hire a fraction of the
//! member that fills the cap; a plan cannot, and with many groups those
//! small losses add up to a gap that splitting single items closes only
//! one group at a time. Here every group's best choice is found by a
//! small depth-first search, so every group's loss counts in one bound.
//!
//! The hire limits are priced instead of kept (a price per hire in each
//! tier, from the weakest hires the relaxation took) and the minimum on
//! hires is dropped: both only raise the bound, so it stays valid (weak
//! duality). Each group's search stops after a number of
//! nodes and then counts the group at its linear bound.

use super::problem::Problem;
use super::relax::{Domain, Multipliers, Prices, Relaxed, narrow};

/// Nodes of one group's search before the group is counted at its linear
/// bound.
const GROUP_NODES: usize = 4_000;

/// Weights on the cap at which each group's search bounds what its
/// undecided members can add (besides the relaxation's own π).
const GRID: [f64; 9] = [0.0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.85, 1.0];
const WEIGHTS: usize = GRID.len() + 1;

/// One member's choices: (value, reach) per count it may take, none
/// dominated by another (as much reach or more and as much value or more);
/// whether it may be left out.
#[derive(Debug, Default, Clone)]
struct Member {
    item: u32,
    /// (value, reach, count).
    options: Vec<(f64, f64, u32)>,
    optional: bool,
}

/// Work space of the group bound, reused between nodes.
#[derive(Debug, Default)]
pub(super) struct GroupScratch {
    members: Vec<Vec<Member>>,
    /// Each group's best choice in the last bound, as (item, count) for
    /// every member hired; `complete` when every group's search finished.
    pub choice: Vec<(u32, u32)>,
    pub complete: bool,
    path: Vec<u32>,
    best_path: Vec<u32>,
    counts: Vec<usize>,
    /// Per weight, what the members from each depth on can add at most.
    suffix: Vec<[f64; WEIGHTS]>,
    prices: Prices,
    /// The price of a hire per tier, and the last bound, for fixing.
    price: Vec<f64>,
    bound: Option<f64>,
}

impl GroupScratch {
    /// Forgets the last bound: a node where it was not computed neither
    /// fixes by it nor builds plans from its choices.
    pub(super) fn forget(&mut self) {
        self.bound = None;
        self.complete = false;
    }
}

impl Problem {
    /// A bound on every plan of the node, with each audience group's cap
    /// exact. `mul` and `r` are the node's tuned multipliers and their
    /// relaxation. Never below what a plan can reach,
    /// whatever they are.
    pub(super) fn group_bound(
        &self,
        dom: &Domain,
        mul: &Multipliers,
        r: &Relaxed,
        work: &mut GroupScratch,
    ) -> f64 {
        work.forget();
        self.prices_into(mul, &mut work.prices);
        let p = &work.prices;
        let ga = self.awareness_weight(mul);
        if self.caps.is_empty() || ga <= 0.0 {
            return f64::INFINITY;
        }
        // The price of a hire in each tier: the weakest optional hire the
        // relaxation took when the hire limit is full (none when it is
        // not), raised for a tier at its most hires and lowered for one at
        // its fewest, to that tier's weakest hire.
        let mut bound = p.constant() + self.hire_prices(dom, r, p, &mut work.price);
        let price = &work.price;
        for (u, pi) in self.caps.iter().zip(&mul.pi) {
            bound -= ga * pi * u;
        }
        let groups = self.caps.len();
        work.members.resize_with(groups, Vec::new);
        work.counts.clear();
        work.counts.resize(groups, 0);
        for &i in &dom.live {
            let i = i as usize;
            let it = &self.items[i];
            let (lo, hi) = dom.counts[i];
            if hi == 0 {
                continue;
            }
            match it.group {
                None => {
                    if it.is_pool() {
                        let w = self.worth(i, 1, p) - price[it.tier];
                        bound += w * f64::from(lo) + w.max(0.0) * f64::from(hi - lo);
                    } else {
                        let w = self.best(i, lo.max(1), hi, p).0 - price[it.tier];
                        bound += if lo >= 1 { w } else { w.max(0.0) };
                    }
                }
                Some(g) => {
                    let slot = work.counts[g];
                    if work.members[g].len() <= slot {
                        work.members[g].push(Member::default());
                    }
                    let reach_price = p.reach_group(g);
                    let m = &mut work.members[g][slot];
                    m.options.clear();
                    m.item = i as u32;
                    m.optional = lo == 0;
                    let option = |n: u32| {
                        let (_, goals) = it.option(n);
                        let reach = goals[0].min(self.caps[g]);
                        let hires = f64::from(it.hires(n));
                        let value = if it.is_pool() {
                            f64::from(n) * self.worth(i, 1, p)
                        } else {
                            self.worth(i, n, p)
                        } - reach_price * goals[0]
                            - price[it.tier] * hires;
                        (value, reach, n)
                    };
                    if it.is_pool() {
                        // Beyond the hires that fill the cap, more add
                        // only their value: the most then is best or worst.
                        let per = it.goals[0][0];
                        let fill = if per > 0.0 {
                            (self.caps[g] / per).ceil().min(f64::from(hi)) as u32
                        } else {
                            lo.max(1)
                        };
                        for n in lo.max(1)..=fill.max(lo.max(1)).min(hi) {
                            m.options.push(option(n));
                        }
                        m.options.push(option(hi));
                    } else {
                        for n in lo.max(1)..=hi {
                            m.options.push(option(n));
                        }
                    }
                    prune(m, ga, self.caps[g]);
                    if m.options.is_empty() {
                        continue;
                    }
                    work.counts[g] += 1;
                }
            }
        }
        work.choice.clear();
        work.complete = true;
        for g in 0..groups {
            let n = work.counts[g];
            let members = &mut work.members[g][..n];
            let (b, finished) = best_of_group(
                members,
                ga,
                self.caps[g],
                mul.pi[g],
                &mut work.suffix,
                (&mut work.path, &mut work.best_path),
                &mut work.choice,
            );
            bound += b;
            work.complete &= finished;
        }
        work.bound = Some(bound).filter(|b| b.is_finite());
        bound
    }

    /// Reduced-cost fixing on the group bound last computed for this
    /// domain: an item in no group adds its own term to that bound, so the
    /// bound with its count forced is that bound with the term swapped;
    /// counts whose forced bound is no better than `floor` are removed.
    pub(super) fn group_fix(&self, dom: &mut Domain, work: &GroupScratch, floor: f64) {
        let Some(bound) = work.bound else {
            return;
        };
        let p = &work.prices;
        for &i in &dom.live {
            let i = i as usize;
            let it = &self.items[i];
            let (lo, hi) = dom.counts[i];
            if it.group.is_some() || it.is_pool() || hi == 0 {
                continue;
            }
            let mu = work.price[it.tier];
            let term = {
                let w = self.best(i, lo.max(1), hi, p).0 - mu;
                if lo >= 1 { w } else { w.max(0.0) }
            };
            let with = |n: u32| self.sharpen(bound - term + (self.worth(i, n, p) - mu));
            let out = || Some(self.sharpen(bound - term));
            dom.counts[i] = narrow((lo, hi), with, out, floor);
        }
        self.settle(dom);
    }

    /// Prices of a hire per tier, into `price`, and the constant they add
    /// to the bound: μ·K + Σ_t α_t·kmax_t − Σ_t β_t·kmin_t, where tier t's
    /// price is μ + α_t − β_t (all three at least zero, so the bound holds
    /// for every plan within the hire limits).
    fn hire_prices(&self, dom: &Domain, r: &Relaxed, p: &Prices, price: &mut Vec<f64>) -> f64 {
        price.clear();
        price.resize(self.tiers, f64::INFINITY);
        // The weakest optional hire taken per tier.
        for &i in &dom.live {
            let i = i as usize;
            let (n, lo) = (r.choice[i], dom.counts[i].0);
            let it = &self.items[i];
            let w = if it.is_pool() && n > lo {
                self.worth(i, 1, p)
            } else if !it.is_pool() && n > 0 && lo == 0 {
                self.worth(i, n, p)
            } else {
                continue;
            };
            price[it.tier] = price[it.tier].min(w);
        }
        let limited = self.max_hires != u32::MAX;
        let full = limited && r.totals.hires >= self.max_hires;
        let mu = if full {
            price.iter().copied().fold(f64::INFINITY, f64::min).max(0.0)
        } else {
            0.0
        };
        let mu = if mu.is_finite() { mu } else { 0.0 };
        let mut constant = if limited {
            mu * f64::from(self.max_hires)
        } else {
            0.0
        };
        for (t, q) in price.iter_mut().enumerate() {
            let (kmin, kmax) = dom.tiers[t];
            let taken = r.totals.tier_hires[t];
            let weakest = *q;
            *q = mu;
            if !weakest.is_finite() {
                continue;
            }
            if taken >= kmax && kmax < self.max_hires && weakest > mu {
                *q = weakest;
                constant += (weakest - mu) * f64::from(kmax);
            } else if kmin > 0 && taken <= kmin && weakest < mu {
                *q = weakest;
                constant -= (mu - weakest) * f64::from(kmin);
            }
        }
        constant
    }
}

/// Drops the options of a member that cannot help: those another option
/// dominates, and (when it may be left out) those worth no more than
/// leaving it out, even with all their reach counted.
fn prune(m: &mut Member, ga: f64, cap: f64) {
    if m.optional {
        m.options.retain(|&(v, r, _)| v + ga * r.min(cap) > 0.0);
    }
    m.options
        .sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.total_cmp(&a.0)));
    let mut top = f64::NEG_INFINITY;
    m.options.retain(|&(v, _, _)| {
        let keep = v > top;
        top = top.max(v);
        keep
    });
}

/// The most a group's members can add: Σ value + ga·min(U, Σ reach), by a
/// depth-first search over the members, each bounded at several weights on
/// the cap; past its node limit, the bound at the best weight.
///
/// Appends the best choice found to `choice` (hired members only);
/// returns the bound and whether the search finished.
fn best_of_group(
    members: &mut [Member],
    ga: f64,
    cap: f64,
    pi: f64,
    suffix: &mut Vec<[f64; WEIGHTS]>,
    paths: (&mut Vec<u32>, &mut Vec<u32>),
    choice: &mut Vec<(u32, u32)>,
) -> (f64, bool) {
    if members.is_empty() {
        return (0.0, true);
    }
    let weights: [f64; WEIGHTS] =
        std::array::from_fn(|k| if k < GRID.len() { GRID[k] } else { pi });
    // The most promising first: the search finds good choices early.
    let best_alone = |m: &Member| {
        m.options
            .iter()
            .map(|&(v, r, _)| v + ga * r)
            .fold(f64::NEG_INFINITY, f64::max)
    };
    members.sort_by(|a, b| best_alone(b).total_cmp(&best_alone(a)));
    suffix.clear();
    suffix.resize(members.len() + 1, [0.0; WEIGHTS]);
    for d in (0..members.len()).rev() {
        let m = &members[d];
        let mut add = [0.0; WEIGHTS];
        for (k, &w) in weights.iter().enumerate() {
            let base = if m.optional { 0.0 } else { f64::NEG_INFINITY };
            add[k] = m
                .options
                .iter()
                .map(|&(v, r, _)| v + (1.0 - w) * ga * r)
                .fold(base, f64::max);
        }
        for k in 0..WEIGHTS {
            suffix[d][k] = suffix[d + 1][k] + add[k];
        }
    }
    let bound_at = |d: usize, value: f64, reach: f64| {
        weights
            .iter()
            .zip(&suffix[d])
            .map(|(&w, s)| value + ga * (w * cap + (1.0 - w) * reach) + s)
            .fold(f64::INFINITY, f64::min)
    };
    let linear = bound_at(0, 0.0, 0.0);
    let (path, best_path) = paths;
    path.clear();
    path.resize(members.len(), 0);
    best_path.clear();
    let mut search = Dfs {
        members,
        ga,
        cap,
        best: f64::NEG_INFINITY,
        nodes: 0,
        bound_at: &bound_at,
        path,
        best_path,
    };
    search.visit(0, 0.0, 0.0);
    for (m, &n) in members.iter().zip(search.best_path.iter()) {
        if n > 0 {
            choice.push((m.item, n));
        }
    }
    if search.nodes > GROUP_NODES {
        (linear, false)
    } else {
        (search.best.min(linear), true)
    }
}

/// One group's depth-first search.
struct Dfs<'a, F: Fn(usize, f64, f64) -> f64> {
    members: &'a [Member],
    ga: f64,
    cap: f64,
    best: f64,
    nodes: usize,
    bound_at: &'a F,
    /// The count chosen per member on the way down, and at the best leaf.
    path: &'a mut Vec<u32>,
    best_path: &'a mut Vec<u32>,
}

impl<F: Fn(usize, f64, f64) -> f64> Dfs<'_, F> {
    fn visit(&mut self, d: usize, value: f64, reach: f64) {
        self.nodes += 1;
        if self.nodes > GROUP_NODES {
            return;
        }
        if d == self.members.len() {
            let total = value + self.ga * reach.min(self.cap);
            if total > self.best {
                self.best = total;
                self.best_path.clone_from(self.path);
            }
            return;
        }
        if (self.bound_at)(d, value, reach) <= self.best {
            return;
        }
        let m = &self.members[d];
        // Options by what they add alone, best first (members with more
        // than a few in their own order); then leaving it out.
        if m.options.len() <= 8 {
            let mut order = [(0.0, 0.0, 0.0, 0); 8];
            for (slot, &(v, r, n)) in order.iter_mut().zip(&m.options) {
                *slot = (v + self.ga * (reach + r).min(self.cap), v, r, n);
            }
            let order = &mut order[..m.options.len()];
            order.sort_by(|a, b| b.0.total_cmp(&a.0));
            for &(_, v, r, n) in order.iter() {
                self.path[d] = n;
                self.visit(d + 1, value + v, reach + r);
            }
        } else {
            for &(v, r, n) in &m.options {
                self.path[d] = n;
                self.visit(d + 1, value + v, reach + r);
            }
        }
        if m.optional {
            self.path[d] = 0;
            self.visit(d + 1, value, reach);
        }
    }
}
