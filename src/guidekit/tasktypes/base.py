"""The task-type protocol: everything the shared machinery may ask of an annotation type.

One subclass of :class:`TaskType` per annotation type, one module each (``single.py``,
``bbox.py``, ...). The compiler, the record checks, the delivery validator, the generators,
the handbook, the quality metrics, the diff and the tool bridges ask the registry
(:func:`guidekit.tasktypes.of`) instead of switching on a type's name; adding a type is
adding a module (and registering it, see :mod:`guidekit.tasktypes`).

Sections below follow the pipeline; a hook that a type does not support keeps the default,
which either does nothing or says clearly that the type is not representable there.

This module sits low in the package: it may import :mod:`guidekit.ir`,
:mod:`guidekit.spec` and :mod:`guidekit.diagnostics` and the ``_``-prefixed helper modules
of this package, nothing above them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from guidekit.tasktypes._format import ConfigFinding, Report
from guidekit.tasktypes._values import Problem

if TYPE_CHECKING:
    from guidekit import ir


class NotRepresentable(Exception):
    """A target (tool, format, metric) cannot carry values of this task type."""


class TaskType:
    """Base of every annotation type. Subclasses set the class variables and override the
    hooks they support."""

    #: the ``type:`` of a task in the guideline (``single``, ``bbox``, ...)
    name: ClassVar[str]
    #: one line for the format reference and the handbook
    summary: ClassVar[str] = ""
    #: the task's value names classes (``False`` for text, number, boolean)
    has_classes: ClassVar[bool] = True
    #: one label (or a list of labels) for the whole record
    classification: ClassVar[bool] = False
    #: the value is a list of regions, each with a label, drawn on an input field
    region: ClassVar[bool] = False
    #: regions are drawn on an image (boxes, polygons, keypoints)
    image: ClassVar[bool] = False
    #: input field types ``over:`` may name (empty: the task is not drawn over a field)
    over_field_types: ClassVar[tuple[str, ...]] = ()

    # -- format and lowering (compiler) ------------------------------------------------------

    #: class keys only some types use (``min_size``, ``from``, ``to``): the ones this type uses
    class_keys: ClassVar[frozenset[str]] = frozenset()
    #: rule-condition keys (``is``, ``has``, ``at_least``, ``equals``, ...) that test this type
    condition_keys: ClassVar[frozenset[str]] = frozenset()
    #: agreement metrics an acceptance criterion may compute on this type
    agreement_metrics: ClassVar[frozenset[str]] = frozenset()
    #: gold scores (per-class accuracy, F1) apply to this type
    gold_scores: ClassVar[bool] = False

    def leaf_labels_only(self, task: ir.Task) -> bool:
        """Whether values may name only leaf classes. Default: the task's ``leaf_only``."""
        return task.leaf_only

    def check_config(self, guideline: ir.Guideline, task: ir.Task) -> Iterator[ConfigFinding]:
        """Problems of the task's type-specific keys (``over``, bounds, skeletons, ...).

        Default: none."""
        return iter(())

    def points_into(self, guideline: ir.Guideline, task: ir.Task) -> str | None:
        """The input field this task's values point into (span offsets, image coordinates);
        an example must give it. Default: ``None`` (values stand alone)."""
        return None

    def canonical_value(
        self,
        task: ir.Task,
        value: Any,
        default_label: Any,
        record: Mapping[str, Any],
        report: Report,
    ) -> Any:
        """The canonical form of an example's annotation (``None`` when it gives none).

        ``default_label`` is the class the example illustrates (or ``None``); shorthands are
        expanded here. ``report(path, message, hint)`` reports a value that cannot be made
        canonical. Default: the value as written."""
        return value

    # -- record values (record checks) -------------------------------------------------------

    def check_missing(self, task: ir.Task) -> Iterator[Problem]:
        """Problems of a record that gives no value for ``task``.

        Default: an error when the task is required (region types override: no list means
        no regions)."""
        if task.required:
            yield Problem("value.missing", "", f"task '{task.id}' has no value")

    def check_value(
        self,
        guideline: ir.Guideline,
        task: ir.Task,
        value: Any,
        record: Mapping[str, Any] | None,
        annotations: Mapping[str, Any],
    ) -> Iterator[Problem]:
        """Every problem of ``value`` (never ``None``) as an annotation of ``task``.

        ``record`` holds the input fields (``None`` when unknown), ``annotations`` the record's
        other task values. Default: every value is accepted (a type without checks)."""
        return iter(())

    # -- delivery (fast path, conditions) ----------------------------------------------------

    # -- generators (JSON Schema, models) ----------------------------------------------------

    # -- handbook ----------------------------------------------------------------------------

    # -- quality (agreement, gold) -----------------------------------------------------------

    # -- versioning (diff, migration) --------------------------------------------------------

    # -- bridges (tool configs, readers, writers) --------------------------------------------

    def __repr__(self) -> str:
        return f"<task type {self.name}>"
