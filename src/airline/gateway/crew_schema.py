"""The crew service as the gateway reaches it and the schemas more than one crew route module
answers (routes/crew.py: members, assignments, each flight's crew; routes/crew_roster.py: the
roster run and the member's pairings): one schema name each in the OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from airline.crew.v1 import crew_pb2 as pb
from airline.crew.v1 import crew_pb2_grpc as pb_grpc
from airline.gateway import deps
from airline.gateway.convert import timestamp_out
from airline.gateway.params import AIRPORT_CODE, DateTimeIn, IdPath
from airline.platform.protobuf import fields_of_message


def _crew(request: Request) -> pb_grpc.CrewServiceStub:
    return pb_grpc.CrewServiceStub(deps.channel(request, "crew"))


Crew_ = Annotated[pb_grpc.CrewServiceStub, Depends(_crew)]

Id = IdPath
CrewRoleName = Literal["captain", "first_officer", "purser", "flight_attendant"]
AbsenceKind = Literal["leave", "sickness", "training"]
Text = Annotated[str, Field(max_length=500)]


class Absence(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: AbsenceKind
    starts_at: DateTimeIn
    ends_at: DateTimeIn
    note: Annotated[str, Field(max_length=200)] = ""

    @model_validator(mode="after")
    def _window(self) -> Absence:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class Member(BaseModel):
    id: str
    user_id: str | None = Field(description="the identity account of the member, if linked")
    name: str
    role: CrewRoleName
    qualifications: list[str] = Field(examples=[["A320-200", "A321neo"]])
    home_base: str = Field(examples=["XSP"])
    email: str
    phone: str
    active: bool
    absences: list[Absence]

    @classmethod
    def of(cls, m: pb.Member) -> Member:
        return cls(
            id=m.id,
            user_id=m.user_id or None,
            name=m.name,
            role=m.role,
            qualifications=list(m.qualifications),  # type: ignore[arg-type]
            home_base=m.home_base,
            email=m.email,
            phone=m.phone,
            active=m.active,
            absences=[
                Absence(
                    kind=a.kind,
                    starts_at=timestamp_out(a, "starts_at"),
                    ends_at=timestamp_out(a, "ends_at"),  # type: ignore[arg-type]
                    note=a.note,
                )
                for a in m.absences
            ],
        )


class MemberIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Alex Tan",
                    "role": "captain",
                    "qualifications": ["A320-200"],
                    "home_base": "XSP",
                    "email": "alex.tan@airline.local",
                    "phone": "+6591234567",
                }
            ]
        },
    )
    name: Annotated[str, Field(min_length=1, max_length=120)]
    role: CrewRoleName
    qualifications: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=40)]], Field(min_length=1, max_length=20)
    ]
    home_base: Annotated[str, Field(pattern=AIRPORT_CODE)]
    email: Annotated[str, Field(max_length=200)] = ""
    phone: Annotated[str, Field(max_length=40)] = ""
    user_id: Annotated[str, Field(max_length=100, description="link to an identity account (role crew)")] = ""


class Members(BaseModel):
    members: list[Member]


class AvailabilityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    absences: Annotated[list[Absence], Field(max_length=200, description="replaces every window of the member")]


class Violation(BaseModel):
    rule: str = Field(examples=["min_rest"])
    message: str


class Assignment(BaseModel):
    id: str
    flight_id: str
    flight_number: str
    member_id: str
    member_name: str
    role: CrewRoleName
    state: Literal["proposed", "accepted", "declined", "removed", "cancelled"]
    origin: str
    destination: str
    report_at: datetime | None
    departure: datetime | None
    arrival: datetime | None
    release_at: datetime | None
    source: Literal["auto", "manual"]
    override_reason: str
    violations: list[Violation]
    answer_reason: str
    needs_attention: bool
    answered_at: datetime | None

    @classmethod
    def of(cls, a: pb.Assignment) -> Assignment:
        return cls(**fields_of_message(a), violations=[Violation(rule=v.rule, message=v.message) for v in a.violations])
