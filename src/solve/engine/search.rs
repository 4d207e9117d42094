//! The search tree: best bound first with dives, each node bounded by its
//! tuned relaxation, pruned against the best plan in hand, narrowed by
//! reduced-cost fixing, and split where the relaxation is undecided.

use std::collections::BinaryHeap;
use std::rc::Rc;
use std::time::Instant;

use super::dual::{Buffers, Coord};
use super::groups::GroupScratch;
use super::problem::{Problem, Totals};
use super::relax::{Domain, Multipliers, Relaxed, meet};
use crate::model::Decisions;

/// Most steps of each line search at the root, and at every other node
/// (which starts from its parent's multipliers); rounds of line
/// searches over every multiplier at the root (one at other nodes).
const ROOT_STEPS: usize = 60;
const ROOT_PASSES: usize = 8;
const NODE_STEPS: usize = 30;

/// Nodes at which the group bound is always computed, before its record
/// decides.
const GROUP_TRIAL: usize = 8;

/// Most relaxations of the cutting-plane polish of the root's multipliers.
const POLISH_ROUNDS: usize = 200;

/// A plan the search found.
#[derive(Debug, Clone)]
pub struct Found {
    /// The plan.
    pub decisions: Decisions,
    /// Its objective, in the scenario's terms (spend when minimising it).
    pub objective: f64,
}

/// How a search ended.
#[derive(Debug, Clone)]
pub enum Search {
    /// The best plan, proven within the gap.
    Optimal {
        /// The plan.
        found: Found,
        /// The relative gap proven: how far above the plan's objective
        /// (below its spend) the best bound of any pruned node lies.
        gap: f64,
        /// Nodes explored.
        nodes: usize,
    },
    /// No plan satisfies the rows.
    Infeasible {
        /// Nodes explored.
        nodes: usize,
    },
    /// Stopped at the node limit or the deadline.
    Stopped {
        /// The best plan found, if any.
        found: Option<Found>,
        /// A bound on every plan's objective, in the scenario's terms (an
        /// upper bound when maximising, a lower one on spend).
        bound: f64,
        /// Nodes explored.
        nodes: usize,
    },
}

/// A branching decision: an item's count range or a tier's hire-count
/// range, narrowed. A node is the root's domain with its decisions, linked
/// back to the root so that a waiting node costs a few words.
#[derive(Debug)]
struct Decision {
    what: Narrow,
    parent: Option<Rc<Decision>>,
}

/// What a decision narrows.
#[derive(Debug, Clone, Copy)]
enum Narrow {
    Count(usize, (u32, u32)),
    Tier(usize, (u32, u32)),
}

impl Narrow {
    /// Narrows a domain (intersects, so the order of decisions does not
    /// matter).
    fn apply(self, dom: &mut Domain) {
        dom.settled = false;
        match self {
            Narrow::Count(i, range) => meet(&mut dom.counts[i], range),
            Narrow::Tier(t, range) => {
                meet(&mut dom.tiers[t], range);
                dom.counted = true;
            }
        }
    }
}

/// A node still to be explored.
struct Node {
    /// Its domain, when it is the next node of a dive; else rebuilt from
    /// the root's and the decisions.
    dom: Option<Domain>,
    /// A waiting node's parent's open items and their ranges, as fixing
    /// left them (valid for the whole subtree): the rebuilt domain starts
    /// as narrow as the parent ended. Kept only where few items are open.
    narrowed: Option<Narrowed>,
    decisions: Option<Rc<Decision>>,
    mul: Multipliers,
    /// Its parent's bound.
    bound: f64,
}

/// Most open items a waiting node keeps the ranges of (12 bytes each),
/// and most kept by all waiting nodes together (about 100 MB).
const NARROWED_ITEMS: usize = 4096;
const NARROWED_TOTAL: usize = 8_000_000;

/// A domain's open items with their count ranges, and its tier ranges.
struct Narrowed {
    live: Vec<(u32, (u32, u32))>,
    tiers: Vec<(u32, u32)>,
    counted: bool,
}

