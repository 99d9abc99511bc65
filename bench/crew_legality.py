"""Crew legality benchmark: the CPU of one `violations()` call (every rule for one candidate
duty) as a member's month fills up, the figure that decides how long a roster solve takes.

Usage (from the project root, with the project's virtualenv):

    .venv/bin/python bench/crew_legality.py [--calls 200]

It builds a member with 1, 2 and 4 two-hour sectors a day for 30 days (home base XSP, out and
back), adds a candidate sector on day 15 and prints the CPU milliseconds per call (process time,
so the figure does not count time the machine gave to others). No platform is started.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta

from airline.crew.domain import CrewRole, Duty, LegalityRules, Member, MemberSchedule
from airline.crew.legality import violations

T0 = datetime(2027, 3, 1, tzinfo=UTC)
H = timedelta(hours=1)


def month(sectors_a_day: int) -> tuple[Duty, ...]:
    duties = []
    for day in range(30):
        for k in range(sectors_a_day):
            dep = T0 + timedelta(days=day, hours=6 + 3 * k)
            origin, destination = ("XSP", "AOR") if k % 2 == 0 else ("AOR", "XSP")
            duties.append(Duty(f"f{day}-{k}", origin, destination, dep - H, dep, dep + 2 * H, dep + 2.5 * H))
    return tuple(duties)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    member = Member("m1", "Bench Member", CrewRole.CAPTAIN, frozenset({"A320"}), "XSP")
    rules = LegalityRules()
    day15 = T0 + timedelta(days=15)
    candidate = Duty("c", "XSP", "AOR", day15 + 17 * H, day15 + 18 * H, day15 + 20 * H, day15 + 20.5 * H)
    print(f"{'duties':>7} {'ms CPU per violations()':>24} {'violations':>11}")
    for per_day in (1, 2, 4):
        schedule = MemberSchedule(member, month(per_day))
        started = time.process_time()
        for _ in range(args.calls):
            found = violations(schedule, candidate, "A320", rules)
        ms = (time.process_time() - started) / args.calls * 1000
        print(f"{len(schedule.duties):>7} {ms:>24.2f} {len(found):>11}")


if __name__ == "__main__":
    main()
