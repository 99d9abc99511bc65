import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Airport(_message.Message):
    __slots__ = ("code", "name", "city", "country", "time_zone", "created_at", "latitude", "longitude")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    city: str
    country: str
    time_zone: str
    created_at: _timestamp_pb2.Timestamp
    latitude: float
    longitude: float
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., city: _Optional[str] = ..., country: _Optional[str] = ..., time_zone: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., latitude: _Optional[float] = ..., longitude: _Optional[float] = ...) -> None: ...

class Gate(_message.Message):
    __slots__ = ("airport_code", "code", "status")
    AIRPORT_CODE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    airport_code: str
    code: str
    status: str
    def __init__(self, airport_code: _Optional[str] = ..., code: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class Cabin(_message.Message):
    __slots__ = ("cabin_class", "first_row", "last_row", "seat_letters")
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    FIRST_ROW_FIELD_NUMBER: _ClassVar[int]
    LAST_ROW_FIELD_NUMBER: _ClassVar[int]
    SEAT_LETTERS_FIELD_NUMBER: _ClassVar[int]
    cabin_class: str
    first_row: int
    last_row: int
    seat_letters: str
    def __init__(self, cabin_class: _Optional[str] = ..., first_row: _Optional[int] = ..., last_row: _Optional[int] = ..., seat_letters: _Optional[str] = ...) -> None: ...

class SeatLayout(_message.Message):
    __slots__ = ("cabins", "exit_rows", "blocked_seats")
    CABINS_FIELD_NUMBER: _ClassVar[int]
    EXIT_ROWS_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_SEATS_FIELD_NUMBER: _ClassVar[int]
    cabins: _containers.RepeatedCompositeFieldContainer[Cabin]
    exit_rows: _containers.RepeatedScalarFieldContainer[int]
    blocked_seats: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, cabins: _Optional[_Iterable[_Union[Cabin, _Mapping]]] = ..., exit_rows: _Optional[_Iterable[int]] = ..., blocked_seats: _Optional[_Iterable[str]] = ...) -> None: ...

class CabinCapacity(_message.Message):
    __slots__ = ("cabin_class", "seats")
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    SEATS_FIELD_NUMBER: _ClassVar[int]
    cabin_class: str
    seats: int
    def __init__(self, cabin_class: _Optional[str] = ..., seats: _Optional[int] = ...) -> None: ...

