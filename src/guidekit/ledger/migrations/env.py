"""Alembic's environment for the ledger: always given an open connection by ``ledger.db``."""

from __future__ import annotations

from alembic import context

from guidekit.ledger.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        # two first uses at once: the second waits, then finds the ledger at head
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(4815162342)")
    context.run_migrations()
