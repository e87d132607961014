"""The tools page documents every bridge code, format and target, and its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

import click

from guidekit.bridges import READERS, TARGETS
from guidekit.diagnostics.codes import CODES

DOC = Path(__file__).resolve().parents[2] / "site" / "docs" / "tools.md"


def test_every_bridge_code_is_on_the_page() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [c for c in CODES if c.startswith("GK8") and c not in text]
    assert missing == []


def test_every_format_and_target_is_on_the_page() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in READERS:
        assert f"| `{name}` |" in text, name
    for name in TARGETS:
        assert f"--target {name}" in text, name


def test_console_examples_use_real_commands_and_formats() -> None:
    """Every console line of the page parses with guidekit's own command line: the command,
    its options and their choices exist (``validate --format coco`` would not)."""
    import shlex

    from guidekit.cli import cli as group

    text = DOC.read_text(encoding="utf-8")
    lines = re.findall(r"^\$ guidekit (.+)$", text, re.M)
    commands = {line.split()[0] for line in lines}
    assert commands >= {"build", "validate", "export", "drift", "agreement"}
    ctx = click.Context(group)
    for line in lines:
        name, *args = shlex.split(line)
        command = group.get_command(ctx, name)
        assert command is not None, line
        command.make_context(name, list(args), parent=ctx)  # raises on a bad option or choice
