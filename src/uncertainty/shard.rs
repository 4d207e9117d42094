//! Shard files: what one run (or one block of its samples) computed, with
//! the context its summary needs; reading them back and merging shards into
//! the results of the whole run.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::robust::RobustGoal;
use super::sample::SampleRow;
use super::tornado::Bar;
use crate::error::{Error, InputError};
use crate::model::{GoalKind, ObjectiveMode, Scenario};
use crate::plan::Plan;
use crate::solve::SolveStatus;

/// What to do with each sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Hold the nominal plan fixed and evaluate it, posts delivered at random.
    Evaluate,
    /// Solve every sample to its own optimum.
    Reoptimize,
}

/// Which samples a run computes: shard `k` of `n` (1-based) takes a contiguous block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// This shard, 1..=of.
    pub k: u64,
    /// Number of shards.
    pub of: u64,
}

impl Shard {
    /// The whole run.
    pub const ALL: Shard = Shard { k: 1, of: 1 };

    /// The sample indices of this shard out of `samples`.
    pub fn range(self, samples: u64) -> std::ops::Range<u64> {
        let start = samples * (self.k - 1) / self.of;
        let end = samples * self.k / self.of;
        start..end
    }
}

/// Names and nominal facts the summary needs, carried by shard files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Context {
    /// Scenario name.
    pub scenario: String,
    /// How the scenario states its goal: the objective's units.
    #[serde(default = "weights_mode")]
    pub objective_mode: ObjectiveMode,
    /// The scenario's currency code (display only).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub currency: String,
    /// Digest of the validated scenario: shards of different scenarios never merge.
    pub digest: String,
    /// Seed.
    pub seed: u64,
    /// Total samples of the run.
    pub samples: u64,
    /// Mode.
    pub mode: Mode,
    /// The nominal plan.
    pub nominal: Nominal,
    /// Targets: goal key and minimum.
    pub targets: Vec<(GoalKind, f64)>,
    /// Creator handles and tier names, in scenario order.
    pub creators: Vec<(String, String)>,
    /// Pool names and tier names, in scenario order.
    pub pools: Vec<(String, String)>,
    /// Tier names.
    pub tiers: Vec<String>,
    /// Platform names, in scenario order, when there are several.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platforms: Vec<String>,
    /// The robust plan, if asked for.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub robust: Option<RobustContext>,
    /// The tornado, if asked for.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tornado: Option<Vec<Bar>>,
}

/// The objective mode of a shard written before the mode was recorded:
/// only weights goals were simulated then.
fn weights_mode() -> ObjectiveMode {
    ObjectiveMode::Weights
}

/// The nominal plan (what `solve` recommends) and its expected outcomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nominal {
    /// Solve status.
    pub status: SolveStatus,
    /// Objective.
    pub objective: f64,
    /// Unique reach.
    pub reach: f64,
    /// Engagements.
    pub engagements: f64,
    /// Conversions.
    pub conversions: f64,
    /// Spend.
    pub spend: f64,
    /// The decisions.
    pub posts: Vec<u32>,
    /// Pool hires.
    pub hires: Vec<u32>,
}

/// The robust plan and how it compares with the nominal plan on its training samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RobustContext {
    /// What it optimises.
    pub goal: RobustGoal,
    /// Training samples (drawn from streams separate from the evaluation samples).
    pub training_samples: u64,
    /// The share of training samples in which a chance plan meets every
    /// target (chance plans only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<f64>,
    /// Posts per creator.
    pub posts: Vec<u32>,
    /// Hires per pool.
    pub hires: Vec<u32>,
    /// Its objective on the nominal scenario.
    pub nominal_objective: f64,
    /// Its planned spend.
    pub spend: f64,
    /// Mean objective of the nominal plan on the training samples.
    pub nominal_training_mean: f64,
    /// CVaR 5% of the nominal plan on the training samples (its worst 5%:
    /// the highest spends in target mode).
    pub nominal_training_cvar: f64,
    /// Mean objective of the robust plan on the training samples.
    pub robust_training_mean: f64,
    /// CVaR 5% of the robust plan on the training samples.
    pub robust_training_cvar: f64,
    /// Share of training samples in which the nominal plan meets every
    /// target (scenarios with targets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nominal_training_chance: Option<f64>,
    /// Share of training samples in which the robust plan meets every target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub robust_training_chance: Option<f64>,
}

/// A shard's partial results, mergeable into the full summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardFile {
    /// Always "creatormix-shard".
    pub format: String,
    /// Which shard.
    pub shard: Shard,
    /// What the summary needs.
    pub context: Context,
    /// The shard's samples, in index order.
    pub rows: Vec<SampleRow>,
    /// The nominal plan as solved, for reports that show it whole. Not kept
    /// in shard files, so absent after [`merge`].
    #[serde(skip)]
    pub plan: Option<Plan>,
}

/// A short digest of a validated scenario (its file path aside).
pub fn digest(s: &Scenario) -> String {
    let mut canonical = s.clone();
    canonical.path = Default::default();
    let text = format!("{canonical:?}");
    // FNV-1a, 64 bits: stable across platforms and versions.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// Merges shard files (any order) into the results of the whole run, as an
/// unsharded run would have produced them: summarise with [`super::summary::report`].
pub fn merge(shards: Vec<ShardFile>) -> Result<ShardFile, String> {
    let first = shards.first().ok_or("no shard files given")?;
    let context = first.context.clone();
    let of = first.shard.of;
    let mut seen = vec![false; of as usize];
    let mut rows = Vec::new();
    for shard in shards {
        if shard.format != "creatormix-shard" {
            return Err("not a creatormix shard file".into());
        }
        if shard.context != context || shard.shard.of != of {
            return Err(format!(
                "shard {}/{} comes from a different run (scenario, seed, samples, mode or shard count differ)",
                shard.shard.k, shard.shard.of
            ));
        }
        let k = shard.shard.k as usize;
        if k == 0 || k > of as usize || seen[k - 1] {
            return Err(format!("shard {k}/{of} is given twice or out of range"));
        }
        seen[k - 1] = true;
        rows.extend(shard.rows);
    }
    if let Some(missing) = seen.iter().position(|s| !s) {
        return Err(format!("shard {}/{of} is missing", missing + 1));
    }
    rows.sort_by_key(|r| r.index);
    Ok(ShardFile {
        format: "creatormix-shard".into(),
        shard: Shard::ALL,
        context,
        rows,
        plan: None,
    })
}

/// Reads a shard file written by `creatormix simulate --shard`. Shard files
/// are this program's own output and may be large: no input size limit.
pub fn read(path: &Path) -> Result<ShardFile, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::file(path, format!("cannot read the shard file: {e}")))?;
    serde_json::from_str(&text).map_err(|e| {
        InputError::file(
            path,
            format!("not a shard file of `creatormix simulate --shard`: {e}"),
        )
        .into()
    })
}

impl ShardFile {
    /// The shard file as written: one line of JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a shard always serialises") + "\n"
    }
}
