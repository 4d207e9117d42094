//! Monte Carlo around the solve pipeline: the nominal plan evaluated on
//! sampled realities, or every sample re-optimised with the same program
//! builder and solvers.
//!
//! Sample `i` draws from its own random streams, derived from (seed, i)
//! alone, and every result is gathered in sample-index order: the output is
//! the same for any thread count and any split into shards.

use std::collections::BTreeMap;

use rand::{Rng, RngExt};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::robust::{self, RobustGoal};
use super::stats::{Summary, Worst, share, summarise};
use crate::error::Error;
use crate::model::Decisions;
use crate::model::Goal;
use crate::model::Sense;
use crate::model::evaluate::{check, evaluate};
use crate::model::{GoalKind, OfferUncertainty, Scenario};
use crate::plan::Plan;

use crate::solve::{self, Backend, Limits, SolveSettings};

/// SplitMix64's finaliser: a bijective, well-mixed map of 64-bit words.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One random stream: xoshiro256++ (Blackman and Vigna), the generator
/// of `rand_xoshiro::Xoshiro256PlusPlus`, seeded as its `seed_from_u64`
/// seeds it (the state is SplitMix64's first four outputs), so the streams
/// are the same numbers, bit for bit. Kept here because a sample seeds one
/// stream per hired offer, and `seed_from_u64` passes the state through a
/// byte buffer, which made seeding a stream cost about as much as a beta draw.
#[derive(Debug, Clone)]
pub struct Stream {
    s: [u64; 4],
}

impl Stream {
    /// The stream seeded from `seed`.
    #[inline]
    pub fn seed_from_u64(seed: u64) -> Stream {
        const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;
        // `mix` adds the first φ itself: word k is SplitMix64's output k + 1.
        let word = |k: u64| mix(seed.wrapping_add(k.wrapping_mul(GOLDEN)));
        Stream {
            s: [word(0), word(1), word(2), word(3)],
        }
    }
}

impl rand::TryRng for Stream {
    type Error = std::convert::Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        // The upper bits: the lowest have linear dependencies.
        Ok((self.try_next_u64()? >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        Ok(result)
    }

    #[inline]
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dest.chunks_mut(8) {
            let word = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        Ok(())
    }
}

/// The random streams of one sample: one xoshiro256++ generator per input
/// (slot 0 the budget, then each creator, then each pool), seeded from
/// (seed, sample, slot) alone. A creator's draws therefore depend only on
/// the seed, the sample and the creator: every plan, mode, thread count and
/// shard sees the same realisation of it (common random numbers).
#[derive(Clone, Copy)]
pub struct SampleStreams {
    key: u64,
}

impl SampleStreams {
    /// The streams of sample `index`.
    pub fn new(seed: u64, index: u64) -> Self {
        SampleStreams {
            key: mix(mix(seed) ^ index),
        }
    }

    /// The generator of one slot.
    #[inline]
    pub fn slot(&self, slot: usize) -> Stream {
        self.mixed_slot(mix(slot as u64))
    }

    /// The generator of the slot whose number mixes to `mixed` (`mix(slot)`).
    #[inline]
    fn mixed_slot(&self, mixed: u64) -> Stream {
        Stream::seed_from_u64(mix(self.key ^ mixed))
    }

    fn budget(&self) -> Stream {
        self.slot(0)
    }

    fn creator(&self, j: usize) -> Stream {
        self.slot(1 + j)
    }

    fn pool(&self, s: &Scenario, t: usize) -> Stream {
        self.slot(1 + s.creators.len() + t)
    }
}

/// What to do with each sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Hold the nominal plan fixed and evaluate it, posts delivered at random.
    Evaluate,
    /// Solve every sample to its own optimum.
    Reoptimize,
}

/// Which samples a run computes: shard `k` of `n` (1-based) takes a contiguous block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// This shard, 1..=of.
    pub k: u64,
    /// Number of shards.
    pub of: u64,
}

impl Shard {
    /// The whole run.
    pub const ALL: Shard = Shard { k: 1, of: 1 };

    /// The sample indices of this shard out of `samples`.
    pub fn range(self, samples: u64) -> std::ops::Range<u64> {
        let start = samples * (self.k - 1) / self.of;
        let end = samples * self.k / self.of;
        start..end
    }
}

