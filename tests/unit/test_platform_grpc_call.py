"""platform.grpc.call: a deadline on every attempt, retries only of idempotent calls and only
after UNAVAILABLE / DEADLINE_EXCEEDED, failures mapped to the platform's domain errors."""

from __future__ import annotations

from typing import Any

import grpc
import pytest

from airline.platform import errors
from airline.platform.grpc import call


class _Failure(grpc.aio.AioRpcError):
    def __init__(self, code: grpc.StatusCode, details: str = "", error_code: str | None = None) -> None:
        trailers = grpc.aio.Metadata(("error-code", error_code)) if error_code else grpc.aio.Metadata()
        super().__init__(code, grpc.aio.Metadata(), trailers, details)


class FakeMethod:
    """A stub method that fails with the given statuses, then answers."""

    def __init__(self, *failures: grpc.StatusCode, name: str = "/airline.flights.v1.FlightService/GetFlight") -> None:
        self.failures = list(failures)
        self.calls: list[dict[str, Any]] = []
        self._method = name.encode()

    async def __call__(self, request: Any, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        if self.failures:
            raise _Failure(self.failures.pop(0), "boom")
        return ("reply", request)


UNAVAILABLE, DEADLINE = grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED


async def test_every_attempt_carries_the_deadline() -> None:
    m = FakeMethod()
    assert await call(m, "req", deadline=2.5, idempotent=False) == ("reply", "req")
    assert m.calls == [{"timeout": 2.5}]
    await call(m, "req", deadline=1, idempotent=False, metadata=(("k", "v"),))
    assert m.calls[-1] == {"timeout": 1, "metadata": (("k", "v"),)}
    with pytest.raises(ValueError):
        await call(m, "req", deadline=0, idempotent=True)


async def test_an_idempotent_call_is_retried_after_unavailable_and_deadline_exceeded() -> None:
    m = FakeMethod(UNAVAILABLE, DEADLINE)
    assert await call(m, "req", deadline=1, idempotent=True, retries=2, backoff=0.001) == ("reply", "req")
    assert len(m.calls) == 3 and all(c["timeout"] == 1 for c in m.calls)


async def test_retries_run_out_into_unavailable_naming_the_callee() -> None:
    m = FakeMethod(UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, UNAVAILABLE)
    with pytest.raises(errors.Unavailable) as info:
        await call(m, "req", deadline=1, idempotent=True, retries=2, backoff=0.001)
    assert len(m.calls) == 3
    assert "the flights service did not answer (UNAVAILABLE)" in info.value.message


async def test_a_call_that_is_not_idempotent_is_tried_once() -> None:
    m = FakeMethod(DEADLINE)  # it may have happened: never send it twice
    with pytest.raises(errors.Unavailable):
        await call(m, "req", deadline=1, idempotent=False, retries=5, backoff=0.001)
    assert len(m.calls) == 1


@pytest.mark.parametrize(
    "code, kind",
    [
        (grpc.StatusCode.NOT_FOUND, errors.NotFound),
        (grpc.StatusCode.FAILED_PRECONDITION, errors.Conflict),
        (grpc.StatusCode.INVALID_ARGUMENT, errors.ValidationFailed),
        (grpc.StatusCode.PERMISSION_DENIED, errors.PermissionDenied),
        (grpc.StatusCode.INTERNAL, errors.Unavailable),
    ],
)
async def test_a_refusal_is_not_retried_and_keeps_its_kind(code: grpc.StatusCode, kind: type) -> None:
    m = FakeMethod(code)
    with pytest.raises(errors.DomainError) as info:
        await call(m, "req", deadline=1, idempotent=True, backoff=0.001, who="the test service")
    assert type(info.value) is kind and len(m.calls) == 1


async def test_not_found_names_what_was_missing() -> None:
    for code in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
        with pytest.raises(errors.NotFound, match="no flight F1"):
            await call(FakeMethod(code), "req", deadline=1, idempotent=True, not_found="no flight F1")
