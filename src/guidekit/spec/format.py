"""The guideline format v1, as written in YAML.

These pydantic models are the single source of the format's structure: structural checking
validates the resolved YAML against them, and the meta-schema ``spec/guideline.schema.json``
(what editors use for completion) is generated from them. Shorthands the format allows (a class
written as a bare id, one acceptance criterion instead of a list, ...) are accepted here and
normalised when the validated model is lowered to the IR (:mod:`guidekit.compiler.lower`).

Every field's ``description`` is user documentation: it appears in the meta-schema, in
editor tooltips and in the key reference of ``spec/format.md``.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any, Literal, TypeAlias, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    StrictStr,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

FORMAT_VERSIONS = (1,)

Id = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_.\-]*$",
        max_length=128,
        description="An identifier: a letter, then letters, digits, `_`, `-` or `.`.",
    ),
]
#: a class id: any script's letters and digits (NFC), so `é`, `日`, `150` are ids; see ClassId
CLASS_ID_PATTERN = r"^[^\W_][\w.\-]*$"


def _class_id(value: Any) -> Any:
    """A class id or a reference to one, as written: NFC-normalised (an id typed in NFD is the
    same id), and an unquoted integer (`150`, which YAML reads as a number) read as its decimal
    text. Anything else is left for the type check to refuse."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


_CLASS_ID_DOC = (
    "A class id: a letter or digit of any script, then letters, digits, `_`, `-` or `.` "
    "(`pedestrian`, `café`, `日本`, `150`); NFC-normalised when read. An unquoted number is "
    "read as its decimal text (quote ids with leading zeros: YAML reads `0150` as octal)."
)
ClassId = Annotated[
    str,
    BeforeValidator(_class_id),
    Field(pattern=CLASS_ID_PATTERN, max_length=128),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": CLASS_ID_PATTERN, "maxLength": 128},
                {"type": "integer", "minimum": 0},
            ],
            "description": _CLASS_ID_DOC,
        }
    ),
]
ClassRef = Annotated[
    str,
    BeforeValidator(_class_id),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
]
#: the error type of a class that gives both `parent` and `parents`
PARENT_AND_PARENTS = "parent_and_parents"
SemVer = Annotated[
    str,
    Field(description="A semantic version, `MAJOR.MINOR.PATCH` (e.g. `2.3.0`)."),
]
Text = Annotated[str, Field(description="Markdown text.")]
Severity = Literal["error", "warning", "info"]
#: the key of the validation context that lists the registered task types' names
TASK_TYPES_CONTEXT = "task_types"


