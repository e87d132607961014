"""The question log: annotators' and vendors' questions, numbered Q-<n> per guideline.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("guideline", sa.String(200), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("asked_by", sa.String(200)),
        sa.Column("vendor", sa.String(200)),
        sa.Column("batch", sa.String(200)),
        sa.Column("item", sa.String(400)),
        sa.Column("file", sa.Text),
        sa.Column("classes", sa.Text, nullable=False, server_default=""),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("decision", sa.Text),
        sa.Column("label", sa.String(200)),
        sa.Column("settled_version", sa.String(80)),
        sa.Column("edge_case", sa.String(80)),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("source_key", sa.String(400)),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("guideline", "number"),
        sa.UniqueConstraint("guideline", "source_key"),
    )
    op.create_index("ix_questions_status", "questions", ["guideline", "status"])


def downgrade() -> None:
    op.drop_index("ix_questions_status", "questions")
    op.drop_table("questions")
