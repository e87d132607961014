"""``--max-line-bytes``: a JSON Lines line over the limit is rejected (GK551) without being
read into memory, the rest of the delivery is still checked, and ``--split`` copies the line
to the rejected file byte for byte, on one process and two, and through the second pass that
duplicate ids need."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzz._run import guidekit
from guidekit.cli import main
from guidekit.delivery import _lines, _parallel
from trust.test_hostile_deliveries import IMAGES, RECORD


@pytest.fixture(params=["1", "2"], ids=["j1", "j2"])
def jobs(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(_parallel, "MIN_BYTES_PER_JOB", 100)
    return str(request.param)


def _record(i: int, **extra: object) -> bytes:
    return json.dumps(dict(RECORD, image_id=f"C-{i}", **extra)).encode() + b"\n"


def _delivery(
    tmp_path: Path, long: bytes, *, duplicate: bool = False, final_nl: bool = True
) -> Path:
    lines = [_record(i) for i in range(30)]
    lines.insert(12, long if final_nl else long.rstrip(b"\n"))
    if duplicate:
        lines.append(_record(3))
    if not final_nl:  # the long line last, with no newline
        lines.append(lines.pop(12))
    path = tmp_path / "d.jsonl"
    path.write_bytes(b"".join(lines))
    return path


def _run(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> tuple[int, dict]:
    code = main(["validate", str(IMAGES), str(path), "--format", "json", "--no-progress", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, json.loads(out)


LONG = json.dumps(dict(RECORD, image_id="LONG", note="x" * 5000)).encode() + b"\n"


@pytest.mark.parametrize("duplicate", [False, True], ids=["once", "with-duplicate-ids"])
@pytest.mark.parametrize("final_nl", [True, False], ids=["newline", "no-final-newline"])
def test_a_line_over_the_limit_is_rejected_and_split_byte_for_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str, duplicate: bool, final_nl: bool
) -> None:
    path = _delivery(tmp_path, LONG, duplicate=duplicate, final_nl=final_nl)
    split = tmp_path / "split"
    code, report = _run(capsys, path, "-j", jobs, "--max-line-bytes", "2K", "--split", str(split))
    assert code == 1
    groups = {g["code"]: g for g in report["groups"]}
    assert groups["GK551"]["count"] == 1
    where = groups["GK551"]["examples"][0]["location"]
    assert where["line"] == (13 if final_nl else 31 + duplicate)
    assert "over the limit of 2,048" in groups["GK551"]["examples"][0]["message"]
    assert report["records"] == 31 + duplicate
    assert report["rejected_records"] == 1 + duplicate
    accepted = (split / "accepted.jsonl").read_bytes()
    rejected = (split / "rejected.jsonl").read_bytes()
    dup = _record(3) if duplicate else b""
    expected_rejected = LONG + dup if final_nl else dup + LONG
    assert rejected == expected_rejected
    original = path.read_bytes() + (b"" if path.read_bytes().endswith(b"\n") else b"\n")
    assert sorted((accepted + rejected).splitlines()) == sorted(original.splitlines())
    assert not list(split.glob(".guidekit-long-*")), "a spool file was left behind"
    errors = [json.loads(x) for x in (split / "rejected.errors.jsonl").read_bytes().splitlines()]
    codes = {e["line"]: e["diagnostics"][0]["code"] for e in errors}
    assert codes[where["line"]] == "GK551"


def test_the_default_limit_accepts_the_same_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    code, report = _run(capsys, _delivery(tmp_path, LONG), "-j", jobs)
    assert code == 0, report["groups"]
    assert report["records"] == 31


def test_a_size_that_is_not_a_size_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["validate", str(IMAGES), str(_delivery(tmp_path, LONG)), "--max-line-bytes", "lots"]
    )
    assert code == 2
    assert "is not a size" in capsys.readouterr().err


def test_a_huge_line_is_rejected_in_bounded_memory(tmp_path: Path) -> None:
    """200 MB on one line, as a fresh process: rejected with the rest checked, in far less
    memory than the line (it used to take about three times the line)."""
    path = tmp_path / "d.jsonl"
    with path.open("wb") as f:
        f.write(_record(1))
        f.write(b'{"image_id": "BIG", "note": "')
        block = b"y" * (1 << 20)
        for _ in range(200):
            f.write(block)
        f.write(b'"}\n')
        f.write(_record(2))
    run = guidekit(
        "validate", str(IMAGES), str(path), "--format", "json", "-j", "1", cwd=tmp_path, timeout=120
    )
    assert run.code == 1, run.stderr
    report = json.loads(run.stdout)
    assert {g["code"] for g in report["groups"]} == {"GK551"}
    assert report["records"] == 3
    assert run.max_rss_mb < 150, f"peak memory {run.max_rss_mb:.0f} MB for a 200 MB line"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.binary(max_size=30).map(lambda b: b.replace(b"\n", b"")), max_size=12),
    st.booleans(),
    st.integers(1, 40),
    st.integers(1, 16),
)
def test_blocks_cut_like_readlines(
    parts: list[bytes], final_nl: bool, cap: int, chunk: int
) -> None:
    """Every line once, in order, with its bytes; a longer one as a LongLine whose spool
    holds them exactly, whatever the chunk size."""
    data = b"\n".join(parts) + (b"\n" if final_nl and parts else b"")
    old, _lines.CHUNK = _lines.CHUNK, chunk
    try:
        import tempfile

        with tempfile.TemporaryDirectory() as spool:
            got = [line for block in _lines.blocks(io.BytesIO(data), cap, spool) for line in block]
            want = io.BytesIO(data).readlines()
            assert len(got) == len(want)
            for g, w in zip(got, want, strict=True):
                if len(w) <= cap:
                    assert g == w and not isinstance(g, _lines.LongLine)
                    continue
                assert isinstance(g, _lines.LongLine) and g.length == len(w)
                out = io.BytesIO()
                _lines.copy_long(g, out)
                assert out.getvalue() == (w if w.endswith(b"\n") else w + b"\n")
    finally:
        _lines.CHUNK = old
