//! Market models: tier bounds and per-tier defaults, each figure with its
//! source. Read and checked by [`crate::scenario::market`].

/// The index of `name` among `names`: as written, else ignoring case
/// (`Micro` for `micro`). Tier names are matched this way everywhere.
pub fn name_index<'a>(names: impl Iterator<Item = &'a str> + Clone, name: &str) -> Option<usize> {
    let name = name.trim();
    names
        .clone()
        .position(|n| n == name)
        .or_else(|| names.into_iter().position(|n| n.eq_ignore_ascii_case(name)))
}

/// A platform's name as creatormix keys it: trimmed, lower case, without
/// spaces (`TikTok`, `tik tok` and `TIKTOK` are all `tiktok`).
pub fn platform_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A figure with the source it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced {
    /// The figure.
    pub value: f64,
    /// Where it comes from (a seed article, or "assumption: ..." with the reasoning).
    pub source: String,
    /// Line of the figure in the model file.
    pub line: u64,
}

/// Defaults for everything a creator or pool of a tier may omit.
#[derive(Debug, Clone, PartialEq)]
pub struct TierDefaults {
    /// Followers of a pool creator that sets none.
    pub followers: Sourced,
    /// Engagements per follower per post.
    pub engagement_rate: Sourced,
    /// Share of followers who see a post.
    pub reach_rate: Sourced,
    /// Conversions per engagement.
    pub conversion_rate: Sourced,
    /// Price of one post (for pools that set none).
    pub price_per_post: Sourced,
}

/// A creator tier.
#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    /// Tier name, e.g. `micro`.
    pub name: String,
    /// Lowest follower count of the tier (the next tier's is its upper bound).
    pub min_followers: Sourced,
    /// Defaults for omitted figures.
    pub defaults: TierDefaults,
}

/// A market model.
#[derive(Debug, Clone, PartialEq)]
pub struct Market {
    /// Model name.
    pub name: String,
    /// What the model describes.
    pub description: Option<String>,
    /// The platform it describes (lower case), if it names one.
    pub platform: Option<String>,
    /// Whether its engagement rates are per view (TikTok, YouTube) rather
    /// than per follower (Instagram).
    pub engagement_per_view: bool,
    /// Tiers in ascending order of followers.
    pub tiers: Vec<Tier>,
}

impl Market {
    /// Index of the tier a follower count falls in (below the first bound: the first tier).
    pub fn tier_for(&self, followers: f64) -> usize {
        self.tiers
            .iter()
            .rposition(|tier| followers >= tier.min_followers.value)
            .unwrap_or(0)
    }

    /// Index of a tier by name: as written, else ignoring case (`Micro`).
    pub fn tier_index(&self, name: &str) -> Option<usize> {
        name_index(self.tiers.iter().map(|tier| tier.name.as_str()), name)
    }

    /// Tier names, for messages.
    pub fn tier_names(&self) -> Vec<&str> {
        self.tiers.iter().map(|tier| tier.name.as_str()).collect()
    }
}
