"""Step 4: one signature pad per inspector (name and ID number shown), one for the party's
representative (who may refuse: then a witness is named instead) and one for the recorder."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ohinspect.i18n import tr
from ohinspect.services.inspections import (
    ROLE_INSPECTOR,
    ROLE_PARTY,
    ROLE_RECORDER,
    SignatureInput,
)
from ohinspect.store.models.inspection import Signature
from ui.verification.model import FlowModel
from ui.widgets.messages import ERROR_STYLE, NOTE_STYLE, MessageLabel
from ui.widgets.signature_pad import SignaturePad


class SignerBox(QGroupBox):
    """A pad for one person, with the problems about that signature right under it."""

    sig_changed = Signal()

    def __init__(self, role: str, name: str, id_no: str = "", title: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role, self.name, self.id_no, self.title_text = role, name, id_no, title
        self.setObjectName(f"signer_{role}")
        self.pad = SignaturePad()
        self.pad.sig_changed.connect(self._changed)
        self.error = MessageLabel()
        self.error.setObjectName("signer_error")
        self.refused: QCheckBox | None = None
        self.witness: QLineEdit | None = None
        self.name_edit: QLineEdit | None = None
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(8, 6, 8, 6)
        self.box.setSpacing(3)
        self.setTitle(self._title())
        if role == ROLE_PARTY:
            self._party_fields()
        self.box.addWidget(self.pad)
        self.box.addWidget(self.error)

    def _title(self) -> str:
        if self.role == ROLE_INSPECTOR:
            return tr("ver_ui.sign.inspector", name=self.name, id_no=self.id_no or "—")
        if self.role == ROLE_RECORDER:
            return tr("ver_ui.sign.recorder", name=self.name or "—")
        return tr("ver_ui.sign.party")

    def _party_fields(self) -> None:
        self.name_edit = QLineEdit(self.name)
        self.name_edit.setObjectName("party_name")
        self.name_edit.setPlaceholderText(tr("ver_ui.sign.party_name_placeholder"))
        self.name_edit.textEdited.connect(lambda _t: self._changed())
        title = QLabel(self.title_text)
        title.setStyleSheet(NOTE_STYLE)
        self.refused = QCheckBox(tr("ver_ui.sign.refuse"))
        self.refused.setObjectName("party_refused")
        self.refused.toggled.connect(self._refusal_toggled)
        self.witness = QLineEdit()
        self.witness.setObjectName("witness_name")
        self.witness.setPlaceholderText(tr("ver_ui.sign.witness_placeholder"))
        self.witness.textEdited.connect(lambda _t: self._changed())
        self.witness_label = QLabel(tr("ver_ui.sign.witness"))
        self.witness_label.setBuddy(self.witness)
        row = QHBoxLayout()
        row.setSpacing(6)
        name_label = QLabel(tr("ver_ui.sign.party_name"))
        name_label.setBuddy(self.name_edit)
        row.addWidget(name_label)
        row.addWidget(self.name_edit, 1)
        row.addWidget(title)
        row.addWidget(self.refused)
        self.box.addLayout(row)
        witness_row = QHBoxLayout()
        witness_row.addWidget(self.witness_label)
        witness_row.addWidget(self.witness, 1)
        self.witness_row = QWidget()
        self.witness_row.setLayout(witness_row)
        witness_row.setContentsMargins(0, 0, 0, 0)
        self.box.addWidget(self.witness_row)
        self.witness_row.hide()

    def _refusal_toggled(self, refused: bool) -> None:
        self.witness_row.setVisible(refused)
        self.pad.setEnabled(not refused)
        if refused:
            self.witness.setFocus(Qt.FocusReason.OtherFocusReason)  # type: ignore[union-attr]
        self._changed()

    def _changed(self) -> None:
        self.show_messages([])
        self.sig_changed.emit()

    def is_refused(self) -> bool:
        return bool(self.refused and self.refused.isChecked())

    def signer_name(self) -> str:
        return self.name_edit.text().strip() if self.name_edit is not None else self.name

    def to_input(self) -> SignatureInput:
        if self.is_refused():
            return SignatureInput(role=self.role, signer_name=self.signer_name(),
                                  signer_id_no=self.id_no, refused=True,
                                  witness_name=self.witness.text().strip())  # type: ignore[union-attr]
        return SignatureInput(role=self.role, signer_name=self.signer_name(),
                              signer_id_no=self.id_no, image_png=self.pad.to_png())

    def show_messages(self, messages: list[str]) -> None:
        self.error.show_messages(messages, ERROR_STYLE)
        self.pad.set_error(bool(messages))

    def show_stored(self, signature: Signature | None, image: bytes | None) -> None:
        """Read-only: the signature as it was signed, or the recorded refusal."""
        self.set_read_only(True)
        if signature is not None and signature.refused:
            if self.refused is not None:
                self.refused.setChecked(True)
            if self.witness is not None:
                self.witness.setText(signature.witness_name)
            self.error.show_messages([tr("ver_ui.sign.refused_stored",
                                         witness=signature.witness_name)], NOTE_STYLE)
        self.pad.show_image(image)
        if self.name_edit is not None and signature is not None:
            self.name_edit.setText(signature.signer_name)

    def set_read_only(self, read_only: bool) -> None:
        self.pad.setEnabled(not read_only and not self.is_refused())
        for w in (self.refused, self.witness, self.name_edit):
            if w is not None:
                w.setEnabled(not read_only)


class SignaturesStep(QWidget):
    sig_sign = Signal()
    sig_changed = Signal()

    def __init__(self, model: FlowModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("step_signatures")
        self.model = model
        self.boxes: list[SignerBox] = []
        self.party: SignerBox | None = None
        self.recorder: SignerBox | None = None
        self.inspectors: list[SignerBox] = []
        self.read_only = False
        self.intro = QLabel(tr("ver_ui.sign.intro"))
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet(NOTE_STYLE)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(6)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.grid_host)
        self.message = MessageLabel()
        self.message.setObjectName("sign_message")
        self.sign_button = QPushButton(tr("ver_ui.sign.button"))
        self.sign_button.setObjectName("btn_sign")
        self.sign_button.setAutoDefault(False)
        self.sign_button.clicked.connect(self.sig_sign)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.sign_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.intro)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)

    def build(self) -> None:
        """One box per person of the header (rebuilt only when the people change)."""
        ins = self.model.view.inspection
        people = ([(ROLE_INSPECTOR, p.get("name", ""), p.get("id_no", ""))
                   for p in ins.inspectors or []]
                  + [(ROLE_PARTY, ins.party_representative, ""),
                     (ROLE_RECORDER, ins.recorder, "")])
        if [(b.role, b.name, b.id_no) for b in self.boxes] == people:
            return
        for box in self.boxes:
            self.grid.removeWidget(box)
            box.deleteLater()
        self.boxes, self.inspectors = [], []
        for role, name, id_no in people:
            box = SignerBox(role, name, id_no,
                            title=ins.party_title if role == ROLE_PARTY else "")
            box.sig_changed.connect(self._changed)
            self.boxes.append(box)
            if role == ROLE_INSPECTOR:
                self.inspectors.append(box)
            elif role == ROLE_PARTY:
                self.party = box
            else:
                self.recorder = box
        for n, box in enumerate(self.boxes):
            self.grid.addWidget(box, n // 2, n % 2)
        rows = (len(self.boxes) + 1) // 2
        for row in range(rows):
            self.grid.setRowStretch(row, 1)   # the pads share the height (up to their maximum)
        self.grid.setRowStretch(rows, 0)
        self.set_read_only(self.read_only)
        # the boxes are made after the sign button: Tab goes through them first, as they read
        chain = [w for box in self.boxes for w in box.findChildren(QWidget)
                 if w.focusPolicy() & Qt.FocusPolicy.TabFocus] + [self.sign_button]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def _changed(self) -> None:
        self.message.show_messages([])
        self.sig_changed.emit()

    def inputs(self) -> list[tuple[SignerBox, SignatureInput]]:
        return [(box, box.to_input()) for box in self.boxes]

    def clear_problems(self) -> None:
        for box in self.boxes:
            box.show_messages([])
        self.message.show_messages([])

    def show_stored(self, signatures: list[Signature], images: dict[str, bytes]) -> None:
        remaining = list(signatures)
        for box in self.boxes:
            match = next((s for s in remaining if s.role == box.role and
                          (box.role == ROLE_PARTY or s.signer_name == box.name)), None)
            if match is not None:
                remaining.remove(match)
            box.show_stored(match, images.get(match.id) if match is not None else None)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for box in self.boxes:
            box.set_read_only(read_only)
        self.sign_button.setEnabled(not read_only)
        self.sign_button.setVisible(not read_only)
        self.intro.setText(tr("ver_ui.sign.intro_locked") if read_only else tr("ver_ui.sign.intro"))
