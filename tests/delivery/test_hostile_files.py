"""Deliveries that used to crash or slip through: every one is exit 0/1 with a located finding,
run through the command line (``guidekit validate``) with one and two processes."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from delivery.conftest import FIXTURES
from guidekit.cli import main
from guidekit.delivery import _parallel

GUIDE = str(FIXTURES / "tickets")
LINE = (FIXTURES / "tickets-batch.jsonl").read_bytes().splitlines()[0]  # a clean record
RECORD = json.loads(LINE)


def _validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["validate", GUIDE, *args, "--format", "json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out + err


@pytest.fixture(params=["1", "2"], ids=["j1", "j2"])
def jobs(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(_parallel, "MIN_BYTES_PER_JOB", 100)
    return str(request.param)


def _codes(out: str) -> dict[str, int]:
    report = json.loads(out[: out.rindex("}") + 1])
    return {g["code"]: g["count"] for g in report["groups"]}


def test_deeply_nested_arrays_with_a_repeated_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    deep = LINE[:-1] + b', "x": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    path = tmp_path / "deep.jsonl"
    path.write_bytes(LINE + b"\n" + deep + b"\n")
    code, out = _validate(capsys, str(path), "-j", jobs)
    assert code == 1
    assert _codes(out)["GK542"] == 1


@pytest.mark.parametrize("value", [2**64 + 5, -(2**63) - 1, 10**40])
def test_integer_ids_beyond_64_bits_are_gk506_on_both_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str, value: int
) -> None:
    rec = dict(RECORD, ticket_id=value)
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps(rec) + "\n" + LINE.decode() + "\n")
    split = tmp_path / "split"
    code, out = _validate(capsys, str(path), "-j", jobs, "--split", str(split))
    assert code == 1
    assert _codes(out)["GK506"] == 1
    entry = json.loads((split / "rejected.errors.jsonl").read_text())
    assert entry["id"] == value  # exact, not rounded through a float
    assert entry["diagnostics"][0]["pointer"] == "/ticket_id"
    assert (split / "accepted.jsonl").read_bytes() == LINE + b"\n"


def test_a_repeated_id_beyond_64_bits_with_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = json.dumps(dict(RECORD, ticket_id=2**64 + 5))
    path = tmp_path / "dup.jsonl"
    path.write_text(rec + "\n" + rec + "\n")
    code, _ = _validate(capsys, str(path), "--split", str(tmp_path / "s"))
    assert code == 1
    assert not (tmp_path / "s" / "accepted.jsonl").read_bytes()


def test_a_number_too_large_for_a_float_is_gk506(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    path = tmp_path / "inf.jsonl"
    path.write_bytes(LINE[:-1] + b', "score": 1e400}\n')
    code, out = _validate(capsys, str(path), "-j", jobs)
    assert code == 1
    assert "GK501" not in _codes(out) and _codes(out)["GK506"] == 1


@pytest.mark.parametrize("damage", ["corrupt", "truncated"])
def test_a_damaged_gzip_is_exit_1_with_a_located_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    whole = gzip.compress((LINE + b"\n") * 2000)
    cut = whole[: len(whole) // 2]
    data = whole[:40] + b"\x00" * 30 + whole[70:] if damage == "corrupt" else cut
    path = tmp_path / "d.jsonl.gz"
    path.write_bytes(data)
    code, out = _validate(capsys, str(path))
    assert code == 1  # never 3 (a trace) or 130 ("interrupted")
    assert "GK507" in out and "d.jsonl.gz" in out and "gzip" in out


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_before_it_is_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "zero.jsonl"
    link.symlink_to("/dev/zero")
    code, out = _validate(capsys, str(link))
    assert code == 1
    assert "GK507" in out and "not a regular file" in out


def test_a_fifo_is_refused_without_blocking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    code, out = _validate(capsys, str(fifo))
    assert code == 1 and "not a regular file" in out
