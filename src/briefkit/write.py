"""The last stage, write: put files into the output folder safely.

A writer stages every file it writes: in a folder of its own inside the output
folder (`.briefkit-staging-…`), as the build goes on. Only when the writer is
left without an error are the staged files synced to disk and renamed into
their places, so an interrupted or failed build leaves the output as it
was and never a half-written file. A manifest records what
briefkit wrote (with a hash of each file); pruning deletes only files in that
manifest that are no longer produced and that nobody changed since, and never a
file briefkit did not write.

The manifest also keeps each packet's key (see `fingerprint.py`): a packet whose
key is unchanged, and whose files are all still there as written, is kept as
it is instead of being rendered again.

The output folder is a boundary:
- every folder from the output folder down to a file briefkit writes or deletes
  must be a real folder, not a link (nor a file); otherwise nothing is written
  or deleted there and the build reports it (`OutputRefused`). The output folder
  itself may be a link (a user's choice, e.g. into a web server's folder): it is
  followed once, when the writer is made, and everything is checked below the
  folder it leads to;
- a file that is already where briefkit writes is overwritten only if the
  manifest records it with the hash of its current bytes (or it already holds
  exactly the new bytes); anything else is the user's and stops that packet;
- a file is deleted only if its bytes still have the hash the manifest records,
  checked right before deleting;
- the manifest is read again and saved under an exclusive lock
  (`.briefkit-manifest.lock`, fcntl.flock) while the build writes and prunes, so
  that builds running at once (of different campaigns or creators) each replace
  only their own entries instead of the last one's manifest winning.

The checks use the paths' current state; a process that swaps a folder for a
link between the check and the write (while the build runs) is not guarded
against: who can write into the output folder at that moment can write the
packets anyway.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

try:
    import fcntl
except ImportError:  # Windows has none: builds there do not lock the manifest (see OutputWriter._lock)
    fcntl = None  # type: ignore[assignment]

MANIFEST = ".briefkit-manifest.json"
LOCK = ".briefkit-manifest.lock"  # held while a build writes; empty, and never removed
# What each written file looked like on disk (size, modification time, hash): as git's
# index, it lets a build trust a file whose size and time are unchanged without reading it.
STATS = ".briefkit-stats.json"
MANIFEST_VERSION = 2
SHARD_MANIFEST_PREFIX = ".briefkit-shard-"  # a shard's manifest (shards.Shard.manifest)
MOVE_IT = "move it away or delete it, then build again"
STAGING_PREFIX = ".briefkit-staging-"  # a writer's files until it is left (OutputWriter.write)
SYNC_ALL_FROM = 256  # staged files made durable by syncing their file system (_make_durable)


def write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~current_umask())  # mkstemp makes files private; packets are published
        _make_durable([temporary])
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _make_durable(files: list[Path]) -> None:
    """Each file's bytes on disk before it is renamed into place, so that a crash of the
    machine leaves the old file or the new one, never an empty one.

    Many files, on Linux, by one sync of the file system holding them (`syncfs`):
    syncing each of the 30,000 files of 10,000 packets, even many at once, took four
    seconds more CPU. Otherwise each file is synced, all at once, which lets the file
    system commit them together."""
    if len(files) >= SYNC_ALL_FROM and sys.platform == "linux":
        _sync_file_system(files[0])
        return

    def sync(path: Path) -> None:
        handle = os.open(path, os.O_RDWR)  # Windows syncs only what is open for writing
        try:
            os.fsync(handle)
        finally:
            os.close(handle)

    if len(files) <= 1:
        list(map(sync, files))
        return
    with ThreadPoolExecutor(min(16, len(files))) as pool:
        list(pool.map(sync, files))


def _sync_file_system(path: Path) -> None:
    """Linux's syncfs(2), which Python does not offer: every write to the file system
    holding `path` on disk. Unlike `os.sync` it waits for that file system only, and it
    reports a write that failed, as fsync does."""
    handle = os.open(path, os.O_RDONLY)
    try:
        if ctypes.CDLL(None, use_errno=True).syncfs(handle) != 0:
            number = ctypes.get_errno()
            raise OSError(number, os.strerror(number), str(path))
    finally:
        os.close(handle)


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class OutputRefused(Exception):
    """briefkit will not write or delete at `path` (relative to the output folder): a
    link or a file where a folder should be, or a file briefkit did not write. The
    build reports it as an error at that path."""

    def __init__(self, path: str, message: str, hint: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.hint = hint


def _not_a_folder(path: str, link: bool) -> OutputRefused:
    if link:
        return OutputRefused(path, "a link, not a folder: briefkit neither writes nor deletes through links "
                             "inside the output folder",
                             "make it a real folder (or move the link out of the output folder); "
                             "nothing was written or deleted through it")
    return OutputRefused(path, "a file where briefkit needs a folder", MOVE_IT)


class OutputWriter:
    """Writes files under `folder` and remembers them; use as a context manager.

    Made before rendering, it reads the manifest to tell which packets are
    current (`is_current`). Entering it locks the manifest and reads it again;
    writing happens inside. On leaving, files of the previous build that this
    build answers for and did not write are pruned (if unchanged), and the
    manifest is saved, also when the build failed half-way, so that the next build
    knows every file briefkit wrote.
    """

    def __init__(self, folder: Path, owns: Callable[[str], bool] = lambda name: True, manifest: str = MANIFEST):
        """`owns(name)`: whether this build is responsible for output file `name`.

        A partial build (one campaign, one creator, no PDFs) prunes only files it
        owns and carries the rest of the manifest forward. A shard of a build keeps a
        `manifest` of its own, with only what it owns (so that shards built apart can
        be put into one folder; `shards.assemble` merges them), and knows the files of
        the whole build's manifest that it owns.
        """
        # The output folder itself may be a link: followed here, once (see the module's docstring).
        self.folder = Path(os.path.realpath(folder))
        self._root = str(self.folder)
        self.owns = owns
        self.manifest = manifest
        self.previous, self.previous_packets = self._read_manifest()  # re-read under the lock
        self._by_folder = _by_packet(self.previous)
        self._stats = _read_stats(self.folder)
        self.written: dict[str, str] = {}
        self.packets: dict[str, dict] = {}  # folder → {"key", "pdf", "warnings"}
        self.kept: list[str] = []  # files briefkit would have pruned but someone changed
        self.refused: list[OutputRefused] = []  # what pruning did not delete: under a link
        self._lock_handle: int | None = None
        self._staging: Path | None = None  # made with the first file to write
        self._made_folder = False  # whether entering made the output folder
        self._staged: list[tuple[Path, str]] = []  # (staged file, name) to rename into place
        self._staged_count = 0

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

    def stale_pdfs(self, pdf_name: str) -> list[str]:
        """The packets rendered without a PDF that still hold the PDF of an earlier build."""
        return sorted(folder for folder, made in self.packets.items()
                      if not made.get("pdf") and f"{folder}/{pdf_name}" in self.written)

    def warnings_of(self, folder: str) -> list[dict]:
        """The warnings the last build of a kept packet gave, to repeat them."""
        warnings = self.previous_packets.get(folder, {}).get("warnings", [])
        return warnings if isinstance(warnings, list) else []

    def _files_of(self, folder: str) -> dict[str, str]:
        return self._by_folder.get(folder, {})

    def _unchanged(self, relative: str, recorded: str) -> bool:
        """Whether the file still has the bytes the manifest records: a regular file (not
        under a link) whose size and modification time are those last seen with these
        bytes, or whose bytes hash to `recorded`."""
        try:
            self._real_folders(relative)
            found = os.lstat(self._path(relative))
        except (OutputRefused, OSError):
            return False
        if not stat.S_ISREG(found.st_mode):
            return False
        seen = [found.st_size, found.st_mtime_ns, recorded]
        if self._stats.get(relative) == seen:
            return True
        if digest((self.folder / relative).read_bytes()) != recorded:  # size or time changed: read
            return False
        self._stats[relative] = seen
        return True

    def write_packet(self, folder: str, files: dict[str, bytes]) -> list[OutputRefused]:
        """Write all files of the packet in `folder` (names relative to it), or none of them.

        When any file may not be written (see `write`), nothing of the packet is
        written, its files of the last build stay as they are (and in the manifest),
        and the reasons are returned.
        """
        named = {f"{folder}/{name}": data for name, data in sorted(files.items())}
        needed, refused = {}, []
        for relative, data in named.items():
            try:
                needed[relative] = self._must_write(relative, data)
            except OutputRefused as reason:
                refused.append(reason)
        if refused:
            self.keep(folder)
            return refused
        for relative, data in named.items():
            self._write(relative, data, needed[relative])
        return []

    def write(self, relative: str, data: bytes) -> None:
        """Write `data` to `relative`, unless the file already holds exactly these bytes.

        Raises `OutputRefused` when a folder on the way is a link or a file, or when
        a file is there that briefkit did not write (not in the manifest with the
        hash of its bytes): that is the user's, and is never overwritten.

        The file is staged: written into a folder of the writer's own in the output
        folder, and renamed into its place only when the writer is left without an
        error. Until then nothing in the output changes, and an error (a packet that
        fails to render, an interrupt) leaves the output as it was.
        """
        self._write(relative, data, self._must_write(relative, data))

    def _write(self, relative: str, data: bytes, needed: bool) -> None:
        if needed:
            temporary, found = self._staged_file(data)
            self._staged.append((temporary, relative))
        else:
            found = os.lstat(self._path(relative))  # already holding these bytes
        self._stats[relative] = [found.st_size, found.st_mtime_ns, digest(data)]  # a rename keeps both
        self.written[relative] = self._stats[relative][2]

    def _staged_file(self, data: bytes) -> tuple[Path, os.stat_result]:
        """`data` in the next file of the staging folder (made with the first), and its stat.
        The folder is the writer's own, made private by mkdtemp: its files are simply
        numbered, and made readable as published files are (the mode minus the umask)."""
        if self._staging is None:
            self._staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.folder))
        path = self._staging / str(self._staged_count)
        self._staged_count += 1
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            return path, os.fstat(stream.fileno())

    def _commit(self) -> None:
        """Rename the staged files into place, once they are all on disk. What is not
        renamed (a folder on the way became a link, an interrupt) is discarded."""
        _make_durable([temporary for temporary, _ in self._staged])
        staged, self._staged = self._staged, []
        for number, (temporary, relative) in enumerate(staged):
            try:
                self._real_folders(relative, make=True)
                os.replace(temporary, self._path(relative))
            except BaseException:
                self._staged = staged[number:]  # for `_discard`
                raise

    def _discard(self) -> None:
        """Delete the staged files and forget them: each file stays what it was before."""
        for temporary, relative in self._staged:
            temporary.unlink(missing_ok=True)
            self._stats.pop(relative, None)
            if relative in self.previous:
                self.written[relative] = self.previous[relative]
            else:
                self.written.pop(relative, None)
        self._staged = []

    def _remove_staging(self) -> None:
        """Remove the writer's staging folder, and any a writer ended before it could (a
        build killed while it rendered): a folder of briefkit's own name, found under the
        lock, which no other build is using."""
        leftovers = [self._staging] if self._staging else []
        if self._lock_handle is not None:
            leftovers += [p for p in self.folder.glob(STAGING_PREFIX + "*") if p != self._staging]
        for folder in leftovers:
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)
        self._staging = None

    def _must_write(self, relative: str, data: bytes) -> bool:
        """Whether `relative` needs writing; raises `OutputRefused` when it may not be written."""
        if not _recordable(relative):
            raise ValueError(f"refusing to write {relative!r} outside the output folder")
        self._real_folders(relative)
        target = self._path(relative)
        try:
            mode = os.lstat(target).st_mode
        except FileNotFoundError:
            return True
        if not stat.S_ISREG(mode):
            raise OutputRefused(relative, "a link or a folder where briefkit writes a file", MOVE_IT)
        with open(target, "rb") as stream:
            current = stream.read()
        if current == data:
            return False  # nothing to overwrite: the file is already what briefkit makes
        if self.previous.get(relative) != digest(current):
            raise OutputRefused(relative, "briefkit did not write this file (or it was changed after briefkit "
                                "wrote it), so it is not overwritten; the packet was not written", MOVE_IT)
        return True

    def _path(self, relative: str) -> str:
        """Where the file `relative` is, as a string: pathlib's joining was a tenth of the
        time of writing 30,000 files."""
        return os.path.join(self._root, relative)

    def _real_folders(self, relative: str, make: bool = False) -> None:
        """Check that every folder from the output folder down to the one holding `relative`
        is a real folder (not a link, not a file), or is not there yet; with `make`, make
        those that are not there. Raises `OutputRefused` naming the first that is not."""
        parts = relative.split("/")[:-1]  # a name `_recordable` accepts: no empty part, no `..`
        folder = self._root
        for number, part in enumerate(parts, start=1):
            folder = os.path.join(folder, part)
            try:
                mode = os.lstat(folder).st_mode
            except FileNotFoundError:
                if not make:
                    return  # neither is any folder below it
                try:
                    os.mkdir(folder)
                except FileExistsError:
                    pass
                mode = os.lstat(folder).st_mode
            if not stat.S_ISDIR(mode):
                raise _not_a_folder("/".join(parts[:number]), stat.S_ISLNK(mode))

    def __enter__(self) -> OutputWriter:
        """Lock the manifest and read it again: what other builds wrote since this writer
        was made is theirs to keep, and this build replaces only the entries it owns."""
        self._lock()
        try:
            self.previous, self.previous_packets = self._read_manifest()
            self._by_folder = _by_packet(self.previous)
        except BaseException:
            self._unlock()
            raise
        carried = self.manifest == MANIFEST  # a shard's manifest holds only what it owns
        self.written = {name: sha for name, sha in self.previous.items() if carried and not self.owns(name)}
        self.packets = dict(self.previous_packets)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        try:
            if kind is None:
                try:
                    self._commit()
                except BaseException:
                    self._discard()
                    self._save_half_way()
                    raise
                self._prune()
                self._save_manifest(self.written)
                _write_stats(self.folder, {n: v for n, v in self._stats.items() if v[2] == self.written.get(n)})
            else:
                self._discard()
                self._save_half_way()
        finally:
            try:
                self._remove_staging()
                if kind is not None:
                    self._remove_folder_if_made()
            finally:
                self._unlock()

    def _remove_folder_if_made(self) -> None:
        """After a failed first build, the output folder it made, holding only the lock:
        a failed build leaves nothing behind. (A build that waited for the lock in that
        folder then finds it gone, and fails instead of writing.)"""
        if self._made_folder and os.listdir(self.folder) in ([], [LOCK]):
            (self.folder / LOCK).unlink(missing_ok=True)
            self.folder.rmdir()

    def _save_half_way(self) -> None:
        """After a failure while committing, remember old and new files alike; the next
        build prunes."""
        if any(self.previous.get(name) != sha for name, sha in self.written.items()):
            self._save_manifest(self.previous | self.written)

    def _lock(self) -> None:
        """Hold an exclusive lock on `LOCK` in the output folder until `_unlock`. Where
        there is no fcntl (Windows), builds do not lock: two at once there may still lose
        each other's manifest entries (the window is only their writing, though, since
        the manifest is read again here)."""
        self._made_folder = not os.path.lexists(self.folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise _not_a_folder(".", link=False) from None
        if fcntl is None:
            return
        lock = self.folder / LOCK
        try:
            handle = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)
        except OSError:
            if lock.is_symlink():
                raise OutputRefused(LOCK, "a link where briefkit keeps its lock file", MOVE_IT) from None
            raise
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
        except BaseException:
            os.close(handle)
            raise
        self._lock_handle = handle

    def _unlock(self) -> None:
        if self._lock_handle is not None:
            os.close(self._lock_handle)  # releases the lock
            self._lock_handle = None

    def _prune(self) -> None:
        for relative, recorded in sorted(self.previous.items()):
            if relative in self.written:
                continue
            try:
                self._real_folders(relative)
            except OutputRefused as refused:
                if refused.path not in {r.path for r in self.refused}:
                    self.refused.append(refused)
                self.written[relative] = recorded  # still to prune once the folder is a real one
                continue
            target = self.folder / relative
            if not target.is_file() or target.is_symlink():
                continue
            # The bytes are hashed again right before deleting (with the lock held): a file
            # someone changed, or a hand-edited entry naming a file of the user's, stays.
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
        """Files and packets of the last build; a shard's own manifest over what the whole
        build's manifest says of the files the shard owns."""
        files, packets = read_manifest(self.folder, MANIFEST)
        if self.manifest == MANIFEST:
            return files, packets
        own_files, own_packets = read_manifest(self.folder, self.manifest)
        return ({n: h for n, h in files.items() if self.owns(n)} | own_files,
                {f: p for f, p in packets.items() if self.owns(f + "/")} | own_packets)

    def _save_manifest(self, files: dict[str, str]) -> None:
        write_manifest(self.folder, self.manifest, files, self.packets)


