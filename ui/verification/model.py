"""The state of one open verification, shared by its steps.

Answers are shown the moment they are given (optimistic) and written at once through
``ctx.perform`` on the serial write thread; a refused write puts back what is stored and says
why next to the item. A note is written with its item's answer, debounced while typing.

An audit item is graded once: choosing another grade for a graded item asks for a reason
(``sig_change_requested``) and is written as an explicit change (:meth:`change_grade`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from ohinspect.checklists.model import ChecklistItem
from ohinspect.errors import OHInspectError
from ohinspect.i18n import tr
from ohinspect.services.inspection_queries import InspectionView, get_inspection_view
from ohinspect.services.inspections import answer_item
from ohinspect.store.changes import OpResult
from ui.context import AppContext
from ui.tasks import user_message
from ui.verification.data import add_photo_file, is_audit, is_finding, photo_required

NOTE_DELAY_MS = 400   # ≤ 500 ms between the last key and the write


class FlowModel(QObject):
    sig_answer_changed = Signal(str)      # item id: answer or note changed (shown or stored)
    sig_item_message = Signal(str, str)   # item id, message ("" clears)
    sig_photos_changed = Signal()
    sig_view_changed = Signal()           # a new InspectionView arrived
    sig_change_requested = Signal(str, str)  # item id, grade: an audit grade change needs a reason

    def __init__(self, ctx: AppContext, view: InspectionView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view = view
        self.answers: dict[str, str] = {}
        self.notes: dict[str, str] = {}
        self.saved: dict[str, tuple[str, str]] = {}
        self.pending: Counter[str] = Counter()
        self.writes = 0                   # answer writes sent (diagnostics, tests)
        self._note_item = ""              # the item whose note is being typed
        self._take_answers(view)
        self.note_timer = QTimer(self)
        self.note_timer.setSingleShot(True)
        self.note_timer.setInterval(NOTE_DELAY_MS)
        self.note_timer.timeout.connect(self.flush_note)

    @property
    def inspection_id(self) -> str:
        return self.view.inspection.id

    @property
    def locked(self) -> bool:
        return bool(self.view.locked)

    def _take_answers(self, view: InspectionView) -> None:
        for item_id, stored in view.answers.items():
            self.saved[item_id] = (stored.answer or "", stored.note or "")
            if not self.pending[item_id]:   # a write on its way is newer than this read
                self.answers[item_id] = stored.answer or ""
                if item_id != self._note_item:
                    self.notes[item_id] = stored.note or ""

    def set_view(self, view: InspectionView) -> None:
        self.view = view
        self._take_answers(view)
        self.sig_view_changed.emit()

    # -- reading ---------------------------------------------------------------------------
    def items(self) -> list[ChecklistItem]:
        return list(self.view.items)

    def answered(self) -> set[str]:
        return {i.id for i in self.view.items if self.answers.get(i.id)}

    def finding_ids(self) -> list[str]:
        return [i.id for i in self.view.items if is_finding(self.view, i, self.answers.get(i.id, ""))]

    def needs_photo(self, item: ChecklistItem) -> bool:
        return photo_required(self.view, item, self.answers.get(item.id, ""))

    def photos(self, item_id: str) -> list:  # type: ignore[type-arg]
        return list(self.view.photos.get(item_id, []))

    def photo_missing(self, item: ChecklistItem) -> bool:
        """Answered in a way that needs a photo, and none is attached yet."""
        return bool(self.answers.get(item.id)) and self.needs_photo(item) \
            and not self.photos(item.id)

    def reload(self, then: Callable[[], None] | None = None) -> None:
        def done(view: InspectionView) -> None:
            self.set_view(view)
            if then is not None:
                then()

        self.ctx.read(get_inspection_view, self.inspection_id, on_done=done)

    # -- answering -------------------------------------------------------------------------
    def answer(self, item_id: str, code: str) -> None:
        if self.locked:
            return
        stored = self.saved.get(item_id, ("", ""))[0]
        if is_audit(self.view) and stored and code != stored:
            self.sig_change_requested.emit(item_id, code)
            return
        if self._note_item == item_id:
            self.note_timer.stop()
        self.answers[item_id] = code
        self._write(item_id)

    def change_grade(self, item_id: str, code: str, reason: str) -> None:
        """Grade an audit item again, as an explicit change with its reason."""
        if self.locked:
            return
        if self._note_item == item_id:
            self.note_timer.stop()
        self.answers[item_id] = code
        self._write(item_id, reason)

    def set_note(self, item_id: str, note: str) -> None:
        """A keystroke in the note: written after a short pause (or when the field is left)."""
        if self.locked:
            return
        if self._note_item and self._note_item != item_id:
            self.flush_note()
        self.notes[item_id] = note
        self._note_item = item_id
        self.note_timer.start()

    def flush_note(self) -> None:
        self.note_timer.stop()
        item_id, self._note_item = self._note_item, ""
        if not item_id or self.locked:
            return
        if not self.answers.get(item_id):
            self.sig_item_message.emit(item_id, tr("ver_ui.item.note_waits"))
            return
        if not self.is_saved(item_id):
            self._write(item_id)

    def _write(self, item_id: str, change_reason: str = "") -> None:
        code, note = self.answers[item_id], self.notes.get(item_id, "")
        self.pending[item_id] += 1
        self.writes += 1
        self.sig_answer_changed.emit(item_id)
        self.sig_item_message.emit(item_id, "")

        def done(_result: OpResult) -> None:
            self.pending[item_id] -= 1
            self.saved[item_id] = (code, note)
            self.sig_answer_changed.emit(item_id)

        def failed(exc: BaseException) -> None:
            self.pending[item_id] -= 1
            if not self.pending[item_id]:
                stored = self.saved.get(item_id, ("", ""))
                self.answers[item_id] = stored[0]
            message = user_message(exc)
            if not isinstance(exc, OHInspectError):
                self.ctx.runner.report_error(exc)
            self.sig_answer_changed.emit(item_id)
            self.sig_item_message.emit(item_id, tr("ver_ui.item.save_failed", error=message))

        self.ctx.perform(answer_item, self.inspection_id, item_id, code, note,
                         change_reason=change_reason, on_done=done, on_error=failed)

    def is_saved(self, item_id: str) -> bool:
        if self.pending[item_id] or not self.answers.get(item_id):
            return not self.pending[item_id]
        stored = self.saved.get(item_id)
        return stored is not None and stored[0] == self.answers[item_id] \
            and stored[1].strip() == self.notes.get(item_id, "").strip()

    # -- photos ----------------------------------------------------------------------------
    def add_photos(self, item_id: str, paths: list[str]) -> None:
        if self.locked or not paths:
            return
        remaining = [len(paths)]

        def one_done(_result: object = None) -> None:
            remaining[0] -= 1
            if remaining[0] == 0:
                self.reload(self.sig_photos_changed.emit)

        def failed(exc: BaseException) -> None:
            message = user_message(exc)
            self.sig_item_message.emit(item_id, tr("ver_ui.photos.failed", error=message))
            one_done()

        for path in paths:
            self.ctx.perform(add_photo_file, self.inspection_id, item_id, path, on_done=one_done,
                             on_error=failed)
