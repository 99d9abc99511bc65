"""The booking service keeps no unkeyed digest of a card: its pay-request fingerprint is an
HMAC under a key of its own (setting, file, or in local mode one kept in the data directory)."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from airline.booking.bootstrap import fingerprint_key
from airline.booking.service import BookingService
from airline.booking.settings import BookingSettings
from airline.payment.client import PaymentMethod
from airline.platform.settings import PlatformSettings

CARD = PaymentMethod(
    card_number="4242424242424242", card_exp_month=12, card_exp_year=2035, card_cvc="123", card_holder="Ada"
)


def service(key: bytes) -> BookingService:
    return BookingService(None, BookingSettings(), None, "shared", fingerprint_key=key)  # type: ignore[arg-type]


def test_the_pay_fingerprint_is_keyed_and_no_plain_digest_of_the_card() -> None:
    a, b = service(b"k" * 32), service(b"q" * 32)
    raw = "|".join(str(v) for v in ("4242424242424242", 12, 2035, "123", "Ada", "", ""))
    assert a.method_fingerprint(CARD) == a.method_fingerprint(CARD)
    assert a.method_fingerprint(CARD) != b.method_fingerprint(CARD)
    assert a.method_fingerprint(CARD) != hashlib.sha256(raw.encode()).hexdigest()
    assert not hasattr(PaymentMethod, "fingerprint")  # the unkeyed one is gone
    other = PaymentMethod(card_number="4000000000000002", card_exp_month=12, card_exp_year=2035, card_cvc="123")
    assert a.method_fingerprint(CARD) != a.method_fingerprint(other)


def test_the_open_booking_limits_default_to_3_per_account_and_20_per_address() -> None:
    fields = BookingSettings.model_fields
    assert (fields["max_open_per_account"].default, fields["max_open_per_address"].default) == (3, 20)


def test_the_fingerprint_key_comes_from_the_setting_a_file_or_the_local_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = PlatformSettings.model_construct(env="local", data_dir=tmp_path)
    generated = fingerprint_key(BookingSettings(), local)
    path = tmp_path / "secrets" / "booking-fingerprint-key"
    assert path.read_text().strip().encode() == generated and len(generated) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert fingerprint_key(BookingSettings(), local) == generated  # kept across restarts

    given = tmp_path / "key-file"
    given.write_text("a-key-from-a-vault-file-0123456789\n")
    production = PlatformSettings.model_construct(env="production", data_dir=tmp_path / "nowhere")
    # the file the platform's secret-file convention names (<NAME>_FILE), read by the settings
    monkeypatch.setenv("AIRLINE_BOOKING_FINGERPRINT_KEY_FILE", str(given))
    assert fingerprint_key(BookingSettings(), production) == b"a-key-from-a-vault-file-0123456789"
    monkeypatch.delenv("AIRLINE_BOOKING_FINGERPRINT_KEY_FILE")
    assert fingerprint_key(BookingSettings(fingerprint_key="x" * 20), production) == b"x" * 20
    with pytest.raises(RuntimeError):
        fingerprint_key(BookingSettings(), production)  # outside local mode: never a made-up key
    with pytest.raises(RuntimeError):
        fingerprint_key(BookingSettings(fingerprint_key="short"), production)
