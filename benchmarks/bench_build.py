"""`briefkit build` against plain WeasyPrint, measured in one run on one machine.

    .venv/bin/python benchmarks/bench_build.py [--creators 60] [--per-campaign 20]

Prints, each a fresh process as a user runs it (imports included):
  (a) a cold `briefkit build --force` of N creators;
  (b) the same print HTML made into PDFs by plain WeasyPrint, one after another
      in one process, reusing fonts and stylesheets (WeasyPrint's fastest way);
  the ratio a/b (target <= 0.6);
  (c) a no-op rebuild (target <= 2 % of a);
  (d) a rebuild after one creator changed (median of 3; target <= 3/N of a), plain
      WeasyPrint making one such PDF in a fresh process, and the same change picked up by
      a running `briefkit serve` (saved → packet written);
  (e) `briefkit validate` on 1,000 creators (target <= 1 s);
  (f) `briefkit --help` (target <= 0.3 s);
and the PDFs' size and pages, and the peak memory of the largest process of a
cold build of N/3, N and 2N creators (target: flat).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

BRIEFKIT = [sys.executable, "-m", "briefkit"]

# Plain WeasyPrint, the way WEASYPRINT.md measured to be fastest: one FontConfiguration and
# parsed stylesheets reused for every document, the same PDF variant as briefkit.
BASELINE = """
import sys
from pathlib import Path
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
theme, pages, out = Path(sys.argv[1]), sorted(Path(sys.argv[2]).glob("*.html")), Path(sys.argv[3])
fonts = FontConfiguration()
sheets = [CSS(filename=theme / "css" / name, font_config=fonts) for name in ("brief.css", "print.css")]
for page in pages:
    HTML(filename=page).write_pdf(out / (page.stem + ".pdf"), stylesheets=sheets, font_config=fonts,
                                  pdf_variant="pdf/ua-1")
"""


def run(command: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    return seconds, result


def warm_rebuild(root: Path, creator: Path, old: str, new: str) -> float:
    """Seconds from saving `creator` to a running `briefkit serve` having rebuilt its packet."""
    # Ctrl-C as the default action even when this benchmark runs in the background (`&`),
    # whose children start with SIGINT ignored.
    server = subprocess.Popen([*BRIEFKIT, "serve", "--port", "0", "--workspace", str(root)],
                              stdout=subprocess.PIPE, text=True,
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert server.stdout is not None
    try:
        for line in server.stdout:
            if line.startswith("serving "):
                break
        time.sleep(1)  # the watcher is running
        creator.write_text(creator.read_text().replace(old, new))
        saved = time.perf_counter()
        for line in server.stdout:
            if "rebuilt" in line:
                return time.perf_counter() - saved
        raise RuntimeError("briefkit serve stopped before rebuilding")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def peak_rss(command: list[str]) -> int:
    """Peak RSS in MB of the largest process of one run: wait4's rusage covers the
    child and every descendant it waited for (the PDF workers)."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        sys.exit(f"{' '.join(command)} failed")
    return usage.ru_maxrss // 1024