def _by_packet(files: dict[str, str]) -> dict[str, dict[str, str]]:
    """Manifest entries by the packet folder (`<campaign>/<creator>`) they are in."""
    found: dict[str, dict[str, str]] = {}
    for name, sha in files.items():
        parts = name.split("/")
        if len(parts) > 2:
            found.setdefault(f"{parts[0]}/{parts[1]}", {})[name] = sha
    return found


def _read_cache(folder: Path) -> dict:
    try:
        data = json.loads((folder / STATS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _read_stats(folder: Path) -> dict[str, list]:
    files = _read_cache(folder).get("files")
    return {k: v for k, v in files.items() if isinstance(v, list) and len(v) == 3} if isinstance(files, dict) else {}


def _write_stats(folder: Path, stats: dict[str, list]) -> None:
    """The files' stats; what `last_build` says goes, since this writer changed the output."""
    _write_cache(folder, {"files": dict(sorted(stats.items()))})


def _write_cache(folder: Path, data: dict) -> None:
    try:
        write_atomically(folder / STATS, json.dumps(data, separators=(",", ":")).encode())
    except OSError:
        pass  # a cache: the next build hashes, or builds, instead


def last_build(folder: Path) -> dict | None:
    """What the last successful build recorded of itself (`record_build`), if anything."""
    found = _read_cache(folder).get("build")
    return found if isinstance(found, dict) else None


def record_build(folder: Path, record: dict) -> None:
    """Keep `record` (its input snapshot and report) beside the files' stats."""
    _write_cache(folder, {"files": _read_stats(folder), "build": record})


def output_intact(folder: Path) -> bool:
    """Whether every file the manifest records is still there with the size and time the
    stat cache saw it have with those bytes: nothing in the output changed since."""
    files, _ = read_manifest(folder)
    stats = _read_stats(folder)
    for name, sha in files.items():
        seen = stats.get(name)
        try:
            found = os.lstat(folder / name)
        except OSError:
            return False
        if seen != [found.st_size, found.st_mtime_ns, sha] or not stat.S_ISREG(found.st_mode):
            return False
    return bool(files)


def read_manifest(folder: Path, name: str = MANIFEST) -> tuple[dict[str, str], dict[str, dict]]:
    """The files (name → hash) and packets (folder → key, pdf, warnings) a manifest records;
    nothing when it is missing, unreadable, or not a file."""
    path = folder / name
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return {}, {}  # a link (or anything but a file) is not briefkit's manifest
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}, {}
    packets = data.get("packets") if data.get("version") == MANIFEST_VERSION else None
    return ({k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str) and _recordable(k)},
            {k: v for k, v in packets.items() if isinstance(v, dict)} if isinstance(packets, dict) else {})


