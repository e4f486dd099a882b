"""`briefkit build`: the whole pipeline, load → validate → resolve → render → write.

Validation runs first (of the one campaign a `--campaign` build builds, else of
everything) and an invalid workspace writes nothing; nor does an
output folder that is not safe (the workspace, around it, inside briefs/, a
theme or .git, or a file). A packet whose inputs have not changed since the
last build (same key in the manifest, files untouched) is kept; the others are
rendered (in a pool of worker processes when there are PDFs to make, or many
pages) and written as they come through the output writer, which stages them
until all are rendered, so that a render error writes nothing; it refuses to
write through links or over files it did not write, and prunes packets of
creators that are gone.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .answers import AnsweredBriefs, compared_revision, with_answer
from .diagnostics import Diagnostic, Location, UsageError, error, errors_first, warning
from .fingerprint import FileDigests, Fingerprints
from .inputs import input_snapshot, output_folder
from .load import folders_of_campaign
from .model import handle_key, now
from .pdf import PdfProcess
from .processes import collector_frozen, collector_paused, process_context
from .render import (PDF_NAME, ZIP_NAME, Packet, Renderer, host_files, missing_fonts, pdf_setup,
                     render_team)
from .resolve import CreatorBrief, resolve_workspace
from .revisions import WORKSPACE_ENTRIES
from .shards import Shard, gather, merge_manifests, packet_of, shard_number
from .team import TEAM_FOLDER, team_overview
from .theme import RenderError, Theme, load_theme
from .validate import SECRET_VARIABLE, Workspace, check_workspace
from .write import OutputRefused, OutputWriter, last_build, output_intact, read_manifest, record_build, unsafe_output


@dataclass(frozen=True)
class Selection:
    """Which packets to build; None builds all."""

    campaign: str | None = None
    creator: str | None = None  # a handle, with or without @

    def picks(self, campaign_id: str, handle: str) -> bool:
        return ((self.campaign is None or campaign_id == self.campaign)
                and (self.creator is None or handle_key(self.creator) == handle_key(handle)))


@dataclass
class BuildReport:
    output: Path
    packets: list[str] = field(default_factory=list)  # packet folders rendered, relative to output
    unchanged: list[str] = field(default_factory=list)  # packet folders kept from the last build
    diagnostics: list[Diagnostic] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # stale files someone edited; not pruned
    team: str | None = None  # the team overview page, relative to output, when built
    theme: Theme | None = None  # the theme packets were rendered with; None when validation failed

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


class SelectionError(UsageError):
    """--campaign or --creator names nothing in the workspace."""

    def __init__(self, message: str):
        super().__init__(message, option="--campaign/--creator")


def build(root: Path, selection: Selection = Selection(), out: Path | None = None, pdf: bool = True,
          jobs: int = 1, force: bool = False, team: bool = False, pdf_process: PdfProcess | None = None,
          on_plan: Callable[[int], None] = lambda count: None,
          on_packet: Callable[[str], None] = lambda folder: None, shard: Shard | None = None) -> BuildReport:
    """Build the selected packets, and with `team` the team overview of all campaigns.

    With `shard`, only the packets of that shard (docs/ci.md), with a manifest of its
    own; the host files and the team overview are then written by `assemble`.

    `pdf_process`, started by the caller before importing this module, makes the
    PDF when there is one packet to render; more go to a pool of `jobs` workers,
    and then it is closed.
    `on_plan` hears how many packets will be rendered, `on_packet` each one done.
    """
    snapshot = None
    if not force and shard is None:
        guessed = out or output_folder(root)
        last = last_build(guessed)
        snapshot = input_snapshot(root, guessed, repr((selection, str(out), pdf, team)), _named_elsewhere(last))
        if snapshot is not None and (unchanged := _unchanged_build(guessed, last, snapshot)):
            return unchanged
    workspace, diagnostics = check_workspace(root, _checked_folders(root, selection, team))
    output = out or root / workspace.settings.output
    report = BuildReport(output, diagnostics=diagnostics)
    if report.failed:
        return report
    if shard is not None and team:
        raise UsageError("a shard does not write the team overview: `briefkit assemble --team` does, "
                         "once the shards are built", option="--team")
    # Only the selected creators' briefs, unless the team overview needs them all.
    every_brief = resolve_workspace(workspace, (lambda *_: True) if team else selection.picks)
    secret = os.environ.get(SECRET_VARIABLE, "") if workspace.settings.private_links else ""
    briefs = [b for b in every_brief if selection.picks(b.campaign_id, b.creator.handle)]
    if not briefs:
        raise SelectionError(_nothing_selected(workspace, selection))
    if shard is not None:  # may be none: a small workspace in a large matrix
        briefs = [b for b in briefs if shard.holds(packet_folder(b, secret) + "/")]
    theme = report.theme = load_theme(root, workspace.settings.theme)
    # `output:` was checked by validation; --out may name any folder but these.
    if out is not None and (unsafe := unsafe_output(root, output, theme.folders)):
        raise UsageError(f"{out} is not a safe output folder: {unsafe}; use a folder of its own, such as "
                         "output/ in the workspace or a folder outside it", option="--out")
    try:
        setup = pdf_setup(root, theme)  # reads the theme's stylesheets
    except RenderError as problem:
        report.diagnostics.append(problem.diagnostic)
        return report
    if pdf:
        report.diagnostics += missing_fonts(setup, theme)
        if report.failed:
            return report
    fingerprints = Fingerprints(root, setup)
    owned = _owned(selection, briefs, secret, pdf, team)
    writer = OutputWriter(output, owns=owned) if shard is None else \
        OutputWriter(output, owns=lambda name: shard.holds(name) and owned(name), manifest=shard.manifest)
    answered = AnsweredBriefs(root)
    todo, unchanged = [], []
    try:
        team_page = _team_page(theme, workspace, every_brief, diagnostics, fingerprints.files, answered,
                               secret, pdf) if team else None
    except RenderError as failed:
        report.diagnostics = errors_first(report.diagnostics + [failed.diagnostic])
        return report
    with collector_paused():  # what this makes lives until the build ends
        for brief in briefs:
            folder = packet_folder(brief, secret)
            key = fingerprints.key(brief, compared_revision(brief, answered))
            if not force and writer.is_current(folder, key, pdf):
                unchanged.append(folder)
            else:
                # What changed since the creator's answer is read only for packets to render.
                todo.append((folder, key, with_answer(brief, fingerprints.files, answered)))
    planned = list(report.diagnostics)
    try:
        # Each packet is written as it is rendered, but staged by the writer until every
        # one is (write.py): a render error (a template error in the third packet of five)
        # writes nothing, and the last output stays as it was. The workspace and briefs live
        # until then: out of the cycle collector's sight while this process writes, and in
        # the workers forked meanwhile, which inherit that.
        with collector_frozen(), writer:
            if selection == Selection() and shard is None:  # a full build: the files around the packets
                for name, data in host_files(theme).items():
                    try:
                        writer.write(name, data)
                    except OutputRefused as refused:  # a robots.txt of the user's: theirs
                        report.diagnostics.append(_refused(root, output, refused))
            if team_page is not None:
                refused = writer.write_packet(TEAM_FOLDER, {"index.html": team_page})
                report.diagnostics += [_refused(root, output, r) for r in refused]
                report.team = None if refused else f"{TEAM_FOLDER}/index.html"
            for folder in unchanged:
                writer.keep(folder)
                report.unchanged.append(folder)
                report.diagnostics += [Diagnostic.from_record(w) for w in writer.warnings_of(folder)]
            on_plan(len(todo))
            if pdf and todo and pdf_process is not None:
                pdf_process.prepare(setup)  # parsed there while this process renders the page
            for (folder, key, _), packet in zip(todo, _rendered(root, theme, pdf, [brief for _, _, brief in todo],
                                                              jobs, pdf_process)):
                refused = writer.write_packet(folder, packet.files)
                on_packet(folder)
                if refused:  # nothing of this packet is written; the others go on
                    report.diagnostics += [_refused(root, output, r) for r in refused]
                    continue
                writer.record(folder, key, pdf, [w.as_record() for w in packet.warnings])
                report.packets.append(folder)
                report.diagnostics += packet.warnings
        report.kept = writer.kept
        report.diagnostics += answered.problems
        report.diagnostics += _stale_pdfs(root, output, writer.stale_pdfs(PDF_NAME))
        report.diagnostics += [_refused(root, output, r) for r in writer.refused]
    except RenderError as failed:  # the writer wrote nothing
        return BuildReport(output, diagnostics=errors_first(planned + [failed.diagnostic]), theme=theme)
    except OutputRefused as refused:  # the output folder, or its lock file, is not usable
        report.diagnostics.append(_refused(root, output, refused))
    report.diagnostics = errors_first(report.diagnostics)
    if snapshot is not None and not report.failed and not report.kept:
        named = {p for c in workspace.campaigns for p in [c.brand.logo, *(a.path for a in c.assets)] if p}
        record_build(output, {"snapshot": snapshot, "packets": report.packets + report.unchanged,
                              "team": report.team, "diagnostics": [d.as_record() for d in report.diagnostics],
                              "elsewhere": sorted(p for p in named if p.split("/")[0] not in WORKSPACE_ENTRIES)})
    return report


def _checked_folders(root: Path, selection: Selection, team: bool) -> list[Path] | None:
    """The campaign folders a build validates: those of the campaign it builds, if it
    builds one (and no team overview, which shows every campaign); else all (None)."""
    if selection.campaign is None or team:
        return None
    return folders_of_campaign(root, selection.campaign) or None


def _named_elsewhere(last: dict | None) -> list[str]:
    """The logos and assets outside `briefs/` and `themes/` the last build read."""
    found = last.get("elsewhere") if last else None
    return [p for p in found if isinstance(p, str)] if isinstance(found, list) else []


def _unchanged_build(output: Path, last: dict | None, snapshot: str) -> BuildReport | None:
    """The last build's report, when nothing it was made from and nothing it wrote changed
    since (inputs.py): every packet unchanged, its warnings said again."""
    if last is None or last.get("snapshot") != snapshot or not output_intact(output):
        return None
    try:
        return BuildReport(output, unchanged=list(last["packets"]), team=last["team"],
                           diagnostics=[Diagnostic.from_record(r) for r in last["diagnostics"]])
    except (KeyError, TypeError, ValueError):  # a record of another version: build
        return None


def _team_page(theme: Theme, workspace: Workspace, briefs: list[CreatorBrief], diagnostics: list[Diagnostic],
               digest: FileDigests, answered: AnsweredBriefs, secret: str, pdf: bool) -> bytes:
    packets = [(with_answer(brief, digest, answered), packet_folder(brief, secret)) for brief in briefs]
    return render_team(theme, team_overview(workspace.campaigns, packets, diagnostics, now()), pdf)


def assemble(root: Path, shard_outputs: list[Path], out: Path | None = None, team: bool = False) -> BuildReport:
    """Put the outputs of a sharded build together (docs/ci.md): copy them into the output
    folder, merge their manifests, check that every packet is there, and write the host
    files and (with `team`) the team overview, which need every packet but no PDF."""
    workspace, diagnostics = check_workspace(root)
    output = out or root / workspace.settings.output
    report = BuildReport(output, diagnostics=diagnostics)
    if report.failed:
        return report
    output.mkdir(parents=True, exist_ok=True)
    report.diagnostics += gather(output, shard_outputs)
    if report.failed:
        return report
    shards = merge_manifests(output)
    theme = report.theme = load_theme(root, workspace.settings.theme)
    every_brief = resolve_workspace(workspace)
    secret = os.environ.get(SECRET_VARIABLE, "") if workspace.settings.private_links else ""
    _, made = read_manifest(output)
    folders = [packet_folder(brief, secret) for brief in every_brief]
    missing = [folder for folder in folders if folder not in made]
    if missing:
        total = shards[0].total if shards else None
        absent = sorted({shard_number(folder, total) for folder in missing}) if total else []
        report.diagnostics.append(error(
            Location(_shown_output(root, output), 0),
            f"{len(missing)} packet{'s' * (len(missing) != 1)} missing, the first {missing[0]}",
            "build every shard of the same commit before assembling"
            + (f"; missing: shard {', '.join(f'{k}/{total}' for k in absent)}" if absent else ""), "shard"))
        return report
    pdf = all(made[folder].get("pdf") for folder in folders)
    writer = OutputWriter(output, owns=lambda name: packet_of(name) is None and not name.startswith("_mail/"))
    files = host_files(theme)
    if team:
        digest = Fingerprints(root, pdf_setup(root, theme)).files
        files[f"{TEAM_FOLDER}/index.html"] = _team_page(theme, workspace, every_brief, diagnostics, digest,
                                                       AnsweredBriefs(root), secret, pdf)
        report.team = f"{TEAM_FOLDER}/index.html"
    try:
        with writer:  # the packets are not its own: it carries them forward as they are
            for name, data in files.items():
                writer.write(name, data)
    except OutputRefused as refused:
        report.diagnostics.append(_refused(root, output, refused))
        return report
    report.unchanged = folders
    return report


def _shown_output(root: Path, path: Path) -> str:
    """A path in the output folder as messages name it: from the workspace, if inside it."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


