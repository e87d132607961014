"""Numbers a delivery may hold, and their types on the delivery fast path."""

from __future__ import annotations

#: The integers a delivery may hold (GK506 beyond): signed or unsigned 64-bit.
INT_RANGE = (-(2**63), 2**64 - 1)
#: A float field decodes a JSON integer literal beyond 64 bits as a rounded float: the fast
#: path takes only magnitudes strictly inside these bounds (a literal just outside them may
#: round onto a bound), so the full checker, which reads the literal exactly, decides the
#: rest (GK506 for an integer literal, the usual checks for a float one).
FLOAT_BOUNDS = (-9223372036854775808.0, 18446744073709551616.0)


def number_type(integer: bool, lo: float | None, hi: float | None) -> str:
    """The msgspec type of a number field of the fast path, bounded by ``lo``/``hi`` and
    always within 64 bits, so a number beyond them never passes the fast path."""
    import math

    if integer:
        # msgspec's bounds must fit an int64: an unsigned value above them takes the full
        # checker, which accepts it
        int64 = (-(2**63), 2**63 - 1)
        low = int64[0] if lo is None else max(math.ceil(lo), int64[0])
        high = int64[1] if hi is None else min(math.floor(hi), int64[1])
        return f"Annotated[int, Meta(ge={low}, le={high})]"
    bmin, bmax = FLOAT_BOUNDS
    low_s = f"ge={lo!r}" if lo is not None and lo > bmin else f"gt={bmin!r}"
    high_s = f"le={hi!r}" if hi is not None and hi < bmax else f"lt={bmax!r}"
    return f"Annotated[float, Meta({low_s}, {high_s})]"
