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
        return None
    name = path.name.lower()
    if name.endswith((".jsonl", ".ndjson", ".csv", ".tsv", ".parquet", ".pq", ".gz")):
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


def resolve(paths: Sequence[Path], fmt: str | None) -> tuple[str | None, dict[str, Any] | None]:
    """The format to read ``paths`` with and, for a tool's export, the readers to pass
    down (``readers=`` of the delivery layer). Says on stderr what it detected."""
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
        return fmt, None
    return fmt, {fmt: tool_reader(fmt)}


def tool_reader(fmt: str) -> Callable[[Path, ir.Guideline | None], Iterator[Any]]:
    from guidekit.bridges import formats

    read = formats.get(fmt).read

    def reader(path: Path, guideline: ir.Guideline | None) -> Iterator[Any]:
        return iter(read(path, guideline))

    return reader
