"""The inputs of a validation run and how a delivery file is opened, shared by the streaming passes (:mod:`guidekit.delivery.stream`,
its duplicate-id pass and its parallel readers)."""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from guidekit.delivery.report import FileSummary


@dataclass
class Source:
    """One input of a validation run: a delivery file, or records given in memory."""

    display: str
    format: str
    path: Path | None = None
    records: Sequence[Any] | None = None
    summary: FileSummary = field(init=False)

    def __post_init__(self) -> None:
        self.summary = FileSummary(self.display, self.format)


def open_delivery(path: Path) -> tuple[IO[bytes], IO[bytes]]:
    """The raw file (for progress) and a reader (decompressing gzip)."""
    raw = path.open("rb")
    magic = raw.read(2)
    raw.seek(0)
    if magic == b"\x1f\x8b":
        # GzipFile reads like IO[bytes]; typeshed derives it from BufferedIOBase only
        return raw, gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw, raw
