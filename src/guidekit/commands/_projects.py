"""Which guideline projects a list of paths names: folders, ``guideline.yaml`` files, or any
file inside a project (as pre-commit passes the changed files), found by walking up to the
nearest folder holding ``guideline.yaml``."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

GUIDELINE_FILE = "guideline.yaml"


def project_of(path: Path) -> Path | None:
    """The project folder ``path`` belongs to, or ``None``."""
    here = path if path.is_dir() else path.parent
    for folder in (here, *here.parents):
        if (folder / GUIDELINE_FILE).is_file():
            return folder
    return None


def projects(paths: Sequence[Path], *, changed: bool = False) -> tuple[list[Path], list[Path]]:
    """The projects named by ``paths``, each once in the order first named, and the paths that
    belong to none.

    A folder is taken as given (a folder that is not a project still gets its GK002). A file
    is mapped to the project holding it. A file inside no project is, with ``changed`` (the
    changed files of a commit), left out and returned; without it, it is taken as given (a
    guideline's main file under another name)."""
    found: dict[str, Path] = {}
    stray: list[Path] = []
    for path in paths:
        try:
            is_dir = path.is_dir()
            folder = None if is_dir or not path.exists() else project_of(path)
        except (OSError, ValueError):  # a name too long, a NUL: the compiler reports it
            found.setdefault(str(path), path)
            continue
        if folder is not None:
            found.setdefault(os.path.abspath(folder), folder)
        elif changed and not is_dir:
            stray.append(path)
        else:
            found.setdefault(os.path.abspath(path), path)
    return list(found.values()), stray
