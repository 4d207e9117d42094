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
    /// The creatormix version that computed the shard: shards of different
    /// versions never merge (their samples may be drawn differently). Empty
    /// in shard files written before versions were recorded.
    #[serde(default)]
    pub version: String,
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

/// The version recorded in the shard files this build writes.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Merges shard files (any order), each given with the name to call it by
/// (its path), into the results of the whole run, as an unsharded run would
/// have produced them: summarise with [`super::summary::report`].
///
/// Refuses, naming the files: a file that is not a shard, a shard of another
/// run (another creatormix version, scenario, seed, sample count, mode,
/// shard count or option), a shard given twice, and missing shards.
///
/// Shards are taken one at a time (each may be read only when its turn
/// comes): only their rows are kept, so a thousand shards of a large roster
/// hold one context in memory, not a thousand.
pub fn merge(shards: impl IntoIterator<Item = (String, ShardFile)>) -> Result<ShardFile, String> {
    let mut shards = shards.into_iter().peekable();
    let (first_name, first) = shards.peek().ok_or("no shard files given")?;
    let first_name = first_name.clone();
    let context = first.context.clone();
    let of = first.shard.of;
    let mut seen: Vec<Option<String>> = vec![None; of as usize];
    let mut rows = Vec::new();
    for (name, shard) in shards {
        if shard.format != "creatormix-shard" {
            return Err(format!("{name}: not a creatormix shard file"));
        }
        if let Some(what) = difference(&context, of, &shard.context, shard.shard.of) {
            return Err(format!(
                "{name} is a shard of another run than {first_name}: {what}; \
                 merge only the shards of one run"
            ));
        }
        let k = shard.shard.k as usize;
        if k == 0 || k > of as usize {
            return Err(format!("{name}: shard {k}/{of} is out of range"));
        }
        if let Some(other) = &seen[k - 1] {
            return Err(format!(
                "{name} and {other} are both shard {k}/{of}; give each shard once"
            ));
        }
        seen[k - 1] = Some(name);
        rows.extend(shard.rows);
    }
    let missing: Vec<String> = (1..=of as usize)
        .filter(|k| seen[k - 1].is_none())
        .map(|k| k.to_string())
        .collect();
    if !missing.is_empty() {
        let listed = if missing.len() > 12 {
            format!("{}, … ({} in all)", missing[..12].join(", "), missing.len())
        } else {
            missing.join(", ")
        };
        let noun = if missing.len() == 1 {
            "shard"
        } else {
            "shards"
        };
        return Err(format!(
            "{noun} {listed} of {of} missing; run {} again (the other shards are complete)",
            if missing.len() == 1 { "it" } else { "them" }
        ));
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

/// What sets a shard's run apart from the first shard's, in words, or
/// `None` when both come from the same run.
fn difference(first: &Context, first_of: u64, other: &Context, other_of: u64) -> Option<String> {
    let version = |v: &str| {
        if v.is_empty() {
            "a creatormix that recorded no version".to_string()
        } else {
            format!("creatormix {v}")
        }
    };
    let what = if other.version != first.version {
        format!(
            "it was computed by {}, the first by {}",
            version(&other.version),
            version(&first.version)
        )
    } else if other.digest != first.digest {
        format!(
            "its scenario differs (`{}`, digest {}; the first: `{}`, digest {})",
            other.scenario, other.digest, first.scenario, first.digest
        )
    } else if other.seed != first.seed {
        format!("its seed is {}, the first's {}", other.seed, first.seed)
    } else if other.samples != first.samples {
        format!(
            "it is part of {} samples, the first of {}",
            other.samples, first.samples
        )
    } else if other.mode != first.mode {
        let mode = |m: Mode| match m {
            Mode::Evaluate => "the plan evaluated",
            Mode::Reoptimize => "--reoptimize",
        };
        format!(
            "its mode is {}, the first's {}",
            mode(other.mode),
            mode(first.mode)
        )
    } else if other_of != first_of {
        format!("it is one of {other_of} shards, the first one of {first_of}")
    } else if other != first {
        "its options differ (--robust, its samples or level, or --tornado)".to_string()
    } else {
        return None;
    };
    Some(what)
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
