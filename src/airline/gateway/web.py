"""The browser UI from the gateway's own origin: the shell at `/`, each remote at
`/remotes/<folder>/` (built by `make run` into web/apps/*/out and web/apps/*/dist).

Cache policy, ready for a CDN in front: a file whose name carries a content hash never changes,
so it may be cached for a year (`immutable`); everything a browser must re-check to pick up a new
deploy (HTML, remotes.json, remoteEntry.js, Next's unhashed route payloads) is `no-cache`.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# rspack's [name].[contenthash:10].js and Next's /_next/static/ tree (hashed by construction)
HASHED = re.compile(r"(\.[0-9a-f]{8,}\.(js|css|mjs|woff2?|png|svg|jpg|webp)$)|(^_next/static/)")
ALWAYS_FRESH = frozenset({"remoteEntry.js", "remotes.json"})


def default_web_dir() -> Path:
    """web/ of the source tree the gateway runs from (src/airline/gateway/web.py -> repo/web)."""
    return Path(__file__).resolve().parents[3] / "web"


def cache_control(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if name in ALWAYS_FRESH or name.endswith((".html", ".txt")) or name == "":
        return REVALIDATE
    return IMMUTABLE if HASHED.search(path) else REVALIDATE


class WebFiles(StaticFiles):
    """StaticFiles with the cache policy above; never answers for the API's own paths, so an
    unknown /api/v1 route stays a problem+json 404 rather than the shell's 404 page."""

    async def check_config(self) -> None:
        # not built (yet), e.g. a gateway image without the web stage: every file is a 404,
        # never a 500 (a later build is picked up without a restart)
        if self.directory is not None and not Path(self.directory).is_dir():  # noqa: ASYNC240 - one stat, at start
            return
        await super().check_config()

    async def get_response(self, path: str, scope: Scope) -> Response:
        if path == "api" or path.startswith(("api/", "api\\")):
            raise HTTPException(404)
        try:
            response = await super().get_response(path, scope)
        except HTTPException as missing:
            # a 404 must not be cached as if it were the file: it may be deployed a second later
            raise HTTPException(missing.status_code, missing.detail, headers={"Cache-Control": REVALIDATE}) from None
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = cache_control(path if not path.endswith("/") and path != "." else "")
        else:
            response.headers["Cache-Control"] = REVALIDATE
        return response


def mount_web(app: FastAPI, web_dir: Path) -> None:
    """Each remote under its own prefix; the shell as the router's fallback, not a mount at `/`:
    a fallback runs only when no route matched at all, so a known path with the wrong method
    stays a 405 and routes added later still win."""
    apps = web_dir / "apps"
    if apps.is_dir():
        for remote in sorted(p for p in apps.iterdir() if (p / "rspack.config.mjs").exists()):
            app.mount(
                f"/remotes/{remote.name}",
                WebFiles(directory=remote / "dist", check_dir=False),
                name=f"remote-{remote.name}",
            )
    app.router.default = WebFiles(directory=apps / "shell" / "out", html=True, check_dir=False)
