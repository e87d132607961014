"""``--record BATCH`` and its companions: the one place commands reach the ledger.

:func:`record_options` adds ``--record``, ``--vendor``, ``--ledger``, ``--sent`` and
``--delivered`` and hands the command one ``record`` argument (``None`` when not recording).
:meth:`Recording.open` opens the ledger *before* the work, so a damaged ledger fails in a
second, not after a long validation; :meth:`Recording.save` turns the command's JSON report
into the ledger's plain :class:`guidekit.ledger.Run` and writes it in one transaction.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from guidekit.commands._common import F

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.ledger import Ledger, Run

KEY_ENV = "GUIDEKIT_LEDGER_KEY"


def _when(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"'{value}' is not an ISO 8601 date or time (2026-03-01, 2026-03-01T14:00)",
            ctx,
            param,
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


@dataclass
class Recording:
    batch: str
    vendor: str | None
    url: str | None
    sent: datetime | None
    delivered: datetime | None
    ledger: Ledger | None = field(default=None, repr=False)
    _hashing: Any = field(default=None, repr=False)

    def start(self, project: Path, files: Sequence[Path]) -> None:
        """Open the ledger and hash ``files`` in a thread while the command works (hashlib
        releases the GIL), so recording a large delivery costs little wall time."""
        from concurrent.futures import ThreadPoolExecutor

        from guidekit.ledger.hashes import cached

        db = self.open(project)
        paths = _expand(files)
        known = cached(db, paths)
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="guidekit-sha256")
        self._hashing = (list(files), pool.submit(_hash_all, paths, known))
        pool.shutdown(wait=False)

    def open(self, project: Path) -> Ledger:
        from guidekit import ledger

        if self.ledger is None:
            self.ledger = ledger.open(self.url or ledger.default_url(project))
        return self.ledger

    def save(
        self,
        project: Path,
        guideline: ir.Guideline,
        command: str,
        files: Sequence[Path],
        report: dict[str, Any],
        *,
        audit: Iterable[tuple[str, bool]] = (),
        counts: dict[tuple[str, str], int] | None = None,
    ) -> None:
        from guidekit import ledger
        from guidekit.ledger.hashes import cached, remember

        db = self.open(project)
        done: tuple[list[tuple[str, str]], dict[Path, Any]] | None = None
        if self._hashing is not None and self._hashing[0] == list(files):
            try:
                done = self._hashing[1].result()
            except OSError:  # the file went away meanwhile: hash again, and report that
                done = None
        if done is None:
            paths = _expand(files)
            done = _hash_all(paths, cached(db, paths))
        hashes, new = done
        remember(db, new)
        run = to_run(self, guideline, command, files, report, audit, db, hashes)
        pseudo = _pseudonymiser(guideline, db)
        for (dim, key), n in (counts or {}).items():
            if dim in ("annotator", "annotator_errors"):
                key = pseudo(key)
            run.counts[dim, key] = n  # counted from the records: wins over the report's
        saved = ledger.record(db, run)
        again = " (already recorded: replaced)" if saved.replaced else ""
        click.echo(
            f"recorded {command} of batch {saved.batch} revision {saved.revision} "
            f"in {db.name}{again}",
            err=True,
        )
        db.close()


def record_options(f: F) -> F:
    """Add the recording options; the command receives ``record: Recording | None``."""

    @functools.wraps(f)
    def wrapper(
        *args: Any,
        record: str | None,
        vendor: str | None,
        ledger_url: str | None,
        sent: datetime | None,
        delivered: datetime | None,
        **kwargs: Any,
    ) -> Any:
        if record is None:
            used = [n for n, v in (("--vendor", vendor), ("--sent", sent)) if v is not None]
            if delivered is not None:
                used.append("--delivered")
            if used:
                raise click.UsageError(f"{', '.join(used)} need --record BATCH")
            return f(*args, record=None, **kwargs)
        if not record.strip():
            raise click.BadParameter("the batch id is empty", param_hint="--record")
        return f(
            *args,
            record=Recording(
                record,
                vendor,
                ledger_url,
                sent,
                delivered,  # None: the time of the batch's first recording
            ),
            **kwargs,
        )

    options: list[Callable[[Any], Any]] = [
        click.option(
            "--record",
            metavar="BATCH",
            help="Record this run in the ledger as batch BATCH (see `guidekit ledger`).",
        ),
        click.option("--vendor", help="With --record: who delivered the batch."),
        click.option(
            "--ledger",
            "ledger_url",
            metavar="URL",
            envvar="GUIDEKIT_LEDGER",
            help="With --record: the ledger's database URL (default: GUIDEKIT_LEDGER, else "
            ".guidekit/ledger.db by the guideline).",
        ),
        click.option(
            "--sent", callback=_when, help="With --record: when the batch was sent (ISO date)."
        ),
        click.option(
            "--delivered",
            callback=_when,
            help="With --record: when it was delivered (ISO date; default: when the batch is "
            "first recorded).",
        ),
    ]
    out: Any = wrapper
    for opt in reversed(options):
        out = opt(out)
    return out  # type: ignore[no-any-return]


def delivery_counts(guideline: ir.Guideline, records: Iterable[Any]) -> dict[tuple[str, str], int]:
    """Records by class (of each task whose values are class ids), by annotator and by split,
    from records a quality command has read (``item``, ``annotator``, ``data``)."""
    split_key = guideline.delivery.metadata.split
    out: dict[tuple[str, str], int] = {}

    def add(dim: str, key: str) -> None:
        out[dim, key] = out.get((dim, key), 0) + 1

    for r in records:
        add("annotator", str(r.annotator))
        split = r.data.get(split_key) if split_key else None
        if isinstance(split, str):
            add("split", split)
        for task in guideline.tasks.values():
            value = r.data.get(task.id)
            labels = value if isinstance(value, list) else [value]
            for v in labels:
                if isinstance(v, str) and task.classes:
                    add("class", f"{task.id}/{v}")
    return out


# -- from a report to a ledger run ----------------------------------------------------------------


def sha256(path: Path) -> str:
    """The file's sha256, hashed from a memory map of it: no copy of the bytes into Python
    (0.71 instead of 0.83 CPU-s for 1.2 GB), in 16 MB slices so hashlib releases the GIL."""
    import mmap

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        try:
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):  # empty, or not mappable (a pipe, a special file)
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
            return h.hexdigest()
        with mapped, memoryview(mapped) as view:
            for start in range(0, len(view), 1 << 24):
                h.update(view[start : start + (1 << 24)])
    return h.hexdigest()


def _expand(files: Sequence[Path]) -> list[Path]:
    """The files, a folder (an image export) standing for every file under it."""
    out: list[Path] = []
    for p in files:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file()))
        elif p.is_file():
            out.append(p)
    return out


def _hash_all(
    paths: Sequence[Path], known: dict[Path, str]
) -> tuple[list[tuple[str, str]], dict[Path, Any]]:
    """``[(path, sha256)]`` of every path, and the new ``{path: (stamp, sha256)}`` to cache
    (the stamp taken before reading: a file changed meanwhile is hashed again next time)."""
    from guidekit.ledger.hashes import stamp

    out: list[tuple[str, str]] = []
    new: dict[Path, Any] = {}
    for p in paths:
        h = known.get(p)
        if h is None:
            before = stamp(p)
            h = sha256(p)
            new[p] = (before, h)
        out.append((p.as_posix(), h))
    return out, new


def _pseudonymiser(guideline: ir.Guideline, db: Ledger) -> Callable[[str], str]:
    if not guideline.governance.pseudonymise:
        return lambda name: name
    import os

    key = os.environ.get(KEY_ENV, "").encode() or _ledger_key(db)

    def pseudo(name: str) -> str:
        return "p-" + hmac.new(key, name.encode(), hashlib.sha256).hexdigest()[:16]

    return pseudo


pseudonymiser = _pseudonymiser  # the question log names who asked as recordings name annotators


def _ledger_key(db: Ledger) -> bytes:
    """The ledger's own pseudonymisation key, made on first need (GUIDEKIT_LEDGER_KEY wins)."""
    from sqlalchemy import insert, select
    from sqlalchemy.exc import IntegrityError

    from guidekit.ledger import schema

    q = select(schema.settings.c.value).where(schema.settings.c.key == "pseudonym_key")
    with db.transaction() as conn:
        found = conn.execute(q).scalar()
        if found is not None:
            return bytes.fromhex(found)
    with db.transaction() as conn:
        # two processes may make it at once: the second insert does nothing, both read the
        # first (a plain insert failed there with GK040 on PostgreSQL)
        row = {"key": "pseudonym_key", "value": secrets.token_hex(32)}
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            conn.execute(pg_insert(schema.settings).values(**row).on_conflict_do_nothing())
        elif conn.dialect.name == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            conn.execute(sqlite_insert(schema.settings).values(**row).on_conflict_do_nothing())
        else:
            try:
                with conn.begin_nested():
                    conn.execute(insert(schema.settings).values(**row))
            except IntegrityError:  # another process made it first
                pass
    with db.transaction() as conn:
        return bytes.fromhex(conn.execute(q).scalar_one())


