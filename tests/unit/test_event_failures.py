"""Which handler failures are transient (retried within a time budget) and which park the
event after max attempts; withdrawn bags take no scan."""

from __future__ import annotations

import grpc
import pytest

from airline.baggage import domain as bags
from airline.platform.consumer import ConsumerSettings, is_transient
from airline.platform.errors import Conflict, NotFound, Unavailable


def rpc_error(code: grpc.StatusCode) -> grpc.aio.AioRpcError:
    return grpc.aio.AioRpcError(code, grpc.aio.Metadata(), grpc.aio.Metadata(), details="x")


@pytest.mark.parametrize(
    "error",
    [
        rpc_error(grpc.StatusCode.UNAVAILABLE),
        rpc_error(grpc.StatusCode.DEADLINE_EXCEEDED),
        Unavailable("the flights service did not answer"),
        ConnectionRefusedError(111, "refused"),
        TimeoutError(),
    ],
)
def test_outages_are_transient(error: BaseException) -> None:
    assert is_transient(error)


def test_an_rpc_error_wrapped_by_the_handler_is_transient_too() -> None:
    try:
        try:
            raise rpc_error(grpc.StatusCode.UNAVAILABLE)
        except grpc.aio.AioRpcError as e:
            raise RuntimeError("handler gave up") from e
    except RuntimeError as wrapped:
        assert is_transient(wrapped)


@pytest.mark.parametrize(
    "error",
    [
        rpc_error(grpc.StatusCode.INVALID_ARGUMENT),
        rpc_error(grpc.StatusCode.NOT_FOUND),
        KeyError("booking_id"),
        Conflict("refused"),
        NotFound("no such flight"),
        ValueError("bad payload"),
    ],
)
def test_refusals_and_bugs_are_not(error: BaseException) -> None:
    assert not is_transient(error)


def test_consumer_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRLINE_CONSUMER_TRANSIENT_BUDGET_SECONDS", "300")
    monkeypatch.setenv("AIRLINE_CONSUMER_MAX_ATTEMPTS", "8")
    s = ConsumerSettings()
    assert (s.transient_budget_seconds, s.max_attempts, s.retry_base_seconds, s.retry_max_seconds) == (300, 8, 0.2, 10)


def test_a_withdrawn_bag_takes_no_scan() -> None:
    with pytest.raises(Conflict) as refused:
        bags.next_status(bags.Status.WITHDRAWN, bags.Status.LOADED)
    assert refused.value.code == "bag_withdrawn"
    assert bags.Status.CLAIMED not in bags.WITHDRAWABLE and bags.Status.LOADED in bags.WITHDRAWABLE
