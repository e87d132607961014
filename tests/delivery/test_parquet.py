"""Parquet deliveries: read column by column in bounded batches (``delivery.columnar``),
with the same records -- and so the same reports, byte for byte -- as the row reader, the
reference (``GUIDEKIT_PARQUET_ROWS=1``); a text cell that is not JSON is a located GK508;
memory does not follow the row-group size."""

from __future__ import annotations

import collections
import copy
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS
from delivery._gen import RecordFactory
from delivery.conftest import FIXTURES, fixture_guideline
from guidekit.cli import main
from guidekit.delivery.stream import ROWS_SWITCH

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ["guidelines/support-tickets", "guidelines/retail-products", "tickets", "images"]


def project(name: str) -> Path:
    return ROOT / name if name.startswith("guidelines/") else FIXTURES / name


def as_text(records: list[dict[str, Any]]) -> Any:
    """A table with structured values written as JSON text (one column per key)."""
    keys = list(dict.fromkeys(k for r in records for k in r))
    cols = {}
    for k in keys:
        values = [r.get(k) for r in records]
        values = [json.dumps(v) if isinstance(v, (list, dict)) else v for v in values]
        if len({type(v) for v in values if v is not None}) > 1:  # e.g. str and int ids
            values = [v if v is None or isinstance(v, str) else json.dumps(v) for v in values]
        cols[k] = values
    return pa.table(cols)


def batch_rows() -> list[dict[str, Any]]:
    """The records of the tickets fixture batch that are JSON objects."""
    out = []
    for line in (FIXTURES / "tickets-batch.jsonl").read_bytes().splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            out.append(value)
    return out


def report(
    monkeypatch: pytest.MonkeyPatch, guide: Path, path: Path, out: Path, *, rows: bool
) -> tuple[int, bytes]:
    if rows:
        monkeypatch.setenv(ROWS_SWITCH, "1")
    else:
        monkeypatch.delenv(ROWS_SWITCH, raising=False)
    code = main(
        ["validate", str(guide), str(path), "--format", "json", "-o", str(out), "--no-progress"]
    )
    return code, out.read_bytes()


def both_ways(monkeypatch: pytest.MonkeyPatch, guide: Path, path: Path, tmp: Path) -> bytes:
    code, columnar = report(monkeypatch, guide, path, tmp / "columnar.json", rows=False)
    code_rows, by_rows = report(monkeypatch, guide, path, tmp / "rows.json", rows=True)
    assert columnar == by_rows
    assert code == code_rows and code in (0, 1)
    return columnar


def delivery(name: str, seed: int, n: int = 60) -> list[dict[str, Any]]:
    """Records of one key set (a Parquet column is null where a record has no key, and
    null is not always allowed), about a third with planted errors that keep the keys."""
    g = fixture_guideline(name)
    rnd = random.Random(seed)
    factory = RecordFactory(g)
    pool = [factory.valid(rnd) for _ in range(n * 6)]
    common = collections.Counter(frozenset(r) for r in pool).most_common(1)[0][0]
    out = []
    for rec in [r for r in pool if frozenset(r) == common][:n]:
        if rnd.random() < 0.3:
            bad = factory.mutate(copy.deepcopy(rec), rnd)
            if frozenset(bad) == common:
                rec = bad
        out.append(rec)
    return out


@pytest.mark.parametrize("name", BUNDLED)
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32 - 1))
def test_reports_equal_with_planted_errors(
    name: str, seed: int, tmp_path_factory: pytest.TempPathFactory, monkeypatch: Any
) -> None:
    tmp = tmp_path_factory.mktemp("pq")
    records = delivery(name, seed)
    pq.write_table(as_text(records), tmp / "text.parquet", row_group_size=25)
    both_ways(monkeypatch, project(name), tmp / "text.parquet", tmp)
    try:
        nested = pa.Table.from_pylist(records)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return  # mutated values of several types in one key: Arrow cannot type them
    pq.write_table(nested, tmp / "nested.parquet")
    both_ways(monkeypatch, project(name), tmp / "nested.parquet", tmp)


