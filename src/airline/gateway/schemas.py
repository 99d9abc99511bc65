"""The request and response models several route modules (and the live feed) share: a flight,
its announcements and the body that creates one, and the payment methods a booking, a bag fee
or a payment takes.

A model used by one route module only stays in that module.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    computed_field,
    field_validator,
    model_validator,
)

from airline.common.v1 import payment_method_pb2 as mpb
from airline.flights.v1 import flights_pb2 as pb
from airline.gateway.convert import timestamp_in, timestamp_out
from airline.gateway.params import AirportCode, Duration, FlightNumber, GateCode, PlaneId, upper
from airline.platform.flight_status import PROGRESS, SELLING, VISIBLE, FlightStatus
from airline.platform.protobuf import fields_of_message

# --- flight status: the words come from platform/flight_status.py -------------------------


def _in_lifecycle_order(statuses: frozenset[FlightStatus]) -> tuple[str, ...]:
    return tuple(s.value for s in FlightStatus if s in statuses)


VISIBLE_STATUSES: tuple[str, ...] = _in_lifecycle_order(VISIBLE)
"""Every status a client can see, in lifecycle order (`pending` never leaves the flights service)."""
SELLING_STATUSES: tuple[str, ...] = _in_lifecycle_order(SELLING)
# The steps ops report by hand (POST /flights/{id}/status): the progress of a flight; delays,
# cancellations and diversions have routes of their own with their reasons, and the flights
# service checks each transition.
REPORTED_STEPS: tuple[str, ...] = _in_lifecycle_order(PROGRESS)
ReportedStep = Literal[REPORTED_STEPS]  # type: ignore[valid-type]


def words(values: tuple[str, ...], last: str = "or") -> str:
    """("a", "b", "c") -> "a, b or c" (for descriptions)."""
    return values[0] if len(values) == 1 else f"{', '.join(values[:-1])} {last} {values[-1]}"


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _local(value: datetime | None, zone_name: str | None) -> datetime | None:
    zone = _zone(zone_name)
    if value is None or zone is None:
        return None
    return value.astimezone(zone)


# --- a flight and its announcements ----------------------------------------------------------


class CabinSeats(BaseModel):
    cabin_class: str = Field(examples=["normal"])
    capacity: int = Field(description="seats in the cabin", examples=[150])
    sold: int = Field(description="seats of confirmed bookings", examples=[42])
    overbooking_percent: int = Field(default=0, description="ops' policy: sell up to capacity + this %", examples=[0])
    seats_left: int = Field(
        default=0, description="capacity * (100 + overbooking_percent) / 100 - sold, at least 0", examples=[108]
    )

    @computed_field(description="the same as seats_left", examples=[108])  # type: ignore[prop-decorator]
    @property
    def available(self) -> int:
        return self.seats_left


class Flight(BaseModel):
    """One flight. UTC times end in `Z`; each `*_local` field is the same instant in the
    origin's (departure, boarding) or destination's (arrival) time zone."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(examples=["0b6f8a52-3c1d-4e7a-9f10-2d4c6b8e0a13"])
    number: str = Field(examples=["XA101"])
    origin: str = Field(examples=["XSP"])
    destination: str = Field(examples=["BKK"])
    origin_time_zone: str = Field(examples=["Asia/Singapore"])
    destination_time_zone: str = Field(examples=["Asia/Bangkok"])
    plane_id: str = Field(examples=["P1"])
    gate: str | None = Field(default=None, examples=["X1"])
    status: str = Field(examples=["scheduled"], description=" | ".join(VISIBLE_STATUSES))
    scheduled_departure: datetime | None = Field(default=None, examples=["2026-12-01T00:00:00Z"])
    scheduled_arrival: datetime | None = Field(default=None, examples=["2026-12-01T02:25:00Z"])
    estimated_departure: datetime | None = Field(default=None, examples=["2026-12-01T00:00:00Z"])
    estimated_arrival: datetime | None = Field(default=None, examples=["2026-12-01T02:25:00Z"])
    actual_departure: datetime | None = Field(default=None, examples=[None])
    actual_arrival: datetime | None = Field(default=None, examples=[None])
    boarding_starts: datetime | None = Field(default=None, examples=["2026-11-30T23:20:00Z"])
    seats: list[CabinSeats] = Field(default_factory=list)
    diverted_to: str | None = Field(default=None, examples=[None])
    delay_code: str | None = Field(default=None, examples=[None])
    status_reason: str | None = Field(default=None, examples=[None])
    round_trip_id: str | None = Field(default=None, examples=[None])
    schedule_id: str | None = Field(default=None, examples=[None])
    version: int = Field(default=0, description="increases with every change", examples=[1])
    created_at: datetime | None = Field(default=None, examples=["2026-10-01T09:30:00Z"])
    cancelled_at: datetime | None = Field(
        default=None, description="when ops cancelled it (the notice passengers had)", examples=[None]
    )

    @field_validator(
        "gate", "diverted_to", "delay_code", "status_reason", "round_trip_id", "schedule_id", mode="before"
    )
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return value or None

    @field_validator(
        "scheduled_departure",
        "scheduled_arrival",
        "estimated_departure",
        "estimated_arrival",
        "actual_departure",
        "actual_arrival",
        "boarding_starts",
        "created_at",
        "cancelled_at",
        mode="before",
    )
    @classmethod
    def _empty_time_is_none(cls, value: Any) -> Any:
        return value or None

    @field_validator(
        "scheduled_departure",
        "scheduled_arrival",
        "estimated_departure",
        "estimated_arrival",
        "actual_departure",
        "actual_arrival",
        "boarding_starts",
        "created_at",
        "cancelled_at",
    )
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # the contract says UTC; a naive value is UTC
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    @computed_field(examples=["2026-12-01T08:00:00+08:00"])  # type: ignore[prop-decorator]
    @property
    def scheduled_departure_local(self) -> datetime | None:
        return _local(self.scheduled_departure, self.origin_time_zone)

    @computed_field(examples=["2026-12-01T09:25:00+07:00"])  # type: ignore[prop-decorator]
    @property
    def scheduled_arrival_local(self) -> datetime | None:
        return _local(self.scheduled_arrival, self.destination_time_zone)

    @computed_field(examples=["2026-12-01T08:00:00+08:00"])  # type: ignore[prop-decorator]
    @property
    def estimated_departure_local(self) -> datetime | None:
        return _local(self.estimated_departure, self.origin_time_zone)

    @computed_field(examples=["2026-12-01T09:25:00+07:00"])  # type: ignore[prop-decorator]
    @property
    def estimated_arrival_local(self) -> datetime | None:
        return _local(self.estimated_arrival, self.destination_time_zone)

    @computed_field(examples=[None])  # type: ignore[prop-decorator]
    @property
    def actual_departure_local(self) -> datetime | None:
        return _local(self.actual_departure, self.origin_time_zone)

    @computed_field(examples=[None])  # type: ignore[prop-decorator]
    @property
    def actual_arrival_local(self) -> datetime | None:
        return _local(self.actual_arrival, self.destination_time_zone)

    @computed_field(examples=["2026-12-01T07:20:00+08:00"])  # type: ignore[prop-decorator]
    @property
    def boarding_starts_local(self) -> datetime | None:
        return _local(self.boarding_starts, self.origin_time_zone)

    @classmethod
    def of(cls, f: pb.Flight) -> Flight:
        return cls(
            **fields_of_message(f),
            seats=[
                CabinSeats(
                    cabin_class=s.cabin_class,
                    capacity=s.capacity,
                    sold=s.sold,
                    overbooking_percent=s.overbooking_percent,
                    seats_left=s.seats_left,
                )
                for s in f.seats
            ],
        )


