"""PDFs made in this process and in the PDF process a build starts early are the same,
errors cross over, and neither leaves WeasyPrint's font folders behind."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from briefkit.pdf import PdfProcess, make_pdf
from briefkit.render import Renderer
from briefkit.resolve import resolve_workspace
from briefkit.theme import load_theme
from briefkit.validate import check_workspace

from .conftest import pdf_text, run_briefkit_process

BEN = "briefs/launch/creators/ben.yaml"


@pytest.fixture
def renderer(workspace: Path) -> Renderer:
    return Renderer(workspace, load_theme(workspace, "default"))


def print_page(workspace: Path, renderer: Renderer) -> str:
    workspace_data, _ = check_workspace(workspace)
    return renderer.print_page(resolve_workspace(workspace_data)[0])


def test_the_pdf_process_makes_the_same_pdf_and_reports_refusals(workspace: Path, renderer: Renderer) -> None:
    html = print_page(workspace, renderer).replace(
        "</body>", '<img src="file:///etc/passwd" alt=""><img src="https://tracker.example/p.png" alt=""></body>')
    here = make_pdf(renderer.pdf_setup, html)
    with PdfProcess() as process:
        process.prepare(renderer.pdf_setup)  # fonts and stylesheets first, as a build does
        there = process.submit(renderer.pdf_setup, html)()
        again = process.submit(renderer.pdf_setup, html)()  # a second job, with the tools kept
    assert there == here == again
    assert here[1] == [("fetch", "file:///etc/passwd"), ("fetch", "https://tracker.example/p.png")]
    assert here[0].startswith(b"%PDF-")


def test_an_error_in_the_pdf_process_is_raised_in_the_build(renderer: Renderer) -> None:
    with PdfProcess() as process:
        with pytest.raises(TypeError):
            process.submit(renderer.pdf_setup, 42)()  # type: ignore[arg-type]
        assert process.submit(renderer.pdf_setup, "<p>still working</p>")()[0].startswith(b"%PDF-")
    assert not multiprocessing.active_children()


def test_a_one_packet_build_makes_its_pdf_in_the_pdf_process_without_leaving_font_folders(
        workspace: Path, tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    environment = {"TMPDIR": str(temporary), "PATH": "/usr/bin:/bin"}
    assert run_briefkit_process("build", "--jobs", "2", "--workspace", str(workspace), env=environment).returncode == 0
    ben = workspace / BEN
    ben.write_text(ben.read_text() + "fee: 345\n")
    # The build's own process never imports WeasyPrint: the PDF is made in the PDF process.
    code = ("import sys\nfrom briefkit.cli import cli\ntry:\n    cli(%r)\nexcept SystemExit as end:\n"
            "    print(end.code, 'weasyprint' in sys.modules)") % [
        "build", "--jobs", "2", "--workspace", str(workspace)]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment)
    assert result.stdout.splitlines()[0] == "  rendered launch/ben-brews", result.stderr
    assert result.stdout.splitlines()[-1] == "0 False", result.stderr
    assert "€345.00" in pdf_text(workspace / "output/launch/ben-brews/brief.pdf")
    assert list(temporary.glob("weasyprint-*")) == []  # every process dropped its fonts' folder


def test_a_pdf_process_that_died_is_named_in_the_error(renderer: Renderer) -> None:
    with PdfProcess() as process:
        (child,) = multiprocessing.active_children()
        os.kill(child.pid, signal.SIGKILL)  # as the kernel's out-of-memory killer would
        child.join()
        with pytest.raises(RuntimeError, match=r"the PDF process ended unexpectedly \(exit code -9\)"):
            process.submit(renderer.pdf_setup, "<p>a brief</p>")()
