"""``guidekit aggregate``: one adjudicated record per item from several annotators' labels."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import click

from guidekit.commands import CONTEXT_SETTINGS
from guidekit.commands._common import emit
from guidekit.commands._input import INPUT_FORMATS


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("project", type=click.Path(path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The adjudicated delivery (native JSON Lines) to write.",
)
@click.option(
    "--method",
    type=click.Choice(["majority", "weighted", "dawid-skene"]),
    default="majority",
    show_default=True,
    help="How labels are combined (see the docs: quality, aggregation).",
)
@click.option(
    "--task",
    "-t",
    "tasks",
    multiple=True,
    help="Aggregate this task (repeatable; default: every classification task).",
)
@click.option("--split", help="Only records of this split.")
@click.option(
    "--ties",
    type=click.Choice(["report", "random"]),
    default="report",
    show_default=True,
    help="A tie is left unresolved and reported, or broken by a seeded uniform draw among "
    "the tied classes.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of --ties random.")
@click.option(
    "--annotator-weights",
    "weights_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="--method weighted: a JSON object of annotator -> weight (default: weights from "
    "each annotator's agreement with the majority vote).",
)
@click.option(
    "--gold",
    "gold_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Score annotators (and the aggregate) against this gold set instead of the aggregate.",
)
@click.option(
    "--confidence",
    "confidence_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Per-item confidence (JSON Lines) [default: OUT with .confidence.jsonl].",
)
@click.option(
    "--max-iter",
    type=click.IntRange(min=1),
    default=200,
    show_default=True,
    help="Dawid–Skene: most EM iterations.",
)
@click.option(
    "--tol",
    type=click.FloatRange(min=0, min_open=True),
    default=1e-8,
    show_default=True,
    help="Dawid–Skene: stop when the log-likelihood changes by at most this fraction.",
)
@click.option(
    "--input-format", type=INPUT_FORMATS, help="Format of the files (default: from the file name)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
def aggregate(
    project: Path,
    files: tuple[Path, ...],
    output: Path,
    method: str,
    tasks: tuple[str, ...],
    split: str | None,
    ties: str,
    seed: int,
    weights_file: Path | None,
    gold_file: Path | None,
    confidence_file: Path | None,
    max_iter: int,
    tol: float,
    input_format: str | None,
    fmt: str,
    report_file: Path | None,
) -> int:
    """Adjudicate the items in FILES, labelled by several annotators, into one delivery OUT.

    Classification tasks (single, multi as one present/absent vote per class, ordinal,
    boolean) are combined by majority vote, weighted vote or Dawid–Skene. OUT is a native
    delivery the guideline's validator accepts: one record per item, ties left unresolved
    (marked `unresolved`, with the tied classes in `question`) unless `--ties random`.
    Per-item confidence goes to a side file. The report gives each annotator's accuracy
    against the aggregate, or against `--gold`, with Wilson intervals.
    """
    from guidekit import outputs
    from guidekit.commands._quality import guideline_label, load_guideline, pick_tasks, read, warn
    from guidekit.diagnostics.codes import diag
    from guidekit.errors import GuidekitError
    from guidekit.quality import adjudicate as J
    from guidekit.quality.aggregate_report import render

    if output.suffix.lower() in (".csv", ".parquet", ".pq"):
        raise click.BadParameter(
            "the adjudicated delivery is written as JSON Lines; name it *.jsonl",
            param_hint="'--output'",
        )
    if weights_file is not None and method != "weighted":
        raise click.BadParameter(
            "annotator weights apply to --method weighted", param_hint="'--annotator-weights'"
        )
    side = confidence_file or output.with_name(_stem(output.name) + ".confidence.jsonl")
    inputs_abs = {os.path.abspath(f) for f in files}
    for target, hint in ((output, "'--output'"), (side, "'--confidence'")):
        if os.path.abspath(target) in inputs_abs:
            raise click.BadParameter(f"{target} is one of the input files", param_hint=hint)
    guideline = load_guideline(project)
    chosen = pick_tasks(guideline, tasks)
    picked = [t for t in chosen if J.supported(t)]
    if tasks and len(picked) < len(chosen):
        other = [f"'{t.id}' ({t.type})" for t in chosen if not J.supported(t)]
        raise GuidekitError(
            diag(
                "GK630",
                f"{', '.join(other)} cannot be aggregated: only single, multi, ordinal and "
                "boolean tasks are",
            )
        )
    if not picked:
        raise GuidekitError(
            diag("GK630", f"guideline '{guideline.id}' has no classification task to aggregate")
        )
    annotations = read(guideline, list(files), input_format, split)
    warn(annotations.diagnostics)
    inputs = J.problems(annotations, guideline, picked)
    if not any(p.ratings.item.size for p in inputs.problems):
        invalid = sum(inputs.ignored.values())
        raise GuidekitError(
            diag(
                "GK630",
                f"nothing to aggregate in {len(files)} file(s): {len(annotations.records)} "
                f"record(s), none with a valid value of "
                + ", ".join(f"'{t.id}'" for t in picked)
                + (f" ({invalid} invalid value(s))" if invalid else ""),
                hint="run `guidekit validate` on the files to see each invalid value"
                if invalid
                else None,
            )
        )
    weights = _weights(weights_file, inputs.annotators) if weights_file else None
    if gold_file is not None:
        from guidekit.quality.gold import gold_index

        gold_records = read(guideline, [gold_file], input_format)
        index, problems = gold_index(guideline, gold_records.records)
        if problems or gold_records.diagnostics:
            raise GuidekitError([*gold_records.diagnostics, *problems])
        J.attach_gold(inputs, index, guideline)
    opts = J.Options(
        method=method,  # type: ignore[arg-type]
        ties=ties,  # type: ignore[arg-type]
        seed=seed,
        weights=weights,
        max_iter=max_iter,
        tol=tol,
    )
    outcome = J.adjudicate(guideline, inputs, opts)
    outputs.write_file(output, _jsonl(outcome.records))
    outputs.write_file(side, _jsonl(outcome.confidence))
    click.echo(
        f"wrote {len(outcome.records)} record(s) to {output}, confidence to {side}", err=True
    )
    emit(render(outcome, guideline_label(guideline), fmt), report_file)
    return 0


def _stem(name: str) -> str:
    for suffix in (".jsonl", ".ndjson", ".json"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    import orjson

    return b"".join(orjson.dumps(r) + b"\n" for r in rows)


def _weights(path: Path, annotators: list[str]) -> dict[str, float]:
    import orjson

    from guidekit.diagnostics.codes import diag
    from guidekit.diagnostics.model import Location
    from guidekit.errors import GuidekitError

    loc = Location(str(path), 1)

    def bad(message: str) -> GuidekitError:
        return GuidekitError(diag("GK631", message, loc))

    try:
        doc = orjson.loads(path.read_bytes())
    except OSError as exc:
        raise bad(f"cannot read the weights: {exc.strerror or exc}") from None
    except orjson.JSONDecodeError as exc:
        raise bad(f"the weights are not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise bad("the weights must be a JSON object of annotator -> weight")
    out: dict[str, float] = {}
    for name, w in doc.items():
        if isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(w) or w < 0:
            raise bad(f"the weight of '{name}' must be a finite number of at least 0, found {w!r}")
        out[str(name)] = float(w)
    missing = [a for a in annotators if a not in out]
    if missing:
        raise bad("no weight for annotator(s) " + ", ".join(f"'{a}'" for a in missing))
    return out
