"""Partitions validated anywhere, in any order, merge into the report of one run."""

from __future__ import annotations

import itertools
import json
import os
import pickle
import random
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from delivery._gen import RecordFactory
from delivery.conftest import FIXTURES, fixture_guideline
from guidekit.cli import main
from guidekit.delivery import Partial, Plan, merge_partials, validate
from guidekit.delivery.render import render

BATCH = FIXTURES / "tickets-batch.jsonl"

_PLANS: dict[str, Plan] = {}


def _plan(name: str) -> Plan:
    if name not in _PLANS:
        _PLANS[name] = Plan(fixture_guideline(name))
    return _PLANS[name]


def _delivery(tmp: Path, name: str, n: int, seed: int = 5) -> Path:
    """Clean and broken records, and ids used again far apart (across partitions)."""
    fac, rnd = RecordFactory(fixture_guideline(name)), random.Random(seed)
    path = tmp / f"{name.replace('/', '-')}-{n}.jsonl"
    recs = []
    for i in range(n):
        rec = fac.valid(rnd)
        if i % 7 == 3:
            rec = fac.mutate(rec, rnd)
        recs.append(rec)
    recs += [recs[1], recs[n // 2], recs[1]]
    lines = [json.dumps(r, ensure_ascii=False) for r in recs]
    lines.insert(n // 3, "{not json")
    path.write_text("\n".join(lines), encoding="utf-8")  # no newline after the last
    return path


def _split(path: Path, cuts: list[int]) -> list[list[bytes]]:
    lines = path.read_bytes().splitlines(keepends=True)
    edges = [0, *sorted({c % (len(lines) + 1) for c in cuts}), len(lines)]
    return [lines[a:b] for a, b in itertools.pairwise(edges) if b > a] or [[]]


def _merged(name: str, path: Path, cuts: list[int], order: random.Random, **kw: Any) -> Any:
    plan = Plan(fixture_guideline(name), **kw) if kw else _plan(name)
    parts = _split(path, cuts)
    tasks = list(enumerate(parts))
    order.shuffle(tasks)
    partials = [plan.check_partition(lines, file=str(path), part=k) for k, lines in tasks]
    return merge_partials(plan, partials, reread=lambda file, k: parts[k])


@pytest.fixture(scope="module")
def deliveries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("partial")
    return {"tickets": _delivery(tmp, "tickets", 300), "images": _delivery(tmp, "images", 200)}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(["tickets", "images"]),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=6),
    seed=st.integers(0, 1000),
)
def test_partitions_in_any_order_give_the_report_of_one_run(
    deliveries: dict[str, Path], name: str, cuts: list[int], seed: int
) -> None:
    path = deliveries[name]
    whole = validate(fixture_guideline(name), path)
    merged = _merged(name, path, cuts, random.Random(seed))
    assert merged.to_dict() == whole.to_dict()
    assert merged.codes()["GK542"] == 3  # ids used again across partitions


@pytest.mark.parametrize("cuts", [[5], [1, 7, 13], list(range(1, 21))])
def test_the_fixture_batch_split_anywhere(cuts: list[int]) -> None:
    whole = validate(fixture_guideline("tickets"), BATCH, examples=50)
    merged = _merged("tickets", BATCH, cuts, random.Random(1), examples=50)
    assert merged.to_dict() == whole.to_dict()


def test_merged_report_is_the_cli_report(tmp_path: Path, deliveries: dict[str, Path]) -> None:
    """`guidekit validate` (its own worker merge included) writes what the partials merge to."""
    path = deliveries["tickets"]
    out = tmp_path / "report.json"
    code = main(
        ["validate", str(FIXTURES / "tickets"), str(path), "--format", "json", "-o", str(out)]
    )
    merged = _merged("tickets", path, [40, 90, 250], random.Random(3))
    assert code == 1 == merged.exit_code
    assert out.read_text(encoding="utf-8").rstrip("\n") == render(merged, "json").rstrip("\n")


def test_plan_pickles_small_and_rebuilds_its_decoder() -> None:
    plan = _plan("images")
    plan.validator  # built here, not shipped  # noqa: B018
    data = pickle.dumps(plan)
    assert b"msgspec" not in data and len(data) < 200_000
    again = pickle.loads(data)
    line = (FIXTURES / "tickets-batch.jsonl").read_bytes().splitlines()[1]
    partial = pickle.loads(pickle.dumps(_plan("tickets").check_partition([line])))
    assert isinstance(partial, Partial) and partial.lines == 1 and partial.accepted
    assert again.check_partition([b"{}"]).rejected == 1


def test_workers_with_their_own_hash_seed_agree_on_duplicates(deliveries: dict[str, Path]) -> None:
    """Spawned workers (each with its own ``hash`` seed, like machines of a cluster) still
    find the ids used again across partitions: fingerprints are stable."""
    path = deliveries["tickets"]
    parts = _split(path, [100, 200])
    plan = _plan("tickets")
    with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
        partials = list(pool.map(plan, [(str(path), k, p) for k, p in enumerate(parts)]))
    report = merge_partials(plan, partials, reread=lambda file, k: parts[k])
    assert report.to_dict() == validate(fixture_guideline("tickets"), path).to_dict()


def test_merge_refuses_an_incomplete_or_ambiguous_set(deliveries: dict[str, Path]) -> None:
    plan = _plan("tickets")
    parts = _split(deliveries["tickets"], [100, 200])
    partials = [plan.check_partition(p, file="d.jsonl", part=k) for k, p in enumerate(parts)]
    with pytest.raises(ValueError, match="every part from 0 on"):
        merge_partials(plan, partials[1:])
    with pytest.raises(ValueError, match="same place"):
        merge_partials(plan, [*partials, partials[0]])
    with pytest.raises(ValueError, match="pass reread="):
        merge_partials(plan, partials)
    with pytest.raises(ValueError, match="gave 1 lines"):
        merge_partials(plan, partials, reread=lambda file, k: parts[k][:1])


def test_the_documented_concurrent_futures_example_runs(tmp_path: Path) -> None:
    """The example of site/docs/deliveries.md, run as a script on a delivery of 180 lines
    (partitions of 50 lines instead of 10,000), prints the report of one run."""
    root = Path(__file__).resolve().parents[2]
    doc = (root / "site" / "docs" / "deliveries.md").read_text(encoding="utf-8")
    marker = "<!-- this example runs in tests/delivery/test_partial.py -->\n```python\n"
    assert marker in doc
    code = doc.split(marker, 1)[1].split("```", 1)[0]
    assert "size=10_000" in code
    (tmp_path / "example.py").write_text(code.replace("size=10_000", "size=50"), encoding="utf-8")
    name = "guidelines/support-tickets"
    (tmp_path / "guidelines").mkdir()
    (tmp_path / name).symlink_to(root / name)
    (tmp_path / "deliveries").mkdir()
    made = _delivery(tmp_path, name, 176)
    path = tmp_path / "deliveries" / "batch-07.jsonl"
    made.rename(path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run(
        [sys.executable, "example.py"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    whole = validate(fixture_guideline(name), path)
    assert whole.codes()["GK542"] == 3
    assert out.stdout == f"{whole.verdict} {whole.records} {whole.codes()}\n"
