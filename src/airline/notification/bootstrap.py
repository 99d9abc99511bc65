"""Composition root of the notification service."""

from __future__ import annotations

from airline.notification import store
from airline.notification.adapters import make_senders
from airline.notification.grpc_api import NotificationApi
from airline.notification.service import NotificationService
from airline.notification.settings import NotificationSettings
from airline.notification.v1 import notification_pb2, notification_pb2_grpc
from airline.platform.periodic import every
from airline.platform.runtime import Runtime, ServiceDefinition, ServiceParts


class NotificationParts(ServiceParts):
    """The parts, plus the use cases (tests drive the dispatcher through them)."""

    service: NotificationService


def build_service(rt: Runtime, settings: NotificationSettings | None = None) -> NotificationService:
    settings = settings or NotificationSettings()
    sms, email = make_senders(settings)
    return NotificationService(rt.db, settings, sms, email)


async def build(rt: Runtime) -> ServiceParts:
    service = build_service(rt)
    api = NotificationApi(service)
    consumers = (
        [rt.consumer(service.handlers(), session_timeout_ms=6_000)] if rt.settings.kafka_bootstrap_servers else []
    )
    parts = NotificationParts(
        register=[lambda server: notification_pb2_grpc.add_NotificationServiceServicer_to_server(api, server)],
        full_names=[notification_pb2.DESCRIPTOR.services_by_name["NotificationService"].full_name],
        consumers=consumers,
        # due messages every dispatch interval, at once when a new one is queued (service.wake)
        jobs=[
            every(
                lambda: service.settings.dispatch_interval_seconds,
                service.dispatch_due,
                name="notification-dispatch",
                wake=service.wake,
            )
        ],
    )
    parts.service = service
    return parts


SERVICE = ServiceDefinition(
    name="notification", metadata=store.metadata, migrations_package="airline.notification", build=build
)
