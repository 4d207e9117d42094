//! Solving a large roster on a shortlist, exactly.
//!
//! In a roster of thousands only a few hundred creators can be in the
//! optimum, and the LP relaxation says which. Its row multipliers y give,
//! for every creator and pool, an upper bound on the objective of *any*
//! plan that hires it (weak Lagrangian duality: for every plan x with row
//! activities r = Ax in their ranges and columns in their bounds,
//! c·x = (c − Aᵀy)·x + y·r, and each term is at most its largest value over
//! the box). The bound holds for any y, whatever the solver's sign
//! conventions or tolerances, because it is computed here from the
//! program's own rows.
//!
//! The MILP is then solved on a shortlist: the creators the relaxation
//! uses plus the most promising others. Every offer left out must have a
//! bound no better than the shortlist's plan; those that fail the test join
//! the shortlist and it is solved again from that plan. Either way the plan
//! returned is optimal for the whole roster within the MIP gap: a plan that
//! hires a left-out offer is worth at most its bound, which is no more than
//! the plan found.

use std::collections::HashMap;
use std::time::Instant;

use good_lp::{Expression, IntoAffineExpression, Variable};

use super::backend::{Run, Solution, scaled, solve};
use super::diagnose::run_failure;
use super::settings::Failure;
use crate::error::Error;
use crate::model::{Decisions, Goal, Scenario, Sense};
use crate::program::{self, Columns, Program};

/// A shortlist covering more than this share of the offers is not worth a
/// restricted model: the whole program is solved instead.
pub const MAX_SHARE: f64 = 0.6;

/// What the relaxation proves about each offer, in the maximised objective
/// (the scaled objective, negated when minimising).
#[derive(Debug, Clone)]
pub struct Screen {
    /// Per creator: an upper bound on the objective of any plan that hires
    /// it (`None`: it has no columns, nothing can hire it).
    pub creators: Vec<Option<f64>>,
    /// Per pool: the same for plans with at least one hire from it.
    pub pools: Vec<Option<f64>>,
    /// Creators the relaxation hires in part or whole.
    pub creators_used: Vec<bool>,
    /// Pools the relaxation hires from.
    pub pools_used: Vec<bool>,
    /// Allowance for round-off in the sums behind the bounds.
    pub margin: f64,
}

/// One bound evaluation for multipliers `y`.
struct Bounds {
    /// The Lagrangian bound of the whole program.
    total: f64,
    /// Reduced cost c − Aᵀy per column.
    reduced: Vec<f64>,
    /// Each column's term max(d·l, d·u) in `total`.
    terms: Vec<f64>,
    /// Σ of the absolute values of the terms (for the round-off allowance).
    magnitude: f64,
}

/// max over x in [l, u] of d·x (0 when d is 0, whatever the bounds).
fn best_term(d: f64, l: f64, u: f64) -> f64 {
    if d > 0.0 {
        d * u
    } else if d < 0.0 {
        d * l
    } else {
        0.0
    }
}

/// The Lagrangian bound of `c` (maximised) under the program's rows, with
/// the multipliers of a solver's duals: an inequality a·x ≤ b takes |dual|
/// (its optimal multiplier is never negative, and solvers differ on signs
/// and on which way round they hold a ≥ row), an equality `sign`·dual.
fn lagrangian(
    program: &Program,
    columns: &Columns,
    c: &[f64],
    constant: f64,
    duals: &[f64],
    sign: f64,
) -> Bounds {
    let mut reduced = c.to_vec();
    let mut total = constant;
    let mut magnitude = constant.abs();
    for (row, &dual) in program.rows.iter().zip(duals) {
        // Rows are a·x + k ≤ 0 (or = 0): r = a·x lies in (−∞, −k] (or is −k).
        let expression = row.constraint.expression();
        let rhs = -expression.constant();
        let yi = if row.constraint.is_equality() {
            sign * dual
        } else {
            dual.abs()
        };
        if yi == 0.0 {
            continue;
        }
        for (v, a) in expression.linear_coefficients() {
            reduced[columns.column(v)] -= yi * a;
        }
        total += yi * rhs;
        magnitude += (yi * rhs).abs();
    }
    let terms: Vec<f64> = reduced
        .iter()
        .zip(columns.lower.iter().zip(&columns.upper))
        .map(|(&d, (&l, &u))| best_term(d, l, u))
        .collect();
    for t in &terms {
        total += t;
        magnitude += t.abs();
    }
    Bounds {
        total,
        reduced,
        terms,
        magnitude,
    }
}

