"""Validate a whole delivery, streaming: every record, then the cross-record checks.

Pass 1 reads each file in 1 MiB blocks and hands the lines to the generated hot loop
(:mod:`._fast`): clean records are counted and their id fingerprints stored
(:mod:`.ids`); every other line goes to :meth:`Engine.slow`, which reads it with the
tolerant reader (:func:`.read.parse_line`) and the full checker. Memory holds one block, the
report's counters and the first examples of each code -- never the records.

Pass 2 runs only when two records share an id fingerprint: it re-reads the delivery, names
the duplicates with their lines (confirming them exactly), and with ``--split`` re-routes the
later occurrences into the rejected files.
"""

from __future__ import annotations

import gzip
import os
import shutil
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import orjson

from guidekit import ir
from guidekit.delivery import criteria
from guidekit.delivery._lines import DEFAULT_MAX_LINE_BYTES, LongLine, blocks, size
from guidekit.delivery.check import is_id
from guidekit.delivery.files import Source
from guidekit.delivery.ids import Expected, IdLedger, fingerprint, iter_expected
from guidekit.delivery.read import (
    FORMATS,
    RawRecord,
    ToolReader,
    detect_format,
    parse_line,
    read_records,
)
from guidekit.delivery.remote import expand, is_url
from guidekit.delivery.report import CodeGroup, Report
from guidekit.delivery.split import SplitWriter, error_entry
from guidekit.delivery.validator import RecordValidator
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location, Severity
from guidekit.diagnostics.pointer import escape as esc
from guidekit.errors import GuidekitError

ROWS = 4096
#: set (to anything) to read Parquet row by row, the reference (tests, debugging)
ROWS_SWITCH = "GUIDEKIT_PARQUET_ROWS"
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class Progress(Protocol):
    def start(self, label: str, total: int | None) -> None: ...
    def update(self, done: int) -> None: ...
    def stop(self) -> None: ...


@dataclass
class Options:
    format: str | None = None
    expect: str | os.PathLike[str] | None = None
    max_errors: int | None = None
    split_dir: str | os.PathLike[str] | None = None
    examples: int = 5
    progress: Progress | None = None
    tmpdir: str | None = None
    jobs: int = 1  # processes for large JSON Lines files (see _parallel)
    fast: bool = True  # False: every record through the full checker (tests, debugging)
    #: a longer JSON Lines line is rejected unread (GK551), see ``_lines``
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    #: readers of tool exports, by format name (see ``read.read_records``)
    readers: Mapping[str, ToolReader] | None = None


class _Stop(Exception):
    pass


def _sources(
    items: Sequence[Any], fmt: str | None, readers: Mapping[str, ToolReader] | None = None
) -> list[Source]:
    out = []
    for item in items:
        if is_url(item):
            if readers and fmt is not None and fmt in readers:
                raise GuidekitError(
                    diag(
                        "GK507",
                        f"a {fmt} export is read from local files only",
                        Location(item),
                        hint="copy the export to a local folder first",
                    )
                )
            for url in expand(item):
                found = fmt or detect_format(url)
                if found != "jsonl":
                    raise GuidekitError(
                        diag(
                            "GK507",
                            f"'{url}': {found} deliveries are read from local files only; "
                            "JSON Lines (gzip or not) streams from a store",
                            Location(url),
                        )
                    )
                out.append(Source(url, found, url=url))
            continue
        if isinstance(item, (str, os.PathLike)):
            path = Path(item)
            if not path.exists():
                raise GuidekitError(diag("GK001", f"'{item}' does not exist", Location(str(item))))
            if readers and fmt is not None and fmt in readers:  # a tool export: file or folder
                out.append(Source(str(item), fmt, path=path))
                continue
            if path.is_dir():
                raise GuidekitError(
                    diag("GK507", f"'{item}' is a folder, not a delivery file", Location(str(item)))
                )
            if not path.is_file():
                # a device (/dev/zero), FIFO or socket would be read forever or block
                raise GuidekitError(
                    diag(
                        "GK507",
                        f"'{item}' is not a regular file (a device, FIFO or socket)",
                        Location(str(item)),
                        hint="copy the delivery into a file first",
                    )
                )
            out.append(Source(str(item), fmt or detect_format(path), path=path))
        else:
            records = item if isinstance(item, Sequence) else list(item)
            out.append(Source("<records>", "records", records=records))
    return out


