//! Goals: the outcomes a campaign aims for, how a scenario states its goal,
//! and what one solve optimises in which direction (MODEL.md, Objective).

use std::fmt;

use serde::{Deserialize, Serialize};

/// The three outcomes a campaign can aim for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalKind {
    /// Unique reach: people who see a post, audience overlaps counted once.
    Awareness,
    /// Engagements: likes, comments, shares, saves.
    Engagement,
    /// Conversions: purchases, sign-ups.
    Conversions,
}

impl GoalKind {
    /// All goals, in the order used by per-goal arrays.
    pub const ALL: [GoalKind; 3] = [
        GoalKind::Awareness,
        GoalKind::Engagement,
        GoalKind::Conversions,
    ];

    /// The goal's key in scenario files.
    pub fn key(self) -> &'static str {
        match self {
            GoalKind::Awareness => "awareness",
            GoalKind::Engagement => "engagement",
            GoalKind::Conversions => "conversions",
        }
    }

    /// Index into per-goal arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The goal of a key, for command-line arguments.
    pub fn from_key(key: &str) -> Result<GoalKind, String> {
        GoalKind::ALL
            .into_iter()
            .find(|g| g.key() == key.trim())
            .ok_or_else(|| {
                format!("`{key}` is not a goal: use awareness, engagement or conversions")
            })
    }
}

impl fmt::Display for GoalKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// How the goal is stated (MODEL.md, Objective).
#[derive(Debug, Clone, PartialEq)]
pub enum Objective {
    /// Non-negative weights per goal, indexed by [`GoalKind::index`]; at least one positive.
    Weights([f64; 3]),
    /// Money per unit: per thousand unique reach, per engagement, per conversion.
    Values([f64; 3]),
    /// Money per unit as in [`Objective::Values`], less spend: the plan
    /// maximises value minus spend (`maximize: profit`).
    Profit([f64; 3]),
    /// Target mode: the cheapest plan meeting every target (at least one is set).
    MinimiseSpend,
}

impl Objective {
    /// How the goal is stated, without its numbers.
    pub fn mode(&self) -> ObjectiveMode {
        match self {
            Objective::Weights(_) => ObjectiveMode::Weights,
            Objective::Values(_) => ObjectiveMode::Values,
            Objective::Profit(_) => ObjectiveMode::Profit,
            Objective::MinimiseSpend => ObjectiveMode::MinimizeSpend,
        }
    }
}

/// The kind of a scenario's goal, as INTERFACE.md names it in output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveMode {
    /// Goal weights: the objective lies in [0, 1].
    Weights,
    /// Money values: the objective is money.
    Values,
    /// Money values less spend: the objective is profit, in money.
    Profit,
    /// Target mode: the objective is the spend.
    MinimizeSpend,
}

impl ObjectiveMode {
    /// The mode's key in output.
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectiveMode::Weights => "weights",
            ObjectiveMode::Values => "values",
            ObjectiveMode::Profit => "profit",
            ObjectiveMode::MinimizeSpend => "minimize_spend",
        }
    }
}

impl ObjectiveMode {
    /// An objective as people read it: four decimals for weights (a share
    /// of the goals' bests), money for the others.
    pub fn show(self, objective: f64) -> String {
        match self {
            ObjectiveMode::Weights => format!("{objective:.4}"),
            _ => crate::format::number(objective),
        }
    }
}

impl fmt::Display for ObjectiveMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Direction of optimisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    /// Maximise the objective.
    Maximise,
    /// Minimise the objective.
    Minimise,
}

impl Sense {
    /// The factor that turns an objective of this sense into one to
    /// maximise (and back): +1 or −1.
    pub fn sign(self) -> f64 {
        match self {
            Sense::Maximise => 1.0,
            Sense::Minimise => -1.0,
        }
    }
}

/// What one solve optimises.
#[derive(Debug, Clone, PartialEq)]
pub enum Goal {
    /// Maximise one goal's total alone (the G* solves).
    Single(GoalKind),
    /// Maximise Σ w·G/G* with the weights already normalised (zero for dropped goals).
    Normalised {
        /// Normalised weights per goal.
        weights: [f64; 3],
        /// G* per goal (1 where the goal dropped out).
        best: [f64; 3],
    },
    /// Maximise money value: per thousand reach, per engagement, per conversion.
    Values([f64; 3]),
    /// Maximise money value less spend.
    Profit([f64; 3]),
    /// Minimise spend (target mode; the targets are constraints).
    Spend,
}

impl Goal {
    /// Whether the goal is minimised (target mode) rather than maximised.
    pub fn sense(&self) -> Sense {
        match self {
            Goal::Spend => Sense::Minimise,
            _ => Sense::Maximise,
        }
    }

    /// Objective coefficients per unit of (unique reach, engagements,
    /// conversions); all zero for [`Goal::Spend`], whose objective is spend.
    pub fn coefficients(&self) -> [f64; 3] {
        match self {
            Goal::Single(g) => {
                let mut c = [0.0; 3];
                c[g.index()] = 1.0;
                c
            }
            Goal::Normalised { weights, best } => [0, 1, 2].map(|i| weights[i] / best[i]),
            Goal::Values(v) | Goal::Profit(v) => [v[0] / 1000.0, v[1], v[2]],
            Goal::Spend => [0.0; 3],
        }
    }

    /// The weight of spend in the maximised form of the objective: −1
    /// where spend is subtracted (profit) or minimised (target mode).
    pub fn spend_weight(&self) -> f64 {
        match self {
            Goal::Profit(_) | Goal::Spend => -1.0,
            _ => 0.0,
        }
    }

    /// The goal's objective in its maximised form.
    pub fn linear(&self) -> Linear {
        Linear {
            outcomes: self.coefficients(),
            spend: self.spend_weight(),
        }
    }

    /// The goal's objective as plans report it: the maximised form, or for
    /// a minimised goal its negation (target mode reports the spend).
    pub fn reported(&self) -> Linear {
        let l = self.linear();
        let sign = self.sense().sign();
        Linear {
            outcomes: l.outcomes.map(|c| sign * c),
            spend: sign * l.spend,
        }
    }
}

/// An objective linear in a plan's totals, to maximise: coefficients per
/// unit of (unique reach, engagements, conversions), and a weight on spend
/// (−1 for profit, 0 where spend is only bounded).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linear {
    /// Per unit of unique reach, engagements, conversions.
    pub outcomes: [f64; 3],
    /// Per unit of spend.
    pub spend: f64,
}

impl Linear {
    /// An objective of the outcomes alone.
    pub fn outcomes(outcomes: [f64; 3]) -> Linear {
        Linear {
            outcomes,
            spend: 0.0,
        }
    }
}
