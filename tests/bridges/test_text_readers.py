"""doccano, CoNLL and spaCy-style JSONL readers on doccano's and spaCy's own examples, and on
malformed files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from guidekit.bridges import READERS
from guidekit.errors import GuidekitError

from .conftest import errors, fixture


def read(fmt: str, path: Path | str, name: str, **options: Any) -> list[Any]:
    return list(READERS[fmt](path, fixture(name), **options))


def spans(rec: Any, field: str = "text", task: str = "entities") -> list[tuple[str, str]]:
    return [(rec.data[field][s["start"] : s["end"]], s["label"]) for s in rec.data[task]]


# -- doccano ---------------------------------------------------------------------------------------


def test_doccano_sequence_labeling(corpus: Path) -> None:
    recs = read("doccano", corpus / "doccano/export_sequence_labeling.jsonl", "doccano-text")
    assert errors(recs) == []
    assert [r.data["id"] for r in recs] == [1, 2, 3]  # no ids in the file: line numbers
    assert spans(recs[0]) == [("EU", "ORG"), ("German", "MISC")]
    assert spans(recs[2]) == [("Obama", "PERSON")]


def test_doccano_relations_pretty_printed(corpus: Path) -> None:
    (rec,) = read("doccano", corpus / "doccano/export_relation_extraction.jsonl", "doccano-text")
    assert rec.error is None
    assert spans(rec) == [
        ("Google", "ORG"),
        ("September 4, 1998", "DATE"),
        ("Larry Page", "PERSON"),
        ("Sergey Brin", "PERSON"),
    ]
    assert [e["id"] for e in rec.data["entities"]] == ["0", "1", "2", "3"]
    assert rec.data["relations"] == [
        {"label": "foundedAt", "from": "0", "to": "1"},
        {"label": "foundedBy", "from": "0", "to": "2"},
        {"label": "foundedBy", "from": "0", "to": "3"},
    ]


def test_doccano_classification_and_intents(corpus: Path) -> None:
    recs = read("doccano", corpus / "doccano/export_text_classification.jsonl", "doccano-text")
    assert [r.data["sentiment"] for r in recs] == [["negative"], ["positive"], ["positive"]]
    recs = read("doccano", corpus / "doccano/export_intent_detection.jsonl", "doccano-text")
    assert [r.data["sentiment"] for r in recs] == [["flight"], ["airport"]]
    assert spans(recs[1]) == [("Los Angeles", "City")]


def test_doccano_duplicate_spans_are_kept(corpus: Path) -> None:
    (rec,) = read("doccano", corpus / "doccano/import_example_overlapping.jsonl", "doccano-text")
    assert rec.data["entities"] == [{"start": 0, "end": 1, "label": "LOC"}] * 2


def test_doccano_trailing_comma_is_located(corpus: Path) -> None:
    (rec,) = read("doccano", corpus / "doccano/export_bounding_box.jsonl", "doccano-text")
    assert rec.data is None and rec.error.check_tuple() == ("GK802", 13, 1)


def test_doccano_custom_columns(corpus: Path) -> None:
    path = corpus / "doccano/import_sequence_labeling.jsonl"
    recs = read("doccano", path, "doccano-text")
    assert [r.error.code for r in recs] == ["GK802"] * 3 and "column_data" in recs[0].error.hint
    recs = read("doccano", path, "doccano-text", text_key="column_data", label_key="column_label")
    assert errors(recs) == [] and spans(recs[1]) == [("Peter Blackburn", "PERSON")]


def test_doccano_images(corpus: Path, tmp_path: Path) -> None:
    fixed = (corpus / "doccano/export_bounding_box.jsonl").read_text().replace("],\n\n}", "]\n}")
    (tmp_path / "bbox.jsonl").write_text(fixed, encoding="utf-8")
    (rec,) = read("doccano", tmp_path / "bbox.jsonl", "coco-abc")
    assert rec.error.code == "GK803"  # 'cat' is no class of coco-abc: kept, reported
    assert rec.data["boxes"] == [{"label": "cat", "bbox": [11, 12, 64, 66]}]
    assert rec.data["image"] == {"path": "cat.png"}


def test_doccano_unknown_label_and_bad_span(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(
        json.dumps(
            {
                "id": 5,
                "text": "Ann met Bob",
                "label": [[0, 3, "PER"], [8, 11, "ALIEN"], ["x", 2, "ORG"]],
            }
        )
        + "\n[1, 2]\n",
        encoding="utf-8",
    )
    a, b = read("doccano", path, "doccano-text")
    assert a.data["entities"] == [
        {"start": 0, "end": 3, "label": "PERSON"},
        {"start": 8, "end": 11, "label": "ALIEN"},
    ]
    assert (a.error.code, a.error.location.pointer) == ("GK803", "/label/1")
    assert b.data is None and (b.error.code, b.error.location.line) == ("GK802", 2)


def test_doccano_ambiguous_classes_are_reported_per_record(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": "hi", "label": ["angry"]}) + "\n", encoding="utf-8")
    (rec,) = list(READERS["doccano"](path, fixture("all-types")))
    assert rec.error.code == "GK805" and "classes_task" in rec.error.message
    (rec,) = list(READERS["doccano"](path, fixture("all-types"), classes_task="tags"))
    assert rec.error is None and rec.data["tags"] == ["angry"]


# -- CoNLL -----------------------------------------------------------------------------------------


def test_conll_doccano_sample(corpus: Path) -> None:
    recs = read("conll", corpus / "doccano/import_example.conll", "conll-ner")
    assert errors(recs) == []
    assert [(r.data["sentence_id"], r.data["sentence"]) for r in recs] == [
        ("1", "JAPAN GET"),
        ("2", "Nadim Ladki"),
    ]
    assert spans(recs[1], "sentence") == [("Nadim Ladki", "PERSON")]  # PER is an alias


def test_conll_invalid_doccano_sample(corpus: Path) -> None:
    recs = read("conll", corpus / "doccano/import_labeling.invalid.conll", "conll-ner")
    assert recs[0].error.check_tuple() == ("GK802", 1, None)
    assert "SOCCERO" in recs[0].error.message
    assert errors(recs[1:]) == []
    assert spans(recs[2], "sentence") == [("AL-AIN", "LOC"), ("United Arab Emirates", "LOC")]


@pytest.mark.parametrize(
    "name",
    [
        "spacy_ner-token-per-line-conll2003.iob",
        "spacy_ner-sent-per-line.iob",
        "spacy_ner-token-per-line-with-pos.iob",
        "spacy_ner-token-per-line.iob",
    ],
)
def test_conll_spacy_layouts_agree_with_spacys_json(corpus: Path, name: str) -> None:
    """Every layout of spaCy's example gives the entities of spaCy's own JSON conversion."""
    recs = read("conll", corpus / "conll" / name, "conll-ner")
    assert errors(recs) == []
    got = [ent for r in recs for ent in spans(r, "sentence")]
    doc = json.loads((corpus / "conll/spacy_ner-token-per-line-conll2003.json").read_text())
    want = []
    for para in doc[0]["paragraphs"]:
        for sent in para["sentences"]:
            current: list[str] = []
            for tok in sent["tokens"]:
                tag = tok["ner"]
                if tag[0] in "BU":
                    current = [tok["orth"]]
                elif tag[0] in "IL":
                    current.append(tok["orth"])
                if tag[0] in "LU":
                    want.append((" ".join(current), tag[2:]))
    assert got == want and len(got) == 7


def test_conll_iob2_violation_and_document_unit(tmp_path: Path) -> None:
    path = tmp_path / "a.conll"
    path.write_text(
        "-DOCSTART- -X- O O\n\n# id = doc-7\nAnn\tI-PER\nsmiles\tO\n\nBob\tB-PER\n",
        encoding="utf-8",
    )
    first, second = read("conll", path, "conll-ner")
    assert first.data["sentence_id"] == "doc-7" and second.data["sentence_id"] == "2"
    assert first.error.check_tuple() == ("GK802", 4, None) and "B-" in first.error.message
    assert spans(first, "sentence") == [("Ann", "PERSON")]
    (iob1,) = read("conll", path, "conll-ner", scheme="iob1", unit="document")[:1]
    assert iob1.error is None and iob1.data["sentence"] == "Ann smiles\nBob"
    assert spans(iob1, "sentence") == [("Ann", "PERSON"), ("Bob", "PERSON")]


def test_conll_needs_a_spans_task(tmp_path: Path) -> None:
    path = tmp_path / "a.conll"
    path.write_text("a\tO\n", encoding="utf-8")
    with pytest.raises(GuidekitError) as exc:
        read("conll", path, "coco-abc")
    assert exc.value.diagnostics[0].code == "GK805"


# -- spaCy JSONL -----------------------------------------------------------------------------------

# The shape of spaCy's and Prodigy's documented JSONL (spans with character offsets, cats as
# scores, Prodigy relations with head_span/child_span, meta).
SPACY = [
    {
        "text": "Google was founded by Larry Page.",
        "spans": [
            {"start": 0, "end": 6, "label": "ORG", "token_start": 0, "token_end": 0},
            {"start": 22, "end": 32, "label": "PERSON", "token_start": 4, "token_end": 5},
        ],
        "relations": [
            {
                "head": 0,
                "child": 4,
                "head_span": {"start": 0, "end": 6, "label": "ORG"},
                "child_span": {"start": 22, "end": 32, "label": "PERSON"},
                "label": "foundedBy",
            }
        ],
        "meta": {"id": "g1"},
        "_input_hash": 1,
        "answer": "accept",
    },
    {"text": "Great price.", "cats": {"positive": 1.0, "negative": 0.0}, "meta": {"id": "g2"}},
    {
        "text": "EU rejects German call",
        "entities": [[0, 2, "ORG"], [11, 17, "MISC"]],
        "answer": "reject",
    },
]


def test_spacy_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in SPACY), encoding="utf-8")
    a, b, c = read("spacy", path, "doccano-text")
    assert errors([a, b, c]) == []
    assert a.data["id"] == "g1" and spans(a) == [("Google", "ORG"), ("Larry Page", "PERSON")]
    assert a.data["relations"] == [{"label": "foundedBy", "from": "0", "to": "1"}]
    assert b.data["sentiment"] == ["positive"]
    assert c.data["id"] == 3 and spans(c) == [("EU", "ORG"), ("German", "MISC")]
    assert c.data["skip"] == "reject"  # a rejected Prodigy example is not taken for labels


def test_spacy_malformed(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(
        '{"text": "x", "spans": [{"start": "a", "end": 1, "label": "ORG"}]}\n{"text": \n',
        encoding="utf-8",
    )
    a, b = read("spacy", path, "doccano-text")
    assert (a.error.code, a.error.location.pointer) == ("GK802", "/spans/0")
    assert b.data is None and b.error.code == "GK802" and b.error.location.line == 2


def test_conll_bad_bytes_and_lone_columns_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "a.conll"
    path.write_bytes(b"Ann\tB-PER\n\n\xff\xfe\tO\n\nlonely\n")
    first, second, third = read("conll", path, "conll-ner")
    assert first.error is None
    assert second.error.check_tuple() == ("GK802", 3, None) and "UTF-8" in second.error.message
    assert third.error.check_tuple() == ("GK802", 5, None) and "one column" in third.error.message
