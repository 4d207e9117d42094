//! Which platforms a scenario has and the market model each follows: the
//! scenario's `market:` (its own platform's, and that of creators naming
//! none), `markets:` per platform, and the bundled model of any other
//! platform named by a creator, a pool or a limit; then the tiers over all
//! of them, matched by name, so tier limits mean the same on every platform.

use std::collections::BTreeMap;
use std::path::Path;

use super::check::{Checker, yaml_site};
use super::input::{CreatorInput, Field, PoolInput};
use super::market::{self, DEFAULT_MARKET, PLATFORM_MODELS};
use super::raw::RawScenario;
use super::suggest;
use crate::error::InputError;
use crate::model::Platform;
use crate::model::market::{Market, name_index, platform_key};

/// The platform of a market model that names none.
const DEFAULT_PLATFORM: &str = "instagram";

/// The scenario's platforms and their tiers.
pub(super) struct Platforms {
    /// The default platform first.
    pub(super) list: Vec<Platform>,
    /// Tier names over every platform's market.
    pub(super) tiers: Vec<String>,
}

impl Platforms {
    /// A platform's index, by any spelling of its name (`TikTok`).
    pub(super) fn index(&self, name: &str) -> Option<usize> {
        let key = platform_key(name);
        self.list.iter().position(|p| p.name == key)
    }
}

/// The folder relative files are read from: the scenario's own.
fn base_dir(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new("."))
}

/// The market model named at `site` (bundled, or a file next to the scenario).
fn load(reference: &str, path: &Path, site: InputError) -> Result<Market, InputError> {
    market::load(reference.trim(), base_dir(path), &site)
}

