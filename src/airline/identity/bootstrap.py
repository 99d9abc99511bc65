"""Composition root of the identity service."""

from __future__ import annotations

import logging

from airline.identity import store
from airline.identity.grpc_api import IdentityApi
from airline.identity.service import IdentityService
from airline.identity.settings import IdentitySettings
from airline.identity.tokens import load_key_ring
from airline.identity.v1 import identity_pb2, identity_pb2_grpc
from airline.platform.auth import Role
from airline.platform.runtime import Runtime, ServiceDefinition, ServiceParts
from airline.platform.service_auth import local_master

log = logging.getLogger(__name__)

LOCAL_ADMIN_PASSWORD = "admin-local-only"
# `airline seed` creates one per staff role in local mode, with well-known passwords
DEMO_ROLES = (Role.PASSENGER, Role.AGENT, Role.CREW, Role.OPS, Role.CS, Role.INVENTORY)
DEMO_EMAILS = [f"{role.value}@airline.local" for role in DEMO_ROLES]


def admin_password(settings: IdentitySettings, env: str) -> str:
    if settings.admin_password is not None:
        return settings.admin_password.get_secret_value()
    if env != "local":
        raise RuntimeError("AIRLINE_IDENTITY_ADMIN_PASSWORD is required outside local mode")
    return LOCAL_ADMIN_PASSWORD


def service_master(settings: IdentitySettings, rt: Runtime) -> str:
    if settings.service_master_key is not None:
        return settings.service_master_key.get_secret_value()
    if rt.settings.env != "local":
        raise RuntimeError("AIRLINE_IDENTITY_SERVICE_MASTER_KEY is required outside local mode")
    return local_master(rt.settings.data_dir)


async def build(rt: Runtime) -> ServiceParts:
    settings = IdentitySettings()
    production = rt.settings.env == "production"
    password = admin_password(settings, rt.settings.env)
    if production and password == LOCAL_ADMIN_PASSWORD and not rt.settings.allow_demo_accounts_in_production:
        raise RuntimeError(
            "the admin password is the local demo one: refused in production "
            "(set AIRLINE_ALLOW_DEMO_ACCOUNTS_IN_PRODUCTION=true to allow it)"
        )
    keys = load_key_ring(
        settings.signing_keys.get_secret_value() if settings.signing_keys else None,
        rt.settings.env,
        rt.settings.data_dir,
        rt.settings.jwt_issuer,
        rt.settings.token_ttl_seconds,
    )
    # identity verifies with its own ring's public keys: it never needs to ask anyone
    rt.verifier.use_keys(keys.jwks())

    async def own_jwks() -> dict[str, object]:
        return keys.jwks()

    rt.verifier.fetch_jwks = own_jwks
    service = IdentityService(rt.db, keys, settings, service_master(settings, rt))

    async def refuse_demo_accounts() -> None:
        if not production or rt.settings.allow_demo_accounts_in_production:
            return
        found = await service.demo_accounts_present(DEMO_EMAILS)
        if found:
            raise RuntimeError(
                f"demo accounts with well-known passwords exist ({', '.join(found)}): refused in production; "
                "delete them or set AIRLINE_ALLOW_DEMO_ACCOUNTS_IN_PRODUCTION=true"
            )

    async def first_admin() -> None:
        if await service.ensure_user(settings.admin_email, password, "Administrator", Role.ADMIN):
            log.info("created the first admin %s", settings.admin_email)

    api = IdentityApi(service)
    return ServiceParts(
        register=[lambda server: identity_pb2_grpc.add_IdentityServiceServicer_to_server(api, server)],
        full_names=[identity_pb2.DESCRIPTOR.services_by_name["IdentityService"].full_name],
        on_start=[refuse_demo_accounts, first_admin],
    )


SERVICE = ServiceDefinition(
    name="identity", metadata=store.metadata, migrations_package="airline.identity", build=build
)
