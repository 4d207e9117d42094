//! Properties every solve must have, on random scenarios larger than
//! enumeration allows: a returned plan satisfies every constraint (checked
//! by the independent evaluator), its reported totals are the evaluator's,
//! a weights-mode objective lies in [0, 1], and a profit is negative only
//! where the limits rule out hiring nobody.

mod common;

use std::path::Path;

use creatormix::model::evaluate::{check, evaluate};
use creatormix::plan;
use creatormix::solve::SolveSettings;
use creatormix::{Error, scenario};
use proptest::prelude::*;

use common::{Size, random_scenario};

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_plan_satisfies_every_constraint(seed in any::<u64>()) {
        let size = Size { creators: 7, max_posts: 3, pools: 2, available: 6 };
        let text = random_scenario(seed, &size);
        let s = scenario::load_str(&text, Path::new("random.yaml")).expect("generated scenarios are valid");
        let settings = SolveSettings::default();
        match plan::solve(&s, &settings) {
            Ok(plan) => {
                let e = evaluate(&s, &plan.decisions);
                let violations = check(&s, &plan.decisions, &e);
                prop_assert!(violations.is_empty(), "{violations:?}\n{text}");
                prop_assert!(plan.spend <= s.budget * (1.0 + 1e-9) + 1e-9);
                if plan.objective_mode == creatormix::model::ObjectiveMode::Profit {
                    // Profit (value less spend) is negative only where the
                    // limits forbid hiring nobody, at profit 0.
                    let nobody = creatormix::model::Decisions {
                        posts: vec![0; s.creators.len()],
                        hires: vec![0; s.pools.len()],
                    };
                    let forced = !check(&s, &nobody, &evaluate(&s, &nobody)).is_empty();
                    prop_assert!(plan.objective >= -1e-9 || forced, "{}\n{text}", plan.objective);
                    prop_assert!(plan.objective >= -plan.spend * (1.0 + 1e-9) - 1e-9);
                } else {
                    prop_assert!(plan.objective >= -1e-9);
                }
                if plan.objective_mode == creatormix::model::ObjectiveMode::Weights {
                    prop_assert!(plan.objective <= 1.0 + 1e-6, "weights objective lies in [0, 1]");
                }
                // The reported totals are the evaluator's.
                prop_assert_eq!(plan.totals.reach, e.awareness);
                prop_assert_eq!(plan.spend, e.spend);
            }
            Err(Error::Infeasible(message)) => {
                prop_assert!(!message.is_empty());
            }
            Err(other) => prop_assert!(false, "unexpected error {other}\n{text}"),
        }
    }
}
