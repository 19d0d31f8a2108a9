"""Helpers for tests that run a real server process."""
from __future__ import annotations

import subprocess


def terminate(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Stop ``proc``: SIGTERM, then SIGKILL if it has not exited within ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)
