//! The Lagrangian relaxation of a node: with prices on the budget, the
//! share rows, the niche minimums and the targets, and a weight on each
//! audience cap, every item's best count is independent of the others, and
//! the best items within the hire limits give a bound on every plan of the
//! node (weak duality: valid for any multipliers). Also reduced-cost fixing,
//! which removes counts whose forced bound cannot beat the plan in hand.

use super::problem::{Problem, Totals};

/// Lagrange multipliers: λ on the budget, ν per share row, μ per niche
/// row, τ per target and π in [0, 1] per audience cap
/// (min(U, R) ≤ πU + (1 − π)R).
#[derive(Debug, Clone)]
pub(super) struct Multipliers {
    pub lam: f64,
    pub nu: Vec<f64>,
    pub mu: Vec<f64>,
    pub tau: [f64; 3],
    pub pi: Vec<f64>,
}

/// What a node allows: count bounds per item and hire-count bounds per
/// tier.
#[derive(Debug, Clone)]
pub(super) struct Domain {
    pub counts: Vec<(u32, u32)>,
    pub tiers: Vec<(u32, u32)>,
    /// Whether any tier bound is tighter than the root's.
    pub counted: bool,
    /// The items that may still be hired, in order: every item whose
    /// count may be above zero is here (a node's decisions may close some
    /// that are). Relaxations, fixing and rounding walk only these, so a
    /// node deep in a roster of thousands costs what its open items cost.
    pub live: Vec<u32>,
    /// What the relaxation walks, when [`Domain::settled`]: the live items
    /// whose count may still change (or whose range is empty). The others
    /// are fixed at a positive count and enter it through `fixed` alone:
    /// deep in the tree most of a node's items are.
    pub open: Vec<u32>,
    /// The other live items, fixed at a positive count, and their totals.
    pub fixed: Vec<u32>,
    pub fixed_totals: Totals,
    /// Whether `open` and `fixed` describe `counts` (any narrowing clears
    /// it; [`Problem::settle`] restores it).
    pub settled: bool,
}

/// The relaxation's solution at given multipliers.
#[derive(Debug, Clone, Default)]
pub(super) struct Relaxed {
    pub bound: f64,
    /// Chosen count per item (0: not hired).
    pub choice: Vec<u32>,
    pub totals: Totals,
    /// The node has no plan (its forced items break the hire limits).
    pub empty: bool,
    /// Sum of the magnitudes of the bound's terms: the scale of its
    /// round-off.
    pub magnitude: f64,
}

/// One optional item in the selection: its best value per unit, the count
/// that reaches it (creators) and how many units it offers (pools).
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    worth: f64,
    item: u32,
    tier: u32,
    count: u32,
    units: u32,
    taken: u32,
}

/// Work space of relaxations, reused from one to the next so that a
/// relaxation allocates nothing.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    entries: Vec<Entry>,
    worths: Vec<f64>,
    per_tier: Vec<usize>,
    forced_tier: Vec<u32>,
    taken_tier: Vec<u32>,
    prices: Prices,
}

/// The units a selection has taken so far.
struct Selection<'a> {
    taken: u64,
    taken_tier: &'a mut [u32],
    bound: f64,
    magnitude: f64,
}

impl Selection<'_> {
    /// Takes `k` units of an entry.
    fn take(&mut self, p: &Problem, e: &mut Entry, k: u32, out: &mut Relaxed) {
        let i = e.item as usize;
        e.taken += k;
        self.taken += u64::from(k);
        self.taken_tier[e.tier as usize] += k;
        self.bound += e.worth * f64::from(k);
        self.magnitude += (e.worth * f64::from(k)).abs();
        if p.items[i].is_pool() {
            out.choice[i] += k;
        } else {
            out.choice[i] = e.count;
        }
    }
}

/// Prices of one relaxation.
#[derive(Debug, Default)]
pub(super) struct Prices {
    /// Per unit of reach outside groups, and per group.
    reach_out: f64,
    reach_group: Vec<f64>,
    engagements: f64,
    conversions: f64,
    /// Per unit of spend, per tier.
    spend: Vec<f64>,
    /// Per hire, per count row (its multiplier times its sign).
    hire: Vec<f64>,
    /// Per unit of each count row's signed total: its multiplier.
    count: Vec<f64>,
    constant: f64,
    magnitude: f64,
}

