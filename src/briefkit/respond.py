"""`briefkit respond`: a creator's answer, written into their YAML (docs/answers.md).

The answer goes where the creator is written (their file under `creators/`, or their
item in campaign.yaml) as `response: {status, on, revision}`, changed in place by
`yamledit` so that every other line stays as it was, and written atomically.
`revision` is the brief they answered: the one `--revision` names, else the revision
last sent to them (`sent.yaml`), else `HEAD`. Outside git it is the brief's `version`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from .answers import brief_version
from .build import SelectionError
from .diagnostics import Diagnostic, UsageError
from .fingerprint import FileDigests
from .ledger import SENT_FILE, last_sent, read_sent
from .load import load_workspace
from .model import handle_key, now, shown_handle
from .resolve import resolve_creator
from .revisions import SHORT_COMMIT, Repository
from .validate import check_source
from .write import write_atomically
from .yamledit import REMOVE, creator_node, set_values


@dataclass(frozen=True)
class Recorded:
    handle: str  # with @
    status: str
    on: dt.date
    revision: str | None
    version: str | None
    file: str  # workspace-relative
    changed: list[str]  # the keys written; none when the file said so already


def respond(root: Path, handle: str, status: str, campaign_id: str, on: dt.date | None = None,
            revision: str | None = None) -> Recorded | list[Diagnostic]:
    """Record the answer; the workspace's errors instead when it does not validate."""
    loaded = load_workspace(root)
    workspace, diagnostics = check_source(loaded)
    if any(d.is_error for d in diagnostics):
        return diagnostics
    campaign = next((c for c in workspace.campaigns if c.id == campaign_id), None)
    if campaign is None:
        raise SelectionError(f"there is no campaign {campaign_id!r} "
                             f"(campaigns: {', '.join(c.id for c in workspace.campaigns) or 'none'})")
    creator = next((c for c in campaign.creators if handle_key(c.handle) == handle_key(handle)), None)
    if creator is None:
        raise SelectionError(f"campaign {campaign_id!r} has no creator {handle!r}")
    written = next(c for c in loaded.campaigns if c.id == campaign_id)  # where the creator is written
    folder = written.folder
    source = next(c for c in written.creators if handle_key(str(c.data.get("handle", ""))) == handle_key(handle))
    answered, version = _answered_revision(root, folder, creator.handle, revision), None
    if answered is None:  # outside git: the version of the brief as it is now
        version = brief_version(resolve_creator(campaign, creator), FileDigests(root))
    day = on or now().astimezone(ZoneInfo(campaign.timezone)).date()
    response = {"status": status, "on": day, "revision": answered or REMOVE, "version": version or REMOVE}
    shown = source.locate(()).file
    path = root / shown
    inline = path.parent != root / folder / "creators"
    text, changed = set_values(path.read_text(encoding="utf-8"), {"response": response}, shown,
                               where=creator_node(inline, creator.handle))
    if changed:
        write_atomically(path, text.encode("utf-8"))
    return Recorded(shown_handle(creator.handle), status, day, answered, version, shown, changed)


def _answered_revision(root: Path, folder: str, handle: str, named: str | None) -> str | None:
    """The commit (abbreviated) of the brief the creator answered; None outside git."""
    repository = Repository.of(root)
    if repository is None:
        if named is not None:
            raise UsageError("--revision names a git revision, and the workspace is not in a git repository",
                             option="--revision")
        return None
    if named is None:
        sent = last_sent(read_sent(root / folder / SENT_FILE), handle)
        named = sent.revision if sent and sent.revision else "HEAD"
    commit = repository.revision(named).commit
    assert commit is not None
    return commit[:SHORT_COMMIT]
