"""The ignore file: changes the maintainers accept at a lower impact, each with a reason.

``.guidekit-ignore.yaml`` sits next to ``guideline.yaml`` (like oasdiff's ``err-ignore`` or
buf's ``ignore_only``)::

    accept:
      - rule: rule-condition-changed        # the rule id, as `guidekit diff` prints it
        where: rule › no-critical-questions  # optional: the change's place, as printed
        version: 2.4.0                       # the version being released
        impact: patch                        # optional: what the change counts as (patch)
        reason: feature_request was renamed; the rule follows the new id.

An accepted change stays in every report, marked "accepted by ignore file: <reason>"; an
entry bound to another version, or matching no change, is reported as stale (GK717) and
accepts nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.errors import GuidekitError
from guidekit.spec import version as semver
from guidekit.versioning.model import Change, Impact

IGNORE_FILE = ".guidekit-ignore.yaml"
_KEYS = {"rule", "where", "version", "impact", "reason"}
_MAX_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class Accept:
    """One accepted change."""

    rule: str
    version: str
    reason: str
    where: str | None = None
    impact: Impact = Impact.PATCH
    loc: Location | None = None

    def matches(self, c: Change) -> bool:
        return c.rule == self.rule and (self.where is None or _norm(self.where) == _norm(c.where))


def _norm(where: str) -> str:
    return " ".join(where.replace(">", "›").replace("›", " › ").split())


def read_ignore(folder: Path, label: str | None = None) -> tuple[Accept, ...]:
    """The entries of ``folder/.guidekit-ignore.yaml`` (none when there is no file).
    ``label`` names the file in messages (default: its path). An invalid file is GK716."""
    path = folder / IGNORE_FILE
    if not path.is_file():
        return ()
    name = f"{label}/{IGNORE_FILE}" if label else str(path)
    data = path.read_bytes()
    if len(data) > _MAX_BYTES:
        raise _bad(name, None, f"is larger than {_MAX_BYTES} bytes")
    try:
        root = yaml.compose(data.decode("utf-8"), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise _bad(name, None, f"is not valid YAML: {exc}") from None
    if root is None:
        return ()
    if not isinstance(root, yaml.MappingNode) or _keys(root) - {"accept"}:
        raise _bad(name, _line(root), "must be a mapping with one key, `accept:`")
    items = dict((k.value, v) for k, v in root.value).get("accept")
    if items is None:
        return ()
    if not isinstance(items, yaml.SequenceNode):
        raise _bad(name, _line(items), "`accept` must be a list of entries")
    return tuple(_entry(name, node) for node in items.value)


def _keys(node: yaml.MappingNode) -> set[str]:
    return {str(k.value) for k, _ in node.value}


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _entry(name: str, node: yaml.Node) -> Accept:
    from guidekit.versioning.classify import RULES

    line = _line(node)
    if not isinstance(node, yaml.MappingNode):
        raise _bad(name, line, "each entry of `accept` must be a mapping")
    unknown = _keys(node) - _KEYS
    if unknown:
        raise _bad(name, line, f"unknown key(s) {', '.join(sorted(unknown))}")
    raw: dict[str, Any] = yaml.safe_load(yaml.serialize(node))
    values = {k: str(v).strip() for k, v in raw.items() if v is not None}
    for key in ("rule", "version", "reason"):
        if not values.get(key):
            raise _bad(name, line, f"entry without `{key}` (every accepted change needs one)")
    if values["rule"] not in RULES:
        raise _bad(name, line, f"unknown rule '{values['rule']}' (see `guidekit diff`)")
    if semver.parse(values["version"]) is None:
        raise _bad(name, line, f"`version: {values['version']}` is not a semantic version")
    impact = values.get("impact", "patch")
    if impact not in ("major", "minor", "patch"):
        raise _bad(name, line, f"`impact: {impact}` must be major, minor or patch")
    return Accept(
        rule=values["rule"],
        version=values["version"],
        reason=" ".join(values["reason"].split()),
        where=values.get("where"),
        impact=Impact(impact),
        loc=Location(name, line),
    )


def _bad(name: str, line: int | None, what: str) -> GuidekitError:
    return GuidekitError(
        diag(
            "GK716",
            f"{IGNORE_FILE} {what}",
            Location(name, line),
            hint="each entry: `rule`, `version` (the one being released), `reason`, optional "
            "`where` and `impact`",
        )
    )


def apply_ignore(
    changes: Iterable[Change], entries: Iterable[Accept], version: str
) -> tuple[list[Change], list[Diagnostic]]:
    """Mark the changes accepted by ``entries`` bound to ``version`` (the version being
    released) and give them the entry's impact; report stale entries (GK717)."""
    entries = tuple(entries)
    live = [e for e in entries if e.version == version]
    used: set[int] = set()
    out: list[Change] = []
    for c in changes:
        hit = next((i for i, e in enumerate(live) if e.matches(c)), None)
        if hit is None:
            out.append(c)
            continue
        used.add(hit)
        e = live[hit]
        out.append(replace(c, impact=e.impact, accepted=e.reason))
    problems: list[Diagnostic] = []
    for e in entries:
        what = f"`{e.rule}`" + (f" at '{e.where}'" if e.where else "")
        if e.version != version:
            problems.append(
                diag(
                    "GK717",
                    f"{IGNORE_FILE} accepts {what} for {e.version}, but the version being "
                    f"released is {version}; the entry accepts nothing",
                    e.loc,
                    hint="remove the entry (it belonged to an earlier release), or bind it to "
                    "this version after checking that the reason still holds",
                )
            )
        elif live.index(e) not in used:
            problems.append(
                diag(
                    "GK717",
                    f"{IGNORE_FILE} accepts {what}, but no change of this diff matches it",
                    e.loc,
                    hint="check `rule` and `where` against `guidekit diff`, or remove the entry",
                )
            )
    return out, problems
