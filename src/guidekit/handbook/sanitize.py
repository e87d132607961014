"""Safe text for the handbook.

Definitions, rationales and notes are Markdown written by many contributors, and the handbook
is read in a browser. Nothing they write may become markup the handbook did not intend:

- :func:`markdown` keeps Markdown formatting (emphasis, lists, code, tables, ``http(s)`` and
  ``mailto`` links) but escapes every raw HTML tag, neutralises links to any other scheme
  (``javascript:``, ``data:``, relative paths) and reference definitions, and escapes the
  ``{...}`` of attribute lists (which could otherwise add ``onclick=`` to an element);
- :func:`plain` escapes a plain string (an id, a name, a value) so it shows as written
  (:func:`fragment` does the same for a piece of a longer text);
- :func:`html_text` escapes text placed in raw HTML or SVG;
- :func:`html_markdown` renders Markdown to HTML for raw-HTML contexts, with raw HTML
  disabled in the Markdown parser and the result cleaned by ``nh3`` with an allowlist.

The output of :func:`markdown` is unambiguous: every backtick that is not one of its own code
span delimiters is escaped, so Python-Markdown finds exactly the code spans this module found.
"""

from __future__ import annotations

import html
import re

from guidekit.tasktypes._handbook_page import html_text as html_text  # re-exported

#: Characters Python-Markdown (with the tables extension) accepts after a backslash.
ESCAPABLE = frozenset("\\`*_{}[]()>#+-.!|")
SAFE_SCHEMES = ("http://", "https://", "mailto:")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_REFDEF = re.compile(r"^( {0,3})\[(?=[^\]\n]*\]:)", re.MULTILINE)
_HEADING = re.compile(r"^( {0,3})#", re.MULTILINE)
_WS = re.compile(r"\s+")


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def safe_url(url: str) -> bool:
    """Whether a link destination is an absolute ``http(s)`` or ``mailto`` URL.

    The destination is read the way a browser would: entities decoded, whitespace and control
    characters dropped, case folded. Anything else (``javascript:``, ``data:``, ``vbscript:``,
    relative paths, anchors) is unsafe in text written by contributors.
    """
    text = html.unescape(url)
    text = re.sub(r"[\x00-\x20\x7f\\]", "", text).lstrip("<").lower()
    return text.startswith(SAFE_SCHEMES)