def _alternatives(names: tuple[str, ...]) -> str:
    quoted = [repr(n) for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _registered_task_type(value: Any, info: ValidationInfo) -> Any:
    """A task's ``type`` names a registered task type.

    The format itself knows no type names (they live in :mod:`guidekit.tasktypes`): the
    compiler passes them in the validation context, ``{TASK_TYPES_CONTEXT: names}``, and an
    unknown name fails as an unknown literal would. Without that context any text passes.
    """
    context = info.context if isinstance(info.context, dict) else {}
    names = context.get(TASK_TYPES_CONTEXT)
    if names is not None and (not isinstance(value, str) or value not in names):
        raise PydanticCustomError(
            "literal_error", "Input should be {expected}", {"expected": _alternatives(tuple(names))}
        )
    return value


class _RegisteredTaskType:
    """Marks :data:`TaskTypeName` for the reference generators, which list the registered
    names where the format has none."""


REGISTERED_TASK_TYPE = _RegisteredTaskType()
TaskTypeName = Annotated[str, BeforeValidator(_registered_task_type), REGISTERED_TASK_TYPE]


def _shape(value: Any) -> str:
    if isinstance(value, dict) and set(value) == {"include"}:
        return "include"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return "scalar"


def _value_or_include(value: Any) -> str:
    """The tag of a value that may be written as an ``{include: file}`` mapping instead
    (includes are resolved before validation)."""
    return "~include" if _shape(value) == "include" else "~value"


def _one_or_list(value: Any) -> str:
    """The tag of a value that may be one item or a list of them."""
    return "~list" if isinstance(value, list) else "~one"


def _mapping_or_scalar(value: Any) -> str:
    """The tag of a value that may be a mapping or a scalar shorthand."""
    return "~mapping" if isinstance(value, dict) else "~scalar"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Include(_Model):
    """Replaced by the content of another file of the project."""

    include: str = Field(description="Path of a YAML file, relative to the including file.")


# -- manifest ----------------------------------------------------------------------------------


class Owner(_Model):
    """A person or team that maintains the guideline."""

    name: str = Field(description="Person or team.")
    email: str | None = Field(None, description="Contact address.")
    role: str | None = Field(None, description="e.g. `maintainer`, `domain expert`, `ML lead`.")


class Brief(_Model):
    """The data brief: why these labels exist and how they will be used."""

    objective: Text = Field(description="What the labelled data is for.")
    decision: Text | None = Field(
        None, description="The decision the model trained on these labels makes."
    )
    source_data: Text | None = Field(
        None, description="Where the items come from: language, modality, selection."
    )
    label_use: Text | None = Field(
        None, description="How the labels are used (training, evaluation, monitoring, ...)."
    )
    privacy: Text | None = Field(
        None, description="What personal data the items may hold and how it is handled."
    )
    notes: Text | None = Field(None, description="Anything else annotators should know first.")


# -- the record the annotator sees ---------------------------------------------------------------


class Field_(_Model):
    """One input field of the record the annotator sees."""

    type: Literal[
        "text",
        "image",
        "video",
        "string",
        "integer",
        "number",
        "boolean",
        "category",
        "url",
        "datetime",
    ] = Field(
        description="`text` is prose that spans point into; `image` is a picture (path or URL) "
        "that regions are drawn on; `video` is a clip (path, or `{path, frames, width, height}`) "
        "that tracks are drawn on; the others are plain values shown for context."
    )
    description: Text | None = Field(None, description="What the field holds.")
    required: bool = Field(True, description="Whether every record has this field.")
    width: int | None = Field(
        None, gt=0, description="Image width in pixels, when every image has the same size."
    )
    height: int | None = Field(
        None, gt=0, description="Image height in pixels, when every image has the same size."
    )
    values: list[str] | None = Field(None, description="Allowed values of a `category` field.")
    language: str | None = Field(None, description="Language of a text field (BCP 47), e.g. `en`.")


class ChangeNote(_Model):
    """A change declared by its author for reviewers and the handbook: on a class, a task, a
    rule, a section (record, acceptance, governance, scope, delivery) or the guideline itself."""

    version: SemVer = Field(description="Guideline version that makes the change.")
    impact: Literal["major", "minor", "patch"] | None = Field(
        None,
        description="Declared effect on existing labels. `guidekit diff` applies it to the "
        "changes it finds in what carries the note when it cannot judge them itself (a definition "
        "rewritten to mean something else, an exclude that only clarifies).",
    )
    note: Text = Field(description="What changed and what annotators should do differently.")


class Record(_Model):
    """What the annotator sees: an id field and typed input fields."""

    id: str = Field("id", description="Name of the field holding the item's unique id.")
    fields: dict[str, Field_] = Field(description="Input fields by name.")
    changes: list[ChangeNote] = Field(
        default_factory=list,
        description="Declared changes of the record and its input fields, one per guideline version (see `guidekit diff`).",
    )


# -- attributes, examples, edge cases ------------------------------------------------------------


class Condition(_Model):
    """When an attribute applies: another attribute's value, or the region's class."""

    attribute: str | None = Field(None, description="Name of another attribute of the same class.")
    is_: Any = Field(None, alias="is", description="The other attribute must equal this value.")
    in_: list[Any] | None = Field(
        None, alias="in", description="The other attribute must be one of these values."
    )
    class_: StrOrList | None = Field(
        None,
        alias="class",
        description="The region's class must be this class (or one of these, or a descendant).",
    )


class Attribute(_Model):
    """A property annotated on a label or region, e.g. `occluded` or `severity`."""

    type: Literal["enum", "boolean", "integer", "number", "text"] = Field(description="Value type.")
    description: Text | None = Field(
        None, description="What the attribute means and how to decide it."
    )
    values: list[StrictStr | StrictInt] | None = Field(
        None,
        description="Allowed values of an `enum` attribute, in order. Quote `yes`, `no`, `on` and `off`: YAML reads them as booleans.",
    )
    value_descriptions: dict[str, Text] | None = Field(
        None, description="Optional meaning of each enum value."
    )
    required: bool = Field(
        False, description="Whether a value must be given (when the attribute applies)."
    )
    default: Any = Field(None, description="Value assumed when none is given.")
    min: float | None = Field(None, description="Smallest allowed value (integer, number).")
    max: float | None = Field(None, description="Largest allowed value (integer, number).")
    when: Condition | None = Field(None, description="The attribute applies only when this holds.")


class Example(_Model):
    """A record that illustrates a class.

    Record fields are written either inline (``body: I was charged twice``) or under
    ``record:``. ``annotation`` is the value of this example's task; where it is left out it is
    the class itself (for classification tasks). ``annotations`` gives values of other tasks
    the example needs (a rule may depend on them).
    """

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    id: Id | None = Field(None, description="Optional stable id of the example.")
    record: dict[str, Any] | None = Field(
        None, description="Record fields, when not written inline."
    )
    annotation: Any = Field(None, description="This task's annotation of the record.")
    annotations: dict[str, Any] | None = Field(
        None, description="Annotations of other tasks, by task id."
    )
    note: Text | None = Field(None, description="What the example shows.")
    sensitivity: str | None = Field(
        None, description="Sensitivity level of this example (see `governance`)."
    )
    tags: list[str] | None = Field(None, description="Free tags, e.g. `sarcasm`, `low-light`.")


class Negative(Example):
    """A record that is *not* this class, with the label it should get and why."""

    label: Any = Field(
        description="The right label: a class id of the same task, a list of class ids "
        "(multi), or `null` when no class of the task applies (`none` is a class id like any "
        "other)."
    )
    why: Text = Field(description="Why it is not this class.")


class EdgeCase(Example):
    """A hard case with its decision. Ids are stable: never reuse one."""

    id: Id = Field(description="Stable id, e.g. `EC-012`.")
    decision: Any = Field(
        None, description="The class it gets (or list of classes); leave empty while undecided."
    )
    rationale: Text | None = Field(None, description="Why this decision.")
    since: SemVer | None = Field(
        None, description="Guideline version that introduced the decision."
    )
    question: Text | None = Field(
        None, description="The question that was asked, when it came from an annotator."
    )
    impact: Literal["major", "minor", "patch"] | None = Field(
        None, description="Declared effect on existing labels, for `guidekit diff`."
    )


class OutOfScopeExample(Example):
    """An item that must not be labelled at all."""

    skip: str = Field(description="The skip reason (a key of `scope.skip_reasons`).")
    why: Text | None = Field(None, description="Why it is out of scope.")


# -- classes --------------------------------------------------------------------------------------


class MinSize(_Model):
    """Smallest box a class may have, in pixels (normalised boxes are scaled by the image size)."""

    width: float = Field(0, ge=0, description="Minimum width, in the task's units.")
    height: float = Field(0, ge=0, description="Minimum height, in the task's units.")


class Skeleton(_Model):
    """Named keypoints and the edges drawn between them."""

    points: list[Id] = Field(min_length=1, description="Keypoint names, in order.")
    edges: list[tuple[str, str]] = Field(
        default_factory=list, description="Pairs of keypoint names joined by a line."
    )


class Class(_Model):
    """A class (label) of a task."""

    model_config = ConfigDict(
        **_Model.model_config, json_schema_extra={"not": {"required": ["parent", "parents"]}}
    )

    id: ClassId = Field(
        description="The label as it appears in deliveries. Never rename: deprecate and add `replaced_by`."
    )
    name: str | None = Field(None, description="Human-readable name (defaults to the id).")
    definition: Text | None = Field(
        None, description="What the class means, written so annotators can apply it."
    )
    includes: list[Text] = Field(
        default_factory=list, description="Things that belong to the class (boundary, inside)."
    )
    excludes: list[Text] = Field(
        default_factory=list, description="Things that do not, ideally with `→ other_class`."
    )
    parent: ClassRef | None = Field(
        None,
        description="Id of the parent class; hierarchies may be of any depth. "
        "The one-parent spelling of `parents` (not both).",
    )
    parents: list[ClassRef] | None = Field(
        None,
        min_length=1,
        description="Ids of the parent classes of a class under more than one parent "
        "(a polyhierarchy: a directed acyclic graph).",
    )
    part_of: list[ClassRef] = Field(
        default_factory=list,
        description="Ids of classes this class is a part of (`wheel` part of `car`): shown in "
        "the handbook, no meaning for validation.",
    )
    attributes: dict[Id, Attribute] = Field(
        default_factory=dict, description="Attributes annotated with this class."
    )
    examples: Examples = Field(default_factory=list, description="Records that are this class.")
    negatives: Negatives = Field(
        default_factory=list,
        description="Records that look like it but are not, with the right label.",
    )
    edge_cases: EdgeCases = Field(
        default_factory=list, description="Hard cases and their decisions."
    )
    escalate: Text | None = Field(
        None, description="When and how to escalate instead of labelling."
    )
    aliases: list[str] = Field(
        default_factory=list,
        description="Other names for the class (old ids, tool labels, synonyms).",
    )
    deprecated: bool | str = Field(
        False, description="`true` or a note: the class is no longer to be used."
    )
    replaced_by: ClassRefOrList | None = Field(
        None, description="Class(es) that replace a deprecated class (a list means a split)."
    )
    sensitivity: str | None = Field(
        None,
        description="Sensitivity of the class's own text (definition, examples default to it).",
    )
    color: str | None = Field(
        None,
        pattern=r"^#[0-9a-fA-F]{6}$",
        description="Colour in the handbook and tool configs (`#rrggbb`); assigned from a colour-blind-safe palette when absent.",
    )
    min_size: MinSize | None = Field(
        None, description="Minimum box size for this class (bbox tasks)."
    )
    skeleton: Skeleton | None = Field(
        None, description="Keypoint skeleton of this class (keypoints tasks; overrides the task's)."
    )
    from_: list[ClassRef] | None = Field(
        None, alias="from", description="Relations: allowed classes of the source region."
    )
    to: list[ClassRef] | None = Field(
        None, description="Relations: allowed classes of the target region."
    )
    hotkey: str | None = Field(
        None, max_length=1, description="Keyboard shortcut in labelling tools."
    )
    changes: list[ChangeNote] = Field(
        default_factory=list,
        description="Declared changes of the class, one per guideline version (see `guidekit diff`).",
    )

    @model_validator(mode="after")
    def _one_parent_spelling(self) -> Class:
        if self.parent is not None and self.parents is not None:
            raise PydanticCustomError(
                PARENT_AND_PARENTS,
                "a class gives `parent` or `parents`, not both; write `parents: [{parent}, ...]`",
                {"parent": self.parent},
            )
        return self


# -- tasks ----------------------------------------------------------------------------------------


class Coordinates(_Model):
    """How region coordinates are written."""

    format: Literal["xywh", "xyxy"] = Field(
        "xywh", description="Boxes as `[x, y, width, height]` or `[x1, y1, x2, y2]`."
    )
    units: Literal["pixels", "normalized"] = Field(
        "pixels", description="Pixels, or fractions of the image size (0..1)."
    )
    origin: Literal["top-left"] = Field("top-left", description="Where `(0, 0)` is.")
    tolerance: float = Field(
        0, ge=0, description="How far (in the same units) a shape may stick out of the image."
    )


class Task(_Model):
    """Something the annotator produces for each record."""

    type: TaskTypeName = Field(description="The kind of annotation.")
    title: str | None = Field(None, description="Short human name of the task.")
    question: Text | None = Field(
        None, description="The question the annotator answers, as shown in tools."
    )
    description: Text | None = Field(None, description="Instructions for the task as a whole.")
    classes: Classes = Field(
        default_factory=list,
        description="The classes (for classification and region tasks); a bare id is a class without details.",
    )
    required: bool = Field(True, description="Whether every labelled record must carry this task.")
    over: str | None = Field(
        None,
        description="Input field the regions are drawn on (`spans`: a text field; `bbox`, `polygon`, `keypoints`: an image field), or for `relations` the task whose regions are related.",
    )
    leaf_only: bool = Field(
        True, description="Hierarchies: only classes without children may be used as labels."
    )
    min_labels: int | None = Field(None, ge=0, description="`multi`: fewest labels per record.")
    max_labels: int | None = Field(None, ge=1, description="`multi`: most labels per record.")
    overlap: Literal["allow", "forbid", "nested"] = Field(
        "allow",
        description="`spans`: whether spans may overlap (`nested` allows full containment only).",
    )
    coordinates: Coordinates = Field(
        default_factory=Coordinates,
        description="Region coordinate convention (`bbox`, `polygon`, `keypoints`).",
    )
    skeleton: Skeleton | None = Field(
        None, description="`keypoints`: the named skeleton shared by the task's classes."
    )
    directed: bool = Field(True, description="`relations`: whether a relation has a direction.")
    min: float | None = Field(None, description="`number`: smallest allowed value.")
    max: float | None = Field(None, description="`number`: largest allowed value.")
    integer: bool = Field(False, description="`number`: whether the value must be a whole number.")
    unit: str | None = Field(None, description="`number`: unit of the value, for people.")
    min_length: int | None = Field(None, ge=0, description="`text`: shortest allowed answer.")
    max_length: int | None = Field(None, ge=1, description="`text`: longest allowed answer.")
    allow_empty: bool = Field(
        True, description="Region tasks: whether a record may have no region."
    )
    attributes: dict[Id, Attribute] = Field(
        default_factory=dict, description="Attributes shared by all classes of the task."
    )
    edge_cases: EdgeCases = Field(
        default_factory=list, description="Hard cases that concern the task as a whole."
    )
    sensitivity: str | None = Field(None, description="Sensitivity level of the task's own text.")
    changes: list[ChangeNote] = Field(
        default_factory=list,
        description="Declared changes of the task as a whole, one per guideline version.",
    )


# -- rules ----------------------------------------------------------------------------------------


class Cond(_Model):
    """A condition on a record's annotations. Exactly one form per condition.

    Atoms test one task: ``{task: intent, is: refund}``; combine with ``all``, ``any``, ``not``.
    """

    all: list[Cond] | None = Field(None, description="Every condition holds.")
    any: list[Cond] | None = Field(None, description="At least one condition holds.")
    not_: Cond | None = Field(None, alias="not", description="The condition does not hold.")
    task: str | None = Field(None, description="The task tested by this atom.")
    is_: StrOrList | None = Field(
        None,
        alias="is",
        description="The task's label is this class (or one of these, or a descendant).",
    )
    has: StrOrList | None = Field(
        None, description="A multi-label or region task carries this class (every one of these)."
    )
    has_any: list[str] | None = Field(
        None, description="A multi-label or region task carries at least one of these classes."
    )
    empty: bool | None = Field(
        None, description="The task has no annotation (`true`) or has one (`false`)."
    )
    at_least: str | float | None = Field(
        None, description="Ordinal (a class) or number task: the value is at least this."
    )
    at_most: str | float | None = Field(
        None, description="Ordinal (a class) or number task: the value is at most this."
    )
    equals: str | float | bool | None = Field(
        None, description="Text, number or boolean task: the value equals this."
    )
    count: MinMax | None = Field(
        None, description="Region or multi-label task: number of labels (of `class`, if given)."
    )
    class_: str | None = Field(None, alias="class", description="Restricts `count` to one class.")
    field: str | None = Field(
        None, description="An input field of the record, tested with `is`/`equals`/`empty`."
    )


class MinMax(_Model):
    """A count range; either bound may be left out."""

    min: int | None = Field(None, ge=0, description="Smallest allowed count.")
    max: int | None = Field(None, ge=0, description="Largest allowed count.")


class Rule(_Model):
    """A declarative cross-task rule: when ``when`` holds, ``then`` must hold."""

    id: Id = Field(description="Stable id of the rule.")
    description: Text | None = Field(
        None, description="The rule in plain language for the handbook (generated when absent)."
    )
    when: Cond = Field(
        default_factory=Cond, description="Condition that triggers the rule (always, when empty)."
    )
    then: Cond = Field(description="What must hold when the rule is triggered.")
    severity: Severity = Field(
        "error", description="`error` rejects the record; `warning` and `info` are reported."
    )
    message: Text = Field(description="Message shown when the rule is broken.")
    changes: list[ChangeNote] = Field(
        default_factory=list,
        description="Declared changes of the rule, one per guideline version (see `guidekit diff`).",
    )


# -- acceptance -----------------------------------------------------------------------------------


class _Criterion(_Model):
    split: str | None = Field(
        None, description="Applies only to this split (see `splits`); all splits when absent."
    )
    note: Text | None = Field(None, description="Why this threshold, for vendors.")


class Agreement(_Criterion):
    """Inter-annotator agreement on a task (or one class of it) must reach `min`."""

    task: str = Field(description="Task measured.")
    class_: str | None = Field(
        None, alias="class", description="Measure one class only (one-vs-rest)."
    )
    metric: Literal[
        "krippendorff_alpha",
        "fleiss_kappa",
        "cohen_kappa",
        "percent_agreement",
        "span_f1",
        "box_f1",
        "masi",
    ] = Field(description="Agreement statistic.")
    min: float = Field(ge=-1, le=1, description="Smallest acceptable value.")
    iou: float | None = Field(
        None, gt=0, le=1, description="IoU threshold for matching regions (box_f1)."
    )


class Audit(_Criterion):
    """Reviewers audit a sample of records; enough of them must pass."""

    sample: float = Field(gt=0, le=1, description="Share of records the auditors review.")
    min_pass_rate: float = Field(
        ge=0, le=1, description="Smallest acceptable share of audited records that pass."
    )


class Gold(_Criterion):
    """Scores against a gold set of expert labels must reach `min`."""

    task: str = Field(description="Task scored against the gold set.")
    class_: str | None = Field(None, alias="class", description="Score one class only.")
    metric: Literal["accuracy", "macro_f1", "micro_f1", "f1", "precision", "recall"] = Field(
        "macro_f1", description="Score."
    )
    min: float | None = Field(None, ge=0, le=1, description="Smallest acceptable score.")
    min_macro_f1: float | None = Field(
        None, ge=0, le=1, description="Shorthand for `metric: macro_f1, min: ...`."
    )


class Distribution(_Criterion):
    """Bounds on the share of records that carry a class."""

    task: str = Field(description="Task whose class shares are bounded.")
    class_: str = Field(alias="class", description="Class whose share is bounded.")
    min_share: float | None = Field(
        None, ge=0, le=1, description="Smallest acceptable share of records."
    )
    max_share: float | None = Field(
        None, ge=0, le=1, description="Largest acceptable share of records."
    )


class Unresolved(_Criterion):
    """A bound on the share of records the annotators flagged as unresolved."""

    max_share: float = Field(
        ge=0, le=1, description="Largest acceptable share of records flagged unresolved."
    )


class EdgeCaseScore(_Model):
    """Scores on the evaluation items tagged with each of some edge cases must reach `min_f1`."""

    min_f1: float = Field(ge=0, le=1, description="Smallest acceptable F1 on each edge case.")
    for_: list[str] | None = Field(
        None,
        alias="for",
        description="Edge case ids the threshold applies to (every edge case with items when "
        "absent).",
    )
    task: str | None = Field(None, description="Score this task only (every task when absent).")
    note: Text | None = Field(None, description="Why this threshold, for vendors.")


class ErrorRate(_Model):
    """A bound on the share of records with diagnostics of one severity."""

    max_rate: float = Field(
        ge=0,
        le=1,
        description="Largest acceptable share of records with a diagnostic of this severity.",
    )


class Acceptance(_Model):
    """When a delivery is accepted. Each criterion may be one mapping or a list."""

    agreement: Agreements | None = Field(None, description="Inter-annotator agreement.")
    audit: Audits | None = Field(None, description="Audit of a sample by reviewers.")
    gold: Golds | None = Field(None, description="Scores against a gold set.")
    distribution: Distributions | None = Field(None, description="Bounds on class shares.")
    unresolved: Unresolveds | None = Field(None, description="Bound on unresolved records.")
    errors: dict[Severity, ErrorRate] | None = Field(
        None, description="Bounds on the share of records with validation diagnostics, by severity."
    )
    edge_cases: EdgeCaseScores | None = Field(
        None, description="Scores on evaluation items per edge case (`guidekit eval`)."
    )
    changes: list[ChangeNote] = Field(
        default_factory=list,
        description="Declared changes of the acceptance criteria, one per guideline version (see `guidekit diff`).",
    )


class EvalItem(_Model):
    """One evaluation item: a record with its correct labels, and what it exercises.

    Record fields are written inline or under ``record:`` (as in examples); ``annotations``
    holds the correct value of each task it tests, by task id (a delivery record's labels).
    An item may instead name an example, negative or edge case by id (``ref``): its record
    and label are taken from there.
    """

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    id: Id | None = Field(
        None, description="Stable id of the item (required unless `ref` names one)."
    )
    ref: Id | None = Field(
        None,
        description="Id of an example, negative example or edge case to use as this item "
        "(its record and label); the item's own tags are added to the ones derived from it.",
    )
    record: dict[str, Any] | None = Field(
        None, description="Record fields, when not written inline."
    )
    annotations: dict[str, Any] | None = Field(
        None, description="The correct labels, by task id (the shape of a delivery record)."
    )
    edge_cases: list[str] = Field(
        default_factory=list, description="Ids of the edge cases the item exercises."
    )
    classes: list[str] = Field(
        default_factory=list,
        description="Ids of the classes the item exercises (the classes of its labels are "
        "always added).",
    )
    negatives: list[str] = Field(
        default_factory=list, description="Ids of the negative examples the item exercises."
    )
    split: str | None = Field(None, description="Split the item belongs to (see `splits`).")
    holdout: bool = Field(
        False,
        description="Never shown to any audience, not even the internal handbook or a quiz "
        "review: the item only scores.",
    )
    note: Text | None = Field(None, description="What the item tests.")


class Qualification(_Model):
    """What an annotator must score on the qualification quiz (`guidekit quiz score`)."""

    min_accuracy: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Smallest share of quiz answers (item and task) that are entirely right.",
    )
    per_task: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(
        default_factory=dict,
        description="Smallest score per task id: accuracy for labels, the task's own F1 "
        "against the key for spans, boxes and other regions.",
    )