def write_manifest(folder: Path, name: str, files: dict[str, str], packets: dict[str, dict]) -> None:
    """Record `files` and the packets they hold (sorted, so that the same build writes the
    same manifest)."""
    folders = {"/".join(file.split("/")[:2]) for file in files}  # packets are <campaign>/<creator>
    kept = {folder: made for folder, made in sorted(packets.items()) if folder in folders}
    text = json.dumps({"version": MANIFEST_VERSION, "files": dict(sorted(files.items())), "packets": kept},
                      indent=1)
    write_atomically(folder / name, text.encode() + b"\n")


def _recordable(name: str) -> bool:
    """Whether a manifest entry may name a file briefkit wrote: a path inside the output
    folder, written as briefkit writes it (so that no second spelling of a path escapes
    the check that it was written), and not the manifest or its lock."""
    # Split, not PurePosixPath: a manifest has a line per file, tens of thousands of them.
    return all(part not in ("", ".", "..") for part in name.split("/")) and not _own_file(name)


def _own_file(name: str) -> bool:
    """The manifests and their lock: briefkit's bookkeeping, never an output file."""
    return name in (MANIFEST, LOCK, STATS) or (name.startswith(SHARD_MANIFEST_PREFIX) and "/" not in name)


def unsafe_output(root: Path, output: Path, theme_folders: tuple[Path, ...] = ()) -> str | None:
    """Why `output` (`--out` or the `output:` setting) may not be written into, or None.

    The folder is checked where it leads, links followed: `output: public` with
    `public` a link to the workspace is the workspace. Validation also checks the
    `output:` setting as written (inside the workspace); `--out` may name any folder
    outside it.
    """
    folder, root = Path(os.path.realpath(output)), Path(os.path.realpath(root))
    if folder.exists() and not folder.is_dir():
        return "it is a file"
    if folder == root:
        return "it is the workspace folder"
    if folder in root.parents:
        return "it holds the workspace"
    if ".git" in folder.parts:
        return "it is inside a .git folder"
    sources = [("briefs/", root / "briefs"), ("themes/", root / "themes")]
    sources += [(f"the theme folder {f}", Path(os.path.realpath(f))) for f in theme_folders]
    for name, source in sources:
        if folder == source or source in folder.parents:
            return f"it is inside {name}"
        if folder in source.parents:
            return f"it holds {name}"
    return None
