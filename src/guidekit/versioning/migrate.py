"""Migrate a delivery made under one version of a guideline to another.

Labels are rewritten through the label fates of the diff: renames and merges become the new
label; a label whose class was split, retired or removed cannot be rewritten and marks its
record for re-annotation, as does a required task the old version did not have. No record is
ever dropped: every input line gives exactly one output line, and lines that need no change
are copied byte for byte.

After rewriting, every record is checked against the new version with the delivery
validator (:class:`guidekit.delivery.check.RecordChecker`), and each gets one outcome:
``changed`` (labels rewritten, valid), ``valid`` (nothing to rewrite, valid as it is),
``reannotate`` (marked, with the reason) or ``invalid`` (the new version rejects it, with
the findings). Records that migrated cleanly (and marked ones) get ``guideline_version`` set
to the new version; a record the new version still rejects keeps its old stamp unless its
labels were rewritten.

A record that needs re-annotation keeps its old labels (they are the best hint the annotator
has) and gets the metadata field ``needs_reannotation`` (a role the format declares, so
every guideline accepts it) listing the task ids. An attribute whose default changed is
written out with the old default where a label omitted it, so the label keeps its meaning.
A change of the level of measurement (single to ordinal) rewrites nothing. Records already
at the new version, or made under a third version, are copied unchanged and counted.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from guidekit import ir, outputs, tasktypes
from guidekit.delivery.check import RecordChecker
from guidekit.delivery.read import RawRecord
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location, Severity
from guidekit.errors import GuidekitError
from guidekit.spec.format import METADATA_ROLES
from guidekit.versioning.diff import diff_guidelines
from guidekit.versioning.model import GuidelineDiff, LabelFate

MARKER = "needs_reannotation"  # the default key of the metadata role of that name
MAX_PROBLEMS = 20  # located problems reported one by one; the rest are counted
MAX_RECORDS = 200  # records that did not migrate cleanly, listed one by one
_METADATA = METADATA_ROLES
#: task type changes that keep every value valid (a change of the level of measurement)
SAME_VALUES = frozenset({("single", "ordinal"), ("ordinal", "single")})


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """A record that did not migrate cleanly: ``outcome`` is ``reannotate`` or ``invalid``;
    ``reasons`` say why (the findings of the validator for an invalid record)."""

    line: int
    id: Any
    outcome: str
    reasons: tuple[str, ...]


@dataclass
class MigrationReport:
    """What a migration did, with counts (records, and label occurrences by task)."""

    delivery: str
    output: str | None
    guideline: str
    from_version: str
    to_version: str
    records: int = 0
    unchanged: int = 0
    rewritten: int = 0
    reannotate: int = 0
    stamped: int = 0
    invalid: int = 0
    valid: int = 0
    already_current: int = 0
    other_version: int = 0
    unreadable: int = 0
    blank: int = 0
    rewrites: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict)
    needs: dict[str, Counter[str]] = field(default_factory=dict)
    why: dict[tuple[str, str], str] = field(default_factory=dict)
    missing_tasks: Counter[str] = field(default_factory=Counter)
    removed_tasks: Counter[str] = field(default_factory=Counter)
    unknown_labels: dict[str, Counter[str]] = field(default_factory=dict)
    versions: Counter[str] = field(default_factory=Counter)
    problems: list[Diagnostic] = field(default_factory=list)
    more_problems: int = 0
    defaults: dict[str, Counter[str]] = field(default_factory=dict)
    outcomes: list[RecordOutcome] = field(default_factory=list)
    more_outcomes: int = 0

    @property
    def ok(self) -> bool:
        """Every line read, and every migrated record accepted by the new version."""
        return self.unreadable == 0 and self.invalid == 0

    def outcome(self, o: RecordOutcome) -> None:
        if len(self.outcomes) < MAX_RECORDS:
            self.outcomes.append(o)
        else:
            self.more_outcomes += 1

    def problem(self, d: Diagnostic) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(d)
        else:
            self.more_problems += 1


class Migrator:
    """Rewrites one record at a time; built once per (old, new) pair."""

    def __init__(
        self, old: ir.Guideline, new: ir.Guideline, diff: GuidelineDiff | None = None
    ) -> None:
        self.old, self.new = old, new
        self.diff = diff or diff_guidelines(old, new)
        self.version_key = old.delivery.metadata.guideline_version
        self.new_version_key = new.delivery.metadata.guideline_version
        self.skip_key = old.delivery.metadata.skip
        self.marker = new.delivery.metadata.needs_reannotation
        self.old_marker = old.delivery.metadata.needs_reannotation
        self.checker = RecordChecker(new)
        self.reasons: list[str] = []
        # metadata fields (and the id field) renamed between the versions: move the key
        self.moves = {
            getattr(old.delivery.metadata, k): getattr(new.delivery.metadata, k)
            for k in _METADATA
            if getattr(old.delivery.metadata, k) != getattr(new.delivery.metadata, k)
        }
        if old.delivery.id != new.delivery.id:
            self.moves[old.delivery.id] = new.delivery.id
        self.tasks = [t for t in old.tasks.values() if t.id in new.tasks]
        self.retyped = {
            t.id
            for t in self.tasks
            if new.tasks[t.id].type != t.type and (t.type, new.tasks[t.id].type) not in SAME_VALUES
        }
        self.removed = [t for t in old.tasks if t not in new.tasks]
        self.added_required = [
            t.id for t in new.tasks.values() if t.id not in old.tasks and t.required
        ]
        self.lost_skips = set(old.scope.skip_reasons) - set(new.scope.skip_reasons)
        self.fates = self.diff.fates
        self.attribute_rules = {
            t.id: _attribute_rules(t, new.tasks[t.id], self.fates.get(t.id, {})) for t in self.tasks
        }
        self.old_defaults = {
            t.id: _changed_defaults(t, new.tasks[t.id], self.fates.get(t.id, {}))
            for t in self.tasks
        }
        self.plans = {t.id: self._plan(t) for t in self.tasks}
        # tasks whose values hold labels (or changed type): the ones each record visits
        self.labelled = [t for t in self.tasks if t.has_classes or t.id in self.retyped]
        self.rare = bool(self.removed or self.added_required or self.moves)
        # tasks whose values hold each class once: labels a merge made equal become one
        self.merging = {t.id for t in self.tasks if tasktypes.of(t).migration_merges()}

    def _plan(self, task: ir.Task) -> dict[str, tuple[str, str, str]]:
        """What to do with each label ``task`` accepts (ids and aliases): ``(action, label
        to write, why)`` with action ``keep``, ``rewrite`` or ``reannotate``."""
        fates = self.fates.get(task.id, {})
        new = self.new.tasks[task.id]
        plan = {}
        for label in (*task.class_ids(), *(a for c in task.classes for a in c.aliases)):
            cid = task.resolve_label(label)
            if cid is None:
                continue
            fate = fates.get(cid, LabelFate("kept", (cid,)))
            if fate.rewritable:
                plan[label] = ("rewrite", fate.targets[0], "")
            elif fate.needs_reannotation:
                plan[label] = ("reannotate", label, _why(fate))
            elif new.resolve_label(label) is None:
                # kept, but the new version dropped this alias: write the class id
                plan[label] = ("rewrite", cid, "")
            else:
                plan[label] = ("keep", label, "")
        return plan

    # -- one record ------------------------------------------------------------------------
    def record(self, rec: dict[str, Any], report: MigrationReport) -> bool:
        """Rewrite ``rec`` in place; ``True`` when it changed. ``self.reasons`` says why a
        record is marked for re-annotation."""
        self.reasons = []
        marks: set[str] = set()
        changed = False
        if self.old_marker != self.marker and self.old_marker in rec:
            rec[self.marker] = rec.pop(self.old_marker)
            changed = True
        skip = rec.get(self.skip_key)
        skipped = skip not in (None, "", False)
        if skipped and skip in self.lost_skips:
            marks.add(self.skip_key)
            report.needs.setdefault(self.skip_key, Counter())[str(skip)] += 1
            report.why[(self.skip_key, str(skip))] = "skip reason removed"
            self.reasons.append(f"skip reason '{skip}' removed")
        for task in self.labelled:
            value = rec.get(task.id)
            if value is None:
                continue
            if task.id in self.retyped:
                marks.add(task.id)
                why = f"task type changed to {self.new.tasks[task.id].type}"
                report.needs.setdefault(task.id, Counter())["(any value)"] += 1
                report.why[(task.id, "(any value)")] = why
                self.reasons.append(f"{task.id}: {why}")
                continue
            value, did, needs = self.value(task, value, report)
            if did:
                rec[task.id] = value
                changed = True
            if needs:
                marks.add(task.id)
        if self.rare:
            changed |= self.record_rare(rec, skipped, marks, report)
        if marks:
            existing = rec.get(self.marker)
            prior = set(existing) if isinstance(existing, list) else set()
            rec[self.marker] = sorted(prior | marks)
        return changed or bool(marks)

    def record_rare(
        self, rec: dict[str, Any], skipped: bool, marks: set[str], report: MigrationReport
    ) -> bool:
        """Tasks removed or added, fields renamed: changes most migrations do not have."""
        changed = False
        for tid in self.removed:
            if tid in rec:
                report.removed_tasks[tid] += 1
        if not skipped:
            for tid in self.added_required:
                if rec.get(tid) is None:
                    marks.add(tid)
                    report.missing_tasks[tid] += 1
                    self.reasons.append(f"{tid}: new required task")
        for before, after in self.moves.items():
            if before in rec and after not in rec:
                rec[after] = rec.pop(before)
                changed = True
        return changed

    def value(self, task: ir.Task, value: Any, report: MigrationReport) -> tuple[Any, bool, bool]:
        """``(new value, changed, needs re-annotation)`` of one task's value."""
        if isinstance(value, str):
            label, needs = self.label(task, value, report)
            return label, label != value, needs
        if not isinstance(value, list):
            return value, False, False
        out: list[Any] = []
        changed = needs = False
        merges = task.id in self.merging
        for item in value:
            if isinstance(item, str):
                label, n = self.label(task, item, report)
                needs |= n
                changed |= label != item
                if merges and label in out:
                    changed = True  # a merge made two labels one
                    continue
                out.append(label)
            elif isinstance(item, dict) and isinstance(item.get("label"), str):
                label, n = self.label(task, item["label"], report)
                needs |= n
                if label != item["label"]:
                    item = {**item, "label": label}
                    changed = True
                if not n:
                    item, filled = self.fill_defaults(task.id, label, item, report)
                    changed |= filled
                    needs |= self.attributes(task.id, label, item.get("attributes"), report)
                out.append(item)
            else:
                out.append(item)
        return out, changed, needs

    def fill_defaults(
        self, tid: str, label: str, item: dict[str, Any], report: MigrationReport
    ) -> tuple[dict[str, Any], bool]:
        """Write the old default of each attribute whose default changed into a region that
        omitted it: the label keeps the meaning it had."""
        olds = self.old_defaults[tid].get(label)
        if not olds:
            return item, False
        attrs = item.get("attributes")
        given = attrs if isinstance(attrs, dict) else {}
        missing = {k: v for k, v in olds.items() if given.get(k) is None}
        if not missing or (attrs is not None and not isinstance(attrs, dict)):
            return item, False
        for name, value in missing.items():
            report.defaults.setdefault(tid, Counter())[f"{label}.{name} = {value!r}"] += 1
        return {**item, "attributes": {**given, **missing}}, True

    def attributes(self, tid: str, label: str, attrs: Any, report: MigrationReport) -> bool:
        """Whether a region's attributes miss one the new version requires, or hold a value
        it no longer allows."""
        rules = self.attribute_rules[tid].get(label)
        if not rules:
            return False
        given = attrs if isinstance(attrs, dict) else {}
        for name, (required, allowed) in rules.items():
            value = given.get(name)
            if value is None and required:
                why = f"attribute `{name}` is now required"
            elif value is not None and allowed is not None and value not in allowed:
                why = f"attribute `{name}` no longer allows {value!r}"
            else:
                continue
            key = f"{label} ({name})"
            report.needs.setdefault(tid, Counter())[key] += 1
            report.why[(tid, key)] = why
            self.reasons.append(f"{tid}: {label}: {why}")
            return True
        return False

    def label(self, task: ir.Task, label: str, report: MigrationReport) -> tuple[str, bool]:
        """``(label to write, needs re-annotation)``."""
        step = self.plans[task.id].get(label)
        if step is None:
            report.unknown_labels.setdefault(task.id, Counter())[label] += 1
            return label, False
        action, target, why = step
        if action == "keep":
            return label, False
        if action == "rewrite":
            report.rewrites.setdefault(task.id, Counter())[(label, target)] += 1
            return target, False
        report.needs.setdefault(task.id, Counter())[label] += 1
        report.why[(task.id, label)] = why
        self.reasons.append(f"{task.id}: {label} {why}")
        return label, True


