//! creatormix's own exact solver: a Lagrangian branch and bound for the
//! whole of MODEL.md.
//!
//! Every creator is an item with a choice of post counts and every pool an
//! item with a choice of hire counts, so the program is a multiple-choice
//! knapsack with side rows: the budget, the hire limits, tier shares of
//! spend, niche minimums, goal targets and audience caps. Pricing every
//! side row except the hire limits (λ on the budget, ν on each share row,
//! μ on each niche minimum, τ on each target, and a weight π in [0, 1] on
//! each audience cap, min(U, R) ≤ πU + (1 − π)R) makes each item's best
//! count independent of the others; the best items within the hire limits
//! then bound every plan of a node from above ([`relax`]). Where audience
//! caps bind, a second bound chooses each group's members together with the
//! cap exact and prices the hire limits instead ([`groups`]): the relaxation
//! may hire part of the creator that fills a cap, a plan cannot. A node's
//! bound is the lower of the two, and no better than its parent's; in
//! target mode with whole-number prices it is rounded to a whole spend. The
//! bound is
//! valid for any multipliers (weak duality), so they need not be optimal
//! for the result to be exact: better multipliers only prune more. They
//! are tuned by line searches on the bound's slopes ([`dual`]); counts that
//! cannot beat the plan in hand are fixed by reduced cost; the tree
//! ([`search`]) splits a node on a tier's hire count or an item's count
//! where the relaxation is undecided. A node whose bound falls below the
//! lowest objective any plan can have has no plan, so an exhausted tree
//! without a plan proves the scenario infeasible.

mod dual;
mod groups;
mod heuristic;
mod problem;
mod relax;
mod search;

pub use problem::{Aim, Problem};
pub use search::{Found, Search, search};

/// Nodes after which the engine hands its best plan to HiGHS: about half
/// the default time limit, so that HiGHS gets what the engine cannot
/// settle while the engine keeps what it settles (a 10,000-creator target
/// with audience groups takes it some 30,000 nodes).
pub const NODE_LIMIT: usize = 100_000;

/// Nodes after which the engine hands its best plan to microlp, which
/// rarely proves faster what the engine leaves open.
pub const NODE_LIMIT_BEFORE_MICROLP: usize = 200_000;

/// Nodes after which the engine hands its best plan to the MILP solver:
/// microlp, or a faster one.
pub fn node_limit(before_microlp: bool) -> usize {
    if before_microlp {
        NODE_LIMIT_BEFORE_MICROLP
    } else {
        NODE_LIMIT
    }
}

/// The engine's time limit when it runs alone and none is given.
pub const DEFAULT_SECONDS: f64 = 60.0;

/// The engine's name in output.
pub const NAME: &str = "bnb";
