"""The command line: a thin layer that parses options, calls the library, maps the outcome
to an exit code.

Exit codes: 0 success, 1 bad input or a failed check (a report says why), 2 misuse of the
command line, 3 a bug in guidekit, 130 interrupted. Commands live in
:mod:`guidekit.commands`, one module each, and import what they need inside the command so
``--help`` stays fast.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

import click

from guidekit._version import __version__
from guidekit.errors import GuidekitError

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="guidekit")
def cli() -> None:
    """Annotation guidelines as code: check a guideline, build its handbook and schemas,
    validate deliveries against it."""


def _register() -> None:
    from guidekit.commands import COMMANDS

    for command in COMMANDS():
        cli.add_command(command)


_register()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (``guidekit`` console script)."""
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="guidekit",
            standalone_mode=False,
        )
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except GuidekitError as exc:
        from guidekit.diagnostics.render import FileLines, render_text, use_color

        color = use_color(sys.stderr)
        text = render_text(exc.diagnostics, color=color, read_line=FileLines() if color else None)
        click.echo(text, err=True, nl=False, color=color)
        return EXIT_FAIL
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception:
        click.echo(
            "guidekit hit an internal error; this is a bug in guidekit, please report it "
            "with the output below.",
            err=True,
        )
        click.echo(traceback.format_exc(), err=True)
        return EXIT_BUG
    if isinstance(result, int):
        return result
    return EXIT_OK


def entry() -> None:  # pragma: no cover - console script shim
    sys.exit(main())
