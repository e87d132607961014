"""The full check of one delivery record: every problem, with its code and JSON pointer.

This is the reference validator. Task values go through :func:`guidekit.record.values.check_value`
(the checks the compiler runs on the guideline's own examples) and rules through
:func:`guidekit.record.rules.broken_rules`; this module adds what belongs to a delivery record as a
whole: the id, unknown keys, metadata, input fields, skipped and unresolved records and the
guideline version. The fast path (:mod:`guidekit.delivery._fast`) only decides that a record
is clean; any record it cannot vouch for comes here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guidekit import ir, tasktypes
from guidekit.diagnostics.codes import lookup
from guidekit.diagnostics.model import Diagnostic, Location, Severity
from guidekit.diagnostics.pointer import escape as esc
from guidekit.record.layout import (
    MEDIA_KEYS,
    TEXT_FIELD_TYPES,
    TEXT_ROLES,
    TIMESTAMP,
    TIMESTAMP_ROLES,
    Layout,
)
from guidekit.record.rules import broken_rules
from guidekit.record.values import Problem, check_value, image_size, type_name
from guidekit.spec import version

#: Problem kinds of :mod:`guidekit.record.values` -> delivery codes.
KIND_CODES: dict[str, str] = {
    "value.missing": "GK511",
    "value.type": "GK512",
    "value.unknown_key": "GK513",
    "value.range": "GK514",
    "label.unknown": "GK515",
    "label.not_leaf": "GK516",
    "label.deprecated": "GK517",
    "label.alias": "GK518",
    "label.cardinality": "GK519",
    "label.duplicate": "GK520",
    "attribute.unknown": "GK521",
    "attribute.not_applicable": "GK521",
    "attribute.missing": "GK522",
    "attribute.value": "GK523",
    "attribute.type": "GK523",
    "span.bounds": "GK524",
    "span.text": "GK525",
    "span.overlap": "GK526",
    "bbox.shape": "GK512",
    "bbox.area": "GK527",
    "bbox.outside": "GK528",
    "bbox.small": "GK529",
    "polygon.shape": "GK512",
    "polygon.points": "GK530",
    "polygon.outside": "GK528",
    "polygon.area": "GK527",
    "polygon.self_intersection": "GK531",
    "keypoints.shape": "GK512",
    "keypoints.name": "GK532",
    "keypoints.visibility": "GK533",
    "keypoints.outside": "GK528",
    "region.duplicate_id": "GK534",
    "relation.dangling": "GK535",
    "relation.pair": "GK536",
    "relation.duplicate": "GK537",
}

#: Codes for what a JSON Schema can say about one record: types, required keys, unknown
#: keys, enums, ranges, counts. The generated schema rejects a record exactly when the
#: validator reports an error with one of these codes.
STRUCTURAL_CODES = frozenset(
    {
        "GK509",
        "GK510",
        "GK511",
        "GK512",
        "GK513",
        "GK514",
        "GK515",
        "GK516",
        "GK519",
        "GK521",
        "GK522",
        "GK523",
        "GK530",
        "GK532",
        "GK533",
        "GK539",
        "GK540",
    }
)

#: Flags of bounds that could not be checked (see GK545).
NC_SPANS = 1
NC_IMAGE = 2


def problem_code(p: Problem) -> str:
    if p.kind == "span.bounds" and p.pointer.endswith("/start"):
        return "GK514"  # a negative start: a range a schema can state
    return KIND_CODES.get(p.kind, "GK512")


#: Integer ids must fit 64 bits (signed or unsigned): databases, Parquet and most JSON readers
#: cannot hold more, and orjson would read a longer one as a rounded float.
ID_RANGE = (-(2**63), 2**64)


def _short_int(n: int) -> str:
    text = str(n)
    return text if len(text) <= 30 else f"{text[:12]}…{text[-6:]} ({len(text)} digits)"


def is_id(v: Any) -> bool:
    return (isinstance(v, str) and v != "") or (isinstance(v, int) and not isinstance(v, bool))


class RecordChecker:
    """Checks one record (a ``dict``) completely. Built once per guideline."""

    def __init__(self, guideline: ir.Guideline) -> None:
        self.g = guideline
        self.layout = Layout.of(guideline)
        lay = self.layout
        self.known = lay.known
        self.meta_items = tuple(lay.meta.items())
        self.skip_key = lay.meta["skip"]
        self.unresolved_key = lay.meta["unresolved"]
        self.version_key = lay.meta["guideline_version"]
        self.version = version.parse(guideline.version)
        self.tasks = tuple(guideline.tasks.values())
        #: what each task's bounds need from the record ("text", "image" or None)
        self.bounds_need = {t.id: tasktypes.of(t).bounds_need(t) for t in self.tasks}
        self.ptr = {key: f"/{esc(key)}" for key in self.known}

    # -- entry -----------------------------------------------------------------------------
    def check(
        self, rec: Mapping[str, Any], file: str | None = None, line: int | None = None
    ) -> tuple[list[Diagnostic], int]:
        """Every diagnostic of ``rec`` and the not-checked flags (``NC_*``)."""
        out: list[Diagnostic] = []

        def add(
            code: str,
            pointer: str,
            message: str,
            hint: str | None = None,
            severity: Severity | None = None,
        ) -> None:
            out.append(
                Diagnostic(
                    code,
                    severity or lookup(code).severity,
                    message,
                    Location(file, line, pointer=pointer),
                    hint,
                )
            )

        lay = self.layout
        self._id(rec, add)
        self._big_ints(rec, add)
        if lay.unknown_fields != "allow":
            known = self.known
            for key in rec:
                if key not in known:
                    add(
                        "GK510",
                        f"/{esc(key)}",
                        f"'{key}' is not a field of a '{self.g.id}' delivery record",
                        hint="delivery.unknown_fields decides whether extra keys are allowed",
                        severity=Severity.WARNING if lay.unknown_fields == "warn" else None,
                    )
        skip = rec.get(self.skip_key)
        skipped = skip is not None
        unresolved = rec.get(self.unresolved_key) is True
        self._metadata(rec, add)
        self._inputs(rec, add)
        flags = 0
        if skipped:
            for task in self.tasks:
                if rec.get(task.id) is not None:
                    add(
                        "GK540",
                        self.ptr[task.id],
                        f"the record is skipped ({skip!r}) but carries a value for task "
                        f"'{task.id}'",
                        hint="a skipped record carries no task values; leave them out or null",
                    )
        else:
            task_errors = False
            for task in self.tasks:
                value = rec.get(task.id)
                if value is None:
                    if task.required and not unresolved:
                        add(
                            "GK511",
                            self.ptr[task.id],
                            f"no value for task '{task.id}'",
                            hint="a labelled record carries every required task; mark it "
                            f"'{self.unresolved_key}' or give a '{self.skip_key}' reason "
                            "otherwise",
                        )
                        task_errors = True
                    continue
                base = self.ptr[task.id]
                for p in check_value(self.g, task, value, rec, rec):
                    code = problem_code(p)
                    add(
                        code,
                        base + p.pointer,
                        p.message,
                        severity=Severity.WARNING if p.warning else None,
                    )
                    if not p.warning:
                        task_errors = True
                unchecked = self._not_checked(task, value, rec)
                if unchecked == NC_IMAGE and self.g.delivery.image_size == "required":
                    add(
                        "GK549",
                        base,
                        f"the size of image '{task.over}' is unknown, so the regions of "
                        f"'{task.id}' cannot be checked",
                        hint="give the image as {path, width, height}, or set "
                        "`delivery: {image_size: optional}`",
                    )
                    task_errors = True
                    unchecked = 0
                flags |= unchecked
            if not unresolved and not task_errors:
                for rule in broken_rules(self.g, rec, rec):
                    add(
                        "GK538",
                        _rule_pointer(rule),
                        rule.message.strip(),
                        hint=f"rule '{rule.id}'",
                        severity=Severity(rule.severity),
                    )
        return out, flags

    # -- parts -----------------------------------------------------------------------------
    def _id(self, rec: Mapping[str, Any], add: Any) -> None:
        key = self.layout.id_key
        value = rec.get(key)
        ptr = self.ptr[key]
        if value is None:
            add("GK509", ptr, f"the record has no id ('{key}')")
        elif isinstance(value, str) and value == "":
            add("GK514", ptr, "the id is empty")
        elif not is_id(value):
            add("GK512", ptr, f"the id must be text or an integer, found {type_name(value)}")
        elif isinstance(value, int) and not ID_RANGE[0] <= value < ID_RANGE[1]:
            add(
                "GK506",
                ptr,
                f"the id {_short_int(value)} is outside the 64-bit integer range",
                "write the id as a string",
            )

    def _big_ints(self, rec: Mapping[str, Any], add: Any) -> None:
        """GK506 for an integer beyond 64 bits anywhere but the id (``_id`` says it there):
        a float field would round it, and most readers of the delivery cannot hold it. The
        fast path never vouches for one (``tasktypes.number_type``)."""
        id_key = self.layout.id_key
        stack: list[tuple[str, Any]] = [
            (f"/{esc(str(k))}", v) for k, v in rec.items() if k != id_key
        ]
        while stack:
            ptr, v = stack.pop()
            if v.__class__ is int:
                if not ID_RANGE[0] <= v < ID_RANGE[1]:
                    add(
                        "GK506",
                        ptr,
                        f"the number {_short_int(v)} is outside the 64-bit integer range",
                        "write it as a float if an approximate value will do, or as a string",
                    )
            elif v.__class__ is dict:
                stack.extend((f"{ptr}/{esc(str(k))}", x) for k, x in v.items())
            elif v.__class__ is list:
                stack.extend((f"{ptr}/{i}", x) for i, x in enumerate(v))

    def _metadata(self, rec: Mapping[str, Any], add: Any) -> None:
        lay = self.layout
        for role, key in self.meta_items:
            value = rec.get(key)
            ptr = self.ptr[key]
            if value is None:
                if role in lay.required_meta:
                    add("GK511", ptr, f"required metadata '{key}' ({role}) is missing")
                continue
            if role == "unresolved":
                if not isinstance(value, bool):
                    add("GK512", ptr, f"'{key}' must be true or false, found {type_name(value)}")
                continue
            if role == "needs_reannotation":
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    add(
                        "GK512",
                        ptr,
                        f"'{key}' must be a list of task ids, found {type_name(value)}",
                    )
                continue
            if not isinstance(value, str):
                add("GK512", ptr, f"'{key}' must be text, found {type_name(value)}")
                continue
            if role == "skip":
                if value not in lay.skip_reasons:
                    declared = ", ".join(lay.skip_reasons) or "none"
                    add(
                        "GK539",
                        ptr,
                        f"skip reason '{value}' is not declared",
                        hint=f"declared reasons: {declared}",
                    )
            elif role == "status":
                if lay.statuses is not None and value not in lay.statuses:
                    add(
                        "GK514",
                        ptr,
                        f"status '{value}' is not one of {', '.join(lay.statuses)}",
                    )
            elif role == "split":
                if lay.splits and value not in lay.splits:
                    add("GK514", ptr, f"split '{value}' is not one of {', '.join(lay.splits)}")
            elif role in TIMESTAMP_ROLES:
                if not TIMESTAMP.search(value):
                    add(
                        "GK514",
                        ptr,
                        f"'{key}' is not an ISO 8601 date or date-time: {value!r}",
                        hint="e.g. 2024-05-01T14:03:00Z",
                    )
            else:
                assert role in TEXT_ROLES
                if role == "guideline_version":
                    self._version(value, ptr, add)

    def _version(self, value: str, ptr: str, add: Any) -> None:
        if value == self.g.version:
            return
        theirs = version.parse(value)
        major = theirs is None or self.version is None or theirs.major != self.version.major
        add(
            "GK541",
            ptr,
            f"made under guideline version {value}; this is {self.g.version}",
            hint="labels may mean something else under another major version" if major else None,
            severity=Severity.ERROR if major else Severity.WARNING,
        )

    def _inputs(self, rec: Mapping[str, Any], add: Any) -> None:
        lay = self.layout
        for name, f in lay.inputs.items():
            value = rec.get(name)
            if value is None:
                if lay.include_inputs and f.required:
                    add("GK511", self.ptr[name], f"input field '{name}' is missing")
                continue
            problem = field_problem(f, value)
            if problem is not None:
                code, message, sub = problem
                add(code, self.ptr[name] + sub, f"input field '{name}': {message}")

    def _not_checked(self, task: ir.Task, value: Any, rec: Mapping[str, Any]) -> int:
        if not isinstance(value, list) or not value:
            return 0
        need = self.bounds_need[task.id]
        if need == "text":
            return 0 if isinstance(rec.get(task.over or ""), str) else NC_SPANS
        if need == "image":
            return 0 if image_size(task, rec, self.g.record.fields) else NC_IMAGE
        return 0


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def field_problem(f: ir.InputField, value: Any) -> tuple[str, str, str] | None:
    """``(code, message, sub-pointer)`` when an input value does not fit its field."""
    t = f.type
    if t in TEXT_FIELD_TYPES:
        return None if isinstance(value, str) else ("GK512", "expected text", "")
    if t in MEDIA_KEYS:
        keys = MEDIA_KEYS[t]
        if isinstance(value, str):
            return None
        if not isinstance(value, dict):
            shape = ", ".join(k for k in keys if k != "url")
            return ("GK512", f"expected {_article(t)} {t} path or {{{shape}}}", "")
        for key in sorted(set(value) - set(keys)):
            return ("GK513", f"unknown {t} key '{key}'", f"/{esc(key)}")
        if value.get("path") is None and value.get("url") is None:
            return ("GK511", f"{_article(t)} {t} needs `path` or `url`", "")
        for k in ("path", "url"):
            v = value.get(k)
            if v is not None and not isinstance(v, str):
                return ("GK512", f"{t} {k} must be text", f"/{k}")
        for k in keys[2:]:  # sizes and counts
            v = value.get(k)
            if v is None:
                continue
            if not isinstance(v, int) or isinstance(v, bool):
                return ("GK512", f"{t} {k} must be an integer", f"/{k}")
            if v <= 0:
                return ("GK514", f"{t} {k} must be positive", f"/{k}")
        return None
    if t == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else ("GK512", "expected an integer", "")
    if t == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else ("GK512", "expected a number", "")
    if t == "boolean":
        return None if isinstance(value, bool) else ("GK512", "expected true or false", "")
    if t == "category":
        if not isinstance(value, str):
            return ("GK512", "expected text", "")
        if f.values is not None and value not in f.values:
            return ("GK514", f"{value!r} is not one of {', '.join(f.values)}", "")
    return None


def _rule_pointer(rule: ir.Rule) -> str:
    task = rule.then.task
    return f"/{esc(task)}" if task else ""
