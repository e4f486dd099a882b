"""A workspace as it was at a git revision, read straight from git.

`briefkit diff` compares two revisions without touching the working tree or
the index: the workspace's own files at a commit (`briefkit.yaml`, `briefs/`,
`themes/`) are exported with `git archive` into a temporary folder, where the
usual pipeline reads them like any workspace.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import UsageError
from .load import BRIEFS_DIR, SETTINGS_FILE

WORKSPACE_ENTRIES = (SETTINGS_FILE, BRIEFS_DIR, "themes")


# How briefkit writes a commit into a file (response.revision, sent.yaml): as `git log
# --abbrev=12` shows it, unique in any repository a brand keeps.
SHORT_COMMIT = 12


class RevisionError(UsageError):
    """Not a git repository, or a revision git does not know."""


@dataclass(frozen=True)
class Revision:
    name: str | None  # as the user wrote it; None for the working tree
    commit: str | None  # full hash; None for the working tree

    @property
    def shown(self) -> str:
        return f"{self.name} ({self.commit[:10]})" if self.name and self.commit else "the working tree"


class Repository:
    """The git repository holding a workspace folder."""

    def __init__(self, workspace: Path):
        self.workspace = workspace
        top = self._git("rev-parse", "--show-toplevel", cwd=workspace, what="a git repository").strip()
        self.top = Path(top)
        self.prefix = self._git("rev-parse", "--show-prefix", cwd=workspace).strip()

    @classmethod
    def of(cls, workspace: Path) -> Repository | None:
        """The repository holding `workspace`, or None when it is not in one."""
        try:
            return cls(workspace)
        except RevisionError:
            return None

    def committed(self, commit: str) -> dt.datetime:
        """When `commit` was made (the committer's time)."""
        return dt.datetime.fromisoformat(self._git("show", "-s", "--format=%cI", commit, "--").strip())

    def has_changes(self) -> bool:
        """Whether the workspace's own files differ from HEAD (committed or not), the
        ledgers of sent e-mails aside."""
        status = self._git("status", "--porcelain", "--", *WORKSPACE_ENTRIES, ":(exclude)**/sent.yaml",
                           cwd=self.workspace)
        return bool(status.strip())

    def revision(self, name: str) -> Revision:
        commit = self._git("rev-parse", "--verify", "--end-of-options", f"{name}^{{commit}}",
                           what=f"the revision {name!r}").strip()
        return Revision(name, commit)

    @contextlib.contextmanager
    def checkout(self, revision: Revision) -> Iterator[Path]:
        """The workspace at `revision`, in a temporary folder removed afterwards."""
        if revision.commit is None:
            yield self.workspace
            return
        with tempfile.TemporaryDirectory(prefix="briefkit-rev-") as folder:
            root = Path(folder)
            entries = self._entries(revision.commit)
            if entries:
                tree = f"{revision.commit}:{self.prefix}"
                archive = subprocess.run(["git", "archive", "--format=tar", tree, "--", *entries],
                                         cwd=self.top, capture_output=True, check=True).stdout
                with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                    tar.extractall(root, filter=_inside)
            yield root

    def _entries(self, commit: str) -> list[str]:
        """Which of the workspace's own files and folders exist at `commit`."""
        result = subprocess.run(["git", "ls-tree", "--name-only", f"{commit}:{self.prefix}"],
                                cwd=self.top, capture_output=True, text=True)
        if result.returncode != 0:  # the workspace folder did not exist yet
            return []
        present = set(result.stdout.splitlines())
        return [entry for entry in WORKSPACE_ENTRIES if entry in present]

    def _git(self, *args: str, cwd: Path | None = None, what: str = "") -> str:
        try:
            result = subprocess.run(["git", *args], cwd=cwd or self.top, capture_output=True, text=True)
        except FileNotFoundError:
            raise RevisionError("git is not installed, or not on PATH") from None
        if result.returncode != 0:
            reason = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "git failed"
            raise RevisionError(f"cannot read {what or 'git'}: {reason}")
        return result.stdout


def _inside(member: tarfile.TarInfo, destination: str) -> tarfile.TarInfo | None:
    """Tar's own safety filter; a member it refuses (a link out of the workspace) is left
    out, and validation then reports the file as missing."""
    try:
        return tarfile.data_filter(member, destination)
    except tarfile.FilterError:
        return None
