"""The docs page, the pre-commit hooks and the GitHub Action stay in step with the code: the
rules table is the rules, every GK7xx code is documented, and every `guidekit` command they
show parses with the real CLI."""

from __future__ import annotations

import re
import shlex

import click
import pytest
import yaml

from conftest import ROOT
from guidekit.cli import cli
from guidekit.diagnostics.codes import CODES
from guidekit.versioning.classify import RULES

DOC = ROOT / "site" / "docs" / "pull-requests.md"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
ACTION = ROOT / "action.yml"


def parse(argv: list[str]) -> tuple[click.Command, dict[str, object]]:
    """Parse ``guidekit ARGV`` with the real command's options (values are not checked)."""
    name, *rest = argv
    cmd = cli.commands[name]
    ctx = click.Context(cmd, info_name=name)
    opts, extra, _ = cmd.make_parser(ctx).parse_args(rest)
    assert not extra, f"unexpected arguments {extra} in: guidekit {' '.join(argv)}"
    for param in cmd.params:
        if param.required:
            assert param.name in opts, f"missing {param.name} in: guidekit {' '.join(argv)}"
    return cmd, opts


def fenced(text: str) -> str:
    """The fenced code blocks of a Markdown text."""
    return "\n".join(re.findall(r"^```[\w-]*\n(.*?)^```", text, re.S | re.M))


def commands_in(text: str) -> list[list[str]]:
    """Every `guidekit ...` command line in ``text`` (shell continuations joined)."""
    out = []
    for line in text.replace("\\\n", " ").splitlines():
        line = line.strip().removeprefix("$ ").removeprefix("- run: ").removeprefix("- ")
        if not line.startswith("guidekit "):
            continue
        line = line.split(" >", 1)[0].split(" ||", 1)[0].split(" |", 1)[0]
        line = re.sub(r"\$\{\{[^}]*\}\}", "X", line).replace('"${args[@]}"', "")
        out.append(shlex.split(line)[1:])
    return out


def test_rules_table_is_the_rules() -> None:
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("<!-- begin: rules -->") : text.index("<!-- end: rules -->")]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    expected = [
        f"| `{r.id}` | {r.impact.value} | {'yes' if r.certain else 'no'} | {r.doc} |"
        for r in RULES.values()
    ]
    assert rows == expected, "regenerate the rules table of site/docs/pull-requests.md"


def test_every_versioning_code_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for code in CODES:
        if code.startswith("GK7") or code == "GK003":
            assert f"| `{code}` | {CODES[code].severity.value.replace('info', 'note')} |" in text, (
                code
            )


def test_doc_commands_parse() -> None:
    found = commands_in(fenced(DOC.read_text(encoding="utf-8")))
    assert {argv[0] for argv in found} == {"diff", "check", "changelog", "migrate"}
    for argv in found:
        parse(argv)


def test_pre_commit_hooks() -> None:
    """The hooks' entries parse with the files pre-commit appends; the real pre-commit runs
    them in tests/hooks/test_precommit.py."""
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["guidekit-check", "guidekit-version", "guidekit-diff"]
    for h in hooks:
        assert h["language"] == "python" and h["pass_filenames"] is True
        assert "files" not in h  # guidekit decides which files belong to a guideline
    usage = yaml.safe_load(
        "\n".join(line[4:] for line in HOOKS.read_text().splitlines() if line.startswith("#   "))
    )
    assert [h["id"] for h in usage[0]["hooks"]] == [h["id"] for h in hooks]
    files = ["guidelines/x/taxonomy/intent.yaml", "README.md"]
    entries = {h["id"]: shlex.split(h["entry"])[1:] for h in hooks}
    for argv in entries.values():
        parse([*argv, *files])
    cmd, opts = parse([*entries["guidekit-version"], "--base", "main", *files])
    assert cmd.name == "check" and opts["base"] == "main" and opts["changed"]


def test_action() -> None:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    declared = set(action["inputs"])
    text = ACTION.read_text(encoding="utf-8")
    used = set(re.findall(r"inputs\.([\w-]+)", text))
    assert used <= declared, used - declared
    assert action["outputs"]["required-bump"]["value"] == "${{ steps.diff.outputs.required }}"
    runs = "\n".join(step.get("run", "") for step in action["runs"]["steps"])
    found = commands_in(runs)
    assert {argv[0] for argv in found} == {"diff", "check"}
    for argv in found:
        parse([a.replace('"', "") for a in argv])
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
    # docs and action agree on the inputs
    doc = DOC.read_text(encoding="utf-8")
    for name in declared - {"github-token"}:
        assert f"| `{name}` |" in doc, name


@pytest.mark.parametrize("name", ["diff", "check", "changelog", "migrate"])
def test_commands_have_help(name: str) -> None:
    cmd = cli.commands[name]
    assert cmd.help and len(cmd.help) > 80
    for param in cmd.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts}"