impl Prices {
    /// The bound's constant term: the multipliers times their rows'
    /// right-hand sides, and each cap's weighted size.
    pub(super) fn constant(&self) -> f64 {
        self.constant
    }

    /// The price of a unit of reach in audience group `g`.
    pub(super) fn reach_group(&self, g: usize) -> f64 {
        self.reach_group[g]
    }

    /// The value at these prices of items whose totals are `t` (the sum
    /// of their values, each linear in its totals), and a bound on the sum
    /// of those values' magnitudes.
    fn worth_of(&self, t: &Totals) -> (f64, f64) {
        let (mut value, mut magnitude) = (0.0, 0.0);
        let mut term = |x: f64| {
            value += x;
            magnitude += x.abs();
        };
        term(self.reach_out * t.reach_out);
        term(self.engagements * t.engagements);
        term(self.conversions * t.conversions);
        for (price, reach) in self.reach_group.iter().zip(&t.group_reach) {
            term(price * reach);
        }
        for (price, spend) in self.spend.iter().zip(&t.tier_spend) {
            term(-price * spend);
        }
        for (price, hires) in self.count.iter().zip(&t.niche_hires) {
            term(price * hires);
        }
        (value, magnitude)
    }
}

impl Problem {
    /// Multipliers at zero (cap weights at one half).
    pub(super) fn zero_multipliers(&self) -> Multipliers {
        Multipliers {
            lam: 0.0,
            nu: vec![0.0; self.shares.len()],
            mu: vec![0.0; self.niche_min.len()],
            tau: [0.0; 3],
            pi: vec![0.5; self.caps.len()],
        }
    }

    /// The root domain: every count open, required creators hired.
    pub(super) fn root(&self) -> Domain {
        let cap = self.max_hires;
        let mut dom = Domain {
            counts: self
                .items
                .iter()
                .map(|it| (u32::from(it.required), it.max))
                .collect(),
            tiers: vec![(0, cap); self.tiers],
            counted: false,
            live: (0..self.items.len() as u32)
                .filter(|&i| self.items[i as usize].max > 0)
                .collect(),
            open: Vec::new(),
            fixed: Vec::new(),
            fixed_totals: Totals::default(),
            settled: false,
        };
        self.settle(&mut dom);
        dom
    }

    /// Drops from the open items those whose count is now fixed at zero,
    /// and splits the rest into those fixed at a positive count (their
    /// totals) and those the relaxation still chooses.
    pub(super) fn settle(&self, dom: &mut Domain) {
        let counts = &dom.counts;
        dom.live.retain(|&i| counts[i as usize].1 > 0);
        dom.open.clear();
        dom.fixed.clear();
        self.clear(&mut dom.fixed_totals);
        for &i in &dom.live {
            match counts[i as usize] {
                (lo, hi) if lo == hi => {
                    dom.fixed.push(i);
                    self.add(&self.items[i as usize], lo, &mut dom.fixed_totals);
                }
                _ => dom.open.push(i),
            }
        }
        dom.settled = true;
    }

    /// The weight on awareness at these multipliers: its objective
    /// coefficient plus its target's price.
    pub(super) fn awareness_weight(&self, mul: &Multipliers) -> f64 {
        self.aim.coefficients()[0] + mul.tau[0]
    }

    pub(super) fn prices(&self, mul: &Multipliers) -> Prices {
        let mut p = Prices::default();
        self.prices_into(mul, &mut p);
        p
    }

    /// The prices at these multipliers, into `p` (reusing its storage).
    pub(super) fn prices_into(&self, mul: &Multipliers, p: &mut Prices) {
        let [ca, ce, cc] = self.aim.coefficients();
        let ga = ca + mul.tau[0];
        p.spend.clear();
        p.spend
            .resize(self.tiers, mul.lam - self.aim.spend_weight());
        for (row, nu) in self.shares.iter().zip(&mul.nu) {
            for (r, a) in p.spend.iter_mut().zip(row) {
                *r += nu * a;
            }
        }
        let mut constant = mul.lam * self.budget;
        let mut magnitude = constant.abs();
        for (u, pi) in self.caps.iter().zip(&mul.pi) {
            constant += ga * pi * u;
            magnitude += (ga * pi * u).abs();
        }
        for (t, tau) in self.targets.iter().zip(mul.tau) {
            if let Some(t) = t {
                constant -= tau * t;
                magnitude += (tau * t).abs();
            }
        }
        for (m, mu) in self.niche_min.iter().zip(&mul.mu) {
            constant -= mu * m;
            magnitude += (mu * m).abs();
        }
        p.reach_out = ga;
        p.reach_group.clear();
        p.reach_group
            .extend(mul.pi.iter().map(|pi| ga * (1.0 - pi)));
        p.engagements = ce + mul.tau[1];
        p.conversions = cc + mul.tau[2];
        p.hire.clear();
        p.hire.extend(
            mul.mu
                .iter()
                .zip(&self.niche_sign)
                .map(|(mu, sign)| mu * sign),
        );
        p.count.clone_from(&mul.mu);
        p.constant = constant;
        p.magnitude = magnitude;
    }