class Evaluation(_Model):
    """The guideline as a test suite: items with their correct labels, for `guidekit eval`.

    Evaluation items are answers: they are kept out of every output for audiences whose
    clearance is below `sensitivity`.
    """

    items: list[EvalItem] = Field(default_factory=list, description="The evaluation items.")
    from_: list[Literal["examples", "negatives", "edge_cases"]] = Field(
        default_factory=list,
        alias="from",
        description="Include every example, negative example and/or decided edge case of "
        "the guideline as an item (ids: the example's id, or `<task>/<class>/<kind>-<n>`).",
    )
    min_per_edge_case: int = Field(
        0,
        ge=0,
        description="Each decided edge case needs at least this many items tagged with it "
        "(lint GK412; 0 turns the rule off).",
    )
    sensitivity: str | None = Field(
        None,
        description="Level of the items: audiences below it never see them (`internal` when "
        "that level is declared, else the highest level).",
    )
    qualification: Qualification | None = Field(
        None,
        description="The pass mark of the qualification quiz built from the items "
        "(`guidekit quiz`).",
    )


# -- governance, scope, delivery ------------------------------------------------------------------


class Audience(_Model):
    """A group of readers and the highest sensitivity level they may see."""

    clearance: str = Field(description="Highest sensitivity level this audience may see.")
    description: Text | None = Field(None, description="Who the audience is.")


