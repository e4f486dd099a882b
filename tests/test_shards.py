"""Sharded builds: shards built apart and assembled are one build, byte for byte, and a
new creator moves no one else."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import FIXTURES, REPO, run_briefkit

CREATORS = "briefs/launch/creators"


def many_creators(root: Path, count: int) -> None:
    """Ben's file again as `count` creators of their own (and a budget for them all)."""
    campaign = root / "briefs/launch/campaign.yaml"
    campaign.write_text(campaign.read_text().replace("budget: 2000\n", "budget: 20000\n"))
    ben = (root / CREATORS / "ben.yaml").read_text()
    for number in range(count):
        (root / CREATORS / f"fan{number}.yaml").write_text(
            ben.replace("@ben.brews", f"@fan.{number}").replace("Ben Carter", f"Fan {number}"))


def files_of(folder: Path) -> dict[str, bytes]:
    # The stat cache records when files were written: the one file that differs by design.
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".briefkit-stats.json"}


@pytest.fixture
def twins(tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of one workspace with 14 creators: one to build whole, one in shards."""
    whole, sharded = tmp_path / "whole", tmp_path / "sharded"
    shutil.copytree(FIXTURES / "basic", whole)
    many_creators(whole, 12)
    shutil.copytree(whole, sharded)
    return whole, sharded


def test_three_shards_assembled_are_the_unsharded_build_byte_for_byte(twins: tuple[Path, Path]) -> None:
    whole, sharded = twins
    assert run_briefkit("build", "--no-pdf", "--team", "--workspace", str(whole)).returncode == 0
    counts = []
    for k in (1, 2, 3):
        result = run_briefkit("build", "--no-pdf", "--shard", f"{k}/3", "--out", str(sharded.parent / f"s{k}"),
                              "--workspace", str(sharded))
        assert result.returncode == 0, result.stderr
        counts.append(int(result.stdout.split(": ")[1].split()[0]))
    assert sum(counts) == 14 and all(counts)  # every packet in one shard, and every shard has some
    shard_folders = [str(sharded.parent / f"s{k}") for k in (1, 2, 3)]
    result = run_briefkit("assemble", *shard_folders, "--team", "--workspace", str(sharded))
    assert result.returncode == 0, result.stderr
    assembled, expected = files_of(sharded / "output"), files_of(whole / "output")
    assert sorted(assembled) == sorted(expected)
    assert [name for name in expected if assembled[name] != expected[name]] == []
    again = run_briefkit("build", "--no-pdf", "--workspace", str(sharded))
    assert again.stdout.strip().endswith("(14 unchanged)")


def test_shards_with_pdfs_of_the_example_add_up_to_its_build(tmp_path: Path) -> None:
    whole, sharded = tmp_path / "whole", tmp_path / "sharded"
    for root in (whole, sharded):
        shutil.copytree(REPO / "briefs", root / "briefs")
        shutil.copy(REPO / "briefkit.yaml", root)
    assert run_briefkit("build", "--workspace", str(whole)).returncode == 0
    for k in (1, 2):  # one after another, into the same output folder
        assert run_briefkit("build", "--shard", f"{k}/2", "--workspace", str(sharded)).returncode == 0
    assert run_briefkit("assemble", "--workspace", str(sharded)).returncode == 0
    assert files_of(sharded / "output") == files_of(whole / "output")


def test_a_new_creator_changes_only_their_own_shard(twins: tuple[Path, Path]) -> None:
    from briefkit.shards import shard_number

    _, root = twins

    def shard_contents() -> dict[int, set[str]]:
        found: dict[int, set[str]] = {}
        for k in (1, 2, 3, 4):
            out = root.parent / f"added{k}"
            run_briefkit("build", "--no-pdf", "--shard", f"{k}/4", "--out", str(out), "--workspace", str(root))
            found[k] = {p.parent.name for p in out.glob("launch/*/index.html")}
        return found

    before = shard_contents()
    ben = (root / CREATORS / "ben.yaml").read_text()
    (root / CREATORS / "newcomer.yaml").write_text(ben.replace("@ben.brews", "@newcomer").replace("Ben", "Nia"))
    after = shard_contents()
    home = shard_number("launch/newcomer", 4)
    assert after[home] == before[home] | {"newcomer"}
    assert all(after[k] == before[k] for k in (1, 2, 3, 4) if k != home)


def test_assembling_without_every_shard_says_which_is_missing(twins: tuple[Path, Path]) -> None:
    _, root = twins
    for k in (1, 3):
        run_briefkit("build", "--no-pdf", "--shard", f"{k}/3", "--workspace", str(root))
    result = run_briefkit("assemble", "--workspace", str(root))
    assert result.returncode == 1 and "missing: shard 2/3" in result.stderr
    assert not (root / "output/robots.txt").exists()


def test_gitlab_parallel_jobs_need_no_flag_and_bad_shards_are_usage_errors(
        twins: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    _, root = twins
    monkeypatch.setenv("CI_NODE_INDEX", "2")
    monkeypatch.setenv("CI_NODE_TOTAL", "3")
    result = run_briefkit("build", "--no-pdf", "--workspace", str(root))
    assert result.returncode == 0 and result.stdout.splitlines()[-1].startswith("shard 2/3: ")
    assert (root / "output/.briefkit-shard-2-of-3.json").is_file()
    for bad in ("0/3", "4/3", "two", "1/0"):
        result = run_briefkit("build", "--no-pdf", "--shard", bad, "--workspace", str(root))
        assert result.returncode == 2 and "--shard" in result.stderr
    assert run_briefkit("build", "--shard", "1/2", "--team", "--workspace", str(root)).returncode == 2
