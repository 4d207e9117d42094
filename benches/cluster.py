#!/usr/bin/env python3
"""Cluster sizing from measurements: what 1 million re-optimised samples cost.

Measures, on this machine, the pieces of a sharded `simulate --reoptimize`
run of the agency roster (1,000 creators, scenarios/agency-roster.yaml) and
of a 10,000-creator roster drawn the same way (scripts/generate_roster.py,
seed 2024; its `require` flags cleared, since 46 required creators would
exceed the campaign's 40), and prints the sizing of a 1,000,000-sample run:

  * per-sample cost: real shards of the 1M-sample run (`--shard k/K`), one of
    N samples and one of 10 (the fixed cost: reading the scenario, the
    nominal solve), each timed whole, on --threads 2 (one task's cores);
    per sample = (t_N - t_10) / (N - 10), per run; medians of --runs;
  * I/O: the shard file's bytes per sample, and per file (each carries the
    run's context: every creator's handle and the nominal plan);
  * merge: 1,000 shard files of 1,000 re-optimised samples each (1M rows:
    the measured shard's rows repeated under the other indices), merged by
    `creatormix merge ... --format json`, timed, with its peak memory.

    python3 benches/cluster.py                        # ~15 min on 2 cores
    python3 benches/cluster.py --runs 1 --samples 200,50 --merge-shards 20   # smoke

Python 3.11+, standard library only. It builds `cargo build --release` unless
--binary names a binary.
"""
from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import measure

ROOT = Path(__file__).resolve().parent.parent
TOTAL = 1_000_000


def run(args: list[str]) -> tuple[float, float]:
    """Runs a command; returns its wall time (s) and peak memory (MB)."""
    done = measure(args)
    if done.code != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr}")
    return done.wall, done.peak_mb


def ten_thousand(directory: Path) -> Path:
    """The 10,000-creator scenario: the agency roster's campaign, a larger book."""
    roster = directory / "roster-10000.csv"
    subprocess.run([sys.executable, str(ROOT / "scripts/generate_roster.py"), "--count", "10000",
                    "--seed", "2024", "--output", str(roster)], check=True, stdout=subprocess.DEVNULL)
    with roster.open() as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["require"] = ""
    with roster.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    text = (ROOT / "scenarios/agency-roster.yaml").read_text()
    lines = []
    for line in text.splitlines():
        if line.startswith("name:"):
            line = "name: Agency roster (10,000 creators)"
        elif line.startswith("creators_csv:"):
            line = "creators_csv: roster-10000.csv"
        lines.append(line)
    scenario = directory / "roster-10000.yaml"
    scenario.write_text("\n".join(lines) + "\n")
    return scenario


def shard(binary: str, scenario: Path, samples: int, out: Path) -> tuple[float, float]:
    """Times shard 1 of a 1M-sample run cut into shards of `samples` samples."""
    return run([binary, "simulate", str(scenario), "--reoptimize", "--samples", str(TOTAL),
                "--seed", "1", "--shard", f"1/{TOTAL // samples}", "--threads", "2",
                "--output", str(out)])


