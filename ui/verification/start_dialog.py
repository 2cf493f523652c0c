"""Starting a checklist-driven inspection: the header of the 现场检查笔录 (place, authority,
inspectors from the roster with their enforcement-ID numbers, recorder, the party's
representative and title) → the start service → the flow opens.

:class:`HeaderDialog` is the shared form; :class:`StartVerificationDialog` starts a verification
of one project stage, ``ui.audits.start_dialog.StartAuditDialog`` an audit."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sqlalchemy.orm import Session

from ohinspect.errors import FieldProblem, OHInspectError, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.inspection_queries import list_inspections
from ohinspect.services.inspections import (
    InspectionHeader,
    required_inspectors,
    start_verification,
)
from ohinspect.services.project_queries import get_project_detail
from ohinspect.services.roster import list_inspectors
from ohinspect.store.changes import OpResult
from ohinspect.store.database import Store
from ohinspect.store.models.enterprise import Enterprise
from ohinspect.store.models.project import Project
from ohinspect.store.models.staff import Inspector
from ui.context import AppContext
from ui.tasks import if_alive, user_message
from ui.verification.data import stage_name
from ui.widgets.dialogs import fit_to_screen, ok_cancel_buttons
from ui.widgets.field_form import FieldMessages, add_field_row
from ui.widgets.messages import ERROR_STYLE, NOTE_STYLE, MessageLabel

FIELDS = ("place", "authority", "inspectors", "recorder", "party_representative", "party_title")


@dataclass
class StartState:
    project: Project | None       # None: an audit (its party is chosen in the dialog)
    enterprise: Enterprise | None
    inspectors: list[Inspector]
    last_authority: str
    last_place: str


def roster_for(session: Session, codes: tuple[str, ...]) -> list[Inspector]:
    """The inspectors of these jurisdictions (all of them when none has any), by name."""
    roster: dict[str, Inspector] = {}
    for code in dict.fromkeys(codes):
        if code:
            roster.update({i.id: i for i in list_inspectors(session, code)})
    if not roster:
        roster = {i.id: i for i in list_inspectors(session, "")}
    return sorted(roster.values(), key=lambda i: (i.name, i.id_no))


def load_start_state(store: Store, project_id: str, jurisdiction: str) -> StartState:
    with store.read() as session:
        detail = get_project_detail(session, project_id)
        people = roster_for(session, (jurisdiction, detail.project.division_code))
        earlier = list_inspections(session)
    authority = next((i.authority for i in earlier if i.authority), "")
    place = next((i.place for i in earlier if i.place and i.project_id == project_id), "")
    return StartState(detail.project, detail.enterprise, people, authority, place)


class HeaderDialog(QDialog):
    """The header form shared by the start dialogs; a subclass asks for its state
    (:meth:`request_state`), says what is started (:meth:`intro_text`) and starts it
    (:meth:`start`). ``rows_above`` is a form for the subclass's own fields."""

    sig_started = Signal(str)     # the new inspection's id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saving = False
        self.state: StartState | None = None
        self.rows_above = QFormLayout()
        self.intro = QLabel(tr("ver_ui.loading"))
        self.intro.setWordWrap(True)
        self.place = QLineEdit()
        self.authority = QLineEdit()
        self.authority.setPlaceholderText(tr("ver_ui.start.authority_placeholder"))
        self.inspectors = QListWidget()
        self.inspectors.setObjectName("inspector_list")
        self.inspectors.setMinimumHeight(120)
        self.inspectors.itemChanged.connect(lambda _i: self._inspectors_changed())
        self.recorder = QComboBox()
        self.recorder.setEditable(True)
        self.recorder.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.recorder.lineEdit().setPlaceholderText(tr("ver_ui.start.recorder_placeholder"))
        self.party_representative = QLineEdit()
        self.party_title = QLineEdit()
        self.party_title.setPlaceholderText(tr("ver_ui.start.title_placeholder"))
        self.errors = FieldMessages(FIELDS)
        self.summary = MessageLabel()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(3)
        for name in FIELDS:
            add_field_row(form, tr(f"ver_ui.start.{name}"), self.widget(name), self.errors[name])
        buttons, self.start_button, _cancel = ok_cancel_buttons(tr("ver_ui.start.ok"),
                                                                self.submit, self.reject)
        self.start_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.rows_above)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        fit_to_screen(self, 720, 480)

    def widget(self, name: str) -> QWidget:
        return getattr(self, name)

    def request_state(self) -> None:
        raise NotImplementedError

    def intro_text(self, state: StartState) -> str:
        raise NotImplementedError

    def start(self, header: InspectionHeader) -> None:
        """Send the start write; ``self._started`` / ``self._failed`` take its outcome."""
        raise NotImplementedError

    # -- defaults ----------------------------------------------------------------------------
    @if_alive
    def _loaded(self, state: StartState) -> None:
        self.state = state
        self.intro.setText(self.intro_text(state))
        where = state.project.location if state.project is not None else ""
        self.place.setText(state.last_place or where
                           or (state.enterprise.address if state.enterprise else ""))
        self.authority.setText(state.last_authority)
        self.inspectors.blockSignals(True)
        for person in state.inspectors:
            entry = QListWidgetItem(tr("ver_ui.start.inspector_entry", name=person.name,
                                       id_no=person.id_no))
            entry.setData(Qt.ItemDataRole.UserRole, {"name": person.name, "id_no": person.id_no})
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.inspectors.addItem(entry)
        self.inspectors.blockSignals(False)
        if not state.inspectors:
            self.errors["inspectors"].show_messages([tr("ver_ui.start.roster_empty")], NOTE_STYLE)
        if state.enterprise is not None:
            self.set_party(state.enterprise)
        self.start_button.setEnabled(True)
        self.place.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_party(self, enterprise: Enterprise) -> None:
        """The party's legal representative as the person present (editable)."""
        if enterprise.legal_representative:
            self.party_representative.setText(enterprise.legal_representative)
            self.party_title.setText(tr("ver_ui.start.legal_representative"))

    @if_alive
    def _load_failed(self, exc: BaseException) -> None:
        message = user_message(exc)
        self.intro.setText(tr("ver_ui.load_failed", error=message))
        if not isinstance(exc, OHInspectError):
            self.ctx.runner.report_error(exc, self)

    def check_inspectors(self, names: list[str]) -> None:
        """Tick the roster entries with these names (tests, keyboard users: Space ticks)."""
        for row in range(self.inspectors.count()):
            entry = self.inspectors.item(row)
            if entry.data(Qt.ItemDataRole.UserRole)["name"] in names:
                entry.setCheckState(Qt.CheckState.Checked)

    def chosen_inspectors(self) -> list[dict[str, str]]:
        return [dict(self.inspectors.item(r).data(Qt.ItemDataRole.UserRole))
                for r in range(self.inspectors.count())
                if self.inspectors.item(r).checkState() == Qt.CheckState.Checked]

    def _inspectors_changed(self) -> None:
        self.errors["inspectors"].show_messages([])
        text = self.recorder.currentText()
        names = [p["name"] for p in self.chosen_inspectors()]
        self.recorder.blockSignals(True)
        self.recorder.clear()
        self.recorder.addItems(names)
        self.recorder.blockSignals(False)
        if text:
            self.recorder.setEditText(text)
        elif names:
            self.recorder.setEditText(names[-1])

    def header(self) -> InspectionHeader:
        return InspectionHeader(place=self.place.text(), authority=self.authority.text(),
                                inspectors=self.chosen_inspectors(),
                                recorder=self.recorder.currentText(),
                                party_representative=self.party_representative.text(),
                                party_title=self.party_title.text())

    # -- start -------------------------------------------------------------------------------
    def submit(self) -> None:
        if self.saving:
            return
        self.errors.clear_messages()
        header = self.header()
        needed = required_inspectors()
        if len(header.inspectors) < needed:  # signing will need them: say so now, not at the end
            self.show_problems([FieldProblem("inspectors", "ver_ui.start.need_inspector",
                                             tr("ver_ui.start.need_inspector", needed=needed))])
            return
        self.saving = True
        self.start_button.setEnabled(False)
        self.start(header)

    def _started(self, result: OpResult) -> None:
        self.saving = False
        self.sig_started.emit(result.record_id or "")
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        self.start_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.show_problems(exc.problems)
        elif isinstance(exc, OHInspectError):
            self.summary.show_messages([exc.user_message()], ERROR_STYLE)
        else:
            self.summary.show_messages([tr("ver_ui.start.failed")], ERROR_STYLE)
            self.ctx.runner.report_error(exc, self)

    def show_problems(self, problems: list[FieldProblem]) -> None:
        other = []
        for p in problems:
            if p.field in self.errors:
                self.errors[p.field].show_messages([p.message], ERROR_STYLE)
            else:
                other.append(p.message)
        self.summary.show_messages(other, ERROR_STYLE)
        first = next((n for n in FIELDS if any(p.field == n for p in problems)), None)
        if first is not None:
            self.widget(first).setFocus(Qt.FocusReason.OtherFocusReason)