/// Called once per finished sample (from any worker thread), e.g. to move a progress bar.
pub type Progress<'a> = &'a (dyn Fn() + Sync);

/// A progress callback that does nothing.
pub fn no_progress() {}

/// Settings of a simulation run.
#[derive(Debug, Clone)]
pub struct SimulateSettings {
    /// Number of samples.
    pub samples: u64,
    /// Seed of every random stream.
    pub seed: u64,
    /// Worker threads (None: one per core).
    pub threads: Option<usize>,
    /// Evaluate or re-optimise.
    pub mode: Mode,
    /// Which samples to compute.
    pub shard: Shard,
    /// Solver settings (the nominal solve; re-optimisation uses the gap and,
    /// per sample, the time limit).
    pub solve: SolveSettings,
    /// Also find a robust plan (its goal and training samples) and evaluate it beside the nominal one.
    pub robust: Option<(RobustGoal, u64)>,
    /// Also compute the tornado of parameter groups.
    pub tornado: bool,
    /// How re-optimisation solves each sample.
    pub sample_solver: SampleSolver,
}

/// How re-optimisation solves each sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SampleSolver {
    /// creatormix's own branch and bound ([`crate::branch`]) where the
    /// scenario allows it, the MILP solver otherwise and where it stops.
    #[default]
    Auto,
    /// The MILP solver for every sample.
    Milp,
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

/// The robust plan and how it compares with the nominal plan on its training samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RobustContext {
    /// What it maximises.
    pub goal: RobustGoal,
    /// Training samples (drawn from streams separate from the evaluation samples).
    pub training_samples: u64,
    /// Posts per creator.
    pub posts: Vec<u32>,
    /// Hires per pool.
    pub hires: Vec<u32>,
    /// Its objective on the nominal scenario.
    pub nominal_objective: f64,
    /// Its planned spend.
    pub spend: f64,
    /// Mean objective of the nominal plan on the training samples.
    pub nominal_training_mean: f64,
    /// CVaR 5% of the nominal plan on the training samples.
    pub nominal_training_cvar: f64,
    /// Mean objective of the robust plan on the training samples.
    pub robust_training_mean: f64,
    /// CVaR 5% of the robust plan on the training samples.
    pub robust_training_cvar: f64,
}

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
    /// Sample optimum minus the nominal plan's objective (none where either plan is infeasible).
    pub regret: Option<f64>,
    /// Indices of the hired creators.
    pub hired: Vec<u32>,
    /// Hires per pool.
    pub pool_hires: Vec<u32>,
    /// Spend per tier.
    pub tier_spend: Vec<f64>,
}

/// Names and nominal facts the summary needs, carried by shard files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Context {
    /// Scenario name.
    pub scenario: String,
    /// Digest of the validated scenario: shards of different scenarios never merge.
    pub digest: String,
    /// Seed.
    pub seed: u64,
    /// Total samples of the run.
    pub samples: u64,
    /// Mode.
    pub mode: Mode,
    /// The nominal plan.
    pub nominal: Nominal,
    /// Targets: goal key and minimum.
    pub targets: Vec<(String, f64)>,
    /// Creator handles and tier names, in scenario order.
    pub creators: Vec<(String, String)>,
    /// Pool names and tier names, in scenario order.
    pub pools: Vec<(String, String)>,
    /// Tier names.
    pub tiers: Vec<String>,
    /// The robust plan, if asked for.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub robust: Option<RobustContext>,
    /// The tornado, if asked for.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tornado: Option<Vec<super::tornado::Bar>>,
}

/// The nominal plan (what `solve` recommends) and its expected outcomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nominal {
    /// Solve status.
    pub status: String,
    /// Objective.
    pub objective: f64,
    /// Unique reach.
    pub reach: f64,
    /// Engagements.
    pub engagements: f64,
    /// Conversions.
    pub conversions: f64,
    /// Spend.
    pub spend: f64,
    /// The decisions.
    pub posts: Vec<u32>,
    /// Pool hires.
    pub hires: Vec<u32>,
}

