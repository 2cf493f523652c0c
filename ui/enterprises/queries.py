"""Background reads for the screen, composed only of core query functions (no SQL here)."""

from __future__ import annotations

from dataclasses import dataclass

from ohinspect.services.drafts import NEW_KEY, Draft, load_draft
from ohinspect.services.enterprise_queries import get_enterprise
from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import DRAFT_FORM
from ohinspect.store.database import Store


@dataclass(frozen=True)
class EditorState:
    """What the editor opens with: the stored record (None for a new one) and any draft."""

    record_id: str | None
    record: EnterpriseInput | None
    deleted: bool
    draft: dict[str, object] | None
    #: the draft is older than the record's last save (someone saved since it was typed)
    draft_stale: bool = False

    @property
    def draft_key(self) -> str:
        return self.record_id or NEW_KEY


def load_editor_state(store: Store, record_id: str | None) -> EditorState:
    record, deleted, modified_at = None, False, None
    if record_id is not None:
        with store.read() as session:
            ent = get_enterprise(session, record_id)
            record, deleted = EnterpriseInput.from_record(ent), ent.is_deleted
            modified_at = ent.modified_at
    draft: Draft | None = load_draft(store, DRAFT_FORM, record_id or NEW_KEY)
    stale = draft is not None and modified_at is not None and draft.updated_at < modified_at
    return EditorState(record_id, record, deleted, draft.values if draft else None, stale)
