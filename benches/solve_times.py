#!/usr/bin/env python3
"""Times `creatormix solve` per solver: every bundled scenario, and generated
rosters of growing size. Prints a Markdown table of median wall times.

Usage (from the repository root):

    cargo build --release                                   # microlp
    cargo build --release --features highs --target-dir ~/.cache/creatormix-target
    python3 benches/solve_times.py [--runs 3] [--limit 60] [--sizes 25,50,100,200,1000]

Each binary is optional: a missing one is skipped. Rosters come from
scripts/generate_roster.py (seed 7) wrapped in the agency-roster scenario's
goal and limits, with the budget scaled to the roster size. A run that hits
the time limit shows as "> LIMIT s" with the gap it reached. Medians of
--runs runs, all in one invocation so the solvers are compared on the same
machine state.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARIES = {
    "microlp": ROOT / "target" / "release" / "creatormix",
    "highs": Path(os.environ.get("HIGHS_TARGET", Path.home() / ".cache" / "creatormix-target"))
    / "release"
    / "creatormix",
}

ROSTER_SCENARIO = """name: Generated roster ({count} creators)
currency: USD
budget: {budget}
repeat_decay: 0.85
goal:
  weights: {{ awareness: 0.3, engagement: 0.3, conversions: 0.4 }}
limits:
  max_creators: {max_creators}
  fee_per_creator: 250
  tier_share:
    mega: {{ max: 0.5 }}
audiences:
{audiences}
creators_csv: roster.csv
"""
NICHES = ["beauty", "fashion", "fitness", "food", "gaming", "parenting", "skincare", "tech", "travel", "vegan"]


def roster_scenario(directory: Path, count: int) -> Path:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_roster.py"), "--count", str(count), "--seed", "7",
         "--output", str(directory / "roster.csv")],
        check=True,
        capture_output=True,
    )
    audiences = "\n".join(f"  {n}-community: {{ size: 40000 }}" for n in NICHES)
    path = directory / f"roster-{count}.yaml"
    path.write_text(ROSTER_SCENARIO.format(count=count, budget=250 * count, max_creators=max(5, count // 25),
                                           audiences=audiences))
    return path


def time_solve(binary: Path, solver: str, scenario: Path, limit: float):
    start = time.perf_counter()
    proc = subprocess.run(
        [str(binary), "solve", str(scenario), "--solver", solver, "--format", "json", "--time-limit", str(limit)],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    try:
        result = json.loads(proc.stdout)
    except json.JSONDecodeError:
        result = {"status": f"exit {proc.returncode}"}
    return seconds, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=float, default=60.0)
    parser.add_argument("--sizes", default="25,50,100,200,1000")
    args = parser.parse_args()

    solvers = {name: path for name, path in BINARIES.items() if path.exists()}
    if not solvers:
        sys.exit("no release binary found: run `cargo build --release` first")
    with tempfile.TemporaryDirectory() as tmp:
        cases = [(p.stem, p) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
        for count in (int(s) for s in args.sizes.split(",") if s):
            directory = Path(tmp) / str(count)
            directory.mkdir()
            cases.append((f"generated roster, {count} creators", roster_scenario(directory, count)))

        print(f"| scenario | creators | " + " | ".join(f"{s} (s)" for s in solvers) + " |")
        print("|---|---:|" + "---:|" * len(solvers))
        for name, path in cases:
            cells = []
            creators = ""
            for solver, binary in solvers.items():
                times, result = [], {}
                for _ in range(args.runs):
                    seconds, result = time_solve(binary, solver, path, args.limit)
                    times.append(seconds)
                    if result.get("status") not in ("optimal",):
                        break  # a limited or failed run is not repeated
                median = statistics.median(times)
                status = result.get("status")
                if status == "optimal":
                    cells.append(f"{median:.2f}")
                    creators = creators or str(count_creators(path))
                elif status == "time_limit":
                    gap = result["solver"]["gap"]
                    gap = "unknown" if gap is None else f"{gap:.1e}"
                    cells.append(f"> {args.limit:g} (plan found, gap {gap})")
                else:
                    cells.append(f"> {args.limit:g} (no plan)" if status == "no_plan" else str(status))
            print(f"| {name} | {creators or count_creators(path)} | " + " | ".join(cells) + " |", flush=True)


def count_creators(path: Path) -> int:
    """Named creators plus pool supply, from `creatormix validate`'s table."""
    binary = next(p for p in BINARIES.values() if p.exists())
    out = subprocess.run([str(binary), "validate", str(path)], capture_output=True, text=True).stdout
    total, in_table = 0, False
    for line in out.splitlines():
        if line.startswith("On offer by tier"):
            in_table = True
        elif in_table and not line.strip():
            break
        elif in_table:
            cells = line.split()
            if len(cells) == 6 and cells[1].isdigit():
                total += int(cells[1]) + int(cells[5])
    return total


if __name__ == "__main__":
    main()
