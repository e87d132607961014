"""Pass 2 over a delivery: name the duplicate ids, and re-route them in the split files.

It runs only when pass 1 saw an id fingerprint twice (:meth:`guidekit.delivery.ids.IdLedger.scan`).
The delivery is read again in the same order; the records whose fingerprint repeats are
compared by their actual id (so a fingerprint collision never reports a false duplicate),
and every occurrence after the first becomes an error on its line. With ``--split``, the
split files are written again, routing those records to the rejected ones.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from guidekit.delivery._lines import LongLine, blocks
from guidekit.delivery.check import is_id
from guidekit.delivery.read import RawRecord, parse_line
from guidekit.delivery.split import SplitWriter, error_entry, read_entries
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.diagnostics.pointer import escape as esc

if TYPE_CHECKING:
    from guidekit.delivery.files import Source
    from guidekit.delivery.stream import Engine

ROWS = 4096


def second_pass(
    self: Engine,
    sources: list[Source],
    repeated: set[int],
    records: Iterable[tuple[int, RawRecord]] | None = None,
) -> dict[int, tuple[Diagnostic, Any]]:
    """Late diagnostics (by record sequence number, with the id) for later occurrences
    of an id. ``records`` are the delivery's records again with their sequence numbers
    (by default, the sources read again)."""
    first: dict[int, dict[str, tuple[str, int]]] = {}
    late: dict[int, tuple[Diagnostic, Any]] = {}
    key = self.layout.id_key
    fingerprint = self.fingerprint
    for seq, rr in _reread(self, sources) if records is None else records:
        value = rr.data.get(key) if rr.data is not None else None
        if not is_id(value):
            continue
        fp = fingerprint(value)
        if fp not in repeated:
            continue
        text = str(value)
        seen = first.setdefault(fp, {})
        if text in seen:
            file, line = seen[text]
            where = f"line {line}" if file == rr.file else f"{file}:{line}"
            late[seq] = (
                diag(
                    "GK542",
                    f"id {value!r} was already used at {where}",
                    Location(rr.file, rr.line, pointer=f"/{esc(key)}"),
                ),
                value,
            )
        else:
            seen[text] = (rr.file, rr.line)
    if late:
        _apply_late(self, sources, late)
    return late


def _reread(self: Engine, sources: list[Source]) -> Iterator[tuple[int, RawRecord]]:
    """Every record again, with its sequence number (ids only for JSON Lines)."""
    key = self.layout.id_key
    decode = id_decoder(key)
    seq = 0
    for src in sources:
        if src.format != "jsonl":
            for rr in _rows(self, src):
                yield seq, rr
                seq += 1
            continue
        for line, raw, last in _lines(src, self.opts.max_line_bytes):
            if isinstance(raw, LongLine):  # rejected unread in pass 1 (GK551): no id
                yield seq, RawRecord(src.display, line, raw, None)
                seq += 1
                continue
            yield seq, read_id(decode, key, raw, src.display, line, last)
            seq += 1


def id_decoder(key: str) -> Callable[[bytes], Any]:
    """A decoder of just the id (``.i``) of a JSON record."""
    id_only = msgspec.defstruct("IdOnly", [("i", Any, msgspec.field(default=None, name=key))])
    # the struct is built at run time (its field is named after the id key): fields are Any
    return msgspec.json.Decoder(id_only).decode


def read_id(
    decode: Callable[[bytes], Any], key: str, raw: bytes, file: str, line: int, last: bool
) -> RawRecord:
    """One JSON line read for its id only (the tolerant reader when it is not plain)."""
    try:
        return RawRecord(file, line, raw, {key: decode(raw).i})
    except (msgspec.MsgspecError, ValueError, RecursionError):
        return parse_line(raw, file, line, last=last)


def _rows(self: Engine, src: Source) -> Iterator[RawRecord]:
    if src.records is not None:
        for i, r in enumerate(src.records, 1):
            yield RawRecord(src.display, i, b"", r if isinstance(r, dict) else None)
    else:
        assert src.path is not None
        yield from self.file_rows(src)


def _apply_late(
    self: Engine, sources: list[Source], late: dict[int, tuple[Diagnostic, Any]]
) -> None:
    rejected = set(self.rejected_seqs)
    bases = []
    base = 0
    for src in sources:
        bases.append((base, src))
        base += src.summary.records
    for seq, (d, _) in sorted(late.items()):
        self.group(d)
        self.errors += 1
        if seq not in rejected:
            self.with_sev["error"] += 1
            for b, src in reversed(bases):
                if seq >= b:
                    src.summary.rejected += 1
                    break
    if self.split is not None:
        _resplit(self, sources, late, rejected)


def _resplit(
    self: Engine,
    sources: list[Source],
    late: dict[int, tuple[Diagnostic, Any]],
    rejected: set[int],
) -> None:
    """Route the records again, now that later occurrences of an id are rejected."""
    old = self.split
    assert old is not None
    old.close()
    tmp = Path(tempfile.mkdtemp(prefix=".guidekit-split-", dir=old.dir))
    errors_old = old.partials["errors"]
    entries = iter(read_entries(errors_old))
    try:
        new = SplitWriter(tmp, old.ext, self.header(sources))
        for seq, rr in _reread_full(self, sources, tmp):
            extra = late.get(seq)
            if seq in rejected:
                entry = next(entries)
                if extra is not None:
                    entry["diagnostics"] += error_entry(rr.file, rr.line, None, [extra[0]])[
                        "diagnostics"
                    ]
                new.reject(rr.raw, entry)
            elif extra is not None:
                new.reject(rr.raw, error_entry(rr.file, rr.line, extra[1], [extra[0]]))
            else:
                new.accept(rr.raw)
                if len(new.accepted) >= ROWS:
                    new.flush()
        new.flush()
        new.close()
        for name, path in new.partials.items():
            os.replace(path, old.partials[name])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _reread_full(
    self: Engine, sources: list[Source], spool: Path
) -> Iterator[tuple[int, RawRecord]]:
    seq = 0
    for src in sources:
        if src.format == "jsonl":
            for line, raw, _ in _lines(src, self.opts.max_line_bytes, spool):
                yield seq, RawRecord(src.display, line, raw, None)
                seq += 1
        else:
            for rr in _rows(self, src):
                yield seq, rr
                seq += 1


def _lines(src: Source, cap: int, spool: Path | None = None) -> Iterator[tuple[int, bytes, bool]]:
    """``(line, bytes with the newline, is an unterminated last line)``; a line over
    ``cap`` is a ``LongLine`` (kept in ``spool`` when given)."""
    raw_file, f = src.open()
    with raw_file, f:
        n = 0
        for lines in blocks(f, cap, spool):
            for line in lines:
                n += 1
                yield n, line, not line.endswith(b"\n")
