import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Seat(_message.Message):
    __slots__ = ("seat", "cabin_class", "row", "letter", "position", "exit_row", "blocked", "state", "mine")
    SEAT_FIELD_NUMBER: _ClassVar[int]
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    ROW_FIELD_NUMBER: _ClassVar[int]
    LETTER_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    EXIT_ROW_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    MINE_FIELD_NUMBER: _ClassVar[int]
    seat: str
    cabin_class: str
    row: int
    letter: str
    position: str
    exit_row: bool
    blocked: bool
    state: str
    mine: bool
    def __init__(self, seat: _Optional[str] = ..., cabin_class: _Optional[str] = ..., row: _Optional[int] = ..., letter: _Optional[str] = ..., position: _Optional[str] = ..., exit_row: _Optional[bool] = ..., blocked: _Optional[bool] = ..., state: _Optional[str] = ..., mine: _Optional[bool] = ...) -> None: ...

class CabinAvailability(_message.Message):
    __slots__ = ("cabin_class", "total", "free", "held", "taken")
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    FREE_FIELD_NUMBER: _ClassVar[int]
    HELD_FIELD_NUMBER: _ClassVar[int]
    TAKEN_FIELD_NUMBER: _ClassVar[int]
    cabin_class: str
    total: int
    free: int
    held: int
    taken: int
    def __init__(self, cabin_class: _Optional[str] = ..., total: _Optional[int] = ..., free: _Optional[int] = ..., held: _Optional[int] = ..., taken: _Optional[int] = ...) -> None: ...

class SeatMap(_message.Message):
    __slots__ = ("flight_id", "plane_id", "cancelled", "seats", "availability", "generated_at", "status", "sellable", "not_sellable_reason", "holds_unavailable_reason")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    PLANE_ID_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_FIELD_NUMBER: _ClassVar[int]
    SEATS_FIELD_NUMBER: _ClassVar[int]
    AVAILABILITY_FIELD_NUMBER: _ClassVar[int]
    GENERATED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SELLABLE_FIELD_NUMBER: _ClassVar[int]
    NOT_SELLABLE_REASON_FIELD_NUMBER: _ClassVar[int]
    HOLDS_UNAVAILABLE_REASON_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    plane_id: str
    cancelled: bool
    seats: _containers.RepeatedCompositeFieldContainer[Seat]
    availability: _containers.RepeatedCompositeFieldContainer[CabinAvailability]
    generated_at: _timestamp_pb2.Timestamp
    status: str
    sellable: bool
    not_sellable_reason: str
    holds_unavailable_reason: str
    def __init__(self, flight_id: _Optional[str] = ..., plane_id: _Optional[str] = ..., cancelled: _Optional[bool] = ..., seats: _Optional[_Iterable[_Union[Seat, _Mapping]]] = ..., availability: _Optional[_Iterable[_Union[CabinAvailability, _Mapping]]] = ..., generated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[str] = ..., sellable: _Optional[bool] = ..., not_sellable_reason: _Optional[str] = ..., holds_unavailable_reason: _Optional[str] = ...) -> None: ...

class GetSeatMapRequest(_message.Message):
    __slots__ = ("flight_id",)
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    def __init__(self, flight_id: _Optional[str] = ...) -> None: ...

class CountAvailableRequest(_message.Message):
    __slots__ = ("flight_id",)
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    def __init__(self, flight_id: _Optional[str] = ...) -> None: ...

class CountAvailableResponse(_message.Message):
    __slots__ = ("flight_id", "availability", "holds_unavailable_reason")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    AVAILABILITY_FIELD_NUMBER: _ClassVar[int]
    HOLDS_UNAVAILABLE_REASON_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    availability: _containers.RepeatedCompositeFieldContainer[CabinAvailability]
    holds_unavailable_reason: str
    def __init__(self, flight_id: _Optional[str] = ..., availability: _Optional[_Iterable[_Union[CabinAvailability, _Mapping]]] = ..., holds_unavailable_reason: _Optional[str] = ...) -> None: ...

class SeatRequest(_message.Message):
    __slots__ = ("seat", "passenger_ref", "passenger_type", "cabin_class")
    SEAT_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_REF_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_TYPE_FIELD_NUMBER: _ClassVar[int]
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    seat: str
    passenger_ref: str
    passenger_type: str
    cabin_class: str
    def __init__(self, seat: _Optional[str] = ..., passenger_ref: _Optional[str] = ..., passenger_type: _Optional[str] = ..., cabin_class: _Optional[str] = ...) -> None: ...

class HoldSeatsRequest(_message.Message):
    __slots__ = ("flight_id", "seats", "owner", "hold_id", "ttl_seconds", "account", "not_after", "seat_at_airport")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    SEATS_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    HOLD_ID_FIELD_NUMBER: _ClassVar[int]
    TTL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    NOT_AFTER_FIELD_NUMBER: _ClassVar[int]
    SEAT_AT_AIRPORT_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    seats: _containers.RepeatedCompositeFieldContainer[SeatRequest]
    owner: str
    hold_id: str
    ttl_seconds: int
    account: str
    not_after: _timestamp_pb2.Timestamp
    seat_at_airport: bool
    def __init__(self, flight_id: _Optional[str] = ..., seats: _Optional[_Iterable[_Union[SeatRequest, _Mapping]]] = ..., owner: _Optional[str] = ..., hold_id: _Optional[str] = ..., ttl_seconds: _Optional[int] = ..., account: _Optional[str] = ..., not_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., seat_at_airport: _Optional[bool] = ...) -> None: ...

