"""Scan built HTML for markup that runs code: the oracle of the XSS tests."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

DANGEROUS_TAGS = {"iframe", "object", "embed", "form", "style", "base", "meta", "link", "frame"}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text", "data:application")


def _theme(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    """Elements mkdocs-material itself writes on every page (search and palette forms, the
    search reset link); no payload can produce these exact attributes."""
    a = dict(attrs)
    if tag == "form" and (a.get("class") or "").startswith("md-"):
        return True
    return (
        tag == "a"
        and a.get("href") == "javascript:void(0)"
        and "md-search__icon" in (a.get("class") or "")
    )


class _Scan(HTMLParser):
    def __init__(self, allow_head: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.allow_head = allow_head
        self.in_head = False
        self.script: list[str] | None = None
        self.script_src: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self.in_head = True
        if _theme(tag, attrs):
            return
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRS and value is not None:
                norm = re.sub(r"[\x00-\x20]", "", html.unescape(value)).lower()
                if norm.startswith(BAD_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self.script = []
            self.script_src = dict(attrs).get("src")
        elif tag in DANGEROUS_TAGS and not (self.in_head and self.allow_head):
            self.problems.append(f"<{tag}> element")

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        if tag == "script" and self.script is not None:
            body = "".join(self.script)
            if "alert(" in body or "xss" in body.lower():
                self.problems.append(f"<script> running {body[:60]!r}")
            if self.script_src and "xss" in self.script_src.lower():
                self.problems.append(f"<script src={self.script_src!r}>")
            self.script = None

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script.append(data)


def scan_html(text: str, *, page: bool = True) -> list[str]:
    """Problems in one HTML document (``page``: a whole page, whose head may hold styles)."""
    s = _Scan(allow_head=page)
    s.feed(text)
    s.close()
    return s.problems


def scan_site(site: Path) -> dict[str, list[str]]:
    """Problems per file, for every HTML file and the search index of a built site."""
    import json

    out: dict[str, list[str]] = {}
    for path in sorted(site.rglob("*.html")):
        found = scan_html(path.read_text(encoding="utf-8"))
        if found:
            out[path.relative_to(site).as_posix()] = found
    index = site / "search" / "search_index.json"
    if index.is_file():
        for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]:
            for key in ("title", "text"):
                found = scan_html(doc.get(key, ""), page=False)
                if found:
                    out.setdefault(f"search:{doc['location']}:{key}", []).extend(found)
    return out
