"""Read a delivery file into :class:`RawRecord` objects, one per line or row, streaming.

Native delivery formats: JSON Lines (``.jsonl``, ``.ndjson``, also gzip-compressed ``.gz``),
CSV (one column per task, structured values JSON-encoded) and Parquet (through ``pyarrow``,
the ``parquet`` extra). A record keeps its exact input bytes (``raw``) so that a split of a
delivery into accepted and rejected files reproduces every line unchanged. A line that cannot
be read (bad JSON, bad UTF-8, a byte order mark, NaN, a truncated last line) becomes a record
with ``data=None`` (or the salvaged data) and an ``error`` diagnostic -- never an exception.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from guidekit import ir, tasktypes
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.errors import GuidekitError
from guidekit.tasktypes._delivery_fast import boolean_cell, number_cell

FORMATS = ("jsonl", "csv", "parquet")
BOM = b"\xef\xbb\xbf"
#: A run of digits long enough to be an integer outside the 64-bit range (19 digits reach
#: below -2**63, 20 digits above 2**64 - 1). Lines the full checker reads that hold one are
#: parsed exactly.
LONG_DIGITS = re.compile(rb"\d{19}")


@dataclass(slots=True)
class RawRecord:
    """One record as read: where it came from, its exact bytes, its data or its error."""

    file: str
    line: int
    raw: bytes
    data: dict[str, Any] | None
    error: Diagnostic | None = None

    @property
    def location(self) -> Location:
        return Location(self.file, self.line)


def detect_format(path: str | os.PathLike[str]) -> str:
    name = str(path).lower()
    if name.endswith(".gz"):
        name = name[:-3]
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if name.endswith((".csv", ".tsv")):
        return "csv"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    raise GuidekitError(
        diag(
            "GK507",
            "cannot tell the delivery format from the file name",
            Location(str(path)),
            hint="pass --format jsonl|csv|parquet",
        )
    )


def _open_binary(path: Path) -> IO[bytes]:
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        # GzipFile reads like IO[bytes]; typeshed derives it from BufferedIOBase only
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def parse_line(
    raw: bytes, file: str, line: int, *, last: bool = False, first: bool | None = None
) -> RawRecord:
    """Parse one JSON Lines line (with or without its newline); ``first`` says whether it
    starts the file (where a BOM is tolerated), by default when ``line`` is 1."""
    body = raw.rstrip(b"\r\n")
    loc = Location(file, line)
    error: Diagnostic | None = None
    if (line == 1 if first is None else first) and body.startswith(BOM):
        body = body[len(BOM) :]
        error = diag(
            "GK504",
            "line starts with a UTF-8 byte order mark",
            loc,
            hint="save the file as UTF-8 without BOM",
        )
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        return RawRecord(file, line, raw, None, _json_error(body, exc, loc, last, raw))
    if LONG_DIGITS.search(body) is not None:
        # orjson reads integers beyond 64 bits as rounded floats; the fast path's msgspec
        # keeps them exact, and so must this path for both to give the same verdict
        exact = _exact(body)
        if exact is not None:
            data = exact
    if error is None and isinstance(data, dict) and _key_count(data) != len(KEY_END.findall(body)):
        error = _duplicate_key(body, loc)
    if not isinstance(data, dict):
        kind = {
            list: "an array",
            str: "a string",
            int: "a number",
            float: "a number",
            bool: "a boolean",
            type(None): "null",
        }.get(type(data), "not an object")
        return RawRecord(
            file, line, raw, None, diag("GK503", f"record is {kind}, not a JSON object", loc)
        )
    return RawRecord(file, line, raw, data, error)


class _Duplicate(Exception):
    pass


#: The end of a key: its closing quote and the colon. Every key of the text matches (strings
#: that contain ``":`` match too), so when the parsed objects hold as many keys as there are
#: matches, no key was repeated and the slow check (``_duplicate_key``) is not needed.
KEY_END = re.compile(rb'"[ \t\r\n]*:')


def _key_count(data: Any) -> int:
    """Keys of every object in ``data`` (iterative: records may nest deeply; orjson makes
    exact dicts and lists)."""
    count, stack = 0, [data]
    while stack:
        node = stack.pop()
        children = node.values() if type(node) is dict else node
        if type(node) is dict:
            count += len(node)
        stack += [v for v in children if type(v) is dict or type(v) is list]
    return count


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Duplicate(key)
            seen.add(key)
    return out


def _duplicate_key(body: bytes, loc: Location) -> Diagnostic | None:
    """GK550 when an object of the line repeats a key (JSON parsers keep the last one
    silently, so the record would not be what was written)."""
    try:
        json.loads(body, object_pairs_hook=_no_duplicates)
    except _Duplicate as exc:
        key = str(exc.args[0])
        return diag(
            "GK550",
            f"key '{key}' appears twice in one object of the record",
            loc,
            hint="JSON readers disagree on which value wins; write each key once",
        )
    except (ValueError, RecursionError):
        return None
    return None


def _exact(body: bytes) -> Any:
    """The line parsed with exact integers (None when Python's parser refuses it)."""
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def _json_error(
    body: bytes, exc: orjson.JSONDecodeError, loc: Location, last: bool, raw: bytes
) -> Diagnostic:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as uexc:
        return diag(
            "GK502",
            f"invalid UTF-8 byte 0x{body[uexc.start]:02x} at column "
            f"{len(body[: uexc.start].decode('utf-8', 'replace')) + 1}",
            Location(loc.file, loc.line, len(body[: uexc.start].decode("utf-8", "replace")) + 1),
        )
    if not text.strip():
        return diag("GK501", "empty line", loc, hint="remove blank lines")
    if "number is infinity" in str(exc):
        return diag(
            "GK506",
            "a number is too large for a 64-bit float (it would be infinite)",
            Location(loc.file, loc.line, getattr(exc, "colno", None) or None),
            hint="write null, or a finite number",
        )
    for token in ("NaN", "Infinity"):
        if token in text:
            try:
                import json

                json.loads(text)
                return diag(
                    "GK506",
                    f"{token} is not valid JSON",
                    loc,
                    hint="write null, or a finite number",
                )
            except (ValueError, RecursionError):  # nested deeper than json can follow
                pass
    if last and not raw.endswith(b"\n"):
        return diag(
            "GK505",
            "the last line is cut off (no newline and not complete JSON)",
            loc,
            hint="the file may have been truncated in transfer",
        )
    column = getattr(exc, "colno", None)
    msg = exc.msg if hasattr(exc, "msg") else str(exc)
    return diag(
        "GK501", f"malformed JSON: {msg}", Location(loc.file, loc.line, column if column else None)
    )


#: bytes of whole lines :func:`read_jsonl` parses at a time
JSONL_BLOCK = 1 << 20
_DIGITS_TO_0 = bytes.maketrans(b"123456789", b"000000000")
_DIGITS_19 = b"0" * 19  # LONG_DIGITS, once every digit is a 0
_QUOTE_SPACE = (b'" ', b'"\t', b'"\r', b'"\n')


def read_jsonl(path: Path, file: str) -> Iterator[RawRecord]:
    """Every line as :func:`parse_line` reads it. Lines come in blocks of about
    ``JSONL_BLOCK`` bytes; a block whose every line is a JSON object with no repeated key,
    no 19-digit number and no byte order mark (the common case) is parsed in one list
    comprehension, and any other block line by line through :func:`parse_line`: the same
    records and diagnostics, at about a third of the cost per line."""
    with _open_binary(path) as f:
        line_no = 0
        pending = f.readlines(JSONL_BLOCK)
        while pending:
            nxt = f.readlines(JSONL_BLOCK)
            data = _parse_block(pending, first=line_no == 0)
            if data is None:
                for i, raw in enumerate(pending, 1):
                    last = not nxt and i == len(pending)
                    yield parse_line(raw, file, line_no + i, last=last)
            else:
                for i, (raw, d) in enumerate(zip(pending, data, strict=True), 1):
                    yield RawRecord(file, line_no + i, raw, d)
            line_no += len(pending)
            pending = nxt


#: Lines a columnar read parses at once (one ``orjson`` call on a JSON array of them).
BULK_LINES = 65_536
#: Bytes a columnar read takes from the file at a time (then cut after its last whole line),
#: so that memory stays bounded by the block, not the file.
BULK_BYTES = 1 << 24


def read_jsonl_blocks(path: Path, file: str) -> Iterator[list[dict[str, Any] | RawRecord]]:
    """The lines of a JSON Lines file in order, in blocks: the parsed object of a line the
    bulk reader proves is an ordinary record, else the line's :class:`RawRecord` from
    :func:`parse_line` (the same record :func:`read_jsonl` gives; line numbers are
    positions in the file, from 1).

    Blocks of lines are parsed as one JSON array (a line that is not exactly one value
    makes the block fail; its halves are tried, down to runs of 16 lines). A parsed line is
    yielded as is only when it is an object, holds no object nested in it (one ``{``), has
    as many keys as key ends (so no key repeats), has no colon after white space (the
    key-end count would miss it) and no run of 19 digits (orjson rounds integers beyond 64
    bits); line 1 always takes the per-line path (a byte order mark). Every other line is
    read by :func:`parse_line`, as before."""
    with _open_binary(path) as f:
        first = 1
        pending = b""
        while True:
            data = f.read(BULK_BYTES)
            buf = pending + data
            if data:
                cut = buf.rfind(b"\n") + 1
                if not cut:  # no line ends in this read yet
                    pending = buf
                    continue
                buf, pending = buf[:cut], buf[cut:]
            if buf:
                yield from _read_buffer(buf, file, first, at_end=not data)
                first += buf.count(b"\n") + (not buf.endswith(b"\n"))
            if not data:
                return


def _read_buffer(
    buf: bytes, file: str, first: int, *, at_end: bool
) -> Iterator[list[dict[str, Any] | RawRecord]]:
    """:func:`read_jsonl_blocks` on whole lines of a file, the first of them line ``first``
    (``at_end``: the last of them ends the file)."""
    import numpy as np

    arr = np.frombuffer(buf, dtype=np.uint8)
    ends = np.flatnonzero(arr == 10)
    if not buf.endswith(b"\n"):
        ends = np.append(ends, len(buf))
    n = len(ends)
    starts = np.empty(n, dtype=np.int64)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1

    def slow(i: int) -> RawRecord:
        raw = buf[int(starts[i]) : int(ends[i]) + 1]
        return parse_line(raw, file, first + i, last=at_end and i == n - 1)

    for lo in range(0, n, BULK_LINES):
        hi = min(n, lo + BULK_LINES)
        a, b = int(starts[lo]), int(ends[hi - 1])
        chunk = arr[a:b]
        line_ends = ends[lo:hi] - a
        colons = np.flatnonzero(chunk == 58)
        before = chunk[colons - 1] if len(colons) else chunk[:0]
        if len(colons) and colons[0] == 0:
            before[0] = 0
        key_ends = np.bincount(np.searchsorted(line_ends, colons[before == 34]), minlength=hi - lo)
        unsafe = np.zeros(hi - lo, dtype=bool)
        spaced = colons[(before == 32) | (before == 9) | (before == 13)]
        unsafe[np.searchsorted(line_ends, spaced)] = True
        braces = np.searchsorted(line_ends, np.flatnonzero(chunk == 123))
        unsafe |= np.bincount(braces, minlength=hi - lo) != 1
        # a run of 19 digits holds an aligned block of 10: lines with such a block are
        # checked exactly (LONG_DIGITS), the others cannot hold a long integer
        digit = (chunk - 48) < 10
        tail = len(digit) % 10
        blocks = np.flatnonzero(digit[: len(digit) - tail].reshape(-1, 10).all(axis=1))
        for j in set(np.searchsorted(line_ends, blocks * 10).tolist()):
            s0 = int(starts[lo + j])
            if LONG_DIGITS.search(buf, s0, int(ends[lo + j])) is not None:
                unsafe[j] = True
        if lo == 0 and first == 1:
            unsafe[0] = True
        parsed = _bulk(buf, starts, ends, lo, hi)
        if set(map(type, parsed)) == {dict}:
            sizes = np.fromiter(map(len, parsed), dtype=np.int64, count=hi - lo)
        else:  # -1 never equals a count of key ends
            mixed = (len(x) if type(x) is dict else -1 for x in parsed)
            sizes = np.fromiter(mixed, dtype=np.int64, count=hi - lo)
        unsafe |= sizes != key_ends
        for j in np.flatnonzero(unsafe).tolist():
            parsed[j] = slow(lo + j)
        yield parsed


def _bulk(buf: bytes, starts: Any, ends: Any, lo: int, hi: int) -> list[Any]:
    """Lines ``lo:hi`` parsed as one JSON array; where that fails, halves of it, down to
    runs of 16 lines that are left to the per-line reader (``None``: a line that reads as
    JSON ``null`` goes there too, as does any value that is not an object)."""
    try:
        parsed = orjson.loads(
            b"[" + buf[int(starts[lo]) : int(ends[hi - 1])].replace(b"\n", b",") + b"]"
        )
    except orjson.JSONDecodeError:
        parsed = None
    if type(parsed) is list and len(parsed) == hi - lo:
        return parsed
    if hi - lo <= 16:
        return [None] * (hi - lo)
    mid = (lo + hi) // 2
    return _bulk(buf, starts, ends, lo, mid) + _bulk(buf, starts, ends, mid, hi)


def _parse_block(lines: list[bytes], *, first: bool) -> list[dict[str, Any]] | None:
    """The objects of ``lines`` when :func:`parse_line` would read each one as an object
    without a diagnostic, else ``None`` (the caller then parses line by line)."""
    joined = b"".join(lines)
    # LONG_DIGITS and KEY_END scan a MB slowly in ``re``; bytes methods find the same
    if (first and joined.startswith(BOM)) or _DIGITS_19 in joined.translate(_DIGITS_TO_0):
        return None
    try:
        data = [orjson.loads(line) for line in lines]
    except orjson.JSONDecodeError:
        return None
    if any(type(d) is not dict for d in data):
        return None
    # every key ends in a KEY_END match, so the parsed keys equal the matches line by line
    # exactly when they do in sum: then no line repeats a key (as parse_line checks)
    keys = joined.count(b'":')  # KEY_END's matches, unless a quote is followed by space
    if any(space in joined for space in _QUOTE_SPACE):
        keys = len(KEY_END.findall(joined))
    if sum(map(len, data)) != keys and sum(map(_key_count, data)) != keys:
        return None
    return data


def _csv_input(f: ir.InputField | None, value: str) -> Any:
    """An input field's cell: numbers, booleans and image objects are typed."""
    if value == "":
        return None
    if f is None:
        return value
    if f.type in ("integer", "number"):
        return number_cell(value)
    if f.type == "boolean":
        return boolean_cell(value)
    if f.type == "image" and value.startswith("{"):
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            return value
    return value


class _Lines:
    """Feeds a binary file to :mod:`csv` line by line, keeping each row's exact bytes and
    noting lines that are not UTF-8."""

    def __init__(self, f: IO[bytes]) -> None:
        self.f = f
        self.raw: list[bytes] = []
        self.bad: int | None = None  # first undecodable line of the current row
        self.line = 0

    def __iter__(self) -> Iterator[str]:
        for raw in self.f:
            self.line += 1
            self.raw.append(raw)
            if self.line == 1 and raw.startswith(BOM):
                raw = raw[len(BOM) :]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                if self.bad is None:
                    self.bad = self.line
                yield raw.decode("utf-8", "replace")

    def take(self) -> tuple[bytes, int | None]:
        raw, bad = b"".join(self.raw), self.bad
        self.raw.clear()
        self.bad = None
        return raw, bad


def read_csv(path: Path, file: str, guideline: ir.Guideline | None) -> Iterator[RawRecord]:
    """CSV: a header row, then one row per record, streamed. Structured task values are
    JSON; input fields and the unresolved flag are typed by their declaration."""
    tasks = guideline.tasks if guideline is not None else {}
    #: each task column's cell reader, asked of its type once
    cells = {tid: tasktypes.of(task).csv_cell for tid, task in tasks.items()}
    fields = guideline.record.fields if guideline is not None else {}
    meta = guideline.delivery.metadata if guideline is not None else None
    flag = meta.unresolved if meta is not None else "unresolved"
    name = str(path).lower()
    dialect = "excel-tab" if name.removesuffix(".gz").endswith(".tsv") else "excel"
    with _open_binary(path) as fb:
        lines = _Lines(fb)
        reader = csv.reader(lines, dialect=dialect)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise GuidekitError(
                diag("GK508", f"unreadable CSV header: {exc}", Location(file, 1))
            ) from None
        _, bad = lines.take()
        if bad is not None:
            raise GuidekitError(diag("GK502", "the CSV header is not UTF-8", Location(file, 1)))
        while True:
            start_line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raw, _ = lines.take()
                yield RawRecord(
                    file,
                    start_line,
                    raw,
                    None,
                    diag("GK508", f"unreadable CSV row: {exc}", Location(file, start_line)),
                )
                continue
            raw, bad = lines.take()
            if not row:
                continue
            loc = Location(file, start_line)
            if bad is not None:
                yield RawRecord(
                    file,
                    start_line,
                    raw,
                    None,
                    diag("GK502", "the row is not UTF-8", Location(file, bad)),
                )
                continue
            if len(row) != len(header):
                yield RawRecord(
                    file,
                    start_line,
                    raw,
                    None,
                    diag("GK508", f"row has {len(row)} columns, the header has {len(header)}", loc),
                )
                continue
            record: dict[str, Any] = {}
            error = None
            for col, cell in zip(header, row, strict=True):
                try:
                    if col == flag:
                        record[col] = {"true": True, "false": False, "": None}.get(
                            cell.lower(), cell
                        )
                    elif col in cells:
                        record[col] = None if cell == "" else cells[col](cell)
                    else:
                        record[col] = _csv_input(fields.get(col), cell)
                except orjson.JSONDecodeError as exc:
                    error = diag(
                        "GK508",
                        f"column '{col}' is not valid JSON: {exc.msg}",
                        loc,
                        hint="structured values (lists, objects) are JSON-encoded in CSV",
                    )
                    break
            yield RawRecord(file, start_line, raw, None if error else record, error)


#: rows per Parquet batch: memory follows this, not the row-group size
PARQUET_ROWS = 1024


def read_parquet(path: Path, file: str) -> Iterator[RawRecord]:
    """Parquet, row by row (the reference the column-wise reader of :mod:`.columnar`
    matches), in batches of a bounded number of rows whatever the row-group size."""
    row_no = 0
    for batch in parquet_batches(open_parquet(path, file)):
        for row in batch.to_pylist():
            row_no += 1
            yield parquet_record(row, file, row_no)


def open_parquet(path: Path, file: str) -> Any:
    """The ``pyarrow.parquet.ParquetFile`` of a delivery (GK507 when it is none), read page
    by page: without ``pre_buffer`` a whole row group's column chunks would be held."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise GuidekitError(
            diag(
                "GK507",
                "reading Parquet needs pyarrow",
                Location(file),
                hint="pip install 'guidekit[parquet]'",
            )
        ) from None
    try:
        return pq.ParquetFile(path, pre_buffer=False, buffer_size=1 << 20)
    except Exception as exc:  # pyarrow raises several types for a bad file
        raise GuidekitError(
            diag("GK507", f"not a readable Parquet file: {exc}", Location(file))
        ) from None


def parquet_batches(pf: Any) -> Iterator[Any]:
    """The Arrow record batches of a Parquet file, :data:`PARQUET_ROWS` rows each."""
    yield from pf.iter_batches(batch_size=PARQUET_ROWS, use_threads=False)


def parquet_record(row: dict[str, Any], file: str, row_no: int) -> RawRecord:
    """One Parquet row as a record: text cells that start with ``[`` or ``{`` hold JSON
    (structured values written as text); one that is not valid JSON is GK508."""
    record: dict[str, Any] = {}
    error = None
    for k, v in row.items():
        if isinstance(v, str) and v[:1] in ("[", "{"):
            try:
                v = orjson.loads(v)
            except orjson.JSONDecodeError as exc:
                error = diag(
                    "GK508",
                    f"column '{k}' is not valid JSON: {exc.msg}",
                    Location(file, row_no),
                    hint="text that starts with '[' or '{' is read as a JSON value",
                )
                break
        record[k] = v
    raw = orjson.dumps(row, default=str) + b"\n"
    return RawRecord(file, row_no, raw, None if error else record, error)


#: A reader of another file format (a labelling tool's export): ``(path, guideline)`` to
#: native records located in the original file. The command line passes the readers of
#: :mod:`guidekit.bridges` (and plugins) down through ``readers=``; this layer knows only
#: the native formats.
ToolReader = Callable[[Path, "ir.Guideline | None"], Iterator[RawRecord]]


def read_records(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    guideline: ir.Guideline | None = None,
    display: str | None = None,
    readers: Mapping[str, ToolReader] | None = None,
) -> Iterator[RawRecord]:
    """Stream the records of one delivery file (or export folder, for a tool format).

    ``format`` is detected from the file name when not given. ``display`` is how locations
    spell the file (default: the path as given). ``readers`` reads formats other than the
    native ones. Raises :class:`GuidekitError` only when the file as a whole cannot be
    read; problems of single lines are attached to their records.
    """
    p = Path(path)
    name = display or str(path)
    if not p.exists():
        raise GuidekitError(diag("GK001", f"'{path}' does not exist", Location(name)))
    if readers and format is not None and format in readers:
        yield from readers[format](p, guideline)
        return
    if p.is_dir():
        raise GuidekitError(
            diag("GK507", f"'{path}' is a folder, not a delivery file", Location(name))
        )
    fmt = format or detect_format(p)
    if fmt == "jsonl":
        yield from read_jsonl(p, name)
    elif fmt == "csv":
        yield from read_csv(p, name, guideline)
    elif fmt == "parquet":
        yield from read_parquet(p, name)
    else:
        raise GuidekitError(
            diag(
                "GK507",
                f"unknown delivery format '{fmt}'",
                Location(name),
                hint=f"formats: {', '.join(FORMATS)}",
            )
        )