class Governance(_Model):
    """Who may see what, and for how long data is kept."""

    levels: list[Id] = Field(
        default_factory=lambda: ["public"],
        min_length=1,
        description="Sensitivity levels, lowest first.",
    )
    default: str | None = Field(
        None, description="Level of anything that declares none (the lowest level when absent)."
    )
    audiences: dict[Id, AudienceOrLevel] = Field(
        default_factory=dict, description="Audiences with their clearance (a level)."
    )
    retention: str | None = Field(
        None, description="How long labelled data is kept, as an ISO 8601 duration (`P90D`)."
    )
    retention_by_level: dict[Id, str] = Field(
        default_factory=dict,
        description="Retention per sensitivity level (ISO 8601 durations); `guidekit ledger "
        "prune` deletes recorded runs older than that (else `retention`).",
    )
    store_text: bool = Field(
        False,
        description="Whether the ledger may keep record text (diagnostics' examples, notes) in "
        "the reports it stores.",
    )
    pseudonymise: bool = Field(
        False,
        description="Store annotator ids in the ledger as keyed hashes, not as given.",
    )
    owners: list[str] = Field(
        default_factory=list, description="Who approves changes to the guideline."
    )
    escalation: Text | None = Field(None, description="Who answers annotators' questions and how.")
    review: Text | None = Field(None, description="How labels are reviewed before delivery.")
    changes: list[ChangeNote] = Field(
        default_factory=list,
        description="Declared changes of governance, one per guideline version (see `guidekit diff`).",
    )


