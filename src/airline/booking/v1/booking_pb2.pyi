import datetime

from airline.common.v1 import payment_method_pb2 as _payment_method_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CancelPassengerRequest(_message.Message):
    __slots__ = ("access", "passenger_id", "reason")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    access: Access
    passenger_id: str
    reason: str
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., passenger_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CorrectNameRequest(_message.Message):
    __slots__ = ("access", "passenger_id", "first_name", "last_name")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    access: Access
    passenger_id: str
    first_name: str
    last_name: str
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., passenger_id: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ...) -> None: ...

class ReaccommodationFlightRequest(_message.Message):
    __slots__ = ("flight_id",)
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    def __init__(self, flight_id: _Optional[str] = ...) -> None: ...

class AcceptReaccommodationRequest(_message.Message):
    __slots__ = ("access", "option")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    OPTION_FIELD_NUMBER: _ClassVar[int]
    access: Access
    option: int
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., option: _Optional[int] = ...) -> None: ...

class DeclineReaccommodationRequest(_message.Message):
    __slots__ = ("access", "take")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    TAKE_FIELD_NUMBER: _ClassVar[int]
    access: Access
    take: str
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., take: _Optional[str] = ...) -> None: ...

class ReaccommodationFlight(_message.Message):
    __slots__ = ("flight_id", "number", "origin", "destination", "departure", "arrival", "cabin_class")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    DEPARTURE_FIELD_NUMBER: _ClassVar[int]
    ARRIVAL_FIELD_NUMBER: _ClassVar[int]
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    number: str
    origin: str
    destination: str
    departure: _timestamp_pb2.Timestamp
    arrival: _timestamp_pb2.Timestamp
    cabin_class: str
    def __init__(self, flight_id: _Optional[str] = ..., number: _Optional[str] = ..., origin: _Optional[str] = ..., destination: _Optional[str] = ..., departure: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., arrival: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cabin_class: _Optional[str] = ...) -> None: ...

class ReaccommodationOption(_message.Message):
    __slots__ = ("option", "flights", "seats")
    OPTION_FIELD_NUMBER: _ClassVar[int]
    FLIGHTS_FIELD_NUMBER: _ClassVar[int]
    SEATS_FIELD_NUMBER: _ClassVar[int]
    option: int
    flights: _containers.RepeatedCompositeFieldContainer[ReaccommodationFlight]
    seats: _containers.RepeatedCompositeFieldContainer[SeatChoice]
    def __init__(self, option: _Optional[int] = ..., flights: _Optional[_Iterable[_Union[ReaccommodationFlight, _Mapping]]] = ..., seats: _Optional[_Iterable[_Union[SeatChoice, _Mapping]]] = ...) -> None: ...

class Reaccommodation(_message.Message):
    __slots__ = ("id", "booking_id", "flight_id", "flight_number", "reason", "rank", "state", "options", "unplaced_reason", "deadline", "chosen_option", "taken", "refund_amount", "voucher_amount", "voucher_code", "currency", "pnr", "seats_needed", "infants")
    ID_FIELD_NUMBER: _ClassVar[int]
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    UNPLACED_REASON_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    CHOSEN_OPTION_FIELD_NUMBER: _ClassVar[int]
    TAKEN_FIELD_NUMBER: _ClassVar[int]
    REFUND_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    VOUCHER_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    VOUCHER_CODE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    PNR_FIELD_NUMBER: _ClassVar[int]
    SEATS_NEEDED_FIELD_NUMBER: _ClassVar[int]
    INFANTS_FIELD_NUMBER: _ClassVar[int]
    id: str
    booking_id: str
    flight_id: str
    flight_number: str
    reason: str
    rank: int
    state: str
    options: _containers.RepeatedCompositeFieldContainer[ReaccommodationOption]
    unplaced_reason: str
    deadline: _timestamp_pb2.Timestamp
    chosen_option: int
    taken: str
    refund_amount: int
    voucher_amount: int
    voucher_code: str
    currency: str
    pnr: str
    seats_needed: int
    infants: int
    def __init__(self, id: _Optional[str] = ..., booking_id: _Optional[str] = ..., flight_id: _Optional[str] = ..., flight_number: _Optional[str] = ..., reason: _Optional[str] = ..., rank: _Optional[int] = ..., state: _Optional[str] = ..., options: _Optional[_Iterable[_Union[ReaccommodationOption, _Mapping]]] = ..., unplaced_reason: _Optional[str] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., chosen_option: _Optional[int] = ..., taken: _Optional[str] = ..., refund_amount: _Optional[int] = ..., voucher_amount: _Optional[int] = ..., voucher_code: _Optional[str] = ..., currency: _Optional[str] = ..., pnr: _Optional[str] = ..., seats_needed: _Optional[int] = ..., infants: _Optional[int] = ...) -> None: ...

