"""The first-run dialog: role (resources/app/roles.yaml), jurisdiction (GB/T 2260), the user's
name, the data folder, the platform to enrol with (optional: the app asks for the platform
account once the store is open), or the demo."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ohinspect.i18n import tr
from ohinspect.resources import load_resource
from ui.widgets.code_fields import division_field
from ui.widgets.dialogs import fit_to_screen


@dataclass(frozen=True)
class FirstRunChoice:
    demo: bool
    data_dir: Path
    role: str = ""
    jurisdiction: str = ""
    user_name: str = ""
    server_url: str = ""      # the platform (optional)
    enrol_now: bool = False   # ask for the platform account as soon as the store is open


def role_ids() -> list[str]:
    return [str(r) for r in load_resource("app/roles.yaml")["roles"]]


class FirstRunDialog(QDialog):
    """``exec()`` then :attr:`choice` (None when cancelled)."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("first_run")
        self.setWindowTitle(tr("ui.first_run.title"))
        self.choice: FirstRunChoice | None = None
        intro = QLabel(tr("ui.first_run.intro"))
        intro.setWordWrap(True)

        self.role = QComboBox()
        self.role.addItem(tr("ui.first_run.choose"), "")
        for role in role_ids():
            self.role.addItem(tr(f"ui.first_run.role.{role}"), role)
        self.jurisdiction = division_field()
        self.user_name = QLineEdit()
        self.user_name.setPlaceholderText(tr("ui.first_run.user_placeholder"))
        self.folder = QLineEdit(str(data_dir))
        browse = QPushButton(tr("ui.first_run.browse"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://")
        self.enrol = QCheckBox(tr("ui.first_run.enrol"))
        self.enrol.setEnabled(False)
        self.server.textChanged.connect(self._server_changed)
        enrol_note = QLabel(tr("ui.first_run.enrol_later"))
        enrol_note.setWordWrap(True)

        form = QFormLayout()
        form.addRow(tr("ui.first_run.role"), self.role)
        form.addRow(tr("ui.first_run.jurisdiction"), self.jurisdiction)
        form.addRow(tr("ui.first_run.user_name"), self.user_name)
        form.addRow(tr("ui.first_run.folder"), folder_row)
        form.addRow(tr("ui.first_run.server"), self.server)
        enrol_row = QHBoxLayout()
        enrol_row.addWidget(self.enrol)
        enrol_row.addStretch(1)
        for label, buddy in ((0, self.role), (1, self.jurisdiction), (2, self.user_name)):
            item = form.itemAt(label, QFormLayout.ItemRole.LabelRole)
            if item is not None and isinstance(item.widget(), QLabel):
                item.widget().setBuddy(buddy)

        self.error = QLabel()
        self.error.setObjectName("first_run_error")
        self.error.setWordWrap(True)
        self.error.hide()
        demo_note = QLabel(tr("ui.first_run.demo_note"))
        demo_note.setWordWrap(True)

        buttons = QDialogButtonBox()
        self.start_button = buttons.addButton(tr("ui.first_run.start"),
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.demo_button = buttons.addButton(tr("ui.first_run.demo"),
                                             QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self._start)
        self.demo_button.clicked.connect(self._demo)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(enrol_row)
        layout.addWidget(enrol_note)
        layout.addWidget(self.error)
        layout.addWidget(demo_note)
        layout.addWidget(buttons)
        fit_to_screen(self, 520)

    def _server_changed(self, text: str) -> None:
        named = bool(text.strip())
        self.enrol.setEnabled(named)
        if not named:
            self.enrol.setChecked(False)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("ui.first_run.folder"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def problems(self) -> list[str]:
        found = []
        if not self.role.currentData():
            found.append(tr("ui.first_run.need_role"))
        if not self.jurisdiction.code():
            found.append(tr("ui.first_run.need_jurisdiction"))
        if not self.user_name.text().strip():
            found.append(tr("ui.first_run.need_user"))
        if not self.folder.text().strip():
            found.append(tr("ui.first_run.need_folder"))
        return found

    def _start(self) -> None:
        problems = self.problems()
        if problems:
            self.error.setText("\n".join(problems))
            self.error.show()
            fit_to_screen(self, self.width())   # grow to show them, within the screen
            return
        self.choice = FirstRunChoice(
            demo=False, data_dir=Path(self.folder.text().strip()).expanduser(),
            role=str(self.role.currentData()), jurisdiction=self.jurisdiction.code(),
            user_name=self.user_name.text().strip(), server_url=self.server.text().strip(),
            enrol_now=self.enrol.isChecked())
        self.accept()

    def _demo(self) -> None:
        self.choice = FirstRunChoice(demo=True, data_dir=Path(self.folder.text().strip()))
        self.accept()
