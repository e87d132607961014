"""YOLO text labels: one ``.txt`` per image, one object per line, coordinates normalised.

Reader: ``path`` is the dataset folder (or one label file). Class names come from
``classes.txt``, ``obj.names`` or the ``names`` of ``data.yaml``/``dataset.yaml`` (or the
``classes=FILE`` option); label files from ``labels/`` (any depth), the ``obj_*_data/``
folders of Darknet exports, or the folder itself. A line is ``class cx cy w h`` for the bbox
task, ``class x1 y1 x2 y2 ...`` for the polygon task, and ``class cx cy w h`` followed by
``x y [v]`` per skeleton point for the keypoints task. The record id is the label file's
stem; the image beside it (``images/`` mirroring ``labels/``, or the same folder) gives its
path and size -- else the guideline's fixed image size; pixel tasks need one of the two.
Images without a label file are records with no regions (YOLO's convention for
background images). Under ``labels/<split>/``, the split is set when the guideline declares it.

Writer: ``classes.txt`` and ``data.yaml`` (the task's labels in order) and
``labels/<image stem>.txt`` per record; one task per dataset (``task=`` names it when the
guideline has several image tasks).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from guidekit import ir, tasktypes
from guidekit.bridges._common import (
    Coords,
    NoSize,
    RecordBuilder,
    all_present,
    file_error,
    fixed_size,
    image_field,
    parse_num,
    pick_task,
    record_size,
    stem,
)
from guidekit.bridges._export import Exported, image_path, regions
from guidekit.bridges._images import EXTENSIONS, ImageIndex, image_size, shape_types
from guidekit.delivery.read import RawRecord

FMT = "YOLO"
CLASS_FILES = ("classes.txt", "obj.names", "data.yaml", "dataset.yaml", "data.yml", "dataset.yml")
NOT_LABELS = {
    "classes.txt",
    "obj.names",
    "train.txt",
    "valid.txt",
    "val.txt",
    "test.txt",
    "notes.txt",
}


def _names(folder: Path, option: Any, file: str) -> list[str]:
    candidates = [Path(option)] if option else [folder / n for n in CLASS_FILES]
    for path in candidates:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix in (".yaml", ".yml"):
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError as exc:
                raise file_error(
                    "GK801", f"'{path.name}' is not valid YAML: {exc}", str(path)
                ) from None
            names = data.get("names") if isinstance(data, dict) else None
            if isinstance(names, dict):
                return [str(names[k]) for k in sorted(names, key=lambda k: int(k))]
            if isinstance(names, list):
                return [str(n) for n in names]
            raise file_error("GK801", f"'{path.name}' has no 'names' list", str(path))
        return [line.strip() for line in text.splitlines() if line.strip()]
    raise file_error(
        "GK801",
        "no class list: expected classes.txt, obj.names or data.yaml",
        file,
        hint="pass the option classes=FILE",
    )


def _label_files(folder: Path) -> list[Path]:
    if (folder / "labels").is_dir():
        roots = [folder / "labels"]
    else:
        roots = sorted(p for p in folder.glob("obj_*_data") if p.is_dir()) or [folder]
    files = [p for root in roots for p in sorted(root.rglob("*.txt")) if p.name not in NOT_LABELS]
    return files


def _image_dirs(folder: Path, label_file: Path) -> list[Path]:
    dirs = [label_file.parent]
    labels = folder / "labels"
    if labels in label_file.parents:
        dirs.append(folder / "images" / label_file.parent.relative_to(labels))
    dirs.append(folder / "images")
    return dirs


def _tasks(g: ir.Guideline, file: str, options: Mapping[str, Any]) -> list[ir.Task]:
    chosen = g.tasks.get(str(options.get("task")))
    if chosen is not None and tasktypes.of(chosen).image_shape() in ("polygon", "keypoints"):
        return [chosen]  # task= may name the one image task of the dataset, of any kind
    bbox = pick_task(g, shape_types("box"), options.get("task"), fmt=FMT, file=file)
    polygon = pick_task(
        g,
        shape_types("polygon"),
        options.get("polygon_task"),
        fmt=FMT,
        file=file,
        option="polygon_task",
    )
    keypoints = pick_task(
        g,
        shape_types("keypoints"),
        options.get("keypoints_task"),
        fmt=FMT,
        file=file,
        option="keypoints_task",
    )
    found = [t for t in (keypoints, bbox, polygon) if t is not None]
    if not found:
        raise file_error(
            "GK805", f"{FMT}: guideline '{g.id}' has no bbox, polygon or keypoints task", file
        )
    return found


def read_yolo(path: str | Path, guideline: ir.Guideline, **options: Any) -> Iterator[RawRecord]:
    """Records of a YOLO dataset folder (see the module docstring)."""
    path = Path(path)
    file = str(path)
    if not path.exists():
        raise file_error("GK801", f"'{file}' does not exist", file)
    folder = path if path.is_dir() else path.parent
    names = _names(folder, options.get("classes"), file)
    tasks = _tasks(guideline, file, options)
    files = _label_files(folder) if path.is_dir() else [path]
    seen: set[tuple[Path, str]] = set()
    index = ImageIndex()
    for label_file in files:
        yield _read_file(label_file, folder, path, names, tasks, guideline, index)
        seen.add((label_file.parent, label_file.stem))
    if path.is_dir() and (folder / "images").is_dir():
        for image in sorted((folder / "images").rglob("*")):
            if image.suffix.lower() not in EXTENSIONS:
                continue
            rel = image.parent.relative_to(folder / "images")
            if (folder / "labels" / rel, image.stem) in seen or (image.parent, image.stem) in seen:
                continue
            b = RecordBuilder(_display(folder, path, image), 1)
            b.data[guideline.delivery.id] = image.stem
            _image(b, guideline, tasks, folder, image)
            for t in tasks:
                b.data[t.id] = []
            yield b.build()


def _display(folder: Path, given: Path, item: Path) -> str:
    if given.is_dir():
        return f"{str(given).rstrip('/')}/{item.relative_to(folder).as_posix()}"
    return str(given)


def _image(
    b: RecordBuilder, g: ir.Guideline, tasks: list[ir.Task], folder: Path, image: Path | None
) -> tuple[float, float] | None:
    size = image_size(image) if image is not None else None
    field = tasks[0].over
    if field and (image is not None or size is not None):
        path = image.relative_to(folder).as_posix() if image is not None else None
        b.data[field] = image_field(path, *(size or (None, None)))
    return (float(size[0]), float(size[1])) if size else fixed_size(g, tasks[0])


def _read_file(
    label_file: Path,
    folder: Path,
    given: Path,
    names: list[str],
    tasks: list[ir.Task],
    g: ir.Guideline,
    index: ImageIndex,
) -> RawRecord:
    file = _display(folder, given, label_file)
    b = RecordBuilder(file, 1)
    b.data[g.delivery.id] = label_file.stem
    image = index.find(_image_dirs(folder, label_file), label_file.stem)
    size = _image(b, g, tasks, folder, image)
    labels_dir = folder / "labels"
    if labels_dir in label_file.parents and label_file.parent != labels_dir:
        split = label_file.parent.relative_to(labels_dir).parts[0]
        if split in g.splits:
            b.data[g.delivery.metadata.split] = split
    for t in tasks:
        b.data[t.id] = []
    try:
        text = label_file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        b.problem("GK802", f"cannot read the label file: {exc}", fatal=True)
        return b.build()
    shapes = {t.id: tasktypes.of(t).image_shape() for t in tasks}
    by_shape: dict[str | None, ir.Task] = {shapes[t.id]: t for t in tasks}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split()
        nums = [parse_num(p) for p in parts]
        if not all_present(nums) or not float(nums[0]).is_integer():
            b.problem(
                "GK802", f"line is not a class index followed by numbers: {line.strip()!r}", line=n
            )
            continue
        cls, *vals = nums
        idx = int(cls)
        label = names[idx] if 0 <= idx < len(names) else None
        task = _task_for(by_shape, len(vals))
        if task is None:
            kinds = ", ".join(t.type for t in by_shape.values())
            b.problem(
                "GK802",
                f"{len(vals)} numbers after the class fit none of the guideline's {kinds} tasks",
                line=n,
            )
            continue
        if label is None:
            b.problem(
                "GK803", f"class index {idx} is not in the class list ({len(names)} names)", line=n
            )
            label_value: Any = str(idx)
        else:
            label_value = b.label(task, label, None, f" (class {idx})", line=n)
        coords = Coords(task, size)
        try:
            region = _region(task, shapes[task.id], label_value, vals, coords)
        except NoSize:
            b.problem(
                "GK807",
                f"task '{task.id}' is in pixels but the image size is unknown (no image next to the label file)",
                line=n,
            )
            continue
        b.append(task.id, region)
    return b.build()


def _task_for(by_shape: Mapping[str | None, ir.Task], count: int) -> ir.Task | None:
    kp = by_shape.get("keypoints")
    if kp is not None and count > 4:
        k = len(_points(kp))
        if k and count - 4 in (2 * k, 3 * k):
            return kp
    if count == 4 and "box" in by_shape:
        return by_shape["box"]
    if count >= 6 and count % 2 == 0 and "polygon" in by_shape:
        return by_shape["polygon"]
    return None


def _points(task: ir.Task) -> list[str]:
    names: list[str] = []
    for skel in [task.skeleton, *(c.skeleton for c in task.classes)]:
        if skel is not None:
            names.extend(p for p in skel.points if p not in names)
    return names


def _region(
    task: ir.Task, shape: str | None, label: Any, vals: list[float], coords: Coords
) -> dict[str, Any]:
    if shape == "polygon":
        pts = [coords.point_in(vals[i], vals[i + 1], frac=True) for i in range(0, len(vals), 2)]
        return {"label": label, "points": pts}
    cx, cy, w, h = vals[:4]
    if shape == "box":
        return {"label": label, "bbox": coords.box_in(cx - w / 2, cy - h / 2, w, h, frac=True)}
    names = _points(task)
    step = (len(vals) - 4) // len(names)
    points: dict[str, list[Any]] = {}
    for i, name in enumerate(names):
        chunk = vals[4 + i * step : 4 + (i + 1) * step]
        v = int(chunk[2]) if step == 3 else 2
        points[name] = [*coords.point_in(chunk[0], chunk[1], frac=True), v]
    return {"label": label, "points": points}


# -- writer ---------------------------------------------------------------------------------------


def _fmt(v: float) -> str:
    return f"{v:.10g}"


def write_yolo(
    records: Iterable[Mapping[str, Any]], guideline: ir.Guideline, out: str | Path, **options: Any
) -> Exported:
    """Write native records as a YOLO dataset folder (see the module docstring)."""
    g = guideline
    out = Path(out)
    found = _tasks(g, str(out), options)
    if len(found) > 1 and not options.get("task"):
        found = [t for t in found if tasktypes.of(t).image_shape() == "box"] or found[:1]
    task = found[0]
    result = Exported()
    for other in g.tasks.values():
        if other is not task:
            result.warn_once(
                other.id,
                f"task '{other.id}' ({other.type}) is not written: a YOLO dataset holds one task",
            )
    names = list(task.labels())
    index = {n: i for i, n in enumerate(names)}
    skeleton = _points(task)
    (out / "labels").mkdir(parents=True, exist_ok=True)
    (out / "classes.txt").write_text(
        "".join(f"{n}\n" for n in names), encoding="utf-8", newline="\n"
    )
    data: dict[str, Any] = {"path": ".", "train": "images", "names": dict(enumerate(names))}
    shape = tasktypes.of(task).image_shape()
    if shape == "keypoints":
        data["kpt_shape"] = [len(skeleton), 3]
    (out / "data.yaml").write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8", newline="\n"
    )
    result.paths += [out / "classes.txt", out / "data.yaml"]
    written: set[str] = set()
    for rec in records:
        rid = rec.get(g.delivery.id)
        image = image_path(rec, task)
        name = stem(image) if image else str(rid)
        if image and stem(image) != str(rid):
            result.warn_once(
                "ids",
                "YOLO names label files after images: records whose id is not the image's file "
                "name read back with the file name as id",
            )
        if name in written:
            result.fail(
                rec, g, f"a second record for image '{name}'; YOLO holds one label file per image"
            )
            continue
        coords = Coords(task, record_size(g, task, rec))
        if any(r.get("attributes") for r in regions(rec, task)):
            result.warn_once(
                "attributes", "region attributes are not written: YOLO has no place for them"
            )
        lines = []
        try:
            for region in regions(rec, task):
                cls = index.get(str(region.get("label")))
                if cls is None:
                    result.fail(
                        rec,
                        g,
                        f"label {region.get('label')!r} is no class of '{task.id}'; left out",
                    )
                    continue
                lines.append(
                    " ".join(
                        [str(cls), *(_fmt(v) for v in _values(shape, region, coords, skeleton))]
                    )
                )
        except NoSize:
            result.fail(
                rec,
                g,
                f"task '{task.id}' is in pixels and the image size is unknown; YOLO needs fractions",
            )
            continue
        except (KeyError, TypeError, ValueError, IndexError):
            result.fail(rec, g, f"task '{task.id}': a region is malformed")
            continue
        target = out / "labels" / f"{name}.txt"
        target.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8", newline="\n")
        written.add(name)
        result.paths.append(target)
        result.records += 1
    return result


def _values(
    shape: str | None, region: Mapping[str, Any], coords: Coords, skeleton: list[str]
) -> list[float]:
    if shape == "box":
        x, y, w, h = coords.box_out(region["bbox"], frac=True)
        return [x + w / 2, y + h / 2, w, h]
    if shape == "polygon":
        return [v for p in region["points"] for v in coords.point_out(p[0], p[1], frac=True)]
    pts = region["points"]
    visible = [coords.point_out(p[0], p[1], frac=True) for p in pts.values() if p[2]]
    if visible:
        xs, ys = [p[0] for p in visible], [p[1] for p in visible]
        box = [
            (min(xs) + max(xs)) / 2,
            (min(ys) + max(ys)) / 2,
            max(xs) - min(xs),
            max(ys) - min(ys),
        ]
    else:
        box = [0.0, 0.0, 0.0, 0.0]
    out = list(box)
    for name in skeleton:
        p = pts.get(name)
        if p is None:
            out += [0.0, 0.0, 0.0]
        else:
            out += [*coords.point_out(p[0], p[1], frac=True), float(p[2])]
    return out