class Announcement(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str = Field(examples=["5c0e2d8a-1b3f-4a6c-8d9e-0f1a2b3c4d5e"])
    flight_id: str = Field(examples=["0b6f8a52-3c1d-4e7a-9f10-2d4c6b8e0a13"])
    flight_number: str = Field(examples=["XA101"])
    airport: str = Field(description="where it is announced (the departure airport)", examples=["XSP"])
    kind: str = Field(
        description="delay | cancellation | diversion | gate_change | boarding | go_to_gate | final_call | free_text",
        examples=["delay"],
    )
    message: str = Field(examples=["Flight XA101 to BKK is delayed to 09:30 (late inbound aircraft)."])
    created_at: datetime | None = Field(default=None, examples=["2026-12-01T00:05:00Z"])

    @field_validator("created_at", mode="before")
    @classmethod
    def _empty_time_is_none(cls, value: Any) -> Any:
        return value or None

    @field_validator("created_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    @classmethod
    def of(cls, a: pb.Announcement) -> Announcement:
        return cls(
            id=a.id,
            flight_id=a.flight_id,
            flight_number=a.flight_number,
            airport=a.airport,
            kind=a.kind,
            message=a.message,
            created_at=timestamp_out(a, "created_at"),
        )


# One example flight for the OpenAPI examples of every body that creates flights.
FLIGHT_EXAMPLE: dict[str, Any] = {
    "number": "XA101",
    "origin": "XSP",
    "destination": "BKK",
    "departure": "2026-12-01T08:00:00+08:00",
    "duration_minutes": 145,
    "plane_id": "P1",
    "gate": "X1",
}


class FlightIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [FLIGHT_EXAMPLE]})
    number: FlightNumber
    origin: AirportCode
    destination: AirportCode
    departure: AwareDatetime = Field(
        description="scheduled departure, with a time zone", examples=["2026-12-01T08:00:00+08:00"]
    )
    duration_minutes: Duration
    plane_id: PlaneId
    gate: GateCode = Field(description="a gate at the origin")

    _up = field_validator("number", "origin", "destination", "gate")(upper)

    @model_validator(mode="after")
    def _two_airports(self) -> FlightIn:
        if self.origin == self.destination:
            raise ValueError("origin and destination must differ")
        return self

    def to_pb(self) -> pb.CreateFlightRequest:
        return pb.CreateFlightRequest(
            number=self.number,
            origin=self.origin,
            destination=self.destination,
            departure=timestamp_in(self.departure),
            duration_minutes=self.duration_minutes,
            plane_id=self.plane_id,
            gate=self.gate,
        )