class ReaccommodationStatus(_message.Message):
    __slots__ = ("flight_id", "run_state", "last_error", "counts", "bookings")
    class CountsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    RUN_STATE_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    BOOKINGS_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    run_state: str
    last_error: str
    counts: _containers.ScalarMap[str, int]
    bookings: _containers.RepeatedCompositeFieldContainer[Reaccommodation]
    def __init__(self, flight_id: _Optional[str] = ..., run_state: _Optional[str] = ..., last_error: _Optional[str] = ..., counts: _Optional[_Mapping[str, int]] = ..., bookings: _Optional[_Iterable[_Union[Reaccommodation, _Mapping]]] = ...) -> None: ...

class GetCompensationRequest(_message.Message):
    __slots__ = ("access",)
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    access: Access
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ...) -> None: ...

class ClaimCompensationRequest(_message.Message):
    __slots__ = ("access", "method")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    access: Access
    method: str
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., method: _Optional[str] = ...) -> None: ...

class CompensationItem(_message.Message):
    __slots__ = ("passenger_id", "passenger_name", "flight_id", "flight_number", "reason", "explanation", "policy", "distance_km", "delay_minutes", "amount", "currency", "status", "method", "reference", "requested_by", "claim_id", "claimed_at", "paid_at")
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_NAME_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_KM_FIELD_NUMBER: _ClassVar[int]
    DELAY_MINUTES_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    CLAIM_ID_FIELD_NUMBER: _ClassVar[int]
    CLAIMED_AT_FIELD_NUMBER: _ClassVar[int]
    PAID_AT_FIELD_NUMBER: _ClassVar[int]
    passenger_id: str
    passenger_name: str
    flight_id: str
    flight_number: str
    reason: str
    explanation: str
    policy: str
    distance_km: float
    delay_minutes: int
    amount: int
    currency: str
    status: str
    method: str
    reference: str
    requested_by: str
    claim_id: str
    claimed_at: _timestamp_pb2.Timestamp
    paid_at: _timestamp_pb2.Timestamp
    def __init__(self, passenger_id: _Optional[str] = ..., passenger_name: _Optional[str] = ..., flight_id: _Optional[str] = ..., flight_number: _Optional[str] = ..., reason: _Optional[str] = ..., explanation: _Optional[str] = ..., policy: _Optional[str] = ..., distance_km: _Optional[float] = ..., delay_minutes: _Optional[int] = ..., amount: _Optional[int] = ..., currency: _Optional[str] = ..., status: _Optional[str] = ..., method: _Optional[str] = ..., reference: _Optional[str] = ..., requested_by: _Optional[str] = ..., claim_id: _Optional[str] = ..., claimed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., paid_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Compensation(_message.Message):
    __slots__ = ("booking_id", "policy", "policy_description", "currency", "items", "total_due", "total_paid")
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    POLICY_DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_DUE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_PAID_FIELD_NUMBER: _ClassVar[int]
    booking_id: str
    policy: str
    policy_description: str
    currency: str
    items: _containers.RepeatedCompositeFieldContainer[CompensationItem]
    total_due: int
    total_paid: int
    def __init__(self, booking_id: _Optional[str] = ..., policy: _Optional[str] = ..., policy_description: _Optional[str] = ..., currency: _Optional[str] = ..., items: _Optional[_Iterable[_Union[CompensationItem, _Mapping]]] = ..., total_due: _Optional[int] = ..., total_paid: _Optional[int] = ...) -> None: ...

class Access(_message.Message):
    __slots__ = ("booking_id", "manage_token", "pnr", "last_name")
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    MANAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PNR_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    booking_id: str
    manage_token: str
    pnr: str
    last_name: str
    def __init__(self, booking_id: _Optional[str] = ..., manage_token: _Optional[str] = ..., pnr: _Optional[str] = ..., last_name: _Optional[str] = ...) -> None: ...

class TravelDocument(_message.Message):
    __slots__ = ("type", "number", "issuing_country", "expiry")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    ISSUING_COUNTRY_FIELD_NUMBER: _ClassVar[int]
    EXPIRY_FIELD_NUMBER: _ClassVar[int]
    type: str
    number: str
    issuing_country: str
    expiry: str
    def __init__(self, type: _Optional[str] = ..., number: _Optional[str] = ..., issuing_country: _Optional[str] = ..., expiry: _Optional[str] = ...) -> None: ...

class Passenger(_message.Message):
    __slots__ = ("id", "type", "first_name", "last_name", "date_of_birth", "document", "infant_of", "meal", "cancelled")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    DATE_OF_BIRTH_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    INFANT_OF_FIELD_NUMBER: _ClassVar[int]
    MEAL_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    first_name: str
    last_name: str
    date_of_birth: str
    document: TravelDocument
    infant_of: str
    meal: str
    cancelled: bool
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., date_of_birth: _Optional[str] = ..., document: _Optional[_Union[TravelDocument, _Mapping]] = ..., infant_of: _Optional[str] = ..., meal: _Optional[str] = ..., cancelled: _Optional[bool] = ...) -> None: ...

class Contact(_message.Message):
    __slots__ = ("email", "phone")
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    email: str
    phone: str
    def __init__(self, email: _Optional[str] = ..., phone: _Optional[str] = ...) -> None: ...

