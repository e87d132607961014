"""Differences outside the tasks: manifest and brief, record, rules, acceptance criteria,
governance, scope and delivery."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from guidekit import ir
from guidekit.diagnostics.model import Location
from guidekit.record.rules import describe
from guidekit.spec.format import METADATA_ROLES
from guidekit.versioning._diff_examples import diff_examples
from guidekit.versioning._emit import Emitter, Scope, canonical, code
from guidekit.versioning.classify import GUIDELINE
from guidekit.versioning.fates import label_fates

_BRIEF = ("objective", "decision", "source_data", "label_use", "privacy", "notes")
_METADATA = METADATA_ROLES
ACCEPTANCE = ("acceptance-tightened", "acceptance-loosened")
# kind -> (key fields, (bound, higher is stricter)...)
_CRITERIA: dict[str, tuple[tuple[str, ...], tuple[tuple[str, bool], ...]]] = {
    "agreement": (("task", "class_", "metric", "split"), (("min", True), ("iou", True))),
    "audit": (("split",), (("sample", True), ("min_pass_rate", True))),
    "gold": (("task", "class_", "metric", "split"), (("min", True),)),
    "distribution": (("task", "class_", "split"), (("min_share", True), ("max_share", False))),
    "unresolved": (("split",), (("max_share", False),)),
}


def diff_sections(e: Emitter, old: ir.Guideline, new: ir.Guideline) -> None:
    """Report the changes outside the tasks. Each is owned by what may carry a ``changes:``
    note for it: a rule, a section, or the guideline itself (its manifest, and rules it no
    longer has)."""
    top: dict[str, object] = {"loc": Location(new.files[0])} if new.files else {}

    def section(name: str) -> dict[str, object]:
        return {**top, "owner": ("section", name)}

    _manifest(e.scope("guideline", **top, owner=GUIDELINE), old, new)
    _record(e.scope("input-field", loc=new.record.loc, owner=("section", "record")), old, new)
    _rules(e.scope("rule", **top, owner=GUIDELINE), old.rules, new.rules, _renames(old, new))
    _acceptance(e.scope("acceptance", **section("acceptance")), old.acceptance, new.acceptance)
    _governance(e.scope("governance", **section("governance")), old.governance, new.governance)
    _scope(e.scope("scope", **section("scope")), old.scope, new.scope)
    _delivery(e.scope("delivery", **section("delivery")), old.delivery, new.delivery)


def _mapping(
    s: Scope, rules: tuple[str, str, str], noun: str, a: Mapping[str, str], b: Mapping[str, str]
) -> None:
    """Entries of a name -> text mapping; ``rules``: added, removed, reworded."""
    added, removed, reworded = rules
    for key, text in b.items():
        if key not in a:
            s.add(added, "added", f"{noun} `{key}` added", new=text, name=key)
        else:
            s.text(reworded, f"{noun} `{key}`", a[key], text, name=key)
    for key, text in a.items():
        if key not in b:
            s.add(removed, "removed", f"{noun} `{key}` removed", old=text, name=key)


def _manifest(s: Scope, a: ir.Guideline, b: ir.Guideline) -> None:
    s.value("guideline-id-changed", "guideline id", a.id, b.id)
    s.text("guideline-text-changed", "title", a.title, b.title)
    s.text("guideline-text-changed", "description", a.description, b.description)
    brief = s.sub("brief")
    for name in _BRIEF:
        x, y = getattr(a.brief, name), getattr(b.brief, name)
        brief.text("guideline-text-changed", f"brief: {name.replace('_', ' ')}", x, y, name=name)
    s.value("guideline-status-changed", "status", a.status, b.status)
    if canonical(a.owners) != canonical(b.owners):
        names = ([o.name for o in a.owners], [o.name for o in b.owners])
        s.add("guideline-owners-changed", "changed", f"owners: {code(names[0])} → {code(names[1])}")
    glossary = ("glossary-changed",) * 3
    _mapping(s.sub("glossary"), glossary, "glossary term", a.glossary, b.glossary)
    _mapping(s.sub("links"), ("settings-changed",) * 3, "link", a.links, b.links)
    if canonical(a.lint) != canonical(b.lint):
        s.sub("lint").add("settings-changed", "changed", "lint settings changed")
    splits = s.sub("split")
    for split in b.splits:
        if split not in a.splits:
            splits.add("split-added", "added", f"split `{split}` added", name=split)
    for split in a.splits:
        if split not in b.splits:
            splits.add("split-removed", "removed", f"split `{split}` removed", name=split)


def _record(s: Scope, old: ir.Guideline, new: ir.Guideline) -> None:
    a, b = old.record, new.record
    delivered = new.delivery.include_inputs
    s.sub("record").value("record-id-changed", "record id field", a.id, b.id)
    for name, fb in b.fields.items():
        fa = a.fields.get(name)
        at = s.sub(name=name)
        if fa is None:
            rule = "input-field-required" if fb.required and delivered else "input-field-added"
            at.add(rule, "added", f"input field `{name}` ({fb.type}) added", new=fb.description)
        else:
            _input_field(at, fa, fb, f"input field `{name}`", delivered)
    forbid = old.delivery.include_inputs and new.delivery.unknown_fields == "forbid"
    for name in a.fields:
        if name not in b.fields:
            rule = "delivered-field-removed" if forbid else "input-field-removed"
            s.add(rule, "removed", f"input field `{name}` removed", name=name)


def _input_field(s: Scope, a: ir.InputField, b: ir.InputField, what: str, delivered: bool) -> None:
    s.value("input-field-type-changed", f"type of {what}", a.type, b.type)
    if a.required != b.required:
        if b.required:
            rule = "input-field-required" if delivered else "input-field-changed"
        else:
            rule = "input-field-widened"
        s.add(rule, "changed", f"{what} made {'required' if b.required else 'optional'}")
    for dim in ("width", "height"):
        s.value("input-field-narrowed", f"image {dim} of {what}", getattr(a, dim), getattr(b, dim))
    if a.values != b.values:
        before = set(a.values) if a.values is not None else None
        after = set(b.values) if b.values is not None else None
        gone = sorted(before - after) if before is not None and after is not None else []
        came = sorted(after - before) if before is not None and after is not None else []
        if before is None and after is not None:
            gone = ["any other value"]
        if after is None and before is not None:
            came = ["any value"]
        if gone:
            rule = "input-field-narrowed" if delivered else "input-field-changed"
            s.add(rule, "changed", f"values {code(gone)} removed from {what}")
        if came:
            s.add("input-field-widened", "changed", f"values {code(came)} added to {what}")
    s.text("input-field-text-changed", f"description of {what}", a.description, b.description)
    s.value("input-field-text-changed", f"language of {what}", a.language, b.language)


Renames = Mapping[str, Mapping[str, str]]
_CLASS_KEYS = ("is", "has", "has_any", "at_least", "at_most", "class")


def _renames(old: ir.Guideline, new: ir.Guideline) -> dict[str, dict[str, str]]:
    """``{task: {old label: new id}}`` of the classes renamed through an alias."""
    out: dict[str, dict[str, str]] = {}
    for tid, a in old.tasks.items():
        b = new.tasks.get(tid)
        if b is None:
            continue
        moved = {
            label: f.targets[0]
            for label, f in label_fates(a, b).items()
            if f.kind == "renamed" and len(f.targets) == 1 and f.targets[0] != label
        }
        if moved:
            out[tid] = moved
    return out


def _follow(cond: Any, renames: Renames) -> Any:
    """A condition (as canonical JSON data) with renamed class ids replaced by the new ids."""
    if isinstance(cond, list):
        return [_follow(c, renames) for c in cond]
    if not isinstance(cond, dict):
        return cond
    moved = renames.get(cond.get("task") or "", {})
    out: dict[str, Any] = {}
    for key, value in cond.items():
        if key in _CLASS_KEYS and moved:
            if isinstance(value, str):
                value = moved.get(value, value)
            elif isinstance(value, list):
                value = [moved.get(v, v) if isinstance(v, str) else v for v in value]
        elif key in ("all", "any", "not"):
            value = _follow(value, renames)
        out[key] = value
    return out


def _same_after_renames(a: ir.Rule, b: ir.Rule, renames: Renames) -> bool:
    def data(cond: Any) -> Any:
        return json.loads(canonical(cond))

    return all(
        _follow(data(getattr(a, part)), renames) == data(getattr(b, part))
        for part in ("when", "then")
    )


def _rules(
    s: Scope, old: Sequence[ir.Rule], new: Sequence[ir.Rule], renames: Renames | None = None
) -> None:
    before = {r.id: r for r in old}
    after = {r.id: r for r in new}
    for rid, b in after.items():
        at = s.sub(name=rid, loc=b.loc, owner=("rule", rid))
        a = before.get(rid)
        if a is None:
            rule = "rule-added-error" if b.severity == "error" else "rule-added"
            at.add(rule, "added", f"rule `{rid}` ({b.severity}) added", new=_rule_text(b))
            continue
        if a.severity != b.severity:
            if b.severity == "error":
                rule = "rule-made-error"
            elif a.severity == "error":
                rule = "rule-relaxed"
            else:
                rule = "rule-severity-changed"
            at.value(rule, f"severity of rule `{rid}`", a.severity, b.severity)
        if (canonical(a.when), canonical(a.then)) != (canonical(b.when), canonical(b.then)):
            if renames and _same_after_renames(a, b, renames):
                rule = "rule-follows-rename"
            elif b.severity == "error":
                rule = "rule-condition-changed"
            else:
                rule = "rule-changed"
            at.add(
                rule,
                "changed",
                f"condition of rule `{rid}` changed",
                old=_rule_text(a),
                new=_rule_text(b),
                words=True,
            )
        at.text("rule-text-changed", f"message of rule `{rid}`", a.message, b.message)
        at.text("rule-text-changed", f"description of rule `{rid}`", a.description, b.description)
    for rid, a in before.items():
        if rid not in after:
            s.add(
                "rule-removed",
                "removed",
                f"rule `{rid}` ({a.severity}) removed",
                old=_rule_text(a),
                name=rid,
            )


def _rule_text(r: ir.Rule) -> str:
    then, when = describe(r.then), describe(r.when)
    return then if when == "always" else f"when {when}: {then}"


def _acceptance(s: Scope, a: ir.Acceptance, b: ir.Acceptance) -> None:
    for kind, (keys, bounds) in _CRITERIA.items():
        _criteria(s, kind, getattr(a, kind), getattr(b, kind), keys, bounds)
    for sev in sorted({*a.errors, *b.errors}):
        x, y = a.errors.get(sev), b.errors.get(sev)
        what = f"acceptance: share of records with {sev}s"
        if x is None:
            s.add("acceptance-added", "added", f"{what} at most {y}")
        elif y is None:
            s.add("acceptance-removed", "removed", f"{what} (at most {x}) removed")
        else:
            s.bound(what, x, y, higher_is_stricter=False, rules=ACCEPTANCE)


def _criteria(
    s: Scope,
    kind: str,
    old: Sequence[Any],
    new: Sequence[Any],
    keys: tuple[str, ...],
    bounds: tuple[tuple[str, bool], ...],
) -> None:
    """Criteria of one kind, matched by what they measure (task, class, metric, split)."""

    def keyed(items: Sequence[Any]) -> dict[tuple[Any, ...], Any]:
        out: dict[tuple[Any, ...], Any] = {}
        for item in items:
            key: tuple[Any, ...] = tuple(getattr(item, k) for k in keys)
            n = 0
            while (*key, n) in out:
                n += 1
            out[(*key, n)] = item
        return out

    def name(key: tuple[Any, ...]) -> str:
        parts = [f"{k.rstrip('_')} {v}" for k, v in zip(keys, key, strict=False) if v is not None]
        return kind + (f" ({', '.join(parts)})" if parts else "")

    def summary(item: Any) -> str:
        return ", ".join(
            f"{f} {getattr(item, f)}" for f, _ in bounds if getattr(item, f) is not None
        )

    ka, kb = keyed(old), keyed(new)
    for key, b in kb.items():
        a = ka.get(key)
        if a is None:
            s.add("acceptance-added", "added", f"acceptance: {name(key)} added", new=summary(b))
            continue
        for field, higher_is_stricter in bounds:
            label = f"acceptance: {name(key)} {field}"
            s.bound(
                label,
                getattr(a, field),
                getattr(b, field),
                higher_is_stricter=higher_is_stricter,
                rules=ACCEPTANCE,
            )
        s.text("acceptance-note-changed", f"note of acceptance {name(key)}", a.note, b.note)
    for key, a in ka.items():
        if key not in kb:
            s.add(
                "acceptance-removed", "removed", f"acceptance: {name(key)} removed", old=summary(a)
            )


def _governance(s: Scope, a: ir.Governance, b: ir.Governance) -> None:
    s.value("governance-changed", "sensitivity levels", list(a.levels), list(b.levels))
    s.value("governance-changed", "default sensitivity", a.default, b.default)
    audiences = s.sub("audience")
    for name, aud in b.audiences.items():
        before = a.audiences.get(name)
        at = audiences.sub(name=name)
        if before is None:
            at.add(
                "governance-changed",
                "added",
                f"audience `{name}` added (clearance `{aud.clearance}`)",
            )
            continue
        at.value(
            "governance-changed", f"clearance of audience `{name}`", before.clearance, aud.clearance
        )
        at.text(
            "governance-text-changed",
            f"description of audience `{name}`",
            before.description,
            aud.description,
        )
    for name in a.audiences:
        if name not in b.audiences:
            audiences.add("governance-changed", "removed", f"audience `{name}` removed", name=name)
    s.value("governance-changed", "retention", a.retention, b.retention)
    s.value("governance-text-changed", "governance owners", list(a.owners), list(b.owners))
    s.text("governance-text-changed", "escalation", a.escalation, b.escalation)
    s.text("governance-text-changed", "review", a.review, b.review)


def _scope(s: Scope, a: ir.Scope, b: ir.Scope) -> None:
    s.text("scope-text-changed", "scope description", a.description, b.description)
    rules = ("skip-reason-added", "skip-reason-removed", "scope-text-changed")
    _mapping(s.sub("skip-reason"), rules, "skip reason", a.skip_reasons, b.skip_reasons)
    diff_examples(s, a.out_of_scope_examples, b.out_of_scope_examples, "out_of_scope", "the scope")


def _delivery(s: Scope, a: ir.Delivery, b: ir.Delivery) -> None:
    fmt = "delivery-format-changed"
    s.value(fmt, "delivery format", a.format, b.format)
    s.value(fmt, "delivery id field", a.id, b.id)
    s.value(fmt, "`include_inputs`", a.include_inputs, b.include_inputs)
    for key in _METADATA:
        x, y = getattr(a.metadata, key), getattr(b.metadata, key)
        s.value(fmt, f"name of the {key.replace('_', ' ')} field", x, y)
    if a.unknown_fields != b.unknown_fields:
        tighter = b.unknown_fields == "forbid"
        rule = "delivery-tightened" if tighter else "delivery-loosened"
        s.value(rule, "unknown fields", a.unknown_fields, b.unknown_fields)
    more = [m for m in b.required_metadata if m not in a.required_metadata]
    less = [m for m in a.required_metadata if m not in b.required_metadata]
    if more:
        s.add("delivery-tightened", "changed", f"metadata now required: {code(more)}")
    if less:
        s.add("delivery-loosened", "changed", f"metadata no longer required: {code(less)}")
    sa, sb = a.statuses, b.statuses
    if sa == sb:
        return
    if sa is None:
        s.add("delivery-tightened", "changed", f"statuses restricted to {code(list(sb or ()))}")
        return
    if sb is None:
        s.add("delivery-loosened", "changed", "any status allowed")
        return
    gone = [x for x in sa if x not in sb]
    came = [x for x in sb if x not in sa]
    if gone:
        s.add("delivery-tightened", "changed", f"statuses {code(gone)} no longer allowed")
    if came:
        s.add("delivery-loosened", "changed", f"statuses {code(came)} allowed")
