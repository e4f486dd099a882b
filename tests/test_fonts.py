"""A PDF embeds only fonts its theme names, whatever else the machine has installed,
and a packet's key changes with every font file it may embed."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from briefkit import fonts
from briefkit.build import build
from briefkit.fingerprint import Fingerprints
from briefkit.render import pdf_setup
from briefkit.theme import default_theme_folder, load_theme

from .conftest import edit, run_briefkit

FONT_FACE_SOURCE = re.compile(r"@font-face\s*{[^}]*?src:\s*url\(([^)]+)\)", re.S)


def named_font_files(stylesheet: Path) -> list[Path]:
    """The files the @font-face rules of a theme stylesheet name, read as a theme author would."""
    files = []
    for url in FONT_FACE_SOURCE.findall(stylesheet.read_text(encoding="utf-8")):
        if url.startswith("https://fonts.invalid/"):
            files.append(Path("/usr/share/fonts") / url.removeprefix("https://fonts.invalid/"))
        else:
            files.append((stylesheet.parent / url).resolve())
    return files


def postscript_name(font: TTFont) -> str:
    return font["name"].getDebugName(6)


def embedded_fonts(pdf: Path) -> set[str]:
    """The PostScript name of every font program embedded in `pdf`, read from the font data."""
    names = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font.get("/FontDescriptor")
                          or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]).get_object()
            [program] = [descriptor[key] for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor]
            names.add(postscript_name(TTFont(io.BytesIO(program.get_object().get_data()))))
    return names


def test_every_font_embedded_in_the_examples_pdfs_is_one_the_theme_names(example: Path) -> None:
    named_files = named_font_files(default_theme_folder() / "css/print.css")
    named = {postscript_name(TTFont(path, fontNumber=0)) for path in named_files}
    pdfs = sorted(example.rglob("brief.pdf"))
    assert len(pdfs) == 4
    for pdf in pdfs:
        embedded = embedded_fonts(pdf)
        assert embedded <= named, (pdf, embedded - named)
        # the text face, and the code in the monospace face the theme ships
        assert {"Inter-Regular", "Inter-Bold", "JetBrainsMono-Bold"} <= embedded, embedded


def test_a_font_the_machine_has_but_the_theme_does_not_name_is_never_embedded(workspace: Path) -> None:
    """DejaVu Serif and DejaVu Sans Mono are installed with fonts-dejavu-core; the logo and a
    Markdown code span ask for them by name, and get the theme's fonts instead."""
    assert Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf").is_file()
    logo = workspace / "briefs/launch/assets/logo.svg"
    edit(logo, 'font-family="DejaVu Sans, sans-serif"', 'font-family="DejaVu Serif"')
    edit(workspace / "briefs/launch/campaign.yaml", "overview: ", "overview: Use `code` and ")
    assert not build(workspace).failed
    embedded = embedded_fonts(workspace / "output/launch/ben-brews/brief.pdf")
    assert not {name for name in embedded if name.startswith(("DejaVuSerif", "DejaVuSansMono"))}, embedded
    assert "JetBrainsMono-Regular" in embedded  # the code span


def test_a_named_system_font_that_is_missing_stops_the_build_at_its_line(workspace: Path) -> None:
    theme = workspace / "themes/brand/css"
    theme.mkdir(parents=True)
    stylesheet = (default_theme_folder() / "css/print.css").read_text(encoding="utf-8")
    missing = "@font-face { font-family: Gone; src: url(https://fonts.invalid/truetype/gone/Gone.ttf); }\n"
    (theme / "print.css").write_text(missing + stylesheet, encoding="utf-8")
    (workspace / "briefkit.yaml").write_text("theme: brand\n")
    result = run_briefkit("build", "--workspace", str(workspace))
    assert result.returncode == 1
    assert "themes/brand/css/print.css:1:42: error: the theme names the font " \
           "/usr/share/fonts/truetype/gone/Gone.ttf, which is not installed" in result.stderr
    assert "bash scripts/setup" in result.stderr
    assert not (workspace / "output").exists()  # nothing written
    assert run_briefkit("build", "--no-pdf", "--workspace", str(workspace)).returncode == 0


@pytest.mark.parametrize("url", ["truetype/../../../etc/passwd", "truetype/dejavu/DejaVuSans.txt"])
def test_only_font_files_under_the_system_font_folder_can_be_named(url: str) -> None:
    [font] = fonts.named_system_fonts((("css/print.css", f"src: url('https://fonts.invalid/{url}');"),))
    assert font.path == url and font.file is None
    assert fonts.unusable((font,)) == [font]


def test_the_packet_key_changes_with_a_named_system_font(workspace: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    system = tmp_path / "fonts"
    (system / "truetype/dejavu").mkdir(parents=True)
    font = system / "truetype/dejavu/DejaVuSans.ttf"
    font.write_bytes(b"a font")
    monkeypatch.setattr(fonts, "SYSTEM_FONTS", system)
    from briefkit.resolve import resolve_workspace
    from briefkit.validate import check_workspace

    checked, _ = check_workspace(workspace)
    brief = resolve_workspace(checked)[0]
    theme = load_theme(workspace, "default")

    def key() -> str:
        return Fingerprints(workspace, pdf_setup(workspace, theme)).key(brief)

    before = key()
    assert key() == before
    os.utime(font, ns=(1, 1))  # a package upgrade gives the file a new time (and size)
    assert key() != before