def print_pages(root: Path, html_folder: Path) -> Path:
    """Write the print HTML of every packet, as briefkit renders it, for the baseline."""
    from briefkit.render import Renderer
    from briefkit.resolve import resolve_workspace
    from briefkit.theme import load_theme
    from briefkit.validate import check_workspace

    workspace, _ = check_workspace(root)
    theme = load_theme(root, workspace.settings.theme)
    renderer = Renderer(root, theme)
    html_folder.mkdir()
    for brief in resolve_workspace(workspace):
        name = f"{brief.campaign_id}--{brief.creator.slug}.html"
        (html_folder / name).write_text(renderer.print_page(brief), encoding="utf-8")
    return theme.folders[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=60)
    parser.add_argument("--per-campaign", type=int, default=20)
    args = parser.parse_args()
    n = args.creators
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        root = generate(tmp / "ws", n, args.per_campaign)
        build = [*BRIEFKIT, "build", "--workspace", str(root)]
        cores = len(os.sched_getaffinity(0))
        print(f"{n} creators in {(n + args.per_campaign - 1) // args.per_campaign} campaigns, "
              f"{cores} CPUs, Python {sys.version.split()[0]}")

        a, result = run([*build, "--force"])
        print(f"(a) cold briefkit build --force:       {a:7.2f} s   ({result.stdout.strip().splitlines()[-1]})")

        theme = print_pages(root, tmp / "html")
        (tmp / "pdf").mkdir()
        b, _ = run([sys.executable, "-c", BASELINE, str(theme), str(tmp / "html"), str(tmp / "pdf")])
        print(f"(b) plain WeasyPrint, sequential:      {b:7.2f} s")
        print(f"    a/b = {a / b:.2f}   (target <= 0.6)")

        c, _ = run(build)
        print(f"(c) no-op rebuild:                     {c:7.2f} s   = {c / a:.1%} of a   (target <= 2%)")

        one = root / "briefs/campaign-000/creators/creator-00000.yaml"
        rebuilds = []
        for fee in (250, 260, 270):
            one.write_text(re.sub(r"fee: \d+", f"fee: {fee}", one.read_text(), count=1))
            seconds, result = run(build)
            assert " 59 unchanged" in result.stdout, result.stdout
            rebuilds.append(seconds)
        d = statistics.median(rebuilds)
        print(f"(d) rebuild after one creator changed: {d:7.2f} s   = {d / a:.1%} of a   "
              f"(median of 3; target <= 3/N = {3 / n:.1%})")
        (tmp / "one").mkdir()
        (tmp / "one/page.html").write_text(min((tmp / "html").glob("*.html")).read_text())
        alone = statistics.median(run([sys.executable, "-c", BASELINE, str(theme), str(tmp / "one"),
                                       str(tmp / "pdf")])[0] for _ in range(3))
        print(f"    plain WeasyPrint, that PDF alone:  {alone:7.2f} s   = {alone / a:.1%} of a   "
              "(median of 3; a fresh process, as (b))")
        warm = warm_rebuild(root, one, "fee: 270", "fee: 275")
        print(f"    the same in a running serve:       {warm:7.2f} s   = {warm / a:.1%} of a   "
              "(saved -> packet rewritten, in one warm process)")

        big = generate(tmp / "big", 1000, 100)
        e = statistics.median(run([*BRIEFKIT, "validate", "--workspace", str(big)])[0] for _ in range(3))
        print(f"(e) validate 1,000 creators:           {e:7.2f} s   (median of 3; target <= 1 s)")
        f = statistics.median(run([*BRIEFKIT, "--help"])[0] for _ in range(5))
        print(f"(f) briefkit --help:                   {f:7.2f} s   (median of 5; target <= 0.3 s)")

        pdfs = sorted((root / "output").rglob("brief.pdf"))
        sizes = [p.stat().st_size / 1000 for p in pdfs]
        pages = [len(PdfReader(p).pages) for p in pdfs]
        print(f"PDFs: {len(pdfs)}, {min(pages)}-{max(pages)} pages, {min(sizes):.0f}-{max(sizes):.0f} KB, "
              f"median {statistics.median(sizes):.0f} KB (target for a typical 3-page brief <= 150 KB)")

        small = generate(tmp / "small", max(n // 3, 2), args.per_campaign)
        small_rss = peak_rss([*BRIEFKIT, "build", "--force", "--workspace", str(small)])
        full_rss = peak_rss([*build, "--force"])
        double = generate(tmp / "double", 2 * n, args.per_campaign)
        double_rss = peak_rss([*BRIEFKIT, "build", "--force", "--workspace", str(double)])
        print(f"peak memory of the largest process: {small_rss} MB for {max(n // 3, 2)} creators, "
              f"{full_rss} MB for {n}, {double_rss} MB for {2 * n} (target: flat)")


if __name__ == "__main__":
    main()
