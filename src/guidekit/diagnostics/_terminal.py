"""Text diagnostics for people at a terminal: colour and source excerpts.

Whether to colour follows the usual conventions: ``NO_COLOR`` (any non-empty value) turns
colour off, ``FORCE_COLOR`` turns it on even when the stream is not a terminal, otherwise a
terminal gets colour and a pipe or file does not. ``NO_COLOR`` wins when both are set.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TextIO

from guidekit.diagnostics.model import Location, Severity

#: Reads line ``n`` (1-based) of ``file``; ``None`` when the file or the line is not there.
LineReader = Callable[[str, int], str | None]

RESET = "\x1b[0m"
BOLD = "\x1b[1m"
DIM = "\x1b[2m"
CYAN = "\x1b[36m"
SEVERITY_STYLE: Mapping[Severity, str] = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;34m",
}


def use_color(stream: TextIO | None, environ: Mapping[str, str] | None = None) -> bool:
    """Should text written to ``stream`` be coloured (and carry source excerpts)?"""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{RESET}" if color else text


class FileLines:
    """A :data:`LineReader` over files on disk (paths as the diagnostics spell them),
    each file read once."""

    def __init__(self) -> None:
        self._cache: dict[str, list[str] | None] = {}

    def __call__(self, file: str, line: int) -> str | None:
        if file not in self._cache:
            try:
                with open(file, encoding="utf-8", errors="replace") as fh:
                    self._cache[file] = fh.read().splitlines()
            except OSError:
                self._cache[file] = None
        lines = self._cache[file]
        if lines is None or not 1 <= line <= len(lines):
            return None
        return lines[line - 1]


def excerpt(
    location: Location,
    read_line: LineReader,
    *,
    color: bool,
    severity: Severity = Severity.ERROR,
) -> list[str]:
    """The source line ``location`` points at with a caret under its column, rustc-style::

           |
        17 |         defintion: The customer asks ...
           |         ^

    Empty when the location has no file or line, or the line cannot be read.
    """
    if not location.file or not location.line:
        return []
    text = read_line(location.file, location.line)
    if text is None:
        return []
    text = text.expandtabs(1)  # one column per character, so the caret lines up
    number = str(location.line)
    gutter = " " * len(number)
    bar = paint("|", CYAN, color)
    out = [f"{gutter} {bar}", f"{paint(number, CYAN, color)} {bar} {text}"]
    if location.column:
        caret = " " * (location.column - 1) + paint("^", SEVERITY_STYLE[severity], color)
        out.append(f"{gutter} {bar} {caret}")
    return out
