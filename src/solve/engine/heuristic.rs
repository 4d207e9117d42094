//! Plans from relaxations: a node's relaxed choice usually overspends the
//! budget or hires one creator too many; dropping the units that give the
//! least per unit of spend saved, then adding the units that give the most
//! per unit of spend while they fit, often turns it into a good plan long
//! before the tree reaches one. The plans found here only raise the bar
//! that nodes are pruned against; they never prune by themselves.

use super::problem::{Aim, FEASIBILITY, Problem, Totals};
use super::relax::Domain;

impl Problem {
    /// The objective change of moving item `i` from count `from` to `to`
    /// on a choice with totals `t`, audience caps included.
    fn change(&self, t: &Totals, i: usize, from: u32, to: u32) -> (f64, f64) {
        let (goals, cost) = self.gains(t, i, from, to);
        (self.value_of(goals, cost), cost)
    }

    /// The objective's change for a change in the goals and in spend.
    fn value_of(&self, goals: [f64; 3], cost: f64) -> f64 {
        self.aim
            .coefficients()
            .iter()
            .zip(goals)
            .map(|(c, g)| c * g)
            .sum::<f64>()
            + self.aim.spend_weight() * cost
    }

    /// The change in (awareness, engagements, conversions) and in spend of
    /// moving item `i` from count `from` to `to` on a choice with totals
    /// `t`, audience caps included.
    fn gains(&self, t: &Totals, i: usize, from: u32, to: u32) -> ([f64; 3], f64) {
        let it = &self.items[i];
        let at = |n: u32| {
            if n == 0 {
                (0.0, [0.0; 3])
            } else {
                it.option(n)
            }
        };
        let ((c0, g0), (c1, g1)) = (at(from), at(to));
        let reach = match it.group {
            None => g1[0] - g0[0],
            Some(g) => {
                let r = t.group_reach[g];
                let u = self.caps[g];
                (r - g0[0] + g1[0]).min(u) - r.min(u)
            }
        };
        ([reach, g1[1] - g0[1], g1[2] - g0[2]], c1 - c0)
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
        if self.aim == Aim::MinimiseSpend {
            return self.round_spend(base, dom, totals);
        }
        let mut x = base.to_vec();
        let slack = FEASIBILITY * self.budget.abs().max(1.0);
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
        while let Some(i) = self.best_raise(&x, dom, totals, self.budget + slack, |gains, cost| {
            let value = self.value_of(gains, cost);
            (value > 0.0).then(|| value / cost.max(1e-12))
        }) {
            x[i] += 1;
            self.totals_of(&dom.live, &x, totals);
        }
        self.is_plan(&x, totals).then_some(x)
    }

    /// The item whose count, raised by one unit, scores most by `score`
    /// (of the move's goal changes and cost; `None`: no candidate), among
    /// those within their range, the hire limit and a spend of `budget`.
    fn best_raise(
        &self,
        x: &[u32],
        dom: &Domain,
        totals: &Totals,
        budget: f64,
        score: impl Fn([f64; 3], f64) -> Option<f64>,
    ) -> Option<usize> {
        let room = budget - totals.spend;
        let mut pick: Option<(f64, usize)> = None;
        for &i in &dom.live {
            let (i, n) = (i as usize, x[i as usize]);
            if n >= dom.counts[i].1 {
                continue;
            }
            let it = &self.items[i];
            if it.hires(n + 1) > it.hires(n) && totals.hires >= self.max_hires {
                continue;
            }
            let (gains, cost) = self.gains(totals, i, n, n + 1);
            if cost > room {
                continue;
            }
            if let Some(s) = score(gains, cost)
                && pick.is_none_or(|(best, _)| s > best)
            {
                pick = Some((s, i));
            }
        }
        pick.map(|(_, i)| i)
    }

    /// Target mode: a plan near a choice within a node's domain, or
    /// `None`. Hires beyond the limit are dropped (those that give the
    /// targets least per unit of spend), units added while a target is
    /// short (those that close the shortfalls most per unit of spend), then
    /// units taken back, the costliest first, while every row still holds.
    fn round_spend(&self, base: &[u32], dom: &Domain, totals: &mut Totals) -> Option<Vec<u32>> {
        let mut x = base.to_vec();
        self.totals_of(&dom.live, &x, totals);
        let targets = self.targets.map(|t| t.filter(|&t| t > 0.0));
        // What a move does for the targets: each goal's share of its
        // target, counted only up to what is short (all of it when
        // `short_only` is off).
        let goals_of = |t: &Totals| [self.awareness(t), t.engagements, t.conversions];
        let progress = |t: &Totals, gains: [f64; 3], short_only: bool| -> f64 {
            let have = goals_of(t);
            (0..3)
                .filter_map(|g| {
                    let target = targets[g]?;
                    let gain = if short_only {
                        gains[g].min((target - have[g]).max(0.0))
                    } else {
                        gains[g]
                    };
                    Some(gain / target)
                })
                .sum()
        };
        let short = |t: &Totals| {
            let have = goals_of(t);
            (0..3).any(|g| {
                targets[g].is_some_and(|target| have[g] < target - FEASIBILITY * target.max(1.0))
            })
        };
        // Hires beyond the limit: drop the weakest for the targets.
        while totals.hires > self.max_hires {
            let mut pick: Option<(f64, usize, u32)> = None;
            for &i in &dom.live {
                let (i, n) = (i as usize, x[i as usize]);
                let (lo, _) = dom.counts[i];
                if n == 0 || n <= lo || (lo > 0 && !self.items[i].is_pool()) {
                    continue;
                }
                let to = if self.items[i].is_pool() { n - 1 } else { 0 };
                let (gains, cost) = self.gains(totals, i, n, to);
                let score = -progress(totals, gains, false) / (-cost).max(1e-12);
                if pick.is_none_or(|(s, _, _)| score < s) {
                    pick = Some((score, i, to));
                }
            }
            let (_, i, to) = pick?;
            self.shift(i, x[i], to, totals);
            x[i] = to;
        }
        // Targets short: add the unit that closes most per unit of spend.
        let mut moves = 0usize;
        while short(totals) {
            moves += 1;
            if moves > 4 * self.items.len().max(16) {
                return None;
            }
            let i = self.best_raise(&x, dom, totals, self.budget, |gains, cost| {
                let gain = progress(totals, gains, true);
                (gain > 0.0).then(|| gain / cost.max(1e-12))
            })?;
            self.shift(i, x[i], x[i] + 1, totals);
            x[i] += 1;
        }
        // Take back what is not needed, the costliest first.
        let mut hired: Vec<(f64, usize)> = dom
            .live
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| x[i] > dom.counts[i].0)
            .map(|i| (self.items[i].option(x[i]).0, i))
            .collect();
        hired.sort_by(|a, b| b.0.total_cmp(&a.0));
        for &(_, i) in &hired {
            let lo = dom.counts[i].0;
            while x[i] > lo {
                let to = x[i] - 1;
                self.shift(i, x[i], to, totals);
                if self.rows_hold(totals) {
                    x[i] = to;
                } else {
                    self.shift(i, to, x[i], totals);
                    break;
                }
            }
        }
        self.totals_of(&dom.live, &x, totals);
        self.is_plan(&x, totals).then_some(x)
    }
}
