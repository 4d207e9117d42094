//! What creators and pools share: their offer ([`OfferContext::resolve`]
//! checks platform, tier, followers, views, price, rates, fee, delivery,
//! audience group and niches, and fills in the defaults of the tier on
//! its platform's market), the scenario's
//! default spreads around those figures (read from `uncertainty:` by
//! [`default_spreads`], applied where a figure has no distribution), the
//! niche labels met so far ([`Niches`]), the record of defaults applied
//! ([`DefaultsLog`]) and the hint for an unknown tier ([`tier_hint`]).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::check::{Checker, Kind, fraction_of_percent, yaml_field, yaml_site};
use super::input::{Field, OfferInput};
use super::platforms::Platforms;
use super::raw::{Quantity, RawScenario};
use super::suggest;
use crate::model::dist::{Bound, Dist, Family};
use crate::model::market::{Market, TierDefaults};
use crate::model::{Audience, AudienceGroup, DefaultApplied, OfferUncertainty};

/// Default spreads: field name → (relative sd, family).
pub(super) type Spreads = HashMap<String, (f64, Option<String>)>;

/// The scenario's default spreads (`uncertainty:`): known fields, each with
/// a relative sd and optionally a family (normal, lognormal, or beta for rates).
pub(super) fn default_spreads(ck: &mut Checker, raw: &RawScenario, path: &Path) -> Spreads {
    let mut spreads = Spreads::new();
    let Some(map) = &raw.uncertainty else {
        return spreads;
    };
    // avg_views: a spread of the views per follower it gives.
    let fields: Vec<&str> = OfferUncertainty::FIELD_NAMES
        .into_iter()
        .chain(["avg_views"])
        .collect();
    for (name, spec) in &map.value {
        let key = format!("uncertainty.{name}");
        if !fields.contains(&name.as_str()) {
            let hint = match suggest(name, fields.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("fields with a default spread: {}", fields.join(", ")),
            };
            ck.fail(
                &yaml_site(path, &key, spec),
                format!("unknown field `{name}`"),
                Some(hint),
            );
            continue;
        }
        let sd = ck.number(
            &yaml_field(path, &format!("{key}.relative_sd"), &spec.value.relative_sd),
            Kind::NonNegative,
        );
        let family = spec
            .value
            .dist
            .as_ref()
            .map(|d| d.value.trim().to_lowercase());
        if let (Some(fam), Some(d)) = (&family, &spec.value.dist) {
            let site = yaml_site(path, &format!("{key}.dist"), d);
            if !["normal", "lognormal", "beta"].contains(&fam.as_str()) {
                ck.fail(
                    &site,
                    format!(
                        "a default spread is normal, lognormal or beta, not `{}`",
                        d.value
                    ),
                    None,
                );
            }
            if fam == "beta" && !name.ends_with("_rate") {
                ck.fail(&site, "beta is for rates only", None);
            }
        }
        if let Some(sd) = sd {
            spreads.insert(name.clone(), (sd, family));
        }
    }
    spreads
}

/// A tier of one platform's market: (platform, the market's tier index).
pub(super) type MarketTier = (usize, usize);

/// Records the defaults applied, for `validate`'s summary.
#[derive(Default)]
pub(super) struct DefaultsLog {
    entries: BTreeMap<(String, Option<MarketTier>), (f64, usize, String)>,
}

impl DefaultsLog {
    /// Counts one use of a default (the first use sets its value and source).
    pub(super) fn note(&mut self, field: &str, tier: Option<MarketTier>, value: f64, source: &str) {
        let entry =
            self.entries
                .entry((field.to_string(), tier))
                .or_insert((value, 0, source.to_string()));
        entry.1 += 1;
    }

    /// The defaults applied, by field and tier, with the tiers and their
    /// platforms named.
    pub(super) fn into_applied(self, platforms: &Platforms) -> Vec<DefaultApplied> {
        self.entries
            .into_iter()
            .map(|((field, tier), (value, count, source))| DefaultApplied {
                field,
                tier: tier.map(|(p, t)| platforms.list[p].market.tiers[t].name.clone()),
                platform: tier.map(|(p, _)| platforms.list[p].name.clone()),
                value,
                count,
                source,
            })
            .collect()
    }
}

