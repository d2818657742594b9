"""The viewer's side of an UltraVNC repeater ("mode II"), for viewers that do not speak it.

When both the specialist and the user are behind NAT, both dial a repeater and are paired
by an id. The user's host says ``ID:NNNN`` (x11vnc: ``-connect repeater=ID:NNNN+host:port``;
UltraVNC's server: ``-autoreconnect ID:NNNN -connect host:port``). A viewer connecting to
the repeater is greeted with ``RFB 000.000\\n`` and answers with the same id, NUL-padded to
250 bytes; from then on the repeater passes bytes through and the viewer speaks RFB with the
host as if directly connected.

TigerVNC has no repeater option, so the launcher does the viewer's part itself: `Relay`
dials the repeater and says the id *before* the viewer starts (so an unreachable repeater
or one that is not a repeater is said as such, not as a viewer error), then listens on a
loopback port for exactly one connection — the viewer's, pointed there as a direct host —
and passes bytes both ways until either side closes. The listening socket is closed as soon
as the viewer has connected, and everything when the session ends.

Written here (about a hundred lines over asyncio streams) because no maintained Python
library implements the repeater handshake; the protocol is the one x11vnc's `repeater=`
and UltraVNC's repeater use (a 12-byte greeting, a 250-byte id block).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from remote.params import repeater_id as checked_id

_log = logging.getLogger("linedesk.remote.repeater")

GREETING = b"RFB 000.000\n"
ID_BLOCK = 250
_CHUNK = 64 * 1024
ANSWER_SECONDS = 10.0  # for the repeater to accept and greet


class RepeaterError(Exception):
    """The repeater could not be used; `refused` when nothing listens at its address."""

    def __init__(self, detail: str, *, refused: bool = False) -> None:
        super().__init__(detail)
        self.refused = refused


def id_block(repeater_id: str) -> bytes:
    """``ID:NNNN`` padded with NULs to the repeater's 250 bytes."""
    return f"ID:{checked_id(repeater_id)}".encode("ascii").ljust(ID_BLOCK, b"\0")


class Relay:
    """One session's way through a repeater: open with `Relay.open`, point the viewer at
    ``127.0.0.1:port``, `close` when the session ends."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._upstream = (reader, writer)
        self._server: asyncio.Server | None = None
        self._pumps: set[asyncio.Task[None]] = set()
        self._viewer: asyncio.StreamWriter | None = None
        self.port = 0

    @classmethod
    async def open(cls, host: str, port: int, repeater_id: str) -> Relay:
        """Dial the repeater, say the id, and listen on loopback for the viewer."""
        block = id_block(repeater_id)
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(host, port), ANSWER_SECONDS
            )
        except ConnectionRefusedError as exc:
            raise RepeaterError(f"{host}:{port}: connection refused", refused=True) from exc
        except (OSError, TimeoutError) as exc:
            raise RepeaterError(f"{host}:{port}: {exc or 'no answer'}") from exc
        try:
            greeting = await asyncio.wait_for(reader.readexactly(len(GREETING)), ANSWER_SECONDS)
            if greeting != GREETING:
                raise RepeaterError(f"{host}:{port} is not an UltraVNC repeater")
            writer.write(block)
            await writer.drain()
        except (OSError, TimeoutError, asyncio.IncompleteReadError) as exc:
            writer.close()
            raise RepeaterError(f"{host}:{port}: the repeater did not answer") from exc
        except RepeaterError:
            writer.close()
            raise
        relay = cls(reader, writer)
        relay._server = await asyncio.start_server(relay._viewer_came, "127.0.0.1", 0)
        relay.port = int(relay._server.sockets[0].getsockname()[1])
        return relay

    async def _viewer_came(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        if self._viewer is not None:  # one viewer per session; nobody else gets through
            writer.close()
            return
        self._viewer = writer
        if self._server is not None:
            self._server.close()
        up_reader, up_writer = self._upstream
        for source, sink in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.get_running_loop().create_task(_pump(source, sink))
            self._pumps.add(task)
            task.add_done_callback(self._pumps.discard)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._pumps):
            task.cancel()
        for writer in (self._upstream[1], self._viewer):
            if writer is not None:
                writer.close()
                with contextlib.suppress(OSError, asyncio.CancelledError):
                    await writer.wait_closed()
        for task in list(self._pumps):
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def _pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    """Bytes from `source` to `sink` until `source` ends; then `sink` is closed too."""
    try:
        while chunk := await source.read(_CHUNK):
            sink.write(chunk)
            await sink.drain()
    except OSError as exc:
        _log.info("repeater relay: %s", exc)
    finally:
        sink.close()
