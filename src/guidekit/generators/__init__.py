"""Build targets of ``guidekit build``: each turns the IR into files in one output folder.

A target is a function ``generate(guideline, out, **options) -> Output``; it reads only the
IR and writes only under ``out``. Options a target does not use are ignored (``audience``
matters to the handbook, not to a JSON Schema). Register a target with one line in
:data:`TARGETS` (``name -> "module:function"``); modules are imported only when their target
runs, so ``guidekit --help`` stays fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidekit import ir

#: Target name -> ``"module:function"``.
TARGETS: dict[str, str] = {
    "handbook": "guidekit.handbook.target:generate",
    "labelstudio": "guidekit.bridges.targets:labelstudio",
    "cvat": "guidekit.bridges.targets:cvat",
    "argilla": "guidekit.bridges.targets:argilla",
    "schema": "guidekit.generators.jsonschema:generate",
    "models": "guidekit.generators.models:generate",
}


@dataclass(frozen=True)
class Output:
    """What a target wrote: the files (sorted) and a one-line note for people."""

    target: str
    out: Path
    files: tuple[Path, ...] = ()
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


Generator = Callable[..., Output]


def names() -> list[str]:
    return sorted(TARGETS)


def get(name: str) -> Generator:
    """The generator function of target ``name`` (``KeyError`` when unknown)."""
    module, _, func = TARGETS[name].partition(":")
    generator: Generator = getattr(importlib.import_module(module), func)  # named in TARGETS
    return generator


def generate(name: str, guideline: ir.Guideline, out: Path, **options: Any) -> Output:
    return get(name)(guideline, out, **options)