/// Screens every offer of the program with the relaxation's row duals
/// `duals` and column values `values` (both in the solver's numbering; the
/// objective given to the solver was `scaled`, with `sense`).
pub fn screen(
    scenario: &Scenario,
    program: &Program,
    scaled: &Expression,
    sense: Sense,
    duals: &[f64],
    values: &[f64],
) -> Option<Screen> {
    let columns = program.columns();
    if duals.len() != program.rows.len() || values.len() != columns.lower.len() {
        return None;
    }
    let sign = sense.sign();
    let mut c = vec![0.0; columns.lower.len()];
    for (v, a) in scaled.linear_coefficients() {
        c[columns.column(v)] += sign * a;
    }
    let constant = sign * scaled.constant();
    // The bound is valid for any multipliers: try both signs for the
    // equalities and keep the tighter.
    let bounds = [
        lagrangian(program, &columns, &c, constant, duals, 1.0),
        lagrangian(program, &columns, &c, constant, duals, -1.0),
    ]
    .into_iter()
    .filter(|b| b.total.is_finite())
    .min_by(|a, b| a.total.total_cmp(&b.total))?;
    // A plan that hires the offer has one of its hire columns at least 1
    // (the others keep their best terms: a valid, if looser, bound).
    let hired_bound = |vars: &[Variable]| {
        vars.iter()
            .map(|&v| {
                let j = columns.column(v);
                let d = bounds.reduced[j];
                bounds.total - bounds.terms[j]
                    + best_term(d, columns.lower[j].max(1.0), columns.upper[j])
            })
            .reduce(f64::max)
    };
    let used = |vars: &[Variable]| vars.iter().any(|&v| values[columns.column(v)] > 1e-9);
    let creators: Vec<&[Variable]> = (0..program.map.creators.len())
        .map(|i| program.map.hire_columns(i))
        .collect();
    debug_assert_eq!(creators.len(), scenario.creators.len());
    Some(Screen {
        creators: creators.iter().map(|v| hired_bound(v)).collect(),
        pools: program
            .map
            .pools
            .iter()
            .map(|v| v.and_then(|v| hired_bound(&[v])))
            .collect(),
        creators_used: creators.iter().map(|v| used(v)).collect(),
        pools_used: program
            .map
            .pools
            .iter()
            .map(|v| v.is_some_and(|v| used(&[v])))
            .collect(),
        margin: 1e-9 * bounds.magnitude + 1e-12,
    })
}

/// Which offers a restricted model keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortlist {
    /// Per creator.
    pub creators: Vec<bool>,
    /// Per pool.
    pub pools: Vec<bool>,
}

impl Shortlist {
    /// The first shortlist: what the relaxation uses, every required
    /// creator, and the offers with the best bounds, `extra` of them.
    pub fn first(scenario: &Scenario, screen: &Screen, extra: usize) -> Shortlist {
        let mut creators: Vec<bool> = screen
            .creators_used
            .iter()
            .zip(&scenario.creators)
            .map(|(&used, c)| used || c.require)
            .collect();
        let mut pools = screen.pools_used.clone();
        let mut rest: Vec<(f64, bool, usize)> = Vec::new();
        for (j, b) in screen.creators.iter().enumerate() {
            if let Some(b) = b
                && !creators[j]
            {
                rest.push((*b, true, j));
            }
        }
        for (t, b) in screen.pools.iter().enumerate() {
            if let Some(b) = b
                && !pools[t]
            {
                rest.push((*b, false, t));
            }
        }
        rest.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for &(_, is_creator, i) in rest.iter().take(extra) {
            if is_creator {
                creators[i] = true;
            } else {
                pools[i] = true;
            }
        }
        Shortlist { creators, pools }
    }

