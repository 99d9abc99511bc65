"""The committed gRPC code is exactly what protoc makes of proto/ (run `make proto` if not)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_generated_code_matches_protos(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("genproto", ROOT / "tools" / "genproto.py")
    assert spec and spec.loader
    genproto = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(genproto)
    fresh = genproto.generate(tmp_path)
    assert fresh, "no proto produced any code"
    for path in fresh:
        committed = ROOT / "src" / path.relative_to(tmp_path)
        assert committed.exists(), f"{committed} is missing: run `make proto`"
        assert committed.read_text() == path.read_text(), f"{committed} drifted from its proto: run `make proto`"
