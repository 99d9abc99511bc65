"""Crew rosters and pairings: ops generate a roster for a date range with the solver; a crew
member sees their pairings (duty periods from home base back to it)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, model_validator

from airline.crew.v1 import crew_pb2 as pb
from airline.gateway.convert import timestamp_in, timestamp_out
from airline.gateway.crew_schema import Assignment, Crew_, CrewRoleName, Member
from airline.gateway.params import AIRPORT_CODE, CrewOnly, DateTimeIn, OpsOnly
from airline.gateway.problems import error_responses

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py

# a roster run solves one MIP per role, each bounded by the crew service's
# solver_time_limit_seconds (15 s): the call may take a minute, not the usual few seconds
ROSTER_TIMEOUT = 120.0


class RosterIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        json_schema_extra={"examples": [{"from": "2030-01-07T00:00:00Z", "to": "2030-01-14T00:00:00Z"}]},
    )
    from_: DateTimeIn = Field(alias="from", description="first departure to crew (inclusive)")
    to: DateTimeIn = Field(description="departures before this; at most 31 days after `from`")
    dry_run: bool = Field(default=False, description="solve and answer, write nothing")
    base: Annotated[str, Field(pattern=AIRPORT_CODE, description="only flights from or to this airport")] | None = None

    @model_validator(mode="after")
    def _range(self) -> RosterIn:
        if self.to <= self.from_:
            raise ValueError("`to` must be after `from`")
        return self


class RosterPick(BaseModel):
    member_id: str
    member_name: str
    role: CrewRoleName


class UncoveredRole(BaseModel):
    role: CrewRoleName
    missing: int
    reason: str = Field(examples=["no legal captain: all 2 captains qualified on A320-200 are on duty, resting, ..."])


class RosterFlight(BaseModel):
    flight_id: str
    flight_number: str
    origin: str
    destination: str
    departure: datetime | None
    readiness: Literal["complete", "pending", "short", "kept"]
    kept: int = Field(description="members already on the flight, left as they were")
    picked: list[RosterPick]
    uncovered: list[UncoveredRole]


class RosterRun(BaseModel):
    dry_run: bool
    proposed: int = Field(description="assignments proposed (written unless dry_run)")
    flights_short: int
    solver_seconds: float
    solver_status: str
    flights: list[RosterFlight]


class DutyPeriod(BaseModel):
    report_at: datetime | None
    release_at: datetime | None
    fdp_hours: float
    fdp_limit_hours: float
    sectors: list[Assignment]


class Pairing(BaseModel):
    report_at: datetime | None
    release_at: datetime | None
    nights_away: int
    returns_home: bool
    duty_periods: list[DutyPeriod]


class MyPairings(BaseModel):
    member: Member
    pairings: list[Pairing]


@router.post(
    "/crew/roster",
    response_model=RosterRun,
    tags=["crew"],
    summary="Generate the roster for a date range with the solver (ops): held duties are kept",
    responses=error_responses(401, 403, 422),
)
async def generate_roster(body: RosterIn, crew: Crew_, _: OpsOnly) -> RosterRun:
    request = pb.GenerateRosterRequest(dry_run=body.dry_run, base=(body.base or "").upper())
    getattr(request, "from").CopyFrom(timestamp_in(body.from_))
    request.to.CopyFrom(timestamp_in(body.to))
    reply = await crew.GenerateRoster(request, timeout=ROSTER_TIMEOUT)
    return RosterRun(
        dry_run=reply.dry_run,
        proposed=reply.proposed,
        flights_short=reply.flights_short,
        solver_seconds=round(reply.solver_seconds, 3),
        solver_status=reply.solver_status,
        flights=[
            RosterFlight(
                flight_id=f.flight_id,
                flight_number=f.flight_number,
                origin=f.origin,
                destination=f.destination,
                departure=timestamp_out(f, "departure"),
                readiness=f.readiness,
                kept=f.kept,
                picked=[RosterPick(member_id=p.member_id, member_name=p.member_name, role=p.role) for p in f.picked],
                uncovered=[UncoveredRole(role=u.role, missing=u.missing, reason=u.reason) for u in f.uncovered],
            )
            for f in reply.flights
        ],
    )


@router.get(
    "/crew/me/pairings",
    response_model=MyPairings,
    tags=["crew"],
    summary="My pairings: duty periods and their sectors, from home base back to it (crew)",
    responses=error_responses(401, 403, 404),
)
async def my_pairings(
    crew: Crew_, _: CrewOnly, include_past: Annotated[bool, Query(description="also pairings that ended")] = False
) -> MyPairings:
    reply = await crew.MyPairings(pb.MyPairingsRequest(include_past=include_past))
    return MyPairings(
        member=Member.of(reply.member),
        pairings=[
            Pairing(
                report_at=timestamp_out(p, "report_at"),
                release_at=timestamp_out(p, "release_at"),
                nights_away=p.nights_away,
                returns_home=p.returns_home,
                duty_periods=[
                    DutyPeriod(
                        report_at=timestamp_out(d, "report_at"),
                        release_at=timestamp_out(d, "release_at"),
                        fdp_hours=d.fdp_hours,
                        fdp_limit_hours=d.fdp_limit_hours,
                        sectors=[Assignment.of(a) for a in d.sectors],
                    )
                    for d in p.duty_periods
                ],
            )
            for p in reply.pairings
        ],
    )
