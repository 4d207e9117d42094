//! Validation: the raw layer becomes the domain model, or a list of problems.
//!
//! [`validate`] takes the scenario one part at a time, in the order its
//! problems are reported: the budget and repeat decay, the goal and its
//! targets, the audience groups, the creator and pool inputs (inline and
//! from the CSV roster), the platforms and their market models, the limits,
//! the default spreads, the creators, the pools and the niche minimums;
//! then it assembles the
//! [`Scenario`]. Every number is checked (finite, in range, whole where a
//! count is meant), every reference resolved (tiers, audiences, niches),
//! contradictions caught (require with exclude, a minimum above its maximum,
//! tier-share minimums over 1), and every default of the market model applied
//! and recorded. Single values are checked by the `check` module; what
//! creators and pools share, and the default spreads, by the `offer` module.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::check::{Checker, Kind, yaml_field, yaml_site};
use super::input::{CreatorInput, Field, PoolInput, Site};
use super::offer::{DefaultsLog, Niches, OfferContext, default_spreads};
use super::platforms::{self, Platforms};
use super::raw::{Loc, Number, RawGoal, RawPlatformLimit, RawRoster, RawScenario, RawShare};
use super::roster::{self, Layout};
use super::{suggest, yaml};
use crate::error::InputError;
use crate::model::dist::Dist;
use crate::model::market::name_index;
use crate::model::{
    AudienceGroup, Creator, LeftOut, Limits, NicheMinimum, Objective, OfferUncertainty,
    PlatformCount, PlatformShare, Pool, RosterRead, Scenario, TierShare, Uncertainty,
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

/// Validates a raw scenario read from `path`.
pub fn validate(raw: &RawScenario, path: &Path) -> Result<Scenario, Vec<InputError>> {
    let mut ck = Checker::default();
    let spend = budget_and_decay(&mut ck, raw, path);
    let goal = goal(&mut ck, &raw.goal, path);
    let audiences = audience_groups(&mut ck, raw, path);
    let Some((creator_inputs, pool_inputs, roster)) = read_inputs(&mut ck, raw, path) else {
        return Err(ck.errors);
    };
    // Market models next: tiers and defaults are needed for everything else.
    let Some(platforms) = platforms::read(&mut ck, raw, path, &creator_inputs, &pool_inputs) else {
        return Err(ck.errors);
    };
    let mut limits = limits(&mut ck, raw, path, &platforms);
    let spreads = default_spreads(&mut ck, raw, path);
    let ctx = OfferContext {
        spreads: &spreads,
        platforms: &platforms,
        audiences: &audiences,
        fee_per_creator: limits.fee_per_creator,
        min_credibility: limits.min_credibility,
    };
    let mut log = DefaultsLog::default();
    let mut niches = Niches::default();
    let mut left_out = Vec::new();
    let creators = creators(
        &mut ck,
        &ctx,
        &creator_inputs,
        &mut log,
        &mut niches,
        &mut left_out,
    );
    let pools = pools(
        &mut ck,
        &ctx,
        &pool_inputs,
        &mut log,
        &mut niches,
        &mut left_out,
    );
    limits.niches = niche_minimums(&mut ck, raw, path, &niches);
    if !ck.errors.is_empty() {
        return Err(ck.errors);
    }
    let parts = Parts {
        spend,
        goal,
        limits,
        audiences,
        niches,
        creators,
        pools,
        log,
        roster,
        left_out,
    };
    Ok(assemble(raw, path, platforms, parts))
}

/// The folder relative files are read from: the scenario's own.
fn base_dir(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new("."))
}

/// The budget (its nominal value and distribution) and the repeat decay.
struct Spend {
    budget: Option<(f64, Option<Dist>)>,
    repeat_decay: Option<f64>,
}

/// The budget (a number or a distribution) and the repeat decay (1 when not given).
fn budget_and_decay(ck: &mut Checker, raw: &RawScenario, path: &Path) -> Spend {
    let budget = ck.quantity(&yaml_field(path, "budget", &raw.budget), Kind::NonNegative);
    let repeat_decay = match &raw.repeat_decay {
        Some(d) => ck.number(&yaml_field(path, "repeat_decay", d), Kind::Decay),
        None => Some(1.0),
    };
    Spend {
        budget,
        repeat_decay,
    }
}

