"""Form drafts: what the user typed, saved as they type, so a crash loses at most one field.

Drafts are local scratch (not records: no outbox, no audit). A service that saves the record
deletes its draft in the same transaction (see :func:`discard_in`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ohinspect.store.base import utcnow
from ohinspect.store.database import Store
from ohinspect.store.models import FormDraft

NEW_KEY = "new"


@dataclass(frozen=True)
class Draft:
    values: dict[str, object]
    updated_at: datetime


def save_draft(store: Store, form: str, key: str, values: dict[str, object]) -> None:
    with store.write_sessionmaker() as session, session.begin():
        draft = session.get(FormDraft, (form, key)) or FormDraft(form=form, key=key)
        draft.values = json.dumps(values, ensure_ascii=False, sort_keys=True)
        draft.updated_at = utcnow()
        session.add(draft)


def load_draft(store: Store, form: str, key: str) -> Draft | None:
    with store.read() as session:
        draft = session.get(FormDraft, (form, key))
        return Draft(json.loads(draft.values), draft.updated_at) if draft else None


def discard_draft(store: Store, form: str, key: str) -> None:
    with store.write_sessionmaker() as session, session.begin():
        discard_in(session, form, key)


def discard_in(session: Session, form: str, key: str | None) -> None:
    if key:
        session.execute(delete(FormDraft).where(FormDraft.form == form, FormDraft.key == key))
