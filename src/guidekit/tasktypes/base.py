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

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._quality_regions import MatchMode


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

    # -- record values (record checks) -------------------------------------------------------

    # -- delivery (fast path, conditions) ----------------------------------------------------

    # -- generators (JSON Schema, models) ----------------------------------------------------

    # -- handbook ----------------------------------------------------------------------------

    # -- quality (agreement, gold) -----------------------------------------------------------

    def quality_labels(self, task: ir.Task) -> list[str]:
        """The classes agreement and gold scores count, in order; a class's comparable form
        (see :meth:`quality_values`) is its index in this list."""
        return list(task.labels())

    def quality_values(self, task: ir.Task, missing: object) -> Callable[[Any], tuple[bool, Any]]:
        """``value -> (readable, comparable)`` for agreement, gold and revisions: equal
        comparable forms mean the same answer. ``readable`` is ``False`` for a value the
        validator rejects; an absent value is ``(True, missing)`` (not rated). By default
        no value is comparable."""
        return lambda v: (True, missing) if v is None else (False, None)

    def agreement_kind(self) -> str | None:
        """The family of agreement statistics the quality package computes on the comparable
        values: ``"labels"`` (one class index each: alpha, Fleiss' and Cohen's kappa),
        ``"sets"`` (frozensets of class indices: MASI), ``"numbers"``, ``"text"``, or
        ``"regions"`` (lists of :class:`~guidekit.tasktypes._quality_regions.Region`, matched
        by :meth:`agreement_matches`). ``None``: agreement is not measured
        (:meth:`agreement_unmeasured` says why)."""
        return None

    def agreement_unmeasured(self) -> str:
        """The note an agreement report shows when :meth:`agreement_kind` is ``None``."""
        return f"agreement on {self.name} tasks is not measured"

    def agreement_level(self) -> str:
        """The level of Krippendorff's alpha the type implies (``nominal``, ``ordinal``,
        ``interval``, ``ratio``)."""
        return "nominal"

    def agreement_weighted(self) -> bool:
        """Whether Cohen's kappa is weighted (by rank distance) for this type."""
        return False

    def agreement_matches(self, thresholds: Sequence[float]) -> list[MatchMode]:
        """How regions are matched for agreement: one F1 statistic per mode, named by the
        mode (``thresholds``: the IoU thresholds asked for or declared)."""
        raise NotRepresentable(f"regions of a {self.name} task cannot be matched")

    def agreement_note(self) -> str:
        """What the region agreement statistics mean (shown in the report)."""
        return ""

    def gold_kind(self) -> str | None:
        """How gold scores count: ``"labels"`` (confusion matrix, accuracy), ``"sets"``
        (per class, exact-set accuracy), ``"regions"`` (matched by :meth:`gold_match`);
        ``None``: gold scores are not measured for this type."""
        return None

    def gold_match(self, iou: float) -> MatchMode:
        """How a delivered region matches a gold region (``iou``: the threshold asked for)."""
        raise NotRepresentable(f"regions of a {self.name} task cannot be scored against gold")

    def single_label(self) -> bool:
        """The value is exactly one class of the task (audits stratify by the first such
        task; revisions name the change)."""
        return False

    def revision_summary(self, labels: Sequence[str]) -> str | None:
        """How a revision shows a value given its class ids (sorted); ``None``: changes of
        this type are counted but not named."""
        return None

    def distribution_keys(self, task: ir.Task) -> list[str]:
        """The keys of the class distribution, each counted from zero."""
        return [c.id for c in task.classes]

    def distribution_value(self, value: Any) -> list[str] | None:
        """The keys a (present) value counts for, ``[]`` when it is not labelled; ``None``
        (the default): the classes the value names and their ancestors."""
        return None

    # -- versioning (diff, migration) --------------------------------------------------------

    def leaf_only_applies(self) -> bool:
        """Whether ``leaf_only`` means anything for this type (a diff reports its change, and
        a class that gained children is split)."""
        return True

    def diff_class_added_rule(self) -> str:
        """The diff rule of a class added to a task of this type."""
        return "class-added"

    def diff_reordered_rule(self) -> str:
        """The diff rule of classes reordered in a task of this type."""
        return "task-display-changed"

    def diff_settings(self, a: ir.Task, b: ir.Task) -> list[tuple[str, str, Any, Any]]:
        """Settings only this type has, old task ``a`` to new ``b``: ``(rule, setting, old,
        new)``; the diff reports those whose values differ."""
        return []

    def migration_merges(self) -> bool:
        """Two labels of one value that a migration maps to the same class become one."""
        return False

    # -- bridges (tool configs, readers, writers) --------------------------------------------

    def __repr__(self) -> str:
        return f"<task type {self.name}>"