/// The objective and the targets (awareness, engagement, conversions).
struct Goal {
    objective: Option<Objective>,
    targets: [Option<f64>; 3],
}

/// The three goals, in the order of weights and targets.
const GOAL_NAMES: [&str; 3] = ["awareness", "engagement", "conversions"];

/// Three non-negative numbers under `prefix`, each where given.
fn goal_numbers(
    ck: &mut Checker,
    path: &Path,
    prefix: &str,
    numbers: [&Option<Number>; 3],
    names: [&str; 3],
) -> [Option<f64>; 3] {
    let mut out = [None; 3];
    for i in 0..3 {
        if let Some(n) = numbers[i] {
            let field = yaml_field(path, &format!("{prefix}.{}", names[i]), n);
            out[i] = ck.number(&field, Kind::NonNegative);
        }
    }
    out
}

/// The objective, then the targets; `minimize: spend` needs a positive target.
fn goal(ck: &mut Checker, raw_goal: &Loc<RawGoal>, path: &Path) -> Goal {
    let goal = &raw_goal.value;
    let objective = objective(ck, raw_goal, path);
    let targets = match &goal.targets {
        Some(t) => {
            let n = &t.value;
            goal_numbers(
                ck,
                path,
                "goal.targets",
                [&n.awareness, &n.engagement, &n.conversions],
                GOAL_NAMES,
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
    Goal { objective, targets }
}

/// Exactly one of weights, values or `minimize: spend`, checked.
fn objective(ck: &mut Checker, raw_goal: &Loc<RawGoal>, path: &Path) -> Option<Objective> {
    let goal = &raw_goal.value;
    let goal_site = yaml_site(path, "goal", raw_goal);
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
    if let Some(m) = &goal.maximize
        && goal.values.is_none()
    {
        ck.fail(
            &yaml_site(path, "goal.maximize", m),
            "`maximize` goes with `values`: it says whether to maximise value or profit",
            Some(if goal.weights.is_some() {
                "remove `maximize`: weights maximise the weighted goals".into()
            } else {
                "add `values: { per_conversion: ... }`, or remove `maximize`".into()
            }),
        );
    }
    match (&goal.weights, &goal.values, &goal.minimize) {
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
            let ws = goal_numbers(
                ck,
                path,
                "goal.weights",
                [&n.awareness, &n.engagement, &n.conversions],
                GOAL_NAMES,
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
            let vs = goal_numbers(
                ck,
                path,
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
            match goal.maximize.as_ref().map(|m| (m, m.value.trim())) {
                None | Some((_, "value")) => Some(Objective::Values(values)),
                Some((_, "profit")) => Some(Objective::Profit(values)),
                Some((m, other)) => {
                    ck.fail(
                        &yaml_site(path, "goal.maximize", m),
                        format!("cannot maximize `{other}`"),
                        Some(
                            "use `maximize: profit` (value less spend) or `maximize: value`".into(),
                        ),
                    );
                    None
                }
            }
        }
    }
}

/// The limits; niche minimums are resolved after creators are known.
fn limits(ck: &mut Checker, raw: &RawScenario, path: &Path, platforms: &Platforms) -> Limits {
    let mut limits = Limits::default();
    let Some(l) = raw.limits.as_ref().map(|l| &l.value) else {
        return limits;
    };
    if let Some(n) = &l.max_creators {
        limits.max_creators = ck.whole(&yaml_field(path, "limits.max_creators", n), 0, u32::MAX);
    }
    if let Some(n) = &l.min_creators {
        limits.min_creators = ck.whole(&yaml_field(path, "limits.min_creators", n), 0, u32::MAX);
    }
    if let (Some(min), Some(max), Some(site)) =
        (limits.min_creators, limits.max_creators, &l.min_creators)
        && min > max
    {
        ck.fail(
            &yaml_field(path, "limits.min_creators", site).site,
            format!("min_creators ({min}) is above max_creators ({max})"),
            Some("lower min_creators or raise max_creators".into()),
        );
    }
    if let Some(n) = &l.fee_per_creator {
        limits.fee_per_creator = ck
            .number(
                &yaml_field(path, "limits.fee_per_creator", n),
                Kind::NonNegative,
            )
            .unwrap_or(0.0);
    }
    if let Some(shares) = &l.tier_share {
        limits.tier_share = tier_shares(ck, path, &platforms.tiers, shares);
    }
    if let Some(shares) = &l.platform_share {
        limits.platform_share = platform_shares(ck, path, platforms, shares);
    }
    if let Some(counts) = &l.platforms {
        limits.platforms = platform_counts(ck, path, platforms, counts);
    }
    if let Some(n) = &l.min_credibility {
        limits.min_credibility =
            ck.number(&yaml_field(path, "limits.min_credibility", n), Kind::Rate);
    }
    limits
}

/// Tier-share bounds: known tiers, each minimum at most its maximum, the
/// minimums at most 1 together.
fn tier_shares(
    ck: &mut Checker,
    path: &Path,
    tiers: &[String],
    shares: &Loc<BTreeMap<String, Loc<RawShare>>>,
) -> Vec<TierShare> {
    let index = |name: &str| name_index(tiers.iter().map(String::as_str), name);
    share_bounds(ck, path, "tier", shares, |ck, name, site| {
        match index(name) {
            Some(t) => Some(t),
            None => {
                let hint = match suggest(name, tiers.iter().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("the tiers are {}", tiers.join(", ")),
                };
                ck.fail(site, format!("unknown tier `{name}`"), Some(hint));
                None
            }
        }
    })
    .into_iter()
    .map(|(tier, min, max)| TierShare { tier, min, max })
    .collect()
}

/// Platform-share bounds, as tier shares are checked.
fn platform_shares(
    ck: &mut Checker,
    path: &Path,
    platforms: &Platforms,
    shares: &Loc<BTreeMap<String, Loc<RawShare>>>,
) -> Vec<PlatformShare> {
    // Unknown platforms were reported when the platforms were read.
    share_bounds(ck, path, "platform", shares, |_, name, _| {
        platforms.index(name)
    })
    .into_iter()
    .map(|(platform, min, max)| PlatformShare { platform, min, max })
    .collect()
}

/// Share-of-spend bounds by tier or platform (`what`): each name resolved
/// by `index` (which reports what it cannot find), each minimum at most
/// its maximum, the minimums at most 1 together.
fn share_bounds(
    ck: &mut Checker,
    path: &Path,
    what: &str,
    shares: &Loc<BTreeMap<String, Loc<RawShare>>>,
    mut index: impl FnMut(&mut Checker, &str, &Site) -> Option<usize>,
) -> Vec<(usize, Option<f64>, Option<f64>)> {
    let mut out: Vec<(usize, Option<f64>, Option<f64>)> = Vec::new();
    let mut min_sum = 0.0;
    for (name, share) in &shares.value {
        let key = format!("limits.{what}_share.{name}");
        let site = yaml_site(path, &key, share);
        let Some(i) = index(ck, name, &site) else {
            continue;
        };
        if out.iter().any(|(j, _, _)| *j == i) {
            ck.fail(
                &site,
                format!("the {what} of `{name}` is bounded twice"),
                Some("names match ignoring case; keep one entry".into()),
            );
            continue;
        }
        let bound = |ck: &mut Checker, n: &Option<Number>, end: &str| {
            n.as_ref()
                .and_then(|n| ck.number(&yaml_field(path, &format!("{key}.{end}"), n), Kind::Rate))
        };
        let min = bound(ck, &share.value.min, "min");
        let max = bound(ck, &share.value.max, "max");
        if let (Some(lo), Some(hi)) = (min, max)
            && lo > hi
        {
            ck.fail(
                &site,
                format!("min share ({lo}) is above max share ({hi})"),
                None,
            );
        }
        min_sum += min.unwrap_or(0.0);
        out.push((i, min, max));
    }
    if min_sum > 1.0 + 1e-12 {
        ck.fail(
            &yaml_site(path, &format!("limits.{what}_share"), shares),
            format!("the {what}-share minimums add up to {min_sum}, more than 1"),
            Some(
                "shares are fractions of total spend; their minimums cannot exceed 1 together"
                    .into(),
            ),
        );
    }
    out
}

/// Hire bounds per platform: whole numbers, each minimum at most its maximum.
fn platform_counts(
    ck: &mut Checker,
    path: &Path,
    platforms: &Platforms,
    counts: &Loc<BTreeMap<String, Loc<RawPlatformLimit>>>,
) -> Vec<PlatformCount> {
    let mut out: Vec<PlatformCount> = Vec::new();
    for (name, count) in &counts.value {
        let key = format!("limits.platforms.{name}");
        let site = yaml_site(path, &key, count);
        let Some(platform) = platforms.index(name) else {
            continue;
        };
        if out.iter().any(|c| c.platform == platform) {
            ck.fail(
                &site,
                format!("platform `{name}` is bounded twice"),
                Some("names match ignoring case; keep one entry".into()),
            );
            continue;
        }
        let whole = |ck: &mut Checker, n: &Option<Number>, end: &str| {
            n.as_ref()
                .and_then(|n| ck.whole(&yaml_field(path, &format!("{key}.{end}"), n), 0, u32::MAX))
        };
        let min_creators = whole(ck, &count.value.min_creators, "min_creators");
        let max_creators = whole(ck, &count.value.max_creators, "max_creators");
        if let (Some(lo), Some(hi)) = (min_creators, max_creators)
            && lo > hi
        {
            ck.fail(
                &site,
                format!("min_creators ({lo}) is above max_creators ({hi})"),
                None,
            );
        }
        out.push(PlatformCount {
            platform,
            min_creators,
            max_creators,
        });
    }
    out
}

/// The audience groups: each with a size, and an id that is not empty.
fn audience_groups(ck: &mut Checker, raw: &RawScenario, path: &Path) -> Vec<AudienceGroup> {
    let mut audiences = Vec::new();
    let Some(groups) = &raw.audiences else {
        return audiences;
    };
    for (id, group) in &groups.value {
        let key = format!("audiences.{id}");
        let size = ck.number(
            &yaml_field(path, &format!("{key}.size"), &group.value.size),
            Kind::People,
        );
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
    audiences
}

/// Creators (inline, then the CSV roster) and pools as read; none when
/// there are more than the limit of either.
fn read_inputs(
    ck: &mut Checker,
    raw: &RawScenario,
    path: &Path,
) -> Option<(Vec<CreatorInput>, Vec<PoolInput>, Option<RosterRead>)> {
    let file = path.to_path_buf();
    let mut inputs: Vec<CreatorInput> = Vec::new();
    if let Some(list) = &raw.creators {
        for (i, c) in list.value.iter().enumerate() {
            match CreatorInput::from_yaml(c, i, &file) {
                Ok(input) => inputs.push(input),
                Err(missing) => ck.errors.extend(missing),
            }
        }
    }
    let mut read = None;
    if let Some(spec) = &raw.creators_csv {
        let (csv_path, layout) = roster_layout(ck, raw, path, spec);
        let roster_path = base_dir(path).join(csv_path.value.trim());
        match yaml::read_text(&roster_path) {
            Ok(text) => {
                let roster = roster::read(&roster_path, &text, &layout, &mut ck.errors);
                read = Some(roster.read);
                inputs.extend(roster.creators);
            }
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
        return None;
    }
    let mut pool_inputs: Vec<PoolInput> = Vec::new();
    if let Some(list) = &raw.pools {
        for (i, p) in list.value.iter().enumerate() {
            match PoolInput::from_yaml(p, i, &file) {
                Ok(input) => pool_inputs.push(input),
                Err(missing) => ck.errors.extend(missing),
            }
        }
    }
    if pool_inputs.len() > MAX_POOLS {
        ck.errors.push(InputError::file(
            path,
            format!("{} pools; the limit is {MAX_POOLS}", pool_inputs.len()),
        ));
        return None;
    }
    Some((inputs, pool_inputs, read))
}

/// A roster's path and layout: a plain path, or an export's mapping and
/// delimiter (checked here).
fn roster_layout(
    ck: &mut Checker,
    raw: &RawScenario,
    path: &Path,
    spec: &Loc<RawRoster>,
) -> (Loc<String>, Layout) {
    let mut layout = Layout {
        currency: raw.currency.as_ref().map(|c| c.value.trim().to_string()),
        ..Layout::default()
    };
    match &spec.value {
        RawRoster::Path(p) => (Loc::new(p.clone(), spec.line, spec.column), layout),
        RawRoster::Export(export) => {
            layout.export = true;
            if let Some(columns) = &export.columns {
                for (field, header) in &columns.value {
                    let name = format!("creators_csv.columns.{field}");
                    layout.columns.push((
                        Field {
                            value: field.clone(),
                            site: yaml_site(path, &name, header),
                        },
                        yaml_field(path, &name, header),
                    ));
                }
            }
            if let Some(d) = &export.delimiter {
                match d.value.as_str() {
                    "," => layout.delimiter = Some(b','),
                    ";" => layout.delimiter = Some(b';'),
                    "tab" | "\t" => layout.delimiter = Some(b'\t'),
                    other => ck.fail(
                        &yaml_site(path, "creators_csv.delimiter", d),
                        format!("`{other}` is not a delimiter creatormix reads"),
                        Some("write \",\", \";\" or tab".into()),
                    ),
                }
            }
            if let Some(d) = &export.decimal {
                match d.value.trim() {
                    "." => layout.decimal = Some('.'),
                    "," => layout.decimal = Some(','),
                    other => ck.fail(
                        &yaml_site(path, "creators_csv.decimal", d),
                        format!("`{other}` is not a decimal mark"),
                        Some("write \".\" or \",\"".into()),
                    ),
                }
            }
            (export.path.clone(), layout)
        }
    }
}

/// The creators that passed their checks, and their uncertainty.
fn creators(
    ck: &mut Checker,
    ctx: &OfferContext,
    inputs: &[CreatorInput],
    log: &mut DefaultsLog,
    niches: &mut Niches,
    left_out: &mut Vec<LeftOut>,
) -> (Vec<Creator>, Vec<OfferUncertainty>) {
    let mut creators = Vec::with_capacity(inputs.len());
    let mut uncertainty = Vec::new();
    let mut handles: HashMap<String, Site> = HashMap::new();
    for input in inputs {
        let handle = ck.unique_name(&input.handle, "handle", &mut handles);
        let offer = ctx.resolve(ck, &input.offer, log, niches);
        let max_posts = match &input.max_posts {
            Some(m) => ck.whole(m, 0, MAX_POSTS),
            None => {
                log.note("max_posts", None, 1.0, "creatormix default");
                Some(1)
            }
        };
        let require = input.require.as_ref().is_some_and(|r| r.value);
        let excluded = input.exclude.as_ref().is_some_and(|r| r.value);
        if require && excluded {
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
        // Below the minimum credibility: left out of every plan.
        let mut exclude = excluded;
        if let (Some(o), Some(handle)) = (&offer, &handle)
            && let Some(reason) = ctx.below_credibility(o)
        {
            if require {
                let site = &input.require.as_ref().expect("require is set").site;
                ck.fail(
                    site,
                    format!(
                        "a required creator's credibility ({}) is below limits.min_credibility ({})",
                        o.credibility,
                        ctx.min_credibility.unwrap_or_default()
                    ),
                    Some("lower min_credibility, or do not require this creator".into()),
                );
            }
            exclude = true;
            left_out.push(LeftOut {
                name: handle.clone(),
                reason,
            });
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
            uncertainty.push(offer.uncertainty);
        }
    }
    (creators, uncertainty)
}

/// The pools that passed their checks, and their uncertainty.
fn pools(
    ck: &mut Checker,
    ctx: &OfferContext,
    inputs: &[PoolInput],
    log: &mut DefaultsLog,
    niches: &mut Niches,
    left_out: &mut Vec<LeftOut>,
) -> (Vec<Pool>, Vec<OfferUncertainty>) {
    let mut pools = Vec::with_capacity(inputs.len());
    let mut uncertainty = Vec::new();
    let mut pool_names: HashMap<String, Site> = HashMap::new();
    for input in inputs {
        let name = ck.unique_name(&input.name, "pool name", &mut pool_names);
        if input.offer.tier.is_none() && input.offer.followers.is_none() {
            ck.fail(
                &input.site,
                "a pool needs `tier` or `followers`",
                Some("e.g. `tier: micro` to take the tier's typical followers".into()),
            );
            continue;
        }
        let offer = ctx.resolve(ck, &input.offer, log, niches);
        let available = ck.whole(&input.available, 0, MAX_AVAILABLE);
        let posts = match &input.posts {
            Some(p) => ck.whole(p, 1, MAX_POSTS),
            None => {
                log.note("posts", None, 1.0, "creatormix default");
                Some(1)
            }
        };
        if let (Some(name), Some(offer), Some(mut available), Some(posts)) =
            (name, offer, available, posts)
        {
            if let Some(reason) = ctx.below_credibility(&offer) {
                available = 0;
                left_out.push(LeftOut {
                    name: name.clone(),
                    reason,
                });
            }
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
            uncertainty.push(offer.uncertainty);
        }
    }
    (pools, uncertainty)
}

/// Niche minimums: each niche must be carried by some creator or pool.
fn niche_minimums(
    ck: &mut Checker,
    raw: &RawScenario,
    path: &Path,
    niches: &Niches,
) -> Vec<NicheMinimum> {
    let mut out = Vec::new();
    let Some(map) = raw.limits.as_ref().and_then(|l| l.value.niches.as_ref()) else {
        return out;
    };
    for (niche, spec) in &map.value {
        let key = format!("limits.niches.{niche}");
        let min = ck.whole(
            &yaml_field(
                path,
                &format!("{key}.min_creators"),
                &spec.value.min_creators,
            ),
            0,
            u32::MAX,
        );
        match niches.get(niche) {
            Some(index) => {
                if let Some(min_creators) = min {
                    out.push(NicheMinimum {
                        niche: index,
                        min_creators,
                    });
                }
            }
            None => {
                let labels = &niches.labels;
                let hint = match suggest(niche, labels.iter().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None if labels.is_empty() => "no creator or pool lists any niche".to_string(),
                    None => format!("niches in this scenario: {}", labels.join(", ")),
                };
                ck.fail(
                    &yaml_site(path, &key, spec),
                    format!("no creator or pool carries niche `{niche}`"),
                    Some(hint),
                );
            }
        }
    }
    out
}

/// Every part of a scenario, checked without error.
struct Parts {
    spend: Spend,
    goal: Goal,
    limits: Limits,
    audiences: Vec<AudienceGroup>,
    niches: Niches,
    creators: (Vec<Creator>, Vec<OfferUncertainty>),
    pools: (Vec<Pool>, Vec<OfferUncertainty>),
    log: DefaultsLog,
    roster: Option<RosterRead>,
    left_out: Vec<LeftOut>,
}

/// The validated scenario, named after its file when it has no `name`.
fn assemble(raw: &RawScenario, path: &Path, platforms: Platforms, parts: Parts) -> Scenario {
    let (budget, budget_dist) = parts.spend.budget.expect("no errors");
    let (creators, creator_uncertainty) = parts.creators;
    let (pools, pool_uncertainty) = parts.pools;
    Scenario {
        path: path.to_path_buf(),
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
        defaults_applied: parts.log.into_applied(&platforms),
        roster: parts.roster,
        left_out: parts.left_out,
        platforms: platforms.list,
        tiers: platforms.tiers,
        budget,
        repeat_decay: parts.spend.repeat_decay.expect("no errors"),
        objective: parts.goal.objective.expect("no errors"),
        targets: parts.goal.targets,
        limits: parts.limits,
        audiences: parts.audiences,
        niches: parts.niches.labels,
        creators,
        pools,
        uncertainty: Uncertainty {
            budget: budget_dist,
            creators: creator_uncertainty,
            pools: pool_uncertainty,
        },
    }
}
