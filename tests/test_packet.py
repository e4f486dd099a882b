"""The complete packet: tracking links with QR codes, calendar.ics, the creator's language,
only the named assets, and packet.zip."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from briefkit.build import build

from .conftest import FIXTURES, edit, parse_html, pdf_text, validate_json

LEA = ("handle: lea.cafe\nname: Léa Martin\nregion: FR\nlocale: fr-FR\nfee: 1200\n"
       "platforms:\n  instagram: {followers: 9000}\n")
SOFIA = ("handle: sofia.cafe\nname: Sofía Ruiz\nregion: ES\nlocale: es-ES\n"
         "platforms:\n  instagram: {followers: 30000}\n")
PACKETS = ["kaffee-klara", "ben-brews", "lea-cafe", "sofia-cafe"]


def add_creators(root: Path) -> None:
    """Léa (fr-FR) and Sofía (es-ES) next to Klara (de-DE) and Ben (en-US)."""
    edit(root / "briefs/launch/campaign.yaml", "budget: 2000", "budget: 5000")
    (root / "briefs/launch/creators/lea.yaml").write_text(LEA)
    (root / "briefs/launch/creators/sofia.yaml").write_text(SOFIA)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("packet") / "ws"
    shutil.copytree(FIXTURES / "basic", root)
    add_creators(root)
    (root / "briefs/launch/assets/pricing-internal.txt").write_text("not named by the campaign")
    report = build(root)
    assert not report.failed, report.diagnostics
    return root / "output/launch"


# tracking ----------------------------------------------------------------------


def page_links(packet: Path) -> dict[str, str]:
    """Tracking link per platform, as the page prints it (link text) and links it (href)."""
    html = (packet / "index.html").read_text()
    links = {}
    for platform, href, text in re.findall(r'<a id="link-([a-z]+)" href="([^"]+)"[^>]*>([^<]+)</a>', html):
        assert href == text
        links[platform] = href.replace("&amp;", "&")
    return links


def decoded_qr_codes(pdf: Path, tmp_path: Path) -> list[str]:
    """Every QR code on the PDF's pages, decoded by zbar from 150 dpi images."""
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "page")], check=True)
    found = []
    for image in sorted(tmp_path.glob("page-*.png")):
        result = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True)
        found += result.stdout.splitlines()
    return found


def test_tracking_links_carry_the_utm_defaults_per_platform(out: Path) -> None:
    assert page_links(out / "ben-brews") == {
        "instagram": "https://haferhof.example/barista?utm_source=instagram&utm_medium=influencer"
                     "&utm_campaign=launch&utm_content=ben-brews",
        "tiktok": "https://haferhof.example/barista?utm_source=tiktok&utm_medium=influencer"
                  "&utm_campaign=launch&utm_content=ben-brews",
    }
    assert list(page_links(out / "kaffee-klara")) == ["instagram"]


@pytest.mark.parametrize("packet", ["ben-brews", "kaffee-klara"])
def test_each_qr_code_in_the_pdf_decodes_to_the_printed_link(out: Path, packet: str, tmp_path: Path) -> None:
    links = page_links(out / packet)
    assert sorted(decoded_qr_codes(out / packet / "brief.pdf", tmp_path)) == sorted(links.values())
    printed = pdf_text(out / packet / "brief.pdf").replace(" ", "")
    assert all(link in printed for link in links.values())


@pytest.mark.parametrize("packet", PACKETS)
def test_the_page_reads_as_the_golden_file(out: Path, packet: str, golden) -> None:
    """Every word a creator reads on the page, a line per block, in their language."""
    golden(f"page/{packet}.txt", "\n".join(parse_html(out / packet / "index.html").lines) + "\n")


def test_the_calendar_is_the_golden_file(out: Path, golden) -> None:
    golden("calendar/ben-brews.ics", (out / "ben-brews/calendar.ics").read_bytes().decode())


def test_discount_codes_are_filled_per_creator(out: Path) -> None:
    for packet in PACKETS:
        page = parse_html(out / packet / "index.html")
        assert page.text_of("discount-code") == f"OAT-{packet}"  # inside the element the Copy button copies
        assert page.text.count("OAT-") == 1  # and no other creator's code anywhere


def test_copy_buttons_name_what_they_copy(out: Path) -> None:
    page = parse_html(out / "ben-brews" / "index.html")
    targets = {a["data-copy"] for a in page.all("button")}
    ids = {attrs.get("id") for _, attrs in page.elements}
    assert targets == {"disclosure-label", "discount-code", "link-instagram", "link-tiktok"} and targets <= ids
    assert all("hidden" in a for a in page.all("button"))  # until the script shows them


# calendar ----------------------------------------------------------------------


def events(packet: Path) -> list[tuple[str, object, object]]:
    calendar = Calendar.from_ical((packet / "calendar.ics").read_bytes())
    return [(str(e["SUMMARY"]), e.decoded("DTSTART"), e.decoded("DTEND")) for e in calendar.walk("VEVENT")]


