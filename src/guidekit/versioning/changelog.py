"""The history of a guideline across its versions, read from git tags or commits.

:func:`history` lists the released versions of the guideline folder, oldest first, each with
its semantic diff against the one before. The handbook uses it for its "what changed since
version X" page (:func:`render_since`) and for the "changed in" notes of each class
(:func:`class_notes`); ``guidekit changelog`` renders it (:func:`render_changelog`).

Where versions come from:

* ``tags``: every tag (matching a pattern) whose commit holds the guideline; a version tagged
  twice counts once, at its earliest tag;
* ``commits``: the first-parent history of the folder; each run of commits with the same
  ``version`` is one release, read at its last commit; versions that go backwards (a revert)
  are skipped;
* ``auto`` (default): tags when any tag holds a version of the guideline, else commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from guidekit import ir
from guidekit.diagnostics.model import Diagnostic
from guidekit.errors import GuidekitError
from guidekit.spec import version as semver
from guidekit.versioning import _git, gitsource
from guidekit.versioning.bump import verdict
from guidekit.versioning.diff import diff_guidelines
from guidekit.versioning.ignore import Accept
from guidekit.versioning.model import Change, GuidelineDiff, Impact
from guidekit.versioning.sections import by_section, release_todo, shows_where, todo

Source = Literal["auto", "tags", "commits"]


@dataclass(frozen=True)
class VersionChange:
    """One released version: where it was read (``commit``, ``tag``, ``date`` of the
    commit, ``YYYY-MM-DD``), the guideline, and its diff against the previous version
    (``None`` for the first)."""

    version: str
    commit: str
    date: str
    tag: str | None
    guideline: ir.Guideline
    diff: GuidelineDiff | None
    previous: str | None = None
    errors: tuple[Diagnostic, ...] = ()

    @property
    def label(self) -> str:
        return self.tag or self.commit[:12]


@dataclass(frozen=True)
class BrokenVersion:
    """A released version whose guideline does not compile: listed in the changelog with
    its errors, never left out; the next version is compared with the last one that
    compiled."""

    version: str
    commit: str
    date: str
    tag: str | None
    errors: tuple[Diagnostic, ...]

    @property
    def label(self) -> str:
        return self.tag or self.commit[:12]


@dataclass(frozen=True)
class History:
    """Versions oldest first; ``source`` says where they came from; ``problems`` lists
    versions that could not be read, ``broken`` the ones that do not compile."""

    id: str
    title: str
    source: str
    versions: tuple[VersionChange, ...]
    problems: tuple[Diagnostic, ...] = field(default=())
    broken: tuple[BrokenVersion, ...] = field(default=())

    def __iter__(self) -> Iterator[VersionChange]:
        return iter(self.versions)

    def __len__(self) -> int:
        return len(self.versions)

    def find(self, version: str) -> VersionChange | None:
        return next((v for v in self.versions if v.version == version.lstrip("v")), None)

    @property
    def latest(self) -> VersionChange | None:
        return self.versions[-1] if self.versions else None


def history(
    root: Path,
    *,
    source: Source = "auto",
    tag_pattern: str = "*",
    rev: str = "HEAD",
    missing_ok: bool = False,
) -> History:
    """The released versions of the guideline folder ``root``, oldest first.

    ``missing_ok``: return an empty history (instead of a GK003 error) when ``root`` is not
    in a git repository or has no commits -- what a handbook build wants.
    """
    where = gitsource.locate(root)
    if where is None:
        if missing_ok:
            return History("", "", "none", ())
        raise _git.fail(f"'{root}' is not inside a git repository", str(root))
    try:
        picked, used = _pick(where.repo, where.path, source, tag_pattern, rev)
    except GuidekitError:
        if missing_ok:
            return History("", "", "none", ())
        raise
    versions: list[VersionChange] = []
    problems: list[Diagnostic] = []
    broken: list[BrokenVersion] = []
    cache: dict[str, tuple[ir.Guideline, tuple[Accept, ...], tuple[Diagnostic, ...]]] = {}
    for version, commit, date, tag in picked:
        label = f"{tag or commit[:12]}:{where.path}" if where.path else (tag or commit[:12])
        try:
            tree = _git.text(["rev-parse", f"{commit}:{where.path}"], where.repo)
            if tree not in cache:
                side = gitsource.load_at(where.repo, commit, where.path, label=label)
                errors = tuple(d for d in side.diagnostics if d.severity.value == "error")
                cache[tree] = (side.guideline, side.ignore, errors)
        except (GuidekitError, _git.GitFailed) as exc:
            if isinstance(exc, GuidekitError):
                problems.extend(exc.diagnostics[:1])
                failed = [d for d in exc.diagnostics if d.severity.value == "error"]
                broken.append(
                    BrokenVersion(version, commit, date, tag, tuple(failed or exc.diagnostics))
                )
            continue
        g, accepted, errors_at = cache[tree]
        before = versions[-1] if versions else None
        diff = None
        if before is not None:
            diff = diff_guidelines(
                before.guideline,
                g,
                old_source=before.label,
                new_source=tag or commit[:12],
                ignore=accepted,
            )
        versions.append(
            VersionChange(
                version, commit, date, tag, g, diff, before.version if before else None, errors_at
            )
        )
    last = versions[-1].guideline if versions else None
    return History(
        last.id if last else "",
        last.title if last else "",
        used,
        tuple(versions),
        tuple(problems),
        tuple(broken),
    )


def _pick(
    repo: Path, path: str, source: Source, pattern: str, rev: str
) -> tuple[list[tuple[str, str, str, str | None]], str]:
    """``(version, commit, date, tag)`` of each release, oldest first, and the source used."""
    if source in ("auto", "tags"):
        tagged = gitsource.tags(repo, pattern)
        found = gitsource.versions_at(repo, [c for _, c, _ in tagged], path)
        best: dict[str, tuple[str, str, str, str | None]] = {}
        for name, commit, date in sorted(tagged, key=lambda t: (t[2], t[0])):
            version = found.get(commit)
            if version is not None and version not in best:
                best[version] = (version, commit, date, name)
        if best or source == "tags":
            return sorted(best.values(), key=lambda r: semver.sort_key(r[0])), "tags"
    commits = gitsource.commits_touching(repo, path, rev)
    found = gitsource.versions_at(repo, [c for c, _ in commits], path)
    runs: list[tuple[str, str, str, str | None]] = []
    for commit, date in commits:
        version = found.get(commit)
        if version is None:
            continue
        if runs and runs[-1][0] == version:
            runs[-1] = (version, commit, date, None)
        else:
            runs.append((version, commit, date, None))
    out: list[tuple[str, str, str, str | None]] = []
    for run in runs:
        if out and semver.sort_key(run[0]) <= semver.sort_key(out[-1][0]):
            continue
        out.append(run)
    return out, "commits"


# -- for the handbook -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClassNote:
    """One "changed in" note of a class: the version, the impact, a sentence, and whether
    the authors wrote it (``declared``) or the diff found it (``rule`` says which)."""

    version: str
    impact: Impact | None
    text: str
    declared: bool = False
    rule: str | None = None


def class_notes(
    guideline: ir.Guideline, hist: History | None = None, *, audience: str | None = None
) -> dict[tuple[str, str], list[ClassNote]]:
    """``{(task id, class id): [notes, newest first]}`` for the classes of ``guideline``.

    Notes come from the classes' own ``changes:`` and, given a history, from the diffs
    between its versions, carried through later renames to today's class ids. Editorial
    changes are left out: a "changed in" note is about what annotators should do. With
    ``audience``, so are changes that touch anything above the audience's clearance, and the
    authors' notes on a class whose text the audience may not read.
    """
    notes: dict[tuple[str, str], list[ClassNote]] = {}
    for task in guideline.tasks.values():
        for cls in task.classes:
            if not guideline.governance.visible(cls.sensitivity, audience):
                continue
            for n in cls.changes:
                impact = Impact(n.impact) if n.impact else None
                notes.setdefault((task.id, cls.id), []).append(
                    ClassNote(n.version, impact, n.note.strip(), declared=True)
                )
    entries = list(hist.versions) if hist is not None else []
    for i, entry in enumerate(entries):
        if entry.diff is None:
            continue
        later = [e.diff for e in entries[i + 1 :] if e.diff is not None]
        for c in entry.diff.changes:
            if c.task is None or c.class_id is None or c.impact is Impact.PATCH:
                continue
            if not c.visible(guideline.governance, audience):
                continue
            key = _carry((c.task, c.class_id), later)
            if (
                key is None
                or key[0] not in guideline.tasks
                or key[1] not in guideline.tasks[key[0]]
            ):
                continue
            declared = [n for n in notes.get(key, []) if n.declared and n.version == entry.version]
            if declared and c.declared is not None:
                continue  # the authors' note says it better
            notes.setdefault(key, []).append(
                ClassNote(entry.version, c.impact, _sentence(c), rule=c.rule)
            )
    for key in notes:
        notes[key].sort(key=lambda n: semver.sort_key(n.version), reverse=True)
    return notes


def _carry(key: tuple[str, str], later: list[GuidelineDiff]) -> tuple[str, str] | None:
    task, cid = key
    for diff in later:
        fate = diff.fates.get(task, {}).get(cid)
        if fate is not None and fate.rewritable:
            cid = fate.targets[0]
    return task, cid


def _sentence(c: Change) -> str:
    return c.message[:1].upper() + c.message[1:] + "."


# -- rendering -------------------------------------------------------------------------------


def render_changelog(
    hist: History, *, since: str | None = None, heading: str = "#", audience: str | None = None
) -> str:
    """A Markdown changelog, newest version first (back to ``since``, excluded). With
    ``audience``, changes above its clearance are left out (the latest governance decides)."""
    from guidekit.versioning.markdown import md

    title = hist.title or hist.id
    lines = [f"{heading} Changelog: {md(title)}", ""]
    if not hist.versions:
        return "\n".join([*lines, "No released versions found in the git history.", ""])
    lines += [f"Versions read from git {hist.source}.", ""]
    governance = hist.versions[-1].guideline.governance
    entries: list[VersionChange | BrokenVersion] = [*after(hist, since)]
    entries += [
        b
        for b in hist.broken
        if since is None or semver.sort_key(b.version) > semver.sort_key(since.lstrip("v"))
    ]
    entries.sort(key=lambda e: semver.sort_key(e.version), reverse=True)
    for entry in entries:
        if isinstance(entry, BrokenVersion):
            lines += _broken(entry, heading + "#")
        else:
            lines += _entry(entry, heading + "#", governance, audience)
    return "\n".join(lines).rstrip() + "\n"


MAX_ERRORS = 10  # errors listed for a version that does not compile


def _broken(entry: BrokenVersion, h: str) -> list[str]:
    where = f"tag `{entry.tag}`" if entry.tag else f"commit `{entry.commit[:12]}`"
    n = len(entry.errors)
    lines = [
        f"{h} {entry.version} — {entry.date}",
        "",
        f"{where}: ⚠️ the guideline does not compile ({n} error{'s' if n != 1 else ''}), so "
        "its changes are not known; the next version is compared with the last one that "
        "compiled.",
        "",
    ]
    return lines + _errors(entry.errors)


def _errors(errors: tuple[Diagnostic, ...]) -> list[str]:
    from guidekit.versioning.markdown import md

    lines = []
    n = len(errors)
    for d in errors[:MAX_ERRORS]:
        at = ""
        if d.location is not None and d.location.file:
            at = f" ({md(d.location.file)}" + (f":{d.location.line})" if d.location.line else ")")
        lines.append(f"- `{d.code}` {md(d.message)}{at}")
    if n > MAX_ERRORS:
        lines.append(f"- … and {n - MAX_ERRORS} more")
    return [*lines, ""]


def _with_errors(entry: VersionChange) -> list[str]:
    """A released version that compiled with errors: what was compared, and the errors."""
    n = len(entry.errors)
    if not n:
        return []
    head = (
        f"⚠️ This version has {n} error{'s' if n != 1 else ''}; the parts they concern were "
        "set aside, so the changes below compare what compiled:"
    )
    return [head, "", *_errors(entry.errors)]


def after(hist: History, since: str | None) -> list[VersionChange]:
    """The versions of ``hist`` later than ``since`` (all of them when ``None``)."""
    if since is None:
        return list(hist.versions)
    return [
        v for v in hist.versions if semver.sort_key(v.version) > semver.sort_key(since.lstrip("v"))
    ]


def _entry(entry: VersionChange, h: str, governance: Any, audience: str | None) -> list[str]:
    from guidekit.versioning.markdown import md
    from guidekit.versioning.report import summary_line

    where = f"tag `{entry.tag}`" if entry.tag else f"commit `{entry.commit[:12]}`"
    lines = [f"{h} {entry.version} — {entry.date}", ""]
    if entry.diff is None:
        return [*lines, f"First version ({where}).", "", *_with_errors(entry)]
    diff = entry.diff.for_audience(governance, audience)
    lines += [f"{where}; {summary_line(diff)}.", ""]
    if audience is None:
        lines += _with_errors(entry)
    v = verdict(entry.diff)
    if not v.ok and audience is None:
        lines += [f"> ⚠️ {md(v.message)}", ""]
    to_do = release_todo(diff)
    if to_do:
        lines += [f"**What a data team must do:** {md(to_do)}", ""]
    for name, items in by_section(diff.changes):
        lines += [f"{h}# {name}", ""]
        for c in items:
            where_ = f"{md(c.where)}: " if shows_where(c) else ""
            tag = "**breaking:** " if c.impact is Impact.MAJOR else ""
            lines.append(f"- {tag}{where_}{md(c.message)}")
            if c.note:
                lines.append(f"  > {md(c.note)}")
            if c.accepted:
                lines.append(f"  > accepted by ignore file: {md(c.accepted)}")
            step = todo(c)
            if step:
                lines.append(f"  → {md(step)}")
        lines.append("")
    return lines


def render_since(
    hist: History, since: str, *, heading: str = "#", audience: str | None = None
) -> str:
    """A "what changed since version X" page: the cumulative diff from ``since`` to the
    latest version (a change made and undone in between does not show), then the releases
    in between."""
    from guidekit.versioning.markdown import render_markdown

    base = hist.find(since)
    latest = hist.latest
    if base is None or latest is None:
        known = ", ".join(v.version for v in hist.versions) or "none"
        raise _git.fail(f"version {since} is not in the history (known: {known})", since)
    lines = [f"{heading} What changed since {base.version}", ""]
    if base is latest:
        return "\n".join([*lines, f"{base.version} is the latest version.", ""])
    diff = diff_guidelines(
        base.guideline, latest.guideline, old_source=base.label, new_source=latest.label
    ).for_audience(latest.guideline.governance, audience)
    body = render_markdown(diff, heading=heading + "#", page=True)
    lines += [body.rstrip(), "", f"{heading}# Releases since {base.version}", ""]
    lines += [f"- {v.version} ({v.date})" for v in reversed(after(hist, base.version))]
    return "\n".join(lines).rstrip() + "\n"
