//! The raw scenario: serde types that mirror the YAML file field for field.
//!
//! Every value keeps the line and column it came from ([`Loc`]) so that the
//! validation stage can point at it. Unknown fields are rejected here. The
//! doc comments are also the descriptions in the JSON Schema (`creatormix schema`).

use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;

/// A value with the position it was read from (1-based; 0 when unknown).
#[derive(Debug, Clone, PartialEq)]
pub struct Loc<T> {
    /// The value itself.
    pub value: T,
    /// Line of the value in its file.
    pub line: u64,
    /// Column of the value in its file.
    pub column: u64,
}

impl<T> Loc<T> {
    /// A value with a known position.
    pub fn new(value: T, line: u64, column: u64) -> Self {
        Loc {
            value,
            line,
            column,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Loc<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        Ok(Loc {
            value: spanned.value,
            line: spanned.referenced.line(),
            column: spanned.referenced.column(),
        })
    }
}

impl<T: JsonSchema> JsonSchema for Loc<T> {
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<T>()
    }
}

/// A number as written in the file (checked for range and finiteness later).
pub type Number = Loc<f64>;

/// A creator-marketing scenario: budget, goal, creators on offer and business limits.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Scenario")]
pub struct RawScenario {
    /// A name for the scenario, shown in reports.
    pub name: Option<Loc<String>>,
    /// Currency code of every amount, for display only (e.g. USD).
    pub currency: Option<Loc<String>>,
    /// Market model: a bundled name (`instagram-2024`) or a path relative to this
    /// file. It defines the tiers and the defaults for omitted rates and prices.
    /// Default: instagram-2024.
    pub market: Option<Loc<String>>,
    /// Total money available: fees plus post prices must not exceed it.
    #[schemars(with = "f64", range(min = 0))]
    pub budget: Number,
    /// Each further post of the same creator yields this fraction of the
    /// previous one (0 < d <= 1). Default 1: no decay.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub repeat_decay: Option<Number>,
    /// What the campaign is for: goal weights or money values, and optional targets.
    pub goal: Loc<RawGoal>,
    /// Business limits: creator counts, fee per creator, tier shares, niches.
    pub limits: Option<Loc<RawLimits>>,
    /// Audience groups: creators in one group share followers, so their unique
    /// reach is capped at the group's size.
    pub audiences: Option<Loc<BTreeMap<String, Loc<RawAudience>>>>,
    /// Named creators on offer.
    pub creators: Option<Loc<Vec<Loc<RawCreator>>>>,
    /// A CSV roster of more creators, relative to this file. Columns are the
    /// creator fields; niches separated by `;`; an empty cell means absent.
    pub creators_csv: Option<Loc<String>>,
    /// Pools of interchangeable creators (market supply rather than named people).
    pub pools: Option<Loc<Vec<Loc<RawPool>>>>,
}

/// The goal: exactly one of `weights` or `values`, plus optional `targets`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Goal")]
pub struct RawGoal {
    /// Shares of attention for each goal; each goal is scaled by its own best
    /// value, so 0.5 means half the weight, whatever the units.
    pub weights: Option<Loc<RawGoalNumbers>>,
    /// Money per unit of each outcome; the plan maximises total value.
    pub values: Option<Loc<RawValues>>,
    /// Minimums every plan must reach.
    pub targets: Option<Loc<RawGoalNumbers>>,
}

/// One number per goal (awareness, engagement, conversions).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "GoalNumbers")]
pub struct RawGoalNumbers {
    /// Unique reach (people who see a post, audience overlaps counted once).
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub awareness: Option<Number>,
    /// Engagements (likes, comments, shares, saves).
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub engagement: Option<Number>,
    /// Conversions (purchases, sign-ups).
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub conversions: Option<Number>,
}

/// Money per unit of each outcome.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Values")]
pub struct RawValues {
    /// Value of a thousand unique people reached.
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub per_thousand_reach: Option<Number>,
    /// Value of one engagement.
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub per_engagement: Option<Number>,
    /// Value of one conversion.
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub per_conversion: Option<Number>,
}

