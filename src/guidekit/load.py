"""Stage 1: read one YAML file into a node tree that remembers file, line and column.

Only the safe subset of YAML is accepted: the core scalar types, sequences and mappings,
anchors and aliases (bounded later, when the tree is expanded), merge keys. Custom tags,
several documents per file, invalid UTF-8, tabs used as indentation and oversized files are
located errors. Parsing uses libyaml when it is available (``CSafeLoader``), which keeps large
taxonomies fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from guidekit.codes import diag
from guidekit.diagnostics import Location
from guidekit.errors import GuidekitError

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class YamlFile:
    """A parsed file: its project-relative ``name`` and the root node (``None`` if empty)."""

    name: str
    path: Path
    root: yaml.Node | None


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


def parse_text(text: str, name: str, path: Path | None = None) -> YamlFile:
    """Parse YAML text into a node tree, turning every parser error into a located GK1xx."""
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        lines = text.splitlines()
        here = lines[mark.line] if mark and mark.line < len(lines) else ""
        indent = here[: len(here) - len(here.lstrip(" \t"))]
        if "\t" in indent or "\\t" in problem or "tab" in problem:
            raise GuidekitError(
                diag(
                    "GK104",
                    "tab character used for indentation",
                    Location(name, line, column),
                    hint="indent with spaces",
                )
            ) from None
        context = f" ({exc.context.strip()})" if exc.context and exc.problem else ""
        raise GuidekitError(
            diag("GK103", problem + context, Location(name, line, column))
        ) from None
    except yaml.YAMLError as exc:  # reader errors (control characters, ...)
        mark = getattr(exc, "position", None)
        raise GuidekitError(
            diag("GK103", str(exc).splitlines()[0], Location(name, None if mark is None else 1))
        ) from None
    except RecursionError:
        raise GuidekitError(
            diag("GK107", "document nested too deeply", Location(name, 1, 1))
        ) from None
    if len(nodes) > 1:
        mark = nodes[1].start_mark
        raise GuidekitError(
            diag(
                "GK111",
                "several YAML documents in one file",
                Location(name, mark.line + 1, mark.column + 1),
                hint="split the documents into separate files and include them",
            )
        )
    return YamlFile(name=name, path=path or Path(name), root=nodes[0] if nodes else None)


def read_file(path: Path, name: str, *, max_bytes: int = MAX_FILE_BYTES) -> YamlFile:
    """Read and parse one guideline file; ``name`` is how locations will spell it."""
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
    return parse_text(decode(data, name), name, path)
