"""One command run as the bench scripts measure it: its exit code, its
output, its wall time and its peak memory (the largest resident set of the
process, from os.wait4). Imported by benches/commands.py, benches/cluster.py
and benches/oversized.py (run as scripts, they find it beside them).

Python 3.11+, standard library only; Linux or macOS (os.wait4)."""
from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Measured:
    """What one run of a command did and cost."""

    code: int
    stdout: str
    stderr: str
    wall: float
    """Seconds, from start to exit."""
    peak_mb: float
    """Largest resident set, in MB."""


def measure(args: list[str], cwd: Path | None = None) -> Measured:
    """Runs a command to its end, its output in temporary files (a pipe
    could fill and stall it), and measures it."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(args, stdout=out, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return Measured(os.waitstatus_to_exitcode(status), out.read().decode(),
                        err.read().decode(), wall, usage.ru_maxrss / 1024)