def _with_line(rr: RawRecord) -> RawRecord:
    if rr.raw or rr.data is None:
        return rr
    return RawRecord(rr.file, rr.line, orjson.dumps(rr.data) + b"\n", rr.data, rr.error)


def _unreadable(src: Source, lines: int, exc: BaseException) -> GuidekitError:
    """A delivery file that fails while it is read: a corrupt or truncated gzip stream, an
    I/O error. The lines before it were read; the run stops here (exit 1, never a trace)."""
    if isinstance(exc, EOFError):
        why = "the gzip stream ends before its end marker (the file was cut off)"
    elif isinstance(exc, (zlib.error, gzip.BadGzipFile)):
        why = f"the gzip stream is corrupt ({exc})"
    else:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return GuidekitError(
        diag(
            "GK507",
            f"reading stopped {f'after line {lines:,}' if lines else 'at the start'}: {why}",
            Location(src.display, lines + 1 if lines else None),
            hint=(
                "run again, or ask for the file again if it fails the same way"
                if src.url is not None and not isinstance(exc, (EOFError, zlib.error))
                else "ask for the file again; `gzip -t FILE` tests a gzip file"
            ),
        )
    )


class Engine:
    """One validation run. Attributes used by the generated loop: ``slow``, ``ledger``,
    ``skip_counts``, ``fast``, ``split``, ``expected``, ``add_counts``, ``n``."""

    # where the lines being read start in their file: a worker of _parallel reads from a
    # later line start, and its line 1 is not the file's first line (where a BOM may be)
    range_start = 0

    def __init__(
        self, validator: RecordValidator, opts: Options, tmpdir: str | None = None
    ) -> None:
        self.v = validator
        self.g: ir.Guideline = validator.guideline
        self.fast = validator.fast
        self.checker = validator.checker
        self.opts = opts
        self.layout = self.checker.layout
        self.ledger = IdLedger(tmpdir or opts.tmpdir)
        # how an id becomes its fingerprint: ``stable_fingerprint`` for partial results
        # that are merged in another process (see .partial)
        self.fingerprint: Callable[[Any], int] = fingerprint
        self.temp_dirs: list[str] = []
        self.tally = criteria.Tally(self.g, [c.name for c in self.fast.counters])
        self.add_counts = self.tally.add_counts
        self.skip_counts: dict[str, int] = {}
        self.expected: Expected | None = None
        self.split: SplitWriter | None = None
        self.n = 0
        self.records = 0
        self.with_sev = {"error": 0, "warning": 0, "info": 0}
        self.errors = 0
        self.groups: dict[tuple[str, Severity], CodeGroup] = {}
        self.rejected_seqs = array("q")
        self.stopped = False
        self.slow_calls = 0
        # the check of a record the fast path did not vouch for: set per source kind
        self.slow: Callable[[Any, int], None] = self._no_source
        # per file
        self.source: Source | None = None
        self.base = 0

    # -- entry -----------------------------------------------------------------------------
    def run(self, items: Sequence[Any]) -> Report:
        opts = self.opts
        sources = _sources(items, opts.format, opts.readers)
        if opts.expect is not None:
            keys = tuple(dict.fromkeys((self.layout.id_key, self.g.record.id)))
            self.expected = Expected.read(opts.expect, keys)
        if opts.split_dir is not None:
            self.split = self._open_split(sources)
        try:
            try:
                for src in sources:
                    self.source = src
                    self.base = self.records
                    try:
                        self._read(src)
                    except (OSError, EOFError, zlib.error) as exc:
                        raise _unreadable(src, self.n, exc) from None
                    if self.split is not None:
                        self.split.end_file()
            except _Stop:
                self.stopped = True
                assert self.source is not None
                self.source.summary.records = self.n
                self.records = self.base + self.n
            if self.split is not None:
                self.split.flush()
            distinct, repeated = self.ledger.scan()
            late: dict[int, tuple[Diagnostic, Any]] = {}
            if repeated and not self.stopped:
                from guidekit.delivery._duplicates import second_pass

                late = second_pass(self, sources, repeated)
            report = self._report(sources, distinct, late)
            if self.split is not None:
                self.split.commit()
            return report
        except BaseException as exc:
            if self.split is not None:
                self.split.abandon(self._stopped_at(exc))
            raise
        finally:
            self.ledger.close()
            if self.split is not None:
                self.split.close()
            for tmp in self.temp_dirs:
                shutil.rmtree(tmp, ignore_errors=True)

    def _stopped_at(self, exc: BaseException) -> str:
        why = "interrupted" if isinstance(exc, KeyboardInterrupt) else type(exc).__name__
        where = f" in {self.source.display}" if self.source is not None else ""
        return f"{why}{where}, after {self.base + self.n:,} records had been read"

    # -- pass 1 ----------------------------------------------------------------------------
    def _read(self, src: Source) -> None:
        split = self.split is not None
        expect = self.expected is not None
        if src.format == "jsonl" and self._parallel(src):
            from guidekit.delivery import _parallel

            _parallel.read_parallel(self, src, self.opts.jobs)
        elif src.format == "jsonl":
            run = self.fast.runner("lines", split, expect) if self.opts.fast else _all_slow
            self.slow = self._slow_line
            self._read_jsonl(src, run)
        elif src.format == "parquet" and not split and not os.environ.get(ROWS_SWITCH):
            run = self.fast.runner("dicts", False, expect) if self.opts.fast else _all_slow
            self.slow = self._slow_row
            self._read_parquet(src, run)
        else:
            run = self.fast.runner("dicts", split, expect) if self.opts.fast else _all_slow
            self.slow = self._slow_row
            self._read_rows(src, run)
        src.summary.records = self.n
        self.records = self.base + self.n

    def _parallel(self, src: Source) -> bool:
        from guidekit.delivery import _parallel

        opts = self.opts
        if opts.jobs <= 1 or not opts.fast or self.expected is not None:
            return False
        if opts.max_errors is not None or src.path is None or not _parallel.available():
            return False
        with src.path.open("rb") as f:
            if f.read(2) == b"\x1f\x8b":
                return False  # gzip streams cannot be cut into ranges
        return src.path.stat().st_size >= 2 * _parallel.MIN_BYTES_PER_JOB

    def _read_parquet(self, src: Source, run: Any) -> None:
        """Pass 1 over a Parquet file without a split: records made batch by batch, column
        by column (:mod:`.columnar`), without the raw bytes only a split writes; with the
        fast path on, JSON cells are decoded into its structs and a record it does not
        vouch for is made again by the row reader for the full checker."""
        from guidekit.delivery.columnar import decoders, records, reference
        from guidekit.delivery.read import open_parquet, parquet_batches

        assert src.path is not None
        progress = self.opts.progress
        pf = open_parquet(src.path, src.display)
        typed = decoders(self.fast.Record) if self.opts.fast else None
        if progress is not None:
            progress.start(src.display, None)
        n = 0
        for batch in parquet_batches(pf):
            if typed is not None:

                def slow(rr: RawRecord, k: int, batch: Any = batch, first: int = n) -> None:
                    assert self.source is not None
                    self._record(reference(batch, self.source.display, first, rr.line), k)

                self.slow = slow
            self.n = n
            n = run(records(batch, src.display, n, typed), n, self)
            self._after_block()
            if progress is not None:
                progress.update(n)
        self.n = n
        if progress is not None:
            progress.stop()

    def read_range(self, path: Path | None, start: int, end: int, run: Any, done: Any) -> None:
        """Pass 1 over the lines that start in ``[start, end)`` of a plain file (a parallel
        worker)."""
        assert path is not None
        with path.open("rb") as f:
            f.seek(start)
            pos = start
            n = 0
            for lines in blocks(f, self.opts.max_line_bytes, self._spool_dir()):
                if pos >= end:
                    break
                sizes = list(map(size, lines))
                total = sum(sizes)
                if pos + total > end:
                    keep, at = 0, pos
                    while keep < len(lines) and at < end:
                        at += sizes[keep]
                        keep += 1
                    lines, total = lines[:keep], at - pos
                pos += total
                self.n = n
                n = run(lines, n, self)
                self._after_block()
                if done is not None:
                    done.value += total
            self.n = n

    def _spool_dir(self) -> str | None:
        """Where a line over ``max_line_bytes`` is kept for the split (none: skipped)."""
        return str(self.split.dir) if self.split is not None else None

    def _read_jsonl(self, src: Source, run: Any) -> None:
        progress = self.opts.progress
        raw_file, f = src.open()
        with raw_file, f:
            if progress is not None:
                progress.start(src.display, src.size())
            n = 0
            for lines in blocks(f, self.opts.max_line_bytes, self._spool_dir()):
                self.n = n
                n = run(lines, n, self)
                del lines  # one block in memory at a time
                self._after_block()
                if progress is not None:
                    progress.update(raw_file.tell())
            self.n = n
            if progress is not None:
                progress.stop()

    def _read_rows(self, src: Source, run: Any) -> None:
        progress = self.opts.progress
        if src.records is not None:
            rows: Iterable[RawRecord] = (
                RawRecord(
                    src.display,
                    i,
                    b"",
                    r if isinstance(r, dict) else None,
                    _not_object(src.display, i, r),
                )
                for i, r in enumerate(src.records, 1)
            )
        else:
            rows = self.file_rows(src)
        if progress is not None:
            progress.start(src.display, None)
        n = 0
        batch: list[RawRecord] = []
        for rr in rows:
            batch.append(rr)
            if len(batch) >= ROWS:
                self.n = n
                n = run(batch, n, self)
                batch = []
                self._after_block()
                if progress is not None:
                    progress.update(n)
        if batch:
            self.n = n
            n = run(batch, n, self)
            self._after_block()
        self.n = n
        if progress is not None:
            progress.stop()

    def file_rows(self, src: Source) -> Iterator[RawRecord]:
        """The records of a CSV, Parquet or tool-export source, as both passes read them."""
        assert src.path is not None
        rows = read_records(
            src.path,
            format=src.format,
            guideline=self.g,
            display=src.display,
            readers=self.opts.readers,
        )
        if self.split is not None and src.format not in FORMATS:
            # a tool export has no record lines to copy: the split holds native JSON Lines
            return (_with_line(rr) for rr in rows)
        return rows

    def _after_block(self) -> None:
        if self.split is not None:
            self.split.flush()
        self.ledger.maybe_spill()

    # -- records the fast path did not vouch for -------------------------------------------
    def _no_source(self, raw: Any, n: int) -> None:
        raise NotImplementedError

    def _slow_line(self, raw: bytes, n: int) -> None:
        assert self.source is not None
        if isinstance(raw, LongLine):
            self._record(self._long(raw, n), n)
            return
        first = n == 1 and not self.range_start
        rr = parse_line(raw, self.source.display, n, last=not raw.endswith(b"\n"), first=first)
        self._record(rr, n)

    def _long(self, raw: LongLine, n: int) -> RawRecord:
        assert self.source is not None
        cap = self.opts.max_line_bytes
        found = diag(
            "GK551",
            f"line of {raw.length:,} bytes, over the limit of {cap:,} "
            f"(starts {raw.head[:24]!r}); not read",
            Location(self.source.display, n),
            hint="a record this long is not annotation data; if it is, raise the limit "
            "with --max-line-bytes",
        )
        return RawRecord(self.source.display, n, raw, None, found)

    def _slow_row(self, rr: RawRecord, n: int) -> None:
        self._record(rr, n)

    def _record(self, rr: RawRecord, n: int) -> None:
        self.slow_calls += 1
        diags: list[Diagnostic] = [rr.error] if rr.error is not None else []
        data = rr.data
        record_id = None
        if data is not None:
            found, flags = self.checker.check(data, rr.file, rr.line)
            diags += found
            self.tally.count(data, flags)
            value = data.get(self.layout.id_key)
            if is_id(value):
                record_id = value
                fp = self.fingerprint(value)
                if self.expected is not None and not self.expected.mark(fp):
                    diags.append(
                        diag(
                            "GK544",
                            f"id {value!r} is not on the expected list",
                            Location(rr.file, rr.line, pointer=f"/{esc(self.layout.id_key)}"),
                            hint=f"expected ids come from {self.expected.file}",
                        )
                    )
                self.ledger.add(fp)
        error = self._outcome(diags)
        if self.split is not None:
            if error:
                self.split.reject(rr.raw, error_entry(rr.file, rr.line, record_id, diags))
            else:
                self.split.accept(rr.raw)
        if error:
            self.rejected_seqs.append(self.base + n - 1)
            assert self.source is not None
            self.source.summary.rejected += 1
        if self.opts.max_errors is not None and self.errors >= self.opts.max_errors:
            self.n = n
            raise _Stop

    def _outcome(self, diags: Sequence[Diagnostic]) -> bool:
        """Count a record's diagnostics; whether it has an error."""
        seen = set()
        for d in diags:
            seen.add(d.severity)
            self.group(d)
            if d.severity is Severity.ERROR:
                self.errors += 1
        for sev in seen:
            self.with_sev[sev.value] += 1
        return Severity.ERROR in seen

    def group(self, d: Diagnostic) -> None:
        key = (d.code, d.severity)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = CodeGroup(d.code, d.severity)
        group.count += 1
        if len(group.examples) < self.opts.examples:
            group.examples.append(d)

    # -- split files -----------------------------------------------------------------------
    def _open_split(self, sources: list[Source]) -> SplitWriter:
        formats = {s.format for s in sources}
        if "records" in formats:
            raise GuidekitError(
                diag("GK507", "--split needs delivery files, not records in memory", Location())
            )
        if "csv" in formats and len(formats) > 1:
            raise GuidekitError(
                diag(
                    "GK507",
                    "--split cannot mix CSV with other formats in one run",
                    Location(sources[0].display),
                    hint="validate the CSV files in a run of their own",
                )
            )
        ext = "csv" if formats == {"csv"} else "jsonl"
        assert self.opts.split_dir is not None
        return SplitWriter(self.opts.split_dir, ext, self.header(sources))

    @staticmethod
    def header(sources: list[Source]) -> bytes:
        if not sources or sources[0].format != "csv":
            return b""
        headers = set()
        for s in sources:
            raw_file, f = s.open()
            with raw_file, f:
                headers.add(f.readline())
        if len(headers) > 1:
            raise GuidekitError(
                diag(
                    "GK507",
                    "--split needs CSV files with the same header row",
                    Location(sources[0].display),
                )
            )
        header = headers.pop()
        return header if header.endswith(b"\n") else header + b"\n"

    # -- report ----------------------------------------------------------------------------
    def _report(
        self, sources: list[Source], distinct: int, late: dict[int, tuple[Diagnostic, Any]]
    ) -> Report:
        g, tally = self.g, self.tally
        tally.merge_fast_versions(self.records - self.slow_calls)
        v = tally.values
        skipped = dict(tally.skips)
        for k, n in self.skip_counts.items():
            skipped[k] = skipped.get(k, 0) + n
        report = Report(
            guideline=g.id,
            version=g.version,
            files=[s.summary for s in sources],
            records=self.records,
            with_errors=self.with_sev["error"],
            with_warnings=self.with_sev["warning"],
            with_info=self.with_sev["info"],
            distinct_ids=distinct,
            skipped=dict(sorted(skipped.items())),
            unresolved=v.get("c_unresolved", 0),
            versions=dict(sorted(tally.versions.items())),
            not_checked={
                k: n
                for k, n in (
                    ("spans", v.get("c_nc_spans", 0)),
                    ("regions", v.get("c_nc_image", 0)),
                )
                if n
            },
            stopped=self.stopped,
        )
        delivery = report.delivery
        if self.stopped:
            delivery.append(
                diag(
                    "GK548",
                    f"stopped after {self.errors} errors (--max-errors {self.opts.max_errors}); "
                    f"{self.records} records were read",
                )
            )
        if not self.records and not self.stopped:
            delivery.append(diag("GK547", "the delivery holds no records"))
        if self.expected is not None and not self.stopped:
            self._missing(report)
        if len(report.versions) > 1:
            seen = ", ".join(f"{k} ({n})" for k, n in report.versions.items())
            delivery.append(
                diag(
                    "GK546",
                    f"records were made under {len(report.versions)} guideline versions: {seen}",
                )
            )
        if report.not_checked.get("spans"):
            delivery.append(
                diag(
                    "GK545",
                    f"span bounds not checked in {report.not_checked['spans']} records: "
                    "their text was not delivered",
                )
            )
        if report.not_checked.get("regions"):
            delivery.append(
                diag(
                    "GK545",
                    f"region bounds not checked in {report.not_checked['regions']} records: "
                    "the image size is unknown",
                )
            )
        report.groups = sorted(
            self.groups.values(), key=lambda gr: (SEVERITY_ORDER[gr.severity], -gr.count, gr.code)
        )
        report.criteria = criteria.evaluate(g, tally, self.records, self.with_sev, self.stopped)
        _verdict(report, g)
        if self.split is not None:
            report.split = self.split.relative()
        return report

    def _missing(self, report: Report) -> None:
        assert self.expected is not None
        count, lines = self.expected.missing()
        if not count:
            return
        wanted = set(lines[: self.opts.examples])
        keys = tuple(dict.fromkeys((self.layout.id_key, self.g.record.id)))
        group = CodeGroup("GK543", Severity.ERROR, count=count)
        for line, value in iter_expected(self.expected.file, keys):
            if line in wanted:
                group.examples.append(
                    diag(
                        "GK543",
                        f"expected id {value!r} has no record in the delivery",
                        Location(self.expected.file, line),
                    )
                )
                if len(group.examples) == len(wanted):
                    break
        self.groups[("GK543", Severity.ERROR)] = group


