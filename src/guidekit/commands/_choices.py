"""Command-line choices read from a registry when the command line is parsed, so entries
added later (plugins, or registries patched in tests) are accepted and listed in ``--help``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

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


class ByteSize(click.ParamType[int]):
    """A size in bytes: ``1048576``, ``512K``, ``64M``, ``2G`` (binary units)."""

    name = "size"
    _UNITS: ClassVar[dict[str, int]] = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().upper().removesuffix("B").removesuffix("I")
        unit = text[-1:] if text[-1:] in self._UNITS else ""
        number = text[: len(text) - len(unit)]
        if not number.isdigit() or int(number) < 1:
            self.fail(f"{value!r} is not a size such as 65536, 512K or 64M", param, ctx)
        return int(number) * self._UNITS[unit]
