import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Absence(_message.Message):
    __slots__ = ("kind", "starts_at", "ends_at", "note")
    KIND_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    kind: str
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    note: str
    def __init__(self, kind: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., note: _Optional[str] = ...) -> None: ...

class Member(_message.Message):
    __slots__ = ("id", "user_id", "name", "role", "qualifications", "home_base", "email", "phone", "active", "absences")
    ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    QUALIFICATIONS_FIELD_NUMBER: _ClassVar[int]
    HOME_BASE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    ABSENCES_FIELD_NUMBER: _ClassVar[int]
    id: str
    user_id: str
    name: str
    role: str
    qualifications: _containers.RepeatedScalarFieldContainer[str]
    home_base: str
    email: str
    phone: str
    active: bool
    absences: _containers.RepeatedCompositeFieldContainer[Absence]
    def __init__(self, id: _Optional[str] = ..., user_id: _Optional[str] = ..., name: _Optional[str] = ..., role: _Optional[str] = ..., qualifications: _Optional[_Iterable[str]] = ..., home_base: _Optional[str] = ..., email: _Optional[str] = ..., phone: _Optional[str] = ..., active: _Optional[bool] = ..., absences: _Optional[_Iterable[_Union[Absence, _Mapping]]] = ...) -> None: ...

class CreateMemberRequest(_message.Message):
    __slots__ = ("name", "role", "qualifications", "home_base", "email", "phone", "user_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    QUALIFICATIONS_FIELD_NUMBER: _ClassVar[int]
    HOME_BASE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    role: str
    qualifications: _containers.RepeatedScalarFieldContainer[str]
    home_base: str
    email: str
    phone: str
    user_id: str
    def __init__(self, name: _Optional[str] = ..., role: _Optional[str] = ..., qualifications: _Optional[_Iterable[str]] = ..., home_base: _Optional[str] = ..., email: _Optional[str] = ..., phone: _Optional[str] = ..., user_id: _Optional[str] = ...) -> None: ...

class ListMembersRequest(_message.Message):
    __slots__ = ("role", "home_base")
    ROLE_FIELD_NUMBER: _ClassVar[int]
    HOME_BASE_FIELD_NUMBER: _ClassVar[int]
    role: str
    home_base: str
    def __init__(self, role: _Optional[str] = ..., home_base: _Optional[str] = ...) -> None: ...

class ListMembersResponse(_message.Message):
    __slots__ = ("members",)
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    members: _containers.RepeatedCompositeFieldContainer[Member]
    def __init__(self, members: _Optional[_Iterable[_Union[Member, _Mapping]]] = ...) -> None: ...

class GetMemberRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class SetAvailabilityRequest(_message.Message):
    __slots__ = ("member_id", "absences")
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    ABSENCES_FIELD_NUMBER: _ClassVar[int]
    member_id: str
    absences: _containers.RepeatedCompositeFieldContainer[Absence]
    def __init__(self, member_id: _Optional[str] = ..., absences: _Optional[_Iterable[_Union[Absence, _Mapping]]] = ...) -> None: ...

class Violation(_message.Message):
    __slots__ = ("rule", "message")
    RULE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    rule: str
    message: str
    def __init__(self, rule: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class Assignment(_message.Message):
    __slots__ = ("id", "flight_id", "flight_number", "member_id", "member_name", "role", "state", "origin", "destination", "report_at", "departure", "arrival", "release_at", "source", "override_reason", "violations", "answer_reason", "needs_attention", "created_at", "answered_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    REPORT_AT_FIELD_NUMBER: _ClassVar[int]
    DEPARTURE_FIELD_NUMBER: _ClassVar[int]
    ARRIVAL_FIELD_NUMBER: _ClassVar[int]
    RELEASE_AT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_REASON_FIELD_NUMBER: _ClassVar[int]
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    ANSWER_REASON_FIELD_NUMBER: _ClassVar[int]
    NEEDS_ATTENTION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    flight_id: str
    flight_number: str
    member_id: str
    member_name: str
    role: str
    state: str
    origin: str
    destination: str
    report_at: _timestamp_pb2.Timestamp
    departure: _timestamp_pb2.Timestamp
    arrival: _timestamp_pb2.Timestamp
    release_at: _timestamp_pb2.Timestamp
    source: str
    override_reason: str
    violations: _containers.RepeatedCompositeFieldContainer[Violation]
    answer_reason: str
    needs_attention: bool
    created_at: _timestamp_pb2.Timestamp
    answered_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., flight_id: _Optional[str] = ..., flight_number: _Optional[str] = ..., member_id: _Optional[str] = ..., member_name: _Optional[str] = ..., role: _Optional[str] = ..., state: _Optional[str] = ..., origin: _Optional[str] = ..., destination: _Optional[str] = ..., report_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., departure: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., arrival: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., release_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., source: _Optional[str] = ..., override_reason: _Optional[str] = ..., violations: _Optional[_Iterable[_Union[Violation, _Mapping]]] = ..., answer_reason: _Optional[str] = ..., needs_attention: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., answered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RoleStatus(_message.Message):
    __slots__ = ("role", "required", "accepted", "proposed", "short")
    ROLE_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    PROPOSED_FIELD_NUMBER: _ClassVar[int]
    SHORT_FIELD_NUMBER: _ClassVar[int]
    role: str
    required: int
    accepted: int
    proposed: int
    short: int
    def __init__(self, role: _Optional[str] = ..., required: _Optional[int] = ..., accepted: _Optional[int] = ..., proposed: _Optional[int] = ..., short: _Optional[int] = ...) -> None: ...

class FlightCrew(_message.Message):
    __slots__ = ("flight_id", "flight_number", "aircraft_type", "seats", "readiness", "short_roles", "roles", "assignments", "flight_status")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    AIRCRAFT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SEATS_FIELD_NUMBER: _ClassVar[int]
    READINESS_FIELD_NUMBER: _ClassVar[int]
    SHORT_ROLES_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENTS_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_STATUS_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    flight_number: str
    aircraft_type: str
    seats: int
    readiness: str
    short_roles: _containers.RepeatedScalarFieldContainer[str]
    roles: _containers.RepeatedCompositeFieldContainer[RoleStatus]
    assignments: _containers.RepeatedCompositeFieldContainer[Assignment]
    flight_status: str
    def __init__(self, flight_id: _Optional[str] = ..., flight_number: _Optional[str] = ..., aircraft_type: _Optional[str] = ..., seats: _Optional[int] = ..., readiness: _Optional[str] = ..., short_roles: _Optional[_Iterable[str]] = ..., roles: _Optional[_Iterable[_Union[RoleStatus, _Mapping]]] = ..., assignments: _Optional[_Iterable[_Union[Assignment, _Mapping]]] = ..., flight_status: _Optional[str] = ...) -> None: ...

class ProposeCrewRequest(_message.Message):
    __slots__ = ("flight_id",)
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    def __init__(self, flight_id: _Optional[str] = ...) -> None: ...

class GetFlightCrewRequest(_message.Message):
    __slots__ = ("flight_id",)
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    def __init__(self, flight_id: _Optional[str] = ...) -> None: ...

class AssignMemberRequest(_message.Message):
    __slots__ = ("flight_id", "member_id", "override_reason")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_REASON_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    member_id: str
    override_reason: str
    def __init__(self, flight_id: _Optional[str] = ..., member_id: _Optional[str] = ..., override_reason: _Optional[str] = ...) -> None: ...

class RemoveMemberRequest(_message.Message):
    __slots__ = ("flight_id", "member_id", "reason")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    member_id: str
    reason: str
    def __init__(self, flight_id: _Optional[str] = ..., member_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class GetRosterRequest(_message.Message):
    __slots__ = ("to",)
    FROM_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    to: _timestamp_pb2.Timestamp
    def __init__(self, to: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., **kwargs) -> None: ...

class RosterEntry(_message.Message):
    __slots__ = ("member", "assignments")
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENTS_FIELD_NUMBER: _ClassVar[int]
    member: Member
    assignments: _containers.RepeatedCompositeFieldContainer[Assignment]
    def __init__(self, member: _Optional[_Union[Member, _Mapping]] = ..., assignments: _Optional[_Iterable[_Union[Assignment, _Mapping]]] = ...) -> None: ...

class GetRosterResponse(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[RosterEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[RosterEntry, _Mapping]]] = ...) -> None: ...

class MyAssignmentsRequest(_message.Message):
    __slots__ = ("include_past",)
    INCLUDE_PAST_FIELD_NUMBER: _ClassVar[int]
    include_past: bool
    def __init__(self, include_past: _Optional[bool] = ...) -> None: ...

class MyAssignmentsResponse(_message.Message):
    __slots__ = ("member", "assignments")
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENTS_FIELD_NUMBER: _ClassVar[int]
    member: Member
    assignments: _containers.RepeatedCompositeFieldContainer[Assignment]
    def __init__(self, member: _Optional[_Union[Member, _Mapping]] = ..., assignments: _Optional[_Iterable[_Union[Assignment, _Mapping]]] = ...) -> None: ...

class AnswerAssignmentRequest(_message.Message):
    __slots__ = ("assignment_id", "accept", "reason")
    ASSIGNMENT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCEPT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    assignment_id: str
    accept: bool
    reason: str
    def __init__(self, assignment_id: _Optional[str] = ..., accept: _Optional[bool] = ..., reason: _Optional[str] = ...) -> None: ...

class Notification(_message.Message):
    __slots__ = ("id", "assignment_id", "kind", "message", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    assignment_id: str
    kind: str
    message: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., assignment_id: _Optional[str] = ..., kind: _Optional[str] = ..., message: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class MyNotificationsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MyNotificationsResponse(_message.Message):
    __slots__ = ("notifications",)
    NOTIFICATIONS_FIELD_NUMBER: _ClassVar[int]
    notifications: _containers.RepeatedCompositeFieldContainer[Notification]
    def __init__(self, notifications: _Optional[_Iterable[_Union[Notification, _Mapping]]] = ...) -> None: ...

class GenerateRosterRequest(_message.Message):
    __slots__ = ("to", "dry_run", "base")
    FROM_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    BASE_FIELD_NUMBER: _ClassVar[int]
    to: _timestamp_pb2.Timestamp
    dry_run: bool
    base: str
    def __init__(self, to: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., dry_run: _Optional[bool] = ..., base: _Optional[str] = ..., **kwargs) -> None: ...

class RosterPick(_message.Message):
    __slots__ = ("member_id", "member_name", "role")
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    member_id: str
    member_name: str
    role: str
    def __init__(self, member_id: _Optional[str] = ..., member_name: _Optional[str] = ..., role: _Optional[str] = ...) -> None: ...

class UncoveredRole(_message.Message):
    __slots__ = ("role", "missing", "reason")
    ROLE_FIELD_NUMBER: _ClassVar[int]
    MISSING_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    role: str
    missing: int
    reason: str
    def __init__(self, role: _Optional[str] = ..., missing: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class RosterFlight(_message.Message):
    __slots__ = ("flight_id", "flight_number", "origin", "destination", "departure", "readiness", "kept", "picked", "uncovered")
    FLIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    DEPARTURE_FIELD_NUMBER: _ClassVar[int]
    READINESS_FIELD_NUMBER: _ClassVar[int]
    KEPT_FIELD_NUMBER: _ClassVar[int]
    PICKED_FIELD_NUMBER: _ClassVar[int]
    UNCOVERED_FIELD_NUMBER: _ClassVar[int]
    flight_id: str
    flight_number: str
    origin: str
    destination: str
    departure: _timestamp_pb2.Timestamp
    readiness: str
    kept: int
    picked: _containers.RepeatedCompositeFieldContainer[RosterPick]
    uncovered: _containers.RepeatedCompositeFieldContainer[UncoveredRole]
    def __init__(self, flight_id: _Optional[str] = ..., flight_number: _Optional[str] = ..., origin: _Optional[str] = ..., destination: _Optional[str] = ..., departure: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., readiness: _Optional[str] = ..., kept: _Optional[int] = ..., picked: _Optional[_Iterable[_Union[RosterPick, _Mapping]]] = ..., uncovered: _Optional[_Iterable[_Union[UncoveredRole, _Mapping]]] = ...) -> None: ...

class GenerateRosterResponse(_message.Message):
    __slots__ = ("flights", "dry_run", "proposed", "flights_short", "solver_seconds", "solver_status")
    FLIGHTS_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    PROPOSED_FIELD_NUMBER: _ClassVar[int]
    FLIGHTS_SHORT_FIELD_NUMBER: _ClassVar[int]
    SOLVER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    SOLVER_STATUS_FIELD_NUMBER: _ClassVar[int]
    flights: _containers.RepeatedCompositeFieldContainer[RosterFlight]
    dry_run: bool
    proposed: int
    flights_short: int
    solver_seconds: float
    solver_status: str
    def __init__(self, flights: _Optional[_Iterable[_Union[RosterFlight, _Mapping]]] = ..., dry_run: _Optional[bool] = ..., proposed: _Optional[int] = ..., flights_short: _Optional[int] = ..., solver_seconds: _Optional[float] = ..., solver_status: _Optional[str] = ...) -> None: ...

class DutyPeriod(_message.Message):
    __slots__ = ("report_at", "release_at", "fdp_hours", "fdp_limit_hours", "sectors")
    REPORT_AT_FIELD_NUMBER: _ClassVar[int]
    RELEASE_AT_FIELD_NUMBER: _ClassVar[int]
    FDP_HOURS_FIELD_NUMBER: _ClassVar[int]
    FDP_LIMIT_HOURS_FIELD_NUMBER: _ClassVar[int]
    SECTORS_FIELD_NUMBER: _ClassVar[int]
    report_at: _timestamp_pb2.Timestamp
    release_at: _timestamp_pb2.Timestamp
    fdp_hours: float
    fdp_limit_hours: float
    sectors: _containers.RepeatedCompositeFieldContainer[Assignment]
    def __init__(self, report_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., release_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., fdp_hours: _Optional[float] = ..., fdp_limit_hours: _Optional[float] = ..., sectors: _Optional[_Iterable[_Union[Assignment, _Mapping]]] = ...) -> None: ...

class Pairing(_message.Message):
    __slots__ = ("report_at", "release_at", "nights_away", "returns_home", "duty_periods")
    REPORT_AT_FIELD_NUMBER: _ClassVar[int]
    RELEASE_AT_FIELD_NUMBER: _ClassVar[int]
    NIGHTS_AWAY_FIELD_NUMBER: _ClassVar[int]
    RETURNS_HOME_FIELD_NUMBER: _ClassVar[int]
    DUTY_PERIODS_FIELD_NUMBER: _ClassVar[int]
    report_at: _timestamp_pb2.Timestamp
    release_at: _timestamp_pb2.Timestamp
    nights_away: int
    returns_home: bool
    duty_periods: _containers.RepeatedCompositeFieldContainer[DutyPeriod]
    def __init__(self, report_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., release_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., nights_away: _Optional[int] = ..., returns_home: _Optional[bool] = ..., duty_periods: _Optional[_Iterable[_Union[DutyPeriod, _Mapping]]] = ...) -> None: ...

class MyPairingsRequest(_message.Message):
    __slots__ = ("include_past",)
    INCLUDE_PAST_FIELD_NUMBER: _ClassVar[int]
    include_past: bool
    def __init__(self, include_past: _Optional[bool] = ...) -> None: ...

class MyPairingsResponse(_message.Message):
    __slots__ = ("member", "pairings")
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    PAIRINGS_FIELD_NUMBER: _ClassVar[int]
    member: Member
    pairings: _containers.RepeatedCompositeFieldContainer[Pairing]
    def __init__(self, member: _Optional[_Union[Member, _Mapping]] = ..., pairings: _Optional[_Iterable[_Union[Pairing, _Mapping]]] = ...) -> None: ...
