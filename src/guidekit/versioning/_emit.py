"""Shared helpers of the differ: building changes and comparing small values.

A :class:`Scope` carries what every change found in one place shares (the subject, the task
and class, the location, the owner whose declarations apply), so the comparisons read as
one line each: ``s.value("task-values-changed", "unit", a.unit, b.unit)``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from guidekit.diagnostics.model import Location
from guidekit.versioning._words import similarity, word_diff
from guidekit.versioning.classify import RULES
from guidekit.versioning.model import Action, Change

SNIPPET = 100
LONG = 10_000


def snippet(value: Any, limit: int = SNIPPET) -> str:
    """A short one-line text for a value (records show their longest text field)."""
    if isinstance(value, Mapping):
        texts = [v for v in value.values() if isinstance(v, str) and v.strip()]
        text = max(texts, key=len) if texts else canonical(value)
    elif isinstance(value, str):
        text = value
    else:
        text = canonical(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def canonical(value: Any) -> str:
    """Canonical JSON of a value (sorted keys), for equality and display. Pydantic models
    and IR dataclasses count by their compared fields (locations are left out)."""
    return orjson.dumps(value, default=_default, option=_CANONICAL).decode()


_CANONICAL = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS


def _default(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if dataclasses.is_dataclass(value):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value) if f.compare}
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    raise TypeError(f"cannot compare {type(value).__name__}")


def code(value: Any) -> str:
    """A value for a message, in backticks."""
    if isinstance(value, (list, tuple)):
        return ", ".join(code(v) for v in value) if value else "nothing"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def pair_texts(removed: list[str], added: list[str]) -> list[tuple[str | None, str | None]]:
    """Pair reworded items (similar enough) of two lists; the rest stay unpaired."""
    scored = sorted(
        ((similarity(r, a), i, j) for i, r in enumerate(removed) for j, a in enumerate(added)),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_r: set[int] = set()
    used_a: set[int] = set()
    pairs: list[tuple[str | None, str | None]] = []
    for score, i, j in scored:
        if score < 0.5 or i in used_r or j in used_a:
            continue
        used_r.add(i)
        used_a.add(j)
        pairs.append((removed[i], added[j]))
    pairs.extend((r, None) for i, r in enumerate(removed) if i not in used_r)
    pairs.extend((None, a) for j, a in enumerate(added) if j not in used_a)
    return pairs


def same_text(old: str | None, new: str | None) -> bool:
    """Texts equal up to whitespace (a YAML re-wrap is not a change)."""
    if not old or not new:
        return (old or None) == (new or None)
    return old.split() == new.split()


class Emitter:
    """Collects changes in the order they are found."""

    def __init__(self) -> None:
        self.changes: list[Change] = []

    def scope(self, subject: str, **context: Any) -> Scope:
        return Scope(self, subject, context)


@dataclass(frozen=True)
class Scope:
    emitter: Emitter
    subject: str
    context: dict[str, Any] = field(default_factory=dict)

    def sub(self, subject: str | None = None, **more: Any) -> Scope:
        return replace(self, subject=subject or self.subject, context={**self.context, **more})

    def add(
        self,
        rule: str,
        action: Action,
        message: str,
        *,
        old: Any = None,
        new: Any = None,
        words: bool = False,
        **more: Any,
    ) -> None:
        ctx = {**self.context, **more}
        r = RULES[rule]
        limit = LONG if words else SNIPPET
        self.emitter.changes.append(
            Change(
                rule=rule,
                action=action,
                subject=ctx.pop("subject", self.subject),
                message=message,
                impact=r.impact,
                computed=r.impact,
                reason=_sentence(ctx.pop("reason", None) or r.doc),
                old=None if old is None else snippet(old, limit),
                new=None if new is None else snippet(new, limit),
                words=word_diff(old, new)
                if words and isinstance(old, str) and isinstance(new, str)
                else None,
                task=ctx.get("task"),
                class_id=ctx.get("class_id"),
                name=ctx.get("name"),
                targets=tuple(ctx.get("targets", ())),
                loc=ctx.get("loc") if isinstance(ctx.get("loc"), Location) else None,
                owner=tuple(ctx.get("owner", ())),
                levels=tuple(dict.fromkeys(ctx.get("levels", ()))),
            )
        )

    def text(self, rule: str, label: str, old: str | None, new: str | None, **more: Any) -> None:
        """A text that was added, removed or reworded."""
        if same_text(old, new):
            return
        if not old:
            self.add(rule, "added", f"{label} added", new=new, **more)
        elif not new:
            self.add(rule, "removed", f"{label} removed", old=old, **more)
        else:
            self.add(rule, "changed", f"{label} reworded", old=old, new=new, words=True, **more)

    def value(self, rule: str, label: str, old: Any, new: Any, **more: Any) -> bool:
        """A setting that changed (``True`` when it did)."""
        if canonical(old) == canonical(new):
            return False
        self.add(rule, "changed", f"{label}: {code(old)} → {code(new)}", **more)
        return True

    def bound(
        self,
        label: str,
        old: float | None,
        new: float | None,
        *,
        higher_is_stricter: bool,
        rules: tuple[str, str],
    ) -> None:
        """A lower or upper bound that moved; ``None`` is unbounded. ``rules`` are the rule
        when the value got stricter and when it got looser."""
        if old == new:
            return
        # a bound that appears is stricter; one that goes away is looser
        stricter = old is None if old is None or new is None else (new > old) == higher_is_stricter
        self.value(rules[0] if stricter else rules[1], label, old, new)

    def flag(self, label: str, old: bool, new: bool, *, rules: tuple[str, str]) -> None:
        """A boolean setting; ``rules`` are the rule when it became true and false."""
        if old != new:
            self.value(rules[0] if new else rules[1], label, old, new)


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
