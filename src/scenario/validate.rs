//! Validation: the raw layer becomes the domain model, or a list of problems.
//!
//! Every number is checked (finite, in range, whole where a count is meant),
//! every reference resolved (tiers, audiences, niches), contradictions caught
//! (require with exclude, a minimum above its maximum, tier-share minimums over
//! 1), and every default of the market model applied and recorded. Single
//! values are checked by the `check` module.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::check::{Checker, Kind, yaml_field, yaml_site};
use super::input::{CreatorInput, Field, OfferInput, PoolInput, Site};
use super::market::{self, DEFAULT_MARKET};
use super::raw::{Number, Quantity, RawScenario};
use super::{roster, suggest, yaml};
use crate::error::InputError;
use crate::model::dist::{Bound, Dist, Family};
use crate::model::market::{Market, TierDefaults};
use crate::model::{
    Audience, AudienceGroup, Creator, DefaultApplied, Limits, NicheMinimum, Objective,
    OfferUncertainty, Pool, Scenario, TierShare, Uncertainty,
};

pub use super::check::{MAX_AMOUNT, MAX_NAME_CHARS, MAX_PEOPLE};

/// Most creators (inline and CSV together) a scenario may have.
pub const MAX_CREATORS: usize = 200_000;
/// Most pools a scenario may have.
pub const MAX_POOLS: usize = 10_000;
/// Most posts one creator may be offered, and most posts per pool hire.
pub const MAX_POSTS: u32 = 1_000;
/// Most creators one pool may offer.
pub const MAX_AVAILABLE: u32 = 10_000_000;

/// Records the defaults applied, for `validate`'s summary.
#[derive(Default)]
struct DefaultsLog {
    entries: BTreeMap<(String, Option<usize>), (f64, usize, String)>,
}

impl DefaultsLog {
    fn note(&mut self, field: &str, tier: Option<usize>, value: f64, source: &str) {
        let entry =
            self.entries
                .entry((field.to_string(), tier))
                .or_insert((value, 0, source.to_string()));
        entry.1 += 1;
    }
}

