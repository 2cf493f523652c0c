"""The test command provides a real PostgreSQL server, and SQLAlchemy talks to it."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    insert,
    select,
)


def test_roundtrip_through_sqlalchemy(pg_url: str) -> None:
    engine = create_engine(pg_url)
    try:
        assert engine.dialect.name == "postgresql"
        metadata = MetaData()
        sites = Table(
            "sites",
            metadata,
            Column("id", Integer, primary_key=True),
            Column("name", String(200), nullable=False),
        )
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(insert(sites), [{"name": "一号车间 粉尘"}, {"name": "Workshop 2 noise"}])
        with engine.connect() as conn:
            rows = conn.execute(select(sites.c.name).order_by(sites.c.id)).scalars().all()
            db = conn.exec_driver_sql("select current_database()").scalar_one()
        assert rows == ["一号车间 粉尘", "Workshop 2 noise"]
        assert db.startswith("ohinspect_test_")
    finally:
        engine.dispose()
