"""The fonts a PDF may embed: exactly those its theme's stylesheets name, on every machine.

A theme names fonts in `@font-face` rules: files it ships (`url(../fonts/…)`),
and fonts of the system that `scripts/setup` installs from Debian's packages
(`url(https://fonts.invalid/truetype/dejavu/DejaVuSans.ttf)`, a path under
/usr/share/fonts). WeasyPrint is given a font configuration without any
system font (`fontconfig.conf`), so a character or an SVG text that none of the
named fonts has can never pull in whatever else the machine has installed:
the same workspace makes the same PDF wherever the same packages are installed.
Packet keys cover the named system fonts too (`digest`), so an upgraded font
package renders the PDFs again.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

SYSTEM_FONTS = Path("/usr/share/fonts")
SYSTEM_FONTS_URL = "https://fonts.invalid/"
FONT_SUFFIXES = frozenset({".ttf", ".otf", ".ttc", ".woff", ".woff2"})
# A configuration with no font folder at all; WeasyPrint adds the @font-face files to it.
FONTCONFIG_FILE = Path(__file__).with_name("fontconfig.conf")

_SYSTEM_FONT_URL = re.compile(r"""url\(\s*["']?(""" + re.escape(SYSTEM_FONTS_URL) + r"""([^"')\s]*))""")


@dataclass(frozen=True)
class SystemFont:
    """A system font file a theme stylesheet names, and where it names it."""

    path: str  # relative to SYSTEM_FONTS
    stylesheet: str  # the stylesheet's path in the theme, e.g. css/print.css
    line: int
    column: int

    @property
    def file(self) -> Path | None:
        """The font file, or None when the name is not a font file under SYSTEM_FONTS."""
        relative = PurePosixPath(self.path)
        if relative.is_absolute() or ".." in relative.parts or relative.suffix.lower() not in FONT_SUFFIXES:
            return None
        return SYSTEM_FONTS / relative


def named_system_fonts(stylesheets: tuple[tuple[str, str], ...]) -> tuple[SystemFont, ...]:
    """The system fonts named in `stylesheets` ((path in the theme, CSS text) pairs), in order."""
    found = []
    for name, text in stylesheets:
        for match in _SYSTEM_FONT_URL.finditer(text):
            before = text[:match.start(1)]  # the URL's place, for messages
            line = before.count("\n") + 1
            found.append(SystemFont(match[2], name, line, len(before) - before.rfind("\n")))
    return tuple(dict.fromkeys(found))


def digest(fonts: tuple[SystemFont, ...]) -> str:
    """What the named system fonts are on this machine, as one hash: path, size and
    modification time of each file (as git looks at files), or that it is missing."""
    parts = []
    for font in fonts:
        try:
            stat = font.file.stat() if font.file else None
        except OSError:
            stat = None
        parts.append(f"{font.path}={stat.st_size}:{stat.st_mtime_ns}" if stat else f"{font.path}=missing")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()  # no part holds a line break


def unusable(fonts: tuple[SystemFont, ...]) -> list[SystemFont]:
    """The named fonts that are not font files installed on this machine."""
    return [font for font in fonts if font.file is None or not font.file.is_file()]


_FONT_FACE_URL = re.compile(r"""@font-face\s*{[^}]*?src:\s*url\(\s*["']?([^"')\s]+)""", re.S)


def named_font_files(stylesheets: tuple[tuple[str, str], ...], theme_folders: tuple[Path, ...],
                     system_fonts: tuple[SystemFont, ...]) -> tuple[Path, ...]:
    """Every font file the stylesheets' @font-face rules name, in their order: the theme's
    own (found down the theme chain) and the system's."""
    found: list[Path] = []
    for name, text in stylesheets:
        for url in _FONT_FACE_URL.findall(text):
            if url.startswith(SYSTEM_FONTS_URL):
                font = next((f for f in system_fonts if f.path == url.removeprefix(SYSTEM_FONTS_URL)), None)
                path = font.file if font else None
            else:
                relative = os.path.normpath(str(PurePosixPath(name).parent / url))
                path = next((folder / relative for folder in theme_folders  # inside its folder only
                             if (folder / relative).resolve().is_relative_to(folder.resolve())
                             and (folder / relative).is_file()), None)
            if path is not None and path.is_file():
                found.append(path)
    return tuple(dict.fromkeys(found))


def needed_system_fonts(text: str, files: tuple[Path, ...], system_fonts: tuple[SystemFont, ...]) -> frozenset[str]:
    """The system fonts (their paths under SYSTEM_FONTS) that draw a character of `text`
    no font before them in `files` has: the Noto font of each script the text uses.
    A document loads only those, as every loaded font makes WeasyPrint's layout slower."""
    by_file = {font.file: font.path for font in system_fonts if font.file}
    wanted = {ch for ch in text if not _invisible(ch)}
    needed = set()
    for path in files:
        if not wanted:
            break
        drawn = {ch for ch in wanted if ord(ch) in _characters(path)}
        if drawn and path in by_file:
            needed.add(by_file[path])
        wanted -= drawn
    # A face's other weight goes with it: bold text of the same script.
    families = {_family_key(path) for path in needed}
    return frozenset(font.path for font in system_fonts if _family_key(font.path) in families)


def _family_key(path: str) -> str:
    """`truetype/noto/NotoSansArabic-Bold.ttf` → `truetype/noto/NotoSansArabic`."""
    return path.rsplit("-", 1)[0]


_SYSTEM_FONT_FACE = re.compile(r"@font-face\s*{[^}]*?url\(\s*[\"']?" + re.escape(SYSTEM_FONTS_URL) +
                               r"""([^"')\s]*)[^}]*}\s*""", re.S)


def with_system_faces(stylesheet: str, kept: frozenset[str]) -> str:
    """The stylesheet without the @font-face rules of system fonts not in `kept`."""
    return _SYSTEM_FONT_FACE.sub(lambda rule: rule[0] if rule[1] in kept else "", stylesheet)


def undrawable(text: str, files: tuple[Path, ...]) -> list[str]:
    """The characters of `text` that none of `files` can draw, in order of first
    appearance. Fonts are read as far as needed: a brief in Latin script reads the first."""
    wanted = {ch for ch in text if not _invisible(ch)}
    for path in files:
        if not wanted:
            break
        wanted = {ch for ch in wanted if ord(ch) not in _characters(path)}
    return [ch for ch in dict.fromkeys(text) if ch in wanted]


def _invisible(character: str) -> bool:
    """Spaces, control and format characters (bidi marks, joiners) and variation selectors:
    nothing a font draws."""
    return unicodedata.category(character) in ("Zs", "Zl", "Zp", "Cc", "Cf") or "\ufe00" <= character <= "\ufe0f"


@cache
def _characters(path: Path) -> frozenset[int]:
    """The characters a font file (every face of a collection) has glyphs for."""
    from fontTools.ttLib import TTCollection, TTFont

    faces = TTCollection(str(path), lazy=True).fonts if path.suffix.lower() == ".ttc" else [TTFont(str(path), lazy=True)]
    return frozenset(code for face in faces for code in face["cmap"].getBestCmap())


@contextmanager
def only_named_fonts() -> Iterator[None]:
    """While WeasyPrint sets its fonts up (at import and for each FontConfiguration),
    fontconfig reads briefkit's empty configuration instead of the system's. Only
    for that moment: processes started later (a browser in the tests) see the system's."""
    before = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
    try:
        yield
    finally:
        if before is None:
            del os.environ["FONTCONFIG_FILE"]
        else:
            os.environ["FONTCONFIG_FILE"] = before
