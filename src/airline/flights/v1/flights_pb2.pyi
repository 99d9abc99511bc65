import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FareBucket(_message.Message):
    __slots__ = ("code", "adult_amount", "child_amount", "infant_amount", "currency", "authorised", "open", "close_at_load_percent", "close_days_before", "sold", "available", "selling_open", "claimed")
    CODE_FIELD_NUMBER: _ClassVar[int]
    ADULT_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CHILD_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    INFANT_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    AUTHORISED_FIELD_NUMBER: _ClassVar[int]
    OPEN_FIELD_NUMBER: _ClassVar[int]
    CLOSE_AT_LOAD_PERCENT_FIELD_NUMBER: _ClassVar[int]
    CLOSE_DAYS_BEFORE_FIELD_NUMBER: _ClassVar[int]
    SOLD_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    SELLING_OPEN_FIELD_NUMBER: _ClassVar[int]
    CLAIMED_FIELD_NUMBER: _ClassVar[int]
    code: str
    adult_amount: int
    child_amount: int
    infant_amount: int
    currency: str
    authorised: int
    open: bool
    close_at_load_percent: int
    close_days_before: int
    sold: int
    available: int
    selling_open: bool
    claimed: int
    def __init__(self, code: _Optional[str] = ..., adult_amount: _Optional[int] = ..., child_amount: _Optional[int] = ..., infant_amount: _Optional[int] = ..., currency: _Optional[str] = ..., authorised: _Optional[int] = ..., open: _Optional[bool] = ..., close_at_load_percent: _Optional[int] = ..., close_days_before: _Optional[int] = ..., sold: _Optional[int] = ..., available: _Optional[int] = ..., selling_open: _Optional[bool] = ..., claimed: _Optional[int] = ...) -> None: ...

class SetBucketsRequest(_message.Message):
    __slots__ = ("flight_id", "cabin_class", "buckets")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    BUCKETS_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    cabin_class: str
    buckets: _containers.RepeatedCompositeFieldContainer[FareBucket]
    def __init__(self, flight_id: _Optional[str] = ..., cabin_class: _Optional[str] = ..., buckets: _Optional[_Iterable[_Union[FareBucket, _Mapping]]] = ...) -> None: ...

class CabinBuckets(_message.Message):
    __slots__ = ("flight_id", "cabin_class", "buckets", "selling")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    BUCKETS_FIELD_NUMBER: _ClassVar[int]
    SELLING_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    cabin_class: str
    buckets: _containers.RepeatedCompositeFieldContainer[FareBucket]
    selling: str
    def __init__(self, flight_id: _Optional[str] = ..., cabin_class: _Optional[str] = ..., buckets: _Optional[_Iterable[_Union[FareBucket, _Mapping]]] = ..., selling: _Optional[str] = ...) -> None: ...

class ListBucketsRequest(_message.Message):
    __slots__ = ("flight_id",)
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    def __init__(self, flight_id: _Optional[str] = ...) -> None: ...

class ListBucketsResponse(_message.Message):
    __slots__ = ("cabins",)
    CABINS_FIELD_NUMBER: _ClassVar[int]
    cabins: _containers.RepeatedCompositeFieldContainer[CabinBuckets]
    def __init__(self, cabins: _Optional[_Iterable[_Union[CabinBuckets, _Mapping]]] = ...) -> None: ...

class Tax(_message.Message):
    __slots__ = ("airport", "passenger_type", "code", "name", "amount", "currency", "applies_on")
    AIRPORT_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_TYPE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    APPLIES_ON_FIELD_NUMBER: _ClassVar[int]
    airport: str
    passenger_type: str
    code: str
    name: str
    amount: int
    currency: str
    applies_on: str
    def __init__(self, airport: _Optional[str] = ..., passenger_type: _Optional[str] = ..., code: _Optional[str] = ..., name: _Optional[str] = ..., amount: _Optional[int] = ..., currency: _Optional[str] = ..., applies_on: _Optional[str] = ...) -> None: ...

