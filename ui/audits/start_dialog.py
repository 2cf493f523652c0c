"""Starting an audit: the kind (workplace / institution), the party (employers for a workplace
audit, institutions for an institution audit), the checklist for the party's kind, and the
shared header of the record (ui.verification.start_dialog.HeaderDialog)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from ohinspect.i18n import tr
from ohinspect.services.audit_queries import auditable_parties
from ohinspect.services.audits import AUDIT_KINDS, audit_templates, start_audit
from ohinspect.services.inspection_queries import list_inspections
from ohinspect.services.inspections import InspectionHeader
from ohinspect.services.institutions import org_kind_label
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise
from ui.context import AppContext
from ui.tasks import if_alive
from ui.verification.start_dialog import HeaderDialog, StartState, roster_for
from ui.widgets.combos import code_combo


@dataclass
class AuditStartState(StartState):
    #: who may be audited, by audit kind
    parties: dict[str, list[Enterprise]] = field(default_factory=dict)


def load_audit_start_state(store: Store, jurisdiction: str) -> AuditStartState:
    with store.read() as session:
        people = roster_for(session, (jurisdiction,))
        earlier = list_inspections(session)
        parties = {kind: auditable_parties(session, kind) for kind in AUDIT_KINDS}
    authority = next((i.authority for i in earlier if i.authority), "")
    return AuditStartState(None, None, people, authority, "", parties)


class StartAuditDialog(HeaderDialog):
    """``sig_started_audit(inspection_id, kind, enterprise_id)`` once started."""

    sig_started_audit = Signal(str, str, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 kind: str = AUDIT_KINDS[0], enterprise_id: str = "") -> None:
        super().__init__(ctx, parent)
        self.setObjectName("start_audit")
        self.setWindowTitle(tr("aud_ui.start.title"))
        self.start_button.setText(tr("aud_ui.start.ok"))
        self.wanted_party = enterprise_id
        self.kind = code_combo([(k, tr(f"audit.kind.{k}")) for k in AUDIT_KINDS])
        self.kind.setObjectName("aud_start_kind")
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.party = QComboBox()
        self.party.setObjectName("aud_start_party")
        self.template = QComboBox()
        self.template.setObjectName("aud_start_template")
        self.rows_above.addRow(tr("aud_ui.start.kind"), self.kind)
        self.rows_above.addRow(tr("aud_ui.start.party"), self.party)
        self.rows_above.addRow(tr("aud_ui.start.template"), self.template)
        self.kind.currentIndexChanged.connect(lambda _i: self._fill_parties())
        self.party.currentIndexChanged.connect(lambda _i: self._party_changed())
        self.sig_started.connect(lambda iid: self.sig_started_audit.emit(
            iid, self.kind.currentData(), self.party.currentData() or ""))
        self.request_state()

    def request_state(self) -> None:
        self.ctx.runner.run(load_audit_start_state, self.ctx.store,
                            self.ctx.settings.jurisdiction, on_done=self._audit_loaded,
                            on_error=self._load_failed)

    @if_alive
    def _audit_loaded(self, state: AuditStartState) -> None:
        self._loaded(state)
        self._fill_parties()

    def intro_text(self, state: StartState) -> str:
        return tr("aud_ui.start.intro")

    def _parties(self) -> list[Enterprise]:
        state = self.state
        if not isinstance(state, AuditStartState):
            return []
        return state.parties.get(self.kind.currentData(), [])

    def _fill_parties(self) -> None:
        self.party.blockSignals(True)
        self.party.clear()
        for ent in self._parties():
            self.party.addItem(tr("aud_ui.start.party_entry", name=ent.name,
                                  kind=org_kind_label(ent.org_kind)), ent.id)
        if self.wanted_party:
            self.party.setCurrentIndex(max(0, self.party.findData(self.wanted_party)))
        self.party.blockSignals(False)
        self._party_changed()

    def _party_changed(self) -> None:
        ent = next((e for e in self._parties() if e.id == self.party.currentData()), None)
        self.template.clear()
        if ent is None:
            return
        for template in audit_templates(self.kind.currentData(), ent.org_kind):
            self.template.addItem(tr("aud_ui.start.template_entry", title=template.title(),
                                     version=template.version), template.id)
        self.place.setText(ent.address)
        self.set_party(ent)

    def choose(self, kind: str, party_name: str) -> None:
        """Pick the kind and the party by name (tests, keyboard users)."""
        self.kind.setCurrentIndex(self.kind.findData(kind))
        for row in range(self.party.count()):
            if self.party.itemText(row).startswith(party_name):
                self.party.setCurrentIndex(row)

    def start(self, header: InspectionHeader) -> None:
        self.ctx.perform(start_audit, kind=self.kind.currentData(),
                         enterprise_id=self.party.currentData() or "",
                         template_id=self.template.currentData() or "", header=header,
                         on_done=self._started, on_error=self._failed)
