"""Bridges to labelling tools: read their exports, write their formats, generate their configs.

The registries below are the stable contract other parts of guidekit (``guidekit validate``,
``guidekit export``, ``guidekit build``) rely on.

``READERS[name](path, guideline, **options) -> Iterator[RawRecord]``
    Turns a tool export (a file, or a folder for YOLO and Pascal VOC) into native records,
    one :class:`~guidekit.delivery.read.RawRecord` per record, streaming. ``raw`` holds the
    record as one line of native JSON Lines, ``line`` where the item starts in the export.
    Every problem of one item -- malformed input (GK802, with line and JSON pointer), a tool
    label that maps to no class (GK803, the label is kept as-is in ``data`` so the validator
    reports it too), a part with no task to go to (GK804), an unsupported feature (GK806),
    an unknown image size (GK807) -- is in that record's ``error``: the first problem, with
    the others counted in its message. Nothing is dropped silently. Problems of the export as
    a whole (unreadable file, GK801; no or several tasks the annotations could belong to,
    GK805) raise :class:`~guidekit.errors.GuidekitError`. ``options`` are format-specific
    (``task=ID`` to name the task when several fit, ...) and all have defaults, so
    ``READERS[name](path, guideline)`` always works.

``WRITERS[name](records, guideline, out, **options) -> Exported``
    Writes native record dicts (already validated) in the format to ``out`` (a file, or a
    folder for YOLO and Pascal VOC) and returns an :class:`~guidekit.bridges._export.Exported`
    (paths written, record count, GK808 warnings for what the format cannot hold, GK809
    errors for records it could not write).

``TARGETS[name] -> (generate(guideline) -> str, write(guideline, out_dir) -> list[Path])``
    Tool configs generated from the guideline: ``labelstudio`` (labeling config XML),
    ``cvat`` (labels JSON), ``argilla`` (dataset settings JSON).

Formats: ``labelstudio`` (Label Studio JSON export), ``labelstudio-min`` (JSON-MIN),
``coco``, ``yolo``, ``voc``, ``cvat`` (CVAT for images XML 1.1), ``doccano`` (JSONL),
``conll`` (BIO/IOB2 token per line), ``spacy`` (spaCy/Prodigy-style JSONL) and ``prodigy``
(Prodigy's ``db-out`` JSONL, answers and tokens included) and ``brat`` (a folder of BRAT
standoff ``.ann``/``.txt`` pairs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

from guidekit import ir
from guidekit.delivery.read import RawRecord

Reader = Callable[..., Iterator[RawRecord]]
Writer = Callable[..., Any]


def _lazy(module: str, name: str) -> Callable[..., Any]:
    """A function imported on first call, so ``import guidekit.bridges`` stays light."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(import_module(f"guidekit.bridges.{module}"), name)(*args, **kwargs)

    call.__name__ = name
    call.__qualname__ = name
    call.__doc__ = f"See guidekit.bridges.{module}.{name}."
    return call


READERS: dict[str, Reader] = {
    "labelstudio": _lazy("labelstudio", "read_labelstudio_json"),
    "labelstudio-min": _lazy("labelstudio", "read_labelstudio_min"),
    "coco": _lazy("coco", "read_coco"),
    "yolo": _lazy("yolo", "read_yolo"),
    "voc": _lazy("voc", "read_voc"),
    "cvat": _lazy("cvat", "read_cvat_xml"),
    "doccano": _lazy("doccano", "read_doccano"),
    "conll": _lazy("conll", "read_conll"),
    "spacy": _lazy("spacy", "read_spacy"),
    "prodigy": _lazy("prodigy", "read_prodigy"),
    "brat": _lazy("brat", "read_brat"),
}

WRITERS: dict[str, Writer] = {
    "labelstudio": _lazy("labelstudio", "write_labelstudio_json"),
    "labelstudio-min": _lazy("labelstudio", "write_labelstudio_min"),
    "coco": _lazy("coco", "write_coco"),
    "yolo": _lazy("yolo", "write_yolo"),
    "voc": _lazy("voc", "write_voc"),
    "cvat": _lazy("cvat", "write_cvat_xml"),
    "doccano": _lazy("doccano", "write_doccano"),
    "conll": _lazy("conll", "write_conll"),
    "spacy": _lazy("spacy", "write_spacy"),
    "prodigy": _lazy("prodigy", "write_prodigy"),
    "brat": _lazy("brat", "write_brat"),
}

TARGETS: dict[
    str, tuple[Callable[[ir.Guideline], str], Callable[[ir.Guideline, Path], list[Path]]]
] = {
    "labelstudio": (
        _lazy("labelstudio", "labelstudio_config"),
        _lazy("labelstudio", "write_labelstudio"),
    ),
    "cvat": (_lazy("cvat", "cvat_labels"), _lazy("cvat", "write_cvat")),
    "argilla": (_lazy("argilla", "argilla_settings"), _lazy("argilla", "write_argilla")),
}

#: Formats whose export is a folder rather than one file.
FOLDER_FORMATS = frozenset({"yolo", "voc", "brat"})

__all__ = ["FOLDER_FORMATS", "READERS", "TARGETS", "WRITERS", "Reader", "Writer"]
