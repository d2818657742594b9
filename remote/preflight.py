"""Before launching: is the viewer installed, is the host reachable? Each answer is a phase
the window explains (with the next step and a ready-made message to the user)."""

from __future__ import annotations

import asyncio
import contextlib

from remote.backends import Backend
from remote.outcome import Phase
from remote.params import Mode, Target


async def check(backend: Backend, target: Target, within: float = 3.0) -> list[Phase]:
    """The problems found; an empty list: ready to launch."""
    problems: list[Phase] = []
    if backend.executable() is None:
        problems.append(Phase.VIEWER_MISSING)
    if target.mode is not Mode.REVERSE and target.host is not None and target.port is not None:
        problem = await reach(target.host, target.port, within)
        if problem is not None:
            problems.append(problem)
    return problems


async def reach(host: str, port: int, within: float = 3.0) -> Phase | None:
    """None when a TCP connection to host:port opens; REFUSED or UNREACHABLE otherwise."""
    try:
        _reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), within)
    except ConnectionRefusedError:
        return Phase.REFUSED
    except (OSError, TimeoutError):
        return Phase.UNREACHABLE
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return None
