"""What changed between versions, as one handbook shows it.

The page renderers read the IR and nothing else from the outside world, so the history of a
guideline is computed where the handbook is built (``guidekit build``, :func:`build_handbook
<guidekit.handbook.build_handbook>`, ``guidekit serve``, the mkdocs plugin) and handed to
them as plain data: a :class:`Changes`.

* :func:`read` reads the versions of the guideline's folder from git (tags, else commits;
  nothing outside a repository) with :func:`guidekit.versioning.history`;
* :func:`from_history` turns that history into a :class:`Changes` for one audience: versions
  newer than the guideline the handbook shows are dropped, a version that git does not hold
  yet (the one being built) is added at the top, and every change above the audience's
  clearance is left out (the governance of the shown version decides).

Dates are those git records for the tag or commit, so the same repository always gives the
same pages; outside git there is no recorded history and the pages say so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from guidekit import ir
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Location
from guidekit.errors import GuidekitError

if TYPE_CHECKING:
    from guidekit.versioning import GuidelineDiff, History, VersionChange

HistorySource = Literal["auto", "tags", "commits", "none"]
SOURCES: tuple[str, ...] = ("auto", "tags", "commits", "none")
IMPACTS: tuple[str, ...] = ("major", "minor", "patch")


@dataclass(frozen=True, slots=True)
class Item:
    """One change: its impact (``major``, ``minor``, ``patch``), what changed (``message``,
    with ids in backticks), what it means for labels (``reason``), where (``task``,
    ``class_id``, ``name``; ``where`` spells it out) and the authors' ``note``. ``words`` is
    a word diff of a reworded text: ``(op, text)`` with ``=`` kept, ``-`` removed, ``+``
    added."""

    impact: str
    message: str
    reason: str
    rule: str
    where: str = ""
    task: str | None = None
    class_id: str | None = None
    name: str | None = None
    note: str | None = None
    words: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True, slots=True)
class Release:
    """One version of the guideline: where git holds it and what changed since ``previous``.

    ``released`` is false for the version the handbook shows when git does not hold it yet
    (no tag, or not committed); it then has no ``date``, ``tag`` or ``commit``."""

    version: str
    previous: str | None
    items: tuple[Item, ...]
    date: str = ""
    tag: str | None = None
    commit: str | None = None
    released: bool = True


@dataclass(frozen=True, slots=True)
class Note:
    """A "changed in" note of one class."""

    version: str
    impact: str | None
    text: str
    declared: bool = False


@dataclass(frozen=True)
class Changes:
    """The history one handbook shows: the shown ``version`` and the ``audience`` it was
    filtered for, ``releases`` newest first (empty: no recorded history), the version the
    "what changed since" page compares with (``since``, ``None`` when there is none) and its
    changes, and the notes of each class (``notes[(task id, class id)]``, newest first)."""

    version: str
    audience: str | None = None
    source: str = "none"
    releases: tuple[Release, ...] = ()
    since: str | None = None
    since_items: tuple[Item, ...] = ()
    notes: Mapping[tuple[str, str], tuple[Note, ...]] = field(default_factory=dict)

    @property
    def recorded(self) -> bool:
        return bool(self.releases)

    def release(self, version: str) -> Release | None:
        return next((r for r in self.releases if r.version == version), None)


def read(
    g: ir.Guideline,
    *,
    audience: str | None = None,
    since: str | None = None,
    source: HistorySource = "auto",
    tags: str = "*",
) -> Changes:
    """The history of ``g`` from the git repository holding its folder (none outside git, or
    with ``source="none"``), for ``audience``; ``since`` defaults to the previous release."""
    hist = None
    if source != "none" and g.root is not None:
        from guidekit.versioning import history

        root = Path(g.root)
        hist = history(
            root if root.is_dir() else root.parent,
            source=source,
            tag_pattern=tags,
            missing_ok=True,
        )
    return from_history(g, hist, audience=audience, since=since)


def from_history(
    g: ir.Guideline,
    hist: History | None,
    *,
    audience: str | None = None,
    since: str | None = None,
) -> Changes:
    """What ``hist`` (``None``: no recorded history) says about ``g`` to ``audience``.

    Raises GK011 for an unknown audience, GK013 when ``since`` names a version the history
    does not hold.
    """
    from guidekit.audience import check_audience
    from guidekit.spec.version import sort_key
    from guidekit.versioning import VersionChange, class_notes, diff_guidelines

    check_audience(g, audience)

    newest = sort_key(g.version)
    entries = [] if hist is None else [v for v in hist if sort_key(v.version) <= newest]
    if hist is not None and len(hist) and (not entries or entries[-1].version != g.version):
        before = entries[-1] if entries else None
        diff = (
            diff_guidelines(before.guideline, g, old_source=before.label, new_source=g.version)
            if before is not None
            else None
        )
        entries.append(
            VersionChange(g.version, "", "", None, g, diff, before.version if before else None)
        )
    shown = replace(hist, versions=tuple(entries)) if hist is not None else None
    releases = tuple(
        Release(
            v.version,
            v.previous,
            _items(v.diff, g, audience) if v.diff is not None else (),
            date=v.date,
            tag=v.tag,
            commit=v.commit or None,
            released=bool(v.commit),
        )
        for v in reversed(entries)
    )
    base = _since(entries, since, g)
    since_items: tuple[Item, ...] = ()
    if base is not None and base.version != g.version:
        since_items = _items(
            diff_guidelines(base.guideline, g, old_source=base.label, new_source=g.version),
            g,
            audience,
        )
    notes = {
        key: tuple(
            Note(n.version, n.impact.value if n.impact else None, n.text, n.declared) for n in found
        )
        for key, found in class_notes(g, shown, audience=audience).items()
    }
    return Changes(
        g.version,
        audience,
        hist.source if hist is not None and entries else "none",
        releases,
        base.version if base is not None else None,
        since_items,
        notes,
    )


def _since(
    entries: list[VersionChange], since: str | None, g: ir.Guideline
) -> VersionChange | None:
    """The version to compare with: ``since``, or the one before the shown version."""
    if since is None:
        return entries[-2] if len(entries) >= 2 else None
    wanted = since.strip().lstrip("v")
    found = next((v for v in entries if v.version == wanted), None)
    if found is None:
        known = ", ".join(v.version for v in entries) or "none"
        why = (
            ""
            if entries
            else "; there is no recorded history: the guideline is not in a git repository, "
            "or git holds none of its versions"
        )
        raise GuidekitError(
            diag(
                "GK013",
                f"version {since} is not in the history of guideline '{g.id}' up to "
                f"{g.version} (known: {known}{why})",
                Location(g.files[0] if g.files else None, None, None, ("version",)),
                hint="a CI checkout needs the whole history and the tags "
                "(`git fetch --tags --unshallow`, or `fetch-depth: 0`)",
            )
        )
    return found


def _items(diff: GuidelineDiff, g: ir.Guideline, audience: str | None) -> tuple[Item, ...]:
    from guidekit.versioning.report import ordered

    visible = diff.for_audience(g.governance, audience)
    return tuple(
        Item(
            c.impact.value,
            c.message,
            c.reason,
            c.rule,
            c.where,
            c.task,
            c.class_id,
            c.name,
            c.note,
            c.words,
        )
        for c in ordered(visible)
    )
