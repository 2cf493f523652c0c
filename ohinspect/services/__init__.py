"""Service functions: each write opens a unit of work, validates, writes record + outbox +
audit entry, commits once and returns an :class:`~ohinspect.store.changes.OpResult`."""
