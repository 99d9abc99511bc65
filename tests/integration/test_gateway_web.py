"""The gateway serves the browser UI: the shell at /, remotes at /remotes/<name>/, with cache
headers a CDN can follow (hashed files immutable, entry points re-checked every time)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from airline.gateway.app import create_app
from airline.gateway.settings import GatewaySettings
from airline.platform.settings import PlatformSettings
from tests.support.http import free_port, raw_get

IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def web_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built web workspace in miniature: the layout `make run` produces."""
    root = tmp_path_factory.mktemp("web")
    shell = root / "apps" / "shell" / "out"
    (shell / "_next" / "static" / "chunks").mkdir(parents=True)
    (shell / "index.html").write_text("<!doctype html><title>shell</title>")
    (shell / "404.html").write_text("<!doctype html><title>not found</title>")
    (shell / "remotes.json").write_text('{"remotes": []}')
    (shell / "index.txt").write_text("rsc payload")
    (shell / "_next" / "static" / "chunks" / "0a1b2c3d4e5f.js").write_text("console.log(1)")
    for name in ("booking", "waiting-hall"):
        app = root / "apps" / name
        (app / "dist").mkdir(parents=True)
        (app / "rspack.config.mjs").write_text("export default {}")
        (app / "dist" / "remoteEntry.js").write_text(f"var {name.replace('-', '_')};")
        (app / "dist" / "main.0123456789.js").write_text("1")
        (app / "dist" / "index.html").write_text("<!doctype html>")
    (root / "secret.txt").write_text("do-not-serve")  # outside every folder the gateway serves
    return root


@pytest.fixture(scope="module")
async def web_url(settings: PlatformSettings, web_dir: Path) -> AsyncIterator[str]:
    port = free_port()
    app = create_app(settings, GatewaySettings(web_dir=str(web_dir)))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest.fixture
async def web(web_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=web_url, timeout=10) as client:
        yield client


async def test_shell_html_is_revalidated(web: httpx.AsyncClient) -> None:
    r = await web.get("/")
    assert r.status_code == 200 and "<title>shell</title>" in r.text
    assert r.headers["cache-control"] == "no-cache"
    assert r.headers["content-type"].startswith("text/html")
    r = await web.get("/index.txt")
    assert r.headers["cache-control"] == "no-cache"


async def test_remotes_json_and_remote_entries_are_revalidated(web: httpx.AsyncClient) -> None:
    r = await web.get("/remotes.json")
    assert r.status_code == 200 and r.json() == {"remotes": []}
    assert r.headers["cache-control"] == "no-cache"
    for name in ("booking", "waiting-hall"):
        r = await web.get(f"/remotes/{name}/remoteEntry.js")
        assert r.status_code == 200, name
        assert r.headers["cache-control"] == "no-cache"
        assert "javascript" in r.headers["content-type"]


async def test_hashed_assets_are_immutable(web: httpx.AsyncClient) -> None:
    r = await web.get("/remotes/booking/main.0123456789.js")
    assert r.status_code == 200 and r.headers["cache-control"] == IMMUTABLE
    r = await web.get("/_next/static/chunks/0a1b2c3d4e5f.js")
    assert r.status_code == 200 and r.headers["cache-control"] == IMMUTABLE
    r = await web.get("/remotes/waiting-hall/index.html")
    assert r.headers["cache-control"] == "no-cache"


async def test_a_conditional_get_answers_304(web: httpx.AsyncClient) -> None:
    first = await web.get("/remotes/booking/main.0123456789.js")
    again = await web.get("/remotes/booking/main.0123456789.js", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.headers["cache-control"] == IMMUTABLE


async def test_missing_files_are_404_and_the_api_keeps_problem_json(web: httpx.AsyncClient) -> None:
    r = await web.get("/remotes/booking/nope.js")
    assert r.status_code == 404
    assert r.headers["cache-control"] == "no-cache"
    r = await web.get("/remotes/unknown/remoteEntry.js")
    assert r.status_code == 404
    r = await web.get("/api/v1/no-such-route")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    r = await web.get("/api/v1/airports")
    assert r.status_code == 200 and "airports" in r.json()


ESCAPES = [  # each reaches a file outside the folder it is served from, if the server lets it
    "/remotes/booking/../rspack.config.mjs",
    "/remotes/booking/%2e%2e/rspack.config.mjs",
    "/remotes/booking/..%2frspack.config.mjs",
    "/remotes/booking/../../../secret.txt",
    "/remotes/booking/..%2f..%2f..%2fsecret.txt",
    "/../../../secret.txt",
    "/%2e%2e/%2e%2e/%2e%2e/secret.txt",
]


@pytest.mark.parametrize("target", ESCAPES)
async def test_no_path_escapes_the_web_folder(web_url: str, web_dir: Path, target: str) -> None:
    """Sent byte for byte (httpx would normalise `../` away before it left the client)."""
    assert (await raw_get(web_url, "/remotes/booking/remoteEntry.js"))[0] == 200  # the raw client works
    status, body = await raw_get(web_url, target)
    assert b"do-not-serve" not in body and b"export default" not in body
    assert status == 404, (status, body[:200])


async def test_the_shell_never_hides_the_apis_own_answers(web: httpx.AsyncClient) -> None:
    r = await web.delete("/api/v1/airports")
    assert r.status_code == 405  # a known path with the wrong method stays a 405
    r = await web.post("/healthz")
    assert r.status_code == 405
    r = await web.get("/")
    assert r.status_code == 200 and "<title>shell</title>" in r.text


async def test_a_gateway_without_a_web_build_answers_404_not_500(tmp_path: Path) -> None:
    """An image built without the web stage (or `airline up` before `make web`): the shell's
    files are missing, which is a 404 for the browser, never an error."""
    from starlette.applications import Starlette

    from airline.gateway.web import mount_web

    app = Starlette()
    mount_web(app, tmp_path / "not-built")  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client:
        for path in ("/", "/index.html", "/remotes.json"):
            r = await client.get(path)
            assert r.status_code == 404, (path, r.status_code)
            assert r.headers["cache-control"] == "no-cache"
