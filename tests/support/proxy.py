"""A TCP proxy a test can cut and restore: the connections through it really break (the
listening socket closes and every open connection is dropped), so whatever sits behind it is
unreachable for the client exactly as in an outage, without touching the shared server."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from tests.support.http import free_port


class TcpProxy:
    """Listens on 127.0.0.1:`port` and forwards to `upstream` ((host, port) or a unix socket path)."""

    def __init__(self, upstream: tuple[str, int] | Path) -> None:
        self.upstream = upstream
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def open(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port, reuse_address=True)

    async def close(self) -> None:
        """Stop listening and drop every connection (the client sees resets and refusals)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if isinstance(self.upstream, Path):
            return await asyncio.open_unix_connection(str(self.upstream))
        return await asyncio.open_connection(*self.upstream)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await self._connect()
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._writers -= {writer, up_writer}
