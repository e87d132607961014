"""Lines of a JSON Lines delivery in blocks, never holding more than a cap of one line.

``f.readlines(hint)`` reads whole lines, so one 1 GiB line took 1 GiB (and 3 GiB once
decoded). :func:`blocks` reads fixed-size chunks instead and cuts them at line ends; a line
longer than the cap (``--max-line-bytes``) is streamed past in chunks and replaced by a
:class:`LongLine`, which the full checker rejects (GK551) and the split copies back from its
spool file, byte for byte.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

#: Default of ``--max-line-bytes``: far above any real record (an inline base64 image of a
#: few MB), far below what would exhaust memory.
DEFAULT_MAX_LINE_BYTES = 64 << 20
CHUNK = 1 << 20


class LongLine(bytes):
    """Stands in for a line longer than the cap. Its own bytes are empty (never valid
    JSON: the fast path hands it to the full checker). ``spool`` holds the line's bytes when
    a split needs them, else ``None`` (the line was skipped unread)."""

    length: int  # bytes of the line, with its newline
    spool: Path | None
    terminated: bool
    head: bytes  # the first bytes, for the message


def long_line(length: int, spool: Path | None, terminated: bool, head: bytes) -> LongLine:
    line = LongLine(b"")
    line.length = length
    line.spool = spool
    line.terminated = terminated
    line.head = head[:40]
    return line


def size(line: bytes) -> int:
    """Bytes of the input a line stands for."""
    return line.length if isinstance(line, LongLine) else len(line)


def blocks(
    f: IO[bytes], cap: int = DEFAULT_MAX_LINE_BYTES, spool_dir: str | os.PathLike[str] | None = None
) -> Iterator[list[bytes]]:
    """Lists of lines (with their newlines) about ``CHUNK`` bytes each, like
    ``f.readlines(CHUNK)``; a line over ``cap`` bytes comes as a :class:`LongLine`, spooled
    to a file in ``spool_dir`` when that is given."""
    pending: list[bytes] = []  # the start of a line that has no newline yet
    pending_len = 0
    carry = b""  # what followed a long line's newline in its last chunk
    while True:
        chunk, carry = (carry, b"") if carry else (f.read(CHUNK), b"")
        if not chunk:
            if pending:
                yield [_capped(b"".join(pending), cap, spool_dir)]
            return
        cut = chunk.rfind(b"\n") + 1
        if cut == 0:
            pending.append(chunk)
            pending_len += len(chunk)
            if pending_len > cap:
                line, carry = _stream_long(f, pending, spool_dir)
                pending, pending_len = [], 0
                yield [line]
            continue
        data = b"".join((*pending, chunk[:cut])) if pending else chunk[:cut]
        lines = io.BytesIO(data).readlines()
        if len(data) > cap and max(map(len, lines)) > cap:
            lines = [_capped(x, cap, spool_dir) for x in lines]
        yield lines
        rest = chunk[cut:]
        pending, pending_len = ([rest], len(rest)) if rest else ([], 0)


def _capped(line: bytes, cap: int, spool_dir: str | os.PathLike[str] | None) -> bytes:
    if len(line) <= cap:
        return line
    spool = None
    if spool_dir is not None:
        spool = _spool_file(spool_dir)
        spool.write_bytes(line)
    return long_line(len(line), spool, line.endswith(b"\n"), line)


def _spool_file(spool_dir: str | os.PathLike[str]) -> Path:
    fd, name = tempfile.mkstemp(prefix=".guidekit-long-", suffix=".line", dir=spool_dir)
    os.close(fd)
    return Path(name)


def _stream_long(
    f: IO[bytes], pieces: list[bytes], spool_dir: str | os.PathLike[str] | None
) -> tuple[LongLine, bytes]:
    """Read past the rest of a line that began with ``pieces`` (no newline in them), a
    chunk at a time; the line and what follows its newline."""
    spool = _spool_file(spool_dir) if spool_dir is not None else None
    out = spool.open("wb") if spool is not None else None
    head = pieces[0][:40]
    length = 0
    rest = b""
    terminated = False
    todo = list(pieces)
    try:
        while True:
            piece = todo.pop(0) if todo else f.read(CHUNK)
            if not piece:
                break
            nl = piece.find(b"\n")
            if nl >= 0:
                piece, rest = piece[: nl + 1], piece[nl + 1 :]
                terminated = True
            length += len(piece)
            if out is not None:
                out.write(piece)
            if terminated:
                break
    finally:
        if out is not None:
            out.close()
    return long_line(length, spool, terminated, head), rest


def skip_line(f: IO[bytes]) -> None:
    """Read to the end of the current line, a chunk at a time (``f.readline()`` would hold
    the whole line)."""
    while True:
        piece = f.readline(CHUNK)
        if not piece or piece.endswith(b"\n"):
            return


def copy_long(line: LongLine, out: IO[bytes]) -> None:
    """Write a long line's bytes (from its spool) to ``out``, with one line end, and drop
    the spool."""
    if line.spool is None:
        raise ValueError("a long line without its spool cannot be copied")
    with line.spool.open("rb") as src:
        while piece := src.read(CHUNK):
            out.write(piece)
    if not line.terminated:
        out.write(b"\n")
    line.spool.unlink(missing_ok=True)
