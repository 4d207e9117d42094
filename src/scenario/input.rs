//! Creator and pool inputs in one shape, whether they came from YAML or CSV,
//! each value with the [`Site`] it came from, so one validator serves both.

use std::path::PathBuf;

use super::raw::{Loc, Quantity, RawCreator, RawPool};
use crate::error::InputError;

/// Where a value came from: file, line, column and field path.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// The file.
    pub file: PathBuf,
    /// 1-based line (0 when unknown).
    pub line: u64,
    /// 1-based column (0 when unknown).
    pub column: u64,
    /// Field path, e.g. `creators[2].followers` or `followers` (CSV column).
    pub field: String,
}

impl Site {
    /// A problem at this site.
    pub fn error(&self, message: impl Into<String>) -> InputError {
        InputError {
            file: self.file.clone(),
            line: (self.line > 0).then_some(self.line),
            column: (self.column > 0).then_some(self.column),
            field: (!self.field.is_empty()).then(|| self.field.clone()),
            message: message.into(),
            hint: None,
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<T> {
    /// The value.
    pub value: T,
    /// Its origin.
    pub site: Site,
}

/// Fields creators and pools share.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferInput {
    /// Followers.
    pub followers: Option<Field<Quantity>>,
    /// Price of one post.
    pub price_per_post: Option<Field<Quantity>>,
    /// Engagement rate.
    pub engagement_rate: Option<Field<Quantity>>,
    /// Conversion rate.
    pub conversion_rate: Option<Field<Quantity>>,
    /// Reach rate.
    pub reach_rate: Option<Field<Quantity>>,
    /// Fee.
    pub fee: Option<Field<Quantity>>,
    /// Tier name.
    pub tier: Option<Field<String>>,
    /// Platform.
    pub platform: Option<Field<String>>,
    /// Average views per post.
    pub avg_views: Option<Field<f64>>,
    /// Niche labels.
    pub niches: Vec<Field<String>>,
    /// Audience group id.
    pub audience: Option<Field<String>>,
    /// Delivery probability.
    pub delivery: Option<Field<f64>>,
    /// Share of real followers.
    pub credibility: Option<Field<f64>>,
    /// Share of the audience the brand targets.
    pub audience_fit: Option<Field<f64>>,
}

/// A creator as read, before validation.
#[derive(Debug, Clone, PartialEq)]
pub struct CreatorInput {
    /// Where the creator's entry starts (YAML item or CSV row).
    pub site: Site,
    /// Handle.
    pub handle: Field<String>,
    /// Shared fields.
    pub offer: OfferInput,
    /// Most posts.
    pub max_posts: Option<Field<f64>>,
    /// Must be hired.
    pub require: Option<Field<bool>>,
    /// Must not be hired.
    pub exclude: Option<Field<bool>>,
}

/// A pool as read, before validation.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolInput {
    /// Where the pool's entry starts.
    pub site: Site,
    /// Name.
    pub name: Field<String>,
    /// Shared fields.
    pub offer: OfferInput,
    /// Available creators.
    pub available: Field<f64>,
    /// Posts per hire.
    pub posts: Option<Field<f64>>,
}

/// Builds [`Field`]s for one YAML item, naming fields under a prefix.
pub struct YamlSites<'a> {
    /// The scenario file.
    pub file: &'a PathBuf,
    /// Field path prefix, e.g. `creators[2]`.
    pub prefix: String,
}

