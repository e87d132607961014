"""The spec's generated parts are current, and its examples are valid guidelines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from tools import docgen as _docgen

from guidekit.diagnostics.codes import CODES
from guidekit.spec.format import Guideline
from guidekit.spec.reference import (
    SCHEMA_DIALECT,
    SCHEMA_ID,
    format_reference,
    meta_schema,
    meta_schema_json,
)

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "spec"
FORMAT_MD = SPEC / "format.md"
DIAGNOSTICS_MD = SPEC / "diagnostics.md"
SCHEMA_JSON = SPEC / "guideline.schema.json"

_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _yaml_guidelines() -> list[str]:
    """Fenced YAML blocks of spec/format.md that are whole guidelines."""
    return [
        body
        for lang, body in _FENCE.findall(_read(FORMAT_MD))
        if lang == "yaml" and body.startswith("guidekit: 1\n")
    ]


def _prose(text: str, marker: str) -> str:
    """``text`` without its generated block."""
    begin, end = _docgen.markers(marker)
    return text[: text.index(begin)] + text[text.index(end) + len(end) :]


# -- generated files are up to date ----------------------------------------------------------


@pytest.mark.parametrize("path", [FORMAT_MD, DIAGNOSTICS_MD, SCHEMA_JSON], ids=lambda p: p.name)
def test_generated_file_is_current(path: Path) -> None:
    expected = _docgen.expected_files(ROOT)[path]
    assert _read(path) == expected, (
        f"{path.relative_to(ROOT)} is out of date: run `python -m tools.docgen`"
    )


def test_docgen_check_passes() -> None:
    assert _docgen.main(["--check", "--root", str(ROOT)]) == 0


def test_format_reference_sits_between_the_markers() -> None:
    begin, end = _docgen.markers("format-reference")
    text = _read(FORMAT_MD)
    block = text[text.index(begin) + len(begin) : text.index(end)]
    assert block.strip("\n") == format_reference().strip("\n")


def test_generation_is_deterministic() -> None:
    assert format_reference() == format_reference()
    assert meta_schema_json() == meta_schema_json()


# -- update_generated ------------------------------------------------------------------------


def test_update_generated_replaces_only_the_block() -> None:
    text = "intro\n<!-- BEGIN GENERATED: x -->\nold\n<!-- END GENERATED: x -->\nouter\n"
    out = _docgen.update_generated(text, "x", "new\n")
    assert out == "intro\n<!-- BEGIN GENERATED: x -->\n\nnew\n\n<!-- END GENERATED: x -->\nouter\n"
    assert _docgen.update_generated(out, "x", "new") == out


@pytest.mark.parametrize(
    "text",
    [
        "no markers",
        "<!-- BEGIN GENERATED: x -->\n",
        "<!-- END GENERATED: x -->\n<!-- BEGIN GENERATED: x -->\n",
        "<!-- BEGIN GENERATED: x -->\n<!-- BEGIN GENERATED: x -->\n<!-- END GENERATED: x -->\n",
    ],
)
def test_update_generated_rejects_bad_markers(text: str) -> None:
    with pytest.raises(ValueError):
        _docgen.update_generated(text, "x", "new")


def test_docgen_check_reports_stale_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec"
    spec.mkdir()
    for name in ("format.md", "diagnostics.md"):
        (spec / name).write_text(_read(SPEC / name), encoding="utf-8")
    (spec / "guideline.schema.json").write_text("{}\n", encoding="utf-8")
    assert _docgen.main(["--check", "--root", str(tmp_path)]) == 1
    assert "spec/guideline.schema.json is out of date" in capsys.readouterr().out
    assert _docgen.main(["--root", str(tmp_path)]) == 0
    assert _docgen.main(["--check", "--root", str(tmp_path)]) == 0


# -- the meta-schema -------------------------------------------------------------------------


def test_meta_schema_is_a_valid_2020_12_schema() -> None:
    schema = meta_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == SCHEMA_DIALECT
    assert schema["$id"] == SCHEMA_ID
    assert json.loads(_read(SCHEMA_JSON)) == schema


def test_meta_schema_shows_aliases_not_python_names() -> None:
    text = meta_schema_json()
    for python_name in ('"is_"', '"in_"', '"class_"', '"from_"', '"not_"', '"Field_"'):
        assert python_name not in text
    defs = meta_schema()["$defs"]
    assert "is" in defs["Cond"]["properties"]
    assert "from" in defs["Class"]["properties"]
    assert defs["Example"]["additionalProperties"] is True


def test_meta_schema_keeps_declared_property_order() -> None:
    schema = meta_schema()
    assert list(schema["properties"])[:4] == ["guidekit", "id", "title", "version"]
    assert list(schema) == sorted(schema)


# -- the prose covers the format and the codes -----------------------------------------------


def test_every_code_has_a_heading() -> None:
    headings = set(re.findall(r"^#+ (GK\d{3})\s*$", _read(DIAGNOSTICS_MD), re.M))
    assert headings == set(CODES)


def test_every_top_level_key_is_explained_in_the_prose() -> None:
    prose = _prose(_read(FORMAT_MD), "format-reference")
    missing = [
        key
        for name, info in Guideline.model_fields.items()
        if f"`{(key := info.alias or name)}`" not in prose and f"\n{key}:" not in prose
    ]
    assert not missing


# -- the examples of spec/format.md ----------------------------------------------------------


def test_the_spec_has_whole_guideline_examples() -> None:
    assert len(_yaml_guidelines()) >= 3


@pytest.mark.parametrize("body", _yaml_guidelines(), ids=lambda b: b.split("\n")[1])
def test_yaml_example_is_valid(body: str) -> None:
    data = yaml.safe_load(body)
    errors = sorted(
        Draft202012Validator(meta_schema()).iter_errors(data), key=lambda e: list(e.path)
    )
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    Guideline.model_validate(data)


def test_meta_schema_checks_id_keys() -> None:
    # pydantic writes dict[Id, X] as patternProperties, which lets bad keys through unchecked
    doc = {
        "guidekit": 1,
        "id": "x",
        "title": "x",
        "version": "1.0.0",
        "brief": {"objective": "x"},
        "record": {"fields": {"body": {"type": "text"}}},
        "tasks": {"intent": {"type": "single", "classes": ["a"]}},
    }
    validator = Draft202012Validator(meta_schema())
    assert not list(validator.iter_errors(doc))
    doc["tasks"] = {"1 bad id": {"type": "single"}}
    assert list(validator.iter_errors(doc))
    assert "patternProperties" not in meta_schema_json()
