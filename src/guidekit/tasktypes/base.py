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

from typing import TYPE_CHECKING, Any, ClassVar

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

    # -- record values (record checks) -------------------------------------------------------

    # -- delivery (fast path, conditions) ----------------------------------------------------

    # -- generators (JSON Schema, models) ----------------------------------------------------

    # -- handbook ----------------------------------------------------------------------------

    # -- quality (agreement, gold) -----------------------------------------------------------

    # -- versioning (diff, migration) --------------------------------------------------------

    # -- bridges (tool configs, readers, writers) --------------------------------------------

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
