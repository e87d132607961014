"""The ``keypoints`` task type: labelled sets of named points on an image."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from guidekit.diagnostics.pointer import escape as esc
from guidekit.tasktypes._format import ConfigFinding, Report, check_image_over, fill_region_labels
from guidekit.tasktypes._values import Problem, inside, is_num
from guidekit.tasktypes._values_regions import check_image_regions
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir


class Keypoints(TaskType):
    name = "keypoints"
    summary = "Labelled sets of named points on an image."
    region = True
    image = True
    over_field_types = ("image",)

    # -- format and lowering (compiler) ----------------------------------------------------

    condition_keys = frozenset({"has", "has_any", "count"})
    agreement_metrics = frozenset({"box_f1"})
    gold_scores = True

    def check_config(self, guideline: ir.Guideline, task: ir.Task) -> Iterator[ConfigFinding]:
        yield from check_image_over(guideline, task)
        if task.skeleton is None and any(c.skeleton is None for c in task.classes):
            yield ConfigFinding(
                "GK310",
                f"keypoints task '{task.id}' needs a `skeleton` (on the task or on every class)",
                task.loc,
            )
        for sk, where in [(task.skeleton, task.loc)] + [(c.skeleton, c.loc) for c in task.classes]:
            if sk is None:
                continue
            for a, b in sk.edges:
                for p in (a, b):
                    if p not in sk.points:
                        yield ConfigFinding(
                            "GK302", f"skeleton edge names '{p}', which is not a keypoint", where
                        )
            for p, n in Counter(sk.points).items():
                if n > 1:
                    yield ConfigFinding("GK301", f"keypoint '{p}' is declared twice", where)

    def points_into(self, guideline: ir.Guideline, task: ir.Task) -> str | None:
        return task.over

    def canonical_value(
        self,
        task: ir.Task,
        value: Any,
        default_label: Any,
        record: Mapping[str, Any],
        report: Report,
    ) -> Any:
        return fill_region_labels(value, default_label, None)

    # -- record values (record checks) -----------------------------------------------------

    def check_value(
        self,
        guideline: ir.Guideline,
        task: ir.Task,
        value: Any,
        record: Mapping[str, Any] | None,
        annotations: Mapping[str, Any],
    ) -> Iterator[Problem]:
        return check_image_regions(guideline, task, value, record, "points", self.check_shape)

    def check_missing(self, task: ir.Task) -> Iterator[Problem]:
        return iter(())  # no list means no regions

    def check_shape(
        self,
        task: ir.Task,
        cid: str | None,
        points: Any,
        bounds: tuple[float, float] | None,
        tol: float,
        ptr: str,
        size: tuple[float, float] | None = None,
    ) -> Iterator[Problem]:
        """Problems of one region's ``points`` (named keypoints of the class's skeleton)."""
        if not isinstance(points, dict):
            yield Problem("keypoints.shape", ptr, "keypoints are an object {name: [x, y, v]}")
            return
        skeleton = task.skeleton_for(cid) if cid else task.skeleton
        names = set(skeleton.points) if skeleton else None
        for name, p in points.items():
            pp = f"{ptr}/{esc(name)}"
            if names is not None and name not in names:
                yield Problem("keypoints.name", pp, f"'{name}' is not a keypoint of the skeleton")
                continue
            if not isinstance(p, list) or len(p) != 3 or not all(is_num(v) for v in p):
                yield Problem("keypoints.shape", pp, "a keypoint is [x, y, visibility]")
                continue
            x, y, v = p
            if v not in (0, 1, 2):
                yield Problem(
                    "keypoints.visibility",
                    f"{pp}/2",
                    f"visibility {v} is not 0 (not labelled), 1 (occluded) or 2 (visible)",
                )
            elif v > 0 and not inside(x, y, bounds, tol):
                yield Problem("keypoints.outside", pp, f"keypoint '{name}' lies outside the image")

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Keypoints()
