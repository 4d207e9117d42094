//! The map of weightings (`creatormix regions`) against exact solves: at
//! random weightings inside every region, the optimum is the region's plan;
//! a step to each side of every border between two regions gives each
//! side's plan; every region is a real one (its plan the only optimum at its
//! centre), and the regions tile the simplex.

mod common;

use std::path::Path;

use creatormix::explore::regions::{self, Region, Regions};
use creatormix::model::evaluate::evaluate;
use creatormix::model::{Goal, GoalKind, Scenario};
use creatormix::scenario;
use creatormix::solve::{self, Run, SolveSettings};

use common::Rng;

/// The optimum's value (scaled goals weighted by `lambda`) at a weighting
/// of the map's goals, by an exact solve.
fn optimum(s: &Scenario, map: &Regions, lambda: &[f64], settings: &SolveSettings) -> f64 {
    let backend = settings.solver.backend().unwrap();
    let program = backend.program(s);
    let run = Run::new(backend, settings);
    let mut weights = [0.0; 3];
    let mut best = [1.0; 3];
    for (i, g) in map.goals.iter().enumerate() {
        weights[g.index()] = lambda[i];
        best[g.index()] = map.best[i];
    }
    let goal = Goal::Normalised { weights, best };
    let solution = solve::optimise_goal(s, &program, &run, &goal, &[]).unwrap();
    let e = evaluate(s, &solution.decisions);
    map.goals
        .iter()
        .zip(lambda)
        .zip(&map.best)
        .map(|((g, l), b)| l * e.goal(*g) / b)
        .sum()
}

/// A region's value at a weighting.
fn value(r: &Region, lambda: &[f64]) -> f64 {
    r.attainment.iter().zip(lambda).map(|(y, l)| y * l).sum()
}

/// The region whose plan is best at a weighting.
fn best_region(map: &Regions, lambda: &[f64]) -> usize {
    (0..map.regions.len())
        .max_by(|&a, &b| value(&map.regions[a], lambda).total_cmp(&value(&map.regions[b], lambda)))
        .unwrap()
}

/// A random point of a region: a random convex combination of its corners.
fn inside(r: &Region, rng: &mut Rng) -> Vec<f64> {
    let w: Vec<f64> = r
        .vertices
        .iter()
        .map(|_| -rng.unit().max(1e-12).ln())
        .collect();
    let total: f64 = w.iter().sum();
    let k = r.centre.len();
    (0..k)
        .map(|i| {
            r.vertices
                .iter()
                .zip(&w)
                .map(|(v, a)| v[i] * a / total)
                .sum()
        })
        .collect()
}

