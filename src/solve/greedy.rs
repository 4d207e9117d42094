//! A greedy starting plan: repeatedly buys the post or hire with the best
//! gain per unit of cost that still fits. Given to the solver as a warm
//! start (so a time-limited run always has a plan to return), and used only
//! when the independent evaluator finds it satisfies every constraint. Also
//! the fractional bound behind a stated gap when no solver proved one.

use crate::model::evaluate::{check, evaluate};
use crate::model::{Decisions, Linear, Scenario};

/// One possible purchase.
#[derive(Clone, Copy)]
enum Step {
    /// One more post of a creator.
    Post(usize),
    /// One more hire from a pool.
    Hire(usize),
}

/// The better of two greedy plans for an objective that is linear in
/// (unique reach, engagements, conversions) and spend: one
/// buys the best gain per unit of cost (right when money binds), the other
/// the best gain per step (right when the creator cap binds). `None` if
/// neither satisfies every constraint (tier shares, niches, targets, minimums).
/// A step is bought only while it adds to the objective, so where spend
/// is subtracted (profit) no post is bought that costs more than it earns.
pub fn greedy(s: &Scenario, objective: Linear) -> Option<Decisions> {
    let value = |d: &Decisions| evaluate(s, d).score(objective);
    [
        greedy_by(s, objective, true),
        greedy_by(s, objective, false),
    ]
    .into_iter()
    .flatten()
    .max_by(|a, b| value(a).total_cmp(&value(b)))
}

/// One greedy pass: by gain per unit of cost, or by gain alone.
fn greedy_by(s: &Scenario, objective: Linear, per_cost: bool) -> Option<Decisions> {
    let coefficients = objective.outcomes;
    let mut d = Decisions {
        posts: vec![0; s.creators.len()],
        hires: vec![0; s.pools.len()],
    };
    let mut spend = 0.0;
    let mut hires = 0u64;
    let max_hires = s.limits.max_creators.map_or(u64::MAX, u64::from);
    let mut room: Vec<f64> = s.audiences.iter().map(|a| a.size).collect();
    let mut tier_spend = vec![0.0; s.tiers.len()];
    // Options given up because they would break a tier's maximum share.
    let mut blocked_creator = vec![false; s.creators.len()];
    let mut blocked_pool = vec![false; s.pools.len()];
    let tier_cap: Vec<Option<f64>> = (0..s.tiers.len())
        .map(|t| {
            s.limits
                .tier_share
                .iter()
                .find(|x| x.tier == t)
                .and_then(|x| x.max)
        })
        .collect();

    // Required creators first, one post each.
    for (i, c) in s.creators.iter().enumerate() {
        if c.require && c.max_posts > 0 {
            d.posts[i] = 1;
            let cost = c.fee + c.price_per_post;
            spend += cost;
            tier_spend[c.tier] += cost;
            hires += 1;
            if let Some(g) = c.group {
                room[g] = (room[g] - c.audience.reach()).max(0.0);
            }
        }
    }
    let gain =
        |reach: f64, engagements: f64, conversions: f64, group: Option<usize>, room: &[f64]| {
            let reach = match group {
                Some(g) => reach.min(room[g]),
                None => reach,
            };
            coefficients[0] * reach + coefficients[1] * engagements + coefficients[2] * conversions
        };
    loop {
        let mut best: Option<(f64, Step, f64, bool)> = None;
        let mut consider = |gain: f64, step: Step, cost: f64, new_hire: bool| {
            let gain = gain + objective.spend * cost;
            let ratio = if per_cost {
                gain / cost.max(1e-9)
            } else {
                gain
            };
            if ratio > 0.0 && best.is_none_or(|(r, ..)| ratio > r) {
                best = Some((ratio, step, cost, new_hire));
            }
        };
        for (i, c) in s.creators.iter().enumerate() {
            let n = d.posts[i];
            if c.exclude || n >= c.max_posts || blocked_creator[i] {
                continue;
            }
            let new_hire = n == 0;
            let cost = c.price_per_post + if new_hire { c.fee } else { 0.0 };
            if spend + cost > s.budget || (new_hire && hires >= max_hires) {
                continue;
            }
            let k = s.repeat_decay.powi(n as i32);
            let a = &c.audience;
            let g = gain(
                a.reach() * k,
                a.engagements() * k,
                a.conversions() * k,
                c.group,
                &room,
            );
            consider(g, Step::Post(i), cost, new_hire);
        }
        for (t, p) in s.pools.iter().enumerate() {
            if d.hires[t] >= p.available || blocked_pool[t] {
                continue;
            }
            let cost = p.cost_per_hire();
            if spend + cost > s.budget || hires >= max_hires {
                continue;
            }
            let k = s.decay_sum(p.posts);
            let a = &p.audience;
            let g = gain(
                a.reach() * k,
                a.engagements() * k,
                a.conversions() * k,
                p.group,
                &room,
            );
            consider(g, Step::Hire(t), cost, true);
        }
        let Some((_, step, cost, new_hire)) = best else {
            break;
        };
        let (tier, reach, group) = match step {
            Step::Post(i) => {
                let c = &s.creators[i];
                let k = s.repeat_decay.powi(d.posts[i] as i32);
                (c.tier, c.audience.reach() * k, c.group)
            }
            Step::Hire(t) => {
                let p = &s.pools[t];
                (p.tier, p.audience.reach() * s.decay_sum(p.posts), p.group)
            }
        };
        // A step that would push its tier past a maximum share is given up.
        if let Some(max) = tier_cap[tier]
            && tier_spend[tier] + cost > max * (spend + cost) + 1e-9
        {
            match step {
                Step::Post(i) => blocked_creator[i] = true,
                Step::Hire(t) => blocked_pool[t] = true,
            }
            continue;
        }
        match step {
            Step::Post(i) => d.posts[i] += 1,
            Step::Hire(t) => d.hires[t] += 1,
        }
        spend += cost;
        tier_spend[tier] += cost;
        if new_hire {
            hires += 1;
        }
        if let Some(g) = group {
            room[g] = (room[g] - reach).max(0.0);
        }
    }
    finish(s, Some(d))
}

