"""Whole deliveries: malformed lines, formats, cross-record checks, split files, criteria,
early stop, parallel reading."""

from __future__ import annotations

import collections
import dataclasses
import gzip
import json
import random
import shutil
from pathlib import Path

import pytest

from delivery._gen import RecordFactory
from delivery.conftest import FIXTURES, fixture_guideline
from guidekit.delivery import RecordValidator, _parallel, ids, validate
from guidekit.errors import GuidekitError

BATCH = FIXTURES / "tickets-batch.jsonl"
EXPECTED = FIXTURES / "tickets-expected.txt"


def _codes(report) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return report.codes()


def test_batch_report() -> None:
    g = fixture_guideline("tickets")
    r = validate(g, BATCH, expect=EXPECTED)
    assert r.records == 20
    assert r.verdict == "reject"
    assert _codes(r) == {
        "GK501": 2,  # line 5 cut short, line 7 empty
        "GK502": 1,
        "GK503": 1,
        "GK505": 1,
        "GK506": 1,
        "GK510": 1,
        "GK515": 1,
        "GK517": 1,
        "GK518": 1,
        "GK524": 1,
        "GK525": 1,
        "GK538": 1,
        "GK539": 1,
        "GK541": 1,
        "GK542": 1,
        "GK543": 9,
        "GK546": 1,
    }
    assert r.with_errors == 13 and r.with_warnings == 2
    assert r.skipped == {"bored": 1, "not_english": 1}
    assert r.unresolved == 1
    assert r.versions == {"1.3.0": 1, "1.4.2": 13}
    dup = next(g for g in r.groups if g.code == "GK542").examples[0]
    assert (dup.location.line, dup.location.pointer) == (13, "/ticket_id")
    assert dup.message == "id 'T-1' was already used at line 1"
    missing = next(g for g in r.groups if g.code == "GK543")
    assert [d.location.line for d in missing.examples] == [5, 7, 11, 13, 16]
    assert any("9 expected ids have no record" in x for x in r.reasons)
    status = {c.name + (c.split or ""): c.status for c in r.criteria}
    assert status == {
        "agreement intent krippendorff_alpha": "not_measured",
        "distribution intent other max_share": "met",
        "distribution urgency critical max_shareeval": "failed",
        "unresolved share": "met",
        "records with errors": "failed",
        "records with warnings": "met",
    }


def test_malformed_lines_are_errors_on_their_line() -> None:
    g = fixture_guideline("tickets")
    r = validate(g, BATCH)
    lines = {
        d.code: d.location.line
        for gr in r.groups
        for d in gr.examples
        if d.code in ("GK502", "GK503", "GK505", "GK506")
    }
    assert lines == {"GK502": 18, "GK503": 11, "GK505": 20, "GK506": 16}


def test_bom_is_an_error_but_the_record_is_read(tmp_path: Path) -> None:
    g = fixture_guideline("tickets")
    path = tmp_path / "bom.jsonl"
    first = BATCH.read_bytes().split(b"\n")[0]
    path.write_bytes(b"\xef\xbb\xbf" + first + b"\n")
    r = validate(g, path)
    assert _codes(r) == {"GK504": 1}
    assert r.distinct_ids == 1


def test_split_keeps_every_line_exactly_once(tmp_path: Path) -> None:
    g = fixture_guideline("tickets")
    out = tmp_path / "split"
    r = validate(g, BATCH, split_dir=out)
    accepted = (out / "accepted.jsonl").read_bytes().splitlines()
    rejected = (out / "rejected.jsonl").read_bytes().splitlines()
    original = BATCH.read_bytes().splitlines()
    assert collections.Counter(accepted + rejected) == collections.Counter(original)
    assert len(accepted) == r.accepted_records == 7
    assert len(rejected) == r.rejected_records == 13
    assert (out / "rejected.jsonl").read_bytes().endswith(b"\n")  # the cut-off line too
    entries = [json.loads(x) for x in (out / "rejected.errors.jsonl").read_text().splitlines()]
    assert [e["line"] for e in entries] == [3, 5, 6, 7, 11, 12, 13, 14, 15, 16, 17, 18, 20]
    by_line = {e["line"]: e for e in entries}
    assert by_line[13]["id"] == "T-1"
    assert [d["code"] for d in by_line[13]["diagnostics"]] == ["GK542"]
    assert by_line[3]["diagnostics"][0]["pointer"] == "/entities/0/end"
    # each rejected line is the input line with that number
    for e, raw in zip(entries, rejected, strict=True):
        assert original[e["line"] - 1] == raw
    assert r.split["accepted"].endswith("accepted.jsonl")


