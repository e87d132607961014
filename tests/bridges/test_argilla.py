"""Argilla settings generated from the IR, built into the SDK's ``Settings`` offline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from guidekit.bridges import TARGETS
from guidekit.bridges.argilla import argilla_notes, argilla_settings

from .conftest import FIXTURES, example, fixture

rg = pytest.importorskip("argilla")


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """An Argilla client that never connects (the SDK checks the server on creation)."""
    from argilla._api._client import APIClient

    monkeypatch.setattr(APIClient, "_validate_connection", lambda self: None)
    rg.Argilla(api_url="http://offline.invalid", api_key="offline")


def build(text: str, tmp_path: Path) -> Any:
    path = tmp_path / "settings.json"
    path.write_text(text, encoding="utf-8")
    return rg.Settings.from_json(path)


def test_golden(golden) -> None:  # type: ignore[no-untyped-def]
    golden("bridges/all-types.argilla.json", argilla_settings(fixture("all-types")))


def test_sdk_builds_the_settings(offline: None, tmp_path: Path) -> None:
    g = fixture("all-types")
    settings = build(argilla_settings(g), tmp_path)
    questions = {q.name: q for q in settings.questions}
    assert {n: type(q).__name__ for n, q in questions.items()} == {
        "intent": "LabelQuestion",
        "tags": "MultiLabelQuestion",
        "urgency": "LabelQuestion",
        "entities": "SpanQuestion",
        "summary": "TextQuestion",
        "score": "RatingQuestion",
        "spam": "LabelQuestion",
    }
    assert questions["intent"].labels == ["billing_dispute", "refund_request", "other"]
    assert questions["entities"].field == "body"
    assert questions["entities"].allow_overlapping is True
    assert questions["intent"].description == (
        "What does the customer want?\n"
        "- Billing dispute: The customer contests a charge they believe is wrong.\n"
        "- refund_request: The customer asks for money back for an order.\n"
        "- other: Nothing above fits the ticket at all."
    )
    assert [f.name for f in settings.fields] == ["body", "photo"]
    # label texts are class names; values are class ids
    options = json.loads(argilla_settings(g))["questions"][0]["settings"]["options"]
    assert options[0] == {"text": "Billing dispute", "value": "billing_dispute"}
    # the SDK's own serialisation agrees with ours on every question
    ours = json.loads(argilla_settings(g))
    theirs = settings.serialize()
    for key in ("questions", "fields", "metadata"):
        for a, b in zip(ours[key], theirs[key], strict=True):
            assert {k: b[k] for k in a} == a
    assert ours["guidelines"] == theirs["guidelines"]


def test_guidelines_text(offline: None, tmp_path: Path) -> None:
    settings = build(argilla_settings(fixture("all-types")), tmp_path)
    text = settings.guidelines
    assert "version **2.1.0**" in text
    assert "https://handbook.example.org/all-types/" in text
    assert "- **billing_dispute**: Billing dispute: The customer contests a charge" in text


def test_tasks_argilla_cannot_hold() -> None:
    notes = argilla_notes(fixture("all-types"))
    assert sorted(d.message.split("'")[1] for d in notes) == ["boxes", "links", "outline", "pose"]


def test_write_and_registry(tmp_path: Path) -> None:
    g = fixture("all-types")
    generate, write = TARGETS["argilla"]
    paths = write(g, tmp_path)
    assert [p.name for p in paths] == ["argilla-settings.json"]
    assert paths[0].read_text(encoding="utf-8") == generate(g) == argilla_settings(g)


@pytest.mark.parametrize("name", ["support-tickets", "clinical-notes"])
def test_example_guidelines(name: str, offline: None, tmp_path: Path) -> None:
    g = example(name)
    settings = build(argilla_settings(g), tmp_path)
    names = {q.name for q in settings.questions}
    assert {
        t.id for t in g.tasks.values() if t.type in ("single", "multi", "ordinal", "spans")
    } <= names


def test_fields_become_metadata_or_are_named_when_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The category field 'channel' was dropped silently; a url field has no Argilla form."""
    from guidekit.cli import main

    metadata = {
        m["name"]: m for m in json.loads(argilla_settings(fixture("all-types")))["metadata"]
    }
    assert metadata["channel"]["settings"]["values"] == ["email", "chat"]
    src = (FIXTURES / "all-types" / "guideline.yaml").read_text()
    project = tmp_path / "p"
    shutil.copytree(FIXTURES / "all-types", project)
    (project / "guideline.yaml").write_text(
        src.replace(
            "    channel: {type: category, values: [email, chat]}\n",
            "    channel: {type: category, values: [email, chat]}\n    source: {type: url}\n",
        )
    )
    assert main(["build", str(project), "--target", "argilla", "-o", str(tmp_path / "out")]) == 0
    assert (
        "record field 'source' (url) has no Argilla field or metadata property"
        in capsys.readouterr().err
    )
