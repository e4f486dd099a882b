"""Writing output: atomic files, a manifest, and pruning only what briefkit wrote."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import pytest

from briefkit.write import LOCK, MANIFEST, OutputWriter, write_atomically


def build(folder: Path, files: dict[str, bytes]) -> OutputWriter:
    with OutputWriter(folder) as writer:
        for name, data in files.items():
            writer.write(name, data)
    return writer


def test_files_and_manifest_are_written(tmp_path: Path) -> None:
    build(tmp_path, {"c/maya/index.html": b"<p>maya</p>", "c/tom/index.html": b"<p>tom</p>"})
    assert (tmp_path / "c/maya/index.html").read_bytes() == b"<p>maya</p>"
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert sorted(manifest["files"]) == ["c/maya/index.html", "c/tom/index.html"]
    assert [p.name for p in tmp_path.rglob("*.tmp")] == []


def test_removed_packets_are_pruned_but_foreign_files_stay(tmp_path: Path) -> None:
    build(tmp_path, {"c/maya/index.html": b"m", "c/tom/index.html": b"t", "c/tom/brief.pdf": b"p"})
    (tmp_path / "c/tom/notes.txt").write_text("mine, not briefkit's")
    (tmp_path / "README.txt").write_text("hand-made")

    build(tmp_path, {"c/maya/index.html": b"m2"})

    assert not (tmp_path / "c/tom/index.html").exists()
    assert not (tmp_path / "c/tom/brief.pdf").exists()
    assert (tmp_path / "c/tom/notes.txt").read_text() == "mine, not briefkit's"
    assert (tmp_path / "README.txt").exists()
    assert (tmp_path / "c/maya/index.html").read_bytes() == b"m2"


def test_a_changed_file_is_kept_not_pruned(tmp_path: Path) -> None:
    build(tmp_path, {"c/tom/index.html": b"t"})
    (tmp_path / "c/tom/index.html").write_bytes(b"edited by hand")
    writer = build(tmp_path, {})
    assert (tmp_path / "c/tom/index.html").read_bytes() == b"edited by hand"
    assert writer.kept == ["c/tom/index.html"]


def test_empty_packet_folders_are_removed(tmp_path: Path) -> None:
    build(tmp_path, {"c/tom/assets/logo.svg": b"<svg/>"})
    build(tmp_path, {})
    assert not (tmp_path / "c").exists()
    assert (tmp_path / MANIFEST).exists()


def test_a_tampered_manifest_cannot_delete_outside_the_output(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    (out / MANIFEST).write_text(json.dumps({"files": {"../precious.txt": "x", str(victim): "y"}}))
    build(out, {})
    assert victim.read_text() == "keep me"


@pytest.mark.parametrize("name", ["../escape.html", "/etc/x", MANIFEST])
def test_writing_outside_the_output_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError):
        with OutputWriter(tmp_path) as writer:
            writer.write(name, b"x")


def test_an_interrupted_write_leaves_the_old_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "index.html"
    target.write_bytes(b"old")

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr("os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize("count", [3, 300])
def test_files_are_staged_and_synced_and_renamed_into_place_when_the_writer_is_left(
        tmp_path: Path, monkeypatch, count: int) -> None:
    """A few staged files are synced each; many, on Linux, by one sync of their file system."""
    from briefkit import write

    synced: list[int | str] = []  # the inode of each file synced, or "the file system"
    fsync = os.fsync

    def counted_fsync(handle: int) -> None:
        synced.append(os.fstat(handle).st_ino)
        fsync(handle)

    def counted_syncfs(path: Path) -> None:
        synced.append("the file system")
        sync_file_system(path)

    sync_file_system = write._sync_file_system
    monkeypatch.setattr(os, "fsync", counted_fsync)
    monkeypatch.setattr(write, "_sync_file_system", counted_syncfs)
    files = {f"c/{n:03}/index.html": f"<p>{n}</p>".encode() for n in range(count)}
    with OutputWriter(tmp_path) as writer:
        for name, data in files.items():
            writer.write(name, data)
        assert synced == []
        [staging] = [p for p in tmp_path.iterdir() if p.name.startswith(write.STAGING_PREFIX)]
        staged = sorted(p.stat().st_ino for p in staging.iterdir())
        assert len(staged) == count
        assert [p.name for p in tmp_path.iterdir() if p != staging] == [LOCK]  # nothing in its place yet
    manifest_and_stats = 2  # synced each, as they are written
    if count >= write.SYNC_ALL_FROM and sys.platform == "linux":
        assert synced[:-manifest_and_stats] == ["the file system"]
    else:
        assert sorted(synced[:-manifest_and_stats]) == staged
    assert {name: (tmp_path / name).read_bytes() for name in files} == files
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["c", MANIFEST, LOCK, write.STATS])


@pytest.mark.parametrize("count", [3, 300])
def test_a_sync_that_fails_writes_nothing(tmp_path: Path, monkeypatch, count: int) -> None:
    """A disk that fails to write the staged files: none of them is put in place."""
    import errno

    from briefkit import write

    def failed(*args) -> None:
        raise OSError(errno.EIO, "Input/output error")

    build(tmp_path, {"c/000/index.html": b"old"})
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    monkeypatch.setattr(os, "fsync", failed)
    monkeypatch.setattr(write, "_sync_file_system", failed)
    with pytest.raises(OSError):
        build(tmp_path, {f"c/{n:03}/index.html": b"new" for n in range(count)})
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_failed_build_writes_nothing_and_changes_no_manifest(tmp_path: Path) -> None:
    build(tmp_path, {"c/tom/index.html": b"t"})
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with pytest.raises(RuntimeError):
        with OutputWriter(tmp_path) as writer:
            writer.write("c/maya/index.html", b"m")
            writer.write("c/tom/index.html", b"t2")
            raise RuntimeError("render failed")
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_build_killed_while_staging_leaves_a_folder_the_next_build_removes(tmp_path: Path) -> None:
    from briefkit.write import STAGING_PREFIX

    writer = OutputWriter(tmp_path).__enter__()  # never left: the process was killed
    writer.write("c/maya/index.html", b"m")
    writer._unlock()
    assert [p.name[:len(STAGING_PREFIX)] for p in tmp_path.iterdir() if p.is_dir()] == [STAGING_PREFIX]
    mine = tmp_path / f"{STAGING_PREFIX}notes.txt"  # a file of that name is not briefkit's folder
    mine.write_text("mine")
    build(tmp_path, {"c/tom/index.html": b"t"})
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == sorted(
        ["c", "c/tom", "c/tom/index.html", mine.name, MANIFEST, LOCK, ".briefkit-stats.json"])


def test_staged_files_not_renamed_into_place_are_deleted_and_not_recorded(tmp_path: Path, monkeypatch) -> None:
    build(tmp_path, {"c/tom/index.html": b"old"})
    real_replace = os.replace

    def tom_fails(source, target) -> None:
        if str(target).endswith("tom/index.html"):
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    with pytest.raises(OSError):
        with OutputWriter(tmp_path) as writer:
            writer.write("c/maya/index.html", b"m")
            writer.write("c/tom/index.html", b"new")
            monkeypatch.setattr("os.replace", tom_fails)
    monkeypatch.undo()
    assert (tmp_path / "c/maya/index.html").read_bytes() == b"m"
    assert (tmp_path / "c/tom/index.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["c", MANIFEST, LOCK, ".briefkit-stats.json"])
    manifest = json.loads((tmp_path / MANIFEST).read_text())["files"]
    assert manifest == {"c/maya/index.html": hashlib.sha256(b"m").hexdigest(),
                        "c/tom/index.html": hashlib.sha256(b"old").hexdigest()}
    build(tmp_path, {"c/tom/index.html": b"new"})  # the next build may overwrite it: it is briefkit's
    assert (tmp_path / "c/tom/index.html").read_bytes() == b"new"


# --- the output folder is a boundary ---------------------------------------------------------


def test_no_write_and_no_delete_through_a_symlinked_folder_in_the_output(tmp_path: Path) -> None:
    """`output/c -> elsewhere`: writing below it is refused, pruning below it deletes nothing."""
    from briefkit.write import OutputRefused

    out, elsewhere = tmp_path / "output", tmp_path / "elsewhere"
    build(out, {"c/tom/index.html": b"t", "c/maya/index.html": b"m"})
    (out / "c").rename(elsewhere)
    (out / "c").symlink_to(elsewhere, target_is_directory=True)

    with pytest.raises(OutputRefused) as refused:
        with OutputWriter(out) as writer:
            writer.write("c/new/index.html", b"n")
    assert refused.value.path == "c"
    writer = build(out, {})  # both packets gone: pruning would delete through the link

    assert sorted(p.relative_to(elsewhere).as_posix() for p in elsewhere.rglob("*")) == [
        "maya", "maya/index.html", "tom", "tom/index.html"]
    assert [r.path for r in writer.refused] == ["c"]
    manifest = json.loads((out / MANIFEST).read_text())
    assert sorted(manifest["files"]) == ["c/maya/index.html", "c/tom/index.html"]  # still to prune


def test_a_hand_edited_manifest_entry_does_not_delete_a_users_file(tmp_path: Path) -> None:

    build(tmp_path, {"c/tom/index.html": b"t"})
    mine = tmp_path / "c/tom/notes.txt"
    mine.write_text("my own notes")
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    manifest["files"]["c/tom/notes.txt"] = "0" * 64  # not the hash of what is there
    manifest["files"][LOCK] = hashlib.sha256(b"").hexdigest()  # the (empty) lock file's own hash
    manifest["files"]["c/./tom/index.html"] = manifest["files"]["c/tom/index.html"]
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))

    writer = build(tmp_path, {"c/tom/index.html": b"t"})

    assert mine.read_text() == "my own notes"
    assert writer.kept == ["c/tom/notes.txt"]  # the build warns about it
    assert (tmp_path / LOCK).exists()
    assert (tmp_path / "c/tom/index.html").read_bytes() == b"t"


@pytest.mark.parametrize("recorded", [False, True], ids=["not-in-manifest", "changed-since"])
def test_a_file_briefkit_did_not_write_is_never_overwritten(tmp_path: Path, recorded: bool) -> None:
    build(tmp_path, {"c/tom/index.html": b"t"} if recorded else {})
    page = tmp_path / "c/tom/index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_bytes(b"the user's own page")

    with OutputWriter(tmp_path) as writer:
        refused = writer.write_packet("c/tom", {"index.html": b"new", "calendar.ics": b"ics"})
        assert writer.write_packet("c/maya", {"index.html": b"m"}) == []

    assert [(r.path, r.hint) for r in refused] == [("c/tom/index.html", "move it away or delete it, then build again")]
    assert page.read_bytes() == b"the user's own page"
    assert not (tmp_path / "c/tom/calendar.ics").exists()  # nothing of that packet
    assert (tmp_path / "c/maya/index.html").read_bytes() == b"m"  # the others go on
    with OutputWriter(tmp_path) as writer:
        writer.write("c/other.html", b"o")
        writer.write("c/tom/index.html", b"the user's own page")  # the same bytes: nothing to overwrite


def test_a_failed_first_build_leaves_no_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "output"
    with pytest.raises(RuntimeError):
        with OutputWriter(out) as writer:
            writer.write("c/maya/index.html", b"m")
            raise RuntimeError("render failed")
    assert list(tmp_path.iterdir()) == []
