"""Run ``guidekit`` in a child process under a memory limit and a timeout, and measure it."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 1 << 30  # address space of the child: 1 GiB
TIMEOUT = 20.0  # seconds of wall-clock time per command


@dataclass(frozen=True)
class Run:
    argv: tuple[str, ...]
    code: int | None  # None: killed at the timeout
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float

    @property
    def hung(self) -> bool:
        return self.code is None


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    os.setsid()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(ROOT / "src"), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    env["NO_COLOR"] = "1"
    env.pop("FORCE_COLOR", None)
    return env


def _high_water_kb(pid: int) -> int:
    """The peak resident memory of ``pid`` since its exec (``VmHWM``; ``ru_maxrss`` would
    count the memory of the forked test process too)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def guidekit(*args: str, cwd: Path, timeout: float = TIMEOUT) -> Run:
    """``python -m guidekit ARGS`` with RLIMIT_AS and a timeout, and its peak memory, read
    from /proc every 10 ms until it exits."""
    argv = (sys.executable, "-m", "guidekit", *args)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=_env(),
            preexec_fn=_limit,
        )
        code: int | None = None
        peak_kb = 0
        while True:
            peak_kb = max(peak_kb, _high_water_kb(proc.pid))
            pid, status = os.waitpid(proc.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                os.waitpid(proc.pid, 0)
                break
            time.sleep(0.01)
        proc.returncode = -1 if code is None else code  # reaped here, not by Popen
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return Run(
            argv=tuple(args),
            code=code,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            seconds=seconds,
            max_rss_mb=peak_kb / 1024,
        )
