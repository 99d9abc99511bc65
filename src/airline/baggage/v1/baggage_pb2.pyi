import datetime

from airline.common.v1 import payment_method_pb2 as _payment_method_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Bag(_message.Message):
    __slots__ = ("id", "tag", "status", "booking_id", "pnr", "passenger_id", "first_name", "last_name", "flight_id", "flight_number", "origin", "destination", "plane_id", "plane_registration", "weight_g", "length_cm", "width_cm", "height_cm", "fee", "currency", "fee_reasons", "payment_id", "created_at", "accepted_at", "updated_at", "replayed", "seq")
    ID_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    PNR_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    PLANE_ID_FIELD_NUMBER: _ClassVar[int]
    PLANE_REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_G_FIELD_NUMBER: _ClassVar[int]
    LENGTH_CM_FIELD_NUMBER: _ClassVar[int]
    WIDTH_CM_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_CM_FIELD_NUMBER: _ClassVar[int]
    FEE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    FEE_REASONS_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    id: str
    tag: str
    status: str
    booking_id: str
    pnr: str
    passenger_id: str
    first_name: str
    last_name: str
    flight_id: str
    flight_number: str
    origin: str
    destination: str
    plane_id: str
    plane_registration: str
    weight_g: int
    length_cm: int
    width_cm: int
    height_cm: int
    fee: int
    currency: str
    fee_reasons: _containers.RepeatedScalarFieldContainer[str]
    payment_id: str
    created_at: _timestamp_pb2.Timestamp
    accepted_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    replayed: bool
    seq: int
    def __init__(self, id: _Optional[str] = ..., tag: _Optional[str] = ..., status: _Optional[str] = ..., booking_id: _Optional[str] = ..., pnr: _Optional[str] = ..., passenger_id: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., flight_id: _Optional[str] = ..., flight_number: _Optional[str] = ..., origin: _Optional[str] = ..., destination: _Optional[str] = ..., plane_id: _Optional[str] = ..., plane_registration: _Optional[str] = ..., weight_g: _Optional[int] = ..., length_cm: _Optional[int] = ..., width_cm: _Optional[int] = ..., height_cm: _Optional[int] = ..., fee: _Optional[int] = ..., currency: _Optional[str] = ..., fee_reasons: _Optional[_Iterable[str]] = ..., payment_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., accepted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., replayed: _Optional[bool] = ..., seq: _Optional[int] = ...) -> None: ...

class TrackingEvent(_message.Message):
    __slots__ = ("seq", "status", "airport", "location", "at", "recorded_by", "role", "event_id")
    SEQ_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AIRPORT_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    seq: int
    status: str
    airport: str
    location: str
    at: _timestamp_pb2.Timestamp
    recorded_by: str
    role: str
    event_id: str
    def __init__(self, seq: _Optional[int] = ..., status: _Optional[str] = ..., airport: _Optional[str] = ..., location: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., recorded_by: _Optional[str] = ..., role: _Optional[str] = ..., event_id: _Optional[str] = ...) -> None: ...

class BagDetail(_message.Message):
    __slots__ = ("bag", "history")
    BAG_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    bag: Bag
    history: _containers.RepeatedCompositeFieldContainer[TrackingEvent]
    def __init__(self, bag: _Optional[_Union[Bag, _Mapping]] = ..., history: _Optional[_Iterable[_Union[TrackingEvent, _Mapping]]] = ...) -> None: ...

class DropBagRequest(_message.Message):
    __slots__ = ("booking_id", "passenger_id", "flight_id", "weight_kg", "length_cm", "width_cm", "height_cm", "idempotency_key", "location")
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_KG_FIELD_NUMBER: _ClassVar[int]
    LENGTH_CM_FIELD_NUMBER: _ClassVar[int]
    WIDTH_CM_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_CM_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    booking_id: str
    passenger_id: str
    flight_id: str
    weight_kg: str
    length_cm: int
    width_cm: int
    height_cm: int
    idempotency_key: str
    location: str
    def __init__(self, booking_id: _Optional[str] = ..., passenger_id: _Optional[str] = ..., flight_id: _Optional[str] = ..., weight_kg: _Optional[str] = ..., length_cm: _Optional[int] = ..., width_cm: _Optional[int] = ..., height_cm: _Optional[int] = ..., idempotency_key: _Optional[str] = ..., location: _Optional[str] = ...) -> None: ...

class PayBagRequest(_message.Message):
    __slots__ = ("bag_id", "idempotency_key", "card", "e_wallet")
    BAG_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    CARD_FIELD_NUMBER: _ClassVar[int]
    E_WALLET_FIELD_NUMBER: _ClassVar[int]
    bag_id: str
    idempotency_key: str
    card: _payment_method_pb2.Card
    e_wallet: _payment_method_pb2.EWallet
    def __init__(self, bag_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., card: _Optional[_Union[_payment_method_pb2.Card, _Mapping]] = ..., e_wallet: _Optional[_Union[_payment_method_pb2.EWallet, _Mapping]] = ...) -> None: ...

class GetBagRequest(_message.Message):
    __slots__ = ("tag", "bag_id", "pnr", "last_name")
    TAG_FIELD_NUMBER: _ClassVar[int]
    BAG_ID_FIELD_NUMBER: _ClassVar[int]
    PNR_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    tag: str
    bag_id: str
    pnr: str
    last_name: str
    def __init__(self, tag: _Optional[str] = ..., bag_id: _Optional[str] = ..., pnr: _Optional[str] = ..., last_name: _Optional[str] = ...) -> None: ...

