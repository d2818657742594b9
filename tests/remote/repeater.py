"""An UltraVNC repeater (mode II) as a test peer: Debian ships none (UltraVNC's repeater and
its Linux port are not packaged), so this plays it, byte for byte as they do — a viewer is
greeted with ``RFB 000.000\\n`` and sends a 250-byte ``ID:NNNN`` block; a server (x11vnc
``-connect repeater=ID:NNNN+host:port``) sends its block at once; two with the same id are
joined and bytes pass through. It runs on its own thread so the test's loop and the
launcher's are not the ones moving the bytes."""

from __future__ import annotations

import asyncio
import contextlib
import threading

GREETING = b"RFB 000.000\n"
ID_BLOCK = 250


class Repeater:
    def __init__(self) -> None:
        self.viewer_port = 0
        self.server_port = 0
        self.ids_seen: list[bytes] = []
        self._waiting: dict[bytes, tuple[asyncio.StreamReader, asyncio.StreamWriter]] = {}
        self._servers: list[asyncio.Server] = []
        self._writers: list[asyncio.StreamWriter] = []
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="test repeater", daemon=True)

    def __enter__(self) -> Repeater:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *_exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _stop(self) -> None:
        for server in self._servers:
            server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for writer in self._writers:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def start() -> None:
            viewers = await asyncio.start_server(self._viewer, "127.0.0.1", 0)
            servers = await asyncio.start_server(self._server, "127.0.0.1", 0)
            self._servers = [viewers, servers]
            self.viewer_port = viewers.sockets[0].getsockname()[1]
            self.server_port = servers.sockets[0].getsockname()[1]
            self._ready.set()

        self._loop.run_until_complete(start())
        self._loop.run_forever()

    async def _viewer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)
        writer.write(GREETING)
        await writer.drain()
        await self._arrive(await reader.readexactly(ID_BLOCK), reader, writer)

    async def _server(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)
        await self._arrive(await reader.readexactly(ID_BLOCK), reader, writer)

    async def _arrive(
        self, block: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        key = block.rstrip(b"\0")
        self.ids_seen.append(key)
        other = self._waiting.pop(key, None)
        if other is None:
            self._waiting[key] = (reader, writer)
            return
        await asyncio.gather(_pump(reader, other[1]), _pump(other[0], writer))


async def _pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    try:
        while chunk := await source.read(65536):
            sink.write(chunk)
            await sink.drain()
    except OSError:
        pass
    finally:
        sink.close()