/// The niche labels met so far, in order of first appearance; a label's id
/// is its position.
#[derive(Default)]
pub(super) struct Niches {
    /// The labels.
    pub(super) labels: Vec<String>,
    index: HashMap<String, usize>,
}

impl Niches {
    /// The id of a label, adding it if new.
    fn id(&mut self, label: String) -> usize {
        let next = self.labels.len();
        *self.index.entry(label.clone()).or_insert_with(|| {
            self.labels.push(label);
            next
        })
    }

    /// The id of a label met before.
    pub(super) fn get(&self, label: &str) -> Option<usize> {
        self.index.get(label).copied()
    }
}

/// The hint for an unknown tier: the likely one, or the market's tiers.
pub(super) fn tier_hint(name: &str, market: &Market) -> String {
    match suggest(name, market.tier_names()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!(
            "the tiers of market `{}` are {}",
            market.name,
            market.tier_names().join(", ")
        ),
    }
}

/// What creators and pools share, resolved.
pub(super) struct ResolvedOffer {
    pub(super) uncertainty: OfferUncertainty,
    pub(super) tier: usize,
    pub(super) audience: Audience,
    pub(super) price_per_post: f64,
    pub(super) fee: f64,
    pub(super) niches: Vec<usize>,
    pub(super) group: Option<usize>,
    pub(super) platform: usize,
    /// Share of real followers, κ (the audience's quality is κ·φ).
    pub(super) credibility: f64,
}

/// A figure resolved: its nominal value and its distribution, if uncertain.
type Figure = Option<(f64, Option<Dist>)>;

/// What an offer is resolved against: the scenario's spreads, platforms
/// and their markets, audience groups and fee per creator.
pub(super) struct OfferContext<'a> {
    pub(super) spreads: &'a Spreads,
    pub(super) platforms: &'a Platforms,
    pub(super) audiences: &'a [AudienceGroup],
    pub(super) fee_per_creator: f64,
    /// Offers whose credibility is below this are left out.
    pub(super) min_credibility: Option<f64>,
}

