"""The login throttle forgets stale failures: many different names do not grow it forever."""

from __future__ import annotations

import datetime as dt

import pytest

from server.auth import tokens as auth
from server.auth.tokens import LoginThrottle

pytestmark = pytest.mark.server


def test_many_names_over_time_keep_the_throttle_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(auth.time, "monotonic", lambda: clock[0])
    throttle = LoginThrottle(5, 100, 50, window=dt.timedelta(minutes=1))
    largest = 0
    for n in range(100_000):  # 10 000 new names a minute, for ten minutes
        clock[0] += 0.006
        throttle.failed(throttle.keys(f"guess{n}", f"10.{n // 62500}.{n // 250 % 250}.{n % 250}"))
        largest = max(largest, len(throttle._failures))
    # what a minute holds is 30 000 keys (a pair, a name and an address each); never far above
    assert largest <= 6 * auth.SWEEP_AT
    # and the limit still holds for what is recent
    for _ in range(5):
        throttle.failed(throttle.keys("late", "192.0.2.1"))
    with pytest.raises(auth.Problem):
        throttle.check(throttle.keys("late", "192.0.2.1"))


def test_a_name_is_held_per_address_and_the_guessers_by_their_limits() -> None:
    """Five failures of a name from one address hold that name there only; an address is
    held at 50 failures whatever the names; a name at 100 from all addresses together."""
    throttle = LoginThrottle(5, 100, 50, window=dt.timedelta(minutes=1))
    for _ in range(5):
        throttle.failed(throttle.keys("o.smirnova", "192.0.2.1"))
    with pytest.raises(auth.Problem):
        throttle.check(throttle.keys("O.Smirnova", "192.0.2.1"))
    throttle.check(throttle.keys("o.smirnova", "192.0.2.2"))  # its owner, elsewhere
    for n in range(45):
        throttle.failed(throttle.keys(f"name{n}", "192.0.2.1"))
    with pytest.raises(auth.Problem):
        throttle.check(throttle.keys("anyone", "192.0.2.1"))  # the address's 50
    for n in range(95):
        throttle.failed(throttle.keys("o.smirnova", f"198.51.100.{n}"))
    with pytest.raises(auth.Problem):
        throttle.check(throttle.keys("o.smirnova", "203.0.113.9"))  # the name's 100
