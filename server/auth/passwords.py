"""Password hashing: argon2id with OWASP's recommended minimum (m = 19 MiB, t = 2, p = 1;
RFC 9106's alternatives cost 3-6x more per login for no gain a server needs). Seeds hash once
and reuse the hash for many accounts.

Verification runs in its own small thread pool (argon2 releases the GIL): the event loop
never waits for it, and a burst of logins leaves a core for the loop instead of piling up
in the default executor."""

from __future__ import annotations

import asyncio
import functools
import os
from concurrent.futures import Future, ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TIME_COST = 2
MEMORY_COST_KIB = 19 * 1024
PARALLELISM = 1

_hasher = PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_COST_KIB, parallelism=PARALLELISM)
_pool = ThreadPoolExecutor(
    max_workers=max(1, (os.cpu_count() or 2) - 1), thread_name_prefix="argon2"
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def hash_password_soon(password: str, known: str | None = None) -> Future[str]:
    """:func:`hash_password` in the hashing pool (argon2 releases the GIL): the caller
    goes on meanwhile (the seed builds its data while the one shared hash is made).
    `known`: a hash of `password` made earlier, used as it is while its parameters are
    the current ones."""
    if known is not None and not _hasher.check_needs_rehash(known):
        done: Future[str] = Future()
        done.set_result(known)
        return done
    return _pool.submit(hash_password, password)


@functools.cache
def _dummy() -> str:
    """What an unknown account is checked against; made at the first such login, not at
    import (one hash, ≈30 ms, off every start's path)."""
    return _hasher.hash("linedesk-dummy-password")


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant work whether or not the account exists."""
    try:
        return _hasher.verify(stored_hash or _dummy(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _check(stored_hash: str | None, password: str) -> tuple[bool, str | None]:
    if not verify_password(stored_hash, password):
        return False, None
    assert stored_hash is not None
    if _hasher.check_needs_rehash(stored_hash):
        return True, _hasher.hash(password)  # older parameters: upgrade on this login
    return True, None


async def check_password(stored_hash: str | None, password: str) -> tuple[bool, str | None]:
    """Off the event loop: whether ``password`` matches, and a new hash when the stored
    one was made with other parameters (store it)."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool, _check, stored_hash, password)
