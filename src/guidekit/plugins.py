"""Entry points: how third-party packages add task types, build targets and file formats.

One loader serves every group (:data:`GROUPS`). A plugin never replaces a built-in name (or
one an earlier plugin took): it is left out with a :class:`PluginWarning`. A plugin that
fails to import, or whose object is not what its group expects, stops the command with a
GK020 error that names the entry point, instead of a traceback.

>>> sorted(GROUPS)
['guidekit.formats', 'guidekit.targets', 'guidekit.tasktypes']
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Collection
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from guidekit.diagnostics.codes import diag
from guidekit.errors import GuidekitError

#: Entry-point group -> what each entry must name (for messages and documentation).
GROUPS: dict[str, str] = {
    "guidekit.tasktypes": "a TaskType subclass or instance (guidekit.tasktypes.base)",
    "guidekit.targets": "a build target: generate(guideline, out, **options) -> Output",
    "guidekit.formats": "a FileFormat (guidekit.bridges.formats): read, optionally write",
}


class PluginWarning(UserWarning):
    """A plugin was left out: its name is already taken."""


def describe(ep: EntryPoint) -> str:
    """How messages name an entry point: ``heatmap = pkg.mod:Heatmap (guidekit.tasktypes)``."""
    return f"'{ep.name} = {ep.value}' ({ep.group})"


def discover(group: str, taken: Collection[str]) -> dict[str, EntryPoint]:
    """The entry points of ``group`` by name, without importing them; a name in ``taken``
    (the built-ins) or declared twice is left out with a :class:`PluginWarning`."""
    found: dict[str, EntryPoint] = {}
    for ep in entry_points(group=group):
        if ep.name in taken or ep.name in found:
            warnings.warn(
                f"plugin entry point {describe(ep)} is ignored: "
                f"'{ep.name}' is already {'built in' if ep.name in taken else 'taken'}",
                PluginWarning,
                stacklevel=2,
            )
            continue
        found[ep.name] = ep
    return found


def load(ep: EntryPoint, accepts: Callable[[Any], bool] = lambda _: True) -> Any:
    """The object ``ep`` names; GK020 when it cannot be imported or ``accepts`` refuses it."""
    try:
        obj = ep.load()
    except Exception as exc:
        raise _broken(ep, f"it failed to load: {type(exc).__name__}: {exc}") from None
    if not accepts(obj):
        raise _broken(ep, f"it names {obj!r}, not {GROUPS.get(ep.group, 'a plugin')}")
    return obj


def _broken(ep: EntryPoint, why: str) -> GuidekitError:
    return GuidekitError(
        diag(
            "GK020",
            f"plugin entry point {describe(ep)} is broken: {why}",
            None,
            hint="fix or uninstall the package that declares it",
        )
    )


__all__ = ["GROUPS", "PluginWarning", "describe", "discover", "load"]
