//! The validated scenario: budget, goal, creators, pools and limits, every
//! value checked (finite, in range, references resolved) and every default
//! applied, so later stages never re-check input.

use std::path::PathBuf;

use super::dist::Dist;
use super::goal::{Goal, GoalKind, Objective};
use super::market::Market;

/// Per-post outcome rates of one creator (or of each creator of a pool).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Audience {
    /// Follower count F.
    pub followers: f64,
    /// Share of followers who see a post, r (views per follower: from
    /// `avg_views` V it is V/F, and may exceed 1).
    pub reach_rate: f64,
    /// Engagements per follower per post, e (per view where `per_view`).
    pub engagement_rate: f64,
    /// Conversions per engagement, c.
    pub conversion_rate: f64,
    /// Chance a post goes out, δ.
    pub delivery: f64,
    /// Share of the followers who count: real (credibility) and in the
    /// brand's audience (fit), q = κ·φ.
    pub quality: f64,
    /// Whether the engagement rate is per view (the platform's market
    /// model says so) rather than per follower.
    pub per_view: bool,
}

impl Audience {
    /// Effective followers: F·q.
    pub fn effective_followers(&self) -> f64 {
        self.followers * self.quality
    }
    /// Expected reach of a first post: δ·F·q·r.
    pub fn reach(&self) -> f64 {
        self.delivery * self.effective_followers() * self.reach_rate
    }
    /// Expected engagements of a first post: δ·F·q·e, or δ·F·q·r·e when
    /// the rate is per view.
    pub fn engagements(&self) -> f64 {
        self.delivery * self.effective_followers() * self.engagement_base() * self.engagement_rate
    }
    /// What the engagement rate multiplies per effective follower: 1, or
    /// the views per follower r when the rate is per view.
    pub fn engagement_base(&self) -> f64 {
        if self.per_view { self.reach_rate } else { 1.0 }
    }
    /// Expected conversions of a first post: engagements times c.
    pub fn conversions(&self) -> f64 {
        self.engagements() * self.conversion_rate
    }
    /// Expected first-post outcome for a goal (awareness counts raw reach).
    pub fn outcome(&self, goal: GoalKind) -> f64 {
        match goal {
            GoalKind::Awareness => self.reach(),
            GoalKind::Engagement => self.engagements(),
            GoalKind::Conversions => self.conversions(),
        }
    }
}

/// A named creator on offer.
#[derive(Debug, Clone, PartialEq)]
pub struct Creator {
    /// Unique handle.
    pub handle: String,
    /// Index into [`Scenario::tiers`].
    pub tier: usize,
    /// Outcome rates.
    pub audience: Audience,
    /// Price of one post.
    pub price_per_post: f64,
    /// One-off fee when hired.
    pub fee: f64,
    /// Most posts in the campaign.
    pub max_posts: u32,
    /// Indices into [`Scenario::niches`].
    pub niches: Vec<usize>,
    /// Index into [`Scenario::audiences`], if the creator belongs to a group.
    pub group: Option<usize>,
    /// Must be hired.
    pub require: bool,
    /// Must not be hired.
    pub exclude: bool,
    /// Index into [`Scenario::platforms`].
    pub platform: usize,
}

/// A pool of interchangeable creators of one tier.
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    /// Unique name.
    pub name: String,
    /// Index into [`Scenario::tiers`].
    pub tier: usize,
    /// Outcome rates of each creator.
    pub audience: Audience,
    /// Price of one post.
    pub price_per_post: f64,
    /// One-off fee per hire.
    pub fee: f64,
    /// How many can be hired.
    pub available: u32,
    /// Posts each hire makes.
    pub posts: u32,
    /// Indices into [`Scenario::niches`].
    pub niches: Vec<usize>,
    /// Index into [`Scenario::audiences`], if the pool belongs to a group.
    pub group: Option<usize>,
    /// Index into [`Scenario::platforms`].
    pub platform: usize,
}

impl Creator {
    /// Cost of `posts` posts: the fee plus each post's price, or nothing
    /// when the creator is not hired.
    pub fn cost(&self, posts: u32) -> f64 {
        if posts == 0 {
            0.0
        } else {
            self.fee + self.price_per_post * f64::from(posts)
        }
    }
}

impl Pool {
    /// Cost of one hire: fee plus every post.
    pub fn cost_per_hire(&self) -> f64 {
        self.fee + self.price_per_post * f64::from(self.posts)
    }
}

/// An audience group whose members' unique reach is capped at its size.
#[derive(Debug, Clone, PartialEq)]
pub struct AudienceGroup {
    /// Group id as written in the scenario.
    pub id: String,
    /// Distinct people in the group, U.
    pub size: f64,
}

/// A platform of the scenario and the market model its creators follow.
#[derive(Debug, Clone, PartialEq)]
pub struct Platform {
    /// Its name, lower case (`instagram`, `tiktok`).
    pub name: String,
    /// Its market model: tier bounds and defaults.
    pub market: Market,
    /// For each of the market's tiers, its index into [`Scenario::tiers`].
    pub tiers: Vec<usize>,
}

