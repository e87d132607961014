"""Lower a structurally valid format model to the IR.

Lowering expands shorthands (bare class ids, single criteria, ``text:`` spans), fills in
defaults (names, sensitivities, ids), indexes the class hierarchy and attaches a location to
every object. Problems that only show while normalising (a ``text:`` span that is not in the
example's text) are collected as diagnostics; lowering itself never fails on them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from guidekit import ir
from guidekit.compiler.resolve import SourceMap
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.spec import format as fmt

Path_ = tuple[str | int, ...]

_EXAMPLE_KEYS = {
    "id",
    "record",
    "annotation",
    "annotations",
    "note",
    "sensitivity",
    "tags",
    "label",
    "why",
    "decision",
    "rationale",
    "since",
    "question",
    "impact",
    "skip",
}
RESERVED_EXAMPLE_KEYS = frozenset(_EXAMPLE_KEYS)


class Lowerer:
    def __init__(self, model: fmt.Guideline, source: SourceMap) -> None:
        self.model = model
        self.source = source
        self.diagnostics: list[Diagnostic] = []
        self.failed_examples: set[Path_] = set()
        gov = model.governance
        assert isinstance(gov, fmt.Governance)
        self.default_level = gov.default or gov.levels[0]
        rec = model.record
        assert isinstance(rec, fmt.Record)
        self.record_fields = rec.fields

    def loc(self, path: Path_) -> Location:
        return self.source.locate(path)

    # -- entry -----------------------------------------------------------------------------
    def lower(self) -> ir.Guideline:
        m = self.model
        assert isinstance(m.record, fmt.Record) and isinstance(m.tasks, dict)
        record = ir.Record(
            id=m.record.id,
            fields=dict(m.record.fields),
            changes=tuple(m.record.changes),
            loc=self.loc(("record",)),
        )
        tasks = {tid: self.task(tid, t) for tid, t in m.tasks.items() if isinstance(t, fmt.Task)}
        rules = tuple(
            ir.Rule(
                id=r.id,
                when=r.when,
                then=r.then,
                severity=r.severity,
                message=r.message,
                description=r.description,
                changes=tuple(r.changes),
                loc=self.loc(("rules", i)),
            )
            for i, r in enumerate(m.rules if isinstance(m.rules, list) else [])
        )
        owners = tuple(o if isinstance(o, fmt.Owner) else fmt.Owner(name=o) for o in m.owners)
        delivery = m.delivery
        assert isinstance(delivery, fmt.Delivery)
        scope = m.scope
        assert isinstance(scope, fmt.Scope)
        oos = tuple(
            self.example(
                "out_of_scope",
                None,
                None,
                e,
                ("scope", "out_of_scope_examples", i),
                self.default_level,
            )
            for i, e in enumerate(
                scope.out_of_scope_examples if isinstance(scope.out_of_scope_examples, list) else []
            )
        )
        return ir.Guideline(
            format_version=m.guidekit,
            id=m.id,
            title=m.title,
            version=m.version,
            status=m.status,
            owners=owners,
            description=m.description,
            brief=m.brief,
            record=record,
            tasks=tasks,
            rules=rules,
            acceptance=self.acceptance(),
            splits=tuple(m.splits),
            governance=self.governance(),
            scope=ir.Scope(
                description=scope.description,
                skip_reasons=dict(scope.skip_reasons),
                out_of_scope_examples=oos,
                changes=tuple(scope.changes),
                loc=self.loc(("scope", "changes")),
            ),
            delivery=ir.Delivery(
                format=delivery.format,
                id=delivery.id or m.record.id,
                include_inputs=delivery.include_inputs,
                unknown_fields=delivery.unknown_fields,
                metadata=delivery.metadata,
                required_metadata=tuple(delivery.required_metadata),
                statuses=tuple(delivery.statuses) if delivery.statuses is not None else None,
                image_size=delivery.image_size,
                changes=tuple(delivery.changes),
                loc=self.loc(("delivery", "changes")),
            ),
            glossary=dict(m.glossary),
            lint=m.lint,
            links=dict(m.links),
            evaluation=self.evaluation(tasks),
            changes=tuple(m.changes),
            changes_loc=self.loc(("changes",)) if m.changes else None,
            files=tuple(self.source.files),
        )

    def governance(self) -> ir.Governance:
        g = self.model.governance
        assert isinstance(g, fmt.Governance)
        audiences = {}
        for name, a in g.audiences.items():
            aud = a if isinstance(a, fmt.Audience) else fmt.Audience(clearance=a)
            audiences[name] = ir.Audience(
                name=name, clearance=aud.clearance, description=aud.description
            )
        return ir.Governance(
            levels=tuple(g.levels),
            default=self.default_level,
            audiences=audiences,
            retention=g.retention,
            retention_by_level=dict(g.retention_by_level),
            store_text=g.store_text,
            pseudonymise=g.pseudonymise,
            owners=tuple(g.owners),
            escalation=g.escalation,
            review=g.review,
            changes=tuple(g.changes),
            loc=self.loc(("governance", "changes")),
        )

    def acceptance(self) -> ir.Acceptance:
        a = self.model.acceptance
        assert isinstance(a, fmt.Acceptance)

        def many(value: Any) -> tuple[Any, ...]:
            if value is None:
                return ()
            return tuple(value) if isinstance(value, list) else (value,)

        golds = []
        for g in many(a.gold):
            if g.min is None and g.min_macro_f1 is not None:
                g = g.model_copy(update={"metric": "macro_f1", "min": g.min_macro_f1})
            golds.append(g)
        return ir.Acceptance(
            agreement=many(a.agreement),
            audit=many(a.audit),
            gold=tuple(golds),
            distribution=many(a.distribution),
            unresolved=many(a.unresolved),
            errors={sev: rate.max_rate for sev, rate in (a.errors or {}).items()},
            edge_cases=many(a.edge_cases),
            changes=tuple(a.changes),
            loc=self.loc(("acceptance", "changes")),
        )

    # -- evaluation ------------------------------------------------------------------------
    def evaluation(self, tasks: dict[str, ir.Task]) -> ir.Evaluation:
        ev = self.model.evaluation
        gov = self.model.governance
        assert isinstance(gov, fmt.Governance)
        level = ev.sensitivity or ("internal" if "internal" in gov.levels else gov.levels[-1])
        examples = [ex for t in tasks.values() for ex in t.examples()]
        items: list[ir.EvalItem] = []
        for kind in ("example", "negative", "edge_case"):
            if f"{kind}s" not in ev.from_:
                continue
            counts: dict[tuple[str | None, str | None], int] = {}
            for ex in examples:
                if ex.kind != kind:
                    continue
                n = counts[ex.task, ex.class_id] = counts.get((ex.task, ex.class_id), 0) + 1
                item = _from_example(ex, _higher(gov.levels, level, ex.sensitivity))
                if item is not None:
                    if ex.id is None:
                        fallback = f"{ex.task}/{ex.class_id or '-'}/{kind}-{n}"
                        item = replace(item, id=fallback)
                    items.append(item)
        by_id = {ex.id: ex for ex in examples if ex.id is not None}
        for i, e in enumerate(ev.items):
            path = ("evaluation", "items", i)
            items.append(self.eval_item(e, tasks, by_id, path, level))
        return ir.Evaluation(
            items=tuple(items),
            min_per_edge_case=ev.min_per_edge_case,
            sensitivity=level,
            qualification=None
            if ev.qualification is None
            else ir.Qualification(
                ev.qualification.min_accuracy,
                dict(ev.qualification.per_task),
                self.loc(("evaluation", "qualification")),
            ),
            loc=self.loc(("evaluation",)),
        )

    def eval_item(
        self,
        e: fmt.EvalItem,
        tasks: dict[str, ir.Task],
        by_id: dict[str, ir.Example],
        path: Path_,
        level: str,
    ) -> ir.EvalItem:
        loc = self.loc(path)
        tags: dict[str, Any] = {
            "edge_cases": tuple(e.edge_cases),
            "classes": tuple(e.classes),
            "negatives": tuple(e.negatives),
            "split": e.split,
            "holdout": e.holdout,
            "note": e.note,
            "sensitivity": level,
            "loc": loc,
        }
        if e.ref is not None:
            ex = by_id.get(e.ref)
            base = (
                _from_example(ex, _higher(self.levels, level, ex.sensitivity))
                if ex is not None
                else None
            )
            if base is None:
                return ir.EvalItem(
                    id=e.id or e.ref, record={}, source="unresolved", ref=e.ref, **tags
                )
            return replace(
                base,
                id=e.id or e.ref,
                ref=e.ref,
                edge_cases=_union(base.edge_cases, e.edge_cases),
                classes=_union(base.classes, e.classes),
                negatives=_union(base.negatives, e.negatives),
                split=e.split,
                holdout=e.holdout,
                note=e.note or base.note,
                loc=loc,
            )
        record: dict[str, Any] = dict(e.record or {})
        record.update(e.model_extra or {})
        labels: dict[str, Any] = {}
        for tid, value in (e.annotations or {}).items():
            task = tasks.get(tid)
            labels[tid] = (
                self.canonical(task, value, None, record, (*path, "annotations", tid), "item")
                if task is not None
                else value
            )
        return ir.EvalItem(id=e.id or f"item-{path[-1]}", record=record, labels=labels, **tags)

    @property
    def levels(self) -> list[str]:
        gov = self.model.governance
        assert isinstance(gov, fmt.Governance)
        return gov.levels

    # -- tasks and classes -----------------------------------------------------------------
    def task(self, tid: str, t: fmt.Task) -> ir.Task:
        base: Path_ = ("tasks", tid)
        task_level = t.sensitivity or self.default_level
        raw_classes = t.classes if isinstance(t.classes, list) else []
        ids = set()
        for c in raw_classes:
            cid = c if isinstance(c, str) else c.id
            ids.add(cid)
        parents: dict[str, tuple[str, ...]] = {
            c.id: _parents_of(c) for c in raw_classes if isinstance(c, fmt.Class)
        }
        children: dict[str, list[str]] = {}
        for cid, ps in parents.items():
            for p in ps:
                if p in ids and cid not in children.setdefault(p, []):
                    children[p].append(cid)

        def depth(cid: str) -> int:
            """How many levels of ancestors a class has (a cycle, reported by the checks,
            ends the walk)."""
            best = 0
            level, seen = {cid}, {cid}
            while level := {p for c in level for p in parents.get(c, ()) if p in ids} - seen:
                seen |= level
                best += 1
            return best

        # the task is needed to normalise examples; build classes in two passes
        classes: list[ir.Class] = []
        for i, c in enumerate(raw_classes):
            path = (*base, "classes", i)
            if isinstance(c, str):
                classes.append(
                    ir.Class(
                        id=c,
                        name=c,
                        index=i,
                        children=tuple(children.get(c, ())),
                        sensitivity=task_level,
                        loc=self.loc(path),
                    )
                )
                continue
            level = c.sensitivity or task_level
            deprecated = bool(c.deprecated)
            rb = c.replaced_by
            classes.append(
                ir.Class(
                    id=c.id,
                    name=c.name or c.id,
                    definition=c.definition,
                    includes=tuple(c.includes),
                    excludes=tuple(c.excludes),
                    parents=parents[c.id],
                    children=tuple(children.get(c.id, ())),
                    depth=depth(c.id),
                    part_of=tuple(dict.fromkeys(c.part_of)),
                    attributes=self.attributes(c.attributes, (*path, "attributes")),
                    escalate=c.escalate,
                    aliases=tuple(c.aliases),
                    deprecated=deprecated,
                    deprecation_note=c.deprecated if isinstance(c.deprecated, str) else None,
                    replaced_by=(rb,) if isinstance(rb, str) else tuple(rb or ()),
                    sensitivity=level,
                    color=c.color,
                    min_size=c.min_size,
                    skeleton=c.skeleton,
                    from_=tuple(c.from_) if c.from_ is not None else None,
                    to=tuple(c.to) if c.to is not None else None,
                    hotkey=c.hotkey,
                    changes=tuple(c.changes),
                    index=i,
                    loc=self.loc(path),
                )
            )
        shell = self._task(tid, t, tuple(classes), (), task_level)
        final: list[ir.Class] = []
        for i, (c, cls) in enumerate(zip(raw_classes, classes, strict=True)):
            if isinstance(c, str):
                final.append(cls)
                continue
            path = (*base, "classes", i)
            final.append(
                _replace(
                    cls,
                    examples=self.examples("example", shell, cls, c.examples, (*path, "examples")),
                    negatives=self.examples(
                        "negative", shell, cls, c.negatives, (*path, "negatives")
                    ),
                    edge_cases=self.examples(
                        "edge_case", shell, cls, c.edge_cases, (*path, "edge_cases")
                    ),
                )
            )
        edge = self.examples("edge_case", shell, None, t.edge_cases, (*base, "edge_cases"))
        return self._task(tid, t, tuple(final), edge, task_level)

    def _task(
        self,
        tid: str,
        t: fmt.Task,
        classes: tuple[ir.Class, ...],
        edge: tuple[ir.Example, ...],
        level: str,
    ) -> ir.Task:
        return ir.Task(
            id=tid,
            type=t.type,
            classes=classes,
            title=t.title,
            question=t.question,
            description=t.description,
            required=t.required,
            over=t.over,
            leaf_only=t.leaf_only,
            min_labels=t.min_labels,
            max_labels=t.max_labels,
            overlap=t.overlap,
            coordinates=t.coordinates,
            skeleton=t.skeleton,
            directed=t.directed,
            min=t.min,
            max=t.max,
            integer=t.integer,
            unit=t.unit,
            min_length=t.min_length,
            max_length=t.max_length,
            allow_empty=t.allow_empty,
            attributes=self.attributes(t.attributes, ("tasks", tid, "attributes")),
            edge_cases=edge,
            sensitivity=level,
            changes=tuple(t.changes),
            loc=self.loc(("tasks", tid)),
        )

    def attributes(self, attrs: dict[str, fmt.Attribute], path: Path_) -> dict[str, ir.Attribute]:
        out = {}
        for name, a in attrs.items():
            when = None
            if a.when is not None:
                w = a.when
                values: tuple[Any, ...] | None = None
                if w.in_ is not None:
                    values = tuple(w.in_)
                elif "is_" in w.model_fields_set:
                    values = (w.is_,)
                classes = None
                if w.class_ is not None:
                    classes = (w.class_,) if isinstance(w.class_, str) else tuple(w.class_)
                when = ir.AttributeCondition(attribute=w.attribute, values=values, classes=classes)
            out[name] = ir.Attribute(
                name=name,
                type=a.type,
                description=a.description,
                values=tuple(a.values or ()),
                value_descriptions=dict(a.value_descriptions or {}),
                required=a.required,
                default=a.default,
                min=a.min,
                max=a.max,
                when=when,
                loc=self.loc((*path, name)),
            )
        return out

    # -- examples --------------------------------------------------------------------------
    def examples(
        self, kind: ir.ExampleKind, task: ir.Task, cls: ir.Class | None, items: Any, path: Path_
    ) -> tuple[ir.Example, ...]:
        if not isinstance(items, list):
            return ()
        level = cls.sensitivity if cls is not None else task.sensitivity
        return tuple(
            self.example(kind, task, cls, e, (*path, i), level) for i, e in enumerate(items)
        )

    def example(
        self,
        kind: ir.ExampleKind,
        task: ir.Task | None,
        cls: ir.Class | None,
        e: fmt.Example,
        path: Path_,
        level: str,
    ) -> ir.Example:
        fields = e.__dict__  # plain dict access: pydantic's __getattr__ is slow for absent keys
        record: dict[str, Any] = dict(e.record or {})
        for key, value in (e.model_extra or {}).items():
            record[key] = value
        label = fields.get("label")
        decision = fields.get("decision")
        annotation = e.annotation
        if task is not None:
            default_label = {
                "example": cls.id if cls else None,
                "negative": label,
                "edge_case": decision,
            }.get(kind)
            annotation = self.canonical(
                task, annotation, default_label, record, (*path, "annotation"), kind
            )
        annotations = {}
        for tid, value in (e.annotations or {}).items():
            other = self._peek_task(tid)
            annotations[tid] = (
                self.canonical(other, value, None, record, (*path, "annotations", tid), kind)
                if other is not None
                else value
            )
        return ir.Example(
            kind=kind,
            task=task.id if task else None,
            class_id=cls.id if cls else None,
            record=record,
            annotation=annotation,
            annotations=annotations,
            id=e.id,
            note=e.note,
            label=label,
            why=fields.get("why"),
            decision=decision,
            rationale=fields.get("rationale"),
            since=fields.get("since"),
            question=fields.get("question"),
            impact=fields.get("impact"),
            skip=fields.get("skip"),
            tags=tuple(e.tags or ()),
            sensitivity=e.sensitivity or level,
            loc=self.loc(path),
        )

    def _peek_task(self, tid: str) -> ir.Task | None:
        tasks = self.model.tasks
        t = tasks.get(tid) if isinstance(tasks, dict) else None
        if not isinstance(t, fmt.Task):
            return None
        return self._task(
            tid,
            t,
            tuple(
                ir.Class(id=c if isinstance(c, str) else c.id, name="")
                for c in (t.classes if isinstance(t.classes, list) else [])
            ),
            (),
            self.default_level,
        )

    def canonical(
        self,
        task: ir.Task,
        value: Any,
        default_label: Any,
        record: dict[str, Any],
        path: Path_,
        kind: str,
    ) -> Any:
        """The canonical form of an annotation value for ``task``."""
        cut = next((i for i, p in enumerate(path) if p in ("annotation", "annotations")), len(path))

        def report(below: tuple[str | int, ...], message: str, hint: str | None) -> None:
            self.failed_examples.add(path[:cut])
            self.diagnostics.append(diag("GK306", message, self.loc((*path, *below)), hint=hint))

        return task.task_type.canonical_value(task, value, default_label, record, report)


def _parents_of(c: fmt.Class) -> tuple[str, ...]:
    """A class's parents, whichever spelling (`parent` or `parents`) gave them, each once."""
    if c.parents is not None:
        return tuple(dict.fromkeys(c.parents))
    return (c.parent,) if c.parent is not None else ()


