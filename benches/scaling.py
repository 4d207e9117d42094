#!/usr/bin/env python3
"""Scaling benchmark: `creatormix solve` against PuLP + CBC on the same instances.

Generates rosters of growing size, writes each as up to nine scenarios (a
weights or values goal, or target mode; plain, with audience groups and repeat
decay, or with every feature), and times every tool on every instance,
interleaved run by run so all tools see the same machine state. Prints Markdown tables: medians of the runs for model build, solve, whole
command and peak memory, then the ratios to PuLP + CBC.

From a fresh clone, with Rust and Python 3 installed:

    python3 benches/scaling.py                       # everything: ~1 h on 2 cores
    python3 benches/scaling.py --sizes 1000 --runs 5 --tools auto,auto-highs,highs,pulp-cbc
    python3 benches/scaling.py --sizes 30 --runs 1 --binary target/debug/creatormix  # smoke test

It exits 1 when two tools that both report an optimum disagree on it by more
than 1e-5 (relative): the benchmark doubles as a check on larger instances
than the test suite's.

The script builds what it needs: `cargo build --release` (the default build),
`cargo build --release --features highs` into $CREATORMIX_HIGHS_TARGET (default
~/.cache/creatormix-highs; HiGHS needs cmake and libclang), and the PuLP
virtualenv of tests/reference/setup.sh (PuLP bundles CBC).

Tools:
  auto        creatormix, default build, --solver auto: its own branch and
              bound (bnb), microlp past its node limit (what `solve` runs)
  auto-highs  creatormix built with --features highs, --solver auto: bnb,
              HiGHS past its node limit
  microlp     creatormix, default build, microlp alone (skipped above
              --microlp-max creators)
  highs       creatormix built with --features highs, HiGHS alone
  pulp-cbc  benches/reference/pulp_cbc.py: the reference MILP of MODEL.md in
            PuLP, solved by CBC with the same relative gap (1e-6) and the
            same G* stage; integer post counts where posts do not decay

Columns: build is the model build (creatormix: the program and handing it to
the solver, summed over its MILPs; PuLP: building the model in Python), solve
the solver runs (PuLP: writing the MPS file, CBC, reading the solution), total
the wall time of the whole command (process start, reading the scenario,
reporting), peak the largest resident set of the command or its solver child.
A run that hits --limit is not repeated and shows as "> LIMIT".

Instances (scripts/generate_roster.py, seed 7): budget 250 per creator, a
creator cap of one in 25, a fee of 250 per hire, micro spend at least 30% and
mega at most 50% of the spend. "groups+decay" adds ten audience groups (15% of
nano and micro creators belong to one) and a repeat decay of 0.85, so each
further post of a creator is its own binary variable. "every feature" adds to
that three pools (nano, micro and macro creators, 4 posts each), a minimum of
one in 100 on creators, a skincare niche minimum of one in 250 and, for a
weights or values goal, a conversions target of 5 per creator on the roster.
Target mode ("target") finds the cheapest plan with 2,000 unique reach and 8
expected conversions per creator on the roster (about 60% of what the budget
buys at 1,000 creators). With --copies K, a
roster of N creators is N/K generated creators written K times each (handles
suffixed -1..-K): identical creators, which creatormix merges.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HIGHS_TARGET = Path(os.environ.get("CREATORMIX_HIGHS_TARGET", Path.home() / ".cache" / "creatormix-highs"))
NICHES = ["beauty", "fashion", "fitness", "food", "gaming", "parenting", "skincare", "tech", "travel", "vegan"]
GOALS = {
    "weights": "weights: { awareness: 0.3, engagement: 0.3, conversions: 0.4 }",
    "values": "values: { per_thousand_reach: 8, per_engagement: 0.25, per_conversion: 30 }",
    "target": "minimize: spend",
}
VARIANTS = ("plain", "groups+decay", "every feature")
SCENARIO = """name: Generated roster ({count} creators, {mode}, {variant})
currency: USD
budget: {budget}
repeat_decay: {decay}
goal:
  {goal}
{targets}limits:
  max_creators: {max_creators}
{more_limits}  fee_per_creator: 250
  tier_share:
    micro: {{ min: 0.3 }}
    mega: {{ max: 0.5 }}
{audiences}creators_csv: {csv}
{pools}"""
POOLS = """pools:
  - {{ name: nano-pool, tier: nano, available: {n}, posts: 4 }}
  - {{ name: micro-pool, tier: micro, available: {n}, posts: 4 }}
  - {{ name: macro-pool, tier: macro, available: {m}, posts: 4 }}
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build_tools(tools: list[str], binary: Path | None) -> dict[str, list[str]]:
    """Builds the binaries and the venv; returns each tool's command prefix.
    creatormix runs without its alternatives: the reference solves the plan alone."""
    commands = {}
    if binary is not None:  # one prebuilt binary runs every creatormix tool (HiGHS if compiled in)
        for tool, solver in (("auto", "auto"), ("auto-highs", "auto"), ("microlp", "microlp"),
                             ("highs", "highs")):
            if tool in tools:
                commands[tool] = [str(binary), "solve", "--no-alternatives", "--solver", solver]
        tools = [t for t in tools if t == "pulp-cbc"]
    if "auto" in tools or "microlp" in tools:
        log("building creatormix (default build) ...")
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        built = str(ROOT / "target" / "release" / "creatormix")
        commands["auto"] = [built, "solve", "--no-alternatives", "--solver", "auto"]
        commands["microlp"] = [built, "solve", "--no-alternatives", "--solver", "microlp"]
    if "highs" in tools or "auto-highs" in tools:
        log(f"building creatormix with HiGHS into {HIGHS_TARGET} (about 11 minutes the first time) ...")
        subprocess.run(["cargo", "build", "--release", "--quiet", "--features", "highs", "--target-dir",
                        str(HIGHS_TARGET)], cwd=ROOT, check=True)
        built = str(HIGHS_TARGET / "release" / "creatormix")
        commands["highs"] = [built, "solve", "--no-alternatives", "--solver", "highs"]
        commands["auto-highs"] = [built, "solve", "--no-alternatives", "--solver", "auto"]
    if "pulp-cbc" in tools:
        log("preparing the PuLP virtualenv ...")
        python = subprocess.run([str(ROOT / "tests" / "reference" / "setup.sh")], check=True,
                                capture_output=True, text=True).stdout.strip()
        commands["pulp-cbc"] = [python, str(ROOT / "benches" / "reference" / "pulp_cbc.py")]
    return commands


