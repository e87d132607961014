"""``guidekit import``: start a guideline project from what a team already has.

Sources, recognised from their content (or named with ``--from``):

- ``labelstudio``: a Label Studio labeling config (XML), or a project JSON holding it;
- ``cvat``: CVAT labels JSON (the Raw editor) or a CVAT XML export (its ``<labels>``);
- ``coco``: a COCO file's ``categories`` (``supercategory`` as the parent, ``keypoints`` and
  ``skeleton`` as a keypoints task);
- ``brat``: a BRAT ``annotation.conf``;
- ``doccano``: a doccano label set (JSON list of ``{"text": ..., "task_type": ...}``);
- ``taxonomy``: a CSV/TSV with ``id``, ``parent`` and ``name``/``definition`` columns, or a
  nested JSON hierarchy (``{"name", "children"}`` objects).

The result is a :class:`Draft`: the guideline as YAML text, with a comment on every class
whose definition is still to be written, and the list of what could not be mapped.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from guidekit.bridges._xml import Node, parse
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Location
from guidekit.errors import GuidekitError

SOURCES = ("labelstudio", "cvat", "coco", "brat", "doccano", "taxonomy")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*$")


@dataclass
class Draft:
    """A guideline being put together from a tool's label set."""

    source: str
    file: str
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    tasks: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what could not be mapped, and choices made

    def task(self, tid: str, spec: dict[str, Any]) -> dict[str, Any]:
        tid = self.ident(tid, "task")
        base, n = tid, 2
        while tid in self.tasks:
            tid, n = f"{base}_{n}", n + 1
        if spec.get("type") not in ("text", "number"):
            spec.setdefault("classes", [])
        self.tasks[tid] = spec
        return spec

    def ident(self, name: str, what: str) -> str:
        """``name`` as an id of the format; a note when it had to change."""
        if _ID.match(name):
            return name
        slug = re.sub(r"[^A-Za-z0-9_.\-]+", "_", name).strip("_.-") or what
        if not slug[0].isalpha():
            slug = f"{what[0]}_{slug}"
        self.notes.append(f"{what} '{name}' is not an id of the format: it became '{slug}'")
        return slug

    def add_class(
        self,
        spec: dict[str, Any],
        name: str,
        *,
        parent: str | None = None,
        definition: str | None = None,
        attributes: dict[str, Any] | None = None,
    ) -> str:
        cid = self.ident(name, "class")
        classes: list[Any] = spec["classes"]
        known = next((c for c in classes if c["id"] == cid), None)
        if known is not None:
            if parent is not None:
                self._another_parent(classes, known, parent)
            return cid
        entry: dict[str, Any] = {"id": cid}
        if cid != name:
            entry["name"] = name
            entry["aliases"] = [name]
        if parent is not None:
            entry["parent"] = parent
        if definition:
            entry["definition"] = definition
        if attributes:
            entry["attributes"] = attributes
        classes.append(entry)
        return cid

    def _another_parent(self, classes: list[Any], entry: dict[str, Any], parent: str) -> None:
        """A class met again under another parent keeps both edges (`parents:`, a
        polyhierarchy), unless the edge would close a cycle."""
        cid = entry["id"]
        had = entry.get("parents") or ([entry["parent"]] if "parent" in entry else [])
        if parent in had:
            return
        up = {c["id"]: c.get("parents") or [c.get("parent")] for c in classes}
        stack, seen = [parent], set()
        while stack:
            current = stack.pop()
            if current == cid:
                self.notes.append(
                    f"class '{cid}' under '{parent}' would make a cycle; that edge is left out"
                )
                return
            if current is not None and current not in seen:
                seen.add(current)
                stack.extend(up.get(current, []))
        if not had:
            entry["parent"] = parent
            return
        entry.pop("parent", None)
        entry["parents"] = [*had, parent]

    def to_yaml(self, guideline_id: str) -> str:
        doc: dict[str, Any] = {
            "guidekit": 1,
            "id": guideline_id,
            "title": re.sub(r"[-_.]+", " ", guideline_id).strip().capitalize(),
            "version": "0.1.0",
            "brief": {
                "objective": f"TODO: what the labels are for (imported from {Path(self.file).name})."
            },
            "record": {"id": "id", "fields": self.fields or {"text": {"type": "text"}}},
            "tasks": self.tasks,
        }
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
        out = [
            f"# Imported by guidekit import from {self.source}: {Path(self.file).name}.",
            "# Every class still needs a definition (what it is, what it includes and excludes),",
            "# examples and negatives; see `guidekit check` for what is missing.",
        ]
        for line in text.splitlines():
            out.append(line)
            m = re.match(r"^(\s*)- id: (.+)$", line)
            if m and "definition" not in _following(text, line):
                out.append(f"{m.group(1)}  # TODO: definition of {m.group(2).strip()}")
        if self.notes:
            out.append("")
            out.append("# What the import could not map, or chose:")
            out += [f"# - {n}" for n in self.notes]
        return "\n".join(out) + "\n"


