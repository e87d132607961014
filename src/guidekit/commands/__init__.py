"""One module per command (or close pair). ``COMMANDS()`` lists them for the CLI."""

from __future__ import annotations

import click


def COMMANDS() -> list[click.Command]:
    from guidekit.commands.check import check
    from guidekit.commands.drift import drift
    from guidekit.commands.export import export
    from guidekit.commands.init import init
    from guidekit.commands.schema import schema

    return [check, drift, export, init, schema]
