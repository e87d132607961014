"""Id bookkeeping across a delivery in bounded memory.

Every record's id becomes a 64-bit fingerprint (Python's ``hash`` of the id as text). The
fingerprints are appended to 1,024 buckets by their low bits; a full bucket is spilled to
one temporary file. At the end each bucket is read back and checked with a set, so memory
holds one bucket at a time (8 bytes per id on disk, a few megabytes in memory) instead of
every id. Fingerprints that occur twice are *candidates*: a second pass over the delivery
(:mod:`guidekit.delivery.stream`) finds their ids and lines and confirms them exactly, so a
fingerprint collision never reports a false duplicate.

:class:`Expected` holds the expected ids of ``--expect`` (about 100 bytes per id).
"""

from __future__ import annotations

import os
import tempfile
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from hashlib import blake2b
from pathlib import Path
from typing import Any

BUCKETS = 1024  # a power of two: the bucket is ``fingerprint & MASK``
MASK = BUCKETS - 1
SPILL_AT = 1024  # fingerprints per bucket kept in memory (8 MiB in all)


def fingerprint(record_id: Any) -> int:
    return hash(record_id) if record_id.__class__ is str else hash(str(record_id))


def stable_hash(text: str) -> int:
    """A 64-bit fingerprint of ``text`` that is the same in every process and on every
    machine (Python's ``hash`` of a string is seeded per process): partial results made
    elsewhere (:mod:`guidekit.delivery.partial`) compare their ids with it."""
    digest = blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def stable_fingerprint(record_id: Any) -> int:
    return stable_hash(record_id if record_id.__class__ is str else str(record_id))


def hash_scheme() -> str:
    """The name of this process's ``hash``: two processes agree on :func:`fingerprint`
    only when their schemes are equal (forked workers share the parent's seed)."""
    return f"hash:{hash('guidekit fingerprint probe')}"


class IdLedger:
    def __init__(self, tmpdir: str | os.PathLike[str] | None = None) -> None:
        self.buckets = [array("q") for _ in range(BUCKETS)]
        self.appenders: list[Callable[[int], None]] = [b.append for b in self.buckets]
        # per bucket, the spilled segments as (offset, count) pairs, flat: 16 bytes each
        self.segments: list[array[int]] = [array("q") for _ in range(BUCKETS)]
        self.tmpdir = tmpdir
        self._file: Any = None
        self._path: str | None = None
        self._offset = 0
        self._exported = False
        self._external: list[tuple[str, list[array[int]]]] = []

    def add(self, fp: int) -> None:
        self.appenders[fp & MASK](fp)

    def maybe_spill(self) -> None:
        """Write buckets that outgrew their memory budget to the spill file."""
        for k, b in enumerate(self.buckets):
            if len(b) >= SPILL_AT:
                self._spill(k, b)

    def _spill(self, k: int, b: array[int]) -> None:
        if self._file is None:
            fd, self._path = tempfile.mkstemp(prefix="guidekit-ids-", dir=self.tmpdir)
            self._file = os.fdopen(fd, "w+b")
        data = b.tobytes()
        self._file.write(data)
        self.segments[k].extend((self._offset, len(b)))
        self._offset += len(data)
        del b[:]

    def export(self) -> tuple[str | None, list[array[int]]]:
        """Spill everything and hand the file over (another process reads it)."""
        for k, b in enumerate(self.buckets):
            if len(b):
                self._spill(k, b)
        if self._file is not None:
            self._file.flush()
        self._exported = True
        return self._path, self.segments

    def absorb(self, path: str, segments: list[array[int]]) -> None:
        """Include the fingerprints another ledger exported."""
        self._external.append((path, segments))

    def _bucket(self, k: int) -> array[int]:
        out = array("q")
        sources = [(self._file, self.segments)] if self._file is not None else []
        for path, segments in self._external:
            if segments[k]:
                sources.append((open(path, "rb"), segments))  # noqa: SIM115
        for f, segments in sources:
            if f is self._file:
                f.flush()
            seg = segments[k]
            for offset, count in zip(seg[::2], seg[1::2], strict=True):
                f.seek(offset)
                out.frombytes(f.read(count * 8))
            if f is not self._file:
                f.close()
        if self._file is not None:
            self._file.seek(0, os.SEEK_END)
        out.extend(self.buckets[k])
        return out

    def fingerprints(self) -> array[int]:
        """Every fingerprint added (and absorbed), bucket by bucket."""
        out = array("q")
        for k in range(BUCKETS):
            out.extend(self._bucket(k))
        return out

    def scan(self) -> tuple[int, set[int]]:
        """``(distinct fingerprints, fingerprints seen more than once)``."""
        distinct = 0
        repeated: set[int] = set()
        for k in range(BUCKETS):
            arr = self._bucket(k)
            unique = set(arr)
            distinct += len(unique)
            if len(unique) != len(arr):
                repeated.update(fp for fp, n in Counter(arr).items() if n > 1)
        return distinct, repeated

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            if not self._exported and self._path is not None:
                os.unlink(self._path)

    def __enter__(self) -> IdLedger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Expected:
    """The expected ids (``--expect FILE``), marked as records arrive."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[int, int] = {}  # fingerprint -> line in the file; negative once seen
        self.count = 0

    @classmethod
    def read(cls, path: str | os.PathLike[str], id_keys: tuple[str, ...]) -> Expected:
        out = cls(str(path))
        for line, value in iter_expected(path, id_keys):
            out.count += 1
            out.lines.setdefault(fingerprint(value), line)
        return out

    def mark(self, fp: int) -> bool:
        """Whether ``fp`` is expected (and remember that it arrived)."""
        line = self.lines.get(fp)
        if line is None:
            return False
        if line > 0:
            self.lines[fp] = -line
        return True

    def missing(self) -> tuple[int, list[int]]:
        """``(number of expected ids without a record, their lines in the file, sorted)``."""
        lines = sorted(v for v in self.lines.values() if v > 0)
        return len(lines), lines


def iter_expected(
    path: str | os.PathLike[str], id_keys: tuple[str, ...]
) -> Iterator[tuple[int, Any]]:
    """``(line, id)`` of an expected-ids file: one id per line, or JSON Lines records (the id
    is the first of ``id_keys`` present), or JSON strings/numbers. Blank lines are skipped."""
    import orjson

    with Path(path).open("rb") as f:
        for n, raw in enumerate(f, 1):
            text = raw.strip()
            if n == 1 and text.startswith(b"\xef\xbb\xbf"):
                text = text[3:]
            if not text:
                continue
            if text[:1] in b'{"' or text[:1].isdigit() or text[:1] == b"-":
                try:
                    value = orjson.loads(text)
                except orjson.JSONDecodeError:
                    value = text.decode("utf-8", "replace")
                if isinstance(value, dict):
                    for key in id_keys:
                        if value.get(key) is not None:
                            value = value[key]
                            break
                    else:
                        continue
                if isinstance(value, (str, int)) and not isinstance(value, bool):
                    yield n, value
                elif not isinstance(value, dict):
                    yield n, text.decode("utf-8", "replace")
                continue
            yield n, text.decode("utf-8", "replace")
