"""Deliveries that used to slip through or crash: run through ``guidekit validate``, one and
two processes, and the verdict is the same on the fast path and the full checker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from delivery.conftest import FIXTURES
from guidekit.cli import main
from guidekit.delivery import _parallel

IMAGES = FIXTURES / "images"
RECORD = {
    "image_id": "I-1",
    "image": {"path": "a.png", "width": 640, "height": 480},
    "objects": [
        {"label": "person", "bbox": [10, 10, 20, 40]},
        {"label": "car", "bbox": [100, 100, 50, 30], "attributes": {"colour": "red"}},
    ],
}


@pytest.fixture(params=["1", "2"], ids=["j1", "j2"])
def jobs(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(_parallel, "MIN_BYTES_PER_JOB", 100)
    return str(request.param)


def _validate(
    capsys: pytest.CaptureFixture[str], guide: Path, path: Path, *args: str
) -> tuple[int, dict[str, int], str]:
    code = main(["validate", str(guide), str(path), "--format", "json", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    report = json.loads(out[: out.rindex("}") + 1])
    return code, {g["code"]: g["count"] for g in report["groups"]}, out


def _lines(tmp_path: Path, *records: dict[str, object]) -> Path:
    path = tmp_path / "d.jsonl"
    # enough clean records around for the fast path and two processes to take part
    clean = [dict(RECORD, image_id=f"C-{i}") for i in range(20)]
    path.write_text("".join(json.dumps(r) + "\n" for r in (*clean, *records)))
    return path


@pytest.mark.parametrize(
    "image",
    [{"path": "b.png", "height": 480}, {"path": "b.png"}, "b.png"],
    ids=["height-only", "no-size", "bare-path"],
)
def test_regions_on_an_image_without_size_are_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str, image: object
) -> None:
    bad = dict(RECORD, image_id="I-bad", image=image)
    code, codes, out = _validate(capsys, IMAGES, _lines(tmp_path, bad), "-j", jobs)
    assert code == 1
    assert codes.get("GK549") == 1
    assert "/objects" in out


def test_image_size_optional_accepts_them_unchecked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    guide = tmp_path / "g"
    guide.mkdir()
    text = (IMAGES / "guideline.yaml").read_text()
    text = text.replace(
        "  unknown_fields: warn\n", "  unknown_fields: warn\n  image_size: optional\n"
    )
    (guide / "guideline.yaml").write_text(text)
    bad = dict(RECORD, image_id="I-bad", image={"path": "b.png", "height": 480})
    code, codes, out = _validate(capsys, guide, _lines(tmp_path, bad), "-j", jobs)
    assert code == 0
    assert "GK549" not in codes
    assert "GK545" in out  # the delivery-level note of what was not checked


TICKETS = FIXTURES / "tickets"
TICKET = (FIXTURES / "tickets-batch.jsonl").read_bytes().splitlines()[0]


@pytest.mark.parametrize("where", ["top", "nested"])
def test_duplicate_keys_are_an_error_on_the_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    rec = json.loads(TICKET)
    if where == "top":
        key = next(iter(rec))
        dup = (
            TICKET[:-1]
            + b", "
            + json.dumps(key).encode()
            + b": "
            + json.dumps(rec[key]).encode()
            + b"}"
        )
    else:
        dup = TICKET[:-1] + b', "x": {"a": 1, "a": 1}}'
    path = tmp_path / "d.jsonl"
    path.write_bytes(dup + b"\n")
    code, codes, out = _validate(capsys, TICKETS, path)
    assert code == 1
    assert codes.get("GK550") == 1
    assert "d.jsonl:1" in out or '"line": 1' in out


def test_a_gzip_bomb_is_refused_while_it_expands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # one line of 1 GiB from about 1 MB of gzip: used to be read whole (3.3 GB)
    import gzip
    import resource

    path = tmp_path / "bomb.jsonl.gz"
    chunk = b"0" * (1 << 20)
    with gzip.open(path, "wb", compresslevel=9) as f:
        f.write(TICKET + b"\n" + b'{"a": "')
        for _ in range(1024):
            f.write(chunk)
    assert path.stat().st_size < 2_000_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    code = main(["validate", str(TICKETS), str(path)])
    out, err = capsys.readouterr()
    grew_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert code == 1
    assert "Traceback" not in err
    assert "GK507" in out + err and "gzip bomb" in out + err
    assert grew_mb < 400


@pytest.mark.parametrize(
    ("field", "value", "pointer"),
    [
        ("priority_hint", 10**20, "/priority_hint"),
        ("priority_hint", -(2**63) - 1, "/priority_hint"),
        (
            "intent",
            {"label": "billing_dispute", "attributes": {"amount_known": True, "amount": 10**30}},
            "/intent/attributes/amount",
        ),
        ("minutes", 2**64, "/minutes"),
    ],
    ids=["integer-field", "below-int64", "number-attribute", "integer-task"],
)
def test_an_integer_beyond_64_bits_is_gk506_anywhere(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    jobs: str,
    field: str,
    value: object,
    pointer: str,
) -> None:
    """Not only in the id: a float field would round it and most readers cannot hold it.
    The fast path never vouches for one, so -j 1, -j 2 and the full checker agree."""
    from guidekit.compiler.pipeline import load
    from guidekit.delivery.stream import validate

    rec = json.loads(TICKET)
    rec[field] = value
    path = tmp_path / "d.jsonl"
    clean = [dict(json.loads(TICKET), ticket_id=f"C-{i}") for i in range(20)]
    path.write_text("".join(json.dumps(r) + "\n" for r in (*clean, rec)))
    code, codes, out = _validate(capsys, TICKETS, path, "-j", jobs)
    assert code == 1
    assert codes["GK506"] == 1
    assert f'"pointer": "{pointer}"' in out
    full = validate(load(TICKETS), str(path), fast=False)
    assert {g.code: g.count for g in full.groups} == codes


@pytest.mark.parametrize(
    "value",
    [2**63 + 5, 2**64 - 1, -(2**63), 1e20],
    ids=["uint64", "uint64-max", "int64-min", "float-1e20"],
)
def test_numbers_within_64_bits_or_floats_are_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str, value: object
) -> None:
    rec = json.loads(TICKET)
    rec["intent"] = {
        "label": "billing_dispute",
        "attributes": {"amount_known": True, "amount": value if value >= 0 else 5},  # type: ignore[operator]
    }
    rec["priority_hint"] = value if isinstance(value, int) else 3
    path = tmp_path / "d.jsonl"
    clean = [dict(json.loads(TICKET), ticket_id=f"C-{i}") for i in range(20)]
    path.write_text("".join(json.dumps(r) + "\n" for r in (*clean, rec)))
    code, codes, _ = _validate(capsys, TICKETS, path, "-j", jobs)
    assert (code, codes) == (0, {}), codes
