"""CoNLL named-entity files: one token per line with its tag in the last column.

Reader: columns are tab-separated (or, without tabs, space-separated, as in CoNLL-2003); the
first column is the token and the last the tag; a blank line ends a sentence and
``-DOCSTART-`` lines are skipped. The sentence-per-line layout (``token|POS|tag`` items, as
spaCy's examples) is recognised too. Tags are ``O`` or ``B-``/``I-`` + label (IOB2), also
``E-``/``L-`` and ``S-``/``U-`` (BIOES/BILOU). An ``I-`` that continues nothing starts a
span and is reported (IOB2 spans start with ``B-``; pass ``scheme=iob1`` for IOB1 files).
CoNLL keeps no text, only tokens: the record's text is the tokens joined by single spaces,
and span offsets point into it. Each sentence is one record; its id comes from a preceding
``# id = ...`` comment line, else its position (``1``, ``2``, ...). With ``unit=document``
each ``-DOCSTART-`` document is one record (its sentences joined by newlines).

Writer: tokens are the text's whitespace-separated words, also cut at span boundaries;
``token<TAB>tag`` lines in IOB2, a blank line between records. Ids are written as
``# id = ...`` comments only with ``ids=true`` (most CoNLL readers do not expect comments).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidekit import ir
from guidekit.bridges._common import RecordBuilder, file_error, require_task
from guidekit.bridges._export import Exported, regions
from guidekit.bridges._text import span_types, tokenize
from guidekit.delivery.read import RawRecord

FMT = "CoNLL"
_TAG = re.compile(r"^([BIESLU])[-_](.+)$")
_ID = re.compile(r"^#\s*(?:sent_)?id\s*[=:]\s*(.+?)\s*$")


@dataclass
class _Sentence:
    line: int
    tokens: list[tuple[str, str, int]] = field(default_factory=list)  # token, tag, line
    id: str | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)


def _lines(path: Path, file: str) -> Iterator[tuple[int, str | None]]:
    """``(number, text)`` of each line, streaming; ``None`` for a line that is not UTF-8."""
    try:
        f = path.open("rb")
    except OSError as exc:
        raise file_error("GK801", f"cannot read '{file}': {exc.strerror}", file) from None
    with f:
        for n, raw in enumerate(f, 1):
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield n, raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                yield n, None


def _sentences(path: Path, file: str, unit: str) -> Iterator[_Sentence]:
    current: _Sentence | None = None
    pending_id: str | None = None
    for n, line in _lines(path, file):
        if line is None:
            if current is None:
                current = _Sentence(n, id=pending_id)
                pending_id = None
            current.problems.append((n, "the line is not valid UTF-8"))
            continue
        stripped = line.strip()
        if stripped.startswith("-DOCSTART-"):
            if current is not None and (current.tokens or current.problems):
                yield current
            current = None
            continue
        if not stripped:
            if unit == "document" and current is not None:
                current.tokens.append(("\n", "", n))
                continue
            if current is not None and (current.tokens or current.problems):
                yield current
            current = None
            continue
        m = _ID.match(stripped)
        if m:
            if current is not None and (current.tokens or current.problems):
                yield current
                current = None
            pending_id = m.group(1)
            continue
        if current is None:
            current = _Sentence(n, id=pending_id)
            pending_id = None
        items = stripped.split()
        if "\t" not in line and len(items) > 2 and all("|" in x for x in items):
            for item in items:  # sentence per line: token|POS|tag
                parts = item.split("|")
                current.tokens.append((parts[0], parts[-1], n))
            yield current
            current = None
            continue
        cols = line.rstrip("\r\n").split("\t") if "\t" in line else items
        cols = [c.strip() for c in cols]
        if len(cols) < 2:
            current.problems.append(
                (n, f"line has one column ({stripped!r}); expected a token and a tag")
            )
            continue
        current.tokens.append((cols[0], cols[-1], n))
    if current is not None and (current.tokens or current.problems):
        yield current


def read_conll(path: str | Path, guideline: ir.Guideline, **options: Any) -> Iterator[RawRecord]:
    """Records of a CoNLL file (see the module docstring)."""
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise file_error("GK801", f"'{file}' is not a file", file)
    task = require_task(guideline, span_types(), options.get("task"), fmt=FMT, file=file)
    if not task.over:
        raise file_error("GK805", f"{FMT}: task '{task.id}' has no text field", file)
    unit = str(options.get("unit", "sentence"))
    iob1 = str(options.get("scheme", "iob2")).lower() == "iob1"
    for k, sent in enumerate(_sentences(path, file, unit), 1):
        b = RecordBuilder(file, sent.line)
        b.data[guideline.delivery.id] = sent.id if sent.id is not None else str(k)
        for line, message in sent.problems:
            b.problem("GK802", message, line=line)
        while sent.tokens and sent.tokens[-1][0] == "\n":  # blank lines closing a document
            sent.tokens.pop()
        text, spans = _decode(b, task, sent.tokens, iob1)
        b.data[task.over] = text
        b.data[task.id] = spans
        yield b.build()


def _decode(
    b: RecordBuilder, task: ir.Task, tokens: list[tuple[str, str, int]], iob1: bool
) -> tuple[str, list[dict[str, Any]]]:
    parts: list[str] = []
    pos = 0
    spans: list[dict[str, Any]] = []
    open_span: dict[str, Any] | None = None
    open_type: str | None = None

    def close() -> None:
        nonlocal open_span, open_type
        if open_span is not None:
            spans.append(open_span)
        open_span, open_type = None, None

    for token, tag, line in tokens:
        if token == "\n":  # sentence break inside a document
            close()
            if parts:
                parts.append("\n")
                pos += 1
            continue
        if parts and parts[-1] != "\n":
            parts.append(" ")
            pos += 1
        start, end = pos, pos + len(token)
        parts.append(token)
        pos = end
        if tag == "O":
            close()
            continue
        m = _TAG.match(tag)
        if not m:
            b.problem(
                "GK802", f"tag {tag!r} is not O or B-/I-/E-/S- followed by a label", line=line
            )
            close()
            continue
        prefix, kind = m.group(1), m.group(2)
        continues = open_span is not None and open_type == kind and prefix in ("I", "E", "L")
        if continues:
            assert open_span is not None
            open_span["end"] = end
        else:
            close()
            if prefix in ("I", "E", "L") and not iob1:
                b.problem(
                    "GK802",
                    f"{tag} after {'O' if open_type is None else 'another label'}: an IOB2 span "
                    "starts with B-",
                    line=line,
                    hint="pass the option scheme=iob1 for IOB1 files",
                )
            label = b.label(task, kind, None, line=line)
            open_span = {"start": start, "end": end, "label": label}
            open_type = kind
        if prefix in ("E", "L", "S", "U"):
            close()
    close()
    return "".join(parts), spans


# -- writer -----------------------------------------------------------------------------------------


def write_conll(
    records: Iterable[Mapping[str, Any]], guideline: ir.Guideline, out: str | Path, **options: Any
) -> Exported:
    """Write native records as CoNLL (``token<TAB>tag``, IOB2)."""
    out = Path(out)
    g = guideline
    task = require_task(g, span_types(), options.get("task"), fmt=FMT, file=str(out))
    ids = str(options.get("ids", "false")).lower() in ("1", "true", "yes")
    result = Exported()
    for other in g.tasks.values():
        if other is not task:
            result.warn_once(
                other.id,
                f"task '{other.id}' ({other.type}) is not written: CoNLL holds one span task",
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    blocks: list[str] = []
    for rec in records:
        text = rec.get(task.over or "")
        if not isinstance(text, str):
            result.fail(rec, g, f"has no text in '{task.over}'; CoNLL needs the text to tokenise")
            continue
        spans = sorted(
            (
                s
                for s in regions(rec, task)
                if isinstance(s.get("start"), int) and isinstance(s.get("end"), int)
            ),
            key=lambda s: (s["start"], -s["end"]),
        )
        if any(sp.get("attributes") for sp in spans):
            result.warn_once(
                "attributes", "span attributes are not written: CoNLL has no place for them"
            )
        kept: list[dict[str, Any]] = []
        for s in spans:
            if kept and s["start"] < kept[-1]["end"]:
                result.fail(
                    rec,
                    g,
                    f"span {s['start']}..{s['end']} overlaps another; CoNLL tags cannot nest, it is left out",
                )
                continue
            kept.append(s)
        cuts = [v for s in kept for v in (s["start"], s["end"])]
        lines = [f"# id = {rec.get(g.delivery.id)}"] if ids else []
        k = 0
        inside: dict[str, Any] | None = None
        for start, end in tokenize(text, cuts):
            while k < len(kept) and kept[k]["end"] <= start:
                k += 1
            tag = "O"
            if k < len(kept) and kept[k]["start"] <= start < kept[k]["end"]:
                tag = ("I-" if inside is kept[k] else "B-") + str(kept[k]["label"])
                inside = kept[k]
            else:
                inside = None
            lines.append(f"{text[start:end]}\t{tag}")
        if len(lines) == (1 if ids else 0):
            result.fail(rec, g, "has an empty text; CoNLL cannot hold an empty sentence")
            continue
        blocks.append("\n".join(lines) + "\n")
        result.records += 1
    out.write_text("\n".join(blocks), encoding="utf-8", newline="\n")
    result.paths.append(out)
    return result
