"""`airline simulate`: the seed's main flow, driven through the public REST API as its actors
would drive it, with a consistency check at every hand-over.

    ops creates today's round trip -> passengers search and book (all 8 steps) and pay -> each
    gets the SMS with a check-in code -> the agent verifies them and checks their bags -> bags
    are tracked -> the waiting hall shows the flight and the calls -> boarding -> departed ->
    arrived -> bags on the belt and claimed.

On the simulation clock (simulate/clock.py: the requests of a step carry the instant they play,
platform/simclock.py) one passenger checks in a bag and does not board: at gate close the door
closes, they are offloaded, their bag is flagged, "departed" is refused until it is unloaded, and
the final manifest and the APIS export list exactly who flew. The flight's crew is read before
departure: a held duty that breaks a rule is a problem; a flight nobody can crew is reported
(`crew_note`).

`--scene week` (week.py) plays the seed's whole week at a base of its own: one roster run, then
every flight's day of departure at its time on the simulation clock.

Nothing here reads a database or calls gRPC: what the simulation sees is what a browser or a
desk would see. It exits non-zero when something does not add up (a lost bag scan, a seat
given twice, a boarded passenger without a pass, an SMS missing or doubled...).

`--scene disruption` (disruption.py, told.py) plays the airline changing the plan on flights of
its own: a delay, a gate change and a cancellation with re-accommodation, a refund and
compensation, each checked the same way (`Summary.disruption`).
"""

from __future__ import annotations

from airline.simulate.door import GateClock
from airline.simulate.flow import Simulation, main, simulate
from airline.simulate.model import Actors, Api, Inconsistent, Refused, Summary, Traveller, login
from airline.simulate.week import WeekSummary, simulate_week

__all__ = [
    "Actors",
    "GateClock",
    "Api",
    "Inconsistent",
    "Refused",
    "Simulation",
    "Summary",
    "Traveller",
    "WeekSummary",
    "login",
    "main",
    "simulate",
    "simulate_week",
]
