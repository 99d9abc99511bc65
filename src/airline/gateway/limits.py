"""The gateway's abuse limits: sign-up, login, PNR + last-name lookup and check-in-code
guesses, each per account (e-mail, PNR, code) and per client address.

Every address comes from `client_address` (the trusted proxy hops), never from the TCP peer
alone, so a client behind our proxies cannot pick a fresh address per request by writing
X-Forwarded-For. Counters live in Redis (`FixedWindowLimiter`), so every replica shares one
budget. Limits that count failures are checked before the backend is asked and counted only
when the backend says no, so honest traffic is never slowed down by them.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import grpc
from fastapi import Request
from redis.asyncio import Redis

from airline.gateway.client_address import client_address
from airline.gateway.problems import ApiProblem
from airline.gateway.ratelimit import FixedWindowLimiter
from airline.gateway.settings import GatewaySettings

Check = tuple[FixedWindowLimiter, str]


@dataclass
class Limits:
    login: FixedWindowLimiter  # every login attempt per address (a flood)
    login_failed_account: FixedWindowLimiter
    login_failed_address: FixedWindowLimiter
    signup_address: FixedWindowLimiter
    signup_email: FixedWindowLimiter
    lookup_failed_address: FixedWindowLimiter
    lookup_failed_pnr: FixedWindowLimiter
    guess_address: FixedWindowLimiter  # wrong check-in codes per address / account
    guess_code: FixedWindowLimiter  # wrong last names (or passes) per code

    @classmethod
    def of(cls, gw: GatewaySettings, redis: Redis | None) -> Limits:
        def limiter(name: str, limit: int, window: int) -> FixedWindowLimiter:
            return FixedWindowLimiter(name, limit, window, redis)

        return cls(
            login=limiter("login", gw.login_rate_limit, gw.login_rate_window_seconds),
            login_failed_account=limiter(
                "login-failed-account", gw.login_failure_limit_per_account, gw.login_failure_window_seconds
            ),
            login_failed_address=limiter(
                "login-failed-address", gw.login_failure_limit_per_address, gw.login_failure_window_seconds
            ),
            signup_address=limiter("signup-address", gw.signup_limit_per_address, gw.signup_window_seconds),
            signup_email=limiter("signup-email", gw.signup_limit_per_email, gw.signup_window_seconds),
            lookup_failed_address=limiter(
                "lookup-failed-address", gw.lookup_failure_limit_per_address, gw.lookup_failure_window_seconds
            ),
            lookup_failed_pnr=limiter(
                "lookup-failed-pnr", gw.lookup_failure_limit_per_pnr, gw.lookup_failure_window_seconds
            ),
            guess_address=limiter("checkin-guesses", gw.checkin_guess_limit, gw.checkin_guess_window_seconds),
            guess_code=limiter(
                "checkin-guesses-code", gw.checkin_guess_limit_per_code, gw.checkin_guess_window_seconds
            ),
        )


def limits(request: Request) -> Limits:
    return request.app.state.limits  # type: ignore[no-any-return]


def account_key(email: str) -> str:
    """One counter per account whatever the spelling of its e-mail (identity compares case-blind)."""
    return email.strip().casefold()


def code_key(code: str) -> str:
    """A check-in code as the checkin service reads it: case, spaces and dashes forgiven."""
    return re.sub(r"[\s-]", "", code).upper()


def too_many(retry_after: float, what: str) -> ApiProblem:
    return ApiProblem(
        429, f"too many {what}; wait and try again", "rate_limited", {"Retry-After": str(max(1, int(retry_after)))}
    )


async def count(checks: Iterable[Check], what: str) -> None:
    """Count one attempt on each limiter (all of them, so every budget sees it); 429 if any is
    past its limit."""
    retries = [r for r in [await limiter.hit(key) for limiter, key in checks] if r is not None]
    if retries:
        raise too_many(max(retries), what)


async def refuse_if_spent(checks: Iterable[Check], what: str) -> None:
    """429 when any of the failure budgets is used up, without counting."""
    retries = [r for r in [await limiter.spent(key) for limiter, key in checks] if r is not None]
    if retries:
        raise too_many(max(retries), what)


async def count_failure(checks: Iterable[Check]) -> None:
    for limiter, key in checks:
        await limiter.hit(key)


@asynccontextmanager
async def failures_counted(
    checks: list[Check], what: str, failed: set[grpc.StatusCode], codes: tuple[str, ...] = ()
) -> AsyncIterator[None]:
    """Refuse a client whose failure budget is spent, then run the block and count a failure
    when it raises a gRPC error with one of the `failed` statuses (and, if given, error codes)."""
    from airline.platform.grpc import error_code

    await refuse_if_spent(checks, what)
    try:
        yield
    except grpc.aio.AioRpcError as e:
        if e.code() in failed and (not codes or error_code(e) in codes):
            await count_failure(checks)
        raise


# ------------------------------------------------------------------ PNR + last-name lookups


def lookup_checks(request: Request, pnr: str) -> list[Check]:
    lim = limits(request)
    return [(lim.lookup_failed_address, client_address(request)), (lim.lookup_failed_pnr, pnr.strip().upper())]


async def pnr_lookup_guard(request: Request) -> AsyncIterator[None]:
    """Router dependency: a request that names a booking by `pnr` + `last_name` (query) is
    refused once its address or its PNR has failed too often, and a 404 counts as a failure."""
    pnr, last_name = request.query_params.get("pnr"), request.query_params.get("last_name")
    if not pnr or not last_name:
        yield
        return
    async with failures_counted(lookup_checks(request, pnr), "failed booking look-ups", {grpc.StatusCode.NOT_FOUND}):
        yield