def _following(text: str, line: str) -> str:
    """The class entry that starts at ``line`` (to see whether it has a definition)."""
    start = text.index(line)
    indent = len(line) - len(line.lstrip()) + 2
    chunk = []
    for nxt in text[start + len(line) + 1 :].splitlines():
        if len(nxt) - len(nxt.lstrip()) < indent or nxt.lstrip().startswith("- "):
            break
        chunk.append(nxt)
    return "\n".join(chunk)


def _error(
    message: str, file: str, line: int | None = None, hint: str | None = None
) -> GuidekitError:
    return GuidekitError(diag("GK801", message, Location(file, line), hint=hint))


def detect(path: Path) -> str:
    """The kind of source ``path`` is, from its name and content."""
    file = str(path)
    try:
        head = path.read_bytes()[:65536]
    except OSError as exc:
        raise _error(f"cannot read '{file}': {exc.strerror}", file) from None
    text = head.decode("utf-8", "replace").lstrip("\ufeff").lstrip()
    name = path.name.lower()
    if name.endswith(".conf") or re.search(r"^\[entities\]", text, re.M):
        return "brat"
    if name.endswith((".csv", ".tsv")):
        return "taxonomy"
    if text.startswith("<"):
        return "cvat" if "<annotations" in text[:2000] or "<labels>" in text else "labelstudio"
    if text.startswith("{"):
        if '"label_config"' in text:
            return "labelstudio"
        if '"categories"' in text:
            return "coco"
        return "taxonomy"
    if text.startswith("["):
        if '"background_color"' in text or '"task_type"' in text:
            return "doccano"
        if '"name"' in text and ('"attributes"' in text or '"type"' in text):
            return "cvat"
        return "taxonomy"
    raise _error(
        f"'{file}' is none of the sources guidekit import reads",
        file,
        hint=f"name it with --from ({', '.join(SOURCES)})",
    )


def read_source(path: Path, source: str | None = None) -> Draft:
    kind = source or detect(path)
    reader = {
        "labelstudio": _labelstudio,
        "cvat": _cvat,
        "coco": _coco,
        "brat": _brat,
        "doccano": _doccano,
        "taxonomy": _taxonomy,
    }[kind]
    draft = Draft(kind, str(path))
    reader(draft, path)
    if not draft.tasks:
        raise _error(f"no labels found in '{path}' (read as {kind})", str(path))
    return draft


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _error(f"'{path}' is not readable JSON: {exc}", str(path)) from None


# -- Label Studio ----------------------------------------------------------------------------------

_LS_OBJECTS = {
    "text": "text",
    "hypertext": "text",
    "paragraphs": "text",
    "image": "image",
}
_LS_REGION = {
    "labels": "spans",
    "hypertextlabels": "spans",
    "rectanglelabels": "bbox",
    "polygonlabels": "polygon",
    "keypointlabels": "keypoints",
}


def _ls_values(node: Node) -> Iterator[tuple[str, Node]]:
    for child in node.children:
        if child.tag in ("Choice", "Label"):
            value = child.attrib.get("alias") or child.attrib.get("value")
            if value:
                yield value, child


