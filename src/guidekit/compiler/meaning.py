"""Meaning checks on the IR: ids, references, hierarchies, versions, governance, tasks,
attributes, rules, acceptance criteria -- and every example run through the task's checks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from guidekit import ir, tasktypes
from guidekit.compiler.resolve import SourceMap
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location, Related
from guidekit.record.images import image_size
from guidekit.record.rules import labels_of
from guidekit.record.values import check_value
from guidekit.spec import duration as iso_duration
from guidekit.spec import version
from guidekit.spec.format import Cond


def _at(loc: Location | None, *more: str | int) -> Location:
    """A location for a sub-key of an IR object (line of the object itself)."""
    if loc is None:
        return Location()
    return Location(loc.file, loc.line, loc.column, (*loc.path, *more))


class MeaningChecker:
    def __init__(
        self,
        g: ir.Guideline,
        root: Path | None,
        source: SourceMap | None,
        skip: Iterable[tuple[str | int, ...]] = (),
    ) -> None:
        self.g = g
        self.root = root
        self.source = source
        self.skip: set[tuple[str | int, ...]] = set(skip)
        self.out: list[Diagnostic] = []

    def add(
        self,
        code: str,
        message: str,
        loc: Location | None,
        hint: str | None = None,
        *,
        first: Location | None = None,
    ) -> None:
        """Report a problem; ``first`` is where a duplicated id was first declared."""
        d = diag(code, message, self._place(loc), hint=hint)
        if first is not None:
            d = replace(d, related=(Related("first declared here", self._place(first)),))
        self.out.append(d)

    def _place(self, loc: Location | None) -> Location | None:
        if self.source is not None and loc is not None and loc.path:
            return self.source.locate(loc.path)
        return loc

    def run(self) -> list[Diagnostic]:
        g = self.g
        if version.parse(g.version) is None:
            self.add(
                "GK304",
                f"version '{g.version}' is not a semantic version",
                Location(g.files[0] if g.files else None, None, None, ("version",)),
                hint="write MAJOR.MINOR.PATCH, e.g. 1.0.0",
            )
        self.governance()
        self.record()
        for task in g.tasks.values():
            self.task(task)
        self.examples()
        self.rules()
        self.acceptance()
        self.scope()
        return self.out

    # -- governance ------------------------------------------------------------------------
    def level(self, level: str, loc: Location | None, what: str) -> None:
        if level not in self.g.governance.levels:
            self.add(
                "GK311",
                f"{what} has sensitivity '{level}', which is not a declared level",
                loc,
                hint=f"declared levels: {', '.join(self.g.governance.levels)}",
            )

    def governance(self) -> None:
        gov = self.g.governance
        first_level: dict[str, int] = {}
        for i, lv in enumerate(gov.levels):
            if lv in first_level:
                self.add(
                    "GK312",
                    f"level '{lv}' is declared twice",
                    self._gloc("levels", i),
                    first=self._gloc("levels", first_level[lv]),
                )
            else:
                first_level[lv] = i
        if gov.default not in gov.levels:
            self.add(
                "GK312",
                f"default level '{gov.default}' is not a declared level",
                self._gloc("default"),
            )
        for aud in gov.audiences.values():
            if aud.clearance not in gov.levels:
                self.add(
                    "GK312",
                    f"audience '{aud.name}' has clearance '{aud.clearance}', "
                    "which is not a declared level",
                    self._gloc("audiences", aud.name),
                    hint=f"declared levels: {', '.join(gov.levels)}",
                )
        if gov.retention is not None and iso_duration.parse(gov.retention) is None:
            self.add(
                "GK312",
                f"retention '{gov.retention}' is not an ISO 8601 duration",
                self._gloc("retention"),
                hint="e.g. P90D (90 days) or P1Y",
            )

    def _gloc(self, *path: str | int) -> Location:
        return Location(
            self.g.files[0] if self.g.files else None, None, None, ("governance", *path)
        )

    # -- record ----------------------------------------------------------------------------
    def record(self) -> None:
        for name, f in self.g.record.fields.items():
            loc = _at(self.g.record.loc, "fields", name)
            if f.type == "category" and not f.values:
                self.add("GK310", f"category field '{name}' needs `values`", loc)
            if f.type != "image" and (f.width or f.height):
                self.add("GK310", f"field '{name}' is not an image; width/height do not apply", loc)

    # -- tasks -----------------------------------------------------------------------------
    def task(self, task: ir.Task) -> None:
        loc = task.loc
        self.level(task.sensitivity, loc, f"task '{task.id}'")
        ids = Counter(c.id for c in task.classes)
        for cid, n in ids.items():
            if n > 1:
                dupes = [c for c in task.classes if c.id == cid]
                self.add(
                    "GK301",
                    f"class '{cid}' is declared {n} times in task '{task.id}'",
                    dupes[1].loc,
                    first=dupes[0].loc,
                )
        t = task.type
        tt = task.task_type
        if task.has_classes and not task.classes:
            self.add("GK310", f"task '{task.id}' of type {t} needs classes", loc)
        if not task.has_classes and task.classes:
            self.add("GK310", f"task '{task.id}' of type {t} takes no classes", loc)
        for finding in task.task_type.check_config(self.g, task):
            self.add(finding.code, finding.message, finding.loc, hint=finding.hint)
        if (
            task.min_length is not None
            and task.max_length is not None
            and task.min_length > task.max_length
        ):
            self.add("GK310", f"task '{task.id}': min_length is above max_length", loc)
        self.hierarchy(task)
        self.attributes(task, None, task.attributes)
        for c in task.classes:
            self.level(c.sensitivity, c.loc, f"class '{c.id}'")
            self.attributes(task, c, c.attributes)
            if c.min_size is not None and "min_size" not in tt.class_keys:
                self.add(
                    "GK310",
                    f"class '{c.id}': min_size applies to {_types_with('min_size')} tasks only",
                    c.loc,
                )
            if (c.from_ is not None or c.to is not None) and "from" not in tt.class_keys:
                self.add(
                    "GK310",
                    f"class '{c.id}': from/to apply to {_types_with('from')} tasks only",
                    c.loc,
                )
        self.aliases(task)

    def hierarchy(self, task: ir.Task) -> None:
        for c in task.classes:
            if c.parent is not None and c.parent not in task:
                self.add(
                    "GK302",
                    f"parent '{c.parent}' of class '{c.id}' is not a class of task '{task.id}'",
                    _at(c.loc, "parent"),
                    hint=_close(c.parent, task.class_ids()),
                )
            for r in c.replaced_by:
                if r not in task:
                    self.add(
                        "GK302",
                        f"'{c.id}' is replaced by '{r}', which is not a class of task '{task.id}'",
                        _at(c.loc, "replaced_by"),
                    )
                elif r == c.id:
                    self.add("GK302", f"'{c.id}' cannot replace itself", _at(c.loc, "replaced_by"))
            if c.replaced_by and not c.deprecated:
                self.add(
                    "GK302",
                    f"'{c.id}' has replaced_by but is not deprecated",
                    _at(c.loc, "replaced_by"),
                    hint="add `deprecated: true`",
                )
        reported: set[str] = set()
        parents = {c.id: c.parent for c in task.classes}
        for c in task.classes:
            seen = [c.id]
            current = c.parent
            while current is not None and current in parents:
                if current in seen:
                    cycle = [*seen[seen.index(current) :], current]
                    key = min(cycle)
                    if key not in reported:
                        reported.add(key)
                        self.add(
                            "GK303",
                            "class hierarchy has a cycle: " + " -> ".join(cycle),
                            _at(c.loc, "parent"),
                        )
                    break
                seen.append(current)
                current = parents[current]

    def aliases(self, task: ir.Task) -> None:
        owner: dict[str, str] = {c.id: c.id for c in task.classes}
        for c in task.classes:
            for alias in c.aliases:
                if alias in owner and owner[alias] != c.id:
                    self.add(
                        "GK317",
                        f"alias '{alias}' of class '{c.id}' is already "
                        f"{'the id' if alias == owner[alias] else 'an alias'} of "
                        f"'{owner[alias]}'",
                        _at(c.loc, "aliases"),
                    )
                else:
                    owner[alias] = c.id

    def attributes(self, task: ir.Task, cls: ir.Class | None, attrs: Any) -> None:
        for a in attrs.values():
            if a.type == "enum" and not a.values:
                self.add("GK309", f"enum attribute '{a.name}' needs `values`", a.loc)
            if a.type != "enum" and a.values:
                self.add(
                    "GK309",
                    f"attribute '{a.name}' is {a.type}; `values` apply to enum attributes",
                    a.loc,
                )
            if a.type == "enum" and a.default is not None and a.default not in a.values:
                self.add(
                    "GK309", f"default {a.default!r} of '{a.name}' is not one of its values", a.loc
                )
            if a.min is not None and a.max is not None and a.min > a.max:
                self.add("GK309", f"attribute '{a.name}': min is above max", a.loc)
            for v in a.value_descriptions:
                if v not in [str(x) for x in a.values]:
                    self.add(
                        "GK309",
                        f"value_descriptions of '{a.name}' names '{v}', which is "
                        "not one of its values",
                        a.loc,
                    )
            w = a.when
            if w is None:
                continue
            if w.classes is not None:
                for cid in w.classes:
                    if cid not in task:
                        self.add(
                            "GK309",
                            f"attribute '{a.name}' applies to class '{cid}', which "
                            f"is not a class of task '{task.id}'",
                            a.loc,
                        )
            if w.attribute is not None:
                scope = task.attributes_for(cls.id) if cls else dict(task.attributes)
                other = scope.get(w.attribute)
                if other is None or w.attribute == a.name:
                    self.add(
                        "GK309",
                        f"attribute '{a.name}' depends on '{w.attribute}', which "
                        "is not another attribute here",
                        a.loc,
                    )
                elif other.type == "enum" and w.values is not None:
                    for v in w.values:
                        if v not in other.values:
                            self.add(
                                "GK309",
                                f"attribute '{a.name}' depends on "
                                f"'{w.attribute}' being {v!r}, which is not one of its "
                                "values",
                                a.loc,
                            )

    # -- examples --------------------------------------------------------------------------
    def examples(self) -> None:
        ids: dict[str, Location | None] = {}
        edge_ids: dict[str, Location | None] = {}
        for ex in self.g.examples():
            self.level(ex.sensitivity, ex.loc, f"{ex.kind.replace('_', ' ')}")
            if ex.id is not None:
                table = edge_ids if ex.kind == "edge_case" else ids
                if ex.id in table:
                    first = table[ex.id]
                    where = f" (first at line {first.line})" if first and first.line else ""
                    self.add(
                        "GK301",
                        f"{'edge case' if ex.kind == 'edge_case' else 'example'} "
                        f"id '{ex.id}' is used twice{where}",
                        ex.loc,
                        first=first,
                    )
                else:
                    table[ex.id] = ex.loc
            self.example_record(ex)
            if ex.since is not None:
                since = version.parse(ex.since)
                if since is None:
                    self.add("GK304", f"since '{ex.since}' is not a semantic version", ex.loc)
                else:
                    own = version.parse(self.g.version)
                    if own is not None and since.key() > own.key():
                        self.add(
                            "GK315",
                            f"edge case '{ex.id}' is since {ex.since}, later than "
                            f"the guideline's version {self.g.version}",
                            ex.loc,
                        )
            if ex.task is not None:
                self.example_annotation(ex)

    def example_record(self, ex: ir.Example) -> None:
        fields = self.g.record.fields
        for name, value in ex.record.items():
            f = fields.get(name)
            if f is None:
                if name == self.g.record.id:
                    continue
                self.add(
                    "GK305",
                    f"'{name}' is not a field of the record",
                    ex.loc,
                    hint=f"fields: {', '.join(fields)}",
                )
                continue
            problem = _field_problem(f, value)
            if problem:
                self.add("GK305", f"field '{name}': {problem}", ex.loc)
            elif f.type == "image":
                self.example_image(name, f, value, ex)

    def example_image(self, name: str, f: ir.InputField, value: Any, ex: ir.Example) -> None:
        path = value.get("path") if isinstance(value, dict) else value
        if isinstance(path, str) and "://" not in path and self.root is not None:
            target = self.root / path
            try:
                inside = target.resolve().is_relative_to(self.root.resolve())
            except OSError:
                inside = False
            if not inside or not target.is_file():
                self.add(
                    "GK314",
                    f"image '{path}' of field '{name}' is not a file in the project",
                    ex.loc,
                )
        has_size = isinstance(value, dict) and "width" in value and "height" in value
        declared = (value["width"], value["height"]) if has_size else None
        fixed = (f.width, f.height) if f.width and f.height else None
        if declared is None and fixed is None:
            self.add(
                "GK314",
                f"the size of image field '{name}' is unknown",
                ex.loc,
                hint="give {path, width, height} or declare width/height on the field",
            )
        if declared is not None and fixed is not None and declared != fixed:
            self.add(
                "GK305",
                f"image size {declared[0]}x{declared[1]} differs from the "
                f"{fixed[0]}x{fixed[1]} that field '{name}' declares for every image",
                ex.loc,
            )
        if isinstance(path, str) and "://" not in path and self.root is not None:
            actual = image_size(self.root / path)
            expected = declared or fixed
            if actual is not None and expected is not None and actual != tuple(expected):
                self.add(
                    "GK314",
                    f"image '{path}' is {actual[0]}x{actual[1]} pixels, not the "
                    f"{expected[0]}x{expected[1]} its example declares",
                    ex.loc,
                    hint="regions are checked against the declared size; make them agree",
                )

    def example_annotation(self, ex: ir.Example) -> None:
        if ex.loc is not None and ex.loc.path in self.skip:
            return  # lowering already reported why its annotation is unusable
        task = self.g.tasks[ex.task]  # type: ignore[index]
        needed = task.task_type.points_into(self.g, task)
        if (
            needed is not None
            and needed in self.g.record.fields
            and needed not in ex.record
            and ex.annotation is not None
        ):
            self.add(
                "GK305",
                f"the example's {task.type} point into field '{needed}', which it does not give",
                ex.loc,
            )
        annotations = {**ex.annotations}
        if ex.annotation is not None:
            annotations[task.id] = ex.annotation
        for tid, value in ex.annotations.items():
            other = self.g.tasks.get(tid)
            if other is None:
                self.add("GK302", f"annotation for '{tid}', which is not a task", ex.loc)
                continue
            for p in check_value(self.g, other, value, ex.record, annotations):
                if not p.warning:
                    self.add(
                        "GK306",
                        f"annotation of '{tid}'{_ptr(p.pointer)}: {p.message}",
                        _below(ex.loc, ("annotations", tid), p.pointer),
                    )
        cls = task.get(ex.class_id) if ex.class_id else None
        # a label or decision that names no class is reported once, at the label itself; the
        # annotation built from it is not checked again
        named_unknown = False
        if ex.kind == "negative":
            named_unknown = self.negative_label(task, cls, ex)
        if ex.kind == "edge_case" and ex.decision is not None:
            for d in ex.decision if isinstance(ex.decision, list) else [ex.decision]:
                if not isinstance(d, str) or task.resolve_label(d) is None:
                    named_unknown = True
                    self.add(
                        "GK308",
                        f"edge case '{ex.id}' is decided as {d!r}, which is not a "
                        f"class of task '{task.id}'",
                        _at(ex.loc, "decision"),
                    )
        if ex.annotation is None:
            if ex.kind == "example" and task.has_classes and not task.is_classification:
                self.add(
                    "GK308",
                    f"example of '{ex.class_id}' has no `annotation` (a "
                    f"{task.type} example must show the {task.type} it illustrates)",
                    ex.loc,
                )
            return
        if not named_unknown and (
            ex.kind == "example"
            or (ex.kind == "edge_case" and ex.decision is not None)
            or (ex.kind == "negative" and ex.label not in (None, "none"))
        ):
            for p in check_value(self.g, task, ex.annotation, ex.record, annotations):
                if not p.warning:
                    self.add(
                        "GK306",
                        f"annotation{_ptr(p.pointer)}: {p.message}",
                        _below(ex.loc, ("annotation",), p.pointer),
                    )
        if (
            ex.kind == "example"
            and cls is not None
            and not _carries(task, ex.annotation, cls.id)
            and not _unknown_labels(task, ex.annotation)  # GK306 names the wrong label
        ):
            self.add(
                "GK308",
                f"example of '{cls.id}' does not carry '{cls.id}'",
                ex.loc,
                hint="its annotation must use the class (or one of its subclasses)",
            )
        own_label = (
            isinstance(ex.label, str)
            and cls is not None
            and (task.resolve_label(ex.label) == cls.id)
        )
        if (
            ex.kind == "negative"
            and cls is not None
            and not own_label
            and _carries(task, ex.annotation, cls.id)
            and (task.is_classification or not task.has_classes)
        ):
            self.add("GK307", f"negative example of '{cls.id}' is labelled '{cls.id}'", ex.loc)

    def negative_label(self, task: ir.Task, cls: ir.Class | None, ex: ir.Example) -> bool:
        """Check a negative's right label; true when it names something that is no class."""
        unknown = False
        labels = ex.label if isinstance(ex.label, list) else [ex.label]
        for lab in labels:
            if lab == "none":
                continue
            if not isinstance(lab, str) or task.resolve_label(lab) is None:
                unknown = True
                self.add(
                    "GK302",
                    f"negative example's label {lab!r} is not a class of task '{task.id}'",
                    _at(ex.loc, "label"),
                    hint=(_close(lab, task.class_ids()) if isinstance(lab, str) else None)
                    or "use a class id, or `none` when no class applies",
                )
            elif cls is not None and task.resolve_label(lab) == cls.id:
                self.add(
                    "GK307",
                    f"negative example of '{cls.id}' names '{cls.id}' as its right label",
                    _at(ex.loc, "label"),
                )
        return unknown

    # -- rules -----------------------------------------------------------------------------
    def rules(self) -> None:
        seen: dict[str, ir.Rule] = {}
        for i, rule in enumerate(self.g.rules):
            if rule.id in seen:
                self.add(
                    "GK301",
                    f"rule id '{rule.id}' is used twice",
                    rule.loc,
                    first=seen[rule.id].loc,
                )
            else:
                seen[rule.id] = rule
            for part, cond in (("when", rule.when), ("then", rule.then)):
                for code, message, path, hint in self.cond(cond, ("rules", i, part)):
                    where = Location(None, None, None, path) if self.source else rule.loc
                    self.add(code, f"rule '{rule.id}': {message}", where, hint=hint)

    def cond(
        self, c: Cond, path: tuple[str | int, ...]
    ) -> Iterator[tuple[str, str, tuple[str | int, ...], str | None]]:
        forms = [
            c.all is not None,
            c.any is not None,
            c.not_ is not None,
            c.task is not None or c.field is not None,
        ]
        if sum(forms) > 1:
            yield (
                "GK313",
                "a condition mixes all/any/not/task; write one form per condition",
                path,
                "nest them: `all: [{task: ...}, {any: [...]}]`",
            )
        for key, subs in (("all", c.all), ("any", c.any)):
            for j, sub in enumerate(subs or []):
                yield from self.cond(sub, (*path, key, j))
        if c.not_ is not None:
            yield from self.cond(c.not_, (*path, "not"))
        if c.field is not None:
            if c.field not in self.g.record.fields:
                yield (
                    "GK302",
                    f"'{c.field}' is not a record field",
                    (*path, "field"),
                    _close(c.field, self.g.record.fields),
                )
            return
        if c.task is None:
            if any(
                v is not None
                for v in (
                    c.is_,
                    c.has,
                    c.has_any,
                    c.at_least,
                    c.at_most,
                    c.equals,
                    c.count,
                    c.empty,
                )
            ):
                yield ("GK313", "a condition tests a label but names no `task`", path, None)
            return
        task = self.g.tasks.get(c.task)
        if task is None:
            yield (
                "GK302",
                f"'{c.task}' is not a task",
                (*path, "task"),
                _close(c.task, self.g.tasks),
            )
            return
        t = task.type
        keys = task.task_type.condition_keys
        named: list[tuple[str, str]] = []
        if c.is_ is not None:
            if "is" not in keys:
                yield (
                    "GK313",
                    f"`is` tests {_types_with('is', conditions=True)} tasks; '{task.id}' is {t}",
                    (*path, "is"),
                    "use `has` or `has_any`",
                )
            named += [(x, "is") for x in ([c.is_] if isinstance(c.is_, str) else c.is_)]
        for key, val in (("has", c.has), ("has_any", c.has_any)):
            if val is not None:
                if key not in keys:
                    yield (
                        "GK313",
                        f"`{key}` tests multi-label and region tasks; '{task.id}' is {t}",
                        (*path, key),
                        "use `is`",
                    )
                named += [(x, key) for x in ([val] if isinstance(val, str) else val)]
        for key, val in (("at_least", c.at_least), ("at_most", c.at_most)):
            if val is None:
                continue
            if key in keys and task.has_classes:
                if isinstance(val, str):
                    named.append((val, key))
                else:
                    yield (
                        "GK313",
                        f"`{key}` of {t} task '{task.id}' must be a class",
                        (*path, key),
                        f"one of: {', '.join(task.class_ids())}",
                    )
            elif key not in keys:
                yield (
                    "GK313",
                    f"`{key}` tests {_types_with(key, conditions=True)} tasks; '{task.id}' is {t}",
                    (*path, key),
                    None,
                )
        if c.equals is not None and "equals" not in keys:
            yield (
                "GK313",
                f"`equals` tests {_types_with('equals', conditions=True)} tasks; "
                f"'{task.id}' is {t}",
                (*path, "equals"),
                None,
            )
        if c.count is not None and "count" not in keys:
            yield (
                "GK313",
                f"`count` tests multi-label and region tasks; '{task.id}' is {t}",
                (*path, "count"),
                None,
            )
        if c.class_ is not None:
            named.append((c.class_, "class"))
        for cid, key in named:
            if cid not in task:
                yield (
                    "GK302",
                    f"'{cid}' is not a class of task '{task.id}'",
                    (*path, key),
                    _close(cid, task.class_ids()),
                )

    # -- acceptance ------------------------------------------------------------------------
    def acceptance(self) -> None:
        acc = self.g.acceptance
        paths: dict[int, tuple[str | int, ...]] = {}
        for kind in ("agreement", "audit", "gold", "distribution", "unresolved"):
            for i, crit in enumerate(getattr(acc, kind)):
                paths[id(crit)] = ("acceptance", kind, i)

        def at(crit: Any) -> Location:
            return Location(
                self.g.files[0] if self.g.files else None,
                None,
                None,
                paths.get(id(crit), ("acceptance",)),
            )

        known_metrics = set().union(*(tt.agreement_metrics for tt in tasktypes.all_types()))
        for crit in (*acc.agreement, *acc.gold, *acc.distribution):
            task = self.g.tasks.get(crit.task)
            if task is None:
                self.add(
                    "GK302",
                    f"acceptance criterion names task '{crit.task}', which does not exist",
                    at(crit),
                )
                continue
            if crit.class_ is not None and crit.class_ not in task:
                self.add(
                    "GK302",
                    f"acceptance criterion names class '{crit.class_}', which is "
                    f"not a class of task '{task.id}'",
                    at(crit),
                )
            metric = getattr(crit, "metric", None)
            if metric in known_metrics and metric not in task.task_type.agreement_metrics:
                self.add(
                    "GK318",
                    f"agreement metric {metric} does not apply to {task.type} task '{task.id}'",
                    at(crit),
                )
            if crit in acc.gold:
                if not task.task_type.gold_scores:
                    self.add(
                        "GK318",
                        f"gold scores need a task with classes; '{task.id}' is {task.type}",
                        at(crit),
                    )
                if crit.min is None:
                    self.add("GK318", "a gold criterion needs `min` (or `min_macro_f1`)", at(crit))
        for d in acc.distribution:
            if d.min_share is None and d.max_share is None:
                self.add(
                    "GK318",
                    f"distribution bound on '{d.class_}' gives neither min_share nor max_share",
                    at(d),
                )
            if d.min_share is not None and d.max_share is not None and d.min_share > d.max_share:
                self.add(
                    "GK318",
                    f"distribution bound on '{d.class_}': min_share is above max_share",
                    at(d),
                )
        for crit in (*acc.agreement, *acc.audit, *acc.gold, *acc.distribution, *acc.unresolved):
            if crit.split is not None and crit.split not in self.g.splits:
                self.add(
                    "GK302",
                    f"acceptance criterion targets split '{crit.split}', which "
                    "`splits` does not declare",
                    at(crit),
                )

    # -- scope -----------------------------------------------------------------------------
    def scope(self) -> None:
        reasons = self.g.scope.skip_reasons
        for ex in self.g.scope.out_of_scope_examples:
            if ex.skip not in reasons:
                self.add(
                    "GK316",
                    f"skip reason '{ex.skip}' is not declared in scope.skip_reasons",
                    _at(ex.loc, "skip"),
                    hint=f"declared: {', '.join(reasons) or 'none'}",
                )