/// Validates a raw scenario read from `path`.
pub fn validate(raw: &RawScenario, path: &Path) -> Result<Scenario, Vec<InputError>> {
    let mut ck = Checker { errors: Vec::new() };
    let file = path.to_path_buf();
    let base_dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let f = |name: &str, loc: &Number| yaml_field(path, name, loc);

    // Market model first: tiers and defaults are needed for everything else.
    let market = match &raw.market {
        None => market::load(DEFAULT_MARKET, &base_dir, &InputError::file(path, "")),
        Some(m) => {
            let site = InputError {
                line: Some(m.line),
                column: Some(m.column),
                field: Some("market".into()),
                ..InputError::file(path, "")
            };
            market::load(m.value.trim(), &base_dir, &site)
        }
    };
    let market = match market {
        Ok(m) => m,
        Err(e) => return Err(vec![e]),
    };

    let budget = ck.quantity(&yaml_field(path, "budget", &raw.budget), Kind::NonNegative);
    let repeat_decay = match &raw.repeat_decay {
        Some(d) => ck.number(&f("repeat_decay", d), Kind::Decay),
        None => Some(1.0),
    };

    // Goal.
    let goal = &raw.goal.value;
    let goal_site = yaml_site(path, "goal", &raw.goal);
    let triple =
        |ck: &mut Checker, prefix: &str, numbers: [&Option<Number>; 3], names: [&str; 3]| {
            let mut out = [None; 3];
            for i in 0..3 {
                if let Some(n) = numbers[i] {
                    out[i] = ck.number(&f(&format!("{prefix}.{}", names[i]), n), Kind::NonNegative);
                }
            }
            out
        };
    let goal_names = ["awareness", "engagement", "conversions"];
    let mut stated: Vec<(&str, Site)> = Vec::new();
    if let Some(w) = &goal.weights {
        stated.push(("weights", yaml_site(path, "goal.weights", w)));
    }
    if let Some(v) = &goal.values {
        stated.push(("values", yaml_site(path, "goal.values", v)));
    }
    if let Some(m) = &goal.minimize {
        stated.push(("minimize", yaml_site(path, "goal.minimize", m)));
    }
    let objective = match (&goal.weights, &goal.values, &goal.minimize) {
        _ if stated.len() > 1 => {
            ck.fail(
                &stated[1].1,
                format!(
                    "a goal has exactly one of `weights`, `values` or `minimize`, but this one has `{}` and `{}`",
                    stated[0].0, stated[1].0
                ),
                Some("keep the one that states what you want".into()),
            );
            None
        }
        (None, None, None) => {
            ck.fail(
                &goal_site,
                "the goal needs `weights`, `values` or `minimize`",
                Some(
                    "e.g. `weights: { awareness: 0.3, engagement: 0.2, conversions: 0.5 }`, or `minimize: spend` with `targets`".into(),
                ),
            );
            None
        }
        (None, None, Some(m)) => {
            if m.value == "spend" {
                Some(Objective::MinimiseSpend)
            } else {
                ck.fail(
                    &yaml_site(path, "goal.minimize", m),
                    format!("cannot minimize `{}`", m.value),
                    Some("the only value is `minimize: spend` (with `targets`)".into()),
                );
                None
            }
        }
        (Some(w), _, _) => {
            let n = &w.value;
            let before = ck.errors.len();
            let ws = triple(
                &mut ck,
                "goal.weights",
                [&n.awareness, &n.engagement, &n.conversions],
                goal_names,
            );
            if ck.errors.len() > before {
                None
            } else {
                let values = ws.map(|x| x.unwrap_or(0.0));
                if values.iter().all(|&x| x == 0.0) {
                    ck.fail(
                        &yaml_site(path, "goal.weights", w),
                        "at least one goal weight must be positive",
                        None,
                    );
                }
                Some(Objective::Weights(values))
            }
        }
        (None, Some(v), _) => {
            let n = &v.value;
            let before = ck.errors.len();
            let vs = triple(
                &mut ck,
                "goal.values",
                [&n.per_thousand_reach, &n.per_engagement, &n.per_conversion],
                ["per_thousand_reach", "per_engagement", "per_conversion"],
            );
            let values = vs.map(|x| x.unwrap_or(0.0));
            if ck.errors.len() == before && values.iter().all(|&x| x == 0.0) {
                ck.fail(
                    &yaml_site(path, "goal.values", v),
                    "at least one value must be positive",
                    None,
                );
            }
            Some(Objective::Values(values))
        }
    };
    let targets = match &goal.targets {
        Some(t) => {
            let n = &t.value;
            triple(
                &mut ck,
                "goal.targets",
                [&n.awareness, &n.engagement, &n.conversions],
                goal_names,
            )
        }
        None => [None; 3],
    };
    if objective == Some(Objective::MinimiseSpend) && targets.iter().flatten().all(|&t| t <= 0.0) {
        let site = match &goal.targets {
            Some(t) => yaml_site(path, "goal.targets", t),
            None => yaml_site(
                path,
                "goal.minimize",
                goal.minimize.as_ref().expect("minimize set"),
            ),
        };
        ck.fail(
            &site,
            "`minimize: spend` needs at least one positive target (else the cheapest plan is to spend nothing)",
            Some("e.g. `targets: { conversions: 500 }`".into()),
        );
    }

    // Limits (tier shares and niches are resolved after creators are known).
    let raw_limits = raw.limits.as_ref().map(|l| &l.value);
    let mut limits = Limits::default();
    if let Some(l) = raw_limits {
        if let Some(n) = &l.max_creators {
            limits.max_creators = ck.whole(&f("limits.max_creators", n), 0, u32::MAX);
        }
        if let Some(n) = &l.min_creators {
            limits.min_creators = ck.whole(&f("limits.min_creators", n), 0, u32::MAX);
        }
        if let (Some(min), Some(max), Some(site)) =
            (limits.min_creators, limits.max_creators, &l.min_creators)
            && min > max
        {
            ck.fail(
                &f("limits.min_creators", site).site,
                format!("min_creators ({min}) is above max_creators ({max})"),
                Some("lower min_creators or raise max_creators".into()),
            );
        }
        if let Some(n) = &l.fee_per_creator {
            limits.fee_per_creator = ck
                .number(&f("limits.fee_per_creator", n), Kind::NonNegative)
                .unwrap_or(0.0);
        }
        if let Some(shares) = &l.tier_share {
            let mut min_sum = 0.0;
            for (tier_name, share) in &shares.value {
                let key = format!("limits.tier_share.{tier_name}");
                let Some(tier) = market.tier_index(tier_name) else {
                    let site = yaml_site(path, &key, share);
                    ck.fail(
                        &site,
                        format!("unknown tier `{tier_name}`"),
                        Some(tier_hint(tier_name, &market)),
                    );
                    continue;
                };
                let min = share
                    .value
                    .min
                    .as_ref()
                    .and_then(|n| ck.number(&f(&format!("{key}.min"), n), Kind::Rate));
                let max = share
                    .value
                    .max
                    .as_ref()
                    .and_then(|n| ck.number(&f(&format!("{key}.max"), n), Kind::Rate));
                if let (Some(lo), Some(hi)) = (min, max)
                    && lo > hi
                {
                    ck.fail(
                        &yaml_site(path, &key, share),
                        format!("min share ({lo}) is above max share ({hi})"),
                        None,
                    );
                }
                min_sum += min.unwrap_or(0.0);
                limits.tier_share.push(TierShare { tier, min, max });
            }
            if min_sum > 1.0 + 1e-12 {
                ck.fail(
                    &yaml_site(path, "limits.tier_share", shares),
                    format!("the tier-share minimums add up to {min_sum}, more than 1"),
                    Some("shares are fractions of total spend; their minimums cannot exceed 1 together".into()),
                );
            }
        }
    }

    // Audience groups.
    let mut audiences = Vec::new();
    if let Some(groups) = &raw.audiences {
        for (id, group) in &groups.value {
            let key = format!("audiences.{id}");
            let size = ck.number(&f(&format!("{key}.size"), &group.value.size), Kind::People);
            if id.trim().is_empty() {
                ck.fail(
                    &yaml_site(path, &key, group),
                    "an audience id must not be empty",
                    None,
                );
            }
            audiences.push(AudienceGroup {
                id: id.clone(),
                size: size.unwrap_or(0.0),
            });
        }
    }

    // Creators: inline, then the CSV roster.
    let mut inputs: Vec<CreatorInput> = Vec::new();
    if let Some(list) = &raw.creators {
        for (i, c) in list.value.iter().enumerate() {
            inputs.push(CreatorInput::from_yaml(c, i, &file));
        }
    }
    if let Some(csv_path) = &raw.creators_csv {
        let roster_path = base_dir.join(csv_path.value.trim());
        match yaml::read_text(&roster_path) {
            Ok(text) => inputs.extend(roster::read(&roster_path, &text, &mut ck.errors)),
            Err(mut e) => {
                e.message = format!(
                    "{} (named by `creators_csv` in {}:{})",
                    e.message,
                    path.display(),
                    csv_path.line
                );
                ck.errors.push(e);
            }
        }
    }
    if inputs.len() > MAX_CREATORS {
        ck.errors.push(InputError::file(
            path,
            format!("{} creators; the limit is {MAX_CREATORS}", inputs.len()),
        ));
        return Err(ck.errors);
    }
    let pool_inputs: Vec<PoolInput> = raw
        .pools
        .as_ref()
        .map(|list| {
            list.value
                .iter()
                .enumerate()
                .map(|(i, p)| PoolInput::from_yaml(p, i, &file))
                .collect()
        })
        .unwrap_or_default();
    if pool_inputs.len() > MAX_POOLS {
        ck.errors.push(InputError::file(
            path,
            format!("{} pools; the limit is {MAX_POOLS}", pool_inputs.len()),
        ));
        return Err(ck.errors);
    }

    let mut niches: Vec<String> = Vec::new();
    let mut niche_index: HashMap<String, usize> = HashMap::new();
    let mut log = DefaultsLog::default();
    let mut spreads: HashMap<String, (f64, Option<String>)> = HashMap::new();
    if let Some(map) = &raw.uncertainty {
        const FIELDS: [&str; 6] = OfferUncertainty::FIELD_NAMES;
        for (name, spec) in &map.value {
            let key = format!("uncertainty.{name}");
            if !FIELDS.contains(&name.as_str()) {
                let hint = match suggest(name, FIELDS.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("fields with a default spread: {}", FIELDS.join(", ")),
                };
                ck.fail(
                    &yaml_site(path, &key, spec),
                    format!("unknown field `{name}`"),
                    Some(hint),
                );
                continue;
            }
            let sd = ck.number(
                &f(&format!("{key}.relative_sd"), &spec.value.relative_sd),
                Kind::NonNegative,
            );
            let family = spec
                .value
                .dist
                .as_ref()
                .map(|d| d.value.trim().to_lowercase());
            if let (Some(fam), Some(d)) = (&family, &spec.value.dist) {
                if !["normal", "lognormal", "beta"].contains(&fam.as_str()) {
                    ck.fail(
                        &yaml_site(path, &format!("{key}.dist"), d),
                        format!(
                            "a default spread is normal, lognormal or beta, not `{}`",
                            d.value
                        ),
                        None,
                    );
                }
                let is_rate = name.ends_with("_rate");
                if fam == "beta" && !is_rate {
                    ck.fail(
                        &yaml_site(path, &format!("{key}.dist"), d),
                        "beta is for rates only",
                        None,
                    );
                }
            }
            if let Some(sd) = sd {
                spreads.insert(name.clone(), (sd, family));
            }
        }
    }
    let ctx = OfferContext {
        spreads: &spreads,
        market: &market,
        audiences: &audiences,
        fee_per_creator: limits.fee_per_creator,
    };

    let mut creators = Vec::with_capacity(inputs.len());
    let mut uncertainty = Uncertainty::default();
    let mut handles: HashMap<String, Site> = HashMap::new();
    for input in &inputs {
        let handle = ck.unique_name(&input.handle, "handle", &mut handles);
        let offer = ctx.resolve(
            &mut ck,
            &input.offer,
            &mut log,
            &mut niches,
            &mut niche_index,
        );
        let max_posts = match &input.max_posts {
            Some(m) => ck.whole(m, 0, MAX_POSTS),
            None => {
                log.note("max_posts", None, 1.0, "creatormix default");
                Some(1)
            }
        };
        let require = input.require.as_ref().is_some_and(|r| r.value);
        let exclude = input.exclude.as_ref().is_some_and(|r| r.value);
        if require && exclude {
            let site = &input.exclude.as_ref().expect("exclude is set").site;
            ck.fail(
                site,
                "a creator cannot be both required and excluded",
                Some("keep one of `require` and `exclude`".into()),
            );
        }
        if require && max_posts == Some(0) {
            let site = &input.require.as_ref().expect("require is set").site;
            ck.fail(
                site,
                "a required creator needs max_posts of at least 1",
                None,
            );
        }
        if let (Some(handle), Some(offer), Some(max_posts)) = (handle, offer, max_posts) {
            creators.push(Creator {
                handle,
                tier: offer.tier,
                audience: offer.audience,
                price_per_post: offer.price_per_post,
                fee: offer.fee,
                max_posts,
                niches: offer.niches,
                group: offer.group,
                require,
                exclude,
                platform: offer.platform,
            });
            uncertainty.creators.push(offer.uncertainty);
        }
    }

    let mut pools = Vec::with_capacity(pool_inputs.len());
    let mut pool_names: HashMap<String, Site> = HashMap::new();
    for input in &pool_inputs {
        let name = ck.unique_name(&input.name, "pool name", &mut pool_names);
        if input.offer.tier.is_none() && input.offer.followers.is_none() {
            ck.fail(
                &input.site,
                "a pool needs `tier` or `followers`",
                Some("e.g. `tier: micro` to take the tier's typical followers".into()),
            );
            continue;
        }
        let offer = ctx.resolve(
            &mut ck,
            &input.offer,
            &mut log,
            &mut niches,
            &mut niche_index,
        );
        let available = ck.whole(&input.available, 0, MAX_AVAILABLE);
        let posts = match &input.posts {
            Some(p) => ck.whole(p, 1, MAX_POSTS),
            None => {
                log.note("posts", None, 1.0, "creatormix default");
                Some(1)
            }
        };
        if let (Some(name), Some(offer), Some(available), Some(posts)) =
            (name, offer, available, posts)
        {
            pools.push(Pool {
                name,
                tier: offer.tier,
                audience: offer.audience,
                price_per_post: offer.price_per_post,
                fee: offer.fee,
                available,
                posts,
                niches: offer.niches,
                group: offer.group,
                platform: offer.platform,
            });
            uncertainty.pools.push(offer.uncertainty);
        }
    }

    // Niche minimums: the niche must be carried by someone.
    if let Some(l) = raw_limits
        && let Some(map) = &l.niches
    {
        for (niche, spec) in &map.value {
            let key = format!("limits.niches.{niche}");
            let min = ck.whole(
                &f(&format!("{key}.min_creators"), &spec.value.min_creators),
                0,
                u32::MAX,
            );
            match niche_index.get(niche) {
                Some(&index) => {
                    if let Some(min_creators) = min {
                        limits.niches.push(NicheMinimum {
                            niche: index,
                            min_creators,
                        });
                    }
                }
                None => {
                    let hint = match suggest(niche, niches.iter().map(String::as_str)) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None if niches.is_empty() => {
                            "no creator or pool lists any niche".to_string()
                        }
                        None => format!("niches in this scenario: {}", niches.join(", ")),
                    };
                    ck.fail(
                        &yaml_site(path, &key, spec),
                        format!("no creator or pool carries niche `{niche}`"),
                        Some(hint),
                    );
                }
            }
        }
    }

    if !ck.errors.is_empty() {
        return Err(ck.errors);
    }
    let defaults_applied = log
        .entries
        .into_iter()
        .map(|((field, tier), (value, count, source))| DefaultApplied {
            field,
            tier: tier.map(|t| market.tiers[t].name.clone()),
            value,
            count,
            source,
        })
        .collect();
    Ok(Scenario {
        path: file,
        name: raw
            .name
            .as_ref()
            .map(|n| n.value.clone())
            .unwrap_or_else(|| {
                path.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            }),
        currency: raw
            .currency
            .as_ref()
            .map(|c| c.value.clone())
            .unwrap_or_default(),
        market,
        budget: budget.as_ref().expect("no errors").0,
        repeat_decay: repeat_decay.expect("no errors"),
        objective: objective.expect("no errors"),
        targets,
        limits,
        audiences,
        niches,
        creators,
        pools,
        defaults_applied,
        uncertainty: Uncertainty {
            budget: budget.expect("no errors").1,
            ..uncertainty
        },
    })
}

