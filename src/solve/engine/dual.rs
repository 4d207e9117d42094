//! Tuning the multipliers: the bound is convex and piecewise linear in
//! each of them, so a line search by bisection on its slope (the row's
//! slack in the relaxation's solution) lowers it one multiplier at a time.
//! Whatever the multipliers, the bound stays valid; tuning only makes it
//! tighter.

use super::problem::Problem;
use super::relax::{Domain, Multipliers, Relaxed, Scratch};

/// One multiplier: the budget's price, a share row's, a niche row's, a
/// target's, or an audience cap's weight.
#[derive(Debug, Clone, Copy)]
pub(super) enum Coord {
    Lam,
    Nu(usize),
    Mu(usize),
    Tau(usize),
    Pi(usize),
}

impl Problem {
    /// Every multiplier that can move the bound.
    pub(super) fn coords(&self) -> Vec<Coord> {
        let mut coords = vec![Coord::Lam];
        coords.extend((0..self.shares.len()).map(Coord::Nu));
        coords.extend((0..self.niche_min.len()).map(Coord::Mu));
        coords.extend(
            (0..3)
                .filter(|&g| self.targets[g].is_some())
                .map(Coord::Tau),
        );
        if self.aim.coefficients()[0] > 0.0 || self.targets[0].is_some() {
            coords.extend((0..self.caps.len()).map(Coord::Pi));
        }
        coords
    }

    /// The bound's slope along a multiplier at a relaxation's solution.
    pub(super) fn slope(&self, coord: Coord, mul: &Multipliers, r: &Relaxed) -> f64 {
        let t = &r.totals;
        match coord {
            Coord::Lam => self.budget - t.spend,
            Coord::Nu(row) => -self.shares[row]
                .iter()
                .zip(&t.tier_spend)
                .map(|(a, s)| a * s)
                .sum::<f64>(),
            Coord::Mu(row) => t.niche_hires[row] - self.niche_min[row],
            Coord::Tau(0) => {
                t.reach_out
                    + t.group_reach
                        .iter()
                        .zip(&self.caps)
                        .zip(&mul.pi)
                        .map(|((r, u), p)| p * u + (1.0 - p) * r)
                        .sum::<f64>()
                    - self.targets[0].unwrap_or(0.0)
            }
            Coord::Tau(g) => {
                let total = if g == 1 { t.engagements } else { t.conversions };
                total - self.targets[g].unwrap_or(0.0)
            }
            Coord::Pi(g) => self.awareness_weight(mul) * (self.caps[g] - t.group_reach[g]),
        }
    }

    /// The scale of a multiplier: the first step of a search from zero is
    /// a millionth of it, and the search stops at a million times it.
    fn scale(&self, coord: Coord) -> f64 {
        match coord {
            Coord::Lam | Coord::Nu(_) => self.value_per_cost + 1.0,
            Coord::Pi(_) => 1.0,
            Coord::Mu(_) => self.niche_scale,
            Coord::Tau(g) => self.target_scale[g],
        }
    }

    /// Lowers the bound along one multiplier; leaves `mul` and `best` at
    /// the best point seen. Along one multiplier the bound is convex and
    /// piecewise linear, and each relaxation gives its value and slope
    /// there: once two points bracket the minimum (slopes of opposite
    /// signs), the next point is where their two lines meet. Where the
    /// bound there equals the lines' value, no lower point exists; else the
    /// new point replaces the end of its slope's sign and reveals a new
    /// piece. A piecewise linear function has finitely many pieces, so
    /// this ends in far fewer relaxations than bisection; `steps` caps it.
    pub(super) fn line(
        &self,
        dom: &Domain,
        mul: &mut Multipliers,
        coord: Coord,
        best: &mut Relaxed,
        buffers: &mut Buffers,
        steps: usize,
    ) {
        let scale = self.scale(coord);
        let cap = match coord {
            Coord::Pi(_) => 1.0,
            // A row that no plan of the node meets drives the bound down
            // without end: stop at a large finite price.
            _ => scale * 1e6,
        };
        let start = get(mul, coord);
        let mut best_mul = mul.clone();
        let g0 = self.slope(coord, mul, best);
        let f0 = best.bound;
        // The bound and its slope at `x`, keeping the best point seen.
        let mut eval = |x: f64, m: &mut Multipliers, best: &mut Relaxed, buffers: &mut Buffers| {
            set(m, coord, x);
            let mut point = std::mem::take(&mut buffers.point);
            self.relax(dom, m, &mut point, &mut buffers.scratch);
            let at = (point.bound, self.slope(coord, m, &point));
            if point.bound < best.bound {
                std::mem::swap(best, &mut point);
                best_mul.clone_from(m);
            }
            buffers.point = point;
            at
        };
        // Each end: (multiplier, bound, slope).
        let (mut lo, mut hi);
        if g0 < 0.0 {
            // Raise the multiplier.
            lo = (start, f0, g0);
            let mut step = (start * 0.5).max(match coord {
                Coord::Pi(_) => 0.05,
                _ => scale * 1e-6,
            });
            loop {
                let x = (lo.0 + step).min(cap);
                if x <= lo.0 {
                    mul.clone_from(&best_mul);
                    return;
                }
                let (f, g) = eval(x, mul, best, buffers);
                if g >= 0.0 {
                    hi = (x, f, g);
                    break;
                }
                lo = (x, f, g);
                if x >= cap {
                    mul.clone_from(&best_mul);
                    return;
                }
                step *= 4.0;
            }
        } else if g0 > 0.0 && start > 0.0 {
            // Lower it.
            hi = (start, f0, g0);
            let mut step = start * 0.25;
            loop {
                let x = (hi.0 - step).max(0.0);
                let (f, g) = eval(x, mul, best, buffers);
                if g <= 0.0 || x <= 0.0 {
                    lo = (x, f, g);
                    if g > 0.0 {
                        mul.clone_from(&best_mul);
                        return;
                    }
                    break;
                }
                hi = (x, f, g);
                step *= 4.0;
            }
        } else {
            return;
        }
        for _ in 0..steps {
            let (width, both) = (hi.0 - lo.0, hi.2 - lo.2);
            if lo.2 >= 0.0 || hi.2 <= 0.0 || width <= 1e-13 * hi.0.abs().max(1e-300) {
                break;
            }
            // Where the two ends' lines meet, kept inside the bracket.
            let meet = lo.0 + (lo.1 - hi.1 + hi.2 * width) / both;
            let x = meet.clamp(lo.0 + 1e-3 * width, hi.0 - 1e-3 * width);
            let model = (lo.1 + lo.2 * (x - lo.0)).max(hi.1 + hi.2 * (x - hi.0));
            let (f, g) = eval(x, mul, best, buffers);
            if f <= model + 1e-12 * best.magnitude.max(f.abs()) {
                // The bound is the lines' maximum there: no lower point.
                break;
            }
            if g < 0.0 {
                lo = (x, f, g);
            } else if g > 0.0 {
                hi = (x, f, g);
            } else {
                break;
            }
        }
        mul.clone_from(&best_mul);
    }

