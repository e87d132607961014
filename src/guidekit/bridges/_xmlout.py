"""Write small XML documents with :mod:`xml.etree.ElementTree`: attributes in the order
given (``None`` leaves one out), two-space indentation (:func:`ET.indent`), one element per
line, empty elements as ``<tag/>``."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'


def element(
    tag: str, attrs: Mapping[str, str | None] | None = None, text: str | None = None
) -> ET.Element:
    """A new element; attributes whose value is ``None`` are left out."""
    el = ET.Element(tag, {k: v for k, v in (attrs or {}).items() if v is not None})
    el.text = text
    return el


def add(parent: ET.Element, child: ET.Element) -> ET.Element:
    """Append ``child`` to ``parent`` and return the child."""
    parent.append(child)
    return child


def comment(text: str) -> str:
    """An XML comment holding ``text`` (``--`` is not allowed inside one)."""
    return _serialize(ET.Comment(" " + text.replace("--", "- -") + " "))


def to_lines(root: ET.Element) -> list[str]:
    """``root`` indented by two spaces, one element per line."""
    ET.indent(root, space="  ")
    return _serialize(root).split("\n")


def _serialize(el: ET.Element[Any]) -> str:
    # ElementTree writes an empty element as "<tag />" and a tab in an attribute as "&#09;";
    # both strings occur nowhere else in its output ("&" and ">" are always escaped in text
    # and attribute values), so the house form ("<tag/>", "&#9;") is a plain substitution.
    text = ET.tostring(el, encoding="unicode", short_empty_elements=True)
    return text.replace(" />", "/>").replace("&#09;", "&#9;")
