"""`briefkit build`: every packet, only its own creator's data, written safely and reproducibly."""

from __future__ import annotations

import gc
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefkit.build import Selection, SelectionError, build
from briefkit.diagnostics import UsageError
from briefkit.write import LOCK, MANIFEST, STATS

from .conftest import REPO, parse_html, pdf_text, run_briefkit, run_briefkit_process

FIXTURE_PACKETS = {"launch/kaffee-klara", "launch/ben-brews"}
# What each creator of tests/fixtures/basic must see, and nobody else.
OWN = {
    "launch/kaffee-klara": ["350,00 €", "OAT-kaffee-klara", "Klara Schmidt"],
    "launch/ben-brews": ["€300.00", "OAT-ben-brews", "Ben Carter", "TikTok video"],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/basic built once with PDFs; tests only read it."""
    root = tmp_path_factory.mktemp("built") / "ws"
    shutil.copytree(REPO / "tests" / "fixtures" / "basic", root)
    report = build(root)
    assert not report.failed, report.diagnostics
    assert set(report.packets) == FIXTURE_PACKETS
    return root


def output_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "output").rglob("*") if p.is_file())


def test_every_packet_has_page_pdf_and_assets(built: Path) -> None:
    names = {p.relative_to(built / "output").as_posix() for p in output_files(built)}
    for packet in FIXTURE_PACKETS:
        assert {f"{packet}/index.html", f"{packet}/brief.pdf", f"{packet}/assets/logo.svg"} <= names
    assert names == {f"{p}/{f}" for p in FIXTURE_PACKETS
                     for f in ("index.html", "brief.pdf", "calendar.ics", "packet.zip", "assets/logo.svg")
                     } | {MANIFEST, LOCK, STATS, "robots.txt", "_headers"}


@pytest.mark.parametrize("packet", sorted(OWN))
def test_page_and_pdf_hold_own_data_and_no_one_elses(built: Path, packet: str) -> None:
    folder = built / "output" / packet
    page = parse_html(folder / "index.html").text
    pdf = pdf_text(folder / "brief.pdf")
    others = [value for other, values in OWN.items() if other != packet for value in values
              if value not in OWN[packet]]
    for text in (page, pdf):
        for value in OWN[packet]:
            assert value in text
        for value in others:
            assert value not in text


def test_deliverables_per_creator(built: Path) -> None:
    klara = parse_html(built / "output/launch/kaffee-klara/index.html").text
    ben = parse_html(built / "output/launch/ben-brews/index.html").text
    assert "1 × Instagram post" in klara and "TikTok" not in klara
    assert "1 × Instagram post" in ben and "2 × TikTok video" in ben
    assert "Sa., 10. Apr. 2027" in klara  # draft due, in Klara's locale (de-DE)
    assert "Sat, Apr 10, 2027" in ben  # in Ben's (en-US)


def test_nothing_internal_reaches_any_output(built: Path) -> None:
    for path in output_files(built):
        data = path.read_bytes()
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        assert b"INTERNAL-CANARY" not in data, path
        assert b"ben@" not in data and b"rating" not in data, path
        if path.suffix == ".pdf":
            assert "INTERNAL-CANARY" not in pdf_text(path)


def test_pdf_is_a_tagged_document_with_metadata(built: Path) -> None:
    reader = PdfReader(built / "output/launch/ben-brews/brief.pdf")
    info = reader.metadata
    assert info.title == "Oat Drink Launch · Prepared for Ben Carter"
    assert info.author == "Haferhof"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-US"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert len(reader.pages) >= 2
    assert reader.pages[0].mediabox.width == 612  # US Letter for a creator in the US
    klara = PdfReader(built / "output/launch/kaffee-klara/brief.pdf")
    assert round(klara.pages[0].mediabox.width) == 595  # A4 in Germany
    assert klara.trailer["/Root"]["/Lang"] == "de-DE"


def test_pdf_has_running_footer_with_page_numbers_and_live_links(built: Path) -> None:
    reader = PdfReader(built / "output/launch/ben-brews/brief.pdf")
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"Page {number} of {pages}" in text
        assert "Oat Drink Launch · Ben Carter (@ben.brews)" in text
    links = [annotation.get_object()["/A"].get("/URI")
             for page in reader.pages for annotation in page.get("/Annots", [])
             if annotation.get_object().get("/Subtype") == "/Link"]
    assert any(link and "utm_content=ben-brews" in link for link in links)
    assert any(link and link.startswith("mailto:jonas@haferhof.example?subject=") for link in links)


def test_page_is_self_contained_and_not_indexed(built: Path) -> None:
    page = parse_html(built / "output/launch/ben-brews/index.html")
    assert {"name": "robots", "content": "noindex, nofollow"} in page.all("meta")
    assert len(page.all("script")) == 1  # the theme's copy buttons; CSP allows it by hash
    assert not page.all("link")  # the stylesheet is inlined
    for attrs in page.all("img"):
        assert attrs["src"].startswith("data:image/")
        assert "alt" in attrs
    for attrs in page.all("a"):
        href = attrs["href"]
        assert href.startswith(("#", "https://", "mailto:", "tel:", "assets/", "brief.pdf", "packet.zip",
                                "calendar.ics")), href
    html = (built / "output/launch/ben-brews/index.html").read_text()
    assert "workspace.invalid" not in html and "file:" not in html and str(built) not in html


def test_accept_link_is_prefilled(built: Path) -> None:
    page = parse_html(built / "output/launch/ben-brews/index.html")
    accept = [a["href"] for a in page.all("a") if a.get("class") == "button"]
    assert accept and accept[0] == (
        "mailto:jonas@haferhof.example?subject=Yes%20to%20Oat%20Drink%20Launch%20%28%40ben.brews%29"
        "&body=Hi%20Jonas%20Weber%2C%0A%0AI%20would%20like%20to%20take%20part%20in%20Oat%20Drink"
        "%20Launch.%0A%0ABen%20Carter%20%28%40ben.brews%29")


def test_same_workspace_builds_identical_bytes_in_another_folder(built: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "copy"
    shutil.copytree(REPO / "tests" / "fixtures" / "basic", other)
    assert not build(other).failed
    # Every file but the stat cache, which records when files were written.
    first = {p.relative_to(built).as_posix(): p.read_bytes() for p in output_files(built) if p.name != STATS}
    second = {p.relative_to(other).as_posix(): p.read_bytes() for p in output_files(other) if p.name != STATS}
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], name


def test_many_pages_without_pdfs_are_made_in_a_pool_and_are_the_same(workspace: Path, tmp_path: Path) -> None:
    """From HTML_POOL_FROM packets on, pages alone are made by worker processes in
    batches: in order, and byte for byte what one process makes. What a build keeps from
    the cycle collector while it writes is given back to it (serve builds again and
    again in one process)."""
    from briefkit.build import HTML_POOL_FROM

    frozen = gc.get_freeze_count()

    campaign = workspace / "briefs/launch/campaign.yaml"
    campaign.write_text("".join(line for line in campaign.read_text().splitlines(keepends=True)
                                if not line.startswith("budget:")))  # so many fees are over it
    ben = (workspace / "briefs/launch/creators/ben.yaml").read_text()
    for n in range(HTML_POOL_FROM):
        (workspace / f"briefs/launch/creators/ben{n}.yaml").write_text(
            ben.replace('"@ben.brews"', f'"@ben.brews{n}"').replace("Ben Carter", f"Ben {n}"))
    one, pool = tmp_path / "one", tmp_path / "pool"
    assert not build(workspace, out=one, pdf=False, jobs=1).failed
    report = build(workspace, out=pool, pdf=False, jobs=2)
    assert len(report.packets) == HTML_POOL_FROM + 2
    files = {p.relative_to(one).as_posix(): p.read_bytes() for p in output_files(one) if p.name != STATS}
    assert files == {p.relative_to(pool).as_posix(): p.read_bytes() for p in output_files(pool) if p.name != STATS}
    assert gc.get_freeze_count() == frozen


def test_packets_are_staged_until_all_are_rendered_and_a_render_error_writes_nothing(workspace: Path) -> None:
    from briefkit.write import STAGING_PREFIX

    assert not build(workspace, pdf=False).failed
    assert list((workspace / "output").glob(STAGING_PREFIX + "*")) == []
    # A template that fails for the second creator only: the first was rendered and
    # staged, yet nothing is written, and nothing is left behind.
    offer = workspace / "themes/brand/templates/sections/offer.html"
    offer.parent.mkdir(parents=True)
    offer.write_text('<p>{{ 1 // (0 if creator.handle == "ben.brews" else 1) }}</p>\n')
    settings = workspace / "briefkit.yaml"
    settings.write_text(settings.read_text().replace("theme: default", "theme: brand"))
    before = {p: p.read_bytes() for p in output_files(workspace)}
    frozen = gc.get_freeze_count()
    report = build(workspace, pdf=False, jobs=1)
    assert gc.get_freeze_count() == frozen
    assert report.failed and "offer.html" in report.diagnostics[0].location.file
    assert report.packets == [] and report.unchanged == []
    assert {p: p.read_bytes() for p in output_files(workspace)} == before
    assert list((workspace / "output").glob(STAGING_PREFIX + "*")) == []


def test_invalid_workspace_writes_nothing(workspace: Path) -> None:
    campaign = workspace / "briefs/launch/campaign.yaml"
    campaign.write_text(campaign.read_text().replace("fee: 300", "fee: lots"))
    result = run_briefkit_process("build", "--workspace", str(workspace))
    assert result.returncode == 1
    assert "briefs/launch/campaign.yaml:17:8: error:" in result.stderr
    assert "nothing written" in result.stderr
    assert not (workspace / "output").exists()


def test_rebuild_prunes_removed_creator_but_keeps_files_it_did_not_write(workspace: Path) -> None:
    assert not build(workspace, pdf=False).failed
    mine = workspace / "output/launch/ben-brews/notes.txt"
    mine.write_text("my own notes")
    (workspace / "briefs/launch/creators/ben.yaml").unlink()
    report = build(workspace, pdf=False)
    assert report.packets == [] and report.unchanged == ["launch/kaffee-klara"]  # Klara's inputs are the same
    assert not (workspace / "output/launch/ben-brews/index.html").exists()
    assert mine.read_text() == "my own notes"
    manifest = json.loads((workspace / "output" / MANIFEST).read_text())
    assert not [name for name in manifest["files"] if name.startswith("launch/ben-brews/")]


def test_a_changed_stale_file_is_kept_and_reported(workspace: Path) -> None:
    assert not build(workspace, pdf=False).failed
    page = workspace / "output/launch/ben-brews/index.html"
    page.write_text("edited by hand")
    (workspace / "briefs/launch/creators/ben.yaml").unlink()
    result = run_briefkit("build", "--no-pdf", "--workspace", str(workspace))
    assert result.returncode == 0
    assert "kept launch/ben-brews/index.html" in result.stderr
    assert page.read_text() == "edited by hand"


def test_one_creator_builds_alone_and_prunes_nothing_else(workspace: Path) -> None:
    assert not build(workspace, pdf=False).failed
    report = build(workspace, Selection(creator="@BEN.brews"), pdf=False, force=True)
    assert report.packets == ["launch/ben-brews"]
    assert (workspace / "output/launch/kaffee-klara/index.html").is_file()
    manifest = json.loads((workspace / "output" / MANIFEST).read_text())["files"]
    assert "launch/kaffee-klara/index.html" in manifest


def test_a_build_of_one_campaign_checks_that_campaign_only(workspace: Path) -> None:
    other = workspace / "briefs/other"
    shutil.copytree(workspace / "briefs/launch", other)
    campaign = other / "campaign.yaml"
    campaign.write_text("id: autumn\n" + campaign.read_text().replace("fee: 300", "fee: lots"))
    report = build(workspace, Selection(campaign="launch"), pdf=False)
    assert not report.failed and report.packets == ["launch/kaffee-klara", "launch/ben-brews"]
    assert build(workspace, pdf=False).failed  # a whole build checks every campaign
    report = build(workspace, Selection(campaign="autumn"), pdf=False)  # found by its written id
    assert report.failed and {d.location.file for d in report.diagnostics if d.is_error} == \
        {"briefs/other/campaign.yaml"}


def test_unknown_selection_is_a_usage_error(workspace: Path) -> None:
    with pytest.raises(SelectionError, match="no campaign has the id 'nope'; campaigns: launch"):
        build(workspace, Selection(campaign="nope"))
    result = run_briefkit("build", "--creator", "@nobody", "--workspace", str(workspace))
    assert result.returncode == 2
    assert "no creator with the handle '@nobody'" in result.stderr
    assert not (workspace / "output").exists()


def test_cli_build_prints_a_line_per_packet_and_a_summary(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_briefkit("build", "--no-pdf", "--out", str(out), "--workspace", str(workspace))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "  rendered launch/kaffee-klara", "  rendered launch/ben-brews", f"2 packets in {out}/"]
    assert (out / "launch/ben-brews/index.html").is_file()
    assert not (out / "launch/ben-brews/brief.pdf").exists()
    assert "brief.pdf" not in (out / "launch/ben-brews/index.html").read_text()
    assert not (workspace / "output").exists()


def test_private_links_add_a_keyed_suffix(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (workspace / "briefkit.yaml").write_text("private_links: true\n")
    monkeypatch.setenv("BRIEFKIT_SECRET", "correct horse battery staple")
    first = build(workspace, pdf=False).packets
    monkeypatch.setenv("BRIEFKIT_SECRET", "another secret")
    second = build(workspace, pdf=False).packets
    assert [p.rsplit("-", 1)[0] for p in first] == ["launch/kaffee-klara", "launch/ben-brews"]
    assert all(len(p.rsplit("-", 1)[1]) == 16 for p in first)
    assert first != second
    assert sorted(p.parent.name for p in (workspace / "output/launch").glob("*/index.html")) == sorted(
        p.split("/")[1] for p in second)


def test_files_are_readable_by_a_web_server(built: Path) -> None:
    for path in output_files(built):
        assert path.stat().st_mode & 0o044 == 0o044, path


def test_example_workspace_builds(tmp_path: Path) -> None:
    root = tmp_path / "example"
    shutil.copytree(REPO / "briefs", root / "briefs")
    shutil.copy(REPO / "briefkit.yaml", root)
    result = run_briefkit("build", "--no-pdf", "--workspace", str(root))
    assert result.returncode == 0, result.stderr
    assert "4 packets" in result.stdout
    maya = parse_html(root / "output/spring-glow/maya-makes/index.html").text
    assert "$450.00" in maya and "GLOW-maya-makes" in maya
    assert "$520.00" not in maya and "520,00" not in maya and "Negotiation ceiling" not in maya


def test_a_build_without_pdfs_leaves_the_last_pdfs_alone(workspace: Path) -> None:
    assert not build(workspace, Selection(creator="ben.brews")).failed
    pdf = workspace / "output/launch/ben-brews/brief.pdf"
    before = pdf.read_bytes()
    assert not build(workspace, pdf=False).failed
    assert pdf.read_bytes() == before
    manifest = json.loads((workspace / "output" / MANIFEST).read_text())["files"]
    assert "launch/ben-brews/brief.pdf" in manifest


# --- the output folder is a boundary (docs/building.md, "The output folder") -------------------


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every file and link below `folder` (not following links), with its bytes or target."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = f"-> {path.readlink()}"
        elif path.is_file():
            found[name] = path.read_bytes()
    return found


def test_a_symlinked_folder_in_the_output_is_not_written_through(workspace: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (workspace / "output").mkdir()
    (workspace / "output/launch").symlink_to(elsewhere, target_is_directory=True)

    result = run_briefkit("build", "--no-pdf", "--workspace", str(workspace))

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "output/launch: error: a link, not a folder" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_symlinked_folder_in_the_output_is_not_pruned_through(workspace: Path, tmp_path: Path) -> None:
    assert not build(workspace, pdf=False).failed
    elsewhere = tmp_path / "elsewhere"
    (workspace / "output/launch").rename(elsewhere)  # the same files, hashes and all, now outside
    (workspace / "output/launch").symlink_to(elsewhere, target_is_directory=True)
    before = tree(elsewhere)
    (workspace / "briefs/launch/creators/ben.yaml").unlink()  # Ben's packet is to be pruned

    result = run_briefkit("build", "--no-pdf", "--workspace", str(workspace))

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "output/launch: error: a link, not a folder" in result.stderr
    assert tree(elsewhere) == before


def test_the_output_folder_itself_may_be_a_link(workspace: Path, tmp_path: Path) -> None:
    """A link as the output folder is the user's choice (e.g. into a web server's folder):
    briefkit follows it once, and below it writes only into real folders."""
    site = tmp_path / "site"
    site.mkdir()
    (workspace / "output").symlink_to(site, target_is_directory=True)
    assert not build(workspace, pdf=False).failed
    assert (site / "launch/ben-brews/index.html").is_file()
    (workspace / "briefs/launch/creators/ben.yaml").unlink()
    assert not build(workspace, pdf=False).failed
    assert not (site / "launch/ben-brews").exists()


@pytest.mark.parametrize("out", [".", "..", "briefs", "briefs/launch/site", ".git/site", "themes/brand/site"])
def test_out_into_the_workspace_or_around_it_is_refused(workspace: Path, out: str) -> None:
    (workspace / ".git").mkdir()
    (workspace / "themes/brand").mkdir(parents=True)
    (workspace / "briefkit.yaml").write_text((workspace / "briefkit.yaml").read_text()
                                             .replace("theme: default", "theme: brand"))
    before = tree(workspace.parent)

    result = run_briefkit("build", "--no-pdf", "--out", out, "--workspace", str(workspace), cwd=workspace)

    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "Invalid value for --out" in result.stderr and "is not a safe output folder: it " in result.stderr
    assert tree(workspace.parent) == before


@pytest.mark.parametrize(("setting", "problem"), [
    ("output: public", "it is the workspace folder"),  # public -> . : the setting's text looks fine
    ("output: briefkit.yaml", "it is a file"),
])
def test_an_output_setting_that_is_the_workspace_or_a_file_is_an_error(workspace: Path, setting: str,
                                                                       problem: str) -> None:
    (workspace / "public").symlink_to(".", target_is_directory=True)
    (workspace / "briefkit.yaml").write_text((workspace / "briefkit.yaml").read_text() + setting + "\n")
    before = tree(workspace)

    result = run_briefkit("build", "--no-pdf", "--workspace", str(workspace))

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert f"briefkit.yaml:5:9: error: `{setting}` is not a safe output folder: {problem}" in result.stderr
    assert tree(workspace) == before


def test_out_naming_a_file_is_refused(workspace: Path, tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("mine")
    with pytest.raises(UsageError, match="not a safe output folder: it is a file"):
        build(workspace, out=file, pdf=False)
    result = run_briefkit("build", "--no-pdf", "--out", str(file), "--workspace", str(workspace))
    assert result.returncode == 2 and "Invalid value for '--out'" in result.stderr  # click's own check
    assert file.read_text() == "mine"


@pytest.mark.parametrize("recorded", [False, True], ids=["put-there-by-hand", "changed-by-hand"])
def test_a_file_briefkit_did_not_write_is_not_overwritten(workspace: Path, recorded: bool) -> None:
    page = workspace / "output/launch/kaffee-klara/index.html"
    if recorded:
        assert not build(workspace, pdf=False).failed
        (workspace / "briefs/launch/campaign.yaml").write_text(
            (workspace / "briefs/launch/campaign.yaml").read_text().replace("for coffee.", "for tea."))
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("my own page")
    before = tree(workspace / "output/launch/kaffee-klara")

    result = run_briefkit("build", "--no-pdf", "--workspace", str(workspace))

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "output/launch/kaffee-klara/index.html: error: briefkit did not write this file" in result.stderr
    assert "hint: move it away or delete it, then build again" in result.stderr
    assert tree(workspace / "output/launch/kaffee-klara") == before  # nothing of that packet
    ben = (workspace / "output/launch/ben-brews/index.html").read_text()
    assert ("for tea." if recorded else "for coffee.") in ben  # the other packet is written
    page.unlink()
    assert not build(workspace, pdf=False).failed
    assert page.read_text().startswith("<!DOCTYPE html>")


def test_a_render_error_writes_nothing_and_keeps_the_last_output(workspace: Path) -> None:
    assert not build(workspace, pdf=False).failed
    before = tree(workspace / "output")
    (workspace / "themes/brand/templates/sections").mkdir(parents=True)
    (workspace / "themes/brand/templates/sections/offer.html").write_text(  # fails for Ben, the second
        '{% if brief.creator.slug == "ben-brews" %}{{ brief.offer.nope }}{% endif %}<p>offer</p>\n')
    (workspace / "briefkit.yaml").write_text((workspace / "briefkit.yaml").read_text()
                                             .replace("theme: default", "theme: brand"))

    result = run_briefkit("build", "--no-pdf", "--workspace", str(workspace))

    assert result.returncode == 1, result.stderr
    assert "the theme's template failed" in result.stderr and "nothing written" in result.stderr
    assert tree(workspace / "output") == before