def _attribute_rules(
    old: ir.Task, new: ir.Task, fates: dict[str, LabelFate]
) -> dict[str, dict[str, tuple[bool, tuple[Any, ...] | None]]]:
    """Per new label: attributes that became required, or lost allowed values, as
    ``{name: (required now, allowed values or None)}``. Conditional attributes (``when``)
    are left to the validator."""
    out: dict[str, dict[str, tuple[bool, tuple[Any, ...] | None]]] = {}
    source = {f.targets[0]: oid for oid, f in fates.items() if f.rewritable}
    for cls in new.classes:
        was_id = cls.id if cls.id in old else source.get(cls.id)
        before = old.attributes_for(was_id) if was_id is not None else {}
        rules = {}
        for name, attr in new.attributes_for(cls.id).items():
            if attr.when is not None:
                continue
            was = before.get(name)
            required = attr.required and attr.default is None
            newly_required = required and not (was and was.required and was.default is None)
            narrowed = (
                attr.type == "enum"
                and was is not None
                and was.type == "enum"
                and any(v not in attr.values for v in was.values)
            )
            if newly_required or narrowed:
                rules[name] = (newly_required, tuple(attr.values) if narrowed else None)
        if rules:
            out[cls.id] = rules
    return out


def _changed_defaults(
    old: ir.Task, new: ir.Task, fates: dict[str, LabelFate]
) -> dict[str, dict[str, Any]]:
    """Per new label: ``{attribute: old default}`` of attributes whose default changed (or
    was removed), so a label that omitted one can say what it meant."""
    out: dict[str, dict[str, Any]] = {}
    source = {f.targets[0]: oid for oid, f in fates.items() if f.rewritable}
    for cls in new.classes:
        was_id = cls.id if cls.id in old else source.get(cls.id)
        if was_id is None:
            continue
        before = old.attributes_for(was_id)
        olds = {
            name: before[name].default
            for name, attr in new.attributes_for(cls.id).items()
            if name in before
            and before[name].default is not None
            and attr.default != before[name].default
        }
        if olds:
            out[cls.id] = olds
    return out


