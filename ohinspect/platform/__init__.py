"""The central platform server (issue 6): an HTTP API over SQLAlchemy that field devices sync
with — PostgreSQL in production, SQLite for a one-machine trial.

Its tables live on their own metadata (:mod:`ohinspect.platform.schema`), apart from the
device store's models; the protocol is docs/design/issue6-sync.md. No Qt here.
"""