class Leg(_message.Message):
    __slots__ = ("flight_id", "number", "origin", "destination", "scheduled_departure", "scheduled_arrival", "estimated_departure", "estimated_arrival", "status", "status_reason", "checked_bags", "bag_weight_kg", "refundable", "change_fee", "hold_id")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_DEPARTURE_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_ARRIVAL_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_DEPARTURE_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_ARRIVAL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_REASON_FIELD_NUMBER: _ClassVar[int]
    CHECKED_BAGS_FIELD_NUMBER: _ClassVar[int]
    BAG_WEIGHT_KG_FIELD_NUMBER: _ClassVar[int]
    REFUNDABLE_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FEE_FIELD_NUMBER: _ClassVar[int]
    HOLD_ID_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    number: str
    origin: str
    destination: str
    scheduled_departure: _timestamp_pb2.Timestamp
    scheduled_arrival: _timestamp_pb2.Timestamp
    estimated_departure: _timestamp_pb2.Timestamp
    estimated_arrival: _timestamp_pb2.Timestamp
    status: str
    status_reason: str
    checked_bags: int
    bag_weight_kg: int
    refundable: bool
    change_fee: int
    hold_id: str
    def __init__(self, flight_id: _Optional[str] = ..., number: _Optional[str] = ..., origin: _Optional[str] = ..., destination: _Optional[str] = ..., scheduled_departure: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., scheduled_arrival: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., estimated_departure: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., estimated_arrival: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[str] = ..., status_reason: _Optional[str] = ..., checked_bags: _Optional[int] = ..., bag_weight_kg: _Optional[int] = ..., refundable: _Optional[bool] = ..., change_fee: _Optional[int] = ..., hold_id: _Optional[str] = ...) -> None: ...

class SeatChoice(_message.Message):
    __slots__ = ("flight_id", "passenger_id", "seat", "seat_at_airport")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    SEAT_FIELD_NUMBER: _ClassVar[int]
    SEAT_AT_AIRPORT_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    passenger_id: str
    seat: str
    seat_at_airport: bool
    def __init__(self, flight_id: _Optional[str] = ..., passenger_id: _Optional[str] = ..., seat: _Optional[str] = ..., seat_at_airport: _Optional[bool] = ...) -> None: ...

class BagChoice(_message.Message):
    __slots__ = ("flight_id", "passenger_id", "extra_pieces", "overweight_kg", "included_pieces", "fee")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    EXTRA_PIECES_FIELD_NUMBER: _ClassVar[int]
    OVERWEIGHT_KG_FIELD_NUMBER: _ClassVar[int]
    INCLUDED_PIECES_FIELD_NUMBER: _ClassVar[int]
    FEE_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    passenger_id: str
    extra_pieces: int
    overweight_kg: int
    included_pieces: int
    fee: int
    def __init__(self, flight_id: _Optional[str] = ..., passenger_id: _Optional[str] = ..., extra_pieces: _Optional[int] = ..., overweight_kg: _Optional[int] = ..., included_pieces: _Optional[int] = ..., fee: _Optional[int] = ...) -> None: ...

class Ticket(_message.Message):
    __slots__ = ("passenger_id", "flight_id", "number")
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    passenger_id: str
    flight_id: str
    number: str
    def __init__(self, passenger_id: _Optional[str] = ..., flight_id: _Optional[str] = ..., number: _Optional[str] = ...) -> None: ...

class PaymentState(_message.Message):
    __slots__ = ("payment_id", "status", "next_action", "failure_code", "failure_message", "voucher_amount", "card_amount", "voucher_code")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    NEXT_ACTION_FIELD_NUMBER: _ClassVar[int]
    FAILURE_CODE_FIELD_NUMBER: _ClassVar[int]
    FAILURE_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    VOUCHER_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CARD_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    VOUCHER_CODE_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    status: str
    next_action: str
    failure_code: str
    failure_message: str
    voucher_amount: int
    card_amount: int
    voucher_code: str
    def __init__(self, payment_id: _Optional[str] = ..., status: _Optional[str] = ..., next_action: _Optional[str] = ..., failure_code: _Optional[str] = ..., failure_message: _Optional[str] = ..., voucher_amount: _Optional[int] = ..., card_amount: _Optional[int] = ..., voucher_code: _Optional[str] = ...) -> None: ...

