"""Alembic environment: Recall runs migrations in-process on a connection it hands over."""

from alembic import context

from app.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic` CLI use during development
    from sqlalchemy import create_engine

    connection = create_engine(context.config.get_main_option("sqlalchemy.url")).connect()

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
