"""Word-level diffs of prose (definitions, descriptions, rationales)."""

from __future__ import annotations

import difflib
import re

from guidekit.spec.markdown import EMPHASIS, escape_markdown
from guidekit.versioning.model import WordOps

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> WordOps:
    """``(op, text)`` pairs: ``=`` kept, ``-`` deleted, ``+`` inserted. Joining the ``=`` and
    ``+`` parts gives ``new`` back, the ``=`` and ``-`` parts ``old``.

    A run of changes separated only by spaces or one short word (``a``, ``or``, ``,``) reads
    as one change, so such gaps are folded into the deletion and the insertion around them.
    """
    a, b = tokens(old), tokens(new)
    raw: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            raw.append(("=", "".join(a[i1:i2])))
        else:
            raw.append(("-", "".join(a[i1:i2])))
            raw.append(("+", "".join(b[j1:j2])))
    return tuple(_fold(raw))


def _is_gap(text: str) -> bool:
    words = [t for t in tokens(text) if not t.isspace()]
    return not words or (len(words) == 1 and len(words[0]) <= 3)


def _fold(raw: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Merge changes across small gaps, then join neighbours with the same op."""
    groups: list[list[tuple[str, str]]] = []  # alternating: kept text, or a run of changes
    for op, text in raw:
        if not text:
            continue
        if op == "=":
            groups.append([(op, text)])
        elif groups and groups[-1][0][0] != "=":
            groups[-1].append((op, text))
        else:
            groups.append([(op, text)])
    merged: list[list[tuple[str, str]]] = []
    i = 0
    while i < len(groups):
        group = groups[i]
        if (
            group[0][0] == "="
            and merged
            and merged[-1][0][0] != "="
            and i + 1 < len(groups)
            and _is_gap(group[0][1])
        ):
            gap = group[0][1]
            merged[-1] = [*merged[-1], ("-", gap), ("+", gap), *groups[i + 1]]
            i += 2
            continue
        merged.append(list(group))
        i += 1
    out: list[tuple[str, str]] = []
    for group in merged:
        if group[0][0] == "=":
            out.append(group[0])
            continue
        deleted = "".join(t for op, t in group if op == "-")
        inserted = "".join(t for op, t in group if op == "+")
        out += [(op, t) for op, t in (("-", deleted), ("+", inserted)) if t]
    return out


def similarity(old: str, new: str) -> float:
    """Share of words kept (0..1), comparing words only."""
    a = [t for t in tokens(old.lower()) if not t.isspace()]
    b = [t for t in tokens(new.lower()) if not t.isspace()]
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _split_ws(text: str) -> tuple[str, str, str]:
    core = text.strip()
    if not core:
        return text, "", ""
    start = text.index(core)
    return text[:start], core, text[start + len(core) :]


def render_markdown(ops: WordOps) -> str:
    """``~~deleted~~ **inserted**``, with whitespace kept outside the markers.

    Markers do not render inside a code span, so a change inside one closes the span, marks
    the changed words as code of their own (``~~`8`~~**`10`**``) and reopens the span for
    the text after it. Emphasis characters are escaped outside code spans only."""
    out: list[str] = []
    code = False  # inside a code span of the text
    closed = False  # ... that was closed for a marker and is not reopened yet

    def plain(text: str) -> str:
        nonlocal code, closed
        buf = []
        for ch in text:
            if ch == "`":
                if code and closed:
                    code = closed = False  # the span ends where it was closed already
                    continue
                code = not code
                buf.append(ch)
            elif code and closed and not ch.isspace():
                buf.append("`" + ch)  # reopen the span for the text after a marker
                closed = False
            else:
                buf.append(ch if code else escape_markdown(ch, EMPHASIS))
        return "".join(buf)

    previous = "="
    for op, text in ops:
        lead, core, trail = _split_ws(text)
        if op == "=" or not core:
            if op != "-":
                out.append(plain(text))
                previous = "="
            continue
        mark = "~~" if op == "-" else "**"
        space = " " if previous == "-" and op == "+" and not lead else ""
        if code and "`" not in core:
            if not closed:
                out.append("`")
                closed = True
            body = f"`{core}`"
        else:
            body = escape_markdown(core, EMPHASIS)
        out.append(f"{space}{plain(lead)}{mark}{body}{mark}")
        out.append(plain(trail))
        previous = op if not trail else "="
    if code and closed:
        out.append("`")  # an unbalanced span stays as the text wrote it
    return _collapse_spaces("".join(out))


def render_text(ops: WordOps) -> str:
    """``[-deleted-]{+inserted+}``, as ``git diff --word-diff`` writes it."""
    out = []
    for op, text in ops:
        lead, core, trail = _split_ws(text)
        if op == "=" or not core:
            if op != "-":
                out.append(text)
            continue
        out.append(f"{lead}[-{core}-]{trail}" if op == "-" else f"{lead}{{+{core}+}}{trail}")
    return _collapse_spaces("".join(out).replace("\n", " "))


def _collapse_spaces(text: str) -> str:
    return re.sub(r"[ \t]{2,}", " ", text).strip()
