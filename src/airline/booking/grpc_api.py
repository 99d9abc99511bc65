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
from airline.platform.auth import Role
from airline.platform.reason import require_reason


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

    async def SearchBookings(
        self, request: pb.SearchBookingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.SearchBookingsResponse:
        hits = await self.service.search(
            request.query, request.email, request.phone, request.flight, request.date, request.page_size
        )
        return json_format.ParseDict({"bookings": hits}, pb.SearchBookingsResponse())

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
        return booking_pb(
            await self.service.select_seats(
                access_of(request.access), request.flight_id, choices, at_airport=request.seat_at_airport
            )
        )

    async def SetLuggage(self, request: pb.SetLuggageRequest, context: grpc.aio.ServicerContext) -> pb.Booking:
        bags = [(b.flight_id, b.passenger_id, b.extra_pieces, b.overweight_kg) for b in request.bags]
        return booking_pb(await self.service.set_luggage(access_of(request.access), bags))

    async def KeepDraft(self, request: pb.KeepDraftRequest, context: grpc.aio.ServicerContext) -> pb.Booking:
        return booking_pb(await self.service.keep_draft(access_of(request.access)))

    async def Pay(self, request: pb.PayRequest, context: grpc.aio.ServicerContext) -> pb.Booking:
        method = PaymentMethod.of(request, voucher_field="voucher")
        return booking_pb(await self.service.pay(access_of(request.access), request.idempotency_key, method))

    async def CompletePayment(
        self, request: pb.CompletePaymentRequest, context: grpc.aio.ServicerContext
    ) -> pb.Booking:
        return booking_pb(await self.service.complete_payment(access_of(request.access), request.code))

    async def CancelBooking(self, request: pb.CancelBookingRequest, context: grpc.aio.ServicerContext) -> pb.Booking:
        return booking_pb(await self.service.cancel(access_of(request.access), request.reason))

    async def QuoteCancel(self, request: pb.QuoteCancelRequest, context: grpc.aio.ServicerContext) -> pb.CancelQuote:
        return pb.CancelQuote(**await self.service.quote_cancel(access_of(request.access)))

    async def ChangeSeat(self, request: pb.ChangeSeatRequest, context: grpc.aio.ServicerContext) -> pb.Booking:
        return booking_pb(
            await self.service.change_seat(
                access_of(request.access), request.flight_id, request.passenger_id, request.seat
            )
        )

    async def CancelPassenger(
        self, request: pb.CancelPassengerRequest, context: grpc.aio.ServicerContext
    ) -> pb.Booking:
        view = await self.service.cancel_passenger(access_of(request.access), request.passenger_id, request.reason)
        return booking_pb(view)

    async def CorrectName(self, request: pb.CorrectNameRequest, context: grpc.aio.ServicerContext) -> pb.Booking:
        view = await self.service.correct_name(
            access_of(request.access), request.passenger_id, request.first_name, request.last_name
        )
        return booking_pb(view)

    async def GetCompensation(
        self, request: pb.GetCompensationRequest, context: grpc.aio.ServicerContext
    ) -> pb.Compensation:
        return json_format.ParseDict(await self.service.compensation(access_of(request.access)), pb.Compensation())

    async def ClaimCompensation(
        self, request: pb.ClaimCompensationRequest, context: grpc.aio.ServicerContext
    ) -> pb.Compensation:
        view = await self.service.claim_compensation(access_of(request.access), request.method)
        return json_format.ParseDict(view, pb.Compensation())

    # --- re-accommodation

    async def RunReaccommodation(
        self, request: pb.ReaccommodationFlightRequest, context: grpc.aio.ServicerContext
    ) -> pb.ReaccommodationStatus:
        view = await self.service.run_reaccommodation(request.flight_id)
        return json_format.ParseDict(view, pb.ReaccommodationStatus())

    async def GetReaccommodationStatus(
        self, request: pb.ReaccommodationFlightRequest, context: grpc.aio.ServicerContext
    ) -> pb.ReaccommodationStatus:
        view = await self.service.reaccommodation_status(request.flight_id)
        return json_format.ParseDict(view, pb.ReaccommodationStatus())

    async def AcceptReaccommodation(
        self, request: pb.AcceptReaccommodationRequest, context: grpc.aio.ServicerContext
    ) -> pb.Booking:
        return booking_pb(await self.service.accept_reaccommodation(access_of(request.access), request.option))

    async def DeclineReaccommodation(
        self, request: pb.DeclineReaccommodationRequest, context: grpc.aio.ServicerContext
    ) -> pb.Booking:
        return booking_pb(await self.service.decline_reaccommodation(access_of(request.access), request.take))

    # --- voluntary changes

    async def GetChangeOptions(
        self, request: pb.ChangeOptionsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ChangeOptions:
        view = await self.service.change_options(access_of(request.access), request.leg, request.date)
        return json_format.ParseDict(view, pb.ChangeOptions())

    async def QuoteChange(self, request: pb.QuoteChangeRequest, context: grpc.aio.ServicerContext) -> pb.ChangeQuote:
        legs = [(x.leg, x.flight_id) for x in request.legs]
        return json_format.ParseDict(await self.service.quote_change(access_of(request.access), legs), pb.ChangeQuote())

    async def ChangeFlights(self, request: pb.ChangeFlightsRequest, context: grpc.aio.ServicerContext) -> pb.Booking:
        method = PaymentMethod.of(request, voucher_field="voucher")
        return booking_pb(await self.service.change_flights(access_of(request.access), request.quote_id, method))

    # --- paid ancillaries after the sale (ancillaries_service.py)

    async def GetAncillaries(self, request: pb.AncillariesRequest, context: grpc.aio.ServicerContext) -> pb.Ancillaries:
        view = await self.service.get_ancillaries(access_of(request.access))
        return json_format.ParseDict({k: v for k, v in view.items() if v is not None}, pb.Ancillaries())

    async def QuoteAncillaries(
        self, request: pb.QuoteAncillariesRequest, context: grpc.aio.ServicerContext
    ) -> pb.AncillaryQuote:
        bags = [(x.flight_id, x.passenger_id, x.extra_pieces) for x in request.bags]
        meals = [(x.flight_id, x.passenger_id, x.code) for x in request.meals]
        view = await self.service.quote_ancillaries(access_of(request.access), bags, meals)
        return json_format.ParseDict(view, pb.AncillaryQuote())

    async def BuyAncillaries(self, request: pb.BuyAncillariesRequest, context: grpc.aio.ServicerContext) -> pb.Booking:
        method = PaymentMethod.of(request, voucher_field="voucher")
        return booking_pb(await self.service.buy_ancillaries(access_of(request.access), request.quote_id, method))

    async def GetReceipt(self, request: pb.ReceiptRequest, context: grpc.aio.ServicerContext) -> pb.Receipt:
        return json_format.ParseDict(await self.service.receipt(access_of(request.access)), pb.Receipt())

    # --- the customer-service desk (history.py)

    async def GetBookingHistory(
        self, request: pb.GetBookingHistoryRequest, context: grpc.aio.ServicerContext
    ) -> pb.BookingHistory:
        view = await self.service.booking_history(access_of(request.access))
        return json_format.ParseDict(view, pb.BookingHistory())

    async def ResendConfirmation(
        self, request: pb.ResendConfirmationRequest, context: grpc.aio.ServicerContext
    ) -> pb.ResendConfirmationResponse:
        view = await self.service.resend_confirmation(access_of(request.access), request.resend_id)
        return pb.ResendConfirmationResponse(**view)


# The changes to one booking that cs, ops and admin make on a passenger's behalf need a reason
# (x-airline-reason): refused by the server interceptor without one, before anything is written.
require_reason(
    pb.DESCRIPTOR.services_by_name["BookingService"].full_name,
    (
        "CancelBooking",
        "ChangeSeat",
        "AcceptReaccommodation",
        "DeclineReaccommodation",
        "ClaimCompensation",
        "ResendConfirmation",
        "CancelPassenger",
        "CorrectName",
        "ChangeFlights",
        "BuyAncillaries",
    ),
    (Role.CS, Role.OPS, Role.ADMIN),
)
