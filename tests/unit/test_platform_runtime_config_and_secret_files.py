"""Runtime-tunable settings (validation, defaults without ZooKeeper) and secrets read from files."""

from __future__ import annotations

from pathlib import Path

import pytest

from airline.platform.runtime_config import RuntimeConfig, Tunable
from airline.platform.settings import PlatformSettings

TTL = Tunable("seat_hold_ttl_seconds", 600, 1, 86_400)


@pytest.mark.parametrize("raw, value", [(b"300", 300), (b" 45\n", 45), (b"", 600), (None, 600)])
def test_a_tunable_parses_text_and_empty_means_default(raw: bytes | None, value: int) -> None:
    assert TTL.parse(raw) == value


@pytest.mark.parametrize(
    "raw, reason", [(b"0", "outside"), (b"86401", "outside"), (b"ten", "not a int"), (b"1.5", "not a int")]
)
def test_a_tunable_refuses_what_is_not_a_value_in_bounds(raw: bytes, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        TTL.parse(raw)


def test_a_float_tunable_refuses_nan() -> None:
    with pytest.raises(ValueError, match="finite"):
        Tunable("ratio", 0.5, 0, 1, float).parse(b"nan")


def test_without_zookeeper_every_tunable_is_its_default_and_listeners_hear_it() -> None:
    config = RuntimeConfig("reservation", [TTL], hosts=None)
    config.start()  # no ZooKeeper configured: nothing to connect to, nothing fails
    heard: list[int | float] = []
    config.on_change("seat_hold_ttl_seconds", heard.append)
    assert config.get("seat_hold_ttl_seconds") == 600 and config.getter("seat_hold_ttl_seconds")() == 600
    assert heard == [600]
    assert config.path("seat_hold_ttl_seconds") == "/airline/config/reservation/seat_hold_ttl_seconds"
    with pytest.raises(KeyError):
        config.getter("no_such_tunable")
    config.stop()


def test_a_refused_change_keeps_the_last_good_value() -> None:
    config = RuntimeConfig("reservation", [TTL], hosts=None)
    config._client = object()  # as if connected: the watcher only runs then
    watch = config._watcher("seat_hold_ttl_seconds")
    heard: list[int | float] = []
    config.on_change("seat_hold_ttl_seconds", heard.append)
    assert watch(b"120", object()) is True and config.get("seat_hold_ttl_seconds") == 120
    assert watch(b"-5", object()) is True and config.get("seat_hold_ttl_seconds") == 120
    assert watch(None, None) is True and config.get("seat_hold_ttl_seconds") == 600  # znode deleted
    assert heard == [600, 120, 600]


def _clean_env(monkeypatch: pytest.MonkeyPatch, secrets_dir: Path) -> None:
    for name in (
        "DATABASE_URL",
        "AIRLINE_DATABASE_URL",
        "AIRLINE_SERVICE_SECRET",
        "AIRLINE_SERVICE_SECRET_FILE",
        "AIRLINE_ENV",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AIRLINE_SECRETS_DIR", str(secrets_dir))


def test_secrets_come_from_file_variables_and_the_secrets_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "vault-secrets"
    folder.mkdir()
    (folder / "DATABASE_URL").write_text("postgresql+asyncpg://booking@pg/airline_booking")
    jwt = tmp_path / "jwt"
    jwt.write_text("k" * 40 + "\n")  # an editor's final newline is not part of the secret
    _clean_env(monkeypatch, folder)
    monkeypatch.setenv("AIRLINE_SERVICE_SECRET_FILE", str(jwt))
    settings = PlatformSettings()
    assert settings.database_url == "postgresql+asyncpg://booking@pg/airline_booking"
    assert settings.service_secret is not None and settings.service_secret.get_secret_value() == "k" * 40
    # a plain variable still wins (an operator's override)
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://override@pg/x")
    assert PlatformSettings().database_url == "postgresql+asyncpg://override@pg/x"


def test_production_settings_validate_secrets_read_from_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    _clean_env(monkeypatch, folder)
    for name, value in (
        ("DATABASE_URL", "postgresql+asyncpg://a@b/c"),
        ("REDIS_URL", "redis://r:6379/0"),
        ("KAFKA_BOOTSTRAP_SERVERS", "k:9092"),
        ("AIRLINE_SERVICE_SECRET", "short"),
    ):
        monkeypatch.delenv(name, raising=False)
        (folder / name).write_text(value)
    monkeypatch.setenv("AIRLINE_ENV", "production")
    with pytest.raises(ValueError, match="at least 32 characters"):
        PlatformSettings()
    (folder / "AIRLINE_SERVICE_SECRET").write_text("s" * 32)
    assert PlatformSettings().redis_url == "redis://r:6379/0"


def test_an_unreadable_secret_file_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _clean_env(monkeypatch, tmp_path)
    monkeypatch.setenv("AIRLINE_SERVICE_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="AIRLINE_SERVICE_SECRET_FILE names .* cannot be read"):
        PlatformSettings()


def test_file_variables_of_other_programs_are_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _clean_env(monkeypatch, tmp_path)
    monkeypatch.setenv("SOME_TOOL_CONFIG_FILE", str(tmp_path / "does-not-exist"))
    assert PlatformSettings().service_secret is None


def test_the_identity_admin_password_may_arrive_as_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from airline.identity.settings import IdentitySettings

    _clean_env(monkeypatch, tmp_path)
    monkeypatch.delenv("AIRLINE_IDENTITY_ADMIN_PASSWORD", raising=False)
    (tmp_path / "AIRLINE_IDENTITY_ADMIN_PASSWORD").write_text("from-vault-0123")
    password = IdentitySettings().admin_password
    assert password is not None and password.get_secret_value() == "from-vault-0123"
