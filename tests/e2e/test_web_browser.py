"""The browser UI for real: `airline up` (once, in a temporary data directory) serves the built
shell and remotes, and headless Debian Chromium, driven by playwright-core (web/tests/browser),
walks the screens as people would. Screenshots land in web/test-results/ (git-ignored)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.support.platform import Platform, names

pytestmark = pytest.mark.e2e

WEB = Path(__file__).resolve().parents[2] / "web"
CHROMIUM = "/usr/bin/chromium"
BROWSER_BUDGET_S = 420


@pytest.mark.timeout(600)
def test_browser_screens_against_the_running_platform() -> None:
    assert (WEB / "apps" / "shell" / "out" / "index.html").exists(), "web UI not built: run `make web` (make test does)"
    assert (WEB / "node_modules" / "playwright-core").exists(), "web deps missing: run `make web`"
    assert shutil.which(CHROMIUM), "Debian chromium missing: make test installs tools/system-packages.txt"
    # Not pytest's tmp_path: another pytest session on the machine resets /tmp/pytest-of-<user>
    # to 0700, and the embedded PostgreSQL (its own OS user) then cannot reach its data to stop.
    scratch = Path(tempfile.mkdtemp(prefix="airline-web-e2e-", dir="/tmp"))
    platform = Platform(scratch / "data")
    try:
        platform.start()
        run = subprocess.run(
            ["node", "--test", "--test-concurrency=1", "--test-reporter=spec", "tests/browser/"],
            cwd=WEB,
            env={**os.environ, "BASE_URL": platform.base, "CHROMIUM": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=BROWSER_BUDGET_S,
        )
        print(run.stdout[-6000:])
        assert run.returncode == 0, run.stdout[-12000:] + run.stderr[-4000:]
    finally:
        if platform.proc is not None and platform.proc.poll() is None:
            left = platform.stop(signal.SIGTERM)
            assert not left, f"orphans after SIGTERM: {names(left)}"
        shutil.rmtree(scratch, ignore_errors=True)
