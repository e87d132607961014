"""The same delivery validated by ``guidekit validate`` and on Spark gives the same report."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from conftest import CORPUS
from delivery._gen import RecordFactory
from delivery.conftest import FIXTURES, fixture_guideline
from guidekit.cli import main
from guidekit.delivery import validate as validate_locally
from guidekit.spark import FINDINGS_COLUMNS, validate

pytestmark = pytest.mark.spark

BATCH = FIXTURES / "tickets-batch.jsonl"
TICKETS = str(FIXTURES / "tickets")
PRODIGY = CORPUS / "prodigy" / "bio_events.jsonl"


def _delivery(tmp: Path, name: str, n: int, seed: int = 5) -> Path:
    """Clean and broken records, a malformed line, ids used again far apart (across
    partitions), no newline after the last line."""
    fac, rnd = RecordFactory(fixture_guideline(name)), random.Random(seed)
    recs = []
    for i in range(n):
        rec = fac.valid(rnd)
        recs.append(fac.mutate(rec, rnd) if i % 7 == 3 else rec)
    recs += [recs[1], recs[n // 2], recs[1]]
    lines = [json.dumps(r, ensure_ascii=False) for r in recs]
    lines.insert(n // 3, "{not json")
    path = tmp / f"{name}-{n}.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _cli_report(tmp: Path, project: str, path: Path, *extra: str) -> tuple[int, str]:
    out = tmp / f"report-{len(list(tmp.iterdir()))}.json"
    code = main(["validate", project, str(path), "--format", "json", "-o", str(out), *extra])
    return code, out.read_text(encoding="utf-8")


def _json(report: Any) -> str:
    from guidekit.delivery.render import render

    return render(report, "json")


@pytest.mark.parametrize("partition_bytes", [1 << 30, 1500, 700])
def test_the_fixture_batch_gives_the_cli_report(
    spark: Any, tmp_path: Path, partition_bytes: int
) -> None:
    """Every kind of bad line (malformed JSON, bad UTF-8, NaN, an id used again, a last
    line cut off) in one, three or more partitions."""
    code, cli = _cli_report(tmp_path, TICKETS, BATCH)
    result = validate(str(BATCH), TICKETS, spark=spark, partition_bytes=partition_bytes)
    assert result.partitions == (
        1 if partition_bytes > 10_000 else -(-BATCH.stat().st_size // partition_bytes)
    )
    assert code == result.report.exit_code == 1
    assert _json(result.report) == cli


@pytest.mark.parametrize("name", ["tickets", "images"])
def test_duplicates_across_partitions_and_a_malformed_line(
    spark: Any, tmp_path: Path, name: str
) -> None:
    path = _delivery(tmp_path, name, 400)
    _, cli = _cli_report(tmp_path, str(FIXTURES / name), path, "-j", "1")
    result = validate(str(path), fixture_guideline(name), spark=spark, partition_bytes=20_000)
    assert result.partitions >= 4
    assert _json(result.report) == cli
    report = json.loads(cli)
    dups = result.findings.where("code = 'GK542'").collect()
    assert len(dups) == 3 and all(r["id"] is not None for r in dups)
    # every diagnostic of a record is a finding, where the report counts it
    counted = {(g["code"], g["severity"]): g["count"] for g in report["groups"]}
    by_code = result.findings.groupBy("code", "severity").count().collect()
    found = {(r["code"], r["severity"]): r["count"] for r in by_code}
    assert found == counted


@pytest.mark.skipif(not PRODIGY.is_file(), reason="needs the shared corpus")
def test_a_third_party_file_gives_the_cli_report(spark: Any, tmp_path: Path) -> None:
    """Prodigy's bio_events (another tool's records): every record is rejected, the same way."""
    code, cli = _cli_report(tmp_path, TICKETS, PRODIGY)
    result = validate(str(PRODIGY), TICKETS, spark=spark, partition_bytes=16_000)
    assert result.partitions >= 3
    assert code == result.report.exit_code == 1
    assert _json(result.report) == cli
    assert json.loads(cli)["records"] == len(PRODIGY.read_bytes().splitlines())


def test_findings_are_located_rows(spark: Any) -> None:
    result = validate(str(BATCH), TICKETS, spark=spark, partition_bytes=1500)
    assert tuple(result.findings.columns) == FINDINGS_COLUMNS
    rows = {(r["line"], r["code"]): r for r in result.findings.collect()}
    assert rows[(3, "GK524")]["id"] == "T-3"
    assert rows[(3, "GK524")]["pointer"] == "/entities/0/end"
    assert rows[(13, "GK542")]["id"] == "T-1"
    assert rows[(20, "GK505")]["message"].startswith("the last line is cut off")
    assert {r["file"] for r in rows.values()} == {str(BATCH)}


def test_a_dataframe_of_lines_gives_the_report_of_its_file(spark: Any, tmp_path: Path) -> None:
    """spark.read.text drops newlines: a last line without one is not taken for cut off."""
    path = _delivery(tmp_path, "tickets", 300)
    assert not path.read_bytes().endswith(b"\n")
    whole = validate_locally(fixture_guideline("tickets"), path)
    conf = {"spark.sql.files.maxPartitionBytes": "30000", "spark.sql.files.openCostInBytes": "0"}
    before = {k: spark.conf.get(k) for k in conf}
    try:
        for k, v in conf.items():
            spark.conf.set(k, v)
        df = spark.read.text(str(path))
        assert df.rdd.getNumPartitions() >= 3
        result = validate(df, fixture_guideline("tickets"), name=str(path))
    finally:
        for k, v in before.items():
            spark.conf.set(k, v)
    assert result.report.to_dict() == whole.to_dict()
    assert "GK505" not in result.report.codes()


def test_the_command_on_spark_writes_the_cli_report(spark: Any, tmp_path: Path) -> None:
    path = _delivery(tmp_path, "tickets", 300)
    code, cli = _cli_report(tmp_path, TICKETS, path)
    code_spark, on_spark = _cli_report(
        tmp_path, TICKETS, path, "--engine", "spark", "--spark-master", "local[2]"
    )
    assert code == code_spark == 1
    assert on_spark == cli


def test_the_split_on_spark_keeps_every_record_exactly(spark: Any, tmp_path: Path) -> None:
    path = _delivery(tmp_path, "tickets", 300)
    split = tmp_path / "split"
    code = main(["validate", TICKETS, str(path), "--engine", "spark", "--split", str(split)])
    assert code == 1
    accepted = spark.read.parquet(str(split / "accepted.parquet")).collect()
    rejected = spark.read.parquet(str(split / "rejected.parquet")).collect()
    whole = validate_locally(fixture_guideline("tickets"), path)
    assert len(rejected) == whole.rejected_records and len(accepted) == whole.accepted_records
    every = sorted(accepted + rejected, key=lambda r: r["line"])
    assert b"".join(bytes(r["record"]) for r in every) == path.read_bytes()
    assert [r["line"] for r in every] == list(range(1, whole.records + 1))


def test_without_pyspark_the_command_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    code = main(["validate", TICKETS, str(BATCH), "--engine", "spark"])
    assert code == 2
    assert "pip install 'guidekit[spark]'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "option", [["--expect", str(FIXTURES / "tickets-expected.txt")], ["--max-errors", "3"]]
)
def test_options_spark_does_not_take_are_usage_errors(
    option: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["validate", TICKETS, str(BATCH), "--engine", "spark", *option])
    assert code == 2
    assert "--engine spark" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "code", "says"),
    [("missing.jsonl", "GK001", "does not exist"), ("batch.parquet", "GK507", "JSON Lines only")],
)
def test_a_file_spark_cannot_read_is_a_located_error(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, code: str, says: str
) -> None:
    path = tmp_path / name
    if name.endswith(".parquet"):
        path.write_bytes(b"PAR1")
    assert main(["validate", TICKETS, str(path), "--engine", "spark"]) == 1
    err = capsys.readouterr().err
    assert code in err and says in err and str(path) in err
    assert "Traceback" not in err


def test_a_tool_export_is_not_read_as_records_on_spark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "ner.jsonl"
    export.write_text('{"text": "hi", "_input_hash": 1, "_task_hash": 2, "spans": []}\n')
    assert main(["validate", TICKETS, str(export), "--engine", "spark"]) == 2
    assert "--input-format jsonl" in capsys.readouterr().err


def test_a_cut_off_gzip_file_is_a_located_error_and_no_report(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import gzip

    body = gzip.compress(b"".join(BATCH.read_bytes().splitlines(keepends=True)[:8]) * 200)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(body[: len(body) // 2])
    out = tmp_path / "report.json"
    code = main(["validate", TICKETS, str(path), "--engine", "spark", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "GK507" in err and "cut off" in err and "reading stopped after line" in err
    assert not out.exists()