def _below(loc: Location | None, key: tuple[str, ...], pointer: str) -> Location | None:
    """The location of the node a problem's JSON ``pointer`` names inside an example's
    annotation (``key``); the source map finds its line, or its nearest written ancestor's."""
    if loc is None:
        return None
    parts: list[str | int] = []
    for raw in pointer.split("/")[1:] if pointer else []:
        part = raw.replace("~1", "/").replace("~0", "~")
        parts.append(int(part) if part.isdigit() else part)
    return Location(loc.file, loc.line, loc.column, (*loc.path, *key, *parts))


def _ptr(pointer: str) -> str:
    return f" at {pointer}" if pointer else ""


def _carries(task: ir.Task, value: Any, cid: str) -> bool:
    labels = labels_of(value)
    return any(task.is_a(task.resolve_label(lab) or lab, cid) for lab in labels)


def _unknown_labels(task: ir.Task, value: Any) -> bool:
    """Whether an annotation uses a label that names no class of ``task``."""
    if not task.has_classes:
        return False
    return any(
        not isinstance(lab, str) or task.resolve_label(lab) is None for lab in labels_of(value)
    )


def _field_problem(f: ir.InputField, value: Any) -> str | None:
    t = f.type
    if value is None:
        return None if not f.required else "is null"
    if t in ("text", "string", "url", "datetime"):
        return None if isinstance(value, str) else "expected text"
    if t == "image":
        if isinstance(value, str):
            return None
        if isinstance(value, dict):
            unknown = set(value) - {"path", "url", "width", "height"}
            if unknown:
                return f"unknown image key(s): {', '.join(sorted(unknown))}"
            if "path" not in value and "url" not in value:
                return "an image needs `path` or `url`"
            for k in ("width", "height"):
                if k in value and (
                    not isinstance(value[k], int) or isinstance(value[k], bool) or value[k] <= 0
                ):
                    return f"image {k} must be a positive integer"
            return None
        return "expected an image path or {path, width, height}"
    if t == "integer":
        return (
            None
            if isinstance(value, int) and not isinstance(value, bool)
            else "expected an integer"
        )
    if t == "number":
        return (
            None
            if isinstance(value, (int, float)) and not isinstance(value, bool)
            else "expected a number"
        )
    if t == "boolean":
        return None if isinstance(value, bool) else "expected true or false"
    if t == "category":
        return None if value in (f.values or []) else f"{value!r} is not one of {f.values}"
    return None


def check_meaning(
    g: ir.Guideline,
    root: Path | None,
    source: SourceMap | None = None,
    skip: Iterable[tuple[str | int, ...]] = (),
) -> list[Diagnostic]:
    return MeaningChecker(g, root, source, skip).run()


def _types_with(key: str, *, conditions: bool = False) -> str:
    """The registered types that use a class key (or a rule-condition key), for messages:
    ``text, number and boolean``."""
    names = [
        tt.name
        for tt in tasktypes.all_types()
        if key in (tt.condition_keys if conditions else tt.class_keys)
    ]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def _close(name: str, known: Iterable[str]) -> str | None:
    """A "did you mean" hint for a misspelt reference."""
    import difflib

    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None
