//! The Lagrangian relaxation of a node and how its multipliers are tuned:
//! each creator's best post count at prices on the budget, the share rows
//! and the audience caps; reduced-cost fixing; and the coordinate search
//! that tightens the bound.

use super::{MAX_TIERS, Problem};

/// Lagrange multipliers.
#[derive(Debug, Clone)]
pub(super) struct Multipliers {
    pub(super) lam: f64,
    pub(super) nu: Vec<f64>,
    pub(super) pi: Vec<f64>,
}

/// What a node allows: post-count bounds per item and hire-count bounds
/// per tier.
#[derive(Debug, Clone)]
pub(super) struct Domain {
    pub(super) posts: Vec<(u8, u8)>,
    pub(super) tiers: Vec<(u16, u16)>,
    /// Whether any tier bound is tighter than the root's.
    pub(super) counted: bool,
}

/// The relaxation's solution at given multipliers.
#[derive(Debug, Clone, Default)]
pub(super) struct Relaxed {
    pub(super) bound: f64,
    /// Chosen post count per item (0: not hired).
    pub(super) choice: Vec<u8>,
    pub(super) spend: f64,
    /// Activity of each share row.
    pub(super) rows: Vec<f64>,
    /// Awareness-weighted reach of each group's chosen members.
    pub(super) groups: Vec<f64>,
    /// The node has no plan (more required hires than slots).
    pub(super) empty: bool,
}

impl Problem {
    /// The root domain: every option open, required creators hired.
    pub(super) fn root(&self) -> Domain {
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
    pub(super) fn relax(
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
    pub(super) fn no_plan(&self, out: &mut Relaxed) {
        out.choice.iter_mut().for_each(|n| *n = 0);
        out.empty = true;
        out.bound = f64::NEG_INFINITY;
        self.totals(out);
    }

    /// Each tier's price of spend: λ plus the share rows' ν.
    pub(super) fn prices(&self, mul: &Multipliers) -> [f64; MAX_TIERS] {
        let mut rho = [mul.lam; MAX_TIERS];
        for (row, nu) in self.rows.iter().zip(&mul.nu) {
            for (r, a) in rho.iter_mut().zip(row) {
                *r += nu * a;
            }
        }
        rho
    }

    /// An item's Lagrangian value with `n` posts.
    pub(super) fn worth(&self, i: usize, n: u8, rho: &[f64], mul: &Multipliers) -> f64 {
        let it = &self.items[i];
        let keep = it.group.map_or(0.0, |g| 1.0 - mul.pi[g]);
        let k = usize::from(n - 1);
        it.value[k] + keep * it.reach[k] - rho[it.tier] * it.cost[k]
    }

    /// An item's best post count in `lo..=hi` (lo ≥ 1) and its value.
    pub(super) fn best(
        &self,
        i: usize,
        lo: u8,
        hi: u8,
        rho: &[f64],
        mul: &Multipliers,
    ) -> (f64, u8) {
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
    pub(super) fn totals(&self, out: &mut Relaxed) {
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

    /// Reduced-cost fixing: removes from the domain every option whose
    /// bound at the same multipliers (the relaxation with that option
    /// forced) is no better than `floor`. Forcing an item in displaces at
    /// most one chosen free item, and forcing one out brings in at most one
    /// other (the selection is a greedy pick under nested count limits), so
    /// each forced bound is at most the one computed here.
    pub(super) fn fix(&self, dom: &mut Domain, mul: &Multipliers, r: &Relaxed, floor: f64) {
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
    pub(super) fn line(
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

/// One multiplier the coordinate search moves: the budget's price, a share
/// row's, or an audience cap's weight.
#[derive(Debug, Clone, Copy)]
pub(super) enum Coord {
    Lam,
    Nu(usize),
    Pi(usize),
}
