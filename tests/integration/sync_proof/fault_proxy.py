"""A fault-injecting HTTP/1.1 proxy on loopback, between the sync client and the platform.

Every request the client sends is read whole (head + ``Content-Length`` body), captured
verbatim (for replay) and numbered from 1; ``choose(n, request)`` decides its fate:

- ``None``            forwarded, the answer passed back unchanged
- ``delay``           the answer is held ``delay_s`` seconds, then passed back
- ``drop_request``    half the request reaches the server, then both connections close
- ``drop_response``   the server answers (and has done the work), the client's connection
                      closes without a byte of it
- ``truncate``        the answer's head and half its body, then the connection closes
- ``duplicate``       the same request goes to the server twice at once; the client gets one
                      of the two answers
- ``error_500``       the client gets a 500 (JSON, no API header) and the server nothing
- ``error_500_after`` the server does the work, the client gets a 500 instead of its answer
- ``timeout``         the server does the work, the client never hears back: the connection
                      stays open, silent, until the client gives up (or is killed)

Each request goes to the server on a connection of its own. ``wait_for(n)`` lets a test act
(e.g. SIGKILL the client) once the n-th request arrived; with ``timeout`` the server has
finished that request before ``held`` reaches it.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

MODES = ("delay", "drop_request", "drop_response", "truncate", "duplicate", "error_500",
         "error_500_after", "timeout")
ERROR_500 = (b'HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n'
             b'Content-Length: 41\r\n\r\n{"error":"internal","detail":"injected"}\n')
assert len(ERROR_500.split(b"\r\n\r\n", 1)[1]) == 41


@dataclass(frozen=True)
class Fault:
    mode: str
    delay_s: float = 0.0

    def __post_init__(self) -> None:
        assert self.mode in MODES, self.mode


@dataclass
class Message:
    """One HTTP message as it went over the wire."""

    start: str
    headers: dict[str, str]
    body: bytes
    raw: bytes
    head_len: int

    @property
    def method(self) -> str:
        return self.start.split(" ", 1)[0]

    @property
    def path(self) -> str:
        return self.start.split(" ")[1].split("?", 1)[0]

    @property
    def status(self) -> int:
        return int(self.start.split(" ")[1])


class Reader:
    """Reads whole HTTP messages from a socket (Content-Length or chunked bodies)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.buf = sock, bytearray()

    def _fill(self) -> None:
        data = self.sock.recv(262144)
        if not data:
            raise EOFError
        self.buf += data

    def _take(self, n: int) -> bytes:
        while len(self.buf) < n:
            self._fill()
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def _line(self) -> bytes:
        while (i := self.buf.find(b"\r\n")) < 0:
            self._fill()
        return self._take(i + 2)

    def message(self, *, response_to: str | None = None) -> Message:
        while (i := self.buf.find(b"\r\n\r\n")) < 0:
            self._fill()
        head = self._take(i + 4)
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, v in
                   (ln.split(":", 1) for ln in lines[1:] if ":" in ln)}
        body, raw_body = b"", b""
        no_body = response_to == "HEAD" or (response_to is not None and lines[0].split(" ")[1]
                                            in ("204", "304"))
        if no_body:
            pass
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            parts = []
            while True:
                size_line = self._line()
                size = int(size_line.split(b";")[0], 16)
                data = self._take(size + 2)
                raw_body += size_line + data
                parts.append(data[:-2])
                if size == 0:
                    break
            body = b"".join(parts)
        else:
            body = raw_body = self._take(int(headers.get("content-length", "0")))
        return Message(lines[0], headers, body, head + raw_body, len(head))


def exchange(address: tuple[str, int], raw: bytes, method: str, timeout: float = 120
             ) -> Message:
    """Send raw request bytes on a new connection and read the answer."""
    with socket.create_connection(address, timeout=timeout) as up:
        up.sendall(raw)
        return Reader(up).message(response_to=method)


@dataclass
class FaultProxy:
    upstream: tuple[str, int]
    choose: Callable[[int, Message], Fault | None] = lambda n, r: None
    captured: list[Message] = field(default_factory=list)
    #: the server's answer to captured[i] (requests it answered), by i
    answers: dict[int, Message] = field(default_factory=dict)
    applied: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.cond = threading.Condition()
        self.seen = 0  # requests received so far
        self.arrived: list[float] = []  # time.monotonic() of each
        self.held = 0  # "timeout" requests the server finished and the proxy now sits on
        self.closed = False
        self.clients: set[socket.socket] = set()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    # -- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> FaultProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.closed = True
        self.listener.close()
        with self.cond:
            for c in list(self.clients):
                _close(c)
            self.cond.notify_all()

    def wait_until(self, ready: Callable[[], bool], timeout: float) -> bool:
        """Block until ``ready()`` (checked whenever a request arrives or is held)."""
        with self.cond:
            return self.cond.wait_for(lambda: ready() or self.closed, timeout)

    def wait_for(self, n: int, timeout: float) -> bool:
        """Block until the n-th request (counting from 1) has arrived."""
        return self.wait_until(lambda: self.seen >= n, timeout)

    # -- the proxy -------------------------------------------------------------------------
    def _accept(self) -> None:
        while not self.closed:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            with self.cond:
                self.clients.add(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        reader = Reader(client)
        try:
            while not self.closed:
                request = reader.message()
                with self.cond:
                    self.seen += 1
                    n = self.seen
                    self.captured.append(request)
                    self.arrived.append(time.monotonic())
                    self.cond.notify_all()
                fault = self.choose(n, request)
                if fault is not None:
                    self.applied[fault.mode] += 1
                if not self._handle(client, request, fault, n - 1):
                    return
        except (EOFError, OSError):
            return
        finally:
            with self.cond:
                self.clients.discard(client)
            _close(client)

    def _handle(self, client: socket.socket, request: Message, fault: Fault | None,
                index: int) -> bool:
        """Answer (or not) one request; False when the client connection must close."""
        mode = fault.mode if fault else None
        if mode == "error_500":
            client.sendall(ERROR_500)
            return True
        if mode == "drop_request":
            with socket.create_connection(self.upstream) as up:
                up.sendall(request.raw[:max(1, len(request.raw) // 2)])
            return False
        if mode == "duplicate":
            answers: list[Message] = []
            twin = threading.Thread(target=lambda: answers.append(
                exchange(self.upstream, request.raw, request.method)))
            twin.start()
            answer = exchange(self.upstream, request.raw, request.method)
            twin.join()
        else:
            answer = exchange(self.upstream, request.raw, request.method)
        self.answers[index] = answer
        if mode == "delay":
            time.sleep(fault.delay_s if fault else 0)
        elif mode == "drop_response":
            return False
        elif mode == "truncate":
            client.sendall(answer.raw[:answer.head_len + len(answer.raw[answer.head_len:]) // 2])
            return False
        elif mode == "error_500_after":
            client.sendall(ERROR_500)
            return True
        elif mode == "timeout":
            with self.cond:
                self.held += 1
                self.cond.notify_all()
            while client.recv(65536):  # silent until the client hangs up
                pass
            return False
        client.sendall(answer.raw)
        return True


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