    /// An item's Lagrangian value with count `n` ≥ 1 (pools: per hire,
    /// whatever `n`).
    pub(super) fn worth(&self, i: usize, n: u32, p: &Prices) -> f64 {
        let it = &self.items[i];
        let k = if it.is_pool() { 0 } else { (n - 1) as usize };
        let [reach, engagements, conversions] = it.goals[k];
        let a = it.group.map_or(p.reach_out, |g| p.reach_group[g]);
        let hire: f64 = it.niches.iter().map(|&r| p.hire[r]).sum();
        a * reach + p.engagements * engagements + p.conversions * conversions
            - p.spend[it.tier] * it.cost[k]
            + hire
    }

    /// A creator's best count in `lo..=hi` (lo ≥ 1) and its value.
    pub(super) fn best(&self, i: usize, lo: u32, hi: u32, p: &Prices) -> (f64, u32) {
        let it = &self.items[i];
        let a = it.group.map_or(p.reach_out, |g| p.reach_group[g]);
        let hire: f64 = it.niches.iter().map(|&r| p.hire[r]).sum();
        let rho = p.spend[it.tier];
        let mut best = (f64::NEG_INFINITY, lo);
        for n in lo..=hi {
            let k = (n - 1) as usize;
            let [reach, engagements, conversions] = it.goals[k];
            let v = a * reach + p.engagements * engagements + p.conversions * conversions
                - rho * it.cost[k]
                + hire;
            if v > best.0 {
                best = (v, n);
            }
        }
        best
    }

