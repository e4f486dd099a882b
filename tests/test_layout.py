"""The print layout, read back from the PDFs (tests/layout.py): on the example and on
tests/fixtures/layout (a long product name, long German and Portuguese dates, seven
deliverables, a phone number; eleven creators in ten languages on A4 and US Letter),
no text overlaps, no page after the first is nearly empty, no label leaves its value,
and every link works from the packet. The checks themselves are tried on PDFs made
to fail them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

from briefkit.build import build
from briefkit import pdf as pdf_module
from briefkit.pdf import make_pdf
from briefkit.render import Renderer
from briefkit.resolve import resolve_workspace
from briefkit.theme import load_theme
from briefkit.validate import check_workspace

from .conftest import FIXTURES, REPO
from .layout import fact_rows, layout_problems, link_works, page_fill

A4, LETTER = (595, 842), (612, 792)
LANGUAGES = {"ava-en": "en-US", "jonas-de": "de-DE", "jonas-us": "de-DE", "bruna-br": "pt-BR", "rafa-us": "pt-BR",
             "ines-pt": "pt-PT", "chloe-ca": "fr-CA", "lucia-mx": "es-MX", "kasia-pl": "pl-PL",
             "haruka-jp": "ja-JP", "layla-ae": "ar-AE"}


@pytest.fixture(scope="module")
def stress(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/layout built once; the output folder of its campaign."""
    root = tmp_path_factory.mktemp("layout") / "ws"
    shutil.copytree(FIXTURES / "layout", root)
    assert not build(root).failed
    return root / "output" / "stress"


def _size(pdf: Path) -> tuple[int, int]:
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        return round(page.width), round(page.height)


@pytest.mark.parametrize("creator", sorted(LANGUAGES))
def test_each_stress_brief_is_laid_out_cleanly(stress: Path, creator: str) -> None:
    pdf = stress / creator / "brief.pdf"
    assert layout_problems(pdf) == []
    with pdfplumber.open(pdf) as document:
        assert len(fact_rows(document)) >= 20  # the row check has rows to check
        links = [a["uri"] for page in document.pages for a in page.annots if a.get("uri")]
    # The asset links lead to the packet's own files; the phone number can be dialled.
    assert "assets/logo.svg" in links and "assets/size-guide.txt" in links
    assert "tel:+14155550137;ext=204" in links


def test_the_stress_briefs_cover_eight_languages_and_both_paper_sizes(stress: Path) -> None:
    assert len(set(LANGUAGES.values())) >= 8
    sizes = {creator: _size(stress / creator / "brief.pdf") for creator in LANGUAGES}
    assert sizes["jonas-de"] == sizes["bruna-br"] == A4  # German and Portuguese on A4 …
    assert sizes["jonas-us"] == sizes["rafa-us"] == LETTER  # … and on US Letter
    assert {sizes["chloe-ca"], sizes["lucia-mx"], sizes["ava-en"]} == {LETTER}


@pytest.mark.parametrize("creator", ["lena-hautnah", "maya-makes", "sofia-glow", "tom-in-london"])
def test_each_example_brief_is_laid_out_cleanly(example: Path, creator: str) -> None:
    pdf = example / "spring-glow" / creator / "brief.pdf"
    assert layout_problems(pdf) == []
    with pdfplumber.open(pdf) as document:
        links = [a["uri"] for page in document.pages for a in page.annots if a.get("uri")]
    assert "assets/logo.svg" in links and not any("invalid" in link for link in links)


def test_a_long_product_name_and_its_value_stay_apart_in_reading_order(stress: Path) -> None:
    with pdfplumber.open(stress / "jonas-de" / "brief.pdf") as document:
        text = " ".join(page.extract_text() for page in document.pages)
    assert "Pouch\nim Wert von 164,90 $" in text or "Pouch im Wert von 164,90 $" in text
    # Each label is followed by its value in the text, not gathered before them.
    assert "Zahlung Net 30 after the last deliverable goes live" in " ".join(text.split())


