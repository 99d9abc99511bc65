"""Maps notification protos to use cases and back. Reading needs admin, ops, cs or system;
sending needs ops (admin passes) or system."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import grpc

from airline.notification.service import NotificationService
from airline.notification.v1 import notification_pb2 as pb
from airline.notification.v1 import notification_pb2_grpc as pb_grpc
from airline.platform.auth import Role, require
from airline.platform.protobuf import timestamp

READERS = (Role.ADMIN, Role.OPS, Role.CS, Role.SYSTEM)
SENDERS = (Role.OPS, Role.SYSTEM)


def message_pb(r: Mapping[str, Any]) -> pb.Message:
    return pb.Message(
        id=r["id"],
        channel=r["channel"],
        recipient=r["recipient"],
        kind=r["kind"],
        template=r["template"],
        subject=r["subject"],
        body=r["body"],
        reference=r["reference"],
        status=r["status"],
        attempts=r["attempts"],
        provider=r["provider"],
        provider_id=r["provider_id"],
        last_error=r["last_error"],
        created_at=timestamp(r["created_at"]),
        sent_at=timestamp(r["sent_at"]),
    )


class NotificationApi(pb_grpc.NotificationServiceServicer):
    def __init__(self, service: NotificationService) -> None:
        self.service = service

    async def ListMessages(
        self, request: pb.ListMessagesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListMessagesResponse:
        require(*READERS)
        rows, token = await self.service.list(
            channel=request.channel,
            recipient=request.recipient,
            kind=request.kind,
            reference=request.reference,
            status=request.status,
            page_size=request.page_size,
            page_token=request.page_token,
        )
        return pb.ListMessagesResponse(messages=[message_pb(r) for r in rows], next_page_token=token)

    async def GetMessage(self, request: pb.GetMessageRequest, context: grpc.aio.ServicerContext) -> pb.Message:
        require(*READERS)
        return message_pb(await self.service.get(request.id.strip()))

    async def SendMessage(self, request: pb.SendMessageRequest, context: grpc.aio.ServicerContext) -> pb.Message:
        who = require(*SENDERS)
        return message_pb(
            await self.service.send(
                who.subject,
                request.channel,
                request.recipient,
                request.kind,
                dict(request.params),
                request.reference,
                request.idempotency_key,
            )
        )
