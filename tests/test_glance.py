"""At a glance, the first thing on the page and on page 1 of the PDF, and deadlines
in the creator's own time zone, on the page, in the PDF and in the calendar."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from briefkit.build import build

from .conftest import FIXTURES, edit, parse_html

MADRID = ZoneInfo("Europe/Madrid")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The deals fixture, with Pia moved to Mexico City and reading Mexican Spanish."""
    root = tmp_path_factory.mktemp("glance") / "ws"
    shutil.copytree(FIXTURES / "deals", root)
    edit(root / "briefs/matcha/creators/pia.yaml", "locale: de-DE\n", "locale: es-MX\ntimezone: America/Mexico_City\n")
    report = build(root)
    assert not report.failed, report.diagnostics
    return root / "output/matcha"


SLUGS = ["pia-pours", "gus-brews", "aiko-tea", "yuki-whisks", "bia-matcha"]


@pytest.mark.parametrize("slug", SLUGS)
def test_the_glance_is_the_first_thing_after_the_header(out: Path, slug: str) -> None:
    page = parse_html(out / slug / "index.html")
    tags = [(tag, attrs.get("class", "")) for tag, attrs in page.elements]
    after_header = tags[tags.index(("header", "masthead")) + 1:]
    first_block = next(t for t in after_header if t[0] in ("section", "aside", "nav", "main")
                       and "masthead" not in t[1] and t[1] != "")
    assert first_block == ("section", "glance")
    title = page.lines.index(page.text_of("glance-title"))
    assert "@" in page.lines[title - 1]  # the line before it: "Prepared for … @handle", the header's last


@pytest.mark.parametrize(("slug", "lines"), [
    ("gus-brews", ["What you make", "1 × Instagram reel", "What you get",  # British English
                   "Ceremonial matcha set, worth PLN280.00", "Drafts due", "Mon 10 May", "Goes live",
                   "Sat 15 May", "Please reply by Mon, 3 May 2027"]),
    ("aiko-tea", ["1 × TikTok video", "12% commission on sales", "Goes live", "Sun, May 16 – Thu, May 20"]),
    ("bia-matcha", ["1 × Instagram reel", "1 × TikTok video", "cachê de R$ 1.500,00",
                    "Ceremonial matcha set, no valor de € 64,90"]),
])
def test_the_glance_says_what_to_make_what_they_get_and_when(out: Path, slug: str, lines: list[str]) -> None:
    page = parse_html(out / slug / "index.html")
    glance = " ".join(page.lines[page.lines.index(page.text_of("glance-title")):][:14])
    for line in lines:
        assert line in glance, (line, glance)
    if slug == "gus-brews":
        assert "fee" not in glance and "commission" not in glance  # only what his gifted offer gives


@pytest.mark.parametrize(("slug", "glance", "reply", "first_section"), [
    ("pia-pours", "DE UN VISTAZO", "Fecha límite para responder", "La campaña"),
    ("gus-brews", "AT A GLANCE", "Please reply by", "The campaign"),
    ("bia-matcha", "EM RESUMO", "Responda até", "A campanha"),
])
def test_the_pdf_opens_with_the_glance_on_page_one(out: Path, slug: str, glance: str, reply: str,
                                                    first_section: str) -> None:
    first = " ".join(PdfReader(out / slug / "brief.pdf").pages[0].extract_text().split())
    # under the header (its last line names the creator), before the first section
    assert first.index("@") < first.index(glance) < first.index(reply) < first.index(first_section), first


# deadlines in the creator's own time -------------------------------------------------


def test_a_creator_in_mexico_city_reads_the_madrid_deadline_in_her_own_time(out: Path) -> None:
    page = parse_html(out / "pia-pours/index.html")
    # Reply by the end of 3 May in Madrid: 15:59 that day in Mexico City, named in Spanish
    assert "Fecha límite para responder: lun, 3 de may de 2027, 3:59 p.m. hora estándar central" in page.text
    assert "Europe/Madrid" not in page.text and "America/Mexico_City" not in page.text
    times = [a["datetime"] for tag, a in page.elements if tag == "time"]
    assert "2027-05-03T15:59:59-06:00" in times  # the moment, machine-readable


def test_a_creator_in_the_campaigns_zone_reads_plain_days(out: Path) -> None:
    page = parse_html(out / "gus-brews/index.html")  # Gus has the campaign's time zone
    assert "Please reply by Mon, 3 May 2027 Tell" in page.text  # the day, no clock, no zone


def test_the_calendar_has_the_deadline_at_that_moment_in_the_creators_zone(out: Path) -> None:
    calendar = Calendar.from_ical((out / "yuki-whisks/calendar.ics").read_bytes())
    [reply] = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("Reply")]
    end = reply.decoded("DTEND")
    assert end == dt.datetime(2027, 5, 3, 23, 59, 59, tzinfo=MADRID)  # the same moment…
    assert reply["DTEND"].params["TZID"] == "Asia/Tokyo"  # …on Yuki's clock
    assert end.astimezone(ZoneInfo("Asia/Tokyo")).hour == 6
    [live] = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("Goes live")]
    assert live.decoded("DTSTART") == dt.date(2027, 5, 15)  # a day to publish stays a day


def test_the_pdf_names_the_creators_zone_too(out: Path) -> None:
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out / "yuki-whisks/brief.pdf").pages).split())
    assert "Tue, May 4, 2027, 6:59 Japan Standard Time" in text
