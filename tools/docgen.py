"""Regenerate the generated parts of ``spec/``: ``python -m tools.docgen [--check]``.

``spec/format.md`` and ``spec/diagnostics.md`` are written by hand except for one block each,
between ``<!-- BEGIN GENERATED: name -->`` and ``<!-- END GENERATED: name -->``;
``spec/guideline.schema.json`` is generated whole. With ``--check`` nothing is written: the
command lists the stale files and exits 1, so CI catches a model change without its docs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from guidekit.spec.reference import diagnostics_reference, format_reference, meta_schema_json

ROOT = Path(__file__).resolve().parents[1]

#: Files with a generated block: path relative to the repository, marker, content.
BLOCKS: tuple[tuple[str, str, Callable[[], str]], ...] = (
    ("spec/format.md", "format-reference", format_reference),
    ("spec/diagnostics.md", "diagnostics", diagnostics_reference),
)
#: Files generated whole.
WHOLE: tuple[tuple[str, Callable[[], str]], ...] = (
    ("spec/guideline.schema.json", meta_schema_json),
)


def markers(marker: str) -> tuple[str, str]:
    return f"<!-- BEGIN GENERATED: {marker} -->", f"<!-- END GENERATED: {marker} -->"


def update_generated(text: str, marker: str, content: str) -> str:
    """``text`` with the block between the ``marker`` lines replaced by ``content``.

    The block becomes the begin line, a blank line, ``content``, a blank line and the end
    line (blank lines keep Markdown renderers from merging the comment into the content).
    Raises :class:`ValueError` unless each marker line occurs exactly once, in order.
    """
    begin, end = markers(marker)
    if text.count(begin) != 1 or text.count(end) != 1:
        raise ValueError(f"expected one '{begin}' and one '{end}'")
    start = text.index(begin) + len(begin)
    stop = text.index(end)
    if stop < start:
        raise ValueError(f"'{end}' comes before '{begin}'")
    return text[:start] + "\n\n" + content.strip("\n") + "\n\n" + text[stop:]


def expected_files(root: Path = ROOT) -> dict[Path, str]:
    """Every generated file with the content it should have now."""
    out: dict[Path, str] = {}
    for rel, marker, render in BLOCKS:
        path = root / rel
        current = path.read_text(encoding="utf-8")
        out[path] = update_generated(current, marker, render())
    for rel, render in WHOLE:
        out[root / rel] = render()
    return out


def stale_files(expected: dict[Path, str]) -> list[Path]:
    """The files of ``expected`` whose content on disk differs (or that are missing)."""
    return [
        path
        for path, text in expected.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.docgen",
        description="Regenerate the generated parts of spec/.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a generated file is out of date",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="repository root holding spec/ (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    root: Path = args.root
    try:
        expected = expected_files(root)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stale = stale_files(expected)
    for path in stale:
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        if args.check:
            print(f"{rel} is out of date; run `python -m tools.docgen`")
        else:
            path.write_text(expected[path], encoding="utf-8", newline="\n")
            print(f"wrote {rel}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
