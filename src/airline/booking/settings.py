from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from airline.platform.settings import ServiceSettings


class BookingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AIRLINE_BOOKING_", extra="ignore")

    # An unpaid booking (and its seat holds) lives this long after its creation.
    booking_ttl_seconds: int = Field(default=900, ge=1)
    # How often the recovery job finishes or compensates stuck sagas and expires old drafts.
    recovery_interval_seconds: float = Field(default=15.0, gt=0)
    # A booking in awaiting_payment untouched this long belongs to a request that died.
    stale_payment_seconds: int = Field(default=60, ge=0)
    # Deadline of each call to another service (the saga makes several in a row).
    call_timeout_seconds: float = Field(default=10.0, gt=0)
    # IATA airline accounting code: the first 3 digits of every e-ticket number.
    ticket_prefix: str = Field(default="738", pattern=r"^[0-9]{3}$")
    # Extra checked bags: per piece (of the fare's per-piece weight), and per kg over it.
    extra_bag_price: int = Field(default=4500, ge=0)
    overweight_price_per_kg: int = Field(default=1000, ge=0)
    max_extra_pieces: int = Field(default=5, ge=0)
    max_overweight_kg: int = Field(default=32, ge=0)
    # Open unpaid bookings (held or awaiting payment, not expired) one signed-in account may
    # have at once, and one client address for guests (many travellers share an address
    # behind carrier NAT). Load tests and call centres raise them.
    max_open_per_account: int = Field(default=3, ge=1)
    max_open_per_address: int = Field(default=20, ge=1)
    # Key of the HMACs this service keeps instead of raw secrets (the pay request's card
    # fingerprint, the guest's client address): AIRLINE_BOOKING_FINGERPRINT_KEY, or the file
    # AIRLINE_BOOKING_FINGERPRINT_KEY_FILE names, or the secrets folder (platform/secret_files.py);
    # in local mode a random one is kept in the data directory when none is given.
    fingerprint_key: SecretStr | None = None
