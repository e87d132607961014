"""The intermediate representation: one frozen, normalised guideline.

Everything downstream of the compiler -- generators, the delivery validator, diffs, quality
metrics -- reads these objects and nothing else. They are normalised: shorthands are
expanded, includes are gone, defaults are filled in, hierarchies are indexed, every example
carries its effective sensitivity and its annotation in canonical form. Each object keeps
``loc`` (a :class:`~guidekit.diagnostics.model.Location`) so later stages can point back at the
YAML without reading it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from guidekit.diagnostics.model import Location
from guidekit.spec.format import (
    Agreement,
    Audit,
    Brief,
    ChangeNote,
    Cond,
    Coordinates,
    Distribution,
    EdgeCaseScore,
    Gold,
    Lint,
    Metadata,
    MinSize,
    Owner,
    Skeleton,
    Unresolved,
)
from guidekit.spec.format import Field_ as InputField

if TYPE_CHECKING:
    from guidekit.tasktypes.base import TaskType

__all__ = [
    "Acceptance",
    "Agreement",
    "Attribute",
    "AttributeCondition",
    "Audience",
    "Audit",
    "Brief",
    "ChangeNote",
    "Class",
    "Cond",
    "Coordinates",
    "Delivery",
    "Distribution",
    "EdgeCaseScore",
    "EvalItem",
    "Evaluation",
    "Example",
    "Gold",
    "Governance",
    "Guideline",
    "InputField",
    "Lint",
    "Metadata",
    "MinSize",
    "Owner",
    "Record",
    "Rule",
    "Scope",
    "Skeleton",
    "Task",
    "Unresolved",
]

ExampleKind = Literal["example", "negative", "edge_case", "out_of_scope"]


@dataclass(frozen=True, slots=True)
class AttributeCondition:
    """An attribute applies when ``attribute`` has one of ``values``, and/or the class is one of
    ``classes`` (or a descendant of one)."""

    attribute: str | None = None
    values: tuple[Any, ...] | None = None
    classes: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    type: Literal["enum", "boolean", "integer", "number", "text"]
    description: str | None = None
    values: tuple[Any, ...] = ()
    value_descriptions: Mapping[str, str] = field(default_factory=dict)
    required: bool = False
    default: Any = None
    min: float | None = None
    max: float | None = None
    when: AttributeCondition | None = None
    loc: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Example:
    """An example, negative example, edge case or out-of-scope example.

    ``record`` holds the record's input fields. ``annotation`` is the canonical value of the
    example's own task (``None`` for out-of-scope examples and undecided edge cases);
    ``annotations`` maps other task ids to canonical values. For negatives ``label`` is the
    right label; for edge cases ``decision`` is the decided label.
    """

    kind: ExampleKind
    task: str | None
    class_id: str | None
    record: Mapping[str, Any]
    annotation: Any = None
    annotations: Mapping[str, Any] = field(default_factory=dict)
    id: str | None = None
    note: str | None = None
    label: Any = None
    why: str | None = None
    decision: Any = None
    rationale: str | None = None
    since: str | None = None
    question: str | None = None
    impact: str | None = None
    skip: str | None = None
    tags: tuple[str, ...] = ()
    sensitivity: str = "public"
    loc: Location | None = field(default=None, compare=False)

    @property
    def decided(self) -> bool:
        return self.kind != "edge_case" or self.decision is not None


@dataclass(frozen=True, slots=True)
class Class:
    id: str
    name: str
    definition: str | None = None
    includes: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    #: the classes this one sits under (several in a polyhierarchy), in the order written
    parents: tuple[str, ...] = ()
    children: tuple[str, ...] = ()
    depth: int = 0
    #: classes this one is a part of (`part_of`): documentation, no meaning for validation
    part_of: tuple[str, ...] = ()
    attributes: Mapping[str, Attribute] = field(default_factory=dict)
    examples: tuple[Example, ...] = ()
    negatives: tuple[Example, ...] = ()
    edge_cases: tuple[Example, ...] = ()
    escalate: str | None = None
    aliases: tuple[str, ...] = ()
    deprecated: bool = False
    deprecation_note: str | None = None
    replaced_by: tuple[str, ...] = ()
    sensitivity: str = "public"
    color: str | None = None
    min_size: MinSize | None = None
    skeleton: Skeleton | None = None
    from_: tuple[str, ...] | None = None
    to: tuple[str, ...] | None = None
    hotkey: str | None = None
    changes: tuple[ChangeNote, ...] = ()
    index: int = 0
    loc: Location | None = field(default=None, compare=False)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def parent(self) -> str | None:
        """The first parent (the only one outside a polyhierarchy), or ``None``."""
        return self.parents[0] if self.parents else None


@dataclass(frozen=True)
class Task:
    id: str
    #: a registered task type's name (:mod:`guidekit.tasktypes`)
    type: str
    classes: tuple[Class, ...] = ()
    title: str | None = None
    question: str | None = None
    description: str | None = None
    required: bool = True
    over: str | None = None
    leaf_only: bool = True
    min_labels: int | None = None
    max_labels: int | None = None
    overlap: Literal["allow", "forbid", "nested"] = "allow"
    coordinates: Coordinates = field(default_factory=Coordinates)
    skeleton: Skeleton | None = None
    directed: bool = True
    min: float | None = None
    max: float | None = None
    integer: bool = False
    unit: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    allow_empty: bool = True
    attributes: Mapping[str, Attribute] = field(default_factory=dict)
    edge_cases: tuple[Example, ...] = ()
    sensitivity: str = "public"
    changes: tuple[ChangeNote, ...] = ()
    loc: Location | None = field(default=None, compare=False)
    _by_id: dict[str, Class] = field(default_factory=dict, init=False, repr=False, compare=False)
    _by_label: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _attrs_of: dict[str, dict[str, Attribute]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _task_type: TaskType | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {c.id: c for c in self.classes}
        by_label: dict[str, str] = {}
        for c in self.classes:
            for alias in c.aliases:
                by_label.setdefault(unicodedata.normalize("NFC", alias), c.id)
        for c in self.classes:
            by_label[c.id] = c.id
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_by_label", by_label)

    # -- kinds -----------------------------------------------------------------------------
    @property
    def task_type(self) -> TaskType:
        """The registered type of this task, looked up once (``KeyError`` when unknown)."""
        found = self._task_type
        if found is None:
            # imported here: tasktypes sits above the IR and imports it
            from guidekit import tasktypes

            found = tasktypes.get(self.type)
            object.__setattr__(self, "_task_type", found)
        return found

    @property
    def is_classification(self) -> bool:
        return self.task_type.classification

    @property
    def is_region(self) -> bool:
        return self.task_type.region

    @property
    def has_classes(self) -> bool:
        return self.task_type.has_classes

    @property
    def name(self) -> str:
        return self.title or self.id

    # -- classes ---------------------------------------------------------------------------
    def __contains__(self, class_id: object) -> bool:
        return class_id in self._by_id

    def get(self, class_id: str) -> Class | None:
        return self._by_id.get(class_id)

    def __getitem__(self, class_id: str) -> Class:
        return self._by_id[class_id]

    def class_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.classes)

    def resolve_label(self, label: str) -> str | None:
        """The class id a label (an id or an alias) stands for, or ``None``. A label matches in
        any Unicode normalisation form: ids are NFC (the compiler normalises them), and a
        non-ASCII label that does not match as given is matched in NFC."""
        found = self._by_label.get(label)
        if found is None and isinstance(label, str) and not label.isascii():
            found = self._by_label.get(unicodedata.normalize("NFC", label))
        return found

    def ancestors(self, class_id: str) -> tuple[str, ...]:
        """Every class above a class, each once, nearest first (breadth first over all its
        parents: parents, then grandparents, ...)."""
        out: list[str] = []
        seen = {class_id}
        level = [class_id]
        while level:
            nxt: list[str] = []
            for cid in level:
                cls = self._by_id.get(cid)
                for p in cls.parents if cls is not None else ():
                    if p not in seen:
                        seen.add(p)
                        out.append(p)
                        nxt.append(p)
            level = nxt
        return tuple(out)

    def descendants(self, class_id: str) -> tuple[str, ...]:
        """Every class below a class, each once (depth first, in the order written)."""
        out: list[str] = []
        seen = {class_id}
        stack = list(reversed(self._by_id[class_id].children)) if class_id in self._by_id else []
        while stack:
            cid = stack.pop()
            if cid in seen:
                continue
            seen.add(cid)
            out.append(cid)
            stack.extend(reversed(self._by_id[cid].children))
        return tuple(out)

    def is_a(self, class_id: str, other: str) -> bool:
        """``class_id`` is ``other`` or a descendant of it."""
        return class_id == other or other in self.ancestors(class_id)

    def roots(self) -> tuple[Class, ...]:
        return tuple(c for c in self.classes if not c.parents)

    def leaves(self) -> tuple[Class, ...]:
        return tuple(c for c in self.classes if c.is_leaf)

    def labels(self) -> tuple[str, ...]:
        """Class ids a delivery may use: leaves when ``leaf_only``, all classes otherwise;
        deprecated classes included (the validator flags them)."""
        if self.task_type.leaf_labels_only(self):
            return tuple(c.id for c in self.classes if c.is_leaf)
        return self.class_ids()

    def attributes_for(self, class_id: str) -> dict[str, Attribute]:
        """Attributes that apply to a class: the task's, its ancestors', then its own."""
        known = self._attrs_of.get(class_id)
        if known is None:
            known = dict(self.attributes)
            for cid in (*reversed(self.ancestors(class_id)), class_id):
                cls = self._by_id.get(cid)
                if cls is not None:
                    known.update(cls.attributes)
            if class_id in self._by_id:  # memoised per class (the task is immutable)
                self._attrs_of[class_id] = known
        return dict(known)

    def ordinal_rank(self, class_id: str) -> int | None:
        cls = self._by_id.get(class_id)
        return None if cls is None else cls.index

    def skeleton_for(self, class_id: str) -> Skeleton | None:
        cls = self._by_id.get(class_id)
        return (cls.skeleton if cls is not None and cls.skeleton else None) or self.skeleton

    def examples(self) -> Iterator[Example]:
        """Every example, negative and edge case of the task, in document order."""
        for c in self.classes:
            yield from c.examples
            yield from c.negatives
            yield from c.edge_cases
        yield from self.edge_cases

    def all_edge_cases(self) -> Iterator[Example]:
        for c in self.classes:
            yield from c.edge_cases
        yield from self.edge_cases


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    fields: Mapping[str, InputField]
    changes: tuple[ChangeNote, ...] = ()
    loc: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    when: Cond
    then: Cond
    severity: Literal["error", "warning", "info"]
    message: str
    description: str | None = None
    changes: tuple[ChangeNote, ...] = ()
    loc: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Acceptance:
    agreement: tuple[Agreement, ...] = ()
    audit: tuple[Audit, ...] = ()
    gold: tuple[Gold, ...] = ()
    distribution: tuple[Distribution, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()
    errors: Mapping[str, float] = field(default_factory=dict)
    edge_cases: tuple[EdgeCaseScore, ...] = ()
    changes: tuple[ChangeNote, ...] = ()
    loc: Location | None = field(default=None, compare=False)

    def is_empty(self) -> bool:
        return not (
            self.edge_cases
            or self.agreement
            or self.audit
            or self.gold
            or self.distribution
            or self.unresolved
            or self.errors
        )


@dataclass(frozen=True, slots=True)
class Audience:
    name: str
    clearance: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Governance:
    levels: tuple[str, ...] = ("public",)
    default: str = "public"
    audiences: Mapping[str, Audience] = field(default_factory=dict)
    retention: str | None = None
    retention_by_level: Mapping[str, str] = field(default_factory=dict)
    store_text: bool = False
    pseudonymise: bool = False
    owners: tuple[str, ...] = ()
    escalation: str | None = None
    review: str | None = None
    changes: tuple[ChangeNote, ...] = ()
    loc: Location | None = field(default=None, compare=False)

    def rank(self, level: str) -> int:
        """Position of a level (0 = lowest). Unknown levels rank highest (never shown)."""
        try:
            return self.levels.index(level)
        except ValueError:
            return len(self.levels)

    def visible(self, level: str, audience: str | None) -> bool:
        """Whether ``audience`` may see something at ``level`` (no audience: everything)."""
        if audience is None:
            return True
        aud = self.audiences.get(audience)
        if aud is None:
            return False
        return self.rank(level) <= self.rank(aud.clearance)

    @property
    def highest(self) -> str:
        return self.levels[-1]


@dataclass(frozen=True, slots=True)
class Scope:
    description: str | None = None
    skip_reasons: Mapping[str, str] = field(default_factory=dict)
    out_of_scope_examples: tuple[Example, ...] = ()
    changes: tuple[ChangeNote, ...] = ()
    loc: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Delivery:
    format: Literal["jsonl", "csv", "parquet"] = "jsonl"
    id: str = "id"
    include_inputs: bool = False
    unknown_fields: Literal["forbid", "warn", "allow"] = "forbid"
    metadata: Metadata = field(default_factory=Metadata)
    required_metadata: tuple[str, ...] = ()
    statuses: tuple[str, ...] | None = None
    image_size: Literal["required", "optional"] = "required"
    changes: tuple[ChangeNote, ...] = ()
    loc: Location | None = field(default=None, compare=False)


EvalSource = Literal["item", "example", "negative", "edge_case", "unresolved"]


@dataclass(frozen=True, slots=True)
class EvalItem:
    """One evaluation item: a record, its correct labels and the tags it exercises.

    ``labels`` maps task ids to canonical values. ``source`` says where it came from: written
    as an item, taken from an example, negative or edge case (by ``from`` or ``ref``), or
    ``unresolved`` when ``ref`` names nothing (the checks report it).
    """

    id: str
    record: Mapping[str, Any]
    labels: Mapping[str, Any] = field(default_factory=dict)
    edge_cases: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    negatives: tuple[str, ...] = ()
    split: str | None = None
    holdout: bool = False
    source: EvalSource = "item"
    ref: str | None = None
    note: str | None = None
    sensitivity: str = "public"
    loc: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Qualification:
    """The pass mark of the qualification quiz: the share of answers entirely right, and a
    score per task id (accuracy, or the task's own F1 against the key for regions)."""

    min_accuracy: float | None = None
    per_task: Mapping[str, float] = field(default_factory=dict)
    loc: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The evaluation set. ``sensitivity`` is the level of every item."""

    items: tuple[EvalItem, ...] = ()
    min_per_edge_case: int = 0
    sensitivity: str = "public"
    qualification: Qualification | None = None
    loc: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Guideline:
    """A compiled guideline. Build one with :func:`guidekit.load`."""

    format_version: int
    id: str
    title: str
    version: str
    brief: Brief
    record: Record
    tasks: Mapping[str, Task]
    status: str = "draft"
    owners: tuple[Owner, ...] = ()
    description: str | None = None
    rules: tuple[Rule, ...] = ()
    acceptance: Acceptance = field(default_factory=Acceptance)
    splits: tuple[str, ...] = ()
    governance: Governance = field(default_factory=Governance)
    scope: Scope = field(default_factory=Scope)
    delivery: Delivery = field(default_factory=Delivery)
    glossary: Mapping[str, str] = field(default_factory=dict)
    lint: Lint = field(default_factory=Lint)
    links: Mapping[str, str] = field(default_factory=dict)
    evaluation: Evaluation = field(default_factory=Evaluation)
    changes: tuple[ChangeNote, ...] = ()
    changes_loc: Location | None = field(default=None, compare=False)
    root: Path | None = field(default=None, compare=False)
    files: tuple[str, ...] = field(default=(), compare=False)

    def task(self, task_id: str) -> Task:
        return self.tasks[task_id]

    def examples(self) -> Iterator[Example]:
        """Every example, negative, edge case and out-of-scope example, in document order."""
        for task in self.tasks.values():
            yield from task.examples()
        yield from self.scope.out_of_scope_examples

    def edge_cases(self) -> Iterator[Example]:
        for task in self.tasks.values():
            yield from task.all_edge_cases()

    def visible(self, level: str, audience: str | None) -> bool:
        return self.governance.visible(level, audience)
