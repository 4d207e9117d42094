//! Reading market models: the bundled ones, embedded in the binary and found
//! by name, or a model file by path relative to the scenario. The raw layer
//! mirrors the file; [`parse`] checks it into a [`Market`].

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::raw::Loc;
use super::{suggest, yaml};
use crate::error::InputError;
use crate::model::market::{Market, Sourced, Tier, TierDefaults, platform_key};

/// Bundled market models: (name, YAML text).
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "instagram-2024",
        include_str!("../../models/instagram-2024.yaml"),
    ),
    ("tiktok-2024", include_str!("../../models/tiktok-2024.yaml")),
    (
        "youtube-2024",
        include_str!("../../models/youtube-2024.yaml"),
    ),
];

/// The bundled model of each platform that has one: (platform, model).
pub const PLATFORM_MODELS: &[(&str, &str)] = &[
    ("instagram", "instagram-2024"),
    ("tiktok", "tiktok-2024"),
    ("youtube", "youtube-2024"),
];

/// The market model used when a scenario names none.
pub const DEFAULT_MARKET: &str = "instagram-2024";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSourced {
    value: Loc<f64>,
    source: String,
}

impl From<RawSourced> for Sourced {
    fn from(raw: RawSourced) -> Self {
        Sourced {
            value: raw.value.value,
            source: raw.source,
            line: raw.value.line,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename = "TierDefaults")]
struct RawTierDefaults {
    followers: RawSourced,
    engagement_rate: RawSourced,
    reach_rate: RawSourced,
    conversion_rate: RawSourced,
    price_per_post: RawSourced,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename = "Tier")]
struct RawTier {
    name: String,
    min_followers: RawSourced,
    defaults: RawTierDefaults,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename = "Market")]
struct RawMarket {
    name: String,
    description: Option<String>,
    /// The platform the model describes.
    platform: Option<String>,
    /// `follower` (default) or `view`: what an engagement rate is per.
    engagement_per: Option<Loc<String>>,
    tiers: Vec<RawTier>,
}

impl From<RawMarket> for Market {
    fn from(raw: RawMarket) -> Self {
        Market {
            name: raw.name,
            description: raw.description,
            platform: raw.platform.map(|p| platform_key(&p)),
            engagement_per_view: raw
                .engagement_per
                .is_some_and(|e| e.value.trim().eq_ignore_ascii_case("view")),
            tiers: raw
                .tiers
                .into_iter()
                .map(|t| Tier {
                    name: t.name,
                    min_followers: t.min_followers.into(),
                    defaults: TierDefaults {
                        followers: t.defaults.followers.into(),
                        engagement_rate: t.defaults.engagement_rate.into(),
                        reach_rate: t.defaults.reach_rate.into(),
                        conversion_rate: t.defaults.conversion_rate.into(),
                        price_per_post: t.defaults.price_per_post.into(),
                    },
                })
                .collect(),
        }
    }
}

/// Loads a bundled model by name, or a model file by path relative to `base_dir`.
pub fn load(reference: &str, base_dir: &Path, from: &InputError) -> Result<Market, InputError> {
    if let Some((_, text)) = BUNDLED.iter().find(|(name, _)| *name == reference) {
        let path = PathBuf::from(format!("models/{reference}.yaml"));
        return parse(text, &path);
    }
    let path = base_dir.join(reference);
    if !path.is_file() {
        let names: Vec<&str> = BUNDLED.iter().map(|(name, _)| *name).collect();
        let mut error = from.clone();
        error.message = format!(
            "`{reference}` is neither a bundled market model nor a file next to the scenario"
        );
        error.hint = Some(match suggest(reference, names.iter().copied()) {
            Some(name) => format!("did you mean `{name}`?"),
            None => format!("bundled models: {}", names.join(", ")),
        });
        return Err(error);
    }
    let text = yaml::read_text(&path)?;
    parse(&text, &path)
}

