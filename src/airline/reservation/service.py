"""Reservation use cases: seat maps, holds (Redis), assignments (PostgreSQL).

Who decides what:
- Redis decides who holds a seat right now (Lua scripts, all seats of a hold or none);
- PostgreSQL decides who has a seat: its constraints refuse a second assignment of a seat even
  if Redis lost every hold. Holds and assignments are both checked against it.
- A confirmation after the hold's time ran out still succeeds when nobody took the seats in the
  meantime (the hold's record survives its expiry by `confirm_grace_seconds`): the payment was
  captured, and PostgreSQL is the final guard anyway. A seat someone else holds by then is a
  Conflict.

One module per role: the collaborators, the flight copy and the shared helpers
(`service_base.py`); seat maps (`seat_maps.py`); holds (`seat_holds.py`, over the Redis store
in `holds.py`); overbooking places held and sold like seats (`airport_places.py`); assignments (`assignments.py`); aircraft swaps (`plane_changes.py`); the event handlers (`consumers.py`). Here the
service that gathers them.
"""

from __future__ import annotations

from airline.reservation.airport_places import AirportPlaces
from airline.reservation.assignments import SeatAssignments
from airline.reservation.consumers import ReservationConsumers

# FlightFacts and FlightSource are imported from here too (the port lives in flight_source.py)
from airline.reservation.flight_source import FlightFacts, FlightInfo, FlightSource, flight_id_of  # noqa: F401
from airline.reservation.plane_changes import PlaneChanges
from airline.reservation.seat_maps import SeatMap, SeatMaps, SeatView  # noqa: F401  (re-exported)


class ReservationService(SeatMaps, AirportPlaces, SeatAssignments, PlaneChanges, ReservationConsumers):
    """Every reservation use case, as the gRPC API, the consumers and the composition root know them."""
