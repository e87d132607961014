"""Build targets of ``guidekit build``: each turns the IR into files in one output folder.

A target is a function ``generate(guideline, out, **options) -> Output``; it reads only the
IR and writes only under ``out``. Options a target does not use are ignored. Register a target
with one line in :data:`TARGETS` (``name -> "module:function"``); modules are imported only
when their target runs, so ``guidekit --help`` stays fast.

Audiences are applied here, once, for every target: :func:`generate` hands each target the IR
that :func:`guidekit.audience.for_audience` returns for the ``audience`` option (an unknown
audience is GK011 before any target runs), so a target cannot forget to filter. A target that
reads more than the IR (the guideline's files, say) cannot be filtered: it sets
``audience_safe = False`` on its function, and :func:`generate` refuses to build it for an
audience (GK018).

Third-party packages add targets through the ``guidekit.targets`` entry point group, each
entry naming a :class:`Target`; a plugin cannot replace a built-in target::

    [project.entry-points."guidekit.targets"]
    rubric = "my_package.rubric:generate"
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any, Protocol

from guidekit import ir, outputs, plugins
from guidekit.audience import for_audience
from guidekit.diagnostics.codes import diag
from guidekit.errors import GuidekitError

#: Target name -> ``"module:function"``.
TARGETS: dict[str, str] = {
    "handbook": "guidekit.handbook.target:generate",
    "labelstudio": "guidekit.bridges.targets:labelstudio",
    "cvat": "guidekit.bridges.targets:cvat",
    "argilla": "guidekit.bridges.targets:argilla",
    "schema": "guidekit.generators.jsonschema:generate",
    "models": "guidekit.generators.models:generate",
    "prompt": "guidekit.generators.prompt:generate",
    "pdf": "guidekit.handbook.pdf:generate",
}

#: Targets built only when named (``--target``): they need a program guidekit does not
#: install (the PDF needs headless Chromium).
OPT_IN: frozenset[str] = frozenset({"pdf"})


@dataclass(frozen=True)
class Output:
    """What a target wrote: the files (sorted) and a one-line note for people."""

    target: str
    out: Path
    files: tuple[Path, ...] = ()
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


Generator = Callable[..., Output]


class Target(Protocol):
    """What a ``guidekit.targets`` entry point names: write the target's files for
    ``guideline`` under ``out`` and say what was written. ``options`` are those of
    ``guidekit build`` (``audience``, ``site``, ``since``, ``history``, ``tags``); accept
    ``**options`` and ignore what does not apply. With an ``audience`` the guideline is
    already filtered for it; a target that reads more than the guideline (its files, say)
    sets ``audience_safe = False`` on the function and is refused with an audience."""

    def __call__(self, guideline: ir.Guideline, out: Path, **options: Any) -> Output: ...


@functools.cache
def plugin_targets() -> dict[str, EntryPoint]:
    """Targets declared by installed packages (not imported until built)."""
    return plugins.discover("guidekit.targets", TARGETS)


def names() -> list[str]:
    """Every target: built-in and from plugins."""
    return sorted([*TARGETS, *plugin_targets()])


def defaults() -> list[str]:
    """The targets ``guidekit build`` builds when none is named: every target but
    :data:`OPT_IN`."""
    return [n for n in names() if n not in OPT_IN]


def get(name: str) -> Generator:
    """The generator function of target ``name`` (``KeyError`` when unknown)."""
    if name not in TARGETS:
        target: Generator = plugins.load(plugin_targets()[name], callable)
        return target
    module, _, func = TARGETS[name].partition(":")
    generator: Generator = getattr(importlib.import_module(module), func)  # named in TARGETS
    return generator


def audience_safe(target: Generator) -> bool:
    """Whether ``target`` reads only the IR, so that filtering the IR filters its output."""
    return getattr(target, "audience_safe", True) is not False


def _audience_view(
    chosen: Sequence[str], guideline: ir.Guideline, audience: str | None
) -> ir.Guideline:
    """The IR every target gets: filtered by :func:`guidekit.audience.for_audience` (GK011 for
    an unknown audience); GK018 for a target that cannot be filtered. Checked before anything
    is written."""
    view = for_audience(guideline, audience)
    if audience is not None:
        for name in chosen:
            if not audience_safe(get(name)):
                raise GuidekitError(
                    diag(
                        "GK018",
                        f"target '{name}' cannot be built for an audience: it reads more than "
                        "the compiled guideline, so guidekit cannot keep restricted text out of it",
                        hint=f"build '{name}' without --audience, for readers cleared for everything",
                    )
                )
    return view


def build(
    chosen: Sequence[str],
    guideline: ir.Guideline,
    out: Path,
    *,
    force: bool = False,
    **options: Any,
) -> list[Output]:
    """Build the targets ``chosen`` into ``out``: the one way a target's files reach disk,
    and the only way a target gets its IR (filtered for ``options["audience"]``).

    One target writes into ``out`` itself, several into a subfolder each, named after it.
    The targets write into a staging folder, and :func:`guidekit.outputs.publish` moves
    their files into ``out`` only when every one succeeded: ``out`` must be new, empty or
    guidekit's (its marker), or ``force`` given, and no file guidekit did not write is
    changed or deleted."""
    out = Path(out)
    single = len(chosen) == 1
    view = _audience_view(chosen, guideline, options.get("audience"))

    def write(stage: Path) -> list[Output]:
        results = []
        for name in chosen:
            where = stage if single else stage / name
            final = out if single else out / name

            def _moved(file: str | None, where: Path = where, final: Path = final) -> str | None:
                return file.replace(str(where), str(final), 1) if file else file

            try:
                result = get(name)(view, where, **options)
            except GuidekitError as exc:  # spell a file of the staging folder as it will be
                raise GuidekitError(
                    [
                        replace(d, location=replace(d.location, file=_moved(d.location.file)))
                        for d in exc.diagnostics
                    ]
                ) from None
            files = tuple(
                sorted(
                    final / Path(f).relative_to(where) if Path(f).is_relative_to(where) else Path(f)
                    for f in result.files
                )
            )
            note = result.note.replace(str(where), str(final))
            results.append(replace(result, out=final, files=files, note=note))
        return results

    results, _ = outputs.publish(out, ",".join(chosen), write, force=force)
    return results


def generate(
    name: str, guideline: ir.Guideline, out: Path, *, force: bool = False, **options: Any
) -> Output:
    """Build one target into ``out`` (see :func:`build`)."""
    return build([name], guideline, out, force=force, **options)[0]