# --- payment methods ------------------------------------------------------------------------


class CardIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["card"]
    number: SecretStr = Field(
        description="card number (spaces allowed); never stored or logged", examples=["4242 4242 4242 4242"]
    )
    exp_month: int = Field(ge=1, le=12, examples=[12])
    exp_year: int = Field(ge=0, le=2200, examples=[2030])
    cvc: SecretStr = Field(description="3 digits (4 for Amex); never stored or logged", examples=["123"])
    holder: str = Field(default="", max_length=100, examples=["Ada Lovelace"])

    def card_fields(self) -> dict[str, Any]:
        """The fields of every service's Card message (the secrets revealed only here)."""
        return {
            "number": self.number.get_secret_value(),
            "exp_month": self.exp_month,
            "exp_year": self.exp_year,
            "cvc": self.cvc.get_secret_value(),
            "holder": self.holder,
        }


class EWalletIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["e_wallet"]
    provider: Literal["paypal", "apple_pay", "google_pay"] = Field(examples=["paypal"])
    account: str = Field(min_length=3, max_length=254, examples=["ada@example.com"])


class VoucherPartIn(BaseModel):
    """An airline voucher paying part of a payment (the card or e-wallet beside it pays the
    rest), or all of it. Its remainder stays on the voucher."""

    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=64, examples=["VABCD-EFGH-JKLM"])
    amount: int | None = Field(
        default=None,
        gt=0,
        le=10**11,
        description="minor units to take from the voucher; left out: as much as it covers",
        examples=[5000],
    )

    def part(self) -> mpb.VoucherPart:
        return mpb.VoucherPart(code=self.code, amount=self.amount)


class ChallengeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(
        min_length=1, max_length=32, description="the 3-D Secure code (sandbox: 123456)", examples=["123456"]
    )
