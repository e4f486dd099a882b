"""Incremental and parallel builds: an unchanged packet is not rendered again, a changed one is,
and a pool of workers writes the same bytes as one process."""

from __future__ import annotations

import json
import multiprocessing
import queue
import shutil
import threading
from pathlib import Path

import pytest

from briefkit.build import Selection, build
from briefkit.render import Renderer
from briefkit.write import MANIFEST, STATS, OutputWriter

from .conftest import edit, pdf_text, run_briefkit

KLARA, BEN = "launch/kaffee-klara", "launch/ben-brews"


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The creators whose packets were rendered (in this process, so with jobs=1)."""
    calls: list[str] = []
    original = Renderer.packet

    def counting(self: Renderer, brief):  # type: ignore[no-untyped-def]
        calls.append(brief.creator.slug)
        return original(self, brief)

    monkeypatch.setattr(Renderer, "packet", counting)
    return calls


def rebuild(workspace: Path, rendered: list[str], **options) -> list[str]:
    rendered.clear()
    report = build(workspace, pdf=False, **options)
    assert not report.failed, report.diagnostics
    assert sorted(report.packets) == sorted(f"launch/{slug}" for slug in rendered)
    return sorted(rendered)


def test_an_unchanged_workspace_renders_nothing(workspace: Path, rendered: list[str]) -> None:
    assert rebuild(workspace, rendered) == ["ben-brews", "kaffee-klara"]
    before = {p: p.stat().st_mtime_ns for p in (workspace / "output").rglob("*.html")}
    assert rebuild(workspace, rendered) == []
    assert {p: p.stat().st_mtime_ns for p in (workspace / "output").rglob("*.html")} == before
    report = build(workspace, pdf=False)
    assert report.unchanged == [KLARA, BEN]


def test_a_change_to_one_creator_renders_only_that_packet(workspace: Path, rendered: list[str]) -> None:
    rebuild(workspace, rendered)
    edit(workspace / "briefs/launch/creators/ben.yaml", "latte art reels", "latte art videos")
    assert rebuild(workspace, rendered) == ["ben-brews"]
    assert "latte art videos" in (workspace / "output" / BEN / "index.html").read_text()


def test_a_change_to_the_campaign_renders_its_packets(workspace: Path, rendered: list[str]) -> None:
    rebuild(workspace, rendered)
    edit(workspace / "briefs/launch/campaign.yaml", "for coffee.", "for coffee and tea.")
    assert rebuild(workspace, rendered) == ["ben-brews", "kaffee-klara"]


@pytest.mark.parametrize(("changed", "text"), [
    ("themes/brand/labels/en.yaml", "section:\n  offer: What you get\n"),
    ("briefs/launch/assets/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>'),
])
def test_a_change_to_the_theme_or_an_asset_renders_again(workspace: Path, rendered: list[str],
                                                       changed: str, text: str) -> None:
    (workspace / "themes/brand/labels").mkdir(parents=True)
    (workspace / "briefkit.yaml").write_text((workspace / "briefkit.yaml").read_text()
                                             .replace("theme: default", "theme: brand"))
    rebuild(workspace, rendered)
    (workspace / changed).write_text(text)
    assert rebuild(workspace, rendered) == ["ben-brews", "kaffee-klara"]


def test_a_packet_file_removed_by_hand_is_written_again_one_changed_is_not_overwritten(
        workspace: Path, rendered: list[str]) -> None:
    rebuild(workspace, rendered)
    (workspace / "output" / BEN / "index.html").write_text("edited")
    (workspace / "output" / KLARA / "calendar.ics").unlink()
    rendered.clear()
    report = build(workspace, pdf=False)
    assert sorted(rendered) == ["ben-brews", "kaffee-klara"]
    # Klara's packet is written again; Ben's page was changed by hand, so it is not
    # overwritten (test_build.py: a file briefkit did not write) until it is moved away.
    assert report.packets == [KLARA] and report.failed
    assert (workspace / "output" / KLARA / "calendar.ics").is_file()
    assert (workspace / "output" / BEN / "index.html").read_text() == "edited"
    (workspace / "output" / BEN / "index.html").unlink()
    assert rebuild(workspace, rendered) == ["ben-brews"]
    assert (workspace / "output" / BEN / "index.html").read_text().startswith("<!DOCTYPE html>")


def test_force_renders_everything(workspace: Path, rendered: list[str]) -> None:
    rebuild(workspace, rendered)
    assert rebuild(workspace, rendered, force=True) == ["ben-brews", "kaffee-klara"]
    assert rebuild(workspace, rendered, selection=Selection(creator="ben.brews"), force=True) == ["ben-brews"]


def test_a_build_with_pdfs_after_one_without_renders_the_pdfs(workspace: Path, rendered: list[str]) -> None:
    rebuild(workspace, rendered)
    rendered.clear()
    assert sorted(build(workspace).packets) == [BEN, KLARA]  # the PDFs were missing
    assert (workspace / "output" / BEN / "brief.pdf").is_file()
    assert rebuild(workspace, rendered) == []  # and now a build without PDFs has nothing to do


def test_workers_write_the_same_bytes_as_one_process(workspace: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert not build(workspace, out=one, jobs=1).failed
    report = build(workspace, out=two, jobs=2)
    assert not report.failed and report.packets == [KLARA, BEN]  # in workspace order
    # Every file but the stat cache, which records when files were written.
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file() and p.name != STATS)
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file() and p.name != STATS)
    for name in files:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_a_template_error_in_a_worker_is_reported_at_its_line(workspace: Path) -> None:
    (workspace / "themes/brand/templates/sections").mkdir(parents=True)
    (workspace / "themes/brand/templates/sections/offer.html").write_text("<p>\n{{ brief.offer.nope }}\n")
    (workspace / "briefkit.yaml").write_text((workspace / "briefkit.yaml").read_text()
                                             .replace("theme: default", "theme: brand"))
    result = run_briefkit("build", "--jobs", "2", "--workspace", str(workspace))
    assert result.returncode == 1
    assert "themes/brand/templates/sections/offer.html:2:1: error: the theme's template failed" in result.stderr
    assert "Traceback" not in result.stderr


def _build_one(workspace: Path, creator: str, done) -> None:  # type: ignore[no-untyped-def]
    done.put((creator, not build(workspace, Selection(creator=creator), pdf=False).failed))


@pytest.mark.parametrize("how", ["threads", "processes"])
def test_partial_builds_at_once_keep_each_others_manifest_entries(workspace: Path, how: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Two builds of one creator each at once; each starts writing only when the other
    does too, so that both have read the manifest before either writes (the interleaving
    that lost one build's entries)."""
    if how == "processes" and "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("the processes share the test's patched renderer by forking")
    context = multiprocessing.get_context("fork") if how == "processes" else None
    barrier = context.Barrier(2, timeout=60) if context else threading.Barrier(2, timeout=60)
    done = context.Queue() if context else queue.Queue()
    original = OutputWriter.__enter__

    def waiting(self: OutputWriter) -> OutputWriter:
        barrier.wait()
        return original(self)

    monkeypatch.setattr(OutputWriter, "__enter__", waiting)
    creators = ["kaffee.klara", "ben.brews"]
    starter = context.Process if context else threading.Thread
    runs = [starter(target=_build_one, args=(workspace, creator, done)) for creator in creators]
    for run in runs:
        run.start()
    results = dict(done.get(timeout=120) for _ in runs)
    for run in runs:
        run.join()
    monkeypatch.undo()
    assert results == {"kaffee.klara": True, "ben.brews": True}

    files = json.loads((workspace / "output" / MANIFEST).read_text())["files"]
    assert {name.rsplit("/", 1)[0] for name in files} == {KLARA, BEN, f"{KLARA}/assets", f"{BEN}/assets"}
    (workspace / "briefs/launch/creators/ben.yaml").unlink()
    assert not build(workspace, pdf=False).failed
    assert not (workspace / "output" / BEN).exists()  # pruned: the manifest knew Ben's files


