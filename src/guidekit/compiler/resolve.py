"""Stage 2: expand a node tree into plain data, resolving includes, keeping every position.

The result is a :class:`Document`: plain Python data (dicts, lists, str, int, float, bool,
None) and a :class:`SourceMap` from key paths in that data to the file, line and column each
value came from -- including values that came from included files. Nothing after this stage
sees YAML nodes.

An include is a mapping with the single key ``include``::

    classes: {include: taxonomy/intent.yaml}

It is replaced by the content of the named file, which must lie inside the project folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from guidekit.compiler._events import Budget, EventBuilder, Pos
from guidekit.compiler.yamlfile import Loader, file_problem, read_text, yaml_error
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.errors import GuidekitError

Path_ = tuple[str | int, ...]

MAX_ALIAS_NODES = 500_000
MAX_DEPTH = 200
MAX_INCLUDES = 10_000
MAX_NODES = 4_000_000
MAX_TEXT = 64 * 1024 * 1024
MAX_MAPPING_KEYS = 100_000


@dataclass(slots=True)
class SourceMap:
    """Positions of values (``values``) and of mapping keys (``keys``) by key path.

    Positions are stored as plain ``(file, line, column)`` tuples (millions of them in a big
    taxonomy); :meth:`locate` turns one into a :class:`Location`.
    """

    values: dict[Path_, Pos] = field(default_factory=dict)
    keys: dict[Path_, Pos] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def locate(self, path: Path_ | list[Any], *, key: bool = False) -> Location:
        """The location of ``path``, or of its nearest located ancestor.

        Elements of ``path`` that are not in the document (pydantic adds union tags such as
        ``'str'``) are skipped, so any validator's error path lands on a real node.
        """
        path = tuple(path)
        if not key:
            exact = self.values.get(path)
            if exact is not None:
                return Location(exact[0], exact[1], exact[2], path)
        current: Path_ = ()
        best = self.values.get(())
        found_exact = True
        for element in path:
            candidate = (*current, element)
            if candidate in self.values:
                current = candidate
                best = self.values[candidate]
            else:
                found_exact = False
        if key and found_exact and current in self.keys:
            best = self.keys[current]
        if best is None:
            return Location(self.files[0] if self.files else None, path=current)
        return Location(best[0], best[1], best[2], current)


@dataclass(slots=True)
class Document:
    data: Any
    source: SourceMap


class _Expander:
    def __init__(self, root: Path, max_alias_nodes: int) -> None:
        self.root = root.resolve()
        self.source = SourceMap()
        self.problems: list[Diagnostic] = []
        self.budget = Budget(max_alias_nodes, MAX_NODES, MAX_TEXT, MAX_MAPPING_KEYS)
        self.includes = 0
        # a file included again is copied like an alias, charged to the same budget
        self.loaded: dict[str, tuple[Any, int, int]] = {}

    def fail(self, code: str, message: str, location: Location, hint: str | None = None) -> None:
        raise GuidekitError(diag(code, message, location, hint=hint))

    def load(
        self, name: str, text: str, base: Path_, files: tuple[str, ...]
    ) -> tuple[Any, int, int]:
        if name not in self.source.files:
            self.source.files.append(name)
        files = (*files, name)
        builder = EventBuilder(
            name,
            self.source.values,
            self.source.keys,
            self.problems,
            self.budget,
            MAX_DEPTH,
            lambda value, loc, path: self.include(name, value, loc, path, files),
        )
        try:
            found, data = builder.build(yaml.parse(text, Loader=Loader), base)
        except yaml.YAMLError as exc:
            raise GuidekitError(yaml_error(exc, text, name)) from None
        if not found:
            what = "file" if not base else "included file"
            self.fail("GK112", f"{what} is empty", Location(name, 1, 1))
        return data, builder.size, builder.text

    def include_target(self, file: str, where: Location, value: Any) -> tuple[Path, str]:
        if not isinstance(value, str) or not value.strip():
            self.fail(
                "GK110",
                "include needs a relative file path",
                where,
                "write `{include: taxonomy/intent.yaml}`",
            )
        if "\0" in value:
            self.fail("GK110", "include path contains a NUL byte", where)
        rel = PurePosixPath(value.replace("\\", "/"))
        if rel.is_absolute() or value.startswith(("/", "~")) or ":" in (rel.parts or ("",))[0]:
            self.fail(
                "GK108",
                f"include path '{value}' is absolute",
                where,
                "name the file relative to the including file",
            )
        base = PurePosixPath(file).parent
        joined = os.path.normpath(str(base / rel)).replace(os.sep, "/")
        if joined == ".." or joined.startswith("../"):
            self.fail("GK108", f"include '{value}' points outside the project folder", where)
        target = self.root / joined
        try:
            real = target.resolve(strict=False)
        except (OSError, RuntimeError, ValueError):
            self.fail("GK110", f"include '{value}' cannot be resolved", where)
        if not real.is_relative_to(self.root):
            self.fail(
                "GK108",
                f"include '{value}' leads outside the project folder through a symbolic link",
                where,
            )
        problem = file_problem(target)
        if problem == "is a folder, not a file":
            self.fail(
                "GK101",
                f"included path '{joined}' is a folder, not a file",
                where,
                "include one YAML file",
            )
        if problem == "does not exist":
            self.fail("GK110", f"included file '{joined}' does not exist", where)
        if problem is not None:
            self.fail("GK101", f"included path '{joined}' {problem}", where)
        return target, joined

    def include(
        self, file: str, value: Any, where: Location, path: Path_, files: tuple[str, ...]
    ) -> tuple[Any, int, int]:
        pos = self.source.values.get((*path, "include"))
        if pos is not None:
            where = Location(pos[0], pos[1], pos[2], (*path, "include"))
        target, name = self.include_target(file, where, value)
        if name in files:
            chain = " -> ".join((*files, name))
            self.fail("GK109", f"include cycle: {chain}", where)
        self.includes += 1
        if self.includes > MAX_INCLUDES:
            self.fail("GK107", f"more than {MAX_INCLUDES} includes", where)
        again = self.loaded.get(name)
        if again is not None:
            # not read and parsed again: an include diamond would cost time before any
            # limit is reached. Positions inside the copy are those of the include itself.
            self.budget.spend(again[1], again[2], where, alias=True)
            return again
        loaded = self.load(name, read_text(target, name), path, files)
        self.loaded[name] = loaded
        return loaded


def resolve_file(
    root: Path, name: str = "guideline.yaml", *, max_alias_nodes: int = MAX_ALIAS_NODES
) -> Document:
    """Load ``root/name`` with every include expanded. Raises one GuidekitError on failure.

    Duplicate keys are collected (all of them are reported); every other loading problem
    stops the load at once, since what follows it cannot be trusted.
    """
    expander = _Expander(root, max_alias_nodes)
    data = expander.load(name, read_text(root / name, name), (), ())[0]
    if expander.problems:
        raise GuidekitError(expander.problems)
    return Document(data=data, source=expander.source)


def resolve_text(text: str, name: str = "guideline.yaml", root: Path | None = None) -> Document:
    """Like :func:`resolve_file` for text in memory (includes resolve against ``root``)."""
    expander = _Expander(root or Path.cwd(), MAX_ALIAS_NODES)
    data = expander.load(name, text, (), ())[0]
    if expander.problems:
        raise GuidekitError(expander.problems)
    return Document(data=data, source=expander.source)
