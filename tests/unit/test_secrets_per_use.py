"""Issue 13 item 7: one secret per use (no shared JWT secret), every one readable from a file,
generated locally only in local mode; the notification service reads its secrets from files."""

from __future__ import annotations

import hashlib
import hmac
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from airline.platform.secret_files import write_once
from airline.platform.service_auth import derive_service_secret, service_secret
from airline.platform.settings import SECRET_NAMES, PlatformSettings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AIRLINE_SECRETS_DIR", str(tmp_path / "no-such-folder"))
    for name in ("AIRLINE_ENV", *(f"AIRLINE_{n.upper()}" for n in SECRET_NAMES)):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name + "_FILE", raising=False)


def test_the_notification_service_reads_its_secrets_from_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from airline.notification.settings import NotificationSettings

    (tmp_path / "smtp").write_text("smtp-password-from-vault\n")
    (tmp_path / "sms").write_text("sms-token-from-vault")
    monkeypatch.setenv("AIRLINE_NOTIFICATION_SMTP_PASSWORD_FILE", str(tmp_path / "smtp"))
    monkeypatch.setenv("AIRLINE_NOTIFICATION_SMS_HTTP_AUTH_TOKEN_FILE", str(tmp_path / "sms"))
    s = NotificationSettings(_env_file=None)
    assert s.smtp_password is not None and s.smtp_password.get_secret_value() == "smtp-password-from-vault"
    assert s.sms_http_auth_token is not None and s.sms_http_auth_token.get_secret_value() == "sms-token-from-vault"


def test_each_use_has_its_own_secret_generated_once_in_local_mode(tmp_path: Path) -> None:
    s = PlatformSettings(_env_file=None, env="local", data_dir=tmp_path)
    values = {name: s.secret(name) for name in SECRET_NAMES}
    assert len(set(values.values())) == len(SECRET_NAMES), "no two uses share a secret"
    assert all(len(v) >= 32 for v in values.values())
    again = PlatformSettings(_env_file=None, env="local", data_dir=tmp_path)
    assert {name: again.secret(name) for name in SECRET_NAMES} == values, "kept in the data dir"
    assert not hasattr(s, "jwt_secret"), "the shared JWT secret is gone"


def test_outside_local_mode_a_secret_must_be_given_and_may_come_from_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prod = dict(
        _env_file=None,
        env="production",
        database_url="postgresql://db/x",
        redis_url="redis://r",
        kafka_bootstrap_servers="k:9092",
        data_dir=tmp_path,
    )
    with pytest.raises(RuntimeError, match="AIRLINE_PAYMENT_IDEMPOTENCY_KEY"):
        PlatformSettings(**prod).secret("payment_idempotency_key")
    assert not (tmp_path / "secrets").exists(), "nothing generated in production"
    (tmp_path / "k").write_text("p" * 40 + "\n")
    monkeypatch.setenv("AIRLINE_PAYMENT_IDEMPOTENCY_KEY_FILE", str(tmp_path / "k"))
    assert PlatformSettings(**prod).secret("payment_idempotency_key") == "p" * 40
    with pytest.raises(RuntimeError, match="AIRLINE_SERVICE_SECRET"):
        service_secret(PlatformSettings(**prod), "booking")


def test_service_secrets_are_derived_per_service_as_documented(tmp_path: Path) -> None:
    master = "m" * 48
    booking = derive_service_secret(master, "booking")
    # docs/deploy.md: printf 'airline-service:%s' booking | openssl dgst -sha256 -hmac "$MASTER"
    assert booking == hmac.new(master.encode(), b"airline-service:booking", hashlib.sha256).hexdigest()
    assert booking != derive_service_secret(master, "checkin")
    local = PlatformSettings(_env_file=None, env="local", data_dir=tmp_path)
    assert service_secret(local, "booking") != service_secret(local, "checkin")


def test_processes_racing_to_create_a_local_secret_all_get_the_same_one(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "raced"
    made = iter(range(1000))
    with ThreadPoolExecutor(8) as pool:
        seen = set(pool.map(lambda _: write_once(path, lambda: f"value-{next(made)}"), range(32)))
    assert len(seen) == 1 and path.read_text() == seen.pop()
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")], "no temporary file left"


def test_payment_refuses_the_sandbox_in_production_unless_told() -> None:
    from airline.payment.bootstrap import refuse_sandbox_in_production
    from airline.payment.settings import PaymentSettings

    refuse_sandbox_in_production("local", PaymentSettings(_env_file=None))
    with pytest.raises(RuntimeError, match="AIRLINE_PAYMENT_CARD_PROCESSOR and AIRLINE_PAYMENT_WALLET_PROVIDER"):
        refuse_sandbox_in_production("production", PaymentSettings(_env_file=None))
    refuse_sandbox_in_production("production", PaymentSettings(_env_file=None, allow_sandbox_in_production=True))


def test_no_module_outside_identity_can_sign_an_access_token() -> None:
    src = Path(__file__).resolve().parents[2] / "src" / "airline"
    signers = [
        str(p.relative_to(src))
        for p in src.rglob("*.py")
        if p.parent.name != "identity"
        and "v1" not in p.parts
        and ("identity.tokens" in p.read_text() or "Ed25519PrivateKey" in p.read_text())
    ]
    assert signers == [], f"only identity holds the signing key: {signers}"
