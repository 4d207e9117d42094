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

/// A number that may instead be a probability distribution (for `simulate`).
pub type Uncertain = Loc<Quantity>;

/// A plain number, or a distribution whose mean is the nominal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Quantity {
    /// A fixed number.
    Number(f64),
    /// A distribution.
    Distribution(RawDist),
}

/// A distribution as written: `{ dist: normal, mean: 0.058, sd: 0.012 }`.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Distribution")]
pub struct RawDist {
    /// Family: normal, lognormal, beta (rates), uniform, triangular or pert.
    pub dist: Loc<String>,
    /// Mean (normal, lognormal, beta); the nominal value.
    #[schemars(with = "Option<f64>")]
    pub mean: Option<Number>,
    /// Standard deviation (normal, lognormal, beta).
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub sd: Option<Number>,
    /// Lowest value (uniform, triangular, pert).
    #[schemars(with = "Option<f64>")]
    pub min: Option<Number>,
    /// Most likely value (triangular, pert).
    #[schemars(with = "Option<f64>")]
    pub mode: Option<Number>,
    /// Highest value (uniform, triangular, pert).
    #[schemars(with = "Option<f64>")]
    pub max: Option<Number>,
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct QuantityVisitor;
        impl<'de> serde::de::Visitor<'de> for QuantityVisitor {
            type Value = Quantity;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a number or a distribution such as `{ dist: normal, mean: 0.05, sd: 0.01 }`",
                )
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Quantity, E> {
                Ok(Quantity::Number(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Quantity, E> {
                Ok(Quantity::Number(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Quantity, E> {
                Ok(Quantity::Number(v as f64))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Quantity, A::Error> {
                RawDist::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(Quantity::Distribution)
            }
        }
        deserializer.deserialize_any(QuantityVisitor)
    }
}

/// Only for the schema: a number or a distribution.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum QuantitySchema {
    Number(f64),
    Distribution(RawDist),
}

impl JsonSchema for Quantity {
    fn schema_name() -> Cow<'static, str> {
        "Quantity".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        QuantitySchema::json_schema(generator)
    }
}

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
    /// Default: instagram-2024. It is the model of the platform it names
    /// (instagram for the bundled one), and of creators that name none.
    pub market: Option<Loc<String>>,
    /// A market model per platform, e.g. `{ tiktok: tiktok-2024, twitch:
    /// models/twitch.yaml }`: a bundled name or a path relative to this
    /// file. Platforms not listed use their bundled model (instagram-2024,
    /// tiktok-2024, youtube-2024).
    pub markets: Option<Loc<BTreeMap<String, Loc<String>>>>,
    /// Total money available: fees plus post prices must not exceed it.
    pub budget: Uncertain,
    /// Each further post of the same creator yields this fraction of the
    /// previous one (0 < d <= 1). Default 1: no decay.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub repeat_decay: Option<Number>,
    /// What the campaign is for: goal weights or money values, and optional targets.
    pub goal: Loc<RawGoal>,
    /// Business limits: creator counts, fee per creator, tier shares, niches.
    pub limits: Option<Loc<RawLimits>>,
    /// Default uncertainty (for `simulate`) for every creator and pool that
    /// gives a field as a plain number, e.g. `engagement_rate: { relative_sd: 0.25 }`.
    pub uncertainty: Option<Loc<BTreeMap<String, Loc<RawDefaultUncertainty>>>>,
    /// Audience groups: creators in one group share followers, so their unique
    /// reach is capped at the group's size.
    pub audiences: Option<Loc<BTreeMap<String, Loc<RawAudience>>>>,
    /// Named creators on offer.
    pub creators: Option<Loc<Vec<Loc<RawCreator>>>>,
    /// A CSV roster of more creators: a path relative to this file, whose
    /// headers are the creator fields, or a platform export described by a
    /// mapping (`path`, `columns`, `delimiter`). Niches are separated by
    /// `;`, `,` or `|`; an empty cell means absent.
    pub creators_csv: Option<Loc<RawRoster>>,
    /// Pools of interchangeable creators (market supply rather than named people).
    pub pools: Option<Loc<Vec<Loc<RawPool>>>>,
}

/// A roster file: its path alone (headers named as the creator fields), or
/// an export with the header each field comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum RawRoster {
    /// The path; headers are the creator fields.
    Path(String),
    /// An export and how to read it.
    Export(RawExport),
}

/// A platform export: `{ path: export.csv, columns: { followers: Followers }, delimiter: ";" }`.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RosterExport")]
pub struct RawExport {
    /// The CSV file, relative to this file.
    pub path: Loc<String>,
    /// For each creator field, the header of the column it comes from
    /// (matched ignoring case and surrounding spaces). Fields not named
    /// here are read from a header equal to their name; other columns are
    /// ignored, and `validate` lists them.
    pub columns: Option<Loc<BTreeMap<String, Loc<String>>>>,
    /// The delimiter: `,`, `;` or `tab`. Default: detected from the header.
    pub delimiter: Option<Loc<String>>,
    /// The decimal mark, `.` or `,` (the other is then a thousands
    /// separator). Default: read from each cell, and a cell that could be
    /// read two ways (`1.996` followers) is an error.
    pub decimal: Option<Loc<String>>,
}

/// Only for the schema: a path or an export.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum RosterSchema {
    Path(String),
    Export(RawExport),
}

