"""Write small XML documents deterministically: attributes in the order given, two-space
indentation, one element per line."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

_ATTR = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;", '"': "&quot;"}


def attr(value: str) -> str:
    return escape(value, _ATTR)


@dataclass
class El:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[El] = field(default_factory=list)
    text: str | None = None

    def add(self, child: El) -> El:
        self.children.append(child)
        return child

    def render(self, indent: int = 0) -> list[str]:
        pad = "  " * indent
        attrs = "".join(f' {k}="{attr(v)}"' for k, v in self.attrs.items() if v is not None)
        if self.text is not None:
            return [f"{pad}<{self.tag}{attrs}>{escape(self.text)}</{self.tag}>"]
        if not self.children:
            return [f"{pad}<{self.tag}{attrs}/>"]
        lines = [f"{pad}<{self.tag}{attrs}>"]
        for child in self.children:
            lines.extend(child.render(indent + 1))
        lines.append(f"{pad}</{self.tag}>")
        return lines


def comment(text: str) -> str:
    return "<!-- " + text.replace("--", "- -") + " -->"
