"""Run a command that starts more processes (DDP ranks), and leave none of them behind.

Distributed training launches one process per device; a crash, a timeout or Ctrl-C in the
middle must not leave ranks holding cores, GPU memory or a port. The command runs in its own
session, so every process it starts shares one process group, and that whole group is killed
when the call ends, whatever the outcome.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path


class GroupFailed(RuntimeError):
    """The command exited non-zero or ran out of time; the message holds its last output."""


def run_group(
    cmd: Sequence[str],
    *,
    timeout: float,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> str:
    """Run `cmd` to completion and return its output; kill its whole process group after.

    Output goes to a file, not a pipe: a stray child holding a pipe open would keep the caller
    waiting after the command itself has exited.
    """
    timed_out = None
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen(
            list(cmd),
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=cwd,
            start_new_session=True,  # its own process group: the ranks it launches join it
        )
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            timed_out = exc
        finally:
            kill_group(proc.pid)
            proc.wait()
        log.seek(0)
        out = log.read()
    if timed_out:
        raise GroupFailed(
            f"{cmd[0]} ran past {timeout:.0f} s and was stopped: {_tail(out)}"
        ) from timed_out
    if proc.returncode != 0:
        raise GroupFailed(f"exited {proc.returncode}: {_tail(out)}")
    return out


def kill_group(pgid: int, grace: float = 3.0) -> None:
    """SIGTERM the group, then SIGKILL whatever is still there after `grace` seconds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if not group_alive(pgid):
                return
            time.sleep(0.05)


def group_alive(pgid: int) -> bool:
    """Whether any process of group `pgid` is still running (zombies do not count on Linux)."""
    if not Path("/proc").is_dir():  # macOS: ask the kernel whether the group has any member
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def _tail(text: str | None, lines: int = 8) -> str:
    return "\n".join((text or "").strip().splitlines()[-lines:]) or "(no output)"
