#!/usr/bin/python3
"""Runs a command under the restrictions of systemd/rpa-v4.service that the robot's Chromium has
to live with, on a machine whose PID 1 is not systemd (where `systemd-run -p …` cannot be used):

- the unit's SystemCallFilter, expanded group by group with `systemd-analyze syscall-filter`,
  with its SystemCallErrorNumber (a refused call fails with that errno; without it, the process
  is killed, as systemd does) and SystemCallArchitectures=native;
- NoNewPrivileges;
- an empty CapabilityBoundingSet (a root command keeps no capability across exec).

Everything the command starts inherits them. What it does not reproduce: the user (User=rpa),
the mount namespace settings (ProtectSystem, PrivateTmp…) and the cgroup limits
(MemoryMax, TasksMax).

Needs Debian's systemd (systemd-analyze) and python3-seccomp, so it runs with /usr/bin/python3:

    apt-get install -y python3-seccomp
    /usr/bin/python3 bench/unit_sandbox.py -- .venv/bin/python -m pytest -q rpa/tests/test_service_e2e.py
"""

import ctypes
import errno
import os
import pathlib
import re
import subprocess
import sys

import seccomp

UNIT = pathlib.Path(__file__).resolve().parent.parent / "systemd" / "rpa-v4.service"
PR_SET_NO_NEW_PRIVS = 38
PR_CAPBSET_DROP = 24


def unit_setting(name: str) -> list[str]:
    values = []
    for line in UNIT.read_text().splitlines():
        m = re.match(rf"\s*{name}=(.*)$", line)
        if m:
            values.append(m.group(1).strip())
    return values


def expand(entry: str, seen: set[str]) -> set[str]:
    """A syscall name, or every syscall of a @group (groups nest)."""
    if not entry.startswith("@"):
        return {entry}
    if entry in seen:
        return set()
    seen.add(entry)
    out = subprocess.run(
        ["systemd-analyze", "syscall-filter", entry], capture_output=True, text=True, check=True
    ).stdout
    names: set[str] = set()
    for line in out.splitlines()[1:]:
        line = line.strip()
        if line and not line.startswith("#"):
            names |= expand(line, seen)
    return names


def main() -> int:
    argv = sys.argv[1:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    allowed: set[str] = set()
    for value in unit_setting("SystemCallFilter"):
        for entry in value.split():
            if entry.startswith("~"):
                sys.exit(f"deny lists (~) are not handled: {entry}")
            allowed |= expand(entry, set())
    if not allowed:
        sys.exit(f"no SystemCallFilter in {UNIT}")
    errnos = unit_setting("SystemCallErrorNumber")
    default = seccomp.ERRNO(getattr(errno, errnos[-1])) if errnos else seccomp.KILL_PROCESS
    flt = seccomp.SyscallFilter(defaction=default)
    known = 0
    for name in sorted(allowed):
        try:
            flt.add_rule(seccomp.ALLOW, name)
            known += 1
        except (RuntimeError, ValueError):
            pass  # a name this kernel/architecture does not have
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        sys.exit("prctl(PR_SET_NO_NEW_PRIVS) failed")
    if unit_setting("CapabilityBoundingSet") == [""]:
        last = int(pathlib.Path("/proc/sys/kernel/cap_last_cap").read_text())
        for cap in range(last + 1):
            if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                sys.exit(f"prctl(PR_CAPBSET_DROP, {cap}) failed: {os.strerror(ctypes.get_errno())}")
    print(
        f"[unit_sandbox] {known} chamadas de sistema permitidas ({', '.join(unit_setting('SystemCallFilter'))}), "
        f"as outras {'falham com ' + errnos[-1] if errnos else 'matam o processo'}; sem capacidades; no_new_privs",
        file=sys.stderr,
        flush=True,
    )
    flt.load()
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    sys.exit(main())
