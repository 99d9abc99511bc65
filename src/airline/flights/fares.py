"""Fares, search and offers.

An offer id is a signed token (HS256, its own audience) carrying the flights, passengers and
the exact price it was offered at: the booking service can trust the price it reads back from
it, and nobody can alter it without breaking the signature.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from airline.contracts.events import flights as flight_events
from airline.flights import domain
from airline.flights.airport_client import AirportClient
from airline.flights.domain import Fare, FareRules, Flight, Offer, OfferLegView, PassengerType, SearchQuery, TripType
from airline.flights.domain.buckets import check_still_sells, ladder_state
from airline.flights.domain.search import PricedOffer
from airline.flights.fare_store import FareRepository
from airline.flights.pricing import PricedCombo, Pricing
from airline.flights.revenue import RevenueService
from airline.flights.revenue_store import RevenueRepository
from airline.flights.settings import FlightsSettings
from airline.flights.store import FlightRepository
from airline.platform.db import ServiceDatabase, utcnow
from airline.platform.errors import ValidationFailed

OFFER_AUDIENCE = "flights-offer"
OFFER_ALGORITHM = "HS256"
# the longest a draft's claim on a booking class's seats may last
MAX_CLAIM = timedelta(days=2)


def price_every(pricing: Pricing, combos: Sequence[Sequence[Flight]]) -> list[tuple[Sequence[Flight], PricedCombo]]:
    """Every combination that has a price, cheapest first (then by departures, then as given)."""
    priced = [(combo, p) for combo in combos if (p := pricing.price(combo)) is not None]
    priced.sort(key=lambda cp: (cp[1].price.price.total, *(f.estimated_departure for f in cp[0])))
    return priced


class OfferCodec:
    def __init__(self, secret: str, ttl_seconds: int) -> None:
        self._secret = secret
        self.ttl = timedelta(seconds=ttl_seconds)

    def encode(self, claims: dict[str, Any]) -> str:
        return jwt.encode({**claims, "aud": OFFER_AUDIENCE}, self._secret, algorithm=OFFER_ALGORITHM)

    def decode(self, token: str) -> dict[str, Any]:
        try:
            return jwt.decode(
                token.strip(),
                self._secret,
                algorithms=[OFFER_ALGORITHM],
                audience=OFFER_AUDIENCE,
                options={"require": ["exp", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise ValidationFailed("this offer has expired, search again", field="offer_id") from None
        except jwt.InvalidTokenError:
            raise ValidationFailed("not a valid offer", field="offer_id") from None

    def sold(self, token: str) -> dict[str, Any] | None:
        """The claims of an offer a booking was confirmed on: signed by us, expired or not (the
        booking service checked it while it was valid). None when the signature fails."""
        try:
            claims: dict[str, Any] = jwt.decode(
                token.strip(),
                self._secret,
                algorithms=[OFFER_ALGORITHM],
                audience=OFFER_AUDIENCE,
                options={"verify_exp": False},
            )
        except jwt.InvalidTokenError:
            return None
        return claims


@dataclass(frozen=True)
class FareSpec:
    origin: str
    destination: str
    cabin_class: str
    passenger_type: str
    trip_type: str
    amount: int
    currency: str


@dataclass(frozen=True)
class RulesSpec:
    origin: str
    destination: str
    cabin_class: str
    refundable: bool
    change_fee: int
    currency: str
    checked_bags: int
    bag_weight_kg: int
    no_show_refund: str = ""
    taxes: int = 0


class FareService:
    def __init__(
        self,
        db: ServiceDatabase,
        airport: AirportClient,
        settings: FlightsSettings,
        codec: OfferCodec,
        revenue: RevenueService | None = None,
    ) -> None:
        self.db = db
        self.airport = airport
        self.settings = settings
        self.codec = codec
        self.revenue = revenue or RevenueService(db)

    # ------------------------------------------------------------ fares

    async def set_fares(
        self, fare_specs: Sequence[FareSpec], rule_specs: Sequence[RulesSpec]
    ) -> tuple[list[Fare], list[FareRules]]:
        new_fares = [
            domain.new_fare(
                s.origin,
                s.destination,
                s.cabin_class,
                s.passenger_type,
                s.trip_type,
                s.amount,
                s.currency,
                where=f"fares[{i}]",
            )
            for i, s in enumerate(fare_specs)
        ]
        new_rules = [
            domain.new_rules(
                s.origin,
                s.destination,
                s.cabin_class,
                s.refundable,
                s.change_fee,
                s.currency,
                s.checked_bags,
                s.bag_weight_kg,
                where=f"rules[{i}]",
                no_show_refund=s.no_show_refund,
                taxes=s.taxes,
            )
            for i, s in enumerate(rule_specs)
        ]
        domain.check_fare_batch(new_fares, new_rules)
        domain.check_taxes_within_fares(new_fares, new_rules)
        routes = sorted({(x.origin, x.destination) for x in [*new_fares, *new_rules]})
        codes = sorted({c for r in routes for c in r})
        await asyncio.gather(*(self.airport.airport(c) for c in codes))  # unknown -> ValidationFailed
        async with self.db.uow() as uow:
            repo = FareRepository(uow.conn)
            await repo.lock_routes(routes)
            await repo.upsert_fares(new_fares)
            await repo.upsert_rules(new_rules)
            # after the upsert, so that a route changing currency in one batch is fine
            domain.check_route_currencies(await repo.currencies(routes))
            # and against the fares and rules already there (the whole batch rolls back)
            for o, d, cabin, taxes, lowest in await repo.taxes_above_fares(routes):
                raise ValidationFailed(
                    f"the taxes of {o}-{d} {cabin} ({taxes}) would exceed its lowest fare ({lowest}): taxes are "
                    "part of the fare",
                    field="rules.taxes",
                )
            for origin, destination in routes:
                await uow.emit_event(
                    flight_events.FARES_CHANGED,
                    f"{origin}-{destination}",
                    {
                        "origin": origin,
                        "destination": destination,
                        "fares": [f.to_dict() for f in new_fares if (f.origin, f.destination) == (origin, destination)],
                        "rules": [r.to_dict() for r in new_rules if (r.origin, r.destination) == (origin, destination)],
                    },
                )
            await uow.commit()
        return new_fares, new_rules

    async def list_fares(self, origin: str, destination: str) -> tuple[list[Fare], list[FareRules]]:
        o = domain.airport_code(origin, "origin") if origin.strip() else None
        d = domain.airport_code(destination, "destination") if destination.strip() else None
        async with self.db.uow() as uow:
            return await FareRepository(uow.conn).list(o, d)

    # ------------------------------------------------------------ search

    async def search(self, q: SearchQuery) -> list[Offer]:
        now = utcnow()
        close = self.settings.sales_close_minutes
        closes_after = now + timedelta(minutes=close)
        seats = q.passengers.seated
        routes = [(q.origin, q.destination)]
        if q.trip_type is TripType.ROUND_TRIP:
            routes.append((q.destination, q.origin))
        async with self.db.uow() as uow:
            flights = FlightRepository(uow.conn)
            first, last = q.outbound_dates()
            outbound = await flights.sellable(q.origin, q.destination, first, last, q.cabin_class, seats, closes_after)
            returns: list[Flight] = []
            if q.trip_type is TripType.ROUND_TRIP and outbound:
                first, last = q.return_dates()
                returns = await flights.sellable(
                    q.destination, q.origin, first, last, q.cabin_class, seats, closes_after
                )
            # the query's filter, said once more by the one rule every service shares
            outbound = [f for f in outbound if f.why_not_sellable(now, close) is None]
            returns = [f for f in returns if f.why_not_sellable(now, close) is None]
            if not outbound or (q.trip_type is TripType.ROUND_TRIP and not returns):
                return []
            fare_list, rule_list = await FareRepository(uow.conn).list(routes=routes, cabin=q.cabin_class)
            ids = [f.id for f in [*outbound, *returns]]
            revenue = RevenueRepository(uow.conn)
            ladders = await revenue.ladders(ids, q.cabin_class)
            sold, claimed = await revenue.taken_by_bucket(ids, now)
            taxes = await revenue.taxes({q.origin, q.destination})
        fares: dict[tuple[str, str], dict[PassengerType, Fare]] = {}
        for f in fare_list:
            if f.trip_type is q.trip_type:
                fares.setdefault((f.origin, f.destination), {})[f.passenger_type] = f
        rules = {(r.origin, r.destination): r for r in rule_list}
        pricing = Pricing(q, fares, ladders, sold, taxes, now, claimed)

        # the cheapest first, priced in full only as many as are kept (pricing.py)
        priced: Sequence[tuple[Sequence[Flight], PricedCombo]] | None
        if q.trip_type is TripType.ROUND_TRIP:
            priced = pricing.cheapest_round_trips(outbound, returns, q.max_offers)
            if priced is None:
                priced = price_every(pricing, domain.combine_round_trips(outbound, returns))[: q.max_offers]
        else:
            priced = pricing.cheapest_one_way(outbound, q.max_offers)
            if priced is None:
                priced = price_every(pricing, [(f,) for f in outbound])[: q.max_offers]
        expires = (now + self.codec.ttl).replace(microsecond=0)
        return [self._offer(combo, p, q, rules, expires) for combo, p in priced]

    def _offer(
        self,
        combo: Sequence[Flight],
        p: PricedCombo,
        q: SearchQuery,
        rules: Mapping[tuple[str, str], FareRules],
        expires: datetime,
    ) -> Offer:
        money = p.price
        leg_rules = [
            rules.get((f.origin, f.destination))
            or domain.default_rules(f.origin, f.destination, q.cabin_class, money.price.currency)
            for f in combo
        ]
        claims = domain.offer_claims(
            combo,
            q.passengers,
            q.cabin_class,
            q.trip_type,
            money.price,
            leg_rules,
            expires,
            fare_lines=money.fare_lines,
            taxes=money.taxes,
            legs=p.legs,
        )
        return Offer(
            offer_id=self.codec.encode(claims),
            legs=tuple(
                OfferLegView(f, f.seats_left(q.cabin_class), r, leg.bucket)
                for f, r, leg in zip(combo, leg_rules, p.legs)
            ),
            cabin_class=q.cabin_class,
            trip_type=q.trip_type,
            passengers=q.passengers,
            price=money.price,
            expires_at=expires,
            fare_lines=money.fare_lines,
            taxes=money.taxes,
        )

    async def _check_buckets(
        self, repo: RevenueRepository, priced: PricedOffer, found: Mapping[str, Flight], now: datetime, booking_id: str
    ) -> list[tuple[str, str, str, int]]:
        """Each flight's booking class still sells the party's seats (the price of a sold-out
        class is not honoured: the offer says search again), counting the seats sold and those
        other bookings' live drafts claimed. Returns what this booking claims: (flight id,
        cabin, bucket, seats) of each flight whose cabin has buckets."""
        legs = [(found[leg.flight_id], leg.bucket) for leg in priced.legs if leg.bucket and leg.flight_id in found]
        if not legs:
            return []
        cls = priced.cabin_class
        ids = [f.id for f, _ in legs]
        ladders = await repo.ladders(ids, cls)
        sold, claimed = await repo.taken_by_bucket(ids, now, except_booking=booking_id)
        seats = priced.passengers.seated
        out: list[tuple[str, str, str, int]] = []
        for f, code in legs:
            cabin = f.cabin(cls)
            ladder = ladders.get((f.id, cls.value), [])
            if cabin is None or not ladder:
                continue
            states = ladder_state(
                ladder,
                sold.get((f.id, cls.value), {}),
                cabin.capacity,
                cabin.sold,
                cabin.left,
                f.estimated_departure,
                now,
                claimed.get((f.id, cls.value), {}),
            )
            check_still_sells(states, code, seats, f.number)
            if seats and any(s.bucket.code == code for s in states):
                out.append((f.id, cls.value, code, seats))
        return out

    async def get_offer(self, offer_id: str, booking_id: str = "", claim_until: datetime | None = None) -> Offer:
        """The offer as it was priced, with its flights as they are now; refused when a flight
        no longer sells it or its booking class has not the party's seats left.

        With `booking_id` (the booking service making that draft from the offer) the check
        also claims those seats for the booking until `claim_until`, in the same transaction and
        under the cabin's lock: two drafts cannot both get a bucket's last seat, and the same
        booking asking again keeps one claim. Without, nothing is written."""
        if not offer_id.strip():
            raise ValidationFailed("offer_id is required", field="offer_id")
        now = utcnow()
        booking_id = booking_id.strip()
        if booking_id:
            claim_until = _claim_until(claim_until, now)
        claims = self.codec.decode(offer_id)
        try:
            priced = domain.offer_from_claims(claims)
        except (KeyError, ValueError, TypeError):
            raise ValidationFailed("not a valid offer", field="offer_id") from None
        async with self.db.uow() as uow:
            revenue = RevenueRepository(uow.conn)
            if booking_id:
                await revenue.lock_bucket_sales(
                    (leg.flight_id, priced.cabin_class.value) for leg in priced.legs if leg.bucket
                )
            found = await FlightRepository(uow.conn).get_many(priced.flight_ids)
            missing = [i for i in priced.flight_ids if i not in found]
            if missing:
                raise ValidationFailed("a flight of this offer no longer exists, search again", field="offer_id")
            domain.check_bookable(
                [found[i] for i in priced.flight_ids],
                priced.cabin_class,
                priced.passengers.seated,
                now,
                self.settings.sales_close_minutes,
            )
            taken = await self._check_buckets(revenue, priced, found, now, booking_id)
            if booking_id and taken and claim_until is not None:
                await revenue.claim(booking_id, taken, claim_until)
                await uow.commit()
        return Offer(
            offer_id=offer_id.strip(),
            legs=tuple(
                OfferLegView(found[i], found[i].seats_left(priced.cabin_class), r, priced.bucket(i))
                for i, r in zip(priced.flight_ids, priced.rules)
            ),
            cabin_class=priced.cabin_class,
            trip_type=priced.trip_type,
            passengers=priced.passengers,
            price=priced.price,
            expires_at=priced.expires_at.astimezone(UTC),
            fare_lines=priced.fare_lines,
            taxes=priced.taxes,
        )

    async def release_claims(self, booking_id: str) -> int:
        """A draft that was not made after all (refused, or a concurrent retry made it first)
        gives its claimed seats back at once rather than at its expiry."""
        if not booking_id.strip():
            raise ValidationFailed("booking_id is required", field="booking_id")
        async with self.db.uow() as uow:
            n = await RevenueRepository(uow.conn).release_claims(booking_id.strip())
            await uow.commit()
        return n

    async def extend_claims(self, booking_id: str, claim_until: datetime | None) -> int:
        """A draft kept longer keeps its booking-class seats as long (see RevenueRepository)."""
        if not booking_id.strip():
            raise ValidationFailed("booking_id is required", field="booking_id")
        now = utcnow()
        until = _claim_until(claim_until, now)
        async with self.db.uow() as uow:
            n = await RevenueRepository(uow.conn).extend_claims(booking_id.strip(), until, now)
            await uow.commit()
        return n


def _claim_until(claim_until: datetime | None, now: datetime) -> datetime:
    """A claim lasts as long as its draft: required with a booking id, in the future and within
    MAX_CLAIM (no draft lives longer)."""
    if claim_until is None:
        raise ValidationFailed("claim_expires_at is required with booking_id", field="claim_expires_at")
    if claim_until.tzinfo is None:
        claim_until = claim_until.replace(tzinfo=UTC)
    if not now < claim_until <= now + MAX_CLAIM:
        raise ValidationFailed(
            f"claim_expires_at must be after now and within {MAX_CLAIM.days} days", field="claim_expires_at"
        )
    return claim_until