def synthetic_shards(source: Path, directory: Path, count: int) -> int:
    """Writes `count` shard files of TOTAL/count rows each from a measured
    shard's rows (repeated, re-indexed); returns their total bytes."""
    measured = json.loads(source.read_text())
    rows = measured["rows"]
    per = TOTAL // count
    total = 0
    for k in range(1, count + 1):
        start = (k - 1) * per
        shard_rows = []
        for i in range(per):
            row = dict(rows[i % len(rows)])
            row["index"] = start + i
            shard_rows.append(row)
        measured["shard"] = {"k": k, "of": count}
        measured["rows"] = shard_rows
        path = directory / f"shard-{k}.json"
        path.write_text(json.dumps(measured, separators=(",", ":")) + "\n")
        total += path.stat().st_size
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", help="creatormix binary (default: build target/release)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--samples", default="5000,1000",
                        help="samples per measured shard: 1,000-creator roster, 10,000-creator one")
    parser.add_argument("--merge-shards", type=int, default=1000)
    args = parser.parse_args()
    binary = args.binary
    if binary is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = str(ROOT / "target/release/creatormix")
    sizes = [int(s) for s in args.samples.split(",")]

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        rosters = [("1,000 creators", ROOT / "scenarios/agency-roster.yaml", sizes[0]),
                   ("10,000 creators", ten_thousand(directory), sizes[1])]
        results = []
        for name, scenario, n in rosters:
            per_sample, fixed, peaks = [], [], []
            out, small_out = directory / "shard.json", directory / "small.json"
            for r in range(args.runs):
                small, _ = shard(binary, scenario, 10, small_out)
                wall, peak = shard(binary, scenario, n, out)
                per_sample.append((wall - small) / (n - 10))
                fixed.append(small)
                peaks.append(peak)
                print(f"{name}, run {r + 1}: {n} samples {wall:.2f} s, 10 samples {small:.2f} s, "
                      f"peak {peak:.0f} MB", file=sys.stderr)
            size = (out.stat().st_size - small_out.stat().st_size) / (n - 10)
            file_bytes = small_out.stat().st_size - 10 * size
            results.append((name, statistics.median(per_sample), statistics.median(fixed),
                            statistics.median(peaks), (size, file_bytes), n, out.read_bytes()))

        # Merge: 1,000 shards of each roster's run.
        merges = []
        for name, *_, measured in results:
            merge_dir = directory / "merge"
            merge_dir.mkdir()
            source = directory / "source.json"
            source.write_bytes(measured)
            total_bytes = synthetic_shards(source, merge_dir, args.merge_shards)
            files = sorted(str(p) for p in merge_dir.glob("shard-*.json"))
            timed = [run([binary, "merge", *files, "--format", "json", "--output",
                          str(directory / "summary.json")]) for _ in range(args.runs)]
            merges.append((statistics.median(m[0] for m in timed),
                           statistics.median(m[1] for m in timed), total_bytes))
            print(f"{name}: merge {merges[-1][0]:.1f} s", file=sys.stderr)
            for path in merge_dir.iterdir():
                path.unlink()
            merge_dir.rmdir()
    print(f"\nMeasured with {binary}, --threads 2 per task, medians of {args.runs} runs.\n")
    print("| roster | per sample (2 threads) | core-seconds per sample | fixed per task "
          "| task peak memory | shard bytes per sample | per shard file |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, per, fixed, peak, (size, file_bytes), n, _ in results:
        print(f"| {name} | {per * 1000:.2f} ms | {per * 2:.4f} | {fixed:.2f} s | {peak:.0f} MB "
              f"| {size:.0f} | {file_bytes / 1e3:.0f} kB |")
    for (name, *_), (wall, peak, total_bytes) in zip(results, merges):
        print(f"merge of {args.merge_shards:,} shards of the {name} run ({TOTAL:,} samples, "
              f"{total_bytes / 1e6:.0f} MB of shard files): {wall:.1f} s, peak {peak:.0f} MB")
    print()
    shards = 1000
    per_shard = TOTAL // shards
    print(f"A 1M-sample run as {shards:,} shards of {per_shard:,} samples, one per task of "
          "2 cores (16 tasks on a node of 32 cores):\n")
    print("| 1M re-optimised samples | core-hours | task wall | 1 node | 10 nodes "
          "| shard files | merge |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for (name, per, fixed, peak, (size, file_bytes), n, _), merge in zip(results, merges):
        merge_wall = merge[0]
        task = fixed + per_shard * per
        core_hours = task * 2 * shards / 3600
        walls = [-(-shards // (16 * nodes)) * task for nodes in (1, 10)]
        io = (size * TOTAL + file_bytes * shards) / 1e9
        print(f"| {name} | {core_hours:.1f} | {task:.1f} s | {walls[0] / 60:.0f} min "
              f"| {walls[1] / 60:.1f} min | {io:.2f} GB | {merge_wall:.0f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
