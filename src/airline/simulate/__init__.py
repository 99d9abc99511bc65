"""`airline simulate`: the seed's main flow, driven through the public REST API as its actors
would drive it, with a consistency check at every hand-over.

    ops creates today's round trip -> passengers search and book (all 8 steps) and pay -> each
    gets the SMS with a check-in code -> the agent verifies them and checks their bags -> bags
    are tracked -> the waiting hall shows the flight and the calls -> boarding -> departed ->
    arrived -> bags on the belt and claimed.

Nothing here reads a database or calls gRPC: what the simulation sees is what a browser or a
desk would see. It exits non-zero when something does not add up (a lost bag scan, a seat
given twice, a boarded passenger without a pass, an SMS missing or doubled...).

`--scene disruption` (disruption.py, told.py) plays the airline changing the plan on flights of
its own: a delay, a gate change and a cancellation with re-accommodation, a refund and
compensation, each checked the same way (`Summary.disruption`).
"""

from __future__ import annotations

from airline.simulate.flow import Simulation, main, simulate
from airline.simulate.model import Actors, Api, Inconsistent, Refused, Summary, Traveller, login

__all__ = [
    "Actors",
    "Api",
    "Inconsistent",
    "Refused",
    "Simulation",
    "Summary",
    "Traveller",
    "login",
    "main",
    "simulate",
]
