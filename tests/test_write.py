"""Writing output: atomic files, a manifest, and pruning only what briefkit wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefkit.write import MANIFEST, OutputWriter, write_atomically


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


def test_a_failed_build_remembers_every_file_and_prunes_nothing(tmp_path: Path) -> None:
    build(tmp_path, {"c/tom/index.html": b"t"})
    with pytest.raises(RuntimeError):
        with OutputWriter(tmp_path) as writer:
            writer.write("c/maya/index.html", b"m")
            raise RuntimeError("render failed")
    assert (tmp_path / "c/tom/index.html").exists()
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert sorted(manifest["files"]) == ["c/maya/index.html", "c/tom/index.html"]


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