impl YamlSites<'_> {
    /// The site of a located value.
    pub fn site<T>(&self, name: &str, loc: &Loc<T>) -> Site {
        Site {
            file: self.file.clone(),
            line: loc.line,
            column: loc.column,
            field: if name.is_empty() {
                self.prefix.clone()
            } else {
                format!("{}.{name}", self.prefix)
            },
        }
    }

    /// A located value as a [`Field`].
    pub fn field<T: Clone>(&self, name: &str, loc: &Loc<T>) -> Field<T> {
        Field {
            value: loc.value.clone(),
            site: self.site(name, loc),
        }
    }

    fn opt<T: Clone>(&self, name: &str, loc: &Option<Loc<T>>) -> Option<Field<T>> {
        loc.as_ref().map(|l| self.field(name, l))
    }

    fn niches(&self, niches: &Option<Loc<Vec<Loc<String>>>>) -> Vec<Field<String>> {
        niches
            .as_ref()
            .map(|list| {
                list.value
                    .iter()
                    .enumerate()
                    .map(|(i, n)| self.field(&format!("niches[{i}]"), n))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The shared fields of a raw creator or pool (two serde types with these
/// fields under the same names), given how each reads followers and price:
/// required for a creator, optional for a pool.
macro_rules! offer_input {
    ($s:expr, $raw:expr, $followers:expr, $price:expr) => {
        OfferInput {
            followers: $followers,
            price_per_post: $price,
            engagement_rate: $s.opt("engagement_rate", &$raw.engagement_rate),
            conversion_rate: $s.opt("conversion_rate", &$raw.conversion_rate),
            reach_rate: $s.opt("reach_rate", &$raw.reach_rate),
            fee: $s.opt("fee", &$raw.fee),
            tier: $s.opt("tier", &$raw.tier),
            platform: $s.opt("platform", &$raw.platform),
            avg_views: $s.opt("avg_views", &$raw.avg_views),
            niches: $s.niches(&$raw.niches),
            audience: $s.opt("audience", &$raw.audience),
            delivery: $s.opt("delivery", &$raw.delivery),
            credibility: $s.opt("credibility", &$raw.credibility),
            audience_fit: $s.opt("audience_fit", &$raw.audience_fit),
        }
    };
}

impl YamlSites<'_> {
    /// A required value, or the error of its absence at the item's site.
    fn required<T: Clone, I>(
        &self,
        name: &str,
        loc: &Option<Loc<T>>,
        item: &Loc<I>,
        needs: &str,
        missing: &mut Vec<InputError>,
    ) -> Option<Field<T>> {
        let found = self.opt(name, loc);
        if found.is_none() {
            let mut error = self
                .site(name, item)
                .error(format!("missing field `{name}`"));
            error.hint = Some(needs.to_string());
            missing.push(error);
        }
        found
    }
}

impl CreatorInput {
    /// A creator from the scenario's `creators` list, or the errors of the
    /// required fields it lacks.
    pub fn from_yaml(
        raw: &Loc<RawCreator>,
        index: usize,
        file: &PathBuf,
    ) -> Result<Self, Vec<InputError>> {
        let s = YamlSites {
            file,
            prefix: format!("creators[{index}]"),
        };
        let c = &raw.value;
        let needs = "every creator needs `handle`, `followers` and `price_per_post`";
        let mut missing = Vec::new();
        let handle = s.required("handle", &c.handle, raw, needs, &mut missing);
        let followers = s.required("followers", &c.followers, raw, needs, &mut missing);
        let price = s.required(
            "price_per_post",
            &c.price_per_post,
            raw,
            needs,
            &mut missing,
        );
        let Some(handle) = handle.filter(|_| missing.is_empty()) else {
            return Err(missing);
        };
        Ok(CreatorInput {
            site: s.site("", raw),
            handle,
            offer: offer_input!(s, c, followers, price),
            max_posts: s.opt("max_posts", &c.max_posts),
            require: s.opt("require", &c.require),
            exclude: s.opt("exclude", &c.exclude),
        })
    }
}

impl PoolInput {
    /// A pool from the scenario's `pools` list, or the errors of the
    /// required fields it lacks.
    pub fn from_yaml(
        raw: &Loc<RawPool>,
        index: usize,
        file: &PathBuf,
    ) -> Result<Self, Vec<InputError>> {
        let s = YamlSites {
            file,
            prefix: format!("pools[{index}]"),
        };
        let p = &raw.value;
        let needs = "every pool needs `name`, `available`, and `tier` or `followers`";
        let mut missing = Vec::new();
        let name = s.required("name", &p.name, raw, needs, &mut missing);
        let available = s.required("available", &p.available, raw, needs, &mut missing);
        let (Some(name), Some(available)) = (name, available) else {
            return Err(missing);
        };
        Ok(PoolInput {
            site: s.site("", raw),
            name,
            offer: offer_input!(
                s,
                p,
                s.opt("followers", &p.followers),
                s.opt("price_per_post", &p.price_per_post)
            ),
            available,
            posts: s.opt("posts", &p.posts),
        })
    }
}
