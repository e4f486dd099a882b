"""The team overview (`build --team`): totals, creators, deadlines, warnings, and
that no creator's packet links to it or holds any of it."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from briefkit.build import Selection, build
from briefkit.render import csp_hash
from briefkit.theme import default_theme_folder

from .conftest import parse_html, pdf_text, run_briefkit

TEAM_PAGE = "output/_team/index.html"


def test_the_team_overview_totals_fees_against_the_budget(workspace: Path) -> None:
    result = run_briefkit("build", "--team", "--workspace", str(workspace))
    assert result.returncode == 0, result.stderr
    assert "team overview: " in result.stdout and "_team/index.html" in result.stdout
    page = parse_html(workspace / TEAM_PAGE)
    # Klara's own fee 350 and Ben's campaign fee 300, against the campaign's budget of 2000.
    assert "Fees €650.00 Budget €2,000.00 Left €1,350.00 Creators 2" in page.text
    assert "Klara Schmidt @kaffee.klara DE" in page.text
    assert "Ben Carter @ben.brews US" in page.text
    assert "€350.00" in page.text and "€300.00" in page.text
    assert "OAT-kaffee-klara" in page.text and "OAT-ben-brews" in page.text
    links = [a["href"] for a in page.all("a") if a["href"].startswith("../")]
    assert links == ["../launch/kaffee-klara/index.html", "../launch/kaffee-klara/brief.pdf",
                     "../launch/ben-brews/index.html", "../launch/ben-brews/brief.pdf"]
    for link in links:
        assert (workspace / "output/_team" / link).resolve().is_file()
    assert [m["content"] for m in page.all("meta") if m.get("name") == "robots"] == ["noindex, nofollow"]


def test_deadlines_are_listed_in_order_with_who_must_meet_them(workspace: Path) -> None:
    assert not build(workspace, team=True, pdf=False).failed
    html = (workspace / TEAM_PAGE).read_text(encoding="utf-8")
    table = html[html.index('<table class="deadlines">'):]
    rows = [" ".join(re.sub(r"<[^>]+>", " ", row).split()).replace(" )", ")")
            for row in re.findall(r"<tr data-due=.*?</tr>", table, re.S)]
    assert rows == [
        "Thu, Apr 1, 2027 Answer the brief @kaffee.klara, @ben.brews",
        "Sat, Apr 10, 2027 Draft of ig-post @kaffee.klara, @ben.brews",
        "Thu, Apr 15, 2027 ig-post goes live @kaffee.klara, @ben.brews",
        "Sun, Apr 25, 2027 tt-video live (window from Tue, Apr 20, 2027) @ben.brews",
    ]
    # The end of the day in the campaign's time zone (Berlin), for the page's script to compare.
    assert 'data-due="2027-04-01T23:59:59+02:00"' in table


def test_warnings_are_listed_with_their_place(workspace: Path) -> None:
    creator = workspace / "briefs/launch/creators/ben.yaml"
    creator.write_text(creator.read_text(encoding="utf-8") + "tier: nano\n", encoding="utf-8")
    report = build(workspace, team=True, pdf=False)
    assert not report.failed and report.diagnostics
    page = parse_html(workspace / TEAM_PAGE)
    assert "briefs/launch/creators/ben.yaml:12:7" in page.text
    assert "None." not in page.text


def test_no_packet_links_to_or_holds_the_team_overview(workspace: Path) -> None:
    assert not build(workspace, team=True).failed
    output = workspace / "output"
    team = (output / "_team/index.html").read_text(encoding="utf-8")
    assert "INTERNAL-CANARY" not in team
    for file in output.rglob("*"):
        if not file.is_file() or "_team" in file.parts or file.name in (".briefkit-manifest.json",
                                                                          ".briefkit-stats.json"):
            continue
        data = file.read_bytes()
        texts = [data]
        if file.suffix == ".pdf":
            texts.append(pdf_text(file).encode())
        if file.suffix == ".zip":
            with zipfile.ZipFile(file) as archive:
                texts += [archive.read(name) for name in archive.namelist()]
        for text in texts:
            assert b"_team" not in text and b"Team overview" not in text, file
    klara = (output / "launch/kaffee-klara/index.html").read_text(encoding="utf-8")
    assert "OAT-ben-brews" not in klara and "Ben Carter" not in klara


def test_the_page_runs_only_its_own_script(workspace: Path) -> None:
    assert not build(workspace, team=True, pdf=False).failed
    html = (workspace / TEAM_PAGE).read_text(encoding="utf-8")
    [script] = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert script == (default_theme_folder() / "js/team.js").read_text(encoding="utf-8")  # the theme's script
    [policy] = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == f"'{csp_hash(script)}'"  # that script, and nothing else


def test_a_full_build_without_team_removes_the_old_overview(workspace: Path) -> None:
    assert not build(workspace, team=True, pdf=False).failed
    assert not build(workspace, pdf=False, selection=Selection(campaign="launch")).failed
    assert (workspace / TEAM_PAGE).is_file()  # a partial build leaves it alone
    assert not build(workspace, pdf=False).failed
    assert not (workspace / TEAM_PAGE).exists()
    assert not (workspace / "output/_team").exists()


def test_the_same_workspace_builds_the_same_overview(workspace: Path) -> None:
    assert not build(workspace, team=True, pdf=False).failed
    first = (workspace / TEAM_PAGE).read_bytes()
    assert not build(workspace, team=True, pdf=False, force=True).failed
    assert (workspace / TEAM_PAGE).read_bytes() == first

