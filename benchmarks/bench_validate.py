"""`briefkit validate` on a workspace of 1,000 creators, as a user runs it: a fresh
process, imports included. Target: under 1 s. Also `briefkit --help` start-up.

    .venv/bin/python benchmarks/bench_validate.py [--creators 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402


def timed(command: list[str], runs: int) -> tuple[float, subprocess.CompletedProcess]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--creators", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    briefkit = [sys.executable, "-m", "briefkit"]
    with tempfile.TemporaryDirectory() as folder:
        root = generate(Path(folder) / "ws", args.creators, per_campaign=100)
        seconds, result = timed([*briefkit, "validate", "--workspace", str(root)], args.runs)
        if result.returncode != 0:
            sys.exit(f"the generated workspace does not validate:\n{result.stdout[-2000:]}")
        print(f"validate, {args.creators} creators: {seconds:.3f} s  (median of {args.runs}, "
              f"target < 1 s)  -> {result.stdout.strip()}")
    help_seconds, _ = timed([*briefkit, "--help"], args.runs)
    print(f"briefkit --help: {help_seconds:.3f} s  (median of {args.runs}, target <= 0.3 s)")


if __name__ == "__main__":
    main()