impl JsonSchema for RawRoster {
    fn schema_name() -> Cow<'static, str> {
        "Roster".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        RosterSchema::json_schema(generator)
    }
}

impl<'de> Deserialize<'de> for RawRoster {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RosterVisitor;
        impl<'de> serde::de::Visitor<'de> for RosterVisitor {
            type Value = RawRoster;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a path such as `roster.csv`, or `{ path: export.csv, columns: { followers: Followers } }`",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawRoster, E> {
                Ok(RawRoster::Path(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RawRoster, A::Error> {
                RawExport::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RawRoster::Export)
            }
        }
        deserializer.deserialize_any(RosterVisitor)
    }
}

/// The goal: exactly one of `weights`, `values` or `minimize`, plus optional `targets`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Goal")]
pub struct RawGoal {
    /// Shares of attention for each goal; each goal is scaled by its own best
    /// value, so 0.5 means half the weight, whatever the units.
    pub weights: Option<Loc<RawGoalNumbers>>,
    /// Money per unit of each outcome; the plan maximises total value.
    pub values: Option<Loc<RawValues>>,
    /// Target mode: `spend`, the cheapest plan that meets every target.
    #[schemars(with = "Option<MinimizeKey>")]
    pub minimize: Option<Loc<String>>,
    /// With `values`: what to maximise, `value` (the default: the most
    /// value the budget buys) or `profit` (value less spend: only what pays
    /// back is bought).
    #[schemars(with = "Option<MaximizeKey>")]
    pub maximize: Option<Loc<String>>,
    /// Minimums every plan must reach.
    pub targets: Option<Loc<RawGoalNumbers>>,
}

/// What target mode minimises.
#[derive(JsonSchema)]
#[allow(dead_code)]
#[schemars(rename = "Minimize")]
enum MinimizeKey {
    /// Total spend, fees included.
    #[schemars(rename = "spend")]
    Spend,
}

/// What a values goal maximises.
#[derive(JsonSchema)]
#[allow(dead_code)]
#[schemars(rename = "Maximize")]
enum MaximizeKey {
    /// Total value (the default).
    #[schemars(rename = "value")]
    Value,
    /// Value less spend.
    #[schemars(rename = "profit")]
    Profit,
}

