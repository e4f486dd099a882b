"""What WeasyPrint may read while it renders a PDF: files inside given folders, nothing else.

WeasyPrint's default fetcher embeds any local file (`<img src="file:///etc/passwd">`)
and fetches the network. This one maps `https://theme.invalid/…` to the theme's
folders and `https://fonts.invalid/…` to the system font files the theme names,
each resolved inside its folder (a symlink out of it is refused), refuses
everything else, and keeps a list of what it refused so the build can warn about
it. Documents are rendered against a virtual base URL (`https://workspace.invalid/…`)
that maps to nothing: a brief needs no workspace file in its PDF (its logo is inline),
so none of them (YAML, `output/`, `.git`) can be read. A fixed base URL also keeps
PDFs byte-identical wherever the workspace lies: WeasyPrint names images after
their URL. Attachments are refused before they are fetched (`pdf.make_pdf`).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .fonts import SYSTEM_FONTS, SYSTEM_FONTS_URL

WORKSPACE_URL = "https://workspace.invalid/"
THEME_URL = "https://theme.invalid/"


class ConfinedFetcher(URLFetcher):
    """Serves `https://<host>/<path>` from the folders given for that host, in order;
    for a host in `only`, just the files listed there."""

    def __init__(self, folders: dict[str, list[Path]], only: dict[str, list[Path]] | None = None):
        super().__init__(allowed_protocols=("https", "data"), allow_redirects=False)
        self.folders = {host: [f.resolve() for f in paths] for host, paths in folders.items()}
        self.only = {host: frozenset(f.resolve() for f in files) for host, files in (only or {}).items()}
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self._file_for(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"briefkit does not let the PDF read {url}")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})

    def _file_for(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.username or parts.port:
            return None
        relative = unquote(parts.path).lstrip("/")
        if "\\" in relative or "\0" in relative:
            return None
        host = parts.hostname or ""
        for folder in self.folders.get(host, []):
            target = (folder / relative).resolve()
            if folder in target.parents and target.is_file() and target in self.only.get(host, (target,)):
                return target
        return None


def theme_fetcher(theme_folders: list[Path], system_fonts: list[Path]) -> ConfinedFetcher:
    """The theme's files and the system font files the theme names; nothing of the
    workspace: a brief's logo is inside its HTML already, and its assets are packet
    files, not part of the PDF. A document's own URLs (relative ones, against
    `WORKSPACE_URL`) are therefore all refused."""
    fonts_host = urlsplit(SYSTEM_FONTS_URL).hostname
    return ConfinedFetcher({urlsplit(THEME_URL).hostname: theme_folders, fonts_host: [SYSTEM_FONTS]},
                           only={fonts_host: system_fonts})
