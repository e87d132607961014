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

from guidekit.codes import diag
from guidekit.diagnostics import Diagnostic, Location
from guidekit.errors import GuidekitError
from guidekit.load import YamlFile, read_file

Path_ = tuple[str | int, ...]

MAX_ALIAS_NODES = 500_000
MAX_DEPTH = 200
MAX_INCLUDES = 10_000

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("null", "bool", "int", "float", "str", "timestamp")}
_constructor = yaml.constructor.SafeConstructor()


@dataclass(slots=True)
class SourceMap:
    """Positions of values (``values``) and of mapping keys (``keys``) by key path."""

    values: dict[Path_, Location] = field(default_factory=dict)
    keys: dict[Path_, Location] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def locate(self, path: Path_ | list[Any], *, key: bool = False) -> Location:
        """The location of ``path``, or of its nearest located ancestor.

        Elements of ``path`` that are not in the document (pydantic adds union tags such as
        ``'str'``) are skipped, so any validator's error path lands on a real node.
        """
        table = self.keys if key else self.values
        current: Path_ = ()
        best = self.values.get((), Location(self.files[0] if self.files else None))
        found_exact = True
        for element in path:
            candidate = (*current, element)
            if candidate in self.values:
                current = candidate
                best = self.values[candidate]
            else:
                found_exact = False
        if key and found_exact and current in table:
            best = table[current]
        return Location(best.file, best.line, best.column, current)


@dataclass(slots=True)
class Document:
    data: Any
    source: SourceMap


