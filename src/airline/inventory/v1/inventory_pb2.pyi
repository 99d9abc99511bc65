import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Item(_message.Message):
    __slots__ = ("code", "name", "kind")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    kind: str
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class ListItemsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListItemsResponse(_message.Message):
    __slots__ = ("items",)
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[Item]
    def __init__(self, items: _Optional[_Iterable[_Union[Item, _Mapping]]] = ...) -> None: ...

class CreateItemRequest(_message.Message):
    __slots__ = ("code", "name", "kind")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    kind: str
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class StockLine(_message.Message):
    __slots__ = ("airport", "item", "quantity", "threshold", "low", "updated_at")
    AIRPORT_FIELD_NUMBER: _ClassVar[int]
    ITEM_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    LOW_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    airport: str
    item: str
    quantity: int
    threshold: int
    low: bool
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, airport: _Optional[str] = ..., item: _Optional[str] = ..., quantity: _Optional[int] = ..., threshold: _Optional[int] = ..., low: _Optional[bool] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListStockRequest(_message.Message):
    __slots__ = ("airport",)
    AIRPORT_FIELD_NUMBER: _ClassVar[int]
    airport: str
    def __init__(self, airport: _Optional[str] = ...) -> None: ...

class ListStockResponse(_message.Message):
    __slots__ = ("stock",)
    STOCK_FIELD_NUMBER: _ClassVar[int]
    stock: _containers.RepeatedCompositeFieldContainer[StockLine]
    def __init__(self, stock: _Optional[_Iterable[_Union[StockLine, _Mapping]]] = ...) -> None: ...

class RestockRequest(_message.Message):
    __slots__ = ("airport", "item", "quantity")
    AIRPORT_FIELD_NUMBER: _ClassVar[int]
    ITEM_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    airport: str
    item: str
    quantity: int
    def __init__(self, airport: _Optional[str] = ..., item: _Optional[str] = ..., quantity: _Optional[int] = ...) -> None: ...

class SetThresholdRequest(_message.Message):
    __slots__ = ("airport", "item", "threshold")
    AIRPORT_FIELD_NUMBER: _ClassVar[int]
    ITEM_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    airport: str
    item: str
    threshold: int
    def __init__(self, airport: _Optional[str] = ..., item: _Optional[str] = ..., threshold: _Optional[int] = ...) -> None: ...

class Quantity(_message.Message):
    __slots__ = ("item", "quantity")
    ITEM_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    item: str
    quantity: int
    def __init__(self, item: _Optional[str] = ..., quantity: _Optional[int] = ...) -> None: ...

class LoadedLine(_message.Message):
    __slots__ = ("item", "loaded", "consumed")
    ITEM_FIELD_NUMBER: _ClassVar[int]
    LOADED_FIELD_NUMBER: _ClassVar[int]
    CONSUMED_FIELD_NUMBER: _ClassVar[int]
    item: str
    loaded: int
    consumed: int
    def __init__(self, item: _Optional[str] = ..., loaded: _Optional[int] = ..., consumed: _Optional[int] = ...) -> None: ...

class PassengerGroup(_message.Message):
    __slots__ = ("cabin_class", "passenger_type", "meal", "count")
    CABIN_CLASS_FIELD_NUMBER: _ClassVar[int]
    PASSENGER_TYPE_FIELD_NUMBER: _ClassVar[int]
    MEAL_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    cabin_class: str
    passenger_type: str
    meal: str
    count: int
    def __init__(self, cabin_class: _Optional[str] = ..., passenger_type: _Optional[str] = ..., meal: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class LoadPlan(_message.Message):
    __slots__ = ("flight_id", "flight_number", "origin", "scheduled_departure", "flight_status", "version", "items", "passengers", "loaded", "loaded_items", "delta", "needs_unload", "buffer_percent")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_DEPARTURE_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_STATUS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    PASSENGERS_FIELD_NUMBER: _ClassVar[int]
    LOADED_FIELD_NUMBER: _ClassVar[int]
    LOADED_ITEMS_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    NEEDS_UNLOAD_FIELD_NUMBER: _ClassVar[int]
    BUFFER_PERCENT_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    flight_number: str
    origin: str
    scheduled_departure: _timestamp_pb2.Timestamp
    flight_status: str
    version: int
    items: _containers.RepeatedCompositeFieldContainer[Quantity]
    passengers: _containers.RepeatedCompositeFieldContainer[PassengerGroup]
    loaded: bool
    loaded_items: _containers.RepeatedCompositeFieldContainer[LoadedLine]
    delta: _containers.RepeatedCompositeFieldContainer[Quantity]
    needs_unload: bool
    buffer_percent: int
    def __init__(self, flight_id: _Optional[str] = ..., flight_number: _Optional[str] = ..., origin: _Optional[str] = ..., scheduled_departure: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., flight_status: _Optional[str] = ..., version: _Optional[int] = ..., items: _Optional[_Iterable[_Union[Quantity, _Mapping]]] = ..., passengers: _Optional[_Iterable[_Union[PassengerGroup, _Mapping]]] = ..., loaded: _Optional[bool] = ..., loaded_items: _Optional[_Iterable[_Union[LoadedLine, _Mapping]]] = ..., delta: _Optional[_Iterable[_Union[Quantity, _Mapping]]] = ..., needs_unload: _Optional[bool] = ..., buffer_percent: _Optional[int] = ...) -> None: ...

class GetLoadPlanRequest(_message.Message):
    __slots__ = ("flight_id",)
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    def __init__(self, flight_id: _Optional[str] = ...) -> None: ...

class LoadFlightRequest(_message.Message):
    __slots__ = ("flight_id",)
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    def __init__(self, flight_id: _Optional[str] = ...) -> None: ...

class RecordConsumptionRequest(_message.Message):
    __slots__ = ("flight_id", "item", "quantity")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    item: str
    quantity: int
    def __init__(self, flight_id: _Optional[str] = ..., item: _Optional[str] = ..., quantity: _Optional[int] = ...) -> None: ...

class Alert(_message.Message):
    __slots__ = ("id", "airport", "item", "quantity", "threshold", "created_at", "resolved_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    AIRPORT_FIELD_NUMBER: _ClassVar[int]
    ITEM_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    airport: str
    item: str
    quantity: int
    threshold: int
    created_at: _timestamp_pb2.Timestamp
    resolved_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., airport: _Optional[str] = ..., item: _Optional[str] = ..., quantity: _Optional[int] = ..., threshold: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resolved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListAlertsRequest(_message.Message):
    __slots__ = ("airport", "include_resolved")
    AIRPORT_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_RESOLVED_FIELD_NUMBER: _ClassVar[int]
    airport: str
    include_resolved: bool
    def __init__(self, airport: _Optional[str] = ..., include_resolved: _Optional[bool] = ...) -> None: ...

class ListAlertsResponse(_message.Message):
    __slots__ = ("alerts",)
    ALERTS_FIELD_NUMBER: _ClassVar[int]
    alerts: _containers.RepeatedCompositeFieldContainer[Alert]
    def __init__(self, alerts: _Optional[_Iterable[_Union[Alert, _Mapping]]] = ...) -> None: ...
