"""Pascal VOC XML: one annotation file per image, ``<object>`` boxes in pixels.

Reader: ``path`` is a dataset folder (its ``Annotations/`` subfolder, or the ``.xml`` files
in it) or one ``.xml`` file. The record id is the image's file name (``<filename>``) without
extension, the image field gets ``<filename>`` and ``<size>``. Each ``<object>`` is a box of
the bbox task (``xmin ymin xmax ymax`` as written, no 1-based shift). VOC's flags
(``truncated``, ``difficult``, ``occluded``, ``pose``) and ``<actions>`` become attributes
of the same name when the task declares them; undeclared ones are kept only when set, so
the validator reports them. ``<attributes>`` (as CVAT and Datumaro write them) become
attributes too. ``<part>`` boxes have no guidekit form and are reported.

Writer: ``Annotations/<image stem>.xml`` per record and ``ImageSets/Main/default.txt``;
boolean attributes named like VOC's flags are written as flags, the others in an
``<attributes>`` block.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from guidekit import ir
from guidekit.bridges._common import (
    Coords,
    NoSize,
    RecordBuilder,
    all_present,
    file_error,
    fixed_size,
    image_field,
    parse_num,
    put_flag,
    record_size,
    require_task,
    resolve_label,
    stem,
    tidy,
    typed,
)
from guidekit.bridges._export import Exported, image_path, regions
from guidekit.bridges._images import shape_types
from guidekit.bridges._xml import Node, parse_file
from guidekit.bridges._xmlout import DECLARATION, Element, add, element, to_lines
from guidekit.delivery.read import RawRecord

FMT = "Pascal VOC"
FLAGS = ("pose", "truncated", "difficult", "occluded")


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    folder = path / "Annotations" if (path / "Annotations").is_dir() else path
    return sorted(folder.rglob("*.xml"))


def read_voc(path: str | Path, guideline: ir.Guideline, **options: Any) -> Iterator[RawRecord]:
    """Records of Pascal VOC annotation files (see the module docstring)."""
    path = Path(path)
    file = str(path)
    if not path.exists():
        raise file_error("GK801", f"'{file}' does not exist", file)
    task = require_task(guideline, shape_types("box"), options.get("task"), fmt=FMT, file=file)
    files = _files(path)
    if not files:
        raise file_error("GK801", "no .xml annotation files found", file)
    for xml in files:
        shown = file if path.is_file() else f"{file.rstrip('/')}/{xml.relative_to(path).as_posix()}"
        yield _read(xml, shown, task, guideline)


def _read(xml: Path, file: str, task: ir.Task, g: ir.Guideline) -> RawRecord:
    try:
        root = parse_file(xml, file, code="GK802")
    except Exception as exc:  # GuidekitError: one bad file is one bad record
        from guidekit.errors import GuidekitError

        if not isinstance(exc, GuidekitError):
            raise
        d = exc.diagnostics[0]
        return RawRecord(file, d.location.line or 1, b"", None, d)
    b = RecordBuilder(file, root.line)
    if root.tag != "annotation":
        b.problem("GK802", f"the root element is <{root.tag}>, not <annotation>", fatal=True)
        return b.build()
    name = root.findtext("filename")
    b.data[g.delivery.id] = stem(name) if name else xml.stem
    width, height = root.path("size", "width"), root.path("size", "height")
    w = parse_num(width.text) if width else None
    h = parse_num(height.text) if height else None
    size = (w, h) if w and h and w > 0 and h > 0 else None
    if task.over:
        b.data[task.over] = image_field(name, *(size or (None, None)))
    coords = Coords(task, size or fixed_size(g, task))
    b.data[task.id] = []
    for obj in root.findall("object"):
        _object(b, task, obj, coords)
    return b.build()


def _object(b: RecordBuilder, task: ir.Task, obj: Node, coords: Coords) -> None:
    label = b.label(task, obj.findtext("name"), None, line=obj.line)
    cid = resolve_label(task, label) if isinstance(label, str) else None
    box = obj.find("bndbox")
    nums = [parse_num(box.findtext(k)) for k in ("xmin", "ymin", "xmax", "ymax")] if box else []
    if len(nums) != 4 or not all_present(nums):
        b.problem(
            "GK802",
            "an <object> needs a <bndbox> with numeric xmin, ymin, xmax, ymax",
            line=obj.line,
        )
        return
    x1, y1, x2, y2 = nums
    try:
        region: dict[str, Any] = {
            "label": label,
            "bbox": coords.box_in(x1, y1, x2 - x1, y2 - y1, frac=False),
        }
    except NoSize:
        b.problem("GK807", "the file has no <size> to normalise coordinates", line=obj.line)
        return
    for flag in FLAGS:
        put_flag(task, cid, region, flag, obj.findtext(flag), flag=flag != "pose")
    actions = obj.find("actions")
    for action in actions.children if actions else []:
        put_flag(task, cid, region, action.tag, action.text.strip())
    attrs = obj.find("attributes")
    for attr in attrs.findall("attribute") if attrs else []:
        key, value = attr.findtext("name"), attr.findtext("value")
        if key:
            decl = task.attributes_for(cid).get(key) if cid else None
            region.setdefault("attributes", {})[key] = typed(decl, value or "")
    for part in obj.findall("part"):
        b.problem(
            "GK804",
            f"part box '{part.findtext('name')}' has no guidekit form (no task for object parts)",
            line=part.line,
        )
    b.append(task.id, region)


# -- writer ---------------------------------------------------------------------------------------


def _num(v: float) -> str:
    t = tidy(v)
    return str(t)


def write_voc(
    records: Iterable[Mapping[str, Any]], guideline: ir.Guideline, out: str | Path, **options: Any
) -> Exported:
    """Write native records as a Pascal VOC folder (see the module docstring)."""
    g = guideline
    out = Path(out)
    task = require_task(g, shape_types("box"), options.get("task"), fmt=FMT, file=str(out))
    result = Exported()
    for other in g.tasks.values():
        if other is not task:
            result.warn_once(
                other.id, f"task '{other.id}' ({other.type}) is not written: VOC holds boxes"
            )
    (out / "Annotations").mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    for rec in records:
        rid = rec.get(g.delivery.id)
        image = image_path(rec, task)
        name = stem(image) if image else str(rid)
        if name in names:
            result.fail(rec, g, f"a second record for image '{name}'; VOC holds one file per image")
            continue
        size = record_size(g, task, rec)
        coords = Coords(task, size)
        root = element("annotation")
        add(root, element("folder", text=""))
        add(root, element("filename", text=image or str(rid)))
        if size is not None:
            el = add(root, element("size"))
            add(el, element("width", text=_num(size[0])))
            add(el, element("height", text=_num(size[1])))
            add(el, element("depth", text="3"))
        add(root, element("segmented", text="0"))
        try:
            for region in regions(rec, task):
                add(root, _object_el(region, coords))
        except NoSize:
            result.fail(
                rec, g, f"task '{task.id}' uses normalized units and the image size is unknown"
            )
            continue
        except (KeyError, TypeError, ValueError):
            result.fail(rec, g, f"task '{task.id}': a region is malformed")
            continue
        target = out / "Annotations" / f"{name}.xml"
        target.write_text(
            DECLARATION + "\n" + "\n".join(to_lines(root)) + "\n",
            encoding="utf-8",
            newline="\n",
        )
        names.append(name)
        result.paths.append(target)
        result.records += 1
    sets = out / "ImageSets" / "Main"
    sets.mkdir(parents=True, exist_ok=True)
    (sets / "default.txt").write_text(
        "".join(f"{n}\n" for n in names), encoding="utf-8", newline="\n"
    )
    result.paths.append(sets / "default.txt")
    return result


def _object_el(region: Mapping[str, Any], coords: Coords) -> Element:
    x, y, w, h = coords.box_out(region["bbox"], frac=False)
    obj = element("object")
    add(obj, element("name", text=str(region.get("label"))))
    attrs = dict(region.get("attributes") or {})
    pose = attrs.pop("pose", None)
    add(obj, element("pose", text=str(pose) if pose is not None else "Unspecified"))
    for flag in ("truncated", "difficult", "occluded"):
        value = attrs.pop(flag, None) if isinstance(attrs.get(flag), bool) else None
        add(obj, element(flag, text="1" if value else "0"))
    box = add(obj, element("bndbox"))
    for key, v in (("xmin", x), ("ymin", y), ("xmax", x + w), ("ymax", y + h)):
        add(box, element(key, text=_num(v)))
    if attrs:
        block = add(obj, element("attributes"))
        for key, value in attrs.items():
            a = add(block, element("attribute"))
            add(a, element("name", text=str(key)))
            add(
                a,
                element(
                    "value", text=str(value).lower() if isinstance(value, bool) else str(value)
                ),
            )
    return obj
