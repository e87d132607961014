"""Pass 1 of a large JSON Lines file in several processes (``--jobs``).

The file is cut into byte ranges at line starts; each range is read by a forked worker that
runs the same hot loop as a single process, with its own counters, code groups, id ledger
and split parts. The parent merges the results (:class:`.partial.Partial`) in range order with
:func:`.partial.merge_into`, shifting line numbers by the lines of the ranges before, so the report is the same as a single process would write (the
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
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidekit.delivery._lines import skip_line
from guidekit.delivery._partials import Partial, finish, merge_into
from guidekit.delivery.ids import hash_scheme

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


def _work(task: tuple[int, int, int, str]) -> Partial:
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
    out = finish(eng, src.display, index, 0, hash_scheme(), spill=True)
    out.split_dir = split_dir
    return out


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
            parts: list[Partial] = pending.get()
        if progress is not None:
            progress.stop()
    finally:
        _PARENT = None
        _DONE = None
    engine.n = merge_into(engine, src, parts)
    if engine.split is not None:
        offset = 0
        for part in parts:
            assert part.split_dir is not None
            engine.split.flush()
            engine.split.append_parts(Path(part.split_dir), offset)
            offset += part.lines
