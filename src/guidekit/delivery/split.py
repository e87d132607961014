"""``--split OUTDIR``: accepted records, rejected records, and why each was rejected.

``accepted.<ext>`` and ``rejected.<ext>`` receive the records' exact bytes (JSON Lines and
Parquet deliveries give ``.jsonl``, CSV gives ``.csv`` with the header row on top of each);
together they hold every input line exactly once. A last line without a newline gets one.
``rejected.errors.jsonl`` holds one JSON object per rejected record: its file, line, id and
diagnostics.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

import orjson

from guidekit.diagnostics.model import Diagnostic

ERRORS_FILE = "rejected.errors.jsonl"


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
        self._files: dict[str, IO[bytes]] = {
            k: p.open("wb", buffering=1 << 20) for k, p in self.paths.items()
        }
        if header:
            self._files["accepted"].write(header)
            self._files["rejected"].write(header)
        self.accepted: list[bytes] = []  # batch of accepted records, flushed per chunk

    def flush(self) -> None:
        """Write the batched accepted records (each with its line end, except perhaps a last
        line of a file)."""
        if not self.accepted:
            return
        data = b"".join(self.accepted)
        self._files["accepted"].write(data if data.endswith(b"\n") else data + b"\n")
        self.accepted.clear()

    def accept(self, raw: bytes) -> None:
        self.accepted.append(raw)

    def reject(self, raw: bytes, entry: dict[str, Any]) -> None:
        self._files["rejected"].write(_terminated(raw))
        self._files["errors"].write(orjson.dumps(entry) + b"\n")

    def append_parts(self, part_dir: Path, line_offset: int) -> None:
        """Append the split files another writer produced for a later part of the input,
        shifting its line numbers by ``line_offset``."""
        for kind in ("accepted", "rejected"):
            with (part_dir / self.paths[kind].name).open("rb") as src:
                shutil.copyfileobj(src, self._files[kind], 1 << 20)
        with (part_dir / ERRORS_FILE).open("rb") as src:
            for line in src:
                entry = orjson.loads(line)
                entry["line"] += line_offset
                self._files["errors"].write(orjson.dumps(entry) + b"\n")

    def close(self) -> None:
        for f in self._files.values():
            f.close()

    def relative(self) -> dict[str, str]:
        return {k: str(p) for k, p in self.paths.items()}


def _terminated(raw: bytes) -> bytes:
    return raw if raw.endswith(b"\n") else raw + b"\n"


def read_entries(path: Path) -> Iterable[dict[str, Any]]:
    with path.open("rb") as f:
        for line in f:
            yield orjson.loads(line)