class Scope(_Model):
    """What must not be labelled at all."""

    description: Text | None = Field(None, description="What is in and out of scope.")
    skip_reasons: dict[Id, Text] = Field(
        default_factory=dict,
        description="The only reasons a delivery may give for skipping an item.",
    )
    out_of_scope_examples: OutOfScopeExamples = Field(
        default_factory=list, description="Items that must be skipped, with the reason."
    )
    changes: list[ChangeNote] = Field(
        default_factory=list,
        description="Declared changes of the scope and its skip reasons, one per guideline version (see `guidekit diff`).",
    )


MetadataRole = Literal[
    "annotator",
    "reviewer",
    "status",
    "created_at",
    "updated_at",
    "unresolved",
    "question",
    "guideline_version",
    "skip",
    "split",
    "needs_reannotation",
]
METADATA_ROLES: tuple[MetadataRole, ...] = get_args(MetadataRole)


class Metadata(_Model):
    """Names of the metadata fields of a delivery record."""

    annotator: str = Field("annotator", description="Who labelled the record.")
    reviewer: str = Field("reviewer", description="Who reviewed it.")
    status: str = Field("status", description="Workflow status of the record.")
    created_at: str = Field("created_at", description="When it was first labelled (ISO 8601).")
    updated_at: str = Field("updated_at", description="When it was last changed (ISO 8601).")
    unresolved: str = Field("unresolved", description="Flag: the annotator could not decide.")
    question: str = Field("question", description="The open question of an unresolved record.")
    guideline_version: str = Field(
        "guideline_version", description="Guideline version the record was made under."
    )
    skip: str = Field("skip", description="Skip reason, for items not labelled (see `scope`).")
    split: str = Field("split", description="Dataset split the record belongs to.")
    needs_reannotation: str = Field(
        "needs_reannotation",
        description="Tasks to annotate again (a list of task ids), set by `guidekit migrate` "
        "when a label of an older version cannot be rewritten.",
    )


