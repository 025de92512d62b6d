"""Signing in with a password: the check and the throttle, for every front end.

The web workspace is the first user of passwords (the CLI acts as a named person: whoever
can open the workspace's files may). The rule that a login is refused after too many wrong
passwords lives here, not in the web layer, so a second front end cannot forget it.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field

from broadcast.errors import InputError
from broadcast.model.people import Person, Role
from broadcast.people.passwords import hash_password, verify_password
from broadcast.store import people as store
from broadcast.store.db import Database

WRONG = (
    "Tên đăng nhập hoặc mật khẩu không đúng; hãy gõ lại (chú ý bộ gõ tiếng Việt và phím Caps Lock)."
)


@dataclass
class Throttle:
    """Wrong passwords per login and per network address within ``window_s``.

    Kept in memory: one workspace server is one process, and a restart forgetting the count
    costs an attacker a restart per few guesses, which is slow enough. Both keys count, so
    guessing many logins from one machine is slowed as much as one login from many.
    """

    attempts: int = 5
    window_s: float = 300.0
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str, now: float) -> deque[float]:
        queue = self._failures.setdefault(key, deque())
        while queue and now - queue[0] > self.window_s:
            queue.popleft()
        return queue

    def wait_s(self, keys: tuple[str, ...], now: float | None = None) -> float:
        """Seconds until a new try is allowed (0: allowed now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            waits = [
                self.window_s - (now - q[0])
                for q in (self._recent(k, now) for k in keys)
                if len(q) >= self.attempts
            ]
        return max(waits, default=0.0)

    def failed(self, keys: tuple[str, ...], now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, keys: tuple[str, ...]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


def sign_in(db: Database, login: str, password: str, *, source: str, throttle: Throttle) -> Person:
    """The person whose password this is, or one Vietnamese refusal.

    The same message for an unknown login and a wrong password, so the form does not tell
    a stranger which logins exist; a locked account is named only after a right password.
    The person is read province-wide (with their roles in every station): a front end
    keeps the id and loads the person again in the station it works in
    (``broadcast.people.workplace.home_station``).
    """
    keys = (f"login:{login.strip().casefold()}", f"from:{source}")
    wait = throttle.wait_s(keys)
    if wait > 0:
        minutes = max(1, round(wait / 60))
        raise InputError(
            f"Đăng nhập sai quá nhiều lần; hãy thử lại sau khoảng {minutes} phút, hoặc nhờ "
            "người quản trị đặt lại mật khẩu."
        )
    # A login is unique in the whole province: on a province server the person may belong
    # to another station than the connection's (a SQLite file: one station, no change).
    with db.province_wide():
        person = store.find_person(db, login.strip()) if login.strip() else None
        stored = store.password_hash(db, person.id) if person is not None else None
    if person is None or stored is None or not verify_password(stored, password):
        throttle.failed(keys)
        raise InputError(WRONG)
    throttle.succeeded(keys)
    if not person.active:
        raise InputError(f"Tài khoản {person.label} đã bị khóa; hãy nhờ người quản trị mở lại.")
    return person


def needs_first_password(db: Database) -> Person | None:
    """The first admin while no admin has a password yet: the web's first-run page sets it.

    Once any admin can sign in, the first-run page is gone for good, so it cannot be used
    to take over a workspace that is already in use.
    """
    admins = [p for p in store.list_people(db) if p.active and p.has(Role.ADMIN)]
    if any(store.password_hash(db, p.id) is not None for p in admins):
        return None
    first = store.first_admin(db)
    return first


def set_first_password(db: Database, login: str, password: str, repeat: str) -> Person:
    """Set the first admin's password on first run (refused once any admin has one)."""
    first = needs_first_password(db)
    if first is None:
        raise InputError(
            "Người quản trị đã có mật khẩu; hãy đăng nhập. Quên mật khẩu thì chạy "
            "'broadcast user password TÊN' trên máy chủ."
        )
    if login.strip() != first.login:
        raise InputError(f"Tài khoản quản trị đầu tiên là '{first.login}'; hãy gõ đúng tên này.")
    if password != repeat:
        raise InputError("Hai lần gõ mật khẩu không giống nhau; hãy gõ lại.")
    store.set_password_hash(db, first.id, hash_password(password))
    return first
