"""The parameters routes share: who calls (auth dependencies), airport codes and ids, paging,
time windows and the Idempotency-Key header. One place each, so that a rule (a pattern, a
bound, an error code) is the same on every route that takes the parameter.

Date and date-time inputs within the accepted window are `DateIn` / `DateTimeIn` (re-exported
from gateway/convert.py, where the proto conversions that rely on the window live).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Query
from pydantic import Field

from airline.gateway.convert import DateIn as DateIn  # re-exported: the date inputs
from airline.gateway.convert import DateTimeIn as DateTimeIn
from airline.gateway.convert import InWindow as InWindow
from airline.gateway.problems import ApiProblem
from airline.gateway.security import optional_principal, require_roles, signed_in
from airline.platform.auth import Principal, Role

# --- who calls ------------------------------------------------------------------------------

Caller = Annotated[Principal | None, Depends(optional_principal)]
"""Anyone; a token, if sent, must be valid and is forwarded."""
SignedIn = Annotated[Principal, Depends(signed_in)]
OpsOnly = Annotated[Principal, Depends(require_roles(Role.OPS))]
AgentOnly = Annotated[Principal, Depends(require_roles(Role.AGENT))]
AgentOrOps = Annotated[Principal, Depends(require_roles(Role.AGENT, Role.OPS))]
CrewOnly = Annotated[Principal, Depends(require_roles(Role.CREW))]
CsOrOps = Annotated[Principal, Depends(require_roles(Role.CS, Role.OPS))]

# --- a guest's way to a booking --------------------------------------------------------------

PnrQuery = Annotated[str | None, Query(max_length=6, description="booking reference (guests)")]
LastNameQuery = Annotated[str | None, Query(max_length=60, description="a passenger's last name (guests)")]

# --- codes and ids --------------------------------------------------------------------------

AIRPORT_CODE = r"^[A-Za-z]{3}$"
"""An IATA airport code as input: three letters, any case (the routes upper-case it)."""
ID = r"^[A-Za-z0-9_-]+$"
"""An id a service made (a UUID, mostly) in a path or query: letters, digits, `_` and `-`."""


def airport_code(example: str = "XSP") -> Any:
    """The Field of an airport code in a body."""
    return Field(pattern=AIRPORT_CODE, description="IATA airport code (3 letters)", examples=[example])


def airport_query(description: str | None = None) -> Any:
    """The Query of an optional airport-code filter."""
    return Query(pattern=AIRPORT_CODE, description=description)


AirportCode = Annotated[str, airport_code()]
AirportCodePath = Annotated[str, Path(pattern=AIRPORT_CODE, description="IATA airport code", examples=["SIN"])]
IdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID)]
FlightIdPath = Annotated[
    str, Path(min_length=1, max_length=64, pattern=ID, examples=["0b6f8a52-3c1d-4e7a-9f10-2d4c6b8e0a13"])
]
FLIGHT_NUMBER = r"^[A-Za-z0-9]{2}[0-9]{1,4}[A-Za-z]?$"
FlightNumber = Annotated[
    str,
    Field(pattern=FLIGHT_NUMBER, description="airline designator + 1-4 digits (+ optional suffix)", examples=["XA101"]),
]
GATE_CODE = r"^[A-Za-z0-9]{1,8}$"
GateCode = Annotated[str, Field(pattern=GATE_CODE, examples=["X1"])]
PLANE_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"
PlaneId = Annotated[str, Field(pattern=PLANE_ID, examples=["P1"])]
Duration = Annotated[int, Field(ge=1, le=20 * 60, description="block time in minutes", examples=[95])]
Reason = Annotated[str, Field(min_length=1, max_length=300, examples=["late inbound aircraft"])]
LocalTime = Annotated[
    str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description="HH:MM, 24 h", examples=["08:00"])
]


def upper(value: str | None) -> str | None:
    """A field validator: codes are stored and compared in upper case."""
    return value.upper() if value is not None else None


def upper_or_empty(value: str | None) -> str:
    """An optional code filter as proto wants it: upper case, or empty for "any"."""
    return (value or "").upper()


# --- paging ---------------------------------------------------------------------------------


def limit_query(maximum: int) -> Any:
    """The Query of `limit` on a list without a cursor (the newest or first `limit` rows)."""
    return Query(ge=1, le=maximum)


PageSize = Annotated[int, Query(ge=1, le=200)]
"""`page_size` of a route that pages with `page_token` (the service's opaque cursor); default 50."""


def page_token_query(max_length: int) -> Any:
    """The Query of `page_token`: the service's cursor, as long as that service's cursors get."""
    return Query(max_length=max_length)


# --- time windows ---------------------------------------------------------------------------


def check_window(start: datetime | None, end: datetime | None) -> None:
    """A `from`/`to` query window must not be empty or reversed (422)."""
    if start is not None and end is not None and end <= start:
        raise ApiProblem(422, "`to` must be after `from`", "validation_failed")


# --- Idempotency-Key ------------------------------------------------------------------------

IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")
MISSING_KEY = (
    "send an Idempotency-Key header (1-255 visible characters, e.g. a UUID) so that a retry cannot charge twice"
)


def idempotency_key_header(description: str | None = None, max_length: int | None = None) -> Any:
    return Header(alias="Idempotency-Key", description=description, max_length=max_length)


IdempotencyKey = Annotated[str | None, idempotency_key_header()]


def checked_idempotency_key(
    value: str | None,
    *,
    required: bool,
    missing: str = MISSING_KEY,
    missing_code: str = "idempotency_key_missing",
    check: bool = True,
    blank_is_missing: bool = True,
) -> str:
    """The key to pass on ("" when optional and absent): 400 when a required key is missing,
    422 when it is not 1-255 visible ASCII characters (unless `check` is off). An empty header
    counts as missing unless `blank_is_missing` is off (then it is a malformed key)."""
    if value is None or (value == "" and blank_is_missing):
        if required:
            raise ApiProblem(400, missing, missing_code)
        return ""
    if check and not IDEMPOTENCY_KEY.fullmatch(value):
        raise ApiProblem(
            422, "the Idempotency-Key header must be 1-255 visible ASCII characters", "idempotency_key_invalid"
        )
    return value


def idempotent_headers(replayed: bool) -> dict[str, str]:
    """The response header that tells a retry it got the first answer again."""
    return {"Idempotent-Replayed": "true"} if replayed else {}
