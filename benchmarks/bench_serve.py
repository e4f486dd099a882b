"""How long a brand manager waits in `briefkit serve`: from saving a YAML file to the
open page in the browser showing the change, measured in one run on one machine.

    .venv/bin/python benchmarks/bench_serve.py [--saves 5]

Runs `briefkit serve` on a copy of tests/fixtures/basic, opens Klara's page in
headless Chromium (Debian's, through Playwright), and changes her fee `--saves`
times, each time waiting for the new fee to appear in the page (the live reload;
nothing reloads by hand). Prints every figure and the median, with PDFs and with
`--no-pdf`; then the same with PDFs for a creator's name in the 60-creator workspace of
bench_build.py (target <= 0.5 s: pages are rebuilt first, their PDFs after). Target: under 3 s with PDFs on a 2-core machine; the functional test
(tests/test_serve.py) waits up to 30 s and asserts only what happens.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CAMPAIGN = "briefs/launch/campaign.yaml"


def save_to_screen(root: Path, saves: int, page_path: str, file: str, edits: list[tuple[str, str]],
                   first: str, *options: str) -> list[float]:
    """Seconds from each save (`edits`: the text replaced and what the page then shows) to
    the open page showing it."""
    # Ctrl-C as the default action even when this benchmark runs in the background (`&`).
    server = subprocess.Popen([sys.executable, "-m", "briefkit", "serve", "--port", "0", *options,
                               "--workspace", str(root)], stdout=subprocess.PIPE, text=True,
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert server.stdout is not None
    try:
        url = next(line for line in server.stdout if line.startswith("serving ")).split(" at ")[1].split()[0]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()
            page.goto(url + page_path)
            expect(page.locator("body")).to_contain_text(first)
            page.wait_for_timeout(500)  # the page's event stream is connected
            figures, old = [], None
            for new, shown in edits:
                path = root / file
                path.write_text(path.read_text().replace(old or first_line(path, new), new, 1))
                saved = time.perf_counter()
                old = new
                expect(page.locator("body")).to_contain_text(shown, timeout=60_000)
                figures.append(time.perf_counter() - saved)
                page.wait_for_timeout(500)  # the reloaded page's event stream is connected again
            browser.close()
        return figures
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def first_line(path: Path, new: str) -> str:
    """The line of `path` that `new` replaces: the one with the same key."""
    key = new.split(":")[0] + ":"
    return next(line for line in path.read_text().splitlines(keepends=True) if line.startswith(key))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--saves", type=int, default=5)
    saves = parser.parse_args().saves
    fees = [(f"    fee: {350 + 10 * n}\n", f"{350 + 10 * n},00 €") for n in range(1, saves + 1)]
    for label, options in (("with PDFs", ()), ("--no-pdf", ("--no-pdf",))):
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder) / "ws"
            shutil.copytree(REPO / "tests/fixtures/basic", root)
            figures = save_to_screen(root, saves, "launch/kaffee-klara/", CAMPAIGN, fees, "350,00 €", *options)
        shown = ", ".join(f"{f:.2f}" for f in figures)
        print(f"saved → shown in the page, {label:9}: median {statistics.median(figures):.2f} s  ({shown})")
    with tempfile.TemporaryDirectory() as folder:  # the 60 creators of benchmarks/bench_build.py
        root = generate(Path(folder) / "ws", 60, 20)
        names = [(f"name: Creator 0 v{n}\n", f"Creator 0 v{n}") for n in range(1, saves + 1)]
        figures = save_to_screen(root, saves, "campaign-000/creator-0/",
                                 "briefs/campaign-000/creators/creator-00000.yaml", names, "Creator 0")
    shown = ", ".join(f"{f:.2f}" for f in figures)
    print(f"saved → shown, 60 creators with PDFs: median {statistics.median(figures):.2f} s  ({shown}) "
          "(target <= 0.5 s)")


if __name__ == "__main__":
    main()
