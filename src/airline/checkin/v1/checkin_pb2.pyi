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
    __slots__ = ("booking_id", "passenger_id", "pnr", "first_name", "last_name", "passenger_type", "seat", "status", "sequence", "checked_in_at", "boarded_at", "cabin_class", "upgrade_requested_at", "upgraded_from_seat", "fare_per_seat", "fare_currency")
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
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    UPGRADE_REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    UPGRADED_FROM_SEAT_FIELD_NUMBER: _ClassVar[int]
    FARE_PER_SEAT_FIELD_NUMBER: _ClassVar[int]
    FARE_CURRENCY_FIELD_NUMBER: _ClassVar[int]
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
    cabin_class: str
    upgrade_requested_at: _timestamp_pb2.Timestamp
    upgraded_from_seat: str
    fare_per_seat: int
    fare_currency: str
    def __init__(self, booking_id: _Optional[str] = ..., passenger_id: _Optional[str] = ..., pnr: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., passenger_type: _Optional[str] = ..., seat: _Optional[str] = ..., status: _Optional[str] = ..., sequence: _Optional[int] = ..., checked_in_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., boarded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cabin_class: _Optional[str] = ..., upgrade_requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., upgraded_from_seat: _Optional[str] = ..., fare_per_seat: _Optional[int] = ..., fare_currency: _Optional[str] = ...) -> None: ...

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

class DoorClosed(_message.Message):
    __slots__ = ("flight_id", "closed_at", "closed_by", "offloaded", "already_closed")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSED_BY_FIELD_NUMBER: _ClassVar[int]
    OFFLOADED_FIELD_NUMBER: _ClassVar[int]
    ALREADY_CLOSED_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    closed_at: _timestamp_pb2.Timestamp
    closed_by: str
    offloaded: _containers.RepeatedCompositeFieldContainer[FlightPassenger]
    already_closed: bool
    def __init__(self, flight_id: _Optional[str] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closed_by: _Optional[str] = ..., offloaded: _Optional[_Iterable[_Union[FlightPassenger, _Mapping]]] = ..., already_closed: _Optional[bool] = ...) -> None: ...

class ManifestPassenger(_message.Message):
    __slots__ = ("booking_id", "passenger_id", "pnr", "first_name", "last_name", "passenger_type", "status", "seat", "cabin_class", "infant_of", "meal", "date_of_birth", "nationality", "document_type", "document_number", "document_expiry", "volunteer")
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    PNR_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SEAT_FIELD_NUMBER: _ClassVar[int]
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    INFANT_OF_FIELD_NUMBER: _ClassVar[int]
    MEAL_FIELD_NUMBER: _ClassVar[int]
    DATE_OF_BIRTH_FIELD_NUMBER: _ClassVar[int]
    NATIONALITY_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_EXPIRY_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEER_FIELD_NUMBER: _ClassVar[int]
    booking_id: str
    passenger_id: str
    pnr: str
    first_name: str
    last_name: str
    passenger_type: str
    status: str
    seat: str
    cabin_class: str
    infant_of: str
    meal: str
    date_of_birth: str
    nationality: str
    document_type: str
    document_number: str
    document_expiry: str
    volunteer: bool
    def __init__(self, booking_id: _Optional[str] = ..., passenger_id: _Optional[str] = ..., pnr: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., passenger_type: _Optional[str] = ..., status: _Optional[str] = ..., seat: _Optional[str] = ..., cabin_class: _Optional[str] = ..., infant_of: _Optional[str] = ..., meal: _Optional[str] = ..., date_of_birth: _Optional[str] = ..., nationality: _Optional[str] = ..., document_type: _Optional[str] = ..., document_number: _Optional[str] = ..., document_expiry: _Optional[str] = ..., volunteer: _Optional[bool] = ...) -> None: ...

class PassengerCounts(_message.Message):
    __slots__ = ("adults", "children", "infants", "total")
    ADULTS_FIELD_NUMBER: _ClassVar[int]
    CHILDREN_FIELD_NUMBER: _ClassVar[int]
    INFANTS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    adults: int
    children: int
    infants: int
    total: int
    def __init__(self, adults: _Optional[int] = ..., children: _Optional[int] = ..., infants: _Optional[int] = ..., total: _Optional[int] = ...) -> None: ...

