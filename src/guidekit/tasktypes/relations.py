"""The ``relations`` task type: labelled links between regions of another task."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from guidekit import ir, tasktypes
from guidekit.diagnostics.pointer import escape as esc
from guidekit.tasktypes import _quality_regions as R
from guidekit.tasktypes._bridge_maps import ARGILLA_NO_REGIONS, LabelStudioMap
from guidekit.tasktypes._delivery_fast import (
    fast_region_list,
    region_labels,
    value_present,
)
from guidekit.tasktypes._format import ConfigFinding, Report
from guidekit.tasktypes._generators_schema import (
    MODEL_REGION_ID,
    REGION_ID,
    model_region_list,
    schema_region_list,
)
from guidekit.tasktypes._handbook_page import Markup, Page, html_text
from guidekit.tasktypes._handbook_regions import attributes_html
from guidekit.tasktypes._values import (
    Problem,
    check_attributes,
    check_label,
    region_id,
    region_list,
    type_name,
)
from guidekit.tasktypes.base import NotRepresentable, TaskType

if TYPE_CHECKING:
    from guidekit import ir

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._delivery_fast import FastGen
    from guidekit.tasktypes._generators_schema import SchemaGen
    from guidekit.tasktypes._quality_values import Converter


class Relations(TaskType):
    name = "relations"
    summary = "Labelled links between regions of another task."

    # -- format and lowering (compiler) ----------------------------------------------------

    condition_keys = frozenset({"has", "has_any", "count"})
    gold_scores = True
    class_keys = frozenset({"from", "to"})

    def check_config(self, guideline: ir.Guideline, task: ir.Task) -> Iterator[ConfigFinding]:
        over = guideline.tasks.get(task.over or "")
        if over is None:
            yield ConfigFinding(
                "GK310" if task.over is None else "GK302",
                f"relations task '{task.id}' needs `over:` naming a region task"
                if task.over is None
                else f"relations task '{task.id}' is over '{task.over}', which is not a task",
                task.loc,
            )
        elif not over.is_region:
            yield ConfigFinding(
                "GK310",
                f"relations task '{task.id}' is over '{over.id}', a {over.type} task without regions",
                task.loc,
            )
        else:
            for c in task.classes:
                for end in (c.from_ or ()) + (c.to or ()):
                    if end not in over:
                        yield ConfigFinding(
                            "GK302",
                            f"relation '{c.id}' allows '{end}', which is not "
                            f"a class of task '{over.id}'",
                            c.loc,
                        )

    def points_into(self, guideline: ir.Guideline, task: ir.Task) -> str | None:
        over = guideline.tasks.get(task.over or "")
        return over.over if over is not None else task.over

    def canonical_value(
        self,
        task: ir.Task,
        value: Any,
        default_label: Any,
        record: Mapping[str, Any],
        report: Report,
    ) -> Any:
        if not isinstance(value, list):
            return value
        return [
            {"label": default_label, **r}
            if isinstance(r, dict) and "label" not in r and isinstance(default_label, str)
            else r
            for r in value
        ]

    # -- record values (record checks) -----------------------------------------------------

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
        over = guideline.tasks.get(task.over or "")
        regions = annotations.get(task.over or "")
        by_id: dict[str, str | None] = {}
        if isinstance(regions, list):
            for r in regions:
                if isinstance(r, dict) and r.get("id") is not None:
                    label = r.get("label")
                    cid = over.resolve_label(label) if over and isinstance(label, str) else None
                    by_id[str(r["id"])] = cid
        seen: set[tuple[str, str, str]] = set()
        rel_ids: set[str] = set()
        for i, rel in enumerate(value):
            ptr = f"/{i}"
            if not isinstance(rel, dict):
                yield Problem(
                    "value.type", ptr, f"a relation must be an object, found {type_name(rel)}"
                )
                continue
            for k in sorted(set(rel) - {"label", "from", "to", "id", "attributes"}):
                yield Problem("value.unknown_key", f"{ptr}/{esc(k)}", f"unknown key '{k}'")
            cid = None
            if "label" not in rel:
                yield Problem("value.missing", f"{ptr}/label", "relation has no 'label'")
            else:
                yield from check_label(task, rel["label"], f"{ptr}/label")
                if isinstance(rel["label"], str):
                    cid = task.resolve_label(rel["label"])
            yield from region_id(rel, rel_ids, ptr)
            ends: dict[str, str | None] = {}
            for end in ("from", "to"):
                ref = rel.get(end)
                if ref is None:
                    yield Problem("value.missing", f"{ptr}/{end}", f"relation has no '{end}'")
                    continue
                if not isinstance(ref, (str, int)) or isinstance(ref, bool):
                    yield Problem(
                        "value.type",
                        f"{ptr}/{end}",
                        f"'{end}' must be a region id (text or an integer), found {type_name(ref)}",
                    )
                    continue
                if str(ref) not in by_id:
                    yield Problem(
                        "relation.dangling",
                        f"{ptr}/{end}",
                        f"'{end}' refers to region {ref!r}, which task '{task.over}' does not have",
                    )
                    continue
                ends[end] = by_id[str(ref)]
            if cid is not None:
                cls = task[cid]
                for end, allowed in (("from", cls.from_), ("to", cls.to)):
                    got = ends.get(end)
                    if (
                        allowed is not None
                        and got is not None
                        and over is not None
                        and not any(over.is_a(got, a) for a in allowed)
                    ):
                        yield Problem(
                            "relation.pair",
                            f"{ptr}/{end}",
                            f"'{cid}' cannot {'start at' if end == 'from' else 'end at'} "
                            f"'{got}' (allowed: {', '.join(allowed)})",
                        )
                yield from check_attributes(task, cid, rel.get("attributes"), f"{ptr}/attributes")
            if "from" in rel and "to" in rel and isinstance(rel.get("label"), str):
                key = (rel["label"], str(rel["from"]), str(rel["to"]))
                if not task.directed:
                    a, b = sorted((key[1], key[2]))
                    key = (key[0], a, b)
                if key in seen:
                    yield Problem("relation.duplicate", ptr, "the same relation is given twice")
                seen.add(key)

    def check_missing(self, task: ir.Task) -> Iterator[Problem]:
        return iter(())  # no list means no relations

    # -- delivery (fast path, conditions) --------------------------------------------------

    def cond_labels(self, task: ir.Task, v: str, bare: bool, once: bool) -> str:
        return region_labels(v, once)

    def fast_value_type(self, task: ir.Task, item: str) -> str:
        return fast_region_list(task, item, min_one=False)

    def fast_struct_fields(self, task: ir.Task, label: str, attrs: str) -> list[str]:
        return [
            f"attributes: {attrs}",
            "id: str | int | None = None",
            "from_: str | int = field(name='from')",
            "to: str | int",
        ]

    def fast_check(self, task: ir.Task, gen: FastGen) -> None:
        with value_present(gen, task):
            _relations_check(task, gen)

    # -- generators (JSON Schema, models) --------------------------------------------------

    def schema_value(self, task: ir.Task, head: dict[str, Any], gen: SchemaGen) -> dict[str, Any]:
        return schema_region_list(task, head, gen, min_one=False)

    def schema_item(
        self, task: ir.Task, label: dict[str, Any], names: tuple[str, ...] | None
    ) -> tuple[dict[str, Any], list[str]]:
        end = {
            "type": ["string", "integer"],
            "description": f"Region id in task '{task.over}'.",
        }
        props = {"label": label, "from": end, "to": end, "id": REGION_ID}
        return props, ["label", "from", "to"]

    def model_value(self, task: ir.Task, item: str) -> str:
        return model_region_list(task, item, min_one=False)

    def model_item_kind(self) -> str:
        return "relation"

    def model_item_fields(self, task: ir.Task, names: tuple[str, ...] | None) -> list[str]:
        return [
            "    from_: Union[StrictStr, StrictInt] = Field(alias='from')",
            "    to: Union[StrictStr, StrictInt]",
            MODEL_REGION_ID,
        ]

    # -- handbook --------------------------------------------------------------------------
    links_regions = True

    def handbook_kind(self) -> str:
        return "relations"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        other = g.tasks.get(task.over or "")
        name = text.plain(other.name) if other else text.code(task.over or "")
        kind = "directed: from one region to another" if task.directed else "undirected"
        return f"Link pairs of regions of {name} with a relation class. Relations are {kind}."

    def handbook_class_notes(self, task: ir.Task, cls: ir.Class, page: Page) -> list[str]:
        if not (cls.from_ or cls.to):
            return []
        over = page.g.tasks.get(task.over or "")

        def ends(ids: tuple[str, ...] | None) -> str:
            if not ids:
                return "any region"
            if over is None:
                return " or ".join(page.code(i) for i in ids)
            return " or ".join(page.class_link(over.id, i) for i in ids)

        return [f"**Links** {ends(cls.from_)} **to** {ends(cls.to)}."]

    def handbook_links(self, task: ir.Task, value: Any) -> list[tuple[str, str, str]]:
        return [
            (str(rel.get("label", "")), str(rel.get("from")), str(rel.get("to")))
            for rel in (value if isinstance(value, list) else [])
            if isinstance(rel, dict)
        ]

    def handbook_link_items(
        self,
        task: ir.Task,
        value: Any,
        over: ir.Task | None,
        regions: Any,
        text: str | None,
        page: Page,
    ) -> list[str]:
        by_id: dict[str, dict[str, Any]] = {}
        if isinstance(regions, list):
            by_id = {str(r["id"]): r for r in regions if isinstance(r, dict) and "id" in r}
        over_type = tasktypes.of(over) if over is not None else None
        arrow = "→" if task.directed else "—"
        items = []
        for rel in value if isinstance(value, list) else []:
            if not isinstance(rel, dict):
                continue
            ends = []
            for end in ("from", "to"):
                r = by_id.get(str(rel.get(end)))
                if r is None or over is None or over_type is None:
                    ends.append(f"<code>{html_text(rel.get(end))}</code>")
                    continue
                quote = over_type.handbook_quote(r, text)
                ends.append(f"{page.chip(over.id, str(r.get('label', '')))}{quote}")
            label = page.chip(task.id, str(rel.get("label", "")))
            items.append(
                f"<li>{ends[0]} {arrow} {label} {arrow} {ends[1]}{attributes_html(rel)}</li>"
            )
        return items

    # -- quality (agreement, gold) ---------------------------------------------------------

    def quality_labels(self, task: ir.Task) -> list[str]:
        return [c.id for c in task.classes]

    def quality_values(self, task: ir.Task, missing: object) -> Converter:
        return R.regions_value(task, R.no_shape)

    def agreement_unmeasured(self) -> str:
        return "agreement on relations is not measured"

    # -- versioning (diff, migration) ------------------------------------------------------

    def diff_settings(self, a: ir.Task, b: ir.Task) -> list[tuple[str, str, Any, Any]]:
        return [("task-values-changed", "`directed`", a.directed, b.directed)]

    # -- bridges (tool configs, readers, writers) ------------------------------------------

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("relations")

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        raise NotRepresentable(ARGILLA_NO_REGIONS)


def _relations_check(task: ir.Task, gen: FastGen) -> None:
    """Both ends are regions of the ``over`` task, of the classes the relation allows;
    no relation twice."""
    s = gen.src
    over = gen.g.tasks[task.over or ""]
    s(f"rg = r.{gen.fields[over.id]}")
    s("mp = {}")
    s("if rg is not None:")
    with s.indent():
        s("for y in rg:")
        with s.indent():
            s("i = y.id")
            s("if i is not None: mp[i if i.__class__ is str else str(i)] = y.label")
    s("seen = set()")
    froms = {}
    tos = {}
    for cl in task.classes:
        if cl.from_ is not None:
            froms[cl.id] = _closure(over, cl.from_)
        if cl.to is not None:
            tos[cl.id] = _closure(over, cl.to)
    s("for x in v:")
    with s.indent():
        s("a = x.from_; a = a if a.__class__ is str else str(a)")
        s("b = x.to; b = b if b.__class__ is str else str(b)")
        s("ca = mp.get(a); cb = mp.get(b)")
        s("if ca is None or cb is None: return False")
        if froms:
            s(f"al = {gen.const(froms, 'FROM')}.get(x.label)")
            s("if al is not None and ca not in al: return False")
        if tos:
            s(f"al = {gen.const(tos, 'TO')}.get(x.label)")
            s("if al is not None and cb not in al: return False")
        if task.directed:
            s("k = (x.label, a, b)")
        else:
            s("k = (x.label, a, b) if a <= b else (x.label, b, a)")
        s("if k in seen: return False")
        s("seen.add(k)")
        gen.attrs_call(task, "x")


def _closure(task: ir.Task, targets: Any) -> frozenset[str]:
    """The classes ``targets`` name, with their descendants."""
    out: set[str] = set()
    for t in targets:
        out.add(t)
        if t in task:
            out.update(task.descendants(t))
    return frozenset(out)


TASK_TYPE = Relations()