/// Bounds on one platform's share of spend.
#[derive(Debug, Clone, PartialEq)]
pub struct PlatformShare {
    /// Index into [`Scenario::platforms`].
    pub platform: usize,
    /// Minimum share in [0, 1].
    pub min: Option<f64>,
    /// Maximum share in [0, 1].
    pub max: Option<f64>,
}

/// Bounds on how many creators are hired on one platform.
#[derive(Debug, Clone, PartialEq)]
pub struct PlatformCount {
    /// Index into [`Scenario::platforms`].
    pub platform: usize,
    /// At least this many hires.
    pub min_creators: Option<u32>,
    /// At most this many hires.
    pub max_creators: Option<u32>,
}

/// Bounds on one tier's share of spend.
#[derive(Debug, Clone, PartialEq)]
pub struct TierShare {
    /// Index into the market's tiers.
    pub tier: usize,
    /// Minimum share in [0, 1].
    pub min: Option<f64>,
    /// Maximum share in [0, 1].
    pub max: Option<f64>,
}

/// A minimum number of hires carrying a niche.
#[derive(Debug, Clone, PartialEq)]
pub struct NicheMinimum {
    /// Index into [`Scenario::niches`].
    pub niche: usize,
    /// The minimum, M.
    pub min_creators: u32,
}

/// A creator or pool left out of every plan by a limit, for `validate` to report.
#[derive(Debug, Clone, PartialEq)]
pub struct LeftOut {
    /// Its handle or pool name.
    pub name: String,
    /// Why.
    pub reason: String,
}

/// A CSV roster as it was read, for `validate` to report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RosterRead {
    /// The file.
    pub path: PathBuf,
    /// Creators read from it.
    pub rows: usize,
    /// Its delimiter, as given or detected.
    pub delimiter: char,
    /// Each creator field read and the header it came from.
    pub columns: Vec<(String, String)>,
    /// Headers no field was read from (an export's other columns).
    pub ignored: Vec<String>,
}

/// Business limits.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Limits {
    /// At most this many hires.
    pub max_creators: Option<u32>,
    /// At least this many hires.
    pub min_creators: Option<u32>,
    /// Fee applied to creators and pools that set none.
    pub fee_per_creator: f64,
    /// Tier share bounds, one entry per constrained tier.
    pub tier_share: Vec<TierShare>,
    /// Niche minimums.
    pub niches: Vec<NicheMinimum>,
    /// Offers whose credibility is below this are left out.
    pub min_credibility: Option<f64>,
    /// Platform share bounds, one entry per constrained platform.
    pub platform_share: Vec<PlatformShare>,
    /// Platform hire bounds, one entry per constrained platform.
    pub platforms: Vec<PlatformCount>,
}

/// A default the validator filled in, for `validate`'s summary.
#[derive(Debug, Clone, PartialEq)]
pub struct DefaultApplied {
    /// The field, e.g. `engagement_rate`.
    pub field: String,
    /// The tier whose default it is, if a tier default.
    pub tier: Option<String>,
    /// The platform whose market gave it, if a tier default.
    pub platform: Option<String>,
    /// The value applied.
    pub value: f64,
    /// How many creators and pools received it.
    pub count: usize,
    /// Where the figure comes from.
    pub source: String,
}

/// A validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The scenario file.
    pub path: PathBuf,
    /// Display name.
    pub name: String,
    /// Currency code, display only.
    pub currency: String,
    /// The platforms on offer, the default one (creators that name none)
    /// first, each with its market model.
    pub platforms: Vec<Platform>,
    /// Tier names over every platform's market, the default platform's
    /// first (smallest first), then others' new names in their order.
    pub tiers: Vec<String>,
    /// Budget B.
    pub budget: f64,
    /// Repeat decay d in (0, 1].
    pub repeat_decay: f64,
    /// The objective.
    pub objective: Objective,
    /// Minimum per goal, indexed by [`GoalKind::index`].
    pub targets: [Option<f64>; 3],
    /// Business limits.
    pub limits: Limits,
    /// Audience groups.
    pub audiences: Vec<AudienceGroup>,
    /// Niche labels used anywhere in the scenario.
    pub niches: Vec<String>,
    /// Named creators (inline first, then CSV rows).
    pub creators: Vec<Creator>,
    /// Pools.
    pub pools: Vec<Pool>,
    /// Defaults the validator applied.
    pub defaults_applied: Vec<DefaultApplied>,
    /// The CSV roster, if any, as it was read.
    pub roster: Option<RosterRead>,
    /// Creators and pools on offer that no plan may hire, and why (e.g. a
    /// credibility below `limits.min_credibility`).
    pub left_out: Vec<LeftOut>,
    /// Distributions of uncertain inputs (means are the values above).
    pub uncertainty: Uncertainty,
}

