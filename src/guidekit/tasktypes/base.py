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
from typing import TYPE_CHECKING

import orjson

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._delivery_fast import CondContext, FastGen
    from guidekit.tasktypes._generators_schema import SchemaGen
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._handbook_page import Drawn, Markup, Page
    from guidekit.tasktypes._handbook_svg import Shape
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._quality_regions import MatchMode
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._bridge_maps import CvatMap, ImageShape, LabelStudioMap


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

    def csv_cell(self, value: str) -> Any:
        """A non-empty CSV cell of this task's column as a value: JSON text by default
        (``orjson.JSONDecodeError`` when it is not JSON)."""
        return orjson.loads(value)

    def bounds_need(self, task: ir.Task) -> str | None:
        """What checking the bounds of ``task``'s values needs from the record: ``"text"``
        (the text of its ``over`` field), ``"image"`` (the pixel size of its image) or
        ``None``. Records where it is missing are counted as not checked (GK545)."""
        return None

    def one_label(self) -> bool:
        """A value is one label (or none): ``is:`` tests that label and a distribution
        bound counts records labelled the class, instead of records having it at all."""
        return False

    def cond_labels(self, task: ir.Task, v: str, bare: bool, once: bool) -> str:
        """Python expression of the labels in value ``v`` (a fast-path struct field, maybe
        ``None``): a list, or with ``once`` any iterable read once. ``bare``: the values
        are bare labels. Types without labels have none."""
        return "[]"

    def cond_rank(self, task: ir.Task, v: str, cc: CondContext) -> str | None:
        """Python expression of the rank of value ``v`` for ``at_least``/``at_most``
        (``None`` when unknown); ``None``: the type has no order and those conditions fail."""
        return None

    def fast_struct_fields(self, task: ir.Task, label: str, attrs: str) -> list[str]:
        """Fields of the fast path's msgspec struct for one item labelled ``label``, after
        ``label`` and ``cond``; ``attrs`` is the annotation of its ``attributes``."""
        return [f"attributes: {attrs}"]

    def fast_value_type(self, task: ir.Task, item: str) -> str:
        """The msgspec annotation of a value of ``task`` (``None`` is added by the caller);
        ``item`` is the union of the task's label structs. By default the fast path does not
        vouch for a value (``UnsetType``): every record with one takes the full checker."""
        return "UnsetType"

    def fast_check(self, task: ir.Task, gen: FastGen) -> None:
        """Emit the checks of a decoded value into the fast path's ``check(r)`` through
        ``gen.src``; each ``return False`` sends the record to the full checker."""

    # -- generators (JSON Schema, models) ----------------------------------------------------

    def schema_value(self, task: ir.Task, head: dict[str, Any], gen: SchemaGen) -> dict[str, Any]:
        """JSON Schema of a value of ``task``, starting from ``head`` (its title)."""
        raise NotRepresentable(f"task type '{self.name}' cannot be stated in JSON Schema")

    def schema_item(
        self, task: ir.Task, label: dict[str, Any], names: tuple[str, ...] | None
    ) -> tuple[dict[str, Any], list[str]]:
        """Properties and required keys of one item object (``label``: the schema of its
        label; ``names``: the task's default skeleton), before ``attributes``."""
        raise NotRepresentable(f"task type '{self.name}' has no item object in JSON Schema")

    def per_class_points(self) -> bool:
        """Items carry ``points`` named by their class's skeleton: the schema and the models
        group labels by skeleton as well as by attribute rules (see :meth:`schema_points`)."""
        return False

    def schema_points(self, names: tuple[str, ...] | None) -> dict[str, Any]:
        """JSON Schema of an item's ``points`` for the skeleton ``names`` (any names when
        ``None``); asked only when :meth:`per_class_points`."""
        raise NotRepresentable(f"task type '{self.name}' has no points in JSON Schema")

    def model_value(self, task: ir.Task, item: str) -> str:
        """The pydantic annotation of a value of ``task``; ``item`` is the annotation of one
        label or region (the union of the task's item models, with its bare labels)."""
        raise NotRepresentable(f"task type '{self.name}' cannot be stated as a pydantic model")

    def model_item_kind(self) -> str:
        """What one item of a value is called in the models' docstrings (``box``, ...)."""
        raise NotRepresentable(f"task type '{self.name}' has no item model")

    def model_item_fields(self, task: ir.Task, names: tuple[str, ...] | None) -> list[str]:
        """Lines of an item model after its ``label`` and before its ``attributes``
        (``names``: the item's skeleton when :meth:`per_class_points`)."""
        return []

    # -- handbook ----------------------------------------------------------------------------
    # Hooks get the handbook's ``page`` (see ``_handbook_page.Page``: escapers, links, colours,
    # pictures) and return Markdown or HTML; drawing primitives are in ``_handbook_svg`` and
    # ``_handbook_spans``. Every default draws nothing, so a plug-in type shows its fields as
    # plain values and its value as written.

    #: the classes are the levels of an ordered scale: the handbook numbers them, and a class
    #: with children is never a mere group (``leaf_only`` does not apply)
    handbook_levels: ClassVar[bool] = False
    #: the value links regions of the task named by ``over:`` and is drawn on that task's
    #: picture (``relations``)
    links_regions: ClassVar[bool] = False

    def handbook_kind(self) -> str:
        """The kind of task in a few words (``bounding boxes``), for the task list and page."""
        return self.name

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        """What the annotator does, in one or two Markdown sentences (``None``: the summary).

        The handbook adds the sentences every type shares (may the task be left empty, are
        only the most specific classes labels).
        """
        return None

    def handbook_class_notes(self, task: ir.Task, cls: ir.Class, page: Page) -> list[str]:
        """Markdown paragraphs of a class page that only this type has (its keypoints, ...)."""
        return []

    def handbook_field(
        self,
        task: ir.Task,
        value: Any,
        name: str,
        raw: Any,
        field: ir.InputField | None,
        page: Page,
        links: Sequence[tuple[str, str, str]] = (),
        directed: bool = True,
    ) -> Drawn | None:
        """The input field ``name`` (the task's ``over:``) with the annotation ``value`` drawn
        in, as one line of HTML placed under the field's name; ``None`` shows the field as it
        would be without the task.

        ``links`` are ``(label, from region id, to region id)`` of a task that links this
        task's regions (``directed``: drawn as arrows), to draw as well.
        """
        return None

    def handbook_shapes(self, task: ir.Task, value: Any, size: tuple[float, float]) -> list[Shape]:
        """Pixel shapes of a value drawn on a picture of ``size`` (malformed regions skipped)."""
        return []

    def handbook_region(
        self, task: ir.Task, region: dict[str, Any], text: str | None, page: Page
    ) -> str:
        """HTML after a region's label in the list below the record (where it is, what it
        covers); ``text`` is the field's text when :meth:`handbook_field` drew on text."""
        return ""

    def handbook_quote(self, region: dict[str, Any], text: str | None) -> str:
        """HTML quoting what a region covers, after its label where another task names it."""
        return ""

    def handbook_links(self, task: ir.Task, value: Any) -> list[tuple[str, str, str]]:
        """``(label, from region id, to region id)`` of each link in a value
        (:attr:`links_regions` types)."""
        return []

    def handbook_link_items(
        self,
        task: ir.Task,
        value: Any,
        over: ir.Task | None,
        regions: Any,
        text: str | None,
        page: Page,
    ) -> list[str]:
        """HTML list items (``<li>``) naming each link of a :attr:`links_regions` value between
        the ``regions`` of the ``over`` task."""
        return []

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

    def agreement_extras(
        self, task: ir.Task, pairs: Sequence[tuple[Any, Any]], thresholds: Sequence[float]
    ) -> dict[str, float]:
        """Named measures beyond the statistics of :meth:`agreement_kind`, over every pair
        ``(a, b)`` of comparable values of one item (``a``: the earlier annotator), e.g. a
        tracking type's MOTA and id switches. Default: none."""
        return {}

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

    #: the value is a list of labels (tools that carry one tag per label give all of them)
    many_labels: ClassVar[bool] = False
    #: the value is a yes/no answer: tools carry it as a choice, not as one of the task's classes
    yes_no: ClassVar[bool] = False
    #: a Label Studio ``rating`` of *n* means the task's *n*-th class (ordered classes)
    rating_classes: ClassVar[bool] = False

    def labelstudio_results(self) -> tuple[str, ...]:
        """The ``type`` values of Label Studio export results that may belong to a task of
        this type (``rectanglelabels``, ``choices``, ...); none by default."""
        return ()

    def labelstudio(self) -> LabelStudioMap:
        """How a Label Studio config asks for the task.

        Raises :class:`NotRepresentable` (the default) when Label Studio cannot hold the type."""
        raise NotRepresentable(f"Label Studio cannot hold '{self.name}' tasks")

    def image_shape(self) -> ImageShape | None:
        """The drawing primitive of one value in single-image formats (COCO, YOLO, Pascal VOC,
        doccano's image format): ``box``, ``polygon`` or ``keypoints``; ``None`` (the
        default) when the type's values are not one shape on one image."""
        return None

    def cvat(self) -> CvatMap:
        """The CVAT label type and XML element of the task's values.

        Raises :class:`NotRepresentable` (the default) for types CVAT cannot hold."""
        from guidekit.tasktypes._bridge_maps import CVAT_NOT_IMAGE

        raise NotRepresentable(CVAT_NOT_IMAGE)

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        """The Argilla question for the task: its type and its settings (after ``type``).

        Raises :class:`NotRepresentable` (the default) with the reason Argilla cannot."""
        raise NotRepresentable(f"Argilla cannot hold '{self.name}' tasks")

    def __repr__(self) -> str:
        return f"<task type {self.name}>"
