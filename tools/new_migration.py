"""Autogenerate an Alembic revision for one service against a throwaway embedded PostgreSQL.

.venv/bin/python tools/new_migration.py airline.airport airport "add gates" 0002
"""

import shutil
import sys
import tempfile
from pathlib import Path

from alembic import command

from airline.platform.embedded import EmbeddedPostgres
from airline.platform.migrations import alembic_config

package, schema, message, rev_id = sys.argv[1:5]
tmp = Path(tempfile.mkdtemp(prefix="airline-autogen-"))
pg = EmbeddedPostgres(tmp / "pg")
url = pg.start()
try:
    cfg = alembic_config(package, url, schema)
    command.upgrade(cfg, "head")
    command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)
finally:
    pg.stop()
    shutil.rmtree(tmp, ignore_errors=True)
