"""Label Studio: the labeling config generated from the guideline, and its JSON exports.

Config (``guidekit build --target labelstudio``): one control per task, named by the task id,
so exports map back to tasks without guessing. Classes become ``<Choice>``/``<Label>`` tags
whose value is the class id and whose hint is the definition; hierarchies of classification
tasks become a ``<Taxonomy>``; boxes, polygons and keypoints become ``RectangleLabels``,
``PolygonLabels`` and ``KeyPointLabels``; relations a ``<Relations>`` block; region
attributes per-region controls named ``<task>__<attribute>``, shown only for the classes they
apply to. The guideline's id, version and handbook link head the config.

Exports (``--format labelstudio`` for the JSON export, ``labelstudio-min`` for JSON-MIN): see
:mod:`guidekit.bridges._ls_read` and :mod:`guidekit.bridges._ls_write`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from guidekit import ir, tasktypes
from guidekit.bridges._ls_names import (
    BOOL_CHOICES,
    attr_control,
    main_object,
    points_control,
    skeleton_points,
)
from guidekit.bridges._tooling import (
    GENERATED,
    AttrSpec,
    attribute_specs,
    banner,
    handbook,
    hint,
    unsupported,
    write_files,
)
from guidekit.bridges._xmlout import Element, add, comment, element, to_lines
from guidekit.delivery.read import RawRecord
from guidekit.diagnostics.model import Diagnostic
from guidekit.generators.palette import class_colors
from guidekit.tasktypes import NotRepresentable
from guidekit.tasktypes._bridge_maps import LabelStudioMap

CONFIG_FILE = "labelstudio.xml"
TOOL = "Label Studio"


# -- config -----------------------------------------------------------------------------------


def _class_tag(tag: str, cls: ir.Class, color: str, *, with_hint: bool = True) -> Element:
    return element(
        tag,
        {
            "value": cls.id,
            "hint": hint(cls) if with_hint else None,
            "background": color,
            "hotkey": cls.hotkey,
        },
    )


def _choices(task: ir.Task, to_name: str, how: LabelStudioMap) -> Element:
    hierarchical = any(c.parent for c in task.classes)
    required = "true" if task.required else None
    if hierarchical:
        el = element(
            "Taxonomy",
            {
                "name": task.id,
                "toName": to_name,
                "leafsOnly": "true" if task.leaf_only else None,
                "maxUsages": "1" if how.one_usage else None,
                "showFullPath": "true",
                "required": required,
            },
        )

        def nest(parent: Element, classes: Iterable[ir.Class]) -> None:
            for cls in classes:
                node = add(
                    parent,
                    element("Choice", {"value": cls.id, "hint": hint(cls), "hotkey": cls.hotkey}),
                )
                nest(node, (task[c] for c in cls.children))

        nest(el, task.roots())
        return el
    el = element(
        "Choices",
        {
            "name": task.id,
            "toName": to_name,
            "choice": how.choice,
            "showInline": "true" if how.inline else None,
            "required": required,
        },
    )
    for cls in task.classes:
        add(el, element("Choice", {"value": cls.id, "hint": hint(cls), "hotkey": cls.hotkey}))
    return el


def _attribute(
    name: str, spec: AttrSpec, to_name: str, task: ir.Task, names: dict[str, str]
) -> Element:
    a = spec.attr
    common: dict[str, str | None] = {"name": name, "toName": to_name, "perRegion": "true"}
    if a.required:
        common["required"] = "true"
    if a.type in ("enum", "boolean"):
        el = element("Choices", {**common, "choice": "single-radio", "showInline": "true"})
        values = BOOL_CHOICES if a.type == "boolean" else tuple(str(v) for v in a.values)
        for v in values:
            add(el, element("Choice", {"value": v, "hint": a.value_descriptions.get(v)}))
    elif a.type in ("integer", "number"):
        el = element(
            "Number",
            {
                **common,
                "min": None if a.min is None else f"{a.min:g}",
                "max": None if a.max is None else f"{a.max:g}",
                "step": "1" if a.type == "integer" else "any",
            },
        )
    else:
        el = element("TextArea", {**common, "maxSubmissions": "1", "editable": "true"})
    cond = a.when
    if cond is not None and cond.attribute is not None and cond.attribute in names:
        el.attrib["visibleWhen"] = "choice-selected"
        el.attrib["whenTagName"] = names[cond.attribute]
        if cond.values is not None:
            vals = [
                (BOOL_CHOICES[0] if v else BOOL_CHOICES[1]) if isinstance(v, bool) else str(v)
                for v in cond.values
            ]
            el.attrib["whenChoiceValue"] = ",".join(vals)
    label = a.description.split("\n")[0] if a.description else spec.name
    view = element(
        "View",
        {
            "visibleWhen": "region-selected",
            "whenTagName": task.id,
            "whenLabelValue": ",".join(spec.classes) if spec.classes is not None else None,
        },
    )
    add(
        view,
        element(
            "Header",
            {"value": f"{spec.name}: {label}" if label != spec.name else label, "size": "6"},
        ),
    )
    add(view, el)
    return view


def config_tree(guideline: ir.Guideline) -> tuple[Element, list[Diagnostic]]:
    """The labeling config as an element tree, and warnings for tasks left out."""
    notes: list[Diagnostic] = []
    root = element("View")
    head = add(root, element("View", {"style": "padding: 0 0 8px 0"}))
    add(head, element("Header", {"value": f"{guideline.title} - guideline {guideline.version}"}))
    link = handbook(guideline)
    if link:
        add(
            head,
            element(
                "HyperText",
                {
                    "name": "guidekit_handbook",
                    "value": f'<a href="{link}" target="_blank" rel="noopener">'
                    "Open the annotator handbook</a>",
                    "inline": "true",
                },
            ),
        )
    for name, spec in guideline.record.fields.items():
        tag = {"image": "Image", "video": "Video"}.get(spec.type, "Text")
        add(root, element(tag, {"name": name, "value": f"${name}"}))
    target = main_object(guideline)
    relations_done = False
    for task in guideline.tasks.values():
        box = element("View")
        add(box, element("Header", {"value": task.question or task.name}))
        to_name = task.over or target
        try:
            how = tasktypes.of(task).labelstudio()
        except NotRepresentable as e:
            notes.append(unsupported(guideline, TOOL, task, str(e)))
            continue
        kind = how.control
        if kind == "choices":
            add(box, _choices(task, target, how))
        elif kind == "yes-no":
            el = add(
                box,
                element(
                    "Choices",
                    {
                        "name": task.id,
                        "toName": target,
                        "choice": "single-radio",
                        "showInline": "true",
                        "required": "true" if task.required else None,
                    },
                ),
            )
            for v in BOOL_CHOICES:
                add(el, element("Choice", {"value": v}))
        elif kind == "textarea":
            add(
                box,
                element(
                    "TextArea",
                    {
                        "name": task.id,
                        "toName": target,
                        "maxSubmissions": "1",
                        "editable": "true",
                        "required": "true" if task.required else None,
                    },
                ),
            )
        elif kind == "number":
            add(
                box,
                element(
                    "Number",
                    {
                        "name": task.id,
                        "toName": target,
                        "min": None if task.min is None else f"{task.min:g}",
                        "max": None if task.max is None else f"{task.max:g}",
                        "step": "1" if task.integer else "any",
                        "required": "true" if task.required else None,
                    },
                ),
            )
        elif kind == "regions" and how.tag is not None:
            el = add(box, element(how.tag, {"name": task.id, "toName": to_name}))
            if how.separate_labels:
                el = add(box, element("Labels", {"name": f"{task.id}__labels", "toName": to_name}))
            colors = class_colors(task)
            for cid in task.labels():
                add(el, _class_tag("Label", task[cid], colors[cid]))
            if how.points:
                kp = add(
                    box,
                    element("KeyPointLabels", {"name": points_control(task), "toName": to_name}),
                )
                for point in skeleton_points(task):
                    add(kp, element("Label", {"value": point}))
            controls = attr_control(task, attribute_specs(task))
            names = {attr.name: name for name, attr in controls}
            for name, attr in controls:
                add(box, _attribute(name, attr, to_name, task, names))
        elif kind == "relations":
            if relations_done:
                notes.append(
                    unsupported(guideline, TOOL, task, "a config holds one <Relations> block")
                )
                continue
            relations_done = True
            el = add(box, element("Relations"))
            colors = class_colors(task)
            for cls in task.classes:
                add(el, element("Relation", {"value": cls.id, "background": colors[cls.id]}))
        add(root, box)
        if kind == "choices" and any(c.attributes for c in task.classes):
            notes.append(
                unsupported(
                    guideline, TOOL, task, "attributes of classification labels are not generated"
                )
            )
    return root, notes


def labelstudio_config(guideline: ir.Guideline) -> str:
    """The Label Studio labeling config (XML) for ``guideline``; deterministic."""
    root, _ = config_tree(guideline)
    lines = [comment(f"{banner(guideline)}. {GENERATED}."), *to_lines(root)]
    return "\n".join(lines) + "\n"


def labelstudio_notes(guideline: ir.Guideline) -> list[Diagnostic]:
    """Warnings (GK808) for what the config cannot express."""
    return config_tree(guideline)[1]


def write_labelstudio(guideline: ir.Guideline, out_dir: Path) -> list[Path]:
    """Write ``labelstudio.xml`` into ``out_dir``."""
    return write_files(Path(out_dir), {CONFIG_FILE: labelstudio_config(guideline)})


# -- exports ------------------------------------------------------------------------------------


def read_labelstudio_json(
    path: str | Path, guideline: ir.Guideline, **options: Any
) -> Iterator[RawRecord]:
    """Records of a Label Studio JSON export (a list of tasks; one record per annotation)."""
    from guidekit.bridges._ls_read import read_json

    return read_json(Path(path), guideline, **options)


def read_labelstudio_min(
    path: str | Path, guideline: ir.Guideline, **options: Any
) -> Iterator[RawRecord]:
    """Records of a Label Studio JSON-MIN export (one flat object per annotation)."""
    from guidekit.bridges._ls_read import read_min

    return read_min(Path(path), guideline, **options)


def write_labelstudio_json(
    records: Iterable[dict[str, Any]], guideline: ir.Guideline, out: str | Path, **options: Any
) -> Any:
    """Write native records as a Label Studio JSON export (importable as tasks)."""
    from guidekit.bridges._ls_write import write_json

    return write_json(records, guideline, Path(out), **options)


def write_labelstudio_min(
    records: Iterable[dict[str, Any]], guideline: ir.Guideline, out: str | Path, **options: Any
) -> Any:
    """Write native records as Label Studio JSON-MIN."""
    from guidekit.bridges._ls_write import write_min

    return write_min(records, guideline, Path(out), **options)
