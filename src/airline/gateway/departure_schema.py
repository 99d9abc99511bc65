"""The gate's schemas of departure control (routes/departure.py): a passenger as the gate sees
them, the gate lists per cabin (volunteers, denied-boarding candidates, standby, the upgrade
list) and what clearing standby or the upgrade list answers."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from airline.checkin.v1 import checkin_pb2 as pb
from airline.gateway.convert import timestamp_out


class GatePassenger(BaseModel):
    """A passenger as the gate sees them (status: booked, checked_in, boarded, offloaded)."""

    passenger_id: str
    booking_id: str
    pnr: str
    name: str
    passenger_type: str
    status: str
    seat: str
    cabin_class: str = Field(description="the cabin this flight's leg flies in (after an upgrade: the new one)")
    checked_in_at: datetime | None
    upgrade_requested_at: datetime | None = Field(description="on the upgrade list since (null: not listed)")
    upgraded_from_seat: str = Field(description="upgraded at the gate: the seat the passenger left")
    fare_per_seat: int = Field(
        description="what the booking paid per seat and flight, minor units of fare_currency (the upgrade priority)"
    )
    fare_currency: str

    @classmethod
    def of(cls, x: pb.FlightPassenger) -> GatePassenger:
        return cls(
            passenger_id=x.passenger_id,
            booking_id=x.booking_id,
            pnr=x.pnr,
            name=f"{x.first_name} {x.last_name}",
            passenger_type=x.passenger_type,
            status=x.status,
            seat=x.seat,
            cabin_class=x.cabin_class,
            checked_in_at=timestamp_out(x, "checked_in_at"),
            upgrade_requested_at=timestamp_out(x, "upgrade_requested_at"),
            upgraded_from_seat=x.upgraded_from_seat,
            fare_per_seat=x.fare_per_seat,
            fare_currency=x.fare_currency,
        )


class DoorClosedOut(BaseModel):
    flight_id: str
    closed_at: datetime | None
    closed_by: str
    already_closed: bool
    offloaded: list[GatePassenger]


class CabinList(BaseModel):
    cabin_class: str
    seats: int
    passengers: int
    over: int
    volunteers: list[GatePassenger]
    denied_boarding_candidates: list[GatePassenger]
    standby: list[GatePassenger]
    upgrades: list[GatePassenger] = Field(
        description="passengers of the cabin below listed to move up into this one, in priority order"
    )


class GateListsOut(BaseModel):
    flight_id: str
    priority: str
    cabins: list[CabinList]


def gate_lists_out(r: pb.GateLists) -> GateListsOut:
    return GateListsOut(
        flight_id=r.flight_id,
        priority=r.priority,
        cabins=[
            CabinList(
                cabin_class=c.cabin_class,
                seats=c.seats,
                passengers=c.passengers,
                over=c.over,
                volunteers=[GatePassenger.of(x) for x in c.volunteers],
                denied_boarding_candidates=[GatePassenger.of(x) for x in c.denied_boarding_candidates],
                standby=[GatePassenger.of(x) for x in c.standby],
                upgrades=[GatePassenger.of(x) for x in c.upgrades],
            )
            for c in r.cabins
        ],
    )


class StandbyClearedOut(BaseModel):
    flight_id: str
    released_seats: list[str]
    cleared: list[GatePassenger]
    still_standby: list[GatePassenger]


class UpgradesClearedOut(BaseModel):
    flight_id: str
    released_seats: list[str] = Field(description="seats of passengers who never checked in, freed first")
    upgraded: list[GatePassenger] = Field(
        description="who went up: `seat` and `cabin_class` are the new ones, `upgraded_from_seat` the old"
    )
    still_listed: list[GatePassenger] = Field(description="no seat left for them, in priority order")
    priority: str

    @classmethod
    def of(cls, r: pb.UpgradesCleared) -> UpgradesClearedOut:
        return cls(
            flight_id=r.flight_id,
            released_seats=list(r.released_seats),
            upgraded=[GatePassenger.of(x) for x in r.upgraded],
            still_listed=[GatePassenger.of(x) for x in r.still_listed],
            priority=r.priority,
        )


class VolunteerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    volunteer: bool = True