def _strip_text(report: Any) -> Any:
    """The report without record text: diagnostics' examples and notes quote records."""
    if isinstance(report, dict):
        return {
            k: _strip_text(v) for k, v in report.items() if k not in ("examples", "note", "notes")
        }
    if isinstance(report, list):
        return [_strip_text(v) for v in report]
    return report


_PEOPLE = ("annotators", "auditors", "annotator", "auditor", "by_annotator")


def _rename_people(report: Any, pseudo: Callable[[str], str]) -> Any:
    """The report with annotators' and auditors' ids replaced by their pseudonyms."""
    if isinstance(report, dict):
        out: dict[str, Any] = {}
        for k, v in report.items():
            if k in _PEOPLE and isinstance(v, dict):
                out[k] = {pseudo(str(n)): _rename_people(x, pseudo) for n, x in v.items()}
            elif k in _PEOPLE and isinstance(v, str):
                out[k] = pseudo(v)
            else:
                out[k] = _rename_people(v, pseudo)
        return out
    if isinstance(report, list):
        return [_rename_people(v, pseudo) for v in report]
    return report


def _ci(stat: Any) -> tuple[float | None, float | None, float | None]:
    if not isinstance(stat, dict):
        return (stat if isinstance(stat, (int, float)) else None), None, None
    ci = stat.get("ci") or (None, None)
    return stat.get("value"), ci[0], ci[1]