def test_a_no_op_build_trusts_size_and_time_and_reads_no_packet_back(workspace: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    from pathlib import Path as RealPath

    assert not build(workspace, pdf=False).failed
    packets = workspace / "output/launch"
    read: list[str] = []
    real_read = RealPath.read_bytes
    monkeypatch.setattr(RealPath, "read_bytes",
                        lambda self: (read.append(self.name) if packets in self.parents else None) or real_read(self))
    assert build(workspace, pdf=False).packets == [] and read == []  # no packet file read back
    page = packets / "ben-brews/index.html"
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 10**9))  # touched, same bytes
    assert build(workspace, pdf=False).packets == [] and read == ["index.html"]  # hashed once, still current
    read.clear()
    assert build(workspace, pdf=False).packets == [] and read == []  # and trusted again
    page.write_text(page.read_text().replace("Ben Carter", "Ben C."))  # changed by hand
    report = build(workspace, pdf=False)
    assert report.packets == [] and report.failed  # theirs now: refused, not overwritten


def test_a_build_without_pdfs_says_which_pdfs_are_older_than_their_page_until_they_are_made(
        workspace: Path) -> None:
    from .conftest import parse_html

    assert run_briefkit("build", "--workspace", str(workspace)).returncode == 0
    edit(workspace / "briefs/launch/campaign.yaml", "  fee: 300\n", "  fee: 320\n")  # Ben's fee
    stale = "1 packet still holds the PDF and ZIP of an older brief (launch/ben-brews)"
    for _ in range(2):  # said by the build that skipped the PDF, and by every later one
        result = run_briefkit("build", "--no-pdf", "--workspace", str(workspace))
        assert result.returncode == 0 and stale in result.stderr
    page = parse_html(workspace / "output/launch/ben-brews/index.html")
    assert "€320.00" in page.text
    assert not [a for a in page.all("a") if a.get("href") in ("brief.pdf", "packet.zip")]  # not offered
    klara = parse_html(workspace / "output/launch/kaffee-klara/index.html")
    assert [a["href"] for a in klara.all("a") if a.get("href") == "brief.pdf"]  # hers is current
    result = run_briefkit("build", "--workspace", str(workspace))
    assert "older brief" not in result.stderr
    assert "€320.00" in pdf_text(workspace / "output/launch/ben-brews/brief.pdf")


