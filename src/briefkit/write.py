"""The last stage, write: put files into the output folder safely.

Every file is written to a temporary file beside it and renamed into place, so
an interrupted build never leaves a half-written file. A manifest records what
briefkit wrote (with a hash of each file); pruning deletes only files in that
manifest that are no longer produced and that nobody changed since, and never a
file briefkit did not write.

The manifest also keeps each packet's key (see `fingerprint.py`): a packet whose
key is unchanged, and whose files are all still there as written, is kept as
it is instead of being rendered again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from types import TracebackType

MANIFEST = ".briefkit-manifest.json"
MANIFEST_VERSION = 2


def write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~current_umask())  # mkstemp makes files private; packets are published
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class OutputWriter:
    """Writes files under `folder` and remembers them; use as a context manager.

    On leaving, files of the previous build that this build did not write are
    pruned (if unchanged), and the manifest is saved, also when the build failed
    half-way, so that the next build knows every file briefkit wrote.
    """

    def __init__(self, folder: Path, owns: Callable[[str], bool] = lambda name: True):
        """`owns(name)`: whether this build is responsible for output file `name`.

        A partial build (one campaign, one creator, no PDFs) prunes only files it
        owns and carries the rest of the previous manifest forward.
        """
        self.folder = folder
        self.previous, self.previous_packets = self._read_manifest()
        self.written: dict[str, str] = {name: sha for name, sha in self.previous.items() if not owns(name)}
        self.packets: dict[str, dict] = dict(self.previous_packets)  # folder → {"key", "pdf", "warnings"}
        self.kept: list[str] = []  # files briefkit would have pruned but someone changed

    def is_current(self, folder: str, key: str, pdf: bool) -> bool:
        """Whether the packet in `folder` was made from `key` (with a PDF, if one is wanted)
        and all its files are still there as briefkit wrote them."""
        made = self.previous_packets.get(folder)
        if not made or made.get("key") != key or (pdf and not made.get("pdf")):
            return False
        files = self._files_of(folder)
        return bool(files) and all(self._unchanged(name, sha) for name, sha in files.items())

    def keep(self, folder: str) -> None:
        """Keep the packet in `folder` as the last build wrote it."""
        self.written |= self._files_of(folder)

    def record(self, folder: str, key: str, pdf: bool, warnings: list[dict]) -> None:
        """The packet in `folder` was just written from `key`, with these warnings."""
        self.packets[folder] = {"key": key, "pdf": pdf, "warnings": warnings}

    def warnings_of(self, folder: str) -> list[dict]:
        """The warnings the last build of a kept packet gave, to repeat them."""
        warnings = self.previous_packets.get(folder, {}).get("warnings", [])
        return warnings if isinstance(warnings, list) else []

    def _files_of(self, folder: str) -> dict[str, str]:
        return {name: sha for name, sha in self.previous.items() if name.startswith(folder + "/")}

    def _unchanged(self, relative: str, recorded: str) -> bool:
        target = self.folder / relative
        return target.is_file() and not target.is_symlink() and digest(target.read_bytes()) == recorded

    def write(self, relative: str, data: bytes) -> None:
        """Write `data` to `relative`, unless the file already holds exactly these bytes."""
        path = PurePosixPath(relative)
        if path.is_absolute() or ".." in path.parts or relative == MANIFEST:
            raise ValueError(f"refusing to write {relative!r} outside the output folder")
        target = self.folder / relative
        if not (target.is_file() and not target.is_symlink() and target.read_bytes() == data):
            write_atomically(target, data)
        self.written[relative] = digest(data)

    def __enter__(self) -> OutputWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is None:
            self._prune()
            self._save_manifest(self.written)
        elif any(self.previous.get(name) != sha for name, sha in self.written.items()):
            # Failed half-way: remember old and new files alike; the next build prunes.
            self._save_manifest(self.previous | self.written)

    def _prune(self) -> None:
        for relative, recorded in sorted(self.previous.items()):
            if relative in self.written:
                continue
            target = self.folder / relative
            if not target.is_file() or target.is_symlink():
                continue
            if not self._unchanged(relative, recorded):
                self.kept.append(relative)
                continue
            target.unlink()
            self._remove_empty_parents(target.parent)

    def _remove_empty_parents(self, folder: Path) -> None:
        while folder != self.folder and self.folder in folder.parents:
            try:
                folder.rmdir()  # only succeeds when empty
            except OSError:
                return
            folder = folder.parent

    def _read_manifest(self) -> tuple[dict[str, str], dict[str, dict]]:
        try:
            data = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}, {}
        files = data.get("files") if isinstance(data, dict) else None
        if not isinstance(files, dict):
            return {}, {}
        packets = data.get("packets") if data.get("version") == MANIFEST_VERSION else None
        return ({k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str)
                 and not PurePosixPath(k).is_absolute() and ".." not in PurePosixPath(k).parts},
                {k: v for k, v in packets.items() if isinstance(v, dict)} if isinstance(packets, dict) else {})

    def _save_manifest(self, files: dict[str, str]) -> None:
        folders = {"/".join(name.split("/")[:2]) for name in files}  # packets are <campaign>/<creator>
        packets = {folder: made for folder, made in sorted(self.packets.items()) if folder in folders}
        text = json.dumps({"version": MANIFEST_VERSION, "files": dict(sorted(files.items())),
                           "packets": packets}, indent=1)
        write_atomically(self.folder / MANIFEST, text.encode() + b"\n")
