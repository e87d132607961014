"""The inputs of a validation run and how a delivery file is opened, shared by the streaming passes (:mod:`guidekit.delivery.stream`,
its duplicate-id pass and its parallel readers)."""

from __future__ import annotations

import gzip
import io
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
    url: str | None = None  # an object in a store (see .remote)
    summary: FileSummary = field(init=False)

    def __post_init__(self) -> None:
        self.summary = FileSummary(self.display, self.format)

    def open(self) -> tuple[IO[bytes], IO[bytes]]:
        """The raw stream (for progress) and a reader, as :func:`open_delivery`."""
        if self.url is not None:
            return open_delivery(self.url)
        assert self.path is not None
        return open_delivery(self.path)

    def size(self) -> int | None:
        if self.url is not None:
            from guidekit.delivery.remote import size

            return size(self.url)
        return self.path.stat().st_size if self.path is not None else None


#: A gzip delivery may expand to at most this many times its compressed size once it has
#: produced GZIP_RATIO_FLOOR bytes: JSON Lines compresses about 5-50 times, a gzip bomb
#: (1 MB of zeros -> 1 GiB) about 1,000 times.
MAX_GZIP_RATIO = 500
GZIP_RATIO_FLOOR = 64 * 1024 * 1024


class GzipRatioError(OSError):
    """A gzip stream expands more than :data:`MAX_GZIP_RATIO` times (GK507)."""


class _RatioGuard(io.RawIOBase):
    """Decompressed bytes of ``gz``, refused past the ratio: checked per chunk, so a bomb
    stops after at most the floor's worth of output, never holding a gigabyte line."""

    def __init__(self, gz: gzip.GzipFile, raw: IO[bytes], ratio: int, floor: int) -> None:
        self.gz, self.raw, self.ratio, self.floor = gz, raw, ratio, floor
        self.out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.gz.readinto(buffer)
        self.out += n
        if self.out > self.floor and self.out > self.ratio * max(self.raw.tell(), 1):
            raise GzipRatioError(
                f"the gzip stream expands more than {self.ratio} times its size "
                f"({self.out:,} bytes from {self.raw.tell():,}): refused as a gzip bomb"
            )
        return n

    def close(self) -> None:
        self.gz.close()
        super().close()


def open_delivery(
    path: Path | str, *, ratio: int = MAX_GZIP_RATIO, floor: int = GZIP_RATIO_FLOOR
) -> tuple[IO[bytes], IO[bytes]]:
    """The raw file (for progress) and a reader (decompressing gzip, bounded in ratio).
    A ``str`` is a URL of an object in a store (:mod:`.remote`)."""
    if isinstance(path, str):
        from guidekit.delivery.remote import open_url

        raw = open_url(path)
        magic = raw.peek(2)[:2] if isinstance(raw, io.BufferedReader) else b""
    else:
        raw = path.open("rb")
        magic = raw.read(2)
        raw.seek(0)
    if magic == b"\x1f\x8b":
        gz = gzip.GzipFile(fileobj=raw, mode="rb")
        return raw, io.BufferedReader(_RatioGuard(gz, raw, ratio, floor), 1 << 16)
    return raw, raw
