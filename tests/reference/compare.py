#!/usr/bin/env python3
"""Compare `creatormix solve` with the reference MILP on random scenarios.

    compare.py --count N --seed S [--binary PATH] [--solver NAME] [--mip-gap G]
               [--keep DIR] [--reference-only]
    compare.py [options] SCENARIO.yaml...      (given files instead of random ones)

Generates N scenarios (random_scenarios.py) into a temporary directory (or --keep DIR),
solves each with the reference model (reference_milp.py, in-process) and with
`creatormix solve FILE --format json`, and checks that they agree: both infeasible, or
both optimal with |obj_ref - obj_cm| <= 1e-5 * max(1, |obj_ref|).

Prints one line per scenario and finally `N passed, M failed`; exits 1 if any failed.
With --reference-only the binary is not run and each line shows the reference result.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # keep the source folder free of __pycache__

import random_scenarios  # noqa: E402
import reference_milp  # noqa: E402

DEFAULT_BINARY = os.path.normpath(os.path.join(HERE, "..", "..", "target", "release",
                                               "creatormix"))
# Relative tolerance on the objective (weights-mode objectives lie in [0, 1]).
TOLERANCE = 1e-5
# Seconds allowed for one run of the binary.
TIMEOUT = 120


def run_reference(path: str) -> dict:
    """The reference result for one scenario, or {"status": "error", ...}."""
    try:
        return reference_milp.solve_file(path)
    except (reference_milp.ScenarioError, RuntimeError) as err:
        return {"status": "error", "message": str(err)}


def run_binary(binary: str, path: str, solver: str | None, mip_gap: str | None) -> dict:
    """The binary's result for one scenario: status, objective (or an error message)."""
    command = [binary, "solve", path, "--format", "json"]
    if solver:
        command += ["--solver", solver]
    if mip_gap:
        command += ["--mip-gap", mip_gap]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"status": "error", "message": f"timed out after {TIMEOUT}s"}
    if done.returncode == 1:
        return {"status": "infeasible", "objective": None}
    if done.returncode != 0:
        message = (done.stderr.strip() or done.stdout.strip()).splitlines()
        return {"status": "error",
                "message": f"exit {done.returncode}: {message[0] if message else ''}"}
    try:
        output = json.loads(done.stdout)
        return {"status": output["status"], "objective": output.get("objective")}
    except (ValueError, KeyError, TypeError) as err:
        return {"status": "error", "message": f"unreadable JSON output: {err}"}


def agree(ref: dict, cm: dict) -> tuple[bool, str]:
    """Whether the two results agree, and a short reason when they do not."""
    if ref["status"] == "error":
        return False, f"reference error: {ref['message']}"
    if cm["status"] == "error":
        return False, f"creatormix error: {cm['message']}"
    if ref["status"] != cm["status"]:
        return False, f"status differs: reference {ref['status']}, creatormix {cm['status']}"
    if ref["status"] == "infeasible":
        return True, ""
    if not isinstance(cm["objective"], (int, float)):
        return False, f"creatormix objective is {cm['objective']!r}"
    diff = abs(ref["objective"] - cm["objective"])
    limit = TOLERANCE * max(1.0, abs(ref["objective"]))
    if diff > limit:
        return False, f"objective differs by {diff:.3g} (allowed {limit:.3g})"
    return True, ""


def describe(result: dict) -> str:
    """A result as `status objective`."""
    if result.get("objective") is None:
        return result["status"]
    return f"{result['status']} {result['objective']:.9g}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", metavar="SCENARIO",
                        help="compare these scenario files instead of random ones")
    parser.add_argument("--count", type=int, help="number of random scenarios")
    parser.add_argument("--seed", type=int, help="random seed")
    parser.add_argument("--binary", default=DEFAULT_BINARY,
                        help="creatormix binary (default: target/release/creatormix)")
    parser.add_argument("--solver", help="passed to `creatormix solve --solver`")
    parser.add_argument("--mip-gap", help="passed to `creatormix solve --mip-gap`")
    parser.add_argument("--keep", metavar="DIR",
                        help="write the scenarios here and keep them (default: a temp dir)")
    parser.add_argument("--reference-only", action="store_true",
                        help="only run the reference model and print its results")
    args = parser.parse_args(argv)
    if not args.files and (args.count is None or args.seed is None):
        parser.error("give --count and --seed, or scenario files")

    if not args.reference_only and not os.path.isfile(args.binary):
        print(f"error: no creatormix binary at {args.binary} "
              "(build it, pass --binary, or use --reference-only)", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="creatormix-compare-") as temp:
        out_dir = args.keep or temp
        if args.files:
            paths = args.files
        else:
            paths = random_scenarios.generate(args.count, args.seed, out_dir)
        passed = failed = 0
        for path in paths:
            name = os.path.basename(path)
            started = time.perf_counter()
            ref = run_reference(path)
            ref_seconds = time.perf_counter() - started
            if args.reference_only:
                ok = ref["status"] != "error"
                detail = json.dumps(ref) if ok else ref["message"]
                print(f"{'ok  ' if ok else 'FAIL'} {name}  {detail}  ({ref_seconds:.2f}s)")
            else:
                cm = run_binary(args.binary, path, args.solver, args.mip_gap)
                ok, reason = agree(ref, cm)
                line = f"{'ok  ' if ok else 'FAIL'} {name}  ref {describe(ref)}"
                if cm["status"] != "error":
                    line += f"  cm {describe(cm)}"
                if reason:
                    line += f"  -- {reason}"
                print(line, flush=True)
            passed += ok
            failed += not ok
        if failed and args.keep is None and not args.reference_only:
            print("(re-run with --keep DIR to inspect the failing scenarios)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
