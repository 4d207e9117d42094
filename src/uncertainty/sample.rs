//! One sample: the scenario with every uncertain input drawn, a plan
//! compiled once and evaluated on many samples (each post delivered or
//! not), and the row each sample leaves.

use rand::{Rng, RngExt};
use serde::{Deserialize, Serialize};

use super::streams::{SampleStreams, Stream, mix};
use crate::model::dist::{Dist, Draw};
use crate::model::{Audience, Decisions, Linear, OfferUncertainty, Scenario};

/// One sample's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleRow {
    /// Sample index.
    pub index: u64,
    /// The sampled budget.
    pub budget: f64,
    /// Unique reach.
    pub reach: f64,
    /// Engagements.
    pub engagements: f64,
    /// Conversions.
    pub conversions: f64,
    /// Spend.
    pub spend: f64,
    /// The objective (nominal G* normalisation).
    pub objective: f64,
    /// Re-optimisation details (boxed, like `robust`: a row of plan
    /// evaluation stays 72 bytes, and a million of them fit in 72 MB).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reoptimized: Option<Box<ReoptRow>>,
    /// The robust plan on the same sample.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub robust: Option<Box<Realised>>,
}

/// A re-optimised sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReoptRow {
    /// Whether any plan satisfies the sampled scenario.
    pub feasible: bool,
    /// The nominal plan's objective on this sample (its expected outcomes).
    pub nominal_objective: f64,
    /// Whether the nominal plan satisfies the sampled scenario.
    pub nominal_feasible: bool,
    /// What holding the nominal plan fixed costs: the sample optimum less the
    /// nominal plan's objective, or in target mode its spend less the
    /// optimum's (none where either plan is infeasible).
    pub regret: Option<f64>,
    /// Indices of the hired creators.
    pub hired: Vec<u32>,
    /// Hires per pool.
    pub pool_hires: Vec<u32>,
    /// Spend per tier.
    pub tier_spend: Vec<f64>,
    /// Spend per platform (scenarios with several platforms only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platform_spend: Vec<f64>,
}

/// A plan's realised totals on one sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Realised {
    /// Unique reach.
    pub reach: f64,
    /// Engagements.
    pub engagements: f64,
    /// Conversions.
    pub conversions: f64,
    /// Spend.
    pub spend: f64,
    /// Objective.
    pub objective: f64,
}

/// Of `planned` posts, each delivered with probability `delivery` (below 1),
/// how many went out, and their outcome weight Σ d^(k-1) over the delivered
/// positions k, for repeat decay d (post k yields the same whether or not an
/// earlier one went out, MODEL.md).
fn delivered<R: Rng>(planned: u32, delivery: f64, decay: f64, rng: &mut R) -> (u32, f64) {
    let (mut count, mut weight, mut factor) = (0, 0.0, 1.0);
    for _ in 0..planned {
        if rng.random::<f64>() < delivery {
            count += 1;
            weight += factor;
        }
        factor *= decay;
    }
    (count, weight)
}

/// One input of a hired offer: its nominal value, or how it is drawn.
#[derive(Clone, Copy)]
enum Input {
    Fixed(f64),
    Drawn(Draw),
}

impl Input {
    fn new(dist: &Option<Dist>, nominal: f64) -> Input {
        match dist {
            Some(d) => Input::Drawn(d.draw()),
            None => Input::Fixed(nominal),
        }
    }

    #[inline]
    fn value<R: Rng>(&self, rng: &mut R) -> f64 {
        match self {
            Input::Fixed(x) => *x,
            Input::Drawn(d) => d.sample(rng),
        }
    }
}

/// The inputs of a creator or pool, in the order its stream draws them:
/// followers, reach, engagement and conversion rates, price per post, fee.
fn offer_inputs(a: &Audience, price: f64, fee: f64, u: &OfferUncertainty) -> [Input; 6] {
    [
        Input::new(&u.followers, a.followers),
        Input::new(&u.reach_rate, a.reach_rate),
        Input::new(&u.engagement_rate, a.engagement_rate),
        Input::new(&u.conversion_rate, a.conversion_rate),
        Input::new(&u.price_per_post, price),
        Input::new(&u.fee, fee),
    ]
}

