"""Signed batch files (issue 7, docs/batch-format.md): a field device exports its records and
photos as one ``.ohbatch`` file signed with its device key; a supervisor imports it — the
signature and every hash verified before anything is unpacked, everything committed in one
transaction through the sync merge (ohinspect/sync/merge.py). No Qt here.
"""
