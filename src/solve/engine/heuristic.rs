//! Plans from relaxations: a node's relaxed choice usually overspends the
//! budget or hires one creator too many; dropping the units that give the
//! least per unit of spend saved, then adding the units that give the most
//! per unit of spend while they fit, often turns it into a good plan long
//! before the tree reaches one. The plans found here only raise the bar
//! that nodes are pruned against; they never prune by themselves.

use super::problem::{Aim, Problem, Totals};
use super::relax::Domain;

impl Problem {
    /// The objective change of moving item `i` from count `from` to `to`
    /// on a choice with totals `t`, audience caps included.
    fn change(&self, t: &Totals, i: usize, from: u32, to: u32) -> (f64, f64) {
        let it = &self.items[i];
        let at = |n: u32| {
            if n == 0 {
                (0.0, [0.0; 3])
            } else {
                it.option(n)
            }
        };
        let ((c0, g0), (c1, g1)) = (at(from), at(to));
        let [ca, ce, cc] = self.aim.coefficients();
        let reach = match it.group {
            None => g1[0] - g0[0],
            Some(g) => {
                let r = t.group_reach[g];
                let u = self.caps[g];
                (r - g0[0] + g1[0]).min(u) - r.min(u)
            }
        };
        let value = ca * reach + ce * (g1[1] - g0[1]) + cc * (g1[2] - g0[2]);
        (value, c1 - c0)
    }

    /// A plan near a choice within a node's domain, or `None`: units
    /// dropped until the budget and the creator limit hold, then added
    /// while they fit and add value, every row checked at the end.
    pub(super) fn round(
        &self,
        base: &[u32],
        dom: &Domain,
        totals: &mut Totals,
    ) -> Option<Vec<u32>> {
        if !matches!(self.aim, Aim::Maximise(_)) {
            return None;
        }
        let mut x = base.to_vec();
        let slack = super::problem::FEASIBILITY * self.budget.abs().max(1.0);
        self.totals_of(&dom.live, &x, totals);
        // Drop: the unit that loses least per unit of spend saved (per
        // hire when only the creator limit is broken).
        loop {
            let over_budget = totals.spend > self.budget + slack;
            let over_hires = totals.hires > self.max_hires;
            if !over_budget && !over_hires {
                break;
            }
            let mut pick: Option<(f64, usize)> = None;
            for &i in &dom.live {
                let (i, n) = (i as usize, x[i as usize]);
                let (lo, _) = dom.counts[i];
                if n == 0 || n <= lo {
                    continue;
                }
                // A creator limit is met by dropping a creator, not a post.
                let to = if over_hires && !self.items[i].is_pool() {
                    if lo > 0 {
                        continue;
                    }
                    0
                } else {
                    n - 1
                };
                let (value, cost) = self.change(totals, i, n, to);
                let saved = if over_budget { -cost } else { 1.0 };
                if saved <= 0.0 {
                    continue;
                }
                let score = -value / saved;
                if pick.is_none_or(|(s, _)| score < s) {
                    pick = Some((score, i));
                }
            }
            let (_, i) = pick?;
            x[i] = if over_hires && !self.items[i].is_pool() {
                0
            } else {
                x[i] - 1
            };
            self.totals_of(&dom.live, &x, totals);
        }
        // Add: the unit that gains most per unit of spend, while it fits.
        loop {
            let room = self.budget + slack - totals.spend;
            let mut pick: Option<(f64, usize)> = None;
            for &i in &dom.live {
                let (i, n) = (i as usize, x[i as usize]);
                let (_, hi) = dom.counts[i];
                if n >= hi {
                    continue;
                }
                let it = &self.items[i];
                if it.hires(n + 1) > it.hires(n) && totals.hires >= self.max_hires {
                    continue;
                }
                let (value, cost) = self.change(totals, i, n, n + 1);
                if value <= 0.0 || cost > room {
                    continue;
                }
                let score = value / cost.max(1e-12);
                if pick.is_none_or(|(s, _)| score > s) {
                    pick = Some((score, i));
                }
            }
            let Some((_, i)) = pick else {
                break;
            };
            x[i] += 1;
            self.totals_of(&dom.live, &x, totals);
        }
        self.is_plan(&x, totals).then_some(x)
    }
}
