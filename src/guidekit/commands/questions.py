"""``guidekit questions add|list|show|answer|close|reopen|import|promote``: the question log.

Questions live in the ledger (``--ledger``, ``GUIDEKIT_LEDGER``, else ``.guidekit/ledger.db``
by the guideline), numbered ``Q-<n>`` per guideline. Class ids are checked against the
guideline; who asked is pseudonymised when the guideline's governance says so.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from guidekit.commands import CONTEXT_SETTINGS

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.commands._questions_io import Classes
    from guidekit.ledger import Ledger
    from guidekit.ledger.questions import Question

_project = click.option(
    "--project",
    "-p",
    default=".",
    show_default=True,
    type=click.Path(path_type=Path),
    help="The guideline project the questions are about.",
)
_url = click.option(
    "--ledger",
    "ledger_url",
    metavar="URL",
    envvar="GUIDEKIT_LEDGER",
    help="The ledger's database URL (default: GUIDEKIT_LEDGER, else .guidekit/ledger.db by "
    "the guideline).",
)
_format = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
_qid = click.argument("qid", metavar="Q-N")


class _Session:
    """The guideline and the ledger one subcommand works on."""

    def __init__(self, project: Path, url: str | None) -> None:
        from guidekit import ledger
        from guidekit.compiler.pipeline import load

        self.project = project
        self.guideline: ir.Guideline = load(project)
        self.db: Ledger = ledger.open(url or ledger.default_url(project))

    def classes(self) -> Classes:
        from guidekit.commands._questions_io import Classes

        return Classes(self.guideline)

    def pseudo(self) -> Any:
        from guidekit.commands._ledger import pseudonymiser

        return pseudonymiser(self.guideline, self.db)

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()


def _fail(exc: Exception) -> click.ClickException:
    """A question id that is not there, or a move its status forbids: exit 1."""
    return click.ClickException(str(exc))


def _line(q: Question) -> str:
    classes = ", ".join(q.classes) or "-"
    asked = q.asked_at.date().isoformat() if q.asked_at else "?"
    return f"{q.id}  {q.status:<8}  {asked}  [{classes}]  {q.text}"


def _show(q: Question) -> str:
    out = [f"{q.id} ({q.status})", f"  question: {q.text}"]
    for key, value in q.to_dict().items():
        if key in ("id", "status", "text") or value in (None, [], ""):
            continue
        if isinstance(value, list):
            value = ", ".join(value)
        out.append(f"  {key.replace('_', ' ')}: {value}")
    return "\n".join(out)


@click.group(context_settings=CONTEXT_SETTINGS)
def questions() -> None:
    """The question log: annotators' and vendors' questions, their decisions, edge cases."""


@questions.command("add")
@click.argument("text")
@click.option(
    "--class", "-c", "classes", multiple=True, help="A class in doubt (class or task/class)."
)
@click.option("--by", "asked_by", help="Who asked (pseudonymised when governance says so).")
@click.option("--item", help="The record/item id the question is about.")
@click.option("--file", "file", help="The file that holds the item.")
@click.option("--vendor", help="The vendor who asked.")
@click.option("--batch", help="The batch the item came in.")
@_project
@_url
def add(
    text: str,
    classes: tuple[str, ...],
    asked_by: str | None,
    item: str | None,
    file: str | None,
    vendor: str | None,
    batch: str | None,
    project: Path,
    ledger_url: str | None,
) -> int:
    """Log a question; prints its id (Q-N)."""
    from guidekit.diagnostics.model import Location
    from guidekit.ledger import questions as ql

    if not text.strip():
        raise click.BadParameter("the question is empty", param_hint="TEXT")
    with _Session(project, ledger_url) as s:
        resolve = s.classes().resolve
        doubt = tuple(resolve(c, Location(file="--class")) for c in classes)
        pseudo = s.pseudo()
        q = ql.add(
            s.db,
            s.guideline.id,
            ql.Question(
                text=text.strip(),
                classes=doubt,
                asked_by=pseudo(asked_by) if asked_by else None,
                vendor=vendor,
                batch=batch,
                item=item,
                file=file,
            ),
        )
    click.echo(q.id)
    return 0


def _age(ctx: click.Context, param: click.Parameter, value: str | None) -> timedelta | None:
    if value is None:
        return None
    text = value.strip().lower().removesuffix("d")
    try:
        days = float(text)
    except ValueError:
        raise click.BadParameter(
            f"'{value}' is not a number of days (7, 30d)", ctx, param
        ) from None
    if days < 0:
        raise click.BadParameter("a negative age", ctx, param)
    return timedelta(days=days)


@questions.command("list")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(["open", "answered", "closed"]),
    help="Only questions with this status (repeatable).",
)
@click.option("--class", "-c", "classes", multiple=True, help="Only questions about this class.")
@click.option("--vendor", help="Only questions from this vendor.")
@click.option(
    "--older-than", "older", callback=_age, metavar="DAYS", help="Only questions asked before."
)
@_format
@_project
@_url
def list_(
    statuses: tuple[str, ...],
    classes: tuple[str, ...],
    vendor: str | None,
    older: timedelta | None,
    fmt: str,
    project: Path,
    ledger_url: str | None,
) -> int:
    """List questions, oldest first, filtered by status, class, vendor and age."""
    from guidekit.diagnostics.model import Location
    from guidekit.ledger import questions as ql

    with _Session(project, ledger_url) as s:
        resolve = s.classes().resolve
        wanted = [resolve(c, Location(file="--class")) for c in classes]
        found = ql.select_questions(
            s.db,
            s.guideline.id,
            statuses=statuses,
            classes=wanted,
            vendor=vendor,
            older_than=older,
        )
    if fmt == "json":
        click.echo(json.dumps([q.to_dict() for q in found], indent=2, sort_keys=True))
    else:
        for q in found:
            click.echo(_line(q))
        click.echo(f"{len(found)} question(s)", err=True)
    return 0


@questions.command("show")
@_qid
@_format
@_project
@_url
def show(qid: str, fmt: str, project: Path, ledger_url: str | None) -> int:
    """Show one question with its decision."""
    from guidekit.ledger import questions as ql

    with _Session(project, ledger_url) as s:
        try:
            q = ql.get(s.db, s.guideline.id, qid)
        except ql.QuestionError as exc:
            raise _fail(exc) from None
    click.echo(json.dumps(q.to_dict(), indent=2, sort_keys=True) if fmt == "json" else _show(q))
    return 0


@questions.command("answer")
@_qid
@click.option("--decision", "-d", required=True, help="The decision, in words.")
@click.option("--label", help="The class the decision gives the case (class or task/class).")
@click.option("--version", help="The guideline version that settles it.")
@click.option("--edge-case", help="The edge case (EC-...) that settles it.")
@_project
@_url
def answer(
    qid: str,
    decision: str,
    label: str | None,
    version: str | None,
    edge_case: str | None,
    project: Path,
    ledger_url: str | None,
) -> int:
    """Record the decision on a question (answering again amends it)."""
    from guidekit.diagnostics.model import Location
    from guidekit.ledger import questions as ql

    if not decision.strip():
        raise click.BadParameter("the decision is empty", param_hint="--decision")
    with _Session(project, ledger_url) as s:
        decided = s.classes().resolve(label, Location(file="--label")) if label else None
        try:
            q = ql.answer(
                s.db,
                s.guideline.id,
                qid,
                decision.strip(),
                label=decided,
                version=version,
                edge_case=edge_case,
            )
        except ql.QuestionError as exc:
            raise _fail(exc) from None
    click.echo(f"{q.id} answered")
    return 0


def _status_command(name: str, doc: str) -> None:
    @questions.command(name, help=doc)
    @_qid
    @_project
    @_url
    def move(qid: str, project: Path, ledger_url: str | None) -> int:
        from guidekit.ledger import questions as ql

        with _Session(project, ledger_url) as s:
            try:
                q = getattr(ql, name)(s.db, s.guideline.id, qid)
            except ql.QuestionError as exc:
                raise _fail(exc) from None
        click.echo(f"{q.id} {q.status}")
        return 0


_status_command("close", "Close a question (answered, or dropped unanswered).")
_status_command("reopen", "Reopen an answered or closed question.")


@questions.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--from",
    "kind",
    type=click.Choice(["csv", "labelstudio", "delivery"]),
    help="What FILE is (default: by its name: .csv, .json Label Studio, .jsonl delivery).",
)
@click.option(
    "--comment-field",
    metavar="KEY",
    help="For a delivery: the record field holding the question (default: the guideline's "
    "'question' metadata role).",
)
@click.option("--vendor", help="The vendor the questions came from.")
@click.option("--batch", help="The batch the questions came with.")
@_project
@_url
def import_(
    file: Path,
    kind: str | None,
    comment_field: str | None,
    vendor: str | None,
    batch: str | None,
    project: Path,
    ledger_url: str | None,
) -> int:
    """Import questions from a CSV, a Label Studio export's comments or a delivery's question
    field; importing again adds nothing."""
    from dataclasses import replace

    from guidekit.commands._questions_io import read_any
    from guidekit.ledger import questions as ql

    if comment_field is not None and kind not in (None, "delivery"):
        raise click.UsageError("--comment-field is for a delivery (--from delivery)")
    with _Session(project, ledger_url) as s:
        found = read_any(file, kind, comment_field, s.guideline, s.classes(), s.pseudo())
        found = [replace(q, vendor=q.vendor or vendor, batch=q.batch or batch) for q in found]
        done = ql.import_all(s.db, s.guideline.id, found)
    for q in done.added:
        click.echo(_line(q))
    click.echo(
        f"imported {len(done.added)} question(s) from {file}; {done.known} already in the log",
        err=True,
    )
    return 0


@questions.command("promote")
@_qid
@click.option("--label", help="The class the edge case is decided as (default: the answer's).")
@click.option("--id", "ec_id", metavar="EC-N", help="The edge case's id (default: the next free).")
@click.option("--since", help="The guideline version that introduces it.")
@click.option(
    "--record",
    "record_json",
    metavar="JSON",
    help="The record's fields as JSON (default: the question's item, read from its file).",
)
@_project
@_url
def promote(
    qid: str,
    label: str | None,
    ec_id: str | None,
    since: str | None,
    record_json: str | None,
    project: Path,
    ledger_url: str | None,
) -> int:
    """Write an answered question into the guideline as an edge-case stub (for a pull
    request); the guideline must still check."""
    from guidekit import outputs
    from guidekit.commands import _promote
    from guidekit.compiler.pipeline import compile_guideline
    from guidekit.diagnostics.model import Location, has_errors
    from guidekit.errors import GuidekitError
    from guidekit.ledger import questions as ql

    with _Session(project, ledger_url) as s:
        try:
            q = ql.get(s.db, s.guideline.id, qid)
        except ql.QuestionError as exc:
            raise _fail(exc) from None
        if q.status == "open" or not q.decision:
            raise click.ClickException(
                f"{q.id} is not answered yet: `guidekit questions answer {q.id} --decision ...`"
            )
        decided = s.classes().resolve(label, Location(file="--label")) if label else q.label
        if decided is None:
            raise click.ClickException(
                f"{q.id} names no decided class: pass --label CLASS (or answer with --label)"
            )
        task, _, cls = decided.partition("/")
        ec = ec_id or _promote.next_edge_case_id(s.guideline)
        version = since or q.settled_version
        record = _promote.record_of(q, s.guideline, record_json)
        entry = _promote.stub(q, ec, cls, record, version)
        file, old, new = _promote.place(project, task, cls, entry)
        outputs.write_file(file, new)
        result = compile_guideline(project)
        if result.guideline is None or has_errors(result.diagnostics):
            outputs.write_file(file, old)
            errors = [d for d in result.diagnostics if d.severity.name == "ERROR"]
            raise GuidekitError(errors or [], f"the edge case of {q.id} would not check") from None
        ql.settle(s.db, s.guideline.id, qid, version or str(s.guideline.version), ec)
    click.echo(f"{q.id} → {ec} in {file} (decision {decided}); review it and open a pull request")
    return 0
