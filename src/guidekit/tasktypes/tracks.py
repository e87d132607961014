"""The ``tracks`` task type: objects followed through a video, one box per frame.

A value is a list of tracks, as CVAT for video and Label Studio's ``VideoRectangle``
export them::

    [{"id": "1", "label": "car", "attributes": {...},
      "boxes": [{"frame": 0, "bbox": [x, y, w, h], "keyframe": true, "outside": false,
                 "attributes": {...}}]}]

``bbox`` has the units and format of the ``bbox`` type's boxes (the task's ``coordinates``).
The task is drawn ``over`` a ``video`` field; a record's video is a path or
``{path, frames, width, height}``, and frames and boxes are checked when those are given.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from guidekit import ir
from guidekit.diagnostics.pointer import escape as esc
from guidekit.tasktypes import _quality_regions as R
from guidekit.tasktypes._bridge_maps import CvatMap, LabelStudioMap
from guidekit.tasktypes._format import ConfigFinding, Report, fill_region_labels
from guidekit.tasktypes._generators_schema import (
    SchemaGen,
    model_region_list,
    schema_region_list,
)
from guidekit.tasktypes._handbook_page import Drawn, Markup, Page, html_text
from guidekit.tasktypes._handbook_regions import label_of
from guidekit.tasktypes._values import (
    Problem,
    check_attributes,
    check_label,
    inside,
    is_num,
    region_list,
    type_name,
)
from guidekit.tasktypes.base import TaskType

TRACK_KEYS = frozenset({"id", "label", "attributes", "boxes"})
BOX_KEYS = frozenset({"frame", "bbox", "keyframe", "outside", "attributes"})
#: the filmstrip's frame size in pixels
THUMB = (96.0, 54.0)


class Tracks(TaskType):
    name = "tracks"
    summary = "Objects tracked through a video: one box per frame, with an object id."
    over_field_types = ("video",)

    condition_keys = frozenset({"has", "has_any", "count"})
    agreement_metrics = frozenset({"box_f1"})

    # -- format and lowering (compiler) ----------------------------------------------------

    def check_config(self, guideline: ir.Guideline, task: ir.Task) -> Iterator[ConfigFinding]:
        f = guideline.record.fields.get(task.over or "")
        if task.over is None:
            yield ConfigFinding(
                "GK310", f"tracks task '{task.id}' needs `over:` naming a video field", task.loc
            )
        elif f is None:
            yield ConfigFinding(
                "GK302",
                f"task '{task.id}' is over '{task.over}', which is not a record field",
                task.loc,
            )
        elif f.type != "video":
            yield ConfigFinding(
                "GK310",
                f"tracks task '{task.id}' is over '{task.over}', a {f.type} field; "
                "tracks need a video field",
                task.loc,
            )

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

    def check_missing(self, task: ir.Task) -> Iterator[Problem]:
        return iter(())  # no list means no tracks

    def check_value(
        self,
        guideline: ir.Guideline,
        task: ir.Task,
        value: Any,
        record: Mapping[str, Any] | None,
        annotations: Mapping[str, Any],
    ) -> Iterator[Problem]:
        bad = list(region_list(value))
        if bad:
            yield from bad
            return
        frames, size = video_of(task, record)
        bounds = (1.0, 1.0) if task.coordinates.units == "normalized" else size
        ids: set[str] = set()
        for i, track in enumerate(value):
            ptr = f"/{i}"
            if not isinstance(track, dict):
                yield Problem(
                    "value.type", ptr, f"a track must be an object, found {type_name(track)}"
                )
                continue
            for k in sorted(set(track) - TRACK_KEYS):
                yield Problem("value.unknown_key", f"{ptr}/{esc(k)}", f"unknown key '{k}'")
            yield from _track_id(track, ids, ptr)
            cid = None
            if "label" not in track:
                yield Problem("value.missing", f"{ptr}/label", "track has no 'label'")
            else:
                yield from check_label(task, track["label"], f"{ptr}/label")
                if isinstance(track["label"], str):
                    cid = task.resolve_label(track["label"])
            if cid is not None:
                yield from check_attributes(task, cid, track.get("attributes"), f"{ptr}/attributes")
            yield from self.check_boxes(task, cid, track, frames, bounds, ptr)
        if not task.allow_empty and not value:
            yield Problem("value.missing", "", f"task '{task.id}' needs at least one track")

    def check_boxes(
        self,
        task: ir.Task,
        cid: str | None,
        track: dict[str, Any],
        frames: int | None,
        bounds: tuple[float, float] | None,
        ptr: str,
    ) -> Iterator[Problem]:
        """Problems of one track's ``boxes``: shape, frame range, one box per frame."""
        boxes = track.get("boxes")
        if not isinstance(boxes, list):
            yield Problem(
                "value.missing" if boxes is None else "value.type",
                f"{ptr}/boxes",
                "a track needs 'boxes', a list of per-frame boxes",
            )
            return
        seen: dict[int, int] = {}
        for j, box in enumerate(boxes):
            bp = f"{ptr}/boxes/{j}"
            if not isinstance(box, dict):
                yield Problem("value.type", bp, f"a box must be an object, found {type_name(box)}")
                continue
            for k in sorted(set(box) - BOX_KEYS):
                yield Problem("value.unknown_key", f"{bp}/{esc(k)}", f"unknown key '{k}'")
            frame = box.get("frame")
            if not isinstance(frame, int) or isinstance(frame, bool) or frame < 0:
                yield Problem("value.type", f"{bp}/frame", "a frame is an integer from 0")
            elif frames is not None and frame >= frames:
                yield Problem(
                    "value.range",
                    f"{bp}/frame",
                    f"frame {frame} is past the video's last frame ({frames - 1})",
                )
            elif frame in seen:
                yield Problem(
                    "region.duplicate_id",
                    f"{bp}/frame",
                    f"track {track.get('id')!r} has two boxes on frame {frame} "
                    f"(boxes {seen[frame]} and {j})",
                )
            else:
                seen[frame] = j
            for flag in ("keyframe", "outside"):
                if flag in box and not isinstance(box[flag], bool):
                    yield Problem("value.type", f"{bp}/{flag}", f"'{flag}' is true or false")
            if cid is not None and box.get("attributes") is not None:
                for p in check_attributes(task, cid, box["attributes"], f"{bp}/attributes"):
                    if p.kind != "attribute.missing":  # a frame gives only what changes
                        yield p
            if "bbox" not in box:
                yield Problem("value.missing", f"{bp}/bbox", "box has no 'bbox'")
                continue
            yield from _check_box(task, box["bbox"], bounds, f"{bp}/bbox")

    # -- generators (JSON Schema, models) --------------------------------------------------

    def schema_value(self, task: ir.Task, head: dict[str, Any], gen: SchemaGen) -> dict[str, Any]:
        return schema_region_list(task, head, gen)

    def schema_item(
        self, task: ir.Task, label: dict[str, Any], names: tuple[str, ...] | None
    ) -> tuple[dict[str, Any], list[str]]:
        c = task.coordinates
        box = {
            "type": "object",
            "properties": {
                "frame": {"type": "integer", "minimum": 0},
                "bbox": {
                    "type": "array",
                    "items": {"type": "number"},
                    "minItems": 4,
                    "maxItems": 4,
                    "description": f"[{', '.join(c.format)}] in {c.units}, origin {c.origin}.",
                },
                "keyframe": {"type": "boolean"},
                "outside": {"type": "boolean"},
                "attributes": {"type": "object"},
            },
            "required": ["frame", "bbox"],
            "additionalProperties": False,
        }
        props = {
            "label": label,
            "id": {"type": ["string", "integer"], "description": "The tracked object's id."},
            "boxes": {"type": "array", "items": box},
        }
        return props, ["label", "boxes"]

    def model_value(self, task: ir.Task, item: str) -> str:
        return model_region_list(task, item)

    def model_item_kind(self) -> str:
        return "track"

    def model_item_fields(self, task: ir.Task, names: tuple[str, ...] | None) -> list[str]:
        return [
            "    id: Union[StrictStr, StrictInt, None] = None",
            "    boxes: list[dict[str, object]]",
        ]

    # -- handbook --------------------------------------------------------------------------

    def handbook_kind(self) -> str:
        return "video tracks"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        over = text.code(task.over) if task.over else "the video"
        return (
            f"Follow every object of a class through {over}: give it an id and draw its box "
            "on each keyframe; mark the frames where it is out of view as outside."
        )

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
        if field is None or field.type != "video" or not isinstance(value, list):
            return None
        _, size = video_of(task, {name: raw} if raw is not None else None, field)
        return Drawn(filmstrip(task, value, size, lambda lb: page.swatch(task.id, lb).color))

    # -- quality (agreement) ---------------------------------------------------------------

    def quality_labels(self, task: ir.Task) -> list[str]:
        return [c.id for c in task.classes]

    def quality_values(self, task: ir.Task, missing: object) -> Any:
        def value(v: Any) -> tuple[bool, Any]:
            out = frame_regions(task, v)
            return (False, None) if out is None else (True, out)

        return value

    def agreement_kind(self) -> str | None:
        return "regions"

    def agreement_matches(self, thresholds: Sequence[float]) -> list[R.MatchMode]:
        return R.iou_modes(thresholds, same_frame_iou)

    def agreement_note(self) -> str:
        return (
            "box_f1@t: boxes of the same class on the same frame with an intersection over "
            "union of at least t, matched one-to-one per frame; mota and id_switches take the "
            "first annotator of each pair as reference"
        )

    def agreement_extras(
        self, task: ir.Task, pairs: Sequence[tuple[Any, Any]], thresholds: Sequence[float]
    ) -> dict[str, float]:
        iou = thresholds[0] if thresholds else 0.5
        return track_identity(pairs, iou)

    # -- bridges (tool configs, readers, writers) ------------------------------------------

    def labelstudio_results(self) -> tuple[str, ...]:
        return ("videorectangle",)

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("regions", tag="VideoRectangle", separate_labels=True)

    def cvat(self) -> CvatMap:
        return CvatMap("rectangle", "track", frame_shape="box")


