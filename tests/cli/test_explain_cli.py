"""`guidekit explain CODE` through the CLI."""

from __future__ import annotations

from click.testing import CliRunner

from guidekit.cli import cli, main
from guidekit.diagnostics.codes import CODES


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False, catch_exceptions=False)
    code = result.return_value if isinstance(result.return_value, int) else result.exit_code
    return code, result.output


def test_explain_prints_title_severity_and_explanation() -> None:
    code, out = run("explain", "GK202")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"GK202: {CODES['GK202'].title}"
    assert lines[1] == "severity: error"
    assert " ".join(" ".join(lines[3:]).split()) == " ".join(CODES["GK202"].doc.split())


def test_explain_accepts_lower_case_and_bare_numbers() -> None:
    assert run("explain", "gk402")[1].startswith("GK402: ")
    assert run("explain", "402")[1].splitlines()[1] == "severity: warning"


def test_unknown_code_exits_2_with_did_you_mean() -> None:
    result = CliRunner().invoke(cli, ["explain", "GK2020"])
    assert result.exit_code == 2
    assert "'GK2020' is not a guidekit code; did you mean GK202" in result.output
    assert main(["explain", "nonsense"]) == 2


def test_explain_has_help() -> None:
    code, out = run("explain", "--help")
    assert code == 0 and "Usage:" in out