impl Narrowed {
    /// The open part of a domain, if small enough to keep with `kept`
    /// items kept already (which it then counts in).
    fn of(dom: &Domain, kept: &mut usize) -> Option<Narrowed> {
        let n = dom.live.len();
        if n > NARROWED_ITEMS || *kept + n > NARROWED_TOTAL {
            return None;
        }
        *kept += n;
        Some(Narrowed {
            live: dom
                .live
                .iter()
                .map(|&i| (i, dom.counts[i as usize]))
                .collect(),
            tiers: dom.tiers.clone(),
            counted: dom.counted,
        })
    }

    /// Items kept.
    fn len(&self) -> usize {
        self.live.len()
    }

    /// Narrows a domain to these ranges: items not open here are closed.
    fn apply(&self, p: &Problem, dom: &mut Domain) {
        let mut kept = self.live.iter().peekable();
        for &i in &dom.live {
            while kept.next_if(|(k, _)| *k < i).is_some() {}
            match kept.peek() {
                Some(&&(k, range)) if k == i => meet(&mut dom.counts[i as usize], range),
                _ => dom.counts[i as usize] = (0, 0),
            }
        }
        p.settle(dom);
        for (t, &range) in dom.tiers.iter_mut().zip(&self.tiers) {
            meet(t, range);
        }
        dom.counted |= self.counted;
    }
}

/// Waiting nodes, best bound first.
struct Waiting(Node);

impl PartialEq for Waiting {
    fn eq(&self, other: &Self) -> bool {
        self.0.bound.total_cmp(&other.0.bound).is_eq()
    }
}

impl Eq for Waiting {}

impl PartialOrd for Waiting {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Waiting {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.bound.total_cmp(&other.0.bound)
    }
}

/// The best plan in hand.
struct Incumbent {
    value: f64,
    choice: Vec<u32>,
}

impl Incumbent {
    /// The plan in the scenario's terms.
    fn found(&self, p: &Problem) -> Found {
        Found {
            decisions: p.decisions(&self.choice),
            objective: p.reported(self.value),
        }
    }
}

