import datetime

from airline.common.v1 import payment_method_pb2 as _payment_method_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

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
    __slots__ = ("id", "type", "first_name", "last_name", "date_of_birth", "document", "infant_of", "meal")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    DATE_OF_BIRTH_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    INFANT_OF_FIELD_NUMBER: _ClassVar[int]
    MEAL_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    first_name: str
    last_name: str
    date_of_birth: str
    document: TravelDocument
    infant_of: str
    meal: str
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., date_of_birth: _Optional[str] = ..., document: _Optional[_Union[TravelDocument, _Mapping]] = ..., infant_of: _Optional[str] = ..., meal: _Optional[str] = ...) -> None: ...

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
    __slots__ = ("flight_id", "passenger_id", "seat")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    SEAT_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    passenger_id: str
    seat: str
    def __init__(self, flight_id: _Optional[str] = ..., passenger_id: _Optional[str] = ..., seat: _Optional[str] = ...) -> None: ...

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
    __slots__ = ("payment_id", "status", "next_action", "failure_code", "failure_message")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    NEXT_ACTION_FIELD_NUMBER: _ClassVar[int]
    FAILURE_CODE_FIELD_NUMBER: _ClassVar[int]
    FAILURE_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    status: str
    next_action: str
    failure_code: str
    failure_message: str
    def __init__(self, payment_id: _Optional[str] = ..., status: _Optional[str] = ..., next_action: _Optional[str] = ..., failure_code: _Optional[str] = ..., failure_message: _Optional[str] = ...) -> None: ...

class Booking(_message.Message):
    __slots__ = ("id", "state", "step", "pnr", "cabin_class", "trip_type", "adults", "children", "infants", "currency", "fare_total", "bag_total", "total", "legs", "passengers", "contact", "seats", "bags", "tickets", "payment", "flight_cancelled", "disruption", "refunded_amount", "cancel_reason", "manage_token", "expires_at", "created_at", "updated_at", "replayed")
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
    def __init__(self, id: _Optional[str] = ..., state: _Optional[str] = ..., step: _Optional[str] = ..., pnr: _Optional[str] = ..., cabin_class: _Optional[str] = ..., trip_type: _Optional[str] = ..., adults: _Optional[int] = ..., children: _Optional[int] = ..., infants: _Optional[int] = ..., currency: _Optional[str] = ..., fare_total: _Optional[int] = ..., bag_total: _Optional[int] = ..., total: _Optional[int] = ..., legs: _Optional[_Iterable[_Union[Leg, _Mapping]]] = ..., passengers: _Optional[_Iterable[_Union[Passenger, _Mapping]]] = ..., contact: _Optional[_Union[Contact, _Mapping]] = ..., seats: _Optional[_Iterable[_Union[SeatChoice, _Mapping]]] = ..., bags: _Optional[_Iterable[_Union[BagChoice, _Mapping]]] = ..., tickets: _Optional[_Iterable[_Union[Ticket, _Mapping]]] = ..., payment: _Optional[_Union[PaymentState, _Mapping]] = ..., flight_cancelled: _Optional[bool] = ..., disruption: _Optional[str] = ..., refunded_amount: _Optional[int] = ..., cancel_reason: _Optional[str] = ..., manage_token: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., replayed: _Optional[bool] = ...) -> None: ...

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
    __slots__ = ("access", "flight_id", "seats")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    SEATS_FIELD_NUMBER: _ClassVar[int]
    access: Access
    flight_id: str
    seats: _containers.RepeatedCompositeFieldContainer[SeatChoice]
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., flight_id: _Optional[str] = ..., seats: _Optional[_Iterable[_Union[SeatChoice, _Mapping]]] = ...) -> None: ...

class SetLuggageRequest(_message.Message):
    __slots__ = ("access", "bags")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    BAGS_FIELD_NUMBER: _ClassVar[int]
    access: Access
    bags: _containers.RepeatedCompositeFieldContainer[BagChoice]
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., bags: _Optional[_Iterable[_Union[BagChoice, _Mapping]]] = ...) -> None: ...

class PayRequest(_message.Message):
    __slots__ = ("access", "idempotency_key", "card", "e_wallet")
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    CARD_FIELD_NUMBER: _ClassVar[int]
    E_WALLET_FIELD_NUMBER: _ClassVar[int]
    access: Access
    idempotency_key: str
    card: _payment_method_pb2.Card
    e_wallet: _payment_method_pb2.EWallet
    def __init__(self, access: _Optional[_Union[Access, _Mapping]] = ..., idempotency_key: _Optional[str] = ..., card: _Optional[_Union[_payment_method_pb2.Card, _Mapping]] = ..., e_wallet: _Optional[_Union[_payment_method_pb2.EWallet, _Mapping]] = ...) -> None: ...

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
