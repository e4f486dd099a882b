"""Stage 4, render: one creator's brief → the files of their packet, as bytes.

The same template renders the microsite (`index.html`, stylesheet inlined, no
script, relative links only) and the PDF (`brief.pdf`, through WeasyPrint with
the print stylesheet). Nothing is written here; `build.py` hands the files to
the writer. Rendering reads only the theme and the workspace files the brief
names (logo, assets), and the PDF renderer can read nothing else.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import io
import mimetypes
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import jinja2
from babel import Locale
from babel.dates import format_skeleton, format_time, get_datetime_format, get_timezone_name
from babel.numbers import format_currency, format_decimal, format_percent
from babel.units import format_unit
from markupsafe import Markup

from . import __version__, fonts
from .diagnostics import Diagnostic, Location, Severity, format_key_path
from .markup import render_markdown
from .pdf import Pdf, PdfProcess, PdfSetup, make_pdf, warm_up
from .model import Amount, deadline_instant
from .resolve import CreatorBrief
from .answers import STATE_WORDS
from .ics import CALENDAR_NAME, calendar_file
from .team import TeamOverview
from .theme import Labels, RenderError, Theme, deliverable_name

PAGE_TEMPLATE = "brief.html"
PDF_NAME = "brief.pdf"
ZIP_NAME = "packet.zip"
SCREEN_CSS = "css/brief.css"
PRINT_CSS = "css/print.css"
SCRIPT = "js/brief.js"
MAIL_TEXT_TEMPLATE = "mail/message.txt"
MAIL_HTML_TEMPLATE = "mail/message.html"
TEAM_TEMPLATE = "team.html"
TEAM_CSS = "css/team.css"
TEAM_SCRIPT = "js/team.js"
QR_MASK = 0  # see qr_code
# Countries that print on US Letter; everyone else gets A4.
LETTER_REGIONS = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "CR", "PA", "DO",
                            "SV", "NI", "HN", "PR", "BO"})


@dataclass(frozen=True)
class Packet:
    """The files of one creator's packet, by path inside the packet folder."""

    files: dict[str, bytes]
    warnings: list[Diagnostic] = field(default_factory=list)


@dataclass(frozen=True)
class MailTexts:
    """The words of a creator's e-mail (mail.py makes the message)."""

    subject: str
    text: str
    html: str
    language: str  # the tag of the labels' language, for Content-Language


