"""Prometheus metrics of the revenue rules (the flights process's default registry): sales as
they are recorded, and load factor and fare revenue of the coming flights, refreshed by a job."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prometheus_client import Counter, Gauge

SEATS_SOLD = Counter(
    "airline_flights_seats_sold_total", "seats sold by confirmed bookings, per cabin and bucket", ["cabin", "bucket"]
)
FARE_REVENUE = Counter(
    "airline_flights_fare_revenue_minor_total", "fare revenue of sales (minor units, no taxes)", ["currency"]
)
LOAD_FACTOR = Gauge(
    "airline_flights_load_factor",
    "sold / seats of each flight departing within the report window (0..1, may pass 1 when overbooked)",
    ["flight", "cabin"],
)
FLIGHT_REVENUE = Gauge(
    "airline_flights_revenue_minor", "fare revenue standing per flight (minor units)", ["flight", "currency"]
)
BOOKINGS_TODAY = Gauge("airline_flights_bookings_today", "bookings sold today (UTC)", [])


def observe_sale(cabin: str, bucket: str, seats: int, amount: int, currency: str) -> None:
    SEATS_SOLD.labels(cabin, bucket or "-").inc(max(0, seats))
    if amount > 0 and currency:
        FARE_REVENUE.labels(currency).inc(amount)


def publish_report(flights: Sequence[dict[str, Any]], today_bookings: int) -> None:
    """The gauges from a revenue report: the rows of the report replace the previous ones."""
    LOAD_FACTOR.clear()
    FLIGHT_REVENUE.clear()
    for r in flights:
        name = f"{r['number']}/{r['scheduled_departure']:%Y-%m-%d}"
        LOAD_FACTOR.labels(name, r["cabin_class"]).set(r["sold"] / r["capacity"] if r["capacity"] else 0.0)
        for line in r["revenue"]:
            FLIGHT_REVENUE.labels(name, line["currency"]).set(line["amount"])
    BOOKINGS_TODAY.set(today_bookings)
