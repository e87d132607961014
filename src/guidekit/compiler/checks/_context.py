"""What every meaning check shares: the guideline, where it came from, and the sink its
diagnostics go to -- plus the small location and hint helpers the checks use."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from guidekit import ir, tasktypes
from guidekit.compiler.resolve import SourceMap
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location, Related


@dataclass
class CheckContext:
    """The state one run of the checks shares.

    ``root`` is the project folder (images are looked up there), ``source`` maps IR paths
    back to lines, and ``skip`` names examples whose annotation lowering already rejected.
    """

    g: ir.Guideline
    root: Path | None
    source: SourceMap | None
    skip: set[tuple[str | int, ...]] = field(default_factory=set)
    out: list[Diagnostic] = field(default_factory=list)

    def add(
        self,
        code: str,
        message: str,
        loc: Location | None,
        hint: str | None = None,
        *,
        first: Location | None = None,
    ) -> None:
        """Report a problem; ``first`` is where a duplicated id was first declared."""
        d = diag(code, message, self.place(loc), hint=hint)
        if first is not None:
            d = replace(d, related=(Related("first declared here", self.place(first) or first),))
        self.out.append(d)

    def place(self, loc: Location | None) -> Location | None:
        """``loc`` with its line found through the source map, when there is one."""
        if self.source is not None and loc is not None and loc.path:
            return self.source.locate(loc.path)
        return loc

    def level(self, level: str, loc: Location | None, what: str) -> None:
        """Report a sensitivity ``level`` that governance does not declare."""
        if level not in self.g.governance.levels:
            self.add(
                "GK311",
                f"{what} has sensitivity '{level}', which is not a declared level",
                loc,
                hint=f"declared levels: {', '.join(self.g.governance.levels)}",
            )

    def top(self, *path: str | int) -> Location:
        """A location under the guideline's top level, in its first file."""
        return Location(self.g.files[0] if self.g.files else None, None, None, path)

    def gloc(self, *path: str | int) -> Location:
        """A location inside the ``governance`` section."""
        return self.top("governance", *path)


def at(loc: Location | None, *more: str | int) -> Location:
    """A location for a sub-key of an IR object (line of the object itself)."""
    if loc is None:
        return Location()
    return Location(loc.file, loc.line, loc.column, (*loc.path, *more))


def types_with(key: str, *, conditions: bool = False) -> str:
    """The registered types that use a class key (or a rule-condition key), for messages:
    ``text, number and boolean``."""
    names = [
        tt.name
        for tt in tasktypes.all_types()
        if key in (tt.condition_keys if conditions else tt.class_keys)
    ]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def close(name: str, known: Iterable[str]) -> str | None:
    """A "did you mean" hint for a misspelt reference."""
    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None