impl OfferContext<'_> {
    /// Why an offer is left out of every plan by `limits.min_credibility`,
    /// if it is.
    pub(super) fn below_credibility(&self, offer: &ResolvedOffer) -> Option<String> {
        let min = self.min_credibility?;
        (offer.credibility < min).then(|| {
            format!(
                "credibility {} below min_credibility {min}",
                offer.credibility
            )
        })
    }

    /// The scenario's default spread for a field, around a value (none when the value is 0).
    fn spread(&self, name: &str, value: f64, kind: Kind) -> Option<Dist> {
        let (relative_sd, family) = self.spreads.get(name)?;
        let sd = relative_sd * value;
        if sd <= 0.0 {
            return None;
        }
        let bound = if kind == Kind::Rate {
            Bound::Rate
        } else {
            Bound::NonNegative
        };
        let family = match (family.as_deref(), bound) {
            (Some("normal"), _) => Family::Normal { mean: value, sd },
            (Some("beta"), _) | (None, Bound::Rate) => Family::Beta { mean: value, sd },
            _ => Family::LogNormal { mean: value, sd },
        };
        // A beta too wide for its mean falls back to a truncated normal.
        Dist::new(family, bound)
            .or_else(|_| Dist::new(Family::Normal { mean: value, sd }, bound))
            .ok()
    }

    /// Checks the shared fields and fills in defaults (tier, rates, fee, delivery).
    pub(super) fn resolve(
        &self,
        ck: &mut Checker,
        offer: &OfferInput,
        log: &mut DefaultsLog,
        niches: &mut Niches,
    ) -> Option<ResolvedOffer> {
        let before = ck.errors.len();
        // An unknown platform was reported when the platforms were read.
        let platform = match &offer.platform {
            Some(p) => self.platforms.index(&p.value)?,
            None => 0,
        };
        let market = &self.platforms.list[platform].market;
        let tier = self.tier(ck, offer, market)?;
        let [followers, price, engagement, conversion, reach, fee] =
            self.figures(ck, offer, (platform, tier), log);
        let reach = match &offer.avg_views {
            Some(views) => self.views(ck, offer, views, followers.as_ref()),
            None => reach,
        };
        if offer.fee.is_none() {
            log.note("fee", None, self.fee_per_creator, "limits.fee_per_creator");
        }
        // Shares in [0, 1], 1 when not given.
        let share = |ck: &mut Checker, field: &Option<Field<f64>>| match field {
            Some(f) => ck.number(f, Kind::Rate),
            None => Some(1.0),
        };
        let delivery = share(ck, &offer.delivery);
        let credibility = share(ck, &offer.credibility);
        let fit = share(ck, &offer.audience_fit);
        let group = self.group(ck, offer);
        let mut niche_ids = Vec::new();
        for n in &offer.niches {
            let Some(label) = ck.name(n) else { continue };
            let id = niches.id(label);
            if !niche_ids.contains(&id) {
                niche_ids.push(id);
            }
        }
        if ck.errors.len() > before {
            return None;
        }
        let (followers, reach, engagement, conversion, price, fee) =
            (followers?, reach?, engagement?, conversion?, price?, fee?);
        let (credibility, fit) = (credibility?, fit?);
        Some(ResolvedOffer {
            tier: self.platforms.list[platform].tiers[tier],
            audience: Audience {
                followers: followers.0,
                reach_rate: reach.0,
                engagement_rate: engagement.0,
                conversion_rate: conversion.0,
                delivery: delivery?,
                quality: credibility * fit,
                per_view: market.engagement_per_view,
            },
            price_per_post: price.0,
            fee: fee.0,
            uncertainty: OfferUncertainty {
                followers: followers.1,
                reach_rate: reach.1,
                engagement_rate: engagement.1,
                conversion_rate: conversion.1,
                price_per_post: price.1,
                fee: fee.1,
            },
            niches: niche_ids,
            group,
            platform,
            credibility,
        })
    }

    /// Views per follower from `avg_views` (and its spread, the scenario's
    /// `uncertainty.avg_views`), in place of a reach rate.
    fn views(
        &self,
        ck: &mut Checker,
        offer: &OfferInput,
        views: &Field<f64>,
        followers: Option<&(f64, Option<Dist>)>,
    ) -> Figure {
        if offer.reach_rate.is_some() {
            ck.fail(
                &views.site,
                "`avg_views` and `reach_rate` both give a post's views",
                Some("keep one: avg_views is views per post, reach_rate views per follower".into()),
            );
            return None;
        }
        let v = ck.number(views, Kind::People)?;
        let f = followers?.0;
        if f <= 0.0 {
            ck.fail(
                &views.site,
                format!("avg_views {v} needs followers above 0"),
                Some("a post's views are read as followers times views per follower".into()),
            );
            return None;
        }
        let rate = v / f;
        Some((rate, self.spread("avg_views", rate, Kind::NonNegative)))
    }

    /// The tier of the offer's platform's market: as named, else the one
    /// the followers fall in. The followers are checked here for that, and
    /// again as a figure.
    fn tier(&self, ck: &mut Checker, offer: &OfferInput, market: &Market) -> Option<usize> {
        let followers = match &offer.followers {
            Some(f) => ck.quantity(f, Kind::People).map(|(v, _)| Some(v)),
            None => Some(None),
        };
        match &offer.tier {
            Some(t) => match market.tier_index(t.value.trim()) {
                Some(i) => Some(i),
                None => {
                    ck.fail(
                        &t.site,
                        format!("unknown tier `{}`", t.value),
                        Some(tier_hint(&t.value, market)),
                    );
                    None
                }
            },
            None => followers.flatten().map(|f| market.tier_for(f)),
        }
    }

    /// Followers, price per post, engagement, conversion and reach rates and
    /// fee, in that order: each as given (a number or a distribution), else
    /// the tier's default (recorded in the log), else the fallback; then the
    /// scenario's default spread where no distribution was given.
    fn figures(
        &self,
        ck: &mut Checker,
        offer: &OfferInput,
        (platform, tier): MarketTier,
        log: &mut DefaultsLog,
    ) -> [Figure; 6] {
        let market = &self.platforms.list[platform].market;
        let defaults: &TierDefaults = &market.tiers[tier].defaults;
        // Views per follower may exceed 1 where engagement is per view
        // (TikTok's For You feed reaches past the followers).
        let reach_kind = if market.engagement_per_view {
            Kind::NonNegative
        } else {
            Kind::Rate
        };
        // (name, field, kind, tier default, fallback without a default)
        let table = [
            (
                "followers",
                &offer.followers,
                Kind::People,
                Some(&defaults.followers),
                0.0,
            ),
            (
                "price_per_post",
                &offer.price_per_post,
                Kind::NonNegative,
                Some(&defaults.price_per_post),
                0.0,
            ),
            (
                "engagement_rate",
                &offer.engagement_rate,
                Kind::Rate,
                Some(&defaults.engagement_rate),
                0.0,
            ),
            (
                "conversion_rate",
                &offer.conversion_rate,
                Kind::Rate,
                Some(&defaults.conversion_rate),
                0.0,
            ),
            (
                "reach_rate",
                &offer.reach_rate,
                reach_kind,
                Some(&defaults.reach_rate),
                0.0,
            ),
            (
                "fee",
                &offer.fee,
                Kind::NonNegative,
                None,
                self.fee_per_creator,
            ),
        ];
        table.map(|(name, field, kind, default, fallback)| {
            let (value, dist) = match (field, default) {
                // Views per follower come from avg_views instead (see `views`).
                (None, _) if name == "reach_rate" && offer.avg_views.is_some() => {
                    return Some((0.0, None));
                }
                (Some(f), _) if name == "reach_rate" && kind == Kind::Rate => {
                    reach_rate(ck, f, &self.platforms.list[platform].name)?
                }
                (Some(f), _) => ck.quantity(f, kind)?,
                (None, Some(d)) => {
                    log.note(name, Some((platform, tier)), d.value, &d.source);
                    (d.value, None)
                }
                (None, None) => (fallback, None),
            };
            let dist = dist.or_else(|| self.spread(name, value, kind));
            Some((value, dist))
        })
    }

    /// The audience group named, if any.
    fn group(&self, ck: &mut Checker, offer: &OfferInput) -> Option<usize> {
        let a = offer.audience.as_ref()?;
        match self.audiences.iter().position(|g| g.id == a.value.trim()) {
            Some(i) => Some(i),
            None => {
                let hint = match suggest(&a.value, self.audiences.iter().map(|g| g.id.as_str())) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "declare it under `audiences:` with its size".to_string(),
                };
                ck.fail(
                    &a.site,
                    format!("unknown audience group `{}`", a.value),
                    Some(hint),
                );
                None
            }
        }
    }
}

/// A reach rate on a platform that counts engagement per follower: a
/// share of followers, at most 1; above it, the user likely has views.
fn reach_rate(
    ck: &mut Checker,
    f: &Field<Quantity>,
    platform: &str,
) -> Option<(f64, Option<Dist>)> {
    if let Quantity::Number(v) = f.value
        && v > 1.0
        && v.is_finite()
    {
        ck.fail(
            &f.site,
            format!("must be between 0 and 1 on {platform}, got {v}"),
            Some(format!(
                "reach_rate is the share of followers who see a post; if {v} is views per follower, give views per post as `avg_views`{}",
                if v <= 100.0 {
                    format!(", and if you meant {v}%, write {}", fraction_of_percent(v))
                } else {
                    String::new()
                }
            )),
        );
        return None;
    }
    ck.quantity(f, Kind::Rate)
}
