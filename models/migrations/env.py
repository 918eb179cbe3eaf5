"""Alembic environment: run against the connection the workspace opener hands over."""

from alembic import context

import models.schema  # noqa: F401  (every feature's tables)
from models.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
