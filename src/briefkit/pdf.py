"""Print HTML → PDF through WeasyPrint, confined to the workspace and the theme.

Setting WeasyPrint up is costly: importing it takes a quarter of a second,
and its fonts and parsed stylesheets are worth keeping for every later PDF
of the process (`serve` keeps them across builds while no theme file
changes). This module imports nothing heavy itself, so that `PdfProcess` can
start before briefkit loads the workspace: a build that renders one packet
then imports WeasyPrint on a second core while the first one loads and
validates.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import multiprocessing.util
import os
import re
import signal
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from . import fonts
from .processes import process_context

# The PDF; the URLs it was not allowed to read; per text (key path, text) of the brief,
# the characters no font of the PDF has.
# (kind, URL): "fetch" for a file the PDF may not read, "attachment" for a file it may not carry
Refusal = tuple[str, str]
Pdf = tuple[bytes, list[Refusal], list[tuple[str, list[str]]]]
Texts = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PdfSetup:
    """Everything a PDF needs besides its HTML; small enough to send to another process."""

    root: Path  # the workspace: documents may read its files
    theme_folders: tuple[Path, ...]  # stylesheets may read the theme's files (fonts)
    stylesheets: tuple[tuple[str, str], ...]  # (path in the theme, CSS text), in cascade order
    theme_digest: str  # changes with any theme file, fonts included
    system_fonts: tuple[fonts.SystemFont, ...]  # the system font files the stylesheets name
    system_fonts_digest: str  # changes when one of them does
    font_files: tuple[Path, ...]  # every font file a PDF may use, the theme's and the system's, in order


def make_pdf(setup: PdfSetup, html: str, texts: Texts = ()) -> Pdf:
    """The PDF of `html`, the URLs the document was refused, and the characters of
    `texts` that no font of the PDF can draw (checked here, where the fonts are loaded)."""
    needed = fonts.needed_system_fonts(_visible_text(html), setup.font_files, setup.system_fonts)
    tools = _tools(setup, needed)  # imports WeasyPrint the way `_import_weasyprint` says
    from weasyprint import HTML

    from .fetcher import WORKSPACE_URL

    tools.fetcher.refused.clear()

    def render(html: str) -> Any:
        # No image cache across documents: a cached refusal would not be reported again.
        return HTML(string=html, base_url=WORKSPACE_URL, url_fetcher=tools.fetcher).render(
            stylesheets=tools.stylesheets, font_config=tools.fonts, pdf_variant="pdf/ua-1")

    with _weasyprint_quiet():
        document = render(html)
        if len(document.pages) > 1 and last_page_fill(document) < NEARLY_EMPTY:
            tighter = render(TIGHT.sub(r'\g<0> data-fit="tight"', html, count=1))
            if len(tighter.pages) < len(document.pages):
                document = tighter
        attachments = _attachment_links(html) if _drop_attachments(document) else []
        _keep_links_relative(document, WORKSPACE_URL)
        pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    undrawable = [(key, missing) for key, text in texts if (missing := fonts.undrawable(text, setup.font_files))]
    refused = [("fetch", url) for url in tools.fetcher.refused] + [("attachment", url) for url in attachments]
    return pdf, list(dict.fromkeys(refused)), undrawable


# A last page less full than this is rendered again with `data-fit="tight"` on the
# document's <html>, where the theme's print stylesheet tightens the layout; the
# tighter PDF is kept when it has fewer pages (docs/themes.md). A third, not the fifth
# the layout tests allow: a page saved is worth a second layout of that brief.
NEARLY_EMPTY = 1 / 3
TIGHT = re.compile(r"<html\b", re.IGNORECASE)


def last_page_fill(document: Any) -> float:
    """How much of the last page's content area its content fills, top to bottom."""
    page = document.pages[-1]._page_box
    top, height = page.content_box_y(), page.height
    lowest = max((box.position_y + box.margin_height() for box in _lines(page.children[0])), default=top)
    return (lowest - top) / height if height else 1.0


def _lines(box: Any) -> Any:
    """The line boxes and replaced boxes (images) inside `box`, which hold its content."""
    for child in getattr(box, "children", ()):
        if type(child).__name__ in ("LineBox", "BlockReplacedBox", "InlineReplacedBox"):
            yield child
        else:
            yield from _lines(child)