class Booking(_message.Message):
    __slots__ = ("id", "state", "step", "pnr", "cabin_class", "trip_type", "adults", "children", "infants", "currency", "fare_total", "bag_total", "total", "legs", "passengers", "contact", "seats", "bags", "tickets", "payment", "flight_cancelled", "disruption", "refunded_amount", "cancel_reason", "manage_token", "expires_at", "created_at", "updated_at", "replayed", "reaccommodation", "ancillaries")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    PNR_FIELD_NUMBER: _ClassVar[int]
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    TRIP_TYPE_FIELD_NUMBER: _ClassVar[int]
    ADULTS_FIELD_NUMBER: _ClassVar[int]
    CHILDREN_FIELD_NUMBER: _ClassVar[int]
    INFANTS_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    FARE_TOTAL_FIELD_NUMBER: _ClassVar[int]
    BAG_TOTAL_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    LEGS_FIELD_NUMBER: _ClassVar[int]
    PASSENGERS_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    SEATS_FIELD_NUMBER: _ClassVar[int]
    BAGS_FIELD_NUMBER: _ClassVar[int]
    TICKETS_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_CANCELLED_FIELD_NUMBER: _ClassVar[int]
    DISRUPTION_FIELD_NUMBER: _ClassVar[int]
    REFUNDED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CANCEL_REASON_FIELD_NUMBER: _ClassVar[int]
    MANAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    REACCOMMODATION_FIELD_NUMBER: _ClassVar[int]
    ANCILLARIES_FIELD_NUMBER: _ClassVar[int]
    id: str
    state: str
    step: str
    pnr: str
    cabin_class: str
    trip_type: str
    adults: int
    children: int
    infants: int
    currency: str
    fare_total: int
    bag_total: int
    total: int
    legs: _containers.RepeatedCompositeFieldContainer[Leg]
    passengers: _containers.RepeatedCompositeFieldContainer[Passenger]
    contact: Contact
    seats: _containers.RepeatedCompositeFieldContainer[SeatChoice]
    bags: _containers.RepeatedCompositeFieldContainer[BagChoice]
    tickets: _containers.RepeatedCompositeFieldContainer[Ticket]
    payment: PaymentState
    flight_cancelled: bool
    disruption: str
    refunded_amount: int
    cancel_reason: str
    manage_token: str
    expires_at: _timestamp_pb2.Timestamp
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    replayed: bool
    reaccommodation: Reaccommodation
    ancillaries: _containers.RepeatedCompositeFieldContainer[Ancillary]
    def __init__(self, id: _Optional[str] = ..., state: _Optional[str] = ..., step: _Optional[str] = ..., pnr: _Optional[str] = ..., cabin_class: _Optional[str] = ..., trip_type: _Optional[str] = ..., adults: _Optional[int] = ..., children: _Optional[int] = ..., infants: _Optional[int] = ..., currency: _Optional[str] = ..., fare_total: _Optional[int] = ..., bag_total: _Optional[int] = ..., total: _Optional[int] = ..., legs: _Optional[_Iterable[_Union[Leg, _Mapping]]] = ..., passengers: _Optional[_Iterable[_Union[Passenger, _Mapping]]] = ..., contact: _Optional[_Union[Contact, _Mapping]] = ..., seats: _Optional[_Iterable[_Union[SeatChoice, _Mapping]]] = ..., bags: _Optional[_Iterable[_Union[BagChoice, _Mapping]]] = ..., tickets: _Optional[_Iterable[_Union[Ticket, _Mapping]]] = ..., payment: _Optional[_Union[PaymentState, _Mapping]] = ..., flight_cancelled: _Optional[bool] = ..., disruption: _Optional[str] = ..., refunded_amount: _Optional[int] = ..., cancel_reason: _Optional[str] = ..., manage_token: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., replayed: _Optional[bool] = ..., reaccommodation: _Optional[_Union[Reaccommodation, _Mapping]] = ..., ancillaries: _Optional[_Iterable[_Union[Ancillary, _Mapping]]] = ...) -> None: ...

class CreateBookingRequest(_message.Message):
    __slots__ = ("offer_id", "idempotency_key", "client_address")
    OFFER_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    offer_id: str
    idempotency_key: str
    client_address: str
    def __init__(self, offer_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., client_address: _Optional[str] = ...) -> None: ...

class GetBookingRequest(_message.Message):
    __slots__ = ("access",)
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    access: Access
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ...) -> None: ...

class ListBookingsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListBookingsResponse(_message.Message):
    __slots__ = ("bookings",)
    BOOKINGS_FIELD_NUMBER: _ClassVar[int]
    bookings: _containers.RepeatedCompositeFieldContainer[Booking]
    def __init__(self, bookings: _Optional[_Iterable[_Union[Booking, _Mapping]]] = ...) -> None: ...

class FindBookingRequest(_message.Message):
    __slots__ = ("pnr", "last_name")
    PNR_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    pnr: str
    last_name: str
    def __init__(self, pnr: _Optional[str] = ..., last_name: _Optional[str] = ...) -> None: ...

class SearchBookingsRequest(_message.Message):
    __slots__ = ("query", "email", "phone", "flight", "date", "page_size")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    query: str
    email: str
    phone: str
    flight: str
    date: str
    page_size: int
    def __init__(self, query: _Optional[str] = ..., email: _Optional[str] = ..., phone: _Optional[str] = ..., flight: _Optional[str] = ..., date: _Optional[str] = ..., page_size: _Optional[int] = ...) -> None: ...

class BookingHitPassenger(_message.Message):
    __slots__ = ("id", "type", "first_name", "last_name")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    first_name: str
    last_name: str
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ...) -> None: ...

