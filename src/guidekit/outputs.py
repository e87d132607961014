"""The one way guidekit writes files: never touch what guidekit did not write.

Two kinds of output go through here.

*An output folder* (``guidekit build --out``, ``export`` to a folder format) is
guidekit's when it carries the marker file :data:`MARKER` (tool, version, target and the
list of files it wrote). :func:`publish` claims a folder that does not exist, is empty or
holds the marker; a folder that holds anything else is refused (GK010) unless ``force``,
and even then only the files guidekit would write are replaced: nothing else is ever
deleted. The target writes into a staging folder inside the output folder; only when it
succeeded are its files moved into place one by one (``os.replace``), and the files the
previous marker lists that this run did not write are removed. A failed target leaves the
folder as it was.

*A single file* the user named (a report ``-o``, ``migrate -o``/``--in-place``, a file of
``init``): :func:`write_file` and :func:`atomic_open` write a temporary file in the same
folder and rename it over the target, so a reader never sees half a file; a file that is
replaced keeps its mode, a new one gets the usual ``0o666 & ~umask``.

Symbolic links are never written through and never replaced: a link where guidekit would
write a file, or a link among the folders on the way to it below the output folder, is
refused (GK010). Remove the link or name the real path.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TypeVar

from guidekit._version import __version__
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Location
from guidekit.errors import GuidekitError

#: The marker file of an output folder guidekit owns.
MARKER = ".guidekit-output.json"
#: Prefix of the staging folder a target writes into before its files are moved in place.
STAGING = ".guidekit-tmp-"

T = TypeVar("T")


def _refuse(path: Path, message: str, hint: str) -> GuidekitError:
    return GuidekitError(diag("GK010", message, Location(str(path)), hint=hint))


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


# -- single files -----------------------------------------------------------------------------


def _check_file_target(path: Path) -> None:
    if path.is_symlink():
        raise _refuse(
            path,
            f"'{path}' is a symbolic link; guidekit neither writes through a link nor replaces it",
            "remove the link or name the file it points to",
        )
    if path.exists() and not path.is_file():
        raise _refuse(path, f"'{path}' exists and is not a regular file", "name a file")


@contextlib.contextmanager
def atomic_open(path: Path) -> Iterator[IO[bytes]]:
    """A binary file that becomes ``path`` only when the block ends without an error.

    The bytes go to a temporary file in the same folder, renamed over ``path`` at the end;
    a replaced file keeps its mode. A symbolic link at ``path`` is refused (GK010)."""
    path = Path(path)
    _check_file_target(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else _umask_mode()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as sink:
            yield sink
        os.chmod(tmp, mode)
        _check_file_target(path)  # a link put there while we were writing
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_file(path: Path, data: bytes | str) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` atomically; see :func:`atomic_open`."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_open(path) as sink:
        sink.write(raw)
    return Path(path)


def publish_file(path: Path, write: Callable[[Path], T]) -> T:
    """Run ``write(tmp)`` with a temporary path of the same name in a staging folder beside
    ``path``, then rename the file it wrote over ``path`` (keeping a replaced file's mode).
    For writers that open the path themselves (``guidekit export`` to a file format)."""
    path = Path(path)
    _check_file_target(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=path.parent, prefix=STAGING))
    try:
        staged = stage / path.name
        result = write(staged)
        if staged.is_file() and not staged.is_symlink():
            mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else _umask_mode()
            os.chmod(staged, mode)
            _check_file_target(path)
            os.replace(staged, path)
        return result
    finally:
        shutil.rmtree(stage, ignore_errors=True)


# -- output folders ---------------------------------------------------------------------------


def read_marker(root: Path) -> list[str] | None:
    """The files the marker of ``root`` lists, or ``None`` when ``root`` has no valid marker."""
    marker = root / MARKER
    if marker.is_symlink() or not marker.is_file():
        return None
    try:
        doc = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("tool") != "guidekit":
        return None
    files = doc.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return [f for f in files if _safe_rel(f)]


def _safe_rel(rel: str) -> bool:
    parts = Path(rel).parts
    return bool(parts) and not Path(rel).is_absolute() and ".." not in parts and rel != MARKER


def _user_entries(root: Path) -> list[str]:
    return sorted(
        p.name + ("/" if p.is_dir() and not p.is_symlink() else "")
        for p in root.iterdir()
        if not p.name.startswith(STAGING)
    )


def claim(root: Path, *, force: bool = False) -> list[str]:
    """Check that guidekit may write into ``root``; returns the files its marker lists.

    A folder that does not exist or is empty is claimed, one with a marker is guidekit's;
    any other folder is refused (GK010) unless ``force``."""
    if root.exists() and not root.is_dir():
        raise _refuse(root, f"output folder '{root}' is a file", "choose a folder for --out")
    if not root.exists():
        return []
    previous = read_marker(root)
    if previous is not None:
        return previous
    entries = _user_entries(root)
    if entries and not force:
        shown = ", ".join(entries[:5]) + (
            f" and {len(entries) - 5} more" if len(entries) > 5 else ""
        )
        raise _refuse(
            root,
            f"output folder '{root}' is not empty and was not written by guidekit "
            f"(it holds {shown}); not writing into it",
            "choose an empty or new folder, or add --force to write guidekit's files into it "
            "(nothing else is changed or deleted)",
        )
    return []


def _check_dest(root: Path, rel: str, ours: set[str], force: bool) -> None:
    here = root
    parts = Path(rel).parts
    for part in parts[:-1]:
        here = here / part
        if here.is_symlink():
            raise _refuse(
                here,
                f"'{here}' is a symbolic link; guidekit does not write through it",
                "remove the link or choose another --out",
            )
        if here.exists() and not here.is_dir():
            raise _refuse(
                here,
                f"'{here}' is a file where guidekit writes the folder '{rel}' is in",
                "move the file away or choose another --out",
            )
    dest = root / rel
    if dest.is_symlink():
        raise _refuse(
            dest,
            f"'{dest}' is a symbolic link; guidekit neither writes through a link nor replaces it",
            "remove the link or choose another --out",
        )
    if dest.exists() and not dest.is_file():
        raise _refuse(dest, f"'{dest}' is in the way of a file guidekit writes", "move it away")
    if dest.exists() and rel not in ours and not force:
        raise _refuse(
            dest,
            f"'{dest}' was not written by guidekit; not overwriting it",
            "move it away, or add --force to overwrite it",
        )


def _staged_files(stage: Path) -> list[str]:
    found: list[str] = []
    for dirpath, _dirs, files in os.walk(stage):
        for name in files:
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(stage).as_posix())
    return sorted(found)


def _safe_stale(root: Path, rel: str) -> Path | None:
    here = root
    for part in Path(rel).parts:
        here = here / part
        if here.is_symlink():
            return None
    return here if here.is_file() else None


def _remove_empty_parents(root: Path, path: Path) -> None:
    parent = path.parent
    while parent != root and root in parent.parents:
        try:
            parent.rmdir()
        except OSError:
            return
        parent = parent.parent


def _write_marker(root: Path, target: str, files: list[str]) -> None:
    doc = {"tool": "guidekit", "version": __version__, "target": target, "files": files}
    write_file(root / MARKER, json.dumps(doc, indent=2) + "\n")


def publish(
    root: Path,
    target: str,
    write: Callable[[Path], T],
    *,
    force: bool = False,
    marker: bool = True,
) -> tuple[T, list[Path]]:
    """Run ``write(stage)`` and move what it wrote into ``root``; returns its result and
    the files now in ``root`` (sorted), the marker not included.

    ``root`` is claimed first (:func:`claim`); files the previous marker lists and this run
    did not write are removed afterwards, and nothing else. With ``marker`` false (``guidekit
    init``: the files become the user's project) no marker is read or written and nothing
    is removed; the caller has checked the folder, and ``force`` lets existing files be
    replaced."""
    root = Path(root)
    previous = claim(root, force=force) if marker else []
    created = not root.exists()
    root.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=root, prefix=STAGING))
    moved = False
    try:
        result = write(stage)
        new = _staged_files(stage)
        ours = set(previous)
        for rel in new:
            _check_dest(root, rel, ours, force)
        if marker:  # listed before they land, so a crash part-way leaves nothing unowned
            _write_marker(root, target, sorted(ours | set(new)))
        for rel in new:
            dest = root / rel
            source = stage / rel
            mode = stat.S_IMODE(dest.stat().st_mode) if dest.exists() else _umask_mode()
            os.chmod(source, mode)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, dest)
            moved = True
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        if created and not moved:  # a failed first build leaves no empty folder behind
            with contextlib.suppress(OSError):
                root.rmdir()
    if not marker:
        return result, [root / rel for rel in new]
    _write_marker(root, target, new)
    for rel in sorted(set(previous) - set(new)):
        stale = _safe_stale(root, rel)
        if stale is not None:
            stale.unlink()
            _remove_empty_parents(root, stale)
    return result, [root / rel for rel in new]
