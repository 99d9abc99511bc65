"""The gateway's OpenAPI document (/api/v1/openapi.json) as the app builds it, no servers, and
the UI's TypeScript types made from it by openapi-typescript (web/node_modules).

    python tools/openapi_dump.py                  # the document on stdout (sorted keys)
    python tools/openapi_dump.py --typescript OUT # the types, into OUT (`make web-types`)

tests/unit/test_web_api_types.py makes the types into a temp dir and compares them with the
committed web/packages/ui/src/api/schema.d.ts, so the UI's types can never drift from the API.
The same tree always gives the same bytes: keys sorted, one trailing newline.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from airline.gateway.app import create_app
from airline.gateway.settings import GatewaySettings
from airline.platform.settings import PlatformSettings

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
SCHEMA_TS = WEB / "packages" / "ui" / "src" / "api" / "schema.d.ts"
GENERATOR = WEB / "node_modules" / ".bin" / "openapi-typescript"


def document() -> dict[str, Any]:
    # web_dir "" mounts no UI: the document is the API's alone, whatever is built under web/
    app = create_app(PlatformSettings(_env_file=None), GatewaySettings(web_dir=""))
    doc: dict[str, Any] = app.openapi()
    return doc


def dump() -> str:
    return json.dumps(document(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def typescript(out: Path) -> Path:
    """Writes the document's types to `out` with the pinned openapi-typescript (web/package.json)."""
    if not GENERATOR.exists():
        raise FileNotFoundError(f"{GENERATOR} is missing: install web/ first (`cd web && npm ci`, or `make web-check`)")
    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp) / "openapi.json"
        doc.write_text(dump(), encoding="utf-8")
        # a field with a default stays optional: left out of a request body, maybe absent in an answer
        defaults = ["--default-non-nullable", "false"]
        subprocess.run(
            [str(GENERATOR), str(doc), "--output", str(out), *defaults], cwd=WEB, check=True, stdout=subprocess.DEVNULL
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--typescript", type=Path, metavar="OUT", help="write openapi-typescript's types to OUT")
    args = parser.parse_args()
    if args.typescript:
        typescript(args.typescript.resolve())
    else:
        sys.stdout.write(dump())


if __name__ == "__main__":
    main()