def _stale_pdfs(root: Path, output: Path, folders: list[str]) -> list[Diagnostic]:
    """A build without PDFs leaves the PDFs and ZIPs of the last one: said at the end of
    every build until they are made again (their pages no longer link to them)."""
    if not folders:
        return []
    count = len(folders)
    return [warning(Location(_shown_output(root, output), 0),
                    f"{count} packet{'s' * (count != 1)} still hold{'s' * (count == 1)} the PDF and ZIP of an "
                    f"older brief ({', '.join(folders[:3])}{', …' if count > 3 else ''}); their pages no longer "
                    "link to them", "build with PDFs (without --no-pdf) before sending or publishing", "stale")]


def _refused(root: Path, output: Path, refused: OutputRefused) -> Diagnostic:
    """What the output writer would not write or delete, as an error at that path."""
    return error(Location(_shown_output(root, output / refused.path), 0), refused.message, refused.hint, "output")


def _rendered(root: Path, theme: Theme, pdf: bool, briefs: list[CreatorBrief], jobs: int,
              pdf_process: PdfProcess | None) -> Iterator[Packet]:
    """Each brief's packet, in order. PDFs are rendered by `jobs` worker processes, each
    setting up WeasyPrint's fonts and stylesheets once; HTML alone is worth a pool only
    for many packets (starting one costs what some hundred pages do), one packet never,
    its PDF being made by `pdf_process` if there is one."""
    if not briefs:
        return
    workers = min(jobs, len(briefs)) if pdf or len(briefs) >= HTML_POOL_FROM else 1
    # Made here also to find template errors before any worker starts.
    renderer = Renderer(root, theme, pdf=pdf, pdf_process=pdf_process if workers == 1 else None)
    if workers <= 1:
        yield from map(renderer.packet, briefs)
        return
    if pdf_process is not None:
        pdf_process.close()  # the pool makes the PDFs: give the workers its memory
    with ProcessPoolExecutor(workers, mp_context=process_context(), initializer=_start_worker,
                             initargs=(root, theme.folders, pdf, briefs)) as pool:
        try:
            # Pages alone go in batches: a page is too little work for a message of its own.
            yield from pool.map(_render_in_worker, range(len(briefs)), chunksize=1 if pdf else 16)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


