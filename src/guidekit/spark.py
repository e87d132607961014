"""Validation of a delivery on Apache Spark: the partitions on the executors, the checks
across records once on the driver.

::

    from guidekit.spark import validate

    result = validate("s3://vendor-drop/batch-42/*.jsonl", "guidelines/support-tickets")
    result.report           # the Report `guidekit validate` writes for the same files
    result.findings         # a DataFrame: file, line, id, code, severity, message, pointer

The guideline travels to the executors as a :class:`~guidekit.delivery.Plan` (it pickles as
the IR; each Python worker rebuilds the generated decoder once). Each Spark partition is
validated by :meth:`~guidekit.delivery.Plan.check_partition` into a small
:class:`~guidekit.delivery.Partial` (counters, the first examples of each code, 8 bytes of
id fingerprint per record), and every diagnostic of a record becomes a row of the findings.
The partials are collected and merged by :func:`~guidekit.delivery.merge_partials` on the
driver: duplicate and expected ids, guideline versions, distributions, the acceptance
criteria and the verdict are computed over the whole delivery, never per partition. When
two records share an id fingerprint, only the partitions holding one are read again (one
Spark job over those partitions) to compare the ids exactly.

Two kinds of input:

- **files** (paths, globs, or URLs of object storage read through fsspec): guidekit cuts
  each JSON Lines file into byte ranges itself and reads every line with its newline, so
  line numbers and the report are exactly those of ``guidekit validate``; a gzip file is
  one partition;
- **a DataFrame** with one string column of JSON lines (``spark.read.text(...)`` gives
  ``value``): each row is a record, numbered in the DataFrame's order and reported under
  ``name``. Spark's text source drops the newlines; they are put back on every row, so a
  last line without a newline is not taken for a cut-off one (its only trace is lost).
  The DataFrame must give the same rows again when a partition is recomputed (a file scan
  does; cache it otherwise).

PySpark is imported only here (``pip install 'guidekit[spark]'``).
"""

from __future__ import annotations

import ast
import gzip
import os
import pickle
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from guidekit import ir
from guidekit.delivery.partial import Partial, Plan, merge_partials
from guidekit.delivery.read import detect_format
from guidekit.delivery.report import Report
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.errors import GuidekitError

if TYPE_CHECKING:
    from guidekit.delivery.stream import Engine

__all__ = ["FINDINGS_COLUMNS", "SparkResult", "session", "validate"]

#: bytes of a plain JSON Lines file per partition (as Spark's own
#: ``spark.sql.files.maxPartitionBytes`` default)
PARTITION_BYTES = 128 << 20
#: the columns of :attr:`SparkResult.findings`
FINDINGS_COLUMNS = ("file", "line", "id", "code", "severity", "message", "pointer")
_FINDINGS_DDL = (
    "file string, line long, id string, code string, severity string, "
    "message string, pointer string"
)
INSTALL = "pip install 'guidekit[spark]'"


class MissingSpark(Exception):
    """PySpark is not installed (a usage problem: exit 2)."""


@dataclass
class SparkResult:
    """What :func:`validate` found: the report of the whole delivery, and every
    diagnostic of a record as a row of ``findings`` (a Spark DataFrame, cached)."""

    report: Report
    findings: Any  # pyspark.sql.DataFrame
    partitions: int
    # how the records are read again (for the split): (file_index, part, n, file, line bytes)
    _records: Any = None
    _offsets: dict[tuple[int, int], int] | None = None

    def unpersist(self) -> None:
        self.findings.unpersist()


def _pyspark() -> Any:
    try:
        import pyspark.sql
    except ImportError:
        raise MissingSpark(f"--engine spark needs PySpark: {INSTALL}") from None
    return pyspark.sql


def session(master: str | None = None, *, app: str = "guidekit validate") -> Any:
    """The active Spark session, or a new one (``master`` such as ``local[2]``; without it,
    what ``spark-submit`` or ``SPARK_MASTER`` says, else ``local[*]``)."""
    sql = _pyspark()
    active = sql.SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    builder = sql.SparkSession.builder.appName(app).config("spark.ui.showConsoleProgress", "false")
    if master is not None:
        builder = builder.master(master)
    elif not (os.environ.get("SPARK_MASTER") or os.environ.get("PYSPARK_GATEWAY_PORT")):
        # neither spark-submit (which starts this process with a gateway) nor the
        # environment names a master: this machine
        builder = builder.master("local[*]")
    return builder.getOrCreate()


