"""Values from YAML reach each destination escaped by that destination's rules: the
calendar (RFC 5545 TEXT) and the pages' mail links (RFC 6068). The terminal and the
pull-request comment are tested in test_validate_errors.py and test_diff.py."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from icalendar import Calendar

from briefkit.build import build

from .conftest import edit, parse_html, validate_json

CAMPAIGN = "briefs/launch/campaign.yaml"
BEN = "briefs/launch/creators/ben.yaml"
# What RFC 5545 allows in no TEXT value: C0 controls but the tab, DEL and C1 controls.
ICS_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


# --- calendar.ics --------------------------------------------------------------------


def test_a_multi_line_title_and_control_characters_make_a_valid_calendar(workspace: Path) -> None:
    edit(workspace / CAMPAIGN, "title: Oat Drink Launch\n",
         "title: |-\n  Oat Drink\n  Launch; now, with a \\ backslash and C:\\New\n")
    edit(workspace / CAMPAIGN, "  name: Jonas Weber\n", '  name: "Jonas\\rWe\\x1b[2Jb\\x7fe\\x85r\\tW."\n')
    edit(workspace / CAMPAIGN, "    format: post\n", '    format: "post\\r\\nreel\\x00"\n')
    report = build(workspace, pdf=False)
    assert not report.failed, report.diagnostics
    raw = (workspace / "output/launch/ben-brews/calendar.ics").read_bytes()

    # The bytes: CRLF ends every line and nowhere else, no control character but the tab,
    # every line at most 75 octets, each continuation starting with a space.
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\r" not in raw.replace(b"\r\n", b"") and b"\n" not in raw.replace(b"\r\n", b"")
    assert not ICS_CONTROL.search(raw.decode().replace("\r\n", "")), raw
    assert all(len(line) <= 75 for line in lines)
    unfolded = raw.decode().replace("\r\n ", "").split("\r\n")
    title = "Oat Drink\\nLaunch\\; now\\, with a \\\\ backslash and C:\\\\New"
    assert f"X-WR-CALNAME:{title}: your dates" in unfolded

    # Read back: the same texts, line break and punctuation included; the control
    # characters as visible escapes, a bare CR as a line break.
    calendar = Calendar.from_ical(raw)
    events = {str(e["UID"]).removesuffix(".launch.ben-brews@briefkit"): e for e in calendar.walk("VEVENT")}
    shown_title = "Oat Drink\nLaunch; now, with a \\ backslash and C:\\New"  # icalendar alone made `\N` a line break
    assert str(events["respond"]["SUMMARY"]) == f"Reply to the brief · {shown_title}"
    assert str(events["respond"]["DESCRIPTION"]).startswith(
        "Tell Jonas\nWe\\x1b[2Jb\\x7fe\\x85r\tW. (jonas@haferhof.example) whether you are in.")
    assert str(events["draft.ig-post"]["SUMMARY"]).startswith("Draft due: Instagram post\nreel\\x00 · Oat Drink\n")


# --- mailto: links ---------------------------------------------------------------------


def mail_links(page: Path) -> list[str]:
    return [a["href"] for a in parse_html(page).all("a") if a.get("href", "").startswith("mailto:")]


def test_an_address_or_a_text_cannot_add_a_header_to_a_mail_link(workspace: Path) -> None:
    address = "a?bcc=x%0A@haferhof.example"  # a valid address: ? = % are allowed before the @
    edit(workspace / CAMPAIGN, "jonas@haferhof.example", address)
    edit(workspace / CAMPAIGN, "  name: Jonas Weber\n",
         '  name: "Jonas&bcc=evil@evil.example\\r\\nBcc: y@evil.example"\n')
    edit(workspace / CAMPAIGN, "title: Oat Drink Launch", 'title: "Launch?cc=z@evil.example&body=x#frag"')
    report = build(workspace, pdf=False)
    assert not report.failed, report.diagnostics

    links = mail_links(workspace / "output/launch/ben-brews/index.html")
    assert len(links) >= 3  # the contact's address, accept and decline
    for href in links:
        parts = urlsplit(href)
        assert parts.scheme == "mailto" and not parts.fragment
        assert unquote(parts.path) == address
        fields = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
        assert set(fields) <= {"subject", "body"}, fields
        assert all(len(values) == 1 for values in fields.values())
        if "subject" in fields:
            assert "Launch?cc=z@evil.example&body=x#frag" in fields["subject"][0]


def test_an_address_with_two_ats_never_reaches_a_page(workspace: Path) -> None:
    edit(workspace / CAMPAIGN, "jonas@haferhof.example", "a?bcc=x@evil.example@brand.example")
    status, report = validate_json(workspace)
    assert status == 1
    assert [d["path"] for d in report["diagnostics"]] == ["contact.email"]