# The checks, each on a PDF made to fail it ------------------------------------------


def _pdf(tmp_path: Path, html: str) -> Path:
    from weasyprint import HTML

    path = tmp_path / "brief.pdf"
    HTML(string=html).write_pdf(path, pdf_variant="pdf/ua-1")
    return path


INTER = (REPO / "themes" / "default" / "fonts" / "Inter-Regular.otf").as_uri()
PAGE = ("<style>@font-face { font-family: Inter; src: url(%s) } @page { size: A4; margin: 22mm 18mm 20mm }"
        " body { font: 10pt Inter }</style>" % INTER)


def test_overlapping_text_is_found(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path, PAGE + '<p>Autumn Ritual Complete Kit</p><p style="margin-top: -2em">worth 164.90 dollars</p>')
    assert any("overlaps" in problem for problem in layout_problems(pdf))


def test_a_nearly_empty_last_page_is_found(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path, PAGE + "<p>Page one</p>" * 3 + '<p style="break-before: page">Made with care</p>')
    assert [p for p in layout_problems(pdf) if "full" in p] == ["page 2 of 2 is only 3% full"]


def test_a_label_on_another_page_than_its_value_is_found(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path, PAGE + '<p style="height: 200mm">Contact</p><dl><div><dt>Phone</dt>'
                                '<dd style="break-before: page">+1 415 555 0137</dd></div></dl>' + "<p>More</p>" * 40)
    assert [p for p in layout_problems(pdf) if "fact row" in p] == [
        "a fact row is split: 'Phone' on page [1]", "a fact row is split: '+1 415 555 0137' on page [2]"]


def test_links_that_do_not_work_from_the_packet_are_found(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.svg").write_text("<svg/>")
    assert link_works("assets/logo.svg", tmp_path)
    assert link_works("https://lumen.example/a?b=c", tmp_path) and link_works("mailto:dana@lumen.example", tmp_path)
    assert link_works("tel:+14155550137;ext=204", tmp_path)
    for broken in ("https://workspace.invalid/assets/logo.svg", "assets/missing.svg", "../secret.txt",
                   "/etc/passwd", "file:///etc/passwd", "javascript:alert(1)", "tel:call-me"):
        assert not link_works(broken, tmp_path), broken
    pdf = _pdf(tmp_path, PAGE + '<a href="https://workspace.invalid/assets/logo.svg">logo</a>')
    assert layout_problems(pdf) == [
        "page 1: the link 'https://workspace.invalid/assets/logo.svg' does not work from the packet"]


# The second, tighter layout ------------------------------------------------------


def test_a_brief_whose_last_page_is_nearly_empty_is_laid_out_tighter(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sofia's brief spills a few lines onto a fifth page in the normal layout; the
    tighter one (data-fit="tight") fits it on four, and that PDF is the one made."""
    root = tmp_path / "ws"
    shutil.copytree(REPO / "briefs", root / "briefs")
    shutil.copy(REPO / "briefkit.yaml", root)
    workspace, _ = check_workspace(root)
    renderer = Renderer(root, load_theme(root, "default"))
    sofia = next(b for b in resolve_workspace(workspace) if b.creator.slug == "sofia-glow")
    html = renderer.print_page(sofia)
    made = tmp_path / "made.pdf"
    made.write_bytes(make_pdf(renderer.pdf_setup, html)[0])
    monkeypatch.setattr(pdf_module, "NEARLY_EMPTY", 0.0)  # no second layout
    normal = tmp_path / "normal.pdf"
    normal.write_bytes(make_pdf(renderer.pdf_setup, html)[0])
    with pdfplumber.open(normal) as document:
        assert len(document.pages) == 5 and page_fill(document.pages[-1]) < 1 / 3
    with pdfplumber.open(made) as document:
        assert len(document.pages) == 4
    assert layout_problems(made, root / "briefs" / "spring-glow") == []  # where assets/logo.svg is
