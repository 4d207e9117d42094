//! HiGHS on a shortlist screened by the LP relaxation gives the optimum of
//! the whole program: random rosters of hundreds of creators and pools, every
//! feature of the model, solved both ways with the default shortlist, and
//! whole on both the choice formulation HiGHS uses at this size and counts. (The
//! screen's proof that the offers left out cannot help is checked against
//! enumeration in tests/brute_force.rs, from the tightest shortlist.)

#![cfg(feature = "highs")]

mod common;

use std::path::Path;

use creatormix::Error;
use creatormix::plan::Plan;
use creatormix::program::{self, Formulation, Reduce};
use creatormix::scenario;
use creatormix::solve::{Backend, SolveSettings, SolverChoice, optimise, optimise_program};

use common::{Size, random_scenario};

/// The optimum with the roster screened from `shortlist_from` offers, on
/// the backend's own program or on the formulation given.
fn objective(
    s: &creatormix::Scenario,
    shortlist_from: usize,
    form: Option<Formulation>,
) -> Result<f64, Error> {
    let settings = SolveSettings {
        solver: SolverChoice::Highs,
        mip_gap: 1e-9,
        shortlist_from,
        ..SolveSettings::default()
    };
    let outcome = match form {
        None => optimise(s, &settings)?,
        Some(form) => {
            let program = program::build(s, form, Reduce::Yes);
            optimise_program(s, &program, Backend::named("highs").unwrap(), &settings)?
        }
    };
    Ok(Plan::new(s, &outcome, settings.mip_gap)?.objective)
}

#[test]
fn a_shortlist_gives_the_whole_programs_optimum() {
    let size = Size {
        creators: 800,
        max_posts: 3,
        pools: 3,
        available: 30,
    };
    let (mut solved, mut on_choices) = (0, 0);
    for seed in 0..16 {
        // A tenth of the creators are required in these scenarios: dozens on
        // a roster this long, which no budget affords. Keep only the first.
        let mut text = random_scenario(1_000 + seed, &size);
        if let Some(first) = text.find("    require: true\n") {
            let rest = text.split_off(first + 1);
            text.push_str(&rest.replace("    require: true\n", ""));
        }
        // Budgets for a few creators of a short roster; here, for dozens.
        let budget = text
            .lines()
            .find_map(|l| l.strip_prefix("budget: "))
            .unwrap();
        let budget: u64 = budget.parse().unwrap();
        text = text.replacen(
            &format!("budget: {budget}\n"),
            &format!("budget: {}\n", 40 * budget),
            1,
        );
        let s = scenario::load_str(&text, Path::new("random.yaml")).expect("valid scenario");
        let form = Backend::named("highs").unwrap().formulation(&s);
        // 1: every roster screened with the default shortlist; usize::MAX: never.
        let shortlisted = objective(&s, 1, None);
        let whole = objective(&s, usize::MAX, None);
        let counts = objective(&s, usize::MAX, Some(Formulation::Counts));
        match (shortlisted, whole, counts) {
            (Ok(a), Ok(b), Ok(c)) => {
                assert!(
                    (a - b).abs() <= 1e-7 * b.abs().max(1.0)
                        && (c - b).abs() <= 1e-7 * b.abs().max(1.0),
                    "seed {seed}: shortlist {a}, whole {b}, whole on counts {c}"
                );
                solved += 1;
                on_choices += usize::from(form == Formulation::Choices);
            }
            (Err(Error::Infeasible(_)), Err(Error::Infeasible(_)), Err(Error::Infeasible(_))) => {}
            (a, b, c) => panic!("seed {seed}: shortlist {a:?}, whole {b:?}, on counts {c:?}"),
        }
    }
    assert!(solved >= 10, "only {solved} feasible scenarios");
    assert!(on_choices >= 5, "only {on_choices} solved on choices");
}
