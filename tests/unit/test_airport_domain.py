"""Airport domain rules, without I/O."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airline.airport import domain
from airline.airport.domain import (
    CabinClass,
    CabinSpec,
    Commitment,
    PlaneSchedule,
    PlaneStatus,
    SeatLayout,
    SeatPosition,
    capacity,
    expand_seats,
    parse_layout,
)
from airline.platform.errors import ValidationFailed

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
H = timedelta(hours=1)

A320 = [CabinSpec("vip", 1, 2, "AC DF"), CabinSpec("normal", 3, 27, "ABC DEF")]


def layout(*cabins: CabinSpec, exits: list[int] | None = None, blocked: list[str] | None = None) -> SeatLayout:
    return parse_layout(list(cabins), exits or [], blocked or [])


# ---------------------------------------------------------------- airports and gates


def test_airport_is_normalised() -> None:
    a = domain.new_airport(" xsp ", "  Seletar   Airport ", "Singapore", "sg", "Asia/Singapore")
    assert (a.code, a.name, a.country, a.time_zone) == ("XSP", "Seletar Airport", "SG", "Asia/Singapore")


@pytest.mark.parametrize("code", ["XS", "XSPP", "X1P", "", "ÄBC"])
def test_airport_code_must_be_three_letters(code: str) -> None:
    with pytest.raises(ValidationFailed, match="3-letter"):
        domain.airport_code(code)


@pytest.mark.parametrize("country", ["SGP", "S", "1G", ""])
def test_country_must_be_alpha2(country: str) -> None:
    with pytest.raises(ValidationFailed, match="alpha-2"):
        domain.country_code(country)


@pytest.mark.parametrize("zone", ["Asia/Nowhere", "", "+08:00", "../../etc/passwd", "asia/singapore"])
def test_time_zone_must_be_iana(zone: str) -> None:
    with pytest.raises(ValidationFailed, match="IANA"):
        domain.time_zone(zone)


def test_names_are_bounded() -> None:
    with pytest.raises(ValidationFailed, match="name"):
        domain.new_airport("XSP", "   ", "Singapore", "SG", "Asia/Singapore")
    with pytest.raises(ValidationFailed, match="city"):
        domain.new_airport("XSP", "Seletar", "x" * 121, "SG", "Asia/Singapore")


@pytest.mark.parametrize("name", ["Sele\x00tar", "Sele\x7ftar"])
def test_names_refuse_control_characters(name: str) -> None:
    with pytest.raises(ValidationFailed, match="control characters"):
        domain.text(name, "name")


def test_codes_refuse_a_trailing_newline() -> None:
    with pytest.raises(ValidationFailed):
        domain.registration("9V-XAA\nX")
    with pytest.raises(ValidationFailed):
        domain.reference("FL1\n2")


def test_change_airport_keeps_empty_fields() -> None:
    a = domain.new_airport("XSP", "Seletar", "Singapore", "SG", "Asia/Singapore")
    changed = domain.change_airport(a, name="Seletar Airport", zone="")
    assert changed.name == "Seletar Airport" and changed.time_zone == "Asia/Singapore"
    with pytest.raises(ValidationFailed):
        domain.change_airport(a, zone="Mars/Olympus")


def test_gate_rules() -> None:
    assert domain.gate_code(" x1 ") == "X1"
    assert domain.gate_status("") is domain.GateStatus.OPEN
    assert domain.gate_status("Maintenance") is domain.GateStatus.MAINTENANCE
    for bad in ("", "X-1", "ABCDEFGHI"):
        with pytest.raises(ValidationFailed):
            domain.gate_code(bad)
    with pytest.raises(ValidationFailed, match="open, closed, maintenance"):
        domain.gate_status("shut")
    with pytest.raises(ValidationFailed):
        domain.gate_status("", default=None)


# ---------------------------------------------------------------- planes


def test_plane_is_normalised_and_defaults_to_active() -> None:
    p = domain.new_plane("p1", "9v-xaa", "A320-200", "", "xsp", layout(*A320))
    assert (p.id, p.registration, p.status, p.home_airport) == ("P1", "9V-XAA", PlaneStatus.ACTIVE, "XSP")


@pytest.mark.parametrize("pid", ["", "1P", "P-1", "P12345678901"])
def test_bad_plane_ids(pid: str) -> None:
    with pytest.raises(ValidationFailed, match="plane id"):
        domain.plane_id(pid)


@pytest.mark.parametrize("reg", ["9V-XAA", "N12345", "JA01XJ", "HS-TXA"])
def test_good_registrations(reg: str) -> None:
    assert domain.registration(reg) == reg


@pytest.mark.parametrize("reg", ["", "9V--XAA", "-9VXAA", "9V-XAA-", "9V XAA", "A", "9V-XAAAAAAAA"])
def test_bad_registrations(reg: str) -> None:
    with pytest.raises(ValidationFailed, match="registration"):
        domain.registration(reg)


def test_plane_status_must_be_known() -> None:
    with pytest.raises(ValidationFailed, match="active, maintenance, retired"):
        domain.new_plane("P1", "9V-XAA", "A320", "flying", "XSP", layout(*A320))


def test_change_plane_only_touches_given_fields() -> None:
    p = domain.new_plane("P1", "9V-XAA", "A320-200", "active", "XSP", layout(*A320))
    changed = domain.change_plane(p, status="maintenance")
    assert changed.status is PlaneStatus.MAINTENANCE
    assert (changed.registration, changed.layout, changed.home_airport) == (p.registration, p.layout, p.home_airport)
    assert domain.change_plane(p) == p


# ---------------------------------------------------------------- seat layouts


def test_a320_layout_expands_to_its_seats() -> None:
    lay = layout(*A320, exits=[13, 12], blocked=["27a"])
    seats = expand_seats(lay)
    assert len(seats) == 2 * 4 + 25 * 6
    assert lay.exit_rows == (12, 13) and lay.blocked_seats == ("27A",)
    by_label = {s.label: s for s in seats}
    assert by_label["1A"].cabin_class is CabinClass.VIP and by_label["1A"].position is SeatPosition.WINDOW
    assert by_label["1C"].position is SeatPosition.AISLE and by_label["1D"].position is SeatPosition.AISLE
    assert by_label["3B"].position is SeatPosition.MIDDLE and by_label["3F"].position is SeatPosition.WINDOW
    assert by_label["12A"].exit_row and not by_label["11A"].exit_row
    assert by_label["27A"].blocked and not by_label["27B"].blocked
    assert capacity(lay) == {CabinClass.VIP: 8, CabinClass.NORMAL: 149}


def test_wide_body_positions() -> None:
    seats = {s.letter: s.position for s in expand_seats(layout(CabinSpec("normal", 10, 10, "ABC DEFG HJK")))}
    assert seats == {
        "A": SeatPosition.WINDOW,
        "B": SeatPosition.MIDDLE,
        "C": SeatPosition.AISLE,
        "D": SeatPosition.AISLE,
        "E": SeatPosition.MIDDLE,
        "F": SeatPosition.MIDDLE,
        "G": SeatPosition.AISLE,
        "H": SeatPosition.AISLE,
        "J": SeatPosition.MIDDLE,
        "K": SeatPosition.WINDOW,
    }


def test_repeated_letter_is_a_duplicate_seat() -> None:
    with pytest.raises(ValidationFailed, match="duplicate seat 3A"):
        layout(CabinSpec("normal", 3, 10, "ABA DEF"))


def test_overlapping_cabins_are_duplicate_seats() -> None:
    with pytest.raises(ValidationFailed, match="duplicate seat 2A"):
        layout(CabinSpec("vip", 1, 2, "AC DF"), CabinSpec("normal", 2, 20, "ABC DEF"))
    # declared out of order, still caught
    with pytest.raises(ValidationFailed, match="cabins overlap at row 5"):
        layout(CabinSpec("normal", 5, 20, "ABC DEF"), CabinSpec("vip", 1, 5, "AC DF"))


@pytest.mark.parametrize("letters", ["", " ABC", "ABC ", "ABC  DEF", "CBA", "ABI", "AB1", "AC DB"])
def test_malformed_seat_letters(letters: str) -> None:
    with pytest.raises(ValidationFailed, match="cabin 1"):
        layout(CabinSpec("normal", 1, 10, letters))


@pytest.mark.parametrize(("first", "last"), [(0, 3), (5, 4), (1, 100), (-1, 2)])
def test_row_ranges(first: int, last: int) -> None:
    with pytest.raises(ValidationFailed, match="rows"):
        layout(CabinSpec("normal", first, last, "ABC"))


def test_layout_needs_a_cabin_and_a_known_class() -> None:
    with pytest.raises(ValidationFailed, match="at least one cabin"):
        layout()
    with pytest.raises(ValidationFailed, match="vip or normal"):
        layout(CabinSpec("first", 1, 2, "AC"))


def test_exit_rows_and_blocked_seats_must_exist() -> None:
    with pytest.raises(ValidationFailed, match="exit row 28"):
        layout(*A320, exits=[28])
    with pytest.raises(ValidationFailed, match="blocked seat 1B"):
        layout(*A320, blocked=["1B"])  # VIP rows have no B
    with pytest.raises(ValidationFailed, match="27A"):
        layout(*A320, blocked=["A27"])


def test_gaps_between_cabins_are_allowed() -> None:
    # many airlines have no row 13
    lay = layout(CabinSpec("normal", 1, 12, "ABC DEF"), CabinSpec("normal", 14, 30, "ABC DEF"))
    rows = {s.row for s in expand_seats(lay)}
    assert 13 not in rows and len(rows) == 29


def test_layout_round_trips_through_its_dict() -> None:
    lay = layout(*A320, exits=[12, 13], blocked=["27A", "3B"])
    assert SeatLayout.from_dict(lay.to_dict()) == lay


@st.composite
def layouts(draw: st.DrawFn) -> tuple[list[CabinSpec], list[int], list[str]]:
    """Valid layouts: consecutive non-overlapping cabins, letter groups split by aisles."""
    specs: list[CabinSpec] = []
    row = draw(st.integers(1, 5))
    for _ in range(draw(st.integers(1, 4))):
        rows = draw(st.integers(1, 15))
        if row + rows - 1 > domain.MAX_ROW:
            break
        letters = sorted(draw(st.sets(st.sampled_from(domain.SEAT_LETTERS), min_size=1)), key=domain.SEAT_LETTERS.index)
        cuts = sorted(draw(st.sets(st.integers(1, len(letters) - 1), max_size=2))) if len(letters) > 1 else []
        groups = ["".join(letters[a:b]) for a, b in zip([0, *cuts], [*cuts, len(letters)])]
        specs.append(CabinSpec(draw(st.sampled_from(["vip", "normal"])), row, row + rows - 1, " ".join(groups)))
        row += rows + draw(st.integers(0, 2))
    all_rows = sorted({r for s in specs for r in range(s.first_row, s.last_row + 1)})
    exits = draw(st.lists(st.sampled_from(all_rows), max_size=3))
    seats = [
        f"{r}{ch}" for s in specs for r in range(s.first_row, s.last_row + 1) for ch in s.seat_letters if ch != " "
    ]
    blocked = draw(st.lists(st.sampled_from(seats), max_size=5))
    return specs, exits, blocked


@given(layouts())
def test_expansion_properties(data: tuple[list[CabinSpec], list[int], list[str]]) -> None:
    specs, exits, blocked = data
    lay = parse_layout(specs, exits, blocked)
    seats = expand_seats(lay)
    labels = [s.label for s in seats]
    assert len(labels) == len(set(labels))
    assert len(seats) == sum((s.last_row - s.first_row + 1) * len(s.seat_letters.replace(" ", "")) for s in specs)
    assert {s.label for s in seats if s.blocked} == set(blocked)
    assert {s.row for s in seats if s.exit_row} == set(exits)
    # capacity computed independently of expand_seats: seats per class minus blocked ones
    expected: Counter[str] = Counter()
    for spec in specs:
        expected[spec.cabin_class] += (spec.last_row - spec.first_row + 1) * len(spec.seat_letters.replace(" ", ""))
    class_of = {
        f"{r}{ch}": s.cabin_class for s in specs for r in range(s.first_row, s.last_row + 1) for ch in s.seat_letters
    }
    for label in set(blocked):
        expected[class_of[label]] -= 1
    assert {c.value: n for c, n in capacity(lay).items()} == {c: expected[c] for c in expected}
    for row in {s.row for s in seats}:
        in_row = [s for s in seats if s.row == row]
        windows = [s for s in in_row if s.position is SeatPosition.WINDOW]
        assert len(windows) == min(2, len(in_row))
        assert in_row[0].position is SeatPosition.WINDOW and in_row[-1].position is SeatPosition.WINDOW
    assert SeatLayout.from_dict(lay.to_dict()) == lay


@given(layouts(), st.data())
def test_any_overlap_between_cabins_is_refused(
    data: tuple[list[CabinSpec], list[int], list[str]], more: st.DataObject
) -> None:
    specs, _, _ = data
    victim = more.draw(st.sampled_from(specs))
    row = more.draw(st.integers(victim.first_row, victim.last_row))
    intruder = CabinSpec("normal", row, row, victim.seat_letters)
    with pytest.raises(ValidationFailed, match=rf"duplicate seat {row}[A-K]$"):
        parse_layout([*specs, intruder])


# ---------------------------------------------------------------- commitments and availability


def commitment(ref: str, start: datetime, end: datetime, origin: str = "XSP", dest: str = "BKK") -> Commitment:
    return domain.new_commitment(ref, "P1", origin, dest, start, end)


def plane(status: str = "active", home: str = "XSP") -> domain.Plane:
    return domain.new_plane("P1", "9V-XAA", "A320-200", status, home, layout(*A320))


def test_commitment_rules() -> None:
    c = commitment("FL-1", T0, T0 + 3 * H)
    assert c.overlaps(T0 + 2 * H, T0 + 4 * H) and not c.overlaps(T0 + 3 * H, T0 + 4 * H)
    with pytest.raises(ValidationFailed, match="before"):
        commitment("FL-1", T0, T0)
    with pytest.raises(ValidationFailed, match="at most"):
        commitment("FL-1", T0, T0 + timedelta(days=4))
    with pytest.raises(ValidationFailed, match="differ"):
        commitment("FL-1", T0, T0 + H, "XSP", "XSP")
    with pytest.raises(ValidationFailed, match="time zone"):
        commitment("FL-1", T0.replace(tzinfo=None), T0 + H)
    with pytest.raises(ValidationFailed, match="reference"):
        commitment("", T0, T0 + H)


def test_available_when_home_and_free() -> None:
    assert domain.is_available(PlaneSchedule(plane()), "XSP", T0, T0 + H)
    assert not domain.is_available(PlaneSchedule(plane()), "BKK", T0, T0 + H)


@pytest.mark.parametrize("status", ["maintenance", "retired"])
def test_grounded_planes_are_never_available(status: str) -> None:
    assert not domain.is_available(PlaneSchedule(plane(status)), "XSP", T0, T0 + H)


def test_location_follows_the_last_commitment() -> None:
    out = commitment("FL-1", T0 - 5 * H, T0 - H, "XSP", "BKK")
    assert domain.is_available(PlaneSchedule(plane(), last_before=out), "BKK", T0, T0 + H)
    assert not domain.is_available(PlaneSchedule(plane(), last_before=out), "XSP", T0, T0 + H)
    # a commitment ending exactly at the window's start counts: the plane is there by then
    edge = commitment("FL-2", T0 - 2 * H, T0, "XSP", "CGK")
    assert domain.is_available(PlaneSchedule(plane(), last_before=edge), "CGK", T0, T0 + H)


def test_any_overlap_makes_it_unavailable() -> None:
    busy = commitment("FL-3", T0 + 30 * timedelta(minutes=1), T0 + 4 * H)
    assert not domain.is_available(PlaneSchedule(plane(), overlapping=(busy,)), "XSP", T0, T0 + H)
