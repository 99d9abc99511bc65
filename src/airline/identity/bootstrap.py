"""Composition root of the identity service."""
from __future__ import annotations

import logging

from airline.identity import store
from airline.identity.grpc_api import IdentityApi
from airline.identity.service import IdentityService
from airline.identity.settings import IdentitySettings
from airline.identity.v1 import identity_pb2, identity_pb2_grpc
from airline.platform.auth import Role
from airline.platform.runtime import Runtime, ServiceDefinition, ServiceParts

log = logging.getLogger(__name__)

LOCAL_ADMIN_PASSWORD = "admin-local-only"


def admin_password(settings: IdentitySettings, env: str) -> str:
    if settings.admin_password is not None:
        return settings.admin_password.get_secret_value()
    if env != "local":
        raise RuntimeError("AIRLINE_IDENTITY_ADMIN_PASSWORD is required outside local mode")
    return LOCAL_ADMIN_PASSWORD


async def build(rt: Runtime) -> ServiceParts:
    settings = IdentitySettings()
    service = IdentityService(rt.db, rt.codec, settings)
    password = admin_password(settings, rt.settings.env)

    async def first_admin() -> None:
        if await service.ensure_user(settings.admin_email, password, "Administrator", Role.ADMIN):
            log.info("created the first admin %s", settings.admin_email)

    api = IdentityApi(service)
    return ServiceParts(
        register=[lambda server: identity_pb2_grpc.add_IdentityServiceServicer_to_server(api, server)],
        full_names=[identity_pb2.DESCRIPTOR.services_by_name["IdentityService"].full_name],
        on_start=[first_admin],
    )


SERVICE = ServiceDefinition(
    name="identity", metadata=store.metadata, migrations_package="airline.identity", build=build
)
