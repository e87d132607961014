"""The command line: a thin layer that parses options, calls the library, maps the outcome
to an exit code.

Exit codes: 0 success, 1 bad input or a failed check (a report says why), 2 misuse of the
command line, 3 a bug in guidekit, 130 interrupted. Commands live in
:mod:`guidekit.commands`, one module each; :class:`LazyGroup` imports a command's module only
when the command is used, so ``guidekit --help`` and ``--version`` load neither the compiler
nor pydantic (``tests/test_architecture.py``).
"""

from __future__ import annotations

import importlib
import sys
import traceback
import warnings
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from typing import Any

import click

from guidekit._version import __version__
from guidekit.commands import COMMANDS
from guidekit.errors import GuidekitError

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class LazyCommands(MutableMapping[str, click.Command]):
    """Commands by name, each imported from its module on first access.

    Names, iteration and ``in`` never import anything; ``commands[name]`` does. A command added
    with :meth:`click.Group.add_command` is stored as it is.
    """

    def __init__(self, table: Mapping[str, tuple[str, str]]) -> None:
        self.table = dict(table)
        self.loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.loaded:
            if name not in self.table:
                raise KeyError(name)
            module = importlib.import_module(self.table[name][0])
            attr = name.replace("-", "_")
            # a command named after a Python keyword (import) is defined as ``import_``
            self.loaded[name] = getattr(module, attr, None) or getattr(module, attr + "_")
        return self.loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self.table.pop(name, None)
        self.loaded.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self.table or name in self.loaded

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.table.keys() | self.loaded.keys()))

    def __len__(self) -> int:
        return len(self.table.keys() | self.loaded.keys())

    def short_help(self, name: str) -> str | None:
        """The command's first sentence, without importing it when the table has it."""
        if name in self.table and name not in self.loaded:
            return self.table[name][1]
        return None


class LazyGroup(click.Group):
    """A group that imports a command's module only when the command is needed.

    ``list_commands`` and the group's own ``--help`` read the static table of
    :data:`guidekit.commands.COMMANDS`; ``get_command`` imports one module.
    """

    def __init__(
        self, *args: Any, lazy_commands: Mapping[str, tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.commands: LazyCommands = LazyCommands(lazy_commands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            short = self.commands.short_help(name)
            command = click.Command(name, help=short) if short is not None else self.commands[name]
            if not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in rows])


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="guidekit")
def cli() -> None:
    """Annotation guidelines as code: check a guideline, build its handbook and schemas,
    validate deliveries against it."""


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """guidekit's own warnings (a plugin left out) read like its diagnostics, not like a
    Python warning with a source line; any other warning keeps Python's form."""
    if category.__module__.startswith("guidekit"):
        click.echo(f"warning: {message}", err=True)
    else:
        _python_show_warning(message, category, filename, lineno, file, line)


_python_show_warning = warnings.showwarning


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (``guidekit`` console script)."""
    previous = warnings.showwarning
    warnings.showwarning = _show_warning
    try:
        return _run(argv)
    finally:
        warnings.showwarning = previous


def _run(argv: Sequence[str] | None) -> int:
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
