"""Paths and tool lookups shared by the deploy checks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
K8S_VERSION = "1.33.0"  # the cluster version deploy/terraform asks for


def tool(name: str) -> str:
    """A tool of .venv (pip-installed) or of the system (Debian packages of tools/system-packages.txt)."""
    found = BIN / name if (BIN / name).exists() else shutil.which(name)
    assert found, f"{name} is missing: run `make deploy-check` (it installs what the checks need)"
    return str(found)


def run(*argv: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), cwd=cwd, capture_output=True, text=True, timeout=timeout)


def ensure_deploy_tools() -> None:
    """checkov's venv and the dashboards' TypeScript: `make deploy-tools` (quick once stamped)."""
    done = run("make", "-s", "deploy-tools", cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