class MealCount(_message.Message):
    __slots__ = ("meal", "count")
    MEAL_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    meal: str
    count: int
    def __init__(self, meal: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class DepartureManifest(_message.Message):
    __slots__ = ("flight_id", "flight_number", "origin", "destination", "departure", "door_closed", "door_closed_at", "passengers", "boarded", "offloaded", "special_meals")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    DEPARTURE_FIELD_NUMBER: _ClassVar[int]
    DOOR_CLOSED_FIELD_NUMBER: _ClassVar[int]
    DOOR_CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    PASSENGERS_FIELD_NUMBER: _ClassVar[int]
    BOARDED_FIELD_NUMBER: _ClassVar[int]
    OFFLOADED_FIELD_NUMBER: _ClassVar[int]
    SPECIAL_MEALS_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    flight_number: str
    origin: str
    destination: str
    departure: _timestamp_pb2.Timestamp
    door_closed: bool
    door_closed_at: _timestamp_pb2.Timestamp
    passengers: _containers.RepeatedCompositeFieldContainer[ManifestPassenger]
    boarded: PassengerCounts
    offloaded: PassengerCounts
    special_meals: _containers.RepeatedCompositeFieldContainer[MealCount]
    def __init__(self, flight_id: _Optional[str] = ..., flight_number: _Optional[str] = ..., origin: _Optional[str] = ..., destination: _Optional[str] = ..., departure: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., door_closed: _Optional[bool] = ..., door_closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., passengers: _Optional[_Iterable[_Union[ManifestPassenger, _Mapping]]] = ..., boarded: _Optional[_Union[PassengerCounts, _Mapping]] = ..., offloaded: _Optional[_Union[PassengerCounts, _Mapping]] = ..., special_meals: _Optional[_Iterable[_Union[MealCount, _Mapping]]] = ...) -> None: ...

class LoadCompartment(_message.Message):
    __slots__ = ("name", "passengers", "bags", "passenger_kg", "bag_kg", "cargo_kg", "total_kg", "limit_kg", "over_limit")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PASSENGERS_FIELD_NUMBER: _ClassVar[int]
    BAGS_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_KG_FIELD_NUMBER: _ClassVar[int]
    BAG_KG_FIELD_NUMBER: _ClassVar[int]
    CARGO_KG_FIELD_NUMBER: _ClassVar[int]
    TOTAL_KG_FIELD_NUMBER: _ClassVar[int]
    LIMIT_KG_FIELD_NUMBER: _ClassVar[int]
    OVER_LIMIT_FIELD_NUMBER: _ClassVar[int]
    name: str
    passengers: int
    bags: int
    passenger_kg: int
    bag_kg: int
    cargo_kg: int
    total_kg: int
    limit_kg: int
    over_limit: bool
    def __init__(self, name: _Optional[str] = ..., passengers: _Optional[int] = ..., bags: _Optional[int] = ..., passenger_kg: _Optional[int] = ..., bag_kg: _Optional[int] = ..., cargo_kg: _Optional[int] = ..., total_kg: _Optional[int] = ..., limit_kg: _Optional[int] = ..., over_limit: _Optional[bool] = ...) -> None: ...

class LoadSheet(_message.Message):
    __slots__ = ("flight_id", "flight_number", "plane_id", "aircraft_type", "passengers", "bags", "passenger_kg", "bag_kg", "cargo_kg", "total_payload_kg", "max_payload_kg", "compartments", "within_limits", "warnings", "basis", "final")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PLANE_ID_FIELD_NUMBER: _ClassVar[int]
    AIRCRAFT_TYPE_FIELD_NUMBER: _ClassVar[int]
    PASSENGERS_FIELD_NUMBER: _ClassVar[int]
    BAGS_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_KG_FIELD_NUMBER: _ClassVar[int]
    BAG_KG_FIELD_NUMBER: _ClassVar[int]
    CARGO_KG_FIELD_NUMBER: _ClassVar[int]
    TOTAL_PAYLOAD_KG_FIELD_NUMBER: _ClassVar[int]
    MAX_PAYLOAD_KG_FIELD_NUMBER: _ClassVar[int]
    COMPARTMENTS_FIELD_NUMBER: _ClassVar[int]
    WITHIN_LIMITS_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    FINAL_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    flight_number: str
    plane_id: str
    aircraft_type: str
    passengers: PassengerCounts
    bags: int
    passenger_kg: int
    bag_kg: int
    cargo_kg: int
    total_payload_kg: int
    max_payload_kg: int
    compartments: _containers.RepeatedCompositeFieldContainer[LoadCompartment]
    within_limits: bool
    warnings: _containers.RepeatedScalarFieldContainer[str]
    basis: str
    final: bool
    def __init__(self, flight_id: _Optional[str] = ..., flight_number: _Optional[str] = ..., plane_id: _Optional[str] = ..., aircraft_type: _Optional[str] = ..., passengers: _Optional[_Union[PassengerCounts, _Mapping]] = ..., bags: _Optional[int] = ..., passenger_kg: _Optional[int] = ..., bag_kg: _Optional[int] = ..., cargo_kg: _Optional[int] = ..., total_payload_kg: _Optional[int] = ..., max_payload_kg: _Optional[int] = ..., compartments: _Optional[_Iterable[_Union[LoadCompartment, _Mapping]]] = ..., within_limits: _Optional[bool] = ..., warnings: _Optional[_Iterable[str]] = ..., basis: _Optional[str] = ..., final: _Optional[bool] = ...) -> None: ...

class CabinGateList(_message.Message):
    __slots__ = ("cabin_class", "seats", "passengers", "over", "volunteers", "denied_boarding_candidates", "standby", "upgrades")
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    SEATS_FIELD_NUMBER: _ClassVar[int]
    PASSENGERS_FIELD_NUMBER: _ClassVar[int]
    OVER_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEERS_FIELD_NUMBER: _ClassVar[int]
    DENIED_BOARDING_CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    STANDBY_FIELD_NUMBER: _ClassVar[int]
    UPGRADES_FIELD_NUMBER: _ClassVar[int]
    cabin_class: str
    seats: int
    passengers: int
    over: int
    volunteers: _containers.RepeatedCompositeFieldContainer[FlightPassenger]
    denied_boarding_candidates: _containers.RepeatedCompositeFieldContainer[FlightPassenger]
    standby: _containers.RepeatedCompositeFieldContainer[FlightPassenger]
    upgrades: _containers.RepeatedCompositeFieldContainer[FlightPassenger]
    def __init__(self, cabin_class: _Optional[str] = ..., seats: _Optional[int] = ..., passengers: _Optional[int] = ..., over: _Optional[int] = ..., volunteers: _Optional[_Iterable[_Union[FlightPassenger, _Mapping]]] = ..., denied_boarding_candidates: _Optional[_Iterable[_Union[FlightPassenger, _Mapping]]] = ..., standby: _Optional[_Iterable[_Union[FlightPassenger, _Mapping]]] = ..., upgrades: _Optional[_Iterable[_Union[FlightPassenger, _Mapping]]] = ...) -> None: ...

class StandbyCleared(_message.Message):
    __slots__ = ("flight_id", "released_seats", "cleared", "still_standby")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    RELEASED_SEATS_FIELD_NUMBER: _ClassVar[int]
    CLEARED_FIELD_NUMBER: _ClassVar[int]
    STILL_STANDBY_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    released_seats: _containers.RepeatedScalarFieldContainer[str]
    cleared: _containers.RepeatedCompositeFieldContainer[FlightPassenger]
    still_standby: _containers.RepeatedCompositeFieldContainer[FlightPassenger]
    def __init__(self, flight_id: _Optional[str] = ..., released_seats: _Optional[_Iterable[str]] = ..., cleared: _Optional[_Iterable[_Union[FlightPassenger, _Mapping]]] = ..., still_standby: _Optional[_Iterable[_Union[FlightPassenger, _Mapping]]] = ...) -> None: ...

class GateLists(_message.Message):
    __slots__ = ("flight_id", "cabins", "priority")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    CABINS_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    cabins: _containers.RepeatedCompositeFieldContainer[CabinGateList]
    priority: str
    def __init__(self, flight_id: _Optional[str] = ..., cabins: _Optional[_Iterable[_Union[CabinGateList, _Mapping]]] = ..., priority: _Optional[str] = ...) -> None: ...

class VolunteerRequest(_message.Message):
    __slots__ = ("flight_id", "booking_id", "passenger_id", "volunteer")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEER_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    booking_id: str
    passenger_id: str
    volunteer: bool
    def __init__(self, flight_id: _Optional[str] = ..., booking_id: _Optional[str] = ..., passenger_id: _Optional[str] = ..., volunteer: _Optional[bool] = ...) -> None: ...

class UpgradeListRequest(_message.Message):
    __slots__ = ("flight_id", "booking_id", "passenger_id", "listed")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_ID_FIELD_NUMBER: _ClassVar[int]
    LISTED_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    booking_id: str
    passenger_id: str
    listed: bool
    def __init__(self, flight_id: _Optional[str] = ..., booking_id: _Optional[str] = ..., passenger_id: _Optional[str] = ..., listed: _Optional[bool] = ...) -> None: ...

class UpgradesCleared(_message.Message):
    __slots__ = ("flight_id", "released_seats", "upgraded", "still_listed", "priority")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    RELEASED_SEATS_FIELD_NUMBER: _ClassVar[int]
    UPGRADED_FIELD_NUMBER: _ClassVar[int]
    STILL_LISTED_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    released_seats: _containers.RepeatedScalarFieldContainer[str]
    upgraded: _containers.RepeatedCompositeFieldContainer[FlightPassenger]
    still_listed: _containers.RepeatedCompositeFieldContainer[FlightPassenger]
    priority: str
    def __init__(self, flight_id: _Optional[str] = ..., released_seats: _Optional[_Iterable[str]] = ..., upgraded: _Optional[_Iterable[_Union[FlightPassenger, _Mapping]]] = ..., still_listed: _Optional[_Iterable[_Union[FlightPassenger, _Mapping]]] = ..., priority: _Optional[str] = ...) -> None: ...
