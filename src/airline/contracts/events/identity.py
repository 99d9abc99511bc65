"""Events of the identity service."""

from __future__ import annotations

from airline.contracts.events.base import EventType, Payload

DOMAIN = "identity"


class UserRegistered(Payload):
    user_id: str
    email: str
    role: str


USER_REGISTERED = EventType(DOMAIN, "user_registered", "UserRegistered", UserRegistered)