/// Solves a problem to a relative gap, from the best of the plans given.
pub fn search(
    p: &Problem,
    starts: &[&Decisions],
    gap: f64,
    node_limit: usize,
    deadline: Option<Instant>,
) -> Search {
    let mut buffers = Buffers::default();
    let mut groups = GroupScratch::default();
    let (mut group_tried, mut group_useful) = (0usize, 0usize);
    // The relaxation's choice with the group bound's members (reused).
    let mut group_plan: Vec<u32> = Vec::new();
    let mut totals = Totals::default();
    let mut incumbent: Option<Incumbent> = None;
    // Keeps a choice if it is a plan better than the one in hand.
    let offer = |incumbent: &mut Option<Incumbent>, choice: &[u32], totals: &mut Totals| {
        p.totals(choice, totals);
        if !p.is_plan(choice, totals) {
            return None;
        }
        let value = p.objective(totals);
        if incumbent.as_ref().is_none_or(|z| value > z.value) {
            *incumbent = Some(Incumbent {
                value,
                choice: choice.to_vec(),
            });
        }
        Some(value)
    };
    for d in starts {
        if let Some(choice) = p.encode(d) {
            offer(&mut incumbent, &choice, &mut totals);
        }
    }
    let tolerance = |z: f64| gap * z.abs() + 1e-12 * z.abs().max(1e-300);
    // Whether a bound leaves nothing to find beyond the plan in hand.
    // Also keeps the largest bound of a node pruned against a plan: what the plan is
    // proven against.
    let mut proven = f64::NEG_INFINITY;
    let mut prunes = |incumbent: &Option<Incumbent>, bound: f64| {
        let pruned = incumbent
            .as_ref()
            .is_some_and(|z| bound <= z.value + tolerance(z.value));
        if pruned {
            proven = proven.max(bound);
        }
        pruned
    };
    let coords = p.coords();
    let mut mul = p.zero_multipliers();
    let root = p.root();
    let mut best = Relaxed::default();
    p.relax(&root, &mul, &mut best, &mut buffers.scratch);
    if !best.empty {
        p.tune(
            &root,
            &mut mul,
            &coords,
            &mut best,
            &mut buffers,
            ROOT_PASSES,
            ROOT_STEPS,
        );
        p.polish(
            &root,
            &mut mul,
            &coords,
            &mut best,
            &mut buffers,
            POLISH_ROUNDS,
        );
    }
    // The root's domain, narrowed by what it fixes: every waiting node's
    // domain is this one with its decisions.
    let mut base = root.clone();
    // The root's multipliers and relaxation, and the plan value `base` was
    // last fixed against.
    let mut root_fix: Option<(Multipliers, Relaxed, Option<f64>)> = None;
    let mut waiting: BinaryHeap<Waiting> = BinaryHeap::new();
    let mut next = Some(Node {
        dom: Some(root),
        narrowed: None,
        decisions: None,
        mul,
        bound: f64::INFINITY,
    });
    let mut nodes = 0usize;
    // Open items kept by waiting nodes.
    let mut narrowed_kept = 0usize;
    // Best first, diving: the better child of a node is explored next, the
    // other waits; when a dive ends, the waiting node of the best bound.
    loop {
        let node = match next.take() {
            Some(node) => node,
            None => match waiting.pop() {
                Some(Waiting(node)) => node,
                None => break,
            },
        };
        narrowed_kept -= node.narrowed.as_ref().map_or(0, Narrowed::len);
        if prunes(&incumbent, node.bound) {
            continue;
        }
        nodes += 1;
        let late = nodes.is_multiple_of(64) && deadline.is_some_and(|d| Instant::now() >= d);
        if nodes > node_limit || late {
            let open = waiting
                .iter()
                .map(|n| n.0.bound)
                .chain(std::iter::once(node.bound))
                .fold(f64::NEG_INFINITY, f64::max);
            let bound = incumbent.as_ref().map_or(open, |z| open.max(z.value));
            return Search::Stopped {
                found: incumbent.map(|z| z.found(p)),
                bound: p.reported(bound),
                nodes,
            };
        }
        let Node {
            dom,
            narrowed,
            decisions,
            mut mul,
            bound: parent_bound,
        } = node;
        let mut dom = dom.unwrap_or_else(|| {
            let mut dom = base.clone();
            if let Some(narrowed) = &narrowed {
                narrowed.apply(p, &mut dom);
            }
            let mut at = decisions.as_deref();
            while let Some(d) = at {
                d.what.apply(&mut dom);
                at = d.parent.as_deref();
            }
            dom
        });
        if !dom.settled {
            p.settle(&mut dom);
        }
        p.relax(&dom, &mul, &mut best, &mut buffers.scratch);
        if best.empty {
            continue;
        }
        // Fixing at the inherited multipliers first shrinks what tuning
        // relaxes again and again.
        if let Some(z) = &incumbent
            && nodes > 1
        {
            p.fix(&mut dom, &mul, &best, z.value + tolerance(z.value));
            p.relax(&dom, &mul, &mut best, &mut buffers.scratch);
            if best.empty {
                continue;
            }
        }
        if nodes > 1 {
            p.tune(
                &dom,
                &mut mul,
                &coords,
                &mut best,
                &mut buffers,
                1,
                NODE_STEPS,
            );
        }
        if best.bound.is_nan() || best.empty {
            continue;
        }
        // The group bound, while it earns its cost: at the first nodes, and
        // after that while it closes a tenth of the gap left at one node in
        // eight where it is tried.
        let group = if nodes <= GROUP_TRIAL || group_useful * 8 >= group_tried {
            group_tried += 1;
            let g = p.group_bound(&dom, &mul, &best, &mut groups);
            let gap = incumbent
                .as_ref()
                .map_or(0.0, |z| (best.bound - z.value).max(0.0));
            if best.bound - g > (0.1 * gap).max(1e-9 * best.magnitude) {
                group_useful += 1;
            }
            g
        } else {
            groups.forget();
            f64::INFINITY
        };
        // The node's plans are its parent's too: its bound is no better.
        let bound = p.sharpen(best.bound.min(group).min(parent_bound));
        // No plan of the node can score below the floor.
        if bound < p.floor - 1e-9 * best.magnitude.max(p.floor.abs()) {
            continue;
        }
        if prunes(&incumbent, bound) {
            continue;
        }
        if let Some(z) = &incumbent {
            p.group_fix(&mut dom, &groups, z.value + tolerance(z.value));
            p.fix(&mut dom, &mul, &best, z.value + tolerance(z.value));
        }
        let plan = offer(&mut incumbent, &best.choice, &mut totals).is_some();
        if !plan && let Some(x) = p.round(&best.choice, &dom, &mut totals) {
            offer(&mut incumbent, &x, &mut totals);
        }
        // The relaxation's choice with each audience group's members as the
        // group bound chose them: whole hires where the relaxation may
        // split one at a cap.
        if !plan && groups.complete {
            let x = &mut group_plan;
            x.clone_from(&best.choice);
            for &i in &dom.live {
                if p.items[i as usize].group.is_some() {
                    x[i as usize] = 0;
                }
            }
            for &(i, n) in &groups.choice {
                x[i as usize] = n;
            }
            if offer(&mut incumbent, x, &mut totals).is_none()
                && let Some(x) = p.round(x, &dom, &mut totals)
            {
                offer(&mut incumbent, &x, &mut totals);
            }
        }

        if prunes(&incumbent, bound) {
            continue;
        }
        if nodes == 1 {
            // The root's relaxation fixes the domain every waiting node
            // starts from, again whenever a better plan is found.
            base.clone_from(&dom);
            root_fix = Some((
                mul.clone(),
                best.clone(),
                incumbent.as_ref().map(|z| z.value),
            ));
        }
        if let Some((root_mul, root_best, fixed_at)) = &mut root_fix
            && let Some(z) = &incumbent
            && fixed_at.is_none_or(|v| z.value > v)
        {
            p.fix(&mut base, root_mul, root_best, z.value + tolerance(z.value));
            *fixed_at = Some(z.value);
        }
        let Some([wait, dive]) = branch(p, &dom, &mul, &best, &coords, &mut buffers) else {
            // Every count fixed: the node is its one plan.
            let choice: Vec<u32> = dom.counts.iter().map(|&(lo, _)| lo).collect();
            offer(&mut incumbent, &choice, &mut totals);
            continue;
        };
        waiting.push(Waiting(Node {
            dom: None,
            narrowed: Narrowed::of(&dom, &mut narrowed_kept),
            decisions: Some(Rc::new(Decision {
                what: wait,
                parent: decisions.clone(),
            })),
            mul: mul.clone(),
            bound,
        }));
        dive.apply(&mut dom);
        next = Some(Node {
            dom: Some(dom),
            narrowed: None,
            decisions: Some(Rc::new(Decision {
                what: dive,
                parent: decisions,
            })),
            mul,
            bound,
        });
    }
    match incumbent {
        Some(z) => Search::Optimal {
            // A bound above the plan by round-off alone (value less spend
            // cancels digits) proves it exactly.
            gap: if proven > z.value + 1e-12 * z.value.abs() {
                (proven - z.value) / z.value.abs().max(1e-300)
            } else {
                0.0
            },
            found: z.found(p),
            nodes,
        },
        None => Search::Infeasible { nodes },
    }
}