def _why(fate: LabelFate) -> str:
    if fate.kind == "split":
        return f"split into {', '.join(fate.targets)}"
    if fate.kind == "retired":
        return "deprecated without replacement"
    return "removed"


def migrate_file(
    delivery: Path,
    old: ir.Guideline,
    new: ir.Guideline,
    *,
    output: Path | None,
    stamp_all: bool = False,
    display: str | None = None,
    records: Iterable[RawRecord] | None = None,
) -> MigrationReport:
    """Migrate a JSON Lines delivery into ``output`` (``None``: count only, write nothing).

    Records that migrate cleanly get the new ``guideline_version``; ``stamp_all`` also sets
    it on records that the new version still rejects (by default they keep their old stamp,
    so a validator names the version they were made under). Writing goes through a temporary file in the
    output's folder, so a failed run leaves no half-written file behind.

    ``records`` are the delivery's records read by another reader (a labelling tool's
    export, CSV or Parquet): they are migrated the same way and written as JSON Lines, each
    finding located in the original file.
    """
    name = display or delivery.name
    if records is not None:
        return _migrate_records(records, old, new, output, stamp_all, name)
    if old.delivery.format != "jsonl":
        raise GuidekitError(
            diag(
                "GK712",
                f"the guideline's deliveries are {old.delivery.format}; migrate reads JSON Lines",
                Location(name),
            )
        )
    migrator = Migrator(old, new)
    report = MigrationReport(
        name, str(output) if output else None, new.id, old.version, new.version
    )
    try:
        source = delivery.open("rb")
    except OSError as exc:
        raise GuidekitError(
            diag("GK001", f"cannot read '{name}': {exc.strerror}", Location(name))
        ) from None
    try:
        with contextlib.ExitStack() as stack:
            # the migrated file replaces ``output`` atomically and keeps its mode, also
            # when it is the delivery itself (read from the open file until the end)
            sink = stack.enter_context(outputs.atomic_open(output)) if output else None
            for number, line in enumerate(source, start=1):
                out = _line(migrator, line, number, report, stamp_all, name)
                if sink is not None:
                    sink.write(out)
    finally:
        source.close()
    return report