impl Scenario {
    /// Sum of d^(k-1) for k = 1..=posts: outcome multiplier of `posts` posts.
    pub fn decay_sum(&self, posts: u32) -> f64 {
        let d = self.repeat_decay;
        if d == 1.0 {
            f64::from(posts)
        } else {
            (0..posts).map(|k| d.powi(k as i32)).sum()
        }
    }

    /// The goal of a scenario once the G* values are known (weights mode),
    /// or directly (values and target mode).
    pub fn goal(&self, best: Option<[f64; 3]>) -> Goal {
        let s = self;
        match &s.objective {
            Objective::Values(v) => Goal::Values(*v),
            Objective::Profit(v) => Goal::Profit(*v),
            Objective::MinimiseSpend => Goal::Spend,
            Objective::Weights(w) => {
                let best = best.unwrap_or([1.0; 3]);
                let mut weights = [0.0; 3];
                for i in 0..3 {
                    if w[i] > 0.0 && best[i] > 0.0 {
                        weights[i] = w[i];
                    }
                }
                let sum: f64 = weights.iter().sum();
                if sum > 0.0 {
                    for w in &mut weights {
                        *w /= sum;
                    }
                }
                let best = best.map(|b| if b > 0.0 { b } else { 1.0 });
                Goal::Normalised { weights, best }
            }
        }
    }

    /// Name of a tier.
    pub fn tier_name(&self, tier: usize) -> &str {
        &self.tiers[tier]
    }

    /// Name of a platform.
    pub fn platform_name(&self, platform: usize) -> &str {
        &self.platforms[platform].name
    }

    /// Index of a tier by name: as written, else ignoring case.
    pub fn tier_index(&self, name: &str) -> Option<usize> {
        super::market::name_index(self.tiers.iter().map(String::as_str), name)
    }

    /// Whether anyone can be hired among the creators and pools whose
    /// (tier, platform) `keep` accepts.
    fn offers(&self, keep: impl Fn(usize, usize) -> bool) -> bool {
        self.creators
            .iter()
            .any(|c| keep(c.tier, c.platform) && !c.exclude && c.max_posts > 0)
            || self
                .pools
                .iter()
                .any(|p| keep(p.tier, p.platform) && p.available > 0)
    }

    /// Whether anyone can be hired on a platform.
    pub fn offers_on(&self, platform: usize) -> bool {
        self.offers(|_, p| p == platform)
    }

    /// Whether anyone can be hired in a tier.
    pub fn offers_in(&self, tier: usize) -> bool {
        self.offers(|t, _| t == tier)
    }

    /// The names of the platforms anyone can be hired on, when there are
    /// several (the columns of platform shares); empty with one.
    pub fn platform_columns(&self) -> Vec<String> {
        let on: Vec<String> = (0..self.platforms.len())
            .filter(|&p| self.offers_on(p))
            .map(|p| self.platform_name(p).to_string())
            .collect();
        if on.len() > 1 { on } else { Vec::new() }
    }

    /// The market model of creators that name no platform.
    pub fn default_market(&self) -> &Market {
        &self.platforms[0].market
    }
}

/// Distributions of one creator's or pool's inputs (`None`: the value is certain).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OfferUncertainty {
    /// Followers.
    pub followers: Option<Dist>,
    /// Reach rate.
    pub reach_rate: Option<Dist>,
    /// Engagement rate.
    pub engagement_rate: Option<Dist>,
    /// Conversion rate.
    pub conversion_rate: Option<Dist>,
    /// Price per post.
    pub price_per_post: Option<Dist>,
    /// Fee.
    pub fee: Option<Dist>,
}

impl OfferUncertainty {
    /// Whether every input is certain.
    pub fn is_certain(&self) -> bool {
        self.fields().iter().all(|(_, d)| d.is_none())
    }

    /// The names of the fields, in the order of [`OfferUncertainty::fields`].
    pub const FIELD_NAMES: [&'static str; 6] = [
        "followers",
        "reach_rate",
        "engagement_rate",
        "conversion_rate",
        "price_per_post",
        "fee",
    ];

    /// The fields with their names, in a fixed order.
    pub fn fields(&self) -> [(&'static str, &Option<Dist>); 6] {
        let values = [
            &self.followers,
            &self.reach_rate,
            &self.engagement_rate,
            &self.conversion_rate,
            &self.price_per_post,
            &self.fee,
        ];
        std::array::from_fn(|i| (Self::FIELD_NAMES[i], values[i]))
    }
}

/// What is uncertain in a scenario (for `simulate`); `solve` uses the means.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Uncertainty {
    /// The budget.
    pub budget: Option<Dist>,
    /// Per creator, aligned with [`Scenario::creators`].
    pub creators: Vec<OfferUncertainty>,
    /// Per pool, aligned with [`Scenario::pools`].
    pub pools: Vec<OfferUncertainty>,
}

impl Uncertainty {
    /// Whether anything at all is uncertain (delivery aside).
    pub fn is_empty(&self) -> bool {
        self.budget.is_none()
            && self.creators.iter().all(OfferUncertainty::is_certain)
            && self.pools.iter().all(OfferUncertainty::is_certain)
    }
}
