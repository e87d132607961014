"""Semantic versions of guidelines: parse, compare, and check a bump against an impact.

A major version 0 follows Cargo's reading of semver: ``0.y`` releases are unstable, so a
breaking change needs a minor bump (``0.3.1`` -> ``0.4.0``) and everything else a patch bump.
Moving between a pre-release and its release, or between two pre-releases of the same
version (``3.0.0-rc.1`` -> ``3.0.0-rc.2`` -> ``3.0.0``), satisfies any change.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal

import semver


class Impact(str, enum.Enum):
    """Effect of a change on existing labels, as a semver level."""

    MAJOR = "major"
    MINOR = "minor"
    PATCH = "patch"

    @property
    def rank(self) -> int:
        return {"patch": 0, "minor": 1, "major": 2}[self.value]

    @property
    def word(self) -> str:
        return {"major": "breaking", "minor": "compatible", "patch": "editorial"}[self.value]

    @classmethod
    def highest(cls, impacts: list[Impact]) -> Impact | None:
        return max(impacts, key=lambda i: i.rank) if impacts else None


Bump = Literal["major", "minor", "patch", "none", "prerelease", "backwards"]


@dataclass(frozen=True, order=False, slots=True)
class Version:
    major: int
    minor: int
    patch: int
    pre: tuple[str, ...] = ()

    @property
    def core(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    def key(self) -> tuple[tuple[int, int, int], int, tuple[tuple[int, int | str], ...]]:
        """Sort key with semver precedence (a pre-release sorts before its release)."""
        pre = tuple((0, int(p)) if p.isdigit() else (1, p) for p in self.pre)
        return (self.core, 0 if self.pre else 1, pre)

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        return text + ("-" + ".".join(self.pre) if self.pre else "")


def parse(text: str) -> Version | None:
    """The version ``text`` names, or ``None`` when it is not a semantic version.

    Parsing follows semver.org's grammar through the ``semver`` package: three numbers
    without leading zeros, an optional pre-release and optional build metadata (ignored
    for precedence, so it is dropped here).
    """
    if not isinstance(text, str):
        return None
    try:
        v = semver.Version.parse(text.strip())
    except (ValueError, TypeError):
        return None
    pre = tuple(v.prerelease.split(".")) if v.prerelease else ()
    return Version(v.major, v.minor, v.patch, pre)


def sort_key(text: str) -> tuple[int, tuple[object, ...]]:
    """Sort versions by precedence; text that is not a version sorts first, by text."""
    v = parse(text)
    return (1, v.key()) if v is not None else (0, (text,))


def in_range(version: str, old: str, new: str) -> bool:
    """Whether ``old < version <= new`` (string equality with ``new`` when unparsable)."""
    v, a, b = parse(version), parse(old), parse(new)
    if v is None or a is None or b is None:
        return version == new
    return a.key() < v.key() <= b.key()


def bump(old: Version, new: Version) -> Bump:
    if new.key() < old.key():
        return "backwards"
    if new.key() == old.key():
        return "none"
    if new.core == old.core:
        return "prerelease"
    if new.major != old.major:
        return "major"
    if new.minor != old.minor:
        return "minor"
    return "patch"


def covers(kind: Bump, old: Version) -> Impact | None:
    """The highest impact a bump of ``kind`` from ``old`` allows (``None``: none)."""
    if kind == "prerelease":
        return Impact.MAJOR
    if kind in ("none", "backwards"):
        return None
    if old.major == 0:
        return Impact.MAJOR if kind in ("major", "minor") else Impact.MINOR
    return Impact(kind)


def next_version(old: Version, impact: Impact) -> Version:
    """The smallest release after ``old`` that allows ``impact``."""
    if old.pre:
        # a pre-release may be released as it is
        return Version(old.major, old.minor, old.patch)
    if impact is Impact.MAJOR:
        if old.major == 0:
            return Version(0, old.minor + 1, 0)
        return Version(old.major + 1, 0, 0)
    if impact is Impact.MINOR and old.major != 0:
        return Version(old.major, old.minor + 1, 0)
    return Version(old.major, old.minor, old.patch + 1)
