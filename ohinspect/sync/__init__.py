"""The sync client (issue 6): pushes the outbox to the central platform, uploads photos, pulls
what the platform holds for this inspector and merges it by the rules of
docs/design/issue6-sync.md. No Qt here; the Sync screen (ui/sync) and ``ohinspect sync`` drive
:func:`ohinspect.sync.session.run_sync`.
"""