@pytest.mark.parametrize("name", ["tickets", "images", "guidelines/retail-products"])
def test_odd_json_cells_take_the_reference(name: str, tmp_path: Path, monkeypatch: Any) -> None:
    """JSON cells the typed decode must not vouch for -- integers beyond 64 bits, numbers
    beyond a float, repeated keys, trailing junk -- give the row reader's report."""
    import re

    records = delivery(name, 11, n=40)
    table = as_text(records)
    plants = [
        lambda t: re.sub(r"\d+", "123456789012345678901234", t, count=1),
        lambda t: re.sub(r"\d+", "1e400", t, count=1),
        lambda t: re.sub(r'\{"(\w+)": ', r'{"\1": 0, "\1": ', t, count=1),
        lambda t: t + " x",
        lambda t: re.sub(r"\d+", "-0.0", t, count=1),
    ]
    for i, name_ in enumerate(table.schema.names):
        cells = table.column(name_).to_pylist()
        if not any(isinstance(c, str) and c[:1] in ("[", "{") for c in cells):
            continue
        for k, cell in enumerate(cells):
            if isinstance(cell, str) and cell[:1] in ("[", "{"):
                cells[k] = plants[k % len(plants)](cell)
        table = table.set_column(i, name_, pa.array(cells, pa.string()))
    pq.write_table(table, tmp_path / "d.parquet", row_group_size=16)
    both_ways(monkeypatch, project(name), tmp_path / "d.parquet", tmp_path)


CELL = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["", "[", "{", "[1]", '{"a": 1}', "[1] x", '{"a": [1, 2]}', "[1,", "{}x"]),
    st.sampled_from(["[12345678901234567890123]", '["\\u00e9", "\\n"]', '[{"start": 0}]']),
)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(CELL, CELL, st.integers(-(2**63), 2**63 - 1)), max_size=40))
def test_records_are_the_row_readers(rows: list[tuple[Any, Any, int]]) -> None:
    """Column by column gives exactly the records of the row reader, errors included."""
    from guidekit.delivery.columnar import records
    from guidekit.delivery.read import parquet_record

    batch = pa.RecordBatch.from_pydict(
        {
            "a": pa.array([r[0] for r in rows], pa.string()),
            "b": pa.array([r[1] for r in rows], pa.large_string()),
            "n": pa.array([r[2] for r in rows], pa.int64()),
        }
    )
    got = records(batch, "f.parquet", 10)
    want = [parquet_record(row, "f.parquet", 11 + i) for i, row in enumerate(batch.to_pylist())]
    assert [(r.line, r.data, r.error) for r in got] == [(r.line, r.data, r.error) for r in want]


def test_a_text_cell_that_is_not_json_is_located(tmp_path: Path, monkeypatch: Any) -> None:
    """It stopped the run with a traceback (exit 3); now it is GK508 at its row, the other
    rows are checked, and the delivery is rejected."""
    table = as_text(batch_rows()[:4])
    entities = table.column("entities").to_pylist()
    entities[2] = '[{"start": 0,'
    table = table.set_column(table.schema.get_field_index("entities"), "entities", [entities])
    path = tmp_path / "d.parquet"
    pq.write_table(table, path)
    out = both_ways(monkeypatch, FIXTURES / "tickets", path, tmp_path)
    rep = json.loads(out)
    assert rep["verdict"] == "reject" and rep["records"] == 4
    (group,) = [gr for gr in rep["groups"] if gr["code"] == "GK508"]
    (example,) = group["examples"]
    assert example["location"] == {"file": str(path), "line": 3, "column": None}
    assert "column 'entities' is not valid JSON" in example["message"]


def test_split_keeps_each_rows_bytes(tmp_path: Path) -> None:
    """--split reads by rows: each line of the split is the row as the row reader wrote it."""
    rows = batch_rows()
    path = tmp_path / "d.parquet"
    pq.write_table(as_text(rows), path, row_group_size=7)
    split = tmp_path / "split"
    code = main(
        [
            *("validate", str(FIXTURES / "tickets"), str(path), "--split", str(split)),
            *("--no-progress", "--format", "json", "-o", str(tmp_path / "r.json")),
        ]
    )
    assert code == 1
    lines = [
        json.loads(x)
        for kind in ("accepted", "rejected")
        for x in (split / f"{kind}.jsonl").read_bytes().splitlines()
    ]
    assert len(lines) == len(rows)


