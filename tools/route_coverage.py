"""Which gateway route each screen calls (issue 19): every operation of the OpenAPI document
against the API calls found in the web apps' sources, and the routes no screen reaches.

    python tools/route_coverage.py            # the table: route -> the files that call it
    python tools/route_coverage.py --missing  # only the routes no screen calls

A call is found where the code names its method and path together, as the UI's API helpers
are written (`request("POST", `/crew/assignments/${id}/accept`)`, `call<Booking>("PUT", ...)`,
`get<Flight>(`/flights/${id}`)`); any other literal path (a live stream, a download link, a
fetch) counts for every method of the routes it matches. `${...}` matches one path segment (or
one of the words it quotes), and a route's `{param}` matches any literal segment. A call whose
path comes from a variable says which routes it calls in a `route-coverage:` comment.

web/route-coverage.json lists the routes no screen calls, each with why: `deliberate` (a
machine's or an operator's tool, never a person's screen) or `not_yet` (a screen issue 19 still
owes). tests/unit/test_web_route_coverage.py fails when a route is in neither (a new route with
no screen must say why) and when a `not_yet` route has found its screen (take it off the list):
the list only shrinks.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
SOURCES = [WEB / "apps", WEB / "packages"]
EXCEPTIONS = WEB / "route-coverage.json"
PREFIX = "/api/v1"
METHODS = ("get", "post", "put", "patch", "delete")
WILD: frozenset[str] = frozenset()

# request("POST", `/x/${id}`) / call<T>("PUT", "/x") / get<T>(`/x`)
_WITH_METHOD = re.compile(
    r"""\b(?:request|call)\s*(?:<[^>()]*>)?\(\s*["'](GET|POST|PUT|PATCH|DELETE)["']\s*,\s*([`"'])(/[^`"']*)\2"""
)
# the after-sale helpers (packages/ui/src/service.ts): send<T>("POST", id, "/changes/quote", ...)
# and path(id, "/changes/options") are under /bookings/{id}
_BOOKING = re.compile(
    r"""\bsend\s*(?:<[^>()]*>)?\(\s*["'](GET|POST|PUT|PATCH|DELETE)["']\s*,\s*[^,]+,\s*([`"'])(/[^`"']*)\2"""
)
_BOOKING_PATH = re.compile(
    r"""\b(?:request|call)\s*(?:<[^>()]*>)?\(\s*["'](GET|POST|PUT|PATCH|DELETE)["']\s*,\s*`\$\{path\([^,]+,\s*["'](/[^"']*)["']\)\}"""
)
_GET = re.compile(r"""\bget\s*(?:<[^>()]*>)?\(\s*([`"'])(/[^`"']*)\1""")
# a call whose path the scan cannot read (a segment from a variable) names its routes itself:
# // route-coverage: POST /flights/{flight_id}/cancel, POST /flights/{flight_id}/divert
_DECLARED = re.compile(r"route-coverage:\s*(.+)")
_ANY = re.compile(r"""`((?:/api/v1)?/[a-z][^`]*)`|(["'])((?:/api/v1)?/[a-z][a-z0-9_-]*(?:/[^"'\s]*)?)\2""")


@dataclass(frozen=True)
class Route:
    method: str  # upper case
    path: str  # as the document has it, without the /api/v1 prefix

    def __str__(self) -> str:
        return f"{self.method} {PREFIX}{self.path}"


@dataclass
class Coverage:
    routes: list[Route]
    callers: dict[Route, set[str]] = field(default_factory=dict)

    @property
    def missing(self) -> list[Route]:
        return [r for r in self.routes if not self.callers.get(r)]


def routes(document: dict[str, object]) -> list[Route]:
    paths = document.get("paths", {})
    assert isinstance(paths, dict)
    out = []
    for path, operations in sorted(paths.items()):
        if not path.startswith(PREFIX):
            continue
        for method in METHODS:
            if method in operations:
                out.append(Route(method.upper(), path[len(PREFIX) :] or "/"))
    return out


def _segments(literal: str) -> list[str | frozenset[str]]:
    """The path's segments; a template's expression is one segment: any value (WILD), or one of
    the words it quotes (`${accept ? "accept" : "decline"}`)."""
    expressions: list[str] = []

    def hide(m: re.Match[str]) -> str:
        expressions.append(m.group(1))
        return f"\0{len(expressions) - 1}\0"

    path = re.sub(r"\$\{([^}]*)\}", hide, literal)  # a `?` or `/` inside ${...} is not the URL's
    path = path.split("?", 1)[0].split("#", 1)[0]
    if path.startswith(PREFIX + "/"):
        path = path[len(PREFIX) :]
    out: list[str | frozenset[str]] = []
    for part in path.split("/"):
        if not part:
            continue
        whole = re.fullmatch(r"\0(\d+)\0", part)
        if whole:
            words = frozenset(re.findall(r"""["']([a-z][a-z0-9_-]*)["']""", expressions[int(whole.group(1))]))
            out.append(words or WILD)
        else:
            out.append(re.sub(r"\0\d+\0", "${}", part))
    return out


def matches(route_path: str, literal: str) -> bool:
    want = [s for s in route_path.split("/") if s]
    got = _segments(literal)
    if len(want) != len(got):
        return False
    for w, g in zip(want, got, strict=True):
        if w.startswith("{") and w.endswith("}"):
            continue  # a parameter: any value
        if g is WILD:
            return False  # an expression where the route has a fixed word: cannot tell, not counted
        if isinstance(g, frozenset):
            if w not in g:
                return False
        elif "${" in g:
            if not re.fullmatch(re.escape(g).replace(re.escape("${}"), ".*"), w):
                return False
        elif g != w:
            return False
    return True


def sources() -> Iterable[Path]:
    for top in SOURCES:
        for path in sorted(top.rglob("*")):
            if path.suffix not in (".ts", ".tsx") or "node_modules" in path.parts or "__tests__" in path.parts:
                continue
            if path.name.endswith(".d.ts") or path.name.startswith("testing"):
                continue
            yield path


_CONST = re.compile(r"\bconst\s+(\w+)\s*=\s*`(/[^`]*)`")


def _with_constants(text: str) -> str:
    """A file's text with its path constants put in (`const path = `/flights/${id}/departure``
    makes `${path}/manifest` the whole path)."""
    constants = {m.group(1): m.group(2) for m in _CONST.finditer(text)}
    if not constants:
        return text
    return re.sub(r"\$\{(\w+)\}", lambda m: constants.get(m.group(1), m.group(0)), text)


def coverage(document: dict[str, object]) -> Coverage:
    found = Coverage(routes(document))
    by_path: dict[str, list[Route]] = {}
    for r in found.routes:
        by_path.setdefault(r.path, []).append(r)
    for file in sources():
        text = _with_constants(file.read_text(encoding="utf-8"))
        where = str(file.relative_to(ROOT))
        calls: list[tuple[str | None, str]] = [(m.group(1), m.group(3)) for m in _WITH_METHOD.finditer(text)]
        calls += [("GET", m.group(2)) for m in _GET.finditer(text)]
        calls += [(m.group(1), "/bookings/${id}" + m.group(3)) for m in _BOOKING.finditer(text)]
        calls += [(m.group(1), "/bookings/${id}" + m.group(2)) for m in _BOOKING_PATH.finditer(text)]
        named = {literal for _, literal in calls}
        for m in _ANY.finditer(text):
            literal = m.group(1) or m.group(3)
            if literal not in named:
                calls.append((None, literal))
        for line in _DECLARED.finditer(text):
            for item in line.group(1).split(","):
                method, _, path = item.strip().partition(" ")
                path = path.strip().removeprefix(PREFIX)
                for r in by_path.get(path, []):
                    if r.method == method.upper():
                        found.callers.setdefault(r, set()).add(where)
        for method, literal in calls:
            for path, same in by_path.items():
                if not matches(path, literal):
                    continue
                for r in same:
                    if method is None or r.method == method:
                        found.callers.setdefault(r, set()).add(where)
    return found


def exceptions() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(EXCEPTIONS.read_text(encoding="utf-8"))
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--missing", action="store_true", help="only the routes no screen calls")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tools"))
    from openapi_dump import document

    cov = coverage(document())
    listed = exceptions()
    for r in cov.routes:
        callers = sorted(cov.callers.get(r, ()))
        if args.missing and callers:
            continue
        why = next(
            (f"{kind}: {text}" for kind, items in listed.items() for k, text in items.items() if k == str(r)), ""
        )
        print(f"{r!s:70} {', '.join(callers) or '-- ' + (why or 'NO SCREEN, NOT LISTED')}")
    covered = len(cov.routes) - len(cov.missing)
    print(f"\n{covered} of {len(cov.routes)} operations called by a screen", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