# -- the plan on the executors ---------------------------------------------------------------
class _Recording(Plan):
    """A plan whose engines keep every diagnostic of a record (with the record's id) as a
    finding, besides counting it."""

    def __init__(self, guideline: ir.Guideline, *, examples: int = 5) -> None:
        super().__init__(guideline, examples=examples)
        self.found: list[tuple[Diagnostic, Any]] = []

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self.found = []

    def engine(self) -> Engine:
        eng = super().engine()
        found = self.found = []
        count = eng.group
        record = eng._record
        key = eng.layout.id_key
        current: list[Any] = [None]

        def group(d: Diagnostic) -> None:
            found.append((d, current[0]))
            count(d)

        def one(rr: Any, n: int) -> None:
            value = rr.data.get(key) if isinstance(rr.data, dict) else None
            current[0] = value if isinstance(value, str | int) else None
            try:
                record(rr, n)
            finally:
                current[0] = None

        setattr(eng, "group", group)  # noqa: B010 - instance attributes over the methods
        setattr(eng, "_record", one)  # noqa: B010
        return eng


def _rows(found: Sequence[tuple[Diagnostic, Any]], file_index: int, part: int) -> Iterator[Any]:
    for d, value in found:
        loc = d.location
        yield (
            file_index,
            part,
            loc.file,
            loc.line,
            None if value is None else str(value),
            d.code,
            d.severity.value,
            d.message,
            loc.pointer,
        )


# -- files cut into byte ranges ------------------------------------------------------------
@dataclass(frozen=True)
class _Task:
    index: int  # the Spark partition
    file_index: int
    file: str
    part: int
    start: int
    end: int | None  # None: to the end (a gzip file, or a size the store does not tell)


def _expand(items: Sequence[str | os.PathLike[str]], jsonl: bool) -> list[str]:
    """The files of ``items``, each JSON Lines (by its name, unless ``jsonl`` says so)."""
    from guidekit.delivery.remote import expand, is_url

    out: list[str] = []
    for item in items:
        text = os.fspath(item)
        if is_url(text):
            out.extend(expand(text))
            continue
        if not os.path.exists(text):
            raise GuidekitError(diag("GK001", f"'{text}' does not exist", Location(text)))
        if os.path.isdir(text):
            why = f"'{text}' is a folder, not a delivery file"
            raise GuidekitError(diag("GK507", why, Location(text)))
        out.append(text)
    for file in [] if jsonl else out:
        if detect_format(file) != "jsonl":
            why = f"'{file}' is not JSON Lines: Spark validation reads JSON Lines only"
            raise GuidekitError(diag("GK507", why, Location(file)))
    return out


def _open(file: str) -> IO[bytes]:
    from guidekit.delivery.remote import is_url, open_url

    f: IO[bytes] = open_url(file) if is_url(file) else open(file, "rb")  # noqa: SIM115
    if f.peek(2)[:2] == b"\x1f\x8b" if hasattr(f, "peek") else False:
        return gzip.GzipFile(fileobj=f, mode="rb")  # type: ignore[return-value]
    return f


def _size(file: str) -> int | None:
    from guidekit.delivery.remote import is_url
    from guidekit.delivery.remote import size as url_size

    if is_url(file):
        return url_size(file)
    return os.path.getsize(file)


def _gzip(file: str) -> bool:
    if file.endswith((".gz", ".gzip")):
        return True
    from guidekit.delivery.remote import is_url

    if is_url(file):
        return False
    with open(file, "rb") as f:
        return f.read(2) == b"\x1f\x8b"


def _tasks(files: Sequence[str], partition_bytes: int) -> list[_Task]:
    tasks: list[_Task] = []
    for fi, file in enumerate(files):
        size = None if _gzip(file) else _size(file)
        if size is None or size <= partition_bytes:
            tasks.append(_Task(len(tasks), fi, file, 0, 0, None))
            continue
        for part, start in enumerate(range(0, size, partition_bytes)):
            end = start + partition_bytes
            tasks.append(_Task(len(tasks), fi, file, part, start, None if end >= size else end))
    return tasks


def _lines(task: _Task) -> Iterator[bytes]:
    """The lines (with their newlines) that start in the task's byte range."""
    with _open(task.file) as f:
        pos = task.start
        if pos:
            f.seek(pos - 1)
            pos += len(f.readline()) - 1  # the line under way belongs to the range before
        if task.end is None:
            yield from f
            return
        for line in f:
            if pos >= task.end:
                return
            pos += len(line)
            yield line