/// Checks a map on `per_region` random weightings per region and both
/// sides of every border; returns the weightings checked.
fn check(s: &Scenario, goals: &[GoalKind], per_region: usize, seed: u64) -> usize {
    let settings = SolveSettings::default();
    let map = regions::run(s, goals, &settings).unwrap();
    let tolerance = 1e-5;
    let mut rng = Rng::new(seed);
    let mut checked = 0;
    // The regions tile the simplex.
    let covered: f64 = map.regions.iter().map(|r| r.share).sum();
    assert!(
        (covered - 1.0).abs() < 1e-6,
        "{}: shares sum to {covered}",
        s.name
    );
    // The scenario's own weighting keeps its plan until its margin, and
    // the next region's plan takes over just beyond.
    if let Some((own, m)) = map
        .scenario_weights
        .as_ref()
        .and_then(|own| own.margin.as_ref().map(|m| (own, m)))
    {
        let from = goals.iter().position(|g| *g == m.from).unwrap();
        let to = goals.iter().position(|g| *g == m.to).unwrap();
        for (shift, region) in [
            (m.shift * 0.99, own.region - 1),
            (m.shift * 1.01 + 1e-6, m.region.unwrap() - 1),
        ] {
            let mut lambda = own.weights.clone();
            lambda[from] -= shift;
            lambda[to] += shift;
            if lambda[from] < 0.0 {
                continue;
            }
            let opt = optimum(s, &map, &lambda, &settings);
            let want = value(&map.regions[region], &lambda);
            assert!(
                (opt - want).abs() <= tolerance * opt.abs().max(1e-9),
                "{}: a shift of {shift} from the scenario's weighting: optimum {opt}, region {}'s plan {want}",
                s.name,
                region + 1
            );
            checked += 1;
        }
    }
    for (i, r) in map.regions.iter().enumerate() {
        for _ in 0..per_region {
            let lambda = inside(r, &mut rng);
            let opt = optimum(s, &map, &lambda, &settings);
            assert!(
                (opt - value(r, &lambda)).abs() <= tolerance * opt.abs().max(1e-9),
                "{}: region {} at {lambda:?}: optimum {opt}, region's plan {}",
                s.name,
                i + 1,
                value(r, &lambda)
            );
            checked += 1;
        }
        // Its plan alone is optimal at its centre: the region is real.
        for (j, other) in map.regions.iter().enumerate() {
            if j != i {
                assert!(
                    value(r, &r.centre) > value(other, &r.centre),
                    "{}: region {} ties region {} at its centre",
                    s.name,
                    i + 1,
                    j + 1
                );
            }
        }
        // Each edge's midpoint, stepped inward and outward: inside, this
        // region's plan; outside (unless the edge is the simplex's), the
        // neighbour's.
        let n = r.vertices.len();
        let edges = if n == 2 { 2 } else { n };
        for e in 0..edges {
            let m: Vec<f64> = if n == 2 {
                r.vertices[e].clone()
            } else {
                let (a, b) = (&r.vertices[e], &r.vertices[(e + 1) % n]);
                a.iter().zip(b).map(|(x, y)| (x + y) / 2.0).collect()
            };
            let towards: Vec<f64> = r.centre.iter().zip(&m).map(|(c, x)| c - x).collect();
            let length = towards.iter().map(|x| x * x).sum::<f64>().sqrt();
            let step = 1e-3 / length.max(1e-12);
            for side in [1.0, -1.0] {
                let lambda: Vec<f64> = m
                    .iter()
                    .zip(&towards)
                    .map(|(x, t)| x + side * step * t)
                    .collect();
                if lambda.iter().any(|&l| l < 0.0) {
                    continue; // beyond the simplex: no neighbour there
                }
                let expected = best_region(&map, &lambda);
                if side > 0.0 {
                    assert_eq!(
                        expected,
                        i,
                        "{}: the inward step leaves region {}",
                        s.name,
                        i + 1
                    );
                }
                let opt = optimum(s, &map, &lambda, &settings);
                let want = value(&map.regions[expected], &lambda);
                assert!(
                    (opt - want).abs() <= tolerance * opt.abs().max(1e-9),
                    "{}: near the border of region {} at {lambda:?}: optimum {opt}, region {}'s plan {want}",
                    s.name,
                    i + 1,
                    expected + 1
                );
                checked += 1;
            }
        }
    }
    checked
}

fn load(path: &str) -> Scenario {
    scenario::load(Path::new(path)).unwrap()
}

#[test]
fn every_weighting_inside_a_region_has_its_plan_as_the_optimum() {
    let (a, e, c) = (
        GoalKind::Awareness,
        GoalKind::Engagement,
        GoalKind::Conversions,
    );
    let mut checked = 0;
    checked += check(
        &load("scenarios/ten-micro-vs-one-mega.yaml"),
        &[a, c],
        40,
        1,
    );
    checked += check(&load("scenarios/product-launch.yaml"), &[a, c], 40, 2);
    checked += check(&load("scenarios/product-launch.yaml"), &[a, e, c], 40, 3);
    checked += check(&load("scenarios/thousand-vs-one.yaml"), &[e, a, c], 20, 4);
    assert!(checked >= 400, "{checked} weightings checked");
}

/// Two plans whose regions meet exactly where the goals' scaled values say:
/// `mega` (1, 0.6636…) against `micro` (0.3383…, 1) cross at awareness
/// 0.3364 / 0.9981.
#[test]
fn two_goals_meet_at_the_exact_breakpoint() {
    let s = load("scenarios/ten-micro-vs-one-mega.yaml");
    let map = regions::run(
        &s,
        &[GoalKind::Awareness, GoalKind::Conversions],
        &SolveSettings::default(),
    )
    .unwrap();
    assert_eq!(map.regions.len(), 2);
    let (mega, micro) = (&map.regions[0].attainment, &map.regions[1].attainment);
    // λ·mega = λ·micro with λ = (x, 1 − x).
    let x = (micro[1] - mega[1]) / (mega[0] - micro[0] + micro[1] - mega[1]);
    let border = map.regions[0]
        .vertices
        .iter()
        .map(|v| v[0])
        .fold(f64::MAX, f64::min);
    assert!((border - x).abs() < 1e-9, "border {border}, expected {x}");
}

