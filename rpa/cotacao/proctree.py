"""Process-tree helpers over /proc (Linux): the descendants of a pid with their start times,
whether a recorded process is still the same live process, and the RSS/PSS of a process. Used to
make sure no Chromium outlives the robot, and by the tests and benchmarks."""

from __future__ import annotations

import os
import signal
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name is in parentheses and may contain spaces: split after the last ')'.
    return raw[raw.rfind(")") + 2 :].split()


def identity(pid: int) -> tuple[int, int] | None:
    """(pid, start time in clock ticks): stable across pid reuse."""
    fields = _stat_fields(pid)
    return (pid, int(fields[19])) if fields else None


def is_alive(ident: tuple[int, int]) -> bool:
    """True while the recorded process exists and is not a zombie."""
    fields = _stat_fields(ident[0])
    return bool(fields) and int(fields[19]) == ident[1] and fields[0] != "Z"


def children_map() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields:
                tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def descendants(root: int, tree: dict[int, list[int]] | None = None) -> list[int]:
    """Every process below `root`; `tree` is a `children_map()` already taken (one scan of
    /proc for several roots), else /proc is scanned now."""
    tree = children_map() if tree is None else tree
    out, todo = [], [root]
    while todo:
        for child in tree.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def tree_identities(root: int) -> set[tuple[int, int]]:
    """Identities of the descendants of `root` (not `root` itself)."""
    return {i for i in (identity(p) for p in descendants(root)) if i}


def rss_bytes(pid: int) -> int:
    """Resident memory (pages shared with other processes counted in full)."""
    fields = _stat_fields(pid)
    return int(fields[21]) * PAGE_SIZE if fields else 0


def pss_bytes(pid: int) -> int:
    """Proportional set size: shared pages divided among the processes sharing them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


def kill_survivors(idents: set[tuple[int, int]]) -> int:
    """SIGKILLs each recorded process that is still alive; returns how many were killed."""
    killed = 0
    for ident in idents:
        if is_alive(ident):
            try:
                os.kill(ident[0], signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
    return killed