fn tier_hint(name: &str, market: &Market) -> String {
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
struct ResolvedOffer {
    uncertainty: OfferUncertainty,
    tier: usize,
    audience: Audience,
    price_per_post: f64,
    fee: f64,
    niches: Vec<usize>,
    group: Option<usize>,
    platform: Option<String>,
}

struct OfferContext<'a> {
    /// Default spreads: field name → (relative sd, family).
    spreads: &'a HashMap<String, (f64, Option<String>)>,
    market: &'a Market,
    audiences: &'a [AudienceGroup],
    fee_per_creator: f64,
}

impl OfferContext<'_> {
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
    fn resolve(
        &self,
        ck: &mut Checker,
        offer: &OfferInput,
        log: &mut DefaultsLog,
        niches: &mut Vec<String>,
        niche_index: &mut HashMap<String, usize>,
    ) -> Option<ResolvedOffer> {
        let before = ck.errors.len();
        let followers = match &offer.followers {
            Some(f) => ck.quantity(f, Kind::People).map(|(v, _)| Some(v)),
            None => Some(None),
        };
        let tier = match &offer.tier {
            Some(t) => match self.market.tier_index(t.value.trim()) {
                Some(i) => Some(i),
                None => {
                    ck.fail(
                        &t.site,
                        format!("unknown tier `{}`", t.value),
                        Some(tier_hint(&t.value, self.market)),
                    );
                    None
                }
            },
            None => followers.flatten().map(|f| self.market.tier_for(f)),
        };
        let tier = tier?;
        let defaults: &TierDefaults = &self.market.tiers[tier].defaults;
        // Each figure: as given (a number or a distribution), else the tier's
        // default; then the scenario's default spread where none was given.
        let mut figure = |ck: &mut Checker,
                          field: &Option<Field<Quantity>>,
                          name: &str,
                          kind: Kind,
                          default: Option<&crate::model::market::Sourced>,
                          fallback: f64| {
            let (value, dist) = match (field, default) {
                (Some(f), _) => ck.quantity(f, kind)?,
                (None, Some(d)) => {
                    log.note(name, Some(tier), d.value, &d.source);
                    (d.value, None)
                }
                (None, None) => (fallback, None),
            };
            let dist = dist.or_else(|| self.spread(name, value, kind));
            Some((value, dist))
        };
        let followers = figure(
            ck,
            &offer.followers,
            "followers",
            Kind::People,
            Some(&defaults.followers),
            0.0,
        );
        let price = figure(
            ck,
            &offer.price_per_post,
            "price_per_post",
            Kind::NonNegative,
            Some(&defaults.price_per_post),
            0.0,
        );
        let engagement = figure(
            ck,
            &offer.engagement_rate,
            "engagement_rate",
            Kind::Rate,
            Some(&defaults.engagement_rate),
            0.0,
        );
        let conversion = figure(
            ck,
            &offer.conversion_rate,
            "conversion_rate",
            Kind::Rate,
            Some(&defaults.conversion_rate),
            0.0,
        );
        let reach = figure(
            ck,
            &offer.reach_rate,
            "reach_rate",
            Kind::Rate,
            Some(&defaults.reach_rate),
            0.0,
        );
        let fee = figure(
            ck,
            &offer.fee,
            "fee",
            Kind::NonNegative,
            None,
            self.fee_per_creator,
        );
        if offer.fee.is_none() {
            log.note("fee", None, self.fee_per_creator, "limits.fee_per_creator");
        }
        let delivery = match &offer.delivery {
            Some(f) => ck.number(f, Kind::Rate),
            None => Some(1.0),
        };
        let group = match &offer.audience {
            Some(a) => match self.audiences.iter().position(|g| g.id == a.value.trim()) {
                Some(i) => Some(i),
                None => {
                    let hint = match suggest(&a.value, self.audiences.iter().map(|g| g.id.as_str()))
                    {
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
            },
            None => None,
        };
        let mut niche_ids = Vec::new();
        for n in &offer.niches {
            let Some(label) = ck.name(n) else { continue };
            let next = niches.len();
            let id = *niche_index.entry(label.clone()).or_insert_with(|| {
                niches.push(label);
                next
            });
            if !niche_ids.contains(&id) {
                niche_ids.push(id);
            }
        }
        let platform = offer.platform.as_ref().and_then(|p| ck.name(p));
        if ck.errors.len() > before {
            return None;
        }
        let (followers, reach, engagement, conversion, price, fee) =
            (followers?, reach?, engagement?, conversion?, price?, fee?);
        Some(ResolvedOffer {
            tier,
            audience: Audience {
                followers: followers.0,
                reach_rate: reach.0,
                engagement_rate: engagement.0,
                conversion_rate: conversion.0,
                delivery: delivery?,
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
        })
    }
}
