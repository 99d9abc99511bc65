"""The seed scenario (the user's opening story): airport X with gates X1-X3, airports A, B, C,
planes P1-P5, a crew roster and onboard stock, fares and a week of daily round trips
X<->A, B, C, the first admin (created by identity itself) and, in local mode only, one demo
account per staff role. Loaded through the services' own gRPC APIs, so every rule applies;
running it again changes nothing."""

from __future__ import annotations

import grpc

from airline.airport import seed as airport_seed
from airline.airport.v1 import airport_pb2_grpc
from airline.crew import seed as crew_seed
from airline.crew.v1 import crew_pb2_grpc
from airline.flights import seed as flights_seed
from airline.flights.v1 import flights_pb2_grpc
from airline.identity.v1 import identity_pb2, identity_pb2_grpc
from airline.inventory import seed as inventory_seed
from airline.inventory.v1 import inventory_pb2_grpc
from airline.platform.auth import Role
from airline.platform.grpc import make_channel
from airline.platform.settings import PlatformSettings

DEMO_ROLES = (Role.PASSENGER, Role.AGENT, Role.CREW, Role.OPS, Role.CS, Role.INVENTORY)


def demo_account(role: Role) -> tuple[str, str, str]:
    return role.value, f"{role.value}@airline.local", f"{role.value}-demo-pass"


async def seed(settings: PlatformSettings) -> list[tuple[str, str, str]]:
    """Load the scenario; returns the demo accounts (role, e-mail, password) in local mode."""
    # the seed acts as the first admin, signed in like anyone else: only identity signs tokens
    metadata = [("authorization", f"Bearer {await _admin_token(settings)}")]
    demo = settings.env == "local" or settings.allow_demo_accounts_in_production
    accounts = await _demo_accounts(settings, metadata) if demo else []
    crew_user = await _user_id(settings, metadata, demo_account(Role.CREW)[1]) if accounts else ""
    async with make_channel(settings.grpc_target("airport"), settings.grpc_deadline_seconds) as channel:
        await airport_seed.seed(airport_pb2_grpc.AirportServiceStub(channel), metadata)
    # crew and stock before the flights: scheduling a flight proposes its crew at once
    async with make_channel(settings.grpc_target("crew"), settings.grpc_deadline_seconds) as channel:
        await crew_seed.seed(crew_pb2_grpc.CrewServiceStub(channel), metadata, demo_user_id=crew_user)
    async with make_channel(settings.grpc_target("inventory"), settings.grpc_deadline_seconds) as channel:
        await inventory_seed.seed(inventory_pb2_grpc.InventoryServiceStub(channel), metadata)
    async with make_channel(settings.grpc_target("flights"), 60.0) as channel:
        # fares for X<->A, B, C and a week of daily round trips (only the days not yet there)
        await flights_seed.seed(
            flights_pb2_grpc.FlightServiceStub(channel), flights_pb2_grpc.FareServiceStub(channel), metadata
        )
    return accounts


async def _admin_token(settings: PlatformSettings) -> str:
    from airline.identity.bootstrap import admin_password
    from airline.identity.settings import IdentitySettings

    identity_settings = IdentitySettings()
    async with make_channel(settings.grpc_target("identity"), settings.grpc_deadline_seconds) as channel:
        reply = await identity_pb2_grpc.IdentityServiceStub(channel).Login(
            identity_pb2.LoginRequest(
                email=identity_settings.admin_email, password=admin_password(identity_settings, settings.env)
            )
        )
    return str(reply.access_token)


async def _demo_accounts(settings: PlatformSettings, metadata: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """The local-only admin password (if in use) and one account per staff role."""
    from airline.identity.bootstrap import LOCAL_ADMIN_PASSWORD
    from airline.identity.settings import IdentitySettings

    accounts: list[tuple[str, str, str]] = []
    identity_settings = IdentitySettings()
    if identity_settings.admin_password is None:  # the local-only default is in use
        accounts.append(("admin", identity_settings.admin_email, LOCAL_ADMIN_PASSWORD))
    async with make_channel(settings.grpc_target("identity"), settings.grpc_deadline_seconds) as channel:
        stub = identity_pb2_grpc.IdentityServiceStub(channel)
        for role in DEMO_ROLES:
            _, email, password = account = demo_account(role)
            try:
                await stub.CreateUser(
                    identity_pb2.CreateUserRequest(
                        email=email, password=password, full_name=f"Demo {role.value.title()}", role=role.value
                    ),
                    metadata=metadata,
                )
            except grpc.aio.AioRpcError as e:
                if e.code() != grpc.StatusCode.ALREADY_EXISTS:
                    raise
            accounts.append(account)
    return accounts


async def _user_id(settings: PlatformSettings, metadata: list[tuple[str, str]], email: str) -> str:
    async with make_channel(settings.grpc_target("identity"), settings.grpc_deadline_seconds) as channel:
        users = await identity_pb2_grpc.IdentityServiceStub(channel).ListUsers(
            identity_pb2.ListUsersRequest(role=Role.CREW.value), metadata=metadata
        )
    return next((u.id for u in users.users if u.email == email), "")
