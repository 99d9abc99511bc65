"""The revenue report's shape from the repository's rows: one row per flight and cabin with its
revenue per currency, the days, and the totals; the gauges published from it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

from prometheus_client import REGISTRY

from airline.flights.revenue import revenue_report
from airline.flights.revenue_metrics import publish_report

DEP = datetime(2027, 1, 5, 1, 0, tzinfo=UTC)


def row(
    cabin: str, currency: str | None, revenue: int, bookings: int, sold: int, capacity: int = 60
) -> SimpleNamespace:
    return SimpleNamespace(
        id="f1",
        number="XZ901",
        origin="XSP",
        destination="BKK",
        status="scheduled",
        scheduled_departure=DEP,
        cabin_class=cabin,
        capacity=capacity,
        sold=sold,
        sellable=capacity + 6,
        currency=currency,
        revenue=revenue,
        bookings=bookings,
    )


def test_rows_per_flight_and_cabin_with_revenue_per_currency_and_totals() -> None:
    flights = [
        row("normal", "SGD", 120000, 5, 12),
        row("normal", "THB", 9000, 1, 12),
        row("vip", None, 0, 0, 0, capacity=8),  # nothing sold: no revenue line
    ]
    days = [SimpleNamespace(day=date(2027, 1, 1), currency="SGD", bookings=5, seats=10, revenue=120000)]
    r = revenue_report(DEP, DEP, flights, days)
    normal, vip = r["flights"]
    assert (normal["cabin_class"], normal["bookings"], normal["load_factor_percent"], normal["sellable"]) == (
        "normal",
        6,
        20.0,
        66,
    )
    assert normal["revenue"] == [{"currency": "SGD", "amount": 120000}, {"currency": "THB", "amount": 9000}]
    assert (vip["revenue"], vip["bookings"], vip["load_factor_percent"]) == ([], 0, 0.0)
    assert r["totals"] == [{"currency": "SGD", "amount": 120000}, {"currency": "THB", "amount": 9000}]
    assert r["days"] == [{"day": "2027-01-01", "currency": "SGD", "bookings": 5, "seats": 10, "revenue": 120000}]

    publish_report(r["flights"], 7)
    assert (
        REGISTRY.get_sample_value("airline_flights_load_factor", {"flight": "XZ901/2027-01-05", "cabin": "normal"})
        == 0.2
    )
    assert (
        REGISTRY.get_sample_value("airline_flights_revenue_minor", {"flight": "XZ901/2027-01-05", "currency": "THB"})
        == 9000
    )
    assert REGISTRY.get_sample_value("airline_flights_bookings_today") == 7