def _labelstudio(d: Draft, path: Path) -> None:
    data = path.read_bytes()
    if data.lstrip()[:1] == b"{":
        project = _load_json(path)
        config = project.get("label_config") if isinstance(project, dict) else None
        if not isinstance(config, str):
            raise _error("the JSON has no 'label_config'", d.file)
        data = config.encode("utf-8")
    root = parse(data, d.file)
    objects: dict[str, str] = {}
    for node in root.iter():
        kind = _LS_OBJECTS.get(node.tag.lower())
        if kind and "name" in node.attrib:
            key = node.attrib.get("value", "").lstrip("$") or node.attrib["name"]
            fname = d.ident(key, "field")
            d.fields[fname] = {"type": kind}
            objects[node.attrib["name"]] = fname
    regions: dict[str, str] = {}  # control name -> task id (for perRegion controls)
    per_region: list[Node] = []
    relations: Node | None = None
    for node in root.iter():
        tag = node.tag.lower()
        name = node.attrib.get("name", "")
        over = objects.get(node.attrib.get("toName", "").split(",")[0])
        if tag == "relations":
            relations = node
            continue
        if (
            tag in ("choices", "taxonomy", "rating", "number", "textarea")
            and node.attrib.get("perRegion", "").lower() == "true"
        ):
            per_region.append(node)
            continue
        if tag in _LS_REGION:
            ttype = _LS_REGION[tag]
            spec: dict[str, Any] = {"type": ttype}
            if over:
                spec["over"] = over
            spec["required"] = False
            if ttype == "keypoints":
                # a bare <KeyPointLabels>: each label is a kind of single point
                spec["skeleton"] = {"points": ["point"]}
                spec = d.task(name, spec)
                for value, _ in _ls_values(node):
                    d.add_class(spec, value)
                d.notes.append(
                    f"<KeyPointLabels name='{name}'>: each label became a class of one point "
                    "'point'; group them into classes with a skeleton if they belong together"
                )
            else:
                spec = d.task(name, spec)
                for value, _ in _ls_values(node):
                    d.add_class(spec, value)
            regions[name] = next(reversed(d.tasks))
        elif tag == "choices":
            many = node.attrib.get("choice", "single").lower() == "multiple"
            spec = d.task(name, {"type": "multi" if many else "single", "required": False})
            for value, _ in _ls_values(node):
                d.add_class(spec, value)
        elif tag == "taxonomy":
            spec = d.task(name, {"type": "single", "required": False})

            def walk(n: Node, parent: str | None, spec: dict[str, Any] = spec) -> None:
                for value, child in _ls_values(n):
                    cid = d.add_class(spec, value, parent=parent)
                    walk(child, cid)

            walk(node, None)
        elif tag == "rating":
            top = int(node.attrib.get("maxRating", "5") or 5)
            spec = d.task(name, {"type": "ordinal", "required": False})
            for k in range(1, top + 1):
                d.add_class(spec, f"r{k}")
            d.notes.append(
                f"<Rating name='{name}'>: its stars became classes r1..r{top}; name them"
            )
        elif tag == "number":
            spec = d.task(name, {"type": "number", "required": False})
            for key, target in (("min", "min"), ("max", "max")):
                if key in node.attrib:
                    try:
                        spec[target] = float(node.attrib[key])
                    except ValueError:
                        d.notes.append(
                            f"<Number name='{name}'> {key}={node.attrib[key]!r} is not a number"
                        )
        elif tag == "textarea":
            d.task(
                name,
                {"type": "text", "over": over, "required": False}
                if over
                else {"type": "text", "required": False},
            )
    for node in per_region:
        found = regions.get(next(iter(regions), ""))
        if found is None:
            d.notes.append(
                f"<{node.tag} name='{node.attrib.get('name')}' perRegion>: no region task to attach it to"
            )
            continue
        values = [v for v, _ in _ls_values(node)]
        attr: dict[str, Any] = {"type": "enum", "values": values} if values else {"type": "text"}
        d.tasks[found].setdefault("attributes", {})[
            d.ident(node.attrib.get("name", "attribute"), "attribute")
        ] = attr
    if relations is not None:
        spans = next(
            (t for t, s in d.tasks.items() if s["type"] in ("spans", "bbox", "polygon")), None
        )
        if spans is None:
            d.notes.append("<Relations>: no region task for the relations to link")
        else:
            spec = d.task("relations", {"type": "relations", "over": spans, "required": False})
            for child in relations.children:
                if child.tag == "Relation" and child.attrib.get("value"):
                    d.add_class(spec, child.attrib["value"])
            if not spec["classes"]:
                d.add_class(spec, "related")
                d.notes.append("<Relations> has no <Relation> values: one class 'related'")


# -- CVAT ------------------------------------------------------------------------------------------

