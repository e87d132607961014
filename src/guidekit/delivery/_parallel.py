"""Pass 1 of a large JSON Lines file in several processes (``--jobs``).

The file is cut into byte ranges at line starts; each range is read by a forked worker that
runs the same hot loop as a single process, with its own counters, code groups, id ledger
and split parts. The parent merges the results in range order, shifting line numbers by the
lines of the ranges before, so the report is the same as a single process would write (the
examples of a code are the first ones in the file).

Workers are forked (``fork`` start method), so they share the parent's compiled fast path
and its ``hash`` seed: id fingerprints agree across processes. Where ``fork`` is not
available, validation runs in one process.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import tempfile
from array import array
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidekit.delivery._lines import skip_line
from guidekit.delivery.report import CodeGroup
from guidekit.diagnostics.model import Diagnostic

if TYPE_CHECKING:
    from guidekit.delivery.files import Source
    from guidekit.delivery.stream import Engine

MIN_BYTES_PER_JOB = 16 << 20

_PARENT: Engine | None = None  # set before forking; workers read it
_DONE: Any = None  # shared byte counter for the progress bar


def available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


@dataclass
class Part:
    """What one worker found in its range (line numbers relative to the range)."""

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
    rejected_seqs: bytes = b""
    ids_file: str | None = None
    ids_segments: list[array[int]] = field(default_factory=list)
    split_dir: str | None = None


def ranges(path: Path, jobs: int) -> list[tuple[int, int]]:
    """Byte ranges that start at line starts and cover the file."""
    size = path.stat().st_size
    jobs = max(1, min(jobs, size // MIN_BYTES_PER_JOB or 1))
    cuts = [0]
    with path.open("rb") as f:
        for k in range(1, jobs):
            f.seek(size * k // jobs)
            skip_line(f)
            pos = f.tell()
            if cuts[-1] < pos < size:
                cuts.append(pos)
    cuts.append(size)
    return list(itertools.pairwise(cuts))


def _work(task: tuple[int, int, int, str]) -> Part:
    """In a worker: validate one range of the current source."""
    start, end, index, tmp = task
    parent = _PARENT
    assert parent is not None and parent.source is not None
    split_dir = None
    opts = replace(parent.opts, progress=None, split_dir=None)
    eng = type(parent)(parent.v, opts, tmpdir=tmp)
    if parent.split is not None:
        split_dir = os.path.join(tmp, f"split-{index}")
        eng.split = parent.split.__class__(split_dir, parent.split.ext)
    src = parent.source
    eng.source = replace(src)
    eng.source.summary = replace(src.summary, records=0, rejected=0)
    eng.base = 0
    eng.range_start = start
    run = eng.fast.runner("lines", eng.split is not None, False)
    eng.slow = eng._slow_line
    eng.read_range(src.path, start, end, run, _DONE)
    if eng.split is not None:
        eng.split.flush()
        eng.split.close()
    ids_file, segments = eng.ledger.export()
    return Part(
        lines=eng.n,
        slow_calls=eng.slow_calls,
        errors=eng.errors,
        rejected=eng.source.summary.rejected,
        with_sev=eng.with_sev,
        groups=list(eng.groups.values()),
        values=eng.tally.values,
        versions=eng.tally.versions,
        skips=eng.tally.skips,
        skip_counts=eng.skip_counts,
        rejected_seqs=eng.rejected_seqs.tobytes(),
        ids_file=ids_file,
        ids_segments=segments,
        split_dir=split_dir,
    )


def read_parallel(engine: Engine, src: Source, jobs: int) -> None:
    """Pass 1 of ``src`` in ``jobs`` processes, merged into ``engine``."""
    global _PARENT, _DONE
    assert src.path is not None
    spans = ranges(src.path, jobs)
    tmp = tempfile.mkdtemp(prefix="guidekit-jobs-", dir=engine.opts.tmpdir)
    engine.temp_dirs.append(tmp)
    ctx = multiprocessing.get_context("fork")
    progress = engine.opts.progress
    _PARENT = engine
    _DONE = ctx.Value("q", 0, lock=False)
    try:
        with ctx.Pool(len(spans)) as pool:
            # the progress bar's refresh thread starts after the workers are forked
            if progress is not None:
                progress.start(src.display, src.path.stat().st_size)
            pending = pool.map_async(_work, [(a, b, k, tmp) for k, (a, b) in enumerate(spans)])
            while not pending.ready():
                pending.wait(0.2)
                if progress is not None:
                    progress.update(_DONE.value)
            parts: list[Part] = pending.get()
        if progress is not None:
            progress.stop()
    finally:
        _PARENT = None
        _DONE = None
    offset = 0
    for part in parts:
        _merge(engine, src, part, offset)
        offset += part.lines
    engine.n = offset


def _merge(engine: Engine, src: Source, part: Part, offset: int) -> None:
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
    if part.split_dir is not None and engine.split is not None:
        engine.split.flush()
        engine.split.append_parts(Path(part.split_dir), offset)


def _shift(d: Diagnostic, file: str, offset: int) -> Diagnostic:
    if d.location.file != file or d.location.line is None or not offset:
        return d
    return replace(d, location=replace(d.location, line=d.location.line + offset))
