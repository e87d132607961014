"""``guidekit quiz build`` and ``guidekit quiz score``: qualification quizzes from the
evaluation set."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from guidekit.commands import CONTEXT_SETTINGS
from guidekit.commands._common import emit, output_option
from guidekit.commands._input import INPUT_FORMATS
from guidekit.commands._quality import REPORT_FORMATS

if TYPE_CHECKING:
    from guidekit import ir

QUIZ_TARGETS = ("labelstudio", "cvat", "argilla", "jsonl")
MANIFEST = "quiz-manifest.json"


@click.group(context_settings=CONTEXT_SETTINGS)
def quiz() -> None:
    """Qualification quizzes for annotators, built from the evaluation set, and their scores."""


def _audience_view(project: Path, audience: str | None) -> ir.Guideline:
    from guidekit.audience import for_audience
    from guidekit.commands._quality import load_guideline

    return for_audience(load_guideline(project), audience)


def _no_items(g: ir.Guideline, audience: str | None, why: str) -> Exception:
    from guidekit.diagnostics.codes import diag
    from guidekit.errors import GuidekitError

    who = f"audience '{audience}'" if audience else "any annotator"
    return GuidekitError(
        diag(
            "GK620",
            f"guideline '{g.id}': {why} for {who}",
            g.evaluation.loc,
            hint="declare `evaluation: {items: [...]}` at or below the audience's clearance; "
            "`holdout: true` items never go into a quiz",
        )
    )


def _jsonl(records: list[dict[str, Any]]) -> bytes:
    import orjson

    return b"".join(orjson.dumps(r) + b"\n" for r in records)


def _writer(target: str, g: ir.Guideline, records: list[dict[str, Any]]) -> Callable[[Path], Any]:
    """What ``quiz build --target`` writes into the staging folder: the items in the tool's
    import format (the bridges' writers) and the tool's labelling config (its build target)."""
    from guidekit.bridges import TARGETS
    from guidekit.bridges.formats import get

    def write(stage: Path) -> list[Any]:
        diagnostics: list[Any] = []
        if target == "labelstudio":
            done = get("labelstudio").write
            assert done is not None
            diagnostics += done(
                records, g, stage / "quiz-tasks.json", annotations=False
            ).diagnostics
        elif target == "cvat":
            done = get("cvat").write
            assert done is not None
            diagnostics += done(records, g, stage / "quiz-annotations.xml").diagnostics
        else:  # argilla and jsonl: native records, one JSON object a line
            (stage / "quiz.jsonl").write_bytes(_jsonl(records))
        if target in TARGETS:
            TARGETS[target][1](g, stage)
        return diagnostics

    return write


@quiz.command("build")
@click.argument("project", type=click.Path(path_type=Path))
@click.option(
    "--target",
    type=click.Choice(QUIZ_TARGETS),
    required=True,
    help="The labelling tool to import the quiz into (jsonl: native records).",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Shuffle seed: the same seed gives byte-identical files.",
)
@click.option("--audience", help="Build the quiz for this audience (see `governance.audiences`).")
@click.option(
    "--out",
    "-o",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder to write (new, empty or written by guidekit before).",
)
@click.option("--force", is_flag=True, help="Write into a folder guidekit did not create.")
def build(
    project: Path, target: str, seed: int, audience: str | None, out: Path, force: bool
) -> int:
    """Build a quiz project from the evaluation set of the guideline in PROJECT.

    The items go without their answers, in an order shuffled with --seed, and only the items
    --audience may see (held-out items never). Writes the items in the tool's import format,
    the tool's labelling config and `quiz-manifest.json` (the seed and the item order).
    Score the answers with `guidekit quiz score`. Exit code 0 when written, 1 when the quiz
    would have no item.
    """
    import orjson

    from guidekit import outputs
    from guidekit.bridges.targets import notes
    from guidekit.diagnostics.render import render_text
    from guidekit.quality.quiz import quiz_records

    g = _audience_view(project, audience)
    records = quiz_records(g, seed)
    if not records:
        raise _no_items(g, audience, "no evaluation item may go into a quiz")
    left_out = notes(target, g) if target in ("labelstudio", "cvat", "argilla") else []
    tested = {t for i in g.evaluation.items for t in i.labels}
    held = tested - {d.message.split("'")[1] for d in left_out}
    if not held:
        raise _no_items(g, audience, f"{target} cannot hold any task the quiz items test")
    write = _writer(target, g, records)
    manifest = {
        "guideline": g.id,
        "version": g.version,
        "audience": audience,
        "target": target,
        "seed": seed,
        "tasks": sorted(held),
        "items": [r[g.delivery.id] for r in records],
    }

    def stage(folder: Path) -> list[Any]:
        found: list[Any] = write(folder)
        data = orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n"
        (folder / MANIFEST).write_bytes(data)
        return found

    diagnostics, files = outputs.publish(out, f"quiz:{target}", stage, force=force)
    shown = [*left_out, *(d for d in diagnostics if d.code != "GK808")]
    if shown:
        click.echo(render_text(shown), err=True, nl=False)
    click.echo(
        f"wrote a quiz of {len(records)} item{'s' if len(records) != 1 else ''} "
        f"({target}, seed {seed}) to {out}: {', '.join(p.name for p in files)}"
    )
    return 0


def handbook_linker(g: ir.Guideline) -> Callable[[str, str | None, str], str | None]:
    """Links into the handbook ``guidekit build --target handbook`` writes: page paths from
    its layout, under ``links.handbook`` when the guideline declares it."""
    from guidekit.handbook import layout as lay
    from guidekit.handbook.pages.classes import edge_case_anchor

    layout = lay.Layout(g)
    base = g.links.get("handbook", "")
    if base and not base.endswith("/"):
        base += "/"
    cases = {ec.id: ec for ec in g.edge_cases() if ec.id is not None}
    negatives = {ex.id: ex for ex in g.examples() if ex.kind == "negative" and ex.id}

    def url(page: str, anchor: str | None = None) -> str:
        page = page.removesuffix(".md") + ".html"
        return base + page + (f"#{anchor}" if anchor else "")

    def link(kind: str, task: str | None, ident: str) -> str | None:
        try:
            if kind == "class" and task is not None:
                return url(layout.klass(task, ident))
            if kind == "edge_case" and ident in cases:
                return url(layout.page(lay.EDGE_CASES), edge_case_anchor(cases[ident]))
            ex = negatives.get(ident)
            if kind == "negative" and ex is not None and ex.task and ex.class_id:
                return url(layout.klass(ex.task, ex.class_id), "negatives")
        except KeyError:
            return None
        return None

    return link


@quiz.command("score")
@click.argument("project", type=click.Path(path_type=Path))
@click.argument("answers", type=click.Path(path_type=Path))
@click.option("--audience", help="The audience the quiz was built for.")
@click.option(
    "--iou",
    type=click.FloatRange(0, 1, min_open=True),
    default=0.5,
    show_default=True,
    help="IoU a box or polygon needs to match a key region.",
)
@click.option(
    "--input-format",
    type=INPUT_FORMATS,
    help="Format of ANSWERS (default: from the file).",
)
@click.option(
    "--require-pass",
    is_flag=True,
    help="Exit 1 when an annotator does not qualify (default: the verdict is in the report).",
)
@output_option(REPORT_FORMATS)
def score(
    project: Path,
    answers: Path,
    audience: str | None,
    iou: float,
    input_format: str | None,
    require_pass: bool,
    fmt: str,
    output: Path | None,
) -> int:
    """Score the quiz ANSWERS of each annotator against the evaluation set of PROJECT.

    ANSWERS is any input format (JSON Lines with an annotator field, a Label Studio export
    with several annotators, ...). Per annotator: accuracy per task, class and edge case (the
    task's own F1 against the key for spans and regions), and a pass or fail against
    `evaluation.qualification`. Each wrong answer is listed with the edge case, negative
    example or class definition that decides it, and a link into the handbook; items are
    ranked by how many got them wrong. Exit code 0 with the verdicts in the report; with
    --require-pass, 1 when an annotator does not qualify.
    """
    from guidekit.commands._quality import display, guideline_label, read, warn
    from guidekit.diagnostics.codes import diag
    from guidekit.errors import GuidekitError
    from guidekit.quality.quiz import quiz_items, score_quiz
    from guidekit.quality.quiz_render import render

    g = _audience_view(project, audience)
    if not quiz_items(g):
        raise _no_items(g, audience, "no evaluation item may go into a quiz")
    read_back = read(g, [answers], input_format)
    if not read_back.records:
        raise GuidekitError(
            [
                *read_back.diagnostics,
                diag("GK620", f"{display(answers)} holds no readable answer", None),
            ]
        )
    report = score_quiz(
        g,
        read_back.records,
        link=handbook_linker(g),
        label=guideline_label(g),
        source=display(answers),
        iou=iou,
    )
    warn([*read_back.diagnostics, *report.diagnostics])
    if read_back.diagnostics:
        report.excluded.insert(
            0,
            {
                "what": "unreadable records",
                "count": len(read_back.diagnostics),
                "why": "a line that is not a record, or a record without a usable id",
            },
        )
    emit(render(report, fmt), output)
    if require_pass and report.failed:
        for a in report.annotators:
            if a.verdict == "fail":
                message = f"annotator '{a.annotator}' does not qualify: {'; '.join(a.reasons)}"
                where = g.evaluation.qualification.loc if g.evaluation.qualification else None
                click.echo(str(diag("GK621", message, where)), err=True)
        return 1
    return 0