_CVAT_TYPES = {"rectangle": "bbox", "polygon": "polygon", "points": "keypoints", "any": "bbox"}
#: shapes of a CVAT XML export, and the task type each needs (None: no task type holds it)
_CVAT_SHAPES: dict[str, str | None] = {
    "box": "bbox",
    "polygon": "polygon",
    "points": "keypoints",
    "polyline": None,
    "ellipse": None,
    "cuboid": None,
    "mask": None,
}


def _cvat(d: Draft, path: Path) -> None:
    data = path.read_bytes()
    labels: list[dict[str, Any]] = []
    used: dict[str, set[str]] = {}  # label -> shapes an XML export draws with it
    occluded: set[str] = set()
    npoints: dict[str, int] = {}  # label -> most points of a <points> shape
    if data.lstrip()[:1] == b"<":
        root = parse(data, d.file)
        for node in root.iter():
            if node.tag in _CVAT_SHAPES and "label" in node.attrib:
                used.setdefault(node.attrib["label"], set()).add(node.tag)
                if node.attrib.get("occluded") == "1":
                    occluded.add(node.attrib["label"])
                if node.tag == "points":
                    count = node.attrib.get("points", "").count(";") + 1
                    npoints[node.attrib["label"]] = max(npoints.get(node.attrib["label"], 0), count)
        for node in root.iter():
            if node.tag != "label" or node.find("name") is None:
                continue
            attrs = []
            holder = node.find("attributes")
            for a in holder.findall("attribute") if holder is not None else []:
                raw = a.findtext("values") or ""
                values = raw.split("\n") if "\n" in raw else raw.split()
                attrs.append(
                    {
                        "name": a.findtext("name") or "",
                        "input_type": a.findtext("input_type") or "text",
                        "values": [v for v in values if v],
                    }
                )
            labels.append(
                {
                    "name": node.findtext("name"),
                    "type": node.findtext("type") or "any",
                    "attributes": attrs,
                }
            )
    else:
        doc = _load_json(path)
        labels = [x for x in doc if isinstance(x, dict)] if isinstance(doc, list) else []
    if not labels:
        raise _error("no CVAT labels found", d.file)
    d.fields["image"] = {"type": "image"}
    for label in labels:
        name = label.get("name")
        if not isinstance(name, str):
            continue
        kind = str(label.get("type") or "any")
        ttypes = [_CVAT_TYPES[kind]] if kind in _CVAT_TYPES and kind != "any" else []
        for shape in sorted(used.get(name, ())):
            if shape in _CVAT_SHAPES and _CVAT_SHAPES[shape] is None:
                d.notes.append(f"label '{name}' is drawn as a {shape}, which has no task type")
            elif shape in _CVAT_SHAPES and _CVAT_SHAPES[shape] not in ttypes:
                ttypes.append(str(_CVAT_SHAPES[shape]))
        if not ttypes:
            if kind not in _CVAT_TYPES:
                d.notes.append(
                    f"label '{name}' of CVAT type '{kind}' has no task type; read as a box"
                )
            ttypes = ["bbox"]
        specs = []
        for ttype in ttypes:
            tid = {"bbox": "boxes", "polygon": "polygons", "keypoints": "points"}[ttype]
            spec = d.tasks.get(tid) or d.task(
                tid, {"type": ttype, "over": "image", "required": False}
            )
            if ttype == "keypoints" and "skeleton" not in spec:
                n = max(npoints.values(), default=1)
                spec["skeleton"] = {"points": [f"p{k}" for k in range(1, n + 1)]}
                d.notes.append(
                    f"CVAT 'points' labels became a keypoints task with {n} points p1..p{n} "
                    "(the most one shape has); name them"
                )
            specs.append(spec)
        attributes: dict[str, Any] = {}
        for a in label.get("attributes") or []:
            if not isinstance(a, dict) or not isinstance(a.get("name"), str):
                continue
            aid = d.ident(a["name"], "attribute")
            kind_a = str(a.get("input_type") or "text")
            values = [str(v) for v in a.get("values") or []]
            if kind_a in ("select", "radio"):
                attributes[aid] = {"type": "enum", "values": values}
            elif kind_a == "checkbox":
                attributes[aid] = {"type": "boolean", "default": values[:1] == ["true"]}
            elif kind_a == "number":
                attributes[aid] = {"type": "number"}
                try:
                    low, high = float(values[0]), float(values[1])
                except (IndexError, ValueError):
                    low, high = 0.0, -1.0
                if low <= high:
                    attributes[aid].update(min=low, max=high)
                else:
                    d.notes.append(f"attribute '{a['name']}' of '{name}': range {values} not read")
            else:
                attributes[aid] = {"type": "text"}
        if name in occluded and "occluded" not in attributes:
            attributes["occluded"] = {"type": "boolean", "default": False}
        for spec in specs:
            d.add_class(spec, name, attributes=attributes or None)


