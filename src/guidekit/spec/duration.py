"""ISO 8601 durations (``P90D``, ``P1Y6M``, ``PT12H``), parsed by ``isodate``.

Governance gives a retention period as a duration; the compiler checks it with
:func:`parse` and the handbook writes it out with :func:`words`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:  # imported on first use: most guidelines give no duration
    import isodate

Duration: TypeAlias = "isodate.Duration | dt.timedelta"


def parse(text: str) -> Duration | None:
    """The duration ``text`` names, or ``None`` when it is not an ISO 8601 duration.

    Negative durations (``-P1D``) and designators without a number (``PT``) are refused:
    a period of time needs a length.
    """
    if not isinstance(text, str) or text.startswith("-") or not any(c.isdigit() for c in text):
        return None
    import isodate

    try:
        value: Duration = isodate.parse_duration(text)
    except (isodate.ISO8601Error, ValueError):
        return None
    return value


def words(text: str) -> str:
    """A duration in words (``P90D`` -> ``90 days``); text that is not a duration as written."""
    value = parse(text)
    if value is None:
        return text
    years = months = 0
    delta = value
    import isodate

    if isinstance(value, isodate.Duration):
        years, months, delta = int(value.years), int(value.months), value.tdelta
    assert isinstance(delta, dt.timedelta)
    hours, rest = divmod(delta.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    amounts = [years, months, delta.days, hours, minutes, seconds]
    names = ["year", "month", "day", "hour", "minute", "second"]
    parts = [
        f"{n} {name}{'s' if n != 1 else ''}" for n, name in zip(amounts, names, strict=True) if n
    ]
    return ", ".join(parts) if parts else text