class _Expander:
    def __init__(self, root: Path, max_alias_nodes: int) -> None:
        self.root = root.resolve()
        self.source = SourceMap()
        self.problems: list[Diagnostic] = []
        self.max_alias_nodes = max_alias_nodes
        self.seen_nodes: set[int] = set()
        self.alias_nodes = 0
        self.includes = 0

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    def loc(file: str, node: yaml.Node, path: Path_ = ()) -> Location:
        return Location(file, node.start_mark.line + 1, node.start_mark.column + 1, path)

    def fail(self, code: str, message: str, location: Location, hint: str | None = None) -> None:
        raise GuidekitError(diag(code, message, location, hint=hint))

    # -- includes --------------------------------------------------------------------------
    def include_target(self, file: str, node: yaml.Node, value: Any) -> tuple[Path, str]:
        where = self.loc(file, node)
        if not isinstance(value, str) or not value.strip():
            self.fail(
                "GK110",
                "include needs a relative file path",
                where,
                "write `{include: taxonomy/intent.yaml}`",
            )
        rel = PurePosixPath(value.replace("\\", "/"))
        if rel.is_absolute() or value.startswith(("/", "~")) or ":" in rel.parts[0]:
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
        except (OSError, RuntimeError):
            self.fail("GK110", f"include '{value}' cannot be resolved", where)
        if not real.is_relative_to(self.root):
            self.fail(
                "GK108",
                f"include '{value}' leads outside the project folder through a symbolic link",
                where,
            )
        if target.is_dir():
            self.fail(
                "GK101",
                f"included path '{joined}' is a folder, not a file",
                where,
                "include one YAML file",
            )
        if not target.is_file():
            self.fail("GK110", f"included file '{joined}' does not exist", where)
        return target, joined

    def expand_file(self, yf: YamlFile, path: Path_, stack: tuple[str, ...]) -> Any:
        self.source.files.append(yf.name)
        if yf.root is None:
            self.fail("GK112", "file is empty", Location(yf.name, 1, 1))
        return self.expand(yf.name, yf.root, path, 0, (*stack, yf.name), ())

    # -- the walk --------------------------------------------------------------------------
    def expand(
        self,
        file: str,
        node: yaml.Node,
        path: Path_,
        depth: int,
        files: tuple[str, ...],
        ancestors: tuple[int, ...],
    ) -> Any:
        if depth > MAX_DEPTH:
            self.fail("GK107", f"nested more than {MAX_DEPTH} levels deep", self.loc(file, node))
        ident = id(node)
        if ident in ancestors:
            self.fail("GK106", "an alias refers to a node that contains it", self.loc(file, node))
        if ident in self.seen_nodes:
            self.alias_nodes += 1
            if self.alias_nodes > self.max_alias_nodes:
                self.fail(
                    "GK106",
                    f"aliases expand to more than {self.max_alias_nodes} nodes",
                    self.loc(file, node),
                    "use fewer nested aliases",
                )
        else:
            self.seen_nodes.add(ident)
        self.source.values[path] = self.loc(file, node, path)

        if isinstance(node, yaml.ScalarNode):
            return self.scalar(file, node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                self.fail("GK111", f"unsupported tag '{node.tag}'", self.loc(file, node))
            anc = (*ancestors, ident)
            return [
                self.expand(file, child, (*path, i), depth + 1, files, anc)
                for i, child in enumerate(node.value)
            ]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _TAG + "map":
                self.fail("GK111", f"unsupported tag '{node.tag}'", self.loc(file, node))
            return self.mapping(file, node, path, depth, files, (*ancestors, ident))
        self.fail("GK111", "unsupported node", self.loc(file, node))  # pragma: no cover
        return None  # pragma: no cover

    def scalar(self, file: str, node: yaml.ScalarNode) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self.fail(
                "GK111",
                f"unsupported tag '{node.tag}'",
                self.loc(file, node),
                "guidekit reads plain YAML only; remove the tag",
            )
        if node.tag == _TAG + "str":
            return node.value
        if node.tag == _TAG + "timestamp":
            return node.value  # dates stay text: versions and ISO dates are compared as written
        try:
            return _constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.fail("GK103", f"invalid scalar: {exc}", self.loc(file, node))
            return None  # pragma: no cover

    def mapping(
        self,
        file: str,
        node: yaml.MappingNode,
        path: Path_,
        depth: int,
        files: tuple[str, ...],
        ancestors: tuple[int, ...],
    ) -> Any:
        pairs = node.value
        if (
            len(pairs) == 1
            and isinstance(pairs[0][0], yaml.ScalarNode)
            and pairs[0][0].value == "include"
            and pairs[0][0].tag == _TAG + "str"
        ):
            return self.include(file, pairs[0][1], path, files)
        out: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in pairs:
            if key_node.tag == _TAG + "merge":
                sources = (
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
                for src in sources:
                    if not isinstance(src, yaml.MappingNode):
                        self.fail("GK111", "a merge key (<<) needs a mapping", self.loc(file, src))
                    value = self.expand(file, src, path, depth + 1, files, ancestors)
                    for k, v in value.items():
                        merged.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (
                _TAG + "str",
                _TAG + "int",
                _TAG + "bool",
                _TAG + "null",
                _TAG + "float",
            ):
                self.fail("GK111", "mapping keys must be plain text", self.loc(file, key_node))
            key = key_node.value
            if key in out:
                first = self.source.keys.get((*path, key))
                where = f" (first at line {first.line})" if first else ""
                self.problems.append(
                    diag(
                        "GK105",
                        f"duplicate key '{key}'{where}",
                        self.loc(file, key_node, (*path, key)),
                        hint="remove one of the two entries",
                    )
                )
                continue
            self.source.keys[(*path, key)] = self.loc(file, key_node, (*path, key))
            out[key] = self.expand(file, value_node, (*path, key), depth + 1, files, ancestors)
        for k, v in merged.items():
            out.setdefault(k, v)
        return out

    def include(self, file: str, node: yaml.Node, path: Path_, files: tuple[str, ...]) -> Any:
        value = self.scalar(file, node) if isinstance(node, yaml.ScalarNode) else None
        target, name = self.include_target(file, node, value)
        if name in files:
            chain = " -> ".join((*files, name))
            self.fail("GK109", f"include cycle: {chain}", self.loc(file, node))
        self.includes += 1
        if self.includes > MAX_INCLUDES:
            self.fail("GK107", f"more than {MAX_INCLUDES} includes", self.loc(file, node))
        yf = read_file(target, name)
        if name not in self.source.files:
            self.source.files.append(name)
        if yf.root is None:
            self.fail("GK112", "included file is empty", Location(name, 1, 1))
        return self.expand(name, yf.root, path, len(path), (*files, name), ())


def resolve_file(
    root: Path, name: str = "guideline.yaml", *, max_alias_nodes: int = MAX_ALIAS_NODES
) -> Document:
    """Load ``root/name`` with every include expanded. Raises one GuidekitError on failure.

    Duplicate keys are collected (all of them are reported); every other loading problem
    stops the load at once, since what follows it cannot be trusted.
    """
    expander = _Expander(root, max_alias_nodes)
    yf = read_file(root / name, name)
    data = expander.expand_file(yf, (), ())
    if expander.problems:
        raise GuidekitError(expander.problems)
    return Document(data=data, source=expander.source)


def resolve_text(text: str, name: str = "guideline.yaml", root: Path | None = None) -> Document:
    """Like :func:`resolve_file` for text in memory (includes resolve against ``root``)."""
    from guidekit.load import parse_text

    expander = _Expander(root or Path.cwd(), MAX_ALIAS_NODES)
    yf = parse_text(text, name)
    data = expander.expand_file(yf, (), ())
    if expander.problems:
        raise GuidekitError(expander.problems)
    return Document(data=data, source=expander.source)
