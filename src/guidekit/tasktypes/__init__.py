"""The registry of annotation task types: one module per type, asked by every stage.

>>> from guidekit import tasktypes
>>> tasktypes.get("bbox").image
True

Built-in types are listed in :data:`BUILTIN`; third parties add their own through the
``guidekit.tasktypes`` entry point group, each entry naming a :class:`TaskType` subclass or
instance::

    [project.entry-points."guidekit.tasktypes"]
    heatmap = "my_package.heatmap:Heatmap"

Nothing outside this package switches on a type's name: ask :func:`get` (or :func:`of` for
an IR task) for the type's flags and hooks.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from guidekit import plugins
from guidekit.tasktypes.base import NotRepresentable, TaskType
from guidekit.tasktypes.numbers import number_type

if TYPE_CHECKING:
    from guidekit import ir

#: built-in types in the order the format reference lists them
BUILTIN = (
    "single",
    "multi",
    "ordinal",
    "spans",
    "bbox",
    "polygon",
    "keypoints",
    "tracks",
    "relations",
    "text",
    "number",
    "boolean",
)

_REGISTRY: dict[str, TaskType] = {}
_loaded = False


def register(task_type: TaskType | type[TaskType]) -> TaskType:
    """Add a task type (an instance or a subclass to instantiate); returns the instance."""
    instance = task_type() if isinstance(task_type, type) else task_type
    _REGISTRY[instance.name] = instance
    return instance


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for name in BUILTIN:
        module = importlib.import_module(f"guidekit.tasktypes.{name}")
        register(module.TASK_TYPE)
    # a plugin cannot replace a built-in type
    for ep in plugins.discover("guidekit.tasktypes", _REGISTRY).values():
        register(plugins.load(ep, _is_task_type))


def _is_task_type(obj: Any) -> bool:
    return isinstance(obj, TaskType) or (isinstance(obj, type) and issubclass(obj, TaskType))


def get(name: str) -> TaskType:
    """The task type called ``name``; ``KeyError`` when no such type is registered."""
    _load()
    return _REGISTRY[name]


def of(task: ir.Task) -> TaskType:
    """The task type of an IR task."""
    return get(task.type)


def names() -> tuple[str, ...]:
    """Every registered type's name: built-ins first, in :data:`BUILTIN` order."""
    _load()
    return tuple(_REGISTRY)


def all_types() -> tuple[TaskType, ...]:
    _load()
    return tuple(_REGISTRY.values())


__all__ = [
    "BUILTIN",
    "NotRepresentable",
    "TaskType",
    "all_types",
    "get",
    "names",
    "number_type",
    "of",
    "register",
]
