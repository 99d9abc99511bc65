"""Maps booking protos to use cases and back. The use cases return the booking as a dict
keyed by the proto's field names, so one ParseDict makes the message."""

from __future__ import annotations

from typing import Any

import grpc
from google.protobuf import json_format

from airline.booking.context import Access
from airline.booking.passengers import PassengerInput
from airline.booking.service import BookingService
from airline.booking.v1 import booking_pb2 as pb
from airline.booking.v1 import booking_pb2_grpc as pb_grpc
from airline.payment.client import PaymentMethod


def booking_pb(view: dict[str, Any]) -> pb.Booking:
    return json_format.ParseDict(
        {k: v for k, v in view.items() if v is not None}, pb.Booking(), ignore_unknown_fields=False
    )


def access_of(a: pb.Access) -> Access:
    return Access(a.booking_id, a.manage_token, a.pnr, a.last_name)


def passenger_input(p: pb.Passenger) -> PassengerInput:
    return PassengerInput(
        type=p.type,
        first_name=p.first_name,
        last_name=p.last_name,
        date_of_birth=p.date_of_birth,
        document_type=p.document.type,
        document_number=p.document.number,
        document_country=p.document.issuing_country,
        document_expiry=p.document.expiry,
        infant_of=p.infant_of,
        meal=p.meal,
    )


class BookingApi(pb_grpc.BookingServiceServicer):
    def __init__(self, service: BookingService) -> None:
        self.service = service

    async def CreateBooking(self, request: pb.CreateBookingRequest, context: grpc.aio.ServicerContext) -> pb.Booking:
        return booking_pb(await self.service.create(request.offer_id, request.idempotency_key, request.client_address))

    async def GetBooking(self, request: pb.GetBookingRequest, context: grpc.aio.ServicerContext) -> pb.Booking:
        return booking_pb(await self.service.get(access_of(request.access)))

    async def ListBookings(
        self, request: pb.ListBookingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListBookingsResponse:
        return pb.ListBookingsResponse(bookings=[booking_pb(b) for b in await self.service.list_mine()])

    async def FindBooking(self, request: pb.FindBookingRequest, context: grpc.aio.ServicerContext) -> pb.Booking:
        return booking_pb(await self.service.find(request.pnr, request.last_name))

    async def SetPassengers(self, request: pb.SetPassengersRequest, context: grpc.aio.ServicerContext) -> pb.Booking:
        return booking_pb(
            await self.service.set_passengers(
                access_of(request.access),
                [passenger_input(p) for p in request.passengers],
                request.contact.email,
                request.contact.phone,
            )
        )

    async def SelectSeats(self, request: pb.SelectSeatsRequest, context: grpc.aio.ServicerContext) -> pb.Booking:
        choices: dict[str, str] = {}
        for s in request.seats:
            if s.passenger_id.strip().upper() in choices:
                from airline.platform.errors import ValidationFailed

                raise ValidationFailed(f"passenger {s.passenger_id} appears twice", field="seats")
            choices[s.passenger_id.strip().upper()] = s.seat
        return booking_pb(await self.service.select_seats(access_of(request.access), request.flight_id, choices))

    async def SetLuggage(self, request: pb.SetLuggageRequest, context: grpc.aio.ServicerContext) -> pb.Booking:
        bags = [(b.flight_id, b.passenger_id, b.extra_pieces, b.overweight_kg) for b in request.bags]
        return booking_pb(await self.service.set_luggage(access_of(request.access), bags))

    async def Pay(self, request: pb.PayRequest, context: grpc.aio.ServicerContext) -> pb.Booking:
        method = PaymentMethod.of(request)
        return booking_pb(await self.service.pay(access_of(request.access), request.idempotency_key, method))

    async def CompletePayment(
        self, request: pb.CompletePaymentRequest, context: grpc.aio.ServicerContext
    ) -> pb.Booking:
        return booking_pb(await self.service.complete_payment(access_of(request.access), request.code))

    async def CancelBooking(self, request: pb.CancelBookingRequest, context: grpc.aio.ServicerContext) -> pb.Booking:
        return booking_pb(await self.service.cancel(access_of(request.access), request.reason))

    async def ChangeSeat(self, request: pb.ChangeSeatRequest, context: grpc.aio.ServicerContext) -> pb.Booking:
        return booking_pb(
            await self.service.change_seat(
                access_of(request.access), request.flight_id, request.passenger_id, request.seat
            )
        )
