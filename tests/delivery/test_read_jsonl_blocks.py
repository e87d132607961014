"""``read_jsonl`` parses clean blocks of lines at once and the others line by line: the
records, their lines and bytes, and every diagnostic are those of ``parse_line`` on each
line, wherever a block starts or ends."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from guidekit.cli import main
from guidekit.delivery import read as R

LINES = [
    b'\xef\xbb\xbf{"id": "bom", "v": 1}\n',
    b'{"id":"a","v":1}\n',
    b'{"id":"b","v":1,"v":2}\n',  # a repeated key
    b'{"id":"c","nested":{"k":1,"k":2}}\n',  # repeated inside
    b'{"id":"d","nested":{"k":1,"j":[{"x":1}]}}\n',
    b'{"id":"e","big":12345678901234567890123}\n',  # beyond 64 bits
    b'{"id" : "f", "text": "say \\"hi\\" : now"}\r\n',
    b"\n",  # blank
    b"[1, 2]\n",
    b'"just a string"\n',
    b'{"id":"g","v":\n',  # malformed
    b'{"id":"h\xc3\xa9","label":"d\xc3\xa4maged"}\n',
    b'{"id":"i","bad":"\xff"}\n',  # not UTF-8
    b'{"id":"j","k\\":":1}\n',  # a key that contains the key end
    b'{"a" :1,"a" :2,"b":"q\\":"}\n',  # repeated, spaced keys; as many '":' as keys
    b'{"id":"k","v":1}',  # no newline at the end
]


def _reference(path: Path) -> list[tuple[Any, ...]]:
    """What the reader gave before blocks: parse_line on each line, ``last`` on the last."""
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    lines = raw.split(b"\n")
    lines = [x + b"\n" for x in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    out = [R.parse_line(x, "f", i, last=i == len(lines)) for i, x in enumerate(lines, 1)]
    return [(r.line, r.raw, r.data, str(r.error) if r.error else None) for r in out]


def _read(path: Path) -> list[tuple[Any, ...]]:
    return [
        (r.line, r.raw, r.data, str(r.error) if r.error else None) for r in R.read_jsonl(path, "f")
    ]


@pytest.mark.parametrize("block", [1, 40, 200, 1 << 20])
@pytest.mark.parametrize("order", ["as is", "clean first", "bom later"])
def test_blocks_read_as_lines_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int, order: str
) -> None:
    monkeypatch.setattr(R, "JSONL_BLOCK", block)
    lines = list(LINES)
    if order == "clean first":
        lines = [b'{"id":"z%d","v":%d}\n' % (i, i) for i in range(30)] + lines[1:]
    elif order == "bom later":
        lines = lines[1:-1] + lines[:1] + lines[-1:]
    for name, data in (
        ("d.jsonl", b"".join(lines)),
        ("d.jsonl.gz", gzip.compress(b"".join(lines))),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        got = _read(path)
        assert got == _reference(path)
        assert len(got) == len(lines)


def test_a_clean_file_of_objects_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(R, "JSONL_BLOCK", 100)
    path = tmp_path / "d.jsonl"
    path.write_bytes(b"".join(b'{"id":"r%d","x":{"y":[%d]}}\n' % (i, i) for i in range(500)))
    expected = _reference(path)
    calls: list[int] = []
    real = R.parse_line
    monkeypatch.setattr(R, "parse_line", lambda *a, **k: calls.append(1) or real(*a, **k))
    got = _read(path)
    assert got == expected and len(got) == 500
    assert calls == []  # every block went the fast way


def test_a_bad_line_among_clean_blocks_is_located_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through a command: ``guidekit eval`` names the line that is not JSON among clean
    blocks, and reads every other line."""
    tickets = Path(__file__).resolve().parents[2] / "guidelines" / "support-tickets"
    lines = [b'{"ticket_id":"X%d","intent":"billing"}\n' % i for i in range(3000)]
    lines[2500] = b'{"ticket_id":"X2500","intent":\n'
    preds = tmp_path / "preds.jsonl"
    preds.write_bytes(b"".join(lines))
    assert main(["eval", str(tickets), str(preds), "--format", "json"]) == 1
    cap = capsys.readouterr()
    assert "preds.jsonl:2501:31: GK501 malformed JSON" in cap.err and "Traceback" not in cap.err
    report = json.loads(cap.out)
    unreadable = [e for e in report["excluded"] if e["what"] == "unreadable records"]
    assert unreadable[0]["count"] == 1
    unknown = [e for e in report["excluded"] if e["what"] == "predictions for unknown items"]
    assert unknown[0]["count"] == 2999