/// Parses and checks a market model.
pub fn parse(text: &str, path: &Path) -> Result<Market, InputError> {
    let raw = yaml::parse::<RawMarket>(text, path)?;
    if let Some(per) = &raw.engagement_per {
        let word = per.value.trim().to_ascii_lowercase();
        if word != "follower" && word != "view" {
            return Err(InputError {
                line: Some(per.line),
                column: Some(per.column),
                field: Some("engagement_per".into()),
                hint: Some(
                    "write `follower` (Instagram's convention) or `view` (TikTok's, YouTube's)"
                        .into(),
                ),
                ..InputError::file(
                    path,
                    format!(
                        "engagement_per is `follower` or `view`, not `{}`",
                        per.value
                    ),
                )
            });
        }
    }
    let market: Market = raw.into();
    let problem = |message: String| InputError::file(path, message);
    let at = |figure: &Sourced, field: String, message: &str| InputError {
        line: (figure.line > 0).then_some(figure.line),
        field: Some(field),
        ..InputError::file(path, message)
    };
    // Lines found in the text, for the problems the parsed model has no
    // line for: the `tiers:` key, and the n-th `name: X` of a tier.
    let line_where = |found: &dyn Fn(&str) -> bool, nth: usize| -> Option<u64> {
        text.lines()
            .enumerate()
            .filter(|(_, l)| found(l))
            .nth(nth)
            .map(|(i, _)| i as u64 + 1)
    };
    if market.tiers.is_empty() {
        return Err(InputError {
            line: line_where(&|l| l.starts_with("tiers:"), 0),
            field: Some("tiers".into()),
            hint: Some(
                "list the tiers, smallest first, each with `name`, `min_followers` and `defaults`"
                    .into(),
            ),
            ..problem("a market model needs at least one tier".into())
        });
    }
    for (i, tier) in market.tiers.iter().enumerate() {
        let bound = tier.min_followers.value;
        let field = format!("tiers[{i}].min_followers.value");
        if !bound.is_finite() || bound < 0.0 {
            return Err(at(
                &tier.min_followers,
                field,
                "must be a non-negative number",
            ));
        }
        if i > 0 && bound <= market.tiers[i - 1].min_followers.value {
            return Err(at(
                &tier.min_followers,
                field,
                "tiers must be listed in ascending order of min_followers",
            ));
        }
        if market.tiers[..i].iter().any(|t| t.name == tier.name) {
            // A tier's `name:` is in a list item, below the model's own.
            let named = |l: &str| {
                let item = l.trim_start().trim_start_matches("- ").trim_start();
                l.starts_with([' ', '-'])
                    && item
                        .strip_prefix("name:")
                        .is_some_and(|v| v.trim().trim_matches(['"', '\'']) == tier.name)
            };
            return Err(InputError {
                line: line_where(&named, 1),
                field: Some(format!("tiers[{i}].name")),
                hint: Some("give each tier a name of its own".into()),
                ..problem(format!("tier `{}` is defined twice", tier.name))
            });
        }
        let d = &tier.defaults;
        for (field, figure, is_rate) in [
            ("followers", &d.followers, false),
            ("price_per_post", &d.price_per_post, false),
            ("engagement_rate", &d.engagement_rate, true),
            ("reach_rate", &d.reach_rate, !market.engagement_per_view),
            ("conversion_rate", &d.conversion_rate, true),
        ] {
            let v = figure.value;
            let ok = v.is_finite() && v >= 0.0 && (!is_rate || v <= 1.0);
            if !ok {
                let rule = if is_rate {
                    "must be between 0 and 1"
                } else {
                    "must be a non-negative number"
                };
                return Err(at(
                    figure,
                    format!("tiers[{i}].defaults.{field}.value"),
                    &format!("{rule}, got {v}"),
                ));
            }
        }
    }
    Ok(market)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> Market {
        parse(BUNDLED[0].1, Path::new("models/instagram-2024.yaml")).unwrap()
    }

    #[test]
    fn bundled_model_has_the_seed_tiers() {
        let market = bundled();
        assert_eq!(market.tier_names(), ["nano", "micro", "macro", "mega"]);
        assert_eq!(market.tiers[1].defaults.engagement_rate.value, 0.06);
        for tier in &market.tiers {
            for figure in [
                &tier.min_followers,
                &tier.defaults.followers,
                &tier.defaults.engagement_rate,
                &tier.defaults.reach_rate,
                &tier.defaults.conversion_rate,
                &tier.defaults.price_per_post,
            ] {
                assert!(
                    figure.source.starts_with("seed") || figure.source.starts_with("assumption"),
                    "every figure names its source: {}",
                    figure.source
                );
            }
        }
    }

    #[test]
    fn tiers_follow_the_seed_bounds() {
        let market = bundled();
        let name = |f: f64| market.tiers[market.tier_for(f)].name.clone();
        assert_eq!(name(500.0), "nano");
        assert_eq!(name(9_999.0), "nano");
        assert_eq!(name(10_000.0), "micro");
        assert_eq!(name(999_999.0), "macro");
        assert_eq!(name(1_000_000.0), "mega");
    }
}
