"""A small, safe XML reader that keeps line numbers (Pascal VOC, CVAT, Label Studio configs).

Built on the standard library's expat parser. Documents that declare entities or a DTD are
refused (the usual XML bombs need them), and every element remembers the line it starts on so
readers can point at the offending element.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.parsers import expat

from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Location
from guidekit.errors import GuidekitError


class Node:
    """An element: tag, attributes, the line it starts on, children and text."""

    __slots__ = ("attrib", "children", "line", "parts", "tag")

    def __init__(self, tag: str, attrib: dict[str, str], line: int) -> None:
        self.tag = tag
        self.attrib = attrib
        self.line = line
        self.children: list[Node] = []
        self.parts: list[str] = []

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def find(self, tag: str) -> Node | None:
        for child in self.children:
            if child.tag == tag:
                return child
        return None

    def findall(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]

    def findtext(self, tag: str, default: str | None = None) -> str | None:
        child = self.find(tag)
        return default if child is None else child.text.strip()

    def path(self, *tags: str) -> Node | None:
        node: Node | None = self
        for tag in tags:
            node = node.find(tag) if node is not None else None
        return node

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.iter()


class _Refused(Exception):
    pass


def parse(data: bytes, file: str, *, code: str = "GK801") -> Node:
    """Parse a document; :class:`GuidekitError` (``code``) with the line for bad XML."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    stack: list[Node] = []
    root: list[Node] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = Node(tag, attrs, parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def chars(text: str) -> None:
        if stack:
            stack[-1].parts.append(text)

    def refuse(*_: object) -> None:
        raise _Refused

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except _Refused:
        raise GuidekitError(
            diag(
                code,
                "the XML declares a DTD or entities, which guidekit does not read",
                Location(file, parser.CurrentLineNumber),
            )
        ) from None
    except expat.ExpatError as exc:
        raise GuidekitError(
            diag(
                code,
                f"not valid XML: {expat.ErrorString(exc.code)}",
                Location(file, exc.lineno, exc.offset + 1),
            )
        ) from None
    return root[0]


def parse_file(path: Path, file: str, *, code: str = "GK801") -> Node:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GuidekitError(
            diag(code, f"cannot read '{file}': {exc.strerror}", Location(file))
        ) from None
    return parse(data, file, code=code)
