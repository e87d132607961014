"""Drift: where a labelling tool's live config no longer matches the guideline.

Someone adds a label in the tool, renames one, or the guideline gains a class the tool never
got: labels then stop meaning what the guideline says. These checks compare a tool's config
as exported from the tool with the guideline, control by control and label by label:

- GK810 a label in the tool that is no class (nor alias, nor name) of the task: added in the
  tool;
- GK811 a class annotators must be able to use that the tool lacks: missing in the tool;
- GK812 a label the tool spells as a class's alias or display name: renamed (it still maps);
- GK813 a task without a control, a control without a task, an attribute or keypoint that
  was added, removed or changed.

Locations point into the tool config (file and line).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidekit import ir, tasktypes
from guidekit.bridges._common import resolve_label
from guidekit.bridges._cvat_labels import LABEL_TYPES, cvat_map, label_list
from guidekit.bridges._json import JsonText
from guidekit.bridges._ls_names import (
    BOOL_CHOICES,
    attr_control,
    labelstudio_map,
    points_control,
    skeleton_points,
)
from guidekit.bridges._tooling import attribute_specs
from guidekit.bridges._xml import Node, parse
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.errors import GuidekitError

CONTROL_TYPES = {
    "choices": "choices",
    "taxonomy": "taxonomy",
    "labels": "labels",
    "hypertextlabels": "hypertextlabels",
    "rectanglelabels": "rectanglelabels",
    "polygonlabels": "polygonlabels",
    "keypointlabels": "keypointlabels",
    "textarea": "textarea",
    "number": "number",
    "rating": "rating",
}


@dataclass
class _Control:
    tag: str
    name: str
    line: int
    labels: list[tuple[str, int]] = field(default_factory=list)
    per_region: bool = False


def _label_compare(
    out: list[Diagnostic],
    task: ir.Task,
    tool: Iterable[tuple[str, int]],
    expected: Iterable[str],
    file: str,
    where: str,
    line: int,
) -> None:
    seen: set[str] = set()
    for label, lline in tool:
        loc = Location(file, lline)
        cid = resolve_label(task, label)
        if cid is None:
            out.append(
                diag(
                    "GK810",
                    f"{where} has label '{label}', which is no class of task '{task.id}'",
                    loc,
                    hint="add it to the guideline (or as an alias of a class), or remove it from "
                    "the tool",
                )
            )
            continue
        seen.add(cid)
        if cid != label:
            out.append(
                diag(
                    "GK812",
                    f"{where} spells class '{cid}' as '{label}'",
                    loc,
                    hint="regenerate the config with guidekit build so exports carry class ids",
                )
            )
    for cid in expected:
        if cid not in seen and not task[cid].deprecated:
            out.append(
                diag(
                    "GK811",
                    f"class '{cid}' of task '{task.id}' is missing from {where}",
                    Location(file, line),
                    hint="annotators cannot use it; regenerate and re-import the config",
                )
            )


# -- Label Studio -----------------------------------------------------------------------------------


def _ls_controls(root: Node) -> tuple[list[_Control], Node | None]:
    controls: list[_Control] = []
    relations: Node | None = None
    for node in root.iter():
        tag = node.tag.lower()
        if tag == "relations":
            relations = node
            continue
        if tag not in CONTROL_TYPES or "name" not in node.attrib:
            continue
        c = _Control(tag, node.attrib["name"], node.line)
        c.per_region = node.attrib.get("perRegion", "").lower() == "true"
        for child in node.iter():
            if child is node:
                continue
            value = child.attrib.get("alias") or child.attrib.get("value")
            if child.tag in ("Choice", "Label") and value is not None:
                c.labels.append((value, child.line))
        controls.append(c)
    return controls, relations


def labelstudio_drift(guideline: ir.Guideline, path: str | Path) -> list[Diagnostic]:
    """Drift between ``guideline`` and a Label Studio labeling config (XML, or a project JSON
    holding it under ``label_config``)."""
    path = Path(path)
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GuidekitError(
            diag("GK814", f"cannot read '{file}': {exc.strerror}", Location(file))
        ) from None
    if data.lstrip()[:1] == b"{":
        try:
            project = JsonText(data.decode("utf-8"), file).load()
        except (GuidekitError, UnicodeDecodeError):
            raise GuidekitError(
                diag("GK814", "not a Label Studio project JSON", Location(file))
            ) from None
        config = project.get("label_config") if isinstance(project, dict) else None
        if not isinstance(config, str):
            raise GuidekitError(diag("GK814", "the JSON has no 'label_config'", Location(file)))
        data = config.encode("utf-8")
    root = parse(data, file, code="GK814")
    controls, relations = _ls_controls(root)
    g = guideline
    out: list[Diagnostic] = []
    used: set[str] = set()
    for task in g.tasks.values():
        how = labelstudio_map(task)
        if how is not None and how.control == "relations":
            if relations is None:
                out.append(
                    diag(
                        "GK813",
                        f"task '{task.id}' has no <Relations> block in the config",
                        Location(file, root.line),
                    )
                )
                continue
            tool = [
                (c.attrib.get("value", ""), c.line)
                for c in relations.children
                if c.tag == "Relation"
            ]
            _label_compare(out, task, tool, task.class_ids(), file, "<Relations>", relations.line)
            continue
        control = _find_control(task, controls)
        if control is None:
            out.append(
                diag(
                    "GK813",
                    f"task '{task.id}' ({task.type}) has no control in the config",
                    Location(file, root.line),
                )
            )
            continue
        used.add(control.name)
        where = f"control '{control.name}'"
        if how is not None and how.control == "yes-no":
            values = {v.lower() for v, _ in control.labels}
            if values and not values <= {"yes", "no", "true", "false"}:
                out.append(
                    diag(
                        "GK813",
                        f"{where} offers {sorted(values)} for boolean task '{task.id}'",
                        Location(file, control.line),
                    )
                )
        elif task.has_classes:
            expected = task.class_ids() if control.tag == "taxonomy" else task.labels()
            _label_compare(out, task, control.labels, expected, file, where, control.line)
        if how is not None and how.points:
            _ls_points(out, task, controls, used, file)
        if tasktypes.of(task).region:
            _ls_attributes(out, task, controls, used, file)
    for c in controls:
        if c.name not in used and c.name != "guidekit_handbook":
            out.append(
                diag(
                    "GK813",
                    f"control '{c.name}' (<{c.tag}>) maps to no task of the guideline",
                    Location(file, c.line),
                    hint="it was added in the tool; add a task to the guideline or remove it",
                )
            )
    return out


def _find_control(task: ir.Task, controls: list[_Control]) -> _Control | None:
    for c in controls:
        if c.name == task.id:
            return c
    results = tasktypes.of(task).labelstudio_results()
    fitting = [c for c in controls if c.tag in results and not c.per_region and "__" not in c.name]
    if task.has_classes:
        fitting = [
            c for c in fitting if any(resolve_label(task, v) for v, _ in c.labels)
        ] or fitting
    return fitting[0] if len(fitting) == 1 else None


def _ls_points(
    out: list[Diagnostic], task: ir.Task, controls: list[_Control], used: set[str], file: str
) -> None:
    name = points_control(task)
    control = next((c for c in controls if c.name == name), None)
    if control is None:
        control = next(
            (c for c in controls if c.tag == "keypointlabels" and c.name not in used), None
        )
    if control is None:
        out.append(
            diag(
                "GK813",
                f"keypoints task '{task.id}' has no <KeyPointLabels> control",
                Location(file, 1),
            )
        )
        return
    used.add(control.name)
    want = skeleton_points(task)
    have = [v for v, _ in control.labels]
    for v, line in control.labels:
        if v not in want:
            out.append(
                diag(
                    "GK813",
                    f"keypoint '{v}' in control '{control.name}' is not in the skeleton of task '{task.id}'",
                    Location(file, line),
                )
            )
    for p in want:
        if p not in have:
            out.append(
                diag(
                    "GK813",
                    f"keypoint '{p}' of task '{task.id}' is missing from control '{control.name}'",
                    Location(file, control.line),
                )
            )


def _ls_attributes(
    out: list[Diagnostic], task: ir.Task, controls: list[_Control], used: set[str], file: str
) -> None:
    expected = attr_control(task, attribute_specs(task))
    by_name = {c.name: c for c in controls}
    for name, spec in expected:
        c = by_name.get(name) or by_name.get(spec.name)
        if c is None:
            out.append(
                diag(
                    "GK813",
                    f"attribute '{spec.name}' of task '{task.id}' has no control in the config",
                    Location(file, 1),
                )
            )
            continue
        used.add(c.name)
        a = spec.attr
        if a.type in ("enum", "boolean"):
            want = set(BOOL_CHOICES) if a.type == "boolean" else {str(v) for v in a.values}
            have = {v for v, _ in c.labels}
            if a.type == "boolean":
                have = {
                    "Yes"
                    if v.lower() in ("yes", "true")
                    else "No"
                    if v.lower() in ("no", "false")
                    else v
                    for v in have
                }
            if have != want:
                out.append(
                    diag(
                        "GK813",
                        f"attribute '{spec.name}' of task '{task.id}': the tool offers "
                        f"{', '.join(sorted(have)) or 'nothing'}, the guideline {', '.join(sorted(want))}",
                        Location(file, c.line),
                    )
                )
    prefix = f"{task.id}__"
    for c in controls:
        if c.name.startswith(prefix) and c.name not in used and c.name != points_control(task):
            out.append(
                diag(
                    "GK813",
                    f"control '{c.name}' is an attribute of task '{task.id}' the guideline does not declare",
                    Location(file, c.line),
                )
            )
            used.add(c.name)


# -- CVAT -------------------------------------------------------------------------------------------


def _kind_tasks(g: ir.Guideline, kind: str) -> list[ir.Task]:
    """The tasks a CVAT label of type ``kind`` may belong to (all of them for ``any`` and
    types no task maps to)."""
    held = [(t, m) for t in g.tasks.values() if (m := cvat_map(t)) is not None]
    if kind in LABEL_TYPES or any(m.label_type == kind for _, m in held):
        return [t for t, m in held if m.label_type == kind]
    return [t for t, _ in held]


def cvat_drift(guideline: ir.Guideline, path: str | Path) -> list[Diagnostic]:
    """Drift between ``guideline`` and CVAT labels JSON (as CVAT's Raw editor shows them)."""
    path = Path(path)
    file = str(path)
    try:
        doc = JsonText.read(path, file)
        kind, pos = doc.start()
        items = list(doc.array_items(pos)) if kind == "[" else None
    except GuidekitError as exc:
        d = exc.diagnostics[0]
        raise GuidekitError(diag("GK814", d.message, d.location)) from None
    if items is None:
        raise GuidekitError(
            diag("GK814", "CVAT labels are a JSON list of label objects", Location(file, 1))
        )
    g = guideline
    expected = {label["name"]: label for label in label_list(g)[0]}
    out: list[Diagnostic] = []
    matched: set[str] = set()
    for line, label in items:
        loc = Location(file, line)
        if not isinstance(label, dict) or not isinstance(label.get("name"), str):
            out.append(diag("GK814", "a CVAT label is an object with a 'name'", loc))
            continue
        name = label["name"]
        want = expected.get(name)
        if want is None:
            cids = {
                resolve_label(t, name) for t in _kind_tasks(g, str(label.get("type", "any")))
            } - {None}
            if len(cids) == 1:
                cid = cids.pop()
                assert cid is not None
                matched.add(cid)
                out.append(
                    diag(
                        "GK812",
                        f"CVAT label '{name}' spells class '{cid}' by an alias or name",
                        loc,
                        hint="rename the label in CVAT to the class id",
                    )
                )
                want = expected.get(cid)
            else:
                out.append(
                    diag(
                        "GK810",
                        f"CVAT label '{name}' is no class of the guideline's image tasks",
                        loc,
                        hint="add it to the guideline (or as an alias of a class), or remove it from CVAT",
                    )
                )
                continue
        else:
            matched.add(name)
        if want is not None:
            _cvat_label(out, label, want, loc)
    for name in expected:
        if name not in matched:
            out.append(
                diag(
                    "GK811",
                    f"class '{name}' is missing from the CVAT labels",
                    Location(file, 1),
                    hint="add it in CVAT or import the generated labels",
                )
            )
    return out


def _cvat_label(
    out: list[Diagnostic], label: dict[str, Any], want: dict[str, Any], loc: Location
) -> None:
    name = want["name"]
    kind = label.get("type", "any")
    if kind not in (want["type"], "any") and want["type"] != "any":
        out.append(
            diag(
                "GK813",
                f"CVAT label '{name}' is of type '{kind}', the guideline needs '{want['type']}'",
                loc,
            )
        )
    have = {a.get("name"): a for a in label.get("attributes") or [] if isinstance(a, dict)}
    need = {a["name"]: a for a in want["attributes"]}
    for aname, a in need.items():
        got = have.get(aname)
        if got is None:
            out.append(diag("GK813", f"attribute '{aname}' of '{name}' is missing in CVAT", loc))
            continue
        if got.get("input_type") != a["input_type"]:
            out.append(
                diag(
                    "GK813",
                    f"attribute '{aname}' of '{name}' is a {got.get('input_type')} in CVAT, the guideline needs {a['input_type']}",
                    loc,
                )
            )
        elif (
            a["input_type"] in ("select", "radio") and list(got.get("values") or []) != a["values"]
        ):
            out.append(
                diag(
                    "GK813",
                    f"attribute '{aname}' of '{name}' offers {', '.join(map(str, got.get('values') or []))} in CVAT, "
                    f"the guideline {', '.join(a['values'])}",
                    loc,
                )
            )
    for aname in have:
        if aname not in need:
            out.append(
                diag(
                    "GK813",
                    f"attribute '{aname}' of '{name}' was added in CVAT; the guideline does not declare it",
                    loc,
                )
            )
    if want["type"] == "skeleton":
        pts = [s.get("name") for s in label.get("sublabels") or [] if isinstance(s, dict)]
        want_pts = [s["name"] for s in want.get("sublabels", [])]
        if pts != want_pts:
            out.append(
                diag(
                    "GK813",
                    f"skeleton '{name}' has points {pts} in CVAT, the guideline {want_pts}",
                    loc,
                )
            )


# -- BRAT ------------------------------------------------------------------------------------------

_BRAT_ROLE = re.compile(r"^(?P<role>[^:?*+{]+?)\d*(?:\{[^}]*\}|[?*+])?$")


def _brat_sections(lines: list[str]) -> dict[str, list[tuple[str, int]]]:
    """``annotation.conf`` lines by section: (line without comment, line number); hierarchy
    parents marked ``!`` (not annotatable) and macros are left out."""
    out: dict[str, list[tuple[str, int]]] = {}
    section = None
    for n, raw in enumerate(lines, 1):
        text = raw.split("#", 1)[0].rstrip()
        stripped = text.strip()
        if not stripped:
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip().lower()
            out.setdefault(section, [])
            continue
        if section is None or stripped.startswith(("!", "<")):
            continue
        out[section].append((stripped, n))
    return out


def brat_drift(guideline: ir.Guideline, path: str | Path) -> list[Diagnostic]:
    """Compare a BRAT ``annotation.conf`` with the guideline's spans and relations tasks:
    entity and event types are span classes, relation types and event roles (``Org-Arg2``
    is the role ``Org-Arg``) relation classes, attributes the spans task's attributes."""
    from guidekit.bridges._text import TextTasks

    file = str(path)
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GuidekitError(diag("GK801", f"cannot read '{file}': {exc}", Location(file))) from None
    sections = _brat_sections(lines)
    if not {"entities", "relations", "events", "attributes"} & set(sections):
        raise GuidekitError(
            diag("GK801", f"'{file}' has none of BRAT's [entities] ... sections", Location(file))
        )
    tasks = TextTasks.of(guideline, "brat", file, {}, need_classes=False)
    out: list[Diagnostic] = []
    span_labels: list[tuple[str, int]] = []
    rel_labels: dict[str, int] = {}
    for text, n in sections.get("entities", []):
        span_labels.append((text.split()[0], n))
    for text, n in sections.get("events", []):
        name, *rest = re.split(r"\s+", text, maxsplit=1)
        args = rest[0] if rest else ""
        span_labels.append((name, n))
        for arg in args.split(","):
            role = arg.strip().split(":", 1)[0].strip()
            m = _BRAT_ROLE.match(role)
            if role and m is not None:
                rel_labels.setdefault(m.group("role"), n)
    for text, n in sections.get("relations", []):
        name = text.split()[0]
        if not name.startswith("<"):
            rel_labels.setdefault(name, n)
    first = min((n for items in sections.values() for _, n in items), default=1)
    if tasks.spans is not None:
        expected = [c.id for c in tasks.spans.classes if not c.children]
        _label_compare(out, tasks.spans, span_labels, expected, file, "annotation.conf", first)
    elif span_labels:
        out.append(
            diag(
                "GK813",
                "annotation.conf has entity types but the guideline no spans task",
                Location(file, span_labels[0][1]),
            )
        )
    if tasks.relations is not None:
        expected = [c.id for c in tasks.relations.classes if not c.children]
        _label_compare(
            out, tasks.relations, rel_labels.items(), expected, file, "annotation.conf", first
        )
    elif rel_labels:
        out.append(
            diag(
                "GK813",
                "annotation.conf has relations or event roles but the guideline no relations task",
                Location(file, next(iter(rel_labels.values()))),
            )
        )
    if tasks.spans is not None:
        out += _brat_attributes(tasks.spans, sections.get("attributes", []), file)
    return out


def _brat_attributes(task: ir.Task, items: list[tuple[str, int]], file: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    declared: dict[str, Any] = dict(task.attributes)
    for c in task.classes:
        declared.update(task.attributes_for(c.id))
    seen = set()
    for text, n in items:
        parts = re.split(r"\s+", text, maxsplit=1)
        name = parts[0]
        seen.add(name)
        spec = dict(
            kv.split(":", 1)
            for kv in (parts[1] if len(parts) > 1 else "").replace(" ", "").split(",")
            if ":" in kv
        )
        values = spec.get("Value")
        attr = declared.get(name)
        if attr is None:
            out.append(
                diag(
                    "GK813",
                    f"annotation.conf has attribute '{name}', which task '{task.id}' does not declare",
                    Location(file, n),
                    hint="declare it on the task or its classes",
                )
            )
            continue
        ours = list(getattr(attr, "values", None) or [])
        theirs = values.split("|") if values else []
        if theirs and sorted(theirs) != sorted(ours):
            out.append(
                diag(
                    "GK813",
                    f"attribute '{name}': annotation.conf allows {theirs}, the guideline {ours}",
                    Location(file, n),
                )
            )
        elif not theirs and attr.type != "boolean":
            out.append(
                diag(
                    "GK813",
                    f"attribute '{name}' is binary in annotation.conf but {attr.type} in the guideline",
                    Location(file, n),
                )
            )
    for name in declared:
        if name not in seen:
            out.append(
                diag(
                    "GK813",
                    f"attribute '{name}' of task '{task.id}' is missing from annotation.conf",
                    Location(file, 1),
                )
            )
    return out