def to_run(
    rec: Recording,
    guideline: ir.Guideline,
    command: str,
    files: Sequence[Path],
    report: dict[str, Any],
    audit: Iterable[tuple[str, bool]],
    db: Ledger,
    hashes: list[tuple[str, str]] | None = None,
) -> Run:
    from guidekit.ledger import AgreementRow, Criterion, Run

    gov = guideline.governance
    pseudo = _pseudonymiser(guideline, db)
    stored = report if gov.store_text else _strip_text(report)
    if gov.pseudonymise:
        stored = _rename_people(stored, pseudo)
    verdict = report.get("verdict") or report.get("decision") or "done"
    run = Run(
        batch=rec.batch,
        command=command,
        guideline=guideline.id,
        guideline_version=str(guideline.version),
        verdict=str(verdict),
        files=hashes if hashes is not None else _hash_all(_expand(files), {})[0],
        report=json.dumps(stored, sort_keys=True, default=str),
        vendor=rec.vendor,
        sent=rec.sent,
        delivered=rec.delivered,
        sensitivity=gov.default,
    )
    counts = run.counts
    run.records = int(report.get("records") or 0)
    run.rejected = int(report.get("rejected_records") or 0)
    for g in report.get("groups", []):
        counts["code", g["code"]] = counts.get(("code", g["code"]), 0) + int(g["count"])
    for d in report.get("delivery", []):
        counts["code", d["code"]] = counts.get(("code", d["code"]), 0) + 1
    for v, n in (report.get("versions") or {}).items():
        counts["version", str(v)] = int(n)
    for c in report.get("criteria", []):
        details = c.get("details") or {}
        low, high = (details.get("interval") or details.get("ci") or (None, None))[:2]
        run.criteria.append(
            Criterion(
                kind=c["kind"],
                name=c["name"],
                status=c["status"],
                value=c.get("value"),
                low=low,
                high=high,
                bound=c.get("bound"),
                comparison=c.get("comparison"),
            )
        )
    for dist in report.get("distribution", []):
        for cls, n in (dist.get("counts") or {}).items():
            counts["class", f"{dist.get('task')}/{cls}"] = int(n)
    a = report.get("audit")
    if a:
        for defect, n in (a.get("defects") or {}).items():
            counts["defect", defect] = int(n)
        run.records = run.records or int(a.get("population") or a.get("audited") or 0)
    run.audit = [(item, "pass" if ok else "fail") for item, ok in audit]
    for ag in report.get("agreement", []):
        task = ag["task"]
        for measure, stat in (ag.get("stats") or {}).items():
            value, low, high = _ci(stat)
            run.agreement.append(
                AgreementRow(task, None, measure, value, low, high, ag.get("pairable_items"))
            )
        for cls in ag.get("classes", []):
            for measure, stat in (cls.get("stats") or {}).items():
                value, low, high = _ci(stat)
                run.agreement.append(
                    AgreementRow(task, cls["class"], measure, value, low, high, cls.get("ratings"))
                )
    for g in report.get("gold", []):
        for name, scores in (g.get("annotators") or {}).items():
            scored = int(scores.get("scored") or 0)
            wrong = round(scored * (1 - float(scores.get("accuracy") or 0)))
            key = pseudo(str(name))
            counts["annotator", key] = counts.get(("annotator", key), 0) + scored
            counts["annotator_errors", key] = counts.get(("annotator_errors", key), 0) + wrong
        overall = g.get("overall") or {}
        for cls, s in (overall.get("classes") or {}).items():
            counts["class", f"{g['task']}/{cls}"] = int(s.get("support") or 0)
    return run