class Hold(_message.Message):
    __slots__ = ("hold_id", "flight_id", "owner", "seats", "expires_at", "created_at", "not_after")
    HOLD_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    SEATS_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    NOT_AFTER_FIELD_NUMBER: _ClassVar[int]
    hold_id: str
    flight_id: str
    owner: str
    seats: _containers.RepeatedCompositeFieldContainer[SeatRequest]
    expires_at: _timestamp_pb2.Timestamp
    created_at: _timestamp_pb2.Timestamp
    not_after: _timestamp_pb2.Timestamp
    def __init__(self, hold_id: _Optional[str] = ..., flight_id: _Optional[str] = ..., owner: _Optional[str] = ..., seats: _Optional[_Iterable[_Union[SeatRequest, _Mapping]]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., not_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetHoldRequest(_message.Message):
    __slots__ = ("hold_id",)
    HOLD_ID_FIELD_NUMBER: _ClassVar[int]
    hold_id: str
    def __init__(self, hold_id: _Optional[str] = ...) -> None: ...

class ExtendHoldRequest(_message.Message):
    __slots__ = ("hold_id", "ttl_seconds", "not_after")
    HOLD_ID_FIELD_NUMBER: _ClassVar[int]
    TTL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    NOT_AFTER_FIELD_NUMBER: _ClassVar[int]
    hold_id: str
    ttl_seconds: int
    not_after: _timestamp_pb2.Timestamp
    def __init__(self, hold_id: _Optional[str] = ..., ttl_seconds: _Optional[int] = ..., not_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReleaseHoldRequest(_message.Message):
    __slots__ = ("hold_id",)
    HOLD_ID_FIELD_NUMBER: _ClassVar[int]
    hold_id: str
    def __init__(self, hold_id: _Optional[str] = ...) -> None: ...

class ReleaseHoldResponse(_message.Message):
    __slots__ = ("released",)
    RELEASED_FIELD_NUMBER: _ClassVar[int]
    released: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, released: _Optional[_Iterable[str]] = ...) -> None: ...

class ConfirmHoldRequest(_message.Message):
    __slots__ = ("hold_id", "booking_ref")
    HOLD_ID_FIELD_NUMBER: _ClassVar[int]
    BOOKING_REF_FIELD_NUMBER: _ClassVar[int]
    hold_id: str
    booking_ref: str
    def __init__(self, hold_id: _Optional[str] = ..., booking_ref: _Optional[str] = ...) -> None: ...

class Assignment(_message.Message):
    __slots__ = ("flight_id", "seat", "passenger_ref", "passenger_type", "cabin_class", "booking_ref", "hold_id", "assigned_at")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    SEAT_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_REF_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_TYPE_FIELD_NUMBER: _ClassVar[int]
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    BOOKING_REF_FIELD_NUMBER: _ClassVar[int]
    HOLD_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    seat: str
    passenger_ref: str
    passenger_type: str
    cabin_class: str
    booking_ref: str
    hold_id: str
    assigned_at: _timestamp_pb2.Timestamp
    def __init__(self, flight_id: _Optional[str] = ..., seat: _Optional[str] = ..., passenger_ref: _Optional[str] = ..., passenger_type: _Optional[str] = ..., cabin_class: _Optional[str] = ..., booking_ref: _Optional[str] = ..., hold_id: _Optional[str] = ..., assigned_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AssignmentsResponse(_message.Message):
    __slots__ = ("assignments",)
    ASSIGNMENTS_FIELD_NUMBER: _ClassVar[int]
    assignments: _containers.RepeatedCompositeFieldContainer[Assignment]
    def __init__(self, assignments: _Optional[_Iterable[_Union[Assignment, _Mapping]]] = ...) -> None: ...

class AssignSeatsRequest(_message.Message):
    __slots__ = ("flight_id", "booking_ref", "seats")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    BOOKING_REF_FIELD_NUMBER: _ClassVar[int]
    SEATS_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    booking_ref: str
    seats: _containers.RepeatedCompositeFieldContainer[SeatRequest]
    def __init__(self, flight_id: _Optional[str] = ..., booking_ref: _Optional[str] = ..., seats: _Optional[_Iterable[_Union[SeatRequest, _Mapping]]] = ...) -> None: ...

class ReleaseAssignmentsRequest(_message.Message):
    __slots__ = ("booking_ref", "flight_id", "passenger_refs")
    BOOKING_REF_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_REFS_FIELD_NUMBER: _ClassVar[int]
    booking_ref: str
    flight_id: str
    passenger_refs: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, booking_ref: _Optional[str] = ..., flight_id: _Optional[str] = ..., passenger_refs: _Optional[_Iterable[str]] = ...) -> None: ...

class ListAssignmentsRequest(_message.Message):
    __slots__ = ("flight_id", "booking_ref")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    BOOKING_REF_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    booking_ref: str
    def __init__(self, flight_id: _Optional[str] = ..., booking_ref: _Optional[str] = ...) -> None: ...
