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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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