class BookingHitLeg(_message.Message):
    __slots__ = ("flight_id", "number", "origin", "destination", "date", "scheduled_departure")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_DEPARTURE_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    number: str
    origin: str
    destination: str
    date: str
    scheduled_departure: _timestamp_pb2.Timestamp
    def __init__(self, flight_id: _Optional[str] = ..., number: _Optional[str] = ..., origin: _Optional[str] = ..., destination: _Optional[str] = ..., date: _Optional[str] = ..., scheduled_departure: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class BookingHit(_message.Message):
    __slots__ = ("id", "pnr", "state", "passengers", "contact", "legs", "score", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    PNR_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    PASSENGERS_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    LEGS_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    pnr: str
    state: str
    passengers: _containers.RepeatedCompositeFieldContainer[BookingHitPassenger]
    contact: Contact
    legs: _containers.RepeatedCompositeFieldContainer[BookingHitLeg]
    score: float
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., pnr: _Optional[str] = ..., state: _Optional[str] = ..., passengers: _Optional[_Iterable[_Union[BookingHitPassenger, _Mapping]]] = ..., contact: _Optional[_Union[Contact, _Mapping]] = ..., legs: _Optional[_Iterable[_Union[BookingHitLeg, _Mapping]]] = ..., score: _Optional[float] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SearchBookingsResponse(_message.Message):
    __slots__ = ("bookings",)
    BOOKINGS_FIELD_NUMBER: _ClassVar[int]
    bookings: _containers.RepeatedCompositeFieldContainer[BookingHit]
    def __init__(self, bookings: _Optional[_Iterable[_Union[BookingHit, _Mapping]]] = ...) -> None: ...

class SetPassengersRequest(_message.Message):
    __slots__ = ("access", "passengers", "contact")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    PASSENGERS_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    access: Access
    passengers: _containers.RepeatedCompositeFieldContainer[Passenger]
    contact: Contact
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., passengers: _Optional[_Iterable[_Union[Passenger, _Mapping]]] = ..., contact: _Optional[_Union[Contact, _Mapping]] = ...) -> None: ...

class SelectSeatsRequest(_message.Message):
    __slots__ = ("access", "flight_id", "seats", "seat_at_airport")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    SEATS_FIELD_NUMBER: _ClassVar[int]
    SEAT_AT_AIRPORT_FIELD_NUMBER: _ClassVar[int]
    access: Access
    flight_id: str
    seats: _containers.RepeatedCompositeFieldContainer[SeatChoice]
    seat_at_airport: bool
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., flight_id: _Optional[str] = ..., seats: _Optional[_Iterable[_Union[SeatChoice, _Mapping]]] = ..., seat_at_airport: _Optional[bool] = ...) -> None: ...

class SetLuggageRequest(_message.Message):
    __slots__ = ("access", "bags")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    BAGS_FIELD_NUMBER: _ClassVar[int]
    access: Access
    bags: _containers.RepeatedCompositeFieldContainer[BagChoice]
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., bags: _Optional[_Iterable[_Union[BagChoice, _Mapping]]] = ...) -> None: ...

class KeepDraftRequest(_message.Message):
    __slots__ = ("access",)
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    access: Access
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ...) -> None: ...

class PayRequest(_message.Message):
    __slots__ = ("access", "idempotency_key", "card", "e_wallet", "voucher")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    CARD_FIELD_NUMBER: _ClassVar[int]
    E_WALLET_FIELD_NUMBER: _ClassVar[int]
    VOUCHER_FIELD_NUMBER: _ClassVar[int]
    access: Access
    idempotency_key: str
    card: _payment_method_pb2.Card
    e_wallet: _payment_method_pb2.EWallet
    voucher: _payment_method_pb2.VoucherPart
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., idempotency_key: _Optional[str] = ..., card: _Optional[_Union[_payment_method_pb2.Card, _Mapping]] = ..., e_wallet: _Optional[_Union[_payment_method_pb2.EWallet, _Mapping]] = ..., voucher: _Optional[_Union[_payment_method_pb2.VoucherPart, _Mapping]] = ...) -> None: ...

class CompletePaymentRequest(_message.Message):
    __slots__ = ("access", "code")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    access: Access
    code: str
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., code: _Optional[str] = ...) -> None: ...

class CancelBookingRequest(_message.Message):
    __slots__ = ("access", "reason")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    access: Access
    reason: str
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class QuoteCancelRequest(_message.Message):
    __slots__ = ("access",)
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    access: Access
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ...) -> None: ...

