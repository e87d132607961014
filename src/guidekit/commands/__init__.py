"""One module per command (or close pair). ``COMMANDS()`` lists them for the CLI."""

from __future__ import annotations

import click


def COMMANDS() -> list[click.Command]:
    from guidekit.commands.accept import accept
    from guidekit.commands.agreement import agreement
    from guidekit.commands.audit import audit
    from guidekit.commands.build import build
    from guidekit.commands.calibrate import calibrate
    from guidekit.commands.changelog import changelog
    from guidekit.commands.check import check
    from guidekit.commands.diff import diff
    from guidekit.commands.drift import drift
    from guidekit.commands.export import export
    from guidekit.commands.gold import gold
    from guidekit.commands.init import init
    from guidekit.commands.leakage import leakage
    from guidekit.commands.migrate import migrate
    from guidekit.commands.revisions import revisions
    from guidekit.commands.schema import schema
    from guidekit.commands.serve import serve
    from guidekit.commands.validate import validate

    return [
        accept,
        agreement,
        audit,
        build,
        calibrate,
        changelog,
        check,
        diff,
        drift,
        __import__("guidekit.commands.explain", fromlist=["explain"]).explain,
        export,
        gold,
        init,
        leakage,
        migrate,
        revisions,
        schema,
        serve,
        validate,
    ]
