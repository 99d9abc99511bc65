"""No hand-written module grows past what a newcomer reads in one sitting (issue: one place for
each fact). Generated gRPC code (`*_pb2*.py`) is exempt; everything else in the repository is not."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 500
SKIP_DIRS = {"node_modules", "build", "dist"}  # and every hidden directory (.venv, .venv-deploy, .git)


def _skipped(part: str) -> bool:
    return part.startswith(".") or part in SKIP_DIRS


def _hand_written_modules() -> list[Path]:
    return [
        path
        for top in ROOT.iterdir()
        if top.is_dir() and not _skipped(top.name)
        for path in top.rglob("*.py")
        if not any(_skipped(part) for part in path.relative_to(ROOT).parts) and "_pb2" not in path.name
    ]


def test_the_walk_sees_the_code() -> None:
    found = {p.relative_to(ROOT).as_posix() for p in _hand_written_modules()}
    assert {"src/airline/booking/saga.py", "tests/conftest.py", "deploy/generate.py"} <= found
    assert not any("_pb2" in name or name.startswith(".venv/") for name in found)


def test_no_hand_written_module_is_over_500_lines() -> None:
    long = {
        p.relative_to(ROOT).as_posix(): n
        for p in _hand_written_modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert long == {}, f"split these by role (limit {LIMIT} lines): {long}"
