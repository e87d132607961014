"""Helpers for the versioning tests: editing guideline YAML, and real git repositories in
temporary folders."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "versioning"
HELPDESK = FIXTURES / "helpdesk"


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_yaml(path: Path, data: Any) -> None:
    path.write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
    )


def edit(project: Path, file: str, change: Callable[[Any], Any]) -> None:
    """Load ``project/file``, let ``change`` mutate it in place, save it."""
    path = project / file
    data = read_yaml(path)
    change(data)
    write_yaml(path, data)


def find(items: list[dict[str, Any]], cid: str) -> dict[str, Any]:
    return next(c for c in items if isinstance(c, dict) and c.get("id") == cid)


def set_version(project: Path, version: str) -> None:
    edit(project, "guideline.yaml", lambda g: g.__setitem__("version", version))


class Git:
    """A real git repository in a temporary folder."""

    def __init__(self, root: Path, *, init: bool = True) -> None:
        self.root = root
        if init:
            root.mkdir(parents=True, exist_ok=True)
            self("init", "-q", "-b", "main")
        self("config", "commit.gpgsign", "false")
        self("config", "tag.gpgsign", "false")

    @classmethod
    def open(cls, root: Path) -> Git:
        """An existing repository (a clone)."""
        return cls(root, init=False)

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def commit(self, message: str, *, date: str = "2024-01-01T12:00:00Z") -> str:
        """Commit everything; fixed dates keep histories (and golden files) reproducible."""
        self("add", "-A")
        subprocess.run(
            ["git", "commit", "-q", "--allow-empty", "-m", message, "--date", date],
            cwd=self.root,
            check=True,
            capture_output=True,
            env={**os.environ, "GIT_COMMITTER_DATE": date},
        )
        return self("rev-parse", "HEAD")

    def tag(self, name: str) -> None:
        self("tag", name)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``guidekit ARGS`` in process: the exit code, standard output and standard error."""
    from guidekit.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err
