"""The local SQLite store: models, unit of work, outbox, audit chain, migrations."""
