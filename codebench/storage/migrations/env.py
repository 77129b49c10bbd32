"""Alembic environment: always run with a connection handed in by codebench.storage.db."""

from __future__ import annotations

from alembic import context

from codebench.storage.orm import Base
from codebench.storage.search import include_name

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
    include_name=include_name,  # the full-text index is built by hand (migration 0003), not from the ORM
)
with context.begin_transaction():
    context.run_migrations()
