"""三同时 verification (核查) writes: start, header, answers, photos, sign-and-lock, amendment.

The flow (shared/DOMAIN.md §1, §5): the inspector starts a verification of one stage of a
project; the stage's checklist is *snapshotted* into the record, so a later template version
never changes it. Each answer is saved the moment it is given and moves the resume point
(``current_item``). Signing checks everything first (nothing is written when anything is
missing), then in ONE unit of work writes the signatures, a rectification item per finding,
the record number and (with findings) the supervision-opinion number, and locks the record.

A locked record is frozen: every write below refuses it with :class:`LockedRecordError` before
touching the database, and the triggers of migration 0002 refuse it again underneath. A
correction is an :func:`amend`: a new draft that references the locked one and is itself signed.

Functions ending in ``_in`` work inside a caller's unit of work (the demo uses them with fixed
ids and dates); the public functions open their own.

The code lives in siblings; import from here: :mod:`~ohinspect.services.inspection_inputs`
(record types, roles, statuses, the input records), :mod:`~ohinspect.services.inspection_helpers`
(the snapshotted checklist, loading, the lock check, shared with ``inspection_queries``),
:mod:`~ohinspect.services.inspection_start` (start and header),
:mod:`~ohinspect.services.inspection_answers` (answers and photos),
:mod:`~ohinspect.services.inspection_checks` (what signing requires of signatures and findings),
:mod:`~ohinspect.services.inspection_signing` (sign and lock) and
:mod:`~ohinspect.services.inspection_amendments` (amendment).
"""

from __future__ import annotations

from ohinspect.services.inspection_amendments import amend, amend_in
from ohinspect.services.inspection_answers import (add_item_photo, add_item_photo_in, answer_item,
                                                   answer_item_in)
from ohinspect.services.inspection_checks import signature_ink
from ohinspect.services.inspection_helpers import (context_for, deadline_days_for, ensure_unlocked,
                                                   inspection_context, item_label, items_of,
                                                   local_today, next_unanswered_after,
                                                   required_inspectors, template_of)
from ohinspect.services.inspection_inputs import (ANSWER_RECORD, ATTACHMENT_RECORD, INK_CONTRAST,
                                                  INK_MIN_PIXELS, KIND, OPINION_DOC_TYPE,
                                                  PHOTO_KIND, PHOTO_OWNER, RECORD, RECORD_DOC_TYPE,
                                                  RECTIFICATION_RECORD, RECTIFICATION_SOURCE,
                                                  ROLE_INSPECTOR, ROLE_PARTY, ROLE_RECORDER,
                                                  ROLE_WITNESS, ROLES, SIGNATURE_KIND,
                                                  SIGNATURE_MEDIA_TYPE, SIGNATURE_OWNER,
                                                  SIGNATURE_RECORD, STATUS_DRAFT, STATUS_SIGNED,
                                                  FindingInput, IdMaker, InspectionHeader,
                                                  SignatureInput)
from ohinspect.services.inspection_signing import sign_and_lock, sign_and_lock_in
from ohinspect.services.inspection_start import (stage_name, start_verification,
                                                 start_verification_in, update_header)

__all__ = [
    "ANSWER_RECORD", "ATTACHMENT_RECORD", "INK_CONTRAST", "INK_MIN_PIXELS", "KIND",
    "OPINION_DOC_TYPE", "PHOTO_KIND", "PHOTO_OWNER", "RECORD", "RECORD_DOC_TYPE",
    "RECTIFICATION_RECORD", "RECTIFICATION_SOURCE", "ROLE_INSPECTOR", "ROLE_PARTY", "ROLE_RECORDER",
    "ROLE_WITNESS", "ROLES", "SIGNATURE_KIND", "SIGNATURE_MEDIA_TYPE", "SIGNATURE_OWNER",
    "SIGNATURE_RECORD", "STATUS_DRAFT", "STATUS_SIGNED", "FindingInput", "IdMaker",
    "InspectionHeader", "SignatureInput", "add_item_photo", "add_item_photo_in", "amend",
    "amend_in", "answer_item", "answer_item_in", "context_for", "deadline_days_for",
    "ensure_unlocked", "inspection_context", "item_label", "items_of", "local_today",
    "next_unanswered_after", "required_inspectors", "sign_and_lock", "sign_and_lock_in",
    "signature_ink", "stage_name", "start_verification", "start_verification_in", "template_of",
    "update_header",
]
