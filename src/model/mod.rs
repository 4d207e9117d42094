//! The domain model, at the bottom of the house: the validated scenario,
//! its goals, constraints, market and distributions, a plan's decisions,
//! and the independent evaluator of a plan. Every stage above reads these
//! types; this module imports none of the stages.

pub mod constraint;
pub mod decisions;
pub mod dist;
pub mod evaluate;
pub mod goal;
pub mod market;
pub mod scenario;

pub use constraint::Family;
pub use decisions::Decisions;
pub use dist::Dist;
pub use goal::{Goal, GoalKind, Linear, Objective, ObjectiveMode, Sense};
pub use market::Market;
pub use scenario::{
    Audience, AudienceGroup, Creator, DefaultApplied, LeftOut, Limits, NicheMinimum,
    OfferUncertainty, Platform, PlatformCount, PlatformShare, Pool, RosterRead, Scenario,
    TierShare, Uncertainty,
};
