"""Reports in every format, from one validation of the batch fixture (golden files)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from delivery.conftest import FIXTURES, fixture_guideline
from guidekit.delivery import validate
from guidekit.delivery.render import FORMATS, render


@pytest.fixture
def report(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(FIXTURES.parent)
    g = fixture_guideline("tickets")
    return validate(
        g,
        "delivery/tickets-batch.jsonl",
        expect="delivery/tickets-expected.txt",
        examples=3,
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(report, fmt: str, golden: Callable[[str, str], None]) -> None:  # type: ignore[no-untyped-def]
    ext = {"text": "txt", "json": "json", "junit": "xml", "markdown": "md", "html": "html"}[fmt]
    text = render(report, fmt)
    golden(f"delivery/report.{ext}", text)
    assert render(report, fmt) == text


def test_json_is_the_report(report) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(render(report, "json"))
    assert doc["verdict"] == "reject"
    assert doc["records"] == 20 and doc["rejected_records"] == 13
    first = doc["groups"][0]
    assert (first["code"], first["count"]) == ("GK543", 9)
    assert first["examples"][0]["location"] == {
        "file": "delivery/tickets-expected.txt",
        "line": 5,
        "column": None,
    }


def test_junit_is_well_formed(report) -> None:  # type: ignore[no-untyped-def]
    root = ET.fromstring(render(report, "junit"))
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    failures = [c for c in cases if c.find("failure") is not None]
    skipped = [c for c in cases if c.find("skipped") is not None]
    assert int(suite.get("tests", "0")) == len(cases)
    assert int(suite.get("failures", "0")) == len(failures)
    assert len(skipped) == 1  # agreement: not measured
    names = {c.get("name") for c in failures}
    assert "GK524 span out of bounds" in names
    assert "records with errors" in names


def test_html_is_self_contained(report) -> None:  # type: ignore[no-untyped-def]
    page = render(report, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page
    assert not re.search(r"<(link|script|img|iframe)\b", page)
    assert "url(" not in page
    assert "Rejected" in page and "GK542" in page


def test_text_color_markup_is_escaped(report) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console

    console = Console(record=True, width=200, color_system=None)
    console.print(render(report, "text", color=True), end="")
    assert console.export_text() == render(report, "text")