/// A shard's partial results, mergeable into the full summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardFile {
    /// Always "creatormix-shard".
    pub format: String,
    /// Which shard.
    pub shard: Shard,
    /// What the summary needs.
    pub context: Context,
    /// The shard's samples, in index order.
    pub rows: Vec<SampleRow>,
    /// The nominal plan as solved, for reports that show it whole. Not kept
    /// in shard files, so absent after [`merge`].
    #[serde(skip)]
    pub plan: Option<Plan>,
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
    Drawn(crate::model::dist::Draw),
}

impl Input {
    fn new(dist: &Option<crate::model::dist::Dist>, nominal: f64) -> Input {
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
fn offer_inputs(
    a: &crate::model::Audience,
    price: f64,
    fee: f64,
    u: &OfferUncertainty,
) -> [Input; 6] {
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
        coefficients: [f64; 3],
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
            let reach = followers * reach_rate * weight;
            let eng = followers * engagement_rate * weight;
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
            objective: coefficients[0] * reach
                + coefficients[1] * engagements
                + coefficients[2] * conversions,
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
    let apply = |a: &mut crate::model::Audience,
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

/// How re-optimised samples are solved.
#[derive(Debug, Clone, Copy)]
pub struct Setup {
    /// The solver.
    pub backend: Backend,
    /// Time limit (per sample) and gap.
    pub limits: Limits,
    /// Start each sample from the nominal plan (or a greedy plan where the
    /// nominal one breaks the sample's constraints); off only to measure what it buys.
    pub warm_start: bool,
    /// Settle samples with the roster branch and bound where it applies.
    pub branch: bool,
}

/// Solves one sample with the MILP solver, from a plan if one is given
/// (within what is left of the time limit since `started`).
fn solve_sample(
    sample: &Scenario,
    goal: &Goal,
    backend: Backend,
    limits: Limits,
    start_plan: Option<Decisions>,
    started: std::time::Instant,
) -> Result<Decisions, solve::Failure> {
    let program = backend.program(sample);
    let objective = program.objective(goal);
    // From a feasible start HiGHS's sub-MIP heuristics mostly re-find plans
    // its branching finds anyway: without them a sample solves about 1.3x
    // faster, to the same optimum.
    let limits = Limits {
        heuristics: limits.heuristics && start_plan.is_none(),
        time_limit: limits
            .time_limit
            .map(|t| (t - started.elapsed().as_secs_f64()).max(0.0)),
        ..limits
    };
    solve::solve(
        sample,
        &program,
        &objective,
        Sense::Maximise,
        backend,
        limits,
        start_plan.as_ref(),
    )
    .map(|solution| solution.decisions)
}

/// Re-optimises one sample, starting from the nominal plan where it is feasible.
fn reoptimise(
    s: &Scenario,
    nominal: &Decisions,
    goal: &Goal,
    setup: Setup,
    index: u64,
    seed: u64,
) -> Result<SampleRow, Error> {
    let Setup {
        backend,
        limits,
        warm_start,
        branch,
    } = setup;
    let started = std::time::Instant::now();
    let sample = sampled_scenario(s, index, seed, false);
    let coefficients = goal.coefficients();
    let e_nominal = evaluate(&sample, nominal);
    let nominal_feasible = check(&sample, nominal, &e_nominal).is_empty();
    let nominal_objective = e_nominal.weighted(coefficients);
    // The nominal plan (or the greedy one where the nominal plan breaks the
    // sample's constraints), improved by local search on the sample.
    let mut start_plan = if !warm_start {
        None
    } else if nominal_feasible {
        Some(nominal.clone())
    } else {
        crate::solve::greedy::greedy(&sample, coefficients)
    }
    .map(|d| crate::solve::local_search::improve(&sample, coefficients, &d));
    let mut settled = None;
    if let Some(problem) = branch
        .then(|| crate::solve::branch::Problem::of(&sample, coefficients))
        .flatten()
    {
        // Half the time limit here; the MILP solver gets the rest.
        let deadline = limits
            .time_limit
            .map(|t| started + std::time::Duration::from_secs_f64(t / 2.0));
        match crate::solve::branch::solve(
            &problem,
            start_plan.as_ref(),
            limits.mip_gap,
            crate::solve::branch::NODE_LIMIT,
            deadline,
        ) {
            Ok(solved) => settled = Some(solved.decisions),
            Err(best) => start_plan = best.or(start_plan),
        }
    }
    let d = match settled {
        Some(d) => d,
        None => match solve_sample(&sample, goal, backend, limits, start_plan, started) {
            Ok(d) => d,
            Err(solve::Failure::Infeasible) => {
                return Ok(SampleRow {
                    index,
                    budget: sample.budget,
                    reach: 0.0,
                    engagements: 0.0,
                    conversions: 0.0,
                    spend: 0.0,
                    objective: 0.0,
                    robust: None,
                    reoptimized: Some(Box::new(ReoptRow {
                        feasible: false,
                        nominal_objective,
                        nominal_feasible,
                        regret: None,
                        hired: Vec::new(),
                        pool_hires: Vec::new(),
                        tier_spend: Vec::new(),
                    })),
                });
            }
            Err(solve::Failure::NoPlan) => {
                return Err(Error::NoPlan {
                    seconds: limits.time_limit.unwrap_or(0.0),
                    hint: format!(" in sample {index}; raise --time-limit"),
                });
            }
            Err(solve::Failure::Error(m)) => {
                return Err(Error::Solver(format!("sample {index}: {m}")));
            }
        },
    };
    let e = evaluate(&sample, &d);
    let violations = check(&sample, &d, &e);
    if !violations.is_empty() {
        return Err(Error::Check(format!(
            "sample {index}: {}",
            violations[0].message
        )));
    }
    let optimum = e.weighted(coefficients);
    Ok(SampleRow {
        index,
        budget: sample.budget,
        reach: e.awareness,
        engagements: e.engagements,
        conversions: e.conversions,
        spend: e.spend,
        objective: optimum,
        robust: None,
        reoptimized: Some(Box::new(ReoptRow {
            feasible: true,
            nominal_objective,
            nominal_feasible,
            // The nominal plan has no regret to speak of where it is not allowed.
            regret: nominal_feasible.then_some(optimum - nominal_objective),
            hired: d
                .posts
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(j, _)| j as u32)
                .collect(),
            pool_hires: d.hires.clone(),
            tier_spend: e.tier_spend.clone(),
        })),
    })
}

/// Evaluates a plan (and optionally a second, robust plan on the same
/// draws) on samples `range`, in parallel on the current rayon pool.
pub fn evaluate_samples(
    s: &Scenario,
    plan: &Decisions,
    robust_plan: Option<&Decisions>,
    coefficients: [f64; 3],
    seed: u64,
    range: std::ops::Range<u64>,
    progress: Progress,
) -> Result<Vec<SampleRow>, Error> {
    let kernel = PlanKernel::new(s, plan);
    let robust_kernel = robust_plan.map(|other| PlanKernel::new(s, other));
    range
        .into_par_iter()
        .map_init(Scratch::default, |scratch, i| {
            crate::interrupt::check()?;
            progress();
            let mut row = kernel.realise(coefficients, i, seed, scratch);
            if let Some(other) = &robust_kernel {
                let r = other.realise(coefficients, i, seed, scratch);
                row.robust = Some(Box::new(Realised {
                    reach: r.reach,
                    engagements: r.engagements,
                    conversions: r.conversions,
                    spend: r.spend,
                    objective: r.objective,
                }));
            }
            Ok(row)
        })
        .collect()
}

/// Re-optimises samples `range`, in parallel on the current rayon pool,
/// each starting from the nominal plan where it is feasible.
pub fn reoptimise_samples(
    s: &Scenario,
    nominal: &Decisions,
    goal: &Goal,
    setup: Setup,
    seed: u64,
    range: std::ops::Range<u64>,
    progress: Progress,
) -> Result<Vec<SampleRow>, Error> {
    range
        .into_par_iter()
        .map(|i| {
            crate::interrupt::check()?;
            let row = reoptimise(s, nominal, goal, setup, i, seed);
            progress();
            row
        })
        .collect()
}

/// A short digest of a validated scenario (its file path aside).
pub fn digest(s: &Scenario) -> String {
    let mut canonical = s.clone();
    canonical.path = Default::default();
    let text = format!("{canonical:?}");
    // FNV-1a, 64 bits: stable across platforms and versions.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// Runs a simulation (or one shard of it): the nominal plan, then every sample.
pub fn run(s: &Scenario, settings: &SimulateSettings) -> Result<ShardFile, Error> {
    run_with_progress(s, settings, &no_progress)
}

/// [`run`], calling `progress` once per finished sample.
pub fn run_with_progress(
    s: &Scenario,
    settings: &SimulateSettings,
    progress: Progress,
) -> Result<ShardFile, Error> {
    if s.objective == crate::model::Objective::MinimiseSpend {
        return Err(Error::Usage(
            "simulate scores plans by a goal to maximise; a `minimize: spend` (target mode) \
             scenario has none yet: give `weights` or `values` to simulate it"
                .into(),
        ));
    }
    let outcome = solve::optimise(s, &settings.solve)?;
    let plan = Plan::new(s, &outcome, settings.solve.mip_gap)?;
    let goal = s.goal(outcome.best);
    let coefficients = goal.coefficients();
    let nominal = outcome.decisions.clone();
    let backend = settings.solve.solver.backend()?;
    let limits = Limits {
        time_limit: settings.solve.time_limit,
        mip_gap: settings.solve.mip_gap,
        heuristics: true,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::Usage(format!("cannot start worker threads: {e}")))?;
    let robust = match settings.robust {
        None => None,
        Some(_) if settings.mode == Mode::Reoptimize => {
            return Err(Error::Usage(
                "--robust compares plans on fixed samples; drop --reoptimize".into(),
            ));
        }
        Some((kind, training)) => {
            let seed = robust::training_seed(settings.seed);
            let plan = robust::robust_plan(s, &goal, kind, training, seed, backend, limits)?;
            let nominal_training = robust::objectives_on(s, &nominal, &goal, seed, training);
            let robust_training = robust::objectives_on(s, &plan, &goal, seed, training);
            let e = evaluate(s, &plan);
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
            Some(RobustContext {
                goal: kind,
                training_samples: training,
                nominal_objective: crate::model::evaluate::objective(s, &e, outcome.best),
                spend: e.spend,
                nominal_training_mean: mean(&nominal_training),
                nominal_training_cvar: robust::cvar(&nominal_training),
                robust_training_mean: mean(&robust_training),
                robust_training_cvar: robust::cvar(&robust_training),
                posts: plan.posts,
                hires: plan.hires,
            })
        }
    };
    let robust_plan = robust.as_ref().map(|r| Decisions {
        posts: r.posts.clone(),
        hires: r.hires.clone(),
    });
    let tornado = settings
        .tornado
        .then(|| pool.install(|| super::tornado::tornado(s, &goal, backend, limits)));
    let range = settings.shard.range(settings.samples);
    crate::interrupt::check()?;

    let rows: Vec<SampleRow> = pool.install(|| match settings.mode {
        Mode::Evaluate => evaluate_samples(
            s,
            &nominal,
            robust_plan.as_ref(),
            coefficients,
            settings.seed,
            range,
            progress,
        ),
        Mode::Reoptimize => reoptimise_samples(
            s,
            &nominal,
            &goal,
            Setup {
                backend,
                limits,
                warm_start: true,
                branch: settings.sample_solver == SampleSolver::Auto,
            },
            settings.seed,
            range,
            progress,
        ),
    })?;
    Ok(ShardFile {
        format: "creatormix-shard".into(),
        shard: settings.shard,
        context: Context {
            scenario: s.name.clone(),
            digest: digest(s),
            seed: settings.seed,
            samples: settings.samples,
            mode: settings.mode,
            nominal: Nominal {
                status: plan.status.to_string(),
                objective: plan.objective,
                reach: plan.totals.reach,
                engagements: plan.totals.engagements,
                conversions: plan.totals.conversions,
                spend: plan.spend,
                posts: nominal.posts.clone(),
                hires: nominal.hires.clone(),
            },
            targets: GoalKind::ALL
                .iter()
                .filter_map(|g| s.targets[g.index()].map(|t| (g.key().to_string(), t)))
                .collect(),
            creators: s
                .creators
                .iter()
                .map(|c| (c.handle.clone(), s.tier_name(c.tier).to_string()))
                .collect(),
            pools: s
                .pools
                .iter()
                .map(|p| (p.name.clone(), s.tier_name(p.tier).to_string()))
                .collect(),
            tiers: s.market.tiers.iter().map(|t| t.name.clone()).collect(),
            robust,
            tornado,
        },
        rows,
        plan: Some(plan),
    })
}

/// How often one creator or pool is in a sample's optimum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Selection {
    /// `creator` or `pool`.
    pub kind: String,
    /// Handle or pool name.
    pub name: String,
    /// Tier.
    pub tier: String,
    /// Share of feasible samples whose optimum hires it.
    pub frequency: f64,
    /// Its Monte Carlo standard error, sqrt(f (1 - f) / feasible samples).
    pub frequency_se: f64,
    /// Mean hires (pools) or 1 (creators) when hired.
    pub mean_hired: f64,
    /// Whether the nominal plan hires it.
    pub in_nominal: bool,
}

/// A tier's share of spend across re-optimised samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierShareBand {
    /// Tier.
    pub tier: String,
    /// Summary of the share.
    pub share: Summary,
}

/// Re-optimisation results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reoptimization {
    /// Samples with a feasible plan.
    pub feasible: u64,
    /// Samples where no plan satisfies the constraints.
    pub infeasible: u64,
    /// Samples where the nominal plan breaks a constraint (e.g. the sampled budget).
    pub nominal_infeasible: u64,
    /// The nominal plan's objective on the samples (expected delivery).
    pub nominal_objective: Summary,
    /// Sample optimum minus the nominal plan's objective, over samples where both are feasible.
    pub regret: Summary,
    /// Selection frequency, most frequent first.
    pub selection: Vec<Selection>,
    /// Tier shares of spend.
    pub tier_share: Vec<TierShareBand>,
}