def test_duplicates_across_files_and_their_split(tmp_path: Path) -> None:
    g = fixture_guideline("tickets")
    lines = BATCH.read_bytes().splitlines()
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_bytes(lines[0] + b"\n" + lines[1] + b"\n")
    b.write_bytes(lines[1] + b"\n" + lines[0] + b"\n")
    out = tmp_path / "split"
    r = validate(g, [a, b], split_dir=out)
    dups = next(gr for gr in r.groups if gr.code == "GK542")
    assert dups.count == 2
    assert [(d.location.file, d.location.line) for d in dups.examples] == [(str(b), 1), (str(b), 2)]
    assert dups.examples[0].message == f"id 'T-2' was already used at {a}:2"
    assert [f.rejected for f in r.files] == [0, 2]
    assert (out / "accepted.jsonl").read_bytes() == a.read_bytes()
    assert (out / "rejected.jsonl").read_bytes() == b.read_bytes()


def test_fingerprint_collisions_are_not_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two different ids with the same fingerprint are confirmed by the second pass."""
    monkeypatch.setattr(ids, "fingerprint", lambda value: 42)
    monkeypatch.setattr("guidekit.delivery.stream.fingerprint", lambda value: 42)
    g = fixture_guideline("tickets")
    records = [json.loads(x) for x in BATCH.read_bytes().splitlines()[:2]]
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in records) + "\n")
    r = validate(g, path, fast=False)
    assert "GK542" not in r.codes()


def test_ledger_spills_and_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ids, "SPILL_AT", 8)
    with ids.IdLedger(tmp_path) as ledger:
        for i in range(5000):
            ledger.add(ids.fingerprint(f"id-{i % 4000}"))
            if i % 100 == 0:
                ledger.maybe_spill()
        distinct, repeated = ledger.scan()
    assert distinct == 4000
    assert repeated == {ids.fingerprint(f"id-{i}") for i in range(1000)}


@pytest.mark.parametrize("compress", [False, True])
def test_gzip_and_plain_give_the_same_report(tmp_path: Path, compress: bool) -> None:
    g = fixture_guideline("tickets")
    path = tmp_path / ("d.jsonl.gz" if compress else "d.jsonl")
    data = BATCH.read_bytes()
    path.write_bytes(gzip.compress(data) if compress else data)
    r = validate(g, path).to_dict()
    ref = validate(g, BATCH).to_dict()
    for d in (r, ref):
        d.pop("files")
        for gr in d["groups"]:
            for ex in gr["examples"]:
                ex["location"]["file"] = None
    assert r == ref


def test_csv_delivery(tmp_path: Path) -> None:
    g = fixture_guideline("tickets")
    path = tmp_path / "d.csv"
    path.write_text(
        "ticket_id,body,channel,labeller,guideline_version,intent,urgency,entities,"
        "priority_hint,unresolved\n"
        'T-1,"Order 5512 arrived broken.",email,ann-1,1.4.2,refund_request,medium,'
        '"[{""start"": 6, ""end"": 10, ""label"": ""ORDER_ID""}]",3,false\n'
        'T-2,"multi\nline",chat,ann-2,1.4.2,feedback,low,[],,\n'
        "T-3,x,chat,ann-2,1.4.2,feedback,low,[,,\n"
        "T-4,x,chat,ann-2,1.4.2,feedback,low,[],seven,\n",
        encoding="utf-8",
    )
    out = tmp_path / "split"
    r = validate(g, path, split_dir=out)
    assert r.records == 4
    assert r.codes() == {"GK508": 1, "GK512": 1}
    assert [d.location.line for gr in r.groups for d in gr.examples] == [5, 6]
    header = path.read_text().splitlines()[0]
    accepted = (out / "accepted.csv").read_text()
    assert accepted.startswith(header + "\n") and "line" in accepted and "T-3" not in accepted
    assert (out / "rejected.csv").read_text().count("\n") == 3


def test_parquet_delivery(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    g = fixture_guideline("tickets")
    rows = [json.loads(x) for x in BATCH.read_bytes().splitlines()[:3]]
    table = pa.table(
        {
            "ticket_id": [r["ticket_id"] for r in rows],
            "body": [r["body"] for r in rows],
            "channel": [r["channel"] for r in rows],
            "labeller": [r["labeller"] for r in rows],
            "guideline_version": [r["guideline_version"] for r in rows],
            "intent": [r["intent"] for r in rows],
            "urgency": [r["urgency"] for r in rows],
            "entities": [json.dumps(r["entities"]) for r in rows],
        }
    )
    path = tmp_path / "d.parquet"
    pq.write_table(table, path)
    r = validate(g, path)
    assert r.records == 3
    assert r.codes() == {"GK524": 1}


def test_max_errors_stops_early() -> None:
    g = fixture_guideline("tickets")
    r = validate(g, BATCH, max_errors=2)
    assert r.stopped and r.verdict == "reject"
    assert r.records == 5  # the second error is on line 5
    assert [d.code for d in r.delivery] == ["GK548"]
    assert all(c.status == "not_measured" for c in r.criteria if c.kind != "agreement")


def test_empty_delivery_is_rejected(tmp_path: Path) -> None:
    g = fixture_guideline("tickets")
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    r = validate(g, path)
    assert r.verdict == "reject"
    assert [d.code for d in r.delivery] == ["GK547"]


def test_unreadable_inputs_raise(tmp_path: Path) -> None:
    g = fixture_guideline("tickets")
    with pytest.raises(GuidekitError) as err:
        validate(g, tmp_path / "missing.jsonl")
    assert err.value.diagnostics[0].code == "GK001"
    odd = tmp_path / "d.xml"
    odd.write_text("<x/>")
    with pytest.raises(GuidekitError) as err:
        validate(g, odd)
    assert err.value.diagnostics[0].code == "GK507"


def test_records_in_memory_and_the_record_validator() -> None:
    g = fixture_guideline("tickets")
    rows = [json.loads(x) for x in BATCH.read_bytes().splitlines()[:4]]
    r = validate(g, rows)
    assert r.records == 4
    assert r.codes() == {"GK518": 1, "GK524": 1}
    assert r.files[0].file == "<records>"
    assert [d.location.line for gr in r.groups for d in gr.examples] == [3, 4]
    v = RecordValidator(g)
    assert v.validate(rows[0]) == []
    assert [d.code for d in v.validate_json(b'{"ticket_id": "T-9", "intent": ')] == ["GK501"]
    assert not v.is_valid(rows[2]) and v.is_valid(rows[3])


def test_bounds_not_checked_are_reported(tmp_path: Path) -> None:
    g = fixture_guideline("images")
    g = dataclasses.replace(g, delivery=dataclasses.replace(g.delivery, image_size="optional"))
    rec = {
        "image_id": "I-1",
        "image": "a.png",
        "objects": [{"label": "truck", "bbox": [900, 10, 10, 20]}],
    }
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps(rec) + "\n")
    r = validate(g, path)
    assert r.not_checked == {"regions": 1}
    assert [d.code for d in r.delivery] == ["GK545"]
    assert r.verdict == "accept"


def _big_delivery(tmp_path: Path, name: str, n: int) -> Path:
    g = fixture_guideline(name)
    fac, rnd = RecordFactory(g), random.Random(5)
    path = tmp_path / f"{name}-big.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            rec = fac.valid(rnd)
            if i % 7 == 3:
                rec = fac.mutate(rec, rnd)
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        f.write(json.dumps(rec, ensure_ascii=False))  # a duplicate, without a newline
    return path


@pytest.mark.skipif(not _parallel.available(), reason="needs the fork start method")
@pytest.mark.parametrize("name", ["tickets", "images"])
def test_parallel_reading_gives_the_same_report_and_split(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setattr(_parallel, "MIN_BYTES_PER_JOB", 20_000)
    g = fixture_guideline(name)
    path = _big_delivery(tmp_path, name, 600)
    v = RecordValidator(g)
    one = validate(g, path, validator=v, split_dir=tmp_path / "one", examples=50)
    three = validate(g, path, validator=v, split_dir=tmp_path / "three", examples=50, jobs=3)
    assert len(_parallel.ranges(path, 3)) == 3
    a, b = one.to_dict(), three.to_dict()
    a.pop("split"), b.pop("split")
    assert a == b
    assert one.codes().get("GK542") == 1
    for f in ("accepted.jsonl", "rejected.jsonl", "rejected.errors.jsonl"):
        assert (tmp_path / "one" / f).read_bytes() == (tmp_path / "three" / f).read_bytes()
    shutil.rmtree(tmp_path / "one")


def test_memory_does_not_grow_with_the_delivery(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Peak traced memory of a validation is the same for 4 times the records (ids spill)."""
    import tracemalloc

    monkeypatch.setattr(ids, "SPILL_AT", 4)
    g = fixture_guideline("tickets")
    line = BATCH.read_bytes().splitlines()[1]  # a clean record
    rec = json.loads(line)
    v = RecordValidator(g)
    peaks = []
    for n in (5000, 20000):
        path = tmp_path / f"{n}.jsonl"
        with path.open("w") as f:
            for i in range(n):
                rec["ticket_id"] = f"T-{i}"
                f.write(json.dumps(rec) + "\n")
        validate(g, path, validator=v)  # warm up the generated loop
        tracemalloc.start()
        r = validate(g, path, validator=v)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert r.records == n and r.distinct_ids == n
    assert peaks[1] < peaks[0] * 1.25, peaks