class SetTaxesRequest(_message.Message):
    __slots__ = ("taxes", "remove")
    TAXES_FIELD_NUMBER: _ClassVar[int]
    REMOVE_FIELD_NUMBER: _ClassVar[int]
    taxes: _containers.RepeatedCompositeFieldContainer[Tax]
    remove: _containers.RepeatedCompositeFieldContainer[Tax]
    def __init__(self, taxes: _Optional[_Iterable[_Union[Tax, _Mapping]]] = ..., remove: _Optional[_Iterable[_Union[Tax, _Mapping]]] = ...) -> None: ...

class ListTaxesRequest(_message.Message):
    __slots__ = ("airport",)
    AIRPORT_FIELD_NUMBER: _ClassVar[int]
    airport: str
    def __init__(self, airport: _Optional[str] = ...) -> None: ...

class ListTaxesResponse(_message.Message):
    __slots__ = ("taxes",)
    TAXES_FIELD_NUMBER: _ClassVar[int]
    taxes: _containers.RepeatedCompositeFieldContainer[Tax]
    def __init__(self, taxes: _Optional[_Iterable[_Union[Tax, _Mapping]]] = ...) -> None: ...

class RevenueReportRequest(_message.Message):
    __slots__ = ("to",)
    FROM_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    to: _timestamp_pb2.Timestamp
    def __init__(self, to: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., **kwargs) -> None: ...

class MoneyAmount(_message.Message):
    __slots__ = ("currency", "amount")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    currency: str
    amount: int
    def __init__(self, currency: _Optional[str] = ..., amount: _Optional[int] = ...) -> None: ...

class FlightRevenue(_message.Message):
    __slots__ = ("flight_id", "number", "origin", "destination", "status", "scheduled_departure", "cabin_class", "capacity", "sold", "sellable", "load_factor_percent", "bookings", "revenue")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_DEPARTURE_FIELD_NUMBER: _ClassVar[int]
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    SOLD_FIELD_NUMBER: _ClassVar[int]
    SELLABLE_FIELD_NUMBER: _ClassVar[int]
    LOAD_FACTOR_PERCENT_FIELD_NUMBER: _ClassVar[int]
    BOOKINGS_FIELD_NUMBER: _ClassVar[int]
    REVENUE_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    number: str
    origin: str
    destination: str
    status: str
    scheduled_departure: _timestamp_pb2.Timestamp
    cabin_class: str
    capacity: int
    sold: int
    sellable: int
    load_factor_percent: float
    bookings: int
    revenue: _containers.RepeatedCompositeFieldContainer[MoneyAmount]
    def __init__(self, flight_id: _Optional[str] = ..., number: _Optional[str] = ..., origin: _Optional[str] = ..., destination: _Optional[str] = ..., status: _Optional[str] = ..., scheduled_departure: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cabin_class: _Optional[str] = ..., capacity: _Optional[int] = ..., sold: _Optional[int] = ..., sellable: _Optional[int] = ..., load_factor_percent: _Optional[float] = ..., bookings: _Optional[int] = ..., revenue: _Optional[_Iterable[_Union[MoneyAmount, _Mapping]]] = ...) -> None: ...

class DayBookings(_message.Message):
    __slots__ = ("day", "currency", "bookings", "seats", "revenue")
    DAY_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    BOOKINGS_FIELD_NUMBER: _ClassVar[int]
    SEATS_FIELD_NUMBER: _ClassVar[int]
    REVENUE_FIELD_NUMBER: _ClassVar[int]
    day: str
    currency: str
    bookings: int
    seats: int
    revenue: int
    def __init__(self, day: _Optional[str] = ..., currency: _Optional[str] = ..., bookings: _Optional[int] = ..., seats: _Optional[int] = ..., revenue: _Optional[int] = ...) -> None: ...