/// Probability that a target is met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetChance {
    /// Goal key.
    pub goal: String,
    /// The target.
    pub target: f64,
    /// Share of samples that meet it.
    pub probability: f64,
    /// Its Monte Carlo standard error, sqrt(p (1 - p) / samples).
    pub probability_se: f64,
}

/// The summary of a simulation: what `simulate` prints and `merge` rebuilds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Scenario name.
    pub scenario: String,
    /// `evaluate` or `reoptimize`.
    pub mode: Mode,
    /// Seed.
    pub seed: u64,
    /// Samples.
    pub samples: u64,
    /// The nominal plan.
    pub nominal: Nominal,
    /// Distribution of each total and of the objective: for the nominal plan
    /// (evaluate) or for each sample's optimum (reoptimize).
    pub metrics: BTreeMap<String, Summary>,
    /// Chance of meeting each target.
    pub targets: Vec<TargetChance>,
    /// Share of samples whose spend exceeds their sampled budget (evaluate).
    pub over_budget: f64,
    /// Its Monte Carlo standard error.
    pub over_budget_se: f64,
    /// Re-optimisation results.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reoptimize: Option<Reoptimization>,
    /// The robust plan beside the nominal one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub robust: Option<RobustReport>,
    /// The tornado: swing of the optimal objective per parameter group, largest first.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tornado: Option<Vec<super::tornado::Bar>>,
}

