"""Parquet read column by column, in batches of bounded size.

A Parquet delivery is read in Arrow record batches of ``read.PARQUET_ROWS`` rows, page by
page (:func:`.read.open_parquet`), so memory follows the batch, not the row-group size.
Each batch becomes records column by column: a column's values come out of Arrow in
one call, text cells that hold JSON (they start with ``[`` or ``{``) are found with one
vectorised match and only those are decoded, and the records are zipped together in C.
The records are exactly those the row reader (:func:`.read.parquet_record`, the
reference) makes of the same rows, so the fast path and the full checker see the same
data and the report does not depend on the reader.

With the fast path's decoders (:func:`decoders`), the JSON cells of a task column are
decoded by msgspec straight into the fast path's typed structs, which ``msgspec.convert``
then takes as they are -- what a JSON Lines line gets, rather than Python dicts converted
again; such a record is only ever vouched for by the fast path, and a record it does not
vouch for is made again by the reference (:func:`reference`) for the full checker. A
cell msgspec refuses, or one with an integer beyond 64 bits or a huge exponent (which
the row reader's orjson reads as a float), gets a value no struct takes.

A record's ``raw`` bytes are left empty: only a split writes them, and a run with
``--split`` reads by rows (:func:`.read.read_parquet`), as every run does with
``GUIDEKIT_PARQUET_ROWS=1`` (``stream.ROWS_SWITCH``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import repeat
from typing import TYPE_CHECKING, Any

import msgspec
import orjson

from guidekit.delivery.read import RawRecord, parquet_record

if TYPE_CHECKING:
    import pyarrow as pa


#: numbers orjson and msgspec may read differently (beyond 64 bits, or beyond a float)
ODD_NUMBER = r"\d{19}|[eE][+-]?\d{3}"


class _Refused:
    """A value no struct of the fast path takes (its record goes to the reference)."""


REFUSED = _Refused()

Decoder = Callable[[str], Any]


def decoders(record_type: type) -> dict[str, Decoder]:
    """Typed JSON decoders of the fast path's ``Record`` fields, by record key."""
    return {
        f.encode_name: msgspec.json.Decoder(f.type).decode
        for f in msgspec.structs.fields(record_type)
    }


def reference(batch: pa.RecordBatch, file: str, first: int, line: int) -> RawRecord:
    """The row reader's record of row ``line`` of ``file`` (``batch`` starts after row
    ``first``)."""
    return _one(batch.slice(line - first - 1, 1).to_pylist()[0], file, line)


def records(
    batch: pa.RecordBatch,
    file: str,
    first: int,
    typed: Mapping[str, Decoder] | None = None,
) -> list[RawRecord]:
    """The records of ``batch``, whose first row is row ``first + 1`` of ``file``; with
    ``typed``, JSON cells of those keys hold the fast path's structs (see above)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    names = batch.schema.names
    n = batch.num_rows
    if not n:
        return []
    if len(set(names)) != len(names):  # a row is a dict: the row reader says what it holds
        return [_one(row, file, first + i) for i, row in enumerate(batch.to_pylist(), 1)]
    columns: list[list[Any]] = []
    bad: set[int] = set()
    for name, col in zip(names, batch.columns, strict=True):
        values = col.to_pylist()
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            # nulls stay null: any() and indices_nonzero() skip them (and fill_null would
            # import pandas, 0.4 s and 40 MB)
            is_json = pc.or_(pc.starts_with(col, "["), pc.starts_with(col, "{"))
            if pc.any(is_json).as_py():
                idx = pc.indices_nonzero(is_json).to_pylist()
                dec = typed.get(name) if typed is not None else None
                if dec is None:
                    _decode(values, idx, bad)
                else:
                    odd = pc.match_substring_regex(col, ODD_NUMBER)
                    _typed(values, idx, dec, set(pc.indices_nonzero(odd).to_pylist()))
        columns.append(values)
    if names:
        dicts: Any = map(dict, map(zip, repeat(names), zip(*columns, strict=True)))
    else:
        dicts = (dict() for _ in range(n))
    out = list(map(_record, repeat(file), range(first + 1, first + n + 1), dicts))
    for i in sorted(bad):  # a cell that is not JSON: the reference names it
        out[i] = _one(batch.slice(i, 1).to_pylist()[0], file, first + i + 1)
    return out


def _record(file: str, line: int, data: dict[str, Any]) -> RawRecord:
    return RawRecord(file, line, b"", data)


def _one(row: dict[str, Any], file: str, line: int) -> RawRecord:
    rr = parquet_record(row, file, line)
    rr.raw = b""
    return rr


def _typed(values: list[Any], idx: list[int], dec: Decoder, odd: set[int]) -> None:
    for i in idx:
        try:
            values[i] = REFUSED if i in odd else dec(values[i])
        except (msgspec.MsgspecError, ValueError, TypeError, RecursionError):
            values[i] = REFUSED


def _decode(values: list[Any], idx: list[int], bad: set[int]) -> None:
    loads: Callable[[str], Any] = orjson.loads
    try:
        for i in idx:
            values[i] = loads(values[i])
    except orjson.JSONDecodeError:
        for i in idx:
            if isinstance(values[i], str):
                try:
                    values[i] = loads(values[i])
                except orjson.JSONDecodeError:
                    bad.add(i)
