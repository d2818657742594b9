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
    throttle = LoginThrottle(per_login=5, per_address=50, window=dt.timedelta(minutes=1))
    largest = 0
    for n in range(100_000):  # 10 000 new names a minute, for ten minutes
        clock[0] += 0.006
        throttle.failed(throttle.keys(f"guess{n}", f"10.{n // 62500}.{n // 250 % 250}.{n % 250}"))
        largest = max(largest, len(throttle._failures))
    # what a minute holds is 20 000 keys (a name and an address each); never far above that
    assert largest <= 4 * auth.SWEEP_AT
    # and the limit still holds for what is recent
    for _ in range(5):
        throttle.failed(throttle.keys("late", "192.0.2.1"))
    with pytest.raises(auth.Problem):
        throttle.check(throttle.keys("late", "192.0.2.1"))
