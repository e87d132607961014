"""Lint: style advice (GK4xx) that makes a guideline easier to apply consistently.

Lint never blocks by default (warnings); ``--strict`` or a project's ``lint.severity`` makes
it do so. Near-identical definitions are found with a Jaccard similarity join (exact with prefix
filtering, or MinHash-LSH candidates verified exactly for very large taxonomies), so a
10,000-class taxonomy is linted in well under a second.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

from guidekit import ir
from guidekit.compiler.resolve import SourceMap
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location

_WORD = re.compile(r"[a-z0-9]+")
_EMAIL_LOCAL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-")
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(
    r"(?<![\w.])(?:"
    r"\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}"  # +44 20 7946 0958
    r"|\(\d{2,4}\)\s?\d{3,4}[\s.-]?\d{3,4}"  # (617) 555-0142
    r"|\d{3}[\s.-]\d{3}[\s.-]\d{4}"  # 617-555-0142
    r"|\d{2,4}[\s.-]\d{3,4}[\s.-]\d{3,4}"  # 030 1234 5678
    r")(?![\w.])"
)


def has_email(text: str) -> bool:
    """Whether ``text`` holds ``local@domain.tld``, in time linear in its length.

    The same language as ``[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}``, but searched
    from each ``@`` instead of from every character: that regex, unanchored, retries the
    local part at every offset (80,000 letters without an ``@`` took 15 s). The domain
    pattern is anchored at the ``@`` and cannot run past the next one, so the scans after
    different ``@`` signs never overlap.
    """
    at = text.find("@")
    while at != -1:
        if at > 0 and text[at - 1] in _EMAIL_LOCAL and _EMAIL_DOMAIN.match(text, at + 1):
            return True
        at = text.find("@", at + 1)
    return False


def _loc(source: SourceMap | None, loc: Location | None, *more: str) -> Location | None:
    if loc is None:
        return None
    path = (*loc.path, *more)
    return source.locate(path) if source is not None else loc


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def similar_pairs(
    texts: list[tuple[str, str]], threshold: float, *, exact_limit: int = 2000
) -> Iterator[tuple[str, str, float]]:
    """Pairs of ``(id, text)`` whose word sets have Jaccard similarity >= ``threshold``.

    Up to ``exact_limit`` texts the join is exact (prefix filtering: with tokens ordered
    rarest first, two sets can only reach the threshold if they share a token among the
    first ``|s| - ceil(t * |s|) + 1`` of either). Above it, candidates come from MinHash
    locality-sensitive hashing (100 hashes in 20 bands, fixed seed, so the result is
    deterministic) and every candidate is verified exactly; a pair at the default
    threshold is missed with probability below 1e-7.
    """
    sets = [(i, frozenset(_words(t))) for i, t in texts if t]
    sets = [(i, s) for i, s in sets if s]
    if len(sets) > exact_limit:
        candidates = _minhash_candidates([s for _, s in sets], threshold)
    else:
        candidates = _prefix_candidates([s for _, s in sets], threshold)
    for a, b in sorted(candidates):
        sa, sb = sets[a][1], sets[b][1]
        inter = len(sa & sb)
        score = inter / (len(sa) + len(sb) - inter)
        if score >= threshold:
            yield sets[a][0], sets[b][0], score


def _prefix_candidates(sets: list[frozenset[str]], threshold: float) -> set[tuple[int, int]]:
    freq = Counter(tok for s in sets for tok in s)
    index: dict[str, list[int]] = defaultdict(list)
    out: set[tuple[int, int]] = set()
    for n, s in enumerate(sets):
        toks = sorted(s, key=lambda tok: (freq[tok], tok))
        prefix = len(toks) - math.ceil(threshold * len(toks)) + 1
        for tok in toks[:prefix]:
            for m in index[tok]:
                if threshold * len(s) <= len(sets[m]) <= len(s) / threshold:
                    out.add((m, n))
            index[tok].append(n)
    return out


_MINHASH_CHUNK = 65_536  # token occurrences hashed at once: bounds memory at a few MB


def _minhash_candidates(sets: list[frozenset[str]], threshold: float) -> set[tuple[int, int]]:
    """Candidate pairs from MinHash-LSH, on memory bounded by the number of sets.

    Signatures are built one band at a time from chunks of at most ``_MINHASH_CHUNK``
    token occurrences (whole sets per chunk), never as one occurrences x hashes matrix:
    that matrix took 6 GB and ended in MemoryError on a 63 MB taxonomy.
    """
    import numpy as np

    rows = 5 if threshold >= 0.8 else 3 if threshold >= 0.6 else 2
    bands = 20
    vocab = {tok: i for i, tok in enumerate(sorted(set().union(*sets)))}
    lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    offsets = np.concatenate(([0], np.cumsum(lengths)))
    total = int(offsets[-1])
    token = np.fromiter((vocab[tok] for s in sets for tok in s), dtype=np.uint64, count=total)
    del vocab
    rng = np.random.default_rng(20240601)
    prime = np.uint64((1 << 61) - 1)
    a = rng.integers(1, 1 << 31, size=rows * bands, dtype=np.uint64)
    b = rng.integers(0, 1 << 31, size=rows * bands, dtype=np.uint64)
    # chunks of whole sets: [first set, end set) with at most _MINHASH_CHUNK occurrences
    chunks: list[tuple[int, int]] = []
    first = 0
    while first < len(sets):
        end = int(np.searchsorted(offsets, offsets[first] + _MINHASH_CHUNK, side="right")) - 1
        end = max(end, first + 1)
        chunks.append((first, end))
        first = end
    out: set[tuple[int, int]] = set()
    for band in range(bands):
        cols = slice(band * rows, (band + 1) * rows)
        block = np.empty((len(sets), rows), dtype=np.uint64)
        for lo, hi in chunks:
            toks = token[offsets[lo] : offsets[hi]]
            hashes = (toks[:, None] * a[None, cols] + b[None, cols]) % prime
            block[lo:hi] = np.minimum.reduceat(hashes, offsets[lo:hi] - offsets[lo], axis=0)
        buckets: dict[bytes, list[int]] = defaultdict(list)
        for n in range(len(sets)):
            buckets[block[n].tobytes()].append(n)
        for members in buckets.values():
            # A bucket shared by very many sets is made of common words; a real
            # near-duplicate pair also collides in the other bands.
            if 1 < len(members) <= 100:
                out.update((x, y) for i, x in enumerate(members) for y in members[i + 1 :])
    return out


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


# Ordered vocabularies an ordinal scale is recognised by (class ids, lowest first; words of
# equal rank share a number). A scale is judged only when every class is a word of one of them.
SCALES: tuple[dict[str, int], ...] = (
    {"none": 0, "very_low": 1, "low": 2, "medium": 3, "moderate": 3, "high": 4}
    | {"very_high": 5, "critical": 6},
    {"none": 0, "mild": 1, "minor": 1, "moderate": 2, "major": 3, "severe": 3, "critical": 4},
    {"never": 0, "rarely": 1, "sometimes": 2, "often": 3, "usually": 3, "always": 4},
    {"strongly_disagree": 0, "disagree": 1, "neutral": 2, "agree": 3, "strongly_agree": 4},
    {"very_poor": 0, "poor": 1, "fair": 2, "good": 3, "very_good": 4, "excellent": 5},
    {"tiny": 0, "small": 1, "medium": 2, "large": 3, "huge": 4},
)
_TRAILING_NUMBER = re.compile(r"(\d+)$")


def scale_ranks(ids: list[str]) -> list[int] | None:
    """The rank of each class id on a recognised scale (or by a trailing number), else None."""
    keys = [i.lower().replace("-", "_").replace(".", "_") for i in ids]
    for scale in SCALES:
        if all(k in scale for k in keys):
            return [scale[k] for k in keys]
    numbers = [_TRAILING_NUMBER.search(k) for k in keys]
    if all(numbers):
        return [int(m.group(1)) for m in numbers if m]
    return None


def _ordinal_order(task: ir.Task, source: SourceMap | None) -> Diagnostic | None:
    """GK411: an ordinal task whose classes are recognisably not listed lowest first."""
    ids = [c.id for c in task.classes if not c.deprecated]
    ranks = scale_ranks(ids)
    if ranks is None or len(set(ranks)) < 2:
        return None
    if all(a <= b for a, b in pairwise(ranks)):
        return None
    ordered = ", ".join(i for _, i in sorted(zip(ranks, ids, strict=True), key=lambda t: t[0]))
    reversed_ = all(a >= b for a, b in pairwise(ranks))
    what = "from highest to lowest" if reversed_ else "out of scale order"
    return diag(
        "GK411",
        f"ordinal task '{task.id}' lists its classes {what} ({', '.join(ids)})",
        _loc(source, task.loc, "classes"),
        hint=f"list them lowest first: {ordered} (the listed order is the scale that "
        "ordinal alpha and weighted kappa measure distances on)",
    )


def _evaluation_coverage(g: ir.Guideline) -> Iterator[Diagnostic]:
    """GK412: each decided edge case has ``evaluation.min_per_edge_case`` items tagged with it."""
    need = g.evaluation.min_per_edge_case
    if need <= 0:
        return
    counts: dict[str, int] = {}
    for item in g.evaluation.items:
        for tag in item.edge_cases:
            counts[tag] = counts.get(tag, 0) + 1
    for ec in g.edge_cases():
        if ec.id is None or ec.decision is None:
            continue
        have = counts.get(ec.id, 0)
        if have < need:
            yield diag(
                "GK412",
                f"edge case '{ec.id}' has {have} evaluation item{'s' if have != 1 else ''}; "
                f"`evaluation.min_per_edge_case` asks for {need}",
                ec.loc,
                hint=f"add items tagged `edge_cases: [{ec.id}]` under `evaluation.items`",
            )


def check_lint(g: ir.Guideline, source: SourceMap | None = None) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    cfg = g.lint
    gov = g.governance
    for task in g.tasks.values():
        if not task.has_classes:
            continue
        if len(task.classes) > cfg.max_classes:
            out.append(
                diag(
                    "GK404",
                    f"task '{task.id}' has {len(task.classes)} classes, more "
                    f"than {cfg.max_classes}",
                    _loc(source, task.loc, "classes"),
                    hint="group classes under parents, or raise lint.max_classes",
                )
            )
        if task.type == "ordinal":
            order = _ordinal_order(task, source)
            if order is not None:
                out.append(order)
        usable = set(task.labels())
        for c in task.classes:
            where = c.loc
            if not c.definition or not c.definition.strip():
                out.append(diag("GK401", f"class '{c.id}' has no definition", where))
            elif len(_words(c.definition)) < cfg.min_definition_words:
                out.append(
                    diag(
                        "GK403",
                        f"definition of '{c.id}' has "
                        f"{len(_words(c.definition))} words; write at least "
                        f"{cfg.min_definition_words}",
                        _loc(source, where, "definition"),
                    )
                )
            if c.deprecated:
                if not c.replaced_by:
                    out.append(
                        diag("GK409", f"class '{c.id}' is deprecated without `replaced_by`", where)
                    )
                continue
            if c.id not in usable:
                continue  # a parent no record may carry: its children hold the examples
            if not c.examples:
                out.append(diag("GK407", f"class '{c.id}' has no examples", where))
            if not c.negatives:
                out.append(
                    diag(
                        "GK402",
                        f"class '{c.id}' has no negative examples",
                        where,
                        hint="add a record that looks like it but is not, with the "
                        "right label and why",
                    )
                )
        pairs = similar_pairs([(c.id, c.definition or "") for c in task.classes], cfg.similarity)
        by_id = {c.id: c for c in task.classes}
        for a, b, score in pairs:
            out.append(
                diag(
                    "GK405",
                    f"definitions of '{a}' and '{b}' are {score:.0%} the same words",
                    _loc(source, by_id[b].loc, "definition"),
                    hint="say what separates the two classes",
                )
            )
        for ec in task.all_edge_cases():
            if ec.decision is None:
                out.append(diag("GK408", f"edge case '{ec.id}' is undecided", ec.loc))
            elif not ec.rationale:
                out.append(diag("GK410", f"edge case '{ec.id}' has no rationale", ec.loc))
    out.extend(_evaluation_coverage(g))
    top = gov.rank(gov.highest)
    for ex in g.examples():
        if gov.rank(ex.sensitivity) >= top:
            continue
        for text in _strings(dict(ex.record)):
            kind = (
                "an email address"
                if has_email(text)
                else ("a phone number" if PHONE.search(text) else None)
            )
            if kind:
                out.append(
                    diag(
                        "GK406",
                        f"{ex.kind.replace('_', ' ')} text contains what looks "
                        f"like {kind}, at level '{ex.sensitivity}'",
                        ex.loc,
                        hint=f"redact it, or set `sensitivity: {gov.highest}`",
                    )
                )
                break
    return out
