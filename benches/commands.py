#!/usr/bin/env python3
"""Whole-command benchmark: the timings the README quotes for bundled scenarios.

Runs each command of COMMANDS --runs times (interleaved: run 1 of every
command, then run 2, ...) and prints a Markdown table of the median wall time
and the median peak resident set, with the fastest and slowest run, so that a
figure is never one lucky run. Every command's output is checked to be the
same in every run (the timings aside), so a speed-up that changed an answer
shows.

From a fresh clone, with Rust and Python 3 installed:

    python3 benches/commands.py                  # every command, 5 runs: ~6 min on 2 cores
    python3 benches/commands.py --only solve,frontier --runs 3
    python3 benches/commands.py --binary PATH    # a creatormix already built

Without --binary it runs `cargo build --release` and times that binary (the
default build: creatormix's branch and bound, microlp past its node limit).
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from pathlib import Path

from measure import measure

ROOT = Path(__file__).resolve().parent.parent
AGENCY = "scenarios/agency-roster.yaml"
COMMANDS = {
    "solve": ["solve", AGENCY],
    "sweep": ["sweep", AGENCY, "--budget", "10000:500000:10000", "--threads", "2"],
    "frontier": ["frontier", AGENCY, "--goals", "awareness,conversions", "--threads", "2"],
    "simulate": ["simulate", AGENCY, "--reoptimize", "--samples", "10000", "--threads", "2"],
    "simulate-200": ["simulate", "benches/scenarios/roster-200.yaml", "--reoptimize", "--samples", "10000",
                     "--threads", "2"],
}
# Figures that change from run to run: elapsed seconds in summaries.
TIMING = re.compile(r"\d+\.\d+ s\b|\bin \d+(\.\d+)? s")


def run_once(binary: str, args: list[str]) -> tuple[float, float, str]:
    run = measure([binary, *args], cwd=ROOT)
    if run.code != 0:
        raise SystemExit(f"`creatormix {' '.join(args)}` exited with {run.code}")
    return run.wall, run.peak_mb, TIMING.sub("<time>", run.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", help="comma-separated names from: " + ", ".join(COMMANDS))
    parser.add_argument("--binary", type=Path, help="a built creatormix (no cargo build)")
    args = parser.parse_args()
    names = [n for n in (args.only.split(",") if args.only else COMMANDS) if n]
    for name in names:
        if name not in COMMANDS:
            raise SystemExit(f"unknown command {name!r}; one of {', '.join(COMMANDS)}")
    if args.binary is None:
        print("building creatormix (default build) ...", file=sys.stderr, flush=True)
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = str(ROOT / "target" / "release" / "creatormix")
    else:
        binary = str(args.binary)
    walls: dict[str, list[float]] = {n: [] for n in names}
    peaks: dict[str, list[float]] = {n: [] for n in names}
    outputs: dict[str, str] = {}
    for run in range(args.runs):
        for name in names:
            wall, peak, text = run_once(binary, COMMANDS[name])
            walls[name].append(wall)
            peaks[name].append(peak)
            if outputs.setdefault(name, text) != text:
                raise SystemExit(f"{name}: run {run + 1} printed a different result from run 1")
            print(f"{name:<13} run {run + 1}: {wall:7.2f} s {peak:6.0f} MB", file=sys.stderr, flush=True)
    print(f"Medians of {args.runs} runs (default build; every run printed the same result).\n")
    print("| command | median (s) | fastest (s) | slowest (s) | peak (MB) |")
    print("|---|---:|---:|---:|---:|")
    for name in names:
        command = "creatormix " + " ".join(COMMANDS[name])
        print(f"| `{command}` | {statistics.median(walls[name]):.2f} | {min(walls[name]):.2f} "
              f"| {max(walls[name]):.2f} | {statistics.median(peaks[name]):.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
