import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class BookingAccess(_message.Message):
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

class CheckInRequest(_message.Message):
    __slots__ = ("code", "last_name", "flight_id", "access")
    CODE_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    code: str
    last_name: str
    flight_id: str
    access: BookingAccess
    def __init__(self, code: _Optional[str] = ..., last_name: _Optional[str] = ..., flight_id: _Optional[str] = ..., access: _Optional[_Union[BookingAccess, _Mapping]] = ...) -> None: ...

class BoardingPass(_message.Message):
    __slots__ = ("id", "booking_id", "passenger_id", "pnr", "first_name", "last_name", "passenger_type", "flight_id", "flight_number", "origin", "destination", "departure", "seat", "sequence", "cabin_class", "bcbp", "e_ticket", "gate", "checked_in_at", "boarded_at", "infant_of")
    ID_FIELD_NUMBER: _ClassVar[int]
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    PNR_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_TYPE_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    DEPARTURE_FIELD_NUMBER: _ClassVar[int]
    SEAT_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    BCBP_FIELD_NUMBER: _ClassVar[int]
    E_TICKET_FIELD_NUMBER: _ClassVar[int]
    GATE_FIELD_NUMBER: _ClassVar[int]
    CHECKED_IN_AT_FIELD_NUMBER: _ClassVar[int]
    BOARDED_AT_FIELD_NUMBER: _ClassVar[int]
    INFANT_OF_FIELD_NUMBER: _ClassVar[int]
    id: str
    booking_id: str
    passenger_id: str
    pnr: str
    first_name: str
    last_name: str
    passenger_type: str
    flight_id: str
    flight_number: str
    origin: str
    destination: str
    departure: _timestamp_pb2.Timestamp
    seat: str
    sequence: int
    cabin_class: str
    bcbp: str
    e_ticket: str
    gate: str
    checked_in_at: _timestamp_pb2.Timestamp
    boarded_at: _timestamp_pb2.Timestamp
    infant_of: str
    def __init__(self, id: _Optional[str] = ..., booking_id: _Optional[str] = ..., passenger_id: _Optional[str] = ..., pnr: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., passenger_type: _Optional[str] = ..., flight_id: _Optional[str] = ..., flight_number: _Optional[str] = ..., origin: _Optional[str] = ..., destination: _Optional[str] = ..., departure: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., seat: _Optional[str] = ..., sequence: _Optional[int] = ..., cabin_class: _Optional[str] = ..., bcbp: _Optional[str] = ..., e_ticket: _Optional[str] = ..., gate: _Optional[str] = ..., checked_in_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., boarded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., infant_of: _Optional[str] = ...) -> None: ...

class CheckInResponse(_message.Message):
    __slots__ = ("passes",)
    PASSES_FIELD_NUMBER: _ClassVar[int]
    passes: _containers.RepeatedCompositeFieldContainer[BoardingPass]
    def __init__(self, passes: _Optional[_Iterable[_Union[BoardingPass, _Mapping]]] = ...) -> None: ...

class GetBoardingPassRequest(_message.Message):
    __slots__ = ("id", "access", "code", "last_name")
    ID_FIELD_NUMBER: _ClassVar[int]
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    id: str
    access: BookingAccess
    code: str
    last_name: str
    def __init__(self, id: _Optional[str] = ..., access: _Optional[_Union[BookingAccess, _Mapping]] = ..., code: _Optional[str] = ..., last_name: _Optional[str] = ...) -> None: ...

class PassengerQuery(_message.Message):
    __slots__ = ("flight_id", "code", "bcbp", "document_number")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    BCBP_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    code: str
    bcbp: str
    document_number: str
    def __init__(self, flight_id: _Optional[str] = ..., code: _Optional[str] = ..., bcbp: _Optional[str] = ..., document_number: _Optional[str] = ...) -> None: ...

class Verification(_message.Message):
    __slots__ = ("booking_id", "passenger_id", "pnr", "first_name", "last_name", "passenger_type", "seat", "flight_id", "flight_number", "status", "flight_matches", "document_checked", "document_matches", "message", "infant_of")
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    PNR_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_TYPE_FIELD_NUMBER: _ClassVar[int]
    SEAT_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_MATCHES_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_CHECKED_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_MATCHES_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    PASS_FIELD_NUMBER: _ClassVar[int]
    INFANT_OF_FIELD_NUMBER: _ClassVar[int]
    booking_id: str
    passenger_id: str
    pnr: str
    first_name: str
    last_name: str
    passenger_type: str
    seat: str
    flight_id: str
    flight_number: str
    status: str
    flight_matches: bool
    document_checked: bool
    document_matches: bool
    message: str
    infant_of: str
    def __init__(self, booking_id: _Optional[str] = ..., passenger_id: _Optional[str] = ..., pnr: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., passenger_type: _Optional[str] = ..., seat: _Optional[str] = ..., flight_id: _Optional[str] = ..., flight_number: _Optional[str] = ..., status: _Optional[str] = ..., flight_matches: _Optional[bool] = ..., document_checked: _Optional[bool] = ..., document_matches: _Optional[bool] = ..., message: _Optional[str] = ..., infant_of: _Optional[str] = ..., **kwargs) -> None: ...

class FlightQuery(_message.Message):
    __slots__ = ("flight_id",)
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    def __init__(self, flight_id: _Optional[str] = ...) -> None: ...

class FlightPassenger(_message.Message):
    __slots__ = ("booking_id", "passenger_id", "pnr", "first_name", "last_name", "passenger_type", "seat", "status", "sequence", "checked_in_at", "boarded_at")
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    PNR_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_TYPE_FIELD_NUMBER: _ClassVar[int]
    SEAT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CHECKED_IN_AT_FIELD_NUMBER: _ClassVar[int]
    BOARDED_AT_FIELD_NUMBER: _ClassVar[int]
    booking_id: str
    passenger_id: str
    pnr: str
    first_name: str
    last_name: str
    passenger_type: str
    seat: str
    status: str
    sequence: int
    checked_in_at: _timestamp_pb2.Timestamp
    boarded_at: _timestamp_pb2.Timestamp
    def __init__(self, booking_id: _Optional[str] = ..., passenger_id: _Optional[str] = ..., pnr: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., passenger_type: _Optional[str] = ..., seat: _Optional[str] = ..., status: _Optional[str] = ..., sequence: _Optional[int] = ..., checked_in_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., boarded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PassengerList(_message.Message):
    __slots__ = ("flight_id", "passengers")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGERS_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    passengers: _containers.RepeatedCompositeFieldContainer[FlightPassenger]
    def __init__(self, flight_id: _Optional[str] = ..., passengers: _Optional[_Iterable[_Union[FlightPassenger, _Mapping]]] = ...) -> None: ...

class NoShows(_message.Message):
    __slots__ = ("flight_id", "not_checked_in", "checked_in_not_boarded", "gate_closed_at")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    NOT_CHECKED_IN_FIELD_NUMBER: _ClassVar[int]
    CHECKED_IN_NOT_BOARDED_FIELD_NUMBER: _ClassVar[int]
    GATE_CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    not_checked_in: _containers.RepeatedCompositeFieldContainer[FlightPassenger]
    checked_in_not_boarded: _containers.RepeatedCompositeFieldContainer[FlightPassenger]
    gate_closed_at: _timestamp_pb2.Timestamp
    def __init__(self, flight_id: _Optional[str] = ..., not_checked_in: _Optional[_Iterable[_Union[FlightPassenger, _Mapping]]] = ..., checked_in_not_boarded: _Optional[_Iterable[_Union[FlightPassenger, _Mapping]]] = ..., gate_closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