class CancelQuote(_message.Message):
    __slots__ = ("booking_id", "refund_amount", "fare_refund", "changes_refund", "currency", "no_show", "refundable")
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    REFUND_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    FARE_REFUND_FIELD_NUMBER: _ClassVar[int]
    CHANGES_REFUND_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    NO_SHOW_FIELD_NUMBER: _ClassVar[int]
    REFUNDABLE_FIELD_NUMBER: _ClassVar[int]
    booking_id: str
    refund_amount: int
    fare_refund: int
    changes_refund: int
    currency: str
    no_show: bool
    refundable: bool
    def __init__(self, booking_id: _Optional[str] = ..., refund_amount: _Optional[int] = ..., fare_refund: _Optional[int] = ..., changes_refund: _Optional[int] = ..., currency: _Optional[str] = ..., no_show: _Optional[bool] = ..., refundable: _Optional[bool] = ...) -> None: ...

class ChangeSeatRequest(_message.Message):
    __slots__ = ("access", "flight_id", "passenger_id", "seat")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    SEAT_FIELD_NUMBER: _ClassVar[int]
    access: Access
    flight_id: str
    passenger_id: str
    seat: str
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., flight_id: _Optional[str] = ..., passenger_id: _Optional[str] = ..., seat: _Optional[str] = ...) -> None: ...

class ChangeOptionsRequest(_message.Message):
    __slots__ = ("access", "leg", "date")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    LEG_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    access: Access
    leg: int
    date: str
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., leg: _Optional[int] = ..., date: _Optional[str] = ...) -> None: ...

class ChangeOption(_message.Message):
    __slots__ = ("flight_id", "number", "scheduled_departure", "scheduled_arrival", "seats_left", "change_fee", "fare_difference", "total_due", "residual", "currency")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_DEPARTURE_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_ARRIVAL_FIELD_NUMBER: _ClassVar[int]
    SEATS_LEFT_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FEE_FIELD_NUMBER: _ClassVar[int]
    FARE_DIFFERENCE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_DUE_FIELD_NUMBER: _ClassVar[int]
    RESIDUAL_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    number: str
    scheduled_departure: _timestamp_pb2.Timestamp
    scheduled_arrival: _timestamp_pb2.Timestamp
    seats_left: int
    change_fee: int
    fare_difference: int
    total_due: int
    residual: int
    currency: str
    def __init__(self, flight_id: _Optional[str] = ..., number: _Optional[str] = ..., scheduled_departure: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., scheduled_arrival: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., seats_left: _Optional[int] = ..., change_fee: _Optional[int] = ..., fare_difference: _Optional[int] = ..., total_due: _Optional[int] = ..., residual: _Optional[int] = ..., currency: _Optional[str] = ...) -> None: ...

class ChangeOptions(_message.Message):
    __slots__ = ("leg", "options")
    LEG_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    leg: int
    options: _containers.RepeatedCompositeFieldContainer[ChangeOption]
    def __init__(self, leg: _Optional[int] = ..., options: _Optional[_Iterable[_Union[ChangeOption, _Mapping]]] = ...) -> None: ...

class LegChange(_message.Message):
    __slots__ = ("leg", "flight_id")
    LEG_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    leg: int
    flight_id: str
    def __init__(self, leg: _Optional[int] = ..., flight_id: _Optional[str] = ...) -> None: ...

class QuoteChangeRequest(_message.Message):
    __slots__ = ("access", "legs")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    LEGS_FIELD_NUMBER: _ClassVar[int]
    access: Access
    legs: _containers.RepeatedCompositeFieldContainer[LegChange]
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., legs: _Optional[_Iterable[_Union[LegChange, _Mapping]]] = ...) -> None: ...

class QuotedLeg(_message.Message):
    __slots__ = ("leg", "from_flight_id", "flight_id", "number", "scheduled_departure")
    LEG_FIELD_NUMBER: _ClassVar[int]
    FROM_FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_DEPARTURE_FIELD_NUMBER: _ClassVar[int]
    leg: int
    from_flight_id: str
    flight_id: str
    number: str
    scheduled_departure: _timestamp_pb2.Timestamp
    def __init__(self, leg: _Optional[int] = ..., from_flight_id: _Optional[str] = ..., flight_id: _Optional[str] = ..., number: _Optional[str] = ..., scheduled_departure: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ChangeQuote(_message.Message):
    __slots__ = ("quote_id", "legs", "change_fee", "fare_difference", "total_due", "residual_voucher", "currency", "expires_at")
    QUOTE_ID_FIELD_NUMBER: _ClassVar[int]
    LEGS_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FEE_FIELD_NUMBER: _ClassVar[int]
    FARE_DIFFERENCE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_DUE_FIELD_NUMBER: _ClassVar[int]
    RESIDUAL_VOUCHER_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    quote_id: str
    legs: _containers.RepeatedCompositeFieldContainer[QuotedLeg]
    change_fee: int
    fare_difference: int
    total_due: int
    residual_voucher: int
    currency: str
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, quote_id: _Optional[str] = ..., legs: _Optional[_Iterable[_Union[QuotedLeg, _Mapping]]] = ..., change_fee: _Optional[int] = ..., fare_difference: _Optional[int] = ..., total_due: _Optional[int] = ..., residual_voucher: _Optional[int] = ..., currency: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ChangeFlightsRequest(_message.Message):
    __slots__ = ("access", "quote_id", "card", "e_wallet", "voucher")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    QUOTE_ID_FIELD_NUMBER: _ClassVar[int]
    CARD_FIELD_NUMBER: _ClassVar[int]
    E_WALLET_FIELD_NUMBER: _ClassVar[int]
    VOUCHER_FIELD_NUMBER: _ClassVar[int]
    access: Access
    quote_id: str
    card: _payment_method_pb2.Card
    e_wallet: _payment_method_pb2.EWallet
    voucher: _payment_method_pb2.VoucherPart
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., quote_id: _Optional[str] = ..., card: _Optional[_Union[_payment_method_pb2.Card, _Mapping]] = ..., e_wallet: _Optional[_Union[_payment_method_pb2.EWallet, _Mapping]] = ..., voucher: _Optional[_Union[_payment_method_pb2.VoucherPart, _Mapping]] = ...) -> None: ...