def _higher(levels: list[str], a: str, b: str) -> str:
    """The higher of two sensitivity levels (an undeclared one counts as the highest)."""

    def rank(level: str) -> int:
        return levels.index(level) if level in levels else len(levels)

    return a if rank(a) >= rank(b) else b


def _union(first: tuple[str, ...], more: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*first, *more)))


def _from_example(ex: ir.Example, level: str) -> ir.EvalItem | None:
    """An example, negative or decided edge case as an evaluation item (``None`` when it has
    no answer: an undecided edge case, a negative whose right label is no class)."""
    if ex.task is None or ex.annotation is None:
        return None
    source: ir.EvalSource = "example"
    if ex.kind == "negative":
        source = "negative"
    elif ex.kind == "edge_case":
        source = "edge_case"
    return ir.EvalItem(
        id=ex.id or "",
        record=ex.record,
        labels={**ex.annotations, ex.task: ex.annotation},
        edge_cases=(ex.id,) if ex.kind == "edge_case" and ex.id else (),
        classes=(ex.class_id,) if ex.kind == "example" and ex.class_id else (),
        negatives=(ex.id,) if ex.kind == "negative" and ex.id else (),
        source=source,
        note=ex.note,
        sensitivity=level,
        loc=ex.loc,
    )


def _replace(cls: ir.Class, **changes: Any) -> ir.Class:
    from dataclasses import replace

    return replace(cls, **changes)


def lower(
    model: fmt.Guideline, source: SourceMap
) -> tuple[ir.Guideline, list[Diagnostic], set[Path_]]:
    """The IR, diagnostics found while lowering, and paths of examples whose annotation could
    not be normalised (later checks skip them rather than repeat the problem)."""
    lowerer = Lowerer(model, source)
    guideline = lowerer.lower()
    return guideline, lowerer.diagnostics, lowerer.failed_examples
