"""The creator's answer and what changed since: `respond` in a real git repository, the
brief's version, the changes in the creator's language, `status`, the calendar's updates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from .conftest import FIXTURES, edit, git, parse_html, pdf_text, run_briefkit, validate_json

CAMPAIGN = "briefs/launch/campaign.yaml"
BEN = "briefs/launch/creators/ben.yaml"
# 2027-03-01, after the fixture's commits (2027-01-01) and before its reply-by day (2027-04-01).
BEFORE_REPLY_BY = "1803902400"
AFTER_REPLY_BY = "1807444800"  # 2027-04-11


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The basic workspace, committed, in a git repository; Ben's file has comments."""
    import shutil

    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "basic", root)
    edit(root / BEN, "region: US\n", "region: US   # New York\n# his agency asks for drafts by e-mail\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "briefs")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BEFORE_REPLY_BY)
    return root


def respond(root: Path, handle: str, answer: str, *extra: str) -> str:
    result = run_briefkit("respond", handle, answer, "--campaign", "launch", "--on", "2027-02-15",
                          "--workspace", str(root), *extra)
    assert result.returncode == 0, result.stderr
    return result.stdout


def status(root: Path) -> dict[str, dict]:
    result = run_briefkit("status", "--format", "json", "--workspace", str(root))
    assert result.returncode == 0, result.stderr
    return {c["handle"]: c for c in json.loads(result.stdout)["campaigns"][0]["creators"]}


def test_an_accepted_brief_that_changed_tells_its_creator_exactly_what_changed(repo: Path) -> None:
    campaign_before = (repo / CAMPAIGN).read_text()
    head = git(repo, "rev-parse", "HEAD").strip()
    assert respond(repo, "kaffee.klara", "accepted") == (
        f"recorded: @kaffee.klara accepted on 2027-02-15 (revision {head[:12]}) in {CAMPAIGN}\n")
    # Klara is written in campaign.yaml: every line stays, hers gain the answer.
    assert (repo / CAMPAIGN).read_text() == campaign_before.replace(
        "    internal: {rating: INTERNAL-CANARY-2209}\n",
        "    internal: {rating: INTERNAL-CANARY-2209}\n"
        f"    response:\n      status: accepted\n      on: 2027-02-15\n      revision: {head[:12]}\n")
    git(repo, "commit", "-q", "-am", "Klara accepted")
    assert status(repo)["@kaffee.klara"]["state"] == "accepted"

    edit(repo / CAMPAIGN, "    fee: 350\n", "    fee: 375\n")  # her own fee
    edit(repo / CAMPAIGN, "    live_on: 2027-04-15\n", "    live_on: 2027-04-17\n")  # the campaign's date
    edit(repo / BEN, "why_you:", "fee: 1357\nwhy_you:")  # another creator's fee
    git(repo, "commit", "-q", "-am", "new fees, a later post")
    assert run_briefkit("build", "--team", "--workspace", str(repo)).returncode == 0

    packet = repo / "output/launch/kaffee-klara"
    page = parse_html(packet / "index.html")
    notice = page.text_of("answer")
    assert notice.startswith("Geändert, seit du am ")  # her brief is in German
    items = [line for line in page.lines if line.startswith(("Honorar", "Instagram"))][:2]
    assert items == ["Honorar: 350,00 € → 375,00 €",
                     "Instagram post, geht live: Do., 15. Apr. 2027 → Sa., 17. Apr. 2027"]
    confirm = next(a["href"] for a in page.all("a") if a.get("href", "").startswith("mailto:")
                   and "brief" in a["href"].lower() and "version" in a["href"].lower())
    assert "kaffee.klara" in confirm
    text = pdf_text(packet / "brief.pdf")
    assert "Honorar: 350,00 € → 375,00 €" in text and "17. Apr. 2027" in text
    for name in ("index.html", "calendar.ics"):
        written = (packet / name).read_text()
        assert "1357" not in written and "INTERNAL-CANARY" not in written
    assert "1357" not in text and "INTERNAL-CANARY" not in text

    klara = status(repo)["@kaffee.klara"]
    assert klara["state"] == "changed"
    assert [(c["kind"], c["material"]) for c in klara["changes"]] == [("fee", True), ("live", True)]
    team = parse_html(repo / "output/_team/index.html").text
    assert "changed since: to confirm again" in team


def test_the_version_changes_exactly_when_the_creators_brief_changes(repo: Path) -> None:
    def versions() -> dict[str, str]:
        return {handle: c["version"] for handle, c in status(repo).items()}

    first = versions()
    assert all(len(v) == 8 for v in first.values()) and len(set(first.values())) == 2
    edit(repo / BEN, "why_you:", "fee: 1357\nwhy_you:")
    second = versions()
    assert second["@kaffee.klara"] == first["@kaffee.klara"] and second["@ben.brews"] != first["@ben.brews"]
    respond(repo, "ben.brews", "accepted")  # answering is not a change of the brief
    assert versions() == second
    run_briefkit("build", "--no-pdf", "--workspace", str(repo))
    footer = parse_html(repo / "output/launch/ben-brews/index.html").lines[-1]
    assert footer == f"Brief version {second['@ben.brews']}"
    assert f"Brief version {second['@ben.brews']}" in (repo / "output/launch/ben-brews/calendar.ics").read_text()


def test_respond_keeps_a_creator_files_comments_byte_for_byte(repo: Path) -> None:
    before = (repo / BEN).read_text()
    respond(repo, "@ben.brews", "declined", "--revision", "HEAD")
    after = (repo / BEN).read_text()
    head = git(repo, "rev-parse", "HEAD").strip()[:12]
    assert after == before + f"response:\n  status: declined\n  on: 2027-02-15\n  revision: {head}\n"
    # Answering again changes the answer's lines only.
    respond(repo, "ben.brews", "accepted")
    assert (repo / BEN).read_text() == after.replace("status: declined", "status: accepted")


def test_calendar_events_moved_since_the_answer_get_a_higher_sequence(repo: Path) -> None:
    from icalendar import Calendar

    def events() -> dict[str, tuple[int, dt.date, dt.datetime]]:
        run_briefkit("build", "--no-pdf", "--workspace", str(repo))
        calendar = Calendar.from_ical((repo / "output/launch/ben-brews/calendar.ics").read_bytes())
        return {str(e["uid"]): (int(e.get("sequence", 0)), e.decoded("dtstart"), e.decoded("dtstamp"))
                for e in calendar.walk("VEVENT")}

    unanswered = events()
    assert "respond.launch.ben-brews@briefkit" in unanswered
    respond(repo, "ben.brews", "accepted")
    git(repo, "commit", "-q", "-am", "Ben accepted")
    accepted = events()
    assert "respond.launch.ben-brews@briefkit" not in accepted  # nothing left to do by then
    edit(repo / CAMPAIGN, "    live_on: 2027-04-15\n", "    live_on: 2027-04-17\n")
    moved = events()
    uid = "live.ig-post.launch.ben-brews@briefkit"
    assert accepted[uid][:2] == (0, dt.date(2027, 4, 15))
    assert moved[uid][:2] == (1, dt.date(2027, 4, 17)) and moved[uid][2] > accepted[uid][2]
    unmoved = "draft.ig-post.launch.ben-brews@briefkit"
    assert moved[unmoved] == accepted[unmoved]
    assert (repo / "output/launch/ben-brews/calendar.ics").read_bytes() == (
        run_briefkit("build", "--no-pdf", "--force", "--workspace", str(repo)) and
        (repo / "output/launch/ben-brews/calendar.ics").read_bytes())  # the same bytes again


def test_declined_and_overdue_creators_show_as_such_everywhere(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    respond(repo, "ben.brews", "declined")
    git(repo, "commit", "-q", "-am", "Ben declined")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", AFTER_REPLY_BY)
    creators = status(repo)
    assert (creators["@ben.brews"]["state"], creators["@ben.brews"]["answered_on"]) == ("declined", "2027-02-15")
    assert (creators["@kaffee.klara"]["state"], creators["@kaffee.klara"]["days_overdue"]) == ("overdue", 10)
    assert run_briefkit("build", "--no-pdf", "--team", "--workspace", str(repo)).returncode == 0

    ben = parse_html(repo / "output/launch/ben-brews/index.html")
    assert ben.text_of("answer").startswith("You declined this brief on")
    assert "Accept by e-mail" not in ben.text  # no call to accept is left
    calendar = (repo / "output/launch/ben-brews/calendar.ics").read_text()
    assert calendar.count("STATUS:CANCELLED") == calendar.count("BEGIN:VEVENT") > 0
    klara = parse_html(repo / "output/launch/kaffee-klara/index.html")
    assert "answer" not in klara.texts and "Per E-Mail zusagen" in klara.text
    team = parse_html(repo / "output/_team/index.html").text
    assert "declined 2027-02-15" in team and "overdue · no answer, 10 days late" in team
    assert "Answer the brief @kaffee.klara" in team and "Answer the brief @kaffee.klara, @ben.brews" not in team
    roster = repo / "roster.csv"
    run_briefkit("export", "--campaign", "launch", "--output", str(roster), "--workspace", str(repo))
    import csv
    rows = {r["Handle"]: r for r in csv.DictReader(roster.read_text(encoding="utf-8-sig").splitlines())}
    assert (rows["@ben.brews"]["Answer"], rows["@ben.brews"]["Answered on"]) == ("declined", "2027-02-15")
    assert rows["@kaffee.klara"]["Answer"] == ""
    text = run_briefkit("status", "--workspace", str(repo)).stdout
    assert "@ben.brews     declined on 2027-02-15" in text
    assert "@kaffee.klara  overdue: no answer, 10 days past the reply-by day" in text
    assert text.rstrip().endswith("2 creators: 1 overdue, 1 declined")


def test_answers_are_checked_against_git(repo: Path) -> None:
    edit(repo / BEN, "why_you:", "response: {status: accepted, on: 2026-12-01, revision: 0123456789ab}\nwhy_you:")
    status_code, report = validate_json(repo)
    found = [(d["severity"], d["code"], d["line"], d["path"]) for d in report["diagnostics"]]
    assert status_code == 1
    assert ("error", "revision", 12, "response.revision") in found
    head = git(repo, "rev-parse", "HEAD").strip()
    edit(repo / BEN, "0123456789ab", head[:12])  # known, but answered before that commit existed
    status_code, report = validate_json(repo)
    found = [(d["severity"], d["code"], d["path"]) for d in report["diagnostics"]]
    assert status_code == 0 and ("warning", "response", "response.on") in found


def test_outside_git_the_version_answered_is_compared(workspace: Path) -> None:
    result = run_briefkit("respond", "ben.brews", "accepted", "--campaign", "launch", "--on", "2027-02-15",
                          "--workspace", str(workspace))
    assert result.returncode == 0, result.stderr
    assert "revision" not in (workspace / BEN).read_text() and "  version: " in (workspace / BEN).read_text()
    run_briefkit("build", "--no-pdf", "--workspace", str(workspace))
    assert "answer" not in parse_html(workspace / "output/launch/ben-brews/index.html").texts
    edit(workspace / BEN, "why_you:", "fee: 1357\nwhy_you:")
    run_briefkit("build", "--no-pdf", "--workspace", str(workspace))
    page = parse_html(workspace / "output/launch/ben-brews/index.html")
    assert "Ask Jonas Weber what changed" in page.text_of("answer")
    with_revision = run_briefkit("respond", "ben.brews", "accepted", "--campaign", "launch", "--revision", "HEAD",
                                 "--workspace", str(workspace))
    assert with_revision.returncode == 2 and "not in a git repository" in with_revision.stderr


def test_an_unchanged_answered_packet_is_not_rendered_again_nor_is_git_read(repo: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from briefkit import answers

    respond(repo, "ben.brews", "accepted")
    git(repo, "commit", "-q", "-am", "Ben accepted")
    edit(repo / CAMPAIGN, "    live_on: 2027-04-15\n", "    live_on: 2027-04-17\n")
    assert run_briefkit("build", "--no-pdf", "--workspace", str(repo)).returncode == 0
    reads: list[str] = []
    original = answers.AnsweredBriefs._read
    monkeypatch.setattr(answers.AnsweredBriefs, "_read", lambda self, commit: reads.append(commit) or
                        original(self, commit))
    again = run_briefkit("build", "--no-pdf", "--workspace", str(repo))
    assert "2 unchanged" in again.stdout and reads == []
    respond(repo, "ben.brews", "accepted", "--revision", "HEAD")  # the same commit: nothing to do
    edit(repo / BEN, "  on: 2027-02-15", "  on: 2027-02-16")  # the answer changed: the packet says so
    run_briefkit("build", "--no-pdf", "--workspace", str(repo))
    assert len(reads) == 1