def _migrate_records(
    records: Iterable[RawRecord],
    old: ir.Guideline,
    new: ir.Guideline,
    output: Path | None,
    stamp_all: bool,
    name: str,
) -> MigrationReport:
    migrator = Migrator(old, new)
    report = MigrationReport(
        name, str(output) if output else None, new.id, old.version, new.version
    )
    with contextlib.ExitStack() as stack:
        sink = stack.enter_context(outputs.atomic_open(output)) if output else None
        for rec in records:
            if rec.data is None:
                report.records += 1
                report.unreadable += 1
                if rec.error is not None:
                    report.problem(rec.error)
                continue
            line = orjson.dumps(rec.data) + b"\n"
            out = _line(migrator, line, rec.line, report, stamp_all, rec.file)
            if sink is not None:
                sink.write(out)
    return report


def _line(
    m: Migrator, line: bytes, number: int, report: MigrationReport, stamp_all: bool, name: str
) -> bytes:
    body = line.rstrip(b"\r\n")
    end = line[len(body) :]
    if not body.strip():
        report.blank += 1
        return line
    report.records += 1
    try:
        rec = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        rec = exc
    if not isinstance(rec, dict):
        report.unreadable += 1
        what = "not valid JSON" if isinstance(rec, Exception) else "not a JSON object"
        report.problem(
            diag("GK710", f"line {number} is {what}; copied unchanged", Location(name, number))
        )
        return line
    version = rec.get(m.version_key)
    if version is not None:
        report.versions[str(version)] += 1
    if version == m.new.version:
        report.already_current += 1
        return line
    if version is not None and version != m.old.version:
        report.other_version += 1
        report.problem(
            diag(
                "GK711",
                f"record made under version {version}, not {m.old.version}; copied unchanged",
                Location(name, number, pointer=f"/{m.version_key}"),
                hint=f"migrate it from {version} first",
            )
        )
        return line
    changed = m.record(rec, report)
    rid = rec.get(m.new.delivery.id, rec.get(m.old.delivery.id))
    stamped = {**rec, m.new_version_key: m.new.version}  # a renamed field was moved already
    if m.marker in rec:
        report.reannotate += 1
        report.outcome(RecordOutcome(number, rid, "reannotate", tuple(m.reasons) or ("marked",)))
        return orjson.dumps(stamped) + (end or b"")
    found, _ = m.checker.check(stamped, name, number)
    errors = [d for d in found if d.severity is Severity.ERROR]
    if errors:
        report.invalid += 1
        findings = tuple(f"{d.code} {d.message}" for d in errors)
        report.outcome(RecordOutcome(number, rid, "invalid", findings))
        if not changed and not stamp_all:
            return line
        return orjson.dumps(stamped) + (end or b"")
    if changed:
        report.rewritten += 1
    else:
        report.valid += 1
        if rec.get(m.version_key) == m.new.version:
            return line
    return orjson.dumps(stamped) + (end or b"")