class Plane(_message.Message):
    __slots__ = ("id", "registration", "aircraft_type", "status", "home_airport", "layout", "capacity", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    AIRCRAFT_TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    HOME_AIRPORT_FIELD_NUMBER: _ClassVar[int]
    LAYOUT_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    registration: str
    aircraft_type: str
    status: str
    home_airport: str
    layout: SeatLayout
    capacity: _containers.RepeatedCompositeFieldContainer[CabinCapacity]
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., registration: _Optional[str] = ..., aircraft_type: _Optional[str] = ..., status: _Optional[str] = ..., home_airport: _Optional[str] = ..., layout: _Optional[_Union[SeatLayout, _Mapping]] = ..., capacity: _Optional[_Iterable[_Union[CabinCapacity, _Mapping]]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PlaneCommitment(_message.Message):
    __slots__ = ("reference", "plane_id", "origin", "destination", "starts_at", "ends_at")
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    PLANE_ID_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    reference: str
    plane_id: str
    origin: str
    destination: str
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    def __init__(self, reference: _Optional[str] = ..., plane_id: _Optional[str] = ..., origin: _Optional[str] = ..., destination: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListAirportsRequest(_message.Message):
    __slots__ = ("country",)
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    country: str
    def __init__(self, country: _Optional[str] = ...) -> None: ...

class ListAirportsResponse(_message.Message):
    __slots__ = ("airports",)
    AIRPORTS_FIELD_NUMBER: _ClassVar[int]
    airports: _containers.RepeatedCompositeFieldContainer[Airport]
    def __init__(self, airports: _Optional[_Iterable[_Union[Airport, _Mapping]]] = ...) -> None: ...

class GetAirportRequest(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class CreateAirportRequest(_message.Message):
    __slots__ = ("code", "name", "city", "country", "time_zone", "latitude", "longitude")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    city: str
    country: str
    time_zone: str
    latitude: float
    longitude: float
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., city: _Optional[str] = ..., country: _Optional[str] = ..., time_zone: _Optional[str] = ..., latitude: _Optional[float] = ..., longitude: _Optional[float] = ...) -> None: ...

class UpdateAirportRequest(_message.Message):
    __slots__ = ("code", "name", "city", "country", "time_zone", "latitude", "longitude")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    city: str
    country: str
    time_zone: str
    latitude: float
    longitude: float
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., city: _Optional[str] = ..., country: _Optional[str] = ..., time_zone: _Optional[str] = ..., latitude: _Optional[float] = ..., longitude: _Optional[float] = ...) -> None: ...

class GetRouteDistanceRequest(_message.Message):
    __slots__ = ("origin", "destination")
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    origin: str
    destination: str
    def __init__(self, origin: _Optional[str] = ..., destination: _Optional[str] = ...) -> None: ...

class RouteDistance(_message.Message):
    __slots__ = ("origin", "destination", "distance_km")
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_KM_FIELD_NUMBER: _ClassVar[int]
    origin: str
    destination: str
    distance_km: float
    def __init__(self, origin: _Optional[str] = ..., destination: _Optional[str] = ..., distance_km: _Optional[float] = ...) -> None: ...

class ListGatesRequest(_message.Message):
    __slots__ = ("airport_code",)
    AIRPORT_CODE_FIELD_NUMBER: _ClassVar[int]
    airport_code: str
    def __init__(self, airport_code: _Optional[str] = ...) -> None: ...

class ListGatesResponse(_message.Message):
    __slots__ = ("gates",)
    GATES_FIELD_NUMBER: _ClassVar[int]
    gates: _containers.RepeatedCompositeFieldContainer[Gate]
    def __init__(self, gates: _Optional[_Iterable[_Union[Gate, _Mapping]]] = ...) -> None: ...

class CreateGateRequest(_message.Message):
    __slots__ = ("airport_code", "code", "status")
    AIRPORT_CODE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    airport_code: str
    code: str
    status: str
    def __init__(self, airport_code: _Optional[str] = ..., code: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class UpdateGateRequest(_message.Message):
    __slots__ = ("airport_code", "code", "status")
    AIRPORT_CODE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    airport_code: str
    code: str
    status: str
    def __init__(self, airport_code: _Optional[str] = ..., code: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class ListPlanesRequest(_message.Message):
    __slots__ = ("status", "home_airport")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    HOME_AIRPORT_FIELD_NUMBER: _ClassVar[int]
    status: str
    home_airport: str
    def __init__(self, status: _Optional[str] = ..., home_airport: _Optional[str] = ...) -> None: ...

class ListPlanesResponse(_message.Message):
    __slots__ = ("planes",)
    PLANES_FIELD_NUMBER: _ClassVar[int]
    planes: _containers.RepeatedCompositeFieldContainer[Plane]
    def __init__(self, planes: _Optional[_Iterable[_Union[Plane, _Mapping]]] = ...) -> None: ...

class GetPlaneRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class CreatePlaneRequest(_message.Message):
    __slots__ = ("id", "registration", "aircraft_type", "status", "home_airport", "layout")
    ID_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    AIRCRAFT_TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    HOME_AIRPORT_FIELD_NUMBER: _ClassVar[int]
    LAYOUT_FIELD_NUMBER: _ClassVar[int]
    id: str
    registration: str
    aircraft_type: str
    status: str
    home_airport: str
    layout: SeatLayout
    def __init__(self, id: _Optional[str] = ..., registration: _Optional[str] = ..., aircraft_type: _Optional[str] = ..., status: _Optional[str] = ..., home_airport: _Optional[str] = ..., layout: _Optional[_Union[SeatLayout, _Mapping]] = ...) -> None: ...

class UpdatePlaneRequest(_message.Message):
    __slots__ = ("id", "registration", "aircraft_type", "status", "home_airport", "layout", "replace_layout")
    ID_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    AIRCRAFT_TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    HOME_AIRPORT_FIELD_NUMBER: _ClassVar[int]
    LAYOUT_FIELD_NUMBER: _ClassVar[int]
    REPLACE_LAYOUT_FIELD_NUMBER: _ClassVar[int]
    id: str
    registration: str
    aircraft_type: str
    status: str
    home_airport: str
    layout: SeatLayout
    replace_layout: bool
    def __init__(self, id: _Optional[str] = ..., registration: _Optional[str] = ..., aircraft_type: _Optional[str] = ..., status: _Optional[str] = ..., home_airport: _Optional[str] = ..., layout: _Optional[_Union[SeatLayout, _Mapping]] = ..., replace_layout: _Optional[bool] = ...) -> None: ...

class ListAvailablePlanesRequest(_message.Message):
    __slots__ = ("airport_code", "to")
    AIRPORT_CODE_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    airport_code: str
    to: _timestamp_pb2.Timestamp
    def __init__(self, airport_code: _Optional[str] = ..., to: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., **kwargs) -> None: ...

class CommitPlaneRequest(_message.Message):
    __slots__ = ("reference", "plane_id", "origin", "destination", "starts_at", "ends_at")
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    PLANE_ID_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    reference: str
    plane_id: str
    origin: str
    destination: str
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    def __init__(self, reference: _Optional[str] = ..., plane_id: _Optional[str] = ..., origin: _Optional[str] = ..., destination: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReleasePlaneRequest(_message.Message):
    __slots__ = ("reference",)
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    reference: str
    def __init__(self, reference: _Optional[str] = ...) -> None: ...

class ReleasePlaneResponse(_message.Message):
    __slots__ = ("released",)
    RELEASED_FIELD_NUMBER: _ClassVar[int]
    released: bool
    def __init__(self, released: _Optional[bool] = ...) -> None: ...

class CommitPlanesRequest(_message.Message):
    __slots__ = ("commitments",)
    COMMITMENTS_FIELD_NUMBER: _ClassVar[int]
    commitments: _containers.RepeatedCompositeFieldContainer[CommitPlaneRequest]
    def __init__(self, commitments: _Optional[_Iterable[_Union[CommitPlaneRequest, _Mapping]]] = ...) -> None: ...

class CommitPlanesResponse(_message.Message):
    __slots__ = ("commitments",)
    COMMITMENTS_FIELD_NUMBER: _ClassVar[int]
    commitments: _containers.RepeatedCompositeFieldContainer[PlaneCommitment]
    def __init__(self, commitments: _Optional[_Iterable[_Union[PlaneCommitment, _Mapping]]] = ...) -> None: ...

class ReleasePlanesRequest(_message.Message):
    __slots__ = ("references",)
    REFERENCES_FIELD_NUMBER: _ClassVar[int]
    references: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, references: _Optional[_Iterable[str]] = ...) -> None: ...

class ReleasePlanesResponse(_message.Message):
    __slots__ = ("released",)
    RELEASED_FIELD_NUMBER: _ClassVar[int]
    released: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, released: _Optional[_Iterable[str]] = ...) -> None: ...
