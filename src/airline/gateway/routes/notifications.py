"""Notifications: the SMS and e-mail the airline sent (or is sending) to passengers, and staff
sending one. With the local providers (the default) this is where the messages "arrive": read
the check-in code SMS here. Reading needs admin, ops or cs; sending needs ops (admin passes).

`POST /notifications` takes an optional `Idempotency-Key` header: a retry with the same key
returns the first message instead of sending a second one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from airline.gateway import deps
from airline.gateway.convert import timestamp_out
from airline.gateway.params import PageSize, checked_idempotency_key, idempotency_key_header, page_token_query
from airline.gateway.problems import error_responses
from airline.gateway.security import require_roles
from airline.notification.v1 import notification_pb2 as pb
from airline.notification.v1 import notification_pb2_grpc as pb_grpc
from airline.platform.auth import Principal, Role

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py
TAG = "notifications"


def notification_service(request: Request) -> pb_grpc.NotificationServiceStub:
    return pb_grpc.NotificationServiceStub(deps.channel(request, "notification"))


Notifications_ = Annotated[pb_grpc.NotificationServiceStub, Depends(notification_service)]
Readers = Annotated[Principal, Depends(require_roles(Role.ADMIN, Role.OPS, Role.CS))]
Senders = Annotated[Principal, Depends(require_roles(Role.OPS))]

ChannelName = Literal["sms", "email"]
Kind = Literal["checkin_code", "booking_confirmed", "flight_disruption", "bag_mishandled", "generic"]
StatusName = Literal["queued", "sent", "failed", "superseded"]
MessageId = Annotated[
    str,
    Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$", examples=["6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f"]),
]


class Message(BaseModel):
    id: str = Field(examples=["6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f"])
    channel: str = Field(examples=["sms"])
    recipient: str = Field(description="E.164 phone number or e-mail address", examples=["+6591234567"])
    kind: str = Field(examples=["checkin_code"])
    template: str = Field(description="template and version the text was rendered from", examples=["checkin_code.v1"])
    subject: str = Field(description="e-mail only", examples=[""])
    body: str = Field(examples=["Ada, your check-in code for booking K7Q2XA is 7KQ2M9XA. Show it at the airport."])
    reference: str = Field(description="booking id, PNR or flight id", examples=["b3c1..."])
    status: str = Field(
        description="queued, sent, failed, or superseded (a held flight-change message replaced or undone before it was due)",
        examples=["sent"],
    )
    attempts: int = Field(examples=[1])
    provider: str = Field(description="the adapter: local, smtp or http", examples=["local"])
    provider_id: str = Field(description="the provider's message id", examples=["local-sms-0c9f..."])
    last_error: str = Field(description="why the last attempt failed, if it did", examples=[""])
    created_at: datetime | None = None
    sent_at: datetime | None = None

    @classmethod
    def of(cls, m: pb.Message) -> Message:
        return cls(
            id=m.id,
            channel=m.channel,
            recipient=m.recipient,
            kind=m.kind,
            template=m.template,
            subject=m.subject,
            body=m.body,
            reference=m.reference,
            status=m.status,
            attempts=m.attempts,
            provider=m.provider,
            provider_id=m.provider_id,
            last_error=m.last_error,
            created_at=timestamp_out(m, "created_at"),
            sent_at=timestamp_out(m, "sent_at"),
        )


class Messages(BaseModel):
    messages: list[Message]
    next_page_token: str = Field(
        description="pass as page_token for the next (older) page; empty on the last", examples=[""]
    )


class MessageIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "channel": "sms",
                    "recipient": "+6591234567",
                    "kind": "flight_disruption",
                    "params": {
                        "flight_number": "XA101",
                        "status": "delayed",
                        "new_departure": "2026-12-01T10:30:00Z",
                        "time_zone": "Asia/Singapore",
                        "reason": "late inbound aircraft",
                    },
                    "reference": "K7Q2XA",
                },
                {
                    "channel": "email",
                    "recipient": "ada@example.com",
                    "kind": "generic",
                    "params": {"subject": "Your lost property", "text": "We found your umbrella at gate X2."},
                },
            ]
        },
    )
    channel: ChannelName
    recipient: str = Field(min_length=3, max_length=254, description="E.164 phone (sms) or e-mail address (email)")
    kind: Kind
    params: dict[str, Annotated[str, Field(max_length=20_000)]] = Field(
        default_factory=dict,
        max_length=30,
        description="template parameters: checkin_code: code, pnr, first_name?, flight_number?...; "
        "booking_confirmed: pnr, passengers (comma-separated); flight_disruption: flight_number, "
        "status (delayed|cancelled), new_departure?, time_zone?, reason?; bag_mishandled: tag, place?; "
        "generic: text, subject?",
    )
    reference: str = Field(default="", max_length=64, description="booking id, PNR or flight id")


@router.get(
    "/notifications",
    response_model=Messages,
    tags=[TAG],
    summary="Messages sent to passengers, newest first (admin, ops, cs)",
    responses=error_responses(401, 403, 422),
)
async def list_notifications(
    notifications: Notifications_,
    _: Readers,
    channel: Annotated[ChannelName | None, Query()] = None,
    recipient: Annotated[str | None, Query(max_length=254, description="phone (E.164) or e-mail address")] = None,
    kind: Annotated[Kind | None, Query()] = None,
    reference: Annotated[str | None, Query(max_length=64, description="booking id, PNR or flight id")] = None,
    status: Annotated[StatusName | None, Query()] = None,
    page_size: PageSize = 50,
    page_token: Annotated[str | None, page_token_query(200)] = None,
) -> Messages:
    reply = await notifications.ListMessages(
        pb.ListMessagesRequest(
            channel=channel or "",
            recipient=recipient or "",
            kind=kind or "",
            reference=reference or "",
            status=status or "",
            page_size=page_size,
            page_token=page_token or "",
        )
    )
    return Messages(messages=[Message.of(m) for m in reply.messages], next_page_token=reply.next_page_token)


@router.get(
    "/notifications/{message_id}",
    response_model=Message,
    tags=[TAG],
    summary="One message (admin, ops, cs)",
    responses=error_responses(401, 403, 404),
)
async def get_notification(message_id: MessageId, notifications: Notifications_, _: Readers) -> Message:
    return Message.of(await notifications.GetMessage(pb.GetMessageRequest(id=message_id)))


@router.post(
    "/notifications",
    status_code=201,
    response_model=Message,
    tags=[TAG],
    summary="Send an SMS or e-mail from a template (ops)",
    responses=error_responses(401, 403, 409, 422),
)
async def send_notification(
    body: MessageIn,
    notifications: Notifications_,
    _: Senders,
    response: Response,
    idempotency_key: Annotated[
        str | None, idempotency_key_header("1-255 visible characters; a retry returns the first message")
    ] = None,
) -> Message:
    key = checked_idempotency_key(idempotency_key, required=False, blank_is_missing=False)
    reply = await notifications.SendMessage(
        pb.SendMessageRequest(
            channel=body.channel,
            recipient=body.recipient,
            kind=body.kind,
            params=body.params,
            reference=body.reference,
            idempotency_key=key,
        )
    )
    return Message.of(reply)