class GetBookingHistoryRequest(_message.Message):
    __slots__ = ("access",)
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    access: Access
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ...) -> None: ...

class HistoryActor(_message.Message):
    __slots__ = ("role", "subject")
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    role: str
    subject: str
    def __init__(self, role: _Optional[str] = ..., subject: _Optional[str] = ...) -> None: ...

class HistoryEntry(_message.Message):
    __slots__ = ("at", "kind", "summary", "actor", "reason", "details")
    AT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    at: str
    kind: str
    summary: str
    actor: HistoryActor
    reason: str
    details: _struct_pb2.Struct
    def __init__(self, at: _Optional[str] = ..., kind: _Optional[str] = ..., summary: _Optional[str] = ..., actor: _Optional[_Union[HistoryActor, _Mapping]] = ..., reason: _Optional[str] = ..., details: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class BookingHistory(_message.Message):
    __slots__ = ("booking_id", "pnr", "entries")
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    PNR_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    booking_id: str
    pnr: str
    entries: _containers.RepeatedCompositeFieldContainer[HistoryEntry]
    def __init__(self, booking_id: _Optional[str] = ..., pnr: _Optional[str] = ..., entries: _Optional[_Iterable[_Union[HistoryEntry, _Mapping]]] = ...) -> None: ...

class ResendConfirmationRequest(_message.Message):
    __slots__ = ("access", "resend_id")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    RESEND_ID_FIELD_NUMBER: _ClassVar[int]
    access: Access
    resend_id: str
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., resend_id: _Optional[str] = ...) -> None: ...

class ResendConfirmationResponse(_message.Message):
    __slots__ = ("booking_id", "resent")
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    RESENT_FIELD_NUMBER: _ClassVar[int]
    booking_id: str
    resent: bool
    def __init__(self, booking_id: _Optional[str] = ..., resent: _Optional[bool] = ...) -> None: ...

class AncillariesRequest(_message.Message):
    __slots__ = ("access",)
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    access: Access
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ...) -> None: ...

class BagAncillary(_message.Message):
    __slots__ = ("flight_id", "passenger_id", "included_pieces", "extra_pieces", "piece_price", "max_extra_pieces")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDED_PIECES_FIELD_NUMBER: _ClassVar[int]
    EXTRA_PIECES_FIELD_NUMBER: _ClassVar[int]
    PIECE_PRICE_FIELD_NUMBER: _ClassVar[int]
    MAX_EXTRA_PIECES_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    passenger_id: str
    included_pieces: int
    extra_pieces: int
    piece_price: int
    max_extra_pieces: int
    def __init__(self, flight_id: _Optional[str] = ..., passenger_id: _Optional[str] = ..., included_pieces: _Optional[int] = ..., extra_pieces: _Optional[int] = ..., piece_price: _Optional[int] = ..., max_extra_pieces: _Optional[int] = ...) -> None: ...

class MealOffer(_message.Message):
    __slots__ = ("code", "name", "price")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    price: int
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., price: _Optional[int] = ...) -> None: ...

class MealOrder(_message.Message):
    __slots__ = ("flight_id", "passenger_id", "code")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    passenger_id: str
    code: str
    def __init__(self, flight_id: _Optional[str] = ..., passenger_id: _Optional[str] = ..., code: _Optional[str] = ...) -> None: ...

