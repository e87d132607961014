"""What the tool bridges ask of a task type: small mapping objects, plain data only.

The bridges (:mod:`guidekit.bridges`) keep the XML and JSON plumbing; a task type says how a
tool holds its values through the hooks of the "bridges" section of
:class:`~guidekit.tasktypes.base.TaskType`, or raises
:class:`~guidekit.tasktypes.base.NotRepresentable` with the reason the bridge reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from guidekit import ir

#: how a Label Studio config asks for a task's value
LabelStudioControl = Literal["choices", "yes-no", "textarea", "number", "regions", "relations"]


#: one region's primitive in single-image formats (COCO, YOLO, Pascal VOC, doccano)
ImageShape = Literal["box", "polygon", "keypoints"]


@dataclass(frozen=True)
class LabelStudioMap:
    """How Label Studio holds one task.

    ``control`` picks the config block the bridge writes; ``tag`` is the region control
    (``RectangleLabels``, ...) when ``control`` is ``"regions"``; ``points`` adds a
    ``KeyPointLabels`` control named ``<task>__points`` for skeleton points."""

    control: LabelStudioControl
    tag: str | None = None
    points: bool = False
    #: ``choice`` of a ``<Choices>`` control (``single-radio`` or ``multiple``)
    choice: str = "single-radio"
    #: ``showInline`` on ``<Choices>``
    inline: bool = False
    #: ``maxUsages="1"`` on a ``<Taxonomy>``
    one_usage: bool = False
    #: the region control (``VideoRectangle``) draws without labels: the classes go into a
    #: ``<Labels>`` control named ``<task>__labels`` on the same object
    separate_labels: bool = False


@dataclass(frozen=True)
class CvatMap:
    """How CVAT holds one task: the label ``type`` in the labels JSON (``rectangle``,
    ``polygon``, ``skeleton``, ``tag``) and the element of "CVAT for images" XML that carries
    one value (``box``, ``polygon``, ``skeleton``, ``tag``)."""

    label_type: str
    element: str
    #: for values that are ``<track>`` elements of "CVAT for video" XML (``element`` is
    #: ``track``): the shape element of each frame inside a track (``box``, ...)
    frame_shape: str | None = None


#: the reason Argilla gives for the region and relation types
ARGILLA_NO_REGIONS = "Argilla has no image regions or relations"
#: the reason CVAT gives for tasks that are not drawn on an image
CVAT_NOT_IMAGE = "CVAT labels shapes and tags of images"

CLASSIFICATION_RESULTS = ("choices", "taxonomy")


def argilla_options(task: ir.Task) -> list[dict[str, str]]:
    """The options of a label question: one per selectable class, named by the class name."""
    return [{"text": task[cid].name, "value": cid} for cid in task.labels()]


def argilla_visible(options: list[dict[str, Any]]) -> int | None:
    """How many options the UI shows (Argilla's default: all of them, from three on)."""
    return len(options) if len(options) >= 3 else None


def argilla_labels(task: ir.Task) -> dict[str, Any]:
    """Settings of a question over the task's classes."""
    options = argilla_options(task)
    return {"options": options, "visible_options": argilla_visible(options)}
