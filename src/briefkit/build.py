"""`briefkit build`: the whole pipeline, load → validate → resolve → render → write.

Validation runs first and an invalid workspace writes nothing. Each packet is
rendered in memory and then written file by file, atomically, through the
output writer, which also prunes packets of creators that are gone.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, in_file_order
from .model import handle_key
from .render import PDF_NAME, ZIP_NAME, Renderer, RenderError
from .resolve import CreatorBrief, resolve_workspace
from .theme import load_theme
from .validate import SECRET_VARIABLE, Workspace, check_workspace
from .write import OutputWriter


@dataclass(frozen=True)
class Selection:
    """Which packets to build; None builds all."""

    campaign: str | None = None
    creator: str | None = None  # a handle, with or without @

    def picks(self, brief: CreatorBrief) -> bool:
        return ((self.campaign is None or brief.campaign_id == self.campaign)
                and (self.creator is None or handle_key(self.creator) == handle_key(brief.creator.handle)))


@dataclass
class BuildReport:
    output: Path
    packets: list[str] = field(default_factory=list)  # packet folders, relative to output
    diagnostics: list[Diagnostic] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # stale files someone edited; not pruned

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


class SelectionError(ValueError):
    """--campaign or --creator names nothing in the workspace."""


def build(root: Path, selection: Selection = Selection(), out: Path | None = None, pdf: bool = True,
          on_packet: Callable[[str], None] = lambda folder: None) -> BuildReport:
    workspace, diagnostics = check_workspace(root)
    output = out or root / workspace.settings.output
    report = BuildReport(output, diagnostics=diagnostics)
    if report.failed:
        return report
    briefs = [b for b in resolve_workspace(workspace) if selection.picks(b)]
    if not briefs:
        raise SelectionError(_nothing_selected(workspace, selection))
    try:
        renderer = Renderer(root, load_theme(root, workspace.settings.theme), pdf=pdf)
        secret = os.environ.get(SECRET_VARIABLE, "") if workspace.settings.private_links else ""
        with OutputWriter(output, owns=_owned(selection, briefs, secret, pdf)) as writer:
            for brief in briefs:
                folder = packet_folder(brief, secret)
                packet = renderer.packet(brief)
                for name, data in sorted(packet.files.items()):
                    writer.write(f"{folder}/{name}", data)
                report.packets.append(folder)
                report.diagnostics += packet.warnings
                on_packet(folder)
        report.kept = writer.kept
    except RenderError as error:
        report.diagnostics.append(error.diagnostic)
    report.diagnostics = in_file_order(report.diagnostics)
    return report


def packet_folder(brief: CreatorBrief, secret: str = "") -> str:
    """`<campaign-id>/<creator-slug>`, with a keyed-hash suffix when links are private."""
    name = brief.creator.slug
    if secret:
        message = f"{brief.campaign_id}/{brief.creator.slug}".encode()
        name += "-" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:16]
    return f"{brief.campaign_id}/{name}"


def _owned(selection: Selection, briefs: list[CreatorBrief], secret: str,
           pdf: bool) -> Callable[[str], bool]:
    """Which output files this build answers for: all, or those of what it builds.

    A build without PDFs leaves the PDFs (and the ZIPs holding them) of the
    last full build alone.
    """
    if selection.creator is not None:
        prefixes = tuple(packet_folder(b, secret) + "/" for b in briefs)
    elif selection.campaign is not None:
        prefixes = (selection.campaign + "/",)
    else:
        prefixes = ("",)
    made_with_pdf = (f"/{PDF_NAME}", f"/{ZIP_NAME}")
    return lambda name: name.startswith(prefixes) and (pdf or not name.endswith(made_with_pdf))


def _nothing_selected(workspace: Workspace, selection: Selection) -> str:
    ids = [c.id for c in workspace.campaigns]
    if selection.campaign is not None and selection.campaign not in ids:
        return f"no campaign has the id {selection.campaign!r}; campaigns: {', '.join(ids)}"
    return f"no creator with the handle {selection.creator!r}" + (
        f" in campaign {selection.campaign!r}" if selection.campaign else "")
