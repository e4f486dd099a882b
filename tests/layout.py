"""Reading a PDF brief back with pdfplumber to check its layout, as docs/themes.md
promises of the default theme's print layout:

- no two words overlap (a card's long name drawn over the line below it);
- no page after the first is less than a fifth full, unless the brief is one page;
- every fact row (a label and its value, `<dt>` and `<dd>`) is on one page;
- every link is http(s), mailto, tel (the contact's phone), or a relative path to a
  file of the packet (so it works inside packet.zip and on a host), and nothing
  refers to a `.invalid` address.

`layout_problems` returns every problem found, as sentences naming the page, so a
failing test says what to look at.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pdfplumber

MM = 72 / 25.4
# The body of a page lies inside print.css's @page margins; the running header and
# footer lie outside it. The first page has no top margin (its masthead starts there).
BODY_TOP = 22 * MM
BODY_BOTTOM = 20 * MM
FIRST_PAGE_TOP = 0.0
MIN_FILL = 0.2
# Two words overlap when they share more than this part of the smaller one's box; glyph
# boxes of consecutive lines touch in some fonts, a word drawn over another shares most.
OVERLAP_SHARE = 0.25


def layout_problems(pdf_path: Path, packet: Path | None = None) -> list[str]:
    """Every layout problem of the PDF at `pdf_path`, whose packet folder is `packet`
    (its parent when not given)."""
    packet = packet or pdf_path.parent
    with pdfplumber.open(pdf_path) as pdf:
        problems = []
        for page in pdf.pages:
            problems += overlapping_words(page)
            problems += invalid_links(page, packet)
        problems += near_empty_pages(pdf.pages)
        problems += split_fact_rows(pdf)
        problems += invalid_addresses(pdf)
    return problems


def overlapping_words(page) -> list[str]:
    # Words of fewer than three letters are left out: pdfplumber cuts an Arabic word
    # at a vowel mark into pieces drawn over each other, and text drawn over text
    # overlaps in longer words too.
    words = sorted((w for w in page.extract_words(keep_blank_chars=False, use_text_flow=True)
                    if sum(not unicodedata.combining(c) for c in w["text"]) >= 3), key=lambda w: w["top"])
    found = []
    for i, word in enumerate(words):
        for other in words[i + 1:]:
            if other["top"] >= word["bottom"]:
                break
            if _shared(word, other) > OVERLAP_SHARE:
                found.append(f"page {page.page_number}: {word['text']!r} overlaps {other['text']!r}")
    return found


def _shared(a: dict, b: dict) -> float:
    """The part of the smaller box of `a` and `b` that the other covers."""
    width = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a["x1"] - a["x0"]) * (a["bottom"] - a["top"]), (b["x1"] - b["x0"]) * (b["bottom"] - b["top"]))
    return width * height / smaller if smaller else 0.0


def page_fill(page) -> float:
    """How much of the page's body its content covers, from the body's top to the
    bottom of its lowest object (0 for an empty body)."""
    top = FIRST_PAGE_TOP if page.page_number == 1 else BODY_TOP
    bottom = page.height - BODY_BOTTOM
    objects = page.chars + page.rects + page.curves + page.lines + page.images
    # Only what lies inside the body: not the running header and footer, nor the
    # background of the page or of the whole body.
    inside = [o for o in objects if o["top"] >= top - 1 and o["bottom"] <= bottom + 1
              and o["bottom"] - o["top"] < 0.9 * (bottom - top)]
    lowest = max((o["bottom"] for o in inside), default=top)
    return (lowest - top) / (bottom - top)


def near_empty_pages(pages) -> list[str]:
    if len(pages) == 1:
        return []
    return [f"page {page.page_number} of {len(pages)} is only {fill:.0%} full"
            for page in pages[1:] if (fill := page_fill(page)) < MIN_FILL]


def split_fact_rows(pdf) -> list[str]:
    """Fact rows whose label and value lie on different pages."""
    return [f"a fact row is split: {text!r} on page {sorted(pages)}"
            for text, pages, parts in fact_rows(pdf) if len(pages) > 1 or parts < 2]


def fact_rows(pdf) -> list[tuple[str, set[int], int]]:
    """Each fact row's text, the pages it is on, and how many of its two parts (label
    and value) these are. WeasyPrint tags a `<dl>` as a list (L) whose rows (`<div>`)
    are Div elements holding the `<dt>` and the `<dd>`; a row split over two pages
    becomes two rows, one part on each."""
    texts: dict[tuple[int, int], str] = {}
    for page in pdf.pages:
        for char in page.chars:
            if char.get("mcid") is not None:
                key = (page.page_number, char["mcid"])
                texts[key] = texts.get(key, "") + char["text"]
    rows = []

    def content(node: dict) -> tuple[str, set[int]]:
        text = "".join(texts.get((node.get("page_number"), mcid), "") for mcid in node.get("mcids") or [])
        pages = {node["page_number"]} if node.get("mcids") else set()
        for child in node.get("children", []):
            more, on = content(child)
            text, pages = text + more, pages | on
        return text, pages

    def walk(node: dict, parent: str | None) -> None:
        if node.get("type") == "Div" and parent == "L":
            rows.append((*content(node), len(node.get("children", []))))
        for child in node.get("children", []):
            walk(child, node.get("type"))

    for node in pdf.structure_tree:
        walk(node, None)
    return rows


def invalid_links(page, packet: Path) -> list[str]:
    found = []
    for annotation in page.annots:
        uri = annotation.get("uri")
        if uri is None:
            continue  # a link inside the document
        if not link_works(uri, packet):
            found.append(f"page {page.page_number}: the link {uri!r} does not work from the packet")
    return found


def link_works(uri: str, packet: Path) -> bool:
    """Whether `uri` works wherever the packet lies: an http(s), mailto or tel address, or a
    relative path to one of the packet's files (never out of it)."""
    parts = urlsplit(uri)
    if parts.scheme in ("http", "https"):
        return bool(parts.hostname) and not parts.hostname.endswith(".invalid")
    if parts.scheme == "mailto":
        return "@" in parts.path
    if parts.scheme == "tel":
        return re.fullmatch(r"\+?\d{3,}(;ext=\d+)?", parts.path) is not None
    if parts.scheme or parts.netloc or uri.startswith("/"):
        return False
    path = PurePosixPath(unquote(parts.path))
    return ".." not in path.parts and (packet / path).is_file()


def invalid_addresses(pdf) -> list[str]:
    text = unicodedata.normalize("NFKC", "".join(char["text"] for page in pdf.pages for char in page.chars))
    metadata = " ".join(str(value) for value in pdf.metadata.values())
    return [f"the PDF's {where} refer to a .invalid address"
            for where, value in (("text", text), ("metadata", metadata)) if ".invalid" in value]