    /// Cyclic coordinate descent: `passes` rounds over `coords`, each
    /// line search with at most `steps` steps (half as many again for the
    /// budget's price), stopping early when a round lowers the bound by
    /// less than a relative `1e-9`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn tune(
        &self,
        dom: &Domain,
        mul: &mut Multipliers,
        coords: &[Coord],
        best: &mut Relaxed,
        buffers: &mut Buffers,
        passes: usize,
        steps: usize,
    ) {
        for _ in 0..passes {
            let before = best.bound;
            for &coord in coords {
                if best.empty {
                    return;
                }
                let steps = if matches!(coord, Coord::Lam) {
                    steps + steps / 2
                } else {
                    steps
                };
                self.line(dom, mul, coord, best, buffers, steps);
            }
            if before - best.bound <= 1e-9 * best.magnitude.max(1e-300) {
                break;
            }
        }
    }
}

/// Work space of the line searches.
#[derive(Debug, Default)]
pub(super) struct Buffers {
    /// The relaxation at the point being evaluated.
    pub point: Relaxed,
    pub scratch: Scratch,
}

/// A multiplier's value.
pub(super) fn get(m: &Multipliers, coord: Coord) -> f64 {
    match coord {
        Coord::Lam => m.lam,
        Coord::Nu(r) => m.nu[r],
        Coord::Mu(r) => m.mu[r],
        Coord::Tau(g) => m.tau[g],
        Coord::Pi(g) => m.pi[g],
    }
}

/// Sets a multiplier.
pub(super) fn set(m: &mut Multipliers, coord: Coord, x: f64) {
    match coord {
        Coord::Lam => m.lam = x,
        Coord::Nu(r) => m.nu[r] = x,
        Coord::Mu(r) => m.mu[r] = x,
        Coord::Tau(g) => m.tau[g] = x,
        Coord::Pi(g) => m.pi[g] = x,
    }
}

/// The multipliers as a point of the cutting-plane model: every
/// coordinate's value, with each cap's weight π as σ = (awareness
/// weight)·π, in which the bound of a fixed choice is affine.
fn pack(p: &Problem, m: &Multipliers, coords: &[Coord]) -> Vec<f64> {
    let ga = p.awareness_weight(m);
    coords
        .iter()
        .map(|&c| match c {
            Coord::Pi(g) => ga * m.pi[g],
            c => get(m, c),
        })
        .collect()
}

/// The multipliers of a point of the model.
fn unpack(p: &Problem, u: &[f64], coords: &[Coord], into: &mut Multipliers) {
    for (&c, &x) in coords.iter().zip(u) {
        if !matches!(c, Coord::Pi(_)) {
            set(into, c, x.max(0.0));
        }
    }
    let ga = p.awareness_weight(into);
    for (&c, &x) in coords.iter().zip(u) {
        if let Coord::Pi(g) = c {
            into.pi[g] = if ga > 0.0 {
                (x / ga).clamp(0.0, 1.0)
            } else {
                0.5
            };
        }
    }
}

