"""Write the fast path's source code from the IR (used by :mod:`guidekit.delivery._fast`).

The module written holds msgspec ``Struct`` classes for a record -- one struct per usable
label, as a tagged union on ``label``, so the decoder picks the class and checks its
attributes in C; labels as ``Literal`` types, ranges as ``Meta`` constraints -- and
``check(r)``, the semantic checks as straight-line code. ``check``'s body is also kept to
be inlined in the hot loop; each ``return False`` there means "take the full checker".

What is specific to a task type -- its struct fields, the annotation of its value, its
checks -- is written by the type's module (``fast_*`` hooks of
:class:`guidekit.tasktypes.TaskType`); this module holds the record, the counters and the
helpers those hooks call (:class:`guidekit.tasktypes._delivery_fast.FastGen`).
"""

from __future__ import annotations

import re
from typing import Any

from guidekit import ir, tasktypes
from guidekit.delivery._conds import CondCompiler
from guidekit.record.layout import TEXT_FIELD_TYPES, Layout
from guidekit.record.shapes import Profile, clean_labels, profile
from guidekit.spec.format import Cond

FAIL = re.compile(r"\breturn False\b")
SKIP_MARK = "pass  # skipped and clean"


def distribution_cond(task: ir.Task, class_id: str) -> Cond:
    """Whether a record "is labelled" ``class_id`` in ``task`` (for distribution bounds)."""
    if tasktypes.of(task).one_label():
        return Cond.model_validate({"task": task.id, "is": class_id})
    return Cond.model_validate({"task": task.id, "has_any": [class_id]})


class Src:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0

    def __call__(self, line: str) -> None:
        self.lines.append("    " * self.depth + line)

    def indent(self) -> Indent:
        return Indent(self)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class Indent:
    def __init__(self, src: Src) -> None:
        self.src = src

    def __enter__(self) -> None:
        self.src.depth += 1

    def __exit__(self, *exc: object) -> None:
        self.src.depth -= 1


class Counter_:
    """A counter the generated loop keeps for clean records: ``name`` and its condition
    (tested only when ``within``, the previous counter's condition, held)."""

    def __init__(self, name: str, expr: str, within: bool = False) -> None:
        self.name = name
        self.expr = expr
        self.within = within