# -- COCO ------------------------------------------------------------------------------------------


def _coco(d: Draft, path: Path) -> None:
    doc = _load_json(path)
    cats = doc.get("categories") if isinstance(doc, dict) else None
    if not isinstance(cats, list) or not cats:
        raise _error("the COCO file has no categories", d.file)
    d.fields["image"] = {"type": "image"}
    boxes = d.task("objects", {"type": "bbox", "over": "image", "required": False})
    supers: dict[str, str] = {}
    for cat in cats:
        if not isinstance(cat, dict) or not isinstance(cat.get("name"), str):
            d.notes.append(f"category {cat!r} has no name")
            continue
        sup = cat.get("supercategory")
        parent = None
        if isinstance(sup, str) and sup and sup != cat["name"]:
            parent = supers.get(sup) or d.add_class(boxes, sup)
            supers[sup] = parent
        d.add_class(boxes, cat["name"], parent=parent)
        points = cat.get("keypoints")
        if isinstance(points, list) and points:
            spec = d.tasks.get("pose") or d.task(
                "pose",
                {
                    "type": "keypoints",
                    "over": "image",
                    "required": False,
                    "skeleton": {"points": [d.ident(str(p), "point") for p in points]},
                },
            )
            d.add_class(spec, cat["name"])
            skeleton = cat.get("skeleton")
            if isinstance(skeleton, list) and skeleton:
                names = spec["skeleton"]["points"]
                try:
                    spec["skeleton"]["edges"] = [[names[a - 1], names[b - 1]] for a, b in skeleton]
                except (IndexError, TypeError, ValueError):
                    d.notes.append(
                        f"category '{cat['name']}': skeleton {skeleton!r} does not fit its keypoints"
                    )
        elif isinstance(cat.get("skeleton"), list) and cat["skeleton"]:
            d.notes.append(
                f"category '{cat['name']}' has a skeleton but no keypoint names: not read"
            )


# -- BRAT ------------------------------------------------------------------------------------------


def _brat(d: Draft, path: Path) -> None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(f"cannot read '{path}': {exc}", d.file) from None
    d.fields["text"] = {"type": "text"}
    spans = d.task(
        "mentions", {"type": "spans", "over": "text", "required": False, "overlap": "allow"}
    )
    rel_names: list[str] = []
    section = None
    stack: list[tuple[int, str | None]] = []
    for raw in lines:
        text = raw.split("#", 1)[0].rstrip()
        if not text.strip():
            continue
        s = text.strip()
        if s.startswith("[") and s.endswith("]"):
            section, stack = s[1:-1].lower(), []
            continue
        if s.startswith("<"):
            continue
        indent = len(text.expandtabs(8)) - len(text.expandtabs(8).lstrip())
        name, *rest = re.split(r"\s+", s, maxsplit=1)
        abstract = name.startswith("!")
        name = name.lstrip("!")
        if section in ("entities", "events"):
            while stack and stack[-1][0] >= indent:
                stack.pop()
            parent = stack[-1][1] if stack else None
            cid = d.add_class(spans, name, parent=parent)
            stack.append((indent, cid))
            if abstract:
                d.notes.append(f"'{name}' is marked '!' (not for annotation): it is a parent class")
            if section == "events":
                for arg in (rest[0] if rest else "").split(","):
                    role = arg.strip().split(":", 1)[0].strip()
                    role = re.sub(r"\d*(\{[^}]*\}|[?*+])?$", "", role)
                    if role and role not in rel_names:
                        rel_names.append(role)
        elif section == "relations":
            if name not in rel_names:
                rel_names.append(name)
        elif section == "attributes":
            spec = dict(
                kv.split(":", 1)
                for kv in (rest[0] if rest else "").replace(" ", "").split(",")
                if ":" in kv
            )
            values = spec.get("Value")
            attr: dict[str, Any] = (
                {"type": "enum", "values": values.split("|")}
                if values
                else {"type": "boolean", "default": False}
            )
            spans.setdefault("attributes", {})[d.ident(name, "attribute")] = attr
    if rel_names:
        rel = d.task("links", {"type": "relations", "over": "mentions", "required": False})
        for name in rel_names:
            d.add_class(rel, name)


