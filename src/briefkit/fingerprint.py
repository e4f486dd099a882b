"""What a packet is made from, as one hash, so that an unchanged packet is not rendered again.

A packet's key covers everything its files are made from: the creator's
resolved brief (which holds the campaign's shared data and this creator's own),
every file of the theme chain, the bytes of the logo and assets it embeds or
copies, and the versions of briefkit and of the libraries that shape its
output. Any change to one of them changes the key; nothing else does.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

from . import __version__
from .resolve import CreatorBrief
from .theme import Theme

# Libraries whose upgrade can change a packet's bytes.
RENDERING_LIBRARIES = ("weasyprint", "pydyf", "jinja2", "markdown", "nh3", "babel", "segno", "icalendar")


class Fingerprints:
    """Packet keys for one build; theme and file digests are computed once."""

    def __init__(self, root: Path, theme: Theme):
        self.root = root
        self.base = _digest(_versions().encode(), theme_digest(theme).encode())
        self._files: dict[str, str] = {}

    def key(self, brief: CreatorBrief) -> str:
        files = [brief.brand.logo or ""] + [asset.path for asset in brief.assets]
        return _digest(self.base.encode(), brief.model_dump_json().encode(),
                       *(f"{path}={self._file(path)}".encode() for path in files if path))

    def _file(self, relative: str) -> str:
        if relative not in self._files:
            self._files[relative] = _digest((self.root / relative).read_bytes())
        return self._files[relative]


def theme_digest(theme: Theme) -> str:
    """One hash of every file in the theme chain, by folder, path and content."""
    parts = []
    for number, folder in enumerate(theme.folders):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            parts.append(f"{number}:{path.relative_to(folder).as_posix()}".encode())
            parts.append(path.read_bytes())
    return _digest(*parts)


def _versions() -> str:
    found = [f"briefkit={__version__}"]
    for name in RENDERING_LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return ";".join(found)


def _digest(*parts: bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(len(part).to_bytes(8, "big"))  # so that no two splits hash alike
        hasher.update(part)
    return hasher.hexdigest()
