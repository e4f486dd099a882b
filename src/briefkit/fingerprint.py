"""What a packet is made from, as one hash, so that an unchanged packet is not rendered again.

A packet's key covers everything its files are made from: the creator's
resolved brief (which holds the campaign's shared data and this creator's own,
and their answer), the commit of the brief they answered,
every file of the theme chain, the system font files the theme names, the bytes
of the logo and assets it embeds or copies, and the versions of briefkit and of
the libraries that shape its output. Any change to one of them changes the key;
nothing else does.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from . import __version__
from .pdf import PdfSetup
from .resolve import CreatorBrief
from .theme import sha256_of_parts

# Libraries whose upgrade can change a packet's bytes.
RENDERING_LIBRARIES = ("weasyprint", "pydyf", "jinja2", "markdown", "nh3", "babel", "segno", "icalendar")


class Fingerprints:
    """Packet keys for one build; theme and file digests are computed once."""

    def __init__(self, root: Path, setup: PdfSetup):
        self.base = sha256_of_parts(_versions().encode(), setup.theme_digest.encode(),
                                    setup.system_fonts_digest.encode())
        self.files = FileDigests(root)

    def key(self, brief: CreatorBrief, compared: str = "") -> str:
        """`compared`: the commit of the brief the creator answered, whose changes the
        packet shows (answers.compared_revision)."""
        files = [brief.brand.logo or ""] + [asset.path for asset in brief.assets]
        return sha256_of_parts(self.base.encode(), brief.model_dump_json().encode(), compared.encode(),
                               *(f"{path}={self.files(path)}".encode() for path in files if path))


class FileDigests:
    """The SHA-256 of workspace files by relative path, each file read once: a logo or
    asset is shared by a campaign's packets."""

    def __init__(self, root: Path):
        self.root = root
        self._known: dict[str, str] = {}

    def __call__(self, relative: str) -> str:
        if relative not in self._known:
            self._known[relative] = sha256_of_parts((self.root / relative).read_bytes())
        return self._known[relative]


def _versions() -> str:
    found = [f"briefkit={__version__}"]
    for name in RENDERING_LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return ";".join(found)