# -- doccano ---------------------------------------------------------------------------------------


def _doccano(d: Draft, path: Path) -> None:
    doc = _load_json(path)
    if not isinstance(doc, list):
        raise _error("a doccano label set is a JSON list", d.file)
    d.fields["text"] = {"type": "text"}
    for item in doc:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            d.notes.append(f"label {item!r} has no 'text'")
            continue
        kind = str(item.get("task_type") or "Span")
        if kind == "Category":
            spec = d.tasks.get("category") or d.task(
                "category", {"type": "single", "required": False}
            )
        elif kind == "Relation":
            spec = d.tasks.get("relations") or d.task(
                "relations", {"type": "relations", "over": "entities", "required": False}
            )
        else:
            spec = d.tasks.get("entities") or d.task(
                "entities", {"type": "spans", "over": "text", "required": False}
            )
        d.add_class(spec, item["text"])
    if "relations" in d.tasks and "entities" not in d.tasks:
        d.task("entities", {"type": "spans", "over": "text", "required": False, "classes": []})
        d.notes.append("relation labels but no span labels: add the entities' classes")


# -- taxonomies ------------------------------------------------------------------------------------


def _taxonomy(d: Draft, path: Path) -> None:
    d.fields["text"] = {"type": "text"}
    spec = d.task("category", {"type": "single", "required": False})
    if path.suffix.lower() in (".csv", ".tsv"):
        _table(d, path, spec)
    else:
        doc = _load_json(path)
        items = doc if isinstance(doc, list) else [doc]

        def walk(node: Any, parent: str | None) -> None:
            if not isinstance(node, dict):
                d.notes.append(f"node {node!r} is not an object")
                return
            name = node.get("name") or node.get("id") or node.get("label")
            if not isinstance(name, str):
                d.notes.append(f"node without a name: {list(node)}")
                return
            definition = node.get("definition") or node.get("description")
            cid = d.add_class(
                spec,
                name,
                parent=parent,
                definition=definition if isinstance(definition, str) else None,
            )
            for child in node.get("children") or []:
                walk(child, cid)

        for item in items:
            walk(item, None)
    if not spec["classes"]:
        raise _error("no classes found in the taxonomy", d.file)


def _table(d: Draft, path: Path, spec: dict[str, Any]) -> None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(f"cannot read '{path}': {exc}", d.file) from None
    delim = "\t" if path.suffix.lower() == ".tsv" or text.split("\n", 1)[0].count("\t") else ","
    rows = list(csv.DictReader(io.StringIO(text), delimiter=delim))
    if not rows:
        raise _error("the taxonomy table has no rows", d.file)
    cols = {c.lower().strip(): c for c in rows[0] if c}
    key = cols.get("id") or cols.get("name") or cols.get("label")
    if key is None:
        raise _error(f"the table has no id or name column (columns: {', '.join(cols)})", d.file, 1)
    parent_col = cols.get("parent") or cols.get("parent_id")
    name_col = cols.get("name") if cols.get("id") else None
    def_col = cols.get("definition") or cols.get("description")
    ids: dict[str, str] = {}
    pending: list[tuple[int, dict[str, str]]] = list(enumerate(rows, 2))
    for _ in range(len(rows) + 1):  # parents may come after their children
        later = []
        for line, row in pending:
            raw_id = (row.get(key) or "").strip()
            if not raw_id:
                d.notes.append(f"row {line} has no {key}: skipped")
                continue
            parent_raw = (row.get(parent_col) or "").strip() if parent_col else ""
            if parent_raw and parent_raw not in ids:
                later.append((line, row))
                continue
            label = (row.get(name_col) or "").strip() if name_col else ""
            cid = d.add_class(
                spec,
                raw_id,
                parent=ids.get(parent_raw),
                definition=(row.get(def_col) or "").strip() or None if def_col else None,
            )
            entry = next(c for c in spec["classes"] if c["id"] == cid)
            if label and label != raw_id:
                entry["name"] = label
            ids[raw_id] = cid
        if not later or len(later) == len(pending):
            for line, row in later:
                d.notes.append(
                    f"row {line}: parent '{row.get(parent_col or '')}' is no id of the table: "
                    "skipped"
                )
            break
        pending = later
