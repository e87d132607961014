"""What a semantic diff is made of: impacts, changes, label fates and the diff itself.

A :class:`Change` is one difference between two guidelines, found on the IR. Its ``rule`` is a
stable id (``class-removed``, ``attribute-added-required``, ...) that fixes its computed impact
(:mod:`guidekit.versioning.classify` holds the table); declarations by the guideline's authors
may change the impact of a change the tool cannot judge on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.spec.version import Impact as Impact  # re-exported: every Change has one

Action = Literal["added", "removed", "changed", "renamed", "merged", "split"]
WordOps = tuple[tuple[str, str], ...]


IMPACTS_DESC = (Impact.MAJOR, Impact.MINOR, Impact.PATCH)


@dataclass(frozen=True, slots=True)
class Change:
    """One semantic difference between two guidelines.

    ``subject`` names the kind of thing changed (``class``, ``attribute``, ``edge-case``, ...);
    ``task``/``class_id``/``name`` locate it; ``old``/``new`` hold short texts of the values
    (``None`` for additions and removals); ``words`` is a word-level diff of changed text.
    ``computed`` is the impact the rule gives, ``impact`` the one that counts after the
    authors' declarations, ``declared`` the declared impact that was applied (if any) and
    ``note`` the author's change note, ``accepted`` the reason of the ignore-file entry that
    accepted the change at a lower impact (:mod:`guidekit.versioning.ignore`).
    """

    rule: str
    action: Action
    subject: str
    message: str
    impact: Impact
    computed: Impact
    reason: str
    task: str | None = None
    class_id: str | None = None
    name: str | None = None
    old: str | None = None
    new: str | None = None
    words: WordOps | None = None
    targets: tuple[str, ...] = ()
    declared: Impact | None = None
    note: str | None = None
    accepted: str | None = None
    loc: Location | None = field(default=None, compare=False)
    owner: tuple[str, ...] = field(default=(), compare=False, repr=False)
    levels: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def visible(self, governance: Any, audience: str | None) -> bool:
        """Whether ``audience`` may see this change: every sensitivity level it touches
        (old and new) is within the audience's clearance (``None``: everyone)."""
        return all(governance.visible(level, audience) for level in self.levels)

    @property
    def where(self) -> str:
        """``task › class › name`` (the parts that apply), or ``subject › name`` outside
        the tasks (``rule › refund-needs-order``)."""
        if self.task is None:
            return " › ".join(p for p in (self.subject, self.name) if p)
        parts = [p for p in (self.task, self.class_id) if p]
        if self.name and self.name not in parts:
            parts.append(self.name)
        return " › ".join(parts)


@dataclass(frozen=True, slots=True)
class LabelFate:
    """What becomes of one label of the old version in the new one.

    ``kind``: ``kept`` (same id), ``renamed`` (one new id, nobody else maps to it),
    ``merged`` (one new id that other labels map to as well), ``split`` (several new ids:
    needs re-annotation), ``retired`` (deprecated without replacement), ``removed``.
    ``accepted`` tells whether the new version still accepts the old label as it is (an
    alias, or a deprecated class).
    """

    kind: Literal["kept", "renamed", "merged", "split", "retired", "removed"]
    targets: tuple[str, ...] = ()
    accepted: bool = True
    via: str = ""

    @property
    def rewritable(self) -> bool:
        return self.kind in ("renamed", "merged") and len(self.targets) == 1

    @property
    def needs_reannotation(self) -> bool:
        return self.kind in ("split", "retired", "removed")


@dataclass(frozen=True, slots=True)
class SideInfo:
    """One side of a diff: guideline id, version and where it was read from."""

    id: str
    version: str
    source: str
    title: str = ""


@dataclass(frozen=True)
class GuidelineDiff:
    """Every change between ``old`` and ``new``, in document order, the label fates
    (``fates[task][old_label]``) a migration follows, and problems with the authors'
    declarations (GK7xx warnings)."""

    old: SideInfo
    new: SideInfo
    changes: tuple[Change, ...]
    fates: dict[str, dict[str, LabelFate]] = field(default_factory=dict)
    problems: tuple[Diagnostic, ...] = ()

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    @property
    def required(self) -> Impact | None:
        """The bump the changes require (``None`` when nothing changed)."""
        return Impact.highest([c.impact for c in self.changes])

    def counts(self) -> dict[Impact, int]:
        out = dict.fromkeys(IMPACTS_DESC, 0)
        for c in self.changes:
            out[c.impact] += 1
        return out

    def by_impact(self, impact: Impact) -> list[Change]:
        return [c for c in self.changes if c.impact is impact]

    def for_audience(self, governance: Any, audience: str | None) -> GuidelineDiff:
        """The same diff without the changes ``audience`` may not see (``governance`` of the
        new version decides)."""
        if audience is None:
            return self
        kept = tuple(c for c in self.changes if c.visible(governance, audience))
        return replace(self, changes=kept, problems=())
