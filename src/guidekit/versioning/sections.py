"""Readable history: Keep a Changelog sections, and what a data team must do about a change.

Every change falls in one of Keep a Changelog's sections (Added, Changed, Deprecated,
Removed, Fixed) by what it did; a breaking (major) change also says what a team holding
deliveries must do: run ``guidekit migrate`` (which rewrites what it can, marks what needs
re-annotation and lists the records the new version rejects), or re-annotate.
"""

from __future__ import annotations

from collections.abc import Iterable

from guidekit.versioning.model import Change, GuidelineDiff, Impact

SECTIONS = ("Added", "Changed", "Deprecated", "Removed", "Fixed")

#: breaking rules whose labels must be annotated again
REANNOTATE = frozenset(
    {
        "class-split",
        "class-retired",
        "class-removed",
        "class-narrowed",
        "class-widened",
        "class-moved",
        "class-parent-added",
        "class-parent-removed",
        "class-definition-changed",
        "class-boundary-reworded",
        "edge-case-decision-changed",
        "edge-case-decided",
        "ordinal-reordered",
        "ordinal-level-added",
        "task-type-changed",
        "task-values-changed",
        "task-over-changed",
        "attribute-condition-changed",
    }
)
#: breaking rules ``guidekit migrate`` resolves by rewriting labels or fields
REWRITE = frozenset(
    {
        "class-replaced",
        "class-renamed",
        "alias-removed",
        "attribute-default-changed",
        "delivery-format-changed",
        "record-id-changed",
    }
)


def section(c: Change) -> str:
    """The Keep a Changelog section of ``c``."""
    if c.rule == "class-retired" or c.action in ("split", "merged"):
        return "Deprecated"
    if c.rule == "class-renamed" and "deprecated" in c.reason:
        return "Deprecated"
    if c.action == "added":
        return "Added"
    if c.action == "removed":
        return "Removed"
    if c.impact is Impact.PATCH:
        return "Fixed"
    return "Changed"


def by_section(changes: Iterable[Change]) -> list[tuple[str, list[Change]]]:
    """Non-empty sections in Keep a Changelog order, breaking changes first in each."""
    out: dict[str, list[Change]] = {s: [] for s in SECTIONS}
    for c in changes:
        out[section(c)].append(c)
    return [(s, sorted(items, key=lambda c: -c.impact.rank)) for s, items in out.items() if items]


def todo(c: Change) -> str | None:
    """What a data team must do about a breaking change (``None`` for the others)."""
    if c.impact is not Impact.MAJOR:
        return None
    if c.rule in REANNOTATE:
        return "re-annotate the labels concerned (`guidekit migrate` marks the records)"
    if c.rule in REWRITE:
        return "run `guidekit migrate` on old deliveries: it rewrites them"
    return (
        "run `guidekit migrate` on old deliveries: it lists the records the new version "
        "rejects, to fix or re-annotate"
    )


def release_todo(diff: GuidelineDiff) -> str | None:
    """One sentence for a breaking release: migrate, and how many classes to re-annotate."""
    breaking = [c for c in diff.changes if c.impact is Impact.MAJOR]
    if not breaking:
        return None
    classes = sorted(
        {
            f"{c.task} › {c.class_id}" if c.task and c.class_id else c.where
            for c in breaking
            if c.rule in REANNOTATE
        }
    )
    text = (
        f"run `guidekit migrate --from {diff.old.version} --to {diff.new.version}` on every "
        f"delivery made under {diff.old.version}"
    )
    if classes:
        noun = "class" if len(classes) == 1 else "classes"
        text += f", then re-annotate the labels of {len(classes)} {noun} ({', '.join(classes)})"
    return text + "."


def shows_where(c: Change) -> bool:
    """Whether a report should put ``where`` before the message: not when the message
    already starts with it (acceptance changes say ``acceptance: ...`` themselves)."""
    return bool(c.where) and not c.message.startswith((f"{c.where}:", f"{c.where} "))
