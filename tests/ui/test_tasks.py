"""The task runner: results and errors come back on the GUI thread; writes are serial;
cancellation rolls work back."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QThread

from ohinspect.errors import OHInspectError
from ohinspect.progress import Reporter
from ui.tasks import TaskRunner


@pytest.fixture
def runner(qtbot):  # type: ignore[no-untyped-def]
    r = TaskRunner()
    yield r
    assert r.wait_idle(10_000)


def test_result_arrives_on_gui_thread(qtbot, runner: TaskRunner) -> None:
    seen: dict[str, object] = {}
    gui = QThread.currentThread()

    def work() -> int:
        seen["worker_is_gui"] = QThread.currentThread() is gui
        return 42

    runner.run(work, on_done=lambda v: seen.update(value=v, gui=QThread.currentThread() is gui))
    qtbot.waitUntil(lambda: "value" in seen, timeout=5000)
    assert seen == {"worker_is_gui": False, "value": 42, "gui": True}


def test_error_reported_in_plain_words(qtbot, runner: TaskRunner) -> None:
    def fail() -> None:
        raise OHInspectError("磁盘已满，未写入任何内容。")

    with qtbot.waitSignal(runner.sig_error, timeout=5000) as sig:
        runner.run(fail)
    assert sig.args == ["磁盘已满，未写入任何内容。"]


def test_unexpected_error_has_no_traceback(qtbot, runner: TaskRunner) -> None:
    with qtbot.waitSignal(runner.sig_error, timeout=5000) as sig:
        runner.run(lambda: 1 / 0)
    assert "ZeroDivisionError" in sig.args[0] and "Traceback" not in sig.args[0]


def test_writes_never_overlap(qtbot, runner: TaskRunner) -> None:
    active, overlaps, done = [0], [0], []
    lock = threading.Lock()

    def write(i: int) -> int:
        with lock:
            active[0] += 1
            overlaps[0] = max(overlaps[0], active[0])
        time.sleep(0.01)
        with lock:
            active[0] -= 1
        return i

    for i in range(8):
        runner.run(write, i, write=True, on_done=done.append)
    qtbot.waitUntil(lambda: len(done) == 8, timeout=10_000)
    assert overlaps[0] == 1 and done == list(range(8))


def test_cancel_stops_work(qtbot, runner: TaskRunner) -> None:
    reporters: list[Reporter] = []
    finished: list[str] = []

    def long_job(reporter: Reporter) -> str:
        reporters.append(reporter)
        for i in range(500):
            reporter.progress(i, 500)
            reporter.check()
            time.sleep(0.01)
        return "finished"

    with qtbot.waitSignal(runner.sig_error, timeout=10_000) as sig:
        runner.run(long_job, progress="导入中…", on_done=finished.append)
        qtbot.waitUntil(lambda: bool(reporters), timeout=5000)
        reporters[0].cancel()
    assert finished == [] and "已取消" in sig.args[0]