    /// Offers left out whose bound does not rule them out against a plan
    /// worth `value` (in the screen's maximised objective).
    pub fn missing(&self, screen: &Screen, value: f64) -> Shortlist {
        let open = |bounds: &[Option<f64>], kept: &[bool]| {
            bounds
                .iter()
                .zip(kept)
                .map(|(b, &kept)| !kept && b.is_some_and(|b| b + screen.margin > value))
                .collect()
        };
        Shortlist {
            creators: open(&screen.creators, &self.creators),
            pools: open(&screen.pools, &self.pools),
        }
    }

    /// Whether a plan hires only offers on the list.
    pub fn holds(&self, plan: &Decisions) -> bool {
        plan.posts
            .iter()
            .zip(&self.creators)
            .all(|(&n, &kept)| n == 0 || kept)
            && plan
                .hires
                .iter()
                .zip(&self.pools)
                .all(|(&z, &kept)| z == 0 || kept)
    }

    /// The best bound (with the round-off allowance) of the offers on the list.
    pub fn best_bound(&self, screen: &Screen) -> f64 {
        let pick = |bounds: &[Option<f64>], kept: &[bool]| {
            bounds
                .iter()
                .zip(kept)
                .filter(|(_, k)| **k)
                .filter_map(|(b, _)| *b)
                .fold(f64::NEG_INFINITY, f64::max)
        };
        pick(&screen.creators, &self.creators).max(pick(&screen.pools, &self.pools)) + screen.margin
    }