# -- values ------------------------------------------------------------------------------------


def video_of(
    task: ir.Task, record: Mapping[str, Any] | None, field: ir.InputField | None = None
) -> tuple[int | None, tuple[float, float] | None]:
    """Frame count and frame size of the video a task is drawn on, when the record gives
    them (``{path, frames, width, height}``); the field's ``width``/``height`` otherwise."""
    value = record.get(task.over or "") if record is not None else None
    frames, size = None, None
    if isinstance(value, dict):
        n, w, h = value.get("frames"), value.get("width"), value.get("height")
        if isinstance(n, int) and not isinstance(n, bool) and n > 0:
            frames = n
        if is_num(w) and is_num(h) and w > 0 and h > 0:
            size = (float(w), float(h))
    if size is None and field is not None and field.width and field.height:
        size = (float(field.width), float(field.height))
    return frames, size


def _track_id(track: Mapping[str, Any], ids: set[str], ptr: str) -> Iterator[Problem]:
    tid = track.get("id")
    if tid is None:
        yield Problem("value.missing", f"{ptr}/id", "a track needs an 'id'")
    elif not isinstance(tid, (str, int)) or isinstance(tid, bool):
        yield Problem("value.type", f"{ptr}/id", "a track id must be text or an integer")
    elif str(tid) in ids:
        yield Problem("region.duplicate_id", f"{ptr}/id", f"track id {tid!r} is used twice")
    else:
        ids.add(str(tid))


