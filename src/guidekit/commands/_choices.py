"""Command-line choices read from a registry when the command line is parsed, so entries
added later (plugins, or registries patched in tests) are accepted and listed in ``--help``."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import click


class RegistryChoice(click.Choice[str]):
    """A :class:`click.Choice` whose choices come from ``names()`` each time they are read."""

    def __init__(self, names: Callable[[], Sequence[str]]) -> None:
        self._names = names
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> Sequence[str]:
        return list(self._names())

    @choices.setter
    def choices(self, _: object) -> None:
        pass
