"""Password hashes for the web workspace (argon2id via ``argon2-cffi``).

The CLI needs no password (whoever can open the workspace's files acts as a named person);
the hash is stored now so the web workspace can sign people in without a new migration.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from broadcast.errors import InputError

MIN_LENGTH = 8


def hash_password(password: str) -> str:
    """An argon2id hash (salted, with its parameters) of a password of at least 8 chars."""
    if len(password) < MIN_LENGTH:
        raise InputError(f"Mật khẩu phải dài ít nhất {MIN_LENGTH} ký tự; hãy chọn mật khẩu khác.")
    return PasswordHasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return PasswordHasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False
