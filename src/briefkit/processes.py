"""How briefkit uses the machine: its CPUs, its worker processes, and Python's cycle
collector while it holds a large workspace in memory."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Iterator
from typing import Any


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the system says)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def process_context() -> Any:
    """How briefkit starts its processes: forked where the system can (no imports to
    repeat), spawned elsewhere (macOS, Windows)."""
    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                       else "spawn")


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while reading, checking and resolving a workspace.

    These make objects that all live until the end (a validated creator is a few
    hundred), and the collector walked every one of them again each time it ran:
    0.17 of the 0.40 ms a creator took to resolve among 10,000. What they make holds
    no cycles worth collecting; the collector runs again afterwards, as usual.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


@contextlib.contextmanager
def collector_frozen() -> Iterator[None]:
    """What the process holds now kept out of the cycle collector's sight for a while.

    A build holds its workspace and briefs until it ends, and while it renders, the
    collector walked all of them each time it looked at every object (2.5 s of a
    build of 10,000 packets, on the process that also writes them), and so did every
    worker forked from it (a twentieth of a page): a forked process inherits what is
    frozen. They are given back to the collector afterwards: `serve` builds again and
    again in one process.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