def _check_box(
    task: ir.Task, box: Any, bounds: tuple[float, float] | None, ptr: str
) -> Iterator[Problem]:
    c = task.coordinates
    if not isinstance(box, list) or len(box) != 4 or not all(is_num(v) for v in box):
        yield Problem("bbox.shape", ptr, f"a box is a list of 4 numbers ([{', '.join(c.format)}])")
        return
    x1, y1, x2, y2 = xyxy(task, box)
    if x2 <= x1 or y2 <= y1:
        yield Problem("bbox.area", ptr, f"box has no area (width {x2 - x1:g}, height {y2 - y1:g})")
    elif not (inside(x1, y1, bounds, c.tolerance) and inside(x2, y2, bounds, c.tolerance)):
        assert bounds is not None
        yield Problem(
            "bbox.outside",
            ptr,
            f"box {box} lies outside the frame ({bounds[0]:g}x{bounds[1]:g}, "
            f"tolerance {c.tolerance:g})",
        )


def xyxy(task: ir.Task, box: Sequence[float]) -> tuple[float, float, float, float]:
    x1, y1, a, b = (float(v) for v in box)
    return (x1, y1, x1 + a, y1 + b) if task.coordinates.format == "xywh" else (x1, y1, a, b)


def _boxes(track: Any) -> list[dict[str, Any]]:
    boxes = track.get("boxes") if isinstance(track, dict) else None
    return [b for b in boxes if isinstance(b, dict)] if isinstance(boxes, list) else []


# -- handbook ----------------------------------------------------------------------------------


