"""The program ledger: every recorded run of ``validate``, ``accept``, ``audit score``,
``agreement`` and ``gold``, on SQLite (default) or PostgreSQL.

The ledger takes plain data (:class:`Run`) from the commands and imports nothing of
``quality/`` or ``delivery/``: commands turn their reports into a ``Run``
(``commands/_ledger.py``). Everything goes through three functions: :func:`open` (connect,
create or upgrade the schema with the Alembic migrations shipped in ``migrations/``),
:func:`record` (one transaction per run) and the readers in ``summary``.
"""

from __future__ import annotations

from guidekit.ledger.db import Ledger, default_url, open_ledger
from guidekit.ledger.model import AgreementRow, Criterion, Recorded, Run
from guidekit.ledger.record import record

open = open_ledger

__all__ = [
    "AgreementRow",
    "Criterion",
    "Ledger",
    "Recorded",
    "Run",
    "default_url",
    "open",
    "open_ledger",
    "record",
]
