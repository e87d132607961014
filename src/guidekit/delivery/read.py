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


def read_jsonl(path: Path, file: str) -> Iterator[RawRecord]:
    with _open_binary(path) as f:
        line_no = 0
        pending = f.readline()
        while pending:
            nxt = f.readline()
            line_no += 1
            yield parse_line(pending, file, line_no, last=not nxt)
            pending = nxt


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