class RecordEventRequest(_message.Message):
    __slots__ = ("tag", "status", "airport", "location", "at", "event_id")
    TAG_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AIRPORT_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    tag: str
    status: str
    airport: str
    location: str
    at: _timestamp_pb2.Timestamp
    event_id: str
    def __init__(self, tag: _Optional[str] = ..., status: _Optional[str] = ..., airport: _Optional[str] = ..., location: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., event_id: _Optional[str] = ...) -> None: ...

class ListBagsRequest(_message.Message):
    __slots__ = ("tag", "name", "flight_id", "status", "page_size", "page_token")
    TAG_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tag: str
    name: str
    flight_id: str
    status: str
    page_size: int
    page_token: str
    def __init__(self, tag: _Optional[str] = ..., name: _Optional[str] = ..., flight_id: _Optional[str] = ..., status: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListBagsResponse(_message.Message):
    __slots__ = ("bags", "next_page_token")
    BAGS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    bags: _containers.RepeatedCompositeFieldContainer[Bag]
    next_page_token: str
    def __init__(self, bags: _Optional[_Iterable[_Union[Bag, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetManifestRequest(_message.Message):
    __slots__ = ("flight_id",)
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    def __init__(self, flight_id: _Optional[str] = ...) -> None: ...

class ManifestLine(_message.Message):
    __slots__ = ("tag", "bag_id", "passenger_name", "passenger_id", "pnr", "weight_g", "status", "offload")
    TAG_FIELD_NUMBER: _ClassVar[int]
    BAG_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_NAME_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    PNR_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_G_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OFFLOAD_FIELD_NUMBER: _ClassVar[int]
    tag: str
    bag_id: str
    passenger_name: str
    passenger_id: str
    pnr: str
    weight_g: int
    status: str
    offload: bool
    def __init__(self, tag: _Optional[str] = ..., bag_id: _Optional[str] = ..., passenger_name: _Optional[str] = ..., passenger_id: _Optional[str] = ..., pnr: _Optional[str] = ..., weight_g: _Optional[int] = ..., status: _Optional[str] = ..., offload: _Optional[bool] = ...) -> None: ...

class Manifest(_message.Message):
    __slots__ = ("flight_id", "flight_number", "plane_id", "plane_registration", "bags", "count", "total_weight_g", "not_loaded")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PLANE_ID_FIELD_NUMBER: _ClassVar[int]
    PLANE_REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    BAGS_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_WEIGHT_G_FIELD_NUMBER: _ClassVar[int]
    NOT_LOADED_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    flight_number: str
    plane_id: str
    plane_registration: str
    bags: _containers.RepeatedCompositeFieldContainer[ManifestLine]
    count: int
    total_weight_g: int
    not_loaded: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, flight_id: _Optional[str] = ..., flight_number: _Optional[str] = ..., plane_id: _Optional[str] = ..., plane_registration: _Optional[str] = ..., bags: _Optional[_Iterable[_Union[ManifestLine, _Mapping]]] = ..., count: _Optional[int] = ..., total_weight_g: _Optional[int] = ..., not_loaded: _Optional[_Iterable[str]] = ...) -> None: ...

class ListBookingBagsRequest(_message.Message):
    __slots__ = ("booking_id", "pnr", "last_name")
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    PNR_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    booking_id: str
    pnr: str
    last_name: str
    def __init__(self, booking_id: _Optional[str] = ..., pnr: _Optional[str] = ..., last_name: _Optional[str] = ...) -> None: ...

class TagImage(_message.Message):
    __slots__ = ("tag", "svg")
    TAG_FIELD_NUMBER: _ClassVar[int]
    SVG_FIELD_NUMBER: _ClassVar[int]
    tag: str
    svg: str
    def __init__(self, tag: _Optional[str] = ..., svg: _Optional[str] = ...) -> None: ...

class Reconciliation(_message.Message):
    __slots__ = ("flight_id", "flight_number", "door_closed", "to_offload", "still_loaded", "flying_bags", "flying_weight_g", "ready", "loaded_bags")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DOOR_CLOSED_FIELD_NUMBER: _ClassVar[int]
    TO_OFFLOAD_FIELD_NUMBER: _ClassVar[int]
    STILL_LOADED_FIELD_NUMBER: _ClassVar[int]
    FLYING_BAGS_FIELD_NUMBER: _ClassVar[int]
    FLYING_WEIGHT_G_FIELD_NUMBER: _ClassVar[int]
    READY_FIELD_NUMBER: _ClassVar[int]
    LOADED_BAGS_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    flight_number: str
    door_closed: bool
    to_offload: _containers.RepeatedCompositeFieldContainer[ManifestLine]
    still_loaded: _containers.RepeatedScalarFieldContainer[str]
    flying_bags: int
    flying_weight_g: int
    ready: bool
    loaded_bags: int
    def __init__(self, flight_id: _Optional[str] = ..., flight_number: _Optional[str] = ..., door_closed: _Optional[bool] = ..., to_offload: _Optional[_Iterable[_Union[ManifestLine, _Mapping]]] = ..., still_loaded: _Optional[_Iterable[str]] = ..., flying_bags: _Optional[int] = ..., flying_weight_g: _Optional[int] = ..., ready: _Optional[bool] = ..., loaded_bags: _Optional[int] = ...) -> None: ...
