"""The columnar reading of JSON Lines deliveries (``delivery.read.read_jsonl_blocks`` through
``quality.ratings``) gives the same reports as reading record by record, on deliveries full
of the lines the fast path must hand back to the per-line reader."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import orjson
import pytest

from guidekit.cli import main
from guidekit.delivery import read as D
from guidekit.quality import ratings

GUIDELINE = """\
guidekit: 1
id: fast-read
title: Fast reading
version: 1.0.0
brief: {objective: Compare the two readers.}
record: {id: id, fields: {text: {type: text}}}
splits: [train, eval]
tasks:
  label:
    type: single
    classes:
      - {id: cafe, aliases: [café]}
      - {id: naive, aliases: [naïve]}
      - {id: nihon, aliases: [日本]}
      - plain
  level:
    type: ordinal
    required: false
    classes: [low, {id: medium, aliases: [médium]}, high]
  score: {type: number, required: false, min: 0, max: 10}
  topics: {type: multi, required: false, classes: [{id: ae, aliases: [ä]}, b]}
"""

NFD = unicodedata.normalize("NFD", "café")


def _line(**fields: object) -> bytes:
    return orjson.dumps(fields) + b"\n"


def _lines() -> list[bytes]:
    out = [b"\xef\xbb\xbf" + _line(id="i0", annotator="a", label="café")]  # BOM on line 1
    labels = ["café", NFD, "naïve", "日本", "plain", "nope", None]
    for u in range(1, 40):
        for r, who in enumerate(("a", "b", "c")):
            if (u + r) % 7 == 0:
                continue  # missing rating
            rec: dict[str, object] = {"id": f"i{u}" if u % 5 else u, "annotator": who}
            label = labels[(u * 3 + r) % len(labels)]
            if label is not None:
                rec["label"] = label
            if (u + r) % 3:
                rec["level"] = ["low", "médium", "high", "extreme"][(u + r) % 4]
                rec["score"] = (u * r) % 12
            if u % 4 == 0:
                rec["topics"] = ["ä"] if r else ["ä", "b"]
            if u % 11 == 0:
                rec["split"] = "eval"
            out.append(orjson.dumps(rec) + b"\n")
    out += [
        b'{"id": "i3", "annotator" : "d", "label": "plain"}\n',  # space before a colon
        b'{"id":"i3","annotator":"d","label":"caf\\u00e9","label":"plain"}\n',  # repeated key
        b'{"id":"i4","annotator":"d","meta":{"k":1},"label":"plain"}\n',  # nested object
        b'{"id":"i5","annotator":"d","big":123456789012345678901,"label":"plain"}\n',
        b'{"id":"i6","annotator":"d","note":"a \\":{ b","label":"naive"}\n',
        b'{"id":"i7","annotator":"d","label":"plain"}\r\n',  # CRLF
        b"[1, 2]\n",  # not an object
        b'"text"\n',
        b"{not json}\n",
        b"\n",  # blank line
        b'{"annotator":"d","label":"plain"}\n',  # no id
        b'{"id":true,"annotator":"d","label":"plain"}\n',  # unusable id
        b'{"id":"i8","annotator":"a","label":"plain"}\n',  # labelled again (GK603)
        b'{"id":"i9","annotator":"d","label":"plain","skip":"unclear"}\n',
        '{"id":"i9","annotator":7,"label":"naïve"}\n'.encode(),  # a number as annotator
        '{"id":"i9","annotator":"","label":"naïve"}\n'.encode(),  # empty annotator: the file
        '{"id":9.0,"annotator":"e","label":"naïve"}\n'.encode(),
        b'{"id":"i10","annotator":"d","x":NaN,"label":"plain"}\n',
        b'{"id":"i11","annotator":"d","label":"\xff"}\n',  # not UTF-8
    ]
    out.append(b'{"id":"i12","annotator":"d","label":"plain"}')  # no newline at the end
    return out


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "g"
    folder.mkdir()
    (folder / "guideline.yaml").write_text(GUIDELINE, encoding="utf-8")
    return folder


def _report(
    capsys: pytest.CaptureFixture[str], project: Path, files: list[Path], *extra: str
) -> tuple[int, str, str]:
    code = main(["agreement", str(project), *map(str, files), "--format", "json", *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("block", "size"), [(1, 64), (2, 1000), (7, 97), (D.BULK_LINES, D.BULK_BYTES)]
)
@pytest.mark.parametrize(
    "extra",
    [
        (),
        ("--stat", "gwet_ac1", "--stat", "krippendorff_alpha", "-t", "label", "-t", "level"),
        ("--split", "eval"),
    ],
)
def test_fast_and_record_by_record_reading_give_the_same_report(
    project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    block: int,
    size: int,
    extra: tuple[str, ...],
) -> None:
    lines = _lines()
    first = tmp_path / "one.jsonl"
    first.write_bytes(b"".join(lines))
    second = tmp_path / "two.jsonl"  # a second file: its own line numbers and annotator
    second.write_bytes(b"".join(lines[1:60]))
    files = [first, second]
    monkeypatch.setattr(D, "BULK_LINES", block)
    monkeypatch.setattr(D, "BULK_BYTES", size)
    fast = _report(capsys, project, files, *extra)
    used: list[str] = []
    monkeypatch.setattr(D, "read_jsonl_blocks", lambda *a: used.append("fast") or iter(()))
    monkeypatch.setattr(ratings, "read_jsonl_blocks", D.read_jsonl_blocks)
    monkeypatch.setattr(ratings, "_plain_jsonl", lambda *a: False)
    slow = _report(capsys, project, files, *extra)
    assert not used  # the second run read record by record
    assert fast[0] == 0
    assert fast == slow
    assert all(code in fast[2] for code in ("GK501", "GK502", "GK503", "GK506", "GK603"))


@pytest.mark.parametrize("size", [5, 300, D.BULK_BYTES])
@pytest.mark.parametrize("block", [1, 5, D.BULK_LINES])
def test_fast_reading_yields_the_same_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int, size: int
) -> None:
    """Line by line: the objects the bulk reader yields are the per-line reader's data,
    and every line it hands back is the per-line reader's record."""
    monkeypatch.setattr(D, "BULK_LINES", block)
    monkeypatch.setattr(D, "BULK_BYTES", size)  # reads cut lines at every size
    path = tmp_path / "d.jsonl"
    path.write_bytes(b"".join(_lines()))
    slow = list(D.read_jsonl(path, "d.jsonl"))
    fast = [x for block in D.read_jsonl_blocks(path, "d.jsonl") for x in block]
    assert len(fast) == len(slow)
    kinds = set()
    for got, want in zip(fast, slow, strict=True):
        if isinstance(got, dict):
            kinds.add("fast")
            assert want.error is None and got == want.data
        else:
            kinds.add("slow")
            assert got == want
    assert kinds == {"fast", "slow"}


def test_empty_file_reads_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    assert list(D.read_jsonl_blocks(path, "empty.jsonl")) == []


@pytest.mark.parametrize("size", [3, 40, D.BULK_BYTES])
def test_a_cut_last_line_is_reported_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    """A truncated last line (GK505) and a line longer than one read."""
    monkeypatch.setattr(D, "BULK_BYTES", size)
    path = tmp_path / "cut.jsonl"
    path.write_bytes(b'{"id":"a","x":"' + b"y" * 100 + b'"}\n{"id":"b"}\n{"id":"c","label":')
    fast = [x for block in D.read_jsonl_blocks(path, "cut.jsonl") for x in block]
    slow = list(D.read_jsonl(path, "cut.jsonl"))
    assert fast[1] == slow[1].data and fast[2] == slow[2]
    assert fast[2].error is not None and fast[2].error.code == "GK505"