HTML_POOL_FROM = 200
_worker_renderer: Renderer | None = None
_worker_briefs: list[CreatorBrief] = []


def _start_worker(root: Path, folders: tuple[Path, ...], pdf: bool, briefs: list[CreatorBrief]) -> None:
    """Set a worker up with its renderer and the briefs to render, which it is then told by
    number. A forked worker has them in the memory it shares with the build (sending each
    one pickled was a twentieth of a page); a spawned one is sent them all, once."""
    global _worker_renderer, _worker_briefs
    _worker_renderer = Renderer(root, Theme(folders, root), pdf=pdf)
    _worker_briefs = briefs


def _render_in_worker(number: int) -> Packet:
    assert _worker_renderer is not None
    return _worker_renderer.packet(_worker_briefs[number])


def packet_folder(brief: CreatorBrief, secret: str = "") -> str:
    """`<campaign-id>/<creator-slug>`, with a keyed-hash suffix when links are private."""
    name = brief.creator.slug
    if secret:
        message = f"{brief.campaign_id}/{brief.creator.slug}".encode()
        name += "-" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:16]
    return f"{brief.campaign_id}/{name}"


def _owned(selection: Selection, briefs: list[CreatorBrief], secret: str,
           pdf: bool, team: bool) -> Callable[[str], bool]:
    """Which output files this build answers for: all, or those of what it builds.

    A build without PDFs leaves the PDFs (and the ZIPs holding them) of the
    last full build alone. A full build without `team` removes an old team
    overview rather than leave its fees and dates to go stale.
    """
    if selection.creator is not None:
        prefixes: tuple[str, ...] = tuple(packet_folder(b, secret) + "/" for b in briefs)
    elif selection.campaign is not None:
        prefixes = (selection.campaign + "/",)
    else:
        prefixes = ("",)
    if team:
        prefixes += (TEAM_FOLDER + "/",)
    made_with_pdf = (f"/{PDF_NAME}", f"/{ZIP_NAME}")
    # `briefkit mail` writes the drafts, and answers for them (mail.MAIL_FOLDER).
    return lambda name: (name.startswith(prefixes) and not name.startswith("_mail/")
                         and (pdf or not name.endswith(made_with_pdf)))


def _nothing_selected(workspace: Workspace, selection: Selection) -> str:
    ids = [c.id for c in workspace.campaigns]
    if selection.campaign is not None and selection.campaign not in ids:
        return f"no campaign has the id {selection.campaign!r}; campaigns: {', '.join(ids)}"
    return f"no creator with the handle {selection.creator!r}" + (
        f" in campaign {selection.campaign!r}" if selection.campaign else "")
