"""briefkit at agency scale, measured in one run on one machine (issue: beyond one machine).

    .venv/bin/python benchmarks/bench_scale.py [--creators 10000] [--per-campaign 500] [--sample 200]

Prints each figure beside its target, each a fresh process as a user runs it:
  validate N creators (target <= 3 s for 10,000);
  build --no-pdf of N (target <= 60 s);
  a no-op build --no-pdf (target <= 3 s);
  one creator changed, with its PDF (target <= 2 s plus one PDF), built with --creator and
  --campaign (which check that campaign only), and for comparison a plain build --no-pdf;
  the peak memory of each (target <= 400 MB at 10,000), and of the same build of a quarter
  and a half of the workspace (target: growing no faster than the workspace);
  a PDF build of a sample as 4 shards one after another, against the same sample unsharded
  before and after them (target: the sum of the shards <= 1.1 x the mean unsharded), and
  that the assembled output is the unsharded output byte for byte.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

BRIEFKIT = [sys.executable, "-m", "briefkit"]
STATS = ".briefkit-stats.json"  # the stat cache: records when files were written


def timed(command: list[str]) -> tuple[float, int, str]:
    """Seconds, peak memory (MB) of the process, and its last line of output."""
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr[-2000:]}")
    peak_kb = int(result.stderr.strip().splitlines()[-1])  # /usr/bin/time's %M: the process's peak
    lines = result.stdout.strip().splitlines()
    return seconds, peak_kb // 1024, lines[-1] if lines else ""


def bytes_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != STATS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=10_000)
    parser.add_argument("--per-campaign", type=int, default=500)
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args()
    n = args.creators
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        root = generate(tmp / "ws", n, args.per_campaign)
        at = ["--workspace", str(root)]
        print(f"{n} creators in {(n + args.per_campaign - 1) // args.per_campaign} campaigns, "
              f"Python {sys.version.split()[0]}")
        seconds, peak, _ = timed([*BRIEFKIT, "validate", *at])
        print(f"validate:                    {seconds:7.2f} s  {peak:5d} MB   (target <= 3 s)")
        seconds, peak, last = timed([*BRIEFKIT, "build", "--no-pdf", *at])
        print(f"build --no-pdf:              {seconds:7.2f} s  {peak:5d} MB   (target <= 60 s; {last})")
        memory = {n: (peak, bytes_of(root / "briefs"))}
        timed([*BRIEFKIT, "build", "--no-pdf", *at])  # the first no-op also fills the stat cache
        seconds, peak, last = timed([*BRIEFKIT, "build", "--no-pdf", *at])
        print(f"no-op build --no-pdf:        {seconds:7.2f} s  {peak:5d} MB   (target <= 3 s; {last})")
        one = root / "briefs/campaign-000/creators/creator-00000.yaml"
        one.write_text(re.sub(r"fee: \d+", "fee: 251", one.read_text(), count=1))
        seconds, peak, last = timed([*BRIEFKIT, "build", "--creator", "@creator.0", "--campaign", "campaign-000",
                                     *at])
        print(f"one creator changed, + PDF:  {seconds:7.2f} s  {peak:5d} MB   (target <= 2 s + one PDF; {last})")
        one.write_text(re.sub(r"fee: \d+", "fee: 253", one.read_text(), count=1))
        seconds, peak, _ = timed([*BRIEFKIT, "build", "--no-pdf", "--creator", "@creator.0", "--campaign",
                                  "campaign-000", *at])
        print(f"  the same without its PDF: {seconds:.2f} s  {peak} MB   (the part that is not the PDF: <= 2 s)")
        other = sorted((root / "briefs").glob("*/creators/*.yaml"))[-1]  # in another campaign
        other.write_text(re.sub(r"fee: \d+", "fee: 252", other.read_text(), count=1))
        seconds, peak, last = timed([*BRIEFKIT, "build", "--no-pdf", *at])
        print(f"  the same, no --creator/--campaign, --no-pdf (the whole workspace checked): "
              f"{seconds:.2f} s  {peak} MB   (no target; {last})")

        for part in (n // 4, n // 2):  # the same build of a smaller workspace: how memory grows
            smaller = generate(tmp / f"ws-{part}", part, args.per_campaign)
            _, peak, _ = timed([*BRIEFKIT, "build", "--no-pdf", "--workspace", str(smaller)])
            memory[part] = (peak, bytes_of(smaller / "briefs"))
        (low_peak, low_size), (high_peak, high_size) = memory[n // 4], memory[n]
        print("peak memory of build --no-pdf: "
              + ", ".join(f"{count:,} creators {mb} MB ({size / 1e6:.1f} MB of YAML)"
                          for count, (mb, size) in sorted(memory.items()))
              + f"; from {n // 4:,} to {n:,} it grew {high_peak / low_peak:.2f} x while the workspace grew "
              f"{high_size / low_size:.2f} x (target: no faster)")

        sample = generate(tmp / "sample", args.sample, 50)
        # The unsharded build is timed before and after the shards, and their sum is set
        # against the mean of the two: this machine's speed drifts over the minutes it takes.
        before, _, _ = timed([*BRIEFKIT, "build", "--workspace", str(sample)])
        expected = files_of(sample / "output")
        shards = tmp / "sharded"
        shards.mkdir()
        total = 0.0
        for k in range(1, 5):
            seconds, _, _ = timed([*BRIEFKIT, "build", "--shard", f"{k}/4", "--out", str(shards / f"s{k}"),
                                   "--workspace", str(sample)])
            total += seconds
        after, _, _ = timed([*BRIEFKIT, "build", "--out", str(tmp / "again"), "--workspace", str(sample)])
        whole = (before + after) / 2
        assembled = tmp / "assembled"
        assemble, _, _ = timed([*BRIEFKIT, "assemble", *(str(shards / f"s{k}") for k in range(1, 5)),
                                "--out", str(assembled), "--workspace", str(sample)])
        same = files_of(assembled) == expected
        print(f"{args.sample} creators with PDFs: unsharded {before:.1f} s before the shards and {after:.1f} s "
              f"after; 4 shards one after another {total:.1f} s = {total / whole:.2f} x their mean "
              f"(target <= 1.1); assemble {assemble:.2f} s; assembled output "
              f"{'byte-identical' if same else 'DIFFERENT'}")

if __name__ == "__main__":
    main()
