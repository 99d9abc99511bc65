"""Access tokens: identity alone signs them, with an Ed25519 key (EdDSA, RFC 8037).

The key ring is one or more PEM private keys (AIRLINE_IDENTITY_SIGNING_KEYS, or the same
through a file): the FIRST key signs, every key is published in the JWKS and so still verifies.
Rotation (docs/deploy.md): append the new key (published, not yet signing), wait until every
verifier has it, move it first (it signs), drop the old key after the longest token TTL.
Each key's `kid` is its RFC 7638 thumbprint, so a ring needs no other metadata.

In local mode with no key given, one is generated into the data directory.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from airline.platform.auth import ALGORITHM, Role
from airline.platform.secret_files import write_once

KEY_FILE = "identity-signing-keys.pem"
PEM_END = "-----END PRIVATE KEY-----"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private: Ed25519PrivateKey

    @classmethod
    def of(cls, private: Ed25519PrivateKey) -> SigningKey:
        x = _b64(private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
        thumbprint = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"), sort_keys=True)
        return cls(_b64(hashlib.sha256(thumbprint.encode()).digest())[:22], private)

    def jwk(self) -> dict[str, str]:
        x = _b64(self.private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
        return {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": self.kid, "alg": ALGORITHM, "use": "sig"}


def generate_pem() -> str:
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        .decode()
    )


def parse_keys(text: str) -> list[SigningKey]:
    """PEM private keys, one after the other (the first one signs)."""
    keys: list[SigningKey] = []
    for block in text.split(PEM_END):
        if not block.strip():
            continue
        try:
            private = serialization.load_pem_private_key((block.strip() + "\n" + PEM_END + "\n").encode(), None)
        except (ValueError, TypeError) as e:
            raise ValueError(f"AIRLINE_IDENTITY_SIGNING_KEYS holds a key that cannot be read: {e}") from None
        if not isinstance(private, Ed25519PrivateKey):
            raise ValueError("AIRLINE_IDENTITY_SIGNING_KEYS must hold Ed25519 private keys (PKCS#8 PEM)")
        keys.append(SigningKey.of(private))
    if not keys:
        raise ValueError("AIRLINE_IDENTITY_SIGNING_KEYS holds no key")
    return keys


class KeyRing:
    def __init__(self, keys: list[SigningKey], issuer: str, ttl_seconds: int) -> None:
        self.keys = keys
        self.issuer = issuer
        self.ttl_seconds = ttl_seconds

    @property
    def current(self) -> SigningKey:
        return self.keys[0]

    def issue(self, subject: str, role: Role, email: str = "", ttl_seconds: int | None = None) -> str:
        now = int(time.time())
        claims = {
            "sub": subject,
            "role": str(role),
            "email": email,
            "iss": self.issuer,
            "iat": now,
            "exp": now + (ttl_seconds or self.ttl_seconds),
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, self.current.private, algorithm=ALGORITHM, headers={"kid": self.current.kid})

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [k.jwk() for k in self.keys]}


def load_key_ring(configured: str | None, env: str, data_dir: Path, issuer: str, ttl_seconds: int) -> KeyRing:
    if configured:
        return KeyRing(parse_keys(configured), issuer, ttl_seconds)
    if env != "local":
        raise RuntimeError(
            "AIRLINE_IDENTITY_SIGNING_KEYS (or AIRLINE_IDENTITY_SIGNING_KEYS_FILE) is required outside local mode"
        )
    text = write_once(Path(data_dir) / "secrets" / KEY_FILE, generate_pem)
    return KeyRing(parse_keys(text), issuer, ttl_seconds)