def test_calendar_holds_the_creators_own_dates_in_their_language(out: Path) -> None:
    d = dt.date
    assert events(out / "kaffee-klara") == [
        ("Antwort auf das Briefing · Oat Drink Launch", d(2027, 4, 1), d(2027, 4, 2)),
        ("Entwurf fällig: Instagram post · Oat Drink Launch", d(2027, 4, 10), d(2027, 4, 11)),
        ("Geht live: Instagram post · Oat Drink Launch", d(2027, 4, 15), d(2027, 4, 16)),
    ]
    assert events(out / "ben-brews") == [
        ("Reply to the brief · Oat Drink Launch", d(2027, 4, 1), d(2027, 4, 2)),
        ("Draft due: Instagram post · Oat Drink Launch", d(2027, 4, 10), d(2027, 4, 11)),
        ("Goes live: Instagram post · Oat Drink Launch", d(2027, 4, 15), d(2027, 4, 16)),
        ("Go-live window: TikTok video · Oat Drink Launch", d(2027, 4, 20), d(2027, 4, 26)),  # end exclusive
    ]
    klara = (out / "kaffee-klara/calendar.ics").read_text()
    assert "TikTok" not in klara and "ben" not in klara.lower()


def test_calendar_is_valid_rfc_5545(out: Path) -> None:
    for packet in PACKETS:
        raw = (out / packet / "calendar.ics").read_bytes()
        lines = raw.split(b"\r\n")
        assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2:] == [b"END:VCALENDAR", b""]
        assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
        assert all(len(line) <= 75 for line in lines)  # folded
        calendar = Calendar.from_ical(raw)
        assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
        uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
        assert len(set(uids)) == len(uids) and all(u.endswith(f".launch.{packet}@briefkit") for u in uids)
        for event in calendar.walk("VEVENT"):
            assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"} <= set(event)


