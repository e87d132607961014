"""File formats of deliveries and tool exports, built in and from plugins.

A third-party package adds a format through the ``guidekit.formats`` entry point group,
each entry naming a :class:`FileFormat`; a plugin cannot replace a built-in format::

    [project.entry-points."guidekit.formats"]
    tsv = "my_package.tsv:FORMAT"

``guidekit export --format NAME`` writes any format that has a writer. Built-in formats keep
their tables in :mod:`guidekit.bridges` (``READERS``, ``WRITERS``, ``FOLDER_FORMATS``);
:func:`get` answers for both kinds.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.metadata import EntryPoint

from guidekit import plugins
from guidekit.bridges import FOLDER_FORMATS, READERS, WRITERS, Reader, Writer
from guidekit.bridges._export import Exported
from guidekit.delivery.read import RawRecord


@dataclass(frozen=True)
class FileFormat:
    """What a ``guidekit.formats`` entry point names.

    ``read(path, guideline, **options) -> Iterator[RawRecord]`` turns a file (or a folder,
    when ``folder``) into native records, as the built-in readers do (see
    :mod:`guidekit.bridges`). ``write(records, guideline, out, **options) -> Exported``
    writes native record dicts and returns an :class:`Exported`; ``None`` for a format guidekit only reads. ``options`` come
    from ``-O KEY=VALUE`` on the command line, as strings, and all need defaults.
    """

    read: Reader
    write: Writer | None = None
    folder: bool = False


@functools.cache
def plugin_formats() -> dict[str, EntryPoint]:
    """Formats declared by installed packages (not imported until used)."""
    return plugins.discover("guidekit.formats", {*READERS, *WRITERS})


def names() -> list[str]:
    """Every format: the built-in ones in their table order, then plugins by name."""
    return [*READERS, *sorted(plugin_formats())]


def get(name: str) -> FileFormat:
    """The format called ``name`` (``KeyError`` when there is none)."""
    if name in READERS:
        return FileFormat(READERS[name], WRITERS.get(name), name in FOLDER_FORMATS)
    found: FileFormat = plugins.load(
        plugin_formats()[name], lambda obj: isinstance(obj, FileFormat)
    )
    return found


__all__ = ["Exported", "FileFormat", "RawRecord", "get", "names", "plugin_formats"]
