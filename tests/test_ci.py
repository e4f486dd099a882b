"""What docs/ci.md tells teams to set up works as written: the pre-commit hook and
the CI workflow's briefkit steps, run in a real git repository."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import FIXTURES, REPO, commit, edit, git


def hook() -> dict:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [found] = [h for h in hooks if h["id"] == "briefkit-validate"]
    return found


def test_the_pre_commit_hook_validates_when_a_workspace_file_changes(workspace: Path) -> None:
    files = re.compile(hook()["files"])
    for path in ("briefkit.yaml", "briefs/launch/campaign.yaml", "briefs/launch/creators/ben.yaml",
                 "themes/mine/templates/brief.html"):
        assert files.search(path), path
    for path in ("output/launch/ben-brews/index.html", "README.md", "docs/briefs.md"):
        assert not files.search(path), path

    [command, *args] = shlex.split(hook()["entry"])
    assert command == "briefkit" and hook()["pass_filenames"] is False
    run = [sys.executable, "-m", "briefkit", *args]
    assert subprocess.run(run, cwd=workspace, capture_output=True).returncode == 0
    edit(workspace / "briefs/launch/creators/ben.yaml", "region: US", "region: USA")
    broken = subprocess.run(run, cwd=workspace, capture_output=True, text=True)
    assert broken.returncode == 1
    assert "briefs/launch/creators/ben.yaml:3:9: error:" in broken.stdout


def workflow() -> dict:
    text = (REPO / "docs/ci.md").read_text(encoding="utf-8")
    [block] = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "jobs:" in b]
    return yaml.safe_load(block)


def test_the_documented_workflow_validates_builds_and_diffs_a_pull_request(tmp_path: Path) -> None:
    steps = workflow()["jobs"]["briefs"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "output/"

    # A pull request: the base commit, then a branch that raises a fee.
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "basic", root)
    git(root, "init", "-q")
    commit(root, "base")
    base = git(root, "rev-parse", "HEAD").strip()
    edit(root / "briefs/launch/campaign.yaml", "    fee: 350\n", "    fee: 380\n")
    commit(root, "raise")

    env = os.environ | {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    ran = []
    for step in steps:
        script = step.get("run", "")
        if not script.startswith("briefkit"):
            continue  # installing, and posting the comment, need GitHub
        step_env = env | {k: v for k, v in step.get("env", {}).items() if "${{" not in v}
        step_env |= {k: base for k, v in step.get("env", {}).items() if "base.sha" in v}
        result = subprocess.run(["bash", "-e", "-c", script], cwd=root, env=step_env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, (step["name"], result.stdout, result.stderr)
        ran.append(step["name"])
    assert ran == ["Validate", "Build", "What changed for whom"]
    assert (root / "output/launch/kaffee-klara/brief.pdf").is_file()
    assert (root / "output/_team/index.html").is_file()
    comment = (root / "briefkit-diff.md").read_text(encoding="utf-8")
    assert comment.startswith(f"### briefkit diff: `{base}` (`{base[:10]}`) → `HEAD`")
    assert "- `@kaffee.klara`: fee `350` → `380 EUR`" in comment
