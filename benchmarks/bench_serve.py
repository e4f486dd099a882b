"""How long a brand manager waits in `briefkit serve`: from saving a YAML file to the
open page in the browser showing the change, measured in one run on one machine.

    .venv/bin/python benchmarks/bench_serve.py [--saves 5]

Runs `briefkit serve` on a copy of tests/fixtures/basic, opens Klara's page in
headless Chromium (Debian's, through Playwright), and changes her fee `--saves`
times, each time waiting for the new fee to appear in the page (the live reload;
nothing reloads by hand). Prints every figure and the median, with PDFs and with
`--no-pdf`. Target: under 3 s with PDFs on a 2-core machine; the functional test
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

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CAMPAIGN = "briefs/launch/campaign.yaml"


def save_to_screen(root: Path, saves: int, *options: str) -> list[float]:
    """Seconds from each save of a new fee to the open page showing it."""
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
            page.goto(url + "launch/kaffee-klara/")
            expect(page.locator("body")).to_contain_text("350,00 €")
            page.wait_for_timeout(500)  # the page's event stream is connected
            figures, fee = [], 350
            for _ in range(saves):
                campaign = root / CAMPAIGN
                campaign.write_text(campaign.read_text().replace(f"    fee: {fee}\n", f"    fee: {fee + 10}\n"))
                saved = time.perf_counter()
                fee += 10
                expect(page.locator("body")).to_contain_text(f"{fee},00 €", timeout=60_000)
                figures.append(time.perf_counter() - saved)
                page.wait_for_timeout(500)  # the reloaded page's event stream is connected again
            browser.close()
        return figures
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--saves", type=int, default=5)
    saves = parser.parse_args().saves
    for label, options in (("with PDFs", ()), ("--no-pdf", ("--no-pdf",))):
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder) / "ws"
            shutil.copytree(REPO / "tests/fixtures/basic", root)
            figures = save_to_screen(root, saves, *options)
        shown = ", ".join(f"{f:.2f}" for f in figures)
        print(f"saved → shown in the page, {label:9}: median {statistics.median(figures):.2f} s  ({shown})")


if __name__ == "__main__":
    main()
