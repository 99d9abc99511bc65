"""Airports' coordinates and a route's great-circle distance, through the real gRPC server
and the gateway: set at creation or later (together), kept by other changes, refused off
the globe; the seed's airports have theirs; a route without coordinates has no distance."""

from __future__ import annotations

import grpc
import httpx
import pytest

from airline.airport.v1 import airport_pb2 as pb
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from tests.support.airport import Metadata, expect, new_airport
from tests.support.factories import airport_code
from tests.support.http import auth

pytestmark = pytest.mark.usefixtures("seed_airports")


async def test_the_seeded_routes_have_their_distances(stub: AirportServiceStub, ops: Metadata) -> None:
    xsp = await stub.GetAirport(pb.GetAirportRequest(code="XSP"))
    assert (xsp.latitude, xsp.longitude) == (1.4169, 103.8678)
    cgk = await stub.GetAirport(pb.GetAirportRequest(code="CGK"))
    assert (cgk.latitude, cgk.longitude) == (-6.1256, 106.6559)  # south is negative
    d = await stub.GetRouteDistance(pb.GetRouteDistanceRequest(origin="xsp", destination="BKK"))
    assert (d.origin, d.destination) == ("XSP", "BKK") and 1400 < d.distance_km < 1420
    assert (
        880
        < (await stub.GetRouteDistance(pb.GetRouteDistanceRequest(origin="XSP", destination="CGK"))).distance_km
        < 900
    )


async def test_coordinates_are_set_together_and_kept(stub: AirportServiceStub, ops: Metadata) -> None:
    code = await new_airport(stub, ops)
    bare = await stub.GetAirport(pb.GetAirportRequest(code=code))
    assert not bare.HasField("latitude") and not bare.HasField("longitude")
    e = await expect(
        grpc.StatusCode.FAILED_PRECONDITION,
        stub.GetRouteDistance(pb.GetRouteDistanceRequest(origin="XSP", destination=code)),
    )
    assert code in (e.details() or "")
    await expect(
        grpc.StatusCode.INVALID_ARGUMENT,
        stub.UpdateAirport(pb.UpdateAirportRequest(code=code, latitude=10.0), metadata=ops),
    )
    moved = await stub.UpdateAirport(
        pb.UpdateAirportRequest(code=code, latitude=-33.9461, longitude=151.1772), metadata=ops
    )
    assert (moved.latitude, moved.longitude) == (-33.9461, 151.1772)
    renamed = await stub.UpdateAirport(pb.UpdateAirportRequest(code=code, name="Renamed"), metadata=ops)
    assert (renamed.name, renamed.latitude, renamed.longitude) == ("Renamed", -33.9461, 151.1772)
    for lat, lon in ((90.5, 0.0), (0.0, -180.5), (float("nan"), 0.0)):
        await expect(
            grpc.StatusCode.INVALID_ARGUMENT,
            stub.UpdateAirport(pb.UpdateAirportRequest(code=code, latitude=lat, longitude=lon), metadata=ops),
        )


async def test_the_gateway_creates_reads_and_changes_coordinates(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    ops = auth(tokens["ops"])
    code = airport_code()
    body = {"code": code, "name": "Test", "city": "Testville", "country": "AU", "time_zone": "Australia/Sydney"}
    r = await api.post("/api/v1/airports", headers=ops, json=body | {"latitude": -33.9461, "longitude": 151.1772})
    assert r.status_code == 201 and (r.json()["latitude"], r.json()["longitude"]) == (-33.9461, 151.1772), r.text
    assert (await api.get(f"/api/v1/airports/{code}")).json()["longitude"] == 151.1772
    r = await api.patch(f"/api/v1/airports/{code}", headers=ops, json={"latitude": -33.0, "longitude": 151.0})
    assert r.status_code == 200 and r.json()["latitude"] == -33.0, r.text
    for bad in ({"latitude": 91, "longitude": 0}, {"latitude": 0, "longitude": 181}, {"latitude": 1.0}):
        r = await api.patch(f"/api/v1/airports/{code}", headers=ops, json=bad)
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), r.text
    r = await api.post("/api/v1/airports", headers=ops, json=body | {"code": airport_code(), "latitude": "north"})
    assert r.status_code == 422, r.text