/// Business limits of the campaign.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Limits")]
pub struct RawLimits {
    /// The most creators (named and pool hires) the team can manage.
    #[schemars(with = "Option<u32>")]
    pub max_creators: Option<Number>,
    /// The fewest creators to work with.
    #[schemars(with = "Option<u32>")]
    pub min_creators: Option<Number>,
    /// One-off cost of working with a creator (contract, product, management
    /// time), for every creator and pool that sets no `fee`. Default 0.
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub fee_per_creator: Option<Number>,
    /// Bounds on each tier's share of spend (fees included), e.g. `mega: { max: 0.5 }`.
    pub tier_share: Option<Loc<BTreeMap<String, Loc<RawShare>>>>,
    /// Minimum number of hired creators carrying each niche label.
    pub niches: Option<Loc<BTreeMap<String, Loc<RawNiche>>>>,
}

/// Share-of-spend bounds for one tier, as fractions in [0, 1].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Share")]
pub struct RawShare {
    /// The tier's spend is at least this share of total spend.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub min: Option<Number>,
    /// The tier's spend is at most this share of total spend.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub max: Option<Number>,
}

/// A niche requirement.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Niche")]
pub struct RawNiche {
    /// At least this many hired creators carry the niche.
    #[schemars(with = "u32")]
    pub min_creators: Number,
}

/// An audience group.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Audience")]
pub struct RawAudience {
    /// Number of distinct people in the group: the cap on the group's unique reach.
    #[schemars(with = "f64", range(min = 0))]
    pub size: Number,
}

/// A named creator on offer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Creator")]
pub struct RawCreator {
    /// Unique handle, e.g. `@glowwithmia`.
    pub handle: Loc<String>,
    /// Follower count.
    #[schemars(with = "f64", range(min = 0))]
    pub followers: Number,
    /// Price of one post.
    #[schemars(with = "f64", range(min = 0))]
    pub price_per_post: Number,
    /// Engagements per follower per post (0.058 = 5.8%). Default: the tier's.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub engagement_rate: Option<Number>,
    /// Conversions per engagement. Default: the tier's.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub conversion_rate: Option<Number>,
    /// Share of followers who see a post. Default: the tier's.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub reach_rate: Option<Number>,
    /// Most posts this creator can make in the campaign. Default 1.
    #[schemars(with = "Option<u32>")]
    pub max_posts: Option<Number>,
    /// One-off cost of working with this creator. Default: `limits.fee_per_creator`.
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub fee: Option<Number>,
    /// Tier name from the market model. Default: inferred from followers.
    pub tier: Option<Loc<String>>,
    /// Platform, for information only.
    pub platform: Option<Loc<String>>,
    /// Niche labels, e.g. `[skincare, vegan]`.
    pub niches: Option<Loc<Vec<Loc<String>>>>,
    /// Audience group this creator's followers belong to.
    pub audience: Option<Loc<String>>,
    /// The plan must hire this creator.
    pub require: Option<Loc<bool>>,
    /// The plan must not hire this creator.
    pub exclude: Option<Loc<bool>>,
    /// Chance that a planned post goes out (expected outcomes scale by it). Default 1.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub delivery: Option<Number>,
}

/// A pool of interchangeable creators of one tier.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Pool")]
pub struct RawPool {
    /// Unique pool name.
    pub name: Loc<String>,
    /// Tier name. Default: inferred from `followers`; one of the two is required.
    pub tier: Option<Loc<String>>,
    /// How many such creators can be hired.
    #[schemars(with = "u32")]
    pub available: Number,
    /// Posts each hired creator makes. Default 1.
    #[schemars(with = "Option<u32>")]
    pub posts: Option<Number>,
    /// Followers of each creator. Default: the tier's.
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub followers: Option<Number>,
    /// Price of one post. Default: the tier's.
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub price_per_post: Option<Number>,
    /// Engagements per follower per post. Default: the tier's.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub engagement_rate: Option<Number>,
    /// Conversions per engagement. Default: the tier's.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub conversion_rate: Option<Number>,
    /// Share of followers who see a post. Default: the tier's.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub reach_rate: Option<Number>,
    /// One-off cost per hired creator. Default: `limits.fee_per_creator`.
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub fee: Option<Number>,
    /// Platform, for information only.
    pub platform: Option<Loc<String>>,
    /// Niche labels every creator of the pool carries.
    pub niches: Option<Loc<Vec<Loc<String>>>>,
    /// Audience group the pool's followers belong to.
    pub audience: Option<Loc<String>>,
    /// Chance that a planned post goes out. Default 1.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub delivery: Option<Number>,
}
