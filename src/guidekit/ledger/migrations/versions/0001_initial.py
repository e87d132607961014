"""The initial ledger: batches, revisions, runs and their details.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None


def _run_fk() -> sa.Column[int]:
    return sa.Column(
        "run_id",
        sa.Integer,
        sa.ForeignKey("runs.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("vendor", sa.String(200)),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "batch_id", sa.Integer, sa.ForeignKey("batches.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("files_key", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("batch_id", "files_key"),
        sa.UniqueConstraint("batch_id", "number"),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "revision_id",
            sa.Integer,
            sa.ForeignKey("revisions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("command", sa.String(40), nullable=False),
        sa.Column("guideline", sa.String(200), nullable=False),
        sa.Column("guideline_version", sa.String(80), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("sensitivity", sa.String(80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("records", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
        sa.Column("defects", sa.Integer, nullable=False),
        sa.Column("audit_passed", sa.Integer),
        sa.Column("audit_total", sa.Integer),
        sa.Column("report", sa.Text, nullable=False),
        sa.UniqueConstraint("revision_id", "command"),
    )
    op.create_table(
        "files",
        sa.Column("id", sa.Integer, primary_key=True),
        _run_fk(),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )
    op.create_table(
        "counts",
        sa.Column("id", sa.Integer, primary_key=True),
        _run_fk(),
        sa.Column("dimension", sa.String(40), nullable=False),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_table(
        "criteria",
        sa.Column("id", sa.Integer, primary_key=True),
        _run_fk(),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("name", sa.String(400), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("low", sa.Float),
        sa.Column("high", sa.Float),
        sa.Column("bound", sa.Float),
        sa.Column("comparison", sa.String(8)),
    )
    op.create_table(
        "audit_samples",
        sa.Column("id", sa.Integer, primary_key=True),
        _run_fk(),
        sa.Column("item", sa.String(400), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
    )
    op.create_table(
        "agreement",
        sa.Column("id", sa.Integer, primary_key=True),
        _run_fk(),
        sa.Column("task", sa.String(200), nullable=False),
        sa.Column("class_", sa.String(200)),
        sa.Column("measure", sa.String(80), nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("low", sa.Float),
        sa.Column("high", sa.Float),
        sa.Column("units", sa.Integer),
    )


def downgrade() -> None:
    for name in (
        "agreement",
        "audit_samples",
        "criteria",
        "counts",
        "files",
        "runs",
        "revisions",
        "batches",
        "settings",
    ):
        op.drop_table(name)
