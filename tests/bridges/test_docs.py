"""The tools page documents every bridge code, format and target, and its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from guidekit.bridges import READERS, TARGETS
from guidekit.cli import cli
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
    text = DOC.read_text(encoding="utf-8")
    commands = re.findall(r"^\$ guidekit (\w+)", text, re.M)
    assert set(commands) >= {"build", "validate", "export", "drift"}
    known = set(cli.commands) | {
        "build",
        "validate",
    }  # build and validate are wired by their own modules
    assert set(commands) <= known
    for fmt in re.findall(r"--format (\S+)", text):
        assert fmt in READERS or fmt == "json", fmt
