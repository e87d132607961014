"""Build plain data from libyaml's event stream, recording the position of every value.

PyYAML's composer builds a node graph in Python and resolves every scalar through a chain of
Python calls; on a 10 MB taxonomy that costs several seconds. Reading the parser's events
directly (the parser itself runs in C) and building dicts and lists here is about four times
faster, and lets us enforce the safety rules as we go: no custom tags, no complex keys, no
duplicate keys, bounded alias expansion and nesting depth, merge keys (``<<``) resolved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NoReturn

import yaml
from yaml.resolver import Resolver

from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.errors import GuidekitError

Path_ = tuple[str | int, ...]
Pos = tuple[str, int, int]  # file, line, column
_T = "tag:yaml.org,2002:"
_IMPLICIT = Resolver.yaml_implicit_resolvers
_constructor = yaml.constructor.SafeConstructor()
_ALLOWED_TAGS = {_T + t for t in ("null", "bool", "int", "float", "str", "timestamp")}
_SHORT = {
    "!!" + t: _T + t for t in ("null", "bool", "int", "float", "str", "timestamp", "map", "seq")
}


def resolve_tag(value: str) -> str:
    """The implicit tag of a plain scalar, as YAML 1.1 (PyYAML) resolves it."""
    candidates = _IMPLICIT.get("", []) if value == "" else _IMPLICIT.get(value[0], [])
    for tag, regexp in candidates:
        if regexp.match(value):
            return str(tag)
    for tag, regexp in _IMPLICIT.get(None, []):
        if regexp.match(value):
            return str(tag)
    return _T + "str"


def scalar_value(tag: str, value: str) -> Any:
    if tag == _T + "str" or tag == _T + "timestamp":
        return value  # dates stay text: versions and ISO dates are compared as written
    if tag == _T + "null":
        return None
    if tag == _T + "bool":
        return value.lower() in ("yes", "true", "on")
    node = yaml.ScalarNode(tag, value)
    if tag == _T + "int":
        return _constructor.construct_yaml_int(node)
    return _constructor.construct_yaml_float(node)


@dataclass(slots=True)
class Budget:
    """What the rest of one load may still build, shared by every file of a project.

    ``alias_nodes`` bounds what aliases and repeated includes copy; ``nodes`` and ``text``
    (characters of scalar values, copies included) bound the whole expanded document, so a
    small file cannot expand into gigabytes through aliases or an include diamond.
    """

    alias_nodes: int
    nodes: int
    text: int
    mapping_keys: int

    def spend(self, nodes: int, text: int, where: Location, *, alias: bool = False) -> None:
        """Charge one value (or a copy of one); GK106/GK107 at ``where`` past a limit."""
        if alias:
            self.alias_nodes -= nodes
            if self.alias_nodes < 0:
                raise GuidekitError(
                    diag(
                        "GK106",
                        "aliases expand to too many nodes",
                        where,
                        hint="use fewer nested aliases or repeated includes",
                    )
                )
        self.nodes -= nodes
        self.text -= text
        if self.nodes < 0:
            raise GuidekitError(diag("GK107", "the document expands to too many values", where))
        if self.text < 0:
            raise GuidekitError(diag("GK107", "the document expands to too much text", where))


class _Frame:
    __slots__ = (
        "anchor",
        "container",
        "key",
        "key_loc",
        "kind",
        "loc",
        "merges",
        "path",
        "size",
        "text",
    )

    def __init__(
        self, kind: str, container: Any, path: Path_, loc: Location, anchor: str | None
    ) -> None:
        self.kind = kind
        self.container = container
        self.path = path
        self.loc = loc
        self.anchor = anchor
        self.size = 1
        self.text = 0
        self.key: Any = _NO_KEY
        self.key_loc: Location | None = None
        self.merges: list[Any] = []


_NO_KEY = object()


class EventBuilder:
    """Turns one file's events into data; calls ``on_include`` for ``{include: ...}``."""

    def __init__(
        self,
        name: str,
        values: dict[Path_, Pos],
        keys: dict[Path_, Pos],
        problems: list[Diagnostic],
        budget: Budget,
        max_depth: int,
        on_include: Callable[[str, Location, Path_], tuple[Any, int, int]],
    ) -> None:
        self.name = name
        self.values = values
        self.keys = keys
        self.problems = problems
        self.budget = budget
        self.size = 0  # nodes and text of the last document built, copies included
        self.text = 0
        self.max_depth = max_depth
        self.on_include = on_include
        self.anchors: dict[str, tuple[Any, int, int] | None] = {}

    def fail(self, code: str, message: str, mark: Any, hint: str | None = None) -> NoReturn:
        raise GuidekitError(diag(code, message, self.loc(mark), hint=hint))

    def _pos(self, mark: Any) -> Pos:
        # ``mark`` is a PyYAML or libyaml Mark (typed Optional, always set on parser events)
        return (self.name, mark.line + 1, mark.column + 1)

    def loc(self, mark: Any, path: Path_ = ()) -> Location:
        return Location(self.name, mark.line + 1, mark.column + 1, path)

    def build(self, events: Iterator[yaml.Event], base: Path_) -> tuple[bool, Any]:
        """``(found, data)``: ``found`` is False for a file without a document."""
        stack: list[_Frame] = []
        result: Any = None
        documents = 0
        depth0 = len(base)
        for event in events:
            if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                if stack and stack[-1].kind == "map" and stack[-1].key is _NO_KEY:
                    self._key(stack[-1], event)
                    continue
                path = self._child_path(stack, base)
                self.values[path] = self._pos(event.start_mark)
                if isinstance(event, yaml.AliasEvent):
                    value, size, text = self._alias(event)
                else:
                    value, size = self._scalar(event), 1
                    text = len(event.value)
                    self.budget.spend(1, text, self.loc(event.start_mark))
                    if event.anchor is not None:
                        self.anchors[event.anchor] = (value, 1, text)
                if not stack:
                    result, self.size, self.text = value, size, text
                else:
                    self._add(stack[-1], value, size, text)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
                if stack and stack[-1].kind == "map" and stack[-1].key is _NO_KEY:
                    self.fail("GK111", "mapping keys must be plain text", event.start_mark)
                tag = event.tag
                if tag not in (None, "!") and _SHORT.get(tag, tag) != _T + kind:
                    self.fail(
                        "GK111",
                        f"unsupported tag '{tag}'",
                        event.start_mark,
                        "guidekit reads plain YAML only; remove the tag",
                    )
                if len(stack) + depth0 >= self.max_depth:
                    self.fail(
                        "GK107", f"nested more than {self.max_depth} levels deep", event.start_mark
                    )
                path = self._child_path(stack, base)
                loc = self.loc(event.start_mark, path)
                self.budget.spend(1, 0, loc)
                self.values[path] = self._pos(event.start_mark)
                frame = _Frame(kind, {} if kind == "map" else [], path, loc, event.anchor)
                if event.anchor is not None:
                    self.anchors[event.anchor] = None  # open: an alias to it is recursive
                stack.append(frame)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                value = frame.container
                size, text = frame.size, frame.text
                if frame.kind == "map":
                    for merged in frame.merges:
                        for k, v in merged.items():
                            value.setdefault(k, v)
                    if len(value) == 1 and "include" in value and not frame.merges:
                        value, size, text = self.on_include(value["include"], frame.loc, frame.path)
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (value, size, text)
                if not stack:
                    result, self.size, self.text = value, size, text
                else:
                    self._add(stack[-1], value, size, text)
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.fail(
                        "GK111",
                        "several YAML documents in one file",
                        event.start_mark,
                        "split the documents into separate files and include them",
                    )
        return documents > 0, result

    # -- pieces ----------------------------------------------------------------------------
    @staticmethod
    def _child_path(stack: list[_Frame], base: Path_) -> Path_:
        if not stack:
            return base
        top = stack[-1]
        if top.kind == "seq":
            return (*top.path, len(top.container))
        return (*top.path, top.key)

    def _key(self, frame: _Frame, event: yaml.ScalarEvent | yaml.AliasEvent) -> None:
        if isinstance(event, yaml.AliasEvent):
            self.fail("GK111", "an alias cannot be a mapping key", event.start_mark)
        tag = event.tag
        if tag not in (None, "!", _T + "merge") and _SHORT.get(tag, tag) not in _ALLOWED_TAGS:
            self.fail("GK111", f"unsupported tag '{tag}'", event.start_mark)
        value = event.value
        if event.implicit[0] and value == "<<":
            frame.key = _MERGE
            return
        key = str(value) if value is not None else ""
        if len(frame.container) >= self.budget.mapping_keys:
            self.fail(
                "GK107",
                f"a mapping with more than {self.budget.mapping_keys} keys",
                event.start_mark,
            )
        if key in frame.container:
            first = self.keys.get((*frame.path, key))
            where = f" (first at line {first[1]})" if first else ""
            self.problems.append(
                diag(
                    "GK105",
                    f"duplicate key '{key}'{where}",
                    self.loc(event.start_mark, (*frame.path, key)),
                    hint="remove one of the two entries",
                )
            )
            frame.key = _DUPLICATE
            return
        frame.key = key
        self.keys[(*frame.path, key)] = self._pos(event.start_mark)

    def _add(self, frame: _Frame, value: Any, size: int, text: int) -> None:
        frame.size += size
        frame.text += text
        if frame.kind == "seq":
            frame.container.append(value)
            return
        key = frame.key
        frame.key = _NO_KEY
        if key is _MERGE:
            sources = value if isinstance(value, list) else [value]
            for src in sources:
                if not isinstance(src, dict):
                    raise GuidekitError(
                        diag("GK111", "a merge key (<<) needs a mapping", frame.loc)
                    )
            frame.merges.extend(sources)
        elif key is not _DUPLICATE:
            frame.container[key] = value

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = resolve_tag(event.value) if event.implicit[0] else _T + "str"
        else:
            tag = _SHORT.get(tag, tag)
            if tag not in _ALLOWED_TAGS:
                self.fail(
                    "GK111",
                    f"unsupported tag '{event.tag}'",
                    event.start_mark,
                    "guidekit reads plain YAML only; remove the tag",
                )
        try:
            value = scalar_value(tag, event.value)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.fail("GK103", f"invalid scalar: {exc}", event.start_mark)
        if type(value) is int and not -_MAX_INT < value < _MAX_INT:
            self.fail(
                "GK103",
                "number too large: an integer must fit in a float (below 2**1024)",
                event.start_mark,
                "quote it if it is text",
            )
        return value

    def _alias(self, event: yaml.AliasEvent) -> tuple[Any, int, int]:
        if event.anchor not in self.anchors:
            self.fail("GK103", f"unknown alias '*{event.anchor}'", event.start_mark)
        entry = self.anchors[event.anchor]
        if entry is None:
            self.fail(
                "GK106",
                f"alias '*{event.anchor}' refers to a node that contains it",
                event.start_mark,
            )
        value, size, text = entry
        self.budget.spend(size, text, self.loc(event.start_mark), alias=True)
        return value, size, text


_MAX_INT = 2**1024
_MERGE = object()
_DUPLICATE = object()