@dataclass(frozen=True)
class Formats:
    """Dates, numbers and money the way the creator's locale writes them."""

    locale: Locale
    timezone: str  # the creator's, for deadlines with a time
    campaign_timezone: str  # bare dates are days in this zone

    # Dates are written once per locale and zone, not once per packet: a campaign's
    # creators share most of their dates, and Babel took a tenth of the time of a page.
    @functools.lru_cache(maxsize=4096)
    def date(self, value: dt.date | dt.datetime) -> str:
        """A day, or a moment in the creator's time zone with the zone named in words:
        `Sat, Apr 10, 2027, 4:59 PM Central Standard Time`."""
        if isinstance(value, dt.datetime):
            return self._moment(value, "yMMMEd")
        return format_skeleton("yMMMEd", value, locale=self.locale)

    @functools.lru_cache(maxsize=4096)
    def day(self, value: dt.date) -> str:
        """A day that is no deadline, without its weekday: `Dec 2, 2026`, `2 gru 2026`."""
        return format_skeleton("yMMMd", value, locale=self.locale)

    def due(self, value: dt.date | dt.datetime) -> dt.date | dt.datetime:
        """A deadline as the creator must meet it. A bare date is the end of that day in the
        campaign's time zone: for a creator in another zone it is that moment, so that a
        creator in Mexico City is never told a Madrid deadline as if it were theirs."""
        if isinstance(value, dt.datetime) or self.timezone == self.campaign_timezone:
            return value
        return deadline_instant(value, self.campaign_timezone).astimezone(ZoneInfo(self.timezone))

    def zone_name(self, moment: dt.datetime) -> str:
        """The moment's time zone in words, as the creator's locale says it (CLDR)."""
        return get_timezone_name(moment, width="long", locale=self.locale)

    @functools.lru_cache(maxsize=4096)
    def short_date(self, value: dt.date | dt.datetime) -> str:
        """A date without its year, for the first screen: `Wed, Mar 3`, `Mi., 3. März`."""
        if isinstance(value, dt.datetime):
            return self._moment(value, "MMMEd")
        return format_skeleton("MMMEd", value, locale=self.locale)

    def _moment(self, value: dt.datetime, date_skeleton: str) -> str:
        """Date and time on the creator's clock, joined as their language joins them, and
        the zone in words."""
        local = value.astimezone(ZoneInfo(self.timezone))
        joined = get_datetime_format("medium", locale=self.locale).format(
            format_time(local, "short", locale=self.locale), format_skeleton(date_skeleton, local, locale=self.locale))
        return f"{joined} {self.zone_name(local)}"

    def instant(self, value: dt.date | dt.datetime) -> dt.datetime:
        return deadline_instant(value, self.campaign_timezone)

    def money(self, amount: Amount, absolute: bool = False) -> str:
        """An amount in its currency the locale's way: `1.500,00 €`, `¥50,000`, `MX$1,200.00`
        (a dollar the locale would not take for its own), `R$ 1.500,00`."""
        return format_currency(abs(amount.value) if absolute else amount.value, amount.currency, locale=self.locale)

    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=self.locale)

    def percent(self, value: float) -> str:
        return format_percent(value / 100, locale=self.locale, decimal_quantization=False)

    def regions(self, codes: list[str]) -> str:
        return ", ".join(self.locale.territories.get(code, code) for code in codes)

    def file_size(self, size: int) -> str:
        if size < 1_000_000:
            return format_unit(max(round(size / 1000), 1), "digital-kilobyte", "short", locale=self.locale)
        return format_unit(round(size / 1_000_000, 1), "digital-megabyte", "short", locale=self.locale)


@dataclass(frozen=True)
class Deadline:
    when: dt.date | dt.datetime
    label: str
    due: bool  # something to hand in by then (a reply, a draft), not a day to publish on


@dataclass(frozen=True)
class GlanceDate:
    """A date at a glance, with the deliverables it is for."""

    when: dt.date | dt.datetime
    until: dt.date | dt.datetime | None  # the last day of a go-live window
    deliverables: list[str]  # their names, "Instagram reel"


@dataclass(frozen=True)
class Glance:
    drafts: list[GlanceDate]
    live: list[GlanceDate]  # go-live days and windows


@dataclass(frozen=True)
class PacketAsset:
    title: str
    href: str  # relative to the packet folder
    size: int
    kind: str  # the file extension, as creators know it (PDF, JPG)