class RevenueReportResponse(_message.Message):
    __slots__ = ("to", "flights", "days", "totals")
    FROM_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    FLIGHTS_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    TOTALS_FIELD_NUMBER: _ClassVar[int]
    to: _timestamp_pb2.Timestamp
    flights: _containers.RepeatedCompositeFieldContainer[FlightRevenue]
    days: _containers.RepeatedCompositeFieldContainer[DayBookings]
    totals: _containers.RepeatedCompositeFieldContainer[MoneyAmount]
    def __init__(self, to: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., flights: _Optional[_Iterable[_Union[FlightRevenue, _Mapping]]] = ..., days: _Optional[_Iterable[_Union[DayBookings, _Mapping]]] = ..., totals: _Optional[_Iterable[_Union[MoneyAmount, _Mapping]]] = ..., **kwargs) -> None: ...

class CabinSeats(_message.Message):
    __slots__ = ("cabin_class", "capacity", "sold", "overbooking_percent", "seats_left", "show_up_rate_bp", "overbooking_allowance")
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    SOLD_FIELD_NUMBER: _ClassVar[int]
    OVERBOOKING_PERCENT_FIELD_NUMBER: _ClassVar[int]
    SEATS_LEFT_FIELD_NUMBER: _ClassVar[int]
    SHOW_UP_RATE_BP_FIELD_NUMBER: _ClassVar[int]
    OVERBOOKING_ALLOWANCE_FIELD_NUMBER: _ClassVar[int]
    cabin_class: str
    capacity: int
    sold: int
    overbooking_percent: int
    seats_left: int
    show_up_rate_bp: int
    overbooking_allowance: int
    def __init__(self, cabin_class: _Optional[str] = ..., capacity: _Optional[int] = ..., sold: _Optional[int] = ..., overbooking_percent: _Optional[int] = ..., seats_left: _Optional[int] = ..., show_up_rate_bp: _Optional[int] = ..., overbooking_allowance: _Optional[int] = ...) -> None: ...

class SetOverbookingRequest(_message.Message):
    __slots__ = ("flight_id", "cabin_class", "percent", "show_up_rate_bp")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    PERCENT_FIELD_NUMBER: _ClassVar[int]
    SHOW_UP_RATE_BP_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    cabin_class: str
    percent: int
    show_up_rate_bp: int
    def __init__(self, flight_id: _Optional[str] = ..., cabin_class: _Optional[str] = ..., percent: _Optional[int] = ..., show_up_rate_bp: _Optional[int] = ...) -> None: ...

