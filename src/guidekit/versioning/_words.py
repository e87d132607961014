"""Word-level diffs of prose (definitions, descriptions, rationales)."""

from __future__ import annotations

import difflib
import re

from guidekit.versioning.model import WordOps

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> WordOps:
    """``(op, text)`` pairs: ``=`` kept, ``-`` deleted, ``+`` inserted. Whitespace runs are
    compared as written, so joining the ``=`` and ``+`` parts gives ``new`` back."""
    a, b = tokens(old), tokens(new)
    out: list[tuple[str, str]] = []

    def push(op: str, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("=", "".join(a[i1:i2]))
        else:
            push("-", "".join(a[i1:i2]))
            push("+", "".join(b[j1:j2]))
    return tuple(out)


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


def escape_markdown(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("*", "\\*")
        .replace("~", "\\~")
        .replace("<", "&lt;")
        .replace("\n", " ")
    )


def render_markdown(ops: WordOps) -> str:
    """``~~deleted~~ **inserted**``, with whitespace kept outside the markers."""
    out = []
    previous = "="
    for op, text in ops:
        lead, core, trail = _split_ws(text)
        if op == "=" or not core:
            if op != "-":
                out.append(escape_markdown(text))
                previous = "="
            continue
        mark = "~~" if op == "-" else "**"
        space = " " if previous == "-" and op == "+" and not lead else ""
        out.append(f"{space}{escape_markdown(lead)}{mark}{escape_markdown(core)}{mark}")
        out.append(escape_markdown(trail))
        previous = op if not trail else "="
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