def _code_span(content: str) -> str:
    content = _WS.sub(" ", content)
    longest = max((len(m) for m in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if content.startswith("`") or content.endswith("`") else ""
    return f"{fence}{pad}{content}{pad}{fence}"


_SPECIAL = re.compile(r"\\.?|[<`{}]", re.DOTALL)


def _special(m: re.Match[str]) -> str:
    s = m.group(0)
    if s[0] == "\\":
        # an escape pair stays as written; a lone backslash must not escape what follows
        return s if len(s) == 2 and s[1] in ESCAPABLE else "&#92;" + _special_char(s[1:])
    return _special_char(s)


def _special_char(c: str) -> str:
    if c == "<":
        return "&lt;"
    if c == "`":
        return "\\`"
    if c in ("{", "}"):
        return "\\" + c
    return c


def _prose(text: str) -> str:
    out = _SPECIAL.sub(_special, text)
    return _neutralise_links(out) if "](" in out else out


def _neutralise_links(text: str) -> str:
    """Turn ``[text](dest)`` whose destination is not safe into plain text."""
    out: list[str] = []
    pos = 0
    for m in re.finditer(r"\]\(", text):
        rest = text[m.end() :]
        stop = re.search(r"[)\"']", rest)
        candidate = rest[: stop.start()] if stop else rest
        if not safe_url(candidate):
            out.append(text[pos : m.start()] + "]\\(")
            pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def markdown(text: str | None, *, inline: bool = False) -> str:
    """Contributor Markdown made safe to embed in a handbook page.

    ``inline`` folds the text onto one line (for list items and table cells); block mode also
    escapes headings, so a definition cannot open a section of the page.
    """
    if not text:
        return ""
    text = _clean(text).strip()
    if inline:
        text = _WS.sub(" ", text)
    parts: list[str] = []
    pos = 0
    for m in _CODE.finditer(text):
        start = m.start()
        # a backslash run of odd length escapes the opening backtick: not code
        if (len(text[:start]) - len(text[:start].rstrip("\\"))) % 2:
            continue
        parts.append(_prose(text[pos:start]))
        parts.append(_code_span(m.group(2)))
        pos = m.end()
    parts.append(_prose(text[pos:]))
    out = "".join(parts)
    out = _REFDEF.sub(r"\1\\[", out)
    if not inline:
        out = _HEADING.sub(r"\1\\#", out)
    return out


def cell(text: str | None) -> str:
    """Markdown for one table cell: one line, pipes escaped."""
    return _pipes(markdown(text, inline=True))


def _pipes(text: str) -> str:
    out = []
    prev = ""
    for c in text:
        out.append("\\|" if c == "|" and prev != "\\" else c)
        prev = c if prev != "\\" else ""
    return "".join(out)


_PLAIN = str.maketrans({"&": "&amp;", "<": "&lt;", **{c: "\\" + c for c in "\\`*_[]{}#|"}})


def plain(text: object) -> str:
    """A plain value shown exactly as written (no Markdown meaning), on one line."""
    return _WS.sub(" ", _clean(str(text))).strip().translate(_PLAIN)


def fragment(text: object) -> str:
    """A piece of a longer text (a word diff's run) shown exactly as written: like
    :func:`plain`, but the spaces at its ends are kept (as one space) so pieces join up."""
    return _WS.sub(" ", _clean(str(text))).translate(_PLAIN)


def block_start(text: str) -> str:
    """``text`` safe at the start of a block (a list item): a leading ``-``, ``+``, ``>`` or
    ``1.`` would otherwise open a nested list or a quote."""
    if text[:1] == ">" or re.match(r"^[-+*](\s|$)", text):
        return "\\" + text
    m = re.match(r"^(\d+)([.)])", text)
    if m:
        return f"{m.group(1)}\\{m.group(2)}{text[m.end() :]}"
    return text


def code(text: object) -> str:
    """A value as an inline code span (any backticks in it are handled)."""
    s = _clean(str(text))
    return _code_span(s) if s.strip() else "` `"


_ALLOWED_TAGS = {"p", "em", "strong", "code", "a", "ul", "ol", "li", "br", "blockquote", "pre"}


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "a" and attr == "href" and not safe_url(value):
        return None
    return value


def html_markdown(text: str | None) -> str:
    """Markdown rendered to clean HTML, for places where Markdown is not processed."""
    if not text:
        return ""
    import markdown as md
    import nh3

    parser = md.Markdown(output_format="html")
    parser.preprocessors.deregister("html_block")
    parser.inlinePatterns.deregister("html")
    rendered = parser.convert(_clean(text))
    return nh3.clean(
        rendered,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


_TITLE = str.maketrans({"<": "‹", ">": "›", "&": "+", '"': "”", "'": "’", "`": "’"})


def title_text(text: object) -> str:
    """Text for a page or site title: mkdocs themes insert titles into HTML unescaped (and
    unescape entities for tooltips), so characters that mean something in HTML are replaced
    with look-alikes that do not."""
    return _WS.sub(" ", _clean(str(text))).strip().translate(_TITLE)


def first_sentence(text: str | None, limit: int = 200) -> str:
    """The first sentence (or line) of a text, for one-line summaries."""
    if not text:
        return ""
    flat = _WS.sub(" ", _clean(text)).strip()
    m = re.search(r"(?<=[.!?])\s", flat)
    one = flat[: m.start()] if m else flat
    if len(one) > limit:
        cut = one[:limit].rsplit(" ", 1)[0]
        one = cut + " …"
    return one
