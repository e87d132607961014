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

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._handbook_page import Drawn, Markup, Page
    from guidekit.tasktypes._handbook_svg import Shape


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

    # -- versioning (diff, migration) --------------------------------------------------------

    # -- bridges (tool configs, readers, writers) --------------------------------------------

    def __repr__(self) -> str:
        return f"<task type {self.name}>"
