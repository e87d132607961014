"""Partial results of validating one partition of a delivery, and how they are merged into
an engine (shared by :mod:`.partial` and the worker processes of :mod:`._parallel`)."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from guidekit.delivery.report import CodeGroup
from guidekit.diagnostics.model import Diagnostic

if TYPE_CHECKING:
    from guidekit.delivery.files import Source
    from guidekit.delivery.stream import Engine

STABLE = "blake2b-64"


@dataclass
class Partial:
    """What the validation of one partition found. Line numbers in its diagnostics count
    from the partition's first line; :func:`merge_partials` makes them the file's."""

    file: str
    part: int  # the partition's place in its file: 0, 1, 2, ...
    file_index: int = 0  # the file's place in the delivery
    scheme: str = STABLE  # how ids were fingerprinted (only equal schemes merge)
    lines: int = 0
    slow_calls: int = 0
    errors: int = 0
    rejected: int = 0
    with_sev: dict[str, int] = field(default_factory=dict)
    groups: list[CodeGroup] = field(default_factory=list)
    values: dict[str, int] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    skips: dict[str, int] = field(default_factory=dict)
    skip_counts: dict[str, int] = field(default_factory=dict)
    rejected_seqs: bytes = b""  # record numbers (from 0, in the partition) with an error
    ids: bytes = b""  # the id fingerprints, as a flat array of signed 64-bit integers
    # a worker of ``guidekit validate --jobs`` hands its ids over in a spill file instead
    ids_file: str | None = None
    ids_segments: list[array[int]] = field(default_factory=list)
    split_dir: str | None = None  # a worker's accepted/rejected files

    @property
    def key(self) -> tuple[int, int]:
        return (self.file_index, self.part)

    @property
    def accepted(self) -> bool:
        """Whether this partition alone has no record with an error (the delivery's verdict
        needs :func:`merge_partials`)."""
        return not self.rejected


def finish(
    eng: Engine, file: str, part: int, file_index: int, scheme: str, *, spill: bool = False
) -> Partial:
    """The partial result of an engine that has read one partition."""
    assert eng.source is not None
    out = Partial(
        file=file,
        part=part,
        file_index=file_index,
        scheme=scheme,
        lines=eng.n,
        slow_calls=eng.slow_calls,
        errors=eng.errors,
        rejected=eng.source.summary.rejected,
        with_sev=dict(eng.with_sev),
        groups=list(eng.groups.values()),
        values=dict(eng.tally.values),
        versions=dict(eng.tally.versions),
        skips=dict(eng.tally.skips),
        skip_counts=dict(eng.skip_counts),
        rejected_seqs=eng.rejected_seqs.tobytes(),
    )
    if spill:
        out.ids_file, out.ids_segments = eng.ledger.export()
    else:
        out.ids = eng.ledger.fingerprints().tobytes()
    return out


def merge_into(engine: Engine, src: Source, partials: Sequence[Partial]) -> int:
    """Add the partials of one file (in order) to ``engine``; the number of lines."""
    offset = 0
    for p in partials:
        _merge(engine, src, p, offset)
        offset += p.lines
    return offset


def _merge(engine: Engine, src: Source, part: Partial, offset: int) -> None:
    engine.slow_calls += part.slow_calls
    engine.errors += part.errors
    src.summary.rejected += part.rejected
    for k, v in part.with_sev.items():
        engine.with_sev[k] += v
    for g in part.groups:
        key = (g.code, g.severity)
        mine = engine.groups.get(key)
        if mine is None:
            mine = engine.groups[key] = CodeGroup(g.code, g.severity)
        mine.count += g.count
        room = engine.opts.examples - len(mine.examples)
        mine.examples.extend(_shift(d, src.display, offset) for d in g.examples[:room])
    t = engine.tally
    for k, v in part.values.items():
        t.values[k] = t.values.get(k, 0) + v
    for k, v in part.versions.items():
        t.versions[k] = t.versions.get(k, 0) + v
    for k, v in part.skips.items():
        t.skips[k] = t.skips.get(k, 0) + v
    for k, v in part.skip_counts.items():
        engine.skip_counts[k] = engine.skip_counts.get(k, 0) + v
    seqs = array("q")
    seqs.frombytes(part.rejected_seqs)
    base = engine.base + offset
    engine.rejected_seqs.extend(base + s for s in seqs)
    if part.ids_file is not None:
        engine.ledger.absorb(part.ids_file, part.ids_segments)
    if part.ids:
        fps = array("q")
        fps.frombytes(part.ids)
        add = engine.ledger.add
        for at in range(0, len(fps), 1 << 16):
            for fp in fps[at : at + (1 << 16)]:
                add(fp)
            engine.ledger.maybe_spill()


def _shift(d: Diagnostic, file: str, offset: int) -> Diagnostic:
    if d.location.file != file or d.location.line is None or not offset:
        return d
    return replace(d, location=replace(d.location, line=d.location.line + offset))
