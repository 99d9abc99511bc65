"""Checks of the free text callers send (names, notes, reasons): trimmed, bounded, printable."""

from __future__ import annotations

import re

from airline.platform.errors import ValidationFailed

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_text(value: str, name: str, *, required: bool = False, limit: int = 200) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationFailed(f"{name} is required", field=name)
    if len(value) > limit:
        raise ValidationFailed(f"{name} is longer than {limit} characters", field=name)
    if _CONTROL.search(value):
        raise ValidationFailed(f"{name} must not contain control characters", field=name)
    return value
