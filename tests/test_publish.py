"""Host files around the packets, and `briefkit publish` to a local bare repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import FIXTURES, edit, git, run_briefkit

CAMPAIGN = "briefs/launch/campaign.yaml"


def test_a_full_build_writes_robots_txt_and_headers_a_partial_one_keeps_them(workspace: Path) -> None:
    assert run_briefkit("build", "--no-pdf", "--workspace", str(workspace)).returncode == 0
    output = workspace / "output"
    assert (output / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    headers = (output / "_headers").read_text()
    page = (output / "launch/ben-brews/index.html").read_text()
    csp = page.split('http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
    assert "/*\n  X-Robots-Tag: noindex, nofollow\n  Referrer-Policy: no-referrer\n" in headers
    assert f"/*/index.html\n  Content-Security-Policy: {csp}; frame-ancestors 'none'\n" in headers
    assert run_briefkit("build", "--no-pdf", "--creator", "ben.brews", "--workspace", str(workspace)).returncode == 0
    assert (output / "robots.txt").is_file() and (output / "_headers").is_file()


def test_a_robots_txt_of_the_users_is_not_overwritten(workspace: Path) -> None:
    (workspace / "output").mkdir()
    (workspace / "output/robots.txt").write_text("User-agent: *\nAllow: /\n")
    result = run_briefkit("build", "--no-pdf", "--workspace", str(workspace))
    assert result.returncode == 1 and "output/robots.txt" in result.stderr
    assert (workspace / "output/robots.txt").read_text() == "User-agent: *\nAllow: /\n"


@pytest.fixture
def published_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A workspace in git with a bare remote, private links, e-mails and a team overview built."""
    root, remote = tmp_path / "ws", tmp_path / "remote.git"
    shutil.copytree(FIXTURES / "basic", root)
    (root / "briefkit.yaml").write_text((root / "briefkit.yaml").read_text() + "private_links: true\n")
    (root / ".gitignore").write_text("output/\n")
    edit(root / CAMPAIGN, "    name: Klara Schmidt\n", "    name: Klara Schmidt\n    email: klara@example.com\n")
    edit(root / "briefs/launch/creators/ben.yaml", "region: US\n", "region: US\nemail: ben@example.com\n")
    monkeypatch.setenv("BRIEFKIT_SECRET", "a-secret-for-tests")
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "briefs")
    git(root, "remote", "add", "origin", str(remote))
    assert run_briefkit("build", "--team", "--workspace", str(root)).returncode == 0
    assert run_briefkit("mail", "--workspace", str(root)).returncode == 0
    return root, remote


def test_publish_commits_the_packets_and_host_files_and_nothing_for_the_team(published_repo: tuple[Path, Path]) -> None:
    root, remote = published_repo
    left = root / "output/.briefkit-staging-killed"  # what a build killed while rendering leaves
    left.mkdir()
    (left / "0").write_text("<p>a page of a build that never finished</p>")
    status_before = git(root, "status", "--porcelain")
    result = run_briefkit("publish", "--git-branch", "pages", "--workspace", str(root))
    assert result.returncode == 0, result.stderr
    files = set(git(remote, "ls-tree", "-r", "--name-only", "pages").split())
    assert {"robots.txt", "_headers"} <= files
    packets = {name.split("/")[1] for name in files if name.startswith("launch/")}
    assert len(packets) == 2 and all(name.startswith(("ben-brews-", "kaffee-klara-")) for name in packets)
    assert any(name.endswith("/brief.pdf") for name in files)
    assert not any(name.startswith(("_team", "_mail", ".briefkit")) for name in files)
    head = git(root, "rev-parse", "--short=12", "HEAD").strip()
    assert git(remote, "log", "-1", "--format=%s", "pages").strip() == f"Publish briefs from {head} (briefkit)"
    assert git(root, "status", "--porcelain") == status_before  # working tree and index untouched
    assert git(root, "branch", "--show-current").strip() == "main"  # still on the branch we were on

    # Publishing again puts a commit on top of the branch, as gh-deploy does.
    edit(root / CAMPAIGN, "  fee: 300\n", "  fee: 320\n")
    again = run_briefkit("publish", "--git-branch", "pages", "--message", "New fee", "--workspace", str(root))
    assert again.returncode == 0, again.stderr
    log = git(remote, "log", "--format=%s", "pages").splitlines()
    assert log[0] == "New fee" and len(log) == 2


def test_publish_without_private_links_is_refused_with_the_reason(workspace: Path) -> None:
    result = run_briefkit("publish", "--git-branch", "pages", "--workspace", str(workspace))
    assert result.returncode == 2
    assert "anyone can guess" in result.stderr and "--public" in result.stderr
    assert not (workspace / "output").exists()
