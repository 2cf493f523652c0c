"""The GUI side of one program per data folder (the lock itself: ohinspect/instance_lock.py).

The first program listens on a local socket named after its data folder; a second start on
the same folder, refused by the lock, asks it to come to the front and then says why it is not
opening. The socket only raises a window: it carries no data and grants nothing.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

RAISE_MESSAGE = b"raise\n"
CONNECT_TIMEOUT_MS = 500


def server_name(data_dir: Path) -> str:
    """A per-user, per-folder name (the same folder spelled differently gives the same name)."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode("utf-8")).hexdigest()[:24]
    return f"ohinspect-{digest}"


class FrontServer(QObject):
    """Listens while the first program runs; ``sig_raise`` when a second start asks."""

    sig_raise = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        name = server_name(data_dir)
        # we hold the folder's lock, so a socket file of that name is left by a crashed holder
        QLocalServer.removeServer(name)
        self.server.listen(name)
        self.server.newConnection.connect(self._on_connection)

    def _on_connection(self) -> None:
        """A second start connected: it writes its one line at once, so a short wait for it
        never holds up this window noticeably."""
        while (conn := self.server.nextPendingConnection()) is not None:
            if conn.bytesAvailable() or conn.waitForReadyRead(CONNECT_TIMEOUT_MS):
                if bytes(conn.readAll().data()).startswith(RAISE_MESSAGE):
                    self.sig_raise.emit()
            conn.abort()
            conn.deleteLater()

    def close(self) -> None:
        self.server.close()


def ask_first_to_front(data_dir: Path) -> bool:
    """Ask the program holding ``data_dir`` to raise its window; False if none answers."""
    sock = QLocalSocket()
    sock.connectToServer(server_name(data_dir))
    if not sock.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    sock.write(RAISE_MESSAGE)
    ok = sock.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    sock.disconnectFromServer()
    return ok
