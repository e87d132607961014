"""Run git: one place that spawns it, with a stable environment and clear failures."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Location
from guidekit.errors import GuidekitError

_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",
    "LC_ALL": "C",
    "GIT_PAGER": "cat",
}


class GitFailed(Exception):
    """git exited with an error; ``stderr`` says why."""

    def __init__(self, args: list[str], stderr: str) -> None:
        self.args_ = args
        self.stderr = stderr.strip()
        super().__init__(f"git {' '.join(args)}: {self.stderr}")


def git(args: list[str], cwd: Path, *, stdin: bytes | None = None) -> bytes:
    """Output of ``git args`` run in ``cwd``; raises :class:`GitFailed`."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env={**os.environ, **_ENV},
            check=False,
        )
    except FileNotFoundError:
        raise GuidekitError(
            diag(
                "GK003",
                "git is not installed or not on PATH",
                Location(str(cwd)),
                hint="install git to read guideline versions from a repository",
            )
        ) from None
    if done.returncode != 0:
        raise GitFailed(args, done.stderr.decode("utf-8", errors="replace"))
    return done.stdout


def text(args: list[str], cwd: Path) -> str:
    return git(args, cwd).decode("utf-8", errors="replace").strip()


def toplevel(path: Path) -> Path | None:
    """The working tree root of the repository holding ``path`` (``None``: not in one)."""
    start = path if path.is_dir() else path.parent
    if not start.exists():
        return None
    try:
        return Path(text(["rev-parse", "--show-toplevel"], start)).resolve()
    except GitFailed:
        return None


def fail(message: str, where: str, hint: str | None = None) -> GuidekitError:
    return GuidekitError(diag("GK003", message, Location(where), hint=hint))