class Delivery(_Model):
    """The shape of what vendors deliver."""

    format: Literal["jsonl", "csv", "parquet"] = Field("jsonl", description="File format.")
    id: str | None = Field(
        None, description="Name of the id field (the record's id field when absent)."
    )
    include_inputs: bool = Field(
        False,
        description="Whether records repeat the input fields (needed to check spans and boxes against the text and image).",
    )
    unknown_fields: Literal["forbid", "warn", "allow"] = Field(
        "forbid", description="What to do with fields the guideline does not declare."
    )
    metadata: Metadata = Field(
        default_factory=Metadata, description="Names of the metadata fields."
    )
    required_metadata: list[MetadataRole] = Field(
        default_factory=list, description="Metadata every record must carry."
    )
    statuses: list[str] | None = Field(None, description="Allowed values of the status field.")
    image_size: Literal["required", "optional"] = Field(
        "required",
        description="Whether a record with boxes, polygons or keypoints in pixels must give "
        "its image's size (`{path, width, height}`, unless the field declares one for every "
        "image): `required` makes a record without it an error (GK549); `optional` accepts "
        "it with its regions unchecked (GK545).",
    )
    changes: list[ChangeNote] = Field(
        default_factory=list,
        description="Declared changes of the delivery format, one per guideline version (see `guidekit diff`).",
    )