/// The robust plan: what it is, and its outcomes on the evaluation samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RobustReport {
    /// The plan and its training comparison.
    pub plan: RobustContext,
    /// Hired creators (handles) and pool hires.
    pub hires: Vec<String>,
    /// Distribution of each total and the objective on the evaluation samples.
    pub metrics: BTreeMap<String, Summary>,
    /// Share of samples whose spend exceeds their sampled budget.
    pub over_budget: f64,
    /// Its Monte Carlo standard error.
    pub over_budget_se: f64,
}

/// Merges shard files (any order) into the results of the whole run, as an
/// unsharded run would have produced them: summarise with [`report`].
pub fn merge(shards: Vec<ShardFile>) -> Result<ShardFile, String> {
    let first = shards.first().ok_or("no shard files given")?;
    let context = first.context.clone();
    let of = first.shard.of;
    let mut seen = vec![false; of as usize];
    let mut rows = Vec::new();
    for shard in shards {
        if shard.format != "creatormix-shard" {
            return Err("not a creatormix shard file".into());
        }
        if shard.context != context || shard.shard.of != of {
            return Err(format!(
                "shard {}/{} comes from a different run (scenario, seed, samples, mode or shard count differ)",
                shard.shard.k, shard.shard.of
            ));
        }
        let k = shard.shard.k as usize;
        if k == 0 || k > of as usize || seen[k - 1] {
            return Err(format!("shard {k}/{of} is given twice or out of range"));
        }
        seen[k - 1] = true;
        rows.extend(shard.rows);
    }
    if let Some(missing) = seen.iter().position(|s| !s) {
        return Err(format!("shard {}/{of} is missing", missing + 1));
    }
    rows.sort_by_key(|r| r.index);
    Ok(ShardFile {
        format: "creatormix-shard".into(),
        shard: Shard::ALL,
        context,
        rows,
        plan: None,
    })
}