def test_a_build_whose_inputs_did_not_change_validates_nothing_and_says_the_same(
        workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefkit.build as building

    first = build(workspace, pdf=False)
    assert not first.failed
    real_check = building.check_workspace
    checked: list[Path] = []
    monkeypatch.setattr(building, "check_workspace", lambda root, *a: checked.append(root) or real_check(root, *a))
    again = build(workspace, pdf=False)
    assert checked == [] and again.packets == []  # recognised by stat: nothing validated
    assert sorted(again.unchanged) == sorted(first.packets)
    assert [d.message for d in again.diagnostics] == [d.message for d in first.diagnostics]
    # Anything an input or the output changes builds properly again.
    (workspace / "output/launch/ben-brews/calendar.ics").unlink()
    assert build(workspace, pdf=False).packets == [BEN] and len(checked) == 1
    edit(workspace / "briefs/launch/campaign.yaml", "  fee: 300\n", "  fee: 310\n")
    assert build(workspace, pdf=False).packets == [BEN] and len(checked) == 2
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")  # another day: reply-by warnings may change
    build(workspace, pdf=False)
    assert len(checked) == 3
    assert build(workspace, pdf=True).packets == [KLARA, BEN] and len(checked) == 4  # other options


def test_a_logo_outside_briefs_is_an_input_too(workspace: Path) -> None:
    (workspace / "brand").mkdir()
    shutil.copy(workspace / "briefs/launch/assets/logo.svg", workspace / "brand/logo.svg")
    edit(workspace / "briefs/launch/campaign.yaml", "logo: assets/logo.svg", "logo: ../../brand/logo.svg")
    assert not build(workspace, pdf=False).failed
    assert build(workspace, pdf=False).packets == []
    logo = workspace / "brand/logo.svg"
    logo.write_text(logo.read_text().replace("</svg>", "<circle r='1'/></svg>"))
    assert build(workspace, pdf=False).packets == [KLARA, BEN]  # the new logo is in every page