    /// The Lagrangian relaxation at a node.
    pub(super) fn relax(
        &self,
        dom: &Domain,
        mul: &Multipliers,
        out: &mut Relaxed,
        work: &mut Scratch,
    ) {
        let Scratch {
            entries: scratch,
            worths,
            per_tier,
            forced_tier,
            taken_tier,
            prices: p,
        } = work;
        self.prices_into(mul, p);
        let p = &*p;
        out.choice.clear();
        out.choice.resize(self.items.len(), 0);
        out.empty = false;
        scratch.clear();
        let mut bound = p.constant;
        let mut magnitude = p.magnitude;
        let mut forced: u64 = 0;
        forced_tier.clear();
        forced_tier.resize(self.tiers, 0);
        // Items of no value are taken only to meet a minimum on hires: keep
        // them where one applies.
        let keep_all = |t: usize| self.min_hires > 0 || (dom.counted && dom.tiers[t].0 > 0);
        let mut pooled = false;
        // The items fixed at a positive count, through their totals: each
        // item's value is linear in its totals at these prices.
        let walked = if dom.settled {
            let f = &dom.fixed_totals;
            let (w, m) = p.worth_of(f);
            bound += w;
            magnitude += m;
            forced += u64::from(f.hires);
            for (t, &k) in forced_tier.iter_mut().zip(&f.tier_hires) {
                *t += k;
            }
            for &i in &dom.fixed {
                out.choice[i as usize] = dom.counts[i as usize].0;
            }
            &dom.open
        } else {
            &dom.live
        };
        for &i in walked {
            let i = i as usize;
            let (it, (lo, hi)) = (&self.items[i], dom.counts[i]);
            if lo > hi {
                return self.no_plan(out);
            }
            if hi == 0 {
                continue;
            }
            if it.is_pool() {
                let w = self.worth(i, 1, p);
                if lo > 0 {
                    bound += w * f64::from(lo);
                    magnitude += (w * f64::from(lo)).abs();
                    forced += u64::from(lo);
                    forced_tier[it.tier] += lo;
                    out.choice[i] = lo;
                }
                if hi > lo && (w > 0.0 || keep_all(it.tier)) {
                    pooled = true;
                    scratch.push(Entry {
                        worth: w,
                        item: i as u32,
                        tier: it.tier as u32,
                        count: 1,
                        units: hi - lo,
                        taken: 0,
                    });
                }
            } else {
                let (w, n) = self.best(i, lo.max(1), hi, p);
                if lo >= 1 {
                    bound += w;
                    magnitude += w.abs();
                    forced += 1;
                    forced_tier[it.tier] += 1;
                    out.choice[i] = n;
                } else if w > 0.0 || keep_all(it.tier) {
                    scratch.push(Entry {
                        worth: w,
                        item: i as u32,
                        tier: it.tier as u32,
                        count: n,
                        units: 1,
                        taken: 0,
                    });
                }
            }
        }
        if forced > u64::from(self.max_hires) {
            return self.no_plan(out);
        }
        let free = u64::from(self.max_hires) - forced;
        let need = u64::from(self.min_hires).saturating_sub(forced);
        let by_worth = |a: &Entry, b: &Entry| b.worth.total_cmp(&a.worth).then(a.item.cmp(&b.item));
        if !dom.counted && !pooled && need == 0 {
            // The `free` best items of positive value.
            if scratch.len() as u64 > free {
                if free == 0 {
                    scratch.clear();
                } else {
                    scratch.select_nth_unstable_by(free as usize - 1, by_worth);
                    scratch.truncate(free as usize);
                }
            }
            for e in scratch.iter().filter(|e| e.worth > 0.0) {
                bound += e.worth;
                magnitude += e.worth.abs();
                out.choice[e.item as usize] = e.count;
            }
        } else {
            // The selection takes at most `free` entries, a prefix of each
            // tier's (of all entries, without tier bounds): sort only those.
            let free_entries = usize::try_from(free).unwrap_or(usize::MAX);
            if !dom.counted {
                if scratch.len() > free_entries && free_entries > 0 {
                    scratch.select_nth_unstable_by(free_entries - 1, by_worth);
                    scratch.truncate(free_entries);
                }
            } else if free_entries > 0 {
                per_tier.clear();
                per_tier.resize(self.tiers, 0);
                for e in scratch.iter() {
                    per_tier[e.tier as usize] += 1;
                }
                for (t, &count) in per_tier.iter().enumerate() {
                    if count <= free_entries {
                        continue;
                    }
                    let t = t as u32;
                    worths.clear();
                    worths.extend(scratch.iter().filter(|e| e.tier == t).map(|e| e.worth));
                    worths.select_nth_unstable_by(free_entries - 1, |a, b| b.total_cmp(a));
                    let threshold = worths[free_entries - 1];
                    scratch.retain(|e| e.tier != t || e.worth >= threshold);
                }
            }
            scratch.sort_unstable_by(by_worth);
            taken_tier.clear();
            taken_tier.resize(self.tiers, 0);
            let mut sel = Selection {
                taken: 0,
                taken_tier,
                bound,
                magnitude,
            };
            if dom.counted {
                // Each tier's best up to its minimum.
                for (t, &(kmin, kmax)) in dom.tiers.iter().enumerate() {
                    if forced_tier[t] > kmax {
                        return self.no_plan(out);
                    }
                    let mut need_t = kmin.saturating_sub(forced_tier[t]);
                    for e in scratch.iter_mut() {
                        if need_t == 0 {
                            break;
                        }
                        if e.tier as usize == t {
                            let k = need_t.min(e.units);
                            sel.take(self, e, k, out);
                            need_t -= k;
                        }
                    }
                    if need_t > 0 {
                        return self.no_plan(out);
                    }
                }
            }
            // Then the best of the rest, within the limits.
            for e in scratch.iter_mut() {
                if sel.taken >= free || (e.worth <= 0.0 && sel.taken >= need) {
                    break;
                }
                let t = e.tier as usize;
                let room = if dom.counted {
                    dom.tiers[t].1 - forced_tier[t] - sel.taken_tier[t]
                } else {
                    u32::MAX
                };
                let mut k = u64::from((e.units - e.taken).min(room)).min(free - sel.taken);
                if e.worth <= 0.0 {
                    k = k.min(need - sel.taken);
                }
                if k > 0 {
                    sel.take(self, e, k as u32, out);
                }
            }
            let taken = sel.taken;
            bound = sel.bound;
            magnitude = sel.magnitude;
            if taken > free || taken < need {
                return self.no_plan(out);
            }
        }
        out.bound = bound;
        out.magnitude = magnitude;
        if dom.settled {
            out.totals.clone_from(&dom.fixed_totals);
            for &i in &dom.open {
                let n = out.choice[i as usize];
                if n > 0 {
                    self.add(&self.items[i as usize], n, &mut out.totals);
                }
            }
        } else {
            self.totals_of(&dom.live, &out.choice, &mut out.totals);
        }
    }

