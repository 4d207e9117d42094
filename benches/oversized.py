#!/usr/bin/env python3
"""Oversized input is refused while it streams: memory is bounded by the
limits, not by the file.

Writes a CSV roster of 1,200,000 rows (six times the 200,000-row limit) and a
scenario that reads it, runs `creatormix validate` and `creatormix solve` on
it, and checks for each that it exits 2, names the roster file and the line of
the first row too many (200,002: the header is line 1), and stays under
--max-mb of peak memory (default 200). Also a scenario file of 900,000 inline
creators (50 MB, under the 64 MB file limit), over the YAML parser's limit of
1,000,000 values: refused (exit 2) in the user's words, with memory bounded
by those two limits (--max-inline-mb, default 400). Prints what it measured; exits 1
if any check fails.

    python3 benches/oversized.py --binary target/release/creatormix

Python 3.11+, standard library only (benches/measure.py: peak memory from os.wait4).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from measure import measure

ROWS = 1_200_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="target/release/creatormix")
    parser.add_argument("--max-mb", type=float, default=200.0)
    parser.add_argument("--max-inline-mb", type=float, default=400.0)
    args = parser.parse_args()
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        roster = directory / "huge.csv"
        with roster.open("w") as f:
            f.write("handle,followers,price_per_post\n")
            for i in range(ROWS):
                f.write(f"@c{i},2000,10\n")
        scenario = directory / "huge.yaml"
        scenario.write_text("budget: 10000\ngoal: { weights: { awareness: 1 } }\n"
                            "creators_csv: huge.csv\n")
        inline = directory / "inline.yaml"
        with inline.open("w") as f:
            f.write("budget: 10000\ngoal: { weights: { awareness: 1 } }\ncreators:\n")
            for i in range(900_000):
                f.write(f"  - {{ handle: c{i}, followers: 2000, price_per_post: 10 }}\n")
        cases = [
            (f"{ROWS:,}-row CSV roster, validate", ["validate", str(scenario)],
             ["huge.csv", "200002", "more than 200000 rows"], args.max_mb),
            (f"{ROWS:,}-row CSV roster, solve", ["solve", str(scenario)],
             ["huge.csv", "200002", "more than 200000 rows"], args.max_mb),
            ("900,000 inline creators, validate", ["validate", str(inline)],
             ["inline.yaml", "more than 1,000,000 YAML values"], args.max_inline_mb),
        ]
        print("| input | exit | peak memory | wall | message |")
        print("|---|---:|---:|---:|---|")
        for name, command, expected, max_mb in cases:
            run = measure([args.binary, *command])
            first = run.stderr.strip().splitlines()[0] if run.stderr.strip() else ""
            print(f"| {name} | {run.code} | {run.peak_mb:.0f} MB | {run.wall:.2f} s "
                  f"| {first[:110]} |")
            if run.code != 2:
                failures.append(f"{name}: exit {run.code}, not 2")
            if run.peak_mb > max_mb:
                failures.append(f"{name}: {run.peak_mb:.0f} MB peak, above {max_mb:.0f} MB")
            for word in expected:
                if word not in run.stderr:
                    failures.append(f"{name}: the message does not say `{word}`: {run.stderr}")
            for internal in ("Events", "panicked", "RUST_BACKTRACE"):
                if internal in run.stderr:
                    failures.append(f"{name}: the message shows `{internal}`: {run.stderr}")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
