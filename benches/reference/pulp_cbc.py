#!/usr/bin/env python3
"""Solve a scenario the way a planner would without creatormix: PuLP + CBC.

The model is the reference MILP of MODEL.md in tests/reference/reference_milp.py
(written from the model page alone), with the same G* stage as `creatormix solve`.
This wrapper only times it and sets CBC's options:

    pulp_cbc.py SCENARIO.yaml [--gap 1e-6] [--time-limit SECONDS] [--counts]

prints one JSON line

    {"status": "optimal"|"time_limit"|"infeasible"|"error", "objective": ..., "solves": N,
     "load_seconds": ..., "build_seconds": ..., "solve_seconds": ...}

- load: reading the YAML and CSV and resolving defaults;
- build: PuLP building the variables, constraints and each objective in Python;
- solve: every `LpProblem.solve` call, i.e. PuLP writing the MPS file, CBC
  solving it, and PuLP reading the solution back.

`--counts` models a creator's posts as an integer count with a hire binary
(MODEL.md allows it when repeat_decay is 1) instead of one binary per post;
it is ignored when posts decay. `--gap` is CBC's relative gap (`ratioGap`),
1e-6 like creatormix's default.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "reference"))

import pulp  # noqa: E402
import reference_milp as ref  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario")
    parser.add_argument("--gap", type=float, default=1e-6)
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--counts", action="store_true")
    args = parser.parse_args()

    ref.GAP_REL = args.gap
    solve_seconds = 0.0
    solves = 0
    stopped = False  # CBC hit the time limit on some solve (a plan, not proven optimal)
    original_solve = pulp.LpProblem.solve

    def timed_solve(problem, solver=None, **kwargs):
        nonlocal solve_seconds, solves, stopped
        if args.time_limit is not None:  # one limit for all solves, like creatormix's
            left = max(1.0, args.time_limit - (time.perf_counter() - started_all))
            solver = pulp.PULP_CBC_CMD(msg=0, gapRel=args.gap, timeLimit=left)
        started = time.perf_counter()
        try:
            status = original_solve(problem, solver, **kwargs)
            stopped = stopped or problem.sol_status == pulp.LpSolutionIntegerFeasible
            return status
        finally:
            solve_seconds += time.perf_counter() - started
            solves += 1

    pulp.LpProblem.solve = timed_solve
    started = started_all = time.perf_counter()
    model = ref.load_scenario(args.scenario)
    loaded = time.perf_counter()
    try:
        result = ref.solve_model(model, counts=args.counts)
    except RuntimeError as err:  # CBC stopped without proving optimality
        result = {"status": "error", "objective": None, "message": str(err)}
    total = time.perf_counter() - loaded
    if stopped and result["status"] == "optimal":
        result["status"] = "time_limit"
    print(json.dumps({
        "status": result["status"],
        "objective": result["objective"],
        "solves": solves,
        "load_seconds": loaded - started,
        "build_seconds": total - solve_seconds,
        "solve_seconds": solve_seconds,
    }))
    return 0 if result["status"] == "optimal" else 1


if __name__ == "__main__":
    sys.exit(main())