def _verdict(report: Report, g: ir.Guideline) -> None:
    reasons = report.reasons
    if report.stopped:
        reasons.append("validation stopped early; the rest of the delivery was not checked")
    if not report.records and not report.stopped:
        reasons.append("the delivery holds no records")
    missing = next((gr.count for gr in report.groups if gr.code == "GK543"), 0)
    if missing:
        reasons.append(f"{missing} expected ids have no record")
    if "error" not in g.acceptance.errors and report.with_errors:
        reasons.append(
            f"{report.with_errors} of {report.records} records have errors "
            "(the guideline declares no error-rate bound, so any error rejects)"
        )
    for c in report.criteria:
        if c.status == "failed":
            value = f"{c.value:.1%}" if c.value is not None else "?"
            bound = f"{c.bound:.1%}" if c.bound is not None else "?"
            op = ">" if c.comparison == "<=" else "<"
            split = f" (split {c.split})" if c.split else ""
            reasons.append(f"{c.name}{split}: {value} {op} {bound}; {c.reason}")
    report.verdict = "reject" if reasons else "accept"


def _all_slow(items: Iterable[Any], start: int, st: Engine) -> int:
    """The hot loop's stand-in with the fast path off."""
    n = start
    for raw in items:
        n += 1
        st.n = n
        st.slow(raw, n)
    return n


def _not_object(file: str, line: int, value: Any) -> Diagnostic | None:
    if isinstance(value, dict):
        return None
    return diag("GK503", f"record is {type(value).__name__}, not an object", Location(file, line))


def validate(
    guideline: ir.Guideline,
    sources: Any,
    *,
    validator: RecordValidator | None = None,
    **options: Any,
) -> Report:
    """Validate a delivery: a path, a list of paths, or records (dicts) in memory.

    Options: ``format`` (``jsonl``, ``csv``, ``parquet``; detected from the file name),
    ``expect`` (a file of expected ids), ``max_errors``, ``split_dir``, ``examples`` (per
    code, default 5), ``progress``, ``tmpdir``.
    """
    if isinstance(sources, (str, os.PathLike)):
        items: list[Any] = [sources]
    elif (
        isinstance(sources, Sequence)
        and sources
        and all(isinstance(s, (str, os.PathLike)) for s in sources)
    ):
        items = list(sources)
    else:
        items = [sources]
    engine = Engine(validator or RecordValidator(guideline), Options(**options))
    return engine.run(items)