/// A creator or pool a plan hires, with what evaluating it on a sample needs.
#[derive(Clone)]
struct Hired {
    /// Its random-stream slot, mixed (`mix(slot)`).
    slot: u64,
    /// Its audience group, if any.
    group: Option<usize>,
    /// Hires: 1 for a creator, the hires of a pool.
    units: u32,
    /// Posts per hire.
    posts: u32,
    /// Chance that each post goes out.
    delivery: f64,
    /// Outcome weight of one hire's posts all delivered.
    full_weight: f64,
    /// Share of its followers who count (credibility × audience fit).
    quality: f64,
    /// Whether its engagement rate is per view.
    per_view: bool,
    /// Its inputs, as [`offer_inputs`] orders them.
    inputs: [Input; 6],
}

/// Per-thread buffers of [`PlanKernel::realise`], sized by it.
#[derive(Default)]
pub(crate) struct Scratch {
    /// Reach per audience group.
    groups: Vec<f64>,
    /// One stream per hired offer.
    streams: Vec<Stream>,
    /// The drawn inputs per hired offer.
    inputs: Vec<[f64; 6]>,
}

/// A plan compiled for evaluation on many samples: the offers it hires,
/// side by side with their samplers, so a sample reads a few kilobytes
/// instead of the scenario's creator records.
pub(crate) struct PlanKernel {
    budget: Input,
    hired: Vec<Hired>,
    group_sizes: Vec<f64>,
    repeat_decay: f64,
}

impl PlanKernel {
    /// Compiles `plan` for scenario `s`.
    pub(crate) fn new(s: &Scenario, plan: &Decisions) -> PlanKernel {
        let mut hired = Vec::new();
        for (j, c) in s.creators.iter().enumerate() {
            let n = plan.posts[j];
            if n > 0 {
                hired.push(Hired {
                    slot: mix(1 + j as u64),
                    group: c.group,
                    units: 1,
                    posts: n,
                    delivery: c.audience.delivery,
                    full_weight: s.decay_sum(n),
                    quality: c.audience.quality,
                    per_view: c.audience.per_view,
                    inputs: offer_inputs(
                        &c.audience,
                        c.price_per_post,
                        c.fee,
                        &s.uncertainty.creators[j],
                    ),
                });
            }
        }
        for (t, p) in s.pools.iter().enumerate() {
            let z = plan.hires[t];
            if z > 0 {
                hired.push(Hired {
                    slot: mix((1 + s.creators.len() + t) as u64),
                    group: p.group,
                    units: z,
                    posts: p.posts,
                    delivery: p.audience.delivery,
                    full_weight: s.decay_sum(p.posts),
                    quality: p.audience.quality,
                    per_view: p.audience.per_view,
                    inputs: offer_inputs(
                        &p.audience,
                        p.price_per_post,
                        p.fee,
                        &s.uncertainty.pools[t],
                    ),
                });
            }
        }
        PlanKernel {
            budget: Input::new(&s.uncertainty.budget, s.budget),
            hired,
            group_sizes: s.audiences.iter().map(|g| g.size).collect(),
            repeat_decay: s.repeat_decay,
        }
    }

