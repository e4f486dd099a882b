"""Hostile input cannot put script into a page or a local file into a PDF or packet."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefkit.build import build
from briefkit.theme import default_theme_folder

from .conftest import edit, parse_html, pdf_text, run_briefkit

ATTACK_MARKDOWN = (
    '<script>alert("md")</script> **bold** <img src="file:///etc/passwd" onerror="alert(2)"> '
    '[click](javascript:alert(3)) <iframe src="https://evil.example"></iframe> '
    '<a href="file:///etc/passwd" rel="attachment">attach</a> <svg onload="alert(5)"></svg> '
    '<style>body{display:none}</style> <a href="https://ok.example" onclick="alert(6)">ok</a>'
)


def only_theme_script(html: str) -> bool:
    """The page has one <script>, the default theme's, and its hash is the only script the CSP allows."""
    script = (default_theme_folder() / "js/brief.js").read_text()
    allowed = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return (html.count("<script") == 1 and f"<script>{script}</script>" in html
            and f"script-src 'sha256-{allowed}';" in html)


def test_script_in_markdown_and_strings_never_reaches_a_page(workspace: Path) -> None:
    campaign = workspace / "briefs/launch/campaign.yaml"
    edit(campaign, "overview: Our new **oat drink** for coffee.",
               f"overview: '{ATTACK_MARKDOWN}'")
    edit(campaign, "title: Oat Drink Launch", "title: '</title><script>alert(\"title\")</script>'")
    edit(campaign, "  name: Haferhof", "  name: '<img src=x onerror=alert(1)>'")
    edit(workspace / "briefs/launch/creators/ben.yaml", "why_you: Your latte art reels are the best in town.",
               f"why_you: '{ATTACK_MARKDOWN}'")
    edit(workspace / "briefs/launch/creators/ben.yaml", "name: Ben Carter",
               "name: '\"><svg onload=alert(7)>'")
    report = build(workspace)
    assert not report.failed, report.diagnostics

    for packet in ("kaffee-klara", "ben-brews"):
        html_path = workspace / "output/launch" / packet / "index.html"
        page = parse_html(html_path)
        tags = {tag for tag, _ in page.elements}
        assert not tags & {"iframe", "object", "embed"}, tags
        # The only script is the theme's copy script, and the only SVGs are the QR codes:
        assert only_theme_script(html_path.read_text())
        assert [a.get("class") for a in page.all("svg")] == ["qr__code"] * len(page.all("svg"))
        assert [tag for tag, _ in page.elements].count("style") == 1  # the theme's own only
        for tag, attrs in page.elements:
            assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
            for name in ("href", "src"):
                value = attrs.get(name, "").strip().lower()
                assert not value.startswith(("javascript:", "file:")), (tag, attrs)
        # The text survives as text, visibly escaped:
        assert "bold" in page.text
        assert '<script>alert("title")</script>' in html_path.read_text().replace("&lt;", "<").replace(
            "&gt;", ">").replace("&#34;", '"').replace("&quot;", '"')
        pdf = workspace / "output/launch" / packet / "brief.pdf"
        reader = PdfReader(pdf)
        assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
        assert b"/JavaScript" not in pdf.read_bytes() and b"/JS " not in pdf.read_bytes()
        assert "root:x:0:0" not in pdf_text(pdf)


def test_a_theme_cannot_put_local_files_or_the_network_into_a_pdf(workspace: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-OUTSIDE-THE-WORKSPACE")
    (tmp_path / "secret.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>SVG-OUTSIDE</text></svg>')
    theme = workspace / "themes/sly/templates/sections"
    theme.mkdir(parents=True)
    (theme / "contact.html").write_text(
        f'<link rel="attachment" href="file://{secret}">\n'
        '<link rel="attachment" href="file:///etc/passwd">\n'
        f'<a rel="attachment" href="{secret}">a</a>\n'
        '<img src="file:///etc/passwd" alt="">\n'
        '<img src="../../../../../secret.svg" alt="">\n'
        '<img src="https://tracker.example/pixel.png" alt="">\n'
        '<p>CONTACT-FROM-THEME</p>\n')
    (workspace / "briefkit.yaml").write_text("theme: sly\n")

    first = run_briefkit("build", "--workspace", str(workspace))
    again = run_briefkit("build", "--workspace", str(workspace))  # nothing rendered, warnings repeated
    assert "2 unchanged" in again.stdout
    for result in (first, again):
        assert result.returncode == 0, result.stderr
        for packet in ("kaffee-klara", "ben-brews"):  # every packet reports what it was refused
            for url in ("file:///etc/passwd", "https://tracker.example/pixel.png"):
                assert f"launch/{packet}/brief.pdf: warning: left out of the PDF: {url}" in result.stderr
            for url in (f"file://{secret}", "file:///etc/passwd", str(secret)):  # never even fetched
                assert f"launch/{packet}/brief.pdf: warning: an attachment was left out of the PDF: {url}" \
                    in result.stderr

    pdf = workspace / "output/launch/ben-brews/brief.pdf"
    reader = PdfReader(pdf)
    assert "CONTACT-FROM-THEME" in pdf_text(pdf)  # the theme's file was used
    assert not reader.attachments
    data = pdf.read_bytes()
    assert b"SECRET-OUTSIDE" not in data and b"root:x:0:0" not in data
    assert "SVG-OUTSIDE" not in pdf_text(pdf)


def test_an_asset_outside_the_workspace_stops_the_build(workspace: Path, tmp_path: Path) -> None:
    (tmp_path / "private.txt").write_text("PRIVATE")
    (workspace / "briefs/launch/assets/link.txt").symlink_to(tmp_path / "private.txt")
    campaign = workspace / "briefs/launch/campaign.yaml"
    edit(campaign, "  - {path: assets/logo.svg, title: Haferhof logo}",
               "  - {path: assets/logo.svg, title: Haferhof logo}\n"
               "  - {path: ../../../private.txt, title: Escape}\n"
               "  - {path: assets/link.txt, title: Symlink out}\n"
               "  - {path: /etc/passwd, title: Absolute}")
    result = run_briefkit("build", "--workspace", str(workspace))
    assert result.returncode == 1
    for line in ("campaign.yaml:50:12: error: `../../../private.txt` points outside the workspace",
                 "campaign.yaml:51:12: error: `assets/link.txt` points outside the workspace",
                 "campaign.yaml:52:12: error: `/etc/passwd` is an absolute path"):
        assert line in result.stderr
    assert not (workspace / "output").exists()


def test_an_asset_swapped_for_a_link_after_validation_is_refused(workspace: Path, tmp_path: Path) -> None:
    """Validation checked the asset; between that and the copy it became a link out."""
    from briefkit.render import RenderError, Renderer
    from briefkit.resolve import resolve_workspace
    from briefkit.theme import load_theme
    from briefkit.validate import check_workspace

    checked, diagnostics = check_workspace(workspace)
    assert not [d for d in diagnostics if d.is_error]
    [brief, *_] = resolve_workspace(checked)
    (tmp_path / "private.svg").write_text("<svg>PRIVATE</svg>")
    logo = workspace / "briefs/launch/assets/logo.svg"
    logo.unlink()
    logo.symlink_to(tmp_path / "private.svg")
    renderer = Renderer(workspace, load_theme(workspace, "default"), pdf=False)
    with pytest.raises(RenderError) as refused:
        renderer.packet(brief)
    assert refused.value.diagnostic.message == "`briefs/launch/assets/logo.svg` now leads out of the workspace"