class Generator:
    def __init__(self, g: ir.Guideline, layout: Layout) -> None:
        self.g = g
        self.lay = layout
        self.src = Src()
        self.consts: dict[str, Any] = {}
        self._const_ids: dict[tuple[str, str], str] = {}
        self.fields: dict[str, str] = {}
        self.counters: list[Counter_] = []
        self.force_forbid = False
        self.variants: dict[str, str] = {}  # task -> union of its label structs
        self.nc_spans: set[str] = set()
        self.nc_image: set[str] = set()
        self.conditional: dict[str, bool] = {}  # task -> some class has conditional attrs
        self.image_fields = {k for k, f in layout.inputs.items() if f.type == "image"}

    def const(self, value: Any, prefix: str) -> str:
        key = (
            prefix,
            repr(value)
            if not isinstance(value, (set, frozenset))
            else repr(sorted(value, key=repr)),
        )
        if key not in self._const_ids:
            name = f"_{prefix}{len(self._const_ids)}"
            self._const_ids[key] = name
            self.consts[name] = value
        return self._const_ids[key]

    # -- module ----------------------------------------------------------------------------
    def module(self) -> str:
        lay = self.lay
        keys = [lay.id_key, *lay.tasks, *lay.meta.values(), *lay.inputs]
        for i, key in enumerate(dict.fromkeys(keys)):
            self.fields[key] = f"f{i}"
        cc = CondCompiler(self.g, self.field_expr, self.const, self.bare_only)
        rule_exprs = [(cc.expr(r.when), cc.expr(r.then)) for r in self.g.rules]
        self.build_counters(cc)
        self.prelude = list(cc.prelude.values())
        s = self.src
        if self.image_fields:
            # `url` is equivalent to `path`; the check body requires one of them (GK511)
            s("class Img(Struct, forbid_unknown_fields=True, gc=False, omit_defaults=True):")
            with s.indent():
                s("path: str | None = None")
                s("url: str | None = None")
                # bounded like every number of the fast path: a 400-digit size overflowed
                # float() in the check body (exit 3, found by the long delivery fuzz)
                size = tasktypes.number_type(True, 1, None)
                s(f"width: {size} | None = None")
                s(f"height: {size} | None = None")
            s("")
        for task in self.g.tasks.values():
            self.task_structs(task)
        forbid = lay.unknown_fields != "allow" or self.force_forbid
        s(
            f"class Record(Struct, kw_only=True, forbid_unknown_fields={forbid}, gc=False, omit_defaults=True):"
        )
        with s.indent():
            for key, name in self.fields.items():
                s(f"{name}: {self.record_type(key)}")
        s("")
        self.check_fn(rule_exprs)
        header = (
            "from datetime import datetime\nfrom typing import Annotated, ClassVar, Literal\n\n"
        )
        return header + s.text()

    def field_expr(self, key: str) -> str | None:
        if key in self.fields:
            return f"r.{self.fields[key]}"
        self.force_forbid = True
        return None

    def record_type(self, key: str) -> str:
        lay = self.lay
        name = f"field(name={key!r})"
        if key == lay.id_key:
            return f"Annotated[str, Meta(min_length=1)] | int = {name}"
        if key in lay.tasks:
            return f"{self.task_type(self.g.tasks[key])} | None = field(default=None, name={key!r})"
        role = lay.meta_by_key.get(key)
        if role is not None:
            t = self.meta_type(role)
            if role in lay.required_meta:
                return f"{t} = {name}"
            return f"{t} | None = field(default=None, name={key!r})"
        f = lay.inputs[key]
        t = self.input_type(f)
        if lay.input_required(key):
            return f"{t} = {name}"
        return f"{t} | None = field(default=None, name={key!r})"

    def meta_type(self, role: str) -> str:
        lay = self.lay
        if role == "unresolved":
            return "bool"
        if role == "needs_reannotation":
            return "list[str]"
        if role == "skip":
            if not lay.skip_reasons:
                return "UnsetType"
            return f"Literal[{', '.join(map(repr, lay.skip_reasons))}]"
        if role == "status" and lay.statuses is not None:
            return f"Literal[{', '.join(map(repr, lay.statuses))}]"
        if role == "split" and lay.splits:
            return f"Literal[{', '.join(map(repr, lay.splits))}]"
        if role == "guideline_version":
            # another version draws a warning or an error: the full checker reports it
            return f"Literal[{self.g.version!r}]"
        if role in ("created_at", "updated_at"):
            # msgspec parses RFC 3339 date-times in C and accepts a subset of what
            # TIMESTAMP_PATTERN allows (tests check it); dates alone take the full checker.
            return "datetime"
        return "str"

    def input_type(self, f: ir.InputField) -> str:
        t = f.type
        if t in TEXT_FIELD_TYPES:
            return "str"
        if t == "image":
            return "str | Img"
        if t == "integer":
            return tasktypes.number_type(True, None, None)
        if t == "number":
            return tasktypes.number_type(False, None, None)
        if t == "boolean":
            return "bool"
        if t == "category" and f.values is not None:
            return f"Literal[{', '.join(map(repr, f.values))}]"
        return "str"

    # -- task structs ----------------------------------------------------------------------
    def literal(self, labels: list[str]) -> str:
        return f"Literal[{', '.join(map(repr, labels))}]" if labels else "UnsetType"

    def task_structs(self, task: ir.Task) -> None:
        """One struct per usable label, as a msgspec tagged union on ``label``: decoding
        picks the label's struct in C, and the struct holds exactly the attributes the
        class may carry (required ones as required fields)."""
        tt = tasktypes.of(task)
        if not tt.has_classes:
            return
        s, tid = self.src, _py(task.id)
        groups: dict[Any, int] = {}
        variants: list[str] = []
        self.conditional[task.id] = False
        labels = clean_labels(task)
        for k, label in enumerate(labels):
            prof = profile(task, label)
            key = prof.key()
            if key not in groups:
                groups[key] = len(groups)
                self.attribute_struct(task, prof, groups[key])
            g = groups[key]
            attrs = f"A_{tid}_{g}" if prof.needs_attributes else f"A_{tid}_{g} | None = None"
            name = f"V_{tid}_{k}"
            variants.append(name)
            # msgspec requires the tag only when a union has several tagged structs, so a
            # task with one usable label gets a plain, required label field instead
            tagged = len(labels) > 1
            tag = f"tag={label!r}, tag_field='label', " if tagged else ""
            s(
                f"class {name}(Struct, {tag}kw_only=True, forbid_unknown_fields=True, gc=False, omit_defaults=True):"
            )
            with s.indent():
                if tagged:
                    s(f"label: ClassVar[str] = {label!r}")
                else:
                    s(f"label: Literal[{label!r}]")
                if prof.conditional:
                    self.conditional[task.id] = True
                    s(f"cond: ClassVar = staticmethod(_cond_{tid}_{g})")
                else:
                    s("cond: ClassVar = None")
                for line in tt.fast_struct_fields(task, label, attrs):
                    s(line)
            s("")
        self.variants[task.id] = " | ".join(variants) if variants else "UnsetType"

    def task_type(self, task: ir.Task) -> str:
        tt = tasktypes.of(task)
        item = self.variants.get(task.id, "UnsetType")
        if tt.classification:
            bare = [lab for lab in clean_labels(task) if not profile(task, lab).needs_attributes]
            if self.bare_only(task):
                item = self.literal(bare)
            elif bare:
                item = f"{self.literal(bare)} | {item}"
        return tt.fast_value_type(task, item)

    @staticmethod
    def bare_only(task: ir.Task) -> bool:
        """A classification task whose classes carry no attributes: the fast path takes
        bare labels only (``{"label": ...}`` objects go to the full checker)."""
        return tasktypes.of(task).classification and not any(
            task.attributes_for(c.id) for c in task.classes
        )

    def attribute_struct(self, task: ir.Task, prof: Profile, g: int) -> None:
        """The attributes a class may carry; those it must always carry are required."""
        s, tid = self.src, _py(task.id)
        fields = {name: f"a{i}" for i, name in enumerate(prof.attrs)}
        s(
            f"class A_{tid}_{g}(Struct, kw_only=True, forbid_unknown_fields=True, gc=False, omit_defaults=True):"
        )
        with s.indent():
            if not fields:
                s("pass")
            for name, py in fields.items():
                t = self.attr_type(prof.attrs[name])
                if name in prof.required:
                    s(f"{py}: {t} = field(name={name!r})")
                else:
                    s(f"{py}: {t} | UnsetType = field(default=UNSET, name={name!r})")
        s("")
        if not prof.conditional:
            return
        s(f"def _cond_{tid}_{g}(a):")
        with s.indent():
            s("if a is None:")
            with s.indent():
                s("return True  # the conditions cannot require anything (else: required)")
            for c in prof.conditional:
                default = c.other_default
                if c.other in fields:
                    s(f"o = a.{fields[c.other]}")
                    s(f"if o is UNSET: o = {self.const(default, 'D')}")
                else:
                    s(f"o = {self.const(default, 'D')}")
                if c.values is None:
                    s("if not (o is None or o is False):")
                else:
                    s(f"if o in {self.const(tuple(c.values), 'V')}:")
                with s.indent():
                    if c.required:
                        s(f"if a.{fields[c.name]} is UNSET: return False")
                    else:
                        s("pass")
                s("else:")
                with s.indent():
                    s(f"if a.{fields[c.name]} is not UNSET: return False")
            s("return True")
        s("")

    def attr_type(self, a: ir.Attribute) -> str:
        if a.type == "enum":
            return f"Literal[{', '.join(map(repr, a.values))}]"
        if a.type == "boolean":
            return "bool"
        if a.type == "text":
            return "str"
        return tasktypes.number_type(a.type == "integer", a.min, a.max)

    def check_fn(self, rule_exprs: list[tuple[str, str]]) -> None:
        """``check(r)``; its body is kept (``check_body``) to be inlined in the hot loop."""
        outer = self.src
        self.src = body = Src()
        s, lay, f = body, self.lay, self.fields
        s(f"u = r.{f[lay.meta['unresolved']]} is True")
        if self.nc_spans:
            s("ncs = 0")
        if self.nc_image:
            s("nci = 0")
        for line in self.prelude:
            s(line)
        for key in sorted(self.image_fields & set(f)):
            s(f"im = r.{f[key]}")
            s("if im.__class__ is Img and im.path is None and im.url is None: return False")
        tasks = list(self.g.tasks.values())
        s(f"sk = r.{f[lay.meta['skip']]}")
        s("if sk is not None:")
        with s.indent():
            if tasks:
                cond = " or ".join(f"r.{f[t.id]} is not None" for t in tasks)
                s(f"if {cond}: return False")
            s(SKIP_MARK)
        s("else:")
        with s.indent():
            required = [t for t in tasks if t.required]
            if required:
                cond = " or ".join(f"r.{f[t.id]} is None" for t in required)
                s(f"if not u and ({cond}): return False")
            for task in tasks:
                self.task_check(task)
            if rule_exprs:
                s("if not u:")
                with s.indent():
                    for when, then in rule_exprs:
                        s(f"if {when} and not {then}: return False")
            else:
                s("pass")
        self.src = outer
        self.check_body = body.lines
        outer("def check(r):")
        with outer.indent():
            for line in body.lines:
                outer(line)
            outer("return True")
        outer("")

    def attrs_call(self, task: ir.Task, item: str) -> None:
        """Conditional attributes (``when: {attribute: ...}``) of the item's class."""
        if not self.conditional.get(task.id):
            return
        s = self.src
        s(f"cf = {item}.cond")
        s(f"if cf is not None and not cf({item}.attributes): return False")

    def ids_check(self, guarded: bool = False) -> None:
        """Region ids unique (compared as text, like ``values.py``), iterating in C."""
        s = self.src
        if not guarded:
            s("if _count(map(_GETID, v), None) != len(v):")
            s.depth += 1
        s("ids = [*filter(_NOTNONE, map(_GETID, v))]")
        s("if len(ids) > 1 and len(set(map(str, ids))) != len(ids): return False")
        if not guarded:
            s.depth -= 1

    def task_check(self, task: ir.Task) -> None:
        tasktypes.of(task).fast_check(task, self)

    def image_size(self, task: ir.Task) -> None:
        """Sets ``W``, ``H`` (``None`` when unknown), as :func:`values.image_size`."""
        s = self.src
        over = task.over or ""
        spec = self.g.record.fields.get(over)
        declared = (
            (float(spec.width), float(spec.height))
            if spec is not None and spec.width and spec.height
            else None
        )
        fallback = f"W = {declared[0]!r}; H = {declared[1]!r}" if declared else "W = H = None"
        if over in self.image_fields:
            s(f"im = r.{self.fields[over]}")
            s(
                "if im is not None and im.__class__ is not str "
                "and im.width is not None and im.height is not None:"
            )
            with s.indent():
                s("W = float(im.width); H = float(im.height)")
            s("else:")
            with s.indent():
                s(fallback)
        else:
            s(fallback)

    # -- counters --------------------------------------------------------------------------
    def build_counters(self, cc: CondCompiler) -> None:
        lay, f = self.lay, self.fields
        add = self.counters.append
        split = f"r.{f[lay.meta['split']]}"
        add(Counter_("c_unresolved", "u"))
        if "guideline_version" not in lay.required_meta:
            add(Counter_("c_version", f"r.{f[lay.meta['guideline_version']]} is not None"))
        # bounds that cannot be checked: the check body sets ncs / nci (non-skipped records)
        need = {t.id: tasktypes.of(t).bounds_need(t) for t in self.g.tasks.values()}
        self.nc_spans = {
            t.id
            for t in self.g.tasks.values()
            if need[t.id] == "text"
            and not (t.over in lay.inputs and t.over in f and lay.input_required(t.over or ""))
        }
        if self.nc_spans:
            add(Counter_("c_nc_spans", "ncs"))
        self.nc_image = set()
        for t in self.g.tasks.values():
            if need[t.id] != "image":
                continue
            spec = self.g.record.fields.get(t.over or "")
            if spec is None or not (spec.width and spec.height):
                self.nc_image.add(t.id)
        if self.nc_image:
            add(Counter_("c_nc_image", "nci"))
        acc = self.g.acceptance
        for i, d in enumerate(acc.distribution):
            task = self.g.tasks.get(d.task)
            if task is None:
                continue
            in_split = f"{split} == {d.split!r} and " if d.split else ""
            add(Counter_(f"c_dist_den_{i}", f"{in_split}r.{f[task.id]} is not None"))
            expr = cc.expr(distribution_cond(task, d.class_))
            add(Counter_(f"c_dist_num_{i}", expr, within=True))
        for i, u in enumerate(acc.unresolved):
            if u.split:
                add(Counter_(f"c_unres_den_{i}", f"{split} == {u.split!r}"))
                add(Counter_(f"c_unres_num_{i}", "u", within=True))


def _py(name: str) -> str:
    """A Python identifier for a task id (ids may hold ``.`` and ``-``)."""
    clean = "".join(ch if ch.isalnum() else "_" for ch in name)
    return clean if clean == name else f"{clean}_{len(name)}_{sum(map(ord, name))}"
