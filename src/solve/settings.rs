//! How to solve and how a solve ended: the settings of a solve with their
//! defaults, the status of a plan, why a solve found none, and the limits
//! of one solver call.

use serde::{Deserialize, Serialize};

/// Rosters with fewer creators and pools than this are solved whole: the
/// relaxation and a second model cost more than they save.
pub const MIN_OFFERS: usize = 300;

/// Default relative MIP gap (MODEL.md, Optimality).
pub const DEFAULT_MIP_GAP: f64 = 1e-6;

/// Which solver the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SolverChoice {
    /// creatormix's own branch and bound ([`super::engine`]), handing its
    /// best plan to the best MILP solver compiled in (HiGHS if present,
    /// else microlp) if it stops at its node limit.
    #[default]
    Auto,
    /// creatormix's own branch and bound alone.
    Bnb,
    /// good_lp's pure-Rust microlp.
    Microlp,
    /// HiGHS (needs the `highs` feature).
    Highs,
}

/// How to solve: solver, time limit and gap. Every field has a documented default.
#[derive(Debug, Clone, PartialEq)]
pub struct SolveSettings {
    /// The solver; default `auto`.
    pub solver: SolverChoice,
    /// Wall-clock limit for the whole solve (all stages), in seconds; default
    /// none for HiGHS and [`super::DEFAULT_MICROLP_SECONDS`] for microlp.
    pub time_limit: Option<f64>,
    /// Relative MIP gap at which a plan counts as optimal; default 1e-6.
    pub mip_gap: f64,
    /// HiGHS solves rosters of at least this many creators and pools on a
    /// shortlist screened by the LP relaxation ([`super::shortlist`]; the
    /// optimum is the same). 0 screens every roster, starts from the
    /// tightest shortlist (the offers the relaxation uses) and keeps any
    /// shortlist, however long; `usize::MAX` never screens. Default
    /// [`MIN_OFFERS`].
    pub shortlist_from: usize,
    /// A limit counted in work, not time: at most this many branch-and-bound
    /// nodes in each solver call (creatormix's engine, then HiGHS's own
    /// count; microlp counts none). Two runs with the same limit print the
    /// same plan on any machine load. With it, no default time limit
    /// applies, and on a build without HiGHS the engine searches alone (it
    /// never hands its search to microlp). Default none.
    pub node_limit: Option<u64>,
}

impl SolveSettings {
    /// Refuses settings that contradict each other: a node limit for
    /// microlp, which counts no nodes, or a node limit of 0.
    pub fn check(&self) -> Result<(), String> {
        match self.node_limit {
            Some(0) => Err("--node-limit is at least 1".into()),
            Some(_) if self.solver == SolverChoice::Microlp => Err(
                "microlp counts no nodes, so --node-limit cannot limit it: use --solver auto, bnb or highs, or --time-limit".into(),
            ),
            _ => Ok(()),
        }
    }

    /// The status of a plan that a limit stopped before it was proven.
    pub fn stopped(&self) -> SolveStatus {
        SolveStatus::stopped(self.node_limit, self.time_limit)
    }
}

impl Default for SolveSettings {
    fn default() -> Self {
        SolveSettings {
            solver: SolverChoice::Auto,
            time_limit: None,
            mip_gap: DEFAULT_MIP_GAP,
            shortlist_from: MIN_OFFERS,
            node_limit: None,
        }
    }
}

/// Whether a run uses the engine, and what it does when the engine stops
/// before proving its plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineUse {
    /// MILP solver only.
    Off,
    /// The engine, then the MILP solver from its best plan.
    First,
    /// The engine alone: a stopped search is a time_limit result.
    Alone,
}

impl SolverChoice {
    /// How this choice uses the engine.
    pub fn engine(self) -> EngineUse {
        match self {
            SolverChoice::Auto => EngineUse::First,
            SolverChoice::Bnb => EngineUse::Alone,
            SolverChoice::Microlp | SolverChoice::Highs => EngineUse::Off,
        }
    }
}

/// How a solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveStatus {
    /// Proven optimal within the MIP gap.
    Optimal,
    /// Stopped at the time limit with a feasible plan.
    TimeLimit,
    /// Stopped at the node limit (`--node-limit`) with a feasible plan.
    NodeLimit,
}

impl SolveStatus {
    /// The status word of INTERFACE.md.
    pub fn as_str(self) -> &'static str {
        match self {
            SolveStatus::Optimal => "optimal",
            SolveStatus::TimeLimit => "time_limit",
            SolveStatus::NodeLimit => "node_limit",
        }
    }

    /// The status of a plan that a limit stopped before it was proven,
    /// given the limits in force: the node limit's when only nodes are
    /// limited, else the time limit's.
    pub fn stopped(node_limit: Option<u64>, time_limit: Option<f64>) -> SolveStatus {
        if node_limit.is_some() && time_limit.is_none() {
            SolveStatus::NodeLimit
        } else {
            SolveStatus::TimeLimit
        }
    }

    /// The limit that stopped an unproven plan, in words ("time limit" or
    /// "node limit"; empty for a proven one).
    pub fn limit(self) -> &'static str {
        match self {
            SolveStatus::Optimal => "",
            SolveStatus::TimeLimit => "time limit",
            SolveStatus::NodeLimit => "node limit",
        }
    }

    /// Whether the plan is proven optimal (within the MIP gap).
    pub fn proven(self) -> bool {
        self == SolveStatus::Optimal
    }

    /// The worse of two statuses: time_limit if either stopped at the time
    /// limit, else node_limit if either stopped at the node limit.
    pub fn worse(self, other: SolveStatus) -> SolveStatus {
        use SolveStatus::*;
        match (self, other) {
            (TimeLimit, _) | (_, TimeLimit) => TimeLimit,
            (NodeLimit, _) | (_, NodeLimit) => NodeLimit,
            _ => Optimal,
        }
    }
}

impl std::fmt::Display for SolveStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a single solve produced no plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// No plan satisfies the rows given.
    Infeasible,
    /// The time limit passed before a plan was found.
    NoPlan,
    /// The solver failed.
    Error(String),
}

/// Limits for one solve.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Seconds left, if limited.
    pub time_limit: Option<f64>,
    /// Relative MIP gap.
    pub mip_gap: f64,
    /// Branch-and-bound nodes, if limited (HiGHS only: microlp counts none).
    pub node_limit: Option<u64>,
    /// Whether HiGHS runs its sub-MIP and reduced-cost heuristics (RINS,
    /// RENS, root reduced cost). Off when the start is already the optimum
    /// of a shortlist and what remains is to prove it for the whole roster:
    /// they then only cost time (10,000 creators, weights goal: 38.8 s -> 12.2 s).
    pub heuristics: bool,
}