/// A scenario whose goal is stated in money or as targets is mapped too
/// (the map scales every goal by its G*); it has no weighting of its own on
/// it.
#[test]
fn any_scenario_can_be_mapped() {
    let s = load("scenarios/cheapest-launch.yaml");
    let goals = [GoalKind::Awareness, GoalKind::Conversions];
    let map = regions::run(&s, &goals, &SolveSettings::default()).unwrap();
    assert!(map.scenario_weights.is_none());
    assert!(!map.regions.is_empty());
    check(&s, &goals, 10, 5);
}

/// A random scenario whose creators trade the goals off: reach, engagement
/// and conversion rates drawn independently, prices from followers, a
/// budget for about a third of them, sometimes a creator cap, an audience
/// group and repeat decay.
fn trade_off_scenario(seed: u64) -> String {
    let mut r = Rng::new(seed);
    let n = 5 + r.int(0, 5);
    let mut y =
        String::from("goal: { weights: { awareness: 1, engagement: 1, conversions: 1 } }\n");
    if r.chance(0.5) {
        y.push_str(&format!("repeat_decay: {:.2}\n", 0.5 + 0.5 * r.unit()));
    }
    if r.chance(0.5) {
        y.push_str(&format!(
            "limits: {{ max_creators: {} }}\n",
            2 + r.int(0, 3)
        ));
    }
    let grouped = r.chance(0.5);
    if grouped {
        y.push_str(&format!(
            "audiences: {{ fans: {{ size: {} }} }}\n",
            r.int(5_000, 60_000)
        ));
    }
    y.push_str("creators:\n");
    let mut total = 0.0;
    for i in 0..n {
        let followers = r.int(2_000, 400_000);
        let price = (followers as f64 * (0.005 + 0.02 * r.unit()))
            .round()
            .max(10.0);
        let posts = 1 + r.int(0, 2);
        total += price * posts as f64;
        y.push_str(&format!(
            "  - {{ handle: c{i}, followers: {followers}, price_per_post: {price}, \
             reach_rate: {:.3}, engagement_rate: {:.3}, conversion_rate: {:.3}, max_posts: {posts}{} }}\n",
            0.1 + 0.5 * r.unit(),
            0.01 + 0.09 * r.unit(),
            0.002 + 0.05 * r.unit(),
            if grouped && r.chance(0.5) { ", audience: fans" } else { "" }
        ));
    }
    format!(
        "budget: {}\n{y}",
        (total * (0.2 + 0.3 * r.unit())).round().max(50.0)
    )
}

/// Random scenarios whose creators trade the goals off: the map of all
/// three goals, and of two, holds at random weightings and at every border.
#[test]
fn random_scenarios_map_exactly() {
    let mut mapped = 0;
    let mut several = 0;
    for seed in 0..40 {
        let text = trade_off_scenario(seed);
        let s = scenario::load_str(&text, Path::new("random.yaml"))
            .unwrap_or_else(|e| panic!("seed {seed}: {e}\n{text}"));
        let goals: &[GoalKind] = if seed % 3 == 0 {
            &[GoalKind::Conversions, GoalKind::Awareness]
        } else {
            &GoalKind::ALL
        };
        let map = regions::run(&s, goals, &SolveSettings::default())
            .unwrap_or_else(|e| panic!("seed {seed}: {e}\n{text}"));
        several += usize::from(map.regions.len() > 2);
        check(&s, goals, 5, seed);
        mapped += 1;
    }
    assert!(several >= 10, "{mapped} mapped, {several} with 3+ regions");
}

/// `solve`'s weight margin is the map's: the same shift, between the same
/// goals, to the same mix, found with only the plan's own region drawn.
#[test]
fn solve_reports_the_margin_the_map_shows() {
    let s = load("scenarios/product-launch.yaml");
    let settings = SolveSettings::default();
    let map = regions::run(&s, &GoalKind::ALL, &settings).unwrap();
    let plan = creatormix::plan::solve(&s, &settings).unwrap();
    let margin = regions::weight_margin(&s, &plan, &settings)
        .unwrap()
        .expect("a margin");
    let own = map
        .scenario_weights
        .as_ref()
        .and_then(|p| p.margin.as_ref())
        .unwrap();
    assert!(
        (margin.shift - own.shift).abs() < 1e-9,
        "{margin:?} vs {own:?}"
    );
    assert_eq!((margin.from, margin.to), (own.from, own.to));
    assert_eq!(margin.mix, own.mix);
}