    /// The plan's realised totals on sample `index`: rates and prices drawn,
    /// each post delivered or not (an undelivered post yields nothing and is
    /// not paid).
    pub(crate) fn realise(
        &self,
        objective: Linear,
        index: u64,
        seed: u64,
        scratch: &mut Scratch,
    ) -> SampleRow {
        let sample = SampleStreams::new(seed, index);
        let budget = self.budget.value(&mut sample.budget());
        let Scratch {
            groups,
            streams,
            inputs,
        } = scratch;
        streams.clear();
        streams.extend(self.hired.iter().map(|h| sample.mixed_slot(h.slot)));
        inputs.resize(self.hired.len(), [0.0; 6]);
        groups.resize(self.group_sizes.len(), 0.0);
        // Input by input across the hired offers: each stream still gives
        // its offer's inputs in the order `offer_inputs` gives them (the same
        // numbers), and the loop over one input (mostly one family, on
        // independent streams) keeps several draws in flight on the CPU.
        for k in 0..6 {
            for ((h, rng), values) in self
                .hired
                .iter()
                .zip(streams.iter_mut())
                .zip(inputs.iter_mut())
            {
                values[k] = h.inputs[k].value(rng);
            }
        }
        groups.fill(0.0);
        let (mut ungrouped, mut engagements, mut conversions, mut spend) = (0.0, 0.0, 0.0, 0.0);
        for ((h, rng), values) in self.hired.iter().zip(streams.iter_mut()).zip(inputs.iter()) {
            let [
                followers,
                reach_rate,
                engagement_rate,
                conversion_rate,
                price,
                fee,
            ] = *values;
            let (mut posts, mut weight) = (0, 0.0);
            for _ in 0..h.units {
                let (m, w) = if h.delivery >= 1.0 {
                    (h.posts, h.full_weight)
                } else {
                    delivered(h.posts, h.delivery, self.repeat_decay, rng)
                };
                posts += m;
                weight += w;
            }
            spend += fee * f64::from(h.units) + price * f64::from(posts);
            let followers = followers * h.quality;
            let reach = followers * reach_rate * weight;
            let base = if h.per_view { reach_rate } else { 1.0 };
            let eng = followers * base * engagement_rate * weight;
            match h.group {
                Some(g) => groups[g] += reach,
                None => ungrouped += reach,
            }
            engagements += eng;
            conversions += eng * conversion_rate;
        }
        let reach = ungrouped
            + self
                .group_sizes
                .iter()
                .zip(groups.iter())
                .map(|(size, r)| r.min(*size))
                .sum::<f64>();
        SampleRow {
            index,
            budget,
            reach,
            engagements,
            conversions,
            spend,
            objective: objective.outcomes[0] * reach
                + objective.outcomes[1] * engagements
                + objective.outcomes[2] * conversions
                + objective.spend * spend,
            reoptimized: None,
            robust: None,
        }
    }
}

/// The scenario of one sample: every uncertain input drawn. Delivery stays
/// an expectation unless `realise_delivery`, when each creator's posts go out
/// in a sampled share (of its `max_posts`; of all posts for a pool), which
/// is exact for single-post creators.
pub fn sampled_scenario(s: &Scenario, index: u64, seed: u64, realise_delivery: bool) -> Scenario {
    let streams = SampleStreams::new(seed, index);
    let mut out = s.clone();
    out.budget = Input::new(&s.uncertainty.budget, s.budget).value(&mut streams.budget());
    let apply = |a: &mut Audience,
                 price: &mut f64,
                 fee: &mut f64,
                 u: &OfferUncertainty,
                 rng: &mut Stream| {
        let inputs = offer_inputs(a, *price, *fee, u).map(|input| input.value(rng));
        [
            a.followers,
            a.reach_rate,
            a.engagement_rate,
            a.conversion_rate,
            *price,
            *fee,
        ] = inputs;
    };
    let share = |posts: u32, delivery: f64, rng: &mut Stream| {
        if posts == 0 || delivery >= 1.0 {
            delivery
        } else {
            f64::from(delivered(posts, delivery, s.repeat_decay, rng).0) / f64::from(posts)
        }
    };
    for (j, (c, u)) in out
        .creators
        .iter_mut()
        .zip(&s.uncertainty.creators)
        .enumerate()
    {
        if u.is_certain() && (!realise_delivery || c.audience.delivery >= 1.0) {
            continue;
        }
        let mut rng = streams.creator(j);
        apply(
            &mut c.audience,
            &mut c.price_per_post,
            &mut c.fee,
            u,
            &mut rng,
        );
        if realise_delivery {
            c.audience.delivery = share(c.max_posts, c.audience.delivery, &mut rng);
        }
    }
    for (t, (p, u)) in out.pools.iter_mut().zip(&s.uncertainty.pools).enumerate() {
        if u.is_certain() && (!realise_delivery || p.audience.delivery >= 1.0) {
            continue;
        }
        let mut rng = streams.pool(s, t);
        apply(
            &mut p.audience,
            &mut p.price_per_post,
            &mut p.fee,
            u,
            &mut rng,
        );
        if realise_delivery {
            p.audience.delivery = share(p.available * p.posts, p.audience.delivery, &mut rng);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_of_plan_evaluation_stays_small() {
        // A million samples are held for their quantiles.
        assert!(std::mem::size_of::<SampleRow>() <= 72);
    }
}
