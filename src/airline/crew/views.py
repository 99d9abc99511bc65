"""Read models of the crew use cases: a flight's crew with its readiness, a member with absences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from airline.crew.domain import RoleStatus


@dataclass
class FlightCrewView:
    flight: Any
    readiness: str
    roles: list[RoleStatus]
    assignments: list[Any]

    @property
    def short_roles(self) -> list[str]:
        return [s.role.value for s in self.roles if s.short]


@dataclass
class MemberView:
    row: Any
    absences: list[Any]
