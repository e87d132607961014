"""One module per command (or close pair). ``COMMANDS()`` lists them for the CLI."""

from __future__ import annotations

import click


def COMMANDS() -> list[click.Command]:
    from guidekit.commands.build import build
    from guidekit.commands.check import check
    from guidekit.commands.init import init
    from guidekit.commands.schema import schema
    from guidekit.commands.serve import serve

    return [build, check, init, schema, serve]