def filmstrip(
    task: ir.Task, value: list[Any], size: tuple[float, float] | None, colour: Any
) -> str:
    """One small frame per keyframe (in frame order) with the tracks' boxes drawn, the frame
    number under it: deterministic inline SVG."""
    keyframes: dict[int, list[tuple[str, str, tuple[float, ...]]]] = {}
    for track in value:
        if not isinstance(track, dict):
            continue
        for box in _boxes(track):
            frame, bb = box.get("frame"), box.get("bbox")
            if not (isinstance(frame, int) and isinstance(bb, list) and len(bb) == 4):
                continue
            if not all(is_num(v) for v in bb) or box.get("keyframe") is False:
                continue
            shown = keyframes.setdefault(frame, [])
            if not box.get("outside"):
                shown.append((label_of(track), str(track.get("id", "")), xyxy(task, bb)))
    if task.coordinates.units == "normalized":
        sx, sy = THUMB
    else:
        w, h = size or _extent(keyframes)
        sx, sy = THUMB[0] / w, THUMB[1] / h
    tw, th, gap = THUMB[0], THUMB[1], 6.0
    width = max(1, len(keyframes)) * (tw + gap)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gk-filmstrip" width="{width:g}" '
        f'height="{th + 16:g}" viewBox="0 0 {width:g} {th + 16:g}" role="img">',
        f"<title>{html_text(task.id)}: {len(keyframes)} keyframe(s)</title>",
    ]
    for n, frame in enumerate(sorted(keyframes)):
        ox = n * (tw + gap)
        parts.append(
            f'<g transform="translate({ox:g},0)"><rect width="{tw:g}" height="{th:g}" '
            'fill="#222" stroke="#888"/>'
        )
        for label, tid, (x1, y1, x2, y2) in keyframes[frame]:
            parts.append(
                f'<rect x="{x1 * sx:.1f}" y="{y1 * sy:.1f}" width="{(x2 - x1) * sx:.1f}" '
                f'height="{(y2 - y1) * sy:.1f}" fill="none" stroke="{html_text(colour(label))}" '
                f'stroke-width="1.5"><title>{html_text(label)} {html_text(tid)}</title></rect>'
            )
        parts.append(
            f'<text x="{tw / 2:g}" y="{th + 12:g}" font-size="10" '
            f'text-anchor="middle">{frame}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _extent(
    keyframes: Mapping[int, list[tuple[str, str, tuple[float, ...]]]],
) -> tuple[float, float]:
    """A frame size that holds every box, when the video's size is unknown."""
    xs = [b[2] for shown in keyframes.values() for _, _, b in shown] or [1.0]
    ys = [b[3] for shown in keyframes.values() for _, _, b in shown] or [1.0]
    return max(max(xs), 1.0), max(max(ys), 1.0)


# -- quality -----------------------------------------------------------------------------------


def frame_regions(task: ir.Task, value: Any) -> list[R.Region] | None:
    """Every visible box of a value as a region ``(frame, x1, y1, x2, y2, track id)``;
    ``None`` when the value is not readable."""
    if value is None:
        return []
    if not isinstance(value, list):
        return None
    out: list[R.Region] = []
    for track in value:
        if not isinstance(track, dict) or not isinstance(track.get("label"), str):
            return None
        label = task.resolve_label(track["label"])
        if label is None:
            return None
        for box in _boxes(track):
            bb, frame = box.get("bbox"), box.get("frame")
            if not (isinstance(bb, list) and len(bb) == 4 and all(is_num(v) for v in bb)):
                return None
            if not isinstance(frame, int) or box.get("outside"):
                continue
            out.append(R.Region(label, (frame, *xyxy(task, bb), str(track.get("id")))))
    return out


def same_frame_iou(a: Sequence[Any], b: Sequence[Any]) -> float:
    """IoU of two frame regions, 0 on different frames."""
    return R.box_iou(a[1:5], b[1:5]) if a[0] == b[0] else 0.0


def track_identity(pairs: Sequence[tuple[Any, Any]], iou: float) -> dict[str, float]:
    """MOTA-style identity agreement over pairs of frame regions (``a`` is the reference):
    per frame, boxes are matched one-to-one (same class, IoU ≥ ``iou``); an id switch is a
    reference track matched to a different track than on its last matched frame.
    ``mota = 1 - (FN + FP + IDSW) / GT``."""
    mode = R.MatchMode("identity", same_frame_iou, iou, iou)
    gt = fn = fp = switches = 0
    for a, b in pairs:
        last: dict[str, str] = {}
        for frame in sorted({r.shape[0] for r in a} | {r.shape[0] for r in b}):
            fa = [r for r in a if r.shape[0] == frame]
            fb = [r for r in b if r.shape[0] == frame]
            matched = R.match(mode, fa, fb)
            gt += len(fa)
            fn += len(fa) - len(matched)
            fp += len(fb) - len(matched)
            for i, j in matched:
                ta, tb = fa[i].shape[5], fb[j].shape[5]
                if ta in last and last[ta] != tb:
                    switches += 1
                last[ta] = tb
    mota = 1.0 - (fn + fp + switches) / gt if gt else float("nan")
    return {f"mota@{iou:g}": mota, f"id_switches@{iou:g}": float(switches)}


TASK_TYPE = Tracks()