def write_instances(directory: Path, count: int, modes: list[str], variants: list[str],
                    copies: int = 1) -> list[tuple[str, Path]]:
    name = f"roster-{count}" if copies == 1 else f"roster-{count}x{copies}"
    drawn = directory / f"{name}-drawn.csv"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_roster.py"), "--count",
                    str(max(1, count // copies)), "--seed", "7", "--output", str(drawn)], check=True,
                   capture_output=True)
    rows = list(csv.DictReader(drawn.open(newline="")))
    if copies > 1:
        rows = [{**row, "handle": f"{row['handle']}-{k}"} for row in rows for k in range(1, copies + 1)]
    roster = directory / f"{name}.csv"
    plain = directory / f"{name}-plain.csv"
    # The plain variant: the same roster without audience groups.
    for path, blank in ((roster, False), (plain, True)):
        with path.open("w", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()), lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({**row, "audience": ""} if blank else row)
    instances = []
    for variant in variants:
        if variant not in VARIANTS:
            raise SystemExit(f"unknown variant {variant!r}; one of {', '.join(VARIANTS)}")
        grouped = variant != "plain"
        every = variant == "every feature"
        audiences = ("audiences:\n" + "".join(f"  {n}-community: {{ size: 40000 }}\n" for n in NICHES)
                     if grouped else "")
        for mode in modes:
            if mode not in GOALS:
                raise SystemExit(f"unknown mode {mode!r}; one of {', '.join(GOALS)}")
            if mode == "target":
                targets = f"  targets: {{ awareness: {2000 * count}, conversions: {8 * count} }}\n"
            elif every:
                targets = f"  targets: {{ conversions: {5 * count} }}\n"
            else:
                targets = ""
            more_limits = (f"  min_creators: {max(1, count // 100)}\n"
                           f"  niches: {{ skincare: {{ min_creators: {max(1, count // 250)} }} }}\n"
                           if every else "")
            pools = POOLS.format(n=max(1, count // 20), m=max(1, count // 100)) if every else ""
            tag = {"plain": "plain", "groups+decay": "grouped", "every feature": "every"}[variant]
            path = directory / f"{name}-{mode}-{tag}.yaml"
            path.write_text(SCENARIO.format(
                count=count, mode=mode, variant=variant, budget=250 * count, decay=0.85 if grouped else 1,
                goal=GOALS[mode], targets=targets, max_creators=max(5, count // 25),
                more_limits=more_limits, audiences=audiences, pools=pools,
                csv=(roster if grouped else plain).name))
            instances.append((f"{mode}, {variant}", path))
    return instances


def run_once(tool: str, prefix: list[str], scenario: Path, limit: float, gap: float) -> dict:
    """One timed run: wall seconds, peak RSS (MB), and the tool's own figures."""
    if tool == "pulp-cbc":
        args = prefix + [str(scenario), "--time-limit", str(limit), "--gap", str(gap)]
        if "plain" in scenario.name:
            args.append("--counts")
    else:
        args = prefix + [str(scenario), "--format", "json", "--time-limit", str(limit), "--mip-gap", str(gap)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode()
        err.seek(0)
        error = err.read().decode().strip()
    result = {"wall": wall, "peak_mb": usage.ru_maxrss / 1024, "exit": proc.returncode}
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        result["status"] = f"exit {proc.returncode}: {error.splitlines()[-1] if error else 'no output'}"
        return result
    result["status"] = data.get("status")
    result["objective"] = data.get("objective")
    if tool == "pulp-cbc":
        result["build"] = data["build_seconds"]
        result["solve"] = data["solve_seconds"]
    else:
        solver = data.get("solver", {})
        result["build"] = solver.get("build_seconds")
        if solver.get("seconds") is not None and result["build"] is not None:
            result["solve"] = solver["seconds"] - result["build"]
        result["gap"] = solver.get("gap")
    return result


def median(runs: list[dict], key: str):
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def cell(value, digits=2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,5000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--limit", type=float, default=120.0, help="time limit per run, seconds")
    parser.add_argument("--gap", type=float, default=1e-6, help="relative MIP gap of every tool")
    parser.add_argument("--tools", default="auto,auto-highs,microlp,highs,pulp-cbc")
    parser.add_argument("--modes", default="weights,values,target")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--microlp-max", type=int, default=1000, help="largest roster given to microlp")
    parser.add_argument("--keep", type=Path, help="write the instances here and keep them")
    parser.add_argument("--copies", type=int, default=1,
                        help="write each generated creator this many times (identical creators)")
    parser.add_argument("--binary", type=Path, help="a built creatormix to use for microlp and highs (no cargo build)")
    args = parser.parse_args()

    tools = [t for t in args.tools.split(",") if t]
    commands = build_tools(tools, args.binary)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    modes = [m for m in args.modes.split(",") if m]
    variants = [v for v in args.variants.split(",") if v]
    directory = args.keep or Path(tempfile.mkdtemp(prefix="creatormix-scaling-"))
    directory.mkdir(parents=True, exist_ok=True)

    results = {}  # (count, instance, tool) -> runs
    order = []
    for count in sizes:
        for instance, path in write_instances(directory, count, modes, variants, args.copies):
            order.append((count, instance))
            active = [t for t in tools if not (t == "microlp" and count > args.microlp_max)]
            for run in range(args.runs):
                for tool in active:
                    runs = results.setdefault((count, instance, tool), [])
                    if runs and runs[-1].get("status") != "optimal":
                        continue  # a limited or failed run is not repeated
                    runs.append(run_once(tool, commands[tool], path, args.limit, args.gap))
                    last = runs[-1]
                    log(f"{count:>6} {instance:<22} {tool:<9} run {run + 1}: {last['wall']:7.2f} s "
                        f"{last['status']} {last.get('objective')}")

    print(f"Medians of {args.runs} runs; relative MIP gap {args.gap:g}; time limit {args.limit:g} s per run.\n")
    print("| creators | instance | tool | build (s) | solve (s) | total (s) | build share | peak (MB) | status |")
    print("|---:|---|---|---:|---:|---:|---:|---:|---|")
    mismatches = []
    for count, instance in order:
        objectives = {}
        for tool in tools:
            runs = results.get((count, instance, tool))
            if not runs:
                continue
            last = runs[-1]
            status = last["status"]
            total = median(runs, "wall")
            build = median(runs, "build")
            if status == "optimal":
                objectives[tool] = last["objective"]
                total_cell = cell(total)
            elif status == "time_limit":
                gap = last.get("gap")
                status = f"time_limit (gap {gap:.1e})" if gap is not None else "time_limit"
                total_cell = f"> {args.limit:g}"
            else:
                total_cell = f"> {args.limit:g}" if last["wall"] >= args.limit else cell(total)
            share = None if build is None or not total else build / total
            print(f"| {count} | {instance} | {tool} | {cell(build)} | {cell(median(runs, 'solve'))} | {total_cell} "
                  f"| {cell(None if share is None else 100 * share, 1)}{'' if share is None else '%'} "
                  f"| {cell(median(runs, 'peak_mb'), 0)} | {status} |")
        if objectives:
            best = max(objectives.values())
            for tool, value in objectives.items():
                if abs(value - best) > 1e-5 * max(1.0, abs(best)):
                    mismatches.append(f"{count} {instance}: {tool} objective {value:.8g}, another {best:.8g}")

    if "pulp-cbc" in tools:
        others = [t for t in tools if t != "pulp-cbc"]
        print("\nTotal wall time relative to PuLP + CBC on the same instance (medians; below 1 is faster):\n")
        print("| creators | instance | " + " | ".join(f"{t} / pulp-cbc" for t in others) + " |")
        print("|---:|---|" + "---:|" * len(others))
        for count, instance in order:
            reference = results.get((count, instance, "pulp-cbc"))
            if not reference or reference[-1]["status"] != "optimal":
                continue
            cells = []
            for tool in others:
                runs = results.get((count, instance, tool))
                if not runs or runs[-1]["status"] != "optimal":
                    cells.append("-")
                else:
                    cells.append(f"{median(runs, 'wall') / median(reference, 'wall'):.2f}")
            print(f"| {count} | {instance} | " + " | ".join(cells) + " |")
    if mismatches:
        print("\nObjectives that differ by more than 1e-5 (relative) from the best found:\n")
        for line in mismatches:
            print(f"- {line}")
    log(f"instances in {directory}")
    # Different optima mean a wrong answer somewhere: fail, so CI notices.
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
