"""The ledger's tables (SQLAlchemy Core). Migrations in ``migrations/versions`` create them.

One row per batch; one per *revision* of a batch (a delivery of other files under the same
batch id); one per *run* (a command over one revision: ``validate``, ``accept``, ...) with
its headline figures aggregated on write, so reports read the ``runs`` table and little else.
The detail tables hang off a run and go with it. The ``questions`` table (migration 0003) is
the question log: annotators' and vendors' questions, numbered ``Q-<n>`` per guideline.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

batches = Table(
    "batches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("vendor", String(200)),
    Column("sent_at", DateTime(timezone=True)),
    Column("delivered_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

revisions = Table(
    "revisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    # sha256 over the sorted sha256 of the files: the same files are the same revision
    Column("files_key", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("batch_id", "files_key"),
    UniqueConstraint("batch_id", "number"),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("revision_id", ForeignKey("revisions.id", ondelete="CASCADE"), nullable=False),
    Column("command", String(40), nullable=False),
    Column("guideline", String(200), nullable=False),
    Column("guideline_version", String(80), nullable=False),
    Column("verdict", String(20), nullable=False),
    Column("sensitivity", String(80), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    # headline figures, aggregated on write
    Column("records", Integer, nullable=False, default=0),
    Column("rejected", Integer, nullable=False, default=0),
    Column("defects", Integer, nullable=False, default=0),
    Column("audit_passed", Integer),
    Column("audit_total", Integer),
    Column("report", Text, nullable=False),
    UniqueConstraint("revision_id", "command"),
)

files = Table(
    "files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", ForeignKey("runs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("path", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
)

counts = Table(
    "counts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", ForeignKey("runs.id", ondelete="CASCADE"), nullable=False, index=True),
    # code | class | annotator | split | annotator_errors
    Column("dimension", String(40), nullable=False),
    Column("key", String(400), nullable=False),
    Column("count", Integer, nullable=False),
)

criteria = Table(
    "criteria",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", ForeignKey("runs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("name", String(400), nullable=False),
    Column("status", String(20), nullable=False),
    Column("value", Float),
    Column("low", Float),
    Column("high", Float),
    Column("bound", Float),
    Column("comparison", String(8)),
)

audit_samples = Table(
    "audit_samples",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", ForeignKey("runs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("item", String(400), nullable=False),
    Column("outcome", String(40), nullable=False),
)

agreement = Table(
    "agreement",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", ForeignKey("runs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("task", String(200), nullable=False),
    Column("class_", String(200)),  # None: the task as a whole
    Column("measure", String(80), nullable=False),
    Column("value", Float),
    Column("low", Float),
    Column("high", Float),
    Column("units", Integer),
)

# a file's sha256 while its path, size, mtime and inode stay the same (migration 0002)
file_hashes = Table(
    "file_hashes",
    metadata,
    Column("path", String(1000), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("inode", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
)

# the question log (migration 0003): one row per question, numbered per guideline
questions = Table(
    "questions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("guideline", String(200), nullable=False),
    Column("number", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("asked_by", String(200)),  # pseudonymised when governance says so
    Column("vendor", String(200)),
    Column("batch", String(200)),
    Column("item", String(400)),  # the record/item id the question is about
    Column("file", Text),
    Column("classes", Text, nullable=False, default=""),  # "task/class" ids, one per line
    Column("status", String(20), nullable=False),  # open | answered | closed
    Column("decision", Text),
    Column("label", String(200)),  # the class the decision gives, when it names one
    Column("settled_version", String(80)),
    Column("edge_case", String(80)),
    Column("source", String(40), nullable=False),  # cli | csv | labelstudio | delivery
    # what an import saw (file kind + its own id): importing again finds it and adds nothing
    Column("source_key", String(400)),
    Column("asked_at", DateTime(timezone=True), nullable=False),
    Column("answered_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("guideline", "number"),
    UniqueConstraint("guideline", "source_key"),
)

DETAIL_TABLES = (files, counts, criteria, audit_samples, agreement)