/// Summaries of reach, engagements, conversions, spend and objective, from
/// one `[reach, engagements, conversions, spend, objective]` per sample.
fn summarise_totals(samples: impl Iterator<Item = [f64; 5]>) -> BTreeMap<String, Summary> {
    let samples: Vec<[f64; 5]> = samples.collect();
    let names = ["reach", "engagements", "conversions", "spend", "objective"];
    names
        .iter()
        .enumerate()
        .map(|(k, name)| {
            // Spend is a cost: its worst samples are the highest.
            let worst = if *name == "spend" {
                Worst::High
            } else {
                Worst::Low
            };
            let column: Vec<f64> = samples.iter().map(|x| x[k]).collect();
            (name.to_string(), summarise(&column, worst))
        })
        .collect()
}

/// The summary of a complete, index-ordered set of rows.
pub fn report(context: &Context, rows: &[SampleRow]) -> Report {
    let feasible: Vec<&SampleRow> = rows
        .iter()
        .filter(|r| r.reoptimized.as_ref().is_none_or(|d| d.feasible))
        .collect();
    let metrics = summarise_totals(
        feasible
            .iter()
            .map(|r| [r.reach, r.engagements, r.conversions, r.spend, r.objective]),
    );
    let targets = context
        .targets
        .iter()
        .map(|(goal, target)| {
            let met = rows
                .iter()
                .filter(|r| {
                    let v = match goal.as_str() {
                        "awareness" => r.reach,
                        "engagement" => r.engagements,
                        _ => r.conversions,
                    };
                    v >= *target * (1.0 - 1e-9)
                })
                .count();
            let (probability, probability_se) = share(met, rows.len());
            TargetChance {
                goal: goal.clone(),
                target: *target,
                probability,
                probability_se,
            }
        })
        .collect();
    let (over_budget, over_budget_se) = share(
        rows.iter()
            .filter(|r| r.spend > r.budget * (1.0 + 1e-9))
            .count(),
        rows.len(),
    );
    let reoptimize = (context.mode == Mode::Reoptimize).then(|| reopt_summary(context, rows));
    let robust = context.robust.as_ref().map(|plan| {
        let realised: Vec<(&SampleRow, &Realised)> = rows
            .iter()
            .filter_map(|r| r.robust.as_deref().map(|x| (r, x)))
            .collect();
        let metrics = summarise_totals(
            realised
                .iter()
                .map(|(_, x)| [x.reach, x.engagements, x.conversions, x.spend, x.objective]),
        );
        let over = realised
            .iter()
            .filter(|(r, x)| x.spend > r.budget * (1.0 + 1e-9))
            .count();
        let mut hires: Vec<String> = plan
            .posts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(j, n)| {
                format!(
                    "{} ({n} post{})",
                    context.creators[j].0,
                    if *n == 1 { "" } else { "s" }
                )
            })
            .collect();
        hires.extend(
            plan.hires
                .iter()
                .enumerate()
                .filter(|(_, z)| **z > 0)
                .map(|(t, z)| format!("{} x{z}", context.pools[t].0)),
        );
        let (over_budget, over_budget_se) = share(over, realised.len());
        RobustReport {
            plan: plan.clone(),
            hires,
            metrics,
            over_budget,
            over_budget_se,
        }
    });
    Report {
        scenario: context.scenario.clone(),
        mode: context.mode,
        seed: context.seed,
        samples: context.samples,
        nominal: context.nominal.clone(),
        metrics,
        targets,
        over_budget,
        over_budget_se,
        reoptimize,
        robust,
        tornado: context.tornado.clone(),
    }
}

