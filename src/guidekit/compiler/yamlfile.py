"""Stage 1: read one YAML file as text, with located errors for what cannot be read.

Only UTF-8 is accepted (a byte order mark is allowed); files above a size limit are refused
before they are read. Parser errors become located GK1xx diagnostics via
:func:`yaml_error`. Turning the text into data is :mod:`guidekit.compiler._events`' job.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import yaml

from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.errors import GuidekitError

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    # the pure-Python loader stands in for the C one: a different class with the same API
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 64 * 1024 * 1024

__all__ = ["MAX_FILE_BYTES", "Loader", "decode", "file_problem", "read_text", "yaml_error"]


def file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a plain file, or ``None`` when it can.

    Asked before anything in a project is opened: a device (``/dev/stdin``, ``/dev/zero``),
    a FIFO or a socket would block or never end, and a path with a NUL byte or a name too
    long for the file system raises instead of answering ``is_file()``.
    """
    text = str(path)
    if "\0" in text:
        return "contains a NUL byte"
    try:
        mode = os.stat(text).st_mode
    except FileNotFoundError:
        return "does not exist"
    except NotADirectoryError:
        return "does not exist (a part of the path is a file)"
    except (OSError, ValueError) as exc:
        why = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
        return "cannot be read: " + why[:1].lower() + why[1:]
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a device, FIFO or socket is never read)"
    return None


def _offset_to_line_col(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    start = before.rfind(b"\n") + 1
    column = len(before[start:].decode("utf-8", errors="replace")) + 1
    return line, column


def decode(data: bytes, name: str) -> str:
    """Decode UTF-8 (a BOM is allowed) or raise GK102 at the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _offset_to_line_col(data, exc.start)
        raise GuidekitError(
            diag(
                "GK102",
                f"invalid UTF-8 byte 0x{data[exc.start]:02x}",
                Location(name, line, column),
                hint="save the file as UTF-8",
            )
        ) from None


def yaml_error(exc: yaml.YAMLError, text: str, name: str) -> Diagnostic:
    """A located diagnostic for a PyYAML error raised while parsing ``text``."""
    if isinstance(exc, yaml.reader.ReaderError):
        # a control character: PyYAML gives its offset in the text, not a mark
        before = text[: exc.position]
        at = (before.count("\n") + 1, exc.position - before.rfind("\n"))
        return diag("GK103", str(exc).splitlines()[0], Location(name, *at))
    if not isinstance(exc, yaml.MarkedYAMLError):
        first = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        return diag("GK103", first, Location(name))
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    lines = text.splitlines()
    here = lines[mark.line] if mark and mark.line < len(lines) else ""
    indent = here[: len(here) - len(here.lstrip(" \t"))]
    if "\t" in indent or "\\t" in problem:
        return diag(
            "GK104",
            "tab character used for indentation",
            Location(name, line, column),
            hint="indent with spaces",
        )
    context = f" ({exc.context.strip()})" if exc.context and exc.problem else ""
    hint = next((h for key, h in _HINTS if key in problem), None)
    return diag("GK103", problem + context, Location(name, line, column), hint=hint)


_HINTS = (
    (
        "mapping values are not allowed",
        "a value containing ': ' must be quoted, or this line "
        "is indented more than the key above it",
    ),
    ("could not find expected ':'", "a line is missing its 'key:' or a quote is not closed"),
    ("did not find expected key", "check the indentation: items of one mapping line up"),
    ("did not find expected '-' indicator", "items of a list must line up under each other"),
    ("found undefined alias", "an alias (*name) needs an anchor (&name) earlier in the file"),
    ("found unexpected end of stream", "a quote or bracket is not closed"),
    ("found character '@'", "'@' and '`' cannot start a plain value; quote it"),
)


def read_text(path: Path, name: str, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read one guideline file; ``name`` is how locations will spell it."""
    problem = file_problem(path)
    if problem is not None:
        raise GuidekitError(diag("GK101", problem, Location(name)))
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise GuidekitError(
                diag(
                    "GK107",
                    f"file is {size} bytes, more than the limit of {max_bytes}",
                    Location(name),
                )
            )
        data = path.read_bytes()
    except GuidekitError:
        raise
    except IsADirectoryError:
        raise GuidekitError(diag("GK101", "is a folder, not a file", Location(name))) from None
    except OSError as exc:
        raise GuidekitError(diag("GK101", exc.strerror or str(exc), Location(name))) from None
    return decode(data, name)
