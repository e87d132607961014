"""The fast path: typed msgspec decoding plus generated semantic checks.

From the IR, :mod:`guidekit.delivery._codegen` writes Python source -- msgspec ``Struct``
classes for a record (labels as ``Literal`` types, ranges as ``Meta`` constraints) and a
``check(record)`` function -- compiled here once. Decoding a JSON line into the structs
validates types, keys, labels and attributes in C; ``check`` adds span bounds, quoted text,
overlaps, box geometry, conditional attributes, relations and the rules. The hot loop
(:func:`_loop_source`) inlines ``check`` and counts what the report needs.

A key written twice in one object is GK550 in the full checker, but msgspec keeps the last
of the two silently (msgspec issue 648). So every line the fast path vouches for passes
:data:`KEYS_KEPT`: the decoded record, encoded again by msgspec, holds as many ``"`` as the
line (each ``\\u0022`` of the line counted as one more). This is exact, not a heuristic:
a ``"`` of valid JSON opens or closes a key or a string, or is escaped (``\\"`` in both,
``\\u0022`` in the line becomes ``\\"``); numbers, ``true``, ``false`` and ``null`` hold
none; date-times are strings both ways; and every struct is ``omit_defaults``, so a field
the line did not write is not written back. Any key the decode dropped -- a repeated one,
an unknown one skipped, an explicit ``null`` where absence means the same -- takes its two
quotes (at least) with it, so the counts differ and the line goes to the full checker,
which reports GK550 where a key was repeated and otherwise decides as it always does. The
cost is one encode and two byte counts per line (bench/README.md).

The fast path only ever answers "this record is clean" (not a single diagnostic, warnings
included) or "look closer". Everything it cannot vouch for -- aliases, deprecated labels,
another guideline version, unsorted spans, anything unusual -- is sent to the full checker
(:mod:`guidekit.delivery.check`), which is the reference. Tests check the soundness: a record
the fast path accepts has no diagnostic in the full checker.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import sys
import types
from collections.abc import Callable
from typing import Any

import msgspec

from guidekit import ir
from guidekit.delivery._codegen import FAIL, SKIP_MARK, Generator, Src, distribution_cond
from guidekit.delivery.ids import MASK, stable_hash
from guidekit.record.layout import Layout
from guidekit.tasktypes.keypoints import TASK_TYPE as KEYPOINTS
from guidekit.tasktypes.polygon import Polygon

__all__ = ["DECODE_ERRORS", "KEYS_KEPT", "FastPath", "distribution_cond"]

DECODE_ERRORS = (msgspec.MsgspecError, ValueError, TypeError)
_SERIAL = itertools.count(1)


#: Whether the decoded record ``r`` kept every key of the JSON line ``raw`` (see above): an
#: expression of the generated code, where ``_ENC`` is msgspec's JSON encoder.
KEYS_KEPT = (
    "raw.count(b'\"') + (raw.count(b'\\\\u0022') if b'\\\\' in raw else 0) == _ENC(r).count(b'\"')"
)


class _Slow(Exception):
    """Raised by the inlined checks: the record needs the full checker."""


class FastPath:
    """Generated structs and checks for one guideline."""

    def __init__(self, guideline: ir.Guideline) -> None:
        self.g = guideline
        self.layout = Layout.of(guideline)
        gen = Generator(guideline, self.layout)
        self.source = gen.module()
        self.counters = gen.counters
        self.check_body = gen.check_body
        self.consts = gen.consts
        module = types.ModuleType(f"guidekit.delivery._generated_{next(_SERIAL)}")
        sys.modules[module.__name__] = module  # msgspec resolves annotations through it
        ns: dict[str, Any] = module.__dict__
        ns.update(
            {
                "msgspec": msgspec,
                "Struct": msgspec.Struct,
                "Meta": msgspec.Meta,
                "field": msgspec.field,
                "UNSET": msgspec.UNSET,
                "UnsetType": msgspec.UnsetType,
                "_polygon": Polygon.check_points,
                "_keypoints": KEYPOINTS.check_shape,
                "_TASKS": guideline.tasks,
                "_GETLABEL": operator.attrgetter("label"),
                "_GETID": operator.attrgetter("id"),
                "_NOTNONE": functools.partial(operator.is_not, None),
                "_INF": math.inf,
                "_count": operator.countOf,
                "_ENC": msgspec.json.Encoder().encode,
                "_Slow": _Slow,
                "_ERRORS": DECODE_ERRORS,
                # OverflowError: any arithmetic the fast path cannot do goes to the full checker
                "_CAUGHT": (
                    msgspec.MsgspecError,
                    ValueError,
                    RecursionError,
                    OverflowError,
                    _Slow,
                ),
                **gen.consts,
            }
        )
        exec(compile(self.source, f"<guidekit fast path for {guideline.id}>", "exec"), ns)
        exec(f"def keys_kept(raw, r):\n    return {KEYS_KEPT}\n", ns)
        self.ns = ns
        self.Record: type = ns["Record"]
        self.check: Callable[[Any], bool] = ns["check"]
        self.decode: Callable[[bytes], Any] = msgspec.json.Decoder(self.Record).decode
        #: ``keys_kept(raw, decoded)``: no key of the line was dropped by the decode
        self.keys_kept: Callable[[bytes, Any], bool] = ns["keys_kept"]
        self.id_attr: str = gen.fields[self.layout.id_key]
        self.skip_attr: str = gen.fields[self.layout.meta["skip"]]
        self._runners: dict[tuple[str, bool, bool, bool], Callable[..., Any]] = {}

    def convert(self, data: dict[str, Any]) -> Any:
        return msgspec.convert(data, self.Record)

    def clean_bytes(self, raw: bytes) -> bool:
        """Whether the fast path vouches for this JSON line."""
        try:
            rec = self.decode(raw)
            return self.keys_kept(raw, rec) and bool(self.check(rec))
        except (*DECODE_ERRORS, RecursionError, OverflowError):
            return False

    def clean(self, data: dict[str, Any]) -> bool:
        """Whether the fast path vouches for this record."""
        try:
            rec = self.convert(data)
            return bool(self.check(rec))
        except (*DECODE_ERRORS, RecursionError, OverflowError):
            return False

    def runner(
        self, kind: str, split: bool, expect: bool, stable: bool = False
    ) -> Callable[..., Any]:
        """The hot loop, generated for ``kind`` (``lines`` of JSON or ``dicts``). With
        ``stable``, id fingerprints are :func:`.ids.stable_hash` instead of ``hash``."""
        key = (kind, split, expect, stable)
        if key not in self._runners:
            src = _loop_source(self, kind, split, expect)
            ns = dict(self.ns)
            if stable:
                ns["hash"] = stable_hash
            exec(compile(src, f"<guidekit loop for {self.g.id}>", "exec"), ns)
            self._runners[key] = ns["run"]
        return self._runners[key]


def _loop_source(fp: FastPath, kind: str, split: bool, expect: bool) -> str:
    """The hot loop: decode, check (inlined), count; anything unusual goes to ``st.slow``."""
    s = Src()
    names = [c.name for c in fp.counters]
    s("def run(items, _ln, st):")
    with s.indent():
        s("slow = st.slow; bk = st.ledger.appenders")
        s("skips = st.skip_counts")
        s("dec = st.fast.decode" if kind == "lines" else "conv = st.fast.convert")
        if split:
            s("acc = st.split.accepted.append")
        if expect:
            s("mark = st.expected.mark")
        for name in names:
            s(f"{name} = 0")
        s("try:")
        with s.indent():
            s("for _ln, raw in enumerate(items, _ln + 1):")
            with s.indent():
                if kind != "lines":
                    s("data = raw.data")
                    # a tool reader's finding (GK80x) is reported by the full checker
                    s("if data is None or raw.error is not None:")
                    with s.indent():
                        s("slow(raw, _ln); continue")
                s("try:")
                with s.indent():
                    s("r = dec(raw)" if kind == "lines" else "r = conv(data)")
                    if kind == "lines":  # a dict (CSV, a tool's reader) has no repeated key
                        s(f"if not {KEYS_KEPT}: raise _Slow")
                    for line in fp.check_body:
                        if line.strip() == SKIP_MARK:
                            if not expect:
                                indent = line[: len(line) - len(line.lstrip())]
                                s(f"{indent}skips[sk] = skips.get(sk, 0) + 1")
                            continue
                        s(FAIL.sub("raise _Slow", line))
                s("except _CAUGHT:")
                with s.indent():
                    s("slow(raw, _ln); continue")
                s(f"i = r.{fp.id_attr}")
                s("if i.__class__ is str:")
                with s.indent():
                    s("h = hash(i)")
                s("else:")
                with s.indent():
                    # an integer id beyond 64 bits is GK506 in the full checker
                    s("if not -9223372036854775808 <= i < 18446744073709551616:")
                    with s.indent():
                        s("slow(raw, _ln); continue")
                    s("h = hash(str(i))")
                if expect:
                    s("if not mark(h):")
                    with s.indent():
                        s("slow(raw, _ln); continue")
                    s("if sk is not None:")
                    with s.indent():
                        s("skips[sk] = skips.get(sk, 0) + 1")
                s(f"bk[h & {MASK}](h)")
                for c in fp.counters:
                    if c.within:
                        with s.indent():
                            s(f"if {c.expr}: {c.name} += 1")
                    else:
                        s(f"if {c.expr}:")
                        with s.indent():
                            s(f"{c.name} += 1")
                if split:
                    s("acc(raw)" if kind == "lines" else "acc(raw.raw)")
        s("finally:")
        with s.indent():
            s("st.n = _ln")
            s(f"st.add_counts(({', '.join(names)}{',' if len(names) == 1 else ''}))")
        s("return _ln")
    return s.text()
