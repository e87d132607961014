"""The CLI imports a command's module only when the command is needed."""

from __future__ import annotations

import importlib
import pkgutil

import click
import pytest

import guidekit.commands
from guidekit.cli import cli
from guidekit.commands import COMMANDS


def test_table_lists_every_command_module() -> None:
    modules = {
        info.name
        for info in pkgutil.iter_modules(guidekit.commands.__path__)
        if not info.name.startswith("_")
    }
    assert {module.rsplit(".", 1)[1] for module, _ in COMMANDS.values()} == modules


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_table_short_help_is_the_commands_own(name: str) -> None:
    module, short = COMMANDS[name]
    found = importlib.import_module(module)
    # a command named after a Python keyword (import) is defined as ``import_``
    command = getattr(found, name, None) or getattr(found, name + "_")
    assert isinstance(command, click.Command)
    assert command.name == name
    assert short == command.get_short_help_str(limit=10_000)


def test_group_help_lists_every_command_with_its_short_help() -> None:
    ctx = click.Context(cli, info_name="guidekit", terminal_width=100)
    text = cli.get_help(ctx)
    for name in COMMANDS:
        assert f"\n  {name} " in text


def test_unknown_command_is_a_usage_error() -> None:
    ctx = click.Context(cli, info_name="guidekit")
    assert cli.get_command(ctx, "no-such-command") is None
    assert "no-such-command" not in cli.commands
