"""The native shape of one delivery record, derived from the IR.

A delivery record is a flat JSON object: the id, one key per task, metadata keys (named by
``delivery.metadata``) and, when delivered, the record's input fields. :class:`Layout` says
which key plays which role; the validators (full and fast), the JSON Schema generator and
the pydantic generator all read it, so they agree on what a record looks like.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from guidekit import ir
from guidekit.spec.format import METADATA_ROLES, MetadataRole

MetaRole = MetadataRole
META_ROLES: tuple[MetaRole, ...] = METADATA_ROLES

META_DESCRIPTIONS: dict[str, str] = {
    "annotator": "Who labelled the record.",
    "reviewer": "Who reviewed the record.",
    "status": "Workflow status of the record.",
    "created_at": "When the record was first labelled (ISO 8601).",
    "updated_at": "When the record was last changed (ISO 8601).",
    "unresolved": "True when the annotator could not decide; task values may then be missing.",
    "question": "The open question of an unresolved record.",
    "guideline_version": "The guideline version the record was made under.",
    "skip": "Skip reason of an item that was not labelled; a skipped record carries no task values.",
    "split": "Dataset split the record belongs to.",
    "needs_reannotation": "Task ids to annotate again, set by `guidekit migrate` when a label "
    "of an older version cannot be rewritten.",
}

#: ISO 8601 date or date-time (RFC 3339 profile, seconds and offset optional). The same
#: pattern is used by the validator, the JSON Schema and the pydantic models. The lookahead
#: keeps a trailing newline out (Python's ``$`` would let it through).
TIMESTAMP_PATTERN = (
    r"^(?![\s\S]*\n)[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:[Zz]|[+-][0-9]{2}:?[0-9]{2})?)?$"
)
TIMESTAMP = re.compile(TIMESTAMP_PATTERN)
TIMESTAMP_ROLES = frozenset({"created_at", "updated_at"})
TEXT_ROLES = frozenset({"annotator", "reviewer", "question", "guideline_version"})
TEXT_FIELD_TYPES = frozenset({"text", "string", "url", "datetime"})
#: Input fields given as a path or as an object: the object's keys. ``path`` or ``url`` is
#: required; sizes (and a video's frame count) are positive integers.
MEDIA_KEYS: dict[str, tuple[str, ...]] = {
    "image": ("path", "url", "width", "height"),
    "video": ("path", "url", "width", "height", "frames"),
}


@dataclass(frozen=True)
class Layout:
    """Which key of a delivery record plays which role."""

    id_key: str
    tasks: tuple[str, ...]
    meta: Mapping[str, str]  # role -> key
    required_meta: frozenset[str]  # roles
    inputs: Mapping[str, ir.InputField]  # key -> field declaration
    include_inputs: bool
    unknown_fields: Literal["forbid", "warn", "allow"]
    statuses: tuple[str, ...] | None
    splits: tuple[str, ...]
    skip_reasons: tuple[str, ...]
    version: str

    @classmethod
    def of(cls, g: ir.Guideline) -> Layout:
        d = g.delivery
        meta: dict[str, str] = {role: getattr(d.metadata, role) for role in META_ROLES}
        tasks = tuple(g.tasks)
        taken = {d.id, *tasks, *meta.values()}
        inputs = {k: f for k, f in g.record.fields.items() if k not in taken}
        return cls(
            id_key=d.id,
            tasks=tasks,
            meta=meta,
            required_meta=frozenset(d.required_metadata),
            inputs=inputs,
            include_inputs=d.include_inputs,
            unknown_fields=d.unknown_fields,
            statuses=d.statuses,
            splits=g.splits,
            skip_reasons=tuple(g.scope.skip_reasons),
            version=g.version,
        )

    @property
    def meta_by_key(self) -> dict[str, str]:
        return {key: role for role, key in self.meta.items()}

    @property
    def known(self) -> frozenset[str]:
        return frozenset({self.id_key, *self.tasks, *self.meta.values(), *self.inputs})

    def input_required(self, name: str) -> bool:
        return self.include_inputs and self.inputs[name].required
