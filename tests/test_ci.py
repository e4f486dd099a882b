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


def documented(first_line: str) -> dict:
    """The YAML block of docs/ci.md that starts with `first_line`."""
    text = (REPO / "docs/ci.md").read_text(encoding="utf-8")
    [block] = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if b.startswith(first_line + "\n")]
    return yaml.safe_load(block)


def workflow() -> dict:
    return documented("name: briefs")


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


def _run(script: str, root: Path, env: dict[str, str]) -> None:
    path = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(["bash", "-e", "-c", script], cwd=root, env=os.environ | path | env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (script, result.stdout, result.stderr)


def _files(folder: Path) -> dict[str, bytes]:
    # The stat cache records when files were written: the one file that differs by design.
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".briefkit-stats.json"}


def _unsharded(tmp_path: Path) -> dict[str, bytes]:
    root = tmp_path / "whole"
    shutil.copytree(FIXTURES / "basic", root)
    _run("briefkit build --team", root, {})
    return _files(root / "output")


def test_the_documented_github_matrix_builds_shards_and_assembles_one_build(tmp_path: Path) -> None:
    jobs = documented("name: briefs-sharded")["jobs"]
    shards = jobs["shard"]["strategy"]["matrix"]["shard"]
    [build] = [s["run"] for s in jobs["shard"]["steps"] if s.get("run", "").startswith("briefkit")]
    upload = next(s for s in jobs["shard"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["include-hidden-files"] is True  # else the shard's manifest is left behind
    download = next(s for s in jobs["assemble"]["steps"] if s.get("uses", "").startswith("actions/download-"))
    assert download["with"] == {"pattern": "shard-*", "path": "output/", "merge-multiple": True}
    assembled = tmp_path / "assemble"
    shutil.copytree(FIXTURES / "basic", assembled)
    for shard in shards:  # each job on a runner of its own; the artifacts land in one output/
        runner = tmp_path / f"runner-{shard}"
        shutil.copytree(FIXTURES / "basic", runner)
        _run(build.replace("${{ matrix.shard }}", str(shard)), runner, {})
        shutil.copytree(runner / "output", assembled / "output", dirs_exist_ok=True)
    [assemble] = [s["run"] for s in jobs["assemble"]["steps"] if s.get("run", "").startswith("briefkit")]
    _run(assemble, assembled, {})
    assert _files(assembled / "output") == _unsharded(tmp_path) | {".briefkit-manifest.lock": b""}


def test_the_documented_gitlab_parallel_jobs_build_shards_and_assemble_one_build(tmp_path: Path) -> None:
    pipeline = documented("stages: [build, assemble]")
    build, assemble = pipeline["build briefs"], pipeline["assemble briefs"]
    assert assemble["needs"] == ["build briefs"] and build["artifacts"]["paths"] == ["output/"]
    assembled = tmp_path / "assemble"
    shutil.copytree(FIXTURES / "basic", assembled)
    for index in range(1, build["parallel"] + 1):
        runner = tmp_path / f"runner-{index}"
        shutil.copytree(FIXTURES / "basic", runner)
        environment = {"CI_NODE_INDEX": str(index), "CI_NODE_TOTAL": str(build["parallel"])}
        for line in build["script"]:
            _run(line, runner, environment)
        shutil.copytree(runner / "output", assembled / "output", dirs_exist_ok=True)
    for line in assemble["script"]:
        _run(line, assembled, {})
    assert _files(assembled / "output") == _unsharded(tmp_path) | {".briefkit-manifest.lock": b""}