class Renderer:
    """Renders packets with one theme, keeping what is costly to set up between packets."""

    def __init__(self, root: Path, theme: Theme, pdf: bool = True, pdf_process: PdfProcess | None = None):
        """`pdf_process`, if given, makes the PDFs while this process renders the rest."""
        self.root = root
        self.theme = theme
        self.pdf = pdf
        self.pdf_process = pdf_process
        try:
            self.template = theme.template(PAGE_TEMPLATE)
        except jinja2.TemplateError as error:
            raise RenderError(theme.template_problem(error)) from error
        self.screen_css = theme.read_text(SCREEN_CSS)
        self.script = theme.read_text(SCRIPT)
        self.pdf_setup = pdf_setup(root, theme)
        self._logos: dict[str, str] = {}

    def packet(self, brief: CreatorBrief) -> Packet:
        labels, context, asset_files = self._prepared(brief)
        pdf = self._start_pdf(self._page(context, for_print=True), brief_texts(brief)) if self.pdf else None
        files = {"index.html": self._page(context, for_print=False).encode(),
                 CALENDAR_NAME: calendar_file(brief, labels)}
        files |= asset_files
        warnings = []
        if pdf is not None:
            files[PDF_NAME], refused, undrawable = pdf()
            warnings = [_refused_warning(brief, kind, url) for kind, url in refused] + [
                _glyph_warning(brief, key, missing) for key, missing in undrawable]
            files[ZIP_NAME] = packet_zip(f"{brief.campaign_id}-{brief.creator.slug}",
                                         {name: data for name, data in files.items() if name != "index.html"})
        return Packet(files, warnings)

    def mail(self, brief: CreatorBrief, link: str | None, attached: bool) -> MailTexts:
        """The e-mail that brings the brief, in the creator's language: subject, plain text
        and HTML, with the at-a-glance summary, the link to their page (`link`, when the
        workspace has a `base_url`), and a word on the attachments."""
        labels = self.theme.labels(self.theme.page_locale(brief.creator.locale))
        context = _in_language(brief, labels)
        formats = context["fmt"]
        updated = brief.answer is not None and brief.answer.changed
        values = {"brand": brief.brand.name, "campaign": brief.title,
                  "date": formats.date(formats.due(brief.respond_by))}
        subject = labels.text("mail.subject_updated" if updated else "mail.subject", **values)
        context |= {"link": link, "attached": attached, "updated": updated, "subject": subject}
        try:
            text = self.theme.template(MAIL_TEXT_TEMPLATE).render(context)
            html = self.theme.template(MAIL_HTML_TEMPLATE).render(context)
        except Exception as error:  # a theme's template can fail in any way
            raise RenderError(self.theme.template_problem(error)) from error
        return MailTexts(subject, text, html, labels.code)

    # page ----------------------------------------------------------------------

    def print_page(self, brief: CreatorBrief) -> str:
        """The HTML the PDF is made from (the benchmark renders it with plain WeasyPrint)."""
        return self._page(self._prepared(brief)[1], for_print=True)

    def _prepared(self, brief: CreatorBrief) -> tuple[Labels, dict[str, Any], dict[str, bytes]]:
        """The brief's labels, its template context, and the asset files of its packet."""
        labels = self.theme.labels(self.theme.page_locale(brief.creator.locale))
        assets, asset_files = self._assets(brief)
        return labels, self._context(brief, labels, assets), asset_files

    def _context(self, brief: CreatorBrief, labels: Labels, assets: list[PacketAsset]) -> dict[str, Any]:
        creator = brief.creator
        context = _in_language(brief, labels)
        formats = context["fmt"]
        return context | {
            "markdown": render_markdown,
            "palette": palette(brief.brand.colors.primary if brief.brand.colors else None,
                               brief.brand.colors.accent if brief.brand.colors else None),
            "logo": self._logo(brief),
            "assets": assets,
            "sections": sections(brief, assets),
            "deadlines": timeline(brief, labels, formats),
            "reply": {answer: reply_link(brief, labels, answer) for answer in REPLY_LABELS},
            "mailto": mailto,
            "tel": tel,
            "direction": text_direction,
            "has_pdf": self.pdf,
            "qr": qr_code,
            "script": self.script,
            "script_hash": csp_hash(self.script),
            "csp": Markup(page_csp(self.script)),  # briefkit's own text: its quotes stay quotes
            "page_size": "letter" if creator.region in LETTER_REGIONS else "A4",
            "generator": f"briefkit {__version__}",
        }

    def _page(self, context: dict[str, Any], for_print: bool) -> str:
        stylesheet = "" if for_print else self.screen_css
        try:
            return self.template.render(context, for_print=for_print, stylesheet=stylesheet)
        except Exception as error:  # a theme's template can fail in any way
            raise RenderError(self.theme.template_problem(error)) from error

    def _logo(self, brief: CreatorBrief) -> str | None:
        """The logo as a data: URL, so the page stays one self-contained file."""
        logo = brief.brand.logo
        if logo and logo not in self._logos:  # encoded once per campaign, not per packet
            media_type = mimetypes.guess_type(logo)[0] or "application/octet-stream"
            data = workspace_file(self.root, logo)
            self._logos[logo] = f"data:{media_type};base64,{base64.b64encode(data).decode()}"
        return self._logos[logo] if logo else None

    def _assets(self, brief: CreatorBrief) -> tuple[list[PacketAsset], dict[str, bytes]]:
        assets, files = [], {}
        for asset in brief.assets:
            data = workspace_file(self.root, asset.path)
            name = _unique_name(PurePosixPath(asset.path).name, files)
            files[f"assets/{name}"] = data
            kind = PurePosixPath(name).suffix.lstrip(".").upper()
            assets.append(PacketAsset(asset.title, f"assets/{quote(name)}", len(data), kind))
        return assets, files

    # PDF -----------------------------------------------------------------------

    def _start_pdf(self, html: str, texts: tuple[tuple[str, str], ...]) -> Callable[[], Pdf]:
        """Start making the PDF of `html`, in the PDF process when there is one; the
        function returned waits for it."""
        if self.pdf_process is not None:
            return self.pdf_process.submit(self.pdf_setup, html, texts)
        made = make_pdf(self.pdf_setup, html, texts)
        return lambda: made

    def warm_up(self) -> None:
        """Set WeasyPrint up for this theme now (see `pdf.warm_up`)."""
        if self.pdf:
            warm_up(self.pdf_setup)


