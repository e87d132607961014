"""One module per command (or close pair). ``COMMANDS()`` lists them for the CLI."""

from __future__ import annotations

import click


def COMMANDS() -> list[click.Command]:
    from guidekit.commands.changelog import changelog
    from guidekit.commands.check import check
    from guidekit.commands.diff import diff
    from guidekit.commands.init import init
    from guidekit.commands.migrate import migrate
    from guidekit.commands.schema import schema

    return [changelog, check, diff, init, migrate, schema]
