"""CommitPlanes / ReleasePlanes: several legs at once, all or none, journey kept whole."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import grpc

from airline.airport.v1 import airport_pb2 as pb
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from tests.support.airport import T0, H, Metadata, commit_request, expect, new_airport, new_plane

DAY = timedelta(days=1)


def ref() -> str:
    return f"flight-{uuid.uuid4().hex[:10]}"


async def committed(stub: AirportServiceStub, ops: Metadata, refs: list[str]) -> list[str]:
    """Which of refs exist (releasing tells; so this is only used at the end of a test)."""
    return list((await stub.ReleasePlanes(pb.ReleasePlanesRequest(references=refs), metadata=ops)).released)


async def test_a_round_trip_commits_both_legs_or_none(stub: AirportServiceStub, ops: Metadata) -> None:
    home, away = await new_airport(stub, ops), await new_airport(stub, ops)
    plane = (await new_plane(stub, ops, home)).id
    out, back = ref(), ref()
    reply = await stub.CommitPlanes(
        pb.CommitPlanesRequest(
            commitments=[
                commit_request(out, plane, home, away, T0, T0 + 3 * H),
                commit_request(back, plane, away, home, T0 + 4 * H, T0 + 7 * H),
            ]
        ),
        metadata=ops,
    )
    assert [c.reference for c in reply.commitments] == [out, back]
    # the same batch again is a retry, not a conflict
    again = await stub.CommitPlanes(
        pb.CommitPlanesRequest(
            commitments=[
                commit_request(out, plane, home, away, T0, T0 + 3 * H),
                commit_request(back, plane, away, home, T0 + 4 * H, T0 + 7 * H),
            ]
        ),
        metadata=ops,
    )
    assert list(again.commitments) == list(reply.commitments)

    # a second round trip whose return overlaps the first: refused whole, both legs named
    out2, back2 = ref(), ref()
    error = await expect(
        grpc.StatusCode.FAILED_PRECONDITION,
        stub.CommitPlanes(
            pb.CommitPlanesRequest(
                commitments=[
                    commit_request(out2, plane, home, away, T0 + 8 * H, T0 + 11 * H),
                    commit_request(back2, plane, away, home, T0 + 6 * H, T0 + 9 * H),
                ]
            ),
            metadata=ops,
        ),
    )
    assert back2 in (error.details() or "")
    assert await committed(stub, ops, [out2, back2]) == [], "nothing of a refused batch is written"
    assert sorted(await committed(stub, ops, [out, back])) == sorted([out, back])
    assert await committed(stub, ops, [out, back]) == [], "a second release finds nothing"


async def test_a_plane_departs_only_from_where_it_is(stub: AirportServiceStub, ops: Metadata) -> None:
    home, away, elsewhere = [await new_airport(stub, ops) for _ in range(3)]
    plane = (await new_plane(stub, ops, home)).id
    error = await expect(
        grpc.StatusCode.FAILED_PRECONDITION,
        stub.CommitPlane(commit_request(ref(), plane, away, home, T0, T0 + 2 * H), metadata=ops),
    )
    assert f"home airport {home}, not {away}" in (error.details() or "")

    first = ref()
    await stub.CommitPlane(commit_request(first, plane, home, away, T0, T0 + 2 * H), metadata=ops)
    error = await expect(
        grpc.StatusCode.FAILED_PRECONDITION,
        stub.CommitPlane(commit_request(ref(), plane, elsewhere, home, T0 + DAY, T0 + DAY + 2 * H), metadata=ops),
    )
    assert f"will be at {away}" in (error.details() or "")
    # inserting a leg before `first` that would leave the plane elsewhere is refused too
    error = await expect(
        grpc.StatusCode.FAILED_PRECONDITION,
        stub.CommitPlane(commit_request(ref(), plane, home, elsewhere, T0 - DAY, T0 - DAY + 2 * H), metadata=ops),
    )
    assert f"not {home}, when {first}" in (error.details() or "")
    await committed(stub, ops, [first])


async def test_concurrent_plans_for_one_plane_exactly_one_wins(stub: AirportServiceStub, ops: Metadata) -> None:
    home, away = await new_airport(stub, ops), await new_airport(stub, ops)
    plane = (await new_plane(stub, ops, home)).id

    def plan(offset_minutes: int) -> pb.CommitPlanesRequest:
        start = T0 + 2 * DAY + timedelta(minutes=offset_minutes)
        return pb.CommitPlanesRequest(
            commitments=[
                commit_request(ref(), plane, home, away, start, start + 3 * H),
                commit_request(ref(), plane, away, home, start + 4 * H, start + 7 * H),
            ]
        )

    plans = [plan(i * 10) for i in range(12)]  # all overlap each other
    results = await asyncio.gather(*(stub.CommitPlanes(p, metadata=ops) for p in plans), return_exceptions=True)
    winners = [r for r in results if isinstance(r, pb.CommitPlanesResponse)]
    losers = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(winners) == 1, results
    assert all(e.code() == grpc.StatusCode.FAILED_PRECONDITION for e in losers)
    all_refs = [c.reference for p in plans for c in p.commitments]
    assert sorted(await committed(stub, ops, all_refs)) == sorted(c.reference for c in winners[0].commitments)


async def test_batch_input_is_checked(stub: AirportServiceStub, ops: Metadata, as_role) -> None:  # type: ignore[no-untyped-def]
    from airline.platform.auth import Role

    await expect(grpc.StatusCode.INVALID_ARGUMENT, stub.CommitPlanes(pb.CommitPlanesRequest(), metadata=ops))
    home, away = await new_airport(stub, ops), await new_airport(stub, ops)
    plane = (await new_plane(stub, ops, home)).id
    same = ref()
    await expect(
        grpc.StatusCode.INVALID_ARGUMENT,
        stub.CommitPlanes(
            pb.CommitPlanesRequest(
                commitments=[
                    commit_request(same, plane, home, away, T0, T0 + H),
                    commit_request(same, plane, away, home, T0 + 2 * H, T0 + 3 * H),
                ]
            ),
            metadata=ops,
        ),
    )
    await expect(
        grpc.StatusCode.PERMISSION_DENIED,
        stub.CommitPlanes(
            pb.CommitPlanesRequest(commitments=[commit_request(ref(), plane, home, away, T0, T0 + H)]),
            metadata=as_role(Role.PASSENGER),
        ),
    )
    system = await stub.CommitPlanes(
        pb.CommitPlanesRequest(commitments=[commit_request(ref(), plane, home, away, T0 + 3 * DAY, T0 + 3 * DAY + H)]),
        metadata=as_role(Role.SYSTEM),
    )
    assert len(system.commitments) == 1
