"""A doorbell between processes of one store on one machine.

On SQLite a projector in another process than the command (a `sprachrohr project`
worker, the child of `sprachrohr serve`) would notice a commit only at its next poll
of the event file's `PRAGMA data_version` (every 50 ms). A doorbell wakes it at once:
the process that leads the projector binds a Unix datagram socket named after the
event file in Linux's abstract namespace (no file to leave behind, no path length
limit, gone with the process, even after kill -9), and every process that records a
command sends it an empty datagram. Ringing costs one `sendto` that never blocks:
nobody listening, a full queue or an unsupported platform make it a no-op, and the
poll stays as the fallback (ADR 028). On PostgreSQL, where LISTEN/NOTIFY carries the
news, only the hurry bell is used: between `sprachrohr serve` and its child, which
always share a machine.
"""

from __future__ import annotations

import hashlib
import select
import socket
import sys
import time

#: Abstract Unix sockets are a Linux feature; elsewhere the doorbell does nothing.
SUPPORTED = sys.platform.startswith("linux")


def address(key: str, name: str) -> bytes:
    """The abstract socket name of `name` for the store known by `key`."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"\0sprachrohr-{digest}-{name}".encode()


class Doorbell:
    """Ring from anywhere; `listen` in the one process that answers."""

    def __init__(self, key: str | None, name: str) -> None:
        """`key`: names the store, the same in every process (the event file's real
        path, the database and schema); None (an in-memory store) disables the bell."""
        self.key = key
        self.enabled = SUPPORTED and key is not None
        self.address = address(key or "", name)
        #: One socket rings for every thread: `sendto` on it needs no lock.
        self._sender: socket.socket | None = None
        if self.enabled:
            self._sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            self._sender.setblocking(False)
        self._listener: socket.socket | None = None

    def sibling(self, name: str) -> Doorbell:
        """Another bell of the same store."""
        return Doorbell(self.key, name)

    @property
    def listening(self) -> bool:
        return self._listener is not None

    def ring(self) -> None:
        """Wake the listener, if there is one (never blocks, never fails)."""
        sender = self._sender
        if sender is None:
            return
        try:  # noqa: SIM105 (a plain try is cheaper than suppress on this hot path)
            sender.sendto(b"", self.address)
        except OSError:
            pass  # nobody listens (ECONNREFUSED), or its queue is full: it is awake anyway

    def listen(self) -> bool:
        """Answer this bell from now on; False if another process does (or no support)."""
        if self._listener is not None:
            return True
        if not self.enabled:
            return False
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            listener.bind(self.address)
        except OSError:  # EADDRINUSE: another process's projector answers
            listener.close()
            return False
        listener.setblocking(False)
        self._listener = listener
        return True

    def wait(self, timeout: float) -> bool:
        """Whether the bell rang within `timeout` seconds (all rings so far are taken
        in). Only while listening; otherwise it just sleeps."""
        listener = self._listener
        if listener is None:
            time.sleep(max(0.0, timeout))
            return False
        try:
            readable, _, _ = select.select([listener], [], [], max(0.0, timeout))
        except (OSError, ValueError):  # closed meanwhile (mute, close)
            return False
        if not readable:
            return False
        try:
            while True:
                listener.recv(1)
        except OSError:  # BlockingIOError: drained (or closed meanwhile)
            pass
        return True

    def stop_listening(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()

    def close(self) -> None:
        self.stop_listening()
        sender, self._sender = self._sender, None
        if sender is not None:
            sender.close()
