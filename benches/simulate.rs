//! Monte Carlo throughput on the 200-creator benchmark scenario
//! (benches/scenarios/roster-200.yaml): plan evaluation, and re-optimisation
//! of every sample, each on 1 and 2 threads. Run with
//!
//!     cargo bench --bench simulate                   # microlp
//!     cargo bench --bench simulate --features highs  # HiGHS
//!
//! Criterion reports the time per batch and the throughput in samples per second.

use std::hint::black_box;
use std::path::Path;

use creatormix::scenario;
use creatormix::solve::{self, Limits, SolveSettings};
use creatormix::uncertainty::simulate;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn benchmark(c: &mut Criterion) {
    let s =
        scenario::load(Path::new("benches/scenarios/roster-200.yaml")).expect("benchmark scenario");
    let settings = SolveSettings::default();
    let outcome = solve::optimise(&s, &settings).expect("nominal plan");
    let goal = s.goal(outcome.best);
    let objective = goal.linear();
    let backend = settings.solver.backend().unwrap();

    let mut group = c.benchmark_group("evaluate");
    let batch = 100_000u64;
    group.throughput(Throughput::Elements(batch));
    group.sample_size(10);
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        group.bench_with_input(BenchmarkId::new("threads", threads), &threads, |b, _| {
            b.iter(|| {
                pool.install(|| {
                    black_box(
                        simulate::evaluate_samples(
                            &s,
                            &outcome.decisions,
                            None,
                            objective,
                            1,
                            0..batch,
                            &simulate::no_progress,
                        )
                        .expect("not interrupted"),
                    )
                })
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group(format!("reoptimize-{}", backend.name()));
    let batch: u64 = std::env::var("REOPT_BATCH")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(20);
    group.throughput(Throughput::Elements(batch));
    group.sample_size(10);
    let limits = Limits {
        time_limit: None,
        mip_gap: settings.mip_gap,
        node_limit: None,
        heuristics: true,
    };
    // The baseline first: every sample rebuilt and solved cold on one thread
    // by the MILP solver; then the MILP solver from the local search's plan
    // (warm), and the roster branch and bound (the default), on 1 and 2 threads.
    for (name, threads, warm_start, branch) in [
        ("cold", 1usize, false, false),
        ("warm", 1, true, false),
        ("warm", 2, true, false),
        ("branch", 1, true, true),
        ("branch", 2, true, true),
    ] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let setup = creatormix::uncertainty::reoptimise::Setup {
            backend,
            limits,
            warm_start,
            branch,
        };
        group.bench_with_input(BenchmarkId::new(name, threads), &threads, |b, _| {
            b.iter(|| {
                pool.install(|| {
                    black_box(
                        simulate::reoptimise_samples(
                            &s,
                            &outcome.decisions,
                            &goal,
                            setup,
                            1,
                            0..batch,
                            &simulate::no_progress,
                        )
                        .unwrap(),
                    )
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, benchmark);
criterion_main!(benches);
