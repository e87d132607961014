"""Open a ledger: pick the URL, connect, check and upgrade the schema.

Every way a ledger can be unusable (not a database, damaged, someone else's tables, a schema
newer than this guidekit, a server that refuses) is a :class:`~guidekit.errors.GuidekitError`
(GK040, GK041) that names the ledger, never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Location
from guidekit.errors import GuidekitError

ENV = "GUIDEKIT_LEDGER"
DEFAULT = Path(".guidekit") / "ledger.db"
BUSY_TIMEOUT_MS = 30_000
_MIGRATIONS = str(Path(__file__).parent / "migrations")


def default_url(project: Path | None) -> str:
    """``--ledger`` unset: ``GUIDEKIT_LEDGER``, else ``.guidekit/ledger.db`` by the guideline."""
    env = os.environ.get(ENV)
    if env:
        return env
    root = Path(".") if project is None else project
    if root.is_file():
        root = root.parent
    return f"sqlite:///{(root / DEFAULT).as_posix()}"


def shown(url: str) -> str:
    """The URL as reports name it: a file path for SQLite, no password otherwise."""
    try:
        u = make_url(url)
    except ArgumentError:
        return url
    if u.get_backend_name() == "sqlite":
        return u.database or ":memory:"
    return u.render_as_string(hide_password=True)


def _fail(url: str, message: str, code: str = "GK040") -> GuidekitError:
    return GuidekitError(diag(code, message, Location(file=shown(url))))


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN below
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def begin(conn: Connection) -> None:
        # take the write lock up front: two writers queue instead of deadlocking on upgrade
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _alembic_config(conn: Connection) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", _MIGRATIONS)
    cfg.attributes["connection"] = conn
    return cfg


def head() -> str:
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(None)  # type: ignore[arg-type]
    h = ScriptDirectory.from_config(cfg).get_current_head()
    assert h is not None
    return h


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(None))  # type: ignore[arg-type]
    return {r.revision for r in script.walk_revisions()}


class Ledger:
    """An open ledger. Use :meth:`transaction` for every write (one per record)."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url

    @property
    def name(self) -> str:
        return shown(self.url)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except DBAPIError as exc:
            raise self.error(exc) from exc

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except DBAPIError as exc:
            raise self.error(exc) from exc

    def error(self, exc: Exception) -> GuidekitError:
        return _fail(self.url, f"ledger {self.name}: {_reason(exc)}")

    def close(self) -> None:
        self.engine.dispose()


def _reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def open_ledger(url: str, *, upgrade: bool = True) -> Ledger:
    """Connect to ``url`` and bring its schema to head (creating it on first use)."""
    try:
        u = make_url(url)
    except ArgumentError:
        raise _fail(url, f"'{url}' is not a database URL (e.g. sqlite:///ledger.db)") from None
    sqlite = u.get_backend_name() == "sqlite"
    if sqlite and u.database and u.database != ":memory:":
        path = Path(u.database)
        if path.is_dir():
            raise _fail(url, f"ledger {path} is a folder, not a database file")
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(u, pool_pre_ping=not sqlite)
    except (NoSuchModuleError, ImportError) as exc:
        hint = ""
        if u.get_backend_name() == "postgresql":
            hint = " (pip install 'guidekit[postgresql]')"
        raise _fail(url, f"no driver for {u.drivername}{hint}: {exc}") from None
    if sqlite:
        _sqlite_pragmas(engine)
    ledger = Ledger(engine, url)
    try:
        _check_and_upgrade(ledger, upgrade)
    except GuidekitError:
        engine.dispose()
        raise
    except DBAPIError as exc:
        engine.dispose()
        raise ledger.error(exc) from None
    return ledger


def _check_and_upgrade(ledger: Ledger, upgrade: bool) -> None:
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with ledger.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        current = MigrationContext.configure(conn).get_current_revision()
    if current is None and tables - {"alembic_version"}:
        raise _fail(
            ledger.url,
            f"{ledger.name} holds tables ({', '.join(sorted(tables)[:5])}) but is not a "
            "guidekit ledger",
        )
    if current is not None and current not in known_revisions():
        raise _fail(
            ledger.url,
            f"ledger {ledger.name} is at schema revision {current}, newer than this guidekit "
            f"knows (its newest is {head()})",
            "GK041",
        )
    if upgrade and current != head():
        with ledger.engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "head")


def upgrade_to(ledger: Ledger, revision: str) -> None:
    """Bring the schema to ``revision`` (tests build old ledgers with it)."""
    from alembic import command

    with ledger.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), revision)