/// Splits a node where the relaxation is undecided (the first decision
/// waits, the second is explored next): on a tier's hire count where the
/// selections on either side of a multiplier differ (of those, the tier
/// whose spend differs most between the sides: a mega-creator's tier
/// before a nano-creator's, since one hire or none there moves the bound
/// most), then on the costliest item that differs between the two sides
/// of any multiplier, else on the costliest open item the relaxation
/// hires, else on the first open item. `None` when every count is fixed.
fn branch(
    p: &Problem,
    dom: &Domain,
    mul: &Multipliers,
    best: &Relaxed,
    coords: &[Coord],
    buffers: &mut Buffers,
) -> Option<[Narrow; 2]> {
    let Buffers {
        point: work,
        scratch,
        ..
    } = buffers;
    let open = |i: usize| dom.counts[i].0 < dom.counts[i].1;
    let mut differ = vec![0u32; p.items.len()];
    let mut any = false;
    // The tier split whose sides differ by the most spend: (spend, split).
    let mut tier_split: Option<(f64, [Narrow; 2])> = None;
    for &coord in coords {
        let x = match coord {
            Coord::Lam => mul.lam,
            Coord::Nu(r) => mul.nu[r],
            Coord::Mu(r) => mul.mu[r],
            Coord::Tau(g) => mul.tau[g],
            Coord::Pi(_) => continue,
        };
        if x <= 0.0 {
            continue;
        }
        let mut sides: [Option<Relaxed>; 2] = [None, None];
        for (side, factor) in sides.iter_mut().zip([1.0 - 1e-7, 1.0 + 1e-7]) {
            let mut m = mul.clone();
            match coord {
                Coord::Lam => m.lam *= factor,
                Coord::Nu(r) => m.nu[r] *= factor,
                Coord::Mu(r) => m.mu[r] *= factor,
                Coord::Tau(g) => m.tau[g] *= factor,
                Coord::Pi(_) => {}
            }
            p.relax(dom, &m, work, scratch);
            if !work.empty {
                *side = Some(work.clone());
            }
        }
        let [Some(a), Some(b)] = sides else {
            continue;
        };
        for t in 0..p.tiers {
            let (ka, kb) = (a.totals.tier_hires[t], b.totals.tier_hires[t]);
            let below = ka.min(kb);
            let (kmin, kmax) = dom.tiers[t];
            if ka == kb || below < kmin || below >= kmax {
                continue;
            }
            let spend = (a.totals.tier_spend[t] - b.totals.tier_spend[t]).abs();
            if tier_split.as_ref().is_none_or(|(s, _)| spend > *s) {
                tier_split = Some((
                    spend,
                    [
                        Narrow::Tier(t, (kmin, below)),
                        Narrow::Tier(t, (below + 1, kmax)),
                    ],
                ));
            }
        }
        for &i in &dom.live {
            let i = i as usize;
            let (x, y) = (a.choice[i], b.choice[i]);
            if x != y && open(i) {
                differ[i] = differ[i].max(x.max(y));
                any = true;
            }
        }
    }
    if let Some((_, split)) = tier_split {
        return Some(split);
    }
    // The costliest open item with the count `n_of` gives it (0: not a
    // candidate).
    let costliest = |n_of: &dyn Fn(usize) -> u32| {
        let cost = |i: usize| p.items[i].option(n_of(i)).0;
        dom.live
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| open(i) && n_of(i) > 0)
            .max_by(|&a, &b| cost(a).total_cmp(&cost(b)))
            .map(|i| (i, n_of(i)))
    };
    let pick = any
        .then(|| costliest(&|i| differ[i]))
        .flatten()
        .or_else(|| costliest(&|i| best.choice[i]))
        .or_else(|| {
            let i = dom.live.iter().map(|&i| i as usize).find(|&i| open(i))?;
            Some((i, best.choice[i]))
        });
    let (i, n) = pick?;
    let (lo, hi) = dom.counts[i];
    // Split below that count: [lo, n − 1] and [n, hi].
    let split = if n > lo { n - 1 } else { lo };
    Some([
        Narrow::Count(i, (lo, split)),
        Narrow::Count(i, (split + 1, hi)),
    ])
}
