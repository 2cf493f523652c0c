"""Alembic environment: the core's metadata, batch mode for SQLite (ALTER via table copy)."""

from alembic import context
from sqlalchemy import create_engine

from ohinspect.store.models import Base

config = context.config
connection = config.attributes.get("connection")


def run(conn) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run(connection)
else:  # developer use: `alembic -c db/alembic.ini -x url=sqlite:///path revision --autogenerate`
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///dev-autogen.sqlite3")
    with create_engine(url).connect() as conn:
        run(conn)
        conn.commit()
