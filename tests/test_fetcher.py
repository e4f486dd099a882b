"""The PDF renderer cannot read files outside the workspace and theme, nor the network."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from briefkit.fetcher import THEME_URL, WORKSPACE_URL, theme_fetcher
from briefkit.fonts import SYSTEM_FONTS

SECRET = "TOP-SECRET-OUTSIDE-7f3a"


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path, Path]:
    workspace = tmp_path / "ws"
    (workspace / "briefs" / "c" / "assets").mkdir(parents=True)
    (workspace / "briefs" / "c" / "assets" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>')
    (workspace / "briefs" / "c" / "campaign.yaml").write_text(f"internal: {SECRET}\n")
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "mark.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>')
    (theme / "leak.svg").symlink_to(tmp_path / "secret.svg")
    outside = tmp_path / "secret.txt"
    outside.write_text(SECRET)
    (tmp_path / "secret.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="20"><text y="15">{SECRET}</text></svg>')
    (workspace / "escape").symlink_to(tmp_path)
    return workspace, theme, outside


def render(html: str, workspace: Path, theme: Path, target: Path):
    fetcher = theme_fetcher([theme], [SYSTEM_FONTS / "truetype/dejavu/DejaVuSans.ttf"])
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
    '<img src="https://theme.invalid/leak.svg">',  # a theme file that links outside its folder
    '<object data="campaign.yaml"></object><img src="campaign.yaml">',  # the workspace's own files
    '<img src="https://workspace.invalid/briefs/c/campaign.yaml">',
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
    fetcher = theme_fetcher([theme], [SYSTEM_FONTS / "truetype/dejavu/DejaVuSans.ttf"])
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    named = fetcher.fetch("https://fonts.invalid/truetype/dejavu/DejaVuSans.ttf")
    assert named.read() == (SYSTEM_FONTS / "truetype/dejavu/DejaVuSans.ttf").read_bytes()


def test_the_themes_files_render_and_the_workspaces_do_not(layout, tmp_path: Path) -> None:
    workspace, theme, _ = layout
    fetcher, _ = render(f'<img src="{THEME_URL}mark.svg" alt="">', workspace, theme, tmp_path / "ok.pdf")
    assert fetcher.refused == []
    assert _drawn_squares(tmp_path / "ok.pdf") == 1  # the SVG's 10 × 10 square
    fetcher, _ = render('<img src="assets/logo.svg" alt="">', workspace, theme, tmp_path / "no.pdf")
    assert fetcher.refused == [WORKSPACE_URL + "briefs/c/assets/logo.svg"]  # a brief's logo comes inline
    assert _drawn_squares(tmp_path / "no.pdf") == 0


def _drawn_squares(pdf: Path) -> int:
    """How many 10 × 10 squares the first page fills (the test SVG's shape)."""
    return PdfReader(pdf).pages[0].get_contents().get_data().count(b"0 0 10 10 re\nf")