impl Problem {
    /// The bound of a relaxation's choice as an affine function of the
    /// packed multipliers: its value at zero and its slope per coordinate.
    fn cut(&self, coords: &[Coord], r: &Relaxed) -> (f64, Vec<f64>) {
        let t = &r.totals;
        let [ca, ce, cc] = self.aim.coefficients();
        let grouped: f64 = t.group_reach.iter().sum();
        let zero = self.zero_multipliers();
        let value = ce * t.engagements
            + cc * t.conversions
            + self.aim.spend_weight() * t.spend
            + ca * (t.reach_out + grouped);
        let slopes = coords
            .iter()
            .map(|&c| match c {
                Coord::Tau(0) => t.reach_out + grouped - self.targets[0].unwrap_or(0.0),
                Coord::Pi(g) => self.caps[g] - t.group_reach[g],
                // Every other slope does not depend on the multipliers.
                c => self.slope(c, &zero, r),
            })
            .collect();
        (value, slopes)
    }

    /// Polishes tuned multipliers with a cutting-plane method: the bound
    /// is the maximum of affine functions (one per choice), so the
    /// relaxations already evaluated give a model of it from below; its
    /// minimum within a box around the best point (a small LP) is where
    /// the next relaxation is evaluated. Where moving one multiplier at a
    /// time stalls (rows that bind together), this finds the way down.
    /// Stops when the model proves the best point within `1e-7` of the
    /// least bound, or after `rounds` relaxations.
    pub(super) fn polish(
        &self,
        dom: &Domain,
        mul: &mut Multipliers,
        coords: &[Coord],
        best: &mut Relaxed,
        buffers: &mut Buffers,
        rounds: usize,
    ) {
        use good_lp::{Expression, ProblemVariables, Solution, SolverModel, variable};
        if coords.len() < 2 || best.empty {
            return;
        }
        let n = coords.len();
        let mut center = pack(self, mul, coords);
        let scales: Vec<f64> = coords
            .iter()
            .zip(&center)
            .map(|(&c, &x)| x.abs().max(self.scale(c) * 1e-3))
            .collect();
        let mut radius = 1.0;
        let mut cuts = vec![self.cut(coords, best)];
        let mut trial = mul.clone();
        for _ in 0..rounds {
            // The model's minimum in the box, in units of each scale.
            let mut vars = ProblemVariables::new();
            let theta = vars.add(variable());
            let boxes: Vec<(f64, f64)> = (0..n)
                .map(|i| {
                    let c = center[i] / scales[i];
                    ((c - radius).max(0.0), c + radius)
                })
                .collect();
            let v: Vec<_> = boxes
                .iter()
                .map(|&(lo, hi)| vars.add(variable().min(lo).max(hi)))
                .collect();
            let unit = best.magnitude.max(best.bound.abs()).max(1e-300);
            let mut model = vars.minimise(theta).using(good_lp::microlp);
            for (value, slopes) in &cuts {
                let mut e = Expression::from(theta);
                for i in 0..n {
                    e.add_mul(-slopes[i] * scales[i] / unit, v[i]);
                }
                model = model.with(e.geq(value / unit));
            }
            // σ ≤ awareness weight: a cap's weight π stays in [0, 1].
            let tau_a = coords.iter().position(|c| matches!(c, Coord::Tau(0)));
            let ca = self.aim.coefficients()[0];
            for (i, &c) in coords.iter().enumerate() {
                if let Coord::Pi(_) = c {
                    let mut e = Expression::from(ca / scales[i]);
                    if let Some(t) = tau_a {
                        e.add_mul(scales[t] / scales[i], v[t]);
                    }
                    e.add_mul(-1.0, v[i]);
                    model = model.with(e.geq(0.0));
                }
            }
            let Ok(solution) = model.solve() else {
                break;
            };
            let predicted = solution.value(theta) * unit;
            if best.bound - predicted <= 1e-7 * unit {
                // The box binds where the minimum sits on one of its
                // sides (other than a multiplier's zero).
                let binds = v.iter().zip(&boxes).any(|(&x, &(lo, hi))| {
                    let x = solution.value(x);
                    (lo > 0.0 && x <= lo + 1e-9 * radius) || x >= hi - 1e-9 * radius
                });
                if radius >= 1e6 || !binds {
                    break;
                }
                // Nothing lower in the box: the best point is optimal if
                // the box did not bind; widen it to make sure.
                radius *= 8.0;
                continue;
            }
            let u: Vec<f64> = (0..n).map(|i| solution.value(v[i]) * scales[i]).collect();
            unpack(self, &u, coords, &mut trial);
            let point = &mut buffers.point;
            self.relax(dom, &trial, point, &mut buffers.scratch);
            if point.empty {
                break;
            }
            cuts.push(self.cut(coords, point));
            if point.bound < best.bound - 0.1 * (best.bound - predicted) {
                // A serious step: move the box there, and widen it.
                std::mem::swap(best, point);
                mul.clone_from(&trial);
                center = u;
                radius *= 2.0;
            } else if point.bound < best.bound {
                std::mem::swap(best, point);
                mul.clone_from(&trial);
                center = u;
            }
        }
    }
}
