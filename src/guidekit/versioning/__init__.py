"""Versions and diffs: the semantic diff of two guidelines, the semver bump it requires, the
history of a guideline across its versions, and the migration of old deliveries.

>>> import guidekit
>>> from guidekit.versioning import diff_guidelines, load_side
>>> old = load_side("main", project="guidelines/support-tickets")      # doctest: +SKIP
>>> d = diff_guidelines(old.guideline, guidekit.load("guidelines/support-tickets"))  # doctest: +SKIP
>>> d.required, [c.rule for c in d]                                      # doctest: +SKIP
(<Impact.MAJOR: 'major'>, ['class-split', ...])

For the handbook: :func:`history` (versions from git), :func:`render_since` (a "what changed
since version X" page) and :func:`class_notes` ("changed in" notes per class).
"""

from __future__ import annotations

from guidekit.versioning.changelog import (
    ClassNote,
    History,
    VersionChange,
    class_notes,
    history,
    render_changelog,
    render_since,
)
from guidekit.versioning.diff import diff_guidelines
from guidekit.versioning.gitsource import Side, load_side
from guidekit.versioning.migrate import MARKER, MigrationReport, migrate_file
from guidekit.versioning.model import Change, GuidelineDiff, Impact, LabelFate, SideInfo

__all__ = [
    "MARKER",
    "Change",
    "ClassNote",
    "GuidelineDiff",
    "History",
    "Impact",
    "LabelFate",
    "MigrationReport",
    "Side",
    "SideInfo",
    "VersionChange",
    "class_notes",
    "diff_guidelines",
    "history",
    "load_side",
    "migrate_file",
    "render_changelog",
    "render_since",
]
