"""Sign-in abuse limits: failed attempts only, in bounded memory.

- Per e-mail and client address: after `per_account` failures for one e-mail from one
  address, that address waits before it may try that e-mail again: 30 s, then twice as
  long after each further failure, up to a cap. Another address (the owner's) is not
  affected, so a stranger cannot lock a member out; an e-mail without an account is
  counted the same way, so the answer reveals nothing.
- Per client address: at most `per_address` failures a minute, whatever the e-mails.
- Successful sign-ins are never counted, and end the count for their e-mail and address.

Keys are 16-byte digests of the canonical (trimmed, case-folded) e-mail and the address:
nothing kept here names a person, and nothing is written to disk. Both tables are
bounded (least recently touched entries are dropped first) and entries expire.
One instance per process: with several server processes each keeps its own counts.
"""

from __future__ import annotations

import hashlib
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable

WINDOW = 60.0


def canonical_email(email: str) -> str:
    """The form two spellings of one address share: trimmed, NFKC, case-folded."""
    return unicodedata.normalize("NFKC", email.strip()).casefold()


def _key(*parts: str) -> bytes:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).digest()


class _Strikes:
    __slots__ = ("blocked_until", "blocks", "failures", "last_seen")

    def __init__(self, now: float) -> None:
        self.failures = 0
        self.blocks = 0
        self.blocked_until = 0.0
        self.last_seen = now


class _Window:
    __slots__ = ("count", "started")

    def __init__(self, now: float) -> None:
        self.started = now
        self.count = 0


class SignInLimits:
    def __init__(
        self,
        *,
        per_account: int = 5,
        per_address: int = 100,
        first_wait: float = 30.0,
        wait_cap: float = 900.0,
        max_entries: int = 20_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_account = per_account
        self.per_address = per_address
        self.first_wait = first_wait
        self.wait_cap = wait_cap
        self.max_entries = max_entries
        self.clock = clock
        #: A pair's strikes are forgotten this long after its last failure.
        self.memory = max(wait_cap * 2, 3600.0)
        self._pairs: OrderedDict[bytes, _Strikes] = OrderedDict()
        self._addresses: OrderedDict[bytes, _Window] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, email: str, address: str) -> int:
        """Seconds before this e-mail may be tried from this address; 0 to go ahead."""
        now = self.clock()
        with self._lock:
            self._expire(now)
            waits = [0.0]
            strikes = self._pairs.get(_key(canonical_email(email), address))
            if strikes is not None:
                waits.append(strikes.blocked_until - now)
            window = self._addresses.get(_key(address))
            if window is not None and window.count >= self.per_address:
                waits.append(window.started + WINDOW - now)
        return int(-(-max(waits) // 1))

    def failed(self, email: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            strikes = self._strikes(email, address, now)
            strikes.failures += 1
            strikes.last_seen = now
            # After the first block, every further failure blocks again, twice as long.
            if strikes.failures >= (1 if strikes.blocks else self.per_account):
                wait = min(self.first_wait * (1 << min(strikes.blocks, 30)), self.wait_cap)
                strikes.blocked_until = now + wait
                strikes.blocks += 1
                strikes.failures = 0
            window = self._address_window(address, now)
            window.count += 1

    def succeeded(self, email: str, address: str) -> None:
        with self._lock:
            self._pairs.pop(_key(canonical_email(email), address), None)

    def __len__(self) -> int:
        return len(self._pairs) + len(self._addresses)

    def _address_window(self, address: str, now: float) -> _Window:
        key = _key(address)
        window = self._addresses.get(key)
        if window is None:
            if len(self._addresses) >= self.max_entries:
                self._addresses.popitem(last=False)
            window = self._addresses[key] = _Window(now)
        self._addresses.move_to_end(key)
        if now - window.started >= WINDOW:
            window.started, window.count = now, 0
        return window

    def _strikes(self, email: str, address: str, now: float) -> _Strikes:
        key = _key(canonical_email(email), address)
        strikes = self._pairs.get(key)
        if strikes is None:
            if len(self._pairs) >= self.max_entries:
                self._pairs.popitem(last=False)
            strikes = self._pairs[key] = _Strikes(now)
        self._pairs.move_to_end(key)
        return strikes

    def _expire(self, now: float) -> None:
        while self._pairs:
            key, strikes = next(iter(self._pairs.items()))
            if now - strikes.last_seen < self.memory:
                break
            del self._pairs[key]
        while self._addresses:
            key, window = next(iter(self._addresses.items()))
            if now - window.started < WINDOW:
                break
            del self._addresses[key]