def test_a_deadline_with_a_time_is_in_the_creators_time_zone(workspace: Path) -> None:
    ben = workspace / "briefs/launch/creators/ben.yaml"
    edit(ben, "locale: en-US\n", "locale: en-US\ntimezone: America/New_York\n")
    edit(ben, "  - ig-post\n", "  - {id: ig-post, live_on: 2027-04-15T18:00:00+02:00}\n")
    assert not build(workspace, pdf=False).failed
    calendar = Calendar.from_ical((workspace / "output/launch/ben-brews/calendar.ics").read_bytes())
    [live] = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("Goes live")]
    new_york = ZoneInfo("America/New_York")
    assert live.decoded("DTEND") == dt.datetime(2027, 4, 15, 12, 0, tzinfo=new_york)
    assert live["DTEND"].params["TZID"] == "America/New_York"
    assert "America/New_York" in [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    # go-live is a day to publish, not a deadline: no "by the end of the day", only the version
    assert str(live["DESCRIPTION"]).startswith("Brief version ") and "\n" not in str(live["DESCRIPTION"])


def test_page_calendar_and_team_show_the_same_dates_shipping_included(workspace: Path) -> None:
    """A brief's dates are computed once: the product's shipping date reaches the page,
    the calendar and the team overview alike, and so does every other date."""
    edit(workspace / "briefs/launch/campaign.yaml", "  type: paid\n  fee: 300\n",
         "  type: hybrid\n  fee: 300\n  product: {name: Barista oat drink, ships_by: 2027-04-05}\n")
    assert not build(workspace, pdf=False, team=True).failed
    ben = workspace / "output/launch/ben-brews"
    page = re.findall(r'<time datetime="([0-9-]+)"', (ben / "index.html").read_text().split('id="timeline"')[1]
                      .split("</section>")[0])
    calendar = Calendar.from_ical((ben / "calendar.ics").read_bytes())
    ics = {}
    for event in calendar.walk("VEVENT"):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND") - dt.timedelta(days=1)
        ics[str(event["SUMMARY"]).split(" · ")[0]] = sorted({start.isoformat(), end.isoformat()})
    assert ics["Product ships"] == ["2027-04-05"]
    assert sorted({day for days in ics.values() for day in days}) == sorted(set(page))
    team = (workspace / "output/_team/index.html").read_text()
    rows = re.findall(r'<tr data-due="([0-9-]+)T[^"]*">(.*?)</tr>', team, re.S)
    shipping = [row for due, row in rows if due == "2027-04-05"]
    assert len(shipping) == 1 and "Product ships" in shipping[0] and "@ben.brews" in shipping[0]
    assert {due for due, _ in rows} == {days[-1] for days in ics.values()}  # a window is due on its last day


def test_the_page_links_the_calendar(out: Path) -> None:
    hrefs = [a["href"] for a in parse_html(out / "ben-brews/index.html").all("a")]
    assert "calendar.ics" in hrefs and "packet.zip" in hrefs and "brief.pdf" in hrefs


# languages ---------------------------------------------------------------------


def headings(packet: Path) -> list[str]:
    return re.findall(r'<h2 class="section__title" id="[^"]+">([^<]+)</h2>', (packet / "index.html").read_text())


@pytest.mark.parametrize(("packet", "lang", "titles", "fee", "draft_due", "page_of"), [
    ("kaffee-klara", "de-DE",
     ["Die Kampagne", "Dein Angebot", "Was du veröffentlichst", "So kennzeichnest du", "Wichtige Termine",
      "Kreative Freiheit", "Freigabe", "Tracking-Link und Code", "Dateien", "Kontakt"],
     "350,00 €", "Sa., 10. Apr. 2027", "Seite 1 von"),
    ("lea-cafe", "fr-FR",
     ["La campagne", "Ta rémunération", "Ce que tu publies", "Comment signaler le partenariat", "Dates clés",
      "Liberté créative", "Validation", "Lien de suivi et code", "Fichiers", "Contact"],
     "1 200,00 €", "sam. 10 avr. 2027", "Page 1 sur"),
    ("sofia-cafe", "es-ES",
     ["La campaña", "Tu oferta", "Qué publicar", "Cómo indicar la colaboración", "Fechas clave",
      "Libertad creativa", "Revisión", "Enlace de seguimiento y código", "Archivos", "Contacto"],
     "300,00 €", "sáb, 10 abr 2027", "Página 1 de"),
    ("ben-brews", "en-US",
     ["Why you", "The campaign", "Your offer", "What to publish", "How to disclose", "Key dates", "Creative freedom",
      "Review", "Tracking link and code", "Assets", "Contact"],
     "€300.00", "Sat, Apr 10, 2027", "Page 1 of"),
])
def test_each_brief_is_in_its_creators_language(out: Path, packet: str, lang: str, titles: list[str],
                                                 fee: str, draft_due: str, page_of: str) -> None:
    page = parse_html(out / packet / "index.html")  # its text has every space as " "
    assert page.all("html") == [{"lang": lang, "dir": "ltr"}]
    assert headings(out / packet) == titles
    assert fee in page.text and draft_due in page.text
    pdf = pdf_text(out / packet / "brief.pdf")
    assert titles[2] in pdf and re.search(page_of + r" \d", pdf)


def test_a_language_without_labels_makes_an_english_brief_and_a_warning(workspace: Path) -> None:
    (workspace / "briefs/launch/creators/sven.yaml").write_text(
        "handle: sven.fika\nname: Jordi Puig\nregion: ES\nlocale: ca-ES\nplatforms:\n  instagram: {followers: 5000}\n")
    edit(workspace / "briefs/launch/creators/ben.yaml", "locale: en-US", "locale: xx-DE")
    status, report = validate_json(workspace)
    assert status == 0
    warnings = {(d["file"], d["line"], d["code"]): d["message"] for d in report["diagnostics"]}
    assert "no labels in Catalan" in warnings["briefs/launch/creators/sven.yaml", 4, "locale"]
    assert "written in English (with `en-ES` dates" in warnings["briefs/launch/creators/sven.yaml", 4, "locale"]
    assert "`en-DE`" in warnings["briefs/launch/creators/ben.yaml", 4, "locale"]

    assert not build(workspace, pdf=False).failed
    sven = parse_html(workspace / "output/launch/sven-fika/index.html")
    assert sven.all("html") == [{"lang": "en-ES", "dir": "ltr"}]
    assert headings(workspace / "output/launch/sven-fika")[0] == "The campaign"
    assert "Sat, 10 Apr 2027" in sven.text  # English words, Spain's conventions
    assert parse_html(workspace / "output/launch/ben-brews/index.html").all("html") == [{"lang": "en-DE", "dir": "ltr"}]


# assets and packet.zip -----------------------------------------------------------


def test_only_the_named_assets_are_copied(out: Path) -> None:
    for packet in PACKETS:
        assert sorted(p.name for p in (out / packet / "assets").iterdir()) == ["logo.svg"]
    assert not list(out.parent.rglob("pricing-internal.txt"))


def test_packet_zip_holds_pdf_calendar_and_assets_for_email(out: Path) -> None:
    packet = out / "lea-cafe"
    with zipfile.ZipFile(packet / "packet.zip") as archive:
        assert archive.namelist() == ["launch-lea-cafe/assets/logo.svg", "launch-lea-cafe/brief.pdf",
                                      "launch-lea-cafe/calendar.ics"]
        for name in archive.namelist():
            assert archive.read(name) == (packet / name.split("/", 1)[1]).read_bytes()
        assert archive.testzip() is None


def test_a_build_without_pdfs_keeps_the_last_pdf_and_zip(workspace: Path) -> None:
    assert not build(workspace).failed
    packet = workspace / "output/launch/ben-brews"
    zipped = (packet / "packet.zip").read_bytes()
    assert not build(workspace, pdf=False).failed
    assert (packet / "packet.zip").read_bytes() == zipped and (packet / "brief.pdf").is_file()
