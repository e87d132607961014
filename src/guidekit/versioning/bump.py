"""Does the declared version bump cover the changes? (``guidekit check --base``)"""

from __future__ import annotations

from dataclasses import dataclass

from guidekit import ir
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.spec import version as semver
from guidekit.versioning.model import Change, GuidelineDiff, Impact

NAMED = 5  # changes named in a message before "and N more"


@dataclass(frozen=True, slots=True)
class Verdict:
    """``required``: the bump the changes need; ``bump``: the one the versions make
    (``None`` when a version is not semver); ``suggestion``: the smallest version that would
    do; ``code``: the diagnostic code when the bump is wrong."""

    required: Impact | None
    bump: semver.Bump | None
    suggestion: str | None
    ok: bool
    code: str | None
    message: str


def verdict(diff: GuidelineDiff) -> Verdict:
    old_v, new_v = diff.old.version, diff.new.version
    required = diff.required
    a, b = semver.parse(old_v), semver.parse(new_v)
    if a is None or b is None:
        bad = old_v if a is None else new_v
        return Verdict(
            required,
            None,
            None,
            False,
            "GK704",
            f"version '{bad}' is not a semantic version; the bump cannot be checked",
        )
    kind = semver.bump(a, b)
    suggestion = str(semver.next_version(a, required)) if required else None
    if kind == "backwards":
        message = f"version went backwards: {old_v} → {new_v}"
        return Verdict(required, kind, suggestion, False, "GK703", message)
    if required is None:
        return Verdict(None, kind, None, True, None, f"no changes since {old_v}")
    allowed = semver.covers(kind, a)
    if allowed is None:
        message = f"the guideline changed but its version is still {old_v}; {_needs(diff, required, suggestion)}"
        return Verdict(required, kind, suggestion, False, "GK702", message)
    if allowed.rank < required.rank:
        message = f"version {old_v} → {new_v} is a {_bump_word(kind, a)} bump, but {_needs(diff, required, suggestion)}"
        return Verdict(required, kind, suggestion, False, "GK701", message)
    message = f"version {old_v} → {new_v} covers the changes (they require a {required.value} bump)"
    return Verdict(required, kind, suggestion, True, None, message)


def _bump_word(kind: semver.Bump, old: semver.Version) -> str:
    if old.major == 0 and kind in ("minor", "patch"):
        return f"{kind} (0.x: {'breaking' if kind == 'minor' else 'compatible'})"
    return str(kind)


def _needs(diff: GuidelineDiff, required: Impact, suggestion: str | None) -> str:
    hits = diff.by_impact(required)
    named = "; ".join(_name(c) for c in hits[:NAMED])
    more = f"; and {len(hits) - NAMED} more" if len(hits) > NAMED else ""
    noun = "change requires" if len(hits) == 1 else "changes require"
    return f"{len(hits)} {noun} a {required.value} bump (to {suggestion}): {named}{more}"


def _name(c: Change) -> str:
    text = c.message.replace("`", "'")
    return f"{text} [{c.rule}{', declared' if c.declared else ''}]"


def check(diff: GuidelineDiff, new: ir.Guideline, version_at: Location) -> list[Diagnostic]:
    """Diagnostics of ``check --base``: the bump, then the declarations' problems."""
    out: list[Diagnostic] = []
    v = verdict(diff)
    if not v.ok and v.code is not None:
        hint = None
        if v.suggestion and v.code in ("GK701", "GK702"):
            hint = (
                f"set `version: {v.suggestion}`, or declare the intended impact of the changes "
                "the tool cannot judge, or accept a known false positive in "
                "`.guidekit-ignore.yaml` with a reason"
            )
        out.append(diag(v.code, v.message, version_at, hint=hint))
    out.extend(diff.problems)
    # before the bump is made, the edge case belongs to the version the bump will make
    out.extend(since_problems(diff, new, v.suggestion if not v.ok else None))
    return out


_DECIDING = {"edge-case-decided", "edge-case-decision-changed", "edge-case-reopened"}


def since_problems(
    diff: GuidelineDiff, new: ir.Guideline, coming: str | None = None
) -> list[Diagnostic]:
    """Edge cases decided in this change whose ``since`` names an earlier version.
    ``coming``: the version the required bump makes, when it has not been made yet."""
    out = []
    target = coming or str(diff.new.version)
    cases = {x.id: x for x in new.edge_cases() if x.id}
    for c in diff.changes:
        if c.rule not in _DECIDING or c.name not in cases:
            continue
        x = cases[c.name]
        if x.since is None or semver.in_range(x.since, diff.old.version, diff.new.version):
            continue
        if coming is not None and x.since == coming:
            continue
        out.append(
            diag(
                "GK707",
                f"edge case '{x.id}' was {'added' if c.action == 'added' else 'decided'} in "
                f"{target} but says `since: {x.since}`",
                x.loc,
                hint=f"set `since: {target}`",
            )
        )
    return out
