"""Sharded builds (docs/ci.md): the packets split over the N jobs of a CI matrix, and
put together again.

A packet belongs to shard `shard_number(folder, N)`: a hash of its output folder, so a
creator stays in their shard when others are added or removed. A shard's build renders
and prunes only its packets and keeps a manifest of its own (`Shard.manifest`), so that
the N outputs can be put into one folder as they are. `assemble` then merges the shard
manifests into the build's manifest and writes what needs every packet but no PDF: the
host files and the team overview. The result is, byte for byte, what one build writes,
and a plain `briefkit build` afterwards finds every packet current.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Location, UsageError, error
from .write import LOCK, MANIFEST, SHARD_MANIFEST_PREFIX, STAGING_PREFIX, STATS, read_manifest, write_manifest

SHARD_PATTERN = re.compile(r"([1-9][0-9]*)/([1-9][0-9]*)")


@dataclass(frozen=True)
class Shard:
    index: int  # from 1
    total: int

    @property
    def manifest(self) -> str:
        return f"{SHARD_MANIFEST_PREFIX}{self.index}-of-{self.total}.json"

    def holds(self, name: str) -> bool:
        """Whether the output file (or packet folder) `name` is this shard's: files inside a
        packet are, files around the packets (`robots.txt`, `_team/`, `_mail/`) are not."""
        folder = packet_of(name)
        return folder is not None and shard_number(folder, self.total) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"


def shard_number(folder: str, total: int) -> int:
    """The shard (from 1) of the packet in output folder `folder` (`<campaign>/<creator>`)."""
    return int.from_bytes(hashlib.sha256(folder.encode()).digest()[:8], "big") % total + 1


def packet_of(name: str) -> str | None:
    """The packet folder an output file is in: `<campaign>/<creator>`; None for the files
    around the packets."""
    parts = name.split("/")
    if len(parts) < 3 or parts[0].startswith(("_", ".")):
        return None
    return f"{parts[0]}/{parts[1]}"


class ShardError(UsageError):
    def __init__(self, message: str):
        super().__init__(message, option="--shard")


def parse_shard(text: str) -> Shard:
    """`K/N` → the K-th of N shards."""
    match = SHARD_PATTERN.fullmatch(text.strip())
    if not match or int(match[1]) > int(match[2]):
        raise ShardError(f"{text!r} is not a shard: write K/N with 1 ≤ K ≤ N, e.g. 2/4")
    return Shard(int(match[1]), int(match[2]))


def shard_from_environment(environment: Mapping[str, str] = os.environ) -> Shard | None:
    """GitLab's `parallel:` jobs say which they are in CI_NODE_INDEX and CI_NODE_TOTAL."""
    index, total = environment.get("CI_NODE_INDEX"), environment.get("CI_NODE_TOTAL")
    if not index or not total:
        return None
    return parse_shard(f"{index}/{total}")


# --- putting the shards together ----------------------------------------------------


@dataclass
class Assembled:
    shards: list[Shard] = field(default_factory=list)
    packets: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def gather(output: Path, folders: list[Path]) -> list[Diagnostic]:
    """Copy the shard outputs in `folders` into `output` (a file already there must be
    the same); their manifests come along."""
    problems = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
            relative = path.relative_to(folder).as_posix()
            if relative in (MANIFEST, LOCK, STATS) or relative.startswith(STAGING_PREFIX):
                continue  # the assembled folder's own, or what a killed build left
            target = output / relative
            if target.exists() and target.read_bytes() != path.read_bytes():
                problems.append(error(Location(target.as_posix(), 0), f"{relative} differs between the shard "
                                      f"outputs ({folder})", "build the shards from the same commit", "shard"))
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return problems


def merge_manifests(output: Path) -> list[Shard]:
    """Merge every shard's manifest in `output` into the build's manifest, and remove them."""
    files, packets = read_manifest(output, MANIFEST)
    shards = []
    for path in sorted(output.glob(f"{SHARD_MANIFEST_PREFIX}*.json")):
        index, _, total = path.name[len(SHARD_MANIFEST_PREFIX):-len(".json")].partition("-of-")
        shard = parse_shard(f"{index}/{total}")
        own_files, own_packets = read_manifest(output, path.name)
        files = {n: h for n, h in files.items() if not shard.holds(n)} | own_files
        packets = {f: p for f, p in packets.items() if not shard.holds(f + "/")} | own_packets
        shards.append(shard)
    if shards:
        write_manifest(output, MANIFEST, files, packets)
        for shard in shards:
            (output / shard.manifest).unlink()
    return shards
