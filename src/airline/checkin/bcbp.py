"""IATA Bar Coded Boarding Pass (BCBP, Resolution 792): the mandatory items, encoded and parsed.

Pure functions, no I/O. Layout (character positions of the mandatory section):

    format code (1) 'M' · number of legs (1) · passenger name (20) LAST/FIRST ·
    electronic ticket indicator (1) 'E' · then per leg: PNR (7) · from (3) · to (3) ·
    operating carrier (3) · flight number (5, NNNN[a]) · Julian date of flight (3) ·
    compartment code (1) · seat (4, NNNa) · check-in sequence number (5, NNNN[f]) ·
    passenger status (1) · size of the leg's conditional section (2, hex).

We write no conditional items (size "00"), but the parser skips a conditional section of any
size, so passes of other carriers parse too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from airline.platform import names
from airline.platform.errors import ValidationFailed

NAME_LEN = 20
_HEADER_LEN = 23
_LEG_LEN = 37  # mandatory items of one leg, up to and including the conditional size field
_SEAT = re.compile(r"^(\d{1,3})([A-Z])$")
_FLIGHT = re.compile(r"^([A-Z0-9]{2})(\d{1,4})([A-Z]?)$")


@dataclass(frozen=True)
class Leg:
    pnr: str
    origin: str
    destination: str
    carrier: str
    flight_number: str  # as printed in the barcode: digits (+ optional suffix letter), no carrier
    julian_date: int  # day of the year of the flight, 1..366 (local date at the origin)
    compartment: str  # Y, J, F ...
    seat: str  # e.g. 12A; "INF" for an infant on a lap
    sequence: int
    passenger_status: str = "1"  # 1: ticket issued, passenger checked in
    conditional: str = ""


@dataclass(frozen=True)
class Pass:
    name: str  # LAST/FIRST as encoded (trailing spaces stripped)
    legs: list[Leg] = field(default_factory=list)
    electronic_ticket: bool = True

    @property
    def last_name(self) -> str:
        return self.name.partition("/")[0]

    @property
    def first_name(self) -> str:
        return self.name.partition("/")[2]


def passenger_name(last: str, first: str) -> str:
    """`LAST/FIRST` in A-Z as ICAO 9303 transliterates any script (Müller -> MUELLER, 王 -> WANG),
    cut to 20 characters (the field's size), the last name kept whole first."""
    return names.bcbp_name(last, first, NAME_LEN)


def julian_date(day: date) -> int:
    return day.timetuple().tm_yday


def seat_field(seat: str) -> str:
    """`12A` -> `012A`; an infant has no seat: `INF `; standby (no seat yet): `STBY`."""
    s = seat.strip().upper()
    if not s:
        return "INF "
    m = _SEAT.fullmatch(s)
    if m is None:
        if s in ("INF", "STBY"):  # an infant on a lap; a passenger checked in on standby
            return s.ljust(4)
        raise ValidationFailed(f"seat {seat!r} cannot be written on a boarding pass", field="seat")
    return f"{int(m.group(1)):03d}{m.group(2)}"


def flight_field(number: str) -> tuple[str, str]:
    """`XA101` -> carrier `XA `, flight `0101 ` (4 digits, then a suffix letter or a space)."""
    m = _FLIGHT.fullmatch(number.strip().upper())
    if m is None:
        raise ValidationFailed(f"flight number {number!r} is not carrier + digits", field="flight_number")
    return m.group(1).ljust(3), f"{int(m.group(2)):04d}{m.group(3) or ' '}"


def sequence_field(n: int) -> str:
    if not 0 <= n <= 99999:
        raise ValidationFailed("check-in sequence number out of range", field="sequence")
    return f"{n:04d} " if n < 10000 else f"{n:05d}"


def encode(p: Pass) -> str:
    if not 1 <= len(p.legs) <= 9:
        raise ValidationFailed("a boarding pass encodes 1 to 9 legs", field="legs")
    out = ["M", str(len(p.legs)), p.name.upper()[:NAME_LEN].ljust(NAME_LEN), "E" if p.electronic_ticket else " "]
    for leg in p.legs:
        cond = leg.conditional
        if len(cond) > 255:
            raise ValidationFailed("conditional section too long", field="conditional")
        out += [
            leg.pnr.upper().ljust(7)[:7],
            leg.origin.upper(),
            leg.destination.upper(),
            leg.carrier.upper().ljust(3)[:3],
            leg.flight_number.ljust(5)[:5],
            f"{leg.julian_date:03d}",
            leg.compartment.upper()[:1],
            seat_field(leg.seat),
            sequence_field(leg.sequence),
            leg.passenger_status[:1],
            f"{len(cond):02X}",
            cond,
        ]
        for code in (leg.origin, leg.destination):
            if not re.fullmatch(r"[A-Z]{3}", code.upper()):
                raise ValidationFailed(f"airport code {code!r} is not 3 letters", field="airport")
    return "".join(out)


def parse(text: str) -> Pass:
    """The mandatory items of a BCBP string; ValidationFailed says what is wrong with it."""
    raw = text.rstrip("\r\n")
    if len(raw) < _HEADER_LEN + _LEG_LEN or raw[0] != "M" or not raw[1].isdigit():
        raise ValidationFailed("not an IATA boarding pass barcode (format M)", field="bcbp")
    legs_n = int(raw[1])
    if legs_n < 1:
        raise ValidationFailed("a boarding pass barcode has at least one leg", field="bcbp")
    name = raw[2:22].rstrip()
    if "/" not in name:
        raise ValidationFailed("the passenger name on the barcode is not LAST/FIRST", field="bcbp")
    pos = _HEADER_LEN
    legs = []
    for _ in range(legs_n):
        chunk = raw[pos : pos + _LEG_LEN]
        if len(chunk) < _LEG_LEN:
            raise ValidationFailed("the boarding pass barcode is cut short", field="bcbp")
        try:
            julian = int(chunk[21:24])
            seq_text = chunk[29:34].strip()
            sequence = int(seq_text) if seq_text.isdigit() else int(seq_text[:-1])
            size = int(chunk[35:37], 16)
        except ValueError:
            raise ValidationFailed("the boarding pass barcode has a malformed field", field="bcbp") from None
        seat_raw = chunk[25:29]
        seat = (
            "INF"
            if seat_raw.strip() == "INF"
            else (f"{int(seat_raw[:3])}{seat_raw[3]}" if seat_raw[:3].isdigit() else seat_raw.strip())
        )
        legs.append(
            Leg(
                pnr=chunk[0:7].strip(),
                origin=chunk[7:10],
                destination=chunk[10:13],
                carrier=chunk[13:16].strip(),
                flight_number=chunk[16:21].strip(),
                julian_date=julian,
                compartment=chunk[24],
                seat=seat,
                sequence=sequence,
                passenger_status=chunk[34],
                conditional=raw[pos + _LEG_LEN : pos + _LEG_LEN + size],
            )
        )
        pos += _LEG_LEN + size
    return Pass(name=name, legs=legs, electronic_ticket=raw[22] == "E")


def with_seat(text: str | None, seat: str, compartment: str = "") -> str | None:
    """The same pass with another seat (a seat change, a standby passenger cleared at the gate)
    and, for an upgrade at the gate, another compartment code."""
    if not text:
        return text
    old = parse(text)
    change = {"seat": seat} | ({"compartment": compartment} if compartment else {})
    return encode(Pass(old.name, [Leg(**{**leg.__dict__, **change}) for leg in old.legs]))
