"""Secrets delivered as files (Vault Agent injector, Kubernetes secret volumes, Docker secrets),
read by the settings layer, so that the code needs no Vault client and no secret sits in an
environment variable that `ps e` or a crash dump could show.

Two ways, both with the variable names the settings already know:

- `<NAME>_FILE=/path`: the file's content is the value of `<NAME>`
  (e.g. `AIRLINE_IDENTITY_SIGNING_KEYS_FILE=/vault/secrets/signing-keys`), as the official images of PostgreSQL do;
- a secrets folder (`AIRLINE_SECRETS_DIR`, default `/vault/secrets`) with one file per
  variable, named as the variable (e.g. `/vault/secrets/DATABASE_URL`).

A plain variable still wins over both (an operator's override).
"""

from __future__ import annotations

import os
import secrets
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path

from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SecretsSettingsSource

DEFAULT_SECRETS_DIR = "/vault/secrets"
FILE_SUFFIX = "_FILE"


class FileVariablesSource(EnvSettingsSource):
    """Environment variables `<NAME>_FILE`, read as if `<NAME>` held the file's content."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        known = _variable_names(self.settings_cls)
        values: dict[str, str | None] = {}
        for key, path in os.environ.items():
            name = key[: -len(FILE_SUFFIX)]
            # only the settings' own variables: TF_CLI_CONFIG_FILE and the like are not ours
            if not key.upper().endswith(FILE_SUFFIX) or not path or name.upper() not in known:
                continue
            try:
                # one trailing newline is how editors and `echo` end a file, not part of a secret
                content = Path(path).read_text().removesuffix("\n")
            except OSError as e:
                raise ValueError(f"{key} names {path!r}, which cannot be read: {e.strerror}") from None
            values[name if self.case_sensitive else name.lower()] = content
        return values


def _variable_names(settings_cls: type[BaseSettings]) -> set[str]:
    prefix = settings_cls.model_config.get("env_prefix", "")
    names: set[str] = set()
    for field_name, field in settings_cls.model_fields.items():
        alias = field.validation_alias
        choices = getattr(alias, "choices", None)
        if choices:
            names.update(c.upper() for c in choices if isinstance(c, str))
        elif isinstance(alias, str):
            names.add(alias.upper())
        else:
            names.add(f"{prefix}{field_name}".upper())
    return names


def secrets_dir() -> Path | None:
    configured = os.environ.get("AIRLINE_SECRETS_DIR", DEFAULT_SECRETS_DIR)
    path = Path(configured) if configured else None
    return path if path is not None and path.is_dir() else None


def file_sources(settings_cls: type[BaseSettings]) -> tuple[PydanticBaseSettingsSource, ...]:
    """The sources to put after the environment in `settings_customise_sources`."""
    sources: list[PydanticBaseSettingsSource] = [FileVariablesSource(settings_cls)]
    folder = secrets_dir()
    if folder is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sources.append(SecretsSettingsSource(settings_cls, secrets_dir=folder))
    return tuple(sources)


class SecretFiles:
    """Mix into a settings class (before BaseSettings) whose values may be secrets: they are
    then read from files too, after the environment."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, *file_sources(settings_cls), dotenv_settings)


def write_once(path: Path, make: Callable[[], str]) -> str:
    """The content of `path`, created with `make()` if absent (local mode's generated secrets).

    Every service process of `airline up` may ask at once: the file appears whole (written
    aside, then hard-linked into place) and the first one wins; the others read it."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    tmp.write_text(make())
    tmp.chmod(0o600)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return write_once(path, make)


def local_secret(data_dir: Path, name: str) -> str:
    """A random secret kept in the data directory (local mode only)."""
    return write_once(Path(data_dir) / "secrets" / name, lambda: secrets.token_urlsafe(48))
