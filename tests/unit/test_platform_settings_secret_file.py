"""ServiceSettings: every service's settings read `<NAME>_FILE` secret files and the secrets folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from airline.baggage.settings import BaggageSettings
from airline.checkin.settings import CheckinSettings
from airline.crew.settings import CrewSettings
from airline.identity.settings import IdentitySettings
from airline.inventory.settings import InventorySettings
from airline.notification.settings import NotificationSettings
from airline.payment.settings import PaymentSettings
from airline.platform.settings import PlatformSettings, ServiceSettings
from airline.reservation.settings import ReservationSettings

# one field of each class, the variable that names it, a value the field accepts
CASES = [
    (CheckinSettings, "code_secret", "AIRLINE_CHECKIN_CODE_SECRET", "a-checkin-code-secret"),
    (BaggageSettings, "airline_code", "AIRLINE_BAGGAGE_AIRLINE_CODE", "123"),
    (CrewSettings, "max_fdp_hours", "AIRLINE_CREW_MAX_FDP_HOURS", "11.5"),
    (ReservationSettings, "hold_ttl_seconds", "AIRLINE_RESERVATION_HOLD_TTL_SECONDS", "120"),
    (PaymentSettings, "sandbox_challenge_code", "AIRLINE_PAYMENT_SANDBOX_CHALLENGE_CODE", "654321"),
    (NotificationSettings, "smtp_password", "AIRLINE_NOTIFICATION_SMTP_PASSWORD", "smtp-pass"),
    (IdentitySettings, "admin_password", "AIRLINE_IDENTITY_ADMIN_PASSWORD", "an-admin-password"),
    (InventorySettings, "buffer_percent", "AIRLINE_INVENTORY_BUFFER_PERCENT", "7"),
]


def _plain(value: object) -> str:
    return value.get_secret_value() if isinstance(value, SecretStr) else str(value)


@pytest.fixture(autouse=True)
def _no_secrets_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AIRLINE_SECRETS_DIR", str(tmp_path / "absent"))


@pytest.mark.parametrize("cls", [c for c, *_ in CASES] + [PlatformSettings])
def test_every_service_settings_class_inherits_the_base(cls: type) -> None:
    assert issubclass(cls, ServiceSettings)


@pytest.mark.parametrize("cls, field, variable, value", CASES, ids=[c.__name__ for c, *_ in CASES])
def test_a_value_comes_from_its_file(
    cls: type[ServiceSettings], field: str, variable: str, value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret"
    secret.write_text(value + "\n")  # an editor's trailing newline is not part of the value
    monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv(f"{variable}_FILE", str(secret))
    assert _plain(getattr(cls(), field)) == value


@pytest.mark.parametrize("cls, field, variable, value", CASES[:2], ids=["checkin", "baggage"])
def test_the_secrets_folder_and_the_plain_variable_winning(
    cls: type[ServiceSettings], field: str, variable: str, value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / variable).write_text(value)
    monkeypatch.setenv("AIRLINE_SECRETS_DIR", str(folder))
    monkeypatch.delenv(variable, raising=False)
    assert _plain(getattr(cls(), field)) == value
    override = "999" if field == "airline_code" else "operator-override"
    monkeypatch.setenv(variable, override)
    assert _plain(getattr(cls(), field)) == override


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRLINE_CHECKIN_CODE_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="AIRLINE_CHECKIN_CODE_SECRET_FILE"):
        CheckinSettings()