fn finish(s: &Scenario, d: Option<Decisions>) -> Option<Decisions> {
    let d = d?;
    let e = evaluate(s, &d);
    check(s, &d, &e).is_empty().then_some(d)
}

/// The objective of one undecayed post to an audience, its reach not capped.
pub(crate) fn post_value(a: &crate::model::Audience, coefficients: [f64; 3]) -> f64 {
    coefficients[0] * a.reach()
        + coefficients[1] * a.engagements()
        + coefficients[2] * a.conversions()
}

/// A valid upper bound on any plan's objective (linear in unique reach,
/// engagements, conversions and spend): the fractional knapsack over single
/// posts under the budget alone, each post worth its outcomes plus the
/// spend term of its cost. Every other constraint, integrality and
/// the audience caps are relaxed, so no plan can do better. Used to state a
/// gap when a time limit stops the solver before it proves a bound itself.
pub fn upper_bound(s: &Scenario, objective: Linear) -> f64 {
    let value =
        |a: &crate::model::Audience, weight: f64| weight * post_value(a, objective.outcomes);
    // (value, cost) of every post that could be bought; a creator's first
    // post carries its fee (a later post is worth no more than the first).
    let mut items: Vec<(f64, f64)> = Vec::new();
    for c in s.creators.iter().filter(|c| !c.exclude) {
        for k in 0..c.max_posts {
            let cost = c.price_per_post + if k == 0 { c.fee } else { 0.0 };
            let worth = value(&c.audience, s.repeat_decay.powi(k as i32));
            items.push((worth + objective.spend * cost, cost));
        }
    }
    for p in &s.pools {
        let cost = p.cost_per_hire();
        let worth = value(&p.audience, s.decay_sum(p.posts));
        let per_hire = (worth + objective.spend * cost, cost);
        items.extend(std::iter::repeat_n(
            per_hire,
            p.available.min(100_000) as usize,
        ));
    }
    let free: f64 = items
        .iter()
        .filter(|(_, c)| *c <= 0.0)
        .map(|(v, _)| v.max(0.0))
        .sum();
    let mut paid: Vec<(f64, f64)> = items
        .into_iter()
        .filter(|(v, c)| *c > 0.0 && *v > 0.0)
        .collect();
    paid.sort_by(|a, b| (b.0 / b.1).total_cmp(&(a.0 / a.1)));
    let mut left = s.budget;
    let mut bound = free;
    for (v, c) in paid {
        if left <= 0.0 {
            break;
        }
        let take = (left / c).min(1.0);
        bound += take * v;
        left -= take * c;
    }
    bound
}
