//! In-process solve figures: building the program of MODEL.md, and a whole
//! optimisation (G* stage and weighted solve). Run with
//!
//!     cargo bench --bench solve                      # microlp
//!     cargo bench --bench solve --features highs     # HiGHS as well
//!
//! - `build/N`: building the program (`Backend::program`) on the
//!   1,000-creator agency roster, and on
//!   copies of it side by side (10,000 creators), with each backend's
//!   formulation. Whole commands, model build against solve, and PuLP + CBC
//!   are timed by `benches/scaling.py`.
//! - `optimise-<solver>/roster-200`: `solve::optimise` on the 200-creator
//!   benchmark shortlist (benches/scenarios/roster-200.yaml), the default
//!   build's target size.

use std::hint::black_box;
use std::path::Path;

use creatormix::model::Scenario;
use creatormix::scenario;
use creatormix::solve::{self, Backend, SolveSettings, SolverChoice};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

/// The scenario with its roster repeated `copies` times (handles made
/// unique, followers moved by one per copy).
fn repeated(s: &Scenario, copies: usize) -> Scenario {
    let mut out = s.clone();
    out.creators = (0..copies)
        .flat_map(|k| {
            s.creators.iter().map(move |c| {
                let mut c = c.clone();
                c.handle = format!("{}-{k}", c.handle);
                // Distinct creators, not copies the program would merge.
                c.audience.followers += k as f64;
                c
            })
        })
        .collect();
    out.budget = s.budget * copies as f64;
    out
}

fn benchmark(c: &mut Criterion) {
    let roster = scenario::load(Path::new("scenarios/agency-roster.yaml")).expect("agency roster");
    let mut group = c.benchmark_group("build");
    group.sample_size(20);
    for copies in [1usize, 10] {
        let s = repeated(&roster, copies);
        for backend in Backend::available() {
            let id = BenchmarkId::new(backend.name(), s.creators.len());
            group.bench_with_input(id, &s, |b, s| b.iter(|| black_box(backend.program(s))));
        }
    }
    group.finish();

    let shortlist =
        scenario::load(Path::new("benches/scenarios/roster-200.yaml")).expect("benchmark scenario");
    for backend in Backend::available() {
        let settings = SolveSettings {
            solver: if backend == Backend::MICROLP {
                SolverChoice::Microlp
            } else {
                SolverChoice::Highs
            },
            ..SolveSettings::default()
        };
        let mut group = c.benchmark_group(format!("optimise-{}", backend.name()));
        group.sample_size(10);
        group.bench_function("roster-200", |b| {
            b.iter(|| black_box(solve::optimise(&shortlist, &settings).expect("plan")))
        });
        group.finish();
    }
}

criterion_group!(benches, benchmark);
criterion_main!(benches);
