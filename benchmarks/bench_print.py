"""The print layout against the one before it, in one run on one machine.

    .venv/bin/python benchmarks/bench_print.py [--rounds 3]

Renders the PDF of every brief of the example workspace (briefs/) and of the
layout fixture (tests/fixtures/layout: long names and dates, seven deliverables,
eleven languages, A4 and Letter) in one process, as briefkit does, with:

  before  the print stylesheet before the print layout was redesigned
          (benchmarks/print-before/print.css: flex and grid on paper), over today's
          brief.css (which changed since only in rules for the screen), one layout per
          brief as briefkit made then;
  after   the theme's stylesheets now (blocks, floats and tables on paper), with the
          second, tighter layout of a brief whose last page would be nearly empty.

Both render the same print HTML (today's templates). Prints, per workspace, the
median over the rounds of the seconds per PDF, the ratio after/before (aim: at most
2/3), and the pages and kilobytes of the PDFs (aim: a typical brief at most 4 pages
and 120 KB).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import statistics
import sys
import time
from pathlib import Path

from pypdf import PdfReader

from briefkit import pdf
from briefkit.render import PRINT_CSS, Renderer, pdf_setup
from briefkit.resolve import resolve_workspace
from briefkit.theme import load_theme
from briefkit.validate import check_workspace

HERE = Path(__file__).resolve().parent
WORKSPACES = {"example (briefs/)": HERE.parent, "layout fixture": HERE.parent / "tests" / "fixtures" / "layout"}
BEFORE = HERE / "print-before"


def print_pages(root: Path) -> tuple[pdf.PdfSetup, list[str]]:
    workspace, _ = check_workspace(root)
    theme = load_theme(root, workspace.settings.theme)
    renderer = Renderer(root, theme, pdf=False)
    return pdf_setup(root, theme), [renderer.print_page(brief) for brief in resolve_workspace(workspace)]


def before(setup: pdf.PdfSetup) -> pdf.PdfSetup:
    sheets = tuple((name, (BEFORE / "print.css").read_text(encoding="utf-8")) if name == PRINT_CSS else (name, text)
                   for name, text in setup.stylesheets)
    return dataclasses.replace(setup, stylesheets=sheets, theme_digest=setup.theme_digest + "-before")


def render_all(setup: pdf.PdfSetup, pages: list[str], second_layout: bool) -> tuple[float, list[bytes]]:
    """Seconds per PDF, and the PDFs."""
    saved = pdf.NEARLY_EMPTY
    pdf.NEARLY_EMPTY = saved if second_layout else 0.0
    try:
        start = time.perf_counter()
        made = [pdf.make_pdf(setup, html)[0] for html in pages]
        return (time.perf_counter() - start) / len(pages), made
    finally:
        pdf.NEARLY_EMPTY = saved


def shape(pdfs: list[bytes]) -> str:
    pages = [len(PdfReader(io.BytesIO(data)).pages) for data in pdfs]
    sizes = [len(data) / 1000 for data in pdfs]
    return (f"pages {min(pages)}–{max(pages)} (median {statistics.median(pages):g}), "
            f"{min(sizes):.0f}–{max(sizes):.0f} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {args.rounds} rounds, one process")
    for name, root in WORKSPACES.items():
        setup, pages = print_pages(root)
        variants = {"before": (before(setup), False), "after": (setup, True)}
        for variant_setup, second in variants.values():
            pdf.make_pdf(variant_setup, pages[0])  # fonts and stylesheets loaded
        times: dict[str, list[float]] = {key: [] for key in variants}
        made: dict[str, list[bytes]] = {}
        for _ in range(args.rounds):
            for key, (variant_setup, second) in variants.items():
                seconds, made[key] = render_all(variant_setup, pages, second)
                times[key].append(seconds)
        old, new = statistics.median(times["before"]), statistics.median(times["after"])
        print(f"{name}: {len(pages)} briefs")
        print(f"  before: {old:6.3f} s per PDF   {shape(made['before'])}")
        print(f"  after:  {new:6.3f} s per PDF   {shape(made['after'])}")
        print(f"  after/before = {new / old:.2f}   (aim <= 0.67)")


if __name__ == "__main__":
    main()
