"""Identifiers every service checks the same way."""

from __future__ import annotations

import uuid


def is_uuid(value: str) -> bool:
    """A UUID in any of its usual spellings (an id that is not one names nothing stored)."""
    try:
        uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return False
    return True
