"""JSON documents with line numbers: the items of a top-level array, members of an object.

Tool exports are one JSON document (a Label Studio export is an array of tasks, a COCO file
an object of arrays). To report a malformed item by line, the reader walks the document with
the standard library's decoder (``raw_decode`` in C) and keeps each value's offset; a line is
looked up from the offset only when needed.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Location
from guidekit.errors import GuidekitError

_WS = re.compile(r"[ \t\n\r]*")
_BOM = "\ufeff"


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


DECODER = json.JSONDecoder(parse_constant=_no_constant)
#: Reads ``NaN``, ``Infinity`` and ``-Infinity`` as floats, for readers that report a
#: non-finite number on its item instead of refusing the whole file.
LENIENT_DECODER = json.JSONDecoder()


class JsonText:
    """A JSON document held as text, with offsets to line numbers."""

    def __init__(self, text: str, file: str, *, lenient: bool = False) -> None:
        self.decoder = LENIENT_DECODER if lenient else DECODER
        self.text = text[1:] if text.startswith(_BOM) else text
        self.file = file
        self._newlines: list[int] | None = None
        self._last = (0, 1)

    @classmethod
    def read(cls, path: Path, file: str, *, lenient: bool = False) -> JsonText:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise GuidekitError(
                diag("GK801", f"cannot read '{file}': {exc.strerror}", Location(file))
            ) from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise GuidekitError(
                diag("GK801", f"invalid UTF-8 byte 0x{data[exc.start]:02x}", Location(file, line))
            ) from None
        return cls(text, file, lenient=lenient)

    def line(self, offset: int) -> int:
        """The 1-based line of ``offset``. Readers ask in increasing order, so lines are
        counted on from the last answer; going back searches an index of all newlines."""
        last_offset, last_line = self._last
        if offset >= last_offset:
            line = last_line + self.text.count("\n", last_offset, offset)
            self._last = (offset, line)
            return line
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._newlines, offset) + 1

    def _ws(self, pos: int) -> int:
        m = _WS.match(self.text, pos)
        return m.end() if m else pos

    def _fail(self, message: str, pos: int) -> GuidekitError:
        line = self.line(pos)
        nl = self.text.rfind("\n", 0, pos)
        return GuidekitError(
            diag("GK801", f"not valid JSON: {message}", Location(self.file, line, pos - nl))
        )

    def _value(self, pos: int) -> tuple[Any, int]:
        try:
            return self.decoder.raw_decode(self.text, pos)
        except json.JSONDecodeError as exc:
            raise self._fail(exc.msg, exc.pos) from None
        except ValueError as exc:
            raise self._fail(str(exc), pos) from None

    def start(self) -> tuple[str, int]:
        """The kind of the top-level value (``[``, ``{`` or other) and where it starts."""
        pos = self._ws(0)
        if pos >= len(self.text):
            raise self._fail("the file is empty", pos)
        return self.text[pos], pos

    def array_items(self, pos: int) -> Iterator[tuple[int, Any]]:
        """``(line, value)`` of each item of the array starting at ``pos``."""
        if self.text[pos] != "[":
            raise self._fail("expected an array", pos)
        pos = self._ws(pos + 1)
        if self.text.startswith("]", pos):
            return
        while True:
            start = pos
            value, pos = self._value(pos)
            yield self.line(start), value
            pos = self._ws(pos)
            if self.text.startswith(",", pos):
                pos = self._ws(pos + 1)
                continue
            if self.text.startswith("]", pos):
                return
            raise self._fail("expected ',' or ']' after an array item", pos)

    def object_members(
        self, pos: int, arrays: frozenset[str] = frozenset()
    ) -> Iterator[tuple[str, Any, list[int] | None]]:
        """``(key, value, lines)`` of each member of the object at ``pos``. For keys in
        ``arrays`` whose value is an array, ``lines`` holds the line of each item."""
        if self.text[pos] != "{":
            raise self._fail("expected an object", pos)
        pos = self._ws(pos + 1)
        if self.text.startswith("}", pos):
            return
        while True:
            key, pos = self._value(pos)
            if not isinstance(key, str):
                raise self._fail("object keys must be strings", pos)
            pos = self._ws(pos)
            if not self.text.startswith(":", pos):
                raise self._fail("expected ':' after an object key", pos)
            pos = self._ws(pos + 1)
            if key in arrays and self.text.startswith("[", pos):
                value, lines, pos = self._array_with_lines(pos)
                yield key, value, lines
            else:
                value, pos = self._value(pos)
                yield key, value, None
            pos = self._ws(pos)
            if self.text.startswith(",", pos):
                pos = self._ws(pos + 1)
                continue
            if self.text.startswith("}", pos):
                return
            raise self._fail("expected ',' or '}' after an object member", pos)

    def _array_with_lines(self, pos: int) -> tuple[list[Any], list[int], int]:
        items: list[Any] = []
        lines: list[int] = []
        pos = self._ws(pos + 1)
        if self.text.startswith("]", pos):
            return items, lines, pos + 1
        while True:
            lines.append(self.line(pos))
            value, pos = self._value(pos)
            items.append(value)
            pos = self._ws(pos)
            if self.text.startswith(",", pos):
                pos = self._ws(pos + 1)
                continue
            if self.text.startswith("]", pos):
                return items, lines, pos + 1
            raise self._fail("expected ',' or ']' after an array item", pos)

    def value_at(self, pos: int) -> Any:
        return self._value(pos)[0]

    def load(self) -> Any:
        _kind, pos = self.start()
        value, end = self._value(pos)
        end = self._ws(end)
        if end != len(self.text):
            raise self._fail("extra data after the JSON value", end)
        return value


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)
