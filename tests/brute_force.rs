//! The solver against exhaustive enumeration: on tiny random scenarios every
//! plan is enumerated, scored with MODEL.md's objective (G* found by
//! enumeration too), and the best must equal the solver's optimum; a
//! scenario with no feasible plan must be reported infeasible. Run for every
//! solver compiled in.

mod common;

use std::path::Path;

use creatormix::model::evaluate::{check, evaluate};
use creatormix::model::{Decisions, GoalKind, Objective, Scenario};
use creatormix::plan::{self, Plan};
use creatormix::program::{self, Formulation, Reduce};
use creatormix::solve::{SolveSettings, SolverChoice, optimise, optimise_program};
use creatormix::{Error, scenario};

use common::enumerate::{all_plans, brute_force};
use common::{Size, random_scenario};

/// What one random case showed.
enum Case {
    /// Both found the same optimum.
    Agreed,
    /// Both found no feasible plan.
    Infeasible,
    /// Not applicable to this scenario.
    Skipped,
    /// They differ.
    Mismatch(String),
}

/// Runs `case` on the random scenarios of `seeds` (4 creators of up to 2
/// posts, a pool of 2) with one solver, and fails on any mismatch or when
/// the sample lacks feasible or infeasible cases.
fn on_random_scenarios(
    settings: SolveSettings,
    seeds: std::ops::Range<u64>,
    case: impl Fn(u64, Scenario, &SolveSettings) -> Case,
) {
    let size = random_size();
    let mut failures = Vec::new();
    let (mut feasible, mut infeasible) = (0, 0);
    for seed in seeds {
        let text = random_scenario(seed, &size);
        let s = scenario::load_str(&text, Path::new("random.yaml"))
            .unwrap_or_else(|e| panic!("seed {seed}: generated scenario invalid: {e}\n{text}"));
        match case(seed, s, &settings) {
            Case::Agreed => feasible += 1,
            Case::Infeasible => infeasible += 1,
            Case::Skipped => {}
            Case::Mismatch(m) => failures.push(format!("seed {seed}: {m}\n{text}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        feasible > 20 && infeasible > 0,
        "the sample covers both outcomes ({feasible} feasible, {infeasible} infeasible)"
    );
}

/// The solver's plan: the backend's own program, or the one given.
fn solve_with(
    s: &Scenario,
    settings: &SolveSettings,
    form: Option<(Formulation, Reduce)>,
) -> Result<Plan, Error> {
    let outcome = match form {
        None => optimise(s, settings),
        Some((form, reduce)) => {
            let backend = settings.solver.backend()?;
            optimise_program(s, &program::build(s, form, reduce), backend, settings)
        }
    };
    outcome.and_then(|o| Plan::new(s, &o, settings.mip_gap))
}

/// Default settings with one solver.
fn with(choice: SolverChoice) -> SolveSettings {
    SolveSettings {
        solver: choice,
        ..SolveSettings::default()
    }
}

/// HiGHS with every roster screened by the LP relaxation and solved on the
/// tightest shortlist (the offers the relaxation uses), so each case goes
/// through the screen, the check of the offers left out and, where that
/// fails, the second shortlist or the whole program.
#[cfg(feature = "highs")]
fn shortlisted() -> SolveSettings {
    SolveSettings {
        shortlist_from: 0,
        ..with(SolverChoice::Highs)
    }
}

fn compare_on(
    settings: SolveSettings,
    seeds: std::ops::Range<u64>,
    form: Option<(Formulation, Reduce)>,
) {
    compare_on_with(settings, seeds, form, |_, s| s);
}

/// Each creator of a random scenario in one or two copies (handles made
/// unique), up to eight creators: classes of identical creators to merge.
fn with_copies(seed: u64, mut s: Scenario) -> Scenario {
    let originals = s.creators.clone();
    for (j, c) in originals.iter().enumerate() {
        if (seed >> j) & 1 == 1 || j == 0 {
            let mut copy = c.clone();
            copy.handle = format!("{}-copy", c.handle);
            s.creators.push(copy);
        }
    }
    s
}

/// [`compare_on`] with each scenario changed by `prepare` (seed, scenario).
fn compare_on_with(
    settings: SolveSettings,
    seeds: std::ops::Range<u64>,
    form: Option<(Formulation, Reduce)>,
    prepare: fn(u64, Scenario) -> Scenario,
) {
    on_random_scenarios(settings, seeds, |seed, s, settings| {
        let s = prepare(seed, s);
        let expected = brute_force(&s);
        // The budget-only fractional relaxation bounds every plan.
        if let (Objective::Values(_) | Objective::Profit(_), Some(best)) = (&s.objective, expected)
        {
            let bound = creatormix::solve::greedy::upper_bound(&s, s.goal(None).linear());
            assert!(
                bound >= best - 1e-9 * best.abs().max(1.0),
                "seed {seed}: bound {bound} < optimum {best}"
            );
        }
        let got = solve_with(&s, settings, form);
        match (expected, got) {
            (None, Err(Error::Infeasible(_))) => Case::Infeasible,
            (Some(best), Ok(plan))
                if (best - plan.objective).abs() <= 1e-6 * best.abs().max(1.0) =>
            {
                Case::Agreed
            }
            (expected, got) => Case::Mismatch(format!(
                "enumeration {expected:?}, solver {:?}",
                got.map(|p| p.objective)
            )),
        }
    })
}

#[test]
fn microlp_matches_enumeration() {
    compare_on(with(SolverChoice::Microlp), 0..300, None);
}

/// Every formulation of MODEL.md's posts (integer counts, one binary per
/// post, or one binary per post count), with and without leaving out what
/// no plan can use (unaffordable posts, excluded creators, creators with no
/// outcome), reach the enumerated optimum, whichever the backend would
/// choose.
#[test]
fn every_formulation_matches_enumeration() {
    for form in [
        Formulation::Counts,
        Formulation::Chains,
        Formulation::Choices,
        Formulation::AllChoices,
    ] {
        for reduce in [Reduce::Yes, Reduce::No] {
            compare_on(with(SolverChoice::Microlp), 300..450, Some((form, reduce)));
        }
    }
}

/// Identical creators merged into classes, in every formulation, reach the
/// enumerated optimum, and the plan read back hires named creators within
/// their limits (Plan::new re-checks every constraint).
#[test]
fn merged_copies_match_enumeration() {
    let merged = (0..100)
        .filter(|&seed| {
            let text = common::random_scenario(seed, &random_size());
            let s = scenario::load_str(&text, Path::new("random.yaml")).unwrap();
            !program::build(&with_copies(seed, s), Formulation::Counts, Reduce::Merge)
                .map
                .classes
                .is_empty()
        })
        .count();
    assert!(merged > 40, "only {merged} scenarios with a class");
    for form in [
        Formulation::Counts,
        Formulation::Chains,
        Formulation::Choices,
        Formulation::AllChoices,
    ] {
        compare_on_with(
            with(SolverChoice::Microlp),
            0..100,
            Some((form, Reduce::Merge)),
            with_copies,
        );
    }
}

/// The size [`on_random_scenarios`] draws: 4 creators of up to 2 posts, a
/// pool of 2.
fn random_size() -> Size {
    Size {
        creators: 4,
        max_posts: 2,
        pools: 1,
        available: 2,
    }
}

#[cfg(feature = "highs")]
#[test]
fn highs_matches_enumeration() {
    compare_on(with(SolverChoice::Highs), 0..300, None);
}

#[cfg(feature = "highs")]
#[test]
fn highs_on_a_shortlist_matches_enumeration() {
    compare_on(shortlisted(), 0..300, None);
}

/// The screen on the choice formulations (what HiGHS screens large rosters
/// on): a creator's bound is the best over its post counts.
#[cfg(feature = "highs")]
#[test]
fn highs_on_a_shortlist_of_choices_matches_enumeration() {
    for form in [Formulation::Choices, Formulation::AllChoices] {
        compare_on(shortlisted(), 0..300, Some((form, Reduce::Yes)));
    }
}

/// The screen with classes of identical creators: a member is bounded by
/// its class's columns.
#[cfg(feature = "highs")]
#[test]
fn highs_on_a_shortlist_of_classes_matches_enumeration() {
    for form in [Formulation::Counts, Formulation::AllChoices] {
        compare_on_with(
            shortlisted(),
            0..100,
            Some((form, Reduce::Merge)),
            with_copies,
        );
    }
}

/// Target mode (`minimize: spend`): on each random scenario, targets at a
/// share of what the feasible plans reach; the solver's plan must meet them and
/// cost exactly the cheapest enumerated plan that does.
fn target_mode_on(settings: SolveSettings, seeds: std::ops::Range<u64>) {
    on_random_scenarios(settings, seeds, |seed, mut s, settings| {
        // Targets: a share of the best each goal reaches under the scenario's limits.
        let plans: Vec<_> = all_plans(&s)
            .into_iter()
            .filter(|d| check(&s, d, &evaluate(&s, d)).is_empty())
            .collect();
        let most = GoalKind::ALL.map(|g| {
            plans
                .iter()
                .map(|d| evaluate(&s, d).goal(g))
                .fold(0.0, f64::max)
        });
        if most[2] <= 0.0 {
            return Case::Skipped;
        }
        let share = [0.3, 0.6, 0.9, 1.05][(seed % 4) as usize];
        s.objective = Objective::MinimiseSpend;
        s.targets = [None; 3];
        s.targets[GoalKind::Conversions.index()] = Some(share * most[2]);
        if seed % 3 == 0 {
            s.targets[GoalKind::Awareness.index()] = Some(0.5 * most[0]);
        }
        let cheapest = all_plans(&s)
            .into_iter()
            .map(|d| (evaluate(&s, &d), d))
            .filter(|(e, d)| check(&s, d, e).is_empty())
            .map(|(e, _)| e.spend)
            .reduce(f64::min);
        let got = plan::solve(&s, settings);
        match (cheapest, got) {
            (None, Err(Error::Infeasible(_))) => Case::Infeasible,
            (Some(spend), Ok(plan)) if (spend - plan.spend).abs() <= 1e-6 * spend.max(1.0) => {
                for g in GoalKind::ALL {
                    if let Some(t) = s.targets[g.index()] {
                        let reached = evaluate(&s, &plan.decisions).goal(g);
                        assert!(
                            reached >= t - 1e-6,
                            "seed {seed}: {} {reached} < {t}",
                            g.key()
                        );
                    }
                }
                Case::Agreed
            }
            (expected, got) => Case::Mismatch(format!(
                "cheapest by enumeration {expected:?}, solver {:?}",
                got.map(|p| p.spend)
            )),
        }
    })
}

#[test]
fn microlp_target_mode_matches_enumeration() {
    target_mode_on(with(SolverChoice::Microlp), 0..200);
}

#[cfg(feature = "highs")]
#[test]
fn highs_target_mode_matches_enumeration() {
    target_mode_on(with(SolverChoice::Highs), 0..200);
}

#[cfg(feature = "highs")]
#[test]
fn highs_target_mode_on_a_shortlist_matches_enumeration() {
    target_mode_on(shortlisted(), 0..200);
}

/// One reach unit is worth 1/A* ≈ 1e-7 here, under the solvers' optimality
/// tolerances: unless the objective and the audience-group variable are
/// scaled, HiGHS calls the plan without `a` optimal (objective 0.9997).
#[test]
fn tiny_objective_coefficients_still_decide_the_plan() {
    let text = "name: tiny coefficients
budget: 300
goal: { weights: { awareness: 1 } }
audiences:
  fans: { size: 5000 }
creators:
  - { handle: a, followers: 10000, reach_rate: 0.3, price_per_post: 100, audience: fans }
  - { handle: b, followers: 10000, reach_rate: 0.3, price_per_post: 100, audience: fans }
  - { handle: c, followers: 10000, reach_rate: 0.25, price_per_post: 100 }
  - { handle: star, followers: 40000000, reach_rate: 0.25, price_per_post: 100 }
";
    let s = scenario::load_str(text, Path::new("tiny.yaml")).expect("valid scenario");
    let best = brute_force(&s).expect("feasible");
    assert!((best - 1.0).abs() < 1e-12, "enumeration: {best}");
    let choices = vec![
        SolverChoice::Microlp,
        #[cfg(feature = "highs")]
        SolverChoice::Highs,
    ];
    for choice in choices {
        let settings = SolveSettings {
            solver: choice,
            ..SolveSettings::default()
        };
        let plan = solve_with(&s, &settings, None).expect("plan");
        let hired: Vec<&str> = plan.creators.iter().map(|c| c.handle.as_str()).collect();
        assert_eq!(hired, ["a", "c", "star"], "{choice:?}");
        assert!(
            (plan.objective - best).abs() < 1e-9,
            "{choice:?}: {}",
            plan.objective
        );
    }
}

/// The local search that starts re-optimised Monte Carlo samples: from any
/// feasible plan of a random scenario (one picked by the seed) it returns a
/// feasible plan, at least as good as the start and no better than the best
/// of all plans, the same each time; and on these tiny rosters it usually
/// reaches that best.
#[test]
fn local_search_improves_within_the_enumerated_optimum() {
    use creatormix::solve::local_search::improve;
    let size = random_size();
    let (mut cases, mut behind, mut caught_up) = (0, 0, 0);
    for seed in 0..150 {
        let text = random_scenario(seed, &size);
        let s = scenario::load_str(&text, Path::new("random.yaml")).unwrap();
        // A goal mixing the three totals, the reach weighted down to the
        // scale of the others; on every other seed, less spend (profit).
        let c = creatormix::model::Linear {
            outcomes: [0.001 * (1 + seed % 3) as f64, 0.01, 1.0],
            spend: if seed % 2 == 1 { -0.002 } else { 0.0 },
        };
        let value = |d: &creatormix::model::Decisions| {
            let e = evaluate(&s, d);
            check(&s, d, &e).is_empty().then(|| e.score(c))
        };
        let feasible: Vec<_> = all_plans(&s)
            .into_iter()
            .filter_map(|d| value(&d).map(|v| (d, v)))
            .collect();
        if feasible.is_empty() {
            continue;
        }
        let best = feasible
            .iter()
            .map(|x| x.1)
            .fold(f64::NEG_INFINITY, f64::max);
        let (start, from) = &feasible[(seed as usize * 7919) % feasible.len()];
        let d = improve(&s, c, start);
        let got = value(&d).unwrap_or_else(|| panic!("seed {seed}: infeasible result\n{text}"));
        assert_eq!(d, improve(&s, c, start), "seed {seed}: not deterministic");
        let tolerance = 1e-9 * best.abs().max(1.0);
        assert!(got >= from - tolerance, "seed {seed}: {got} < start {from}");
        assert!(
            got <= best + tolerance,
            "seed {seed}: {got} > optimum {best}"
        );
        cases += 1;
        if *from < best - tolerance {
            behind += 1;
            caught_up += usize::from(got >= best - tolerance);
        }
    }
    assert!(cases > 50, "{cases} cases with a feasible plan");
    assert!(behind > 20, "only {behind} starts below the optimum");
    assert!(
        caught_up * 10 >= behind * 8,
        "the search reached the optimum from only {caught_up} of {behind} starts below it"
    );
}

/// The explanation of an infeasible scenario is true: every constraint
/// whose removal alone makes it feasible (by enumeration) is named, and
/// every figure it measures is the enumerated optimum of the rest.
#[test]
fn infeasibility_is_explained_truly() {
    use creatormix::format::number;
    use creatormix::model::Family;
    use creatormix::model::evaluate::Evaluation;
    use creatormix::solve::{Backend, diagnose};
    use std::collections::BTreeSet;

    let size = random_size();
    let (mut explained, mut measured) = (0, 0);
    for seed in 0..400 {
        let text = random_scenario(seed, &size);
        let s = scenario::load_str(&text, Path::new("random.yaml")).unwrap();
        if brute_force(&s).is_some() {
            continue;
        }
        explained += 1;
        let said = diagnose::explain(&s, Backend::MICROLP);
        let families: BTreeSet<Family> = program::build(&s, Formulation::Counts, Reduce::No)
            .rows
            .iter()
            .map(|r| r.family)
            .filter(|f| *f != Family::Link)
            .collect();
        let feasible = |f: Family| -> Vec<(Decisions, Evaluation)> {
            // The rest of the scenario, written out here as the oracle.
            let mut rest = s.clone();
            let l = &mut rest.limits;
            match f {
                Family::Budget => rest.budget = f64::INFINITY,
                Family::MaxCreators => l.max_creators = None,
                Family::MinCreators => l.min_creators = None,
                Family::TierShareMin(t) => l
                    .tier_share
                    .iter_mut()
                    .filter(|x| x.tier == t)
                    .for_each(|x| x.min = None),
                Family::TierShareMax(t) => l
                    .tier_share
                    .iter_mut()
                    .filter(|x| x.tier == t)
                    .for_each(|x| x.max = None),
                Family::Niche(n) => l.niches.retain(|m| m.niche != n),
                Family::PlatformShareMin(p) => l
                    .platform_share
                    .iter_mut()
                    .filter(|x| x.platform == p)
                    .for_each(|x| x.min = None),
                Family::PlatformShareMax(p) => l
                    .platform_share
                    .iter_mut()
                    .filter(|x| x.platform == p)
                    .for_each(|x| x.max = None),
                Family::PlatformMin(p) => l
                    .platforms
                    .iter_mut()
                    .filter(|x| x.platform == p)
                    .for_each(|x| x.min_creators = None),
                Family::PlatformMax(p) => l
                    .platforms
                    .iter_mut()
                    .filter(|x| x.platform == p)
                    .for_each(|x| x.max_creators = None),
                Family::Require => rest.creators.iter_mut().for_each(|c| c.require = false),
                Family::Exclude => rest.creators.iter_mut().for_each(|c| c.exclude = false),
                Family::Target(g) => rest.targets[g.index()] = None,
                Family::Link => {}
            }
            all_plans(&rest)
                .into_iter()
                .filter_map(|d| {
                    let e = evaluate(&rest, &d);
                    check(&rest, &d, &e).is_empty().then_some((d, e))
                })
                .collect()
        };
        let culprits: Vec<Family> = families
            .iter()
            .copied()
            .filter(|f| !feasible(*f).is_empty())
            .collect();
        for f in &culprits {
            assert!(
                said.contains(&f.describe(&s)),
                "seed {seed}: dropping {} makes it feasible, but the explanation is\n{said}\n{text}",
                f.key(&s)
            );
            let plans = feasible(*f);
            let figure = match f {
                Family::Budget => {
                    let least = plans.iter().map(|(_, e)| e.spend).fold(f64::MAX, f64::min);
                    format!("at least {} of spend", number(least))
                }
                Family::Target(g) => {
                    let most = plans.iter().map(|(_, e)| e.goal(*g)).fold(0.0, f64::max);
                    format!("at most {} {}", number(most), g.key())
                }
                Family::MaxCreators | Family::MinCreators => {
                    let hires = plans.iter().map(|(d, _)| {
                        d.posts.iter().filter(|&&n| n > 0).count() as f64
                            + d.hires.iter().map(|&h| f64::from(h)).sum::<f64>()
                    });
                    let n = if *f == Family::MaxCreators {
                        hires.fold(f64::MAX, f64::min)
                    } else {
                        hires.fold(0.0, f64::max)
                    };
                    format!("{} creators", number(n))
                }
                _ => continue,
            };
            measured += 1;
            assert!(
                said.contains(&format!("{}: ", f.key(&s))) && said.contains(&figure),
                "seed {seed}: expected `{figure}` for {}, got\n{said}\n{text}",
                f.key(&s)
            );
        }
        if culprits.is_empty() {
            assert!(
                !said.contains("cannot be met") && !said.contains("dropping any one"),
                "seed {seed}: no single constraint is to blame, but the explanation is\n{said}\n{text}"
            );
        }
    }
    assert!(
        explained > 20 && measured > 10,
        "{explained} infeasible scenarios, {measured} figures"
    );
}

/// Each alternative of a plan (without a tier it hires, with a tier it
/// leaves out) is the best plan of its condition by enumeration, scored on
/// the plan's own scale (the nominal G*), or infeasible when no plan meets
/// the condition.
#[test]
fn alternatives_are_the_enumerated_best_of_their_condition() {
    use creatormix::explore::alternatives::alternatives;
    use creatormix::model::evaluate::objective;
    use creatormix::plan::AlternativeKind;
    let size = random_size();
    let settings = SolveSettings::default();
    let (mut checked, mut infeasible) = (0, 0);
    for seed in 0..400 {
        let text = random_scenario(seed, &size);
        let s = scenario::load_str(&text, Path::new("random.yaml")).unwrap();
        let Ok(plan) = plan::solve(&s, &settings) else {
            continue;
        };
        let feasible: Vec<(Decisions, _)> = all_plans(&s)
            .into_iter()
            .filter_map(|d| {
                let e = evaluate(&s, &d);
                check(&s, &d, &e).is_empty().then_some((d, e))
            })
            .collect();
        let best = match s.objective {
            Objective::Weights(_) => Some(
                GoalKind::ALL.map(|g| feasible.iter().map(|(_, e)| e.goal(g)).fold(0.0, f64::max)),
            ),
            _ => None,
        };
        let minimise = s.objective == Objective::MinimiseSpend;
        for a in alternatives(&s, &plan, &settings).unwrap() {
            let t = s.tier_index(&a.tier).unwrap();
            let meets = |e: &creatormix::model::evaluate::Evaluation| match a.kind {
                AlternativeKind::Without => e.tier_creators[t] == 0,
                AlternativeKind::With => e.tier_creators[t] > 0,
            };
            let scores = feasible
                .iter()
                .filter(|(_, e)| meets(e))
                .map(|(_, e)| objective(&s, e, best));
            let expected = if minimise {
                scores.fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.min(x))))
            } else {
                scores.fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))))
            };
            match (expected, a.objective) {
                (None, None) => {
                    assert_eq!(a.status, "infeasible", "seed {seed}: {a:?}");
                    infeasible += 1;
                }
                (Some(want), Some(got)) => {
                    let tolerance = 1e-5 * want.abs().max(1.0);
                    assert!(
                        (want - got).abs() <= tolerance,
                        "seed {seed}: {} gives {got}, enumeration {want}\n{text}",
                        a.question
                    );
                    checked += 1;
                }
                (want, got) => panic!(
                    "seed {seed}: {} enumerated {want:?}, solved {got:?}\n{text}",
                    a.question
                ),
            }
        }
    }
    assert!(
        checked > 100 && infeasible > 5,
        "{checked} checked, {infeasible} infeasible"
    );
}
