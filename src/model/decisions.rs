//! A plan's decisions: posts per creator and hires per pool, the one
//! thing every solver returns and every later stage reads.

use serde::Serialize;

/// What to do: posts per creator and hires per pool, in scenario order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Decisions {
    /// Posts per creator (0: not hired).
    pub posts: Vec<u32>,
    /// Hires per pool.
    pub hires: Vec<u32>,
}