    /// Marks a relaxation as having no plan (its totals those of no hire).
    pub(super) fn no_plan(&self, out: &mut Relaxed) {
        out.choice.iter_mut().for_each(|n| *n = 0);
        out.empty = true;
        out.bound = f64::NEG_INFINITY;
        out.magnitude = 0.0;
        self.totals(&out.choice, &mut out.totals);
    }

    /// Reduced-cost fixing: removes from the domain every creator count
    /// whose bound at the same multipliers (the relaxation with that count
    /// forced) is no better than `floor`. Forcing an item in displaces at
    /// most one chosen unit, and forcing one out brings in at most one
    /// other (the selection is a greedy pick under nested count limits), so
    /// each forced bound is at most the one computed here.
    pub(super) fn fix(&self, dom: &mut Domain, mul: &Multipliers, r: &Relaxed, floor: f64) {
        let p = self.prices(mul);
        // The weakest optional unit chosen and the strongest left out.
        let mut weakest = f64::INFINITY;
        let mut strongest: f64 = 0.0;
        for &i in &dom.live {
            let i = i as usize;
            let (it, (lo, hi)) = (&self.items[i], dom.counts[i]);
            if hi == 0 {
                continue;
            }
            let n = r.choice[i];
            if it.is_pool() {
                let w = self.worth(i, 1, &p);
                if n > lo {
                    weakest = weakest.min(w);
                }
                if n < hi {
                    strongest = strongest.max(w);
                }
            } else if n > 0 {
                if lo == 0 {
                    weakest = weakest.min(self.worth(i, n, &p));
                }
            } else {
                strongest = strongest.max(self.best(i, 1, hi, &p).0);
            }
        }
        let full = r.totals.hires >= self.max_hires;
        for &i in &dom.live {
            let i = i as usize;
            let it = &self.items[i];
            let hi = dom.counts[i].1;
            if hi == 0 || it.is_pool() {
                continue;
            }
            let n0 = r.choice[i];
            let displaced = if full || r.totals.tier_hires[it.tier] >= dom.tiers[it.tier].1 {
                weakest
            } else {
                weakest.min(0.0)
            };
            // The bound with count n forced.
            let with = |n: u32| {
                if n0 == 0 {
                    r.bound + self.worth(i, n, &p) - displaced
                } else {
                    r.bound - self.worth(i, n0, &p) + self.worth(i, n, &p)
                }
            };
            let out = || (n0 > 0).then(|| r.bound - self.worth(i, n0, &p) + strongest);
            dom.counts[i] = narrow(dom.counts[i], with, out, floor);
        }
        self.settle(dom);
    }
}

/// Reduced-cost fixing of one item's count range: counts from the top and
/// the bottom whose forced bound (`forced(n)`, n ≥ 1) is no better than
/// `floor` go, and so does zero when the bound with the item left out
/// (`out`, if known) is no better.
pub(super) fn narrow(
    (mut lo, mut hi): (u32, u32),
    forced: impl Fn(u32) -> f64,
    out: impl FnOnce() -> Option<f64>,
    floor: f64,
) -> (u32, u32) {
    while hi >= lo.max(1) && forced(hi) <= floor {
        hi -= 1;
    }
    if lo == 0 && hi >= 1 && out().is_some_and(|b| b <= floor) {
        lo = 1;
    }
    while lo >= 1 && lo < hi && forced(lo) <= floor {
        lo += 1;
    }
    (lo, hi)
}

/// Narrows a count range to its intersection with another.
pub(super) fn meet(a: &mut (u32, u32), b: (u32, u32)) {
    *a = (a.0.max(b.0), a.1.min(b.1));
}