def _drop_attachments(document: Any) -> bool:
    """Drop every file the laid-out document would attach to the PDF (`<link
    rel=attachment>`, `<a rel=attachment>`), whatever its address, before anything is
    fetched for it: a brief carries no file but itself, so a theme cannot smuggle one
    in. Whether there was one."""
    found = bool(document.metadata.attachments)
    document.metadata.attachments = []
    for page in document.pages:
        found = found or any(link[0] == "attachment" for link in page.links)
        page.links = [link for link in page.links if link[0] != "attachment"]
    return found


def _keep_links_relative(document: Any, base_url: str) -> None:
    """Give the links WeasyPrint made absolute against `base_url` their relative path
    back (`assets/logo.svg`): a PDF reader resolves it next to the PDF, so the link
    works inside packet.zip and on a host, where an address of the virtual base
    would lead nowhere."""
    for page in document.pages:
        page.links = [(kind, target[len(base_url):] if kind == "external" and target.startswith(base_url) else target,
                       *rest) for kind, target, *rest in page.links]


class _AttachmentLinks(HTMLParser):
    """The addresses of `<link>` and `<a>` elements whose `rel` has `attachment`, as
    WeasyPrint reads them (link types are separated by spaces and compared without case)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("link", "a") and "attachment" in (values.get("rel") or "").lower().split():
            self.found.append(values.get("href") or "")


def _attachment_links(html: str) -> list[str]:
    parser = _AttachmentLinks()
    parser.feed(html)
    return parser.found or ["(a file)"]


def warm_up(setup: PdfSetup) -> None:
    """Import WeasyPrint and load the theme's fonts and stylesheets now, so that the
    first PDF of a long-running process (`serve`) is as fast as the next ones (for a
    brief in Latin script; another script loads its fonts with its first brief)."""
    _tools(setup, frozenset())


def _visible_text(html: str) -> str:
    """Every character a document may show (its markup and style sheet are ASCII)."""
    return unescape(re.sub(r"<[^>]*>", " ", html))


class PdfProcess:
    """A second process that makes PDFs, importing WeasyPrint from the moment it starts.

    Jobs go through a pipe and are answered in order: `submit` sends the HTML
    and returns a function that waits for the PDF, so the caller can go on
    meanwhile. The process ignores Ctrl-C and ends when this side closes the
    pipe or exits.
    """

    def __init__(self) -> None:
        context = process_context()
        self._pipe, theirs = context.Pipe()
        self._process = context.Process(target=_serve_pdfs, args=(theirs, self._pipe), daemon=True,
                                        name="briefkit-pdf")
        self._process.start()
        theirs.close()
        self._sent = False

    def prepare(self, setup: PdfSetup) -> None:
        """Load the theme's fonts and stylesheets now, before the first PDF is wanted."""
        self._send((setup, None, ()))

    def submit(self, setup: PdfSetup, html: str, texts: Texts = ()) -> Callable[[], Pdf]:
        self._send((setup, html, texts))
        return self._result

    def _send(self, job: tuple) -> None:
        self._sent = True
        try:
            self._pipe.send(job)
        except BrokenPipeError:
            raise self._ended() from None

    def _result(self) -> Pdf:
        try:
            made, outcome = self._pipe.recv()
        except EOFError:
            raise self._ended() from None
        if not made:
            raise outcome
        return outcome

    def _ended(self) -> RuntimeError:
        self._process.join(timeout=1)
        return RuntimeError(f"the PDF process ended unexpectedly (exit code {self._process.exitcode})")

    def kill(self) -> None:
        """End the process now, PDF half made or not; the build waiting for it gets
        `RuntimeError` (`serve` does this to a build a new save has made useless)."""
        self._process.kill()

    def close(self) -> None:
        """Let the process end once its jobs are done; one that never had a job has
        nothing to clean up, and is not waited for while it imports WeasyPrint."""
        self._pipe.close()
        if not self._sent:
            self._process.terminate()
        self._process.join()

    def __enter__(self) -> PdfProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve_pdfs(pipe: Any, builds_end: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build handles Ctrl-C and closes the pipe
    builds_end.close()  # else closing it on the build's side would not end this loop
    _import_weasyprint()
    gc.freeze()  # WeasyPrint's modules are never garbage: collecting at the end looks at less
    while True:
        try:
            setup, html, texts = pipe.recv()
        except EOFError:
            return
        if html is None:
            try:
                _tools(setup, frozenset())
            except Exception:  # the first PDF sets up again and reports it
                pass
            continue
        try:
            answer: tuple[bool, Any] = (True, make_pdf(setup, html, texts))
        except Exception as error:  # raised again on the build's side
            answer = (False, error)
        try:
            pipe.send(answer)
        except BrokenPipeError:  # the build stopped (Ctrl-C) while this PDF was made
            return


@dataclass(frozen=True)
class _Tools:
    fetcher: Any  # a ConfinedFetcher; WeasyPrint is imported only when a PDF is made
    stylesheets: list[Any]
    fonts: Any


_TOOLS: dict[tuple, _Tools] = {}


def _tools(setup: PdfSetup, system_fonts: frozenset[str]) -> _Tools:
    """WeasyPrint's fetcher, fonts and parsed stylesheets for `setup` with these of its
    system fonts, kept for the process's next PDFs while no theme file changes (one set
    per mix of scripts: most briefs need none of the system fonts).

    Keyed by process too: a forked worker sets up its own, and never drops the
    parent's copy, whose clean-up would delete the parent's temporary font folder.
    """
    key = (os.getpid(), setup, system_fonts)
    if key not in _TOOLS:
        _import_weasyprint()
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        from .fetcher import THEME_URL, theme_fetcher

        fetcher = theme_fetcher(list(setup.theme_folders), [font.file for font in setup.system_fonts if font.file])
        with fonts.only_named_fonts():
            font_config = FontConfiguration()
        with _weasyprint_quiet():
            stylesheets = [CSS(string=fonts.with_system_faces(text, system_fonts), base_url=THEME_URL + name,
                               url_fetcher=fetcher, font_config=font_config)
                           for name, text in setup.stylesheets]
        own = [k for k in _TOOLS if k[0] == key[0]]
        if not own:
            # Each FontConfiguration has a temporary folder of fonts, deleted when it is
            # dropped: drop them while the process ends normally. multiprocessing runs its
            # finalizers in worker processes too, which skip `atexit`.
            multiprocessing.util.Finalize(None, _drop_tools, args=(key[0],), exitpriority=0)
        for old in own:  # one theme at a time
            if old[1] != setup:
                del _TOOLS[old]
        _TOOLS[key] = _Tools(fetcher, stylesheets, font_config)
    return _TOOLS[key]


def _drop_tools(pid: int) -> None:
    for key in [k for k in _TOOLS if k[0] == pid]:
        del _TOOLS[key]
    gc.collect()  # the last document's styles, in reference cycles, still hold the fonts


def _import_weasyprint() -> None:
    """Import WeasyPrint once per process, with briefkit's font configuration, and
    about 0.1 s faster on Linux.

    WeasyPrint tries several names for each C library; through cffi, every name
    that dlopen does not know runs `ctypes.util.find_library`, which starts
    `ldconfig` and `gcc` (WeasyPrint issue #1125). On Linux its list always
    holds the soname (`libpango-1.0.so.0`), which dlopen finds by itself, so the
    search is skipped while importing; a missing library still fails as before.
    """
    if "weasyprint" in sys.modules:
        return
    import ctypes.util

    search = ctypes.util.find_library
    if sys.platform.startswith("linux"):
        ctypes.util.find_library = lambda name: None
    try:
        with fonts.only_named_fonts(), warnings.catch_warnings():
            # At import WeasyPrint checks the system's fonts, and warns that briefkit's
            # configuration has none: the theme's fonts come with its stylesheets.
            warnings.filterwarnings("ignore", "No fonts configured", UserWarning)
            import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = search


class _weasyprint_quiet:
    """WeasyPrint logs what it skips; refused fetches are reported by briefkit itself."""

    def __enter__(self) -> None:
        self.logger = logging.getLogger("weasyprint")
        self.level = self.logger.level
        self.logger.setLevel(logging.CRITICAL)

    def __exit__(self, *exc: object) -> None:
        self.logger.setLevel(self.level)