class Ancillaries(_message.Message):
    __slots__ = ("currency", "bags", "meals", "meal_orders", "open", "closes_at")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    BAGS_FIELD_NUMBER: _ClassVar[int]
    MEALS_FIELD_NUMBER: _ClassVar[int]
    MEAL_ORDERS_FIELD_NUMBER: _ClassVar[int]
    OPEN_FIELD_NUMBER: _ClassVar[int]
    CLOSES_AT_FIELD_NUMBER: _ClassVar[int]
    currency: str
    bags: _containers.RepeatedCompositeFieldContainer[BagAncillary]
    meals: _containers.RepeatedCompositeFieldContainer[MealOffer]
    meal_orders: _containers.RepeatedCompositeFieldContainer[MealOrder]
    open: bool
    closes_at: _timestamp_pb2.Timestamp
    def __init__(self, currency: _Optional[str] = ..., bags: _Optional[_Iterable[_Union[BagAncillary, _Mapping]]] = ..., meals: _Optional[_Iterable[_Union[MealOffer, _Mapping]]] = ..., meal_orders: _Optional[_Iterable[_Union[MealOrder, _Mapping]]] = ..., open: _Optional[bool] = ..., closes_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class BagWanted(_message.Message):
    __slots__ = ("flight_id", "passenger_id", "extra_pieces")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    EXTRA_PIECES_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    passenger_id: str
    extra_pieces: int
    def __init__(self, flight_id: _Optional[str] = ..., passenger_id: _Optional[str] = ..., extra_pieces: _Optional[int] = ...) -> None: ...

class QuoteAncillariesRequest(_message.Message):
    __slots__ = ("access", "bags", "meals")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    BAGS_FIELD_NUMBER: _ClassVar[int]
    MEALS_FIELD_NUMBER: _ClassVar[int]
    access: Access
    bags: _containers.RepeatedCompositeFieldContainer[BagWanted]
    meals: _containers.RepeatedCompositeFieldContainer[MealOrder]
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., bags: _Optional[_Iterable[_Union[BagWanted, _Mapping]]] = ..., meals: _Optional[_Iterable[_Union[MealOrder, _Mapping]]] = ...) -> None: ...

class AncillaryItem(_message.Message):
    __slots__ = ("kind", "flight_id", "passenger_id", "description", "amount")
    KIND_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    kind: str
    flight_id: str
    passenger_id: str
    description: str
    amount: int
    def __init__(self, kind: _Optional[str] = ..., flight_id: _Optional[str] = ..., passenger_id: _Optional[str] = ..., description: _Optional[str] = ..., amount: _Optional[int] = ...) -> None: ...

class AncillaryQuote(_message.Message):
    __slots__ = ("quote_id", "items", "total", "currency", "expires_at")
    QUOTE_ID_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    quote_id: str
    items: _containers.RepeatedCompositeFieldContainer[AncillaryItem]
    total: int
    currency: str
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, quote_id: _Optional[str] = ..., items: _Optional[_Iterable[_Union[AncillaryItem, _Mapping]]] = ..., total: _Optional[int] = ..., currency: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class BuyAncillariesRequest(_message.Message):
    __slots__ = ("access", "quote_id", "card", "e_wallet", "voucher")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    QUOTE_ID_FIELD_NUMBER: _ClassVar[int]
    CARD_FIELD_NUMBER: _ClassVar[int]
    E_WALLET_FIELD_NUMBER: _ClassVar[int]
    VOUCHER_FIELD_NUMBER: _ClassVar[int]
    access: Access
    quote_id: str
    card: _payment_method_pb2.Card
    e_wallet: _payment_method_pb2.EWallet
    voucher: _payment_method_pb2.VoucherPart
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., quote_id: _Optional[str] = ..., card: _Optional[_Union[_payment_method_pb2.Card, _Mapping]] = ..., e_wallet: _Optional[_Union[_payment_method_pb2.EWallet, _Mapping]] = ..., voucher: _Optional[_Union[_payment_method_pb2.VoucherPart, _Mapping]] = ...) -> None: ...

class Ancillary(_message.Message):
    __slots__ = ("emd_number", "kind", "flight_id", "passenger_id", "description", "amount", "currency", "issued_at")
    EMD_NUMBER_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    emd_number: str
    kind: str
    flight_id: str
    passenger_id: str
    description: str
    amount: int
    currency: str
    issued_at: _timestamp_pb2.Timestamp
    def __init__(self, emd_number: _Optional[str] = ..., kind: _Optional[str] = ..., flight_id: _Optional[str] = ..., passenger_id: _Optional[str] = ..., description: _Optional[str] = ..., amount: _Optional[int] = ..., currency: _Optional[str] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReceiptRequest(_message.Message):
    __slots__ = ("access",)
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    access: Access
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ...) -> None: ...

class ReceiptLine(_message.Message):
    __slots__ = ("kind", "description", "document", "amount")
    KIND_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    kind: str
    description: str
    document: str
    amount: int
    def __init__(self, kind: _Optional[str] = ..., description: _Optional[str] = ..., document: _Optional[str] = ..., amount: _Optional[int] = ...) -> None: ...

class Receipt(_message.Message):
    __slots__ = ("booking_id", "pnr", "currency", "lines", "total_paid", "total_refunded")
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    PNR_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_PAID_FIELD_NUMBER: _ClassVar[int]
    TOTAL_REFUNDED_FIELD_NUMBER: _ClassVar[int]
    booking_id: str
    pnr: str
    currency: str
    lines: _containers.RepeatedCompositeFieldContainer[ReceiptLine]
    total_paid: int
    total_refunded: int
    def __init__(self, booking_id: _Optional[str] = ..., pnr: _Optional[str] = ..., currency: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[ReceiptLine, _Mapping]]] = ..., total_paid: _Optional[int] = ..., total_refunded: _Optional[int] = ...) -> None: ...