class StartVerificationDialog(HeaderDialog):
    """Start the verification of one stage of a project."""

    def __init__(self, ctx: AppContext, project_id: str, stage: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("start_verification")
        self.project_id, self.stage = project_id, stage
        self.setWindowTitle(tr("ver_ui.start.title", stage=stage_name(stage)))
        self.request_state()

    def request_state(self) -> None:
        self.ctx.runner.run(load_start_state, self.ctx.store, self.project_id,
                            self.ctx.settings.jurisdiction, on_done=self._loaded,
                            on_error=self._load_failed)

    def intro_text(self, state: StartState) -> str:
        return tr("ver_ui.start.intro", enterprise=state.enterprise.name if state.enterprise
                  else "", project=state.project.name if state.project else "",
                  stage=stage_name(self.stage))

    def start(self, header: InspectionHeader) -> None:
        self.ctx.perform(start_verification, self.project_id, self.stage, header,
                         on_done=self._started, on_error=self._failed)


def start_verification_dialog(ctx: AppContext, project_id: str, stage: str,
                              parent: QWidget | None = None, *,
                              open_flow: bool = True) -> StartVerificationDialog:
    """Ask for the header, start the verification and (by default) open its flow window.
    Non-blocking (``open()``); ``sig_started(inspection_id)`` tells the caller."""
    from ui.verification.flow import open_verification

    dialog = StartVerificationDialog(ctx, project_id, stage, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if open_flow:
        dialog.sig_started.connect(lambda new_id: open_verification(ctx, new_id, parent))
    dialog.open()
    return dialog
