"""Auto-sync: a timer probes the platform (``GET /v1/info``) in the background and starts a sync
when it answers and ``auto_sync`` is on; failed probes back off exponentially (with jitter)
up to a limit (resources/sync/client.yaml ``auto_sync``)."""

from __future__ import annotations

import random
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from ohinspect.sync.protocol import limits
from ohinspect.sync.transport import PlatformClient
from ui.tasks import TaskRunner


def probe(url: str) -> bool:
    """True if the platform at ``url`` answers as a compatible platform (raises otherwise).
    One try: waiting between probes is this controller's backoff, not the client's."""
    with PlatformClient(url, stop=lambda: True) as client:
        client.info()
    return True


class AutoSync(QObject):
    """Calls ``start_sync()`` when the platform at ``url()`` becomes reachable, and while it
    stays reachable whenever ``pending()`` says something waits to be sent."""

    sig_probed = Signal(bool)

    def __init__(self, runner: TaskRunner, url: Callable[[], str], enabled: Callable[[], bool],
                 busy: Callable[[], bool], pending: Callable[[], bool],
                 start_sync: Callable[[], None], parent: QObject | None = None, *,
                 probe_fn: Callable[[str], bool] = probe) -> None:
        super().__init__(parent)
        self.runner, self.url, self.enabled, self.busy = runner, url, enabled, busy
        self.pending = pending
        self.reachable: bool | None = None
        self.start_sync, self.probe_fn = start_sync, probe_fn
        lim = limits()
        self.interval_ms = int(lim.probe_interval_s * 1000)
        self.max_ms = int(lim.probe_max_backoff_s * 1000)
        self.delay_ms = self.interval_ms
        self.probing = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.tick)

    def start(self, first_delay_ms: int = 0) -> None:
        self.timer.start(first_delay_ms)

    def stop(self) -> None:
        self.timer.stop()

    def tick(self) -> None:
        url = self.url()
        if self.probing or not url or not self.enabled() or self.busy():
            self._again(self.interval_ms)
            return
        self.probing = True
        self.runner.run(self.probe_fn, url, on_done=self._reachable, on_error=self._unreachable)

    def _reachable(self, _ok: object) -> None:
        self.probing = False
        self.delay_ms = self.interval_ms
        came_back, self.reachable = self.reachable is not True, True
        self.sig_probed.emit(True)
        if self.enabled() and not self.busy() and (came_back or self.pending()):
            self.start_sync()
        self._again(self.interval_ms)

    def _unreachable(self, _exc: BaseException) -> None:
        self.probing, self.reachable = False, False
        self.sig_probed.emit(False)
        self.delay_ms = min(self.max_ms, self.delay_ms * 2)
        self._again(int(self.delay_ms * random.uniform(0.8, 1.2)))

    def _again(self, ms: int) -> None:
        if not self.timer.isActive():
            self.timer.start(ms)
