"""The one way a command reads a delivery: native JSON Lines, CSV and Parquet, or any
labelling tool's export that guidekit (or a plugin) has a reader for.

Every command that takes delivery files uses :func:`input_format_option` and
:func:`resolve`, so ``--input-format labelstudio`` means the same to ``validate``, ``accept``,
``agreement``, ``gold``, ``audit`` and the rest, and a format is detected from the content
the same way everywhere (a Label Studio export, a COCO file, a CVAT XML, a YOLO or VOC
folder), saying what it detected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from guidekit import ir
from guidekit.commands._choices import RegistryChoice

NATIVE = ("jsonl", "csv", "parquet")
F = TypeVar("F", bound=Callable[..., Any])


def names() -> list[str]:
    """Every delivery format: the native ones, then every tool format (plugins included)."""
    from guidekit.bridges import formats

    return [*NATIVE, *(n for n in formats.names() if n not in NATIVE)]


#: The ``--input-format`` choice of every command that reads deliveries.
INPUT_FORMATS = RegistryChoice(names)


def input_format_option(func: F) -> F:
    return click.option(
        "--input-format",
        type=INPUT_FORMATS,
        help="Format of the delivery: jsonl, csv, parquet, or a labelling tool's export "
        "(labelstudio, coco, cvat, yolo, voc, doccano, conll, spacy, ...). Default: from the "
        "file name, or from the content for a tool's export.",
    )(func)


def sniff(path: Path) -> str | None:
    """The tool format a file or folder plainly is, or ``None``."""
    if path.is_dir():
        if (path / "Annotations").is_dir():
            return "voc"
        if (path / "labels").is_dir() or (path / "data.yaml").is_file():
            return "yolo"
        if next(path.glob("*.ann"), None) is not None:
            return "brat"
        return None
    if not path.is_file():
        return None  # a FIFO or a device is refused by the reader; opening it here would block
    name = path.name.lower()
    if name.endswith(".ann"):
        return "brat"
    if name.endswith((".jsonl", ".ndjson")):
        # Prodigy's own keys: never the fields of a native record
        try:
            with path.open("rb") as f:
                first = f.readline(1 << 20)
        except OSError:
            return None
        return "prodigy" if b'"_input_hash"' in first and b'"_task_hash"' in first else None
    if name.endswith((".csv", ".tsv", ".parquet", ".pq", ".gz")):
        return None
    try:
        with path.open("rb") as f:
            head = f.read(64 * 1024).lstrip()
    except OSError:
        return None
    if name.endswith(".xml") and b"<annotations" in head:
        return "cvat"
    if name.endswith(".json"):
        if head.startswith(b"{") and b'"images"' in head and b'"categories"' in head:
            return "coco"
        if head.startswith(b"[") and (b'"annotations"' in head or b'"predictions"' in head):
            return "labelstudio"
    if name.endswith((".conll", ".conllu", ".iob", ".bio")):
        return "conll"
    return None


def reader_options_option(func: F) -> F:
    return click.option(
        "-O",
        "--option",
        "reader_options",
        multiple=True,
        metavar="KEY=VALUE",
        help="An option of the export's reader, e.g. -O id=meta.doc_id for Prodigy (see the "
        "docs of each format).",
    )(func)


def parse_options(pairs: Sequence[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"'{pair}' is not KEY=VALUE", param_hint="-O")
        out[key.strip()] = value.strip()
    return out


def resolve(
    paths: Sequence[Path], fmt: str | None, options: Sequence[str] = ()
) -> tuple[str | None, dict[str, Any] | None]:
    """The format to read ``paths`` with and, for a tool's export, the readers to pass
    down (``readers=`` of the delivery layer), with the reader's ``-O`` options. Says on
    stderr what it detected."""
    extra = parse_options(options)
    if fmt is None and paths:
        found = sniff(paths[0])
        if found is not None:
            click.echo(f"note: {paths[0]} reads as a {found} export", err=True)
            fmt = found
    if fmt in NATIVE and paths:
        found = sniff(paths[0])
        if found is not None:
            click.echo(
                f"note: {paths[0]} looks like a {found} export; if every record fails, "
                f"use --input-format {found}",
                err=True,
            )
    if fmt is None or fmt in NATIVE:
        if extra:
            raise click.UsageError("-O options are for a labelling tool's export (--input-format)")
        return fmt, None
    return fmt, {fmt: tool_reader(fmt, extra)}


def tool_reader(
    fmt: str, options: dict[str, str] | None = None
) -> Callable[[Path, ir.Guideline | None], Iterator[Any]]:
    from guidekit.bridges import formats

    read = formats.get(fmt).read
    opts = options or {}

    def reader(path: Path, guideline: ir.Guideline | None) -> Iterator[Any]:
        return iter(read(path, guideline, **opts))

    return reader
