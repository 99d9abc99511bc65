from __future__ import annotations

from typing import Any

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from airline.booking.ancillaries import DEFAULT_MENU
from airline.platform.settings import ServiceSettings


class BookingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AIRLINE_BOOKING_", extra="ignore")

    # An unpaid booking (and its seat holds) lives this long after its creation.
    booking_ttl_seconds: int = Field(default=900, ge=1)
    # "Keep my seats": a draft asks for this much more time, as often as it likes, but never lives
    # longer than the lifetime after its creation (within reservation's longest hold, 1 h).
    draft_keep_seconds: int = Field(default=600, ge=60)
    draft_max_lifetime_seconds: int = Field(default=2700, ge=60)
    # How often the recovery job finishes or compensates stuck sagas and expires old drafts.
    recovery_interval_seconds: float = Field(default=15.0, gt=0)
    # A booking in awaiting_payment untouched this long belongs to a request that died.
    stale_payment_seconds: int = Field(default=60, ge=0)
    # A seat hold is extended only when it would end within this long: at payment (the time
    # an authorisation may take, and more), and at each draft step (so an active draft keeps
    # its seats) - not on every step, since reservation's holds last minutes.
    hold_margin_seconds: int = Field(default=120, ge=0)
    hold_refresh_seconds: int = Field(default=300, ge=0)
    # Pay in two calls: the seats become the booking's assignments, then one sale (authorise and
    # capture together). Off: authorise, confirm the seats, capture (three calls, and a card
    # declined keeps the seats held for another try). saga.py draws both.
    sale: bool = False
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
    # Passenger rights (compensation.py): "eu261" (the EU261-like example), "none", or the path
    # of a policy JSON file of the same form (booking/policies/*.json); read at start.
    compensation_policy: str = Field(default="eu261", min_length=1, max_length=500)
    # Key of the HMACs this service keeps instead of raw secrets (the pay request's card
    # fingerprint, the guest's client address): AIRLINE_BOOKING_FINGERPRINT_KEY, or the file
    # AIRLINE_BOOKING_FINGERPRINT_KEY_FILE names, or the secrets folder (platform/secret_files.py);
    # in local mode a random one is kept in the data directory when none is given.
    fingerprint_key: SecretStr | None = None
    # Re-accommodation (reaccommodation.py plans, reaccommodating.py runs it): a retime moves
    # its passengers beyond this many hours (either way); candidate flights depart within the
    # window after the disrupted one; a proposal not answered this many hours before its new
    # flight departs is applied; a voucher instead of the refund is worth this much more; the
    # worker looks for pending runs and overdue proposals this often (a flight change's consumer
    # wakes it at once when it recorded a run, so this only bounds retries and deadlines).
    reaccommodation_retime_hours: float = Field(default=3.0, gt=0)
    reaccommodation_window_hours: float = Field(default=72.0, gt=0)
    reaccommodation_deadline_hours: float = Field(default=3.0, ge=0)
    reaccommodation_voucher_bonus_percent: int = Field(default=10, ge=0, le=500)
    reaccommodation_interval_seconds: float = Field(default=5.0, gt=0)
    # Voluntary changes (changes.py): no leg changes (and no flight is taken) closer than this
    # many hours to its departure; a quote holds its price this many seconds.
    change_close_hours: float = Field(default=3.0, ge=0)
    change_quote_seconds: int = Field(default=900, ge=10)
    # Paid ancillaries after the sale (ancillaries.py): the pre-order meal menu per currency,
    # JSON {"SGD": [{"code": "nasi-lemak", "name": "Nasi lemak", "price": 1500}, ...]} (minor
    # units); ops change it here (AIRLINE_BOOKING_MEAL_MENU). Sales close as changes do.
    meal_menu: dict[str, list[dict[str, Any]]] = Field(default_factory=lambda: dict(DEFAULT_MENU))