def _off(value: Any) -> Any:
    return "off" if value is False else value


LintLevel = Annotated[Literal["error", "warning", "info", "off"], BeforeValidator(_off)]


class Lint(_Model):
    """Settings of the style advice (GK4xx)."""

    max_classes: int = Field(50, ge=1, description="Classes in one task before GK404 warns.")
    min_definition_words: int = Field(
        6, ge=0, description="Words a definition needs before GK403 is quiet."
    )
    similarity: float = Field(
        0.9, gt=0, le=1, description="Definition similarity (0..1) at which GK405 warns."
    )
    severity: dict[str, LintLevel] = Field(
        default_factory=dict,
        description="Per-code severity overrides, e.g. `{GK402: off}` (`off` and `false` "
        "silence a code).",
    )


class Guideline(_Model):
    """A guideline project: `guideline.yaml` at the root of its folder."""

    guidekit: Literal[1] = Field(description="Format version of this file. This release reads `1`.")
    id: Id = Field(description="Stable id of the guideline.")
    title: str = Field(description="Human title.")
    version: SemVer = Field(description="Semantic version of this guideline.")
    status: Literal["draft", "pilot", "active", "deprecated", "retired"] = Field(
        "draft", description="Lifecycle status."
    )
    owners: list[OwnerOrName] = Field(
        default_factory=list, description="Who maintains the guideline."
    )
    description: Text | None = Field(None, description="A paragraph on what the guideline covers.")
    brief: Brief = Field(description="The data brief.")
    record: RecordOrInclude = Field(description="The record the annotator sees.")
    tasks: Tasks = Field(description="What the annotator produces, by task id.")
    rules: Rules = Field(default_factory=list, description="Cross-task rules.")
    acceptance: AcceptanceOrInclude = Field(
        default_factory=Acceptance, description="Acceptance criteria of deliveries."
    )
    splits: list[Id] = Field(
        default_factory=list,
        description="Dataset splits that acceptance criteria may target (e.g. `train`, `eval`).",
    )
    governance: GovernanceOrInclude = Field(
        default_factory=Governance, description="Sensitivity levels, audiences, retention."
    )
    scope: ScopeOrInclude = Field(default_factory=Scope, description="What is not to be labelled.")
    delivery: DeliveryOrInclude = Field(
        default_factory=Delivery, description="The delivery format."
    )
    glossary: dict[str, Text] = Field(
        default_factory=dict, description="Domain terms and their meaning."
    )
    lint: Lint = Field(default_factory=Lint, description="Style-advice settings.")
    links: dict[str, str] = Field(
        default_factory=dict, description="Named links (tool project, handbook URL, ...)."
    )
    evaluation: Evaluation = Field(
        default_factory=Evaluation,
        description="Evaluation items with their correct labels (`guidekit eval`).",
    )
    changes: list[ChangeNote] = Field(
        default_factory=list,
        description="Declared changes of the guideline itself (id, title, brief, status, owners, "
        "splits, glossary, links, lint) and of tasks and rules it no longer has, one per "
        "guideline version (see `guidekit diff`).",
    )