class _Counted:
    """The lines of a partition, counted as they are read."""

    def __init__(self, lines: Iterator[bytes]) -> None:
        self.lines = lines
        self.n = 0

    def __iter__(self) -> Iterator[bytes]:
        for line in self.lines:
            self.n += 1
            yield line


def _why(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "the gzip stream ends before its end marker (the file was cut off)"
    if isinstance(exc, (zlib.error, gzip.BadGzipFile)):
        return f"the gzip stream is corrupt ({exc})"
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def _check(
    plan: _Recording, lines: Iterable[bytes], file: str, part: int, file_index: int
) -> Iterator[Any]:
    """The partial result of one partition, then its findings (lines from the partition's
    first)."""
    partial = plan.check_partition(lines, file=file, part=part, file_index=file_index)
    yield ("partial", pickle.dumps(partial))
    for row in _rows(plan.found, file_index, part):
        yield ("finding", row)


# -- the driver ------------------------------------------------------------------------------
def _as_plan(guideline: ir.Guideline | Plan | str | os.PathLike[str], examples: int) -> _Recording:
    if isinstance(guideline, Plan):
        return _Recording(guideline.guideline, examples=guideline.examples)
    if isinstance(guideline, ir.Guideline):
        return _Recording(guideline, examples=examples)
    from guidekit.compiler.pipeline import load

    return _Recording(load(guideline), examples=examples)


def validate(
    source: Any,
    guideline: ir.Guideline | Plan | str | os.PathLike[str],
    *,
    spark: Any = None,
    examples: int = 5,
    partition_bytes: int = PARTITION_BYTES,
    column: str = "value",
    name: str = "<dataframe>",
    split: str | os.PathLike[str] | None = None,
    jsonl: bool = False,
) -> SparkResult:
    """Validate a JSON Lines delivery on Spark. ``source`` is a path, URL or glob (or a
    list of them: JSON Lines by their names, ``.jsonl``, ``.ndjson``, ``.json``, gzip or
    not, or any name with ``jsonl=True``), or a DataFrame whose ``column`` holds one JSON
    record per row;
    ``guideline`` an IR, a :class:`~guidekit.delivery.Plan` or a project folder.

    With ``split`` (a folder, local or any URL Spark writes to), the records are written
    again as Parquet: ``accepted.parquet`` and ``rejected.parquet`` (columns ``file``,
    ``line``, ``record``: the line's exact bytes, its newline included) and
    ``findings.parquet`` (why each rejected record was rejected)."""
    sql = _pyspark()
    plan = _as_plan(guideline, examples)
    if isinstance(source, sql.DataFrame):
        spark = spark or source.sparkSession
        result = _validate_frame(spark, plan, source, column, name)
    else:
        spark = spark or session()
        items = [source] if isinstance(source, str | os.PathLike) else list(source)
        result = _validate_files(spark, plan, _expand(items, jsonl), partition_bytes)
    if split is not None:
        write_split(spark, result, os.fspath(split))
    return result


def _validate_files(
    spark: Any, plan: _Recording, files: list[str], partition_bytes: int
) -> SparkResult:
    sc = spark.sparkContext
    tasks = _tasks(files, partition_bytes)
    shipped = sc.broadcast(plan)

    def run(it: Iterable[_Task]) -> Iterator[Any]:
        for t in it:
            read = _Counted(_lines(t))
            try:
                yield from _check(shipped.value, read, t.file, t.part, t.file_index)
            except (OSError, EOFError, zlib.error) as exc:
                yield ("failed", (t.file_index, t.part, t.file, read.n, _why(exc)))

    rdd = sc.parallelize(tasks, max(len(tasks), 1))
    out = rdd.mapPartitions(run).persist()
    by_key = {(t.file_index, t.part): t for t in tasks}

    def reread(file: str, part: int) -> list[bytes]:
        fi = files.index(file)
        return list(_lines(by_key[(fi, part)]))

    def records(it: Iterable[_Task]) -> Iterator[Any]:
        for t in it:
            for n, line in enumerate(_lines(t), 1):
                yield (t.file_index, t.part, n, t.file, line)

    result = _finish(spark, plan, out, reread, len(tasks))
    result._records = rdd.mapPartitions(records)
    return result


def _validate_frame(spark: Any, plan: _Recording, df: Any, column: str, name: str) -> SparkResult:
    if column not in df.columns:
        raise ValueError(f"the DataFrame has no column {column!r} (it has {df.columns})")
    sc = spark.sparkContext
    shipped = sc.broadcast(plan)
    rows = df.select(column).rdd

    def lines(it: Iterable[Any]) -> Iterator[bytes]:
        for row in it:
            text = row[0]
            if text is not None:
                yield text.encode("utf-8", "surrogatepass") + b"\n"

    def run(index: int, it: Iterable[Any]) -> Iterator[Any]:
        yield from _check(shipped.value, lines(it), name, index, 0)

    out = rows.mapPartitionsWithIndex(run).persist()

    def reread(file: str, part: int) -> list[bytes]:
        return sc.runJob(rows, lambda it: list(lines(it)), [part])  # type: ignore[no-any-return]

    def records(index: int, it: Iterable[Any]) -> Iterator[Any]:
        for n, line in enumerate(lines(it), 1):
            yield (0, index, n, name, line)

    result = _finish(spark, plan, out, reread, rows.getNumPartitions())
    result._records = rows.mapPartitionsWithIndex(records)
    return result


def _finish(
    spark: Any,
    plan: _Recording,
    out: Any,
    reread: Callable[[str, int], Iterable[bytes]],
    partitions: int,
) -> SparkResult:
    results = out.filter(lambda r: r[0] != "finding").collect()
    partials: list[Partial] = [pickle.loads(p) for kind, p in results if kind == "partial"]
    failed = sorted(p for kind, p in results if kind == "failed")
    if failed:
        out.unpersist()
        fi, part, file, n, why = failed[0]
        n += sum(p.lines for p in partials if p.file_index == fi and p.part < part)
        where = f"after line {n:,}" if n else "at the start"
        raise GuidekitError(
            diag(
                "GK507",
                f"reading stopped {where}: {why}",
                Location(file, n + 1 if n else None),
                hint="run again, or ask for the file again if it fails the same way",
            )
        )
    report = merge_partials(plan, partials, reread=reread)
    late = list(_rows(plan.found, -1, -1))  # the duplicates, named by the merge
    offsets: list[tuple[int, int, int]] = []
    by_file: dict[int, int] = {}
    for p in sorted(partials, key=lambda p: p.key):
        offsets.append((p.file_index, p.part, by_file.get(p.file_index, 0)))
        by_file[p.file_index] = by_file.get(p.file_index, 0) + p.lines
    shift = {(fi, part): off for fi, part, off in offsets}
    sc = spark.sparkContext
    moves = sc.broadcast(shift)

    def located(row: Any) -> Any:
        fi, part, file, line, *rest = row
        if line is not None and fi >= 0:
            line += moves.value[(fi, part)]
        return (file, line, *rest)

    findings_rdd = out.filter(lambda r: r[0] == "finding").map(lambda r: located(r[1]))
    late_rows = [located(_with_id(r)) for r in late]
    if late_rows:
        findings_rdd = findings_rdd.union(sc.parallelize(late_rows, 1))
    findings = spark.createDataFrame(findings_rdd, _FINDINGS_DDL).persist()
    findings.count()  # kept now, while the partitions' results are still cached
    out.unpersist()
    return SparkResult(report, findings, partitions, None, shift)


def write_split(spark: Any, result: SparkResult, out: str) -> None:
    """Write the accepted and rejected records of ``result`` as Parquet under ``out``
    (a record is rejected when it has a finding of severity error)."""
    assert result._records is not None and result._offsets is not None
    sc = spark.sparkContext
    moves = sc.broadcast(result._offsets)

    def located(row: Any) -> Any:
        fi, part, n, file, line = row
        return (fi, file, n + moves.value[(fi, part)], bytearray(line))

    records = spark.createDataFrame(
        result._records.map(located), "file_index long, file string, line long, record binary"
    )
    errors = (
        result.findings.where("severity = 'error' AND line IS NOT NULL")
        .select("file", "line")
        .distinct()
    )
    order = ["file_index", "line"]
    for kind, how in (("accepted", "left_anti"), ("rejected", "left_semi")):
        part = records.join(errors, ["file", "line"], how).orderBy(*order).drop("file_index")
        part.write.mode("overwrite").parquet(f"{out.rstrip('/')}/{kind}.parquet")
    result.findings.write.mode("overwrite").parquet(f"{out.rstrip('/')}/findings.parquet")


def _with_id(row: Any) -> Any:
    """A duplicate named by the merge: its id is in its message (``id 'x' was ...``)."""
    fi, part, file, line, value, code, *rest = row
    message = rest[1]
    if value is None and code == "GK542" and message.startswith("id "):
        try:
            value = str(ast.literal_eval(message[3 : message.index(" was already used")]))
        except (ValueError, SyntaxError):
            value = None
    return (fi, part, file, line, value, code, *rest)