def pdf_setup(root: Path, theme: Theme) -> PdfSetup:
    """What making a PDF needs of the workspace and the theme: the screen stylesheet,
    then the print one over it, and the system fonts they name."""
    stylesheets = tuple((name, theme.read_text(name)) for name in (SCREEN_CSS, PRINT_CSS))
    system_fonts = fonts.named_system_fonts(stylesheets)
    return PdfSetup(root, theme.folders, stylesheets, theme.digest, system_fonts, fonts.digest(system_fonts),
                    fonts.named_font_files(stylesheets, theme.folders, system_fonts))


def missing_fonts(setup: PdfSetup, theme: Theme) -> list[Diagnostic]:
    """An error for each system font the theme names that this machine does not have,
    at the place in the stylesheet that names it: without it, PDFs would differ."""
    return [Diagnostic(Location(theme.shown_path(theme.find(font.stylesheet)), font.line, font.column),
                       f"the theme names the font {fonts.SYSTEM_FONTS / font.path}, which is not installed"
                       if font.file else f"`{font.path}` is not a font file under {fonts.SYSTEM_FONTS}",
                       "run `bash scripts/setup`, which installs the fonts of the default theme, or name "
                       "a font file your theme ships in its fonts/ folder", code="font")
            for font in fonts.unusable(setup.system_fonts)]


def render_team(theme: Theme, overview: TeamOverview, pdf: bool) -> bytes:
    """The team overview page: English (it is the brand's own tool), amounts and dates
    written the English way, one self-contained file like the packets' pages."""
    script = theme.read_text(TEAM_SCRIPT)
    try:
        page = theme.template(TEAM_TEMPLATE).render(
            overview=overview, has_pdf=pdf, state_words=STATE_WORDS,
            formats={c.campaign.id: Formats(Locale("en"), c.campaign.timezone, c.campaign.timezone)
                     for c in overview.campaigns},
            stylesheet=theme.read_text(TEAM_CSS), script=script, script_hash=csp_hash(script),
            generator=f"briefkit {__version__}")
    except Exception as error:  # a theme's template can fail in any way
        raise RenderError(theme.template_problem(error)) from error
    return page.encode()


def workspace_file(root: Path, relative: str) -> bytes:
    """The bytes of a file validation checked to be inside the workspace, checked again on
    what was opened: a file swapped for a link out of the workspace in between is refused."""
    with open(root / relative, "rb") as handle:
        opened = os.fstat(handle.fileno())
        real = Path(os.path.realpath(root / relative))
        there = real.stat() if real.is_relative_to(root.resolve()) else None
        if there is None or (there.st_dev, there.st_ino) != (opened.st_dev, opened.st_ino):
            raise RenderError(Diagnostic(Location(relative), f"`{relative}` now leads out of the workspace",
                                         "it changed during the build; build again", code="path"))
        return handle.read()