    /// Offers on the list.
    pub fn len(&self) -> usize {
        self.creators
            .iter()
            .chain(&self.pools)
            .filter(|&&x| x)
            .count()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// This list with every offer of `other` added.
    pub fn union(&self, other: &Shortlist) -> Shortlist {
        let or = |a: &[bool], b: &[bool]| a.iter().zip(b).map(|(x, y)| *x || *y).collect();
        Shortlist {
            creators: or(&self.creators, &other.creators),
            pools: or(&self.pools, &other.pools),
        }
    }

    /// The scenario restricted to the list: every other creator excluded,
    /// every other pool with nobody available.
    pub fn restrict(&self, scenario: &Scenario) -> Scenario {
        let mut out = scenario.clone();
        for (c, &kept) in out.creators.iter_mut().zip(&self.creators) {
            if !kept {
                c.exclude = true;
            }
        }
        for (p, &kept) in out.pools.iter_mut().zip(&self.pools) {
            if !kept {
                p.available = 0;
            }
        }
        out
    }
}

/// Solves on a shortlist where that applies: a backend that screens, and a
/// roster of at least [`Run::shortlist_from`] offers.
pub(super) fn try_shortlist(
    scenario: &Scenario,
    program: &Program,
    run: &Run,
    goal: &Goal,
    objective: (&Expression, Sense),
    first: Option<&Decisions>,
) -> Result<Shortlisted, Error> {
    if run.backend.screens() && offers(scenario) >= run.shortlist_from {
        return on_shortlist(scenario, program, run, goal, objective, first);
    }
    Ok(Shortlisted::Whole {
        start: None,
        setup: 0.0,
    })
}

/// How a shortlist solve ended.
pub(super) enum Shortlisted {
    /// Solved on the shortlist, and proven for the whole roster.
    Solved(Solution),
    /// The whole program is to be solved, from this plan if any.
    Whole {
        /// The best plan found on the way.
        start: Option<Decisions>,
        /// Seconds spent building models on the way.
        setup: f64,
    },
}

/// Solves one objective on a shortlist of the roster (see the module documentation):
/// the LP relaxation screens every offer, the MILP is solved on the
/// shortlist, and offers the screen cannot rule out against that plan are
/// added for one more solve.
fn on_shortlist(
    scenario: &Scenario,
    program: &Program,
    run: &Run,
    goal: &Goal,
    (objective, sense): (&Expression, Sense),
    first: Option<&Decisions>,
) -> Result<Shortlisted, Error> {
    let whole = |start: Option<Decisions>, setup: f64| Ok(Shortlisted::Whole { start, setup });
    let Some((duals, columns)) = run
        .backend
        .relaxation(program, objective, sense, run.limits())
    else {
        return whole(None, 0.0);
    };
    let scaled = scaled(objective);
    let Some(screen) = screen(scenario, program, &scaled, sense, &duals, &columns) else {
        return whole(None, 0.0);
    };
    let total = offers(scenario) as f64;
    let used = screen
        .creators_used
        .iter()
        .chain(&screen.pools_used)
        .filter(|&&u| u)
        .count();
    // The most promising offers beyond those the relaxation uses, so that
    // one solve usually settles it; none when every roster is screened (a
    // check of the screen itself).
    let extra = if run.shortlist_from == 0 {
        0
    } else {
        (4 * used).max(200)
    };
    let mut list = Shortlist::first(scenario, &screen, extra);
    let mut start = first.filter(|d| list.holds(d)).cloned();
    let mut setup = 0.0;
    for attempt in 0..2 {
        if run.shortlist_from > 0 && list.len() as f64 > MAX_SHARE * total {
            return whole(start, setup);
        }
        let started = Instant::now();
        let restricted = list.restrict(scenario);
        // The shortlist's MILP is small: counts and chains solve it fastest
        // (on choices, HiGHS's root cuts on them take longer than they save).
        let sub = program::build(
            &restricted,
            program::Formulation::Counts,
            program::Reduce::Merge,
        );
        let sub_objective = sub.objective(goal);
        setup += started.elapsed().as_secs_f64();
        let mut solution = match solve(
            &restricted,
            &sub,
            &sub_objective,
            sense,
            run.backend,
            run.limits(),
            start.as_ref(),
        ) {
            Ok(solution) => solution,
            // Infeasible on the shortlist is not infeasible on the roster.
            Err(Failure::Infeasible) => return whole(start, setup),
            Err(f) => return Err(run_failure(f, scenario, run)),
        };
        setup += solution.setup_seconds;
        solution.setup_seconds = setup;
        let value = screened_value(
            &scaled,
            sense,
            &program.map.encode_start(scenario, &solution.decisions),
        );
        let missing = list.missing(&screen, value);
        if missing.is_empty() {
            return Ok(Shortlisted::Solved(solution));
        }
        if !solution.status.proven() || attempt == 1 {
            // Out of time or nodes (or, on the second list, round-off in the screen):
            // the best bound of an offer left out widens the gap.
            let outside = missing.best_bound(&screen);
            let reach = ((outside - value) / value.abs().max(1e-300)).max(0.0);
            solution.gap = solution.gap.max(reach);
            if !solution.status.proven() {
                return Ok(Shortlisted::Solved(solution));
            }
            return whole(Some(solution.decisions), setup);
        }
        list = list.union(&missing);
        start = Some(solution.decisions);
    }
    whole(start, setup)
}

/// Offers (creators and pools) of a scenario.
pub fn offers(scenario: &Scenario) -> usize {
    scenario.creators.len() + scenario.pools.len()
}

/// The value of a plan's column values under the screen's objective.
pub fn screened_value(scaled: &Expression, sense: Sense, values: &HashMap<Variable, f64>) -> f64 {
    sense.sign() * scaled.eval_with(values)
}
