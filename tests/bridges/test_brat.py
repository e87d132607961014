"""BRAT standoff from the command line, on BRAT's own example corpora (NCBI disease, the
news tutorial with relations, events, attributes, notes; Spanish CoNLL 2002)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import CORPUS
from guidekit.cli import main

from .conftest import FIXTURES

BRAT = CORPUS / "brat"
pytestmark = pytest.mark.skipif(not BRAT.is_dir(), reason="needs the shared corpus")


def validate(
    tmp_path: Path, guide: str, delivery: Path, *extra: str
) -> tuple[int, dict[str, Any], Path]:
    out = tmp_path / "report.json"
    split = tmp_path / "split"
    code = main(
        [
            *("validate", str(FIXTURES / guide), str(delivery), "--format", "json"),
            *("-o", str(out), "--no-progress", "--split", str(split), *extra),
        ]
    )
    return code, json.loads(out.read_text(encoding="utf-8")), split


def records(split: Path, kind: str = "accepted") -> list[dict[str, Any]]:
    return [json.loads(x) for x in (split / f"{kind}.jsonl").read_text("utf-8").splitlines()]


def ann_lines(folder: Path, kind: str) -> list[str]:
    return [
        line
        for ann in sorted(folder.glob("*.ann"))
        for line in ann.read_text("utf-8").splitlines()
        if line.startswith(kind)
    ]


def test_ncbi_disease_every_mention_and_category_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report, split = validate(tmp_path, "brat-ncbi", BRAT / "NCBI-disease")
    assert "reads as a brat export" in capsys.readouterr().err  # detected from the folder
    assert code == 0 and report["records"] == 20 and report["accepted_records"] == 20
    docs = records(split)
    spans = [s for r in docs for s in r["mentions"]]
    assert len(spans) == len(ann_lines(BRAT / "NCBI-disease", "T"))
    categories = [s["attributes"]["Category"] for s in spans if "attributes" in s]
    assert len(categories) == len(ann_lines(BRAT / "NCBI-disease", "A"))
    one = next(r for r in docs if r["doc_id"] == "PMID-3578281")
    assert one["mentions"][0] == {
        "id": "T1",
        "start": 0,
        "end": 16,
        "label": "Disease",
        "text": "Hypopigmentation",
        "attributes": {"Category": "DiseaseClass"},
    }


def test_news_relations_events_and_what_has_no_place(tmp_path: Path) -> None:
    code, report, split = validate(tmp_path, "brat-news", BRAT / "tutorial_news")
    assert code == 0 and report["records"] == 13
    docs = records(split)
    links = [x for r in docs for x in r["links"]]
    n_args = sum(
        len(line.split("\t")[1].split()) - 1 for line in ann_lines(BRAT / "tutorial_news", "E")
    )
    assert len(links) == len(ann_lines(BRAT / "tutorial_news", "R")) + n_args
    intro = next(r for r in docs if r["doc_id"] == "000-introduction")
    giver = next(x for x in intro["links"] if x["label"] == "Giver-Arg")
    assert (giver["from"], giver["to"]) == ("T3", "T1")  # trigger -> argument
    trigger = next(s for s in intro["mentions"] if s["id"] == "T3")
    assert trigger["attributes"] == {"Confidence": "High"}  # the event's attribute
    notes = {
        ex["location"]["file"].rsplit("/", 1)[-1]: ex["message"]
        for g in report["groups"]
        if g["code"] == "GK817"
        for ex in g["examples"]
    }
    assert notes["000-introduction.ann"].startswith("1 note, 1 normalisation")
    assert "3 notes" in notes["110-note_annotation.ann"]


def test_numbered_event_roles_are_one_role(tmp_path: Path) -> None:
    _, _, split = validate(tmp_path, "brat-news", BRAT / "tutorial_news")
    labels = {x["label"] for r in records(split) for x in r["links"]}
    assert "Org-Arg" in labels and not any(label[-1].isdigit() for label in labels)


def test_spanish_conll_in_brat_through_an_alias(tmp_path: Path) -> None:
    code, report, split = validate(tmp_path, "conll-ner", BRAT / "CoNLL-ST_2002_esp")
    assert code == 0 and report["records"] == 10
    labels = {s["label"] for r in records(split) for s in r["entities"]}
    assert "PERSON" in labels and "PER" not in labels  # PER is PERSON's alias


@pytest.mark.parametrize(
    ("edit", "code", "needle"),
    [
        (lambda s: s.replace("Disease 0 16\t", "Disease 0 5;8 16\t", 1), "GK806", "discontinuous"),
        (lambda s: s.replace("Disease 0 16\t", "Disease 1 16\t", 1), "GK802", "quotes"),
        (lambda s: s.replace("Disease 0 16\t", "Illness 0 16\t", 1), "GK803", "Illness"),
        (lambda s: s.replace("T1\tDisease 0 16", "T1\tDisease zero 16", 1), "GK802", "offsets"),
        (lambda s: "X1\tstray\n" + s, "GK802", "unknown BRAT annotation line"),
        (lambda s: s.replace("A1\tCategory T1", "A1\tCategory T99", 1), "GK802", "not annotated"),
    ],
    ids=[
        "discontinuous",
        "text-mismatch",
        "unknown-type",
        "bad-offsets",
        "bad-line",
        "dangling-attr",
    ],
)
def test_a_broken_document_is_rejected_at_its_line(
    tmp_path: Path, edit: Any, code: str, needle: str
) -> None:
    folder = tmp_path / "delivery"
    folder.mkdir()
    for stem in ("PMID-3578281", "PMID-9888390"):
        for ext in (".ann", ".txt"):
            shutil.copy(BRAT / "NCBI-disease" / f"{stem}{ext}", folder / f"{stem}{ext}")
    ann = folder / "PMID-3578281.ann"
    before = ann.read_text("utf-8")
    ann.write_text(edit(before), "utf-8")
    rc, report, _ = validate(tmp_path, "brat-ncbi", folder, "--input-format", "brat")
    assert rc == 1 and report["rejected_records"] == 1 and report["accepted_records"] == 1
    first = next(ex for g in report["groups"] for ex in g["examples"] if g["code"] == code)
    assert needle in first["message"]
    assert first["location"]["file"].endswith("PMID-3578281.ann")
    assert first["location"]["line"] in (1, 2, 3)


def test_a_document_without_its_text_is_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "delivery"
    folder.mkdir()
    shutil.copy(BRAT / "NCBI-disease" / "PMID-3578281.ann", folder)
    rc, report, _ = validate(tmp_path, "brat-ncbi", folder)
    assert rc == 1
    assert "cannot be read" in report["groups"][0]["examples"][0]["message"]


def test_export_to_brat_and_read_back_is_the_same(tmp_path: Path) -> None:
    _, _, split = validate(tmp_path, "brat-news", BRAT / "tutorial_news")
    native = split / "accepted.jsonl"
    out = tmp_path / "brat-out"
    assert (
        main(
            [
                "export",
                str(FIXTURES / "brat-news"),
                str(native),
                "--format",
                "brat",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert (out / "annotation.conf").read_text("utf-8").startswith("[entities]")
    again = tmp_path / "again"
    again.mkdir()
    code2, report2, split2 = validate(again, "brat-news", out)
    assert code2 == 0 and report2["records"] == 13

    def key(r: dict[str, Any]) -> tuple[Any, ...]:
        return (
            r["doc_id"],
            sorted(
                (s["start"], s["end"], s["label"], json.dumps(s.get("attributes"), sort_keys=True))
                for s in r["mentions"]
            ),
            len(r["links"]),
        )

    assert sorted(map(key, records(split))) == sorted(map(key, records(split2)))


# -- annotation.conf and drift ---------------------------------------------------------------------


def drift(
    capsys: pytest.CaptureFixture[str], guide: str, conf: Path
) -> tuple[int, list[dict[str, Any]]]:
    code = main(["drift", str(FIXTURES / guide), "--brat", str(conf), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    return code, out["diagnostics"]


@pytest.mark.parametrize(
    ("guide", "conf"),
    [
        ("brat-ncbi", BRAT / "NCBI-disease" / "annotation.conf"),
        ("brat-news", BRAT / "tutorial_news" / "annotation.conf"),
    ],
    ids=["ncbi", "news-with-events-and-macros"],
)
def test_the_corpus_configs_match_their_guidelines(
    capsys: pytest.CaptureFixture[str], guide: str, conf: Path
) -> None:
    assert drift(capsys, guide, conf) == (0, [])


def test_drift_names_added_missing_and_renamed_labels(capsys: pytest.CaptureFixture[str]) -> None:
    code, found = drift(capsys, "conll-ner", BRAT / "CoNLL-ST_2002_annotation.conf")
    assert code == 1
    got = sorted((d["code"], d["location"]["line"]) for d in found)
    assert got == [("GK811", 7), ("GK811", 7), ("GK812", 8)]  # DATE, NORP missing; PER spelled


def test_drift_sees_an_edited_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (BRAT / "tutorial_news" / "annotation.conf").read_text("utf-8")
    text = text.replace("Money\n", "Virus\n").replace("Value:High|Neutral|Low", "Value:High|Low")
    conf = tmp_path / "annotation.conf"
    conf.write_text(text, "utf-8")
    code, found = drift(capsys, "brat-news", conf)
    assert code == 1
    messages = {d["code"]: d["message"] for d in found}
    assert "'Virus'" in messages["GK810"] and "'Money'" in messages["GK811"]
    assert "Confidence" in messages["GK813"]


def test_the_written_annotation_conf_has_no_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, split = validate(tmp_path, "brat-ncbi", BRAT / "NCBI-disease")
    out = tmp_path / "brat-out"
    assert (
        main(
            [
                "export",
                str(FIXTURES / "brat-ncbi"),
                str(split / "accepted.jsonl"),
                "--format",
                "brat",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert drift(capsys, "brat-ncbi", out / "annotation.conf") == (0, [])