class Flight(_message.Message):
    __slots__ = ("id", "number", "origin", "destination", "origin_time_zone", "destination_time_zone", "plane_id", "gate", "status", "scheduled_departure", "scheduled_arrival", "estimated_departure", "estimated_arrival", "actual_departure", "actual_arrival", "boarding_starts", "seats", "diverted_to", "delay_code", "status_reason", "round_trip_id", "schedule_id", "version", "created_at", "cancelled_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    PLANE_ID_FIELD_NUMBER: _ClassVar[int]
    GATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_DEPARTURE_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_ARRIVAL_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_DEPARTURE_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_ARRIVAL_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_DEPARTURE_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_ARRIVAL_FIELD_NUMBER: _ClassVar[int]
    BOARDING_STARTS_FIELD_NUMBER: _ClassVar[int]
    SEATS_FIELD_NUMBER: _ClassVar[int]
    DIVERTED_TO_FIELD_NUMBER: _ClassVar[int]
    DELAY_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_REASON_FIELD_NUMBER: _ClassVar[int]
    ROUND_TRIP_ID_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    number: str
    origin: str
    destination: str
    origin_time_zone: str
    destination_time_zone: str
    plane_id: str
    gate: str
    status: str
    scheduled_departure: _timestamp_pb2.Timestamp
    scheduled_arrival: _timestamp_pb2.Timestamp
    estimated_departure: _timestamp_pb2.Timestamp
    estimated_arrival: _timestamp_pb2.Timestamp
    actual_departure: _timestamp_pb2.Timestamp
    actual_arrival: _timestamp_pb2.Timestamp
    boarding_starts: _timestamp_pb2.Timestamp
    seats: _containers.RepeatedCompositeFieldContainer[CabinSeats]
    diverted_to: str
    delay_code: str
    status_reason: str
    round_trip_id: str
    schedule_id: str
    version: int
    created_at: _timestamp_pb2.Timestamp
    cancelled_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., number: _Optional[str] = ..., origin: _Optional[str] = ..., destination: _Optional[str] = ..., origin_time_zone: _Optional[str] = ..., destination_time_zone: _Optional[str] = ..., plane_id: _Optional[str] = ..., gate: _Optional[str] = ..., status: _Optional[str] = ..., scheduled_departure: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., scheduled_arrival: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., estimated_departure: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., estimated_arrival: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actual_departure: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actual_arrival: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., boarding_starts: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., seats: _Optional[_Iterable[_Union[CabinSeats, _Mapping]]] = ..., diverted_to: _Optional[str] = ..., delay_code: _Optional[str] = ..., status_reason: _Optional[str] = ..., round_trip_id: _Optional[str] = ..., schedule_id: _Optional[str] = ..., version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cancelled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateFlightRequest(_message.Message):
    __slots__ = ("number", "origin", "destination", "departure", "duration_minutes", "plane_id", "gate")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    DEPARTURE_FIELD_NUMBER: _ClassVar[int]
    DURATION_MINUTES_FIELD_NUMBER: _ClassVar[int]
    PLANE_ID_FIELD_NUMBER: _ClassVar[int]
    GATE_FIELD_NUMBER: _ClassVar[int]
    number: str
    origin: str
    destination: str
    departure: _timestamp_pb2.Timestamp
    duration_minutes: int
    plane_id: str
    gate: str
    def __init__(self, number: _Optional[str] = ..., origin: _Optional[str] = ..., destination: _Optional[str] = ..., departure: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., duration_minutes: _Optional[int] = ..., plane_id: _Optional[str] = ..., gate: _Optional[str] = ...) -> None: ...

class CreateRoundTripRequest(_message.Message):
    __slots__ = ("outbound", "return_number", "return_departure", "return_duration_minutes", "return_gate")
    OUTBOUND_FIELD_NUMBER: _ClassVar[int]
    RETURN_NUMBER_FIELD_NUMBER: _ClassVar[int]
    RETURN_DEPARTURE_FIELD_NUMBER: _ClassVar[int]
    RETURN_DURATION_MINUTES_FIELD_NUMBER: _ClassVar[int]
    RETURN_GATE_FIELD_NUMBER: _ClassVar[int]
    outbound: CreateFlightRequest
    return_number: str
    return_departure: _timestamp_pb2.Timestamp
    return_duration_minutes: int
    return_gate: str
    def __init__(self, outbound: _Optional[_Union[CreateFlightRequest, _Mapping]] = ..., return_number: _Optional[str] = ..., return_departure: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., return_duration_minutes: _Optional[int] = ..., return_gate: _Optional[str] = ...) -> None: ...

class CreateScheduleRequest(_message.Message):
    __slots__ = ("number", "origin", "destination", "plane_id", "gate", "departure_local_time", "duration_minutes", "first_date", "days", "weekdays", "return_number", "return_gate", "return_departure_local_time", "return_duration_minutes")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    PLANE_ID_FIELD_NUMBER: _ClassVar[int]
    GATE_FIELD_NUMBER: _ClassVar[int]
    DEPARTURE_LOCAL_TIME_FIELD_NUMBER: _ClassVar[int]
    DURATION_MINUTES_FIELD_NUMBER: _ClassVar[int]
    FIRST_DATE_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    WEEKDAYS_FIELD_NUMBER: _ClassVar[int]
    RETURN_NUMBER_FIELD_NUMBER: _ClassVar[int]
    RETURN_GATE_FIELD_NUMBER: _ClassVar[int]
    RETURN_DEPARTURE_LOCAL_TIME_FIELD_NUMBER: _ClassVar[int]
    RETURN_DURATION_MINUTES_FIELD_NUMBER: _ClassVar[int]
    number: str
    origin: str
    destination: str
    plane_id: str
    gate: str
    departure_local_time: str
    duration_minutes: int
    first_date: str
    days: int
    weekdays: _containers.RepeatedScalarFieldContainer[int]
    return_number: str
    return_gate: str
    return_departure_local_time: str
    return_duration_minutes: int
    def __init__(self, number: _Optional[str] = ..., origin: _Optional[str] = ..., destination: _Optional[str] = ..., plane_id: _Optional[str] = ..., gate: _Optional[str] = ..., departure_local_time: _Optional[str] = ..., duration_minutes: _Optional[int] = ..., first_date: _Optional[str] = ..., days: _Optional[int] = ..., weekdays: _Optional[_Iterable[int]] = ..., return_number: _Optional[str] = ..., return_gate: _Optional[str] = ..., return_departure_local_time: _Optional[str] = ..., return_duration_minutes: _Optional[int] = ...) -> None: ...

class CreateFlightsResponse(_message.Message):
    __slots__ = ("flights", "round_trip_id", "schedule_id")
    FLIGHTS_FIELD_NUMBER: _ClassVar[int]
    ROUND_TRIP_ID_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_ID_FIELD_NUMBER: _ClassVar[int]
    flights: _containers.RepeatedCompositeFieldContainer[Flight]
    round_trip_id: str
    schedule_id: str
    def __init__(self, flights: _Optional[_Iterable[_Union[Flight, _Mapping]]] = ..., round_trip_id: _Optional[str] = ..., schedule_id: _Optional[str] = ...) -> None: ...

class UpdateStatusRequest(_message.Message):
    __slots__ = ("flight_id", "status", "at", "override_reason")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_REASON_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    status: str
    at: _timestamp_pb2.Timestamp
    override_reason: str
    def __init__(self, flight_id: _Optional[str] = ..., status: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., override_reason: _Optional[str] = ...) -> None: ...

class ChangeGateRequest(_message.Message):
    __slots__ = ("flight_id", "gate", "reason")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    GATE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    gate: str
    reason: str
    def __init__(self, flight_id: _Optional[str] = ..., gate: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class DelayFlightRequest(_message.Message):
    __slots__ = ("flight_id", "new_departure", "new_arrival", "delay_code", "reason")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    NEW_DEPARTURE_FIELD_NUMBER: _ClassVar[int]
    NEW_ARRIVAL_FIELD_NUMBER: _ClassVar[int]
    DELAY_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    new_departure: _timestamp_pb2.Timestamp
    new_arrival: _timestamp_pb2.Timestamp
    delay_code: str
    reason: str
    def __init__(self, flight_id: _Optional[str] = ..., new_departure: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., new_arrival: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., delay_code: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CancelFlightRequest(_message.Message):
    __slots__ = ("flight_id", "reason")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    reason: str
    def __init__(self, flight_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ChangePlaneRequest(_message.Message):
    __slots__ = ("flight_id", "plane_id", "reason")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    PLANE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    plane_id: str
    reason: str
    def __init__(self, flight_id: _Optional[str] = ..., plane_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class DivertFlightRequest(_message.Message):
    __slots__ = ("flight_id", "diverted_to", "reason", "estimated_arrival")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    DIVERTED_TO_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_ARRIVAL_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    diverted_to: str
    reason: str
    estimated_arrival: _timestamp_pb2.Timestamp
    def __init__(self, flight_id: _Optional[str] = ..., diverted_to: _Optional[str] = ..., reason: _Optional[str] = ..., estimated_arrival: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetFlightRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListFlightsRequest(_message.Message):
    __slots__ = ("airport", "direction", "to", "number", "limit")
    AIRPORT_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    airport: str
    direction: str
    to: _timestamp_pb2.Timestamp
    number: str
    limit: int
    def __init__(self, airport: _Optional[str] = ..., direction: _Optional[str] = ..., to: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., number: _Optional[str] = ..., limit: _Optional[int] = ..., **kwargs) -> None: ...

class ListFlightsResponse(_message.Message):
    __slots__ = ("flights",)
    FLIGHTS_FIELD_NUMBER: _ClassVar[int]
    flights: _containers.RepeatedCompositeFieldContainer[Flight]
    def __init__(self, flights: _Optional[_Iterable[_Union[Flight, _Mapping]]] = ...) -> None: ...

class Announcement(_message.Message):
    __slots__ = ("id", "flight_id", "flight_number", "airport", "kind", "message", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    AIRPORT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    flight_id: str
    flight_number: str
    airport: str
    kind: str
    message: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., flight_id: _Optional[str] = ..., flight_number: _Optional[str] = ..., airport: _Optional[str] = ..., kind: _Optional[str] = ..., message: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListAnnouncementsRequest(_message.Message):
    __slots__ = ("airport", "flight_id", "since", "limit")
    AIRPORT_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    airport: str
    flight_id: str
    since: _timestamp_pb2.Timestamp
    limit: int
    def __init__(self, airport: _Optional[str] = ..., flight_id: _Optional[str] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., limit: _Optional[int] = ...) -> None: ...

class ListAnnouncementsResponse(_message.Message):
    __slots__ = ("announcements",)
    ANNOUNCEMENTS_FIELD_NUMBER: _ClassVar[int]
    announcements: _containers.RepeatedCompositeFieldContainer[Announcement]
    def __init__(self, announcements: _Optional[_Iterable[_Union[Announcement, _Mapping]]] = ...) -> None: ...

class MakeAnnouncementRequest(_message.Message):
    __slots__ = ("flight_id", "kind", "text")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    kind: str
    text: str
    def __init__(self, flight_id: _Optional[str] = ..., kind: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class Fare(_message.Message):
    __slots__ = ("origin", "destination", "cabin_class", "passenger_type", "trip_type", "amount", "currency")
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_TYPE_FIELD_NUMBER: _ClassVar[int]
    TRIP_TYPE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    origin: str
    destination: str
    cabin_class: str
    passenger_type: str
    trip_type: str
    amount: int
    currency: str
    def __init__(self, origin: _Optional[str] = ..., destination: _Optional[str] = ..., cabin_class: _Optional[str] = ..., passenger_type: _Optional[str] = ..., trip_type: _Optional[str] = ..., amount: _Optional[int] = ..., currency: _Optional[str] = ...) -> None: ...

class FareRules(_message.Message):
    __slots__ = ("origin", "destination", "cabin_class", "refundable", "change_fee", "currency", "checked_bags", "bag_weight_kg", "no_show_refund", "taxes")
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    REFUNDABLE_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FEE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    CHECKED_BAGS_FIELD_NUMBER: _ClassVar[int]
    BAG_WEIGHT_KG_FIELD_NUMBER: _ClassVar[int]
    NO_SHOW_REFUND_FIELD_NUMBER: _ClassVar[int]
    TAXES_FIELD_NUMBER: _ClassVar[int]
    origin: str
    destination: str
    cabin_class: str
    refundable: bool
    change_fee: int
    currency: str
    checked_bags: int
    bag_weight_kg: int
    no_show_refund: str
    taxes: int
    def __init__(self, origin: _Optional[str] = ..., destination: _Optional[str] = ..., cabin_class: _Optional[str] = ..., refundable: _Optional[bool] = ..., change_fee: _Optional[int] = ..., currency: _Optional[str] = ..., checked_bags: _Optional[int] = ..., bag_weight_kg: _Optional[int] = ..., no_show_refund: _Optional[str] = ..., taxes: _Optional[int] = ...) -> None: ...

class SetFaresRequest(_message.Message):
    __slots__ = ("fares", "rules")
    FARES_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    fares: _containers.RepeatedCompositeFieldContainer[Fare]
    rules: _containers.RepeatedCompositeFieldContainer[FareRules]
    def __init__(self, fares: _Optional[_Iterable[_Union[Fare, _Mapping]]] = ..., rules: _Optional[_Iterable[_Union[FareRules, _Mapping]]] = ...) -> None: ...

class ListFaresRequest(_message.Message):
    __slots__ = ("origin", "destination")
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    origin: str
    destination: str
    def __init__(self, origin: _Optional[str] = ..., destination: _Optional[str] = ...) -> None: ...

class ListFaresResponse(_message.Message):
    __slots__ = ("fares", "rules")
    FARES_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    fares: _containers.RepeatedCompositeFieldContainer[Fare]
    rules: _containers.RepeatedCompositeFieldContainer[FareRules]
    def __init__(self, fares: _Optional[_Iterable[_Union[Fare, _Mapping]]] = ..., rules: _Optional[_Iterable[_Union[FareRules, _Mapping]]] = ...) -> None: ...

class SearchRequest(_message.Message):
    __slots__ = ("origin", "destination", "departure_date", "flexible_days", "adults", "children", "infants", "cabin_class", "trip_type", "return_date", "max_offers")
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    DEPARTURE_DATE_FIELD_NUMBER: _ClassVar[int]
    FLEXIBLE_DAYS_FIELD_NUMBER: _ClassVar[int]
    ADULTS_FIELD_NUMBER: _ClassVar[int]
    CHILDREN_FIELD_NUMBER: _ClassVar[int]
    INFANTS_FIELD_NUMBER: _ClassVar[int]
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    TRIP_TYPE_FIELD_NUMBER: _ClassVar[int]
    RETURN_DATE_FIELD_NUMBER: _ClassVar[int]
    MAX_OFFERS_FIELD_NUMBER: _ClassVar[int]
    origin: str
    destination: str
    departure_date: str
    flexible_days: int
    adults: int
    children: int
    infants: int
    cabin_class: str
    trip_type: str
    return_date: str
    max_offers: int
    def __init__(self, origin: _Optional[str] = ..., destination: _Optional[str] = ..., departure_date: _Optional[str] = ..., flexible_days: _Optional[int] = ..., adults: _Optional[int] = ..., children: _Optional[int] = ..., infants: _Optional[int] = ..., cabin_class: _Optional[str] = ..., trip_type: _Optional[str] = ..., return_date: _Optional[str] = ..., max_offers: _Optional[int] = ...) -> None: ...

class PriceLine(_message.Message):
    __slots__ = ("passenger_type", "count", "unit_amount", "amount")
    PASSENGER_TYPE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    UNIT_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    passenger_type: str
    count: int
    unit_amount: int
    amount: int
    def __init__(self, passenger_type: _Optional[str] = ..., count: _Optional[int] = ..., unit_amount: _Optional[int] = ..., amount: _Optional[int] = ...) -> None: ...

class OfferLeg(_message.Message):
    __slots__ = ("flight", "seats_left", "rules", "fare_bucket")
    FLIGHT_FIELD_NUMBER: _ClassVar[int]
    SEATS_LEFT_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    FARE_BUCKET_FIELD_NUMBER: _ClassVar[int]
    flight: Flight
    seats_left: int
    rules: FareRules
    fare_bucket: str
    def __init__(self, flight: _Optional[_Union[Flight, _Mapping]] = ..., seats_left: _Optional[int] = ..., rules: _Optional[_Union[FareRules, _Mapping]] = ..., fare_bucket: _Optional[str] = ...) -> None: ...

class TaxLine(_message.Message):
    __slots__ = ("code", "name", "airport", "passenger_type", "count", "unit_amount", "amount")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    AIRPORT_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_TYPE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    UNIT_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    airport: str
    passenger_type: str
    count: int
    unit_amount: int
    amount: int
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., airport: _Optional[str] = ..., passenger_type: _Optional[str] = ..., count: _Optional[int] = ..., unit_amount: _Optional[int] = ..., amount: _Optional[int] = ...) -> None: ...

class Offer(_message.Message):
    __slots__ = ("offer_id", "legs", "cabin_class", "trip_type", "adults", "children", "infants", "breakdown", "total", "currency", "expires_at", "fare_lines", "taxes")
    OFFER_ID_FIELD_NUMBER: _ClassVar[int]
    LEGS_FIELD_NUMBER: _ClassVar[int]
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    TRIP_TYPE_FIELD_NUMBER: _ClassVar[int]
    ADULTS_FIELD_NUMBER: _ClassVar[int]
    CHILDREN_FIELD_NUMBER: _ClassVar[int]
    INFANTS_FIELD_NUMBER: _ClassVar[int]
    BREAKDOWN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    FARE_LINES_FIELD_NUMBER: _ClassVar[int]
    TAXES_FIELD_NUMBER: _ClassVar[int]
    offer_id: str
    legs: _containers.RepeatedCompositeFieldContainer[OfferLeg]
    cabin_class: str
    trip_type: str
    adults: int
    children: int
    infants: int
    breakdown: _containers.RepeatedCompositeFieldContainer[PriceLine]
    total: int
    currency: str
    expires_at: _timestamp_pb2.Timestamp
    fare_lines: _containers.RepeatedCompositeFieldContainer[PriceLine]
    taxes: _containers.RepeatedCompositeFieldContainer[TaxLine]
    def __init__(self, offer_id: _Optional[str] = ..., legs: _Optional[_Iterable[_Union[OfferLeg, _Mapping]]] = ..., cabin_class: _Optional[str] = ..., trip_type: _Optional[str] = ..., adults: _Optional[int] = ..., children: _Optional[int] = ..., infants: _Optional[int] = ..., breakdown: _Optional[_Iterable[_Union[PriceLine, _Mapping]]] = ..., total: _Optional[int] = ..., currency: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., fare_lines: _Optional[_Iterable[_Union[PriceLine, _Mapping]]] = ..., taxes: _Optional[_Iterable[_Union[TaxLine, _Mapping]]] = ...) -> None: ...

class SearchResponse(_message.Message):
    __slots__ = ("offers",)
    OFFERS_FIELD_NUMBER: _ClassVar[int]
    offers: _containers.RepeatedCompositeFieldContainer[Offer]
    def __init__(self, offers: _Optional[_Iterable[_Union[Offer, _Mapping]]] = ...) -> None: ...

class GetOfferRequest(_message.Message):
    __slots__ = ("offer_id", "booking_id", "claim_expires_at")
    OFFER_ID_FIELD_NUMBER: _ClassVar[int]
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    CLAIM_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    offer_id: str
    booking_id: str
    claim_expires_at: _timestamp_pb2.Timestamp
    def __init__(self, offer_id: _Optional[str] = ..., booking_id: _Optional[str] = ..., claim_expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReleaseBucketClaimsRequest(_message.Message):
    __slots__ = ("booking_id",)
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    booking_id: str
    def __init__(self, booking_id: _Optional[str] = ...) -> None: ...

class ReleaseBucketClaimsResponse(_message.Message):
    __slots__ = ("released",)
    RELEASED_FIELD_NUMBER: _ClassVar[int]
    released: int
    def __init__(self, released: _Optional[int] = ...) -> None: ...

class ExtendBucketClaimsRequest(_message.Message):
    __slots__ = ("booking_id", "claim_expires_at")
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    CLAIM_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    booking_id: str
    claim_expires_at: _timestamp_pb2.Timestamp
    def __init__(self, booking_id: _Optional[str] = ..., claim_expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ExtendBucketClaimsResponse(_message.Message):
    __slots__ = ("extended",)
    EXTENDED_FIELD_NUMBER: _ClassVar[int]
    extended: int
    def __init__(self, extended: _Optional[int] = ...) -> None: ...
