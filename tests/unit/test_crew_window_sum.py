"""The legality engine's rolling-window total (duty hours in 7 days, flight hours in 28): the
prefix-sum version gives exactly what summing every interval's overlap at every window position
gives, and it stays fast on a long schedule."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from airline.crew.legality import _max_window_sum

T0 = datetime(2027, 3, 1, tzinfo=UTC)


def by_every_overlap(
    intervals: Sequence[tuple[datetime, datetime]], window: timedelta, touching: tuple[datetime, datetime]
) -> timedelta:
    """The definition, n x n: every candidate position, every interval's overlap summed."""
    best = timedelta(0)
    lowest, highest = touching[0] - window, touching[1]
    for w0 in [e - window for _, e in intervals] + [s for s, _ in intervals] + [lowest, highest]:
        if lowest <= w0 <= highest:
            w1 = w0 + window
            total = sum((max(timedelta(0), min(w1, e) - max(w0, s)) for s, e in intervals), timedelta(0))
            best = max(best, total)
    return best


MINUTES = st.integers(0, 20 * 24 * 60)


@settings(max_examples=400, deadline=None)
@given(
    spans=st.lists(st.tuples(MINUTES, st.integers(-30, 14 * 60)), max_size=25),
    window_hours=st.sampled_from([1, 10, 24, 7 * 24, 28 * 24]),
    touch=st.tuples(MINUTES, st.integers(0, 14 * 60)),
    seconds=st.integers(0, 59),
)
def test_the_window_total_is_the_largest_sum_of_overlaps(
    spans: list[tuple[int, int]], window_hours: int, touch: tuple[int, int], seconds: int
) -> None:
    # overlapping, touching, empty and backwards intervals all included
    intervals = [(T0 + timedelta(minutes=m, seconds=seconds), T0 + timedelta(minutes=m + d)) for m, d in spans]
    touching = (T0 + timedelta(minutes=touch[0]), T0 + timedelta(minutes=touch[0] + touch[1]))
    window = timedelta(hours=window_hours)
    assert _max_window_sum(intervals, window, touching) == by_every_overlap(intervals, window, touching)


def test_a_dense_month_is_summed_right() -> None:
    # four 2-hour sectors a day for 30 days: any 28-day window that meets day 15 holds 28 x 8 h
    intervals = [
        (T0 + timedelta(days=d, hours=h), T0 + timedelta(days=d, hours=h + 2))
        for d in range(30)
        for h in (6, 9, 12, 15)
    ]
    touching = (T0 + timedelta(days=15, hours=6), T0 + timedelta(days=15, hours=8))
    assert _max_window_sum(intervals, timedelta(days=28), touching) == timedelta(hours=28 * 8)
    assert _max_window_sum(intervals, timedelta(days=28), touching) == by_every_overlap(
        intervals, timedelta(days=28), touching
    )


def test_a_window_ending_where_overlapping_intervals_end_is_counted() -> None:
    # the best window [17 h, 23 h] ends where one interval ends and starts at no interval's start:
    # only the positions "an interval's end minus the window" find it (9 h; 8 h without them)
    hours = [(20, 24), (7, 13), (15, 23), (7, 14)]
    intervals = [(T0 + timedelta(hours=s), T0 + timedelta(hours=e)) for s, e in hours]
    touching = (T0 + timedelta(hours=17), T0 + timedelta(hours=19))
    assert _max_window_sum(intervals, timedelta(hours=6), touching) == timedelta(hours=9)
    assert by_every_overlap(intervals, timedelta(hours=6), touching) == timedelta(hours=9)
