"""``--split OUTDIR``: accepted records, rejected records, and why each was rejected.

``accepted.<ext>`` and ``rejected.<ext>`` receive the records' exact bytes (JSON Lines and
Parquet deliveries give ``.jsonl``, CSV gives ``.csv`` with the header row on top of each);
together they hold every input line exactly once, each with exactly one line end (a last
line without a newline gets one, so it never runs into the next file's first record).
``rejected.errors.jsonl`` holds one JSON object per rejected record: its file, line, id and
diagnostics.

The files are written as ``<name>.partial`` and renamed to their final names only when the
run has finished (:meth:`SplitWriter.commit`). A run that stops early (Ctrl-C, an error)
leaves the ``.partial`` files and ``split.incomplete.txt`` saying where it stopped, so no
file that looks complete is ever left behind.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

import orjson

from guidekit.delivery._lines import LongLine, copy_long
from guidekit.delivery.read import LONG_DIGITS
from guidekit.diagnostics.model import Diagnostic

ERRORS_FILE = "rejected.errors.jsonl"
INCOMPLETE_NOTE = "split.incomplete.txt"
PARTIAL = ".partial"


def partial(path: Path) -> Path:
    """Where a split file is written until the run completes."""
    return path.with_name(path.name + PARTIAL)


def error_entry(
    file: str, line: int, record_id: Any, diagnostics: Sequence[Diagnostic]
) -> dict[str, Any]:
    return {
        "file": file,
        "line": line,
        "id": record_id,
        "diagnostics": [
            {
                "code": d.code,
                "severity": d.severity.value,
                "message": d.message,
                "pointer": d.location.pointer,
                "hint": d.hint,
            }
            for d in diagnostics
        ],
    }


class SplitWriter:
    """Writes the three split files. ``ext`` is ``jsonl`` or ``csv``; a CSV ``header`` is
    written on top of both record files."""

    def __init__(self, out_dir: str | os.PathLike[str], ext: str, header: bytes = b"") -> None:
        self.dir = Path(out_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.ext = ext
        self.paths = {
            "accepted": self.dir / f"accepted.{ext}",
            "rejected": self.dir / f"rejected.{ext}",
            "errors": self.dir / ERRORS_FILE,
        }
        # A finished split of an earlier run would look like this run's result if this
        # one stopped early: it goes before anything is written (these are the names this
        # writer owns in OUTDIR, nothing else is touched).
        for p in [*self.paths.values(), self.dir / INCOMPLETE_NOTE]:
            p.unlink(missing_ok=True)
        self.partials = {k: partial(p) for k, p in self.paths.items()}
        self._files: dict[str, IO[bytes]] = {
            k: p.open("wb", buffering=1 << 20) for k, p in self.partials.items()
        }
        self.committed = False
        if header:
            self._files["accepted"].write(header)
            self._files["rejected"].write(header)
        self.accepted: list[bytes] = []  # batch of accepted records, flushed per chunk
        self._tail = b""  # the last byte written to the accepted file

    def flush(self) -> None:
        """Write the batched accepted records."""
        if not self.accepted:
            return
        data = b"".join(self.accepted)
        self._files["accepted"].write(data)
        self._tail = data[-1:]
        self.accepted.clear()

    def end_file(self) -> None:
        """A delivery file has been read: its last line may lack a newline (the fast path
        batches raw lines as read), and must not run into the next file's first record."""
        self.flush()
        if self._tail not in (b"", b"\n"):
            self._files["accepted"].write(b"\n")
            self._tail = b"\n"

    def accept(self, raw: bytes) -> None:
        self.accepted.append(_terminated(raw))

    def reject(self, raw: bytes, entry: dict[str, Any]) -> None:
        if isinstance(raw, LongLine):  # over --max-line-bytes: copied from its spool file
            copy_long(raw, self._files["rejected"])
        else:
            self._files["rejected"].write(_terminated(raw))
        self._files["errors"].write(_dumps(entry))

    def append_parts(self, part_dir: Path, line_offset: int) -> None:
        """Append the split files another writer produced for a later part of the input,
        shifting its line numbers by ``line_offset``."""
        for kind in ("accepted", "rejected"):
            path = part_dir / self.partials[kind].name
            with path.open("rb") as src:
                shutil.copyfileobj(src, self._files[kind], 1 << 20)
            if kind == "accepted" and path.stat().st_size:
                with path.open("rb") as src:
                    src.seek(-1, os.SEEK_END)
                    self._tail = src.read(1)
        with (part_dir / self.partials["errors"].name).open("rb") as src:
            for line in src:
                entry = _loads(line)
                entry["line"] += line_offset
                self._files["errors"].write(_dumps(entry))

    def close(self) -> None:
        for f in self._files.values():
            f.close()

    def commit(self) -> None:
        """The run is complete: give the split files their final names."""
        self.close()
        for k, p in self.partials.items():
            os.replace(p, self.paths[k])
        self.committed = True

    def abandon(self, where: str) -> None:
        """The run stopped early: keep the ``.partial`` files and say where it stopped."""
        self.close()
        if self.committed:
            return
        note = (
            "guidekit validate stopped before the split was complete "
            f"({where}).\nThe *.partial files hold what was split until then; "
            "run the validation again for a complete split.\n"
        )
        (self.dir / INCOMPLETE_NOTE).write_text(note, encoding="utf-8")

    def relative(self) -> dict[str, str]:
        return {k: str(p) for k, p in self.paths.items()}


def _dumps(entry: dict[str, Any]) -> bytes:
    """One line of the errors file. An id beyond 64 bits is kept exact (orjson cannot)."""
    try:
        return orjson.dumps(entry) + b"\n"
    except TypeError:
        return json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n"


def _loads(line: bytes) -> Any:
    return json.loads(line) if LONG_DIGITS.search(line) else orjson.loads(line)


def _terminated(raw: bytes) -> bytes:
    return raw if raw.endswith(b"\n") else raw + b"\n"


def read_entries(path: Path) -> Iterable[dict[str, Any]]:
    with path.open("rb") as f:
        for line in f:
            yield _loads(line)
