"""`briefkit publish --git-branch NAME`: the packets as a commit on a branch, pushed, as
`mkdocs gh-deploy` does (docs/publishing.md).

The output folder is built first (a full build, with PDFs). Its published part (the
packets, `robots.txt` and `_headers`; never `_team/`, `_mail/` or the manifest) is
committed through a temporary index, so the working tree, the index and the current
branch are left alone: the new commit goes on top of the branch as the remote has it
(or as it is here, or as a first commit), with the source revision in its message,
and is pushed.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .build import build
from .diagnostics import Diagnostic, UsageError
from .mail import MAIL_FOLDER
from .revisions import Repository
from .team import TEAM_FOLDER
from .validate import check_workspace
from .write import LOCK, MANIFEST, STAGING_PREFIX, STATS

# (a staging folder is there only while a build runs, or after one was killed)
NOT_PUBLISHED = (TEAM_FOLDER, MAIL_FOLDER, MANIFEST, LOCK, STATS, f"{STAGING_PREFIX}*")


class PublishError(UsageError):
    """Publishing refused, or git could not do it."""


@dataclass
class Published:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    commit: str | None = None
    files: int = 0


def publish(root: Path, branch: str, remote: str = "origin", message: str | None = None,
            public: bool = False) -> Published:
    workspace, diagnostics = check_workspace(root)
    if not any(d.is_error for d in diagnostics) and not workspace.settings.private_links and not public:
        raise PublishError(
            "without `private_links: true` every packet is at an address anyone can guess "
            "(<campaign>/<creator-slug>/), so whoever knows a creator's handle can read their fee and code. "
            "Set `private_links: true` in briefkit.yaml and BRIEFKIT_SECRET in the environment, "
            "or pass --public if the packets may be read by anyone", option="--public")
    built = build(root)
    if built.failed:
        return Published(built.diagnostics)
    repository = Repository(root)
    git = _Git(repository.top)
    source = git.run("rev-parse", "--short=12", "HEAD", check=False).strip() or "no commit yet"
    if git.run("status", "--porcelain", "--", str(root), check=False).strip():
        source += " with uncommitted changes"
    with tempfile.TemporaryDirectory(prefix="briefkit-publish-") as folder:
        index = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
        git.run("--work-tree", str(built.output), "add", "--all", "--force", "--", ".",
                *(f":(exclude){name}" for name in NOT_PUBLISHED), env=index)
        tree = git.run("write-tree", env=index).strip()
        files = len(git.run("ls-files", env=index).splitlines())
    parent = _branch_tip(git, remote, branch)
    commit = git.run("commit-tree", tree, *(["-p", parent] if parent else []),
                     "-m", message or f"Publish briefs from {source} (briefkit)").strip()
    git.run("update-ref", f"refs/heads/{branch}", commit)
    git.run("push", remote, f"refs/heads/{branch}:refs/heads/{branch}")
    return Published(built.diagnostics, commit, files)


def _branch_tip(git: _Git, remote: str, branch: str) -> str | None:
    """The branch's last commit: the remote's, else this repository's, else none yet."""
    if git.run("ls-remote", "--heads", remote, f"refs/heads/{branch}").strip():
        git.run("fetch", "--quiet", remote, f"refs/heads/{branch}")
        return git.run("rev-parse", "FETCH_HEAD").strip()
    return git.run("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False).strip() or None


@dataclass(frozen=True)
class _Git:
    top: Path

    def run(self, *args: str, env: dict[str, str] | None = None, check: bool = True) -> str:
        """git's output; a failure is a PublishError in git's own words, or "" without `check`."""
        result = subprocess.run(["git", *args], cwd=self.top, capture_output=True, text=True,
                                env=os.environ | (env or {}))
        if result.returncode == 0:
            return result.stdout
        if not check:
            return ""
        reason = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "git failed"
        raise PublishError(f"git {args[0]} failed: {reason}")
