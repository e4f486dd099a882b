"""What a build is made from, by stat: a build whose inputs did not change is recognised
without validating or resolving anything (docs/performance.md).

The snapshot is a hash of: the path, size and modification time of every file of
`briefkit.yaml`, `briefs/` and `themes/` (but the output folder's) and of the logos and
assets the briefs name elsewhere in the workspace, the git references (an answer's
revision may name a branch), the theme and system fonts, briefkit's and the rendering
libraries' versions, the build's options, the private-links secret, and the time to the
quarter hour (reply-by warnings and the team overview's "days left" change with it).
When the last successful build had the same snapshot and every file it wrote is still
as written (the output writer's stat cache), the build is a no-op: it reports what the
last one did, and writes nothing.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import yaml

from .fingerprint import Fingerprints
from .load import SETTINGS_FILE
from .model import now
from .render import pdf_setup
from .revisions import WORKSPACE_ENTRIES
from .theme import DEFAULT_THEME_NAME, RenderError, load_theme
from .validate import SECRET_VARIABLE
from .yamlfile import plain_data

SKIPPED = frozenset({".git", ".briefkit", "__pycache__"})  # never inputs of a build
QUARTER_HOUR = 15 * 60


def input_snapshot(root: Path, output: Path, options: str, elsewhere: list[str]) -> str | None:
    """A hash of everything a build with `options` (its arguments, as text) reads: the
    workspace's own files, and the files its briefs name `elsewhere` in the workspace (a
    logo or an asset outside `briefs/`, as the last build found them); None when the
    theme cannot be read (the build says why)."""
    digest = hashlib.sha256()
    settings = _settings(root)
    theme_name = settings.get("theme") if isinstance(settings.get("theme"), str) else DEFAULT_THEME_NAME
    try:
        digest.update(Fingerprints(root, pdf_setup(root, load_theme(root, theme_name))).base.encode())
    except (RenderError, OSError):
        return None
    secret = os.environ.get(SECRET_VARIABLE, "")
    moment = int(now().timestamp()) // QUARTER_HOUR
    digest.update(f"{options}\0{hashlib.sha256(secret.encode()).hexdigest()}\0{moment}\0".encode())
    inputs = _files(root, output.resolve()) + [root / name for name in elsewhere] + _git_references(root)
    for path in (p for p in inputs if p.exists()):
        found = path.stat()
        digest.update(f"{path}\0{found.st_size}\0{found.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _settings(root: Path) -> dict:
    """briefkit.yaml as plain data, for the theme's name (validation reads it properly)."""
    try:
        data = plain_data((root / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _files(root: Path, output: Path) -> list[Path]:
    """The files of `briefkit.yaml`, `briefs/` and `themes/` (not the output folder's),
    in a stable order; links followed as the build follows them."""
    found = []
    for entry in WORKSPACE_ENTRIES:
        if (root / entry).is_file():
            found.append(root / entry)
            continue
        for folder, folders, files in os.walk(root / entry, followlinks=False):
            here = Path(folder)
            folders[:] = sorted(name for name in folders
                                if name not in SKIPPED and (here / name).resolve() != output)
            found += [here / name for name in sorted(files)]
    return found


def _git_references(root: Path) -> list[Path]:
    """HEAD and the references of the git repository holding the workspace, if any."""
    for folder in (root, *root.parents):
        git = folder / ".git"
        if git.is_dir():
            references = [git / "HEAD", git / "packed-refs"]
            for base, _, files in os.walk(git / "refs"):
                references += [Path(base) / name for name in sorted(files)]
            return [path for path in references if path.exists()]
    return []


def output_folder(root: Path) -> Path:
    """The output folder briefkit.yaml names (validation checks it; a build with another
    one has another snapshot)."""
    output = _settings(root).get("output")
    return root / (output if isinstance(output, str) else "output")
