"""Every gateway route has a screen that calls it, or says why not (issue 19): web/route-coverage.json
lists the routes no screen calls as `deliberate` (a machine's or integration's route) or `not_yet`
(a screen still owed). A new route without a screen fails here until it is listed with a reason,
and a listed route that found its screen fails until it is taken off: the list only shrinks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

from openapi_dump import document  # noqa: E402
from route_coverage import coverage, exceptions, matches  # noqa: E402


@pytest.fixture(scope="module")
def found():  # type: ignore[no-untyped-def]
    return coverage(document())


def test_every_route_without_a_screen_is_listed_with_a_reason(found) -> None:  # type: ignore[no-untyped-def]
    listed = exceptions()
    named = {k for kind in ("deliberate", "not_yet") for k in listed[kind]}
    unexplained = [str(r) for r in found.missing if str(r) not in named]
    assert unexplained == [], "routes no screen calls: add a screen or list them in web/route-coverage.json"
    assert all(len(why) > 20 for kind in listed.values() for why in kind.values())


def test_a_listed_route_that_found_its_screen_is_taken_off_the_list(found) -> None:  # type: ignore[no-untyped-def]
    listed = exceptions()
    missing = {str(r) for r in found.missing}
    stale = sorted(k for kind in ("deliberate", "not_yet") for k in listed[kind] if k not in missing)
    assert stale == [], "these routes are called by a screen or no longer exist: take them off web/route-coverage.json"


def test_the_deliberate_exceptions_stay_few(found) -> None:  # type: ignore[no-untyped-def]
    assert len(exceptions()["deliberate"]) <= 12
    assert len(found.routes) > 100  # the scan sees the whole API


@pytest.mark.parametrize(
    ("route", "literal", "expected"),
    [
        ("/bookings/{booking_id}/seats", "/bookings/${id}/seats", True),
        ("/bookings/{booking_id}/seats", "/api/v1/bookings/${encodeURIComponent(id)}/seats?pnr=X", True),
        ("/bookings/{booking_id}/seats", "/bookings/${id}/luggage", False),
        ("/crew/assignments/{a}/accept", '/crew/assignments/${a.id}/${ok ? "accept" : "decline"}', True),
        ("/crew/assignments/{a}/accept", "/crew/assignments/${a.id}/${what}", False),  # unreadable: not counted
        ("/airports/{code}", "/airports/XSP", True),
        ("/bags/{tag}/tag.svg", "/api/v1/bags/${bag.tag}/tag.svg", True),
        ("/flights/{flight_id}", "/flights", False),
    ],
)
def test_a_path_in_the_code_matches_the_routes_it_can_reach(route: str, literal: str, expected: bool) -> None:
    assert matches(route, literal) is expected
