"""The Prodigy reader on Prodigy's own db-out files and on hand-made answers of each recipe,
through ``guidekit validate --input-format prodigy`` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from guidekit.bridges import READERS
from guidekit.cli import main

from .conftest import FIXTURES, errors, fixture

TEXT = FIXTURES / "prodigy-text"
IMAGE = FIXTURES / "prodigy-image"


def write(tmp_path: Path, rows: list[Any]) -> Path:
    path = tmp_path / "db-out.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def tokens(text: str) -> list[dict[str, Any]]:
    out, pos = [], 0
    for i, word in enumerate(text.split()):
        start = text.index(word, pos)
        pos = start + len(word)
        out.append({"text": word, "start": start, "end": pos, "id": i})
    return out


def validate(
    guide: Path, path: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str]:
    code = main(["validate", str(guide), str(path), "--input-format", "prodigy", *extra])
    out = capsys.readouterr()
    return code, out.out + out.err


SENT = "Apple hired Tim Cook in Cupertino"
NER = [
    {  # ner.manual, accepted, token-aligned
        "text": SENT,
        "tokens": tokens(SENT),
        "spans": [
            {"start": 0, "end": 5, "label": "ORG", "token_start": 0, "token_end": 0},
            {"start": 12, "end": 20, "label": "PERSON", "token_start": 2, "token_end": 3},
        ],
        "_input_hash": 101,
        "_task_hash": 201,
        "answer": "accept",
    },
    {  # ignored with no spans: skipped, not an empty annotation (GK540 before)
        "text": "nothing here",
        "tokens": tokens("nothing here"),
        "spans": [],
        "_input_hash": 102,
        "_task_hash": 202,
        "answer": "ignore",
    },
    {  # rejected with spans: skipped, the spans are not labels
        "text": SENT,
        "tokens": tokens(SENT),
        "spans": [{"start": 0, "end": 5, "label": "ORG"}],
        "_input_hash": 103,
        "_task_hash": 203,
        "answer": "reject",
    },
]


def test_ner_manual_accept_reject_ignore(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, NER)
    code, out = validate(TEXT, path, capsys)
    assert code == 0, out
    assert "skipped                2 (ignored 1, rejected 1)" in out
    a, b, c = READERS["prodigy"](path, fixture("prodigy-text"))
    assert errors([a, b, c]) == []
    assert a.data["id"] == 101  # _input_hash, not the line number
    assert [(s["start"], s["end"], s["label"]) for s in a.data["entities"]] == [
        (0, 5, "ORG"),
        (12, 20, "PERSON"),
    ]
    assert b.data == {"id": 102, "text": "nothing here", "skip": "ignored"}
    assert c.data == {"id": 103, "text": SENT, "skip": "rejected"}


def test_skip_reason_option(tmp_path: Path) -> None:
    path = write(tmp_path, [NER[1], NER[2]])
    b, c = READERS["prodigy"](path, fixture("prodigy-text"), ignore="off_topic")
    assert (b.data["skip"], c.data["skip"]) == ("off_topic", "rejected")
    b, c = READERS["prodigy"](path, fixture("prodigy-image"))  # no reasons declared: the answer
    assert (b.data["skip"], c.data["skip"]) == ("ignore", "reject")


def test_the_id_is_configurable(tmp_path: Path) -> None:
    rows = [{**NER[0], "meta": {"doc": "d-1"}}]
    path = write(tmp_path, rows)
    g = fixture("prodigy-text")
    assert next(READERS["prodigy"](path, g, id="_task_hash")).data["id"] == 201
    assert next(READERS["prodigy"](path, g, id="meta.doc")).data["id"] == "d-1"


def test_a_span_off_the_tokens_is_a_located_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = {
        **NER[0],
        "spans": [
            {"start": 0, "end": 5, "label": "ORG"},
            {"start": 13, "end": 20, "label": "PERSON"},  # "im Cook": starts inside a token
        ],
    }
    wrong_token = {
        **NER[0],
        "_input_hash": 105,
        "spans": [{"start": 0, "end": 5, "label": "ORG", "token_end": 1}],
    }
    bad_tokens = {**NER[0], "_input_hash": 106, "tokens": [{"start": "0"}]}
    path = write(tmp_path, [NER[1], bad, wrong_token, bad_tokens])
    code, out = validate(TEXT, path, capsys)
    assert code == 1, out
    assert "GK802" in out and "span start 13 is not on a token boundary" in out
    assert "token_end 1 disagrees with its characters (token 0)" in out
    _, b, c, d = READERS["prodigy"](path, fixture("prodigy-text"))
    assert (d.error.location.line, d.error.location.pointer) == (4, "/tokens")
    assert (b.error.code, b.error.location.line, b.error.location.pointer) == (
        "GK802",
        2,
        "/spans/1",
    )
    assert (c.error.location.line, c.error.location.pointer) == (3, "/spans/0")


def test_real_binary_textcat_export(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = corpus / "prodigy/annotated_github-issues-DOCUMENTATION-textcat.jsonl"
    code, out = validate(TEXT, path, capsys)
    assert code == 0, out
    assert "830 records" in out and "skipped                44 (ignored 44)" in out
    recs = list(READERS["prodigy"](path, fixture("prodigy-text")))
    assert errors(recs) == []
    values = [r.data.get("documentation") for r in recs]
    assert (values.count(True), values.count(False), values.count(None)) == (261, 525, 44)
    assert recs[0].data["id"] == -1080010644


def test_real_spans_export(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = corpus / "prodigy/bio_events.jsonl"
    code, out = validate(TEXT, path, capsys)
    assert code == 0, out
    first = next(READERS["prodigy"](path, fixture("prodigy-text")))
    text = first.data["text"]
    assert [text[s["start"] : s["end"]] for s in first.data["entities"]][:2] == ["bcr", "abl"]


def test_undeclared_skip_reason_and_unknown_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        {**NER[1], "answer": "ignore"},
        {**NER[0], "spans": [{"start": 0, "end": 5, "label": "COMPANY"}]},
        {**NER[0], "_input_hash": 104, "answer": "maybe"},
    ]
    path = write(tmp_path, rows)
    code, out = validate(TEXT, path, capsys)
    assert code == 1, out
    assert "label 'COMPANY' maps to no class of task 'entities'" in out
    assert "answer 'maybe' is not accept, reject or ignore" in out


def test_choice_and_image_manual(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    options = [
        {"id": "sunny", "text": "Sunny"},
        {"id": 2, "text": "rainy"},
        {"id": "foggy", "text": "Fog"},
    ]
    rows = [
        {  # image.manual with a rect and a polygon, and a choice on the same image
            "image": "images/street.jpg",
            "width": 200,
            "height": 100,
            "spans": [
                {
                    "label": "car",
                    "type": "rect",
                    "x": 10,
                    "y": 20,
                    "width": 50,
                    "height": 30,
                    "points": [[10, 20], [10, 50], [60, 50], [60, 20]],
                },
                {"label": "person", "type": "polygon", "points": [[100, 10], [120, 10], [110, 60]]},
            ],
            "options": options,
            "accept": ["sunny", 2],
            "_input_hash": 7,
            "answer": "accept",
        },
        {
            "image": "images/b.jpg",
            "width": 200,
            "height": 100,
            "options": options,
            "accept": [],
            "_input_hash": 8,
            "answer": "accept",
        },
        {
            "image": "images/c.jpg",
            "width": 200,
            "height": 100,
            "options": options,
            "accept": ["hail"],
            "_input_hash": 9,
            "answer": "accept",
        },
    ]
    path = write(tmp_path, rows)
    a, b, c = READERS["prodigy"](path, fixture("prodigy-image"))
    assert a.error is None and b.error is None
    assert a.data["image"] == {"path": "images/street.jpg", "width": 200, "height": 100}
    assert [r["label"] for r in a.data["boxes"]] == ["car"]
    assert [r["label"] for r in a.data["outlines"]] == ["person"]
    assert a.data["weather"] == ["sunny", "rainy"]  # option 2 is read by its text
    assert b.data["weather"] == []
    assert (
        c.error is not None and c.error.code == "GK802" and c.error.location.pointer == "/accept/0"
    )
    code, out = validate(IMAGE, path, capsys)
    assert code == 1 and "accepted option 'hail' is not one of the options" in out


def test_export_then_validate_keeps_skips(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    native = [
        {"id": "a", "text": SENT, "entities": [{"start": 0, "end": 5, "label": "ORG"}]},
        {"id": "b", "text": "in French", "skip": "ignored"},
        {"id": "c", "text": "a doc issue", "documentation": True},
    ]
    src = tmp_path / "native.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in native), encoding="utf-8")
    out = tmp_path / "prodigy.jsonl"
    assert main(["export", str(TEXT), str(src), "--format", "prodigy", "--out", str(out)]) == 0
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["answer"] for x in lines] == ["accept", "ignore", "accept"]
    assert lines[2]["label"] == "documentation"
    capsys.readouterr()
    code, text = validate(TEXT, out, capsys)
    assert code == 0 and "skipped                1 (ignored 1)" in text, text
    back = [r.data for r in READERS["prodigy"](out, fixture("prodigy-text"))]
    assert back[0]["entities"] == native[0]["entities"] and back[1]["skip"] == "ignored"
    assert back[2]["documentation"] is True


def test_validate_recognises_a_prodigy_file_and_passes_reader_options(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No --input-format: the Prodigy keys give the format away; -O reaches the reader."""
    path = corpus / "prodigy/annotated_github-issues-DOCUMENTATION-textcat.jsonl"
    assert main(["validate", str(TEXT), str(path), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert "reads as a prodigy export" in err
    assert json.loads(out)["records"] == 830
    ner = write(tmp_path, [NER[1], NER[2]])
    args = [
        "validate",
        str(TEXT),
        str(ner),
        "-O",
        "ignore=off_topic",
        "--split",
        str(tmp_path / "s"),
    ]
    main(args)
    capsys.readouterr()
    skips = [
        json.loads(line).get("skip")
        for name in ("accepted.jsonl", "rejected.jsonl")
        for line in (tmp_path / "s" / name).read_text().splitlines()
    ]
    assert sorted(s for s in skips if s) == ["off_topic", "rejected"]
    assert main(["validate", str(TEXT), str(ner), "-O", "nonsense"]) == 2