@pytest.mark.skipif(not (CORPUS / "brat" / "NCBI-disease").is_dir(), reason="needs the corpus")
def test_corpus_delivery_as_parquet(tmp_path: Path, monkeypatch: Any) -> None:
    """NCBI disease abstracts (BRAT's corpus) turned into native JSON Lines by guidekit
    (the split of a validation), then written as Parquet: the same reports by columns and
    by rows, and the same verdict and counts as the JSON Lines delivery."""
    guide = ROOT / "tests" / "fixtures" / "bridges" / "brat-ncbi"
    code = main(
        [
            *("validate", str(guide), str(CORPUS / "brat" / "NCBI-disease"), "--no-progress"),
            *(
                "--format",
                "json",
                "-o",
                str(tmp_path / "b.json"),
                "--split",
                str(tmp_path / "split"),
            ),
        ]
    )
    assert code == 0
    native = tmp_path / "split" / "accepted.jsonl"
    records = [json.loads(x) for x in native.read_bytes().splitlines()]
    records[3]["mentions"][0]["end"] = 10**6  # a span past its text
    records[5]["mentions"].append(dict(records[5]["mentions"][0]))  # the same span twice
    native.write_bytes(b"".join(json.dumps(r).encode() + b"\n" for r in records))
    pq.write_table(as_text(records), tmp_path / "text.parquet")
    rep = json.loads(both_ways(monkeypatch, guide, tmp_path / "text.parquet", tmp_path))
    main(["validate", str(guide), str(native), "--format", "json", "-o", str(tmp_path / "j.json")])
    jsonl = json.loads((tmp_path / "j.json").read_text())
    assert rep["records"] == jsonl["records"] == len(records)
    assert rep["verdict"] == jsonl["verdict"] == "reject"
    assert [(g["code"], g["count"]) for g in rep["groups"]] == [
        (g["code"], g["count"]) for g in jsonl["groups"]
    ]


# the peak of this process alone: VmHWM starts again at exec (ru_maxrss would keep the
# peak of the forking test process)
PEAK = """
import json, sys
from guidekit.cli import main
code = main(["validate", sys.argv[1], sys.argv[2], "--format", "json", "-o", sys.argv[3], "--no-progress"])
with open("/proc/self/status") as f:
    kb = next(int(x.split()[1]) for x in f if x.startswith("VmHWM:"))
print(json.dumps([code, kb / 1024]))
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM (Linux)")
def test_memory_does_not_follow_the_row_group_size(tmp_path: Path) -> None:
    """One row group of 1M rows is read in the memory of one of 100k rows (it took 290 MB
    for one 1M-row group: a whole row group was held)."""
    import pyarrow.compute as pc

    rec = RecordFactory(fixture_guideline("tickets")).valid(random.Random(7))
    peaks = {}
    for n in (100_000, 1_000_000):
        one = as_text([rec])
        table = one.take(pa.array([0] * n))
        ids = pc.binary_join_element_wise("t-", pc.cast(pa.array(range(n)), pa.string()), "")
        table = table.set_column(table.schema.get_field_index("ticket_id"), "ticket_id", ids)
        path = tmp_path / f"{n}.parquet"
        pq.write_table(table, path, row_group_size=n)
        assert pq.ParquetFile(path).metadata.num_row_groups == 1
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), *sys.path])}
        run = subprocess.run(
            [sys.executable, "-c", PEAK, str(FIXTURES / "tickets"), str(path), str(tmp_path / "r")],
            capture_output=True,
            env=env,
            check=True,
        )
        code, peaks[n] = json.loads(run.stdout.splitlines()[-1])
        assert code == 0
        assert json.loads((tmp_path / "r").read_text())["records"] == n
    assert peaks[1_000_000] < 150, peaks
    assert peaks[1_000_000] < peaks[100_000] * 1.2, peaks