fn reopt_summary(context: &Context, rows: &[SampleRow]) -> Reoptimization {
    let details: Vec<&ReoptRow> = rows
        .iter()
        .filter_map(|r| r.reoptimized.as_deref())
        .collect();
    let feasible: Vec<&ReoptRow> = details.iter().copied().filter(|d| d.feasible).collect();
    let mut creator_count = vec![0usize; context.creators.len()];
    let mut pool_count = vec![0usize; context.pools.len()];
    let mut pool_total = vec![0u64; context.pools.len()];
    for d in &feasible {
        for &j in &d.hired {
            creator_count[j as usize] += 1;
        }
        for (t, &z) in d.pool_hires.iter().enumerate() {
            if z > 0 {
                pool_count[t] += 1;
                pool_total[t] += u64::from(z);
            }
        }
    }
    let mut selection: Vec<Selection> = Vec::new();
    for (j, (name, tier)) in context.creators.iter().enumerate() {
        let in_nominal = context.nominal.posts.get(j).is_some_and(|&n| n > 0);
        if creator_count[j] > 0 || in_nominal {
            let (frequency, frequency_se) = share(creator_count[j], feasible.len());
            selection.push(Selection {
                kind: "creator".into(),
                name: name.clone(),
                tier: tier.clone(),
                frequency,
                frequency_se,
                mean_hired: if creator_count[j] > 0 { 1.0 } else { 0.0 },
                in_nominal,
            });
        }
    }
    for (t, (name, tier)) in context.pools.iter().enumerate() {
        let in_nominal = context.nominal.hires.get(t).is_some_and(|&z| z > 0);
        if pool_count[t] > 0 || in_nominal {
            let (frequency, frequency_se) = share(pool_count[t], feasible.len());
            selection.push(Selection {
                kind: "pool".into(),
                name: name.clone(),
                tier: tier.clone(),
                frequency,
                frequency_se,
                mean_hired: if pool_count[t] > 0 {
                    pool_total[t] as f64 / pool_count[t] as f64
                } else {
                    0.0
                },
                in_nominal,
            });
        }
    }
    selection.sort_by(|a, b| {
        b.frequency
            .total_cmp(&a.frequency)
            .then_with(|| a.name.cmp(&b.name))
    });
    let tier_share = context
        .tiers
        .iter()
        .enumerate()
        .map(|(t, tier)| {
            let shares: Vec<f64> = feasible
                .iter()
                .map(|d| {
                    let total: f64 = d.tier_spend.iter().sum();
                    if total > 0.0 {
                        d.tier_spend[t] / total
                    } else {
                        0.0
                    }
                })
                .collect();
            TierShareBand {
                tier: tier.clone(),
                share: summarise(&shares, Worst::Low),
            }
        })
        .filter(|b| b.share.mean > 0.0 || b.share.p95 > 0.0)
        .collect();
    Reoptimization {
        feasible: feasible.len() as u64,
        infeasible: (details.len() - feasible.len()) as u64,
        nominal_infeasible: details.iter().filter(|d| !d.nominal_feasible).count() as u64,
        nominal_objective: summarise(
            &details
                .iter()
                .map(|d| d.nominal_objective)
                .collect::<Vec<_>>(),
            Worst::Low,
        ),
        regret: summarise(
            &feasible.iter().filter_map(|d| d.regret).collect::<Vec<_>>(),
            Worst::High,
        ),
        selection,
        tier_share,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_of_plan_evaluation_stays_small() {
        // A million samples are held for their quantiles.
        assert!(std::mem::size_of::<SampleRow>() <= 72);
    }

    #[test]
    fn streams_are_xoshiro256plusplus_bit_for_bit() {
        use rand::{Rng, SeedableRng};
        let golden = 0x9E37_79B9_7F4A_7C15u64;
        for seed in [0, 1, 7, u64::MAX, golden.wrapping_neg(), mix(42)] {
            let mut reference = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
            let mut ours = Stream::seed_from_u64(seed);
            for _ in 0..64 {
                assert_eq!(ours.next_u64(), reference.next_u64(), "seed {seed}");
            }
            let (mut a, mut b) = ([0u8; 13], [0u8; 13]);
            ours.fill_bytes(&mut a);
            reference.fill_bytes(&mut b);
            assert_eq!(a, b);
        }
    }
}
