"""`guidekit check`, `init` and `schema` through the real CLI entry point."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from conftest import GUIDELINES, ROOT
from guidekit.cli import cli, main

BROKEN = ROOT / "tests" / "fixtures" / "check"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False, catch_exceptions=False)
    code = result.return_value if isinstance(result.return_value, int) else result.exit_code
    return code, result.output


def test_check_clean_example_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(GUIDELINES / "support-tickets"), "--strict"]) == 0
    out = capsys.readouterr().out
    assert out.strip().endswith("no problems")
    assert "support-tickets 2.3.0" in out


def test_check_errors_exit_1_with_located_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(BROKEN / "GK202-unknown-key")]) == 1
    out = capsys.readouterr().out
    assert "GK202-unknown-key/guideline.yaml:17:9: GK202 unknown key 'defintion'" in out
    assert "hint: did you mean 'definition'?" in out


def test_warnings_pass_unless_strict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(BROKEN / "GK402-no-negatives")]) == 0
    assert main(["check", str(BROKEN / "GK402-no-negatives"), "--strict"]) == 1


def test_missing_project_and_not_a_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(tmp_path / "nope")]) == 1
    assert "GK001" in capsys.readouterr().out
    assert main(["check", str(tmp_path)]) == 1
    assert "GK002" in capsys.readouterr().out


def test_usage_error_exits_2() -> None:
    assert main(["check", "--format", "yaml"]) == 2
    assert main(["no-such-command"]) == 2


def test_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(BROKEN / "GK305-unknown-field"), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["error"] == 1
    (d,) = doc["diagnostics"]
    assert d["code"] == "GK305" and d["severity"] == "error"
    assert d["location"]["line"] == 19 and d["location"]["file"].endswith("guideline.yaml")
    assert d["location"]["path"] == "tasks.intent.classes[0].examples[0]"


def test_github_format(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(BROKEN / "GK403-short-definition"), "--format", "github"])
    line = capsys.readouterr().out.strip()
    assert line.startswith("::warning file=")
    assert ",line=25,col=21,title=GK403 definition too short::" in line


def test_junit_and_sarif(tmp_path: Path) -> None:
    junit = tmp_path / "r.xml"
    assert (
        main(
            ["check", str(BROKEN / "GK301-duplicate-class"), "--format", "junit", "-o", str(junit)]
        )
        == 1
    )
    root = ET.parse(junit).getroot()
    assert root.get("failures") == "1"
    assert [f.get("type") for f in root.iter("failure")] == ["GK301"]
    sarif = tmp_path / "r.sarif"
    main(["check", str(BROKEN / "GK301-duplicate-class"), "--format", "sarif", "-o", str(sarif)])
    doc = json.loads(sarif.read_text())
    results = doc["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"GK301", "GK402", "GK407"}
    rules = [r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]]
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in results)


def test_outputs_are_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for out in (a, b):
        main(["check", str(BROKEN / "GK303-cycle"), "--format", "sarif", "-o", str(out)])
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("template", ["classification", "ner", "detection"])
def test_init_scaffold_checks_clean_strict(tmp_path: Path, template: str) -> None:
    target = tmp_path / f"my-{template}"
    assert main(["init", str(target), "--template", template]) == 0
    assert (target / "guideline.yaml").is_file()
    assert main(["check", str(target), "--strict"]) == 0
    text = (target / "guideline.yaml").read_text()
    assert f"id: my-{template}" in text
    assert text.count("#") >= 5, "the scaffold explains itself with comments"


def test_init_refuses_a_non_empty_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "x").write_text("keep me")
    assert main(["init", str(tmp_path)]) == 1
    assert (tmp_path / "x").read_text() == "keep me"


def test_schema_prints_the_meta_schema_that_accepts_the_examples(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    validator = jsonschema.Draft202012Validator(schema)
    data = yaml.safe_load((GUIDELINES / "support-tickets" / "guideline.yaml").read_text())
    # includes are resolved by guidekit; the editor schema accepts them where they appear
    assert list(validator.iter_errors(data)) == []
    data["tasks"]["intent"]["type"] = "singel"
    assert list(validator.iter_errors(data))


@pytest.mark.parametrize("command", ["check", "init", "schema"])
def test_every_command_has_help(command: str) -> None:
    code, out = run(command, "--help")
    assert code == 0 and "Usage:" in out and len(out.splitlines()) > 4


def test_check_text_on_a_terminal_shows_the_source_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert main(["check", str(BROKEN / "GK202-unknown-key")]) == 1
    out = capsys.readouterr().out
    assert "\x1b[1;31mGK202\x1b[0m unknown key 'defintion'" in out
    assert "        defintion: The customer asks" in out
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["check", str(BROKEN / "GK202-unknown-key")]) == 1
    out = capsys.readouterr().out
    assert "\x1b[" not in out and "defintion: The customer" not in out