def _refused_warning(brief: CreatorBrief, kind: str, url: str) -> Diagnostic:
    shown = url if len(url) <= 120 else url[:117] + "..."
    where = Location(f"{brief.campaign_id}/{brief.creator.slug}/{PDF_NAME}", 0, 0)
    if kind == "attachment":
        return Diagnostic(where, f"an attachment was left out of the PDF: {shown}",
                          "a brief's PDF carries no attached files; remove rel=\"attachment\" from the theme",
                          Severity.WARNING, "attachment")
    return Diagnostic(where, f"left out of the PDF: {shown}",
                      "a PDF may use only the theme's files and the fonts it names, never the workspace's "
                      "files or the network", Severity.WARNING, "fetch")


def text_direction(text: str) -> str:
    """`rtl` or `ltr`: the direction of a text's first strong character (Unicode's rule
    P2), so that `#ad` reads left to right inside an Arabic page and `إعلان` right to
    left inside an English one."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def brief_texts(brief: CreatorBrief) -> tuple[tuple[str, str], ...]:
    """Every text of the brief with its key path (`creator.name`), for the glyph check."""
    return tuple((format_key_path(path), text) for path, text in _texts(brief.model_dump(exclude={"deadlines"}), ()))


def _glyph_warning(brief: CreatorBrief, key: str, missing: list[str]) -> Diagnostic:
    """A text with characters no font of the PDF has: they print as empty boxes."""
    shown = ", ".join(f"“{ch}” (U+{ord(ch):04X})" for ch in missing[:5]) + (" …" if len(missing) > 5 else "")
    return Diagnostic(
        Location(f"{brief.campaign_id}/{brief.creator.slug}/{PDF_NAME}", 0, 0),
        f"no font of the theme can draw {shown} in `{key}` for @{brief.creator.handle}: "
        "the PDF shows empty boxes there",
        "write it without those characters, or name a font that has them in your theme's print.css "
        "(docs/themes.md, \"Fonts\")", Severity.WARNING, "glyph")


def _texts(value: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))


def _unique_name(name: str, taken: dict[str, bytes]) -> str:
    stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
    candidate, number = name, 2
    while f"assets/{candidate}" in taken:
        candidate, number = f"{stem}-{number}{suffix}", number + 1
    return candidate


def packet_zip(folder: str, files: dict[str, bytes]) -> bytes:
    """`files` in one folder of a ZIP, for e-mail; the same files make the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            entry = zipfile.ZipInfo(f"{folder}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, files[name], compresslevel=6)
    return buffer.getvalue()


@functools.lru_cache(maxsize=32)  # a packet's page and PDF show the same codes
def qr_code(text: str) -> Markup:
    """`text` as a QR code: an inline SVG measured in modules, sized by the stylesheet.

    Error correction M survives a smudged print; the quiet zone is the four
    modules scanners expect. The mask is given, not searched: trying all eight (to
    avoid patterns that are harder to scan) was half the time of a page without PDF,
    and every mask scans (tests/test_browser.py decodes the page's codes with zbar).
    """
    import segno

    code = segno.make(text, error="m", micro=False, mask=QR_MASK)
    size = code.symbol_size(border=QR_BORDER)[0]
    return _QR_SVG.format(size=size, path=_qr_path(code.matrix))


QR_BORDER = 4
# What segno's SVG writer makes of a code, with the path drawn by `_qr_path`.
_QR_SVG = Markup('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" class="qr__code">'
                 '<path class="qrline" stroke="#000" d="{path}"/></svg>\n')
_DARK_RUN = re.compile(rb"[^\x00]+")


def _qr_path(matrix: tuple[bytearray, ...]) -> str:
    """The dark modules as one path of horizontal strokes, one per run of dark modules
    in a row, each move relative to the end of the last: the path segno draws, made
    three times faster (its writer walks the modules one by one, a tenth of a page)."""
    strokes = []
    x_end = y_last = 0
    for row_number, row in enumerate(matrix):
        y = row_number + QR_BORDER
        for run in _DARK_RUN.finditer(row):
            x, length = run.start() + QR_BORDER, run.end() - run.start()
            # Strokes are a module wide, centred on the row: the first starts half a module down.
            strokes.append(f"m{x - x_end} {y - y_last}h{length}" if strokes else f"M{x} {y + 0.5}h{length}")
            x_end, y_last = x + length, y
    return "".join(strokes)


def csp_hash(script: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline script."""
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


def page_csp(script: str) -> str:
    """The pages' Content-Security-Policy: their own inline script and styles, images as
    data: URLs, nothing fetched, no forms."""
    return (f"default-src 'none'; script-src '{csp_hash(script)}'; style-src 'unsafe-inline'; img-src data:; "
            "base-uri 'none'; form-action 'none'")


ROBOTS_NAME, HEADERS_NAME = "robots.txt", "_headers"


def host_files(theme: Theme) -> dict[str, bytes]:
    """`robots.txt` and `_headers` for the output folder's root (docs/publishing.md): no
    search engine indexes a page or a PDF, and hosts that read `_headers` (Netlify,
    Cloudflare Pages) send the pages' security policy as headers too, where it can
    also forbid framing."""
    csp = page_csp(theme.read_text(SCRIPT))
    headers = ("# For hosts that read it (Netlify, Cloudflare Pages); written by briefkit.\n"
               "/*\n  X-Robots-Tag: noindex, nofollow\n  Referrer-Policy: no-referrer\n"
               "  X-Content-Type-Options: nosniff\n")
    headers += "".join(f"{path}\n  Content-Security-Policy: {csp}; frame-ancestors 'none'\n"
                       for path in ("/*/", "/*/index.html"))
    return {ROBOTS_NAME: b"User-agent: *\nDisallow: /\n", HEADERS_NAME: headers.encode()}


def sections(brief: CreatorBrief, assets: list[PacketAsset]) -> list[tuple[str, str]]:
    """The sections this brief has, in reading order, as (anchor, name)."""
    present = {
        "why_you": brief.creator.why_you is not None,
        "overview": True,
        "offer": True,
        "deliverables": True,
        "disclosure": True,
        "timeline": True,
        "creative": True,
        "review": True,
        "usage_rights": brief.usage_rights is not None,
        "tracking": brief.tracking is not None,
        "assets": bool(assets),
        "contact": True,
    }
    return [(name.replace("_", "-"), name) for name, shown in present.items() if shown]


TIMELINE_LABELS = {"respond": "timeline.respond_by", "ships": "timeline.ships_by", "draft": "timeline.draft_due",
                   "live": "timeline.live_on", "window": "timeline.window_start"}


def timeline(brief: CreatorBrief, labels: Labels, formats: Formats) -> list[Deadline]:
    """The page's dates, in order: the brief's deadlines, a go-live window as two
    dates (its first and its last day)."""
    found = []
    for d in brief.deadlines:
        name = deliverable_name(brief.deliverable(d.deliverable), labels) if d.deliverable else ""
        found.append(Deadline(d.when, labels.text(TIMELINE_LABELS[d.kind], deliverable=name), d.due))
        if d.until is not None:
            found.append(Deadline(d.until, labels.text("timeline.window_end", deliverable=name), d.due))
    return sorted(found, key=lambda d: formats.instant(d.when))


def glance_dates(brief: CreatorBrief, labels: Labels, kinds: set[str]) -> list[GlanceDate]:
    """The brief's deadlines of these kinds, one entry per date (or window) with every
    deliverable due then: "Mar 10: Instagram reel, Instagram story"."""
    found: dict[tuple, list[str]] = {}
    for d in brief.deadlines:
        if d.kind in kinds and d.deliverable:
            found.setdefault((d.when, d.until), []).append(deliverable_name(brief.deliverable(d.deliverable), labels))
    return [GlanceDate(when, until, names) for (when, until), names in found.items()]


REPLY_LABELS = {"accept": "respond.", "decline": "respond.decline_", "question": "respond.question_",
                "confirm": "changes.confirm_"}


def _in_language(brief: CreatorBrief, labels: Labels) -> dict[str, Any]:
    """What every template about one brief gets (the page, the e-mail): the brief, its
    labels and formats in the creator's language, the glance dates, deliverable names."""
    return {
        "brief": brief,
        "t": labels,
        "fmt": Formats(labels.locale, brief.creator.timezone, brief.campaign_timezone),
        "lang": labels.code,
        "page_direction": "rtl" if labels.locale.character_order == "right-to-left" else "ltr",
        "glance": Glance(glance_dates(brief, labels, {"draft"}), glance_dates(brief, labels, {"live", "window"})),
        "deliverable_name": lambda deliverable: deliverable_name(deliverable, labels),
    }


def reply_link(brief: CreatorBrief, labels: Labels, answer: str) -> str:
    """A mailto: link to the contact with the subject and text of the creator's message
    (`accept`, `decline`, `question`, or `confirm` after a change) filled in, in their
    language."""
    values = {"campaign": brief.title, "handle": brief.creator.handle, "name": brief.creator.name,
              "contact": brief.contact.name, "version": brief.version}
    prefix = REPLY_LABELS[answer]
    return mailto(brief.contact.email, labels.text(f"{prefix}subject", **values), labels.text(f"{prefix}body", **values))


def mailto(address: str, subject: str = "", body: str = "") -> str:
    """A mailto: link (RFC 6068) with every part percent-encoded, so that nothing in an
    address or a text can end it or add a header (`?bcc=`). Every mailto: of a packet is
    made here."""
    query = "&".join(f"{name}={quote(value, safe='')}" for name, value in (("subject", subject), ("body", body))
                     if value)
    return f"mailto:{quote(address, safe='@')}" + (f"?{query}" if query else "")


def tel(phone: str) -> str | None:
    """A tel: link (RFC 3966) to a phone number as people write it, "+1 (415) 555-0137
    ext. 204": the digits up to the first letter (with a leading +), and the digits
    after it as the extension. None for a text with too few digits to dial."""
    number, *rest = re.split(r"[^\d\s()+./-]", phone, maxsplit=1)
    digits = _digits(number)
    if len(digits) < 3:
        return None
    extension = _digits(rest[0]) if rest else ""
    return f"tel:{'+' if number.strip().startswith('+') else ''}{digits}" + (f";ext={extension}" if extension else "")


def _digits(text: str) -> str:
    """The digits of `text` as ASCII digits, whatever their script."""
    return "".join(str(unicodedata.digit(c)) for c in text if c.isdigit())


# colours ----------------------------------------------------------------------

DEFAULT_PRIMARY = "#2b4c7e"
INK = "#1c1f24"
WHITE = "#ffffff"


def palette(primary: str | None, accent: str | None) -> dict[str, str]:
    """Brand colours made safe to read (WCAG AA, 4.5:1) wherever the theme uses them.

    `primary` paints the header band and `on_primary` is the text on it; a band
    colour that reads with neither white nor ink text is darkened until white
    reads. `heading` is the primary darkened until it reads on white. `accent`
    marks borders and highlights; `on_accent` is text on it.
    """
    primary = (primary or DEFAULT_PRIMARY).lower()
    accent = (accent or primary).lower()
    if max(contrast(primary, WHITE), contrast(primary, INK)) < 4.5:
        primary = _readable_on_white(primary)
    return {"primary": primary, "on_primary": _text_on(primary), "heading": _readable_on_white(primary),
            "accent": accent, "on_accent": _text_on(accent)}


def _text_on(background: str) -> str:
    return WHITE if contrast(background, WHITE) >= contrast(background, INK) else INK


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _luminance(color: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _readable_on_white(color: str) -> str:
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    while contrast(f"#{r:02x}{g:02x}{b:02x}", WHITE) < 4.5:
        r, g, b = (int(v * 0.9) for v in (r, g, b))
    return f"#{r:02x}{g:02x}{b:02x}"
