"""The fleet's models: a plane and its seat layout, as routes/planes.py takes and shows them
(routes/airports.py keeps the input models importable for older callers)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from airline.airport.v1 import airport_pb2 as pb
from airline.gateway.convert import timestamp_out
from airline.gateway.params import PlaneId, airport_code, upper

AirportCode = Annotated[str, airport_code("SIN")]
PlaneStatus = Literal["active", "maintenance", "retired"]
CabinClass = Literal["vip", "normal"]
MAX_ROW = 200


class Cabin(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cabin_class: CabinClass = Field(examples=["vip"])
    first_row: int = Field(ge=1, le=MAX_ROW, examples=[1])
    last_row: int = Field(ge=1, le=MAX_ROW, examples=[2])
    seat_letters: str = Field(
        pattern=r"^[A-Z]+( [A-Z]+)*$",
        max_length=20,
        description="seat letters left to right, a space for each aisle",
        examples=["AC DF"],
    )

    @model_validator(mode="after")
    def _rows_and_letters(self) -> Cabin:
        if self.first_row > self.last_row:
            raise ValueError("first_row must not be after last_row")
        letters = self.seat_letters.replace(" ", "")
        if len(set(letters)) != len(letters):
            raise ValueError(f"seat_letters {self.seat_letters!r} name a seat twice")
        return self


class SeatLayout(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "cabins": [
                        {"cabin_class": "vip", "first_row": 1, "last_row": 2, "seat_letters": "AC DF"},
                        {"cabin_class": "normal", "first_row": 10, "last_row": 34, "seat_letters": "ABC DEF"},
                    ],
                    "exit_rows": [12, 13],
                    "blocked_seats": ["27A"],
                }
            ]
        },
    )
    cabins: list[Cabin] = Field(min_length=1, max_length=10)
    exit_rows: list[Annotated[int, Field(ge=1, le=MAX_ROW)]] = Field(default_factory=list, max_length=MAX_ROW)
    blocked_seats: list[Annotated[str, Field(pattern=r"^[1-9][0-9]{0,2}[A-Z]$")]] = Field(
        default_factory=list, max_length=2000, examples=[["27A"]]
    )

    @model_validator(mode="after")
    def _no_seat_twice(self) -> SeatLayout:
        # Two cabins sharing a row would put the same seat (say 3A) on the plane twice.
        ordered = sorted(self.cabins, key=lambda c: c.first_row)
        for before, after in zip(ordered, ordered[1:]):
            if after.first_row <= before.last_row:
                raise ValueError(
                    f"cabins overlap at rows {after.first_row}-{min(before.last_row, after.last_row)}: "
                    "a seat would exist twice"
                )
        if len(set(self.blocked_seats)) != len(self.blocked_seats):
            raise ValueError("blocked_seats lists a seat twice")
        return self

    def to_pb(self) -> pb.SeatLayout:
        return pb.SeatLayout(
            cabins=[pb.Cabin(**c.model_dump()) for c in self.cabins],
            exit_rows=self.exit_rows,
            blocked_seats=self.blocked_seats,
        )


class CabinOut(BaseModel):
    cabin_class: str = Field(examples=["vip"])
    first_row: int = Field(examples=[1])
    last_row: int = Field(examples=[2])
    seat_letters: str = Field(examples=["AC DF"])


class SeatLayoutOut(BaseModel):
    """A plane's layout as the airport service stores it (input rules are not re-checked on output)."""

    cabins: list[CabinOut]
    exit_rows: list[int] = Field(examples=[[12, 13]])
    blocked_seats: list[str] = Field(examples=[["27A"]])

    @classmethod
    def of(cls, layout: pb.SeatLayout) -> SeatLayoutOut:
        return cls(
            cabins=[
                CabinOut(
                    cabin_class=c.cabin_class, first_row=c.first_row, last_row=c.last_row, seat_letters=c.seat_letters
                )
                for c in layout.cabins
            ],
            exit_rows=list(layout.exit_rows),
            blocked_seats=list(layout.blocked_seats),
        )


class PlaneIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id": "P1",
                    "registration": "9V-XAA",
                    "aircraft_type": "A320-200",
                    "status": "active",
                    "home_airport": "SIN",
                    "layout": {
                        "cabins": [
                            {"cabin_class": "vip", "first_row": 1, "last_row": 2, "seat_letters": "AC DF"},
                            {"cabin_class": "normal", "first_row": 10, "last_row": 34, "seat_letters": "ABC DEF"},
                        ],
                        "exit_rows": [12, 13],
                        "blocked_seats": ["27A"],
                    },
                }
            ]
        },
    )
    id: PlaneId
    registration: Annotated[str, Field(min_length=1, max_length=16, examples=["9V-XAA"])]
    aircraft_type: Annotated[str, Field(min_length=1, max_length=40, examples=["A320-200"])]
    status: PlaneStatus = "active"
    home_airport: AirportCode
    layout: SeatLayout

    _up = field_validator("home_airport")(upper)


class PlanePatch(BaseModel):
    """Only the fields given are changed; a given layout replaces the whole layout."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"status": "maintenance"}]})
    registration: Annotated[str | None, Field(min_length=1, max_length=16)] = None
    aircraft_type: Annotated[str | None, Field(min_length=1, max_length=40)] = None
    status: PlaneStatus | None = None
    home_airport: AirportCode | None = None
    layout: SeatLayout | None = None

    _up = field_validator("home_airport")(upper)


class Plane(BaseModel):
    id: str = Field(examples=["P1"])
    registration: str = Field(examples=["9V-XAA"])
    aircraft_type: str = Field(examples=["A320-200"])
    status: str = Field(examples=["active"])
    home_airport: str = Field(examples=["SIN"])
    layout: SeatLayoutOut
    capacity: dict[str, int] = Field(
        description="sellable seats per cabin class (blocked seats excluded)", examples=[{"vip": 8, "normal": 150}]
    )
    created_at: datetime | None = Field(default=None, examples=["2025-01-31T08:00:00Z"])

    @classmethod
    def of(cls, p: pb.Plane) -> Plane:
        return cls(
            id=p.id,
            registration=p.registration,
            aircraft_type=p.aircraft_type,
            status=p.status,
            home_airport=p.home_airport,
            layout=SeatLayoutOut.of(p.layout),
            capacity={c.cabin_class: c.seats for c in p.capacity},
            created_at=timestamp_out(p, "created_at"),
        )


class Planes(BaseModel):
    planes: list[Plane]