/// One number per goal (awareness, engagement, conversions).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "GoalNumbers")]
pub struct RawGoalNumbers {
    /// Unique reach (people who see a post, audience overlaps counted once).
    #[schemars(with = "Option<f64>", range(min = 0))]
    #[serde(alias = "Awareness", alias = "AWARENESS")]
    pub awareness: Option<Number>,
    /// Engagements (likes, comments, shares, saves).
    #[schemars(with = "Option<f64>", range(min = 0))]
    #[serde(alias = "Engagement", alias = "ENGAGEMENT")]
    pub engagement: Option<Number>,
    /// Conversions (purchases, sign-ups).
    #[schemars(with = "Option<f64>", range(min = 0))]
    #[serde(alias = "Conversions", alias = "CONVERSIONS")]
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

/// A default spread for one field, relative to each creator's own value.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "DefaultUncertainty")]
pub struct RawDefaultUncertainty {
    /// Standard deviation as a fraction of the value (0.25 = 25%).
    #[schemars(with = "f64", range(min = 0))]
    pub relative_sd: Number,
    /// Family: beta for rates and lognormal for amounts unless given (normal allowed).
    pub dist: Option<Loc<String>>,
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
    /// Creators and pools whose `credibility` is below this are left out
    /// (`validate` lists them). Default: none left out.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub min_credibility: Option<Number>,
    /// Bounds on each platform's share of spend (fees included), e.g.
    /// `tiktok: { max: 0.4 }`.
    pub platform_share: Option<Loc<BTreeMap<String, Loc<RawShare>>>>,
    /// Bounds on the creators hired on each platform, e.g. `youtube: {
    /// min_creators: 1, max_creators: 3 }`.
    pub platforms: Option<Loc<BTreeMap<String, Loc<RawPlatformLimit>>>>,
}

/// Hire bounds for one platform.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PlatformLimit")]
pub struct RawPlatformLimit {
    /// At least this many hired creators are on the platform.
    #[schemars(with = "Option<u32>")]
    pub min_creators: Option<Number>,
    /// At most this many hired creators are on the platform.
    #[schemars(with = "Option<u32>")]
    pub max_creators: Option<Number>,
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

// Its required fields (`handle`, `followers`, `price_per_post`) are optional
// here and checked in validation, so that every creator lacking one is
// reported in one run; the schema requires them.
/// A named creator on offer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Creator")]
pub struct RawCreator {
    /// Unique handle, e.g. `@glowwithmia`.
    #[schemars(with = "String")]
    pub handle: Option<Loc<String>>,
    /// Follower count.
    #[schemars(with = "Uncertain")]
    pub followers: Option<Uncertain>,
    /// Price of one post.
    #[schemars(with = "Uncertain")]
    pub price_per_post: Option<Uncertain>,
    /// Engagements per follower per post (0.058 = 5.8%), or per view on a
    /// platform whose market model counts them per view. Default: the tier's.
    pub engagement_rate: Option<Uncertain>,
    /// Conversions per engagement. Default: the tier's.
    pub conversion_rate: Option<Uncertain>,
    /// Share of followers who see a post. Default: the tier's.
    pub reach_rate: Option<Uncertain>,
    /// Most posts this creator can make in the campaign. Default 1.
    #[schemars(with = "Option<u32>")]
    pub max_posts: Option<Number>,
    /// One-off cost of working with this creator. Default: `limits.fee_per_creator`.
    pub fee: Option<Uncertain>,
    /// Tier name from the market model. Default: inferred from followers.
    pub tier: Option<Loc<String>>,
    /// Platform (`instagram`, `tiktok`, `youtube`, or one mapped under
    /// `markets:`), matched ignoring case: its market model gives the tier
    /// bounds and defaults. Default: the scenario market's platform.
    pub platform: Option<Loc<String>>,
    /// Average views per post, where the platform reports them: a post's
    /// reach before delivery and audience quality, in place of followers
    /// times `reach_rate`.
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub avg_views: Option<Number>,
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
    /// Share of the followers that are real people, as the platform reports
    /// it (0.85 = 85%); effective followers scale by it. Default 1.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub credibility: Option<Number>,
    /// Share of the audience in the brand's target country or group;
    /// effective followers scale by it. Default 1.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub audience_fit: Option<Number>,
}

// `name` and `available` are checked in validation, as a creator's required
// fields are.
/// A pool of interchangeable creators of one tier.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Pool")]
pub struct RawPool {
    /// Unique pool name.
    #[schemars(with = "String")]
    pub name: Option<Loc<String>>,
    /// Tier name. Default: inferred from `followers`; one of the two is required.
    pub tier: Option<Loc<String>>,
    /// How many such creators can be hired.
    #[schemars(with = "u32")]
    pub available: Option<Number>,
    /// Posts each hired creator makes. Default 1.
    #[schemars(with = "Option<u32>")]
    pub posts: Option<Number>,
    /// Followers of each creator. Default: the tier's.
    pub followers: Option<Uncertain>,
    /// Price of one post. Default: the tier's.
    pub price_per_post: Option<Uncertain>,
    /// Engagements per follower per post. Default: the tier's.
    pub engagement_rate: Option<Uncertain>,
    /// Conversions per engagement. Default: the tier's.
    pub conversion_rate: Option<Uncertain>,
    /// Share of followers who see a post. Default: the tier's.
    pub reach_rate: Option<Uncertain>,
    /// One-off cost per hired creator. Default: `limits.fee_per_creator`.
    pub fee: Option<Uncertain>,
    /// Platform, matched ignoring case: its market model gives the tier
    /// bounds and defaults. Default: the scenario market's platform.
    pub platform: Option<Loc<String>>,
    /// Average views per post of each creator: a post's reach before
    /// delivery and audience quality, in place of followers times `reach_rate`.
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub avg_views: Option<Number>,
    /// Niche labels every creator of the pool carries.
    pub niches: Option<Loc<Vec<Loc<String>>>>,
    /// Audience group the pool's followers belong to.
    pub audience: Option<Loc<String>>,
    /// Chance that a planned post goes out. Default 1.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub delivery: Option<Number>,
    /// Share of the followers that are real people, as the platform reports
    /// it (0.85 = 85%); effective followers scale by it. Default 1.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub credibility: Option<Number>,
    /// Share of the audience in the brand's target country or group;
    /// effective followers scale by it. Default 1.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub audience_fit: Option<Number>,
}
