"""Validation in partitions, on any engine: a picklable plan, partial results, one merge.

A delivery cut into partitions (byte ranges of a file, the files of a bucket, the
partitions of a Spark or Dask dataframe, ...) is validated partition by partition, anywhere,
and the partial results are merged into the one :class:`~guidekit.delivery.Report` a single
``guidekit validate`` would write::

    plan = Plan(guideline)                       # pickles as the IR; rebuilt lazily
    partials = pool.map(plan.check_partition, parts)   # any executor, any order
    report = merge_partials(plan, partials, reread=lines_of)

A :class:`Partial` holds counters, the first examples of each diagnostic code, the criteria
counters and one 64-bit id fingerprint per record (8 bytes a record): never the records.
The cross-record work happens in :func:`merge_partials`, over all partials at once:
duplicate ids across partitions, the guideline-version and distribution checks, the
acceptance criteria and the verdict. Fingerprints only nominate duplicates; when two
records share one, ``reread(file, part)`` gives that partition's lines again and the ids
are compared exactly (as ``guidekit validate`` does in its second pass), so a fingerprint
collision never reports a false duplicate.

``guidekit validate --jobs`` runs its worker processes through this same merge.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from guidekit import ir
from guidekit.delivery._partials import STABLE, Partial, finish, merge_into
from guidekit.delivery.files import Source
from guidekit.delivery.ids import hash_scheme, stable_fingerprint
from guidekit.delivery.report import Report
from guidekit.diagnostics.model import Diagnostic

if TYPE_CHECKING:
    from guidekit.delivery.stream import Engine
    from guidekit.delivery.validator import RecordValidator

__all__ = ["Partial", "Plan", "merge_partials"]

LINES_PER_BLOCK = 4096


class Plan:
    """A guideline compiled for validating partitions. It pickles as its IR and options
    (a few hundred kilobytes at most); the generated decoder and checks are rebuilt lazily
    in the process that uses them, once per process."""

    def __init__(self, guideline: ir.Guideline, *, examples: int = 5) -> None:
        self.guideline = guideline
        self.examples = examples
        self._validator: RecordValidator | None = None

    @classmethod
    def load(cls, project: str | os.PathLike[str], *, examples: int = 5) -> Plan:
        """The plan of the guideline project in the folder ``project``."""
        from guidekit.compiler.pipeline import load

        return cls(load(project), examples=examples)

    def __getstate__(self) -> dict[str, Any]:
        return {"guideline": self.guideline, "examples": self.examples}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["guideline"], examples=state["examples"])  # type: ignore[misc]

    @property
    def validator(self) -> RecordValidator:
        if self._validator is None:
            from guidekit.delivery.validator import RecordValidator

            self._validator = RecordValidator(self.guideline)
        return self._validator

    def engine(self) -> Engine:
        from guidekit.delivery.stream import Engine, Options

        eng = Engine(self.validator, Options(examples=self.examples))
        eng.fingerprint = stable_fingerprint
        return eng

    def check_partition(
        self,
        lines: Iterable[bytes],
        *,
        file: str = "<delivery>",
        part: int = 0,
        file_index: int = 0,
    ) -> Partial:
        """Validate one partition of a JSON Lines delivery: its lines in order (bytes, with
        or without their newline), the ``part``-th partition of ``file``."""
        eng = self.engine()
        eng.source = Source(file, "jsonl")
        eng.range_start = 1 if part else 0  # only a file's first line may carry a BOM
        eng.slow = eng._slow_line
        run = self.validator.fast.runner("lines", False, False, stable=True)
        n = 0
        try:
            for block in _blocks(lines):
                eng.n = n
                n = run(block, n, eng)
                eng.ledger.maybe_spill()
            eng.n = n
            return finish(eng, file, part, file_index, STABLE)
        finally:
            eng.ledger.close()

    def __call__(self, partition: tuple[str, int, Iterable[bytes]]) -> Partial:
        """``check_partition`` of a ``(file, part, lines)`` triple (for ``executor.map``)."""
        file, part, lines = partition
        return self.check_partition(lines, file=file, part=part)


def _blocks(lines: Iterable[bytes | str]) -> Iterator[list[bytes]]:
    block: list[bytes] = []
    for line in lines:
        block.append(line.encode("utf-8", "surrogatepass") if isinstance(line, str) else line)
        if len(block) >= LINES_PER_BLOCK:
            yield block
            block = []
    if block:
        yield block


def merge_partials(
    plan: Plan,
    partials: Iterable[Partial],
    *,
    reread: Callable[[str, int], Iterable[bytes | str]] | None = None,
) -> Report:
    """The report of a whole delivery from the partial results of all its partitions, in
    any order. ``reread(file, part)`` gives a partition's lines again; it is called only
    when two records share an id fingerprint, for the partitions holding one."""
    parts = sorted(partials, key=lambda p: p.key)
    keys = [p.key for p in parts]
    if len(set(keys)) != len(keys):
        dup = next(k for k in keys if keys.count(k) > 1)
        raise ValueError(f"two partials claim the same place (file_index, part) {dup}")
    schemes = {p.scheme for p in parts}
    if len(schemes) > 1:
        raise ValueError(
            f"partials fingerprint ids differently ({', '.join(sorted(schemes))}): "
            "make them all with Plan.check_partition"
        )
    by_file: dict[int, list[Partial]] = {}
    for p in parts:
        by_file.setdefault(p.file_index, []).append(p)
    for group in by_file.values():
        if [p.part for p in group] != list(range(len(group))):
            raise ValueError(
                f"the partials of {group[0].file} are parts {[p.part for p in group]}: "
                "every part from 0 on is needed"
            )
    eng = plan.engine()
    if schemes and schemes != {STABLE}:
        from guidekit.delivery.ids import fingerprint

        if schemes != {hash_scheme()}:
            raise ValueError("these partials were made in a process with another hash seed")
        eng.fingerprint = fingerprint
    sources = [Source(group[0].file, "jsonl") for group in by_file.values()]
    try:
        for src, group in zip(sources, by_file.values(), strict=True):
            eng.source = src
            eng.base = eng.records
            src.summary.records = merge_into(eng, src, group)
            eng.records += src.summary.records
        distinct, repeated = eng.ledger.scan()
        late: dict[int, tuple[Diagnostic, Any]] = {}
        if repeated:
            if reread is None:
                raise ValueError(
                    "two records share an id fingerprint: pass reread= so that "
                    "merge_partials can name the duplicates"
                )
            from guidekit.delivery._duplicates import second_pass

            late = second_pass(eng, sources, repeated, _again(eng, parts, reread, repeated))
        return eng._report(sources, distinct, late)
    finally:
        eng.ledger.close()


def _again(
    eng: Engine,
    parts: Sequence[Partial],
    reread: Callable[[str, int], Iterable[bytes | str]],
    repeated: set[int],
) -> Iterator[tuple[int, Any]]:
    """The records' ids again, with their sequence numbers in the delivery: only of the
    partitions that hold a repeated fingerprint."""
    from guidekit.delivery._duplicates import id_decoder, read_id

    key = eng.layout.id_key
    decode = id_decoder(key)
    seq = 0
    line = 0
    previous = None
    for p in parts:
        if p.file_index != previous:
            previous, line = p.file_index, 0
        if p.ids and repeated.isdisjoint(array("q", p.ids)):
            seq += p.lines
            line += p.lines
            continue
        count = 0
        for raw in reread(p.file, p.part):
            line += 1
            count += 1
            data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
            yield seq, read_id(decode, key, data, p.file, line, not data.endswith(b"\n"))
            seq += 1
        if count != p.lines:
            raise ValueError(
                f"reread({p.file!r}, {p.part}) gave {count} lines; the partition had {p.lines}"
            )
