"""Demo crew for the seed scenario: based at airport X (XSP), qualified on the seed fleet's
types (A320-200, A321neo). Loaded through the crew service's gRPC API; running it again adds
nobody twice (members are matched by e-mail)."""

from __future__ import annotations

from collections.abc import Sequence

from airline.crew.v1 import crew_pb2 as pb
from airline.crew.v1.crew_pb2_grpc import CrewServiceStub

HOME = "XSP"
TYPES = ("A320-200", "A321neo")
# Sized for the seed week (flights/seed.py: 3 out-and-backs a day, A320s of 158 seats, so 4
# attendants each): with a day off after at most 6 duty days, 21 out-and-backs need at least 4
# pursers and 84 attendant duties at least 14 attendants; one purser and two attendants more
# leave room for a decline or a sick call. Captains and first officers: 4 each fly 5-6 days.
CREW: tuple[tuple[str, int], ...] = (("captain", 4), ("first_officer", 4), ("purser", 5), ("flight_attendant", 16))
DEMO_EMAIL = "crew@airline.local"  # the identity demo account of role crew


def demo_members() -> list[tuple[str, str, str]]:
    """(name, role, e-mail) of every demo member; the first captain is the demo account's."""
    out = []
    for role, count in CREW:
        for i in range(1, count + 1):
            title = role.replace("_", " ").title()
            out.append((f"Demo {title} {i}", role, f"{role.replace('_', '.')}{i}@crew.airline.local"))
    first_name, first_role, _ = out[0]
    out[0] = (first_name, first_role, DEMO_EMAIL)
    return out


async def seed(stub: CrewServiceStub, metadata: Sequence[tuple[str, str]], demo_user_id: str = "") -> int:
    """Create the demo crew that is not there yet; `demo_user_id` (the identity subject of
    crew@airline.local, if known) links the first captain to the demo crew login. Returns how
    many members were created."""
    existing = {m.email for m in (await stub.ListMembers(pb.ListMembersRequest(), metadata=metadata)).members}
    created = 0
    for i, (name, role, email) in enumerate(demo_members()):
        if email in existing:
            continue
        await stub.CreateMember(
            pb.CreateMemberRequest(
                name=name,
                role=role,
                qualifications=list(TYPES),
                home_base=HOME,
                email=email,
                phone=f"+65 8000 {i:04d}",
                user_id=demo_user_id if email == DEMO_EMAIL else "",
            ),
            metadata=metadata,
        )
        created += 1
    return created