# The shorthands the format allows, spelled out: each is a tagged union whose
# discriminator picks the branch from the value's shape (see the functions above).
Examples: TypeAlias = Annotated[
    Annotated[list[Example], Tag("~value")] | Annotated[Include, Tag("~include")],
    Discriminator(_value_or_include),
]
Negatives: TypeAlias = Annotated[
    Annotated[list[Negative], Tag("~value")] | Annotated[Include, Tag("~include")],
    Discriminator(_value_or_include),
]
EdgeCases: TypeAlias = Annotated[
    Annotated[list[EdgeCase], Tag("~value")] | Annotated[Include, Tag("~include")],
    Discriminator(_value_or_include),
]
OutOfScopeExamples: TypeAlias = Annotated[
    Annotated[list[OutOfScopeExample], Tag("~value")] | Annotated[Include, Tag("~include")],
    Discriminator(_value_or_include),
]
ClassOrId: TypeAlias = Annotated[
    Annotated[Class, Tag("~mapping")] | Annotated[ClassId, Tag("~scalar")],
    Discriminator(_mapping_or_scalar),
]
Classes: TypeAlias = Annotated[
    Annotated[list[ClassOrId], Tag("~value")] | Annotated[Include, Tag("~include")],
    Discriminator(_value_or_include),
]
Rules: TypeAlias = Annotated[
    Annotated[list[Rule], Tag("~value")] | Annotated[Include, Tag("~include")],
    Discriminator(_value_or_include),
]
RecordOrInclude: TypeAlias = Annotated[
    Annotated[Record, Tag("~value")] | Annotated[Include, Tag("~include")],
    Discriminator(_value_or_include),
]
TaskOrInclude: TypeAlias = Annotated[
    Annotated[Task, Tag("~value")] | Annotated[Include, Tag("~include")],
    Discriminator(_value_or_include),
]
Tasks: TypeAlias = Annotated[
    Annotated[dict[Id, TaskOrInclude], Tag("~value")] | Annotated[Include, Tag("~include")],
    Discriminator(_value_or_include),
]
AcceptanceOrInclude: TypeAlias = Annotated[
    Annotated[Acceptance, Tag("~value")] | Annotated[Include, Tag("~include")],
    Discriminator(_value_or_include),
]
GovernanceOrInclude: TypeAlias = Annotated[
    Annotated[Governance, Tag("~value")] | Annotated[Include, Tag("~include")],
    Discriminator(_value_or_include),
]
ScopeOrInclude: TypeAlias = Annotated[
    Annotated[Scope, Tag("~value")] | Annotated[Include, Tag("~include")],
    Discriminator(_value_or_include),
]
DeliveryOrInclude: TypeAlias = Annotated[
    Annotated[Delivery, Tag("~value")] | Annotated[Include, Tag("~include")],
    Discriminator(_value_or_include),
]
Agreements: TypeAlias = Annotated[
    Annotated[Agreement, Tag("~one")] | Annotated[list[Agreement], Tag("~list")],
    Discriminator(_one_or_list),
]
Audits: TypeAlias = Annotated[
    Annotated[Audit, Tag("~one")] | Annotated[list[Audit], Tag("~list")],
    Discriminator(_one_or_list),
]
Golds: TypeAlias = Annotated[
    Annotated[Gold, Tag("~one")] | Annotated[list[Gold], Tag("~list")],
    Discriminator(_one_or_list),
]
Distributions: TypeAlias = Annotated[
    Annotated[Distribution, Tag("~one")] | Annotated[list[Distribution], Tag("~list")],
    Discriminator(_one_or_list),
]
Unresolveds: TypeAlias = Annotated[
    Annotated[Unresolved, Tag("~one")] | Annotated[list[Unresolved], Tag("~list")],
    Discriminator(_one_or_list),
]
EdgeCaseScores: TypeAlias = Annotated[
    Annotated[EdgeCaseScore, Tag("~one")] | Annotated[list[EdgeCaseScore], Tag("~list")],
    Discriminator(_one_or_list),
]
StrOrList: TypeAlias = Annotated[
    Annotated[str, Tag("~one")] | Annotated[list[str], Tag("~list")],
    Discriminator(_one_or_list),
]
ClassRefOrList: TypeAlias = Annotated[
    Annotated[ClassRef, Tag("~one")] | Annotated[list[ClassRef], Tag("~list")],
    Discriminator(_one_or_list),
]
AudienceOrLevel: TypeAlias = Annotated[
    Annotated[Audience, Tag("~mapping")] | Annotated[str, Tag("~scalar")],
    Discriminator(_mapping_or_scalar),
]
OwnerOrName: TypeAlias = Annotated[
    Annotated[Owner, Tag("~mapping")] | Annotated[str, Tag("~scalar")],
    Discriminator(_mapping_or_scalar),
]

for _model in (Condition, Class, Task, Cond, Rule, Acceptance, Governance, Scope, Guideline):
    _model.model_rebuild()
