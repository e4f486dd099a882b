"""The PDF renderer cannot read files outside the workspace and theme, nor the network."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from briefkit.fetcher import WORKSPACE_URL, workspace_fetcher
from briefkit.fonts import SYSTEM_FONTS

SECRET = "TOP-SECRET-OUTSIDE-7f3a"


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path, Path]:
    workspace = tmp_path / "ws"
    (workspace / "briefs" / "c" / "assets").mkdir(parents=True)
    (workspace / "briefs" / "c" / "assets" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>')
    theme = tmp_path / "theme"
    theme.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text(SECRET)
    (tmp_path / "secret.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="20"><text y="15">{SECRET}</text></svg>')
    (workspace / "escape").symlink_to(tmp_path)
    return workspace, theme, outside


def render(html: str, workspace: Path, theme: Path, target: Path):
    fetcher = workspace_fetcher(workspace, [theme], [SYSTEM_FONTS / "truetype/dejavu/DejaVuSans.ttf"])
    HTML(string=html, base_url=WORKSPACE_URL + "briefs/c/", url_fetcher=fetcher).write_pdf(target)
    return fetcher, target.read_bytes()


@pytest.mark.parametrize("attack", [
    '<link rel="attachment" href="file://{outside}">',
    '<a rel="attachment" href="{outside}">x</a>',
    '<a rel="attachment" href="../../../secret.txt">x</a>',
    '<a rel="attachment" href="%2e%2e/%2e%2e/%2e%2e/secret.txt">x</a>',
    '<a rel="attachment" href="escape/secret.txt">x</a>',
    '<img src="file://{svg}">',
    '<img src="../../../secret.svg">',
    '<img src="https://example.com/tracker.png">',
    '<link rel="stylesheet" href="file://{outside}">',
])
def test_outside_files_and_network_never_reach_the_pdf(attack: str, layout, tmp_path: Path) -> None:
    workspace, theme, outside = layout
    html = "<p>Brief</p>" + attack.format(outside=outside, svg=tmp_path / "secret.svg")
    fetcher, pdf = render(html, workspace, theme, tmp_path / "out.pdf")
    assert SECRET.encode() not in pdf
    reader = PdfReader(tmp_path / "out.pdf")
    assert SECRET not in "".join(page.extract_text() for page in reader.pages)
    assert reader.attachments == {}
    assert fetcher.refused, "a refused fetch must be reported, not silent"


@pytest.mark.parametrize("url", [
    "https://fonts.invalid/truetype/dejavu/DejaVuSerif.ttf",  # installed, but not named
    "https://fonts.invalid/truetype/dejavu/../../../../etc/passwd",
    "https://fonts.invalid/%2e%2e/%2e%2e/etc/passwd",
])
def test_of_the_system_fonts_only_the_named_files_can_be_read(url: str, layout) -> None:
    workspace, theme, _ = layout
    fetcher = workspace_fetcher(workspace, [theme], [SYSTEM_FONTS / "truetype/dejavu/DejaVuSans.ttf"])
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    named = fetcher.fetch("https://fonts.invalid/truetype/dejavu/DejaVuSans.ttf")
    assert named.read() == (SYSTEM_FONTS / "truetype/dejavu/DejaVuSans.ttf").read_bytes()


def test_files_inside_the_workspace_render(layout, tmp_path: Path) -> None:
    workspace, theme, _ = layout
    fetcher, _ = render('<img src="assets/logo.svg" alt="logo">', workspace, theme, tmp_path / "ok.pdf")
    assert fetcher.refused == []
    assert b" re" in _drawing(tmp_path / "ok.pdf")  # the SVG's rectangle is drawn
    render("<p>no image</p>", workspace, theme, tmp_path / "empty.pdf")
    assert b" re" not in _drawing(tmp_path / "empty.pdf")


def _drawing(pdf: Path) -> bytes:
    """Page content and the content of everything it draws, decompressed."""
    page = PdfReader(pdf).pages[0]
    data = page.get_contents().get_data()
    for xobject in (page["/Resources"].get("/XObject") or {}).values():
        data += xobject.get_object().get_data()
    return data