/// Every platform of the scenario with its market model. Errors in a
/// market model stop here: nothing else can be checked without its tiers.
pub(super) fn read(
    ck: &mut Checker,
    raw: &RawScenario,
    path: &Path,
    creators: &[CreatorInput],
    pools: &[PoolInput],
) -> Option<Platforms> {
    let at = |field: &str, line: u64, column: u64| InputError {
        line: Some(line),
        column: Some(column),
        field: Some(field.into()),
        ..InputError::file(path, "")
    };
    let default = match &raw.market {
        None => load(DEFAULT_MARKET, path, InputError::file(path, "")),
        Some(m) => load(&m.value, path, at("market", m.line, m.column)),
    };
    let default = match default {
        Ok(m) => m,
        Err(e) => {
            ck.errors.push(e);
            return None;
        }
    };
    let name = default
        .platform
        .clone()
        .unwrap_or_else(|| DEFAULT_PLATFORM.to_string());
    let mut list = vec![(name, default)];
    if let Some(markets) = &raw.markets {
        for (platform, model) in &markets.value {
            let key = platform_key(platform);
            let field = format!("markets.{platform}");
            let site = yaml_site(path, &field, model);
            if key.is_empty() {
                ck.fail(&site, "a platform name must not be empty", None);
                continue;
            }
            let loaded = match load(&model.value, path, at(&field, model.line, model.column)) {
                Ok(m) => m,
                Err(e) => {
                    ck.errors.push(e);
                    return None;
                }
            };
            match list.iter().position(|(n, _)| *n == key) {
                Some(0) if raw.market.is_none() => list[0].1 = loaded,
                Some(_) => ck.fail(
                    &site,
                    format!("platform `{key}` is given a market model twice"),
                    Some(if raw.market.is_some() {
                        format!("`market:` is already {key}'s model; keep one of the two")
                    } else {
                        "platform names match ignoring case and spaces; keep one entry".into()
                    }),
                ),
                None => list.push((key, loaded)),
            }
        }
    }
    // Platforms named by creators, pools and limits, in order of first
    // appearance; unknown ones are reported once each, at their first use.
    let mut unknown: BTreeMap<String, (Field<String>, usize)> = BTreeMap::new();
    let named = creators
        .iter()
        .filter_map(|c| c.offer.platform.as_ref())
        .chain(pools.iter().filter_map(|p| p.offer.platform.as_ref()));
    let limit_keys = limit_platforms(raw, path);
    for field in named.chain(limit_keys.iter()) {
        let key = platform_key(&field.value);
        if key.is_empty() || list.iter().any(|(n, _)| *n == key) {
            continue;
        }
        if let Some((_, model)) = PLATFORM_MODELS.iter().find(|(p, _)| *p == key) {
            match load(model, path, field.site.error("")) {
                Ok(m) => list.push((key, m)),
                Err(e) => {
                    ck.errors.push(e);
                    return None;
                }
            }
            continue;
        }
        unknown.entry(key).or_insert_with(|| (field.clone(), 0)).1 += 1;
    }
    for (key, (field, uses)) in unknown {
        let known: Vec<&str> = list
            .iter()
            .map(|(n, _)| n.as_str())
            .chain(PLATFORM_MODELS.iter().map(|(p, _)| *p))
            .collect();
        let more = if uses > 1 {
            format!(" (named {uses} times; this is the first)")
        } else {
            String::new()
        };
        let hint = match suggest(&key, known.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "platforms with a bundled model: {}; give another one a model with `markets: {{ {key}: my-model.yaml }}`",
                PLATFORM_MODELS
                    .iter()
                    .map(|(p, _)| *p)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        ck.fail(
            &field.site,
            format!("unknown platform `{}`{more}", field.value),
            Some(hint),
        );
    }
    let mut tiers: Vec<String> = Vec::new();
    let list = list
        .into_iter()
        .map(|(name, market)| {
            let map = market
                .tiers
                .iter()
                .map(|t| {
                    name_index(tiers.iter().map(String::as_str), &t.name).unwrap_or_else(|| {
                        tiers.push(t.name.clone());
                        tiers.len() - 1
                    })
                })
                .collect();
            Platform {
                name,
                market,
                tiers: map,
            }
        })
        .collect();
    Some(Platforms { list, tiers })
}

/// The platforms the limits name, each with its site.
fn limit_platforms(raw: &RawScenario, path: &Path) -> Vec<Field<String>> {
    let mut out = Vec::new();
    let Some(limits) = raw.limits.as_ref().map(|l| &l.value) else {
        return out;
    };
    if let Some(shares) = &limits.platform_share {
        for (name, share) in &shares.value {
            out.push(Field {
                value: name.clone(),
                site: yaml_site(path, &format!("limits.platform_share.{name}"), share),
            });
        }
    }
    if let Some(counts) = &limits.platforms {
        for (name, count) in &counts.value {
            out.push(Field {
                value: name.clone(),
                site: yaml_site(path, &format!("limits.platforms.{name}"), count),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::model::GoalKind;

    fn load(text: &str) -> crate::model::Scenario {
        crate::scenario::load_str(text, Path::new("t.yaml")).expect("valid scenario")
    }

    #[test]
    fn each_platform_follows_its_own_market() {
        let s = load(
            "budget: 1000
goal: { weights: { awareness: 1 } }
creators:
  - { handle: a, followers: 20000, price_per_post: 100 }
  - { handle: t, platform: TikTok, followers: 20000, avg_views: 50000, price_per_post: 100 }
  - { handle: y, platform: ' you tube ', followers: 20000, price_per_post: 100, tier: Micro }
",
        );
        let names: Vec<&str> = s.platforms.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["instagram", "tiktok", "youtube"]);
        assert_eq!(s.tiers, ["nano", "micro", "macro", "mega"]);
        let [a, t, y] = [&s.creators[0], &s.creators[1], &s.creators[2]];
        assert_eq!((a.platform, t.platform, y.platform), (0, 1, 2));
        // All three are micro, one tier across platforms.
        assert!(a.tier == t.tier && t.tier == y.tier);
        // Instagram: per follower, its own defaults.
        assert!(!a.audience.per_view);
        assert_eq!(a.audience.engagement_rate, 0.06);
        // TikTok: views from avg_views, engagement per view at TikTok's micro default.
        assert!(t.audience.per_view);
        assert_eq!(t.audience.reach(), 50_000.0);
        assert!((t.audience.outcome(GoalKind::Engagement) - 50_000.0 * 0.06).abs() < 1e-9);
        // Its views came from avg_views, not from a default reach rate.
        assert!(
            !s.defaults_applied
                .iter()
                .any(|d| d.field == "reach_rate" && d.platform.as_deref() == Some("tiktok"))
        );
        // YouTube: its micro defaults, views per subscriber 0.3.
        assert_eq!(y.audience.reach_rate, 0.3);
        assert_eq!(y.audience.engagement_rate, 0.035);
    }

    #[test]
    fn a_platform_may_be_given_a_model_and_limits_by_any_spelling() {
        let s = load(
            "budget: 1000
goal: { weights: { awareness: 1 } }
markets: { TikTok: instagram-2024 }
limits:
  platform_share: { TIKTOK: { max: 0.5 } }
  platforms: { tiktok: { max_creators: 1 } }
creators:
  - { handle: t, platform: tiktok, followers: 20000, price_per_post: 100 }
",
        );
        let tiktok = s.platforms.iter().position(|p| p.name == "tiktok").unwrap();
        assert_eq!(s.platforms[tiktok].market.name, "instagram-2024");
        assert_eq!(s.limits.platform_share[0].platform, tiktok);
        assert_eq!(s.limits.platforms[0].max_creators, Some(1));
        assert!(!s.creators[0].audience.per_view);
    }
}
