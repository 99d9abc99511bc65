"""Generate Python gRPC code from proto/ into an output root (default: src/).

`make proto` runs it; tests/unit/test_proto_drift.py runs it into a temp dir and compares,
so the committed generated code can never drift from the protos.
"""

from __future__ import annotations

import sys
from pathlib import Path

import grpc_tools
from grpc_tools import protoc

ROOT = Path(__file__).resolve().parent.parent
PROTO = ROOT / "proto"


def generate(out: Path) -> list[Path]:
    protos = sorted(PROTO.rglob("*.proto"))
    include = Path(grpc_tools.__file__).parent / "_proto"
    args = [
        "protoc",
        f"-I{PROTO}",
        f"-I{include}",
        f"--python_out={out}",
        f"--pyi_out={out}",
        f"--grpc_python_out={out}",
        *[str(p) for p in protos],
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    generated = []
    for p in protos:
        pkg = out / p.parent.relative_to(PROTO)
        for d in [pkg, *pkg.relative_to(out).parents]:
            init = out / d if not d.is_absolute() else d
            if init != out and init.is_dir() and not (init / "__init__.py").exists():
                (init / "__init__.py").write_text("")
        generated += sorted(pkg.glob(p.stem + "_pb2*"))
    return generated


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "src"
    for f in generate(out):
        print(f.relative_to(out))
